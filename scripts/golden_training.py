"""Golden data for losslab's training code (src/models/): PyTorch and scikit-learn as the reference.

  python3 scripts/golden_training.py      -> test/golden/training.json

Cases (all float64, inputs rounded to float32 values so losslab's float32 datasets hold them exactly):
  loss      - F.cross_entropy(model(X), y) and its gradients for a softmax regression [5 -> 4] and an
              MLP [5 -> 7 -> 6 -> 4] with ReLU (nn.Linear weights stored transposed: W is [in, out]).
  optimizer - minibatch training of the softmax regression for 2 epochs over an explicit row order
              (batch 8 of 20 rows: 8, 8, 4), mean batch loss, with torch.optim.SGD (plain, momentum +
              weight decay, Nesterov, dampening) and torch.optim.Adam (with and without weight decay):
              the weights after training and the per-epoch mean minibatch loss.
  metrics   - sklearn.metrics accuracy_score, confusion_matrix, precision_recall_fscore_support
              (average=None, zero_division=0) on labels where one class is never predicted and one
              never occurs.
Deterministic (numpy RandomState seeds); runs on torch 1.13 / sklearn 1.2 and torch 2.x / sklearn 1.9.
"""
import json
import os

import numpy as np
import sklearn
import torch
import torch.nn.functional as F
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "golden", "training.json")
torch.set_default_dtype(torch.float64)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def flat(t):
    return [float(v) for v in np.asarray(t.detach() if isinstance(t, torch.Tensor) else t).reshape(-1)]


def make_params(rs, sizes):
    params = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        params.append(torch.tensor(f32(rs.normal(0, 0.5, size=(a, b))), requires_grad=True))
        params.append(torch.tensor(f32(rs.normal(0, 0.1, size=(b,))), requires_grad=True))
    return params


def forward(params, X):
    h = X
    layers = len(params) // 2
    for l in range(layers):
        h = h @ params[2 * l] + params[2 * l + 1]
        if l < layers - 1:
            h = torch.relu(h)
    return h


def loss_cases():
    out = []
    for name, sizes, seed in [("softmax-regression", [5, 4], 1), ("mlp", [5, 7, 6, 4], 2)]:
        rs = np.random.RandomState(seed)
        n = 9
        X = torch.tensor(f32(rs.normal(0, 1, size=(n, sizes[0]))))
        y = torch.tensor(rs.randint(0, sizes[-1], size=n), dtype=torch.int64)
        params = make_params(rs, sizes)
        loss = F.cross_entropy(forward(params, X), y)
        grads = torch.autograd.grad(loss, params)
        out.append({"name": name, "sizes": sizes, "X": flat(X), "y": [int(v) for v in y], "params": [flat(p) for p in params],
                    "loss": float(loss), "grads": [flat(g) for g in grads]})
    return out


def optimizer_cases():
    rs = np.random.RandomState(3)
    n, d, c = 20, 5, 4
    X = f32(rs.uniform(0, 1, size=(n, d)))
    y = rs.randint(0, c, size=n)
    W0 = f32(rs.normal(0, 0.1, size=(d, c)))
    b0 = np.zeros(c)
    orders = [rs.permutation(n).tolist() for _ in range(2)]
    batch = 8
    specs = [
        ("sgd", {"name": "sgd", "lr": 0.1}, lambda p: torch.optim.SGD(p, lr=0.1)),
        ("sgd-momentum-wd", {"name": "sgd", "lr": 0.1, "momentum": 0.9, "weightDecay": 0.01},
         lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01)),
        ("sgd-nesterov", {"name": "sgd", "lr": 0.05, "momentum": 0.8, "nesterov": True},
         lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True)),
        ("sgd-dampening", {"name": "sgd", "lr": 0.05, "momentum": 0.5, "dampening": 0.3},
         lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.5, dampening=0.3)),
        ("adam", {"name": "adam", "lr": 0.01}, lambda p: torch.optim.Adam(p, lr=0.01)),
        ("adam-wd", {"name": "adam", "lr": 0.02, "betas": [0.8, 0.99], "eps": 1e-6, "weightDecay": 0.05},
         lambda p: torch.optim.Adam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05)),
    ]
    cases = []
    for name, spec, make in specs:
        W = torch.tensor(W0, requires_grad=True)
        b = torch.tensor(b0, requires_grad=True)
        opt = make([W, b])
        Xt, yt = torch.tensor(X), torch.tensor(y, dtype=torch.int64)
        epoch_loss = []
        for order in orders:
            tot = 0.0
            for i in range(0, n, batch):
                idx = torch.tensor(order[i:i + batch], dtype=torch.int64)
                loss = F.cross_entropy(Xt[idx] @ W + b, yt[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += float(loss) * len(idx)
            epoch_loss.append(tot / n)
        cases.append({"name": name, "optimizer": spec, "W": flat(W), "b": flat(b), "epochLoss": epoch_loss})
    return {"n": n, "features": d, "classes": c, "batchSize": batch, "X": flat(X), "y": [int(v) for v in y],
            "W0": flat(W0), "orders": orders, "cases": cases}


def metric_cases():
    rs = np.random.RandomState(4)
    cases = []
    for n, k in [(50, 4), (200, 10)]:
        y_true = rs.randint(0, k - 1, size=n)          # class k-1 never occurs
        y_pred = rs.randint(0, k, size=n)
        y_pred[y_pred == 1] = 2                          # class 1 never predicted
        p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=list(range(k)), average=None, zero_division=0)
        cases.append({"numClasses": k, "yTrue": y_true.tolist(), "yPred": y_pred.tolist(),
                      "accuracy": float(accuracy_score(y_true, y_pred)),
                      "confusion": confusion_matrix(y_true, y_pred, labels=list(range(k))).tolist(),
                      "precision": flat(p), "recall": flat(r), "f1": flat(f), "support": [int(v) for v in s]})
    return cases


def main():
    data = {
        "versions": {"torch": torch.__version__, "sklearn": sklearn.__version__, "numpy": np.__version__},
        "loss": loss_cases(),
        "optimizer": optimizer_cases(),
        "metrics": metric_cases(),
    }
    with open(OUT, "w") as fh:
        json.dump(data, fh, separators=(",", ":"))
    print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
