"""softmax_ce.py - peer for the softmax-ce suite: softmax + cross-entropy forward + backward
(gradient w.r.t. the logits), adapted from ../shared/peers/softmax_ce.py to the JSON-lines protocol
of bench/suite.ts (see protocol.py).

usage: python3 bench/peers/softmax_ce.py --impl {torch-autograd,torch-manual,numpy} --threads N

Inputs are identical in every contender (bench/suites/softmaxCe.ts builds the same bits):
  logits[i] = ((h(i) >> 8) / 2^24) * 8 - 4  as float32, h(i) = (i * 2654435761) mod 2^32
  label[n]  = (n * 7919 + 13) mod K
One timed run = mean loss + grad = (softmax(logits) - onehot(label)) / N, fresh gradient each call.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from protocol import serve, skip  # noqa: E402


def ce_inputs(np, N, K):
    i = np.arange(N * K, dtype=np.uint64)
    h = (i * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)
    logits = (((h >> np.uint64(8)).astype(np.float64) / 16777216.0) * 8.0 - 4.0).astype(np.float32).reshape(N, K)
    labels = (np.arange(N, dtype=np.int64) * 7919 + 13) % K
    return logits, labels


def checksums(np, loss, g):
    g = np.asarray(g, dtype=np.float64).ravel()
    w = (np.arange(g.size) % 7).astype(np.float64) - 3.0
    return {"loss": float(loss), "grad_checksum_w": float(np.dot(g, w)), "grad_abs_sum": float(np.abs(g).sum())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--impl", required=True, choices=["torch-autograd", "torch-manual", "numpy"])
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    try:
        import numpy as np
    except ImportError:
        skip("numpy is not installed (Debian: apt-get install python3-numpy)")
    info = {"numpy": np.__version__, "impl": a.impl}
    if a.impl.startswith("torch"):
        try:
            import torch
            import torch.nn.functional as F
        except ImportError:
            skip("torch is not installed (Debian: apt-get install python3-torch)")
        torch.set_num_threads(a.threads)
        info.update(torch=torch.__version__, torch_num_threads=torch.get_num_threads())

    def prepare(case_id, params):
        N, K = params["shape"]
        logits_np, labels_np = ce_inputs(np, N, K)
        if a.impl == "torch-autograd":
            x = torch.from_numpy(logits_np).requires_grad_(True)
            y = torch.from_numpy(labels_np)

            def run():
                x.grad = None
                loss = F.cross_entropy(x, y)
                loss.backward()
                return float(loss), x.grad

        elif a.impl == "torch-manual":
            x = torch.from_numpy(logits_np)
            yc = torch.from_numpy(labels_np)[:, None]

            def run():
                with torch.no_grad():
                    p = torch.softmax(x, dim=1)
                    py = p.gather(1, yc)
                    loss = -torch.log(py).mean()
                    p.scatter_(1, yc, py - 1.0)
                    p.mul_(1.0 / N)
                return float(loss), p

        else:
            x, y = logits_np, labels_np
            ar = np.arange(N)
            inv_n = np.float32(1.0 / N)

            def run():
                m = x.max(axis=1, keepdims=True)
                e = np.subtract(x, m)
                np.exp(e, out=e)
                s = e.sum(axis=1, keepdims=True)
                loss = float(np.mean(np.log(s[:, 0]) - (x[ar, y] - m[:, 0])))
                e *= inv_n / s
                e[ar, y] -= inv_n
                return loss, e

        loss, g = run()
        g_np = g.detach().numpy() if hasattr(g, "detach") else g
        return (lambda: run() and None), checksums(np, loss, g_np)

    serve(info, prepare)


if __name__ == "__main__":
    main()
