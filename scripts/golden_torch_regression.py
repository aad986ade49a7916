"""Golden vectors for losslab's regression and binary losses.

Run: python3 scripts/golden_torch_regression.py   (no arguments; deterministic)
Writes
  test/golden/torch_regression.json    values and gradients from torch.nn.functional:
      mse_loss, l1_loss, huber_loss, smooth_l1_loss, binary_cross_entropy_with_logits,
      gaussian_nll_loss, and d2l's l2 loss 0.5 * (y' - y) ** 2 through torch autograd,
      in float32 and float64, every reduction and option, with named edge cases.
      "grad_input" (and "grad_target", "grad_var") is the gradient of value.sum().
(The likelihoods' golden values, test/golden/scipy_likelihood.json, come from
scripts/golden_scipy_likelihood.py.)
Runs on torch 1.13 / scipy 1.10 / numpy 1.24 and on torch 2.x / numpy 2.x; a feature missing in
one version is recorded under "skipped" instead of failing. Non-finite numbers are stored as the
strings "Infinity", "-Infinity", "NaN".
"""
import json
import pathlib
import platform

import numpy as np
import scipy
import torch
import torch.nn.functional as F
from goldenlib import enc

HERE = pathlib.Path(__file__).resolve().parent
GOLDEN = HERE.parent / 'test' / 'golden'
DTYPES = {'float32': torch.float32, 'float64': torch.float64}
REDUCTIONS = ['none', 'mean', 'sum']
INF = float('inf')
NAN = float('nan')
skipped = []


def flat(t):
    """A tensor as {"shape": [...], "data": [flat row-major values]}."""
    t = t.detach()
    return {'shape': list(t.shape), 'data': [enc(v) for v in t.reshape(-1).tolist()]}


def leaf(values, shape, dtype, grad=True):
    return torch.tensor(np.asarray(values, dtype=np.float64).reshape(shape), dtype=dtype).requires_grad_(grad)


LOSSES = {
    'mse': lambda x, t, o: F.mse_loss(x, t, reduction=o['reduction']),
    'l2': lambda x, t, o: _reduce(0.5 * (x - t) ** 2, o['reduction']),
    'l1': lambda x, t, o: F.l1_loss(x, t, reduction=o['reduction']),
    'huber': lambda x, t, o: F.huber_loss(x, t, reduction=o['reduction'], delta=o['delta']),
    'smooth-l1': lambda x, t, o: F.smooth_l1_loss(x, t, reduction=o['reduction'], beta=o['beta']),
}


def _reduce(v, reduction):
    return v if reduction == 'none' else v.mean() if reduction == 'mean' else v.sum()


def run_case(cases, name, loss, dtype, options, x, t, extra=None, want_target_grad=True):
    """Evaluates one loss and records value and gradients of value.sum() (None where torch has none)."""
    extra = extra or {}
    x = x.detach().clone().requires_grad_(True)
    t = t.detach().clone().requires_grad_(want_target_grad)
    var = extra.get('var')
    if var is not None:
        var = var.detach().clone().requires_grad_(True)
    try:
        if loss == 'bce-with-logits':
            out = F.binary_cross_entropy_with_logits(x, t, weight=extra.get('weight'), pos_weight=extra.get('pos_weight'), reduction=options['reduction'])
        elif loss == 'gaussian-nll':
            out = F.gaussian_nll_loss(x, t, var, full=options['full'], eps=options['eps'], reduction=options['reduction'])
        else:
            out = LOSSES[loss](x, t, options)
        inputs = [x] + ([t] if want_target_grad else []) + ([var] if var is not None else [])
        grads = torch.autograd.grad(out.sum(), inputs, allow_unused=True)
    except (RuntimeError, ValueError, NotImplementedError) as e:  # record, never fail silently
        skipped.append({'case': name, 'reason': f'{type(e).__name__}: {e}'})
        return
    case = {'name': name, 'loss': loss, 'dtype': dtype, 'options': options, 'input': flat(x), 'target': flat(t), 'value': flat(out), 'grad_input': flat(grads[0])}
    if want_target_grad and grads[1] is not None:
        case['grad_target'] = flat(grads[1])
    for key in ('weight', 'pos_weight'):
        if extra.get(key) is not None:
            case[key] = flat(extra[key])
    if var is not None:
        case['var'] = flat(var)
        case['grad_var'] = flat(grads[-1])
    cases.append(case)


def regression_cases(cases):
    rs = np.random.RandomState(20260101)
    basic_x, basic_t = rs.standard_normal((4, 3)) * 2, rs.standard_normal((4, 3)) * 2
    edges = {
        # name: (input, target, shape)
        'basic': (basic_x, basic_t, (4, 3)),
        'large values': ([1e15, -3e14, 2e15, 7.5], [-1e15, 3e14, 1.5e15, -7.5], (2, 2)),
        'overflow': ([3e38, -3e38, 1e200, 1.0], [-3e38, 3e38, -1e200, 0.5], (4,)),
        'underflow': ([1e-200, -1e-30, 3e-170, 1e-45], [0.0, 0.0, -3e-170, 0.0], (4,)),
        'infinite inputs': ([INF, -INF, INF, 2.0, -1.0, INF], [0.0, 0.0, INF, INF, -INF, -INF], (6,)),
        'propagates NaNs': ([NAN, 1.0, 0.5, NAN], [0.0, NAN, 0.25, NAN], (2, 2)),
        'zero residual': ([0.0, 1.5, -2.0], [0.0, 1.5, -2.0], (3,)),
        'single element [1,1]': ([0.7], [-1.3], (1, 1)),
        'scalar []': (2.5, 0.75, ()),
        'empty [0]': ([], [], (0,)),
        'empty [0,3]': ([], [], (0, 3)),
    }
    params = {'mse': [{}], 'l2': [{}], 'l1': [{}],
              'huber': [{'delta': d} for d in (1.0, 0.5, 2.5, 1e-8, 1e8)],
              'smooth-l1': [{'beta': b} for b in (1.0, 0.0, 0.3, 3.0, 1e-8, 1e8)]}
    for loss, plist in params.items():
        for dtype, tdtype in DTYPES.items():
            for reduction in REDUCTIONS:
                for p in plist:
                    options = dict(p, reduction=reduction)
                    label = ','.join(f'{k}={v}' for k, v in p.items())
                    for edge, (xv, tv, shape) in edges.items():
                        if edge != 'basic' and label not in ('', 'delta=1.0', 'beta=1.0', 'beta=0.0', 'delta=1e-08', 'beta=1e-08'):
                            continue
                        x, t = leaf(xv, shape, tdtype), leaf(tv, shape, tdtype)
                        run_case(cases, f'{loss} {label} {edge} {reduction} {dtype}', loss, dtype, options, x, t)
                    # residuals straddling the threshold exactly: |d| = delta / beta
                    thr = p.get('delta', p.get('beta'))
                    if thr is not None and 0 < thr < 10:
                        xv = [thr, -thr, thr * 0.999, -thr * 1.001, 0.0]
                        x, t = leaf(xv, (5,), tdtype), leaf([0.0] * 5, (5,), tdtype)
                        run_case(cases, f'{loss} {label} at the threshold {reduction} {dtype}', loss, dtype, options, x, t)


def bce_cases(cases):
    rs = np.random.RandomState(7)
    x = rs.standard_normal((4, 3)) * 3
    hard = (rs.uniform(size=(4, 3)) > 0.5).astype(np.float64)
    soft = rs.uniform(size=(4, 3))
    weights = {'none': None, 'weight [4,3]': rs.uniform(0.5, 2, (4, 3)), 'weight [4,1]': rs.uniform(0.5, 2, (4, 1)),
               'weight [3]': rs.uniform(0.5, 2, (3,)), 'weight []': np.array(1.7)}
    pos_weights = {'none': None, 'posWeight [3]': np.array([0.5, 2.0, 4.0]), 'posWeight [1,3]': np.array([[3.0, 1.0, 0.25]]),
                   'posWeight [4,3]': rs.uniform(0.5, 3, (4, 3)), 'posWeight []': np.array(2.5)}
    for dtype, tdtype in DTYPES.items():
        for reduction in REDUCTIONS:
            for tname, tv in (('hard targets', hard), ('soft targets', soft)):
                for wname, w in weights.items():
                    for pname, pw in pos_weights.items():
                        if wname != 'none' and pname not in ('none', 'posWeight [3]'):
                            continue
                        extra = {'weight': None if w is None else torch.tensor(w, dtype=tdtype),
                                 'pos_weight': None if pw is None else torch.tensor(pw, dtype=tdtype)}
                        run_case(cases, f'bce {tname} {wname} {pname} {reduction} {dtype}', 'bce-with-logits', dtype,
                                 {'reduction': reduction}, leaf(x, (4, 3), tdtype), leaf(tv, (4, 3), tdtype), extra)
            edges = {
                'large logits': ([50.0, -50.0, 1e4, -1e4, 30.0, -30.0], [1.0, 0.0, 0.0, 1.0, 0.5, 0.5], (2, 3)),
                'infinite logits': ([INF, -INF, INF, -INF, INF, -INF], [1.0, 1.0, 0.0, 0.0, 0.5, 0.5], (2, 3)),
                'propagates NaNs': ([NAN, 0.3, -1.2], [1.0, NAN, 0.0], (3,)),
                'single element [1,1]': ([0.4], [1.0], (1, 1)),
                'empty [0,3]': ([], [], (0, 3)),
            }
            for edge, (xv, tv, shape) in edges.items():
                for pname in ('none', 'posWeight [3]'):
                    if pname != 'none' and (len(shape) == 0 or shape[-1] != 3):
                        continue
                    extra = {'pos_weight': None if pname == 'none' else torch.tensor([0.5, 2.0, 4.0], dtype=tdtype)}
                    # PyTorch 1.13's target gradient is log(1 - sigmoid(x)), -inf for large x: compare targets only on moderate logits.
                    moderate = bool(np.all(np.abs(np.asarray(xv, dtype=np.float64)) < 10))
                    run_case(cases, f'bce {edge} {pname} {reduction} {dtype}', 'bce-with-logits', dtype, {'reduction': reduction},
                             leaf(xv, shape, tdtype), leaf(tv, shape, tdtype), extra, want_target_grad=moderate)


def gaussian_cases(cases):
    rs = np.random.RandomState(11)
    x, t = rs.standard_normal((4, 3)), rs.standard_normal((4, 3))
    variances = {'var [4,3]': rs.uniform(0.2, 3, (4, 3)), 'var [4] (homoscedastic)': rs.uniform(0.2, 3, (4,)),
                 'var [4,1] (homoscedastic)': rs.uniform(0.2, 3, (4, 1)),
                 'var below eps': np.array([[1e-9, 0.0, 0.5], [2.0, 1e-7, 3.0], [0.05, 0.5, 1.5], [1.0, 1.0, 1.0]])}
    for dtype, tdtype in DTYPES.items():
        for reduction in REDUCTIONS:
            for full in (False, True):
                for eps in (1e-6, 0.1):
                    for vname, v in variances.items():
                        options = {'reduction': reduction, 'full': full, 'eps': eps}
                        run_case(cases, f'gaussian-nll {vname} full={full} eps={eps} {reduction} {dtype}', 'gaussian-nll', dtype, options,
                                 leaf(x, (4, 3), tdtype), leaf(t, (4, 3), tdtype), {'var': torch.tensor(v, dtype=tdtype)})
            options = {'reduction': reduction, 'full': False, 'eps': 1e-6}
            edges = {
                'large values': ([1e10, -2e10, 3.0], [-1e10, 2e10, 3.0], [1e3, 1e20, 1e-3], (3,)),
                'infinite inputs': ([INF, -INF, 1.0], [0.0, 0.0, INF], [1.0, 2.0, 1.0], (3,)),
                'propagates NaNs': ([NAN, 1.0, 0.5], [0.0, NAN, 0.25], [1.0, 1.0, NAN], (3,)),
                'single element [1,1]': ([0.7], [-1.3], [0.4], (1, 1)),
                'var [] for input [3] (homoscedastic)': ([0.5, -0.5, 2.0], [0.0, 0.0, 0.0], 0.8, (3,)),
                'empty [0,3]': ([], [], [], (0, 3)),
            }
            for edge, (xv, tv, vv, shape) in edges.items():
                vshape = () if not isinstance(vv, list) else shape
                run_case(cases, f'gaussian-nll {edge} {reduction} {dtype}', 'gaussian-nll', dtype, options,
                         leaf(xv, shape, tdtype), leaf(tv, shape, tdtype), {'var': leaf(vv, vshape, tdtype, grad=False)})


def versions():
    return {'python': platform.python_version(), 'torch': torch.__version__, 'numpy': np.__version__, 'scipy': scipy.__version__}


def main():
    torch.manual_seed(0)
    cases = []
    regression_cases(cases)
    bce_cases(cases)
    gaussian_cases(cases)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    out = GOLDEN / 'torch_regression.json'
    out.write_text(json.dumps({'versions': versions(), 'skipped': skipped, 'cases': cases}, separators=(',', ':')) + '\n')
    print('wrote', out, len(cases), 'cases,', len(skipped), 'skipped')


if __name__ == '__main__':
    main()
