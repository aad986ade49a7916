"""Golden folds of scikit-learn's splitters for test/validation/sklearnParity.test.ts.

Run: python3 scripts/golden_sklearn_splits.py   (writes test/golden/sklearn_splits.json)

Works with scikit-learn 1.2 (Debian) and 1.9 (numpy 1.x or 2.x). Each case names the splitter, its
parameters (scikit-learn's names), the data (n, y, groups) and what scikit-learn did: the splits
(train/test index lists as `split` yields them), the UserWarnings it raised, or the error message.
Features a version lacks are recorded as skipped cases with the reason, so the tests pick them up
automatically once the file is regenerated with a newer scikit-learn.
"""
import json
import pathlib
import platform
import warnings

import numpy as np
import sklearn
from sklearn import model_selection as ms

try:
    from sklearn.utils.extmath import _approximate_mode
except ImportError:
    try:  # older releases keep it in sklearn.utils
        from sklearn.utils import _approximate_mode
    except ImportError:  # a private helper: record its absence instead of failing
        _approximate_mode = None

VERSION = tuple(int(p) for p in sklearn.__version__.split('.')[:2])
CASES = []


def listed(a):
    return None if a is None else [v.item() if hasattr(v, 'item') else v for v in a]


def run_case(case_id, splitter, params, n, y=None, groups=None, requires=None, note=None, extra=None):
    case = {'id': case_id, 'splitter': splitter, 'params': params, 'n': n, 'y': listed(y), 'groups': listed(groups)}
    if note:
        case['note'] = note
    if extra:
        case.update(extra)
    if requires and VERSION < requires[0]:
        case['skipped'] = f'needs scikit-learn >= {requires[0][0]}.{requires[0][1]} ({requires[1]}); this is {sklearn.__version__}'
        CASES.append(case)
        return
    X = np.zeros((n, 1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            if splitter == 'train_test_split':
                kw = dict(params)
                if 'stratify' in kw:
                    kw['stratify'] = np.asarray(y)
                train, test = ms.train_test_split(np.arange(n), **kw)
                splits = [{'train': listed(train), 'test': listed(test)}]
            else:
                if splitter == 'PredefinedSplit':
                    cv = ms.PredefinedSplit(**params)
                else:
                    cv = getattr(ms, splitter)(**params)
                yy = None if y is None else np.asarray(y)
                gg = None if groups is None else np.asarray(groups)
                splits = [{'train': listed(tr), 'test': listed(te)} for tr, te in cv.split(X, yy, gg)]
                case['n_splits_reported'] = int(cv.get_n_splits(X, yy, gg))
            case['splits'] = splits
        except (ValueError, TypeError) as error:
            case['error'] = str(error)
    case['warnings'] = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    CASES.append(case)


rs = np.random.RandomState(1234)

# KFold: odd sizes, shuffle with integer seeds.
run_case('kfold-10-3', 'KFold', {'n_splits': 3}, 10)
run_case('kfold-11-4', 'KFold', {'n_splits': 4}, 11)
run_case('kfold-5-5', 'KFold', {'n_splits': 5}, 5)
for seed in [0, 42, 2**32 - 1]:
    run_case(f'kfold-17-5-shuffle-{seed}', 'KFold', {'n_splits': 5, 'shuffle': True, 'random_state': seed}, 17)
run_case('kfold-1000-7-shuffle-3', 'KFold', {'n_splits': 7, 'shuffle': True, 'random_state': 3}, 1000)
run_case('kfold-error-1-split', 'KFold', {'n_splits': 1}, 10)
run_case('kfold-error-seed-without-shuffle', 'KFold', {'n_splits': 3, 'random_state': 1}, 10)
run_case('kfold-error-more-splits-than-samples', 'KFold', {'n_splits': 6}, 5)

# StratifiedKFold: imbalanced classes, strings, first-appearance order, warnings and errors.
y_imb = [0] * 20 + [1] * 7 + [2] * 3
run_case('skf-imbalanced-3', 'StratifiedKFold', {'n_splits': 3}, 30, y=y_imb)
y_mixed = list(rs.choice([2, 0, 1], size=101, p=[0.6, 0.3, 0.1]))
run_case('skf-101-5', 'StratifiedKFold', {'n_splits': 5}, 101, y=y_mixed)
for seed in [0, 7, 123]:
    run_case(f'skf-101-5-shuffle-{seed}', 'StratifiedKFold', {'n_splits': 5, 'shuffle': True, 'random_state': seed}, 101, y=y_mixed)
y_str = ['cat', 'dog', 'bird', 'dog', 'dog', 'cat', 'bird', 'cat', 'dog', 'cat', 'dog', 'bird', 'cat']
run_case('skf-strings-3', 'StratifiedKFold', {'n_splits': 3}, 13, y=y_str)
run_case('skf-strings-3-shuffle-5', 'StratifiedKFold', {'n_splits': 3, 'shuffle': True, 'random_state': 5}, 13, y=y_str)
run_case('skf-warn-small-class', 'StratifiedKFold', {'n_splits': 3}, 12, y=[0] * 10 + [1] * 2)
run_case('skf-error-every-class-small', 'StratifiedKFold', {'n_splits': 4}, 6, y=[0, 0, 0, 1, 1, 1])
y_many = list(rs.randint(0, 12, size=400))
run_case('skf-400-12-classes-shuffle-9', 'StratifiedKFold', {'n_splits': 4, 'shuffle': True, 'random_state': 9}, 400, y=y_many)

# GroupKFold: ties in group sizes; the shuffle option of 1.6+.
stable_sort_note = 'scikit-learn 1.9 sorts group sizes with kind="stable"; older releases use the default argsort'


class _StableArgsortNumpy:
    """numpy, except that argsort defaults to kind='stable' (what GroupKFold calls in 1.9)."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def argsort(a, *args, **kwargs):
        kwargs.setdefault('kind', 'stable')
        return np.argsort(a, *args, **kwargs)


def group_kfold_stable_splits(params, groups):
    """Runs the installed GroupKFold code with a stable argsort, as scikit-learn 1.9 sorts group sizes."""
    from sklearn.model_selection import _split
    saved = _split.np
    _split.np = _StableArgsortNumpy()
    try:
        cv = ms.GroupKFold(**params)
        return [{'train': listed(tr), 'test': listed(te)} for tr, te in cv.split(np.zeros((len(groups), 1)), None, np.asarray(groups))]
    finally:
        _split.np = saved


def group_case(case_id, params, groups, requires=None):
    groups = list(groups)
    _, idx = np.unique(groups, return_inverse=True)
    sizes = np.bincount(idx)
    default_equals_stable = bool(np.array_equal(np.argsort(sizes), np.argsort(sizes, kind='stable')))
    extra = {'default_argsort_equals_stable': default_equals_stable}
    if VERSION < (1, 9) and not default_equals_stable and not params.get('shuffle'):
        extra['splits_stable_sort'] = group_kfold_stable_splits(params, groups)
        extra['splits_stable_sort_how'] = 'this GroupKFold code run with np.argsort(kind="stable"), as scikit-learn 1.9 calls it'
    run_case(case_id, 'GroupKFold', params, len(groups), groups=groups, requires=requires, extra=extra)


group_case('gkf-ties-small', {'n_splits': 3}, [0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6])
group_case('gkf-strings', {'n_splits': 2}, ['u3', 'u1', 'u2', 'u1', 'u3', 'u4', 'u2', 'u5'])
group_case('gkf-unbalanced', {'n_splits': 3}, [0] * 10 + [1] * 5 + [2] * 3 + [3] * 3 + [4] * 1 + [5] * 2)
group_case('gkf-60-groups-ties', {'n_splits': 5}, np.repeat(np.arange(60), rs.randint(1, 5, size=60)))
group_case('gkf-200', {'n_splits': 4}, rs.randint(0, 40, size=200))
group_case('gkf-error-more-splits-than-groups', {'n_splits': 4}, [0, 0, 1, 1, 2, 2])
for seed in [0, 11]:
    group_case(f'gkf-shuffle-{seed}', {'n_splits': 3, 'shuffle': True, 'random_state': seed}, rs.randint(0, 13, size=50),
               requires=((1, 6), 'GroupKFold(shuffle=True)'))

# StratifiedGroupKFold (1.0+): shuffle fixed in 1.8 (pull request #32540).
y_sg = list(rs.randint(0, 3, size=90))
g_sg = list(rs.randint(0, 25, size=90))
run_case('sgkf-90-3', 'StratifiedGroupKFold', {'n_splits': 3}, 90, y=y_sg, groups=g_sg)
run_case('sgkf-90-5', 'StratifiedGroupKFold', {'n_splits': 5}, 90, y=y_sg, groups=g_sg)
y_sg9 = list(rs.randint(0, 10, size=300))
g_sg9 = list(rs.randint(0, 60, size=300))
run_case('sgkf-300-10-classes', 'StratifiedGroupKFold', {'n_splits': 4}, 300, y=y_sg9, groups=g_sg9)
y_doc = [0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1]
g_doc = [1, 2, 3, 3, 4, 4, 1, 1, 2, 2, 3, 4, 5, 5, 5, 6, 6, 6]
run_case('sgkf-docs', 'StratifiedGroupKFold', {'n_splits': 3}, 18, y=y_doc, groups=g_doc)


def sgkf_fixed_shuffle_splits(params, y, groups):
    """What scikit-learn 1.8+ yields for StratifiedGroupKFold(shuffle=True), from this older release.

    Up to 1.7 the shuffle permutes the rows of the per-group class counts (perm = the first
    `permutation(n_groups)` of RandomState(seed)) but maps folds back with the unpermuted group ids,
    so group g lands in the fold chosen for row g. 1.8 (pull request #32540) maps row r back to
    group perm[r]. The greedy assignment of rows to folds is the same in both, so the 1.8 folds are
    this release's folds with group perm[r] given row r's fold.
    """
    cv = ms.StratifiedGroupKFold(**params)
    uniq, g_idx = np.unique(np.asarray(groups), return_inverse=True)
    row_fold = np.empty(len(uniq), dtype=int)
    for f, (_, test) in enumerate(cv.split(np.zeros((len(y), 1)), np.asarray(y), np.asarray(groups))):
        row_fold[np.unique(g_idx[test])] = f
    perm = np.random.RandomState(params['random_state']).permutation(len(uniq))
    group_fold = np.empty(len(uniq), dtype=int)
    group_fold[perm] = row_fold
    sample_fold = group_fold[g_idx]
    idx = np.arange(len(y))
    return [{'train': listed(idx[sample_fold != f]), 'test': listed(idx[sample_fold == f])} for f in range(params['n_splits'])]


for seed in [0, 3]:
    params = {'n_splits': 3, 'shuffle': True, 'random_state': seed}
    extra = None
    if VERSION < (1, 8):
        extra = {'splits_fixed_shuffle': sgkf_fixed_shuffle_splits(params, y_sg, g_sg),
                 'splits_fixed_shuffle_how': sgkf_fixed_shuffle_splits.__doc__.split('\n')[0]}
    run_case(f'sgkf-90-3-shuffle-{seed}', 'StratifiedGroupKFold', params, 90, y=y_sg, groups=g_sg, extra=extra,
             note='scikit-learn < 1.8 permutes class counts but not group ids (fixed by pull request #32540)')

# TimeSeriesSplit: test_size, gap, max_train_size; the gap-too-large error.
run_case('tss-20-4', 'TimeSeriesSplit', {'n_splits': 4}, 20)
run_case('tss-7-3', 'TimeSeriesSplit', {'n_splits': 3}, 7)
run_case('tss-20-3-test3-gap2', 'TimeSeriesSplit', {'n_splits': 3, 'test_size': 3, 'gap': 2}, 20)
run_case('tss-30-4-max5', 'TimeSeriesSplit', {'n_splits': 4, 'max_train_size': 5}, 30)
run_case('tss-30-4-max5-gap1-test4', 'TimeSeriesSplit', {'n_splits': 4, 'max_train_size': 5, 'gap': 1, 'test_size': 4}, 30)
run_case('tss-error-gap-too-large', 'TimeSeriesSplit', {'n_splits': 3, 'test_size': 3, 'gap': 2}, 10)
run_case('tss-error-too-many-folds', 'TimeSeriesSplit', {'n_splits': 5}, 5)

# Leave-groups-out and predefined splits.
g_lo = ['b', 'a', 'c', 'a', 'b', 'd', 'c', 'a']
run_case('logo-strings', 'LeaveOneGroupOut', {}, 8, groups=g_lo)
run_case('logo-error-one-group', 'LeaveOneGroupOut', {}, 3, groups=[1, 1, 1])
run_case('lpgo-2', 'LeavePGroupsOut', {'n_groups': 2}, 8, groups=g_lo)
run_case('lpgo-3-ints', 'LeavePGroupsOut', {'n_groups': 3}, 10, groups=[5, 1, 3, 3, 9, 1, 7, 5, 9, 7])
run_case('lpgo-error-too-few-groups', 'LeavePGroupsOut', {'n_groups': 3}, 5, groups=[0, 1, 2, 0, 1])
run_case('loo-5', 'LeaveOneOut', {}, 5)
run_case('loo-error-1-sample', 'LeaveOneOut', {}, 1)
run_case('lpo-6-2', 'LeavePOut', {'p': 2}, 6)
run_case('lpo-5-3', 'LeavePOut', {'p': 3}, 5)
run_case('lpo-error-p-too-large', 'LeavePOut', {'p': 3}, 3)
run_case('predefined', 'PredefinedSplit', {'test_fold': [0, 1, -1, 1, 0, 2, 2, -1]}, 8)

# Shuffle splits: float sizes round up (test) and down (train); int sizes.
run_case('ss-20-025-seed0', 'ShuffleSplit', {'n_splits': 3, 'test_size': 0.25, 'random_state': 0}, 20)
run_case('ss-30-default-seed1', 'ShuffleSplit', {'n_splits': 2, 'random_state': 1}, 30, note='0.1 * 30 = 3.0000000000000004 rounds up to 4')
run_case('ss-23-int-sizes', 'ShuffleSplit', {'n_splits': 4, 'test_size': 3, 'train_size': 10, 'random_state': 5}, 23)
run_case('ss-23-float-train', 'ShuffleSplit', {'n_splits': 2, 'train_size': 0.55, 'random_state': 8}, 23)
run_case('ss-error-test-too-big', 'ShuffleSplit', {'test_size': 20}, 20)
g_gss = list(rs.randint(0, 10, size=40))
run_case('gss-40-03-seed1', 'GroupShuffleSplit', {'n_splits': 3, 'test_size': 0.3, 'random_state': 1}, 40, groups=g_gss)
run_case('gss-40-default-seed2', 'GroupShuffleSplit', {'random_state': 2}, 40, groups=g_gss)
y_sss = [0] * 15 + [1] * 9 + [2] * 4
run_case('sss-imbalanced', 'StratifiedShuffleSplit', {'n_splits': 3, 'test_size': 0.3, 'random_state': 0}, 28, y=y_sss)
y_ties = [0] * 5 + [1] * 5 + [2] * 5 + [3] * 5
for seed in [0, 42]:
    run_case(f'sss-ties-{seed}', 'StratifiedShuffleSplit', {'n_splits': 4, 'test_size': 6, 'random_state': seed}, 20, y=y_ties,
             note='equal class counts: approximate_mode breaks ties with rng.choice')
run_case('sss-strings-train-size', 'StratifiedShuffleSplit', {'n_splits': 2, 'train_size': 0.5, 'test_size': 0.25, 'random_state': 3}, 13, y=y_str)
run_case('sss-error-singleton-class', 'StratifiedShuffleSplit', {'random_state': 0}, 6, y=[0, 0, 0, 1, 1, 2])

# Repeated k-folds: one generator for all repetitions.
for seed in [0, 99]:
    run_case(f'rkf-12-3x2-{seed}', 'RepeatedKFold', {'n_splits': 3, 'n_repeats': 2, 'random_state': seed}, 12)
    run_case(f'rskf-3x3-{seed}', 'RepeatedStratifiedKFold', {'n_splits': 3, 'n_repeats': 3, 'random_state': seed}, 30, y=y_imb)

# train_test_split.
run_case('tts-30-01-seed0', 'train_test_split', {'test_size': 0.1, 'random_state': 0}, 30)
run_case('tts-default-seed4', 'train_test_split', {'random_state': 4}, 17)
run_case('tts-int-sizes', 'train_test_split', {'test_size': 5, 'train_size': 9, 'random_state': 2}, 20)
run_case('tts-float-both', 'train_test_split', {'test_size': 0.3, 'train_size': 0.6, 'random_state': 6}, 25)
run_case('tts-no-shuffle', 'train_test_split', {'test_size': 0.3, 'shuffle': False}, 11)
run_case('tts-stratify', 'train_test_split', {'test_size': 0.25, 'random_state': 1, 'stratify': True}, 28, y=y_sss)
run_case('tts-stratify-ties', 'train_test_split', {'test_size': 7, 'random_state': 13, 'stratify': True}, 20, y=y_ties)
run_case('tts-error-empty-train', 'train_test_split', {'test_size': 0.95}, 10)

# approximate_mode and RandomState.choice, the pieces behind StratifiedShuffleSplit.
approx = []
for counts, draws, seed in ([] if _approximate_mode is None else [([4, 2], 3, 0), ([5, 2], 4, 0), ([2, 2, 2, 1], 2, 0), ([2, 2, 2, 1], 2, 42),
                            ([3, 3, 3, 3, 3], 7, 5), ([10, 1, 1, 1, 1, 1], 4, 9), ([7, 7, 6], 10, 1)]):
    out = _approximate_mode(np.array(counts), draws, np.random.RandomState(seed))
    approx.append({'class_counts': counts, 'n_draws': draws, 'seed': seed, 'result': [int(v) for v in out]})
choice = []
for pop, size, replace, seed in [(10, 3, False, 0), (10, 10, False, 1), (7, 5, True, 2), (1000, 4, False, 3), (3, 8, True, 4)]:
    out = np.random.RandomState(seed).choice(pop, size=size, replace=replace)
    choice.append({'population': pop, 'size': size, 'replace': replace, 'seed': seed, 'result': [int(v) for v in out]})

doc = {
    'sklearn': sklearn.__version__,
    'numpy': np.__version__,
    'python': platform.python_version(),
    'group_kfold_tie_order': 'stable' if VERSION >= (1, 9) else 'default-argsort',
    'cases': CASES,
    'approximate_mode': approx,
    'approximate_mode_skipped': None if _approximate_mode is not None else 'sklearn _approximate_mode not found in this release',
    'choice': choice,
}
out = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'golden' / 'sklearn_splits.json'
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text(json.dumps(doc, separators=(',', ':')) + '\n')
print('wrote', out, f'({out.stat().st_size} bytes, {len(CASES)} cases)')
