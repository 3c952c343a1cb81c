"""Notebook 03, training: the worked answers to its exercises, and the exercises' records."""

from __future__ import annotations

import numpy as np

from ._engine import Exercise, Mistake, close, read_number


def accuracy(y_true, y_pred):
    """The fraction of predictions that are right."""
    # ravel: a column (n, 1) compared with a row
    # (n,) would broadcast into an n x n table.
    return np.mean(np.ravel(y_true) == np.ravel(y_pred))


def best_epoch(val_accuracy):
    """The epoch (counted from 1) with the highest validation accuracy,
    the first on ties.
    """
    return int(np.argmax(val_accuracy)) + 1  # argmax returns the first maximum


def _predictions(rng, n):
    """Labels, and predictions with at least one right and one wrong."""
    y_true = rng.integers(0, 10, size=n)
    wrong = rng.random(n) < 0.3
    wrong[:2] = False, True
    y_pred = np.where(wrong, (y_true + rng.integers(1, 10, size=n)) % 10, y_true)
    order = rng.permutation(n)
    return y_true[order], y_pred[order]


def _accuracy_cases(rng):
    """Rows and columns, as the statement allows both: (n,) and (n, 1), either side."""
    cases = []
    for n, true_shape, pred_shape in ((5, (-1,), (-1,)), (6, (-1, 1), (-1,)),
                                      (7, (-1,), (-1, 1)), (40, (-1, 1), (-1, 1))):
        y_true, y_pred = _predictions(rng, n)
        cases.append({"y_true": y_true.reshape(true_shape), "y_pred": y_pred.reshape(pred_shape)})
    return cases


_BROADCAST = ("Your accuracy compares a column of labels (n, 1) with a row (n,): NumPy "
              "broadcasts them into an n × n table of every pair. Flatten both first "
              "(np.ravel).")


def _right(y_true, y_pred):
    return np.sum(np.ravel(y_true) == np.ravel(y_pred))


def _curve(rng, length, best, taken):
    """A validation curve whose best is at the epochs ``best`` (positions), and whose
    lowest value is alone, at none of them, not at the end and not at a position in
    ``taken`` (which it joins)."""
    curve = rng.integers(80, 95, size=length) / 100
    curve[best] = 0.96
    lowest = rng.choice(np.setdiff1d(np.arange(length - 1), [*best, *taken]))
    curve[lowest] = 0.5
    taken.append(lowest)
    return {"val_accuracy": curve}


def _curves(rng):
    """The best reached twice, not in a row (twice); the best at the first epoch; at the last.
    The lowest epochs all differ, so an answer giving one number never looks like argmin."""
    cases, taken = [], []
    for length in (5, 12):
        first = rng.integers(1, length - 3)
        cases.append(_curve(rng, length, [first, rng.integers(first + 2, length - 1)], taken))
    return cases + [_curve(rng, 7, [0], taken), _curve(rng, 6, [5], taken)]


def _last_best(v):
    return len(v) - int(np.argmax(np.asarray(v)[::-1]))


EXERCISES = (
    Exercise(
        topic="accuracy", answer=accuracy, cases=_accuracy_cases, read=read_number,
        same=close,
        hint="y_true == y_pred gives one True/False per sample and np.mean of it is the "
             "fraction right; flatten both with np.ravel first, so that shapes (n, 1) and "
             "(n,) cannot broadcast.",
        praise="your accuracy is the fraction of right predictions, for rows and columns "
               "of labels alike.",
        mistakes=(
            Mistake(lambda y_true, y_pred: np.mean(y_true == y_pred), _BROADCAST),
            Mistake(lambda y_true, y_pred: np.mean(y_true == np.ravel(y_pred)), _BROADCAST),
            Mistake(lambda y_true, y_pred: np.mean(np.ravel(y_true) == y_pred), _BROADCAST),
            Mistake(lambda y_true, y_pred: np.mean(y_true == y_pred.T), _BROADCAST),
            Mistake(lambda y_true, y_pred: np.ravel(y_true) == np.ravel(y_pred),
                    "Your accuracy returns one True/False per sample: take their mean."),
            Mistake(_right, "Your accuracy returns the number of right predictions: divide "
                            "by the number of samples."),
            Mistake(lambda y_true, y_pred: 100 * accuracy(y_true, y_pred),
                    "Your accuracy returns a percentage; return the fraction."),
            Mistake(lambda y_true, y_pred: 1 - accuracy(y_true, y_pred),
                    "Your accuracy returns the share of wrong predictions: count the right "
                    "ones."),
            Mistake(lambda y_true, y_pred: _right(y_true, y_pred) // np.size(y_true),
                    "Your accuracy returns 0: integer division (//) rounds the fraction down; "
                    "divide with /."),
        ),
    ),
    Exercise(
        topic="best_epoch", answer=best_epoch, cases=_curves, read=read_number,
        hint="np.argmax returns the position of the first maximum, counted from 0; epochs "
             "count from 1.",
        praise="your best_epoch counts from 1 and keeps the first of tied best epochs.",
        mistakes=(
            Mistake(lambda v: int(np.argmax(v)),
                    "Your best_epoch counts from 0 (np.argmax gives a position): epochs count "
                    "from 1."),
            Mistake(_last_best, "Your best_epoch picks the last of two tied best epochs: early "
                                "stopping keeps the first one to reach the best accuracy."),
            Mistake(lambda v: _last_best(v) - 1,
                    "Your best_epoch picks the last of two tied best epochs, and counts from 0."),
            Mistake(lambda v: np.max(v), "Your best_epoch returns the best accuracy, not the "
                                         "epoch in which it was reached."),
            Mistake(lambda v: int(np.argmin(v)) + 1,
                    "Your best_epoch finds the lowest accuracy, not the highest."),
        ),
    ),
)
