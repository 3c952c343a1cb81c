"""Notebook 10, the honest score: the worked answers to its exercises, and their records."""

from __future__ import annotations

import itertools
from math import comb

import numpy as np
from scipy import stats

from ._engine import Exercise, Line, Mistake, brief, read_number, read_shaped


def per_digit_accuracy(y_true, y_pred):
    """For each digit 0..9,
    the fraction of its images (by true label) predicted right.
    """
    return np.array(
        [np.mean(y_pred[y_true == digit] == digit) for digit in range(10)]
    )


def mcnemar_test(y_true, pred_a, pred_b):
    """McNemar's exact test on the same images:
    (only_a, only_b, two-sided p-value).
    """
    from math import comb

    right_a, right_b = pred_a == y_true, pred_b == y_true
    only_a = int(np.sum(right_a & ~right_b))  # images only model a gets right
    only_b = int(np.sum(right_b & ~right_a))
    # images where both are right, or both wrong, say nothing
    n = only_a + only_b
    # Were the models equally good, each of the n disagreements
    # would be a fair coin toss: add up the chance of a split
    # at least this lopsided, on either side.
    tail = sum(comb(n, i) for i in range(min(only_a, only_b) + 1)) / 2**n
    return only_a, only_b, min(1.0, 2 * tail)


def _predictions(rng, n):
    """Every digit among the labels and the predictions; digits mixed up at random."""
    y_true = rng.permutation(np.concatenate([np.arange(10), rng.integers(0, 10, n - 10)]))
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, 10, n))
    y_pred[rng.choice(np.flatnonzero(y_true == 3), 1)] = 5  # 5 is also predicted wrongly
    y_pred[np.flatnonzero(y_true == 5)[:1]] = 5
    return {"y_true": y_true, "y_pred": y_pred}


def _right(y_true, y_pred):
    return np.array([np.sum((y_true == d) & (y_pred == d)) for d in range(10)])


def _comparison(rng, only_a, only_b, both_right, same_wrong, different_wrong):
    """Labels and two models' predictions, shuffled, with exactly these counts."""
    n = only_a + only_b + both_right + same_wrong + different_wrong
    y = rng.integers(0, 10, size=n)
    wrong1, wrong2 = (y + 1) % 10, (y + 2) % 10
    kinds = np.repeat(np.arange(5), [only_a, only_b, both_right, same_wrong, different_wrong])
    pred_a = np.choose(kinds, [y, wrong1, y, wrong1, wrong1])
    pred_b = np.choose(kinds, [wrong1, y, y, wrong1, wrong2])
    order = rng.permutation(n)
    return {"y_true": y[order], "pred_a": pred_a[order], "pred_b": pred_b[order]}


def _comparisons(rng):
    """Three comparisons: a lopsided one, one with equal counts, and a large one."""
    a = int(rng.integers(6, 10))
    b = int(rng.integers(0, 4))
    same = int(rng.integers(2, 6))
    return [_comparison(rng, a, b, int(rng.integers(3, 8)), 1, 2),
            _comparison(rng, same, same, int(rng.integers(3, 8)), 2, 2),
            _comparison(rng, b + 4, a + 12, int(rng.integers(20, 40)), 6, 6)]


def _counts(y_true, pred_a, pred_b):
    right_a, right_b = pred_a == y_true, pred_b == y_true
    return right_a, right_b


def _with_exact_p(count):
    """A mistake in the counts: the counts it gives, and the exact p-value from them."""

    def mistaken(y_true, pred_a, pred_b):
        a, b = count(*_counts(y_true, pred_a, pred_b), pred_a != pred_b)
        n = a + b
        tail = sum(comb(n, i) for i in range(min(a, b) + 1)) / 2**n
        return a, b, min(1.0, 2 * tail)

    return mistaken


def _with_p(p_value):
    """A mistake in the p-value: the right counts, and the p-value ``p_value(a, b, n)`` gives."""

    def mistaken(y_true, pred_a, pred_b):
        a, b, _ = mcnemar_test(y_true, pred_a, pred_b)
        return a, b, p_value(a, b, len(y_true))

    return mistaken


def _three_values(raw, arguments):
    try:
        values = list(itertools.islice(iter(raw), 4))  # an endless iterator is read no further
    except TypeError:
        raise Line(f"returns {brief(raw)}; expected three values, "
                   "(only_a, only_b, p_value)") from None
    if len(values) != 3:
        many = "more than three" if len(values) > 3 else len(values)
        raise Line(f"returns {many} values; expected three, (only_a, only_b, p_value)")
    return np.array([read_number(value) for value in values])


def _both_tails(a, b, n):
    return 2 * sum(comb(a + b, i) for i in range(min(a, b) + 1)) / 2 ** (a + b)


def _only(right_a, right_b, differ):
    return int(np.sum(right_a & ~right_b)), int(np.sum(right_b & ~right_a))


def _both_wrong_differently(right_a, right_b, differ):
    """Where the predictions differ, a is right or (so it is thought) b is."""
    return int(np.sum(differ & right_a)), int(np.sum(differ & ~right_a))


def _chi_square(shift):
    return lambda a, b, n: stats.chi2.sf((abs(a - b) - shift) ** 2 / (a + b), 1)


EXERCISES = (
    Exercise(
        topic="per_digit_accuracy", answer=per_digit_accuracy,
        cases=lambda rng: [_predictions(rng, n) for n in (12, 30, 200)],
        read=read_shaped(lambda arguments: (10,)),
        hint="For digit d, the images are those with y_true == d; the share of them predicted "
             "right is np.mean(y_pred[y_true == d] == d).",
        praise="your per_digit_accuracy is, for each digit, the share of its images predicted "
               "right.",
        mistakes=(
            Mistake(lambda t, p: _right(t, p) / np.bincount(p, minlength=10),
                    "Your per_digit_accuracy divides by how often each digit was predicted "
                    "(precision); divide by how often it is the true label."),
            Mistake(_right, "Your per_digit_accuracy counts the right predictions per digit: "
                            "divide by the number of images of that digit."),
            Mistake(lambda t, p: 100 * per_digit_accuracy(t, p),
                    "Your per_digit_accuracy returns percentages: return fractions."),
            Mistake(lambda t, p: np.full(10, np.mean(t == p)),
                    "Your per_digit_accuracy repeats the overall accuracy: take each digit's "
                    "images (y_true == digit) separately."),
        ),
    ),
    Exercise(
        topic="mcnemar_test", answer=mcnemar_test, cases=_comparisons, read=_three_values,
        hint="right_a = pred_a == y_true (and right_b); only_a counts right_a & ~right_b. If "
             "the models were equally good, each of the only_a + only_b disagreements would be "
             "a fair coin toss: scipy.stats.binomtest(only_a, only_a + only_b).pvalue is the "
             "exact two-sided p-value.",
        praise="your test counts the images only one model gets right and gives the exact "
               "two-sided p-value.",
        mistakes=(
            Mistake(_with_exact_p(lambda ra, rb, d: _only(ra, rb, d)[::-1]),
                    "Your counts are swapped: return only_a, the images model a gets right "
                    "and b wrong, first."),
            Mistake(_with_exact_p(lambda ra, rb, d: (int(ra.sum()), int(rb.sum()))),
                    "Your counts include the images both models get right: count only the "
                    "images on which one is right and the other wrong."),
            Mistake(_with_exact_p(lambda ra, rb, d: (int((ra & rb).sum()),
                                                     int((~ra & ~rb).sum()))),
                    "Your counts are the images the two models agree on; McNemar's test "
                    "counts the images where one is right and the other wrong."),
            Mistake(_with_exact_p(_both_wrong_differently),
                    "Your counts include images both models get wrong, with different digits: "
                    "different predictions are not enough, one must be right."),
            Mistake(_with_p(_both_tails),
                    "Your p-value goes above 1: doubling one tail can pass 1 when the counts "
                    "are close; cap it at 1."),
            Mistake(_with_p(lambda a, b, n: stats.binomtest(a, a + b, alternative="less").pvalue),
                    "Your p-value is one-sided (only_a small): a difference either way "
                    "counts, so add both tails (or double the smaller one)."),
            Mistake(_with_p(lambda a, b, n: stats.binomtest(a, a + b,
                                                            alternative="greater").pvalue),
                    "Your p-value is one-sided (only_a large): a difference either way "
                    "counts, so add both tails (or double the smaller one)."),
            Mistake(_with_p(lambda a, b, n: stats.binom.cdf(min(a, b), a + b, 0.5)),
                    "Your p-value is one-sided (the smaller tail only): a difference either "
                    "way counts, so double it (and cap it at 1)."),
            Mistake(_with_p(lambda a, b, n: stats.binomtest(a, n).pvalue),
                    "Your p-value treats every image as a coin toss: only the images where "
                    "the models disagree are."),
            Mistake(_with_p(_chi_square(0)),
                    "Your p-value is the chi-square approximation; compute the exact binomial "
                    "p-value."),
            Mistake(_with_p(_chi_square(1)),
                    "Your p-value is the chi-square approximation (with continuity "
                    "correction); compute the exact binomial p-value."),
        ),
    ),
)
