"""Checks for comparing two models on the same images: McNemar's test (notebook 10)."""

from __future__ import annotations

import numpy as np
from scipy import stats

from .. import _solutions
from ._common import _call, _check, _describe, _hint, _number, _solution, _wrong

#: Made-up comparisons: (images only a gets right, only b, both right,
#: both wrong with the same digit, both wrong with different digits).
_CASES = ((9, 3, 20, 4, 4), (5, 5, 9, 2, 2), (4, 15, 30, 6, 6))


def _comparison(only_a, only_b, both_right, same_wrong, different_wrong, rng):
    """Labels and two models' predictions, shuffled, with exactly these counts."""
    n = only_a + only_b + both_right + same_wrong + different_wrong
    y = rng.integers(0, 10, size=n)
    wrong1, wrong2 = (y + 1) % 10, (y + 2) % 10
    kinds = np.repeat(np.arange(5), [only_a, only_b, both_right, same_wrong, different_wrong])
    pred_a = np.choose(kinds, [y, wrong1, y, wrong1, wrong1])
    pred_b = np.choose(kinds, [wrong1, y, y, wrong1, wrong2])
    order = rng.permutation(n)
    return y[order], pred_a[order], pred_b[order]


def _three_values(result, name):
    """The learner's (only_a, only_b, p_value), or a clear line."""
    try:
        values = list(result)
    except TypeError:
        raise _wrong(f"Your {name} returned {_describe(result)}; expected three values, "
                     "(only_a, only_b, p_value).") from None
    if len(values) != 3:
        raise _wrong(f"Your {name} returned {len(values)} values; expected three, "
                     "(only_a, only_b, p_value).")
    return [_number(value, name, what) for value, what in
            zip(values, ("only_a", "only_b", "a p-value"))]


def _diagnose_counts(counts, case, y, pred_a, pred_b):
    only_a, only_b, _, _, different_wrong = case
    right_a, right_b = pred_a == y, pred_b == y
    where = f"(with {len(y)} images: {only_a} only a gets right, {only_b} only b)"
    if counts == [only_b, only_a]:
        raise _wrong(f"Your counts are swapped {where}: return only_a, the images model a "
                     "gets right and b wrong, first.")
    if counts == [int(right_a.sum()), int(right_b.sum())]:
        raise _wrong(f"Your counts include the images both models get right {where}: "
                     "count only the images on which they disagree.")
    if counts == [int((right_a & right_b).sum()), int((~right_a & ~right_b).sum())]:
        raise _wrong(f"Your counts are the images the two models agree on {where}; McNemar's "
                     "test counts the images where one is right and the other wrong.")
    if different_wrong and different_wrong in (counts[0] - only_a, counts[1] - only_b):
        raise _wrong(f"Your counts include images both models get wrong, with different "
                     f"digits {where}: different predictions are not enough, one must be right.")
    raise _wrong(f"Your counts are {counts[0]:g} and {counts[1]:g} {where}.")


def _diagnose_p_value(p, expected, only_a, only_b, n_images):
    n = only_a + only_b
    where = f"(with {n_images} images: only_a = {only_a}, only_b = {only_b})"
    if p > 1:
        raise _wrong(f"Your p-value is {p:.4g}, above 1 {where}: doubling one tail can pass 1 "
                     "when the counts are close; cap it at 1.")
    one_sided = [stats.binomtest(only_a, n, alternative=side).pvalue
                 for side in ("less", "greater")]
    if any(np.isclose(p, value, rtol=1e-6) for value in one_sided):
        raise _wrong(f"Your p-value {p:.4g} is one-sided {where}: a difference either way "
                     "counts, so add both tails (or double the smaller one).")
    if np.isclose(p, stats.binomtest(only_a, n_images).pvalue, rtol=1e-6):
        raise _wrong(f"Your p-value {p:.4g} treats every image as a coin toss "
                     f"{where}: only the {n} images where the models disagree are.")
    approximations = [stats.chi2.sf((abs(only_a - only_b) - shift) ** 2 / n, 1)
                      for shift in (0, 1)]
    if any(np.isclose(p, value, rtol=1e-6) for value in approximations):
        raise _wrong(f"Your p-value {p:.4g} is the chi-square approximation {where}; "
                     "compute the exact binomial p-value.")
    raise _wrong(f"Your p-value is {p:.4g} {where}; expected {expected:.4g}.")


@_check()
def check_mcnemar_test(f):
    """Check ``f(y_true, pred_a, pred_b)``: (only_a, only_b, exact two-sided p-value).

    Tried on comparisons of three sizes, one with equal counts. Mistakes it
    recognises: the two counts swapped; counts that include the images both
    models get right; the counts of agreement (both right, both wrong);
    counts that include images both get wrong with different digits; a
    p-value above 1 (a doubled tail not capped); a one-sided p-value; all
    images taken as the binomial trials; the chi-square approximation.
    """
    name = "mcnemar_test"
    rng = np.random.default_rng(1)
    for case in _CASES:
        y, pred_a, pred_b = _comparison(*case, rng)
        result = _call(f, name, y_true=y, pred_a=pred_a, pred_b=pred_b)
        only_a, only_b, p = _three_values(result, name)
        if [only_a, only_b] != list(case[:2]):
            _diagnose_counts([only_a, only_b], case, y, pred_a, pred_b)
        expected = _solutions.mcnemar_test(y, pred_a, pred_b)[2]
        if not np.isclose(p, expected, rtol=1e-6):
            _diagnose_p_value(p, expected, case[0], case[1], len(y))
    return ("your test counts the images only one model gets right and gives the exact "
            "two-sided p-value.")


hint_mcnemar_test = _hint("mcnemar_test",
                          "right_a = pred_a == y_true (and right_b); only_a counts right_a & "
                          "~right_b. If the models were equally good, each of the only_a + only_b "
                          "disagreements would be a fair coin toss: scipy.stats.binomtest(only_a, "
                          "only_a + only_b).pvalue is the exact two-sided p-value.")
solution_mcnemar_test = _solution("mcnemar_test", _solutions.mcnemar_test)

