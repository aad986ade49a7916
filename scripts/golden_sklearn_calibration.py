"""Golden values from scikit-learn for the domain classifier's importance weights.

Run: /usr/bin/python3 scripts/golden_sklearn_calibration.py   (writes test/golden/sklearn_calibration.json)

- Platt scaling: sklearn.calibration._sigmoid_calibration(scores, y) (what
  CalibratedClassifierCV(method='sigmoid') fits), and the same objective minimised to a gradient of
  1e-12 with SciPy (scikit-learn's BFGS stops at 1e-5, so its (a, b) are only accurate to ~1e-6).
Scores are drawn with numpy.random.RandomState(seed).standard_normal, which losslab reproduces.
"""
import json
import pathlib
import sys

import numpy as np
import scipy
import sklearn
from scipy.optimize import minimize
from scipy.special import expit, xlogy
from sklearn.calibration import _sigmoid_calibration

OUT = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'golden' / 'sklearn_calibration.json'


def platt_tight(F, y):
    """scikit-learn's Platt objective (smoothed targets), minimised tightly."""
    prior0 = float(np.sum(y <= 0))
    prior1 = y.shape[0] - prior0
    T = np.where(y > 0, (prior1 + 1.0) / (prior1 + 2.0), 1.0 / (prior0 + 2.0))
    T1 = 1.0 - T

    def objective(AB):
        P = expit(-(AB[0] * F + AB[1]))
        return -(xlogy(T, P) + xlogy(T1, 1.0 - P)).sum()

    def grad(AB):
        P = expit(-(AB[0] * F + AB[1]))
        r = T - P
        return np.array([np.dot(r, F), np.sum(r)])

    AB0 = np.array([0.0, np.log((prior0 + 1.0) / (prior1 + 1.0))])
    res = minimize(objective, AB0, jac=grad, method='BFGS', options={'gtol': 1e-12, 'maxiter': 10000})
    return res.x


cases = []
# (seed, n_neg, n_pos, separation): scores ~ N(0, 1) for negatives and N(sep, 1) for positives.
for seed, n0, n1, sep in [(81, 200, 100, 1.0), (82, 500, 500, 0.0), (83, 50, 300, 2.5), (84, 1000, 200, -0.5)]:
    rs = np.random.RandomState(seed)
    F = np.concatenate([rs.standard_normal(n0), rs.standard_normal(n1) + sep])
    y = np.concatenate([np.zeros(n0, int), np.ones(n1, int)])
    a, b = _sigmoid_calibration(F, y)
    at, bt = platt_tight(F, y)
    cases.append({'seed': seed, 'n_neg': n0, 'n_pos': n1, 'sep': sep, 'sklearn': [float(a), float(b)], 'tight': [float(at), float(bt)]})

OUT.write_text(json.dumps({
    'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__, 'sklearn': sklearn.__version__},
    'platt': cases,
}, indent=1) + '\n')
print('wrote', OUT)
