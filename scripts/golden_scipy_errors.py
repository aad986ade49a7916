"""Golden values from SciPy for losslab's error analysis (src/mistakes/).

Run: /usr/bin/python3 scripts/golden_scipy_errors.py   (writes test/golden/scipy_errors.json)

- hypergeometric upper tail: scipy.stats.hypergeom.sf(k - 1, N, K, n) = P(X >= k), and the same
  value as scipy.stats.fisher_exact([[k, n - k], [K - k, N - K - n + k]], alternative='greater');
- Wilson intervals come from the shift golden file (scipy_shift.json).
"""
import json
import pathlib
import sys

import numpy as np
import scipy
import scipy.stats as st

OUT = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'golden' / 'scipy_errors.json'

cases = []
for N, K, n, k in [(100, 10, 20, 2), (100, 10, 20, 5), (100, 10, 20, 0), (100, 10, 20, 10), (1000, 100, 50, 12), (10000, 1200, 300, 60),
                   (10000, 1200, 300, 36), (10000, 1200, 300, 100), (60, 30, 30, 20), (5000, 50, 4000, 49), (20, 0, 5, 0), (20, 20, 5, 5),
                   (70000, 10000, 2000, 400), (200, 150, 100, 80)]:
    sf = float(st.hypergeom.sf(k - 1, N, K, n))
    fisher = float(st.fisher_exact([[k, n - k], [K - k, N - K - n + k]], alternative='greater')[1]) if N - K - n + k >= 0 and K - k >= 0 else None
    cases.append({'N': N, 'K': K, 'n': n, 'k': k, 'sf': sf, 'fisher_greater': fisher})

OUT.write_text(json.dumps({'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__}, 'hypergeom_sf': cases}, indent=1) + '\n')
print('wrote', OUT)
