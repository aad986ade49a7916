"""Shared by the golden scripts: JSON-safe numbers (non-finite values as the strings losslab reads)."""
import json
import math


def enc(v):
    """A float for JSON; NaN and ±inf become "NaN", "Infinity" and "-Infinity"."""
    v = float(v)
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    return v


def write_json(path, doc):
    """Writes a golden file: compact JSON and a final newline."""
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", path)
