"""softmax_regression.py - PyTorch peer of the `training` suite (bench/suites/training.ts), adapted
from ../shared/peers/softmax_regression.py to the JSON-lines protocol of bench/suite.ts.

usage: python3 bench/peers/softmax_regression.py --threads N

Protocol: pixels / 255 float32; nn.Linear(784, 10) with weight = init-W.f32 ([784][10], transposed
into PyTorch's [10][784]) and bias 0; torch.optim.SGD(lr 0.1); batch 256 (last 96); epoch e visits
the rows in the order perms.u32[e]; F.cross_entropy (mean); loss.item() read every step. Data and
shared files come from the paths in the case params (losslab's Fashion-MNIST cache, same bytes as
../shared/peers/data). One timed run = the 10-epoch training loop.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from protocol import serve, skip  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    try:
        import numpy as np
        import torch
        import torch.nn.functional as F
    except ImportError as e:
        skip("torch/numpy not installed (%s)" % e)
    torch.set_num_threads(a.threads)
    info = {"torch": torch.__version__, "numpy": np.__version__, "torch_num_threads": torch.get_num_threads()}

    def prepare(case_id, params):
        d, sr = params["dataDir"], params["srDir"]
        epochs, batch, lr = int(params["epochs"]), int(params["batch"]), float(params["lr"])
        Xtr = np.fromfile(os.path.join(d, "train-images.u8"), dtype=np.uint8).reshape(-1, 784)
        ytr = np.fromfile(os.path.join(d, "train-labels.u8"), dtype=np.uint8)
        Xte = np.fromfile(os.path.join(d, "test-images.u8"), dtype=np.uint8).reshape(-1, 784)
        yte = np.fromfile(os.path.join(d, "test-labels.u8"), dtype=np.uint8)
        W0 = np.fromfile(os.path.join(sr, "init-W.f32"), dtype="<f4").reshape(784, 10)
        perms = np.fromfile(os.path.join(sr, "perms.u32"), dtype="<u4").reshape(epochs, -1)
        X = torch.from_numpy(Xtr.astype(np.float32) / np.float32(255.0))
        Y = torch.from_numpy(ytr.astype(np.int64))
        Xt = torch.from_numpy(Xte.astype(np.float32) / np.float32(255.0))
        Yt = torch.from_numpy(yte.astype(np.int64))
        perms_t = [torch.from_numpy(perms[e].astype(np.int64)) for e in range(epochs)]
        n = X.shape[0]
        state = {}

        def run():
            model = torch.nn.Linear(784, 10)
            with torch.no_grad():
                model.weight.copy_(torch.from_numpy(W0.T.copy()))
                model.bias.zero_()
            opt = torch.optim.SGD(model.parameters(), lr=lr)
            last = 0.0
            for e in range(epochs):
                tot = 0.0
                for i in range(0, n, batch):
                    idx = perms_t[e][i:i + batch]
                    loss = F.cross_entropy(model(X.index_select(0, idx)), Y.index_select(0, idx))
                    opt.zero_grad(set_to_none=True)
                    loss.backward()
                    opt.step()
                    tot += loss.item() * idx.shape[0]
                last = tot / n
            state["model"], state["last"] = model, last

        def metrics():
            model = state["model"]
            with torch.no_grad():
                return {"last_epoch_mean_batch_loss": state["last"], "train_loss_full": float(F.cross_entropy(model(X), Y)),
                        "test_acc": float((model(Xt).argmax(1) == Yt).float().mean())}

        run()
        check = metrics()

        return run, check

    serve(info, prepare)


if __name__ == "__main__":
    main()
