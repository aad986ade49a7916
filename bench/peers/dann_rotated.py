"""dann_rotated.py - PyTorch peer of the `adapt` suite's DANN protocol: one epoch of domain-adversarial
training (Ganin & Lempitsky 2015; Ganin et al. 2016) on rotated Fashion-MNIST, source domain labelled,
target domain unlabelled, on the data losslab built.

usage: python3 bench/peers/dann_rotated.py --threads N          (JSON-lines protocol of bench/suite.ts)
       python3 bench/peers/dann_rotated.py --threads N --standalone DIR [--model cnn|mlp] [--epochs E]

Data: the folder written by writeDomainFiles (src/node/domainFiles.ts): x.u8 [n, 784], y.i32, domain.i32,
plus order_source.i32 (the source rows in training order) and order_target.i32 (target rows, cycled)
written by the suite, so both implementations see the same batches. Inputs: bytes / 255 as float32,
[N, 1, 28, 28].

Model: featurizer `cnn` = DomainBed's MNIST_CNN (conv 3x3 64 -> ReLU -> GroupNorm(8) -> conv 3x3/2 128 ->
ReLU -> GN -> conv 128 -> ReLU -> GN -> conv 128 -> ReLU -> GN -> global average pool: 128 features) or
`mlp` = 784 -> 256 -> ReLU -> 256 -> ReLU (256 features); classifier Linear(F, 10); discriminator
DomainBed's MLP (F -> 256 -> ReLU -> 256 -> ReLU -> 2). Step: f = featurizer(cat(x_s, x_t));
loss = CE(classifier(f_s), y_s) + CE(discriminator(GRL_lambda(f)), d) with d = 0 source, 1 target and
the gradient-reversal layer scaling the backward pass by -lambda_p, lambda_p = 2 / (1 + exp(-10 p)) - 1,
p = step / total steps (Ganin's schedule); one Adam(lr 1e-3, betas (0.5, 0.9)) over all parameters
(DomainBed's DANN optimiser settings for small images). Batch 64 source + 64 target rows.
"""
import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from protocol import serve, skip  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--standalone", default=None)
    ap.add_argument("--model", default="cnn", choices=["cnn", "mlp"])
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--source", type=int, default=0)
    ap.add_argument("--target", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--init", default=None, help="initial parameters (float32 file, PyTorch order)")
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"], help="standalone: the precision of the run")
    ap.add_argument("--trace", type=int, default=0, help="standalone: print the losses of the first N steps")
    a = ap.parse_args()
    try:
        import numpy as np
        import torch
        import torch.nn.functional as F
        from torch import nn
    except ImportError as e:
        skip("torch/numpy not installed (%s)" % e)
    torch.set_num_threads(a.threads)
    info = {"torch": torch.__version__, "numpy": np.__version__, "torch_num_threads": torch.get_num_threads()}

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
    from domainbedlib import GradReverse  # the gradient reversal the golden scripts use

    def featurizer(kind):
        if kind == "mlp":
            return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU()), 256
        return nn.Sequential(
            nn.Conv2d(1, 64, 3, 1, padding=1), nn.ReLU(), nn.GroupNorm(8, 64),
            nn.Conv2d(64, 128, 3, stride=2, padding=1), nn.ReLU(), nn.GroupNorm(8, 128),
            nn.Conv2d(128, 128, 3, 1, padding=1), nn.ReLU(), nn.GroupNorm(8, 128),
            nn.Conv2d(128, 128, 3, 1, padding=1), nn.ReLU(), nn.GroupNorm(8, 128),
            nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten()), 128

    def build(kind, seed, init):
        torch.manual_seed(seed)
        feat, nf = featurizer(kind)
        cls = nn.Linear(nf, 10)
        disc = nn.Sequential(nn.Linear(nf, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 2))
        model = nn.ModuleDict(dict(feat=feat, cls=cls, disc=disc))
        if init is not None:
            flat = torch.from_numpy(np.fromfile(init, "<f4"))
            k = 0
            with torch.no_grad():
                for p in model.parameters():
                    p.copy_(flat[k:k + p.numel()].view_as(p))
                    k += p.numel()
        return model

    def load(d, source, target):
        meta = json.load(open(os.path.join(d, "meta.json")))
        x = np.fromfile(os.path.join(d, "x.u8"), np.uint8).reshape(meta["n"], 1, 28, 28)
        y = np.fromfile(os.path.join(d, "y.i32"), "<i4").astype(np.int64)
        dom = np.fromfile(os.path.join(d, "domain.i32"), "<i4")
        X = torch.from_numpy(x.astype(np.float32) / np.float32(255.0))
        Y = torch.from_numpy(y)

        def order(name, dval):
            path = os.path.join(d, name)
            if os.path.exists(path):
                return torch.from_numpy(np.fromfile(path, "<i4").astype(np.int64))
            rows = np.nonzero(dom == dval)[0]
            return torch.from_numpy(np.random.RandomState(0).permutation(rows).astype(np.int64))

        return X, Y, torch.from_numpy(dom.astype(np.int64)), order("order_source.i32", source), order("order_target.i32", target)

    def train_epochs(model, X, Y, src, tgt, epochs, batch=64, trace=0):
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.5, 0.9))
        steps_per_epoch = math.ceil(len(src) / batch)
        total = steps_per_epoch * epochs
        step = 0
        last = {}
        for _ in range(epochs):
            for i in range(0, len(src), batch):
                s = src[i:i + batch]
                t = tgt[torch.arange(step * batch, step * batch + len(s)) % len(tgt)]
                p = step / total
                lam = 2.0 / (1.0 + math.exp(-10.0 * p)) - 1.0
                f = model["feat"](torch.cat([X[s], X[t]]))
                cls_loss = F.cross_entropy(model["cls"](f[:len(s)]), Y[s])
                d = torch.cat([torch.zeros(len(s), dtype=torch.long), torch.ones(len(t), dtype=torch.long)])
                disc_loss = F.cross_entropy(model["disc"](GradReverse.apply(f, lam)), d)
                loss = cls_loss + disc_loss
                opt.zero_grad()
                loss.backward()
                opt.step()
                last = dict(cls_loss=float(cls_loss), disc_loss=float(disc_loss))
                if step < trace:
                    print(json.dumps(dict(step=step, **last)), flush=True)
                step += 1
        return last

    def accuracy(model, X, Y, rows):
        with torch.no_grad():
            correct = 0
            for i in range(0, len(rows), 1000):
                r = rows[i:i + 1000]
                correct += (model["cls"](model["feat"](X[r])).argmax(1) == Y[r]).sum().item()
        return correct / len(rows)

    if a.standalone:
        import time
        X, Y, dom, src, tgt = load(a.standalone, a.source, a.target)
        model = build(a.model, a.seed, a.init)
        if a.dtype == "float64":
            model = model.double()
            X = X.double()
        t0 = time.perf_counter()
        last = train_epochs(model, X, Y, src, tgt, a.epochs, trace=a.trace)
        secs = time.perf_counter() - t0
        tgt_rows = torch.nonzero(dom == a.target).view(-1)
        print(json.dumps(dict(model=a.model, epochs=a.epochs, dtype=a.dtype, seconds=round(secs, 2), threads=a.threads, source_acc=accuracy(model, X, Y, src),
                              target_acc=accuracy(model, X, Y, tgt_rows), **last)), flush=True)
        return

    def prepare(case_id, params):
        X, Y, dom, src, tgt = load(params["dataDir"], int(params["source"]), int(params["target"]))
        kind = params.get("model", "cnn")
        init = params.get("init")
        tgt_rows = torch.nonzero(dom == int(params["target"])).view(-1)

        def run():
            model = build(kind, int(params.get("seed", 0)), init)
            last = train_epochs(model, X, Y, src, tgt, int(params.get("epochs", 1)))
            return dict(target_acc=accuracy(model, X, Y, tgt_rows), **last)

        model = build(kind, int(params.get("seed", 0)), init)
        with torch.no_grad():
            s = src[:64]
            check = {"cls_loss0": float(F.cross_entropy(model["cls"](model["feat"](X[s])), Y[s]))}
        return run, check

    serve(info, prepare)


if __name__ == "__main__":
    main()
