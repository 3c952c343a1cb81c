"""Notebook 01, the data: the worked answer to its exercise, and the exercise's record."""

from __future__ import annotations

import numpy as np

from ._engine import Exercise, Mistake, read_shaped


def digit_shares(y):
    """The share of each digit 0..9 among the labels y:
    ten numbers that add up to 1.
    """
    # minlength=10 keeps a zero for a digit that never occurs.
    return np.bincount(y, minlength=10) / len(y)


def _labels(rng, n_digits, n_labels):
    """Labels drawn from ``n_digits`` digits below 9, with a gap below the largest."""
    digits = np.sort(rng.choice(9, size=n_digits, replace=False))
    while digits[-1] + 1 == n_digits:  # no gap yet: y.max() + 1 would count the digits
        digits = np.sort(rng.choice(9, size=n_digits, replace=False))
    return rng.permutation(np.concatenate([digits, rng.choice(digits, n_labels - n_digits)]))


def _cases(rng):
    return [{"y": _labels(rng, 4, 7)}, {"y": _labels(rng, 6, 15)},
            {"y": rng.permutation(np.concatenate([np.arange(10), rng.integers(0, 10, 30)]))}]


EXERCISES = (
    Exercise(
        topic="digit_shares", answer=digit_shares, cases=_cases,
        read=read_shaped(lambda arguments: (10,)),
        hint="np.bincount(y, minlength=10) counts every digit 0..9, zeros included; "
             "divide by len(y).",
        praise="your digit_shares gives ten shares in digit order, 0 for absent digits.",
        mistakes=(
            Mistake(lambda y: np.bincount(y) / len(y),
                    "Your digit_shares stops at the largest label: np.bincount without "
                    "minlength=10 leaves out the digits above it, which still need their "
                    "share, 0."),
            Mistake(lambda y: np.unique(y, return_counts=True)[1] / len(y),
                    "Your digit_shares gives one number per digit that occurs: every digit "
                    "0..9 needs its share, 0 for the absent ones."),
            Mistake(lambda y: np.bincount(y, minlength=10),
                    "Your digit_shares returns counts: divide by the number of labels."),
            Mistake(lambda y: 100 * np.bincount(y, minlength=10) / len(y),
                    "Your digit_shares returns percentages: return fractions that sum to 1."),
            Mistake(lambda y: np.sort(np.bincount(y, minlength=10) / len(y)),
                    "Your digit_shares has the right numbers in the wrong order (sorted): "
                    "entry d must be the share of digit d."),
        ),
    ),
)
