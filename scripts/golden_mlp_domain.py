"""Golden data for losslab's MLP domain-generalisation trainer (src/adapt/mlpDomainTrainer.ts): the IRM paper's
training loop (code/colored_mnist/main.py) and DomainBed's IRM / VREx / GroupDRO updates (domainbed/algorithms.py),
run in PyTorch (float32, CPU) on tiny random data from the same initial weights.

  python3 scripts/golden_mlp_domain.py      -> test/golden/mlp_domain.json

Each case: two training domains, an MLP d -> 5 -> 5 -> k (ReLU), Adam; records the loss of every step and the
parameters after the last step. Weights are stored [in, out] (losslab's layout); PyTorch gets their transposes.
  paper-irm  - binary logit, BCE; loss = mean nll + l2 * sum ||w||^2 + pw * mean penalty, pw = 1000 from step 2 on
               (1 before), loss / pw when pw > 1 (main.py).
  paper-erm  - same loop with pw = 0.
  domainbed-irm  - 3 classes, cross-entropy; loss = nll + pw * mean_e(g1_e * g2_e), pw = 100 from step 2, Adam
               re-created at step 2 (IRM.update).
  domainbed-vrex - 3 classes; loss = mean(R) + pw * mean((R - mean R)^2), pw = 10 from step 2, Adam re-created (VREx.update).
  groupdro   - 3 classes; q_e *= exp(eta * R_e), q /= sum q, loss = q . R with eta = 0.5 (GroupDRO.update).
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import autograd, nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "golden", "mlp_domain.json")


def fl(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).reshape(-1)]


def make_case(rs, k, d=6, sizes=(24, 30)):
    envs = []
    for n in sizes:
        x = rs.uniform(0, 1, size=(n, d)).astype(np.float32)
        y = rs.randint(0, 2 if k == 1 else k, size=n).astype(np.int32)
        envs.append((x, y))
    widths = [d, 5, 5, k]
    init = []
    for i in range(3):
        a = np.sqrt(6.0 / (widths[i] + widths[i + 1]))
        init.append((rs.uniform(-a, a, size=(widths[i], widths[i + 1])).astype(np.float32), np.zeros(widths[i + 1], np.float32)))
    return envs, init, widths


def build(init):
    lins = []
    for W, b in init:
        lin = nn.Linear(W.shape[0], W.shape[1])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W.T.copy()))
            lin.bias.copy_(torch.from_numpy(b))
        lins.append(lin)
    return nn.Sequential(lins[0], nn.ReLU(), lins[1], nn.ReLU(), lins[2])


def risk(z, y, k):
    if k == 1:
        return F.binary_cross_entropy_with_logits(z, torch.from_numpy(y.astype(np.float32))[:, None])
    return F.cross_entropy(z, torch.from_numpy(y.astype(np.int64)))


def irm_binary(z, y):
    s = torch.tensor(1.0, requires_grad=True)
    g = autograd.grad(risk(z * s, y, 1), [s], create_graph=True)[0]
    return (g ** 2).sum()


def irm_domainbed(z, y, k):
    s = torch.tensor(1.0, requires_grad=True)
    g1 = autograd.grad(risk(z[::2] * s, y[::2], k), [s], create_graph=True)[0]
    g2 = autograd.grad(risk(z[1::2] * s, y[1::2], k), [s], create_graph=True)[0]
    return torch.sum(g1 * g2)


def run(name, rs, k, steps, lr, method, form, l2=0.0, pw_after=0.0, anneal=0, eta=0.0):
    envs, init, widths = make_case(rs, k)
    mlp = build(init)
    opt = torch.optim.Adam(mlp.parameters(), lr=lr)
    q = torch.ones(len(envs))
    losses = []
    for step in range(steps):
        x_all = torch.from_numpy(np.concatenate([e[0] for e in envs]))
        z_all = mlp(x_all)
        zs, o = [], 0
        for x, _ in envs:
            zs.append(z_all[o:o + len(x)])
            o += len(x)
        R = torch.stack([risk(z, y, k) for z, (_, y) in zip(zs, envs)])
        nll = R.mean()
        pw = 0.0 if method == "erm" else (pw_after if step >= anneal else 1.0)
        if method == "irm":
            pen = torch.stack([irm_binary(z, y) if k == 1 else irm_domainbed(z, y, k) for z, (_, y) in zip(zs, envs)]).mean()
            loss = nll + pw * pen
        elif method == "vrex":
            loss = nll + pw * ((R - R.mean()) ** 2).mean()
        elif method == "groupdro":
            for m in range(len(envs)):
                q[m] *= (eta * R[m].data).exp()
            q /= q.sum()
            loss = torch.dot(R, q)
        else:
            loss = nll
        if l2 > 0:
            loss = loss + l2 * sum(w.norm().pow(2) for w in mlp.parameters())
        if form == "irm-paper" and pw > 1.0:
            loss = loss / pw
        if form == "domainbed" and method != "erm" and step == anneal and anneal > 0:
            opt = torch.optim.Adam(mlp.parameters(), lr=lr)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss))
    params = [p.detach().numpy() for p in mlp.parameters()]
    final = []
    for i in range(3):
        final.append(dict(W=fl(params[2 * i].T), b=fl(params[2 * i + 1])))
    return dict(name=name, k=k, widths=widths, steps=steps, lr=lr, method=method, form=form, l2=l2, penaltyWeight=pw_after, anneal=anneal, eta=eta,
                envs=[dict(x=fl(x), y=[int(v) for v in y], n=len(y)) for x, y in envs],
                init=[dict(W=fl(W), b=fl(b)) for W, b in init], losses=losses, final=final)


def main():
    rs = np.random.RandomState(0)
    cases = [
        run("paper-irm", rs, 1, 5, 0.01, "irm", "irm-paper", l2=0.01, pw_after=1000.0, anneal=2),
        run("paper-erm", rs, 1, 4, 0.01, "erm", "irm-paper", l2=0.01),
        run("domainbed-irm", rs, 3, 5, 0.01, "irm", "domainbed", pw_after=100.0, anneal=2),
        run("domainbed-vrex", rs, 3, 5, 0.01, "vrex", "domainbed", pw_after=10.0, anneal=2),
        run("groupdro", rs, 3, 4, 0.01, "groupdro", "domainbed", eta=0.5),
    ]
    with open(OUT, "w") as f:
        json.dump(dict(versions=dict(torch=torch.__version__, numpy=np.__version__), cases=cases), f, separators=(",", ":"))
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
