r"""Softmax (multinomial logistic) regression, written out in NumPy.

For an image :math:`x` (784 pixels) the model computes one score per class,
:math:`z = x W + b`, and turns the scores into probabilities with the softmax
:math:`p_k = e^{z_k} / \sum_j e^{z_j}`. Training lowers the cross-entropy
:math:`-\log p_{\text{true class}}` by mini-batch stochastic gradient descent;
the gradient with respect to the scores is simply :math:`p - t`, where
:math:`t` is the one-hot encoding of the label.

The pieces are public functions (:func:`one_hot`, :func:`softmax`,
:func:`cross_entropy`, :func:`cross_entropy_gradient`) so that each can be
tried on its own; :class:`SoftmaxRegression` puts them together under
scikit-learn's estimator contract.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d, validate_data
from threadpoolctl import threadpool_limits

from ._checks import check_int, check_real, make_rng

__all__ = [
    "one_hot",
    "softmax",
    "cross_entropy",
    "cross_entropy_gradient",
    "TrainingHistory",
    "DivergenceWarning",
    "SoftmaxRegression",
    "ARTICLE_SETTINGS",
]

#: The article's training settings, the defaults of :class:`SoftmaxRegression`
#: and of the command line, the sliders and the benchmark.
ARTICLE_SETTINGS = {"learning_rate": 0.24, "batch_size": 100, "patience": 10}

FORMAT_NAME = "mnist_lr.SoftmaxRegression"
FORMAT_VERSION = 1


# --------------------------------------------------------------------------
# The small pieces
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
    scores = np.asarray(scores)
    if not np.issubdtype(scores.dtype, np.floating):
        if scores.dtype == bool or not np.issubdtype(scores.dtype, np.number):
            raise TypeError(f"scores must be numbers, got dtype {scores.dtype}")
        scores = scores.astype(np.float64)
    if check_finite and not np.isfinite(scores).all():
        raise ValueError("scores must be finite (no NaN or infinity)")
    out = np.subtract(scores, scores.max(axis=-1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=-1, keepdims=True)
    return out


def cross_entropy(probabilities, targets, eps=1e-7):
    """Mean cross-entropy between predicted probabilities and one-hot targets.

    For one sample this is ``-sum_k t_k log(p_k)``, which for a one-hot
    target is just ``-log`` of the probability given to the true class.
    ``eps`` keeps ``log(0)`` from appearing, as in the article.

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
    if probabilities.shape != targets.shape or probabilities.ndim != 2:
        raise ValueError(
            "probabilities and targets must be 2-D arrays of the same shape, got "
            f"{probabilities.shape} and {targets.shape}"
        )
    return float(-(targets * np.log(probabilities + eps)).sum(axis=1).mean())


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
# The estimator
# --------------------------------------------------------------------------


class DivergenceWarning(RuntimeWarning):
    """Training was stopped because the weights or the loss stopped being finite."""


@dataclass
class TrainingHistory:
    """What :meth:`SoftmaxRegression.fit` measured after every epoch.

    Accuracies are fractions in [0, 1]. Losses are the training objective:
    the mean cross-entropy plus the L2 penalty ``alpha / 2 * ||W||^2`` (zero
    unless the model's ``alpha`` is set). Index ``i`` of each array belongs to epoch ``i + 1``.
    """

    loss: np.ndarray = field(default_factory=lambda: np.empty(0))
    train_accuracy: np.ndarray = field(default_factory=lambda: np.empty(0))
    val_loss: np.ndarray = field(default_factory=lambda: np.empty(0))
    val_accuracy: np.ndarray = field(default_factory=lambda: np.empty(0))

    def __len__(self):
        return len(self.loss)

    @property
    def best_epoch(self):
        """1-based epoch with the highest validation accuracy (the first, on ties)."""
        return int(np.argmax(self.val_accuracy)) + 1 if len(self) else 0

    def as_dict(self):
        """The four arrays in a plain dict."""
        return {
            "loss": self.loss,
            "train_accuracy": self.train_accuracy,
            "val_loss": self.val_loss,
            "val_accuracy": self.val_accuracy,
        }


def _loss_and_accuracy(X, codes, coef, intercept, chunk=4096):
    """Mean cross-entropy and accuracy from one pass of logits over ``X``.

    The logits are computed once per chunk and serve both numbers; chunking
    keeps the temporaries small and in cache.
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
        # log p_true = z_true - logsumexp(z), with the row max taken out first.
        Z -= Z[rows, predicted][:, None]
        log_norm = np.log(np.exp(Z).sum(axis=1, dtype=np.float64))
        total_loss += float((log_norm - Z[rows, truth]).sum())
    return total_loss / len(X), correct / len(X)


def _measure(epoch, coef, intercept, X, codes, X_val, val_codes, alpha):
    """Loss and accuracies of one epoch's weights; None if they are not finite.

    Both losses include the L2 penalty ``alpha / 2 * ||coef||^2``.
    """
    if not (np.isfinite(coef).all() and np.isfinite(intercept).all()):
        return epoch, coef, intercept, None
    penalty = 0.5 * alpha * float(np.square(coef, dtype=np.float64).sum()) if alpha else 0.0
    loss, accuracy = _loss_and_accuracy(X, codes, coef, intercept)
    loss += penalty
    if X_val is None:
        return epoch, coef, intercept, (loss, accuracy, loss, accuracy)
    val_loss, val_accuracy = _loss_and_accuracy(X_val, val_codes, coef, intercept)
    return epoch, coef, intercept, (loss, accuracy, val_loss + penalty, val_accuracy)


class _TrainingLog:
    """Per-epoch bookkeeping: the history, the best epoch so far, and when to stop."""

    def __init__(self, patience, verbose, bar):
        self.patience, self.verbose, self.bar = patience, verbose, bar
        self.records = {"loss": [], "train_accuracy": [], "val_loss": [], "val_accuracy": []}
        self.best_accuracy, self.best_epoch, self.since_best = -1.0, 0, 0
        self.best_coef = self.best_intercept = None
        self.diverged_at = None

    def record(self, epoch, coef, intercept, metrics):
        """Log one epoch's measurements; return True when training should stop."""
        if metrics is None:
            self.diverged_at = epoch
            return True
        for key, value in zip(self.records, metrics):
            self.records[key].append(value)
        loss, train_accuracy, _, val_accuracy = metrics
        if val_accuracy > self.best_accuracy:
            self.best_accuracy, self.best_epoch, self.since_best = val_accuracy, epoch, 0
            self.best_coef, self.best_intercept = coef, intercept
        else:
            self.since_best += 1
        best = 100 * self.best_accuracy
        if self.verbose:
            print(
                f"epoch {epoch:4d}  loss {loss:.4f}  train {100 * train_accuracy:6.2f}%  "
                f"val {100 * val_accuracy:6.2f}%  best {best:6.2f}%"
            )
        if self.bar is not None:
            # refresh=False: redraw at tqdm's own pace, not once per epoch (a
            # notebook widget would otherwise send a message every epoch).
            self.bar.set_postfix(
                val=f"{100 * val_accuracy:.2f}%", best=f"{best:.2f}%", refresh=False
            )
            self.bar.update()
        return self.patience is not None and self.since_best >= self.patience


class SoftmaxRegression(ClassifierMixin, BaseEstimator):
    r"""Multinomial logistic regression trained by mini-batch SGD with early stopping.

    This is the article's algorithm: weights start at zero; every epoch
    visits the training rows in a fresh random order, ``batch_size`` at a
    time, stepping down the cross-entropy gradient; after every epoch the
    loss and both accuracies are recorded; training stops once validation
    accuracy has not improved for ``patience`` epochs, and the weights of the
    best validation epoch are kept.

    The objective is the mean cross-entropy plus an optional L2 penalty on the
    weights (not on the biases), with scikit-learn's name and convention:

    .. math::

        L(W, b) = \frac{1}{n} \sum_{i=1}^{n} -\log p_{i, y_i}
                  + \frac{\alpha}{2} \lVert W \rVert^2

    Its gradient adds ``alpha * W`` to the cross-entropy gradient, so every
    mini-batch step is ``W -= learning_rate * (grad_W + alpha * W)``: the
    weights shrink by the factor ``1 - learning_rate * alpha`` before each
    gradient step ("weight decay"). ``alpha=0`` (the default) is the
    article's unregularised model.

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
        Show a progress bar over epochs (a widget in Jupyter).
    alpha : float, default 0.0
        Strength of the L2 penalty ``alpha / 2 * ||W||^2`` on the weights
        (the biases are not penalised); finite and >= 0. Larger values give
        smaller, smoother weights. The recorded losses include the penalty.

    Attributes
    ----------
    coef_ : numpy.ndarray of shape (n_classes, n_features)
        Weights of the best epoch. The article keeps them as a (785, 10)
        matrix whose row 0 is the bias: ``coef_`` is rows 1: of it, transposed.
    intercept_ : numpy.ndarray of shape (n_classes,)
        Bias of the best epoch (the article's row 0).
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
    >>> model = SoftmaxRegression(learning_rate=0.01, max_epochs=20, random_state=0)
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
    ):
        self.learning_rate = learning_rate
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.patience = patience
        self.random_state = random_state
        self.verbose = verbose
        self.progress = progress
        self.alpha = alpha

    # -- checks ------------------------------------------------------------

    def _checked_params(self):
        learning_rate = check_real(self.learning_rate, "learning_rate", positive=True)
        max_epochs = check_int(self.max_epochs, "max_epochs", minimum=1)
        batch_size = check_int(self.batch_size, "batch_size", minimum=1, allow_none=True)
        patience = check_int(self.patience, "patience", allow_none=True)
        if patience is not None and patience < 1:
            raise ValueError(
                f"patience must be >= 1, got {patience}; use patience=None to turn early "
                "stopping off"
            )
        verbose = self.verbose
        verbose = check_int(int(verbose) if isinstance(verbose, bool) else verbose, "verbose",
                            minimum=0)
        if not isinstance(self.progress, (bool, np.bool_)):
            raise TypeError(f"progress must be True or False, got {self.progress!r}")
        alpha = check_real(self.alpha, "alpha")
        if alpha < 0:
            raise ValueError(f"alpha must be >= 0, got {alpha}; use alpha=0 for no penalty")
        if learning_rate * alpha >= 1:
            raise ValueError(
                f"learning_rate * alpha must be < 1, got {learning_rate} * {alpha} = "
                f"{learning_rate * alpha:g}: each step would shrink the weights by the factor "
                "1 - learning_rate * alpha <= 0; use a smaller alpha or learning_rate"
            )
        return learning_rate, max_epochs, batch_size, patience, verbose, alpha

    def _validation_set(self, X, X_val, y_val):
        if (X_val is None) != (y_val is None):
            given, missing = ("X_val", "y_val") if y_val is None else ("y_val", "X_val")
            raise ValueError(f"{given} was given without {missing}; pass both or neither")
        if X_val is None:
            return None, None
        X_val = check_array(X_val, dtype=X.dtype, order="C", input_name="X_val")
        y_val = column_or_1d(y_val, warn=True)
        if X_val.shape[1] != X.shape[1]:
            raise ValueError(
                f"X_val has {X_val.shape[1]} features but X has {X.shape[1]}; they must match"
            )
        if len(X_val) != len(y_val):
            raise ValueError(
                f"X_val and y_val have different lengths: {len(X_val)} rows vs {len(y_val)} labels"
            )
        unknown = np.setdiff1d(y_val, self.classes_)
        if unknown.size:
            raise ValueError(
                f"y_val contains labels that y does not: {unknown[:10].tolist()}; the model "
                f"can only predict {self.classes_.tolist()}"
            )
        return X_val, np.searchsorted(self.classes_, y_val)

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
        learning_rate, max_epochs, batch_size, patience, verbose, alpha = self._checked_params()
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], order="C")
        check_classification_targets(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                "y must contain at least 2 classes to train a classifier; got only one class: "
                f"{self.classes_[0]!r}"
            )
        X_val, val_codes = self._validation_set(X, X_val, y_val)
        n_samples, n_features = X.shape
        if batch_size is None:
            batch_size = n_samples
        elif batch_size > n_samples:
            raise ValueError(
                f"batch_size={batch_size} is larger than the {n_samples} training samples; "
                "use a smaller batch_size, or batch_size=None for full-batch gradient descent"
            )

        dtype = X.dtype
        n_classes = len(self.classes_)
        # The article keeps one (785, 10) matrix whose row 0 is the bias; here
        # the bias is separate and the weights are stored class by feature.
        coef = np.zeros((n_classes, n_features), dtype=dtype)
        intercept = np.zeros(n_classes, dtype=dtype)
        rng = make_rng(self.random_state)
        step = dtype.type(learning_rate)
        # Weight decay: the alpha * W part of the gradient step, as a factor.
        shrink = dtype.type(1 - learning_rate * alpha) if alpha else None

        bar = None
        if self.progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=max_epochs, desc="training", unit="epoch", leave=False)
        log = _TrainingLog(patience, verbose, bar)
        # Measuring epoch e (a full pass over the data) and training epoch e + 1
        # are independent, so a helper thread measures on the second core while
        # this one trains (NumPy releases the GIL inside its array routines).
        # Each side gets one BLAS thread so that they do not compete.
        try:
            with ThreadPoolExecutor(max_workers=1) as helper, threadpool_limits(1, "blas"):
                measuring = None
                for epoch in range(1, max_epochs + 1):
                    with np.errstate(over="ignore", invalid="ignore"):
                        order = rng.permutation(n_samples)
                        _sgd_epoch(X, codes, coef, intercept, order, batch_size, step, shrink)
                    if measuring is not None and log.record(*measuring.result()):
                        break  # the epoch just trained comes after the stop: discard it
                    measuring = helper.submit(
                        _measure, epoch, coef.copy(), intercept.copy(), X, codes, X_val, val_codes,
                        alpha,
                    )
                else:
                    log.record(*measuring.result())
        finally:
            if bar is not None:
                bar.close()

        self.diverged_ = log.diverged_at is not None
        if self.diverged_:
            kept = (
                f"kept the weights of epoch {log.best_epoch}" if log.best_epoch
                else "kept the initial all-zero weights"
            )
            warnings.warn(
                f"training diverged in epoch {log.diverged_at}: the weights overflowed with "
                f"learning_rate={learning_rate}. Stopped and {kept}; try a smaller "
                "learning_rate, or check that the inputs are scaled (MNIST pixels: 0 to 1).",
                DivergenceWarning,
                stacklevel=2,
            )
        if log.best_coef is None:  # diverged in the very first epoch
            log.best_coef, log.best_intercept = np.zeros_like(coef), np.zeros_like(intercept)
        self.coef_ = log.best_coef
        self.intercept_ = log.best_intercept
        self.n_iter_ = len(log.records["loss"])
        self.best_epoch_ = log.best_epoch
        self.history_ = TrainingHistory(**{k: np.asarray(v) for k, v in log.records.items()})
        return self

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
        """Natural log of :meth:`predict_proba`, computed stably."""
        scores = self._scores(X)
        scores -= scores.max(axis=1, keepdims=True)
        return scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))

    def predict(self, X):
        """The most probable class of each row, as a label from ``classes_``."""
        scores = self._scores(X)
        return self.classes_[scores.argmax(axis=1)]

    # -- saving ------------------------------------------------------------

    def save(self, path):
        """Save the trained model to a ``.npz`` file, atomically, without pickle.

        The file holds named arrays: ``format`` and ``format_version``,
        ``coef``, ``intercept``, ``classes``, the four history arrays,
        ``n_iter``, ``best_epoch`` and ``params`` (the constructor parameters
        as JSON). It is written to a temporary file beside ``path`` and
        renamed over it only when complete, so an interrupted save never
        destroys an earlier file.

        Parameters
        ----------
        path : str or path-like
            Destination; ``.npz`` is not added automatically.

        Returns
        -------
        pathlib.Path
        """
        check_is_fitted(self)
        path = Path(path)
        classes = np.asarray(self.classes_)
        if classes.dtype == object:
            try:
                classes = classes.astype(str) if all(isinstance(c, str) for c in classes) else None
            except (TypeError, ValueError):
                classes = None
            if classes is None:
                raise ValueError(
                    "classes_ mixes label types; only numeric or string labels can be saved"
                )
        params = {
            key: value.item() if isinstance(value, np.generic) else value
            for key, value in self.get_params().items()
        }
        if not isinstance(params["random_state"], (int, type(None))):
            # A Generator has no portable form; the weights are what matter.
            params["random_state"] = None
        arrays = {
            "format": np.array(FORMAT_NAME),
            "format_version": np.array(FORMAT_VERSION),
            "coef": self.coef_,
            "intercept": self.intercept_,
            "classes": classes,
            "n_iter": np.array(self.n_iter_),
            "best_epoch": np.array(self.best_epoch_),
            "diverged": np.array(bool(getattr(self, "diverged_", False))),
            "params": np.array(json.dumps(params)),
            **{f"history_{k}": v for k, v in self.history_.as_dict().items()},
        }
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            # mkstemp makes the file private (0600); give it the usual permissions.
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
            with os.fdopen(fd, "wb") as handle:
                np.savez(handle, **arrays)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    @classmethod
    def load(cls, path):
        """Load a model written by :meth:`save`.

        Raises
        ------
        ValueError
            If the file is not a complete model file of a known format version.
        """
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as stored:
                data = {key: stored[key] for key in stored.files}
        except FileNotFoundError:
            raise
        except Exception as exc:  # zipfile.BadZipFile, OSError, ValueError, EOFError...
            raise ValueError(f"{path} is not a readable model file ({exc})") from exc
        if str(data.get("format", "")) != FORMAT_NAME:
            raise ValueError(f"{path} is not a {FORMAT_NAME} file")
        version = int(data["format_version"])
        if version != FORMAT_VERSION:
            raise ValueError(
                f"{path} has format version {version}; this mnist_lr reads version {FORMAT_VERSION}"
            )
        required = {"coef", "intercept", "classes", "n_iter", "best_epoch", "params"}
        missing = required - data.keys()
        if missing:
            raise ValueError(f"{path} lacks the arrays {sorted(missing)}")
        coef, intercept, classes = data["coef"], data["intercept"], data["classes"]
        if coef.ndim != 2 or intercept.shape != (len(coef),) or classes.shape != (len(coef),):
            raise ValueError(
                f"{path} is inconsistent: coef {coef.shape}, intercept {intercept.shape}, "
                f"classes {classes.shape}"
            )
        model = cls(**json.loads(str(data["params"])))
        model.coef_, model.intercept_, model.classes_ = coef, intercept, classes
        model.n_features_in_ = coef.shape[1]
        model.n_iter_ = int(data["n_iter"])
        model.best_epoch_ = int(data["best_epoch"])
        model.diverged_ = bool(data.get("diverged", False))
        model.history_ = TrainingHistory(
            **{k: data.get(f"history_{k}", np.empty(0)) for k in TrainingHistory().as_dict()}
        )
        return model

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = False
        return tags


def _sgd_epoch(X, codes, coef, intercept, order, batch_size, learning_rate, shrink=None):
    """One pass of mini-batch SGD over ``X`` in the given row order, updating in place.

    ``shrink`` (``1 - learning_rate * alpha``, or None for no penalty)
    multiplies the weights before each gradient step: the L2 penalty's part.
    """
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        X_batch = X[rows]
        # Scores, then probabilities, computed in place in one small buffer.
        P = X_batch @ coef.T
        P += intercept
        softmax(P, out=P, check_finite=False)
        # d(loss)/d(scores) = p - t: subtract 1 at each row's true class.
        P[np.arange(len(rows)), codes[rows]] -= 1
        P *= learning_rate / len(rows)
        if shrink is not None:
            coef *= shrink
        coef -= P.T @ X_batch
        intercept -= P.sum(axis=0)
