"""Golden data for losslab's figures and explanations (test/figures, test/explain).

Run: python3 scripts/golden_figures.py   (writes test/golden/figures.json)

- d2l: the "L2 / L1 / Huber loss" figures of d2l-ai/berkeley-stat-157 slides/2_5/loss.ipynb,
  replicated with PyTorch losses (value and autograd gradient) and d2l's likelihood scaling
  p = exp(-l); p = 100 * p / p.sum(); green = 10 * p  on  x = arange(-5, 5, 0.01).
  (d2l ran MXNet in float32; we use float64 so the numbers do not depend on rounding.)
- The same curves for other losses, targets and ranges (losslab generalises d2l's scaling as
  10 * exp(-l) / (step * sum(exp(-l)))).
- Cross-entropy and BCE-with-logits against the logit of the true class (PyTorch, autograd).
- Softmax: stable (torch.softmax) vs naive NumPy exp/sum in float32 and float64, overflow thresholds.
- Constants the explanations quote: 1/2 log(2 pi), log 2, log Z of Huber's density (SciPy quad).
Works with PyTorch 1.13 / 2.x, NumPy 1.x / 2.x, SciPy 1.10+.
"""
import json
import math
import pathlib

import numpy as np
import scipy
import torch
import torch.nn.functional as F
from scipy import integrate, stats
from goldenlib import enc

torch.set_default_dtype(torch.float64)


def enc_list(values):
    return [enc(v) for v in values]


def loss_and_grad(loss_id, target, x, delta=1.0, beta=1.0, sigma=1.0):
    """Per-element loss l(y, y') and dl/dy' with PyTorch, y' = x, y = target."""
    pred = torch.tensor(x, requires_grad=True)
    y = torch.full_like(pred, target)
    if loss_id == 'l2':
        loss = 0.5 * F.mse_loss(pred, y, reduction='none')
    elif loss_id == 'mse':
        loss = F.mse_loss(pred, y, reduction='none')
    elif loss_id == 'l1':
        loss = F.l1_loss(pred, y, reduction='none')
    elif loss_id == 'huber':
        loss = F.huber_loss(pred, y, reduction='none', delta=delta)
    elif loss_id == 'smooth-l1':
        loss = F.smooth_l1_loss(pred, y, reduction='none', beta=beta)
    elif loss_id == 'gaussian-nll':
        var = torch.full_like(pred, sigma * sigma)
        loss = F.gaussian_nll_loss(pred, y, var, reduction='none')
    else:
        raise ValueError(loss_id)
    loss.sum().backward()
    return loss.detach().numpy(), pred.grad.numpy()


def d2l_likelihood(loss, step):
    """d2l's green curve: 1000 * exp(-l) / sum(exp(-l)) on its grid; generally 10 exp(-l) / (step sum)."""
    p = np.exp(-loss)
    return 10.0 * p / (step * p.sum())


def regression_case(loss_id, target=0.0, start=-5.0, stop=5.0, points=1000, **params):
    step = (stop - start) / points
    x = start + np.arange(points) * step
    loss, grad = loss_and_grad(loss_id, target, x, **params)
    green = d2l_likelihood(loss, step)
    idx = list(range(0, points, 37)) + [int(np.argmax(green)), points - 1]
    return {
        'loss': loss_id, 'target': target, 'from': start, 'to': stop, 'points': points, 'params': params,
        'peak': enc(green.max()), 'argmaxPrediction': enc(x[int(np.argmax(green))]),
        'samples': [{'index': i, 'prediction': enc(x[i]), 'loss': enc(loss[i]), 'gradient': enc(grad[i]),
                     'likelihood': enc(green[i])} for i in idx],
    }


def d2l_exact(loss_id):
    """The notebook's own computation on np.arange(-5, 5, 0.01): p = 100 p / p.sum(); plot 10 p."""
    x = np.arange(-5, 5, 0.01)
    loss, _ = loss_and_grad(loss_id, 0.0, x)
    p = np.exp(-loss)
    p = 100 * p / p.sum()
    return {'loss': loss_id, 'peak': enc((10 * p).max()), 'lossAtMinus5': enc(loss[0])}


regression = [
    regression_case('l2'),
    regression_case('l1'),
    regression_case('huber', delta=1.0),
    regression_case('mse'),
    regression_case('smooth-l1', beta=1.0),
    regression_case('smooth-l1', beta=0.5),
    regression_case('gaussian-nll', sigma=1.5),
    regression_case('l2', target=1.5, start=-2.0, stop=4.0, points=600),
    regression_case('huber', target=-1.0, start=-6.0, stop=3.0, points=900, delta=2.0),
]


def cross_entropy_case(logits, target, start=-6.0, stop=6.0, points=1000):
    step = (stop - start) / points
    z = start + np.arange(points) * step
    x = torch.tensor(np.tile(np.array(logits, dtype=np.float64), (points, 1)))
    x[:, target] = torch.tensor(z)
    x.requires_grad_(True)
    labels = torch.full((points,), target, dtype=torch.long)
    loss = F.cross_entropy(x, labels, reduction='none')
    loss.sum().backward()
    prob = torch.softmax(x.detach(), dim=1)[:, target]
    idx = list(range(0, points, 41)) + [points - 1]
    return {'logits': logits, 'target': target, 'from': start, 'to': stop, 'points': points,
            'samples': [{'index': i, 'logit': enc(z[i]), 'loss': enc(loss[i]), 'probability': enc(prob[i]),
                         'gradient': enc(x.grad[i, target])} for i in idx]}


def bce_case(target, start=-6.0, stop=6.0, points=1000):
    step = (stop - start) / points
    z = torch.tensor(start + np.arange(points) * step, requires_grad=True)
    y = torch.full_like(z, target)
    loss = F.binary_cross_entropy_with_logits(z, y, reduction='none')
    loss.sum().backward()
    prob = torch.sigmoid(z.detach())
    idx = list(range(0, points, 41)) + [points - 1]
    return {'target': target, 'from': start, 'to': stop, 'points': points,
            'samples': [{'index': i, 'logit': enc(z[i]), 'loss': enc(loss[i]), 'probability': enc(prob[i]),
                         'gradient': enc(z.grad[i])} for i in idx]}


def naive_softmax_case(logits, temperature=1.0):
    out = {'logits': logits, 'temperature': temperature}
    with np.errstate(over='ignore', invalid='ignore'):
        for name, dtype in (('Float64', np.float64), ('Float32', np.float32)):
            z = np.array(logits, dtype=dtype) / dtype(temperature)
            e = np.exp(z)
            out['exp' + name] = enc_list(e)
            out['naive' + name] = enc_list(e / e.sum(dtype=dtype))
    out['stable'] = enc_list(torch.softmax(torch.tensor(logits) / temperature, dim=0))
    return out


softmax = [naive_softmax_case(l) for l in ([1.0, 100.0, 1000.0], [1000.0, 999.0, 998.0], [2.0, 1.0, 0.1], [88.0, 89.0, 0.0], [-1000.0, 0.0, 3.0])]
softmax.append(naive_softmax_case([2.0, 1.0, 0.1], temperature=0.1))
softmax.append(naive_softmax_case([2.0, 1.0, 0.1], temperature=10.0))
softmax.append(naive_softmax_case([200.0, 100.0, 0.0], temperature=2.5))


def huber_log_z(delta):
    f = lambda u: math.exp(-(0.5 * u * u if abs(u) <= delta else delta * (abs(u) - 0.5 * delta)))
    value, _ = integrate.quad(f, -np.inf, np.inf, points=None)
    return math.log(value)


def smooth_l1_log_z(beta):
    f = lambda u: math.exp(-(0.5 * u * u / beta if abs(u) < beta else abs(u) - 0.5 * beta))
    value, _ = integrate.quad(f, -np.inf, np.inf)
    return math.log(value)


# The example of `losslab explain loss`: y = 0, y' = 2, sigma = delta = beta = 1.
example = {'target': 0.0, 'prediction': 2.0}
explain_loss = {}
for loss_id, params in (('l2', {}), ('mse', {}), ('l1', {}), ('huber', {'delta': 1.0}), ('smooth-l1', {'beta': 1.0}), ('gaussian-nll', {'sigma': 1.0})):
    loss, grad = loss_and_grad(loss_id, example['target'], np.array([example['prediction']]), **params)
    explain_loss[loss_id] = {'value': enc(loss[0]), 'gradient': enc(grad[0])}
explain_loss['l2']['density'] = enc(stats.norm.pdf(0.0, loc=2.0, scale=1.0))
explain_loss['l2']['constant'] = enc(0.5 * math.log(2 * math.pi))
explain_loss['mse']['density'] = enc(stats.norm.pdf(0.0, loc=2.0, scale=math.sqrt(0.5)))
explain_loss['mse']['constant'] = enc(0.5 * math.log(math.pi))
explain_loss['l1']['density'] = enc(stats.laplace.pdf(0.0, loc=2.0, scale=1.0))
explain_loss['l1']['constant'] = enc(math.log(2.0))
explain_loss['huber']['constant'] = enc(huber_log_z(1.0))
explain_loss['smooth-l1']['constant'] = enc(smooth_l1_log_z(1.0))
explain_loss['gaussian-nll']['density'] = enc(stats.norm.pdf(0.0, loc=2.0, scale=1.0))
explain_loss['gaussian-nll']['constant'] = enc(0.5 * math.log(2 * math.pi))

logits = torch.tensor([2.0, 1.0, 0.1], requires_grad=True)
ce = F.cross_entropy(logits.unsqueeze(0), torch.tensor([0]))
ce.backward()
explain_softmax = {
    'logits': [2.0, 1.0, 0.1], 'target': 0,
    'exps': enc_list(np.exp([2.0, 1.0, 0.1])),
    'probs': enc_list(torch.softmax(logits.detach(), 0)),
    'lowT': 0.1, 'lowProbs': enc_list(torch.softmax(logits.detach() / 0.1, 0)),
    'highT': 10.0, 'highProbs': enc_list(torch.softmax(logits.detach() / 10.0, 0)),
    'loss': enc(ce), 'logsumexp': enc(torch.logsumexp(logits.detach(), 0)),
    'gradient': enc_list(logits.grad),
    'bigLogits': [1000.0, 999.0, 998.0],
    'bigStable': enc_list(torch.softmax(torch.tensor([1000.0, 999.0, 998.0]), 0)),
}

explain_bce = []
for target, logit in ((1.0, 0.5), (0.0, 2.0), (1.0, -30.0)):
    z = torch.tensor([logit], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(z, torch.tensor([target]))
    loss.backward()
    explain_bce.append({'target': target, 'logit': logit, 'value': enc(loss), 'gradient': enc(z.grad[0]),
                        'probability': enc(torch.sigmoid(z.detach())[0])})

thresholds = {
    'float32': enc(np.log(np.finfo(np.float32).max)),
    'float64': enc(np.log(np.finfo(np.float64).max)),
}

d2l = [d2l_exact('l2'), d2l_exact('l1'), d2l_exact('huber')]

out = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'golden' / 'figures.json'
out.write_text(json.dumps({
    'versions': {'torch': torch.__version__, 'numpy': np.__version__, 'scipy': scipy.__version__},
    'd2l': d2l,
    'regression': regression,
    'crossEntropy': [cross_entropy_case([0.0, 0.0, 0.0], 0), cross_entropy_case([0.5, -1.0, 2.0], 1, -8.0, 8.0, 800)],
    'bce': [bce_case(1.0), bce_case(0.0), bce_case(0.3, -4.0, 4.0, 400)],
    'softmax': softmax,
    'overflowThresholds': thresholds,
    'explain': {'example': example, 'loss': explain_loss, 'softmax': explain_softmax, 'bce': explain_bce},
}, separators=(',', ':')) + '\n')
print('wrote', out)
