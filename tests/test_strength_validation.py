"""Behaviour of mnist_lr.validation that mutation testing found no other test pinning down."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits

from mnist_lr import SoftmaxRegression, kfold_curves, kfold_indices


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:300] / 16.0, y[:300]


def test_kfold_indices_makes_five_folds_by_default():
    assert len(kfold_indices(50, random_state=0)) == 5


def test_each_fold_is_trained_with_a_seed_drawn_after_the_folds(digits):
    # One generator draws the folds, then one seed per fold in [0, 2**31 - 1):
    # the curves are reproducible from random_state alone, whatever n_jobs is.
    X, y = digits
    template = SoftmaxRegression(learning_rate=0.1, batch_size=50)
    curves = kfold_curves(X, y, template, n_splits=3, epochs=2, random_state=7)
    rng = np.random.default_rng(7)
    folds = kfold_indices(len(y), 3, random_state=rng)
    seeds = rng.integers(0, 2**31 - 1, size=3)
    for fold, ((train, val), seed) in enumerate(zip(folds, seeds)):
        model = clone(template).set_params(max_epochs=2, patience=None, random_state=int(seed))
        model.fit(X[train], y[train], X[val], y[val])
        np.testing.assert_array_equal(curves.val_accuracy[fold], model.history_.val_accuracy)
        np.testing.assert_array_equal(curves.loss[fold], model.history_.loss)


def test_progress_counts_the_folds_and_changes_no_result(digits, capsys):
    X, y = digits
    template = SoftmaxRegression(learning_rate=0.1, batch_size=50)
    quiet = kfold_curves(X, y, template, n_splits=3, epochs=2, random_state=0)
    capsys.readouterr()
    shown = kfold_curves(X, y, template, n_splits=3, epochs=2, random_state=0, progress=True)
    out = capsys.readouterr().out
    assert "folds: 0/3 done" in out and out.endswith("3 folds done\n")
    np.testing.assert_array_equal(quiet.val_accuracy, shown.val_accuracy)


@pytest.mark.parametrize("epochs", [0, -3])
def test_kfold_curves_refuses_fewer_than_one_epoch_by_its_own_name(digits, epochs):
    X, y = digits
    # "epochs", not the model's "max_epochs": the error comes before any training.
    with pytest.raises(ValueError, match=r"(?<![_\w])epochs"):
        kfold_curves(X, y, n_splits=3, epochs=epochs)


def test_an_estimator_without_max_epochs_is_refused_in_full_words(digits):
    X, y = digits
    with pytest.raises(TypeError, match=r"^estimator must be a SoftmaxRegression .*patience\)$"):
        kfold_curves(X, y, estimator=object(), n_splits=3, epochs=2)


def test_a_class_missing_from_a_training_part_is_named_with_the_remedy():
    X = np.arange(40, dtype=float).reshape(20, 2)
    y = np.array([0, 1] * 9 + [0, 2])  # the one 2 is never in a training part
    message = (
        r"^fold \d of 4: label\(s\) \[2\] appear only in its validation part, so the model "
        r"trained on that fold never sees them\. Every class needs several samples: use fewer "
        r"folds \(n_splits\), another random_state, or drop the rare classes\.$"
    )
    with pytest.raises(ValueError, match=message):
        kfold_curves(X, y, SoftmaxRegression(batch_size=5), n_splits=4, epochs=1)


def test_at_most_ten_missing_classes_are_named():
    y = np.array([0] * 40 + list(range(1, 31)))  # 30 classes with one sample each
    X = np.arange(2 * len(y), dtype=float).reshape(-1, 2)
    with pytest.raises(ValueError, match=r"label\(s\) \[") as caught:
        kfold_curves(X, y, SoftmaxRegression(batch_size=5), n_splits=2, epochs=1, random_state=0)
    named = re.search(r"label\(s\) \[([^]]*)\]", str(caught.value)).group(1).split(", ")
    assert len(named) == 10
