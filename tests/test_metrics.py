"""The hand-written confusion matrix against scikit-learn's, and the confused-pairs analysis."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skmetrics

from mnist_lr import confusion_matrix, most_confused_pairs


def test_equals_sklearn_on_real_predictions(article_model, mnist_split):
    _, X_val, _, y_val = mnist_split
    predicted = article_model.predict(X_val)
    ours = confusion_matrix(y_val, predicted)
    np.testing.assert_array_equal(ours, skmetrics.confusion_matrix(y_val, predicted))
    assert ours.sum() == len(y_val)
    assert np.trace(ours) == np.count_nonzero(predicted == y_val)


@pytest.mark.parametrize("seed", range(5))
def test_equals_sklearn_on_random_labels(seed):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 6, 200)
    y_pred = rng.integers(1, 7, 200)  # predictions may use labels the truth never does
    np.testing.assert_array_equal(
        confusion_matrix(y_true, y_pred), skmetrics.confusion_matrix(y_true, y_pred)
    )
    labels = [6, 0, 3]
    np.testing.assert_array_equal(
        confusion_matrix(y_true, y_pred, labels=labels),
        skmetrics.confusion_matrix(y_true, y_pred, labels=labels),
    )


def test_string_labels():
    y_true = np.array(["cat", "dog", "dog", "emu"])
    y_pred = np.array(["cat", "cat", "dog", "dog"])
    np.testing.assert_array_equal(
        confusion_matrix(y_true, y_pred), skmetrics.confusion_matrix(y_true, y_pred)
    )


@pytest.mark.parametrize(
    "y_true, y_pred, kwargs, match",
    [
        ([0, 1], [0], {}, "different lengths"),
        ([[0, 1]], [[0, 1]], {}, "1-D"),
        ([0, 1], [0, 1], {"labels": []}, "non-empty"),
        ([0, 1], [0, 1], {"labels": [0, 0, 1]}, "repeat"),
    ],
)
def test_bad_input(y_true, y_pred, kwargs, match):
    with pytest.raises(ValueError, match=match):
        confusion_matrix(y_true, y_pred, **kwargs)


def test_most_confused_pairs_counts_both_directions():
    matrix = np.array([[50, 1, 2, 0], [0, 40, 0, 0], [9, 0, 30, 4], [0, 0, 5, 20]])
    pairs = most_confused_pairs(matrix, labels="abcd", top=2)
    assert (pairs[0].a, pairs[0].b, pairs[0].a_as_b, pairs[0].b_as_a) == ("a", "c", 2, 9)
    assert pairs[0].total == 11
    assert (pairs[1].a, pairs[1].b, pairs[1].total) == ("c", "d", 9)
    assert len(most_confused_pairs(matrix, top=100)) == 6


def test_most_confused_pairs_rejects_non_square():
    with pytest.raises(ValueError, match="square"):
        most_confused_pairs(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="labels"):
        most_confused_pairs(np.zeros((2, 2)), labels=[1, 2, 3])
