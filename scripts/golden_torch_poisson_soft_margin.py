"""Golden vectors for PoissonNLLLoss and SoftMarginLoss, the two losses added through the loss registry.

Run: /usr/bin/python3 scripts/golden_torch_poisson_soft_margin.py   (no arguments; deterministic)
Writes test/golden/torch_poisson_soft_margin.json:
  "cases": values of torch.nn.functional.poisson_nll_loss (every log_input, full, eps, reduction) and
      soft_margin_loss (every reduction), in float32 and float64, with named edge cases; "grad_input"
      and "grad_target" are the gradients of value.sum() (torch autograd).
  "densities": the likelihoods behind them from SciPy: scipy.stats.poisson.pmf(y, rate) with
      rate = exp(y') (log_input) or y' + eps, and the logistic P(y | z) = expit(y z) for y = ±1.
Non-finite numbers are stored as the strings "Infinity", "-Infinity", "NaN" (goldenlib.enc).
"""
import json
import pathlib
import platform

import numpy as np
import scipy
import scipy.special
import scipy.stats
import torch
import torch.nn.functional as F
from goldenlib import enc

HERE = pathlib.Path(__file__).resolve().parent
GOLDEN = HERE.parent / 'test' / 'golden'
DTYPES = {'float32': torch.float32, 'float64': torch.float64}
REDUCTIONS = ['none', 'mean', 'sum']
INF = float('inf')
NAN = float('nan')


def flat(t):
    t = t.detach()
    return {'shape': list(t.shape), 'data': [enc(v) for v in t.reshape(-1).tolist()]}


def leaf(values, shape, dtype):
    return torch.tensor(np.asarray(values, dtype=np.float64).reshape(shape), dtype=dtype).requires_grad_(True)


def run_case(cases, name, loss, dtype, options, x, t):
    x = x.detach().clone().requires_grad_(True)
    # soft_margin_loss is not differentiable w.r.t. its target in PyTorch (it raises); poisson_nll_loss is
    t = t.detach().clone().requires_grad_(loss == 'poisson-nll')
    if loss == 'poisson-nll':
        out = F.poisson_nll_loss(x, t, log_input=options['logInput'], full=options['full'], eps=options['eps'], reduction=options['reduction'])
    else:
        out = F.soft_margin_loss(x, t, reduction=options['reduction'])
    inputs = [x, t] if t.requires_grad else [x]
    grads = torch.autograd.grad(out.sum(), inputs, allow_unused=True)
    gx, gt = grads[0], (grads[1] if len(grads) > 1 else None)
    case = {'name': name, 'loss': loss, 'dtype': dtype, 'options': options, 'input': flat(x), 'target': flat(t), 'value': flat(out), 'grad_input': flat(gx)}
    if gt is not None:
        case['grad_target'] = flat(gt)
    cases.append(case)


def poisson_cases(cases):
    rs = np.random.RandomState(20261204)
    log_rates = rs.standard_normal((4, 3))
    rates = rs.uniform(0.05, 6.0, (4, 3))
    # counts around 0, 1 (full's Stirling term applies only where y > 1) and larger, and a non-integer one
    counts = np.array([[0.0, 1.0, 2.0], [5.0, 3.0, 0.0], [1.0, 7.0, 2.5], [12.0, 4.0, 1.5]])
    for dtype, tdtype in DTYPES.items():
        for reduction in REDUCTIONS:
            for log_input in (True, False):
                for full in (False, True):
                    for eps in (1e-8, 0.1):
                        if log_input and eps != 1e-8:
                            continue  # eps is used only when log_input is False
                        options = {'reduction': reduction, 'logInput': log_input, 'full': full, 'eps': eps}
                        x = log_rates if log_input else rates
                        run_case(cases, f'poisson-nll log_input={log_input} full={full} eps={eps} {reduction} {dtype}', 'poisson-nll', dtype, options,
                                 leaf(x, (4, 3), tdtype), leaf(counts, (4, 3), tdtype))
            edges = {
                # name: (log_input, input, target, shape)
                'large log-rates': (True, [20.0, -20.0, 40.0, 100.0], [3.0, 0.0, 50.0, 1.0], (4,)),
                'zero rate': (False, [0.0, 0.0, 1e-12], [0.0, 2.0, 1.0], (3,)),
                'infinite inputs': (True, [INF, -INF, 1.0], [2.0, 0.0, INF], (3,)),
                'propagates NaNs': (True, [NAN, 0.5, 1.0], [1.0, NAN, 3.0], (3,)),
                'single element [1,1]': (True, [0.7], [2.0], (1, 1)),
                'scalar []': (False, 2.5, 4.0, ()),
                'empty [0,3]': (True, [], [], (0, 3)),
            }
            for edge, (log_input, xv, tv, shape) in edges.items():
                for full in (False, True):
                    options = {'reduction': reduction, 'logInput': log_input, 'full': full, 'eps': 1e-8}
                    run_case(cases, f'poisson-nll {edge} full={full} {reduction} {dtype}', 'poisson-nll', dtype, options, leaf(xv, shape, tdtype), leaf(tv, shape, tdtype))


def soft_margin_cases(cases):
    rs = np.random.RandomState(31)
    x = rs.standard_normal((4, 3)) * 3
    y = np.where(rs.uniform(size=(4, 3)) > 0.5, 1.0, -1.0)
    for dtype, tdtype in DTYPES.items():
        for reduction in REDUCTIONS:
            options = {'reduction': reduction}
            run_case(cases, f'soft-margin basic {reduction} {dtype}', 'soft-margin', dtype, options, leaf(x, (4, 3), tdtype), leaf(y, (4, 3), tdtype))
            edges = {
                # margins up to ±30: PyTorch's log1p(exp(-y x)) is exact there; beyond ~88 (float32) it overflows (see 'overflow' below)
                'large margins': ([30.0, -30.0, 15.0, -15.0], [1.0, 1.0, -1.0, -1.0], (4,)),
                'zero margin': ([0.0, 0.0], [1.0, -1.0], (2,)),
                'propagates NaNs': ([NAN, 0.5], [1.0, -1.0], (2,)),
                'single element [1,1]': ([0.4], [-1.0], (1, 1)),
                'empty [0,3]': ([], [], (0, 3)),
            }
            for edge, (xv, tv, shape) in edges.items():
                run_case(cases, f'soft-margin {edge} {reduction} {dtype}', 'soft-margin', dtype, options, leaf(xv, shape, tdtype), leaf(tv, shape, tdtype))
    # PyTorch computes log1p(exp(-y x)): for a margin -y x beyond the exponent range it returns inf (and a NaN gradient).
    # losslab computes softplus(-y x) without overflow; the test asserts the documented difference.
    overflow = []
    for dtype, tdtype in DTYPES.items():
        xv = [-100.0, 1000.0] if dtype == 'float32' else [-800.0, 1000.0]
        x_ = leaf(xv, (2,), tdtype)
        t_ = leaf([1.0, -1.0], (2,), tdtype).detach()
        out = F.soft_margin_loss(x_, t_, reduction='none')
        g, = torch.autograd.grad(out.sum(), [x_])
        overflow.append({'dtype': dtype, 'input': flat(x_), 'target': flat(t_), 'value': flat(out), 'grad_input': flat(g)})
    return overflow


def densities():
    out = []
    for y in (0.0, 1.0, 2.0, 5.0, 12.0):
        for x in (-2.0, 0.0, 0.7, 1.6, 2.5):
            out.append({'id': 'poisson-nll', 'y': y, 'yHat': x, 'params': {'logInput': True}, 'density': enc(scipy.stats.poisson.pmf(y, np.exp(x)))})
        for rate in (0.1, 1.0, 3.0, 8.0):
            out.append({'id': 'poisson-nll', 'y': y, 'yHat': rate, 'params': {'logInput': False}, 'density': enc(scipy.stats.poisson.pmf(y, rate + 1e-8))})
    for y in (-1.0, 1.0):
        for z in (-30.0, -2.0, 0.0, 0.7, 5.0, 30.0):
            out.append({'id': 'soft-margin', 'y': y, 'yHat': z, 'params': {}, 'density': enc(scipy.special.expit(y * z))})
    return out


def main():
    torch.manual_seed(0)
    cases = []
    poisson_cases(cases)
    overflow = soft_margin_cases(cases)
    versions = {'python': platform.python_version(), 'torch': torch.__version__, 'numpy': np.__version__, 'scipy': scipy.__version__}
    GOLDEN.mkdir(parents=True, exist_ok=True)
    out = GOLDEN / 'torch_poisson_soft_margin.json'
    out.write_text(json.dumps({'versions': versions, 'cases': cases, 'softMarginOverflow': overflow, 'densities': densities()}, separators=(',', ':')) + '\n')
    print('wrote', out, len(cases), 'cases')


if __name__ == '__main__':
    main()
