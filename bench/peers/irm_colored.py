"""irm_colored.py - PyTorch peer of the `adapt` suite's Colored Fashion-MNIST protocol: the IRM paper's
code/colored_mnist/main.py (and ../shared/peers/irm_colored.py) on the data losslab built.

usage: python3 bench/peers/irm_colored.py --threads N       (JSON-lines protocol of bench/suite.ts)
       python3 bench/peers/irm_colored.py --threads N --standalone DIR --method irm --restarts 3

Data: the folder written by writeDomainFiles (src/node/domainFiles.ts): x.u8 [n, 2*14*14] (pixel bytes,
channel-major), y.i32 (binary labels), domain.i32 (0: e=0.2, 1: e=0.1 training; 2: e=0.9 test). Inputs are
bytes / 255 as float32; the grayscale model sums the two channels.

Model and training (reproduce_paper_results.sh): MLP din -> hidden -> hidden -> 1 with ReLU,
xavier_uniform_ weights and zero biases (or the initial parameters in params["init"]: float32 little-endian,
PyTorch's parameter order, Linear weights [out, in]); full-batch Adam(lr); loss per step =
mean_e BCEWithLogits_e + l2 * sum ||w||^2 + pw * mean_e penalty_e with pw = penalty_weight from step
anneal on (1 before), the whole loss divided by pw when pw > 1; IRMv1 penalty_e = (d/ds BCE(s * logits, y) at s = 1)^2.
One timed run = the `steps` Adam steps; metrics: train accuracy (mean of the two training environments),
test accuracy, final loss.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from protocol import serve, skip  # noqa: E402

HPARAMS = {
    "irm": dict(hidden=390, l2=0.00110794568, lr=0.0004898536566546834, anneal=190, penalty=91257.18613115903, steps=501),
    "erm": dict(hidden=256, l2=0.001, lr=0.001, anneal=0, penalty=0.0, steps=501),
    "gray": dict(hidden=83, l2=0.0008602868865288383, lr=0.0028171488133821726, anneal=0, penalty=0.0, steps=101),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--standalone", default=None, help="data folder: run the protocol and print JSON lines")
    ap.add_argument("--method", default="irm", choices=sorted(HPARAMS))
    ap.add_argument("--restarts", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--steps", type=int, default=None, help="steps of each run (default: the protocol's)")
    ap.add_argument("--trace", type=int, default=0, help="standalone: every N steps, one JSON line of loss terms and training accuracies on stderr")
    ap.add_argument("--init", default=None, help="initial parameters (float32 file, PyTorch order); default a fresh draw per restart")
    a = ap.parse_args()
    try:
        import numpy as np
        import torch
        from torch import autograd, nn
    except ImportError as e:
        skip("torch/numpy not installed (%s)" % e)
    torch.set_num_threads(a.threads)
    info = {"torch": torch.__version__, "numpy": np.__version__, "torch_num_threads": torch.get_num_threads()}

    def load(d):
        meta = json.load(open(os.path.join(d, "meta.json")))
        x = np.fromfile(os.path.join(d, "x.u8"), np.uint8).reshape(meta["n"], -1)
        y = np.fromfile(os.path.join(d, "y.i32"), "<i4")
        dom = np.fromfile(os.path.join(d, "domain.i32"), "<i4")
        envs = []
        for e in range(3):
            rows = dom == e
            envs.append(dict(x=torch.from_numpy(x[rows].astype(np.float32) / np.float32(255.0)), y=torch.from_numpy(y[rows].astype(np.float32))[:, None]))
        return envs

    def build(method, envs, init, seed):
        h = HPARAMS[method]
        if method == "gray":
            envs = [dict(x=e["x"].reshape(len(e["x"]), 2, -1).sum(1), y=e["y"]) for e in envs]
        din = envs[0]["x"].shape[1]
        torch.manual_seed(seed)
        lins = [nn.Linear(din, h["hidden"]), nn.Linear(h["hidden"], h["hidden"]), nn.Linear(h["hidden"], 1)]
        for lin in lins:
            nn.init.xavier_uniform_(lin.weight)
            nn.init.zeros_(lin.bias)
        mlp = nn.Sequential(lins[0], nn.ReLU(), lins[1], nn.ReLU(), lins[2])
        if init is not None:
            flat = torch.from_numpy(np.fromfile(init, "<f4"))
            k = 0
            with torch.no_grad():
                for p in mlp.parameters():
                    p.copy_(flat[k:k + p.numel()].view_as(p))
                    k += p.numel()
        return envs, mlp

    def nll(z, y):
        return nn.functional.binary_cross_entropy_with_logits(z, y)

    def acc(z, y):
        return ((z > 0).float() == y).float().mean().item()

    def penalty(z, y):
        s = torch.tensor(1.0, requires_grad=True)
        g = autograd.grad(nll(z * s, y), [s], create_graph=True)[0]
        return (g ** 2).sum()

    def train(method, envs, mlp, steps=None, trace=0):
        h = HPARAMS[method]
        opt = torch.optim.Adam(mlp.parameters(), lr=h["lr"])
        loss = None
        for step in range(h["steps"] if steps is None else steps):
            outs = [mlp(e["x"]) for e in envs[:2]]
            tn = torch.stack([nll(outs[i], envs[i]["y"]) for i in (0, 1)]).mean()
            tp = torch.stack([penalty(outs[i], envs[i]["y"]) for i in (0, 1)]).mean()
            wn = sum(w.norm().pow(2) for w in mlp.parameters())
            pw = h["penalty"] if step >= h["anneal"] else 1.0
            loss = tn + h["l2"] * wn + pw * tp
            if pw > 1.0:
                loss = loss / pw
            if trace and step % trace == 0:
                accs = [acc(outs[i], envs[i]["y"]) for i in (0, 1)]
                print(json.dumps(dict(step=step, loss=float(loss), nll=float(tn), penalty=float(tp), acc0=accs[0], acc1=accs[1])), file=sys.stderr, flush=True)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            outs = [mlp(e["x"]) for e in envs]
        return {"train_acc": (acc(outs[0], envs[0]["y"]) + acc(outs[1], envs[1]["y"])) / 2, "test_acc": acc(outs[2], envs[2]["y"]), "loss": float(loss)}

    if a.standalone:
        import time
        envs0 = load(a.standalone)
        for r in range(a.restarts):
            envs, mlp = build(a.method, envs0, a.init, a.seed * 1000 + r)
            t0 = time.perf_counter()
            c0 = time.process_time()
            m = train(a.method, envs, mlp, a.steps, a.trace)
            cpu = time.process_time() - c0
            print(json.dumps(dict(method=a.method, restart=r, seconds=round(time.perf_counter() - t0, 3), cpu_s=round(cpu, 3), threads=a.threads, **m)), flush=True)
        return

    def prepare(case_id, params):
        method = params["method"]
        envs0 = load(params["dataDir"])
        init = params.get("init")
        state = {}

        def run():
            envs, mlp = build(method, envs0, init, int(params.get("seed", 0)))
            state["m"] = train(method, envs, mlp, params.get("steps"))
            return state["m"]

        # the check is the initial full-batch loss terms with the shared initial parameters
        envs, mlp = build(method, envs0, init, int(params.get("seed", 0)))
        with torch.no_grad():
            outs = [mlp(e["x"]) for e in envs[:2]]
            check = {"nll0": float(torch.stack([nll(outs[i], envs[i]["y"]) for i in (0, 1)]).mean())}
        return run, check

    serve(info, prepare)


if __name__ == "__main__":
    main()
