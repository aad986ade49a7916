"""Golden data from PyTorch for losslab's tensor operations, nn functional forms and nn modules.

Run: /usr/bin/python3 scripts/golden_torch_nn.py   (writes test/golden/torch_nn.json)

Every case runs in float32 and float64 and records:
  inputs     - each input: shape, dtype, values (flat), and whether it requires grad
  options    - the losslab options of the call (the test maps `fn` to the losslab function)
  outputs    - each output (flat, with its shape); index outputs are int32
  gradOutput - a fixed random gradient for the first output
  grads      - d sum(output * gradOutput) / d input for every input that requires grad
Module cases also record the module's constructor options, its state dict (so losslab loads
PyTorch's initial weights), and the gradients of every parameter. BatchNorm cases run several
training steps and record the running statistics and the evaluation-mode output.
Double-backward cases record d/dx of |grad|^2 (the IRM penalty's shape). Deterministic (fixed seeds).
"""
import json
import math
import pathlib
import platform

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from goldenlib import enc

DT = {'float32': torch.float32, 'float64': torch.float64}
rs = np.random.RandomState(20241204)
cases = []


def flat(t):
    t = t.detach()
    if t.dtype in (torch.int64, torch.int32, torch.bool):
        return [int(v) for v in t.reshape(-1).tolist()]
    if t.dtype == torch.float32:
        # 9 significant digits round-trip a float32 exactly (and keep the file small)
        return [v if isinstance(v, str) else float('%.9g' % v) for v in (enc(x) for x in t.reshape(-1).tolist())]
    return [enc(v) for v in t.reshape(-1).tolist()]


def summary(t, samples=32):
    """Large gradients: sum, sum of squares and evenly spaced samples (index, value)."""
    v = t.detach().reshape(-1)
    step = max(1, v.numel() // samples)
    picks = list(range(0, v.numel(), step))[:samples]
    return {'sum': enc(v.double().sum().item()), 'sumSq': enc((v.double() ** 2).sum().item()), 'samples': [[i, enc(v[i].item())] for i in picks]}


def formula_init(m):
    """Deterministic weights both sides can compute (no RNG): w[i] = s·sin(1.3·i + 0.7·t) for the t-th tensor."""
    with torch.no_grad():
        for t, (name, p) in enumerate(m.named_parameters()):
            n = p.numel()
            s = 1 / math.sqrt(n / p.shape[0]) if p.dim() > 1 else 0.1
            i = torch.arange(n, dtype=torch.float64)
            p.copy_((s * torch.sin(1.3 * i + 0.7 * t)).reshape(p.shape))


def rand(shape, low=-2.0, high=2.0):
    return rs.uniform(low, high, size=shape)


class In:
    """An input: float values (cast to the case dtype), or int indices (int32 in losslab)."""

    def __init__(self, values, grad=True, integer=False):
        self.values = np.asarray(values)
        self.grad = grad and not integer
        self.integer = integer


def add_case(name, fn, inputs, call, options=None, dtypes=('float32', 'float64'), multi=False):
    for dt in dtypes:
        ts = []
        for i in inputs:
            if i.integer:
                ts.append(torch.tensor(i.values, dtype=torch.int64))
            else:
                ts.append(torch.tensor(i.values, dtype=DT[dt]).requires_grad_(i.grad))
        out = call(*ts)
        outs = list(out) if multi else [out]
        first = outs[0]
        g_out = torch.tensor(rs.uniform(-1, 1, size=tuple(first.shape)), dtype=first.dtype)
        wanted = [t for t, i in zip(ts, inputs) if i.grad]
        grads = torch.autograd.grad((first * g_out).sum(), wanted, allow_unused=True) if wanted and first.requires_grad else []
        it = iter(grads)
        case = {
            'name': name,
            'fn': fn,
            'dtype': dt,
            'options': options or {},
            'inputs': [{'shape': list(t.shape), 'dtype': 'int32' if i.integer else dt, 'values': flat(t), 'requiresGrad': i.grad} for t, i in zip(ts, inputs)],
            'outputs': [{'shape': list(o.shape), 'values': flat(o)} for o in outs],
            'gradOutput': flat(g_out),
            'grads': [None if not i.grad else (lambda g: None if g is None else flat(g))(next(it)) for i in inputs] if grads else [None for _ in inputs],
        }
        cases.append(case)


def idx(values):
    return In(values, integer=True)


# ---------------------------------------------------------------- tensor operations
A, B = rand((3, 1, 4)), rand((2, 1))
for op, f in [('add', torch.add), ('sub', torch.sub), ('mul', torch.mul), ('div', torch.div)]:
    other = B if op != 'div' else rand((2, 1), 0.5, 2.0)
    add_case(f'{op} with broadcasting [3,1,4] and [2,1]', op, [In(A), In(other)], f)
add_case('mul by a number', 'mul', [In(A)], lambda a: a * 2.5, {'other': 2.5})
add_case('sub from a number', 'rsub', [In(A)], lambda a: 1.5 - a, {'input': 1.5})
pos = rand((2, 5), 0.2, 3.0)
for p in [2.5, -1.0, 0.0, 3.0]:
    add_case(f'pow(x, {p})', 'pow', [In(pos)], lambda a, p=p: torch.pow(a, p), {'exponent': p})
add_case('pow(x, y) with tensors', 'pow', [In(pos), In(rand((5,), -1.5, 1.5))], torch.pow)
x0 = rand((3, 4))
x0[0, 0] = 0.0
x0[1, 1] = 0.5
for op, f, data in [
    ('neg', torch.neg, x0), ('exp', torch.exp, x0), ('log', torch.log, pos), ('log1p', torch.log1p, pos), ('sqrt', torch.sqrt, pos),
    ('rsqrt', torch.rsqrt, pos), ('abs', torch.abs, x0), ('sigmoid', torch.sigmoid, x0), ('tanh', torch.tanh, x0), ('erf', torch.erf, x0),
    ('relu', torch.relu, x0),
]:
    add_case(f'{op} (zero included where it matters)', op, [In(data)], f)
edge = np.array([1.5, -2.0, 0.0, -0.0, np.inf, -np.inf, np.nan, 1e-40])
add_case('relu of ±0, ±inf, NaN and a subnormal', 'relu', [In(edge)], torch.relu)
add_case('leakyRelu slope 0.2', 'leakyRelu', [In(x0)], lambda a: F.leaky_relu(a, 0.2), {'negativeSlope': 0.2})
add_case('clamp to [-0.5, 0.5] (0.5 on the bound)', 'clamp', [In(x0)], lambda a: torch.clamp(a, -0.5, 0.5), {'min': -0.5, 'max': 0.5})
add_case('clamp with min only', 'clamp', [In(x0)], lambda a: torch.clamp(a, min=0.1), {'min': 0.1})
cond = (rs.uniform(size=(3, 1)) > 0.5).astype(np.int64)
add_case('where with broadcasting', 'where', [idx(cond), In(rand((3, 4))), In(rand((4,)))], lambda c, a, b: torch.where(c.bool(), a, b))

X = rand((2, 3, 4))
for dims, keep in [(None, False), (1, False), ((0, 2), True), (-1, True)]:
    o = {'dim': list(dims) if isinstance(dims, tuple) else dims, 'keepDim': keep}
    add_case(f'sum over {dims} keepDim={keep}', 'sum', [In(X)], lambda a, d=dims, k=keep: a.sum() if d is None else a.sum(d, keepdim=k), o)
    add_case(f'mean over {dims} keepDim={keep}', 'mean', [In(X)], lambda a, d=dims, k=keep: a.mean() if d is None else a.mean(d, keepdim=k), o)
for dims, corr in [(None, 1), (1, 1), ((0, 2), 0), (2, 0)]:
    o = {'dim': list(dims) if isinstance(dims, tuple) else dims, 'correction': corr}
    add_case(f'var over {dims} correction {corr}', 'variance', [In(X)], lambda a, d=dims, c=corr: torch.var(a, dim=d, unbiased=bool(c)), o)
    add_case(f'std over {dims} correction {corr}', 'std', [In(X)], lambda a, d=dims, c=corr: torch.std(a, dim=d, unbiased=bool(c)), o)
Xt = rand((3, 5))
Xt[1, 3] = Xt[1, 1]  # a tie
add_case('max along dim 1 (values, indices)', 'maxDim', [In(Xt)], lambda a: torch.max(a, 1), {'dim': 1}, multi=True)
add_case('min along dim 0 keepDim', 'minDim', [In(Xt)], lambda a: torch.min(a, 0, keepdim=True), {'dim': 0, 'keepDim': True}, multi=True)
tie = np.array([[1.0, 3.0, 3.0], [0.5, 3.0, -1.0]])
add_case('max of all elements with a 3-way tie (gradient shared)', 'max', [In(tie)], torch.max)
add_case('amax along dim -1', 'amax', [In(Xt)], lambda a: torch.amax(a, -1), {'dim': -1})

add_case('reshape [2,3,4] to [4,-1]', 'reshape', [In(X)], lambda a: a.reshape(4, -1), {'shape': [4, -1]})
add_case('flatten dims 1..2', 'flatten', [In(X)], lambda a: torch.flatten(a, 1), {'startDim': 1})
add_case('permute [2,0,1]', 'permute', [In(X)], lambda a: a.permute(2, 0, 1), {'dims': [2, 0, 1]})
add_case('transpose 0 and 2', 'transpose', [In(X)], lambda a: a.transpose(0, 2), {'dim0': 0, 'dim1': 2})
add_case('broadcastTo [2,3,2,4]', 'broadcastTo', [In(rand((3, 1, 4)))], lambda a: a.expand(2, 3, 2, 4), {'shape': [2, 3, 2, 4]})
add_case('slice dim 2 from 1 step 2', 'slice', [In(X)], lambda a: a[:, :, 1::2], {'dim': 2, 'start': 1, 'step': 2})
add_case('slice dim 1 with negative start', 'slice', [In(X)], lambda a: a[:, -2:], {'dim': 1, 'start': -2})
add_case('narrow dim 1 start 1 length 2', 'narrow', [In(X)], lambda a: a.narrow(1, 1, 2), {'dim': 1, 'start': 1, 'length': 2})
add_case('select dim 0 index 1', 'select', [In(X)], lambda a: a.select(0, 1), {'dim': 0, 'index': 1})
add_case('indexSelect with repeats', 'indexSelect', [In(X), idx([3, 0, 3, 1])], lambda a, i: torch.index_select(a, 2, i), {'dim': 2})
gi = rs.randint(0, 3, size=(2, 2, 4))
add_case('gather along dim 1', 'gather', [In(X), idx(gi)], lambda a, i: torch.gather(a, 1, i), {'dim': 1})
si = rs.randint(0, 3, size=(2, 3, 4))
add_case('scatterAdd along dim 1 (repeated targets)', 'scatterAdd', [In(X), idx(si), In(rand((2, 3, 4)))], lambda a, i, s: torch.scatter_add(a, 1, i, s), {'dim': 1})
add_case('cat along dim 1', 'cat', [In(X), In(rand((2, 1, 4)))], lambda a, b: torch.cat([a, b], 1), {'dim': 1})
add_case('stack along dim 2', 'stack', [In(rand((2, 3))), In(rand((2, 3)))], lambda a, b: torch.stack([a, b], 2), {'dim': 2})

add_case('matmul 1-D · 1-D', 'matmul', [In(rand((4,))), In(rand((4,)))], torch.matmul)
add_case('matmul 1-D · 2-D', 'matmul', [In(rand((4,))), In(rand((4, 3)))], torch.matmul)
add_case('matmul 2-D · 1-D', 'matmul', [In(rand((3, 4))), In(rand((4,)))], torch.matmul)
add_case('matmul 2-D · 2-D', 'matmul', [In(rand((3, 4))), In(rand((4, 5)))], torch.matmul)
add_case('matmul 3-D · 2-D', 'matmul', [In(rand((2, 3, 4))), In(rand((4, 5)))], torch.matmul)
add_case('matmul with broadcast batches [2,1,3,4]·[3,4,5]', 'matmul', [In(rand((2, 1, 3, 4))), In(rand((3, 4, 5)))], torch.matmul)
add_case('bmm', 'bmm', [In(rand((2, 3, 4))), In(rand((2, 4, 2)))], torch.bmm)
add_case('linear with bias', 'linear', [In(rand((5, 4))), In(rand((3, 4))), In(rand((3,)))], F.linear)
add_case('linear without bias on 3-D input', 'linear', [In(rand((2, 3, 4))), In(rand((3, 4)))], F.linear)

# ---------------------------------------------------------------- nn functional forms
img = rand((2, 4, 7, 6))
conv_specs = [
    ('conv2d basic 3x3', (2, 3, 5, 5), (4, 3, 3, 3), True, {}),
    ('conv2d stride larger than the kernel', (2, 2, 7, 7), (3, 2, 2, 2), True, {'stride': 3}),
    ('conv2d padding larger than half the kernel', (1, 2, 4, 5), (3, 2, 3, 3), True, {'padding': 2}),
    ('conv2d groups equal to channels (depthwise)', (2, 4, 5, 5), (4, 1, 3, 3), True, {'groups': 4}),
    ('conv2d groups 2, rectangular kernel, stride and dilation', (2, 4, 7, 8), (6, 2, 3, 2), True, {'stride': [2, 1], 'padding': [1, 2], 'dilation': [1, 2], 'groups': 2}),
    ("conv2d padding 'same' with an even kernel", (1, 2, 5, 6), (3, 2, 2, 4), False, {'padding': 'same'}),
    ("conv2d padding 'same' with dilation 2", (1, 2, 6, 6), (2, 2, 3, 3), True, {'padding': 'same', 'dilation': 2}),
    ('conv2d batch of one without bias', (1, 3, 6, 6), (2, 3, 5, 5), False, {}),
]
for name, xs, ws, bias, opts in conv_specs:
    ins = [In(rand(xs)), In(rand(ws) * 0.5)] + ([In(rand((ws[0],)))] if bias else [])
    def call(x, w, b=None, o=opts):
        return F.conv2d(x, w, b, stride=o.get('stride', 1), padding=o.get('padding', 0), dilation=o.get('dilation', 1), groups=o.get('groups', 1))
    add_case(name, 'conv2d', ins, call, opts)

pool_in = rand((2, 3, 7, 6))
pool_in[0, 0, 0, 0] = pool_in[0, 0, 0, 1]  # a tie inside a window
for name, k, opts in [
    ('maxPool2d 2x2', 2, {}),
    ('maxPool2d 3x3 stride 2 padding 1 ceilMode', 3, {'stride': 2, 'padding': 1, 'ceilMode': True}),
    ('maxPool2d 3x2 stride 1 dilation 2', [3, 2], {'stride': 1, 'dilation': 2}),
]:
    add_case(name, 'maxPool2d', [In(pool_in)], lambda x, k=k, o=opts: F.max_pool2d(x, k, stride=o.get('stride'), padding=o.get('padding', 0), dilation=o.get('dilation', 1), ceil_mode=o.get('ceilMode', False)), {'kernelSize': k, **opts})
add_case('maxPool2d returning indices', 'maxPool2dWithIndices', [In(pool_in)], lambda x: F.max_pool2d(x, 2, stride=2, return_indices=True), {'kernelSize': 2}, multi=True)
for name, k, opts in [
    ('avgPool2d 2x2', 2, {}),
    ('avgPool2d 3x3 stride 2 padding 1 ceilMode, padding counted', 3, {'stride': 2, 'padding': 1, 'ceilMode': True}),
    ('avgPool2d 3x3 stride 2 padding 1, padding not counted', 3, {'stride': 2, 'padding': 1, 'countIncludePad': False}),
    ('avgPool2d 2x3 divisorOverride 4', [2, 3], {'divisorOverride': 4}),
]:
    add_case(name, 'avgPool2d', [In(pool_in)], lambda x, k=k, o=opts: F.avg_pool2d(x, k, stride=o.get('stride'), padding=o.get('padding', 0), ceil_mode=o.get('ceilMode', False), count_include_pad=o.get('countIncludePad', True), divisor_override=o.get('divisorOverride')), {'kernelSize': k, **opts})
for size in [1, [2, 3], [4, 4]]:
    add_case(f'adaptiveAvgPool2d to {size}', 'adaptiveAvgPool2d', [In(pool_in)], lambda x, s=size: F.adaptive_avg_pool2d(x, s), {'outputSize': size})

bn_in = rand((4, 3, 2, 3))
add_case('batchNorm functional, training, affine', 'batchNorm', [In(bn_in), In(rand((3,), 0.5, 1.5)), In(rand((3,)))], lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), {'training': True})
rm, rv = rand((3,)), rand((3,), 0.5, 2.0)
add_case('batchNorm functional, evaluation with running statistics', 'batchNormEval', [In(bn_in), In(rm, grad=False), In(rv, grad=False), In(rand((3,), 0.5, 1.5)), In(rand((3,)))], lambda x, m, v, w, b: F.batch_norm(x, m, v, w, b, training=False), {'training': False})
add_case('batchNorm functional on [N, C]', 'batchNorm', [In(rand((5, 3))), In(rand((3,), 0.5, 1.5)), In(rand((3,)))], lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), {'training': True})
add_case('groupNorm 2 groups', 'groupNorm', [In(rand((2, 4, 3, 2))), In(rand((4,), 0.5, 1.5)), In(rand((4,)))], lambda x, w, b: F.group_norm(x, 2, w, b), {'numGroups': 2})
add_case('groupNorm groups equal to channels, batch of one', 'groupNorm', [In(rand((1, 3, 4))), In(rand((3,), 0.5, 1.5)), In(rand((3,)))], lambda x, w, b: F.group_norm(x, 3, w, b), {'numGroups': 3})
add_case('layerNorm over the last 2 dims', 'layerNorm', [In(rand((2, 3, 4))), In(rand((3, 4), 0.5, 1.5)), In(rand((3, 4)))], lambda x, w, b: F.layer_norm(x, (3, 4), w, b), {'normalizedShape': [3, 4]})
add_case('gelu exact', 'gelu', [In(x0 * 2)], F.gelu, {'approximate': 'none'})
add_case('gelu tanh approximation', 'gelu', [In(x0 * 2)], lambda a: F.gelu(a, approximate='tanh'), {'approximate': 'tanh'})


class GradReverse(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lam):
        ctx.lam = lam
        return x.view_as(x)

    @staticmethod
    def backward(ctx, g):
        return -ctx.lam * g, None


add_case('gradientReversal lambda 0.3', 'gradientReversal', [In(x0)], lambda a: GradReverse.apply(a, 0.3), {'lambda': 0.3})

# ---------------------------------------------------------------- double backward (IRM-style penalties)
double = []


def add_double(name, kind, dt, tensors, build):
    """Records penalty = |d loss / d wrt|^2 (create_graph) and d penalty / d every input."""
    ts = {k: (torch.tensor(v, dtype=torch.int64) if k == 'labels' else torch.tensor(v, dtype=DT[dt]).requires_grad_(k not in ('x', 'y'))) for k, v in tensors.items()}
    scale = torch.tensor(1.0, dtype=DT[dt]).requires_grad_()
    loss = build(ts, scale)
    (g,) = torch.autograd.grad(loss, [scale], create_graph=True)
    pen = (g ** 2).sum()
    params = [k for k in tensors if k not in ('x', 'y', 'labels')]
    grads = torch.autograd.grad(pen, [ts[k] for k in params])
    double.append({
        'name': name, 'kind': kind, 'dtype': dt,
        'tensors': {k: {'shape': list(t.shape), 'values': flat(t)} for k, t in ts.items()},
        'loss': enc(loss.item()), 'penalty': enc(pen.item()),
        'grads': {k: flat(gr) for k, gr in zip(params, grads)},
    })


for dt in ('float32', 'float64'):
    mlp = {'x': rand((8, 5)), 'W1': rand((6, 5)) * 0.5, 'b1': rand((6,)) * 0.1, 'W2': rand((1, 6)) * 0.5, 'b2': rand((1,)) * 0.1, 'y': (rs.uniform(size=(8, 1)) > 0.5).astype(float)}
    add_double('IRM penalty, BCE-with-logits on an MLP (the IRM paper\'s code)', 'bce', dt, mlp,
               lambda t, s: F.binary_cross_entropy_with_logits(F.linear(F.relu(F.linear(t['x'], t['W1'], t['b1'])), t['W2'], t['b2']) * s, t['y']))
    ce = {'x': rand((8, 5)), 'W1': rand((6, 5)) * 0.5, 'b1': rand((6,)) * 0.1, 'W2': rand((3, 6)) * 0.5, 'b2': rand((3,)) * 0.1, 'labels': rs.randint(0, 3, size=(8,))}
    add_double('IRM penalty, cross-entropy on an MLP (DomainBed\'s IRM)', 'ce', dt, ce,
               lambda t, s: F.cross_entropy(F.linear(F.relu(F.linear(t['x'], t['W1'], t['b1'])), t['W2'], t['b2']) * s, t['labels']))
    ls = {'x': rand((4, 6)), 'W1': rand((5, 6)) * 0.5, 'b1': rand((5,)) * 0.1, 'labels': rs.randint(0, 5, size=(4,))}
    add_double('log-softmax + NLL with a scale, tanh features', 'logsoftmax', dt, ls,
               lambda t, s: F.nll_loss(F.log_softmax(torch.tanh(F.linear(t['x'], t['W1'], t['b1'])) * s, 1), t['labels']))

# ---------------------------------------------------------------- modules
modules = []


def add_module(name, kind, ctor, opts, input_shape, dt, steps=1, eval_after=False, formula=False):
    torch.manual_seed(len(modules))
    m = ctor().to(DT[dt])
    if formula:
        formula_init(m)
    state = None if formula else {k: {'shape': list(v.shape), 'values': flat(v), 'dtype': 'int32' if not v.is_floating_point() else dt} for k, v in m.state_dict().items()}
    m.train()
    records = []
    for _ in range(steps):
        x = torch.tensor(rand(input_shape), dtype=DT[dt]).requires_grad_()
        y = m(x)
        g = torch.tensor(rs.uniform(-1, 1, size=tuple(y.shape)), dtype=DT[dt])
        m.zero_grad()
        (y * g).sum().backward()
        records.append({'input': flat(x), 'output': flat(y), 'outputShape': list(y.shape), 'gradOutput': flat(g), 'inputGrad': flat(x.grad),
                        'paramGrads': {k: (summary(p.grad) if p.numel() > 512 else flat(p.grad)) for k, p in m.named_parameters()}})
    case = {'name': name, 'kind': kind, 'dtype': dt, 'options': opts, 'inputShape': list(input_shape), 'state': state, 'formulaInit': formula, 'steps': records}
    if len(m.state_dict()) > len(list(m.parameters())):  # buffers (BatchNorm) change in training
        case['stateAfter'] = {k: flat(v) for k, v in m.state_dict().items()}
    if eval_after:
        m.eval()
        x = torch.tensor(rand(input_shape), dtype=DT[dt])
        case['eval'] = {'input': flat(x), 'output': flat(m(x))}
    modules.append(case)


for dt in ('float32', 'float64'):
    add_module('Linear 5→3', 'Linear', lambda: nn.Linear(5, 3), {'inFeatures': 5, 'outFeatures': 3}, (4, 5), dt)
    add_module('Linear without bias on [2, 3, 5]', 'Linear', lambda: nn.Linear(5, 2, bias=False), {'inFeatures': 5, 'outFeatures': 2, 'bias': False}, (2, 3, 5), dt)
    add_module('Conv2d 3→4, 3x3, stride 2, padding 1', 'Conv2d', lambda: nn.Conv2d(3, 4, 3, stride=2, padding=1), {'inChannels': 3, 'outChannels': 4, 'kernelSize': 3, 'stride': 2, 'padding': 1}, (2, 3, 6, 5), dt)
    add_module('Conv2d depthwise groups 4, padding same', 'Conv2d', lambda: nn.Conv2d(4, 4, 3, padding='same', groups=4, bias=False), {'inChannels': 4, 'outChannels': 4, 'kernelSize': 3, 'padding': 'same', 'groups': 4, 'bias': False}, (1, 4, 5, 5), dt)
    add_module('BatchNorm2d: 3 training steps, running statistics, then eval', 'BatchNorm2d', lambda: nn.BatchNorm2d(3), {'numFeatures': 3}, (4, 3, 2, 2), dt, steps=3, eval_after=True)
    add_module('BatchNorm1d momentum 0.3 on [N, C, L]: 3 steps then eval', 'BatchNorm1d', lambda: nn.BatchNorm1d(3, momentum=0.3), {'numFeatures': 3, 'momentum': 0.3}, (5, 3, 2), dt, steps=3, eval_after=True)
    add_module('BatchNorm1d cumulative average (momentum None)', 'BatchNorm1d', lambda: nn.BatchNorm1d(2, momentum=None), {'numFeatures': 2, 'momentum': None}, (6, 2), dt, steps=3, eval_after=True)
    add_module('GroupNorm(2, 4)', 'GroupNorm', lambda: nn.GroupNorm(2, 4), {'numGroups': 2, 'numChannels': 4}, (2, 4, 3, 3), dt)
    add_module('LayerNorm([4])', 'LayerNorm', lambda: nn.LayerNorm(4), {'normalizedShape': [4]}, (3, 2, 4), dt)
    add_module('Sequential MLP 6-5-4-3 with ReLU', 'MLP', lambda: nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3)), {'sizes': [6, 5, 4, 3]}, (4, 6), dt)
    add_module('LeNet-5 on 28x28', 'LeNet', lambda: nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)), {}, (2, 1, 28, 28), dt, formula=True)

out = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'golden' / 'torch_nn.json'
out.write_text(json.dumps({'torch': torch.__version__, 'python': platform.python_version(), 'cases': cases, 'double': double, 'modules': modules}, separators=(',', ':')))
print(f'wrote {out} ({len(cases)} cases, {len(double)} double-backward cases, {len(modules)} module cases)')
