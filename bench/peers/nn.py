"""nn.py - PyTorch / NumPy peer of the `nn` suite (bench/suites/nn.ts), JSON-lines protocol of bench/suite.ts.

usage: python3 bench/peers/nn.py --threads N [--impl torch|numpy]

Cases (the ids of bench/suites/nn.ts):
  gemm-1024   C = A·B for float32 [1024, 1024] matrices (A, B from a shared file); metric gflops
  mlp-epoch   one epoch of nn.Sequential(Linear(784,256), ReLU, Linear(256,256), ReLU, Linear(256,10)) on
              Fashion-MNIST: pixels/255 float32, batch 256 (last 96), SGD lr 0.1, F.cross_entropy (mean),
              the shared initial weights (safetensors) and row order (perm.u32); loss.item() every step
  lenet-epoch one epoch of LeNet-5 (conv 6@5x5 pad 2, ReLU, max pool 2, conv 16@5x5, ReLU, max pool 2,
              120, 84, 10) with batch 64 (last 32), SGD lr 0.05 momentum 0.9, otherwise as mlp-epoch
  mnist-cnn   DomainBed's MNIST_CNN (conv 64, conv 128 stride 2, conv 128, conv 128, each 3x3 + ReLU +
              GroupNorm(8); global mean pool; Linear(128, 10)) forward + cross-entropy + backward on a
              batch of 64 two-channel 28x28 images (ColoredMNIST's shape), shared weights and batch
Safetensors are read with struct + json (Debian has no python3-safetensors).

Threads: torch.set_num_threads(N) sets PyTorch's OpenMP pool (convolutions via oneDNN, elementwise
ops), but Debian's torch 1.13 does its matrix products (torch.mm, nn.Linear) in OpenBLAS
(openblas-pthread), whose pool follows OPENBLAS_NUM_THREADS only; bench/suites/nn.ts sets it to N
(until 2026-12-05 it was 1 for every peer, so "PyTorch 2 threads" multiplied on one). `info`
reports both pools. mnist-cnn warms up for WARMUP calls before the check: PyTorch's first calls
fault in fresh pages for every activation (43,000 minor faults on the first call, 9,000 on the
second, 3,000 on some later ones; each ~13 µs here) and run 2-4x slower than the steady state.
"""
import argparse
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from protocol import serve, skip  # noqa: E402


def load_safetensors(path):
    import numpy as np
    import torch
    raw = open(path, 'rb').read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    kinds = {'F32': '<f4', 'F64': '<f8', 'I64': '<i8', 'I32': '<i4'}
    out = {}
    for name, e in header.items():
        if name == '__metadata__':
            continue
        b, end = e['data_offsets']
        out[name] = torch.from_numpy(np.frombuffer(data[b:end], dtype=kinds[e['dtype']]).reshape(e['shape']).copy())
    return out


WARMUP = 4


def openblas_threads():
    """The OpenBLAS pool size of this process (the library torch.mm uses here), or None if not found."""
    import ctypes
    try:
        with open('/proc/self/maps') as f:
            libs = {line.split()[-1] for line in f if 'libopenblas' in line}
        for lib in libs:
            if lib.startswith('/'):
                return int(ctypes.CDLL(lib).openblas_get_num_threads())
    except (OSError, AttributeError, ValueError):
        pass
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--impl', default='torch')
    a = ap.parse_args()
    try:
        import numpy as np
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
    except ImportError as e:
        skip('torch/numpy not installed (%s)' % e)
    torch.set_num_threads(a.threads)
    info = {
        'torch': torch.__version__,
        'numpy': np.__version__,
        'torch_num_threads': torch.get_num_threads(),
        'openblas_num_threads': openblas_threads(),
        'impl': a.impl,
    }

    def mlp():
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))

    def lenet():
        return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

    class MnistCnn(nn.Module):
        """DomainBed's MNIST_CNN featurizer (domainbed/networks.py) with a Linear(128, 10) classifier."""

        def __init__(self, channels):
            super().__init__()
            self.conv1 = nn.Conv2d(channels, 64, 3, 1, padding=1)
            self.conv2 = nn.Conv2d(64, 128, 3, stride=2, padding=1)
            self.conv3 = nn.Conv2d(128, 128, 3, 1, padding=1)
            self.conv4 = nn.Conv2d(128, 128, 3, 1, padding=1)
            self.bn0 = nn.GroupNorm(8, 64)
            self.bn1 = nn.GroupNorm(8, 128)
            self.bn2 = nn.GroupNorm(8, 128)
            self.bn3 = nn.GroupNorm(8, 128)
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = nn.Linear(128, 10)

        def forward(self, x):
            x = self.bn0(F.relu(self.conv1(x)))
            x = self.bn1(F.relu(self.conv2(x)))
            x = self.bn2(F.relu(self.conv3(x)))
            x = self.bn3(F.relu(self.conv4(x)))
            return self.fc(self.avgpool(x).view(len(x), -1))

    def prepare(case_id, params):
        d = params['dir']
        if case_id == 'gemm-1024':
            n = int(params['n'])
            A = np.fromfile(os.path.join(d, 'gemm-a.f32'), dtype='<f4').reshape(n, n)
            B = np.fromfile(os.path.join(d, 'gemm-b.f32'), dtype='<f4').reshape(n, n)
            flops = 2.0 * n ** 3
            import time
            At, Bt = torch.from_numpy(A), torch.from_numpy(B)
            product = (lambda: np.dot(A, B)) if a.impl == 'numpy' else (lambda: torch.mm(At, Bt))

            def run():
                t0 = time.perf_counter()
                C = product()
                dt = time.perf_counter() - t0
                return {'gflops': flops / dt / 1e9, 'checksum': float(C[::97, ::89].sum())}
            check = {'checksum': run()['checksum']}
            return run, check
        if a.impl != 'torch':
            return 'numpy runs the GEMM case only'
        if case_id in ('mlp-epoch', 'lenet-epoch'):
            data = params['dataDir']
            X = torch.from_numpy(np.fromfile(os.path.join(data, 'train-images.u8'), dtype=np.uint8).reshape(-1, 784).astype(np.float32) / np.float32(255.0))
            Y = torch.from_numpy(np.fromfile(os.path.join(data, 'train-labels.u8'), dtype=np.uint8).astype(np.int64))
            Xt = torch.from_numpy(np.fromfile(os.path.join(data, 'test-images.u8'), dtype=np.uint8).reshape(-1, 784).astype(np.float32) / np.float32(255.0))
            Yt = torch.from_numpy(np.fromfile(os.path.join(data, 'test-labels.u8'), dtype=np.uint8).astype(np.int64))
            perm = torch.from_numpy(np.fromfile(os.path.join(d, 'perm.u32'), dtype='<u4').astype(np.int64))
            conv = case_id == 'lenet-epoch'
            state = load_safetensors(os.path.join(d, 'lenet.safetensors' if conv else 'mlp.safetensors'))
            batch, lr, momentum = int(params['batch']), float(params['lr']), float(params['momentum'])
            shape = (-1, 1, 28, 28) if conv else (-1, 784)
            n = X.shape[0]
            holder = {}

            def run():
                model = lenet() if conv else mlp()
                model.load_state_dict(state)
                opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
                tot = 0.0
                for i in range(0, n, batch):
                    idx = perm[i:i + batch]
                    loss = F.cross_entropy(model(X.index_select(0, idx).reshape(shape)), Y.index_select(0, idx))
                    opt.zero_grad(set_to_none=True)
                    loss.backward()
                    opt.step()
                    tot += loss.item() * idx.shape[0]
                holder['model'], holder['loss'] = model, tot / n

            def metrics():
                with torch.no_grad():
                    acc = float((holder['model'](Xt.reshape(shape)).argmax(1) == Yt).float().mean())
                return {'epoch_mean_batch_loss': holder['loss'], 'test_acc': acc}

            run()
            check = metrics()

            def step():
                run()
                return metrics()
            return step, check
        if case_id == 'mnist-cnn':
            c = int(params['channels'])
            model = MnistCnn(c)
            model.load_state_dict(load_safetensors(os.path.join(d, 'mnist_cnn.safetensors')))
            x = torch.from_numpy(np.fromfile(os.path.join(d, 'mnist_cnn-x.f32'), dtype='<f4').reshape(-1, c, 28, 28))
            y = torch.from_numpy(np.fromfile(os.path.join(d, 'mnist_cnn-y.i32'), dtype='<i4').astype(np.int64))

            def run():
                model.zero_grad(set_to_none=True)
                loss = F.cross_entropy(model(x), y)
                loss.backward()
                return {'loss': float(loss), 'grad_conv2': float(model.conv2.weight.grad.sum()), 'grad_fc': float(model.fc.weight.grad.abs().sum())}
            for _ in range(WARMUP):
                run()
            return run, run()
        return 'unknown case %s' % case_id

    serve(info, prepare)


if __name__ == '__main__':
    main()
