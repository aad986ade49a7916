"""Golden values from SciPy for the likelihoods of losslab's regression and binary losses.

Run: python3 scripts/golden_scipy_likelihood.py   (no arguments; deterministic)
Writes test/golden/scipy_likelihood.json: scipy.special.erf / erfc, the normalising constants of
Huber's and smooth-L1's densities by numerical integration (scipy.integrate.quad), and the
densities of scipy.stats (norm, laplace, bernoulli) for the pointwise likelihoods. Non-finite
numbers are stored as the strings "Infinity", "-Infinity", "NaN". The versions recorded are those
of the environment the regression goldens (scripts/golden_torch_regression.py) are made in.
"""
import json
import math
import pathlib
import platform

import numpy as np
import scipy
import scipy.integrate
import scipy.special
import scipy.stats
import torch
from goldenlib import enc

GOLDEN = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'golden'


def likelihood_golden():
    xs = [0.0, 1e-300, 1e-20, 1e-8, 1e-3, 0.1, 0.25, 0.5, 0.84, 0.9, 1.0, 1.2, 1.49, 1.5, 1.51, 2.0, 2.5, 3.0, 4.0, 5.0,
          6.0, 8.0, 10.0, 15.0, 20.0, 26.0, 27.0, -0.3, -1.7, -3.2, -6.0]
    xs += [float(v) for v in np.linspace(0.01, 7.0, 71)]
    special = {'x': [enc(v) for v in xs], 'erf': [enc(scipy.special.erf(v)) for v in xs], 'erfc': [enc(scipy.special.erfc(v)) for v in xs]}

    def integral(l):
        value, err = scipy.integrate.quad(lambda r: math.exp(-l(r)), -np.inf, np.inf, epsabs=0, epsrel=1e-13, limit=500)
        return value

    huber = lambda d: (lambda r: 0.5 * r * r if abs(r) < d else d * (abs(r) - 0.5 * d))
    smooth = lambda b: (lambda r: abs(r) if b == 0 else (0.5 * r * r / b if abs(r) < b else abs(r) - 0.5 * b))
    normalizers = {
        'huber': [{'delta': d, 'Z': integral(huber(d))} for d in (0.05, 0.5, 1.0, 1.345, 2.0, 5.0)],
        'smooth-l1': [{'beta': b, 'Z': integral(smooth(b))} for b in (0.0, 0.05, 0.5, 1.0, 3.0, 10.0)],
    }
    pairs = [(0.0, 0.0), (0.5, -1.0), (-2.0, 1.5), (3.0, 0.2), (1.0, 4.5)]
    densities = []
    for y, yhat in pairs:
        densities.append({'id': 'l2', 'y': y, 'yHat': yhat, 'params': {}, 'density': scipy.stats.norm.pdf(y, loc=yhat, scale=1.0)})
        densities.append({'id': 'mse', 'y': y, 'yHat': yhat, 'params': {}, 'density': scipy.stats.norm.pdf(y, loc=yhat, scale=math.sqrt(0.5))})
        densities.append({'id': 'l1', 'y': y, 'yHat': yhat, 'params': {}, 'density': scipy.stats.laplace.pdf(y, loc=yhat, scale=1.0)})
        for sigma in (0.3, 1.0, 2.5):
            densities.append({'id': 'gaussian-nll', 'y': y, 'yHat': yhat, 'params': {'sigma': sigma}, 'density': scipy.stats.norm.pdf(y, loc=yhat, scale=sigma)})
    for label in (0, 1):
        for z in (-30.0, -2.0, 0.0, 0.7, 5.0, 30.0):
            densities.append({'id': 'bce', 'y': float(label), 'yHat': z, 'params': {}, 'density': scipy.stats.bernoulli.pmf(label, scipy.special.expit(z))})
    for d in densities:
        d['density'] = enc(d['density'])
    return {'special': special, 'normalizers': normalizers, 'densities': densities}


def versions():
    return {'python': platform.python_version(), 'torch': torch.__version__, 'numpy': np.__version__, 'scipy': scipy.__version__}


def main():
    GOLDEN.mkdir(parents=True, exist_ok=True)
    out = GOLDEN / 'scipy_likelihood.json'
    out.write_text(json.dumps(dict(versions=versions(), **likelihood_golden()), separators=(',', ':')) + '\n')
    print('wrote', out)


if __name__ == '__main__':
    main()
