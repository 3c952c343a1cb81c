"""Notebook 08, a small sample: the worked answer to its exercise, and the exercise's record."""

from __future__ import annotations

import numpy as np

from ._engine import Exercise, Mistake, read_number


def train_val_gap(train_accuracy, val_accuracy):
    """Final training minus final validation accuracy, in percentage points."""
    return 100 * (train_accuracy[-1] - val_accuracy[-1])


def _curves(rng, length, validation_ends_higher):
    """Accuracy curves whose best, lowest and first values are not their final ones."""
    train = np.round(rng.uniform(0.80, 0.95, size=length), 4)
    val = np.round(train - rng.uniform(0.005, 0.04, size=length), 4)
    train[0], val[0] = 0.6123, 0.5987  # the first epoch, far below the rest
    train[1], val[1] = 0.9677, 0.9611  # the best, not at the end
    dip = rng.integers(2, length - 1)
    train[dip], val[dip] = 0.5512, 0.5034  # the lowest, neither first nor last
    if validation_ends_higher:
        val[-1] = np.round(train[-1] + 0.0137, 4)
    return {"train_accuracy": train, "val_accuracy": val}


def _cases(rng):
    return [_curves(rng, 4, False), _curves(rng, 6, True), _curves(rng, 30, False)]


def _final(t, v):
    return np.asarray(t)[-1], np.asarray(v)[-1]


_WHOLE = ("Your train_val_gap cuts the gap to a whole number (int or round): keep the fraction "
          "of a point.")

EXERCISES = (
    Exercise(
        topic="train_val_gap", answer=train_val_gap, cases=_cases, read=read_number,
        hint="The final values are train_accuracy[-1] and val_accuracy[-1]; subtract and "
             "multiply by 100.",
        praise="your train_val_gap is final training minus final validation, in points.",
        mistakes=(
            Mistake(lambda t, v: np.subtract(*_final(t, v)),
                    "Your train_val_gap is a difference of fractions: multiply by 100 to "
                    "give percentage points."),
            Mistake(lambda t, v: -train_val_gap(t, v),
                    "Your train_val_gap has the wrong sign: training minus validation, so "
                    "positive when training is higher."),
            Mistake(lambda t, v: abs(train_val_gap(t, v)),
                    "Your train_val_gap drops the sign: when validation ends higher, the gap "
                    "is negative."),
            Mistake(lambda t, v: 100 * (np.max(t) - np.max(v)),
                    "Your train_val_gap uses the best values; the gap is between the final "
                    "values ([-1])."),
            Mistake(lambda t, v: 100 * (np.max(t) - np.asarray(v)[-1]),
                    "Your train_val_gap takes the best training accuracy: use the final one, "
                    "train_accuracy[-1]."),
            Mistake(lambda t, v: 100 * (t[0] - v[0]),
                    "Your train_val_gap uses the first epoch ([0]); use the final one ([-1])."),
            Mistake(lambda t, v: 100 * np.mean(np.subtract(t, v)),
                    "Your train_val_gap averages the gap over all epochs; take the final "
                    "epoch's."),
            Mistake(lambda t, v: int(train_val_gap(t, v)), _WHOLE),
            Mistake(lambda t, v: round(train_val_gap(t, v)), _WHOLE),
            *(Mistake(lambda t, v, digits=digits: round(train_val_gap(t, v), digits),
                      "Your train_val_gap rounds the gap: return it unrounded (round only "
                      "when you print it).") for digits in (1,)),
        ),
    ),
)
