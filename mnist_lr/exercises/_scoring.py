"""Checks for measuring a model: accuracy (notebook 03), the confusion matrix (06), k-fold
indices and the fold loop (07)."""

from __future__ import annotations

import numpy as np

from .. import _solutions
from ._common import (
    _array,
    _call,
    _check,
    _close,
    _describe,
    _expect_shape,
    _first_match,
    _fmt,
    _hint,
    _indices,
    _number,
    _solution,
    _wrong,
)


@_check()
def check_accuracy(f):
    """Check ``f(y_true, y_pred)``: the fraction of right predictions.

    Mistakes it recognises: one True/False per sample instead of their
    mean; the count of right predictions; a percentage; the error rate;
    integer division (``//``) giving 0; comparing a column of predictions
    (n, 1) with a row of labels (n,), which NumPy broadcasts into an n × n
    table of every pair.
    """
    y_true = np.array([3, 1, 4, 1, 5, 9, 2, 6])
    y_pred = np.array([3, 1, 4, 0, 5, 9, 2, 7])
    right = int(np.sum(y_true == y_pred))
    expected = right / len(y_true)
    raw = _array(_call(f, "accuracy", y_true=y_true, y_pred=y_pred), "accuracy")
    if raw.shape == y_true.shape:
        raise _wrong("Your accuracy returns one True/False per sample: take their mean.")
    value = _number(raw, "accuracy")
    wrong_values = [
        (right, f"Your accuracy returns {right}, the number of right predictions: "
                "divide by the number of samples."),
        (100 * expected, f"Your accuracy returns a percentage ({100 * expected:g}); return "
                         f"the fraction, {expected:g}."),
        (1 - expected, f"Your accuracy returns {1 - expected:g}, the share of wrong "
                       "predictions: count the right ones."),
        (right // len(y_true), "Your accuracy returns 0: integer division (//) rounds the "
                               "fraction down; divide with /."),
    ]
    if not np.isclose(value, expected):
        _first_match(value, wrong_values, f"Your accuracy returns {value:g}; {right} of "
                     f"{len(y_true)} predictions are right, so {expected:g}.", same=np.isclose)
    column = y_pred.reshape(-1, 1)  # as from argmax(axis=1, keepdims=True)
    broadcast = np.mean(y_true == column)
    value = _number(_call(f, "accuracy", y_true=y_true, y_pred=column), "accuracy")
    if np.isclose(value, broadcast):
        raise _wrong(f"Your accuracy compares a column y_pred (shape {column.shape}) with a row "
                     f"y_true ({y_true.shape}): NumPy broadcasts them into an {len(y_true)} × "
                     f"{len(y_true)} table of every pair, whose mean is {broadcast:g}. "
                     "Flatten both first (np.ravel).")
    if not np.isclose(value, expected):
        raise _wrong(f"Your accuracy returns {value:g} when y_pred is a column {column.shape}; "
                     f"expected {expected:g}.")
    return "your accuracy is the fraction of right predictions, also for a column of labels."


hint_accuracy = _hint("accuracy",
                      "y_true == y_pred gives one True/False per sample and np.mean of it is the "
                      "fraction right; flatten both with np.ravel first, so that shapes (n, 1) "
                      "and (n,) cannot broadcast.")
solution_accuracy = _solution("accuracy", _solutions.accuracy)


@_check()
def check_confusion_matrix(f):
    """Check ``f(y_true, y_pred, n_classes)``: counts, rows = true class, columns = predicted.

    Mistakes it recognises: rows and columns swapped; the size taken from
    the labels that occur (``y.max() + 1`` or the number of distinct
    labels) instead of ``n_classes``; a repeated (true, predicted) pair
    counted once, the NumPy trap of ``m[y_true, y_pred] += 1`` (use
    ``np.add.at``), alone or with the rows and columns swapped; counts that
    do not add up to the number of samples.
    """
    y_true = np.array([0, 0, 1, 3, 3, 3, 0, 1, 3])  # classes 2 and 4 never occur
    y_pred = np.array([0, 1, 1, 3, 0, 3, 0, 3, 3])  # (0, 0) twice and (3, 3) three times
    n_classes = 5
    expected = _solutions.confusion_matrix(y_true, y_pred, n_classes)
    name = "confusion_matrix"
    m = _array(_call(f, name, y_true=y_true, y_pred=y_pred, n_classes=n_classes), name)
    if m.ndim == 2 and m.shape[0] == m.shape[1] and m.shape[0] != n_classes:
        if m.shape[0] in (max(y_true.max(), y_pred.max()) + 1, len(np.union1d(y_true, y_pred))):
            raise _wrong(f"Your matrix is {m.shape[0]} × {m.shape[1]}, sized by the labels that "
                         f"occur; make it n_classes × n_classes = {n_classes} × {n_classes}, "
                         "so that a class that never occurs still has its row and column.")
    _expect_shape(m, expected.shape, name, "a matrix", " (n_classes × n_classes)")
    if np.array_equal(m, expected):
        return ("your confusion matrix counts every sample, truth in the rows and predictions "
                "in the columns, with a row and column for every class.")
    once = (expected > 0).astype(int)
    if np.array_equal(m, expected.T):
        raise _wrong("Your matrix has rows and columns swapped: row i must be the true class i, "
                     "column j the prediction j (m[true, predicted]).")
    if np.array_equal(m, once) or np.array_equal(m, once.T):
        swapped = " (and rows and columns swapped)" if np.array_equal(m, once.T) else ""
        raise _wrong("Your matrix counts a repeated (true, predicted) pair only once"
                     f"{swapped}: m[y_true, y_pred] += 1 adds 1 once per distinct pair. "
                     "Use np.add.at(m, (y_true, y_pred), 1), or a loop.")
    if m.sum() != len(y_true):
        raise _wrong(f"Your counts add up to {_fmt(m.sum())}; there are {len(y_true)} samples, "
                     "each counted once.")
    i, j = np.argwhere(m != expected)[0]
    raise _wrong(f"Entry [{i}, {j}] (true {i}, predicted {j}) of your matrix is {_fmt(m[i, j])}; "
                 f"expected {expected[i, j]}.")


hint_confusion_matrix = _hint("confusion_matrix",
                              "Start from np.zeros((n_classes, n_classes), dtype=int) and add 1 "
                              "at [y_true[i], y_pred[i]] for every sample i: a loop, or np.add.at "
                              "(plain fancy-index += 1 counts a repeated pair only once).")
solution_confusion_matrix = _solution("confusion_matrix", _solutions.confusion_matrix)


def _folds(result, n_samples, n_splits):
    """The learner's folds as (train, val) integer arrays; raise on a malformed result."""
    name = "kfold_indices"
    try:
        folds = list(result)
    except TypeError:
        raise _wrong(f"Your {name} returned {_describe(result)}; expected a list of "
                     "(train_idx, val_idx) pairs.") from None
    if len(folds) != n_splits:
        raise _wrong(f"Your {name} returns {len(folds)} folds for n_splits = {n_splits}; "
                     "expected one fold per split.")
    checked = []
    for number, fold in enumerate(folds, start=1):
        if isinstance(fold, np.ndarray) or not isinstance(fold, (tuple, list)) or len(fold) != 2:
            raise _wrong(f"Fold {number} of your {name} is {_describe(fold)}; "
                         "each fold must be a pair (train_idx, val_idx).")
        train = _indices(fold[0], name, f"training indices of fold {number}")
        val = _indices(fold[1], name, f"validation indices of fold {number}")
        for part, what in ((train, "training"), (val, "validation")):
            if part.size and (part.min() < 0 or part.max() >= n_samples):
                raise _wrong(f"Fold {number}'s {what} indices go outside 0..{n_samples - 1}.")
            if len(np.unique(part)) != len(part):
                raise _wrong(f"Fold {number} lists a sample twice in its {what} part.")
        both = np.intersect1d(train, val)
        if both.size:
            raise _wrong(f"Fold {number}: samples {both.tolist()} are in both its training and "
                         "its validation part; validate on samples the model did not train on.")
        checked.append((train, val))
    return checked


@_check()
def check_kfold_indices(f):
    """Check ``f(n_samples, n_splits)``: a list of ``(train_idx, val_idx)`` pairs.

    Tried with sizes that do not divide evenly. Mistakes it recognises: the
    wrong number of folds; not pairs of integer index arrays; indices out of
    range or repeated; a sample in both parts of one fold; validation
    blocks that overlap across folds; samples never validated (the
    remainder of n_samples / n_splits dropped); a fold whose two parts
    leave samples out; validation blocks whose sizes differ by more than
    one. Folds in order, unshuffled, are fine.
    """
    for n_samples, n_splits in ((11, 3), (10, 5), (7, 2)):
        result = _call(f, "kfold_indices", n_samples=n_samples, n_splits=n_splits)
        folds = _folds(result, n_samples, n_splits)
        every = np.arange(n_samples)
        seen = np.concatenate([val for _, val in folds])
        if len(np.unique(seen)) != len(seen):
            sample = int(next(s for s in seen if np.sum(seen == s) > 1))
            in_folds = [i for i, (_, val) in enumerate(folds, start=1) if sample in val]
            raise _wrong(f"Your validation blocks overlap: with {n_samples} samples in "
                         f"{n_splits} folds, sample {sample} is validated in folds {in_folds}.")
        never = np.setdiff1d(every, seen)
        if never.size:
            raise _wrong(f"With {n_samples} samples in {n_splits} folds, samples "
                         f"{never.tolist()} are never in a validation block: spread the "
                         f"remainder ({n_samples} % {n_splits} = {n_samples % n_splits}) "
                         "over the blocks.")
        for number, (train, val) in enumerate(folds, start=1):
            left_out = np.setdiff1d(every, np.union1d(train, val))
            if left_out.size:
                raise _wrong(f"Fold {number} leaves samples {left_out.tolist()} out of both "
                             "parts: train on every sample not being validated.")
        sizes = [len(val) for _, val in folds]
        if max(sizes) - min(sizes) > 1:
            raise _wrong(f"Your validation blocks for {n_samples} samples in {n_splits} folds "
                         f"have sizes {sizes}; they should differ by at most one "
                         "(np.array_split does this).")
    return ("your folds validate every sample exactly once, train on all the others, and "
            "differ in size by at most one.")


hint_kfold_indices = _hint("kfold_indices",
                           "Cut np.arange(n_samples) (shuffled, if you like) into n_splits blocks "
                           "with np.array_split; fold i validates on block i and trains on the "
                           "concatenation of the others.")
solution_kfold_indices = _solution("kfold_indices", _solutions.kfold_indices)


def _tiny_model_class():
    """A fresh stand-in for SoftmaxRegression, fast enough for a check, that logs its calls.

    Column 0 of X holds each row's number. ``fit`` remembers the label of
    every row it is given and keeps that memory across fits, as a model
    trained further from where it stopped would; ``predict`` answers from
    memory and gives an unseen row the commonest label of its training data.
    So a held-out score is below 1, a score on seen rows is 1, and a model
    reused across folds has seen the next fold's rows already.
    """
    from sklearn.base import BaseEstimator, ClassifierMixin

    class TinyModel(ClassifierMixin, BaseEstimator):
        log = []  # (model, "fit" or "predict", row numbers), shared by clones

        def fit(self, X, y, X_val=None, y_val=None):
            rows, labels = np.asarray(X)[:, 0].astype(int), np.asarray(y).astype(int)
            self.memory_ = {**getattr(self, "memory_", {}), **dict(zip(rows, labels))}
            self.fallback_ = int(np.argmax(np.bincount(labels)))
            self.classes_ = np.unique(labels)
            TinyModel.log.append((self, "fit", rows))
            return self

        def predict(self, X):
            rows = np.asarray(X)[:, 0].astype(int)
            TinyModel.log.append((self, "predict", rows))
            return np.array([self.memory_.get(row, self.fallback_) for row in rows])

    return TinyModel


def _fold_data(n_samples, n_splits, seed):
    """Rows numbered in column 0, labels 0..2, and shuffled folds of uneven sizes."""
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.arange(n_samples), rng.normal(size=(n_samples, 2))])
    y = rng.integers(0, 3, size=n_samples)
    y[: n_samples // 2] = 0  # label 0 is the commonest in every training part
    order = rng.permutation(n_samples)
    blocks = np.array_split(order, n_splits)
    folds = [(np.setdiff1d(order, block), np.sort(block)) for block in blocks]
    return X, y, folds


def _fold_log_verdict(log, folds):
    """The most specific mistake that the logged fits and predictions show, or None."""
    fits = [(model, set(rows.tolist())) for model, call, rows in log if call == "fit"]
    if len({id(model) for model, _ in fits}) < len(fits):
        return ("Your fold_scores fits one model again and again: each fold needs a fresh "
                "model from make_model(), or it starts from what it learned on the fold before.")
    trains = [set(train.tolist()) for train, _ in folds]
    vals = [set(val.tolist()) for _, val in folds]
    for _, seen in fits:
        if seen in vals:
            return ("Your fold_scores trains on the validation part of a fold: each fold is "
                    "a pair (train_idx, val_idx); fit on X[train_idx], score on X[val_idx].")
        if any(seen > train for train in trains):
            return ("Your fold_scores trains on the held-out fold too: fit each model on that "
                    "fold's training rows only, X[train_idx] and y[train_idx].")
    trained = dict((id(model), seen) for model, seen in fits)
    for model, call, rows in log:
        if call == "predict" and set(rows.tolist()) & trained.get(id(model), set()):
            return ("Your fold_scores scores each model on images it trained on: score it on "
                    "the held-out fold, X[val_idx] and y[val_idx].")
    return None


@_check()
def check_fold_scores(f):
    """Check ``f(make_model, X, y, folds)``: one validation accuracy per fold, in fold order.

    Run on a tiny stand-in model, with 3, 5 and 2 folds of uneven sizes.
    Mistakes it recognises: the mean returned instead of the per-fold
    scores; a number of scores that is not the number of folds (a size
    written into the code); percentages; one model fitted on every fold
    instead of a fresh one per fold; training on the validation part (the
    pair read the wrong way round); training on the held-out fold as well;
    scoring on the images the model trained on.
    """
    for n_samples, n_splits, seed in ((14, 3, 0), (23, 5, 1), (9, 2, 2)):
        X, y, folds = _fold_data(n_samples, n_splits, seed)
        reference = _tiny_model_class()
        expected = np.asarray(_solutions.fold_scores(reference, X, y, folds), dtype=float)
        model_class = _tiny_model_class()
        result = _call(f, "fold_scores", make_model=model_class, X=X, y=y, folds=folds)
        scores = _array(result, "fold_scores").astype(float)
        _fold_shape_verdict(scores, expected, n_splits)
        if _close(scores, expected):
            continue
        if _close(scores, 100 * expected):
            raise _wrong("Your fold_scores returns percentages; return fractions, as "
                         "model.score does.")
        diagnosis = _fold_log_verdict(model_class.log, folds)
        if diagnosis:
            raise _wrong(diagnosis)
        raise _wrong(f"With {n_splits} folds your fold_scores returns {_fmt(scores)}; "
                     f"expected {_fmt(expected)}.")
    return ("your fold_scores trains a fresh model on each fold's training part and scores "
            "it on that fold's held-out part, one score per fold.")


def _fold_shape_verdict(scores, expected, n_splits):
    if scores.size == 1 and np.isclose(float(scores.reshape(-1)[0]), expected.mean()):
        raise _wrong("Your fold_scores returns the mean over the folds; return one score per "
                     "fold, so that their spread can be seen (take the mean afterwards).")
    if scores.ndim != 1 or scores.size != n_splits:
        raise _wrong(f"Your fold_scores returns {_describe(scores)} for {n_splits} folds; "
                     "expected one score per fold. Loop over folds itself rather than "
                     "a fixed range.")


hint_fold_scores = _hint("fold_scores",
                         "For each (train_idx, val_idx) in folds: model = make_model(), "
                         "model.fit(X[train_idx], y[train_idx]), then append "
                         "model.score(X[val_idx], y[val_idx]); return the list as an array.")
solution_fold_scores = _solution("fold_scores", _solutions.fold_scores)
