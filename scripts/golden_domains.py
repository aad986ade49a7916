"""Golden data for losslab's benchmarks with domains (src/data/coloredMnist.ts, rotatedMnist.ts, rotate.ts,
domainDataset.ts): the constructions rebuilt in NumPy / torchvision from the same source bytes.

  python3 scripts/golden_domains.py      -> test/golden/domains.json

Source bytes: losslab's caches (<cache>/fashion-mnist-v1/*.u8 and <cache>/mnist-v1/*.u8, cache root
$LOSSLAB_CACHE, $XDG_CACHE_HOME/losslab or ~/.cache/losslab); the script builds them with the compiled
library (dist/, `npm run build`) when missing.

Cases
  rotate    - torchvision.transforms.functional.rotate(ToPILImage()(img), angle, fill=(0,),
              interpolation=BILINEAR | NEAREST) then ToTensor()*255 (exactly DomainBed's
              RotatedMNIST transform) on 16 Fashion-MNIST and 16 MNIST images, several angles:
              sha256 of the rotated bytes and the first image in full.
  rotated   - DomainBed's RotatedMNIST construction (shuffle with RandomState(seed).permutation, domain i
              = shuffled[i::6], rotated by 0, 15, ..., 75 degrees): sha256 of each domain's images and labels.
  colored   - the IRM paper's and DomainBed's Colored MNIST constructions (see coloredMnist.ts) with
              NumPy's RandomState: sha256 of each environment's images and labels, label/colour agreement.
  holdout   - DomainBed misc.split_dataset(keys, int(n * 0.2), seed): RandomState(seed).shuffle(keys).
Needs python3-torchvision and python3-pil (Debian packages) besides numpy and torch.
"""
import hashlib
import os
import subprocess

import numpy as np
import PIL
import torch
import torchvision
from torchvision import transforms
from torchvision.transforms.functional import rotate
from goldenlib import write_json

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
OUT = os.path.join(ROOT, "test", "golden", "domains.json")


def cache_root():
    env = os.environ
    if env.get("LOSSLAB_CACHE"):
        return env["LOSSLAB_CACHE"]
    if env.get("XDG_CACHE_HOME"):
        return os.path.join(env["XDG_CACHE_HOME"], "losslab")
    return os.path.join(os.path.expanduser("~"), ".cache", "losslab")


def ensure_caches():
    fm = os.path.join(cache_root(), "fashion-mnist-v1", "header.json")
    mn = os.path.join(cache_root(), "mnist-v1", "header.json")
    if os.path.exists(fm) and os.path.exists(mn):
        return
    code = ("const a = await import('./dist/node/fashionMnistCache.js'); a.loadFashionMnist();"
            "const b = await import('./dist/node/mnistCache.js'); b.loadMnist();")
    subprocess.run(["node", "--input-type=module", "-e", code], cwd=ROOT, check=True)


def load_sources():
    ensure_caches()
    d = os.path.join(cache_root(), "fashion-mnist-v1")
    fx = np.concatenate([np.fromfile(os.path.join(d, "train-images.u8"), np.uint8), np.fromfile(os.path.join(d, "test-images.u8"), np.uint8)])
    fy = np.concatenate([np.fromfile(os.path.join(d, "train-labels.u8"), np.uint8), np.fromfile(os.path.join(d, "test-labels.u8"), np.uint8)])
    m = os.path.join(cache_root(), "mnist-v1")
    mx = np.fromfile(os.path.join(m, "images.u8"), np.uint8)
    my = np.fromfile(os.path.join(m, "labels.u8"), np.uint8)
    return {"fashion-mnist": (fx.reshape(-1, 28, 28), fy), "mnist": (mx.reshape(-1, 28, 28), my)}


def sha(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


MODES = {"bilinear": torchvision.transforms.InterpolationMode.BILINEAR, "nearest": torchvision.transforms.InterpolationMode.NEAREST}


def rotate_images(images, angle, interpolation="bilinear"):
    """DomainBed's RotatedMNIST transform, image by image, back to bytes."""
    t = transforms.Compose([
        transforms.ToPILImage(),
        transforms.Lambda(lambda x: rotate(x, angle, fill=(0,), interpolation=MODES[interpolation])),
        transforms.ToTensor(),
    ])
    out = np.empty((len(images), 28, 28), np.uint8)
    for i in range(len(images)):
        out[i] = np.rint(t(torch.from_numpy(np.ascontiguousarray(images[i]))).numpy()[0] * 255).astype(np.uint8)
    return out


def rotated(images, labels, seed, angles=(0, 15, 30, 45, 60, 75)):
    perm = np.random.RandomState(seed).permutation(len(labels))
    domains = []
    for i, angle in enumerate(angles):
        rows = perm[i::len(angles)]
        x = rotate_images(images[rows], angle)
        y = labels[rows].astype(np.int32)
        domains.append({"angle": angle, "n": int(len(rows)), "x": sha(x), "y": sha(y), "first_labels": [int(v) for v in y[:8]]})
    return domains


def colored(images, labels, seed, variant):
    n = len(labels)
    rs = np.random.RandomState(seed)
    perm = rs.permutation(n)
    if variant == "irm":
        ntr = n - 10000 if n > 20000 else int(np.floor(0.8 * n))
        envs = [(perm[0:ntr:2], 0.2), (perm[1:ntr:2], 0.1), (perm[ntr:], 0.9)]
        side = 14
    else:
        envs = [(perm[i::3], e) for i, e in enumerate([0.1, 0.2, 0.9])]
        side = 28
    out = []
    for rows, e in envs:
        m = len(rows)
        y = (labels[rows] < 5).astype(np.int32) ^ (rs.random_sample(m) < 0.25).astype(np.int32)
        c = y ^ (rs.random_sample(m) < e).astype(np.int32)
        im = images[rows][:, ::28 // side, ::28 // side]
        x = np.zeros((m, 2, side, side), np.uint8)
        x[np.arange(m), c] = im
        out.append({"e": e, "n": int(m), "x": sha(x), "y": sha(y), "first_labels": [int(v) for v in y[:8]],
                    "colour_agrees": float(np.mean(c == y))})
    return out


def main():
    src = load_sources()
    rotate_cases = []
    for name, (images, _) in src.items():
        rows = np.arange(0, 16 * 617, 617)
        for interpolation in ("bilinear", "nearest"):
            for angle in (15, 30, 45, 60, 75, 90, 200, -33.3):
                r = rotate_images(images[rows], angle, interpolation)
                rotate_cases.append({"source": name, "rows": [int(v) for v in rows], "angle": angle, "interpolation": interpolation,
                                     "sha256": sha(r), "first": [int(v) for v in r[0].reshape(-1)]})
    rotated_cases = [{"source": name, "seed": 0, "domains": rotated(*src[name], 0)} for name in ("mnist", "fashion-mnist")]
    colored_cases = []
    for name in ("mnist", "fashion-mnist"):
        for variant in ("irm", "domainbed"):
            for seed in (0, 1):
                colored_cases.append({"source": name, "variant": variant, "seed": seed, "envs": colored(*src[name], seed, variant)})
    holdout = []
    for n, seed in ((10, 0), (37, 3), (1000, 5)):
        keys = list(range(n))
        np.random.RandomState(seed).shuffle(keys)
        k = int(n * 0.2)
        holdout.append({"n": n, "seed": seed, "out": keys[:k], "in": keys[k:]})
    doc = {
        "versions": {"numpy": np.__version__, "torch": torch.__version__, "torchvision": torchvision.__version__, "pillow": PIL.__version__},
        "rotate": rotate_cases,
        "rotated": rotated_cases,
        "colored": colored_cases,
        "holdout": holdout,
    }
    write_json(OUT, doc)


if __name__ == "__main__":
    main()
