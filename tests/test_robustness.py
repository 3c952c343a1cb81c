"""Bad input meets a clear error; numerical edge cases stay finite; saved models survive."""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import threading
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.exceptions import NotFittedError

import mnist_lr
from mnist_lr import DivergenceWarning, SoftmaxRegression
from mnist_lr.persistence import load_model, save_model


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return (X / 16.0), y


def small(**params):
    defaults = dict(max_epochs=3, batch_size=50, random_state=0)
    defaults.update(params)
    return SoftmaxRegression(**defaults)


# -- 1. input validation --------------------------------------------------------

X_OK = np.random.default_rng(0).random((60, 4))
Y_OK = np.arange(60) % 3


def _with(X=None, y=None):
    return (X_OK.copy() if X is None else X), (Y_OK.copy() if y is None else y)


def _nan_X():
    X = X_OK.copy()
    X[3, 1] = np.nan
    return X


def _inf_X():
    X = X_OK.copy()
    X[0, 0] = np.inf
    return X


FIT_CASES = {
    "NaN in X": (dict(), *_with(X=_nan_X()), {}, ValueError, "NaN"),
    "inf in X": (dict(), *_with(X=_inf_X()), {}, ValueError, "infinity"),
    "X is 1-D": (dict(), X_OK[:, 0], Y_OK, {}, ValueError, "2D array"),
    "X is 3-D": (dict(), X_OK.reshape(60, 2, 2), Y_OK, {}, ValueError, "dim"),
    "X and y lengths differ": (dict(), X_OK, Y_OK[:-1], {}, ValueError, "inconsistent"),
    "empty X": (dict(), np.empty((0, 4)), np.empty(0, dtype=int), {}, ValueError, "0 sample"),
    "a single class": (dict(), X_OK, np.zeros(60, dtype=int), {}, ValueError, "at least 2 classes"),
    "continuous y": (dict(), X_OK, np.linspace(0, 1, 60), {}, ValueError, "Unknown label type"),
    "X_val without y_val": (dict(), X_OK, Y_OK, {"X_val": X_OK}, ValueError, "without y_val"),
    "y_val without X_val": (dict(), X_OK, Y_OK, {"y_val": Y_OK}, ValueError, "without X_val"),
    "X_val with other features": (
        dict(), X_OK, Y_OK, {"X_val": X_OK[:, :3], "y_val": Y_OK}, ValueError, "X_val has 3"),
    "y_val with unseen labels": (
        dict(), X_OK, Y_OK, {"X_val": X_OK, "y_val": Y_OK + 1}, ValueError, "labels that y does not"),
    "X_val and y_val lengths differ": (
        dict(), X_OK, Y_OK, {"X_val": X_OK, "y_val": Y_OK[:5]}, ValueError, "different lengths"),
    "NaN in X_val": (dict(), X_OK, Y_OK, {"X_val": _nan_X(), "y_val": Y_OK}, ValueError, "NaN"),
    "learning rate 0": (dict(learning_rate=0), X_OK, Y_OK, {}, ValueError, "learning_rate must be > 0"),
    "negative learning rate": (dict(learning_rate=-0.1), X_OK, Y_OK, {}, ValueError, "learning_rate"),
    "NaN learning rate": (dict(learning_rate=float("nan")), X_OK, Y_OK, {}, ValueError,
                          "learning_rate must be finite"),
    "learning rate a string": (dict(learning_rate="fast"), X_OK, Y_OK, {}, TypeError,
                               "learning_rate must be a real number"),
    "batch size 0": (dict(batch_size=0), X_OK, Y_OK, {}, ValueError, "batch_size must be >= 1"),
    "negative batch size": (dict(batch_size=-5), X_OK, Y_OK, {}, ValueError, "batch_size"),
    "batch size above n": (dict(batch_size=61), X_OK, Y_OK, {}, ValueError, "larger than the 60"),
    "batch size a float": (dict(batch_size=10.5), X_OK, Y_OK, {}, TypeError, "batch_size must be an integer"),
    "negative patience": (dict(patience=-1), X_OK, Y_OK, {}, ValueError, "patience must be >= 1"),
    "patience 0": (dict(patience=0), X_OK, Y_OK, {}, ValueError, "patience=None"),
    "zero epochs": (dict(max_epochs=0), X_OK, Y_OK, {}, ValueError, "max_epochs must be >= 1"),
    "negative epochs": (dict(max_epochs=-3), X_OK, Y_OK, {}, ValueError, "max_epochs"),
    "epochs a float": (dict(max_epochs=2.0), X_OK, Y_OK, {}, TypeError, "max_epochs must be an integer"),
    "bad random_state": (dict(random_state="seed"), X_OK, Y_OK, {}, TypeError, "random_state"),
    "negative verbose": (dict(verbose=-1), X_OK, Y_OK, {}, ValueError, "verbose"),
    "negative alpha": (dict(alpha=-0.1), X_OK, Y_OK, {}, ValueError, "alpha must be >= 0"),
    "NaN alpha": (dict(alpha=float("nan")), X_OK, Y_OK, {}, ValueError, "alpha must be finite"),
    "alpha a string": (dict(alpha="strong"), X_OK, Y_OK, {}, TypeError,
                       "alpha must be a real number"),
    "alpha too big for the step": (dict(alpha=20.0, learning_rate=0.1), X_OK, Y_OK, {},
                                   ValueError, "learning_rate \\* alpha must be < 1"),
}


@pytest.mark.parametrize("params, X, y, extra, error, match", FIT_CASES.values(), ids=FIT_CASES)
def test_fit_rejects_bad_input_clearly(params, X, y, extra, error, match):
    with pytest.raises(error, match=match):
        small(**params).fit(X, y, **extra)


@pytest.mark.parametrize("method", ["predict", "predict_proba", "decision_function", "score"])
def test_predicting_before_fitting(method):
    args = (X_OK, Y_OK) if method == "score" else (X_OK,)
    with pytest.raises(NotFittedError):
        getattr(SoftmaxRegression(), method)(*args)


@pytest.mark.parametrize("method", ["predict", "predict_proba", "decision_function"])
def test_predicting_with_other_features(method):
    model = small(batch_size=None).fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match="X has 3 features, but SoftmaxRegression is expecting 4"):
        getattr(model, method)(X_OK[:, :3])


def test_predicting_nan_is_rejected():
    model = small(batch_size=None).fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match="NaN"):
        model.predict(_nan_X())


PUBLIC_CASES = {
    "one_hot float labels": (lambda: mnist_lr.one_hot([0.5]), TypeError, "integers"),
    "one_hot label too big": (lambda: mnist_lr.one_hot([3], 3), ValueError, r"0\.\.2"),
    "softmax of NaN": (lambda: mnist_lr.softmax([np.nan, 1.0]), ValueError, "finite"),
    "softmax of text": (lambda: mnist_lr.softmax(["a", "b"]), TypeError, "numbers"),
    "cross_entropy shapes": (lambda: mnist_lr.cross_entropy([[0.5, 0.5]], [[1]]), ValueError,
                             "same shape"),
    "gradient rows": (lambda: mnist_lr.cross_entropy_gradient(np.ones((2, 3)), np.ones((3, 2)),
                                                               np.ones((3, 2))), ValueError,
                      "same number of rows"),
    "split fraction 0": (lambda: mnist_lr.train_val_split(X_OK, Y_OK, 0.0), ValueError,
                         "val_fraction"),
    "split lengths": (lambda: mnist_lr.train_val_split(X_OK, Y_OK[:5]), ValueError,
                      "different lengths"),
    "subsample too many": (lambda: mnist_lr.subsample(X_OK, Y_OK, 61), ValueError, "n must be <="),
    "confusion lengths": (lambda: mnist_lr.confusion_matrix([1, 2], [1]), ValueError,
                          "different lengths"),
    "pairs not square": (lambda: mnist_lr.most_confused_pairs(np.ones((2, 3))), ValueError,
                         "square"),
    "kfold one split": (lambda: mnist_lr.kfold_indices(10, 1), ValueError, "n_splits must be >= 2"),
    "kfold more splits than samples": (lambda: mnist_lr.kfold_indices(3, 4), ValueError,
                                       "n_splits must be <= 3"),
    "kfold_curves zero epochs": (lambda: mnist_lr.kfold_curves(X_OK, Y_OK, epochs=0), ValueError,
                                 "epochs must be >= 1"),
    "load_mnist dtype": (lambda: mnist_lr.load_mnist(dtype=np.int8), ValueError, "dtype"),
}


@pytest.mark.parametrize("call, error, match", PUBLIC_CASES.values(), ids=PUBLIC_CASES)
def test_public_functions_reject_bad_input_clearly(call, error, match):
    with pytest.raises(error, match=match):
        call()


# -- 3. numerics ----------------------------------------------------------------------


def test_extreme_logits_stay_finite_and_sum_to_one():
    scores = np.array([[1e30, -1e30, 0.0], [-3e38, -3e38, -3e38], [88.0, 89.0, 90.0]],
                      dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        probs = mnist_lr.softmax(scores)
    assert np.isfinite(probs).all()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-6)


def test_model_with_huge_weights_predicts_without_warnings(digits):
    X, y = digits
    model = small().fit(X, y)
    model.coef_ = model.coef_ * 1e6
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        probs = model.predict_proba(X)
        model.predict_log_proba(X)
    assert np.isfinite(probs).all()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


def test_divergence_is_detected_and_reported(digits):
    X, y = digits
    huge = (X * 1e30).astype(np.float32)  # unscaled, enormous inputs
    with pytest.warns(DivergenceWarning, match="diverged in epoch 1.*initial all-zero weights"):
        model = SoftmaxRegression(learning_rate=1e10, max_epochs=5, random_state=0).fit(huge, y)
    assert model.diverged_
    assert np.isfinite(model.coef_).all() and np.isfinite(model.intercept_).all()
    assert len(model.history_) == 0


def test_divergence_after_good_epochs_keeps_the_best(digits, overflow_in_epoch_4):
    X, y = digits
    with pytest.warns(DivergenceWarning, match="diverged in epoch 4.*kept the weights of epoch"):
        model = small(max_epochs=10, patience=None).fit(X, y)
    assert model.n_iter_ == 3 and model.diverged_
    assert np.isfinite(model.coef_).all()
    assert model.score(X, y) == pytest.approx(model.history_.val_accuracy.max())


def test_large_but_finite_learning_rate_is_unstable_not_nan(digits):
    X, y = digits
    model = SoftmaxRegression(learning_rate=10.0, max_epochs=10, patience=None,
                              random_state=0).fit(X, y)
    assert not model.diverged_ and np.isfinite(model.coef_).all()
    # The loss jumps about instead of falling steadily.
    assert np.any(np.diff(model.history_.loss) > 0)


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
    expected = mnist_lr.softmax(model.intercept_ + 0.7 * model.coef_[:, 5])
    np.testing.assert_allclose(probs, np.tile(expected, (50, 1)), rtol=1e-10)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("order", ["C", "F"])
def test_dtypes_and_memory_orders(digits, dtype, order):
    X, y = digits
    X = np.asarray(X, dtype=dtype, order=order)
    model = small().fit(X, y)
    reference = small().fit(np.ascontiguousarray(X, dtype=dtype), y)
    np.testing.assert_array_equal(model.coef_, reference.coef_)
    np.testing.assert_array_equal(model.predict(X), reference.predict(X))
    assert model.coef_.dtype == dtype


def test_integer_input_is_accepted(digits):
    X, y = digits
    model = small().fit((X * 16).astype(np.int64), y)
    assert model.coef_.dtype == np.float64


# -- 4. saving and loading ---------------------------------------------------------------


@pytest.fixture
def trained(digits):
    X, y = digits
    return small(max_epochs=4).fit(X, y), X


def test_load_restores_identical_predictions(trained, tmp_path):
    model, X = trained
    loaded = load_model(save_model(model, tmp_path / "m.npz"))
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    assert loaded.get_params() == model.get_params()
    with np.load(tmp_path / "m.npz", allow_pickle=False) as stored:
        assert str(stored["format"]) == "mnist_lr.SoftmaxRegression"
        assert int(stored["format_version"]) == 1


def test_string_labels_survive_saving(digits, tmp_path):
    X, y = digits
    names = np.array(list("abcdefghij"))[y]
    model = small().fit(X, names)
    loaded = load_model(save_model(model, tmp_path / "m.npz"))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_saving_unfitted_model_fails(tmp_path):
    with pytest.raises(NotFittedError):
        save_model(SoftmaxRegression(), tmp_path / "m.npz")


def test_truncated_file(trained, tmp_path):
    model, _ = trained
    path = save_model(model, tmp_path / "m.npz")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ValueError, match="not a readable model file"):
        load_model(path)


def test_corrupted_file(trained, tmp_path):
    model, _ = trained
    path = save_model(model, tmp_path / "m.npz")
    data = bytearray(path.read_bytes())
    data[len(data) // 3 : len(data) // 3 + 64] = b"\x00" * 64
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=str(path.name)):
        load_model(path)


def test_not_a_model_file(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, weights=np.ones(3))
    with pytest.raises(ValueError, match="not a mnist_lr.SoftmaxRegression file"):
        load_model(path)
    text = tmp_path / "notes.npz"
    text.write_text("hello")
    with pytest.raises(ValueError, match="not a readable model file"):
        load_model(text)


def test_mismatched_file(trained, tmp_path):
    model, _ = trained
    path = save_model(model, tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as stored:
        arrays = {key: stored[key] for key in stored.files}
    arrays["intercept"] = arrays["intercept"][:-1]
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="inconsistent"):
        load_model(path)
    arrays["format_version"] = np.array(99)
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="format version 99"):
        load_model(path)


def test_interrupted_save_keeps_the_previous_file(trained, tmp_path, monkeypatch):
    model, X = trained
    path = save_model(model, tmp_path / "m.npz")
    before = path.read_bytes()

    def broken_savez(handle, **arrays):
        handle.write(b"PK\x03\x04 half a zip file")
        raise KeyboardInterrupt  # as if the kernel were interrupted mid-write

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(KeyboardInterrupt):
        save_model(model, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]  # no temporary file left
    monkeypatch.undo()
    np.testing.assert_array_equal(load_model(path).predict(X), model.predict(X))


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path / "absent.npz")


# -- 2. a failed or interrupted fit leaves the model as it was --------------------------


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


# -- 8. edges the mutation tests found unguarded ------------------------------------------


def test_patience_one_stops_after_the_first_epoch_without_a_new_best(digits):
    X, y = digits
    model = SoftmaxRegression(learning_rate=2.0, batch_size=10, patience=1, max_epochs=200,
                              random_state=0).fit(X[:300], y[:300], X[300:], y[300:])
    assert model.n_iter_ == model.best_epoch_ + 1 < 200
    accuracy = model.history_.val_accuracy
    assert (np.diff(accuracy[:-1]) > 0).all() and accuracy[-1] <= accuracy[-2]


def test_history_best_epoch_is_the_highest_validation_accuracy():
    from mnist_lr import TrainingHistory

    history = TrainingHistory(*(np.array([0.5, 0.9, 0.2, 0.9]) for _ in range(4)))
    assert history.best_epoch == 2  # the highest (the first of a tie), not the lowest
    assert TrainingHistory().best_epoch == 0
