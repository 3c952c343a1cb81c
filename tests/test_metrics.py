"""The hand-written confusion matrix against scikit-learn's, and the confused-pairs analysis."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skmetrics

from mnist_lr import confusion_matrix, most_confused_pairs


@pytest.mark.slow
def test_equals_sklearn_on_real_predictions(article_model, mnist_split):
    _, X_val, _, y_val = mnist_split
    predicted = article_model.predict(X_val)
    ours = confusion_matrix(y_val, predicted)
    np.testing.assert_array_equal(ours, skmetrics.confusion_matrix(y_val, predicted))
    assert ours.sum() == len(y_val)
    assert np.trace(ours) == np.count_nonzero(predicted == y_val)


_RNG = np.random.default_rng(0)
_TRUE, _PRED = _RNG.integers(0, 6, 200), _RNG.integers(1, 7, 200)  # labels the truth never uses


@pytest.mark.parametrize("y_true, y_pred, labels", [
    (_TRUE, _PRED, None),
    (_TRUE, _PRED, [6, 0, 3]),  # rows in this order; samples of other classes left out
    ([0, 1, 2, 2, 3], [0, 2, 2, 1, 3], [2, 1]),
    (["cat", "dog", "dog", "emu"], ["cat", "cat", "dog", "dog"], None),
    (np.array(["cat", "dog"], dtype=object), np.array(["dog", "dog"]), None),
    ([0.0, 1.0, 1.0], [0, 1, 0], None),  # whole-number floats are labels
    ([True, False], [True, True], None),
])
def test_equals_sklearn(y_true, y_pred, labels):
    ours = confusion_matrix(y_true, y_pred, labels=labels)
    np.testing.assert_array_equal(ours, skmetrics.confusion_matrix(y_true, y_pred, labels=labels))
    assert ours.dtype == np.int64


def test_many_classes_take_linear_time():
    # The one-hot product would need 5,000**3 operations; counting is instant.
    labels = np.arange(5000)
    matrix = confusion_matrix(labels, labels)
    assert matrix.shape == (5000, 5000)
    assert np.trace(matrix) == 5000 and matrix.sum() == 5000


def test_empty_inputs_give_an_empty_or_all_zero_matrix():
    assert confusion_matrix([], []).shape == (0, 0)
    np.testing.assert_array_equal(confusion_matrix([], [], labels=[0, 1]), np.zeros((2, 2)))


# Some messages are checked from their first word to their last (^...$), so that no
# part of them (the remedy at the end, above all) can go missing unnoticed.
@pytest.mark.parametrize("y_true, y_pred, kwargs, match", [
    ([0, 1], [0], {}, r"^y_true and y_pred have different lengths: 2 labels vs 1 labels$"),
    ([[0], [1]], [0, 1], {}, "y_true must be 1-D"),
    ([0, 1], [[0.9, 0.1], [0.2, 0.8]], {}, "y_pred must be 1-D"),
    (0, 0, {}, "y_true must be 1-D"),
    ([0, 1], [0, 1], {"labels": []}, r"^labels must be a non-empty 1-D list of distinct classes$"),
    ([0, 1], [0, 1], {"labels": [[0, 1]]}, "non-empty 1-D"),
    ([0, 1], [0, 1], {"labels": [0, 0, 1]}, "distinct"),
    ([0, 1], [0, 1], {"labels": [0.0, np.nan]}, "labels contains NaN"),
    ([0, 1], [0, 1], {"labels": ["0", "1"]},
     r"labels holds strings \(<U1\) but y_true holds numbers"),
    ([0, 1, 2, 2], ["0", "1", "2", "1"], {},
     r"y_true holds numbers \(int64\) but y_pred holds strings \(<U1\)"),
    ([1.0, 1.0], [1.0, np.nan], {}, "y_pred contains NaN"),
    ([1.0, np.inf], [1.0, 1.0], {}, "y_true contains NaN or infinity"),
    ([0.5, 1.0], [1.0, 1.0], {}, r"^y_true holds continuous values such as 0.5, .*"
                                 r"not probabilities or scores$"),
    ([1.0, 1.0], [0.25, 1.0], {}, "y_pred holds continuous values"),
    ([1e308, 1.5], [1.0, 1.0], {}, "y_true holds continuous values"),  # no overflow warning
    ([b"a", b"b"], [b"a", b"a"], {}, "bytes"),
    ([1 + 2j, 1], [1, 1], {}, "complex128"),
])
@pytest.mark.filterwarnings("error")
def test_bad_input(y_true, y_pred, kwargs, match):
    with pytest.raises(ValueError, match=match):
        confusion_matrix(y_true, y_pred, **kwargs)


@pytest.mark.parametrize("where", ["y_true", "y_pred", "labels"])
@pytest.mark.parametrize(("mixed", "found"), [
    ([0, "a"], "0 is a number, 'a' is a string"),
    ([1, None], "1 is a number, None is no label"),
])
def test_mixed_label_types_are_named(where, mixed, found):
    args = {"y_true": [0, 1], "y_pred": [0, 1], "labels": [0, 1]}
    args[where] = mixed
    with pytest.raises(ValueError, match=f"^{where} mixes label types \\({found}\\)"):
        confusion_matrix(**args)


def test_most_confused_pairs_counts_both_directions_largest_first():
    matrix = np.array([[50, 1, 2, 0], [0, 40, 0, 0], [9, 0, 30, 4], [0, 0, 5, 20]])
    pairs = most_confused_pairs(matrix, labels="abcd", top=2)
    assert pairs[0] == ("a", "c", 2, 9) and pairs[0].total == 11
    assert (pairs[1].a, pairs[1].b, pairs[1].total) == ("c", "d", 9)
    tied = most_confused_pairs(np.ones((3, 3)), labels=["x", "y", "z"], top=None)
    assert tied == [("x", "y", 1, 1), ("x", "z", 1, 1), ("y", "z", 1, 1)]  # the labels' order
    assert all(isinstance(p.a_as_b, int) and isinstance(p.b_as_a, int) for p in tied)


@pytest.mark.parametrize("top, n_pairs", [(1, 1), (np.int64(2), 2), (None, 15), (100, 15)])
def test_most_confused_pairs_top(top, n_pairs):
    many = np.arange(36).reshape(6, 6)  # 15 pairs, all with different totals
    pairs = most_confused_pairs(many, top=top)
    assert len(pairs) == n_pairs
    assert pairs == most_confused_pairs(many, top=None)[:n_pairs]
    assert most_confused_pairs(many) == most_confused_pairs(many, top=None)[:5]  # the default


@pytest.mark.parametrize("top, error, match", [
    (0, ValueError, "top must be >= 1, got 0"),
    (True, TypeError, "top must be an integer"),
    (2.0, TypeError, "top must be an integer"),
])
def test_most_confused_pairs_rejects_bad_top(top, error, match):
    with pytest.raises(error, match=match):
        most_confused_pairs(np.eye(3, dtype=int), top=top)


@pytest.mark.parametrize("matrix, labels, match", [
    (np.zeros((2, 3)), None, "square"),
    (np.zeros(4), None, "square"),
    (np.zeros((2, 2)), [1, 2, 3], "labels has 3 entries for a 2x2 matrix"),
    ([["a", "b"], ["c", "d"]], None, "must hold counts"),
    ([[1.0, np.nan], [0.0, 1.0]], None, "no NaN"),
    ([[1, -1], [0, 1]], None, "whole numbers >= 0"),
    ([[0.5, 0.5], [0.0, 1.0]], None,
     r"^matrix must hold counts \(.*\), as .*; pass the raw counts, not a normalised matrix$"),
])
def test_most_confused_pairs_rejects_bad_matrix(matrix, labels, match):
    with pytest.raises(ValueError, match=match):
        most_confused_pairs(matrix, labels=labels)
