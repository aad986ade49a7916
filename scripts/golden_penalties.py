"""Golden data for losslab's domain generalisation / adaptation penalties (src/adapt/penalties.ts): values and
gradients from PyTorch autograd (float64), written as the reference libraries define them.

  python3 scripts/golden_penalties.py      -> test/golden/penalties.json

Cases (random inputs from numpy RandomState(0), stored in the JSON):
  irm_binary  - IRM paper (code/colored_mnist/main.py): penalty = (d/ds BCEWithLogits(s*z, y) at s=1)^2,
                gradient w.r.t. z by double backward (create_graph=True).
  irm         - DomainBed IRM._irm_penalty on class logits: grad_1 * grad_2 of F.cross_entropy(z[::2]*s),
                F.cross_entropy(z[1::2]*s); and the squared single-batch form. Gradients by double backward.
  vrex        - DomainBed VREx: ((losses - losses.mean())**2).mean() and its gradient w.r.t. the losses.
  groupdro    - DomainBed GroupDRO's q update: q *= exp(eta * loss); q /= q.sum().
  coral       - DomainBed AbstractMMD.mmd(kernel_type='mean_cov') (= tllib CorrelationAlignmentLoss).
  mmd         - DomainBed AbstractMMD.mmd(kernel_type='gaussian'): gaussian_kernel with gammas
                [0.001 ... 1000], distances by my_cdist (addmm + clamp_min_(1e-30)).
  mkmmd       - tllib MultipleKernelMaximumMeanDiscrepancy with GaussianKernel(alpha=2**k), k=-3..1,
                linear and quadratic index matrices (sigma^2 from the detached mean distance).
  grl         - gradient reversal: forward identity, backward -lambda * grad; Ganin's lambda(p).
"""
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import autograd
from domainbedlib import coral, mkmmd, mmd
from goldenlib import write_json

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "golden", "penalties.json")
torch.set_default_dtype(torch.float64)


def fl(t):
    return [float(v) for v in np.asarray(t.detach() if isinstance(t, torch.Tensor) else t, dtype=np.float64).reshape(-1)]


def irm_binary(rs):
    z = torch.tensor(rs.normal(scale=2.0, size=(30, 1)), requires_grad=True)
    y = torch.tensor(rs.randint(0, 2, size=(30, 1)).astype(np.float64))
    s = torch.tensor(1.0, requires_grad=True)
    g = autograd.grad(F.binary_cross_entropy_with_logits(z * s, y), [s], create_graph=True)[0]
    pen = (g ** 2).sum()
    (gz,) = autograd.grad(pen, [z])
    return dict(logits=fl(z), targets=fl(y), value=float(pen), grad=fl(gz))


def irm_multiclass(rs, n=21, k=5):
    z = torch.tensor(rs.normal(scale=2.0, size=(n, k)), requires_grad=True)
    y = torch.tensor(rs.randint(0, k, size=n))
    s = torch.tensor(1.0, requires_grad=True)
    g1 = autograd.grad(F.cross_entropy(z[::2] * s, y[::2]), [s], create_graph=True)[0]
    g2 = autograd.grad(F.cross_entropy(z[1::2] * s, y[1::2]), [s], create_graph=True)[0]
    pen = torch.sum(g1 * g2)
    (gz,) = autograd.grad(pen, [z])
    s2 = torch.tensor(1.0, requires_grad=True)
    g = autograd.grad(F.cross_entropy(z * s2, y), [s2], create_graph=True)[0]
    sq = (g ** 2).sum()
    (gzs,) = autograd.grad(sq, [z])
    return dict(logits=fl(z), targets=[int(v) for v in y], k=k, value=float(pen), grad=fl(gz), squared_value=float(sq), squared_grad=fl(gzs))


def vrex(rs):
    losses = torch.tensor(rs.exponential(size=4), requires_grad=True)
    pen = ((losses - losses.mean()) ** 2).mean()
    (g,) = autograd.grad(pen, [losses])
    return dict(risks=fl(losses), value=float(pen), grad=fl(g))


def coral_mmd(rs):
    d = 4
    x = torch.tensor(rs.normal(size=(9, d)), requires_grad=True)
    y = torch.tensor(rs.normal(size=(7, d)) * 1.3 + 0.4, requires_grad=True)
    coral_value = coral(x, y)
    gx, gy = autograd.grad(coral_value, [x, y])
    # MMD on small-scale features so that several bandwidths matter
    xs = torch.tensor(rs.normal(scale=0.3, size=(8, d)), requires_grad=True)
    ys = torch.tensor(rs.normal(scale=0.3, size=(6, d)) + 0.2, requires_grad=True)
    mmd_value = mmd(xs, ys)
    mgx, mgy = autograd.grad(mmd_value, [xs, ys])
    return dict(d=d, coral=dict(x=fl(x), y=fl(y), value=float(coral_value), gradX=fl(gx), gradY=fl(gy)),
                mmd=dict(x=fl(xs), y=fl(ys), value=float(mmd_value), gradX=fl(mgx), gradY=fl(mgy)))


def mkmmd_case(rs, linear):
    b, d = 6, 3
    zs = torch.tensor(rs.normal(size=(b, d)), requires_grad=True)
    zt = torch.tensor(rs.normal(size=(b, d)) + 0.5, requires_grad=True)
    loss = mkmmd(zs, zt, linear)
    gs, gt = autograd.grad(loss, [zs, zt])
    return dict(d=d, linear=linear, zs=fl(zs), zt=fl(zt), value=float(loss), gradS=fl(gs), gradT=fl(gt))


def main():
    rs = np.random.RandomState(0)
    doc = {
        "versions": {"numpy": np.__version__, "torch": torch.__version__},
        "irm_binary": irm_binary(rs),
        "irm": irm_multiclass(rs),
        "vrex": vrex(rs),
        **coral_mmd(rs),
        "mkmmd": [mkmmd_case(rs, True), mkmmd_case(rs, False)],
        "ganin": [dict(p=p, value=2.0 / (1.0 + math.exp(-10 * p)) - 1.0) for p in (0.0, 0.1, 0.5, 1.0)],
    }
    # GroupDRO: three updates from q = 1 with risks growing 1.5x per step
    rs2 = np.random.RandomState(1)
    losses0 = rs2.exponential(size=3)
    q = torch.ones(3)
    losses = torch.tensor(losses0)
    steps = []
    for _ in range(3):
        for m in range(3):
            q[m] *= (0.01 * losses[m]).exp()
        q /= q.sum()
        steps.append(fl(q))
        losses = losses * 1.5
    doc["groupdro"] = dict(risks0=fl(losses0), eta=0.01, growth=1.5, steps=steps)
    write_json(OUT, doc)


if __name__ == "__main__":
    main()
