"""Every selection rule from the checkpoint records of `losslab adapt --target-domain ... --json FILE` (docs/adapt.md,
"Measured with the algorithm classes"): per file (one method), the target accuracy (%) mean ± sample sd over the runs
at the checkpoint each rule picks, as losslab's selectModel picks (the first checkpoint with the highest score):
the target-free validators entropy, DEV, IWCV, SND; source validation (DomainBed's training-domain rule on the source
domains' "out" accuracy); the oracle (last checkpoint); and the best checkpoint (peeks, an upper bound).

  /usr/bin/python3 scripts/adapt_selection_table.py --target 3 --source 0 r-erm.json r-dann.json ...
(--target / --source: domain indices, e.g. rotated-fashion-mnist's 45 is 3.)
"""
import argparse
import json

import numpy as np


def first_max(items, key):
    best = None
    for item in items:
        if best is None or key(item) > key(best):
            best = item
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", type=int, required=True)
    ap.add_argument("--source", default="0", help="comma-separated source domain indices")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    sources = [int(s) for s in a.source.split(",")]
    t = a.target
    rules = {
        "entropy": lambda c: c.get("scores", {}).get("entropy", -np.inf),
        "dev": lambda c: c.get("scores", {}).get("dev", -np.inf),
        "iwcv": lambda c: c.get("scores", {}).get("iwcv", -np.inf),
        "snd": lambda c: c.get("scores", {}).get("snd", -np.inf),
        "source-val": lambda c: float(np.mean([c["outAcc"][s] for s in sources])),
    }
    for f in a.files:
        docs = json.load(open(f))
        for d in docs if isinstance(docs, list) else [docs]:
            out = {name: [] for name in [*rules, "oracle", "best", "source (last)"]}
            for run in d["runs"]:
                cps = run["checkpoints"]
                for name, key in rules.items():
                    out[name].append(first_max(cps, key)["inAcc"][t])
                out["oracle"].append(cps[-1]["inAcc"][t])
                out["best"].append(max(c["inAcc"][t] for c in cps))
                out["source (last)"].append(float(np.mean([cps[-1]["outAcc"][s] for s in sources])))
            cells = []
            for name, v in out.items():
                v = 100 * np.array(v)
                cells.append("%s %.1f ± %.1f" % (name, v.mean(), v.std(ddof=1) if len(v) > 1 else 0.0))
            print("%s (%d runs): %s" % (d["method"], len(d["runs"]), "; ".join(cells)))


if __name__ == "__main__":
    main()
