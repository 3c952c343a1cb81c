"""k-fold splitting from scratch, and the per-fold training curves."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits

from mnist_lr import KFoldCurves, SoftmaxRegression, kfold_curves, kfold_indices


@pytest.mark.parametrize("n_samples, n_splits", [(70000, 5), (14, 5), (700, 5), (11, 3), (10, 10)])
def test_every_sample_is_validated_exactly_once(n_samples, n_splits):
    folds = kfold_indices(n_samples, n_splits, random_state=0)
    assert len(folds) == n_splits
    validated = np.concatenate([val for _, val in folds])
    np.testing.assert_array_equal(np.sort(validated), np.arange(n_samples))
    sizes = [len(val) for _, val in folds]
    assert max(sizes) - min(sizes) <= 1
    for train, val in folds:
        assert len(np.intersect1d(train, val)) == 0
        assert len(train) + len(val) == n_samples


def test_kfold_is_seeded():
    a = kfold_indices(100, 5, random_state=3)
    b = kfold_indices(100, 5, random_state=3)
    c = kfold_indices(100, 5, random_state=4)
    for (ta, va), (tb, vb) in zip(a, b):
        np.testing.assert_array_equal(va, vb)
        np.testing.assert_array_equal(ta, tb)
    assert not all(np.array_equal(va, vc) for (_, va), (_, vc) in zip(a, c))


@pytest.mark.parametrize(
    "n_samples, n_splits, error",
    [(10, 1, ValueError), (3, 5, ValueError), (10, 2.5, TypeError), ("10", 2, TypeError)],
)
def test_kfold_rejects_bad_arguments(n_samples, n_splits, error):
    with pytest.raises(error):
        kfold_indices(n_samples, n_splits)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


def test_kfold_curves_shapes_and_determinism(digits):
    X, y = digits
    template = SoftmaxRegression(learning_rate=0.1, batch_size=50)
    curves = kfold_curves(X, y, template, n_splits=4, epochs=6, random_state=0)
    assert isinstance(curves, KFoldCurves)
    assert curves.train_accuracy.shape == curves.val_accuracy.shape == (4, 6)
    assert curves.loss.shape == (4, 6)
    assert (curves.val_accuracy[:, -1] > 0.85).all()
    again = kfold_curves(X, y, template, n_splits=4, epochs=6, random_state=0, n_jobs=2)
    # Seeds are drawn per fold up front, so running folds in parallel changes nothing.
    np.testing.assert_array_equal(curves.val_accuracy, again.val_accuracy)
    np.testing.assert_array_equal(curves.train_accuracy, again.train_accuracy)
    summary = curves.summary()
    assert summary["val_mean"] == pytest.approx(curves.val_accuracy[:, -1].mean())
    assert summary["gap"] == pytest.approx(summary["train_mean"] - summary["val_mean"])


def test_kfold_curves_ignores_template_early_stopping(digits):
    X, y = digits
    curves = kfold_curves(X, y, SoftmaxRegression(patience=1, max_epochs=2, learning_rate=3.0),
                          n_splits=3, epochs=12, random_state=1)
    assert curves.n_epochs == 12 and curves.n_folds == 3


def test_kfold_curves_rejects_other_estimators(digits):
    X, y = digits
    with pytest.raises(TypeError, match="SoftmaxRegression"):
        kfold_curves(X, y, object(), epochs=2)
