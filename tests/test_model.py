"""SoftmaxRegression and its pieces: math, training behaviour, contract, real-data accuracy."""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import sys
import threading
import warnings
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from article_reference import article_fit
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from mnist_lr import (
    DivergenceWarning,
    SoftmaxRegression,
    TrainingHistory,
    cross_entropy,
    cross_entropy_from_scores,
    cross_entropy_gradient,
    log_softmax,
    one_hot,
    softmax,
)
from mnist_lr.model import _loss_and_accuracy, _sgd_epoch


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return (X / 16.0).astype(np.float64), y


def small(**params):
    defaults = dict(max_epochs=3, batch_size=50, random_state=0)
    defaults.update(params)
    return SoftmaxRegression(**defaults)


def _fit_split(X, y, n_train, **params):
    """A model trained on the first ``n_train`` rows, validated on the rest."""
    return SoftmaxRegression(**params).fit(X[:n_train], y[:n_train], X[n_train:], y[n_train:])


def _assert_same_fit(a, b):
    """The same weights and the same history, to the last bit."""
    np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_array_equal(a.intercept_, b.intercept_)
    for key, values in a.history_.as_dict().items():
        np.testing.assert_array_equal(values, b.history_.as_dict()[key])


# -- the pieces ---------------------------------------------------------------


def test_one_hot():
    encoded = one_hot(np.array([2, 0, 1, 2]), 4)
    np.testing.assert_array_equal(encoded, np.eye(4)[[2, 0, 1, 2]])
    assert encoded.dtype == np.float64 and one_hot([0, 1], dtype=np.float32).dtype == np.float32
    assert one_hot([1, 0]).shape == (2, 2)
    assert one_hot([], 3).shape == (0, 3) and one_hot([]).shape == (0, 0)


FUNCTION_ERRORS = {
    "one_hot label too big": (lambda: one_hot([0, 3], 3), ValueError, r"0\.\.2"),
    "one_hot negative label": (lambda: one_hot([-1, 0]), ValueError, "from -1 to 0"),
    "one_hot float labels": (lambda: one_hot([0.5, 1.0]), TypeError, "integers"),
    "one_hot 2-D labels": (lambda: one_hot([[0, 1]]), ValueError, "labels must be 1-D"),
    "one_hot 2-D empty": (lambda: one_hot([[]]), ValueError, "labels must be 1-D"),
    "one_hot n_classes 0": (lambda: one_hot([0, 1], n_classes=0), ValueError, r"^n_classes\b"),
    "softmax of NaN": (lambda: softmax([np.nan, 1.0]), ValueError, "finite"),
    "log_softmax of inf": (lambda: log_softmax([np.inf, 0.0]), ValueError, "^scores must be fin"),
    "softmax of text": (lambda: softmax(["a", "b"]), TypeError, "^scores must hold numbers"),
    "cross_entropy shapes": (lambda: cross_entropy([[0.5, 0.5]], [[1, 0, 0]]), ValueError,
                             "same shape"),
    "gradient rows": (lambda: cross_entropy_gradient(np.ones((3, 2)), np.ones((2, 2)) / 2,
                                                     one_hot([0, 1])),
                      ValueError, "must be 2-D with the same number of rows$"),
}


@pytest.mark.parametrize("call, error, match", FUNCTION_ERRORS.values(), ids=FUNCTION_ERRORS)
def test_functions_reject_bad_input_clearly(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_softmax_and_log_softmax_match_their_definitions():
    scores = np.random.default_rng(0).normal(size=(50, 10)) * 3
    probs = softmax(scores)
    expected = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(probs, expected, rtol=1e-12)
    np.testing.assert_allclose(log_softmax(scores), np.log(expected), rtol=1e-8)
    np.testing.assert_allclose(log_softmax([[0.0, 2000.0, -2000.0]]), [[-2000.0, 0.0, -4000.0]])
    in_place = np.arange(6, dtype=np.float32).reshape(2, 3)
    assert softmax(in_place, out=in_place) is in_place and in_place.dtype == np.float32


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_is_stable_for_extreme_scores(dtype):
    scores = np.array([[1e4, 0.0, -1e4], [-1e30, -1e30, -1e30], [3e38, 3e38, 0.0],
                       [-3e38, -3e38, -3e38], [88.0, 89.0, 90.0]], dtype=dtype)
    # Underflow to 0 is harmless; overflow, NaN or a warning would not be.
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        probs = softmax(scores)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(probs[:2], [[1, 0, 0], [1 / 3] * 3], rtol=1e-6)


def test_cross_entropy_values_and_the_cap_only_the_probabilities_have():
    assert cross_entropy([[1.0, 0.0]], [[1, 0]]) == pytest.approx(0.0, abs=1e-6)
    assert cross_entropy([[0.25, 0.75]], [[1, 0]]) == pytest.approx(np.log(4), rel=1e-6)
    rng = np.random.default_rng(6)
    scores, targets = rng.normal(size=(30, 5)), one_hot(rng.integers(0, 5, 30), 5)
    assert cross_entropy_from_scores(scores, targets) == pytest.approx(
        cross_entropy(softmax(scores), targets, eps=0.0), rel=1e-12)
    # A confident mistake: eps caps its loss at -log(1e-7) = 16.1, the scores don't.
    wrong = np.array([[0.0, 50.0]])
    assert cross_entropy(softmax(wrong), [[1, 0]]) == pytest.approx(-np.log(1e-7), rel=1e-3)
    assert cross_entropy_from_scores(wrong, [[1, 0]]) == pytest.approx(50.0)
    float32 = np.array([[1.5, -2.25, 0.1], [3.0, 0.2, -1.0]], dtype=np.float32)
    assert cross_entropy_from_scores(float32, one_hot([2, 0], 3)) == cross_entropy_from_scores(
        float32.astype(np.float64), one_hot([2, 0], 3))


def _numeric_gradient(loss, values, h=1e-6):
    """Central differences of ``loss()`` with respect to each entry of ``values`` (changed in place)."""
    gradient = np.zeros_like(values)
    for index in np.ndindex(values.shape):
        kept = values[index]
        values[index] = kept + h
        above = loss()
        values[index] = kept - h
        gradient[index] = (above - loss()) / (2 * h)
        values[index] = kept
    return gradient


def _problem(seed, n, d, k):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), one_hot(rng.integers(0, k, n), k), rng.normal(size=(d, k)), \
        rng.normal(size=k)


def test_gradient_matches_finite_differences():
    X, T, W, b = _problem(1, 7, 4, 3)

    def loss():
        return cross_entropy(softmax(X @ W + b), T, eps=0.0)

    grad_W, grad_b = cross_entropy_gradient(X, softmax(X @ W + b), T)
    np.testing.assert_allclose(grad_W, _numeric_gradient(loss, W), atol=1e-7)
    np.testing.assert_allclose(grad_b, _numeric_gradient(loss, b), atol=1e-7)


@pytest.mark.parametrize("alpha", [0.0, 0.7])
def test_one_sgd_pass_is_the_gradient_step_of_the_objective(alpha):
    """One full-batch pass moves W by -lr * d/dW [cross-entropy + alpha/2 ||W||^2], b without it."""
    X, T, W, b = _problem(4, 9, 4, 3)
    learning_rate = 0.1

    def objective():
        return cross_entropy(softmax(X @ W + b), T, eps=0.0) + alpha / 2 * np.sum(W**2)

    new_W, new_b = W.copy(), b.copy()
    _sgd_epoch(X, T, new_W, new_b, np.random.default_rng(0).permutation(9), 9, learning_rate,
               alpha)
    np.testing.assert_allclose((W - new_W) / learning_rate, _numeric_gradient(objective, W),
                               atol=1e-7)
    np.testing.assert_allclose((b - new_b) / learning_rate, _numeric_gradient(objective, b),
                               atol=1e-7)


def test_fit_s_first_full_batch_epoch_is_one_gradient_step():
    X, y = np.random.default_rng(3).random((40, 6)), np.arange(40) % 3
    model = SoftmaxRegression(learning_rate=0.5, max_epochs=1, batch_size=None, random_state=0)
    model.fit(X, y)
    grad_W, grad_b = cross_entropy_gradient(X, softmax(np.zeros((40, 3))), one_hot(y, 3))
    np.testing.assert_allclose(model.coef_.T, -0.5 * grad_W, rtol=1e-12)
    np.testing.assert_allclose(model.intercept_, -0.5 * grad_b, rtol=1e-12, atol=1e-15)


def test_the_measured_loss_is_the_public_cross_entropy_even_at_large_scores():
    X, T, W, b = _problem(2, 300, 20, 5)
    codes = T.argmax(axis=1)
    loss, accuracy = _loss_and_accuracy(X, codes, W, b, chunk=64)
    assert loss == pytest.approx(cross_entropy_from_scores(X @ W + b, T), rel=1e-12)
    assert accuracy == pytest.approx(np.mean((X @ W + b).argmax(axis=1) == codes))
    # Scores 0 and 1000, wrong then right: losses 1000 and 0 (the log-sum-exp shift).
    big = _loss_and_accuracy(np.ones((2, 1)), np.array([0, 1]), np.array([[0.0, 1000.0]]),
                             np.zeros(2))
    assert big == (500.0, 0.5)


# -- L2 regularisation (alpha) ---------------------------------------------------


def test_alpha_zero_is_exactly_the_unregularised_model_and_alpha_shrinks(digits):
    X, y = digits
    params = dict(max_epochs=8, patience=None, learning_rate=0.3, batch_size=32, random_state=1)
    fit = partial(_fit_split, X, y, 1000)
    plain, explicit, ridge = fit(**params), fit(alpha=0.0, **params), fit(alpha=0.05, **params)
    _assert_same_fit(plain, explicit)
    assert np.sum(ridge.coef_**2) < 0.5 * np.sum(plain.coef_**2)
    # The history's losses are the objective of the best epoch's weights:
    # cross-entropy plus alpha/2 ||W||^2 (biases not penalised).
    best = ridge.best_epoch_ - 1
    penalty = 0.05 / 2 * np.sum(ridge.coef_**2)
    assert ridge.history_.penalty[best] == pytest.approx(penalty, rel=1e-10)
    for X_part, y_part, recorded in [(X[:1000], y[:1000], ridge.history_.loss[best]),
                                     (X[1000:], y[1000:], ridge.history_.val_loss[best])]:
        expected = cross_entropy(ridge.predict_proba(X_part), one_hot(y_part, 10), eps=0.0)
        assert recorded == pytest.approx(expected + penalty, rel=1e-10)


@pytest.mark.parametrize("val_accuracy, best", [
    # The worst epoch is the first and the last is not the best: argmin, "last epoch"
    # and 0-based answers all fail. Ties go to the first; no epochs is epoch 0.
    ([0.2, 0.9, 0.5, 0.7], 2), ([0.3, 0.8, 0.6, 0.8, 0.8], 2), ([0.4], 1), ([], 0)])
def test_best_epoch_is_the_first_highest_validation_accuracy_counted_from_1(val_accuracy, best):
    n = len(val_accuracy)
    history = TrainingHistory(loss=np.linspace(2.0, 1.0, n), val_loss=np.linspace(2.0, 1.5, n),
                              train_accuracy=np.linspace(0.99, 0.5, n),  # ignored
                              val_accuracy=np.asarray(val_accuracy, dtype=float))
    assert history.best_epoch == best and len(history) == n


# -- training behaviour --------------------------------------------------------


def test_history_lengths_and_early_stopping(digits):
    X, y = digits
    model = _fit_split(X, y, 1000, learning_rate=0.5, max_epochs=500, batch_size=50, patience=3,
                       random_state=0)
    history = model.history_
    assert all(len(values) == model.n_iter_ < 500 for values in history.as_dict().values())
    # Stopped exactly `patience` epochs after the best one, the first of the highest.
    assert model.n_iter_ == model.best_epoch_ + 3 == history.best_epoch + 3
    # restore_best=False: the same run, and the epoch it stopped at is kept.
    last = _fit_split(X, y, 1000, learning_rate=0.5, max_epochs=500, batch_size=50, patience=3,
                      random_state=0, restore_best=False)
    assert last.n_iter_ == last.best_epoch_ == model.n_iter_
    assert last.score(X[1000:], y[1000:]) == pytest.approx(last.history_.val_accuracy[-1])


def test_patience_none_runs_every_epoch_and_patience_one_stops_at_the_first_step_back(digits):
    X, y = digits
    model = SoftmaxRegression(max_epochs=25, patience=None, learning_rate=0.1, random_state=0)
    assert model.fit(X, y).n_iter_ == 25 and len(model.history_) == 25
    model = _fit_split(X, y, 300, learning_rate=2.0, batch_size=10, patience=1, max_epochs=200,
                       random_state=0)
    assert model.n_iter_ == model.best_epoch_ + 1 < 200
    accuracy = model.history_.val_accuracy
    assert (np.diff(accuracy[:-1]) > 0).all() and accuracy[-1] <= accuracy[-2]


def test_the_best_weights_are_kept_and_restore_best_false_keeps_the_last(digits):
    """A large step on little data: the last epoch is not the best one."""
    X, y = digits
    params = dict(learning_rate=2.0, max_epochs=60, batch_size=10, patience=None, random_state=0)
    best = _fit_split(X, y, 300, **params)
    last = _fit_split(X, y, 300, restore_best=False, **params)
    for model, epoch in [(best, best.best_epoch_), (last, 60)]:
        assert model.score(X[300:], y[300:]) == pytest.approx(model.history_.val_accuracy[epoch - 1])
        assert model.score(X[:300], y[:300]) == pytest.approx(
            model.history_.train_accuracy[epoch - 1])
    assert best.best_epoch_ < last.best_epoch_ == last.n_iter_ == 60
    assert best.history_.val_accuracy[-1] < best.history_.val_accuracy.max()
    np.testing.assert_array_equal(best.history_.val_loss, last.history_.val_loss)


def test_restore_best_false_is_the_same_model_with_or_without_validation_data(digits):
    X, y = digits
    params = dict(learning_rate=2.0, max_epochs=30, batch_size=10, patience=None, random_state=0)
    alone = SoftmaxRegression(restore_best=False, **params).fit(X[:300], y[:300])
    validated = _fit_split(X, y, 300, restore_best=False, **params)
    np.testing.assert_array_equal(alone.coef_, validated.coef_)
    np.testing.assert_array_equal(alone.intercept_, validated.intercept_)
    # The default keeps an epoch chosen by whatever data it validates on: here the training data.
    default = SoftmaxRegression(**params).fit(X[:300], y[:300])
    assert default.best_epoch_ == np.argmax(default.history_.train_accuracy) + 1 < 30
    np.testing.assert_array_equal(default.history_.val_accuracy, default.history_.train_accuracy)
    np.testing.assert_array_equal(default.history_.val_loss, default.history_.loss)


@pytest.mark.parametrize("restore_best", [True, False])
def test_divergence_after_good_epochs_keeps_a_finite_epoch(digits, overflow_in_epoch_4,
                                                           restore_best):
    X, y = digits
    with pytest.warns(DivergenceWarning, match="diverged in epoch 4.*kept the weights of epoch") \
            as caught:
        model = small(max_epochs=10, patience=None, restore_best=restore_best).fit(X, y)
    # The warning points at the caller's fit (mutmut's wrappers add frames to the stack).
    assert caught[0].filename == __file__ or "mutmut" in sys.modules
    assert model.n_iter_ == 3 and model.diverged_ and np.isfinite(model.coef_).all()
    kept = model.history_.val_accuracy.max() if restore_best else model.history_.val_accuracy[-1]
    assert model.score(X, y) == pytest.approx(kept)
    assert restore_best or model.best_epoch_ == 3


def test_same_seed_same_history_and_weights(digits):
    X, y = digits
    params = dict(max_epochs=8, patience=None, learning_rate=0.3, batch_size=32)
    a = SoftmaxRegression(random_state=7, **params).fit(X, y)
    _assert_same_fit(a, SoftmaxRegression(random_state=7, **params).fit(X, y))
    assert not np.array_equal(a.coef_, SoftmaxRegression(random_state=8, **params).fit(X, y).coef_)


MIXED_LABELS = [
    ([0, "a"] * 5, r"mixes label types \(0 is a number, 'a' is a string\)"),
    (np.array([0, "a"] * 5, dtype=object), r"mixes label types \(0 is a number, 'a' is a string\)"),
    ([0, None] * 5, r"mixes label types \(0 is a number, None is no label\)"),
    (["a", "b", None, "a", "b"] * 2, r"mixes label types \('a' is a string, None is no label\)"),
    ([None] * 10, r"holds no labels \(None is no label\)"),
]


@pytest.mark.parametrize(("labels", "match"), MIXED_LABELS)
def test_mixed_label_types_are_named(labels, match):
    X = X_OK[:10]
    with pytest.raises(ValueError, match=f"^y {match}; give every sample a label of one kind"):
        SoftmaxRegression(batch_size=2).fit(X, labels)
    good = np.array([0, 1] * 5)
    with pytest.raises(ValueError, match=f"^y_val {match}"):
        SoftmaxRegression(batch_size=2).fit(X, good, X, labels)


def test_labels_of_any_kind_train_exactly_as_their_codes(digits):
    """A list, names, or 3, 13, 23...: the same arithmetic, only the labels differ."""
    X, y = digits
    names = np.array("zero one two three four five six seven eight nine".split())
    settings = dict(max_epochs=3, learning_rate=0.2, random_state=0)
    reference = _fit_split(X, y, 500, **settings)
    for labels in (y.tolist(), y * 10 + 3, names[y]):  # names: classes in another order
        model = _fit_split(X, labels, 500, **settings)
        np.testing.assert_array_equal(model.classes_, np.unique(labels))
        digit_to_label = dict(zip(y, labels))
        expected = [digit_to_label[digit] for digit in reference.predict(X[:20])]
        np.testing.assert_array_equal(model.predict(X[:20]), expected)
        if not isinstance(labels[0], str):  # the same codes 0..9: the same run, bit for bit
            _assert_same_fit(model, reference)
    assert model.predict(X[:2]).dtype.kind == "U"


def test_two_classes_have_one_decision_score_positive_for_the_second(digits):
    X, y = digits
    model = small(max_epochs=3).fit(X[y < 2], y[y < 2])
    scores = model.decision_function(X[y < 2])
    assert scores.shape == ((y < 2).sum(),)
    np.testing.assert_array_equal(model.classes_[(scores > 0).astype(int)], model.predict(X[y < 2]))


def test_verbose_prints_every_epoch_and_progress_ends_with_how_training_ended(digits, capsys):
    X, y = digits
    model = _fit_split(X, y, 300, learning_rate=2.0, batch_size=10, patience=2, max_epochs=200,
                       random_state=0, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == model.n_iter_ and lines[0].startswith("epoch    1  loss ")
    best = 100 * model.history_.val_accuracy.max()
    assert lines[-1].endswith(f"best {best:6.2f}%")
    _fit_split(X, y, 300, learning_rate=2.0, batch_size=10, patience=2, max_epochs=200,
               random_state=0, progress=True)
    last = capsys.readouterr().out.rsplit("\r", 1)[-1]
    assert last == (f"stopped early after epoch {model.n_iter_} (patience 2); kept epoch "
                    f"{model.best_epoch_} (validation {best:.2f}%)\n")


def test_predict_proba_rows_sum_to_one(digits):
    X, y = digits
    model = small(max_epochs=5, learning_rate=0.2).fit(X, y)
    probs = model.predict_proba(X)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.classes_[probs.argmax(axis=1)], model.predict(X))
    np.testing.assert_allclose(np.exp(model.predict_log_proba(X)), probs, rtol=1e-10)


def test_a_refit_drops_fitted_attributes_it_does_not_set(digits):
    """Attributes of an earlier fit (here as a DataFrame's would be) do not outlive a refit."""
    X, y = digits
    model = SoftmaxRegression(max_epochs=1, random_state=0).fit(X, y)
    model.feature_names_in_ = np.array([f"pixel {i}" for i in range(X.shape[1])], dtype=object)
    model._cache = "private"
    model.fit(X, y)
    assert not hasattr(model, "feature_names_in_")
    assert model._cache == "private" and model.max_epochs == 1


@pytest.mark.parametrize("name, bad", [
    ("learning_rate", 0), ("max_epochs", 0), ("batch_size", -1), ("patience", 0),
    ("random_state", -1), ("verbose", -1), ("progress", "yes"), ("alpha", -1.0),
    ("restore_best", None)])
def test_every_parameter_error_carries_the_parameter_s_name(name, bad):
    """The command line turns ``error.parameter`` into its option; it never reads the words."""
    assert set(SoftmaxRegression().get_params()) == {
        "learning_rate", "max_epochs", "batch_size", "patience", "random_state", "verbose",
        "progress", "alpha", "restore_best"}
    with pytest.raises((TypeError, ValueError)) as caught:
        SoftmaxRegression(**{name: bad}).validate_params()
    assert caught.value.parameter == name


def test_checking_a_random_state_seed_does_not_draw_from_it():
    seed = np.random.RandomState(0)
    _, keys, position, *_ = seed.get_state()
    SoftmaxRegression(random_state=seed).validate_params()
    _, keys_after, position_after, *_ = seed.get_state()
    assert position_after == position and np.array_equal(keys_after, keys)


def test_errors_that_need_the_data_carry_the_parameter_s_name(digits):
    X, y = digits
    with pytest.raises(ValueError, match="batch_size=5000 is larger") as caught:
        SoftmaxRegression(batch_size=5000).fit(X, y)
    assert caught.value.parameter == "batch_size"
    with pytest.raises(ValueError, match=r"learning_rate \* alpha") as caught:
        SoftmaxRegression(learning_rate=1.0, alpha=2.0).fit(X, y)
    assert caught.value.parameter == "alpha"


def test_works_in_pipeline_clone_and_cross_val(digits):
    X, y = digits
    pipe = make_pipeline(MinMaxScaler(), small(max_epochs=10, learning_rate=0.2, batch_size=100))
    assert cross_val_score(pipe, X * 16, y, cv=3).min() > 0.85
    fresh = clone(SoftmaxRegression(learning_rate=0.1, patience=None))
    assert fresh.get_params()["patience"] is None and not hasattr(fresh, "coef_")


# -- bad input meets a clear error -------------------------------------------

X_OK = np.random.default_rng(0).random((60, 4))
Y_OK = np.arange(60) % 3
NAN_X = np.where(np.arange(240).reshape(60, 4) == 13, np.nan, X_OK)
INF_X = np.where(np.arange(240).reshape(60, 4) == 0, np.inf, X_OK)

#: name: (match, error, keyword arguments of small() and of fit; fit's X and y default to the
#: good X_OK, Y_OK). Bad data first, then one bad setting each.
FIT_CASES = {
    "NaN in X": ("NaN", ValueError, dict(X=NAN_X)),
    "inf in X": ("infinity", ValueError, dict(X=INF_X)),
    "X is 1-D": ("2D array", ValueError, dict(X=X_OK[:, 0])),
    "X is 3-D": ("dim", ValueError, dict(X=X_OK.reshape(60, 2, 2))),
    "X and y lengths differ": ("inconsistent", ValueError, dict(y=Y_OK[:-1])),
    "empty X": ("0 sample", ValueError, dict(X=np.empty((0, 4)), y=np.empty(0, dtype=int))),
    "a single class": ("at least 2 classes", ValueError, dict(y=np.zeros(60, dtype=int))),
    "continuous y": ("Unknown label type", ValueError, dict(y=np.linspace(0, 1, 60))),
    "X_val without y_val": ("without y_val", ValueError, dict(X_val=X_OK)),
    "y_val without X_val": ("without X_val", ValueError, dict(y_val=Y_OK)),
    "X_val with other features": ("X_val has 3", ValueError, dict(X_val=X_OK[:, :3], y_val=Y_OK)),
    "y_val with unseen labels": ("labels that y does not", ValueError,
                                 dict(X_val=X_OK, y_val=Y_OK + 1)),
    "X_val and y_val lengths differ": ("different lengths", ValueError,
                                       dict(X_val=X_OK, y_val=Y_OK[:5])),
    "NaN in X_val": ("NaN", ValueError, dict(X_val=NAN_X, y_val=Y_OK)),
    "learning rate 0": ("learning_rate must be > 0", ValueError, dict(learning_rate=0)),
    "negative learning rate": ("learning_rate must be > 0", ValueError, dict(learning_rate=-0.1)),
    "NaN learning rate": ("learning_rate must be finite", ValueError,
                          dict(learning_rate=float("nan"))),
    "learning rate a string": ("learning_rate must be a real number", TypeError,
                               dict(learning_rate="fast")),
    "batch size 0": ("batch_size must be >= 1", ValueError, dict(batch_size=0)),
    "batch size above n": ("larger than the 60", ValueError, dict(batch_size=61)),
    "batch size a float": ("batch_size must be an integer", TypeError, dict(batch_size=10.5)),
    "patience 0": ("patience must be >= 1, got 0; patience=None", ValueError, dict(patience=0)),
    "zero epochs": ("max_epochs must be >= 1", ValueError, dict(max_epochs=0)),
    "epochs a float": ("max_epochs must be an integer", TypeError, dict(max_epochs=2.0)),
    "bad random_state": ("random_state", TypeError, dict(random_state="seed")),
    "negative verbose": ("verbose must be >= 0", ValueError, dict(verbose=-1)),
    "progress not a bool": ("progress must be True or False", TypeError, dict(progress="yes")),
    "restore_best 1": ("restore_best must be True or False", TypeError, dict(restore_best=1)),
    "negative alpha": ("alpha must be >= 0", ValueError, dict(alpha=-0.1)),
    "NaN alpha": ("alpha must be finite", ValueError, dict(alpha=float("nan"))),
    "alpha a string": ("alpha must be a real number", TypeError, dict(alpha="strong")),
    "alpha too big for the step": (r"learning_rate \* alpha must be < 1.*a smaller alpha or "
                                   "learning_rate$", ValueError,
                                   dict(alpha=20.0, learning_rate=0.1)),
}
FIT_ARGUMENTS = ("X", "y", "X_val", "y_val")


@pytest.mark.parametrize("match, error, arguments", FIT_CASES.values(), ids=FIT_CASES)
def test_fit_rejects_bad_input_clearly(match, error, arguments):
    data = {"X": X_OK, "y": Y_OK, **{k: v for k, v in arguments.items() if k in FIT_ARGUMENTS}}
    params = {k: v for k, v in arguments.items() if k not in FIT_ARGUMENTS}
    with pytest.raises(error, match=match):
        small(**params).fit(**data)


@pytest.mark.parametrize("method", ["predict", "predict_proba", "decision_function", "score"])
def test_predicting_before_fitting_with_other_features_or_with_nan(method):
    args = (Y_OK,) if method == "score" else ()
    with pytest.raises(NotFittedError):
        getattr(SoftmaxRegression(), method)(X_OK, *args)
    model = small(batch_size=None).fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match="X has 3 features, but SoftmaxRegression is expecting 4"):
        getattr(model, method)(X_OK[:, :3], *args)
    with pytest.raises(ValueError, match="NaN"):
        getattr(model, method)(NAN_X, *args)


# -- numerical edge cases stay finite ------------------------------------------


def test_large_steps_and_huge_weights_stay_finite_and_quiet(digits):
    X, y = digits
    model = SoftmaxRegression(learning_rate=10.0, max_epochs=10, patience=None,
                              random_state=0).fit(X, y)
    assert not model.diverged_ and np.any(np.diff(model.history_.loss) > 0)  # unstable, not NaN
    model.coef_ = model.coef_ * 1e6
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        probs = model.predict_proba(X)
        assert np.isfinite(model.predict_log_proba(X)).all()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


def test_divergence_is_detected_and_reported(digits):
    X, y = digits
    huge = (X * 1e30).astype(np.float32)  # unscaled, enormous inputs
    with pytest.warns(DivergenceWarning, match="diverged in epoch 1.*initial all-zero weights"):
        model = SoftmaxRegression(learning_rate=1e10, max_epochs=5, random_state=0).fit(huge, y)
    assert model.diverged_
    assert np.isfinite(model.coef_).all() and np.isfinite(model.intercept_).all()
    assert len(model.history_) == 0


def test_all_zero_images_and_constant_features(digits):
    X, y = digits
    X = X.copy()
    X[:50] = 0.0  # blank images
    X[:, 5] = 0.7  # a constant feature
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = small(max_epochs=5).fit(X, y)
        probs = model.predict_proba(X[:50])
    assert np.isfinite(model.coef_).all()
    # The 50 blank images (ink only in the constant feature) all get the same
    # probabilities: the softmax of the biases plus that feature's weights.
    expected = softmax(model.intercept_ + 0.7 * model.coef_[:, 5])
    np.testing.assert_allclose(probs, np.tile(expected, (50, 1)), rtol=1e-10)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
@pytest.mark.parametrize("order", ["C", "F"])
def test_dtypes_and_memory_orders(digits, dtype, order):
    """float32 stays float32, anything else trains in float64; the memory order changes nothing."""
    X, y = digits
    X = np.asarray(X * 16 if dtype == np.int64 else X, dtype=dtype, order=order)
    model = small().fit(X, y)
    reference = small().fit(np.ascontiguousarray(X, dtype=dtype), y)
    np.testing.assert_array_equal(model.coef_, reference.coef_)
    np.testing.assert_array_equal(model.predict(X), reference.predict(X))
    trained = np.float32 if dtype == np.float32 else np.float64
    assert model.coef_.dtype == model.intercept_.dtype == model.predict_proba(X).dtype == trained


# -- a failed or interrupted fit leaves the model as it was ----------------------


def _snapshot(model):
    """Every attribute of the model, arrays copied, to compare before and after."""
    return {key: (value.copy() if isinstance(value, np.ndarray) else value)
            for key, value in vars(model).items()}


def _assert_unchanged(model, before):
    after = vars(model)
    assert after.keys() == before.keys()
    for key, value in before.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(after[key], value)
        else:
            assert after[key] is value or after[key] == value, key


FAILING_REFITS = {
    "unseen y_val labels": lambda X, y: ((X, y + 100), {"X_val": X, "y_val": y + 101}),
    "other feature count, bad y_val": lambda X, y: ((X[:, :10], y + 100),
                                                     {"X_val": X[:, :9], "y_val": y + 100}),
    "batch larger than the data": lambda X, y: ((X[:20], y[:20] + 100), {}),
    "NaN in X": lambda X, y: ((np.where(X > 0.9, np.nan, X), y), {}),
}


@pytest.mark.parametrize("refit", FAILING_REFITS.values(), ids=FAILING_REFITS)
def test_a_failed_refit_leaves_the_model_as_it_was(digits, refit):
    X, y = digits
    model = small().fit(X, y)
    before, predictions = _snapshot(model), model.predict(X)
    args, extra = refit(X, y)
    with pytest.raises(ValueError):
        model.fit(*args, **extra)
    _assert_unchanged(model, before)
    np.testing.assert_array_equal(model.predict(X), predictions)


def test_a_model_whose_first_fit_failed_is_not_fitted():
    model = small()
    with pytest.raises(ValueError):
        model.fit(X_OK, Y_OK, X_val=X_OK, y_val=Y_OK + 7)
    assert vars(model) == vars(small())  # nothing fitted was left behind
    with pytest.raises(NotFittedError):
        model.predict(X_OK)


def _fit_until_interrupted(model, X, y, after_seconds=0.3):
    """Fit with a real SIGINT sent to this process while training runs."""
    timer = threading.Timer(after_seconds, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            model.fit(X, y)
    finally:
        timer.cancel()


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix",
                    reason="needs POSIX signals")
@pytest.mark.skipif("mutmut" in sys.modules, reason="mutmut's workers ignore SIGINT")
def test_ctrl_c_during_fit_leaves_the_model_and_no_threads(digits, capsys):
    X, y = digits
    model = small().fit(X, y)
    before, predictions = _snapshot(model), model.predict(X)
    threads = threading.active_count()
    endless = dict(max_epochs=10**7, patience=None, batch_size=10, progress=True)
    _fit_until_interrupted(model.set_params(**endless), X, y + 100)
    assert threading.active_count() == threads  # no thread left behind
    model.set_params(**{key: before[key] for key in endless})
    _assert_unchanged(model, before)
    np.testing.assert_array_equal(model.predict(X), predictions)
    last_line = capsys.readouterr().out.rsplit("\r", 1)[-1]
    assert re.fullmatch(r"interrupted after \d+ epochs; the model was left as it was\n",
                        last_line)
    # A first fit interrupted: still not fitted.
    fresh = SoftmaxRegression(max_epochs=10**7, patience=None, batch_size=10, random_state=0)
    _fit_until_interrupted(fresh, X, y)
    with pytest.raises(NotFittedError):
        fresh.predict(X)


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix",
                    reason="needs POSIX signals")
# It tests _interrupts.py, which mutmut leaves alone, for 15 s: not once per mutant.
@pytest.mark.skipif("mutmut" in sys.modules, reason="not a test of the mutated modules")
# The swallowed interrupts themselves: Python reports each as "Exception ignored".
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_no_interrupt_is_lost_even_when_python_swallows_it():
    """20 SIGINTs at random moments of fit, with finalizers running: each stops fit within 1 s.

    A KeyboardInterrupt raised inside a finalizer is discarded by Python; fit
    notices the signal anyway (mnist_lr/_interrupts.py). The long run of the
    same check is ``python scripts/interrupt_stress.py --interrupts 200 --load``.
    """
    spec = importlib.util.spec_from_file_location(
        "interrupt_stress", Path(__file__).resolve().parents[1] / "scripts" / "interrupt_stress.py")
    stress = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stress)
    latencies = stress.run(20, deadline=1.0, seed=1)
    assert len(latencies) == 20 and None not in latencies, latencies


# -- the real thing --------------------------------------------------------------


@pytest.mark.slow
def test_article_settings_reach_the_article_accuracy(article_model, mnist_split):
    """Learning rate 0.24, batch 100, patience 10 on a seeded 56k/14k split: >= 91.5%."""
    _, X_val, _, y_val = mnist_split
    model = article_model
    accuracy = model.score(X_val, y_val)
    assert accuracy >= 0.915
    assert accuracy == pytest.approx(model.history_.val_accuracy.max())
    assert model.n_iter_ == model.best_epoch_ + 10
    assert model.coef_.shape == (10, 784) and model.intercept_.shape == (10,)
    np.testing.assert_array_equal(model.classes_, np.arange(10))
    # Loss falls from its first epoch; training accuracy is in the same range.
    assert model.history_.loss[-1] < model.history_.loss[0]
    assert 0.9 < model.history_.train_accuracy[model.best_epoch_ - 1] < 0.96


@pytest.mark.slow
def test_float32_and_float64_agree_on_real_data(mnist_split):
    """Training in float32 changes the best validation accuracy by < 0.1 points."""
    X_train, X_val, y_train, y_val = mnist_split
    params = dict(max_epochs=5, patience=None, random_state=0)
    single = SoftmaxRegression(**params).fit(X_train[:20000], y_train[:20000], X_val, y_val)
    double = SoftmaxRegression(**params).fit(
        X_train[:20000].astype(np.float64), y_train[:20000], X_val.astype(np.float64), y_val
    )
    assert abs(single.history_.val_accuracy.max() - double.history_.val_accuracy.max()) < 0.001


@pytest.mark.parametrize("patience, alpha", [(3, 0.0), (None, 0.0), (3, 0.01)])
def test_matches_a_plain_reference_of_the_article_loop(digits, patience, alpha):
    """Same seed, same algorithm: the estimator and a literal loop agree to rounding."""
    X, y = digits
    X_train, y_train, X_val, y_val = X[:1200], y[:1200], X[1200:], y[1200:]
    settings = dict(learning_rate=0.3, max_epochs=40, batch_size=64, patience=patience,
                    alpha=alpha)
    model = SoftmaxRegression(random_state=5, **settings).fit(X_train, y_train, X_val, y_val)
    kept, curve = article_fit(X_train, y_train, X_val, y_val, seed=5, **settings)
    np.testing.assert_array_equal(model.history_.val_accuracy, [c[2] for c in curve])
    np.testing.assert_array_equal(model.history_.train_accuracy, [c[1] for c in curve])
    if not alpha:  # the article's loss adds 1e-7 inside the log and knows no penalty
        np.testing.assert_allclose(model.history_.loss, [c[0] for c in curve], rtol=1e-5)
    np.testing.assert_allclose(model.coef_, kept[1:].T, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(model.intercept_, kept[0], rtol=1e-9, atol=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("alpha", [0.0, 1e-3])
def test_matches_the_plain_reference_on_real_mnist(mnist_split, alpha):
    """5,000 MNIST rows, 5 epochs, article settings: same history and weights as the plain loop."""
    X_train, X_val, y_train, y_val = mnist_split
    X, y = X_train[:5000].astype(np.float64), y_train[:5000]
    X_v, y_v = X_val[:2000].astype(np.float64), y_val[:2000]
    settings = dict(learning_rate=0.24, max_epochs=5, batch_size=100, patience=None, alpha=alpha)
    model = SoftmaxRegression(random_state=0, **settings).fit(X, y, X_v, y_v)
    kept, curve = article_fit(X, y, X_v, y_v, seed=0, **settings)
    np.testing.assert_array_equal(model.history_.val_accuracy, [c[2] for c in curve])
    np.testing.assert_allclose(model.coef_, kept[1:].T, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(model.intercept_, kept[0], rtol=1e-9, atol=1e-12)


# -- scikit-learn's own conformance checks ------------------------------------------
# Their estimators are built while the tests are collected. mutmut switches every mutant
# on while it collects (docs/MUTATION.md), and a mutant of the constructor would then
# break the import of this whole file, so under mutmut these checks are left out.

if "mutmut" not in sys.modules:
    @parametrize_with_checks(
        [
            # Full-batch gradient descent, and small mini-batches: the suite's data
            # sets have fewer rows than the article's batch of 100, which our
            # batch_size check rightly rejects.
            SoftmaxRegression(batch_size=None, random_state=0),
            SoftmaxRegression(batch_size=5, learning_rate=0.05, random_state=0),
            SoftmaxRegression(batch_size=None, alpha=0.01, random_state=0),
        ]
    )
    def test_sklearn_estimator_checks(estimator, check):
        check(estimator)
