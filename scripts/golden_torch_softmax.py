"""Golden vectors from PyTorch for the softmax family and the classification losses.

Run: python3 scripts/golden_torch_softmax.py   (writes test/golden/torch_softmax.json)

Each case records the function, dtype, input (flat, with its shape), target / weight when the
function takes them, the options (losslab names), and what PyTorch computes:
  value  - the function's output (flat, with valueShape)
  grad   - d sum(value) / d input
  vjp    - d sum(value * gradOutput) / d input for a fixed random gradOutput (softmax's grad of
           sum(value) is ~0, so this is the real test of its backward)
Non-finite numbers are the strings "Infinity", "-Infinity", "NaN". Deterministic (fixed seeds),
and runs on PyTorch 1.13 and 2.x; anything an old version lacks is listed under "skipped".
"""
import json
import math
import pathlib
import platform
import sys

import numpy as np
import torch
import torch.nn.functional as F
from goldenlib import enc

DTYPES = {'float32': torch.float32, 'float64': torch.float64}
rs = np.random.RandomState(20241125)
cases = []
skipped = []


def flat(t):
    return [enc(v) for v in t.detach().reshape(-1).tolist()]


def as_tensor(values, dtype):
    return torch.tensor(np.asarray(values, dtype=np.float64), dtype=DTYPES[dtype])


def add(name, fn, dtype, x, call, options, target=None, weight=None):
    """Runs `call(x)` in PyTorch and records value, grad of the sum and a vector-Jacobian product."""
    x = x.clone().detach().requires_grad_(True)
    value = call(x)
    (grad,) = torch.autograd.grad(value.sum(), x, allow_unused=True, retain_graph=True)
    g_out = torch.tensor(rs.uniform(-1, 1, size=tuple(value.shape)), dtype=value.dtype)
    (vjp,) = torch.autograd.grad((value * g_out).sum(), x, allow_unused=True)
    if grad is None:
        grad = torch.zeros_like(x)
    if vjp is None:
        vjp = torch.zeros_like(x)
    case = {
        'name': name,
        'fn': fn,
        'dtype': dtype,
        'input': flat(x),
        'shape': list(x.shape),
        'options': options,
        'value': flat(value),
        'valueShape': list(value.shape),
        'grad': flat(grad),
        'gradOutput': flat(g_out),
        'vjp': flat(vjp),
    }
    if target is not None:
        case['target'] = [enc(v) if target.is_floating_point() else int(v) for v in target.reshape(-1).tolist()]
        case['targetShape'] = list(target.shape)
        case['targetKind'] = 'probabilities' if target.is_floating_point() else 'indices'
    if weight is not None:
        case['weight'] = flat(weight)
    cases.append(case)


def edge_inputs(dtype):
    big = float(torch.finfo(DTYPES[dtype]).max)
    inf, nan = float('inf'), float('nan')
    return {
        'overflow': [[big, big / 2, -big], [1000.0, 1000.0, 1000.0]],
        'underflow': [[-1000.0, -1001.0, -1002.0], [-big, -big, -big]],
        'Huge difference between probabilities': [[-1000.0, 1000.0, 0.0], [1e4, -1e4, 1e4]],
        'Propagates NaNs': [[1.0, nan, 2.0], [1.0, 2.0, 3.0]],
        'masked rows': [[0.0, -inf, 1.0], [-inf, -inf, -inf]],
        'positive infinity': [[inf, 1.0, 2.0], [0.5, -0.5, 0.25]],
    }


# ---- softmax, log_softmax, logsumexp --------------------------------------------------------------
for dtype in DTYPES:
    shapes = {(5,): [0, -1], (3, 4): [0, 1, -1, -2], (2, 3, 4): [0, 1, 2, -1, -2, -3]}
    for shape, dims in shapes.items():
        x = as_tensor(rs.normal(0, 3, size=shape), dtype)
        for dim in dims:
            add(f'softmax {list(shape)} dim {dim}', 'softmax', dtype, x, lambda t, d=dim: torch.softmax(t, d), {'dim': dim})
            add(f'logSoftmax {list(shape)} dim {dim}', 'logSoftmax', dtype, x, lambda t, d=dim: torch.log_softmax(t, d), {'dim': dim})
            for keep in (False, True):
                add(f'logSumExp {list(shape)} dim {dim} keepDim {keep}', 'logSumExp', dtype, x,
                    lambda t, d=dim, k=keep: torch.logsumexp(t, d, keepdim=k), {'dim': dim, 'keepDim': keep})
    x = as_tensor(rs.normal(0, 3, size=(3, 4)), dtype)
    for temperature in (0.5, 2.0, 10.0):
        add(f'softmax temperature {temperature}', 'softmax', dtype, x, lambda t, T=temperature: torch.softmax(t / T, -1),
            {'dim': -1, 'temperature': temperature})
        add(f'logSoftmax temperature {temperature}', 'logSoftmax', dtype, x, lambda t, T=temperature: torch.log_softmax(t / T, 0),
            {'dim': 0, 'temperature': temperature})
    for name, values in edge_inputs(dtype).items():
        x = as_tensor(values, dtype)
        add(f'{name}: softmax', 'softmax', dtype, x, lambda t: torch.softmax(t, -1), {'dim': -1})
        add(f'{name}: logSoftmax', 'logSoftmax', dtype, x, lambda t: torch.log_softmax(t, -1), {'dim': -1})
        add(f'{name}: logSumExp', 'logSumExp', dtype, x, lambda t: torch.logsumexp(t, -1), {'dim': -1, 'keepDim': False})
        n = x.shape[0]
        target = torch.tensor([1, 0][:n], dtype=torch.long)
        add(f'{name}: crossEntropy', 'crossEntropy', dtype, x,
            lambda t, y=target: F.cross_entropy(t, y, reduction='none'), {'reduction': 'none'}, target=target)
    for size in ((1, 1), (0, 4)):
        x = as_tensor(rs.normal(size=size), dtype)
        label = 'a [1,1] input' if size == (1, 1) else 'empty batch'
        add(f'{label}: softmax', 'softmax', dtype, x, lambda t: torch.softmax(t, -1), {'dim': -1})
        add(f'{label}: logSoftmax', 'logSoftmax', dtype, x, lambda t: torch.log_softmax(t, -1), {'dim': -1})
        add(f'{label}: logSumExp', 'logSumExp', dtype, x, lambda t: torch.logsumexp(t, -1), {'dim': -1, 'keepDim': False})


# ---- cross_entropy -----------------------------------------------------------------------------------
def ce_case(name, dtype, x, target, weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0):
    options = {'reduction': reduction}
    if ignore_index != -100:
        options['ignoreIndex'] = ignore_index
    if label_smoothing:
        options['labelSmoothing'] = label_smoothing

    def call(t):
        return F.cross_entropy(t, target, weight=weight, ignore_index=ignore_index, reduction=reduction,
                               label_smoothing=label_smoothing)

    try:
        add(name, 'crossEntropy', dtype, x, call, options, target=target, weight=weight)
    except (TypeError, RuntimeError) as error:  # label_smoothing / prob targets need PyTorch >= 1.10
        skipped.append({'name': name, 'dtype': dtype, 'reason': str(error).splitlines()[0]})


def nll_case(name, dtype, x, target, weight=None, ignore_index=-100, reduction='mean'):
    options = {'reduction': reduction}
    if ignore_index != -100:
        options['ignoreIndex'] = ignore_index
    add(name, 'nllLoss', dtype, x,
        lambda t: F.nll_loss(t, target, weight=weight, ignore_index=ignore_index, reduction=reduction),
        options, target=target, weight=weight)


for dtype in DTYPES:
    N, C = 6, 5
    x = as_tensor(rs.normal(0, 2, size=(N, C)), dtype)
    y = torch.tensor(rs.randint(0, C, size=N), dtype=torch.long)
    y_ign = y.clone()
    y_ign[1] = -100
    y_ign[4] = -100
    y_ign2 = y.clone()
    y_ign2[0] = 2
    y_ign2[3] = 2
    w = as_tensor(rs.uniform(0.2, 2.0, size=C), dtype)
    probs = torch.softmax(as_tensor(rs.normal(size=(N, C)), dtype), -1)
    for reduction in ('none', 'mean', 'sum'):
        ce_case(f'crossEntropy [N,C] {reduction}', dtype, x, y, reduction=reduction)
        ce_case(f'crossEntropy weight {reduction}', dtype, x, y, weight=w, reduction=reduction)
        ce_case(f'crossEntropy ignoreIndex -100 {reduction}', dtype, x, y_ign, reduction=reduction)
        ce_case(f'crossEntropy ignoreIndex 2 weight {reduction}', dtype, x, y_ign2, weight=w, ignore_index=2, reduction=reduction)
        ce_case(f'crossEntropy labelSmoothing 0.1 {reduction}', dtype, x, y, reduction=reduction, label_smoothing=0.1)
        ce_case(f'crossEntropy labelSmoothing 0.3 weight ignore {reduction}', dtype, x, y_ign, weight=w,
                reduction=reduction, label_smoothing=0.3)
        ce_case(f'crossEntropy probabilities {reduction}', dtype, x, probs, reduction=reduction)
        ce_case(f'crossEntropy probabilities weight labelSmoothing 0.2 {reduction}', dtype, x, probs, weight=w,
                reduction=reduction, label_smoothing=0.2)
        # [C] input with a 0-d target, and [N,C,d1,d2] inputs.
        ce_case(f'crossEntropy [C] {reduction}', dtype, x[0], y[0], reduction=reduction)
        ce_case(f'crossEntropy [C] probabilities {reduction}', dtype, x[0], probs[0], reduction=reduction)
        x4 = as_tensor(rs.normal(0, 2, size=(2, 3, 2, 2)), dtype)
        y4 = torch.tensor(rs.randint(0, 3, size=(2, 2, 2)), dtype=torch.long)
        y4[0, 1, 0] = -100
        w3 = as_tensor(rs.uniform(0.2, 2.0, size=3), dtype)
        p4 = torch.softmax(as_tensor(rs.normal(size=(2, 3, 2, 2)), dtype), 1)
        ce_case(f'crossEntropy [N,C,d1,d2] {reduction}', dtype, x4, y4, reduction=reduction)
        ce_case(f'crossEntropy [N,C,d1,d2] weight labelSmoothing 0.1 {reduction}', dtype, x4, y4, weight=w3,
                reduction=reduction, label_smoothing=0.1)
        ce_case(f'crossEntropy [N,C,d1,d2] probabilities weight {reduction}', dtype, x4, p4, weight=w3, reduction=reduction)
        # edge cases
        all_ignored = torch.full((N,), -100, dtype=torch.long)
        ce_case(f'all targets ignored: crossEntropy {reduction}', dtype, x, all_ignored, reduction=reduction)
        ce_case(f'all targets ignored: crossEntropy weight {reduction}', dtype, x, all_ignored, weight=w, reduction=reduction)
        ce_case(f'all targets ignored: crossEntropy labelSmoothing {reduction}', dtype, x, all_ignored,
                reduction=reduction, label_smoothing=0.1)
        ce_case(f'a [1,1] input: crossEntropy {reduction}', dtype, as_tensor([[0.7]], dtype), torch.tensor([0]), reduction=reduction)
        ce_case(f'empty batch: crossEntropy {reduction}', dtype, as_tensor(np.zeros((0, C)), dtype),
                torch.zeros(0, dtype=torch.long), reduction=reduction)
        ce_case(f'empty batch: crossEntropy probabilities {reduction}', dtype, as_tensor(np.zeros((0, C)), dtype),
                as_tensor(np.zeros((0, C)), dtype), reduction=reduction)

        # nll_loss on log-probabilities (any real input is allowed)
        lp = torch.log_softmax(x, -1).detach()
        nll_case(f'nllLoss {reduction}', dtype, lp, y, reduction=reduction)
        nll_case(f'nllLoss weight ignoreIndex {reduction}', dtype, lp, y_ign, weight=w, reduction=reduction)
        nll_case(f'nllLoss ignoreIndex 2 {reduction}', dtype, x, y_ign2, ignore_index=2, reduction=reduction)
        nll_case(f'nllLoss [C] {reduction}', dtype, x[0], y[0], weight=w, reduction=reduction)
        nll_case(f'nllLoss [N,C,d1,d2] weight {reduction}', dtype, x4, y4, weight=w3, reduction=reduction)
        nll_case(f'all targets ignored: nllLoss {reduction}', dtype, lp, all_ignored, reduction=reduction)
        nll_case(f'empty batch: nllLoss {reduction}', dtype, as_tensor(np.zeros((0, C)), dtype),
                 torch.zeros(0, dtype=torch.long), reduction=reduction)

    # ---- kl_div ---------------------------------------------------------------------------------------
    lq = torch.log_softmax(as_tensor(rs.normal(size=(4, 5)), dtype), -1)
    p = torch.softmax(as_tensor(rs.normal(size=(4, 5)), dtype), -1)
    p_zero = p.clone()
    p_zero[0, 1] = 0.0
    p_zero[2, 3] = 0.0
    lq3 = torch.log_softmax(as_tensor(rs.normal(size=(2, 3, 2)), dtype), 1)
    lp3 = torch.log_softmax(as_tensor(rs.normal(size=(2, 3, 2)), dtype), 1)
    for reduction in ('none', 'mean', 'batchmean', 'sum'):
        for log_target in (False, True):
            tgt = p.log() if log_target else p
            add(f'klDiv logTarget {log_target} {reduction}', 'klDiv', dtype, lq,
                lambda t, g=tgt, r=reduction, l=log_target: F.kl_div(t, g, reduction=r, log_target=l),
                {'reduction': reduction, 'logTarget': log_target}, target=tgt)
        add(f'klDiv zero probabilities {reduction}', 'klDiv', dtype, lq,
            lambda t, r=reduction: F.kl_div(t, p_zero, reduction=r), {'reduction': reduction, 'logTarget': False}, target=p_zero)
        add(f'klDiv [N,C,d] logTarget {reduction}', 'klDiv', dtype, lq3,
            lambda t, r=reduction: F.kl_div(t, lp3, reduction=r, log_target=True), {'reduction': reduction, 'logTarget': True}, target=lp3)


out = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'golden' / 'torch_softmax.json'
out.write_text(json.dumps({
    'torch': torch.__version__,
    'numpy': np.__version__,
    'python': platform.python_version(),
    'skipped': skipped,
    'cases': cases,
}, separators=(',', ':'), allow_nan=False) + '\n')
print('wrote', out, len(cases), 'cases,', len(skipped), 'skipped', file=sys.stderr)
