"""Golden data from torch.optim: optimizer trajectories and learning-rate schedules.

Run: /usr/bin/python3 scripts/golden_torch_optim.py   (writes test/golden/torch_optim.json)

Optimizer cases: two parameter tensors in two parameter groups (the second with its own lr), a
fixed gradient per step (given, not computed), 5 steps; the parameters after each step, float64
and float32. Scheduler cases: the lr of each group for 15 epochs.
"""
import json
import math
import pathlib

import numpy as np
import torch
from goldenlib import enc

rs = np.random.RandomState(7)
DT = {'float32': torch.float32, 'float64': torch.float64}
STEPS = 5
p0 = [rs.uniform(-1, 1, size=(2, 3)), rs.uniform(-1, 1, size=(4,))]
grads = [[rs.uniform(-1, 1, size=p.shape) for p in p0] for _ in range(STEPS)]


def flat(t):
    return [enc(v) for v in t.detach().reshape(-1).tolist()]


configs = [
    ('SGD plain', 'SGD', {'lr': 0.1}),
    ('SGD momentum 0.9, dampening 0.1, weight decay 0.01', 'SGD', {'lr': 0.05, 'momentum': 0.9, 'dampening': 0.1, 'weight_decay': 0.01}),
    ('SGD Nesterov', 'SGD', {'lr': 0.05, 'momentum': 0.8, 'nesterov': True}),
    ('SGD maximize', 'SGD', {'lr': 0.1, 'momentum': 0.5, 'maximize': True}),
    ('Adam defaults', 'Adam', {'lr': 0.01}),
    ('Adam betas, eps, weight decay', 'Adam', {'lr': 0.02, 'betas': (0.8, 0.99), 'eps': 1e-6, 'weight_decay': 0.1}),
    ('Adam amsgrad', 'Adam', {'lr': 0.01, 'amsgrad': True}),
    ('AdamW defaults (weight decay 0.01)', 'AdamW', {'lr': 0.01}),
    ('AdamW weight decay 0.1, amsgrad', 'AdamW', {'lr': 0.02, 'weight_decay': 0.1, 'amsgrad': True}),
]
names = {'weight_decay': 'weightDecay'}
optim_cases = []
for dt in ('float32', 'float64'):
    for title, kind, kw in configs:
        params = [torch.tensor(p, dtype=DT[dt], requires_grad=True) for p in p0]
        opt = getattr(torch.optim, kind)([{'params': [params[0]]}, {'params': [params[1]], 'lr': kw['lr'] * 0.5}], **kw)
        traj = []
        for s in range(STEPS):
            for p, g in zip(params, grads[s]):
                p.grad = torch.tensor(g, dtype=DT[dt])
            opt.step()
            traj.append([flat(p) for p in params])
        options = {names.get(k, k): (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()}
        optim_cases.append({'name': title, 'kind': kind, 'dtype': dt, 'options': options, 'secondGroupLr': kw['lr'] * 0.5,
                            'initial': [flat(torch.tensor(p)) for p in p0], 'shapes': [list(p.shape) for p in p0],
                            'grads': [[flat(torch.tensor(g)) for g in gs] for gs in grads], 'trajectory': traj})

sched_cases = []
for title, make, spec in [
    ('StepLR step 3, gamma 0.5', lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.5), {'kind': 'StepLR', 'stepSize': 3, 'gamma': 0.5}),
    ('CosineAnnealingLR TMax 5, etaMin 0.01 (15 epochs: down, up, down)', lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 5, 0.01), {'kind': 'CosineAnnealingLR', 'tMax': 5, 'etaMin': 0.01}),
    ('LambdaLR 0.9^epoch', lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda e: 0.9 ** e), {'kind': 'LambdaLR', 'base': 0.9}),
]:
    w = torch.zeros(2, requires_grad=True)
    v = torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([{'params': [w]}, {'params': [v], 'lr': 0.3}], lr=0.1)
    sched = make(opt)
    lrs = [[g['lr'] for g in opt.param_groups]]
    for _ in range(15):
        opt.step()
        sched.step()
        lrs.append([g['lr'] for g in opt.param_groups])
    sched_cases.append({'name': title, **spec, 'lrs': lrs})

out = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'golden' / 'torch_optim.json'
out.write_text(json.dumps({'torch': torch.__version__, 'optimizers': optim_cases, 'schedulers': sched_cases}, separators=(',', ':')))
print(f'wrote {out} ({len(optim_cases)} optimizer cases, {len(sched_cases)} schedules)')
