"""sklearn_splits.py - scikit-learn peer of bench/suites/splits.ts (JSON-lines protocol of bench/suite.ts).

Case params: rows, groups, classes, folds, splitter ('GroupKFold' | 'StratifiedKFold'). Inputs are
bit-identical to the suite's: h(i) = i * 2654435761 mod 2^32, group[i] = (h >> 8) mod groups,
y[i] = (h >> 20) mod classes. One timed run = list(cv.split(X, y, groups)): every train and test
index array materialised, as a training loop would consume them.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from protocol import serve, skip  # noqa: E402

try:
    import numpy as np
    import sklearn
    from sklearn.model_selection import GroupKFold, StratifiedKFold
except ImportError as error:  # pragma: no cover
    skip(f"scikit-learn is not installed ({error})")


def inputs(rows, groups, classes):
    i = np.arange(rows, dtype=np.uint64)
    h = (i * np.uint64(2654435761)) % np.uint64(2**32)
    g = ((h >> np.uint64(8)) % np.uint64(groups)).astype(np.int32)
    y = ((h >> np.uint64(20)) % np.uint64(classes)).astype(np.int32)
    return g, y


def checks(splits):
    """Tie-order-free check values: per fold, its test size and (GroupKFold) its number of groups."""
    out = {}
    for f, (train, test) in enumerate(splits):
        out[f"test_size_{f}"] = float(len(test))
        out[f"train_size_{f}"] = float(len(train))
    return out


def prepare(case_id, params):
    rows, folds = int(params["rows"]), int(params["folds"])
    g, y = inputs(rows, int(params["groups"]), int(params["classes"]))
    X = np.empty((rows, 0))
    name = params["splitter"]
    if name == "GroupKFold":
        cv = GroupKFold(n_splits=folds)
        run = lambda: list(cv.split(X, y, g))  # noqa: E731
    elif name == "StratifiedKFold":
        cv = StratifiedKFold(n_splits=folds)
        run = lambda: list(cv.split(X, y))  # noqa: E731
    else:
        return f"unknown splitter {name}"
    check = checks(run())
    if name == "StratifiedKFold":
        splits = run()
        check["test_index_checksum"] = float(sum((f + 1) * int(test.sum()) for f, (_, test) in enumerate(splits)))

    def step():
        run()
        return None

    return step, check


serve({"sklearn": sklearn.__version__, "numpy": np.__version__}, prepare)
