"""Golden values from NumPy for the shift report's per-feature histograms (src/shift/histogram.ts).

Run: python3 scripts/golden_histogram.py   (writes test/golden/histogram.json).

Each case: two samples (recipes replayed by losslab's RandomState, as in golden_scipy_shift.py),
and numpy.histogram(x, bins=20, range=(lo, hi)) of each, lo and hi the smallest and largest value
of both; the rounded case puts many values exactly on edges (bins are [eₖ, eₖ₊₁), the last closed).
"""
import json
import pathlib
import sys

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'golden'


def sample(seed, size, loc, scale, decimals):
    """The recipe the tests replay with losslab's RandomState."""
    x = np.random.RandomState(seed).standard_normal(size) * scale + loc
    return np.round(x, decimals) if decimals is not None else x


cases = []
specs = [
    # (seed1, n1, loc1, scale1, seed2, n2, loc2, scale2, decimals)
    (1, 50, 0, 1, 2, 70, 0.5, 1, None),
    (3, 2000, 0, 1, 4, 1500, 0.2, 1.5, None),
    (5, 10000, 10, 3, 6, 8000, 11, 3, None),
    (7, 5000, -1e6, 1e5, 8, 5000, -1e6, 2e5, None),
    (9, 3000, 0, 1, 10, 3000, 0, 1, 2),
    (11, 4000, 0, 1, 12, 3000, 0.5, 1, 1),
]
for s1, n1, l1, c1, s2, n2, l2, c2, dec in specs:
    x = sample(s1, n1, l1, c1, dec)
    y = sample(s2, n2, l2, c2, dec)
    lo = float(min(x.min(), y.min()))
    hi = float(max(x.max(), y.max()))
    hx, edges = np.histogram(x, bins=20, range=(lo, hi))
    hy, _ = np.histogram(y, bins=20, range=(lo, hi))
    cases.append({
        'x': {'seed': s1, 'size': n1, 'loc': l1, 'scale': c1, 'decimals': dec},
        'y': {'seed': s2, 'size': n2, 'loc': l2, 'scale': c2, 'decimals': dec},
        'edges': [float(e) for e in edges], 'train': [int(c) for c in hx], 'valid': [int(c) for c in hy],
    })

out = {'versions': {'python': sys.version.split()[0], 'numpy': np.__version__}, 'histogram': cases}
(OUT / 'histogram.json').write_text(json.dumps(out, indent=1) + '\n')
print('wrote', OUT / 'histogram.json', len(cases), 'cases')
