r"""Softmax (multinomial logistic) regression, written out in NumPy.

For an image :math:`x` (784 pixels) the model computes scores :math:`z = x W + b`
and probabilities :math:`p = \mathrm{softmax}(z)`. Training lowers the cross-entropy
:math:`-\log p_{\text{true class}}` by mini-batch SGD; its gradient with respect to
the scores is :math:`p - t` (:math:`t`: the one-hot label).

The module reads top to bottom: the math as small public functions; then the
pieces of training in the order :meth:`SoftmaxRegression.fit` uses them; last
the estimator. Saving and loading live in :mod:`mnist_lr.persistence`.
"""

from __future__ import annotations

import copy
import dataclasses
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d, validate_data
from threadpoolctl import threadpool_limits

from ._checks import (
    argument_error,
    check_float_array,
    check_int,
    check_label_kinds,
    check_real,
    check_same_length,
    check_seed,
    make_rng,
)
from ._interrupts import interrupts_noticed
from ._progress import TrainingReport

__all__ = ["one_hot", "softmax", "log_softmax", "cross_entropy", "cross_entropy_from_scores",
           "cross_entropy_gradient", "EpochRecord", "TrainingHistory", "DivergenceWarning",
           "SoftmaxRegression", "ARTICLE_SETTINGS"]

#: The article's training settings, the defaults of :class:`SoftmaxRegression`
#: and of the command line, the sliders and the benchmark.
ARTICLE_SETTINGS = {"learning_rate": 0.24, "batch_size": 100, "patience": 10}


# -- The math --------------------------------------------------------------


def one_hot(labels, n_classes=None, dtype=np.float64):
    """Encode integer labels 0..K-1 as rows with a single 1; K defaults to ``max(labels) + 1``.

    >>> one_hot([0, 2, 1], 3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]])
    """
    labels = np.asarray(labels)
    labels = labels.astype(np.intp) if labels.size == 0 else labels  # [] would be float
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1-D, got shape {labels.shape}")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"labels must be integers 0..K-1, got dtype {labels.dtype}")
    top = int(labels.max()) + 1 if labels.size else 0
    n_classes = top if n_classes is None else check_int(n_classes, "n_classes", minimum=1)
    if labels.size and (labels.min() < 0 or top > n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}, got values from "
                         f"{labels.min()} to {top - 1}")
    encoded = np.zeros((labels.size, n_classes), dtype=dtype)
    encoded[np.arange(labels.size), labels] = 1
    return encoded


def softmax(scores, out=None, check_finite=True):
    """Turn each row of scores (the last axis) into probabilities that sum to 1.

    The row maximum is subtracted before ``exp``: it cancels out, and keeps
    ``exp`` from overflowing. ``out`` may be ``scores`` (in place).
    ``check_finite`` raises ValueError on NaN or infinite scores.

    >>> softmax([1000.0, 1000.0])
    array([0.5, 0.5])
    """
    scores = check_float_array(scores, "scores", check_finite=check_finite)
    out = np.subtract(scores, scores.max(axis=-1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=-1, keepdims=True)
    return out


def log_softmax(scores, check_finite=True):
    """The natural log of :func:`softmax`, computed without ever taking ``log(0)``.

    ``log p_k = z_k - m - log(sum_j e^{z_j - m})`` with ``m`` the row maximum
    (the *log-sum-exp* trick): that sum is at least 1, so its log is finite
    even when a probability is too small to be stored.

    >>> log_softmax([0.0, 1000.0])
    array([-1000.,     0.])
    """
    scores = check_float_array(scores, "scores", check_finite=check_finite)
    shifted = scores - scores.max(axis=-1, keepdims=True)
    shifted -= np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return shifted


def cross_entropy(probabilities, targets, eps=1e-7):
    """Mean cross-entropy between probabilities and one-hot targets, both (n_samples, K).

    For one sample, ``-log`` of the probability given to the true class.
    ``eps`` keeps ``log(0)`` away, as in the article, so one confident
    mistake costs at most ``-log(eps)`` (16.1); :func:`cross_entropy_from_scores`
    has no such cap.

    >>> round(cross_entropy([[0.5, 0.5]], [[1, 0]]), 4)
    0.6931
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    _check_same_shape(probabilities, targets, "probabilities")
    return float(-(targets * np.log(probabilities + eps)).sum(axis=1).mean())


def cross_entropy_from_scores(scores, targets):
    """Mean cross-entropy from the scores ``X @ W + b``, through :func:`log_softmax`.

    The same as ``cross_entropy(softmax(scores), targets, eps=0)``, but
    stable: a confident mistake costs its true, large loss, not ``inf``. This
    is the loss :class:`SoftmaxRegression` records (plus its L2 penalty).

    >>> round(cross_entropy_from_scores([[0.0, 0.0]], [[1, 0]]), 4)
    0.6931
    >>> cross_entropy_from_scores([[0.0, 100.0]], [[1, 0]])
    100.0
    """
    scores = np.asarray(scores, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    _check_same_shape(scores, targets, "scores")
    return float(-(targets * log_softmax(scores)).sum(axis=1).mean())


def _check_same_shape(values, targets, name):
    if values.shape != targets.shape or values.ndim != 2:
        raise ValueError(f"{name} and targets must be 2-D arrays of the same shape, got "
                         f"{values.shape} and {targets.shape}")


def cross_entropy_gradient(X, probabilities, targets):
    """Gradient ``(grad_W, grad_b)`` of the mean cross-entropy, shapes (features, K) and (K,).

    With scores ``z = X W + b`` and ``p = softmax(z)``, the derivative of the
    loss with respect to the scores is ``(p - t) / n``; the chain rule then
    gives ``X.T @ (p - t) / n`` for ``W`` and the column sums for ``b``.

    >>> gW, gb = cross_entropy_gradient([[1.0, 0.0]], [[0.5, 0.5]], [[1, 0]])
    >>> gW
    array([[-0.5,  0.5],
           [ 0. ,  0. ]])
    """
    X = np.asarray(X, dtype=np.float64)
    error = np.asarray(probabilities, dtype=np.float64) - np.asarray(targets, dtype=np.float64)
    if X.ndim != 2 or error.ndim != 2 or len(X) != len(error):
        raise ValueError(f"X {np.shape(X)} and probabilities/targets {error.shape} must be "
                         "2-D with the same number of rows")
    error /= len(X)
    return X.T @ error, error.sum(axis=0)


# -- What fit records ------------------------------------------------------


@dataclass
class TrainingHistory:
    """What :meth:`SoftmaxRegression.fit` measured after every epoch (index i: epoch i + 1).

    Accuracies in [0, 1]; losses with the L2 penalty, which ``penalty`` holds
    on its own (``alpha / 2 * ||W||^2`` after the epoch; 0 without one), so
    ``loss - penalty`` is the plain cross-entropy. The fields are the package's
    one list of history fields (read them with :func:`dataclasses.fields`).
    """

    loss: np.ndarray = field(default_factory=lambda: np.empty(0))
    train_accuracy: np.ndarray = field(default_factory=lambda: np.empty(0))
    val_loss: np.ndarray = field(default_factory=lambda: np.empty(0))
    val_accuracy: np.ndarray = field(default_factory=lambda: np.empty(0))
    penalty: np.ndarray = field(default_factory=lambda: np.empty(0))

    @classmethod
    def from_records(cls, records):
        """One array per field from a list of :class:`EpochRecord`."""
        columns = zip(*records) if records else [[]] * len(EpochRecord._fields)
        return cls(*(np.asarray(column, dtype=np.float64) for column in columns))

    def __len__(self):
        return len(self.loss)

    @property
    def best_epoch(self):
        """1-based epoch with the highest validation accuracy (the first, on ties)."""
        return int(np.argmax(self.val_accuracy)) + 1 if len(self) else 0

    def as_dict(self):
        """The arrays in a plain dict, in field order."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


#: The numbers measured after one epoch, named as the fields of TrainingHistory.
EpochRecord = NamedTuple("EpochRecord",
                         [(f.name, float) for f in dataclasses.fields(TrainingHistory)])

#: What :func:`_measure` returns instead of a record when the weights overflowed.
DIVERGED = "diverged"


# -- Checking the parameters and the data, once, when fit starts -----------


def _check_flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise argument_error(TypeError, name, f"{name} must be True or False, got {value!r}")
    return bool(value)


def _check_patience(value, name):
    value = check_int(value, name, allow_none=True)
    if value is not None and value < 1:
        raise argument_error(ValueError, name, f"{name} must be >= 1, got {value}; "
                                               "patience=None turns it off")
    return value


def _check_alpha(value, name):
    value = check_real(value, name)
    if value < 0:
        raise argument_error(ValueError, name, f"{name} must be >= 0, got {value}; use alpha=0 "
                                               "for no penalty")
    return value


#: One rule per constructor parameter: it returns the clean value or raises.
_PARAMETER_RULES = {
    "learning_rate": partial(check_real, positive=True),
    "max_epochs": partial(check_int, minimum=1),
    "batch_size": partial(check_int, minimum=1, allow_none=True),
    "patience": _check_patience,
    "random_state": check_seed,
    "verbose": lambda value, name: check_int(
        int(value) if isinstance(value, bool) else value, name, minimum=0),
    "progress": _check_flag,
    "alpha": _check_alpha,
    "restore_best": _check_flag,
}


def _check_together(params):
    """The rules that span parameters; ``params`` holds values that passed their own rule."""
    learning_rate, alpha = params["learning_rate"], params["alpha"]
    if learning_rate * alpha >= 1:
        raise argument_error(ValueError, "alpha", f"learning_rate * alpha must be < 1, got "
                             f"{learning_rate} * {alpha} = {learning_rate * alpha:g}: the "
                             "penalty's step alone would flip or zero the weights; use a smaller "
                             "alpha or learning_rate")


def _batch_size(batch_size, n_samples):
    """Rows per step (None: all of them, full-batch gradient descent), checked against the data."""
    if batch_size is None:
        return n_samples
    if batch_size > n_samples:
        raise argument_error(ValueError, "batch_size", f"batch_size={batch_size} is larger than "
                             f"the {n_samples} training samples; use a smaller batch_size, or "
                             "batch_size=None for full-batch gradient descent")
    return batch_size


def _validation_set(X, classes, X_val, y_val):
    """Checked validation data and its labels as codes 0..K-1; (None, None) if not given."""
    if (X_val is None) != (y_val is None):
        given, missing = ("X_val", "y_val") if y_val is None else ("y_val", "X_val")
        raise ValueError(f"{given} was given without {missing}; pass both or neither")
    if X_val is None:
        return None, None
    X_val = check_array(X_val, dtype=X.dtype, order="C", input_name="X_val")
    check_label_kinds(y_val, "y_val")
    y_val = column_or_1d(y_val, warn=True)
    if X_val.shape[1] != X.shape[1]:
        raise ValueError(f"X_val has {X_val.shape[1]} features but X has {X.shape[1]}; "
                         "they must match")
    check_same_length(X_val, y_val, "X_val", "y_val")
    unknown = np.setdiff1d(y_val, classes)
    if unknown.size:
        raise ValueError(f"y_val contains labels that y does not: {unknown[:10].tolist()}; "
                         f"the model can only predict {classes.tolist()}")
    return X_val, np.searchsorted(classes, y_val)


# -- Training: one epoch of steps, and its measurement ---------------------


def _sgd_epoch(X, T, W, b, order, batch_size, learning_rate, alpha=0.0):
    """Notebook 02's pass of mini-batch steps over ``X`` in ``order``, updating ``W`` and ``b``.

    With ``alpha`` each step is ``W -= learning_rate * (grad_W + alpha * W)``.
    """
    # Overflowing weights are detected once per epoch, when they are measured.
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            X_batch = X[rows]
            P = softmax(X_batch @ W + b, check_finite=False)
            # learning_rate * dL/dZ: the gradient step for the scores of this batch.
            step = P - T[rows]
            step *= learning_rate / len(rows)
            update = (step.T @ X_batch).T  # X_batch.T @ step, in W's layout (_training_steps)
            if alpha:
                update += learning_rate * alpha * W
            W -= update
            b -= step.sum(axis=0)


def _training_steps(settings, X, codes, X_val, val_codes, n_classes, random_state):
    """Notebook 02's starting point, all-zero ``W`` (features x classes) and ``b``, and the
    two steps of every epoch: ``next_epoch()`` shuffles and makes one pass of mini-batch
    steps, updating ``W`` and ``b`` in place; ``measure(W, b)`` gives their EpochRecord."""
    # W is features x classes, stored column by column: with the update written
    # (step.T @ X_batch).T, BLAS's faster shape, an epoch is 1.1x faster (docs/performance.md).
    W, b = np.zeros((n_classes, X.shape[1]), X.dtype).T, np.zeros(n_classes, X.dtype)
    T = one_hot(codes, n_classes, dtype=X.dtype)
    rng, batch_size = make_rng(random_state), _batch_size(settings["batch_size"], len(X))
    learning_rate, alpha = settings["learning_rate"], settings["alpha"]

    def next_epoch():
        _sgd_epoch(X, T, W, b, rng.permutation(len(X)), batch_size, learning_rate, alpha)

    measure = partial(_measure, X=X, codes=codes, X_val=X_val, val_codes=val_codes, alpha=alpha)
    return W, b, next_epoch, measure


def _loss_and_accuracy(X, codes, W, b, chunk=2048):
    """Mean cross-entropy and accuracy of the scores ``X @ W + b``, in chunks that stay in cache."""
    total_loss, correct = 0.0, 0
    for start in range(0, len(X), chunk):
        Z = X[start : start + chunk] @ W + b
        truth = codes[start : start + chunk]
        log_P = log_softmax(Z, check_finite=False)
        total_loss -= float(log_P[np.arange(len(Z)), truth].sum(dtype=np.float64))
        correct += int(np.count_nonzero(Z.argmax(axis=1) == truth))
    return total_loss / len(X), correct / len(X)


def _measure(W, b, X, codes, X_val, val_codes, alpha):
    """These weights' :class:`EpochRecord` (no ``X_val``: training numbers twice), or DIVERGED."""
    if not (np.isfinite(W).all() and np.isfinite(b).all()):
        return DIVERGED
    penalty = 0.5 * alpha * float(np.square(W, dtype=np.float64).sum()) if alpha else 0.0
    loss, accuracy = _loss_and_accuracy(X, codes, W, b)
    if X_val is None:
        return EpochRecord(loss + penalty, accuracy, loss + penalty, accuracy, penalty)
    val_loss, val_accuracy = _loss_and_accuracy(X_val, val_codes, W, b)
    return EpochRecord(loss + penalty, accuracy, val_loss + penalty, val_accuracy, penalty)


def _warn_diverged(epoch, best_epoch, learning_rate):
    kept = f"the weights of epoch {best_epoch}" if best_epoch else "the initial all-zero weights"
    warnings.warn(
        f"training diverged in epoch {epoch}: the weights overflowed with "
        f"learning_rate={learning_rate}. Stopped and kept {kept}; try a smaller "
        "learning_rate, or check that the inputs are scaled (MNIST pixels: 0 to 1).",
        DivergenceWarning, stacklevel=4)  # the caller of fit (fit -> _fit -> here)


# -- The estimator ---------------------------------------------------------


class DivergenceWarning(RuntimeWarning):
    """Training was stopped because the weights or the loss stopped being finite."""


class SoftmaxRegression(ClassifierMixin, BaseEstimator):
    r"""Multinomial logistic regression trained by mini-batch SGD with early stopping.

    The article's algorithm, notebook 02's loop. The objective is the mean
    cross-entropy plus an optional L2 penalty on the weights (not the biases),
    with scikit-learn's name and convention:

    .. math::

        L(W, b) = \frac{1}{n} \sum_{i=1}^{n} -\log p_{i, y_i}
                  + \frac{\alpha}{2} \lVert W \rVert^2

    so every step is ``W -= learning_rate * (grad_W + alpha * W)``. ``fit`` is all
    or nothing: if it fails or is interrupted (Ctrl-C included), the model is
    left as it was.

    Parameters
    ----------
    learning_rate : float, default 0.24
        Step size (the article's *gakushuuritsu*); ``learning_rate * alpha < 1``.
    max_epochs : int, default 1000
        Upper bound on passes over the training data (*kurikaeshi*).
    batch_size : int or None, default 100
        Rows per step; ``None`` uses all rows at once (full-batch descent).
    patience : int or None, default 10
        Epochs without a new best validation accuracy before stopping; ``None``: never.
    random_state : int, numpy.random.Generator or None, default None
        Seed for the shuffles: the same seed gives the same history and weights.
    verbose : int, default 0
        1 prints one line per epoch, as the article does.
    progress : bool, default False
        A status line while training, ending with how training ended.
    alpha : float, default 0.0
        Strength of the L2 penalty ``alpha / 2 * ||W||^2``; >= 0.
    restore_best : bool, default True
        Keep the best validation epoch's weights (the article's rule); False
        keeps the last epoch's, the same model with or without validation data.

    Attributes
    ----------
    coef_ : numpy.ndarray of shape (n_classes, n_features)
        The kept weights ``W.T``: the article's (785, 10) matrix less its bias row 0, transposed.
    intercept_ : numpy.ndarray of shape (n_classes,)
        The kept bias ``b``.
    classes_ : numpy.ndarray
        The distinct labels seen in ``fit``, sorted. Any labels work.
    n_features_in_, n_iter_, best_epoch_ : int
        Features; epochs run; the 1-based epoch whose weights were kept.
    history_ : TrainingHistory
        The per-epoch losses (with the penalty) and accuracies.
    diverged_ : bool
        True if training stopped because the weights stopped being finite.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> X, y = load_digits(return_X_y=True)
    >>> model = SoftmaxRegression(learning_rate=0.1, max_epochs=20, random_state=0)
    >>> model.fit(X / 16, y).score(X / 16, y) > 0.9
    True
    """

    def __init__(self, learning_rate=ARTICLE_SETTINGS["learning_rate"], max_epochs=1000,
                 batch_size=ARTICLE_SETTINGS["batch_size"], patience=ARTICLE_SETTINGS["patience"],
                 random_state=None, verbose=0, progress=False, alpha=0.0, restore_best=True):
        self.learning_rate = learning_rate
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.patience = patience
        self.random_state = random_state
        self.verbose = verbose
        self.progress = progress
        self.alpha = alpha
        self.restore_best = restore_best

    # -- training ----------------------------------------------------------

    def validate_params(self):
        """Check every constructor parameter; return the checked values in a dict.

        ``fit`` calls it first; call it to report a bad setting before loading data. One rule
        per parameter (``_PARAMETER_RULES``), then ``_check_together``; errors name it.
        """
        params = {name: rule(getattr(self, name), name) for name, rule in _PARAMETER_RULES.items()}
        _check_together(params)
        return params

    def fit(self, X, y, X_val=None, y_val=None):
        """Train on ``X, y``, validating on ``X_val, y_val`` after every epoch; return self.

        ``X`` (n_samples, n_features): float32 stays float32 (fast, half the memory),
        anything else becomes float64. ``y``: labels of any kind, at least two classes.
        ``X_val, y_val`` pick the best epoch and stop early; without them the training
        data serves as validation data.
        """
        # From the first line: a Ctrl-C that Python swallows is still noticed (_interrupts.py).
        with interrupts_noticed() as check_interrupt:
            return self._fit(check_interrupt, X, y, X_val, y_val)

    def _fit(self, check_interrupt, X, y, X_val, y_val):
        """:meth:`fit`'s loop, notebook 02's; ``check_interrupt()`` raises after a Ctrl-C."""
        settings = self.validate_params()
        patience, restore_best = settings["patience"], settings["restore_best"]
        X, codes, X_val, val_codes, fitted = self._checked_data(X, y, X_val, y_val)
        W, b, next_epoch, measure = _training_steps(settings, X, codes, X_val, val_codes,
                                                    len(fitted["classes_"]), self.random_state)
        records, best_epoch, best_accuracy = [], 0, -1.0
        kept = 0, -1.0, W.copy(), b.copy()  # the epoch to keep, its val accuracy, W, b
        # One BLAS thread: for products of 100 rows, more threads cost more than they save.
        with (TrainingReport(settings["max_epochs"], settings["verbose"], settings["progress"])
              as report, threadpool_limits(1, "blas"), ThreadPoolExecutor(1) as second_core):
            next_epoch()
            for epoch in range(1, settings["max_epochs"] + 1):
                # -- measure, on a second core while the next epoch trains: 1.6x faster
                # on 2 cores (benchmarks/run.py); an epoch trained past the stop is unused
                weights = W.copy(), b.copy()
                measuring = second_core.submit(measure, *weights)
                if epoch < settings["max_epochs"]:
                    next_epoch()
                record = measuring.result()
                check_interrupt()  # a Ctrl-C that Python swallowed stops training here
                if record is DIVERGED:
                    break
                records.append(record)
                # -- keep the best (restore_best=False: keep the latest)
                if record.val_accuracy > best_accuracy:
                    best_epoch, best_accuracy = epoch, record.val_accuracy
                if epoch == best_epoch or not restore_best:
                    kept = epoch, record.val_accuracy, *weights
                report.epoch(epoch, record, best_epoch, best_accuracy)
                # -- patience: stop after `patience` epochs without a new best
                if patience is not None and epoch - best_epoch >= patience:
                    break
            diverged = record is DIVERGED
            report.done(len(records), kept[0], kept[1], patience, diverged)
        check_interrupt()  # also one that came while the last epoch was measured
        if diverged:
            _warn_diverged(len(records) + 1, kept[0], settings["learning_rate"])
        return self._set_fitted(fitted, coef_=kept[2].T.copy(), intercept_=kept[3],
                                n_iter_=len(records), best_epoch_=kept[0], diverged_=diverged,
                                history_=TrainingHistory.from_records(records))

    def _checked_data(self, X, y, X_val, y_val):
        """Checked ``X, codes, X_val, val_codes`` (codes: labels as 0..K-1) and the data's
        fitted attributes (``classes_``, ``n_features_in_``...); ``self`` is not touched."""
        # validate_data records n_features_in_ on the estimator it is given: a copy.
        scratch = copy.copy(self)
        check_label_kinds(y, "y")
        X, y = validate_data(scratch, X, y, dtype=[np.float64, np.float32], order="C")
        fitted = {key: value for key, value in vars(scratch).items() if key.endswith("_in_")}
        check_classification_targets(y)
        classes, codes = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError("y must contain at least 2 classes to train a classifier; got "
                             f"only one class: {classes[0]!r}")
        fitted["classes_"] = classes
        X_val, val_codes = _validation_set(X, classes, X_val, y_val)
        return X, codes, X_val, val_codes, fitted

    def _set_fitted(self, fitted, **attributes):
        """Replace all fitted attributes at once, dropping any left from an earlier fit; self."""
        # scikit-learn's convention: fitted attributes end in one underscore.
        state = {key: value for key, value in vars(self).items()
                 if not (key.endswith("_") and not key.startswith("_"))}
        # One assignment: an interrupt lands either before it or after it.
        self.__dict__ = {**state, **fitted, **attributes}
        return self

    # -- prediction --------------------------------------------------------

    def _scores(self, X):
        """Logits ``X @ coef_.T + intercept_`` of shape (n_samples, n_classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32], order="C")
        return X @ self.coef_.T.astype(X.dtype, copy=False) + self.intercept_.astype(X.dtype)

    def decision_function(self, X):
        """Class scores (logits), (n_samples, n_classes); for 2 classes 1-D, > 0 for classes_[1]."""
        scores = self._scores(X)
        return scores[:, 1] - scores[:, 0] if scores.shape[1] == 2 else scores

    def predict_proba(self, X):
        """Class probabilities (the softmax of the scores); each row sums to 1."""
        return softmax(self._scores(X))

    def predict_log_proba(self, X):
        """Natural log of :meth:`predict_proba`, computed stably (:func:`log_softmax`)."""
        return log_softmax(self._scores(X), check_finite=False)

    def predict(self, X):
        """The most probable class of each row, as a label from ``classes_``."""
        scores = self._scores(X)
        return self.classes_[scores.argmax(axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = False
        return tags

