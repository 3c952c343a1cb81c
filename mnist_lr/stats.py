"""How sure a score is: the three yardsticks the series judges its numbers by.

* :func:`wilson_interval`: a 95% interval for one accuracy, measured as
  k right answers out of n images.
* :func:`paired_difference`: two models scored on the same folds. How hard
  each fold happens to be is shared by both, so it cancels in the per-fold
  *differences*; their spread, not the spread between folds, says whether
  the difference is real.
* :func:`mcnemar`: two models scored on the same images. Only the images on
  which they disagree carry information about which is better.

scipy does the arithmetic (``scipy.stats.binomtest``); these functions say
which numbers to hand it and name what comes back.
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


def _scores(values, name):
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or array.size < 2:
        raise ValueError(
            f"{name} must be a list of at least two per-fold scores; got shape {array.shape}"
        )
    return array


def paired_difference(a, b, n_train=None, n_test=None):
    """Mean and standard error of the per-fold differences ``a - b``.

    ``a`` and ``b`` are the scores of two models on the *same* folds, in the
    same order. The standard error is the sample standard deviation of the
    differences (ddof = 1) over the square root of the number of folds.

    In k-fold cross-validation the folds' training sets overlap, so the
    differences are not independent and that standard error is too small.
    Given the sizes, ``n_train`` and ``n_test`` images per fold, it is widened
    with Nadeau and Bengio's correction (2003): the variance factor 1/k
    becomes 1/k + n_test/n_train.

    >>> r = paired_difference([91.0, 92.0, 90.0], [90.0, 90.0, 90.0])
    >>> round(r.mean, 3), round(r.std_error, 3), r.n_positive, r.n_negative, r.n_tied
    (1.0, 0.577, 2, 0, 1)
    >>> widened = paired_difference([91.0, 92.0, 90.0], [90.0] * 3, n_train=200, n_test=100)
    >>> round(widened.std_error, 3)
    0.913
    """
    a, b = _scores(a, "a"), _scores(b, "b")
    if a.shape != b.shape:
        raise ValueError(
            f"a and b must hold one score per fold each; got {a.size} and {b.size} scores"
        )
    if (n_train is None) != (n_test is None):
        raise ValueError("give both n_train and n_test (images per fold), or neither")
    differences = a - b
    k = differences.size
    factor = 1 / k if n_train is None else 1 / k + n_test / n_train
    std_error = float(np.sqrt(factor * np.var(differences, ddof=1)))
    return PairedDifference(
        mean=float(differences.mean()),
        std_error=std_error,
        n_positive=int(np.sum(differences > 0)),
        n_negative=int(np.sum(differences < 0)),
        n_tied=int(np.sum(differences == 0)),
    )


def mcnemar(y_true, pred_a, pred_b):
    """McNemar's exact test of two models' predictions on the same images.

    Images both models get right, or both get wrong, say nothing about which
    is better. Of the others, if the two were equally good, each would be
    "only a is right" or "only b is right" with probability 1/2; the p-value
    is how surprising the split seen is under that (a two-sided binomial test).

    >>> y = [0, 1, 2, 3, 4, 5]
    >>> mcnemar(y, [0, 1, 2, 3, 9, 9], [0, 9, 9, 9, 4, 9])
    McNemarResult(only_a=3, only_b=1, p_value=0.625)
    """
    y_true, pred_a, pred_b = (np.asarray(v).ravel() for v in (y_true, pred_a, pred_b))
    if not y_true.size == pred_a.size == pred_b.size:
        raise ValueError(
            f"y_true, pred_a and pred_b must have one entry per image; got {y_true.size}, "
            f"{pred_a.size} and {pred_b.size}"
        )
    right_a, right_b = pred_a == y_true, pred_b == y_true
    only_a, only_b = int(np.sum(right_a & ~right_b)), int(np.sum(right_b & ~right_a))
    disagreements = only_a + only_b
    p_value = 1.0 if disagreements == 0 else _scipy_stats.binomtest(only_a, disagreements).pvalue
    return McNemarResult(only_a, only_b, float(p_value))


def wilson_interval(k, n, confidence=0.95):
    """Wilson's interval for a proportion: k right answers out of n.

    Returns ``(low, high)`` as fractions. Unlike "p ± 1.96 standard errors"
    it stays inside [0, 1] and behaves well near 0% and 100%.

    >>> low, high = wilson_interval(9487, 10000)
    >>> print(f"{low:.4f} to {high:.4f}")
    0.9442 to 0.9529
    """
    if not (isinstance(k, (int, np.integer)) and isinstance(n, (int, np.integer))):
        raise TypeError(f"k and n must be whole numbers (counts of images); got {k!r} and {n!r}")
    if not 0 <= k <= n or n == 0:
        raise ValueError(f"need 0 <= k <= n and n > 0; got k={k}, n={n}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1; got {confidence}")
    interval = _scipy_stats.binomtest(int(k), int(n)).proportion_ci(confidence, method="wilson")
    return float(interval.low), float(interval.high)
