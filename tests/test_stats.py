"""mnist_lr.stats against cases worked by hand."""

import math

import pytest

from mnist_lr.stats import mcnemar, paired_difference, wilson_interval

Z95 = 1.959963984540054  # the 97.5% point of the standard normal


@pytest.mark.parametrize("a, b, mean, std_error, signs", [
    # differences 1, 2, 3, 4: mean 2.5, sample variance 5/3, standard error sqrt(5/3 / 4)
    ([1, 2, 3, 4], [0, 0, 0, 0], 2.5, math.sqrt(5 / 3 / 4), (4, 0, 0)),
    # fold difficulty (the big swings) is common to both arms and cancels
    ([81.0, 96.0, 71.0, 91.0, 86.0], [80.0, 95.0, 70.0, 90.0, 85.0], 1.0, 0.0, (5, 0, 0)),
    ([1, 0, 3, 2], [0, 0, 4, 2], 0.0, math.sqrt(2 / 3 / 4), (1, 1, 2)),
])
def test_paired_difference_by_hand(a, b, mean, std_error, signs):
    result = paired_difference(a, b)
    assert result.mean == pytest.approx(mean) and result.std_error == pytest.approx(std_error)
    assert (result.n_positive, result.n_negative, result.n_tied) == signs


def test_nadeau_bengio_widens_by_the_test_train_ratio():
    # 5 folds of 700 images: 560 to train, 140 to score; factor 1/5 + 140/560 = 0.45
    a, b = [0.71, 1.43, 2.14, 3.57, 1.43], [0.0] * 5
    plain = paired_difference(a, b).std_error
    corrected = paired_difference(a, b, n_train=560, n_test=140).std_error
    assert corrected / plain == pytest.approx(math.sqrt(0.45 / 0.2))


@pytest.mark.parametrize("a, b, n_train, n_test, message", [
    ([1.0], [0.0], None, None, "at least two"),
    ([1.0, 2.0, 3.0], [0.0, 0.0], None, None, r"one per fold each; got shapes \(3,\) and \(2,\)"),
    ([[1.0, 2.0]], [[0.0, 0.0]], None, None, "lists of per-fold scores"),
    ([1.0, 2.0], [0.0, 0.0], 100, None, "both n_train and n_test"),
])
def test_paired_difference_rejects_bad_input(a, b, n_train, n_test, message):
    with pytest.raises(ValueError, match=message):
        paired_difference(a, b, n_train=n_train, n_test=n_test)


def test_mcnemar_by_hand():
    y = list(range(10)) * 2
    pred_a, pred_b = list(y), list(y)
    pred_a[0] = -1  # a wrong on one image that b gets right
    pred_b[1:10] = [-1] * 9  # b wrong on nine images that a gets right
    pred_a[19] = pred_b[19] = -1  # both wrong: says nothing
    result = mcnemar(y, pred_a, pred_b)
    assert (result.only_a, result.only_b) == (9, 1)
    # P(X <= 1) for X ~ Binomial(10, 1/2) is 11/1024; two-sided doubles it
    assert result.p_value == pytest.approx(22 / 1024)


def test_mcnemar_is_symmetric_and_one_when_they_agree():
    y = [0, 1, 2, 3, 4]
    a, b = [0, 1, 9, 9, 4], [0, 9, 2, 3, 9]
    assert mcnemar(y, a, b).p_value == mcnemar(y, b, a).p_value
    assert mcnemar(y, a, a) == (0, 0, 1.0)
    assert mcnemar([[0], [1], [2]], [0, 1, 9], [9, 1, 2])[:2] == (1, 1)  # a column of labels
    with pytest.raises(ValueError, match="one entry per image; got 3, 2 and 3"):
        mcnemar([0, 1, 2], [0, 1], [0, 1, 2])


@pytest.mark.parametrize("k, n", [(0, 10), (10, 10), (7, 10), (9487, 10000), (1, 2)])
def test_wilson_interval_by_hand(k, n):
    centre = (k + Z95**2 / 2) / (n + Z95**2)
    half = Z95 / (n + Z95**2) * math.sqrt(k * (n - k) / n + Z95**2 / 4)
    assert wilson_interval(k, n) == pytest.approx((centre - half, centre + half), abs=1e-9)


def test_wilson_interval_narrows_with_confidence():
    low95, high95 = wilson_interval(50, 100)
    low80, high80 = wilson_interval(50, 100, confidence=0.8)
    assert low95 < low80 < 0.5 < high80 < high95


@pytest.mark.parametrize("k, n, confidence, error, match", [
    (11, 10, 0.95, ValueError, "k"),
    (-1, 10, 0.95, ValueError, "k"),
    (0, 0, 0.95, ValueError, "n"),
    (5, 10, 95, ValueError, "confidence"),
    (0.9, 1, 0.95, TypeError, "k must be an integer"),
])
def test_wilson_interval_rejects_bad_input(k, n, confidence, error, match):
    with pytest.raises(error, match=match):
        wilson_interval(k, n, confidence)
