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
