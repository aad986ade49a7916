"""Golden streams of NumPy's legacy RandomState (MT19937) for test/tensor/random.test.ts.

Run: python3 scripts/golden_random.py   (writes test/golden/random.json)
"""
import json
import pathlib
import numpy as np

cases = []
for seed in [0, 1, 42, 12345, 2**32 - 1]:
    def rs():
        return np.random.RandomState(seed)
    r = rs()
    uint32 = [int(v) for v in r.randint(0, 2**32, size=8, dtype=np.uint64)]
    # randint with dtype uint64 over the full 32-bit range consumes one raw 32-bit word per value.
    cases.append({
        'seed': seed,
        'uint32': uint32,
        'random_sample': [float(v) for v in rs().random_sample(8)],
        'standard_normal': [float(v) for v in rs().standard_normal(9)],
        'permutation_10': [int(v) for v in rs().permutation(10)],
        'permutation_1000_head': [int(v) for v in rs().permutation(1000)[:20]],
        'randint_0_7': [int(v) for v in rs().randint(0, 7, size=12)],
    })

out = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'golden' / 'random.json'
out.write_text(json.dumps({'numpy': np.__version__, 'cases': cases}, indent=1) + '\n')
print('wrote', out)
