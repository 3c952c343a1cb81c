"""How sure a score is: the three yardsticks the series judges its numbers by.

* :func:`wilson_interval`: a 95% interval for one accuracy, k right out of n images.
* :func:`paired_difference`: two models on the same folds; how hard a fold is cancels
  in the per-fold differences, whose spread says whether the difference is real.
* :func:`mcnemar`: two models on the same images; only the images on which they
  disagree say which is better (scipy's ``binomtest`` does the arithmetic).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import stats as _scipy_stats


class PairedDifference(NamedTuple):
    """The result of :func:`paired_difference` (in the units of the scores given)."""

    mean: float  # mean of the per-fold differences a - b
    std_error: float  # its standard error
    n_positive: int  # folds where a scored higher
    n_negative: int  # folds where b scored higher
    n_tied: int  # folds where they scored the same


class McNemarResult(NamedTuple):
    """The result of :func:`mcnemar`."""

    only_a: int  # images model a gets right and model b wrong
    only_b: int  # images model b gets right and model a wrong
    p_value: float  # exact two-sided p-value of "both are equally good"


def paired_difference(a, b, n_train=None, n_test=None):
    """Mean and standard error of the per-fold differences ``a - b``.

    ``a`` and ``b`` are two models' scores on the *same* folds, in the same order. The
    standard error is the differences' sample standard deviation over sqrt(number of folds).
    k-fold training sets overlap, which makes it too small; given the images per fold,
    ``n_train`` and ``n_test``, Nadeau and Bengio's correction (2003) widens it: the
    variance factor 1/k becomes 1/k + n_test/n_train.

    >>> r = paired_difference([91.0, 92.0, 90.0], [90.0, 90.0, 90.0])
    >>> round(r.mean, 3), round(r.std_error, 3), r.n_positive, r.n_negative, r.n_tied
    (1.0, 0.577, 2, 0, 1)
    >>> round(paired_difference([91, 92, 90], [90] * 3, n_train=200, n_test=100).std_error, 3)
    0.913
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.ndim != 1 or a.shape != b.shape or a.size < 2:
        raise ValueError("a and b must be lists of per-fold scores, at least two and one per "
                         f"fold each; got shapes {a.shape} and {b.shape}")
    if (n_train is None) != (n_test is None):
        raise ValueError("give both n_train and n_test (images per fold), or neither")
    differences = a - b
    factor = 1 / differences.size + (0 if n_train is None else n_test / n_train)
    std_error = float(np.sqrt(factor * np.var(differences, ddof=1)))
    counts = [int(np.sum(side)) for side in (differences > 0, differences < 0, differences == 0)]
    return PairedDifference(float(differences.mean()), std_error, *counts)


def mcnemar(y_true, pred_a, pred_b):
    """McNemar's exact test of two models' predictions on the same images.

    Images both models get right, or both wrong, say nothing about which is better. If
    the two were equally good, each other image would be "only a is right" or "only b
    is right" with probability 1/2: the p-value is a two-sided binomial test of the split.

    >>> mcnemar([0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 9, 9], [0, 9, 9, 9, 4, 9])
    McNemarResult(only_a=3, only_b=1, p_value=0.625)
    """
    y_true, pred_a, pred_b = (np.asarray(v).ravel() for v in (y_true, pred_a, pred_b))
    if not y_true.size == pred_a.size == pred_b.size:
        raise ValueError(f"y_true, pred_a and pred_b must have one entry per image; got "
                         f"{y_true.size}, {pred_a.size} and {pred_b.size}")
    right_a, right_b = pred_a == y_true, pred_b == y_true
    only_a, only_b = int(np.sum(right_a & ~right_b)), int(np.sum(right_b & ~right_a))
    disagreements = only_a + only_b
    p_value = 1.0 if disagreements == 0 else _scipy_stats.binomtest(only_a, disagreements).pvalue
    return McNemarResult(only_a, only_b, float(p_value))


def wilson_interval(k, n, confidence=0.95):
    """Wilson's interval for a proportion, k right answers out of n: ``(low, high)``.

    Unlike "p ± 1.96 standard errors" it stays inside [0, 1] and behaves well near
    0% and 100%. scipy refuses counts that are not whole numbers with 0 <= k <= n.

    >>> low, high = wilson_interval(9487, 10000)
    >>> print(f"{low:.4f} to {high:.4f}")
    0.9442 to 0.9529
    """
    interval = _scipy_stats.binomtest(k, n).proportion_ci(confidence, method="wilson")
    return float(interval.low), float(interval.high)
