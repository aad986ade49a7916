// Public API of src/special/ — special functions matching scipy.special / scipy.stats.
export { logGamma, logBinomial, gammaP, gammaQ, chi2Sf } from './gamma.js';
export { erf, erfc } from './erf.js';
export { normalCdf, normalSf, normalPpf } from './normal.js';
export { kolmogorov, smirnov, kstwoSf } from './kolmogorov.js';
export { gcd, ks2ExactTwoSided, ks2ExactOneSided } from './ks2Exact.js';
