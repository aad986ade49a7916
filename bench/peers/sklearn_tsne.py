"""sklearn_tsne.py - scikit-learn peer of bench/suites/tsne.ts (JSON-lines protocol of bench/suite.ts).

Case params: data (path of n x d uint8 pixels, row-major, written by the suite), rows, cols.
X = pixels / 255 in float64, the same values losslab embeds. One timed run =
TSNE(perplexity=30, early_exaggeration=12, learning_rate='auto', n_iter=1000, init='pca',
method='barnes_hut', angle=0.5, random_state=0).fit_transform(X): scikit-learn's defaults
(n_jobs=None: the neighbour search on one process, through BLAS; the Barnes-Hut gradient on
OMP_NUM_THREADS OpenMP threads). Metrics: the final KL divergence and the process CPU time of the
run (every thread).
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from protocol import serve, skip  # noqa: E402

try:
    import numpy as np
    import sklearn
    from sklearn.manifold import TSNE
except ImportError as error:  # pragma: no cover
    skip(f"scikit-learn is not installed ({error})")


def prepare(case_id, params):
    rows, cols = int(params["rows"]), int(params["cols"])
    raw = np.fromfile(params["data"], dtype=np.uint8)
    if raw.size != rows * cols:
        return f"{params['data']} holds {raw.size} bytes, expected {rows * cols}"
    X = raw.reshape(rows, cols).astype(np.float64) / 255.0

    def step():
        c0 = time.process_time()
        tsne = TSNE(
            n_components=2,
            perplexity=30.0,
            early_exaggeration=12.0,
            learning_rate="auto",
            n_iter=1000,
            init="pca",
            method="barnes_hut",
            angle=0.5,
            random_state=0,
        )
        Y = tsne.fit_transform(X)
        return {"kl": float(tsne.kl_divergence_), "cpu_s": time.process_time() - c0, "n_iter": float(tsne.n_iter_), "finite": float(np.isfinite(Y).all())}

    return step, {"rows": float(rows), "cols": float(cols)}


serve({"sklearn": sklearn.__version__, "numpy": np.__version__}, prepare)
