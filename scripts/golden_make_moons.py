"""Golden points of scikit-learn's make_moons for test/data/twoMoons.test.ts.

Run: /usr/bin/python3 scripts/golden_make_moons.py   (writes test/golden/make_moons.json)

Each case: make_moons's arguments (scikit-learn's names) and the points and labels it returned.
"""
import json
import pathlib
import platform

import numpy as np
import sklearn
from sklearn.datasets import make_moons

CASES = []
for n, noise, seed, shuffle in [(10, None, 0, True), (11, 0.1, 0, True), (100, 0.2, 7, True), (7, 0.05, 3, False), (300, 0.1, 1, True), (2, 0.3, 42, True)]:
    X, y = make_moons(n_samples=n, noise=noise, random_state=seed, shuffle=shuffle)
    CASES.append({'nSamples': n, 'noise': noise, 'randomState': seed, 'shuffle': shuffle, 'x': X.ravel().tolist(), 'y': y.tolist()})

out = {
    'versions': {'python': platform.python_version(), 'numpy': np.__version__, 'scikit-learn': sklearn.__version__},
    'cases': CASES,
}
path = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'golden' / 'make_moons.json'
path.write_text(json.dumps(out) + '\n')
print(f'wrote {path} ({len(CASES)} cases)')
