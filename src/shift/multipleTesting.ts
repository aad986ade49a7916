import { fail, formatValue } from '../errors.js';

function check(pvalues: readonly number[], fn: string): void {
  pvalues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) fail({ fn, argument: 'pvalues', value: `${formatValue(p)} at [${i}]`, rule: 'p-values must lie in [0, 1]' });
  });
}

/** Bonferroni-adjusted p-values min(m·p, 1), as statsmodels `multipletests(p, method='bonferroni')[1]`. */
export function bonferroni(pvalues: readonly number[]): number[] {
  check(pvalues, 'bonferroni');
  return pvalues.map((p) => Math.min(1, p * pvalues.length));
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values), as statsmodels
 * `multipletests(p, method='fdr_bh')[1]` and SciPy ≥ 1.11 `false_discovery_control(p, method='bh')`:
 * sort ascending, p₍ᵢ₎·m/i, a running minimum from the largest down, capped at 1, original order.
 */
export function benjaminiHochberg(pvalues: readonly number[]): number[] {
  check(pvalues, 'benjaminiHochberg');
  const m = pvalues.length;
  const order = pvalues.map((_, i) => i).sort((a, b) => pvalues[a] - pvalues[b] || a - b);
  const out = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1];
    running = Math.min(running, (pvalues[i] * m) / rank);
    out[i] = running;
  }
  return out;
}
