r"""Softmax (multinomial logistic) regression, written out in NumPy.

For an image :math:`x` (784 pixels) the model computes one score per class,
:math:`z = x W + b`, and turns the scores into probabilities with the softmax
:math:`p_k = e^{z_k} / \sum_j e^{z_j}`. Training lowers the cross-entropy
:math:`-\log p_{\text{true class}}` by mini-batch stochastic gradient descent;
the gradient with respect to the scores is simply :math:`p - t`, where
:math:`t` is the one-hot encoding of the label.

The module reads top to bottom: first the math as small public functions
(:func:`one_hot`, :func:`softmax`, :func:`log_softmax`, :func:`cross_entropy`,
:func:`cross_entropy_from_scores`, :func:`cross_entropy_gradient`), each of
which can be tried on its own; then the training step that fuses them; then
how an epoch is measured; and last :class:`SoftmaxRegression`, which puts
them together under scikit-learn's estimator contract. Saving and loading
live in :mod:`mnist_lr.persistence`.
"""

from __future__ import annotations

import copy
import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
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
# The training step
# --------------------------------------------------------------------------


def _sgd_epoch(X, codes, coef, intercept, order, batch_size, learning_rate, decay=None):
    """One pass of mini-batch SGD over ``X`` in the given row order, updating in place.

    ``coef`` is stored class by feature (``W.T``); ``codes`` are the labels as
    0..K-1; ``learning_rate`` (and ``decay = learning_rate * alpha``, or None
    for no L2 penalty) are scalars of ``X``'s dtype.
    """
    # Overflowing weights are detected once per epoch, by the caller.
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            X_batch = X[rows]
            # This fuses softmax and cross_entropy_gradient into one buffer P,
            # with the one-hot targets never built: P = softmax(scores) - T,
            # then scaled so that P.T @ X_batch is learning_rate * grad_W.
            P = X_batch @ coef.T
            P += intercept
            softmax(P, out=P, check_finite=False)
            P[np.arange(len(rows)), codes[rows]] -= 1
            P *= learning_rate / len(rows)
            if decay is None:
                coef -= P.T @ X_batch
            else:  # W -= learning_rate * (grad_W + alpha * W)
                update = P.T @ X_batch
                update += decay * coef
                coef -= update
            intercept -= P.sum(axis=0)


# --------------------------------------------------------------------------
# Measuring an epoch
# --------------------------------------------------------------------------


class EpochRecord(NamedTuple):
    """The four numbers measured after one epoch, in the order of :class:`TrainingHistory`."""

    loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float


@dataclass
class TrainingHistory:
    """What :meth:`SoftmaxRegression.fit` measured after every epoch.

    Accuracies are fractions in [0, 1]. Losses are the training objective:
    the mean cross-entropy (:func:`cross_entropy_from_scores`) plus the L2
    penalty ``alpha / 2 * ||W||^2`` (zero unless the model's ``alpha`` is
    set). Index ``i`` of each array belongs to epoch ``i + 1``.
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
        """The four arrays in a plain dict, in the order of :class:`EpochRecord`."""
        return {name: getattr(self, name) for name in EpochRecord._fields}


def _loss_and_accuracy(X, codes, coef, intercept, chunk=4096):
    """Mean cross-entropy and accuracy from one pass of the scores over ``X``.

    The loss is :func:`cross_entropy_from_scores` written out, so that the
    scores, computed once per chunk, serve both numbers; chunking keeps the
    temporaries small and in cache.
    """
    total_loss = 0.0
    correct = 0
    for start in range(0, len(X), chunk):
        Z = X[start : start + chunk] @ coef.T
        Z += intercept
        truth = codes[start : start + chunk]
        rows = np.arange(len(Z))
        predicted = Z.argmax(axis=1)
        correct += int(np.count_nonzero(predicted == truth))
        # -log p_true = logsumexp(z) - z_true, with the row max taken out first.
        Z -= Z[rows, predicted][:, None]
        log_norm = np.log(np.exp(Z).sum(axis=1, dtype=np.float64))
        total_loss += float((log_norm - Z[rows, truth]).sum())
    return total_loss / len(X), correct / len(X)


def _measure(coef, intercept, X, codes, X_val, val_codes, alpha):
    """The :class:`EpochRecord` of these weights, or None if they are not finite.

    Both losses include the L2 penalty ``alpha / 2 * ||coef||^2``. Without
    validation data the training numbers serve as validation numbers.
    """
    if not (np.isfinite(coef).all() and np.isfinite(intercept).all()):
        return None
    penalty = 0.5 * alpha * float(np.square(coef, dtype=np.float64).sum()) if alpha else 0.0
    loss, accuracy = _loss_and_accuracy(X, codes, coef, intercept)
    if X_val is None:
        return EpochRecord(loss + penalty, accuracy, loss + penalty, accuracy)
    val_loss, val_accuracy = _loss_and_accuracy(X_val, val_codes, coef, intercept)
    return EpochRecord(loss + penalty, accuracy, val_loss + penalty, val_accuracy)


def _measured_epochs(train_one_epoch, measure, max_epochs):
    """Run ``train_one_epoch`` up to ``max_epochs`` times; yield each result with its measurement.

    Yields ``(epoch, weights, record)`` where ``weights = train_one_epoch()``
    and ``record = measure(*weights)``, for epochs 1, 2, ... in order, as if
    each epoch were trained and then measured.

    What it hides: measuring epoch e (a full pass over the data) and training
    epoch e + 1 are independent, so a helper thread measures while this one
    trains (NumPy releases the GIL inside its array routines), which saves
    about a third of the time per epoch on two cores. Each side gets one BLAS
    thread so that they do not compete. So epoch e + 1 has already been
    trained when epoch e is yielded; if the caller stops there, it is thrown
    away. Closing the generator (or an exception, Ctrl-C included) waits for
    the helper thread to finish, so no thread outlives it.
    """
    with ThreadPoolExecutor(max_workers=1) as helper, threadpool_limits(1, "blas"):
        pending = None
        for epoch in range(1, max_epochs + 1):
            weights = train_one_epoch()
            if pending is not None:
                yield pending[0], pending[1], pending[2].result()
            pending = (epoch, weights, helper.submit(measure, *weights))
        yield pending[0], pending[1], pending[2].result()


# --------------------------------------------------------------------------
# The estimator
# --------------------------------------------------------------------------


class DivergenceWarning(RuntimeWarning):
    """Training was stopped because the weights or the loss stopped being finite."""


class _Settings(NamedTuple):
    learning_rate: float
    max_epochs: int
    batch_size: int | None
    patience: int | None
    verbose: int
    progress: bool
    alpha: float
    restore_best: bool


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
        settings = self._checked_params()
        X, codes, X_val, val_codes, fitted = self._checked_data(X, y, X_val, y_val, settings)
        batch_size = settings.batch_size or len(X)  # None: full-batch gradient descent
        step, decay = _step_sizes(settings, X.dtype, batch_size)
        # Weights start at zero, stored class by feature, with the bias apart
        # (the article's (785, 10) matrix holds the bias as its row 0).
        coef = np.zeros((len(fitted["classes_"]), X.shape[1]), dtype=X.dtype)
        intercept = np.zeros(len(coef), dtype=X.dtype)
        rng = make_rng(self.random_state)

        def train_one_epoch():
            order = rng.permutation(len(X))  # a fresh shuffle every epoch
            _sgd_epoch(X, codes, coef, intercept, order, batch_size, step, decay)
            return coef.copy(), intercept.copy()

        def measure(coef, intercept):
            return _measure(coef, intercept, X, codes, X_val, val_codes, settings.alpha)

        records, diverged_at = [], None
        best_epoch, best_accuracy, best_weights = 0, -1.0, (coef.copy(), intercept.copy())
        report = TrainingReport(settings.max_epochs, settings.verbose, settings.progress)
        epochs = _measured_epochs(train_one_epoch, measure, settings.max_epochs)
        with report, closing(epochs):
            for epoch, weights, record in epochs:
                if record is None:  # the weights overflowed
                    diverged_at = epoch
                    break
                records.append(record)
                last_weights = weights
                if record.val_accuracy > best_accuracy:  # a new best
                    best_epoch, best_accuracy, best_weights = epoch, record.val_accuracy, weights
                report.epoch(epoch, record, best_epoch, best_accuracy)
                if settings.patience is not None and epoch - best_epoch >= settings.patience:
                    break  # patience has run out
            if not settings.restore_best and records:  # keep the last epoch run instead
                best_epoch, best_accuracy = len(records), records[-1].val_accuracy
                best_weights = last_weights
            report.done(len(records), best_epoch, best_accuracy, settings.patience,
                        diverged_at is not None)
        if diverged_at is not None:
            _warn_diverged(diverged_at, best_epoch, settings.learning_rate)
        self._set_fitted(
            fitted, coef_=best_weights[0], intercept_=best_weights[1], n_iter_=len(records),
            best_epoch_=best_epoch, history_=TrainingHistory.from_records(records),
            diverged_=diverged_at is not None,
        )
        return self

    def _checked_params(self):
        learning_rate = check_real(self.learning_rate, "learning_rate", positive=True)
        alpha = check_real(self.alpha, "alpha")
        if alpha < 0:
            raise ValueError(f"alpha must be >= 0, got {alpha}; use alpha=0 for no penalty")
        if learning_rate * alpha >= 1:
            raise ValueError(
                f"learning_rate * alpha must be < 1, got {learning_rate} * {alpha} = "
                f"{learning_rate * alpha:g}: the penalty's step alone would flip or zero the "
                "weights; use a smaller alpha or learning_rate"
            )
        patience = check_int(self.patience, "patience", allow_none=True)
        if patience is not None and patience < 1:
            raise ValueError(
                f"patience must be >= 1, got {patience}; use patience=None to turn early "
                "stopping off"
            )
        verbose = self.verbose
        verbose = check_int(int(verbose) if isinstance(verbose, bool) else verbose, "verbose",
                            minimum=0)
        for name in ("progress", "restore_best"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise TypeError(f"{name} must be True or False, got {getattr(self, name)!r}")
        return _Settings(
            learning_rate=learning_rate,
            max_epochs=check_int(self.max_epochs, "max_epochs", minimum=1),
            batch_size=check_int(self.batch_size, "batch_size", minimum=1, allow_none=True),
            patience=patience,
            verbose=verbose,
            progress=bool(self.progress),
            alpha=alpha,
            restore_best=bool(self.restore_best),
        )

    def _checked_data(self, X, y, X_val, y_val, settings):
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
        batch_size = settings.batch_size
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

    # -- saving ------------------------------------------------------------

    def save(self, path):
        """Save the trained model to a ``.npz`` file, atomically, without pickle.

        See :func:`mnist_lr.persistence.save_model` for the file's contents.

        Parameters
        ----------
        path : str or path-like
            Destination; ``.npz`` is not added automatically.

        Returns
        -------
        pathlib.Path
        """
        from .persistence import save_model

        return save_model(self, path)

    @classmethod
    def load(cls, path):
        """Load a model written by :meth:`save` (see :func:`mnist_lr.persistence.load_model`).

        Raises
        ------
        ValueError
            If the file is not a complete, valid model file of a known format version.
        """
        from .persistence import load_model

        return load_model(path, cls)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = False
        return tags


def _is_fitted_name(name):
    """scikit-learn's convention: fitted attributes end in one underscore."""
    return name.endswith("_") and not name.startswith("_")


def _step_sizes(settings, dtype, batch_size):
    """The learning rate and ``learning_rate * alpha`` as scalars of the data's dtype.

    Raises ``ValueError`` if either rounds to zero there (1e-50 is 0 in
    float32), which would silently train nothing.
    """
    step = dtype.type(settings.learning_rate)
    if step / batch_size == 0:
        raise ValueError(
            f"learning_rate={settings.learning_rate} is too small for {dtype} data: "
            f"learning_rate / batch_size rounds to 0, so training would change nothing; "
            "use a larger learning_rate" + (", or float64 data" if dtype == np.float32 else "")
        )
    if not settings.alpha:
        return step, None
    decay = dtype.type(settings.learning_rate * settings.alpha)
    if decay == 0:
        raise ValueError(
            f"learning_rate * alpha = {settings.learning_rate * settings.alpha:g} is 0 in "
            f"{dtype}, so the penalty would do nothing; use a larger alpha, or alpha=0"
        )
    return step, decay


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
