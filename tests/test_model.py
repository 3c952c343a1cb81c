"""SoftmaxRegression and its pieces: math, training behaviour, contract, real-data accuracy."""

from __future__ import annotations

import numpy as np
import pytest
from article_reference import article_fit
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from mnist_lr import (
    DivergenceWarning,
    SoftmaxRegression,
    cross_entropy,
    cross_entropy_from_scores,
    cross_entropy_gradient,
    log_softmax,
    one_hot,
    softmax,
)
from mnist_lr.model import _loss_and_accuracy, _sgd_epoch
from mnist_lr.persistence import load_model, save_model


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return (X / 16.0).astype(np.float64), y


# -- the pieces ---------------------------------------------------------------


def test_one_hot():
    encoded = one_hot(np.array([2, 0, 1, 2]), 4)
    assert encoded.shape == (4, 4)
    np.testing.assert_array_equal(encoded.argmax(axis=1), [2, 0, 1, 2])
    np.testing.assert_array_equal(encoded.sum(axis=1), 1)
    assert one_hot([1, 0]).shape == (2, 2)


@pytest.mark.parametrize(
    "labels, n_classes, error",
    [([0, 3], 3, ValueError), ([-1, 0], None, ValueError), ([0.5, 1.0], None, TypeError),
     ([[0, 1]], None, ValueError)],
)
def test_one_hot_rejects_bad_labels(labels, n_classes, error):
    with pytest.raises(error):
        one_hot(labels, n_classes)


def test_softmax_rows_sum_to_one_and_match_definition():
    rng = np.random.default_rng(0)
    scores = rng.normal(size=(50, 10))
    probs = softmax(scores)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    expected = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(probs, expected, rtol=1e-12)


def test_softmax_is_stable_for_extreme_scores():
    scores = np.array([[1e4, 0.0, -1e4], [-1e30, -1e30, -1e30], [3e38, 3e38, 0.0]])
    # Underflow to 0 is harmless; overflow or NaN would not be.
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        probs = softmax(scores)
    assert np.isfinite(probs).all()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    np.testing.assert_allclose(probs[0], [1, 0, 0])
    np.testing.assert_allclose(probs[1], [1 / 3] * 3)


def test_softmax_in_place_and_float32():
    scores = np.arange(6, dtype=np.float32).reshape(2, 3)
    result = softmax(scores, out=scores)
    assert result is scores and result.dtype == np.float32


def test_cross_entropy_values():
    assert cross_entropy([[1.0, 0.0]], [[1, 0]]) == pytest.approx(0.0, abs=1e-6)
    assert cross_entropy([[0.25, 0.75]], [[1, 0]]) == pytest.approx(np.log(4), rel=1e-6)
    with pytest.raises(ValueError, match="same shape"):
        cross_entropy([[0.5, 0.5]], [[1, 0, 0]])


def test_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(7, 4))
    T = one_hot(rng.integers(0, 3, 7), 3)
    W = rng.normal(size=(4, 3)) * 0.1
    b = rng.normal(size=3) * 0.1

    def loss(W, b):
        return cross_entropy(softmax(X @ W + b), T, eps=0.0)

    grad_W, grad_b = cross_entropy_gradient(X, softmax(X @ W + b), T)
    h = 1e-6
    for i in range(4):
        for k in range(3):
            step = np.zeros_like(W)
            step[i, k] = h
            numeric = (loss(W + step, b) - loss(W - step, b)) / (2 * h)
            assert grad_W[i, k] == pytest.approx(numeric, abs=1e-7)
    for k in range(3):
        step = np.zeros(3)
        step[k] = h
        numeric = (loss(W, b + step) - loss(W, b - step)) / (2 * h)
        assert grad_b[k] == pytest.approx(numeric, abs=1e-7)


def test_model_loss_agrees_with_public_cross_entropy():
    rng = np.random.default_rng(2)
    X = rng.random((300, 20))
    codes = rng.integers(0, 5, 300)
    W = rng.normal(size=(20, 5))
    b = rng.normal(size=5)
    loss, accuracy = _loss_and_accuracy(X, codes, W, b, chunk=64)
    probs = softmax(X @ W + b)
    assert loss == pytest.approx(cross_entropy(probs, one_hot(codes, 5), eps=0.0), rel=1e-10)
    assert loss == pytest.approx(cross_entropy_from_scores(X @ W + b, one_hot(codes, 5)),
                                 rel=1e-12)
    assert accuracy == pytest.approx(np.mean(probs.argmax(axis=1) == codes))


def test_the_measured_loss_holds_at_large_scores():
    """Scores of 0 and 1000: the measurement shifts by the row maximum before exp."""
    X, W, b = np.array([[1.0], [1.0]]), np.array([[0.0, 1000.0]]), np.zeros(2)
    loss, accuracy = _loss_and_accuracy(X, np.array([0, 1]), W, b)
    # Wrong with a margin of 1000, then right with it: losses 1000 and 0.
    assert (loss, accuracy) == (500.0, 0.5)


def test_log_softmax_is_the_log_of_softmax_and_never_infinite():
    rng = np.random.default_rng(5)
    scores = rng.normal(size=(20, 4)) * 10
    np.testing.assert_allclose(log_softmax(scores), np.log(softmax(scores)), rtol=1e-8)
    extreme = log_softmax([[0.0, 2000.0, -2000.0]])
    np.testing.assert_allclose(extreme, [[-2000.0, 0.0, -4000.0]])
    with pytest.raises(ValueError, match="finite"):
        log_softmax([np.inf, 0.0])


def test_cross_entropy_from_scores_matches_and_is_not_capped():
    rng = np.random.default_rng(6)
    scores = rng.normal(size=(30, 5))
    targets = one_hot(rng.integers(0, 5, 30), 5)
    assert cross_entropy_from_scores(scores, targets) == pytest.approx(
        cross_entropy(softmax(scores), targets, eps=0.0), rel=1e-12
    )
    # A confident mistake: eps caps its loss at -log(1e-7) = 16.1, the scores don't.
    wrong = np.array([[0.0, 50.0]])
    assert cross_entropy(softmax(wrong), [[1, 0]]) == pytest.approx(-np.log(1e-7), rel=1e-3)
    assert cross_entropy_from_scores(wrong, [[1, 0]]) == pytest.approx(50.0)


def test_fused_step_equals_the_public_gradient():
    """_sgd_epoch on one full batch moves the weights by -learning_rate * cross_entropy_gradient."""
    rng = np.random.default_rng(7)
    X = rng.random((25, 6))
    codes = rng.integers(0, 4, 25)
    W, b = rng.normal(size=(6, 4)), rng.normal(size=4)
    new_W, new_b = W.copy(), b.copy()
    _sgd_epoch(X, one_hot(codes, 4), new_W, new_b, rng.permutation(25), 25, 0.3)
    grad_W, grad_b = cross_entropy_gradient(X, softmax(X @ W + b), one_hot(codes, 4))
    np.testing.assert_allclose(new_W, W - 0.3 * grad_W, rtol=1e-12)
    np.testing.assert_allclose(new_b, b - 0.3 * grad_b, rtol=1e-12)


def test_one_sgd_step_is_the_gradient_step():
    """A single full-batch epoch moves W and b by exactly -learning_rate * gradient."""
    rng = np.random.default_rng(3)
    X = rng.random((40, 6))
    y = np.arange(40) % 3
    model = SoftmaxRegression(learning_rate=0.5, max_epochs=1, batch_size=None, random_state=0)
    model.fit(X, y)
    grad_W, grad_b = cross_entropy_gradient(X, softmax(np.zeros((40, 3))), one_hot(y, 3))
    np.testing.assert_allclose(model.coef_.T, -0.5 * grad_W, rtol=1e-12)
    np.testing.assert_allclose(model.intercept_, -0.5 * grad_b, rtol=1e-12, atol=1e-15)


# -- L2 regularisation (alpha) ---------------------------------------------------


def test_regularised_step_matches_finite_differences():
    """One full-batch step moves W by -lr * d/dW [cross-entropy + alpha/2 ||W||^2], b without it."""
    rng = np.random.default_rng(4)
    X = rng.normal(size=(9, 4))
    codes = rng.integers(0, 3, 9)
    T = one_hot(codes, 3)
    coef = rng.normal(size=(3, 4))  # class by feature, as the estimator stores it
    intercept = rng.normal(size=3)
    alpha, learning_rate = 0.7, 0.1

    def objective(coef, intercept):
        return (cross_entropy(softmax(X @ coef.T + intercept), T, eps=0.0)
                + alpha / 2 * np.sum(coef**2))

    new_coef, new_intercept = coef.copy(), intercept.copy()
    # _sgd_epoch takes notebook 02's W (features x classes): pass a view of new_coef.
    _sgd_epoch(X, T, new_coef.T, new_intercept, np.arange(9), 9, learning_rate, alpha)
    grad_coef = (coef - new_coef) / learning_rate
    grad_intercept = (intercept - new_intercept) / learning_rate
    h = 1e-6
    for index in np.ndindex(coef.shape):
        step = np.zeros_like(coef)
        step[index] = h
        numeric = (objective(coef + step, intercept) - objective(coef - step, intercept)) / (2 * h)
        assert grad_coef[index] == pytest.approx(numeric, abs=1e-7)
    for k in range(3):
        step = np.zeros(3)
        step[k] = h
        numeric = (objective(coef, intercept + step) - objective(coef, intercept - step)) / (2 * h)
        assert grad_intercept[k] == pytest.approx(numeric, abs=1e-7)


def test_alpha_zero_is_exactly_the_unregularised_model(digits):
    X, y = digits
    params = dict(max_epochs=6, patience=None, learning_rate=0.3, batch_size=32, random_state=1)
    default = SoftmaxRegression(**params).fit(X, y)
    explicit = SoftmaxRegression(alpha=0.0, **params).fit(X, y)
    np.testing.assert_array_equal(default.coef_, explicit.coef_)
    np.testing.assert_array_equal(default.intercept_, explicit.intercept_)
    for key, values in default.history_.as_dict().items():
        np.testing.assert_array_equal(values, explicit.history_.as_dict()[key])


def test_alpha_shrinks_the_weights_and_is_in_the_reported_loss(digits):
    X, y = digits
    params = dict(max_epochs=8, patience=None, learning_rate=0.3, batch_size=32, random_state=1)
    plain = SoftmaxRegression(**params).fit(X[:1000], y[:1000], X[1000:], y[1000:])
    ridge = SoftmaxRegression(alpha=0.05, **params).fit(X[:1000], y[:1000], X[1000:], y[1000:])
    assert np.sum(ridge.coef_**2) < 0.5 * np.sum(plain.coef_**2)
    # The history's losses are the objective of the best epoch's weights:
    # cross-entropy plus alpha/2 ||W||^2 (biases not penalised).
    best = ridge.best_epoch_ - 1
    penalty = 0.05 / 2 * np.sum(ridge.coef_**2)
    for X_part, y_part, recorded in [(X[:1000], y[:1000], ridge.history_.loss[best]),
                                     (X[1000:], y[1000:], ridge.history_.val_loss[best])]:
        expected = cross_entropy(ridge.predict_proba(X_part), one_hot(y_part, 10), eps=0.0)
        assert recorded == pytest.approx(expected + penalty, rel=1e-10)


# -- training behaviour --------------------------------------------------------


def test_history_lengths_and_early_stopping(digits):
    X, y = digits
    model = SoftmaxRegression(learning_rate=0.5, max_epochs=500, batch_size=50, patience=3,
                              random_state=0).fit(X[:1000], y[:1000], X[1000:], y[1000:])
    history = model.history_
    assert len(history) == model.n_iter_ < 500
    for values in history.as_dict().values():
        assert len(values) == model.n_iter_
    # Stopped exactly `patience` epochs after the best one.
    assert model.n_iter_ == model.best_epoch_ + 3
    assert history.val_accuracy[model.best_epoch_ - 1] == history.val_accuracy.max()
    assert (history.val_accuracy[model.best_epoch_:] <= history.val_accuracy.max()).all()


def test_patience_none_runs_every_epoch(digits):
    X, y = digits
    model = SoftmaxRegression(max_epochs=25, patience=None, learning_rate=0.1, random_state=0)
    model.fit(X, y)
    assert model.n_iter_ == 25 and len(model.history_) == 25


def test_best_weights_are_restored(digits):
    """The kept weights reproduce the best validation accuracy, not the last epoch's."""
    X, y = digits
    X_train, y_train, X_val, y_val = X[:300], y[:300], X[300:], y[300:]
    model = SoftmaxRegression(learning_rate=2.0, max_epochs=60, batch_size=10, patience=None,
                              random_state=0).fit(X_train, y_train, X_val, y_val)
    history = model.history_
    best = history.val_accuracy.max()
    # With a large step on little data the last epoch is not the best one...
    assert model.best_epoch_ < model.n_iter_
    assert history.val_accuracy[-1] < best
    # ...and the model's weights give the best epoch's accuracy.
    assert model.score(X_val, y_val) == pytest.approx(best)
    assert model.score(X_train, y_train) == pytest.approx(
        history.train_accuracy[model.best_epoch_ - 1]
    )


def test_restore_best_false_keeps_the_last_epoch(digits):
    """Same training as the default; only the kept weights differ: the last epoch's."""
    X, y = digits
    X_train, y_train, X_val, y_val = X[:300], y[:300], X[300:], y[300:]
    params = dict(learning_rate=2.0, max_epochs=60, batch_size=10, patience=None, random_state=0)
    best = SoftmaxRegression(**params).fit(X_train, y_train, X_val, y_val)
    last = SoftmaxRegression(restore_best=False, **params).fit(X_train, y_train, X_val, y_val)
    for key, values in best.history_.as_dict().items():
        np.testing.assert_array_equal(values, last.history_.as_dict()[key])
    assert best.best_epoch_ < last.best_epoch_ == last.n_iter_ == 60
    assert last.score(X_val, y_val) == pytest.approx(last.history_.val_accuracy[-1])
    assert last.score(X_train, y_train) == pytest.approx(last.history_.train_accuracy[-1])
    assert not np.array_equal(best.coef_, last.coef_)


def test_restore_best_false_is_the_same_model_with_or_without_validation_data(digits):
    X, y = digits
    params = dict(learning_rate=2.0, max_epochs=30, batch_size=10, patience=None, random_state=0,
                  restore_best=False)
    alone = SoftmaxRegression(**params).fit(X[:300], y[:300])
    validated = SoftmaxRegression(**params).fit(X[:300], y[:300], X[300:], y[300:])
    np.testing.assert_array_equal(alone.coef_, validated.coef_)
    np.testing.assert_array_equal(alone.intercept_, validated.intercept_)
    # The default keeps an epoch chosen by whatever data it validates on.
    params["restore_best"] = True
    default = SoftmaxRegression(**params).fit(X[:300], y[:300])
    assert default.best_epoch_ == np.argmax(default.history_.train_accuracy) + 1 < 30


def test_restore_best_false_with_early_stopping_keeps_the_epoch_it_stopped_at(digits):
    X, y = digits
    model = SoftmaxRegression(learning_rate=0.5, max_epochs=500, batch_size=50, patience=3,
                              random_state=0, restore_best=False)
    model.fit(X[:1000], y[:1000], X[1000:], y[1000:])
    reference = SoftmaxRegression(learning_rate=0.5, max_epochs=500, batch_size=50, patience=3,
                                  random_state=0).fit(X[:1000], y[:1000], X[1000:], y[1000:])
    assert model.n_iter_ == reference.n_iter_ == reference.best_epoch_ + 3
    assert model.best_epoch_ == model.n_iter_
    assert model.score(X[1000:], y[1000:]) == pytest.approx(model.history_.val_accuracy[-1])


def test_restore_best_false_after_divergence_keeps_the_last_finite_epoch(
        digits, overflow_in_epoch_4):
    X, y = digits
    with pytest.warns(DivergenceWarning, match="diverged in epoch 4.*kept the weights of epoch 3"):
        model = SoftmaxRegression(learning_rate=2.0, max_epochs=10, batch_size=10, patience=None,
                                  random_state=0, restore_best=False).fit(X[:300], y[:300])
    assert model.n_iter_ == model.best_epoch_ == 3 and model.diverged_
    assert model.score(X[:300], y[:300]) == pytest.approx(model.history_.train_accuracy[-1])


@pytest.mark.parametrize("value", [1, "no", None])
def test_restore_best_must_be_a_bool(digits, value):
    X, y = digits
    with pytest.raises(TypeError, match="restore_best must be True or False"):
        SoftmaxRegression(restore_best=value, max_epochs=1).fit(X, y)


def test_without_validation_data_validates_on_training(digits):
    X, y = digits
    model = SoftmaxRegression(max_epochs=5, patience=None, learning_rate=0.1, random_state=0)
    model.fit(X, y)
    np.testing.assert_array_equal(model.history_.val_accuracy, model.history_.train_accuracy)
    np.testing.assert_array_equal(model.history_.val_loss, model.history_.loss)


def test_same_seed_same_history_and_weights(digits):
    X, y = digits
    params = dict(max_epochs=8, patience=None, learning_rate=0.3, batch_size=32)
    a = SoftmaxRegression(random_state=7, **params).fit(X, y)
    b = SoftmaxRegression(random_state=7, **params).fit(X, y)
    c = SoftmaxRegression(random_state=8, **params).fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_array_equal(a.intercept_, b.intercept_)
    for key, values in a.history_.as_dict().items():
        np.testing.assert_array_equal(values, b.history_.as_dict()[key])
    assert not np.array_equal(a.coef_, c.coef_)


MIXED_LABELS = [
    ([0, "a"] * 5, r"mixes label types \(0 is a number, 'a' is a string\)"),
    (np.array([0, "a"] * 5, dtype=object), r"mixes label types \(0 is a number, 'a' is a string\)"),
    ([0, None] * 5, r"mixes label types \(0 is a number, None is no label\)"),
    (["a", "b", None, "a", "b"] * 2, r"mixes label types \('a' is a string, None is no label\)"),
    ([None] * 10, r"holds no labels \(None is no label\)"),
]


@pytest.mark.parametrize(("labels", "match"), MIXED_LABELS)
def test_mixed_label_types_are_named(labels, match):
    X = np.random.default_rng(0).random((10, 3))
    with pytest.raises(ValueError, match=f"^y {match}; give every sample a label of one kind"):
        SoftmaxRegression(batch_size=2).fit(X, labels)
    good = np.array([0, 1] * 5)
    with pytest.raises(ValueError, match=f"^y_val {match}"):
        SoftmaxRegression(batch_size=2).fit(X, good, X, labels)


def test_a_list_of_labels_trains_exactly_as_their_array(digits):
    X, y = digits
    settings = dict(max_epochs=3, learning_rate=0.2, random_state=0)
    a = SoftmaxRegression(**settings).fit(X[:500], y[:500], X[500:700], y[500:700])
    b = SoftmaxRegression(**settings).fit(X[:500], y[:500].tolist(), X[500:700],
                                          y[500:700].tolist())
    np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_array_equal(a.history_.val_accuracy, b.history_.val_accuracy)


def test_string_labels_work(digits):
    X, y = digits
    names = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                      "nine"])
    model = SoftmaxRegression(max_epochs=10, learning_rate=0.2, random_state=0)
    model.fit(X, names[y])
    assert set(model.classes_) == set(names)
    predicted = model.predict(X[:20])
    assert predicted.dtype.kind == "U"
    numeric = SoftmaxRegression(max_epochs=10, learning_rate=0.2, random_state=0).fit(X, y)
    # Label names don't change the arithmetic, only the order of the classes.
    np.testing.assert_array_equal(predicted, names[numeric.predict(X[:20])])


def test_labels_not_zero_based(digits):
    X, y = digits
    model = SoftmaxRegression(max_epochs=5, learning_rate=0.2, random_state=0).fit(X, y * 10 + 3)
    np.testing.assert_array_equal(model.classes_, np.arange(10) * 10 + 3)
    assert model.score(X, y * 10 + 3) > 0.85


def test_predict_proba_rows_sum_to_one(digits):
    X, y = digits
    model = SoftmaxRegression(max_epochs=5, learning_rate=0.2, random_state=0).fit(X, y)
    probs = model.predict_proba(X)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.classes_[probs.argmax(axis=1)], model.predict(X))
    np.testing.assert_allclose(np.exp(model.predict_log_proba(X)), probs, rtol=1e-10)


def test_float32_stays_float32(digits):
    X, y = digits
    X32 = X.astype(np.float32)
    model = SoftmaxRegression(max_epochs=5, learning_rate=0.2, random_state=0).fit(X32, y)
    assert model.coef_.dtype == np.float32
    assert model.predict_proba(X32).dtype == np.float32


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


def test_predict_before_fit_raises(digits):
    X, _ = digits
    with pytest.raises(NotFittedError):
        SoftmaxRegression().predict(X)


def test_works_in_pipeline_clone_and_cross_val(digits):
    X, y = digits
    pipe = make_pipeline(MinMaxScaler(), SoftmaxRegression(max_epochs=10, learning_rate=0.2,
                                                           random_state=0))
    scores = cross_val_score(pipe, X * 16, y, cv=3)
    assert scores.min() > 0.85
    fresh = clone(SoftmaxRegression(learning_rate=0.1, patience=None))
    assert fresh.get_params()["patience"] is None and not hasattr(fresh, "coef_")


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


def test_save_and_load_round_trip(tmp_path, digits):
    X, y = digits
    model = SoftmaxRegression(max_epochs=4, batch_size=np.int64(50), learning_rate=0.2,
                              random_state=np.int64(3)).fit(X, y)
    path = save_model(model, tmp_path / "model.npz")
    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    assert loaded.get_params()["random_state"] == 3 and loaded.n_iter_ == 4
    ridge = SoftmaxRegression(max_epochs=2, alpha=0.125, random_state=0).fit(X, y)
    assert load_model(save_model(ridge, tmp_path / "ridge.npz")).alpha == 0.125
    np.testing.assert_array_equal(loaded.history_.val_accuracy, model.history_.val_accuracy)


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


def test_one_hot_of_no_labels_is_an_empty_matrix():
    assert one_hot([], 3).shape == (0, 3) and one_hot([]).shape == (0, 0)
    with pytest.raises(ValueError, match="1-D"):
        one_hot([[]])
