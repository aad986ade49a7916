"""Golden numbers for the learner questions of losslab's explanations (src/explain/questions.ts).

Run: python3 scripts/golden_questions.py   (writes test/golden/questions.json)

For two worked examples each, with PyTorch (float64, autograd) and SciPy:
- which loss: cross-entropy at a true-class logit z (other logits 0): p, -log p, dl/dz = p - 1 and
  dl/dp = -1/p (autograd through -log p);
- why 1/2: the L2 loss 0.5 * mse and MSE, value and gradient;
- the data: a batch of independent targets, Gaussian densities (SciPy), their product, sum of logs,
  mean L2 loss and mean negative log-likelihood;
- the quotient rule: the softmax Jacobian (torch.autograd.functional.jacobian), its row c times
  -1/p_c, and the gradient of F.cross_entropy;
- information: -log_softmax in nats and bits, the entropy (F.cross_entropy with soft targets
  softmax(z)), log C, log 2;
- probabilities passed by mistake: F.cross_entropy(softmax(z), c), its gradient w.r.t. z, the floor
  F.cross_entropy(onehot(c), c), and torch.optim.SGD run on the logits both ways.
Works with PyTorch 1.13 / 2.x, SciPy 1.10+.
"""
import json
import math
import pathlib

import scipy
import torch
import torch.nn.functional as F
from scipy import stats
from goldenlib import enc

torch.set_default_dtype(torch.float64)


def lst(t):
    return [enc(v) for v in t.reshape(-1).tolist()]


def which_loss(z):
    logits = torch.tensor([z, 0.0, 0.0], requires_grad=True)
    loss = F.cross_entropy(logits.unsqueeze(0), torch.tensor([0]))
    loss.backward()
    p = torch.softmax(logits.detach(), 0)[0].clone().requires_grad_(True)
    (-torch.log(p)).backward()
    return {'logit': z, 'probability': enc(p.item()), 'loss': enc(loss.item()), 'gradientLogit': enc(logits.grad[0].item()),
            'gradientProbability': enc(p.grad.item())}


def half(target, prediction):
    pred = torch.tensor([prediction], requires_grad=True)
    y = torch.tensor([target])
    l2 = 0.5 * F.mse_loss(pred, y, reduction='sum')
    l2.backward()
    g_half = pred.grad.item()
    pred.grad = None
    mse = F.mse_loss(pred, y, reduction='sum')
    mse.backward()
    return {'target': target, 'prediction': prediction, 'value': enc(l2.item()), 'gradient': enc(g_half),
            'valueNoHalf': enc(mse.item()), 'gradientNoHalf': enc(pred.grad.item())}


def data(targets, predictions):
    densities = [stats.norm.pdf(y, loc=p, scale=1.0) for y, p in zip(targets, predictions)]
    losses = 0.5 * F.mse_loss(torch.tensor(predictions), torch.tensor(targets), reduction='none')
    product = math.prod(densities)
    return {'targets': targets, 'predictions': predictions, 'densities': [enc(d) for d in densities], 'product': enc(product),
            'sumLogs': enc(sum(math.log(d) for d in densities)), 'losses': lst(losses), 'meanLoss': enc(losses.mean().item()),
            'meanNll': enc(-sum(stats.norm.logpdf(y, loc=p, scale=1.0) for y, p in zip(targets, predictions)) / len(targets)),
            'constant': enc(0.5 * math.log(2 * math.pi))}


def softmax_case(logits, target, lr=1.0, steps=(0, 1, 10, 100)):
    z = torch.tensor(logits)
    c = torch.tensor(target)
    jac = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, 0), z)
    p = torch.softmax(z, 0)
    zr = z.clone().requires_grad_(True)
    F.cross_entropy(zr, c).backward()
    information = -torch.log_softmax(z, 0)
    zm = z.clone().requires_grad_(True)
    mistaken = F.cross_entropy(torch.softmax(zm, 0), c)
    mistaken.backward()
    one_hot = torch.zeros(len(logits))
    one_hot[target] = 1.0

    def train(mistake):
        w = z.clone().requires_grad_(True)
        opt = torch.optim.SGD([w], lr=lr)
        probs = []
        for step in range(max(steps) + 1):
            if step in steps:
                probs.append(torch.softmax(w.detach(), 0)[target].item())
            if step == max(steps):
                break
            opt.zero_grad()
            F.cross_entropy(torch.softmax(w, 0) if mistake else w, c).backward()
            opt.step()
        return probs, F.cross_entropy(w.detach(), c).item()

    right, right_loss = train(False)
    wrong, wrong_loss = train(True)
    return {
        'logits': logits, 'target': target,
        'probs': lst(p),
        'jacobian': [lst(row) for row in jac],
        'viaQuotient': lst(-jac[target] / p[target]),
        'gradient': lst(zr.grad),
        'information': lst(information),
        'informationBits': lst(information / math.log(2)),
        'entropy': enc(F.cross_entropy(z, p).item()),
        'uniform': enc(math.log(len(logits))),
        'coin': enc(math.log(2)),
        'crossEntropy': enc(F.cross_entropy(z, c).item()),
        'mistakenLoss': enc(mistaken.item()),
        'mistakenGradient': lst(zm.grad),
        'floor': enc(F.cross_entropy(one_hot, c).item()),
        'lr': lr, 'steps': list(steps),
        'trainedRight': [enc(v) for v in right], 'trainedMistaken': [enc(v) for v in wrong],
        'trainedRightLoss': enc(right_loss), 'trainedMistakenLoss': enc(wrong_loss),
    }


golden = {
    'versions': {'torch': torch.__version__, 'scipy': scipy.__version__},
    'whichLoss': [which_loss(z) for z in (2.0, -1.5)],
    'half': [half(0.0, 2.0), half(1.0, 4.0)],
    'data': [data([1.0, -0.5, 2.0], [1.5, 0.0, 1.0]), data([0.0, 3.0], [0.5, 1.0])],
    'softmax': [softmax_case([2.0, 1.0, 0.1], 0), softmax_case([0.5, -1.0, 3.0, 0.2], 2, lr=0.5, steps=(0, 2, 5))],
}
path = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'golden' / 'questions.json'
path.write_text(json.dumps(golden, indent=1) + '\n')
print(f'wrote {path}')
