"""Checks for reading the results: digit shares (notebook 01), the best epoch (03), early
stopping (04), ignored pixels (05), the most confused pair (06), the train/validation gap (08)
and the accuracy per digit (10)."""

from __future__ import annotations

import operator

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
def check_digit_shares(f):
    """Check ``f(y)``: the share of each digit 0..9 among the labels, ten numbers summing to 1.

    Mistakes it recognises: fewer than ten numbers, because a digit that
    never occurs is left out (``np.unique``, or ``np.bincount`` without
    ``minlength=10``); counts instead of shares; percentages; the right
    numbers in another order (sorted, or by first appearance).
    """
    y = np.array([1, 1, 3, 0, 2, 2, 8, 1, 0, 3, 6, 2])  # no 4, 5, 7 or 9
    expected = _solutions.digit_shares(y)
    name = "digit_shares"
    shares = _array(_call(f, name, y=y), name)
    if shares.ndim == 1 and len(shares) != 10:
        if len(shares) == y.max() + 1:
            raise _wrong(f"Your digit_shares returns {len(shares)} numbers, up to the largest "
                         f"label ({y.max()}) only: digit 9 never occurs here but still needs "
                         "its share, 0 (np.bincount(y, minlength=10)).")
        if len(shares) == len(np.unique(y)):
            raise _wrong(f"Your digit_shares returns {len(shares)} numbers, one per digit that "
                         "occurs: every digit 0..9 needs its share, 0 for the absent ones.")
    _expect_shape(shares, (10,), name, "an array", ", one share per digit 0..9")
    if _close(shares, len(y) * expected):
        raise _wrong("Your digit_shares returns counts: divide by the number of labels.")
    if _close(shares, 100 * expected):
        raise _wrong("Your digit_shares returns percentages: return fractions that sum to 1.")
    if not _close(shares, expected):
        if _close(np.sort(shares), np.sort(expected)):
            raise _wrong("Your digit_shares has the right numbers in the wrong order: entry d "
                         "must be the share of digit d.")
        raise _wrong(f"Your digit_shares gives {_fmt(shares)}; expected {_fmt(expected)}.")
    return "your digit_shares gives ten shares in digit order, 0 for absent digits."


hint_digit_shares = _hint("digit_shares",
                          "np.bincount(y, minlength=10) counts every digit 0..9, zeros included; "
                          "divide by len(y).")
solution_digit_shares = _solution("digit_shares", _solutions.digit_shares)


def _whole_number(value, name):
    number = _number(value, name)
    if not np.isfinite(number) or number != int(number):
        raise _wrong(f"Your {name} returns {number:g}; expected a whole epoch number.")
    return int(number)


@_check()
def check_best_epoch(f):
    """Check ``f(val_accuracy)``: the epoch, counted from 1, of the highest value; first on ties.

    Mistakes it recognises: the epoch counted from 0 (``np.argmax`` as it
    is); the last of tied maxima instead of the first; the best accuracy
    itself instead of its epoch; the lowest value instead of the highest.
    """
    curve = np.array([0.80, 0.90, 0.95, 0.93, 0.95, 0.94])  # the best, 0.95, twice
    name = "best_epoch"
    epoch = _call(f, name, val_accuracy=curve)
    value = _number(epoch, name)
    if np.isclose(value, curve.max()) and value != int(value):
        raise _wrong(f"Your best_epoch returns the best accuracy ({value:g}), not the epoch "
                     "in which it was reached.")
    epoch = _whole_number(value, name)
    mistakes = {
        2: "Your best_epoch counts from 0 (np.argmax gives a position): epochs count from 1.",
        5: "Your best_epoch picks the last of two tied best epochs: early stopping keeps the "
           "first one to reach the best accuracy.",
        4: "Your best_epoch picks the last of two tied best epochs, and counts from 0.",
        1: "Your best_epoch finds the lowest accuracy, not the highest.",
        0: "Your best_epoch finds the lowest accuracy, not the highest.",
    }
    if epoch != 3:
        raise _wrong(mistakes.get(epoch, f"Your best_epoch returns {epoch} for {_fmt(curve)}; "
                                         "expected 3."))
    for curve in ([0.5, 0.6, 0.7], [0.9, 0.8, 0.85]):
        epoch = _whole_number(_call(f, name, val_accuracy=np.array(curve)), name)
        if epoch != _solutions.best_epoch(curve):
            raise _wrong(f"Your best_epoch returns {epoch} for {_fmt(curve)}; expected "
                         f"{_solutions.best_epoch(curve)}.")
    return "your best_epoch counts from 1 and keeps the first of tied best epochs."


hint_best_epoch = _hint("best_epoch",
                        "np.argmax returns the position of the first maximum, counted from 0; "
                        "epochs count from 1.")
solution_best_epoch = _solution("best_epoch", _solutions.best_epoch)


def _replay(curve, patience, improves, stop_after):
    """Early stopping on a recorded curve, with a rule for 'better' and for 'out of patience'."""
    best, since_best, kept = -np.inf, 0, None
    for epoch, value in enumerate(curve, start=1):
        if improves(value, best):
            best, kept, since_best = value, epoch, 0
        else:
            since_best += 1
        if since_best >= stop_after:
            return epoch, kept
    return len(curve), kept


def _epoch_pair(result):
    """The (stopped, kept) pair an early_stopping returns, as whole numbers, or a clear line."""
    if isinstance(result, (tuple, list, np.ndarray)):
        pair = _array(result, "early_stopping")
        if pair.size == 2:
            return tuple(_whole_number(value, "early_stopping") for value in pair.ravel())
    raise _wrong(f"Your early_stopping returned {_describe(result)}; return a pair: "
                 "(epoch it stops after, epoch whose weights it keeps).")


def _early_stopping_mistakes(curve, patience, expected):
    """What the usual mistakes return for this curve and patience, each with its message."""
    better = np.greater
    return [
        ((expected[0], expected[0]), "Your early_stopping keeps the last epoch it ran; it "
                                     "should keep the best one."),
        (_replay(curve, patience, np.greater_equal, patience),
         "Your early_stopping counts a tie with the best as a new best: only a strictly "
         "higher accuracy is."),
        (_replay(curve, patience, better, patience + 1),
         "Your early_stopping waits one epoch too long (patience off by one): stop as soon "
         "as patience epochs in a row bring no new best."),
        (_replay(curve, patience, better, patience - 1),
         "Your early_stopping stops one epoch too early (patience off by one): stop after "
         "patience epochs in a row without a new best, not patience - 1."),
        ((len(curve), _solutions.best_epoch(curve)),
         "Your early_stopping never stops early: it runs to the end of the curve."),
        ((expected[0] - 1, expected[1] - 1), "Your early_stopping counts epochs from 0; "
                                             "they count from 1."),
    ]


@_check()
def check_early_stopping(f):
    """Check ``f(val_accuracy, patience)``: ``(epoch it stops after, epoch it keeps)``, from 1.

    The rule: an epoch is a new best only if strictly higher; training stops
    after ``patience`` epochs in a row without a new best, and keeps the
    best epoch's weights. If patience never runs out, it stops after the
    last epoch. Mistakes it recognises: the kept epoch is the last one, not
    the best; a tie counted as a new best; patience off by one (one epoch
    late or early); never stopping early; epochs counted from 0; a single
    number instead of the pair.
    """
    curve = np.array([0.80, 0.85, 0.84, 0.85, 0.86, 0.83, 0.86, 0.85, 0.84, 0.87])
    for patience in (2, 20):
        stopped, kept = _epoch_pair(_call(f, "early_stopping", val_accuracy=curve,
                                          patience=patience))
        expected = _replay(curve, patience, np.greater, patience)
        if (stopped, kept) != expected:
            _first_match((stopped, kept), _early_stopping_mistakes(curve, patience, expected),
                         f"With patience {patience}, your early_stopping gives ({stopped}, "
                         f"{kept}); expected {expected}.", same=operator.eq)
    return ("your early_stopping stops after patience epochs without a strictly better "
            "accuracy, and keeps the best epoch.")


hint_early_stopping = _hint("early_stopping",
                            "Loop with enumerate(val_accuracy, start=1), tracking the best value, "
                            "its epoch and the epochs since it; a new best must be strictly "
                            "higher; return as soon as epochs_since_best >= patience, or after "
                            "the last epoch.")
solution_early_stopping = _solution("early_stopping", _solutions.early_stopping)


@_check()
def check_ignored_pixels(f):
    """Check ``f(X)``: indices of the pixels (columns) that are exactly 0 in every image (row).

    Any order is fine. Mistakes it recognises: a True/False mask instead of
    indices; blank images (rows) found instead of blank pixels (columns);
    pixels blank in at least one image (``any``) instead of in all; the
    pixels that are inked, the opposite; faint ink counted as blank (a
    threshold instead of exactly 0).
    """
    X = np.array([[0, 0.5, 0, 0.002, 1.0, 0, 0.0, 0.3],
                  [0, 0.0, 0, 0.000, 0.8, 0, 0.1, 0.0],
                  [0, 0.2, 0, 0.000, 0.4, 0, 0.0, 0.0],
                  [0, 0.0, 0, 0.000, 0.5, 0, 0.0, 0.9],
                  [0, 0.0, 0, 0.000, 0.0, 0, 0.0, 0.0],  # a blank image
                  [0, 0.7, 0, 0.000, 0.3, 0, 0.0, 0.0]])
    expected = _solutions.ignored_pixels(X)  # pixels 0, 2 and 5; pixel 3 is inked faintly once
    name = "ignored_pixels"
    result = _call(f, name, X=X)
    if isinstance(result, tuple) and len(result) == 1:  # what np.nonzero returns
        result = result[0]
    result = _array(result, name)
    if result.dtype == bool:
        if result.shape == (X.shape[1],) and np.array_equal(np.flatnonzero(result), expected):
            raise _wrong("Your ignored_pixels returns a True/False mask: return the indices "
                         "of the True entries, np.flatnonzero(mask).")
        raise _wrong("Your ignored_pixels returns True/False values; return pixel indices.")
    result = np.sort(_indices(result, name, "indices"))
    variants = [
        (np.flatnonzero((X == 0).all(axis=1)), "Your ignored_pixels looks along the wrong "
         "axis: it finds the blank images (rows), not the pixels (columns) blank in every "
         "image. Use axis=0."),
        (np.flatnonzero((X == 0).any(axis=0)), "Your ignored_pixels finds pixels blank in at "
         "least one image (any); a pixel is ignored only if it is blank in all of them."),
        (np.flatnonzero((X != 0).any(axis=0)), "Your ignored_pixels returns the pixels that are "
         "inked somewhere, the opposite of those never inked."),
        (np.flatnonzero((X < 0.01).all(axis=0)), "Your ignored_pixels counts faint ink (0.002) "
         "as blank: a pixel stays at weight 0 only if it is exactly 0 in every image."),
    ]
    if not np.array_equal(result, expected):
        _first_match(result, variants, f"Your ignored_pixels gives {result.tolist()}; expected "
                     f"{expected.tolist()}.", same=np.array_equal)
    return "your ignored_pixels finds exactly the pixels that are 0 in every image."


hint_ignored_pixels = _hint("ignored_pixels",
                            "(X == 0) is True where a pixel is blank; .all(axis=0) asks 'blank in "
                            "every image?' for each column; np.flatnonzero turns the answer into "
                            "indices.")
solution_ignored_pixels = _solution("ignored_pixels", _solutions.ignored_pixels)


@_check()
def check_most_confused_pair(f):
    """Check ``f(m)``: the pair (a, b), a ≠ b, with the largest ``m[a, b] + m[b, a]``.

    Either order of the pair is fine. Mistakes it recognises: the diagonal
    (right answers) counted; one direction only (the largest single
    ``m[a, b]``); a flat index from ``np.argmax`` instead of a pair.
    """
    m = np.array([[50, 2, 9, 1],
                  [3, 60, 0, 7],
                  [1, 0, 40, 2],
                  [0, 6, 4, 55]])
    expected = _solutions.most_confused_pair(m)  # (1, 3): 7 + 6; the largest one-way is (0, 2)
    name = "most_confused_pair"
    result = _call(f, name, m=m)
    pair = _array(result, name)
    if pair.size == 1:
        raise _wrong(f"Your most_confused_pair returns one number ({_fmt(pair)}), a flat index "
                     "perhaps: return the pair (a, b); np.unravel_index converts a flat index.")
    if pair.shape != (2,):
        raise _wrong(f"Your most_confused_pair returned {_describe(result)}; "
                     "expected a pair (a, b).")
    pair = tuple(sorted(int(value) for value in _indices(pair, name, "values")))
    if pair == expected:
        return "your most_confused_pair adds both directions and leaves out the diagonal."
    if pair[0] == pair[1]:
        raise _wrong(f"Your most_confused_pair returns ({pair[0]}, {pair[1]}), a diagonal "
                     "entry: right answers are not confusions; set the diagonal to 0 first.")
    if pair == (0, 2):
        raise _wrong("Your most_confused_pair looks at one direction only (m[0, 2] = 9 is the "
                     "largest single entry): add the two directions, m[a, b] + m[b, a].")
    raise _wrong(f"Your most_confused_pair returns {pair}; expected {expected}.")


hint_most_confused_pair = _hint("most_confused_pair",
                                "m + m.T adds the two directions; zero its diagonal "
                                "(np.fill_diagonal); np.argmax gives a flat index and "
                                "np.unravel_index turns it into (row, column).")
solution_most_confused_pair = _solution("most_confused_pair", _solutions.most_confused_pair)


@_check()
def check_train_val_gap(f):
    """Check ``f(train_accuracy, val_accuracy)``: final training minus final validation, in points.

    Accuracies are fractions; the gap is in percentage points and keeps its
    sign (negative when validation ends higher). Mistakes it recognises: a
    fraction instead of points; the wrong sign; the size without the sign;
    the best values instead of the final ones; the first epoch instead of
    the last; the mean gap over all epochs.
    """
    name = "train_val_gap"
    train = np.array([0.90, 0.93, 0.95, 0.96])
    val = np.array([0.88, 0.91, 0.92, 0.915])
    expected = _solutions.train_val_gap(train, val)  # 4.5 points
    gap = _number(_call(f, name, train_accuracy=train, val_accuracy=val), name)
    variants = [
        (expected / 100, "Your train_val_gap is a fraction; in percentage points, "
                         "multiply by 100."),
        (-expected, "Your train_val_gap has the wrong sign: training minus validation."),
        (100 * (train.max() - val.max()), "Your train_val_gap uses the best values; the gap "
                                          "is between the final ones ([-1])."),
        (100 * (train[0] - val[0]), "Your train_val_gap uses the first epoch; the gap is "
                                    "between the final values ([-1])."),
        (100 * np.mean(train - val), "Your train_val_gap averages the gap over all epochs; "
                                     "take the final epoch's."),
    ]
    if not np.isclose(gap, expected):
        _first_match(gap, variants, f"Your train_val_gap is {gap:g}; expected {expected:g} points.",
                     same=np.isclose)
    train, val = np.array([0.80, 0.85]), np.array([0.82, 0.87])  # validation ends higher
    expected = _solutions.train_val_gap(train, val)
    gap = _number(_call(f, name, train_accuracy=train, val_accuracy=val), name)
    if np.isclose(gap, -expected):
        raise _wrong("Your train_val_gap drops the sign: when validation ends higher, "
                     "the gap is negative.")
    if not np.isclose(gap, expected):
        raise _wrong(f"Your train_val_gap is {gap:g} for {_fmt(train)} and {_fmt(val)}; "
                     f"expected {expected:g} points.")
    return "your train_val_gap is final training minus final validation, in points."


hint_train_val_gap = _hint("train_val_gap",
                           "The final values are train_accuracy[-1] and val_accuracy[-1]; "
                           "subtract and multiply by 100.")
solution_train_val_gap = _solution("train_val_gap", _solutions.train_val_gap)


@_check()
def check_per_digit_accuracy(f):
    """Check ``f(y_true, y_pred)``: for each digit 0..9, the share of its images predicted right.

    The share is taken over the images whose *true* label is the digit (its
    recall). Mistakes it recognises: dividing by how often a digit was
    predicted (its precision); the number right per digit instead of the
    share; percentages; the overall accuracy repeated; not ten values.
    """
    y_true = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 7, 7, 7, 8, 8, 9, 9])
    y_pred = np.array([0, 0, 6, 1, 1, 2, 3, 2, 2, 3, 5, 4, 9, 4, 5, 3, 6, 6, 7, 1, 7, 8, 3, 9, 4])
    expected = _solutions.per_digit_accuracy(y_true, y_pred)
    name = "per_digit_accuracy"
    result = _array(_call(f, name, y_true=y_true, y_pred=y_pred), name)
    _expect_shape(result, (10,), name, "an array", ", one value per digit 0..9")
    right = np.array([np.sum((y_true == d) & (y_pred == d)) for d in range(10)])
    variants = [
        (right / np.bincount(y_pred, minlength=10), "Your per_digit_accuracy divides by how "
         "often each digit was predicted (precision); divide by how often it is the true "
         "label."),
        (right, "Your per_digit_accuracy counts the right predictions per digit: divide by the "
                "number of images of that digit."),
        (100 * expected, "Your per_digit_accuracy returns percentages: return fractions."),
        (np.full(10, np.mean(y_true == y_pred)), "Your per_digit_accuracy repeats the overall "
         "accuracy: take each digit's images (y_true == digit) separately."),
    ]
    if not _close(result, expected):
        _first_match(result, variants,
                     f"Your per_digit_accuracy gives {_fmt(result)}; expected {_fmt(expected)}.")
    return "your per_digit_accuracy is, for each digit, the share of its images predicted right."


hint_per_digit_accuracy = _hint("per_digit_accuracy",
                                "For digit d, the images are those with y_true == d; the share of "
                                "them predicted right is np.mean(y_pred[y_true == d] == d).")
solution_per_digit_accuracy = _solution("per_digit_accuracy", _solutions.per_digit_accuracy)
