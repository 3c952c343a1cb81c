"""Notebook 07, k-fold: the worked answers to its exercises, and the exercises' records."""

from __future__ import annotations

import functools
import itertools

import numpy as np

from ._engine import Exercise, Line, Mistake, brief, read_array


def fold_scores(make_model, X, y, folds):
    """Validation accuracy of each fold:
    a fresh model trained on the others, scored on it.
    """
    scores = []
    for train_idx, val_idx in folds:
        model = make_model()  # a fresh, untrained model for every fold
        model.fit(X[train_idx], y[train_idx])
        scores.append(model.score(X[val_idx], y[val_idx]))
    return np.array(scores)


def kfold_indices(n_samples, n_splits):
    """A list of (train_idx, val_idx) pairs;
    every sample is validated exactly once.
    """
    order = np.arange(n_samples)  # shuffle it first if the rows have an order
    blocks = np.array_split(order, n_splits)  # sizes differ by at most one
    return [
        (np.concatenate(blocks[:i] + blocks[i + 1 :]), block)
        for i, block in enumerate(blocks)
    ]


# -- k-fold indices ---------------------------------------------------------------------------

def _kfold_cases(rng):
    """Sizes that divide evenly and sizes that do not, two folds up to seven."""
    cases = [(11, 3), (10, 5), (7, 2), (10, 4), (22, 4),
             (int(rng.integers(20, 60)), int(rng.integers(4, 8)))]
    rng.shuffle(cases)
    return [{"n_samples": n, "n_splits": k} for n, k in cases]


def _read_lazily(function, arguments):
    """Call, and read an iterable result with a bound: an endless generator cannot hang it."""
    result = function(*arguments.values())
    if result is None or result is Ellipsis:
        return result
    try:
        return list(itertools.islice(iter(result), arguments["n_splits"] + 1))
    except TypeError:
        return Line(f"returns {brief(result)}; expected a list of (train_idx, val_idx) pairs")


def _index_array(part, number, what, n_samples):
    array = read_array(part)
    if array.ndim != 1 or not np.array_equal(array, np.round(array)):
        raise Line(f"gives {what} indices in fold {number} that are not a 1-D array of whole "
                   "numbers")
    if array.size and (array.min() < 0 or array.max() >= n_samples):
        raise Line(f"gives {what} indices outside 0..{n_samples - 1} in fold {number}")
    return array.astype(int)


def _folds(raw, arguments):
    """What matters about the folds, whatever their order, as (fact, value) pairs."""
    n, k = arguments["n_samples"], arguments["n_splits"]
    if len(raw) != k:
        many = f"more than {k}" if len(raw) > k else len(raw)
        raise Line(f"returns {many} folds for n_splits = {k}; expected one fold per split")
    validated, facts = np.zeros(n, dtype=int), np.zeros(3, dtype=int)
    sizes = []
    for number, fold in enumerate(raw, start=1):
        if isinstance(fold, np.ndarray) or not isinstance(fold, (tuple, list)) or len(fold) != 2:
            raise Line(f"gives fold {number} as {brief(fold)}; each fold must be a pair "
                       "(train_idx, val_idx)")
        train, val = (_index_array(part, number, what, n)
                      for part, what in zip(fold, ("training", "validation")))
        np.add.at(validated, val, 1)
        sizes.append(len(val))
        facts += (len(np.intersect1d(train, val)), n - len(np.union1d(train, val)),
                  len(train) - len(np.unique(train)))
    return (("validation blocks of sizes", sorted(sizes)),
            ("samples never validated", int(np.sum(validated == 0))),
            ("samples validated more than once (blocks overlap)", int(np.sum(validated > 1))),
            ("samples in both parts of a fold", int(facts[0])),
            ("samples left out of both parts of a fold", int(facts[1])),
            ("samples listed twice in a training part", int(facts[2])))


def _show_folds(facts):
    shown = [f"{what} {value}" for what, value in facts[:1]]
    shown += [f"{what}: {value}" for what, value in facts[1:] if value]
    return "; ".join(shown)


def _blocks(n, k):
    return np.array_split(np.arange(n), k)


def _pairs(blocks, n):
    return [(np.setdiff1d(np.arange(n), block), block) for block in blocks]


KFOLD_MISTAKES = (
    Mistake(lambda n, k: [(val, train) for train, val in kfold_indices(n, k)],
            "Your kfold_indices returns each pair as (validation, training): the statement "
            "asks for (train_idx, val_idx), the training part first."),
    Mistake(lambda n, k: _pairs(np.split(np.arange(k * (n // k)), k), n),
            "Your kfold_indices drops the remainder of n_samples / n_splits: those samples are "
            "never validated. Spread it over the blocks (np.array_split does)."),
    Mistake(lambda n, k: _pairs([np.arange(i * (n // k), (i + 1) * (n // k) if i < k - 1
                                           else n) for i in range(k)], n),
            "Your kfold_indices puts the whole remainder in the last block: block sizes should "
            "differ by at most one (np.array_split does this)."),
    Mistake(lambda n, k: _pairs([np.arange(i * (n // k), min(n, i * (n // k) + -(-n // k)))
                                 for i in range(k)], n),
            "Your validation blocks overlap: each block starts where the last one ended, so "
            "every sample is validated once."),
    Mistake(lambda n, k: [(np.arange(n), val) for _, val in kfold_indices(n, k)],
            "Your kfold_indices trains on every sample, the validation block included: train "
            "on the others only."),
    Mistake(lambda n, k: [(blocks[i - 1], blocks[i]) for blocks in [_blocks(n, k)]
                          for i in range(k)],
            "Your kfold_indices trains on one other block only: train on all the samples not "
            "being validated."),
)


# -- the fold loop ------------------------------------------------------------------------------

@functools.cache
def tiny_model():
    """A stand-in for SoftmaxRegression, fast enough for a check (made on first use).

    Column 0 of X holds each row's number. ``fit`` remembers the label of every
    row it is given, keeping what it learned in earlier fits, as a model
    trained further from where it stopped would; ``predict`` answers from
    memory and gives an unseen row the commonest label of its training data.
    So a held-out score is below 1, a score on seen rows is 1, and a model
    reused across folds has seen the next fold's rows already. Validation data
    handed to ``fit`` is remembered too, as early stopping would use it to pick
    its epoch: a held-out fold passed to fit then scores 1.
    """
    from sklearn.base import BaseEstimator, ClassifierMixin

    class TinyModel(ClassifierMixin, BaseEstimator):
        def fit(self, X, y, X_val=None, y_val=None):
            rows, labels = np.asarray(X)[:, 0].astype(int), np.asarray(y).astype(int)
            self.memory_ = {**getattr(self, "memory_", {}), **dict(zip(rows, labels))}
            if X_val is not None and y_val is not None:
                self.memory_.update(zip(np.asarray(X_val)[:, 0].astype(int),
                                        np.asarray(y_val).astype(int)))
            self.fallback_ = int(np.argmax(np.bincount(labels)))
            self.classes_ = np.unique(labels)
            return self

        def predict(self, X):
            rows = np.asarray(X)[:, 0].astype(int)
            return np.array([self.memory_.get(row, self.fallback_) for row in rows])

    return TinyModel


def _fold_data(rng, n_samples, n_splits):
    """Rows numbered in column 0, labels 0..2, and shuffled folds of uneven sizes."""
    X = np.column_stack([np.arange(n_samples), rng.normal(size=(n_samples, 2))])
    while True:  # until every held-out block mixes labels: no fresh model scores 1 by chance
        y = rng.integers(0, 3, size=n_samples)
        y[: n_samples // 2] = 0  # label 0 is the commonest in every training part
        blocks = np.array_split(rng.permutation(n_samples), n_splits)
        if all(len(np.unique(y[block])) > 1 for block in blocks):
            break
    folds = [(np.setdiff1d(np.arange(n_samples), block), np.sort(block)) for block in blocks]
    return {"make_model": tiny_model(), "X": X, "y": y, "folds": folds}


def _fold_scores_read(raw, arguments):
    scores = read_array(raw)
    n_folds = len(arguments["folds"])
    if scores.shape != (n_folds,):
        raise Line(f"returns {np.round(scores, 4).tolist()} for {n_folds} folds; expected one "
                   "score per fold (loop over folds itself rather than a fixed range)")
    return scores


def _fold_loop(fit_on, score_on, fresh=True):
    """A fold loop that fits on ``fit_on(train, val)`` and scores on ``score_on(train, val)``."""

    def mistaken(make_model, X, y, folds):
        scores, model = [], make_model()
        for train_idx, val_idx in folds:
            model = make_model() if fresh else model
            fit_rows, score_rows = fit_on(train_idx, val_idx), score_on(train_idx, val_idx)
            model.fit(X[fit_rows], y[fit_rows])
            scores.append(model.score(X[score_rows], y[score_rows]))
        return np.array(scores)

    return mistaken


def _train(train, val):
    return train


def _val(train, val):
    return val


FOLD_SCORES_MISTAKES = (
    Mistake(lambda make_model, X, y, folds: np.mean(fold_scores(make_model, X, y, folds)),
            "Your fold_scores returns the mean over the folds; return one score per fold, so "
            "that their spread can be seen (take the mean afterwards)."),
    Mistake(lambda make_model, X, y, folds: 100 * fold_scores(make_model, X, y, folds),
            "Your fold_scores returns percentages; return fractions, as model.score does."),
    Mistake(_fold_loop(_train, _val, fresh=False),
            "Your fold_scores fits one model again and again: each fold needs a fresh model "
            "from make_model(), or it starts from what it learned on the fold before."),
    Mistake(_fold_loop(_val, _train),
            "Your fold_scores reads each pair the wrong way round: it trains on the validation "
            "part. Each fold is (train_idx, val_idx); fit on X[train_idx], score on "
            "X[val_idx]."),
    Mistake(_fold_loop(_train, _train),
            "Your fold_scores scores each model on images it trained on (its training part, "
            "or a held-out fold it was trained on too, or handed to fit as validation data, "
            "where early stopping picks its epoch on it): fit on X[train_idx], y[train_idx] "
            "only and score on X[val_idx]."),
)


EXERCISES = (
    Exercise(
        topic="fold_scores", answer=fold_scores, read=_fold_scores_read,
        cases=lambda rng: [_fold_data(rng, n, k) for n, k in ((9, 2), (14, 3), (23, 5))],
        hint="For each (train_idx, val_idx) in folds: model = make_model(), "
             "model.fit(X[train_idx], y[train_idx]), then append model.score(X[val_idx], "
             "y[val_idx]); return the list as an array.",
        praise="your fold_scores trains a fresh model on each fold's training part and scores "
               "it on that fold's held-out part, one score per fold.",
        mistakes=FOLD_SCORES_MISTAKES,
    ),
    Exercise(
        topic="kfold_indices", answer=kfold_indices, cases=_kfold_cases, run=_read_lazily,
        read=_folds, same=lambda mine, expected: mine == expected, show=_show_folds,
        hint="Cut np.arange(n_samples) (shuffled, if you like) into n_splits blocks with "
             "np.array_split; fold i validates on block i and trains on the concatenation of "
             "the others.",
        praise="your folds validate every sample exactly once, train on all the others, and "
               "differ in size by at most one.",
        mistakes=KFOLD_MISTAKES,
    ),
)
