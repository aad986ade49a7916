"""Golden data for losslab's adaptation numerics that need no deep net (src/adapt/labelShift.ts,
importanceWeights.ts, validators.ts, modelSelection.ts): NumPy, PyTorch and scikit-learn as the reference.

  python3 scripts/golden_adapt.py      -> test/golden/adapt.json

Cases (float64 throughout; inputs stored in the JSON):
  bbse        - Lipton et al. 2018: C[i, j] = P(yhat = i, y = j) (hard: argmax; soft: probabilities),
                mu = target mean of the same, w = np.linalg.solve(C, mu) clipped at 0, q = w p / sum.
  em          - Saerens et al. 2002 EM on the target posteriors, NumPy loop (tol 1e-8, 1000 iterations).
  weights     - importance weights from sklearn LogisticRegression(C=1, solver="newton-cg") with cross_val_predict over
                StratifiedKFold(5, shuffle=True, random_state=0): w = n_s/n_t * p/(1-p), clipped at 10; Kish ESS.
  validators  - IWCV mean(w*l); DEV as pytorch-adapt's get_dev_risk (np.cov / np.var with ddof=1);
                prediction entropy (torch softmax * log_softmax); SND as pytorch-adapt's SNDValidator
                (F.normalize, cosine similarities, self masked out, softmax(S/0.05), entropy with
                eps = torch.finfo(torch.float32).tiny) on float64 tensors.
  selection   - DomainBed's three selection methods (training-domain, leave-one-domain-out, oracle)
                re-implemented here from domainbed/model_selection.py's documented behaviour, on
                random records (3 hyperparameter settings, 4 domains, 6 checkpoints, extra runs
                holding out pairs of domains).
"""
import os

import numpy as np
import sklearn
import torch
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from goldenlib import write_json

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "golden", "adapt.json")


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fl(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).reshape(-1)]


def label_shift_data(rs, k=4, n=600, m=500):
    """A source classifier's probabilities: logits = 2.5 * onehot(y) + noise; target priors differ."""
    p = np.array([0.4, 0.3, 0.2, 0.1])[:k]
    q = np.array([0.1, 0.2, 0.3, 0.4])[:k]
    ys = rs.choice(k, size=n, p=p)
    yt = rs.choice(k, size=m, p=q)
    ps = softmax(2.5 * np.eye(k)[ys] + rs.normal(size=(n, k)))
    pt = softmax(2.5 * np.eye(k)[yt] + rs.normal(size=(m, k)))
    return ps, ys, pt


def bbse(ps, ys, pt, k, soft):
    n = len(ys)
    C = np.zeros((k, k))
    for r in range(n):
        if soft:
            C[:, ys[r]] += ps[r] / n
        else:
            C[np.argmax(ps[r]), ys[r]] += 1 / n
    mu = pt.mean(0) if soft else np.bincount(pt.argmax(1), minlength=k) / len(pt)
    p = np.bincount(ys, minlength=k) / n
    w = np.maximum(np.linalg.solve(C, mu), 0)
    q = w * p / (w * p).sum()
    return dict(confusion=fl(C), mu=fl(mu), p=fl(p), weights=fl(w), q=fl(q))


def em(pt, p, tol=1e-8, max_iter=1000):
    q = p.copy()
    for it in range(1, max_iter + 1):
        post = pt * (q / p)
        post /= post.sum(1, keepdims=True)
        new = post.mean(0)
        done = np.max(np.abs(new - q)) < tol
        q = new
        if done:
            break
    return dict(q=fl(q), weights=fl(q / p), iterations=it, posteriors_first=fl(post[:5]))


def importance(rs):
    ns, nt, d = 150, 100, 3
    xs = rs.normal(size=(ns, d))
    xt = rs.normal(size=(nt, d)) + np.array([0.8, -0.5, 0.0])
    X = np.vstack([xs, xt])
    y = np.r_[np.zeros(ns, int), np.ones(nt, int)]
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    proba = cross_val_predict(LogisticRegression(C=1.0, solver="newton-cg", tol=1e-10, max_iter=100000), X, y, cv=cv, method="predict_proba")[:, 1]
    raw = ns / nt * proba[:ns] / (1 - proba[:ns])
    w = np.minimum(raw, 10.0)
    return dict(source=fl(xs), target=fl(xt), d=d, raw=fl(raw), weights=fl(w), clipped=int((raw > 10).sum()), ess=float(w.sum() ** 2 / (w ** 2).sum()))


def validators(rs):
    n, k = 40, 5
    losses = rs.exponential(size=n)
    weights = rs.gamma(2.0, 0.5, size=n)
    wl = weights * losses
    cov = np.cov(np.stack([wl, weights]))[0, 1]
    var_w = np.var(weights, ddof=1)
    eta = -cov / var_w
    dev = np.mean(wl) + eta * np.mean(weights) - eta
    logits = torch.tensor(rs.normal(scale=3.0, size=(n, k)))
    entropy = float((-(torch.softmax(logits, 1) * torch.log_softmax(logits, 1)).sum(1)).mean())
    probs = torch.softmax(logits, 1)
    unit = F.normalize(probs, dim=1)
    sim = unit @ unit.T
    mask = ~torch.eye(n, dtype=torch.bool)
    sim = sim[mask].view(n, n - 1)
    p = F.softmax(sim / 0.05, dim=1)
    snd = float((-(p * torch.log(p + torch.finfo(torch.float32).tiny)).sum(1)).mean())
    return dict(losses=fl(losses), weights=fl(weights), iwcv=float(np.mean(wl)), dev=float(dev), logits=fl(logits), k=k,
                entropy=entropy, probs=fl(probs), snd=snd)


# --- DomainBed's selection methods, re-implemented from their documented behaviour ---------------

def sweep(records, t, run_acc):
    """Best checkpoint per hparams setting; then the setting with the largest val acc (DomainBed
    sorts ascending, stably, and reverses: among ties the later setting wins)."""
    by_h = {}
    for r in records:
        by_h.setdefault(r["hparams"], []).append(r)
    accs = [(run_acc(group, t), h) for h, group in by_h.items()]
    accs = [(a, h) for a, h in accs if a is not None]
    if not accs:
        return None
    accs = sorted(accs, key=lambda x: x[0]["val_acc"])[::-1]
    a, h = accs[0]
    return dict(hparams=h, step=a["step"], val_acc=a["val_acc"], test_acc=a["test_acc"])


def first_max(items):
    best = None
    for it in items:
        if best is None or it["val_acc"] > best["val_acc"]:
            best = it
    return best


def training_domain(group, t):
    single = [r for r in group if r["test_envs"] == [t]]
    steps = [dict(step=r["step"], val_acc=float(np.mean([a for i, a in enumerate(r["out_acc"]) if i != t])), test_acc=r["in_acc"][t]) for r in single]
    return first_max(steps)


def oracle(group, t):
    single = [r for r in group if r["test_envs"] == [t]]
    if not single:
        return None
    last = sorted(single, key=lambda r: r["step"])[-1]
    return dict(step=last["step"], val_acc=last["out_acc"][t], test_acc=last["in_acc"][t])


def leave_one_out(group, t):
    steps = {}
    for r in group:
        if t in r["test_envs"]:
            steps.setdefault(r["step"], []).append(r)
    out = []
    for step, rs_ in steps.items():
        tests = [r for r in rs_ if r["test_envs"] == [t]]
        if len(tests) != 1:
            continue
        n_envs = len(tests[0]["in_acc"])
        val = np.zeros(n_envs) - 1
        for r in rs_:
            if len(r["test_envs"]) == 2:
                v = [e for e in r["test_envs"] if e != t][0]
                val[v] = r["in_acc"][v]
        others = [v for i, v in enumerate(val) if i != t]
        if any(v == -1 for v in others):
            continue
        out.append(dict(step=step, val_acc=float(np.sum(others) / (n_envs - 1)), test_acc=tests[0]["in_acc"][t]))
    return first_max(out)


def selection(rs):
    n_envs, steps = 4, [0, 100, 200, 300, 400, 500]
    records = []
    for h in range(3):
        for t in range(n_envs):
            for held in [[t]] + [sorted([t, v]) for v in range(n_envs) if v != t]:
                if len(held) == 2 and held[0] != t:
                    continue  # each pair run once
                for s in steps:
                    # accuracies on a coarse grid so ties happen
                    records.append(dict(step=s, test_envs=held, hparams=h,
                                        in_acc=[float(v) for v in np.round(rs.uniform(0.5, 1.0, n_envs), 2)],
                                        out_acc=[float(v) for v in np.round(rs.uniform(0.5, 1.0, n_envs), 2)]))
    results = []
    for t in range(n_envs):
        for name, fn in (("training-domain", training_domain), ("leave-one-domain-out", leave_one_out), ("oracle", oracle)):
            results.append(dict(test_domain=t, rule=name, selection=sweep(records, t, fn)))
    return dict(records=records, results=results)


def main():
    rs = np.random.RandomState(0)
    ps, ys, pt = label_shift_data(rs)
    k = ps.shape[1]
    p = np.bincount(ys, minlength=k) / len(ys)
    doc = {
        "versions": {"numpy": np.__version__, "torch": torch.__version__, "sklearn": sklearn.__version__},
        "label_shift": {"k": k, "source_probs": fl(ps), "source_labels": [int(v) for v in ys], "target_probs": fl(pt),
                        "bbse_hard": bbse(ps, ys, pt, k, False), "bbse_soft": bbse(ps, ys, pt, k, True), "em": em(pt, p), "source_priors": fl(p)},
        "weights": importance(rs),
        "validators": validators(rs),
        "selection": selection(rs),
    }
    write_json(OUT, doc)


if __name__ == "__main__":
    main()
