"""k-fold cross-validation from scratch, per-epoch curves across folds, grid-search scores."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.utils.multiclass import check_classification_targets

from ._checks import check_int, check_Xy, make_rng
from ._progress import report_folds
from .model import SoftmaxRegression
from .stats import paired_difference

__all__ = ["kfold_indices", "kfold_curves", "KFoldCurves", "SearchScores", "search_scores"]


def kfold_indices(n_samples, n_splits=5, random_state=None):
    """Split ``range(n_samples)`` into ``n_splits`` (2..n_samples) train/validation folds.

    As in the article: shuffle the indices once, take the first block for validation
    and the rest for training, then roll the next block to the front. Fold sizes differ
    by at most one. Returns a list of ``(train_indices, val_indices)``.

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
        # The used block goes last (the article's opposite roll skips a sample if sizes differ).
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
        """Last-epoch mean and standard deviation (``ddof=0``) across folds, as a dict."""
        last_train, last_val = self.train_accuracy[:, -1], self.val_accuracy[:, -1]
        return {"train_mean": float(last_train.mean()), "train_std": float(last_train.std()),
                "val_mean": float(last_val.mean()), "val_std": float(last_val.std()),
                "gap": float(last_train.mean() - last_val.mean())}


def _run_fold(estimator, X, y, train, val):
    history = clone(estimator).fit(X[train], y[train], X[val], y[val]).history_
    return history.train_accuracy, history.val_accuracy, history.loss


def kfold_curves(X, y, estimator=None, *, n_splits=5, epochs=30, random_state=None, n_jobs=None,
                 progress=False):
    """Train a copy of ``estimator`` (default ``SoftmaxRegression()``) on each fold for
    exactly ``epochs`` epochs, early stopping off; return their curves as :class:`KFoldCurves`.

    ``random_state`` seeds the folds and shuffles, so ``n_jobs`` (folds trained at once by
    joblib, ``-1``: all cores; each copies its training rows, 175 MB for 56,000 images: 1 or 2
    on Binder's 2 GB) changes no result. ``progress`` counts the folds done. Raises ValueError
    if a fold's validation labels are not in its training part, FloatingPointError if one diverges.
    """
    X, y = check_Xy(X, y, min_samples=2)
    epochs = check_int(epochs, "epochs", minimum=1)
    estimator = SoftmaxRegression() if estimator is None else estimator
    check_classification_targets(y)
    rng = make_rng(random_state)
    folds = kfold_indices(len(y), n_splits, random_state=rng)
    for number, (train, val) in enumerate(folds, start=1):
        unseen = np.setdiff1d(y[val], y[train])
        if unseen.size:  # the model trained on this fold could never predict them
            raise ValueError(f"fold {number} of {len(folds)}: label(s) {unseen[:10].tolist()} "
                             "appear only in its validation part, so the model trained on that "
                             "fold never sees them. Every class needs several samples: use fewer "
                             "folds (n_splits), another random_state, or drop the rare classes.")
    seeds = rng.integers(0, 2**31 - 1, size=len(folds))
    templates = [clone(estimator).set_params(max_epochs=epochs, patience=None, progress=False,
                                             random_state=int(seed), verbose=0) for seed in seeds]
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


@dataclass
class SearchScores:
    """Per-fold scores of a search over ``alpha``, each array of shape (n_alphas, n_folds):
    accuracies as fractions, ``val_cross_entropy`` the mean over each fold's validation
    images; ``n_train`` and ``n_val`` are the images per fold (None if unknown)."""

    alphas: list
    train_accuracy: np.ndarray
    val_accuracy: np.ndarray
    val_cross_entropy: np.ndarray | None = None
    n_train: int | None = None
    n_val: int | None = None

    @property
    def chosen(self):
        """The alpha with the highest mean validation accuracy (the first, on a tie)."""
        return self.alphas[int(np.argmax(self.val_accuracy.mean(axis=1)))]

    def _per_fold(self, score):
        parts = {"validation": self.val_accuracy, "training": self.train_accuracy,
                 "gap": self.train_accuracy - self.val_accuracy}
        if score not in parts:
            raise ValueError(f"score must be one of {sorted(parts)}, got {score!r}")
        return 100 * parts[score]

    def difference(self, a, b=0.0, score="validation", corrected=True):
        """``paired_difference`` of alpha ``a`` minus ``b`` in ``score`` ("validation", "training"
        or "gap"), fold by fold, in points; ``corrected``: with the Nadeau-Bengio correction
        for the folds' overlapping training sets (where the fold sizes are known)."""
        rows = self._per_fold(score)
        sizes = dict(n_train=self.n_train, n_test=self.n_val) if corrected else {}
        return paired_difference(rows[self.alphas.index(a)], rows[self.alphas.index(b)], **sizes)

    def compare(self, a, b=0.0):
        """Alpha ``a`` against ``b``, as text: per score, the per-fold differences in points,
        their mean ± standard error (plain, then corrected) and the folds up/down/same."""
        lines = [f"alpha {a:g} minus alpha {b:g}, fold by fold (points);",
                 "mean ± standard error (corrected); folds up/down/same"]
        i, j = self.alphas.index(a), self.alphas.index(b)
        for score in ("training", "validation", "gap"):
            rows = self._per_fold(score)
            per_fold = " ".join(f"{d:+6.2f}" for d in rows[i] - rows[j])
            plain, wide = (self.difference(a, b, score, corrected) for corrected in (False, True))
            lines.append(f"{score:<10s} {per_fold}   {plain.mean:+5.2f} ± {plain.std_error:.2f} "
                         f"({wide.std_error:.2f});  {plain.n_positive}/{plain.n_negative}/"
                         f"{plain.n_tied}")
        return "\n".join(lines)

    def table(self, alphas=None):
        """Mean ± standard deviation (ddof = 1) over the folds, one line per alpha, as text
        (the last column, where recorded: the mean validation cross-entropy)."""
        lines = ["alpha    training (± std)   validation (± std)   gap (± std)"
                 + ("  val. cross-entropy" if self.val_cross_entropy is not None else "")]
        for alpha in self.alphas if alphas is None else alphas:
            i = self.alphas.index(alpha)
            train, val = 100 * self.train_accuracy[i], 100 * self.val_accuracy[i]
            line = (f"{alpha:<7g}  {train.mean():6.2f}% ± {train.std(ddof=1):4.2f}     "
                    f"{val.mean():6.2f}% ± {val.std(ddof=1):4.2f}        "
                    f"{(train - val).mean():5.2f} ± {(train - val).std(ddof=1):4.2f}")
            if self.val_cross_entropy is not None:
                line += f"    {self.val_cross_entropy[i].mean():.3f}"
            lines.append(line)
        return "\n".join(lines)


def search_scores(search):
    """The per-fold scores of a fitted ``GridSearchCV`` over ``alpha``, as :class:`SearchScores`.

    It must have scored "accuracy" (by that name, or as its only score) with
    ``return_train_score=True``; a "cross-entropy" score (``neg_log_loss``) is read too, sign
    turned back. Fold sizes come from ``search.cv`` if it lists the folds."""
    results, n_folds = search.cv_results_, search.n_splits_
    suffix = "_accuracy" if "mean_test_accuracy" in results else "_score"
    if f"split0_train{suffix}" not in results:
        raise ValueError("the search holds no training scores: run it with "
                         "return_train_score=True and an 'accuracy' score")

    def per_fold(part, name):
        return np.array([results[f"split{k}_{part}{name}"] for k in range(n_folds)]).T

    cross_entropy = (-per_fold("test", "_cross-entropy")
                     if "split0_test_cross-entropy" in results else None)
    folds = search.cv if isinstance(search.cv, (list, tuple)) else ()  # not a count or splitter
    sizes = {(len(train), len(val)) for train, val in folds}
    n_train, n_val = sizes.pop() if len(sizes) == 1 else (None, None)
    return SearchScores(alphas=[float(a) for a in results["param_alpha"]],
                        train_accuracy=per_fold("train", suffix),
                        val_accuracy=per_fold("test", suffix),
                        val_cross_entropy=cross_entropy, n_train=n_train, n_val=n_val)
