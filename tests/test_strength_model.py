"""Behaviour of mnist_lr.model that mutation testing found no other test pinning down."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from sklearn.datasets import load_digits

from mnist_lr import SoftmaxRegression, cross_entropy_from_scores, cross_entropy_gradient, one_hot
from mnist_lr.model import DivergenceWarning


def test_one_hot_uses_the_dtype_asked_for():
    assert one_hot([0, 1], dtype=np.float32).dtype == np.float32
    assert one_hot([0, 1]).dtype == np.float64


def test_one_hot_of_no_labels_is_empty():
    assert one_hot(np.array([], dtype=int)).shape == (0, 0)
    assert one_hot(np.array([], dtype=int), 3).shape == (0, 3)


def test_one_hot_errors_name_the_argument():
    with pytest.raises(ValueError, match=r"^n_classes\b"):
        one_hot([0, 1], n_classes=0)
    with pytest.raises(ValueError, match="labels must be 1-D"):
        one_hot([[0, 1]])


def test_float32_scores_give_the_float64_loss():
    scores = np.array([[1.5, -2.25, 0.1], [3.0, 0.2, -1.0]], dtype=np.float32)
    targets = one_hot([2, 0], 3)
    assert cross_entropy_from_scores(scores, targets) == cross_entropy_from_scores(
        scores.astype(np.float64), targets)


def test_gradient_shape_error_says_what_must_match():
    with pytest.raises(ValueError, match="must be 2-D with the same number of rows$"):
        cross_entropy_gradient(np.ones((3, 2)), np.ones((2, 2)) / 2, one_hot([0, 1]))


def test_the_divergence_warning_points_at_the_callers_fit(overflow_in_epoch_4):
    if "mutmut" in sys.modules:
        pytest.skip("under mutmut, every mutated function adds a frame to the stack")
    X, y = load_digits(return_X_y=True)
    model = SoftmaxRegression(learning_rate=2.0, max_epochs=6, batch_size=10, patience=None,
                              random_state=0)
    with pytest.warns(DivergenceWarning) as caught:
        model.fit(X[:200] / 16.0, y[:200])
    assert caught[0].filename == __file__
