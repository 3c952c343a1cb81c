"""Notebook 04, overfitting: the worked answer to its exercise, and the exercise's record."""

from __future__ import annotations

import operator

import numpy as np

from ._engine import Exercise, Line, Mistake, brief, read_array


def early_stopping(val_accuracy, patience):
    """Replay early stopping on a recorded curve:
    (epoch it stops after, epoch it keeps).
    """
    best, since_best = -1.0, 0
    for epoch, value in enumerate(val_accuracy, start=1):
        if value > best:  # only a strictly higher accuracy is a new best
            best, kept, since_best = value, epoch, 0
        else:
            since_best += 1
        if since_best >= patience:
            return epoch, kept
    return len(val_accuracy), kept  # patience never ran out


def _replay(curve, patience, better=operator.gt, stop_after=0, tie_moves_kept=False):
    """Early stopping with its rules changed: how the usual mistakes replay a curve."""
    best, since_best, kept = -np.inf, 0, None
    for epoch, value in enumerate(curve, start=1):
        if better(value, best):
            best, kept, since_best = value, epoch, 0
        else:
            since_best += 1
            kept = epoch if tie_moves_kept and value == best else kept
        if since_best >= patience + stop_after:
            return epoch, kept
    return len(curve), kept


def _curves(rng):
    """Curves on a coarse grid, so that ties with the best occur; patience short and long;
    and a curve with a new best after a dip, then a higher peak after the stop."""
    cases = []
    for length, patience in ((6, 2), (9, 1), (12, 3), (15, 4), (8, 20)):
        curve = rng.choice([0.84, 0.85, 0.86, 0.87], size=length)
        curve[1:3] = curve[0] + 0.02, curve[0] + 0.02  # a best, then a tie with it
        cases.append({"val_accuracy": curve, "patience": patience})
    base = rng.choice([0.84, 0.85, 0.86])
    late = np.round(base + np.array([0, -0.02, 0.02, 0.01, 0.01, 0.01, 0.05, 0.0, 0.0]), 2)
    cases.insert(int(rng.integers(0, 6)), {"val_accuracy": late, "patience": 2})
    return cases


def _pair(raw, arguments):
    if not isinstance(raw, (tuple, list, np.ndarray)) or np.size(raw) != 2:
        raise Line(f"returns {brief(raw)}; return a pair: (epoch it stops after, epoch whose "
                   "weights it keeps)")
    pair = read_array(raw)
    if not np.all(pair == np.round(pair)):
        raise Line(f"returns {pair.tolist()}; expected two whole epoch numbers")
    return pair.ravel()


EXERCISES = (
    Exercise(
        topic="early_stopping", answer=early_stopping, cases=_curves, read=_pair,
        same=np.array_equal,
        hint="Loop with enumerate(val_accuracy, start=1), tracking the best value, its epoch "
             "and the epochs since it; a new best must be strictly higher; return as soon as "
             "epochs_since_best >= patience, or after the last epoch.",
        praise="your early_stopping stops after patience epochs without a strictly better "
               "accuracy, and keeps the best epoch.",
        mistakes=(
            Mistake(lambda v, p: (early_stopping(v, p)[0],) * 2,
                    "Your early_stopping keeps the last epoch it ran; it should keep the best "
                    "one."),
            Mistake(lambda v, p: _replay(v, p, tie_moves_kept=True),
                    "Your early_stopping moves the kept epoch to a later tie with the best: "
                    "only a strictly higher accuracy is a new best, so keep the first."),
            Mistake(lambda v, p: _replay(v, p, operator.ge),
                    "Your early_stopping counts a tie with the best as a new best: only a "
                    "strictly higher accuracy is."),
            Mistake(lambda v, p: _replay(v, p, stop_after=1),
                    "Your early_stopping waits one epoch too long (patience off by one): stop "
                    "as soon as patience epochs in a row bring no new best."),
            Mistake(lambda v, p: _replay(v, p, stop_after=-1),
                    "Your early_stopping stops one epoch too early (patience off by one): stop "
                    "after patience epochs in a row without a new best, not patience - 1."),
            Mistake(lambda v, p: (len(v), int(np.argmax(v)) + 1),
                    "Your early_stopping never stops early: it runs to the end of the curve."),
            Mistake(lambda v, p: tuple(epoch - 1 for epoch in early_stopping(v, p)),
                    "Your early_stopping counts epochs from 0; they count from 1."),
        ),
    ),
)
