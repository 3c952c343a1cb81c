"""Behaviour of mnist_lr.metrics that mutation testing found no other test pinning down."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from mnist_lr import confusion_matrix, most_confused_pairs


def test_most_confused_pairs_returns_five_pairs_by_default():
    matrix = np.arange(36).reshape(6, 6)  # 15 pairs, all with different totals
    pairs = most_confused_pairs(matrix)
    assert len(pairs) == 5
    assert [p.total for p in pairs] == [p.total for p in most_confused_pairs(matrix, top=None)][:5]


def test_huge_floats_are_continuous_values_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="y_true holds continuous values"):
            confusion_matrix([1e308, 1.5], [1.0, 1.0])


# The messages are checked from their first word to their last, so that no part
# of them (the remedy at the end, above all) can go missing unnoticed.
@pytest.mark.parametrize("y_true, y_pred, labels, message", [
    ([], [], None, r"y_true and y_pred are empty, .*; pass labels= to get an all-zero matrix"),
    ([0, 1], [0, 1], [], r"labels must be a non-empty 1-D list of classes"),
    ([0, 1], [0, 1], [0, 1, 1], r"labels must not repeat a class"),
    ([0, 1], [0], None, r"y_true and y_pred have different lengths: 2 labels vs 1 labels"),
])
def test_confusion_matrix_messages_in_full(y_true, y_pred, labels, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        confusion_matrix(y_true, y_pred, labels=labels)


@pytest.mark.parametrize("matrix, message", [
    ([[1.0, np.nan], [0.0, 1.0]],
     r"matrix must hold counts \(whole numbers >= 0, no NaN or infinity\), as .*"),
    ([[0.5, 0.5], [0.0, 1.0]],
     r"matrix must hold counts \(.*\), as .*; pass the raw counts, not a normalised matrix"),
])
def test_most_confused_pairs_messages_in_full(matrix, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        most_confused_pairs(matrix)
