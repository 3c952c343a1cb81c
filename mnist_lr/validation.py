"""k-fold cross-validation written from scratch, and per-epoch curves across folds."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.utils.multiclass import check_classification_targets

from ._checks import check_int, check_label_kinds, check_Xy, make_rng
from ._progress import report_folds
from .model import SoftmaxRegression

__all__ = ["kfold_indices", "kfold_curves", "KFoldCurves"]


def kfold_indices(n_samples, n_splits=5, random_state=None):
    """Split ``range(n_samples)`` into ``n_splits`` train/validation folds.

    As in the article: shuffle the indices once, take the first block for
    validation and the rest for training, then roll the shuffled indices so
    that the next block comes to the front. Fold sizes differ by at most one;
    every index is in exactly one validation block.

    ``n_splits`` lies in 2..n_samples. Returns a list of ``(train_indices,
    val_indices)``.

    >>> folds = kfold_indices(14, n_splits=5, random_state=0)
    >>> [len(val) for _, val in folds]
    [3, 3, 3, 3, 2]
    """
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    n_splits = check_int(n_splits, "n_splits", minimum=2, maximum=n_samples)
    sizes = n_samples // n_splits + (np.arange(n_splits) < n_samples % n_splits)
    order = make_rng(random_state).permutation(n_samples)
    folds = []
    for size in sizes:
        folds.append((order[size:].copy(), order[:size].copy()))
        # Move the block just used to the back. (The article rolls the other way:
        # the same for equal folds, but it skips a sample when they differ.)
        order = np.roll(order, -size)
    return folds


@dataclass
class KFoldCurves:
    """Per-epoch curves of every fold, each of shape (n_folds, n_epochs); accuracies in [0, 1]."""

    train_accuracy: np.ndarray
    val_accuracy: np.ndarray
    loss: np.ndarray

    @property
    def n_folds(self):
        return self.train_accuracy.shape[0]

    @property
    def n_epochs(self):
        return self.train_accuracy.shape[1]

    def summary(self):
        """Mean and standard deviation across folds of the last epoch, as a dict."""
        last_train, last_val = self.train_accuracy[:, -1], self.val_accuracy[:, -1]
        return {"train_mean": float(last_train.mean()), "train_std": float(last_train.std()),
                "val_mean": float(last_val.mean()), "val_std": float(last_val.std()),
                "gap": float(last_train.mean() - last_val.mean())}


def _check_folds_see_every_label(y, folds):
    """Raise ValueError, naming fold and label, if a validation part holds an unseen label."""
    for number, (train, val) in enumerate(folds, start=1):
        unseen = np.setdiff1d(y[val], y[train])
        if unseen.size:
            raise ValueError(
                f"fold {number} of {len(folds)}: label(s) {unseen[:10].tolist()} appear only in "
                "its validation part, so the model trained on that fold never sees them. "
                "Every class needs several samples: use fewer folds (n_splits), another "
                "random_state, or drop the rare classes."
            )


def _run_fold(estimator, X, y, train, val):
    model = clone(estimator).fit(X[train], y[train], X[val], y[val])
    history = model.history_
    return history.train_accuracy, history.val_accuracy, history.loss


def kfold_curves(X, y, estimator=None, *, n_splits=5, epochs=30, random_state=None, n_jobs=None,
                 progress=False):
    """Train a fresh model on each fold for a fixed number of epochs; collect its curves.

    Early stopping is off (``patience=None``) so every fold runs exactly
    ``epochs`` epochs and the curves line up.

    Parameters
    ----------
    X, y : array-like of shape (n_samples, n_features) and (n_samples,)
    estimator : SoftmaxRegression, optional
        Template whose parameters are used (``max_epochs`` and ``patience``
        are overridden). Defaults to ``SoftmaxRegression()``.
    n_splits, epochs : int, default 5 and 30
    random_state : int, numpy.random.Generator or None
        Seeds the folds and each fold's shuffles: the result does not depend on ``n_jobs``.
    n_jobs : int or None
        Folds to train in parallel through joblib (``-1``: all cores). Each worker
        copies a fold's training rows (175 MB for 56,000 images): on Binder's 2 GB, 1 or 2.
    progress : bool, default False
        Show how many folds are done on one line, ending with ``5 folds done``.

    Returns a :class:`KFoldCurves`. Raises ValueError if a fold's validation
    part holds a label its training part lacks, and FloatingPointError if
    training diverges on a fold.

    >>> curves = kfold_curves(X, y, epochs=30, random_state=0)  # doctest: +SKIP
    >>> curves.val_accuracy.shape  # doctest: +SKIP
    (5, 30)
    """
    check_label_kinds(y, "y")
    X, y = check_Xy(X, y, min_samples=2)
    epochs = check_int(epochs, "epochs", minimum=1)
    if estimator is None:
        estimator = SoftmaxRegression()
    if isinstance(estimator, type):
        raise TypeError(f"estimator must be a model, not the class {estimator.__name__} "
                        f"itself; pass {estimator.__name__}() (with its parameters, if any)")
    if not hasattr(estimator, "get_params") or "max_epochs" not in estimator.get_params():
        raise TypeError("estimator must be a SoftmaxRegression (or expose max_epochs/patience)")
    check_classification_targets(y)
    rng = make_rng(random_state)
    folds = kfold_indices(len(y), n_splits, random_state=rng)
    _check_folds_see_every_label(y, folds)
    seeds = rng.integers(0, 2**31 - 1, size=len(folds))
    templates = [clone(estimator).set_params(max_epochs=epochs, patience=None, progress=False,
                                             random_state=int(seed), verbose=0) for seed in seeds]
    from joblib import Parallel, delayed

    jobs = (delayed(_run_fold)(t, X, y, train, val) for t, (train, val) in zip(templates, folds))
    results = Parallel(n_jobs=n_jobs, return_as="generator")(jobs)
    if progress:
        results = report_folds(results, len(folds))
    collected = list(results)
    for fold, (train_acc, _, _) in enumerate(collected, start=1):
        if len(train_acc) < epochs:
            rate = estimator.get_params()["learning_rate"]
            raise FloatingPointError(f"fold {fold} diverged after {len(train_acc)} of {epochs} "
                                     f"epochs (learning_rate={rate}); use a smaller learning_rate")
    train_acc, val_acc, loss = (np.stack(parts) for parts in zip(*collected))
    return KFoldCurves(train_accuracy=train_acc, val_accuracy=val_acc, loss=loss)
