"""Golden values from scikit-learn for losslab's t-SNE (src/manifold/).

Run: /usr/bin/python3 scripts/golden_sklearn_tsne.py   (writes test/golden/sklearn_tsne.json)

Data are replayable in losslab: clusters(seed, n, d, c) = RandomState(seed).standard_normal((n, d))
plus centres RandomState(seed).standard_normal((c, d)) * 3 drawn next, row i in cluster i % c.
- affinities: _joint_probabilities(pairwise_distances(X, squared=True), perplexity) (condensed) and
  _joint_probabilities_nn(kNN graph with squared distances, perplexity) (COO, rows then columns);
- tsne: TSNE(method, init, random_state=seed) on the same kind of data: kl_divergence_, n_iter_ and
  trustworthiness(X, embedding, n_neighbors=5), for several seeds (init='random' draws its start
  from RandomState(seed).standard_normal, which losslab reproduces);
- trustworthiness: exact values for fixed embeddings (X's first two columns plus noise).
"""
import json
import pathlib
import sys
import time
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.manifold import TSNE, trustworthiness
from sklearn.manifold._t_sne import _joint_probabilities, _joint_probabilities_nn
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import NearestNeighbors

OUT = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'golden' / 'sklearn_tsne.json'


def clusters(seed, n, d, c):
    rs = np.random.RandomState(seed)
    X = rs.standard_normal((n, d))
    centres = rs.standard_normal((c, d)) * 3
    return X + centres[np.arange(n) % c]


out = {'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__, 'sklearn': sklearn.__version__}}

# ---- affinities
aff = []
for seed, n, d, c, perplexity in [(91, 100, 10, 4, 30.0), (92, 60, 5, 3, 7.5)]:
    X = clusters(seed, n, d, c)
    D = pairwise_distances(X, squared=True)
    P = _joint_probabilities(D, perplexity, 0)
    iu = np.triu_indices(n, 1)
    aff.append({'seed': seed, 'n': n, 'd': d, 'c': c, 'perplexity': perplexity,
                'distances_sample': [float(D[i, j]) for i, j in zip(iu[0][::97], iu[1][::97])],
                'P': P.tolist()})
out['joint_probabilities'] = aff

aff_nn = []
for seed, n, d, c, perplexity in [(93, 120, 8, 4, 10.0)]:
    X = clusters(seed, n, d, c)
    k = min(n - 1, int(3.0 * perplexity + 1))
    G = NearestNeighbors(n_neighbors=k).fit(X).kneighbors_graph(mode='distance')
    G.data **= 2
    P = _joint_probabilities_nn(G, perplexity, 0).tocoo()
    order = np.lexsort((P.col, P.row))
    aff_nn.append({'seed': seed, 'n': n, 'd': d, 'c': c, 'perplexity': perplexity,
                   'row': P.row[order].tolist(), 'col': P.col[order].tolist(), 'P': P.data[order].astype(float).tolist()})
out['joint_probabilities_nn'] = aff_nn

# ---- trustworthiness of fixed embeddings
tw = []
for seed, n, d, c in [(94, 80, 6, 3)]:
    X = clusters(seed, n, d, c)
    noise = np.random.RandomState(seed + 1).standard_normal((n, 2))
    Y = X[:, :2] + noise
    for k in [5, 10]:
        tw.append({'seed': seed, 'n': n, 'd': d, 'c': c, 'n_neighbors': k, 'metric': 'euclidean', 'value': float(trustworthiness(X, Y, n_neighbors=k))})
    tw.append({'seed': seed, 'n': n, 'd': d, 'c': c, 'n_neighbors': 5, 'metric': 'cosine', 'value': float(trustworthiness(X, Y, n_neighbors=5, metric='cosine'))})
out['trustworthiness'] = tw

# ---- full t-SNE runs: KL divergence and trustworthiness over seeds
runs = []
data_seed, n, d, c = 95, 300, 20, 5
X = clusters(data_seed, n, d, c)
for method in ['barnes_hut', 'exact']:
    for init in ['pca', 'random']:
        for seed in range(5):
            t0 = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                model = TSNE(method=method, init=init, random_state=seed, learning_rate='auto')
                Y = model.fit_transform(X)
            runs.append({'method': method, 'init': init, 'seed': seed, 'kl_divergence': float(model.kl_divergence_), 'n_iter': int(model.n_iter_),
                         'trustworthiness': float(trustworthiness(X, Y, n_neighbors=5)), 'seconds': time.perf_counter() - t0})
out['tsne'] = {'data': {'seed': data_seed, 'n': n, 'd': d, 'c': c}, 'runs': runs}

OUT.write_text(json.dumps(out) + '\n')
print('wrote', OUT, f'({OUT.stat().st_size} bytes)')
