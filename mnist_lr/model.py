r"""Softmax (multinomial logistic) regression, written out in NumPy.

For an image :math:`x` (784 pixels) the model computes one score per class,
:math:`z = x W + b`, and turns the scores into probabilities with the softmax
:math:`p_k = e^{z_k} / \sum_j e^{z_j}`. Training lowers the cross-entropy
:math:`-\log p_{\text{true class}}` by mini-batch stochastic gradient descent;
the gradient with respect to the scores is simply :math:`p - t`, where
:math:`t` is the one-hot encoding of the label.

The module reads top to bottom: the math as small public functions, each of
which can be tried on its own; then the pieces of training in the order
:meth:`SoftmaxRegression.fit` uses them; last the estimator itself, under
scikit-learn's estimator contract. Saving and loading live in
:mod:`mnist_lr.persistence`.
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

from ._checks import check_int, check_label_kinds, check_real, check_same_length, make_rng
from ._progress import TrainingReport

__all__ = [
    "one_hot",
    "softmax",
    "log_softmax",
    "cross_entropy",
    "cross_entropy_from_scores",
    "cross_entropy_gradient",
    "EpochRecord",
    "TrainingHistory",
    "DivergenceWarning",
    "SoftmaxRegression",
    "ARTICLE_SETTINGS",
]

#: The article's training settings, the defaults of :class:`SoftmaxRegression`
#: and of the command line, the sliders and the benchmark.
ARTICLE_SETTINGS = {"learning_rate": 0.24, "batch_size": 100, "patience": 10}


# --------------------------------------------------------------------------
# The math
# --------------------------------------------------------------------------


def one_hot(labels, n_classes=None, dtype=np.float64):
    """Encode integer labels 0..K-1 as rows with a single 1.

    Parameters
    ----------
    labels : array-like of int, shape (n_samples,)
    n_classes : int, optional
        K. Defaults to ``labels.max() + 1``.
    dtype : numpy dtype, default float64

    Returns
    -------
    numpy.ndarray of shape (n_samples, n_classes)

    Examples
    --------
    >>> one_hot([0, 2, 1], 3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]])
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1-D, got shape {labels.shape}")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"labels must be integers 0..K-1, got dtype {labels.dtype}")
    top = int(labels.max()) + 1 if labels.size else 0
    n_classes = top if n_classes is None else check_int(n_classes, "n_classes", minimum=1)
    if labels.size and (labels.min() < 0 or top > n_classes):
        raise ValueError(
            f"labels must lie in 0..{n_classes - 1}, got values from {labels.min()} to {top - 1}"
        )
    encoded = np.zeros((labels.size, n_classes), dtype=dtype)
    encoded[np.arange(labels.size), labels] = 1
    return encoded


def softmax(scores, out=None, check_finite=True):
    """Turn each row of scores into probabilities that sum to 1.

    The row maximum is subtracted before ``exp``: it does not change the
    result (it cancels between numerator and denominator) but keeps ``exp``
    from overflowing when a score is large.

    Parameters
    ----------
    scores : array-like of shape (n_samples, n_classes) or (n_classes,)
    out : numpy.ndarray, optional
        Where to write the result; may be ``scores`` itself (in place).
    check_finite : bool, default True
        Raise ``ValueError`` on NaN or infinite scores. The training loop
        turns this off: it checks the weights once per epoch instead.

    Returns
    -------
    numpy.ndarray
        Same shape as ``scores``.

    Examples
    --------
    >>> softmax([1000.0, 1000.0])
    array([0.5, 0.5])
    """
    scores = _as_float_scores(scores, check_finite)
    out = np.subtract(scores, scores.max(axis=-1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=-1, keepdims=True)
    return out


def log_softmax(scores, check_finite=True):
    """The natural log of :func:`softmax`, computed without ever taking ``log(0)``.

    ``log p_k = z_k - log(sum_j e^{z_j})``, and with the row maximum ``m``
    taken out first, ``log(sum_j e^{z_j}) = m + log(sum_j e^{z_j - m})``
    (the *log-sum-exp* trick): that sum is at least 1, so its log is finite
    even when a probability is far too small to be stored.

    Parameters
    ----------
    scores : array-like of shape (n_samples, n_classes) or (n_classes,)
    check_finite : bool, default True
        Raise ``ValueError`` on NaN or infinite scores.

    Returns
    -------
    numpy.ndarray
        Same shape as ``scores``; every entry is <= 0.

    Examples
    --------
    >>> log_softmax([0.0, 1000.0])
    array([-1000.,     0.])
    """
    scores = _as_float_scores(scores, check_finite)
    shifted = scores - scores.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _as_float_scores(scores, check_finite):
    scores = np.asarray(scores)
    if not np.issubdtype(scores.dtype, np.floating):
        if scores.dtype == bool or not np.issubdtype(scores.dtype, np.number):
            raise TypeError(f"scores must be numbers, got dtype {scores.dtype}")
        scores = scores.astype(np.float64)
    if check_finite and not np.isfinite(scores).all():
        raise ValueError("scores must be finite (no NaN or infinity)")
    return scores


def cross_entropy(probabilities, targets, eps=1e-7):
    """Mean cross-entropy between predicted probabilities and one-hot targets.

    For one sample this is ``-sum_k t_k log(p_k)``, which for a one-hot
    target is just ``-log`` of the probability given to the true class.
    ``eps`` keeps ``log(0)`` from appearing, as in the article. It also caps
    the loss of one confidently wrong sample at ``-log(eps)`` (about 16.1);
    :func:`cross_entropy_from_scores` has no such cap and is what training
    reports: with ``eps=0`` and ``probabilities = softmax(scores)`` the two
    agree to rounding wherever no probability underflows to 0.

    Parameters
    ----------
    probabilities : array-like of shape (n_samples, n_classes)
    targets : array-like of shape (n_samples, n_classes)
        One-hot rows (see :func:`one_hot`).
    eps : float, default 1e-7

    Returns
    -------
    float

    Examples
    --------
    >>> round(cross_entropy([[0.5, 0.5]], [[1, 0]]), 4)
    0.6931
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    _check_same_shape(probabilities, targets, "probabilities")
    return float(-(targets * np.log(probabilities + eps)).sum(axis=1).mean())


def cross_entropy_from_scores(scores, targets):
    """Mean cross-entropy computed from the scores, through :func:`log_softmax`.

    The same quantity as ``cross_entropy(softmax(scores), targets, eps=0)``,
    but stable: a confident mistake costs its true, large loss instead of
    ``inf`` (or the ``-log(eps)`` cap). This is the loss
    :class:`SoftmaxRegression` records (plus its L2 penalty, if any).

    Parameters
    ----------
    scores : array-like of shape (n_samples, n_classes)
        ``X @ W + b``.
    targets : array-like of shape (n_samples, n_classes)
        One-hot rows (see :func:`one_hot`).

    Returns
    -------
    float

    Examples
    --------
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
        raise ValueError(
            f"{name} and targets must be 2-D arrays of the same shape, got "
            f"{values.shape} and {targets.shape}"
        )


def cross_entropy_gradient(X, probabilities, targets):
    """Gradient of the mean cross-entropy with respect to the weights and bias.

    With scores ``z = X W + b`` and ``p = softmax(z)``, the derivative of the
    loss with respect to the scores is ``(p - t) / n``; the chain rule then
    gives ``X.T @ (p - t) / n`` for ``W`` and the column sums for ``b``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    probabilities, targets : array-like of shape (n_samples, n_classes)

    Returns
    -------
    grad_W : numpy.ndarray of shape (n_features, n_classes)
    grad_b : numpy.ndarray of shape (n_classes,)

    Examples
    --------
    >>> gW, gb = cross_entropy_gradient([[1.0, 0.0]], [[0.5, 0.5]], [[1, 0]])
    >>> gW
    array([[-0.5,  0.5],
           [ 0. ,  0. ]])
    """
    X = np.asarray(X, dtype=np.float64)
    error = np.asarray(probabilities, dtype=np.float64) - np.asarray(targets, dtype=np.float64)
    if X.ndim != 2 or error.ndim != 2 or len(X) != len(error):
        raise ValueError(
            f"X {np.shape(X)} and probabilities/targets {error.shape} must be 2-D with "
            "the same number of rows"
        )
    error /= len(X)
    return X.T @ error, error.sum(axis=0)


# --------------------------------------------------------------------------
# What fit records
# --------------------------------------------------------------------------


@dataclass
class TrainingHistory:
    """What :meth:`SoftmaxRegression.fit` measured after every epoch.

    Accuracies are fractions in [0, 1]. Losses are the training objective:
    the mean cross-entropy (:func:`cross_entropy_from_scores`) plus the L2
    penalty ``alpha / 2 * ||W||^2`` (zero unless the model's ``alpha`` is
    set). Index ``i`` of each array belongs to epoch ``i + 1``. These four
    fields are the package's one list of history fields.
    """

    loss: np.ndarray = field(default_factory=lambda: np.empty(0))
    train_accuracy: np.ndarray = field(default_factory=lambda: np.empty(0))
    val_loss: np.ndarray = field(default_factory=lambda: np.empty(0))
    val_accuracy: np.ndarray = field(default_factory=lambda: np.empty(0))

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
        """The four arrays in a plain dict, in field order."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


#: The four numbers measured after one epoch, named as the fields of TrainingHistory.
EpochRecord = NamedTuple(
    "EpochRecord", [(f.name, float) for f in dataclasses.fields(TrainingHistory)]
)

#: What :func:`_measure` returns instead of a record when the weights overflowed.
DIVERGED = "diverged"


# --------------------------------------------------------------------------
# The parameters, checked once when fit starts
# --------------------------------------------------------------------------


def _check_flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _check_alpha(value, name):
    value = check_real(value, name)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}; use alpha=0 for no penalty")
    return value


def _check_patience(value, name):
    value = check_int(value, name, allow_none=True)
    if value is not None and value < 1:
        raise ValueError(
            f"{name} must be >= 1, got {value}; use patience=None to turn early stopping off"
        )
    return value


def _check_seed(value, name):
    if not isinstance(value, (np.random.Generator, np.random.RandomState)):
        make_rng(value, name)  # raises for anything but None or an int >= 0
    return value


#: One rule per constructor parameter: a check that returns the clean value,
#: or raises TypeError / ValueError with a message that names the parameter.
_PARAMETER_RULES = {
    "learning_rate": partial(check_real, positive=True),
    "max_epochs": partial(check_int, minimum=1),
    "batch_size": partial(check_int, minimum=1, allow_none=True),
    "patience": _check_patience,
    "random_state": _check_seed,
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
        raise ValueError(
            f"learning_rate * alpha must be < 1, got {learning_rate} * {alpha} = "
            f"{learning_rate * alpha:g}: the penalty's step alone would flip or zero the "
            "weights; use a smaller alpha or learning_rate"
        )


def _step_sizes(learning_rate, alpha, dtype, batch_size):
    """``learning_rate`` and ``learning_rate * alpha`` (None if alpha is 0) in the data's dtype.

    The last rule needs the data: either step rounding to 0 there (1e-50 in
    float32) would silently train nothing, so that is an error.
    """
    rate = dtype.type(learning_rate)
    if rate / batch_size == 0:
        raise ValueError(
            f"learning_rate={learning_rate} is too small for {dtype} data: "
            f"learning_rate / batch_size rounds to 0, so training would change nothing; "
            "use a larger learning_rate" + (", or float64 data" if dtype == np.float32 else "")
        )
    if not alpha:
        return rate, None
    rate_alpha = dtype.type(learning_rate * alpha)
    if rate_alpha == 0:
        raise ValueError(
            f"learning_rate * alpha = {learning_rate * alpha:g} is 0 in {dtype}, so the "
            "penalty would do nothing; use a larger alpha, or alpha=0"
        )
    return rate, rate_alpha


# --------------------------------------------------------------------------
# The data, checked when fit starts
# --------------------------------------------------------------------------


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
        raise ValueError(
            f"X_val has {X_val.shape[1]} features but X has {X.shape[1]}; they must match"
        )
    check_same_length(X_val, y_val, "X_val", "y_val")
    unknown = np.setdiff1d(y_val, classes)
    if unknown.size:
        raise ValueError(
            f"y_val contains labels that y does not: {unknown[:10].tolist()}; the model "
            f"can only predict {classes.tolist()}"
        )
    return X_val, np.searchsorted(classes, y_val)


# --------------------------------------------------------------------------
# One epoch: shuffle, then one pass of mini-batch steps
# --------------------------------------------------------------------------


def _sgd_epoch(X, T, W, b, order, batch_size, learning_rate, rate_alpha=None):
    """One pass of mini-batch SGD over ``X`` in the given row order; ``W`` and ``b`` change.

    ``T`` holds the one-hot targets; ``learning_rate`` and ``rate_alpha =
    learning_rate * alpha`` (None: no L2 penalty) are scalars of ``X``'s dtype.
    This is notebook 02's step, with softmax and the gradient fused.
    """
    # Overflowing weights are detected once per epoch, when they are measured.
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            X_batch = X[rows]
            Z = X_batch @ W
            Z += b
            P = softmax(Z, check_finite=False)
            # learning_rate * dL/dZ: the gradient step for the scores of this batch.
            step = P - T[rows]
            step *= learning_rate / len(rows)
            # The weights' step X_batch.T @ step, computed as (step.T @ X_batch).T:
            # BLAS adds up in another order for the other form, and this one gives
            # the same bits as earlier versions of this package.
            if rate_alpha is None:
                W -= (step.T @ X_batch).T
            else:  # W -= learning_rate * (grad_W + alpha * W)
                update = (step.T @ X_batch).T
                update += rate_alpha * W
                W -= update
            b -= step.sum(axis=0)


# --------------------------------------------------------------------------
# Measuring an epoch
# --------------------------------------------------------------------------


def _loss_and_accuracy(X, codes, W, b, chunk=4096):
    """Mean cross-entropy and accuracy from one pass of the scores over ``X``.

    The loss is :func:`cross_entropy_from_scores` written out, so that the
    scores, computed once per chunk, serve both numbers; chunking keeps the
    temporaries small and in cache.
    """
    total_loss = 0.0
    correct = 0
    for start in range(0, len(X), chunk):
        Z = X[start : start + chunk] @ W
        Z += b
        truth = codes[start : start + chunk]
        rows = np.arange(len(Z))
        predicted = Z.argmax(axis=1)
        correct += int(np.count_nonzero(predicted == truth))
        # -log p_true = logsumexp(z) - z_true, with the row max taken out first.
        Z -= Z[rows, predicted][:, None]
        log_norm = np.log(np.exp(Z).sum(axis=1, dtype=np.float64))
        total_loss += float((log_norm - Z[rows, truth]).sum())
    return total_loss / len(X), correct / len(X)


def _measure(W, b, X, codes, X_val, val_codes, alpha):
    """The :class:`EpochRecord` of these weights, or :data:`DIVERGED` if they are not finite.

    Both losses include the L2 penalty ``alpha / 2 * ||W||^2``. Without
    validation data the training numbers serve as validation numbers.
    """
    if not (np.isfinite(W).all() and np.isfinite(b).all()):
        return DIVERGED
    penalty = 0.5 * alpha * float(np.square(W, dtype=np.float64).sum()) if alpha else 0.0
    loss, accuracy = _loss_and_accuracy(X, codes, W, b)
    if X_val is None:
        return EpochRecord(loss + penalty, accuracy, loss + penalty, accuracy)
    val_loss, val_accuracy = _loss_and_accuracy(X_val, val_codes, W, b)
    return EpochRecord(loss + penalty, accuracy, val_loss + penalty, val_accuracy)


def _warn_diverged(epoch, best_epoch, learning_rate):
    kept = (
        f"kept the weights of epoch {best_epoch}" if best_epoch
        else "kept the initial all-zero weights"
    )
    warnings.warn(
        f"training diverged in epoch {epoch}: the weights overflowed with "
        f"learning_rate={learning_rate}. Stopped and {kept}; try a smaller "
        "learning_rate, or check that the inputs are scaled (MNIST pixels: 0 to 1).",
        DivergenceWarning,
        stacklevel=3,
    )


# --------------------------------------------------------------------------
# The estimator
# --------------------------------------------------------------------------


class DivergenceWarning(RuntimeWarning):
    """Training was stopped because the weights or the loss stopped being finite."""


class SoftmaxRegression(ClassifierMixin, BaseEstimator):
    r"""Multinomial logistic regression trained by mini-batch SGD with early stopping.

    This is the article's algorithm: weights start at zero; every epoch
    visits the training rows in a fresh random order, ``batch_size`` at a
    time, stepping down the cross-entropy gradient; after every epoch the
    loss and both accuracies are recorded; training stops once validation
    accuracy has not improved for ``patience`` epochs, and the weights of the
    best validation epoch are kept (``restore_best=False`` keeps the last).

    The objective is the mean cross-entropy plus an optional L2 penalty on the
    weights (not on the biases), with scikit-learn's name and convention:

    .. math::

        L(W, b) = \frac{1}{n} \sum_{i=1}^{n} -\log p_{i, y_i}
                  + \frac{\alpha}{2} \lVert W \rVert^2

    Its gradient adds ``alpha * W`` to the cross-entropy gradient, so every
    mini-batch step is ``W -= learning_rate * (grad_W + alpha * W)`` ("weight
    decay": the weights also shrink a little at every step). ``alpha=0``
    (the default) is the article's unregularised model.

    ``fit`` is all or nothing: if it fails or is interrupted (Ctrl-C
    included), the model is left exactly as it was before the call.

    Parameters
    ----------
    learning_rate : float, default 0.24
        Step size of each gradient step (the article's *gakushuuritsu*).
        Together with ``alpha`` it must satisfy ``learning_rate * alpha < 1``.
    max_epochs : int, default 1000
        Upper bound on passes over the training data (*kurikaeshi*).
    batch_size : int or None, default 100
        Rows per gradient step. ``None`` uses all rows at once (full-batch
        gradient descent).
    patience : int or None, default 10
        Stop after this many epochs without a new best validation accuracy.
        ``None`` turns early stopping off and runs all ``max_epochs``.
    random_state : int, numpy.random.Generator or None, default None
        Seed for the per-epoch shuffles. The same seed gives the same history
        and the same weights.
    verbose : int, default 0
        1 prints one line per epoch, as the article does.
    progress : bool, default False
        Show one status line while training (epoch, validation accuracy, best
        so far), rewritten in place, and finish with a line that says how
        training ended, e.g. ``stopped early after epoch 34: no new best for
        10 epochs; kept epoch 24 (validation 92.74%)``.
    alpha : float, default 0.0
        Strength of the L2 penalty ``alpha / 2 * ||W||^2`` on the weights
        (the biases are not penalised); finite and >= 0. Larger values give
        smaller, smoother weights. The recorded losses include the penalty.
    restore_best : bool, default True
        Keep the weights of the epoch with the best validation accuracy (the
        article's rule). False keeps the weights of the last epoch run, so
        that a fixed number of epochs (``patience=None``) means the same
        model with or without validation data: without it, True keeps the
        epoch with the best *training* accuracy.

    Attributes
    ----------
    coef_ : numpy.ndarray of shape (n_classes, n_features)
        Weights of the kept epoch (the best one, or see ``restore_best``). The
        article keeps them as a (785, 10) matrix whose row 0 is the bias:
        ``coef_`` is rows 1: of it, transposed.
    intercept_ : numpy.ndarray of shape (n_classes,)
        Bias of the kept epoch (the article's row 0).
    classes_ : numpy.ndarray
        The distinct labels seen in ``fit``, sorted. Any labels work.
    n_features_in_ : int
    n_iter_ : int
        Epochs actually run.
    best_epoch_ : int
        The 1-based epoch whose weights were kept.
    history_ : TrainingHistory
        Per-epoch ``loss``, ``train_accuracy``, ``val_loss``, ``val_accuracy``.
        Both losses are the objective above: cross-entropy plus the penalty.
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

    def __init__(
        self,
        learning_rate=ARTICLE_SETTINGS["learning_rate"],
        max_epochs=1000,
        batch_size=ARTICLE_SETTINGS["batch_size"],
        patience=ARTICLE_SETTINGS["patience"],
        random_state=None,
        verbose=0,
        progress=False,
        alpha=0.0,
        restore_best=True,
    ):
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

        ``fit`` calls this first. Each parameter has one rule (a table in this
        module) and the rules that span parameters come after, such as
        ``learning_rate * alpha < 1``. The command line and the widgets call
        it to report a bad setting before any data is loaded.

        Raises
        ------
        TypeError, ValueError
            With a one-line message that names the parameter.
        """
        params = {name: rule(getattr(self, name), name) for name, rule in _PARAMETER_RULES.items()}
        _check_together(params)
        return params

    def fit(self, X, y, X_val=None, y_val=None):
        """Train on ``X, y``, validating on ``X_val, y_val`` after every epoch.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            float32 input is kept in float32 (fast, half the memory); anything
            else is converted to float64.
        y : array-like of shape (n_samples,)
            Labels of any kind (ints, strings...); at least two classes.
        X_val, y_val : array-like, optional
            Validation data, used for early stopping and to pick the best
            epoch. Without it the training data serves as validation data.

        Returns
        -------
        self
        """
        p = self.validate_params()
        X, codes, X_val, val_codes, fitted = self._checked_data(X, y, X_val, y_val, p)
        batch_size = p["batch_size"] or len(X)  # None: full-batch gradient descent
        rate, rate_alpha = _step_sizes(p["learning_rate"], p["alpha"], X.dtype, batch_size)
        n_classes = len(fitted["classes_"])
        T = one_hot(codes, n_classes, dtype=X.dtype)
        # Notebook 02's W (features x classes) and b, all zero; W is stored as the
        # transpose of a (classes x features) array, the layout of coef_.
        W = np.zeros((n_classes, X.shape[1]), dtype=X.dtype).T
        b = np.zeros(n_classes, dtype=X.dtype)
        rng = make_rng(self.random_state)
        best_epoch, best_accuracy, best = 0, -1.0, (W.copy(order="K"), b.copy())
        records, diverged = [], False
        report = TrainingReport(p["max_epochs"], p["verbose"], p["progress"])
        # The speed trick: a helper thread measures epoch e while this thread
        # trains epoch e + 1 (NumPy releases the GIL), with one BLAS thread each.
        with report, ThreadPoolExecutor(1) as helper, threadpool_limits(1, "blas"):
            # -- shuffle, then one pass of mini-batch steps (epoch 1 here; each
            #    later epoch is trained while the one before it is measured)
            _sgd_epoch(X, T, W, b, rng.permutation(len(X)), batch_size, rate, rate_alpha)
            for epoch in range(1, p["max_epochs"] + 1):
                weights = W.copy(order="K"), b.copy()
                # -- measure these weights on the helper thread; meanwhile shuffle
                #    and train the next epoch, thrown away if training stops here
                measuring = helper.submit(_measure, *weights, X, codes, X_val, val_codes,
                                          p["alpha"])
                if epoch < p["max_epochs"]:
                    _sgd_epoch(X, T, W, b, rng.permutation(len(X)), batch_size, rate, rate_alpha)
                record = measuring.result()
                if record is DIVERGED:
                    diverged = True
                    break
                records.append(record)
                last = weights
                # -- keep the best
                if record.val_accuracy > best_accuracy:
                    best_epoch, best_accuracy, best = epoch, record.val_accuracy, weights
                report.epoch(epoch, record, best_epoch, best_accuracy)
                # -- patience: stop after `patience` epochs without a new best
                if p["patience"] is not None and epoch - best_epoch >= p["patience"]:
                    break
            if not p["restore_best"] and records:  # keep the last epoch run instead
                best_epoch, best_accuracy, best = len(records), records[-1].val_accuracy, last
            report.done(len(records), best_epoch, best_accuracy, p["patience"], diverged)
        if diverged:
            _warn_diverged(len(records) + 1, best_epoch, p["learning_rate"])
        self._set_fitted(
            fitted, coef_=best[0].T, intercept_=best[1], n_iter_=len(records),
            best_epoch_=best_epoch, history_=TrainingHistory.from_records(records),
            diverged_=diverged,
        )
        return self

    def _checked_data(self, X, y, X_val, y_val, params):
        """Checked arrays and the data's fitted attributes; ``self`` is not touched.

        Returns ``X, codes, X_val, val_codes, fitted`` where ``codes`` are the
        labels as 0..K-1 and ``fitted`` holds ``classes_``, ``n_features_in_``
        (and ``feature_names_in_`` for a DataFrame).
        """
        # validate_data records n_features_in_ (and feature names) on the
        # estimator it is given: give it a copy, so that a failure leaves
        # this model as it was.
        scratch = copy.copy(self)
        check_label_kinds(y, "y")
        X, y = validate_data(scratch, X, y, dtype=[np.float64, np.float32], order="C")
        fitted = {key: value for key, value in vars(scratch).items() if key.endswith("_in_")}
        check_classification_targets(y)
        classes, codes = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(
                "y must contain at least 2 classes to train a classifier; got only one class: "
                f"{classes[0]!r}"
            )
        fitted["classes_"] = classes
        batch_size = params["batch_size"]
        if batch_size is not None and batch_size > len(X):
            raise ValueError(
                f"batch_size={batch_size} is larger than the {len(X)} training samples; "
                "use a smaller batch_size, or batch_size=None for full-batch gradient descent"
            )
        X_val, val_codes = _validation_set(X, classes, X_val, y_val)
        return X, codes, X_val, val_codes, fitted

    def _set_fitted(self, fitted, **attributes):
        """Replace all fitted attributes at once, dropping any left from an earlier fit."""
        state = {key: value for key, value in vars(self).items() if not _is_fitted_name(key)}
        # One assignment: an interrupt lands either before it or after it.
        self.__dict__ = {**state, **fitted, **attributes}

    # -- prediction --------------------------------------------------------

    def _scores(self, X):
        """Logits ``X @ coef_.T + intercept_`` of shape (n_samples, n_classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32], order="C")
        return X @ self.coef_.T.astype(X.dtype, copy=False) + self.intercept_.astype(X.dtype)

    def decision_function(self, X):
        """Class scores (logits), shape (n_samples, n_classes).

        For two classes, scikit-learn's convention is followed instead: a 1-D
        array whose positive entries mean ``classes_[1]``.
        """
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


def _is_fitted_name(name):
    """scikit-learn's convention: fitted attributes end in one underscore."""
    return name.endswith("_") and not name.startswith("_")
