"""domain_protocol.py - PyTorch peer of `losslab adapt`'s DomainBed protocol on the same data: the update of every
algorithm is scripts/golden_domainbed.py's Loop (plain PyTorch following domainbed/algorithms.py line by line, itself
checked against DomainBed's classes), driven the way losslab's DomainTrainer drives its algorithms.

  /usr/bin/python3 bench/peers/domain_protocol.py --data DIR (--target-domain T [--source-domain S] | --test-domain T)
      --methods erm,dann,coral,dan --seeds 5 --steps 200 --width 64 --checkpoint-every 50 --eval-rows 1000
      --select entropy|training-domain|oracle [--threads 1] [--hparams coral.mmd_gamma=10,dann.lambda=1]

DIR: a folder written by writeDomainFiles (src/node/domainFiles.ts). Identical to losslab: the per-domain 80/20
holdout (np.random.RandomState(seed + d).shuffle of each domain's rows, the first 20% "out"), the minibatch order
(one np.random.RandomState(seed): a permutation per domain sampler at the start and after each pass, samplers in the
order training domains then targets), DomainBed's default hyperparameters (lr 1e-3, batch 64; DANN with a target:
Ganin's reversal, betas (0.5, 0.9)), the model (DomainBed's MLP featurizer in -> W -> W -> W, linear classifier), the
checkpoints (after step 0, every N steps, after the last) and the selection rules (training-domain: best mean "out"
accuracy of the training domains; entropy: best negative mean prediction entropy on the target's first "in" rows;
oracle: the last checkpoint); the reported number is the test domain's "in" accuracy. Different: the initial weights
(torch.manual_seed(1000 * seed + t) with PyTorch's default init, losslab's generator with the same seed).
Prints one JSON line per finished seed ({"method", "seed", "checkpoints": [{"step", "val", "entropy", "test"}], "pick",
"oracle", "seconds"}) and one per method: {"method", "accs": [per seed], "mean", "sd", "oracleAccs", "oracleMean",
"oracleSd" (the last checkpoint, DomainBed's oracle with one hyperparameter setting), "seconds"}.
--hparams method.name=value overrides a default hyperparameter (DomainBed's names; e.g. coral.mmd_gamma=10).
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
import golden_domainbed as gd  # noqa: E402

_M = {}


def fast_mkmmd(zs, zt, linear=True):
    """domainbedlib.mkmmd (tllib's MultipleKernelMaximumMeanDiscrepancy) with the squared distances from one matrix
    product (|a|^2 + |b|^2 - 2ab, clamped at 0) instead of a [2b, 2b, F] broadcast, and the constant index matrix
    built once per batch size: the same estimate, 10-20x faster on a CPU thread. Only the linear estimate (DAN)."""
    assert linear
    b = zs.shape[0]
    f = torch.cat([zs, zt])
    sq = (f * f).sum(1)
    D = (sq.unsqueeze(0) + sq.unsqueeze(1) - 2.0 * (f @ f.t())).clamp_min(0.0)
    K = sum(torch.exp(-D / (2 * (a * torch.mean(D.detach())))) for a in [2 ** k for k in range(-3, 2)])
    if b not in _M:
        M = torch.zeros(2 * b, 2 * b)
        for i in range(b):
            s1, s2 = i, (i + 1) % b
            M[s1, s2] = M[s1 + b, s2 + b] = 1.0 / b
            M[s1, s2 + b] = M[s2, s1 + b] = -1.0 / b
        _M[b] = M
    return (K * _M[b]).sum() + 2.0 / (b - 1)


gd.mkmmd = fast_mkmmd

ALIASES = {"source-only": "erm", "deep-coral": "coral"}
HP = {
    "erm": {}, "irm": dict(irm_lambda=1e2, irm_penalty_anneal_iters=500), "vrex": dict(vrex_lambda=1e1, vrex_penalty_anneal_iters=500),
    "groupdro": dict(groupdro_eta=1e-2), "mixup": dict(mixup_alpha=0.2), "mldg": dict(mldg_beta=1.0, n_meta_test=2),
    "coral": dict(mmd_gamma=1.0), "mmd": dict(mmd_gamma=1.0), "dan": dict(mmd_gamma=1.0),
    "dann": dict(**gd.DANN_DEFAULTS),
}


class Sampler:
    def __init__(self, rows, batch, rs):
        self.rows, self.rs = rows, rs
        self.size = min(batch, len(rows))
        self.order = rs.permutation(len(rows))
        self.cursor = 0

    def next(self):
        out = np.empty(self.size, np.int64)
        for b in range(self.size):
            if self.cursor >= len(self.rows):
                self.order = self.rs.permutation(len(self.rows))
                self.cursor = 0
            out[b] = self.rows[self.order[self.cursor]]
            self.cursor += 1
        return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--target-domain", default=None)
    ap.add_argument("--source-domain", default=None)
    ap.add_argument("--test-domain", default=None)
    ap.add_argument("--methods", default="erm")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--width", type=int, default=256)
    ap.add_argument("--checkpoint-every", type=int, default=100)
    ap.add_argument("--eval-rows", type=int, default=10 ** 9)
    ap.add_argument("--select", default="training-domain")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--hparams", default="")
    a = ap.parse_args()
    overrides = {}
    for item in filter(None, a.hparams.split(",")):
        key, value = item.split("=")
        method, name = key.split(".")
        overrides.setdefault(ALIASES.get(method, method), {})[name] = float(value)
    torch.set_num_threads(a.threads)
    meta = json.load(open(os.path.join(a.data, "meta.json")))
    n, d = meta["n"], meta["features"]
    x = np.fromfile(os.path.join(a.data, "x.u8" if meta["dtype"] == "u8" else "x.f32"), np.uint8 if meta["dtype"] == "u8" else "<f4")
    X = torch.from_numpy(x.reshape(n, d).astype(np.float32) * np.float32(meta["scale"]))
    Y = torch.from_numpy(np.fromfile(os.path.join(a.data, "y.i32"), "<i4").astype(np.int64))
    dom = np.fromfile(os.path.join(a.data, "domain.i32"), "<i4")
    names = meta["domainNames"]
    k = len(names)
    adapt = a.target_domain is not None
    held = names.index(a.target_domain if adapt else a.test_domain)
    train = [names.index(s) for s in a.source_domain.split(",")] if a.source_domain else [e for e in range(k) if e != held]
    gd.D_IN, gd.WIDTH, gd.K = d, a.width, meta["numClasses"]
    for m in a.methods.split(","):
        name = ALIASES.get(m, m)
        accs, oracle_accs, t0 = [], [], time.perf_counter()
        for seed in range(a.seeds):
            split_in, split_out = [], []
            for e in range(k):
                rows = np.nonzero(dom == e)[0].astype(np.int64)
                np.random.RandomState(seed + e).shuffle(rows)
                n_out = int(math.floor(len(rows) * 0.2))
                split_out.append(rows[:n_out])
                split_in.append(rows[n_out:])
            rs = np.random.RandomState(seed)
            samplers = [Sampler(split_in[e], 64, rs) for e in train]
            targets = [Sampler(split_in[held], 64, rs)] if adapt else []
            hp = dict(gd.DEFAULTS, batch_size=64, mlp_width=256, **HP[name])
            hp.update(overrides.get(name, {}))
            if name == "dann" and adapt:
                hp["adversary"] = "reversal"
            torch.manual_seed(1000 * seed + held)
            loop = gd.Loop(name, hp, len(train), len(targets), gd.Draws(seed + 7919), a.steps)
            loop.init_optimizers()

            def accuracy(rows):
                rows = rows[: a.eval_rows]
                with torch.no_grad():
                    return float((loop.network(X[rows]).argmax(1) == Y[rows]).float().mean())

            def entropy():
                rows = split_in[held][: min(len(split_in[held]), a.eval_rows, 2000)]
                with torch.no_grad():
                    p = F.softmax(loop.network(X[rows]), 1)
                    return float((p * torch.log(p.clamp_min(1e-30))).sum(1).mean())

            checkpoints = []
            t_seed = time.perf_counter()
            for step in range(a.steps):
                mbs = [(X[r], Y[r]) for r in (s.next() for s in samplers)]
                unl = [X[s.next()] for s in targets]
                loop.network.train()
                loop.step(mbs, unl)
                if step % a.checkpoint_every == 0 or step == a.steps - 1:
                    loop.network.eval()
                    val = np.mean([accuracy(split_out[e]) for e in train])
                    checkpoints.append(dict(step=step, val=val, entropy=entropy() if adapt else 0.0, test=accuracy(split_in[held])))
            if a.select == "oracle":
                pick = checkpoints[-1]
            else:
                key = "entropy" if a.select == "entropy" else "val"
                pick = max(checkpoints, key=lambda c: c[key])
            accs.append(pick["test"])
            oracle_accs.append(checkpoints[-1]["test"])
            print(json.dumps(dict(method=m, seed=seed, hparams={k: v for k, v in hp.items() if k in HP[name] or k in overrides.get(name, {})},
                                  checkpoints=checkpoints, pick=pick, oracle=checkpoints[-1], seconds=round(time.perf_counter() - t_seed, 1))), flush=True)
        sd = float(np.std(accs, ddof=1)) if len(accs) > 1 else 0.0
        osd = float(np.std(oracle_accs, ddof=1)) if len(oracle_accs) > 1 else 0.0
        print(json.dumps(dict(method=m, select=a.select, accs=accs, mean=float(np.mean(accs)), sd=sd, oracleAccs=oracle_accs,
                              oracleMean=float(np.mean(oracle_accs)), oracleSd=osd, seconds=round(time.perf_counter() - t0, 1))), flush=True)


if __name__ == "__main__":
    main()
