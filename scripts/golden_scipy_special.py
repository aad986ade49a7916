"""Golden values from SciPy for losslab's special functions (src/special/).

Run: python3 scripts/golden_scipy_special.py   (writes test/golden/scipy_special.json next to this
repository's tests). Works with SciPy 1.10 … 1.16+ and NumPy 1.x/2.x.
"""
import json
import pathlib
import sys

import numpy as np
import scipy
import scipy.special as sc
import scipy.stats as st
from goldenlib import enc

OUT = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'golden'


def versions():
    return {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__}


special = {'versions': versions(), 'skipped': []}
special['gammaln'] = [[x, enc(sc.gammaln(x))] for x in [1e-8, 0.1, 0.5, 1, 1.5, 2, 3.7, 10, 33.3, 171.5, 1000.25, 1e6, 1e9, -0.5, -2.5]]
special['gammaincc'] = [[a, x, enc(sc.gammaincc(a, x)), enc(sc.gammainc(a, x))]
                        for a in [0.5, 1, 2.5, 10, 49.5, 200, 2500]
                        for x in [0.01, 0.5, 1, 3, 10, 50, 180, 260, 2400, 2700]]
special['chi2_sf'] = [[x, k, enc(st.chi2.sf(x, k))] for k in [1, 2, 3, 9, 30, 99]
                      for x in [0, 0.001, 0.5, 1, 3.84, 10, 40, 150, 400]]
special['ndtr'] = [[x, enc(sc.ndtr(x))] for x in [-38, -20, -8, -3, -1.5, -0.3, 0, 0.2, 1, 2.5, 5, 8.3]]
special['ndtri'] = [[p, enc(sc.ndtri(p))] for p in [1e-300, 1e-20, 1e-8, 0.001, 0.02, 0.025, 0.1, 0.3, 0.5, 0.7, 0.975, 0.99, 0.999999]]
special['kolmogorov'] = [[x, enc(sc.kolmogorov(x))] for x in [0.01, 0.05, 0.2, 0.5, 0.8, 0.99, 1.0, 1.2, 1.36, 2, 3, 5, 7]]
special['smirnov'] = [[n, e, enc(sc.smirnov(n, e))] for n in [1, 2, 5, 20, 100, 1012, 1013, 5000, 100000]
                      for e in [0.001, 0.01, 0.05, 0.1, 0.3, 0.5, 0.9]]
kstwo_n = [1, 2, 3, 5, 10, 40, 140, 141, 400, 2000, 20000, 100000, 100001, 500000]
kstwo_x = [0.0004, 0.001, 0.003, 0.006, 0.01, 0.02, 0.04, 0.06, 0.09, 0.13, 0.2, 0.3, 0.45, 0.55, 0.8, 0.97]
special['kstwo_sf'] = [[n, x, enc(st.kstwo.sf(x, n))] for n in kstwo_n for x in kstwo_x]

OUT.mkdir(parents=True, exist_ok=True)
path = OUT / 'scipy_special.json'
path.write_text(json.dumps(special, separators=(',', ':')) + '\n')
print('wrote', path, path.stat().st_size, 'bytes')
