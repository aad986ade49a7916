"""PyTorch ↔ losslab weights through safetensors, for an MLP and LeNet-5.

  /usr/bin/python3 scripts/golden_torch_safetensors.py          writes test/golden/torch_safetensors/
  /usr/bin/python3 scripts/golden_torch_safetensors.py --check DIR
      loads DIR/{mlp,lenet}.safetensors (written by losslab) into the same PyTorch architectures and
      checks that their outputs on DIR/inputs.json equal losslab's DIR/outputs.json; prints JSON, exits 1 on a mismatch.

Debian has no python3-safetensors package (and losslab installs only from npm and Debian), so the
format is read and written here with struct + json, following the specification
(https://github.com/huggingface/safetensors#format) and the official writer's layout: an 8-byte
little-endian header length, the JSON header padded with spaces to a multiple of 8, tensors ordered
by dtype size then name, back to back.
"""
import json
import pathlib
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

DTYPES = {torch.float32: ('F32', '<f4'), torch.float64: ('F64', '<f8'), torch.int64: ('I64', '<i8'), torch.int32: ('I32', '<i4')}
NUMPY = {'F32': '<f4', 'F64': '<f8', 'I64': '<i8', 'I32': '<i4'}
SIZES = {'F32': 4, 'F64': 8, 'I64': 8, 'I32': 4}


def save(tensors, path, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-SIZES[DTYPES[kv[1].dtype][0]], kv[0]))
    header, blobs, offset = {}, [], 0
    if metadata:
        header['__metadata__'] = metadata
    for name, t in items:
        code, np_dtype = DTYPES[t.dtype]
        blob = t.detach().contiguous().numpy().astype(np_dtype).tobytes()
        header[name] = {'dtype': code, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * ((8 - len(text) % 8) % 8)
    path.write_bytes(struct.pack('<Q', len(text)) + text + b''.join(blobs))


def load(path):
    raw = path.read_bytes()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for name, e in header.items():
        if name == '__metadata__':
            continue
        b, end = e['data_offsets']
        arr = np.frombuffer(data[b:end], dtype=NUMPY[e['dtype']]).reshape(e['shape'])
        out[name] = torch.from_numpy(arr.copy())
    return out


def mlp():
    return nn.Sequential(nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))


def lenet():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


MODELS = {'mlp': (mlp, lambda x: x.reshape(x.shape[0], 784)), 'lenet': (lenet, lambda x: x.reshape(x.shape[0], 1, 28, 28))}


def write_golden(out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    rs = np.random.RandomState(3)
    inputs = rs.uniform(0, 1, size=(3, 784)).astype(np.float32)
    reference = {'torch': torch.__version__, 'inputs': inputs.reshape(-1).tolist(), 'inputShape': [3, 784], 'outputs': {}}
    for seed, (name, (make, shape)) in enumerate(MODELS.items()):
        torch.manual_seed(seed)
        m = make().eval()
        save(m.state_dict(), out_dir / f'{name}.safetensors', {'format': 'pt', 'model': name})
        with torch.no_grad():
            reference['outputs'][name] = m(shape(torch.from_numpy(inputs))).reshape(-1).tolist()
    (out_dir / 'reference.json').write_text(json.dumps(reference))
    print(f'wrote {out_dir}')


def check(directory):
    inputs = json.loads((directory / 'inputs.json').read_text())
    expected = json.loads((directory / 'outputs.json').read_text())
    x = torch.tensor(inputs['values'], dtype=torch.float32).reshape(inputs['shape'])
    report = {}
    for name, (make, shape) in MODELS.items():
        m = make().eval()
        state = load(directory / f'{name}.safetensors')
        m.load_state_dict(state, strict=True)
        with torch.no_grad():
            y = m(shape(x)).reshape(-1)
        diff = float((y - torch.tensor(expected[name], dtype=torch.float32)).abs().max())
        report[name] = {'maxAbsDiff': diff, 'keys': list(state.keys())}
    print(json.dumps(report))
    return all(r['maxAbsDiff'] <= 1e-5 for r in report.values())


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == '--check':
        sys.exit(0 if check(pathlib.Path(sys.argv[2])) else 1)
    write_golden(pathlib.Path(__file__).resolve().parent.parent / 'test' / 'golden' / 'torch_safetensors')
