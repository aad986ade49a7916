"""Golden data for losslab's domain-adaptation trainer (src/adapt/adaptationTrainer.ts): source-only, DANN
(gradient reversal with Ganin's schedule), Deep CORAL and DAN (tllib's linear multi-kernel MMD) run in PyTorch
(float32, CPU) for a few steps on tiny random data from the same initial weights (PyTorch's, passed to losslab
through the state dicts).

  python3 scripts/golden_adaptation.py      -> test/golden/adaptation.json

Model (width W = 8 here; 256 by default in losslab): featurizer Flatten -> Linear(6, W) -> ReLU -> Linear(W, W) -> ReLU,
classifier Linear(W, 3), discriminator Linear(W, W) -> ReLU -> Linear(W, W) -> ReLU -> Linear(W, 2) (DANN only); one
Adam(lr 1e-3, betas (0.5, 0.9)) over all parameters; f = featurizer(cat(x_s, x_t)); loss = CE(classifier(f_s), y_s)
+ transfer, with DANN's lambda_p = 2 / (1 + exp(-10 p)) - 1, p = step / total steps (4).
Records every step's loss, class loss and transfer loss, and the classifier's parameters after the last step.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from domainbedlib import GradReverse, coral, mkmmd

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "golden", "adaptation.json")


def fl(a):
    return [float(v) for v in np.asarray(a.detach() if isinstance(a, torch.Tensor) else a, dtype=np.float64).reshape(-1)]


def state(module):
    return {k: dict(shape=list(v.shape), data=fl(v)) for k, v in module.state_dict().items()}


def run(method, rs, steps=4, n=16, d=6, k=3, W=8):
    torch.manual_seed(int(rs.randint(0, 2 ** 31 - 1)))
    feat = nn.Sequential(nn.Flatten(), nn.Linear(d, W), nn.ReLU(), nn.Linear(W, W), nn.ReLU())
    cls = nn.Linear(W, k)
    disc = nn.Sequential(nn.Linear(W, W), nn.ReLU(), nn.Linear(W, W), nn.ReLU(), nn.Linear(W, 2))
    init = dict(featurizer=state(feat), classifier=state(cls), discriminator=state(disc))
    params = list(feat.parameters()) + list(cls.parameters()) + (list(disc.parameters()) if method == "dann" else [])
    opt = torch.optim.Adam(params, lr=1e-3, betas=(0.5, 0.9))
    xs = rs.normal(size=(steps, n, d)).astype(np.float32)
    ys = rs.randint(0, k, size=(steps, n))
    xt = (rs.normal(size=(steps, n, d)) + 0.7).astype(np.float32)
    records = []
    for s in range(steps):
        x = torch.cat([torch.from_numpy(xs[s]), torch.from_numpy(xt[s])])
        f = feat(x)
        cl = F.cross_entropy(cls(f[:n]), torch.from_numpy(ys[s].astype(np.int64)))
        lam = 2.0 / (1.0 + math.exp(-10.0 * s / steps)) - 1.0
        if method == "dann":
            dl = torch.cat([torch.zeros(n, dtype=torch.long), torch.ones(n, dtype=torch.long)])
            tr = F.cross_entropy(disc(GradReverse.apply(f, lam)), dl)
        elif method == "deep-coral":
            tr = coral(f[:n], f[n:])
        elif method == "dan":
            tr = mkmmd(f[:n], f[n:])
        else:
            tr = torch.tensor(0.0)
        loss = cl + tr
        opt.zero_grad()
        loss.backward()
        opt.step()
        records.append(dict(loss=float(loss), classLoss=float(cl), transferLoss=float(tr), lam=lam))
    return dict(method=method, steps=steps, n=n, d=d, k=k, width=W, xs=fl(xs), ys=[int(v) for v in ys.reshape(-1)], xt=fl(xt), init=init,
                records=records, classifier=state(cls))


def main():
    rs = np.random.RandomState(0)
    cases = [run(m, rs) for m in ("source-only", "dann", "deep-coral", "dan")]
    with open(OUT, "w") as f:
        json.dump(dict(versions=dict(torch=torch.__version__, numpy=np.__version__), cases=cases), f, separators=(",", ":"))
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
