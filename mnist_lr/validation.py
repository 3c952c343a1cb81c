"""k-fold cross-validation written from scratch, and per-epoch curves across folds."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.utils.multiclass import check_classification_targets

from ._checks import check_int, check_Xy, make_rng
from ._progress import report_folds
from .model import SoftmaxRegression
from .stats import paired_difference

__all__ = ["kfold_indices", "kfold_curves", "KFoldCurves", "SearchScores", "search_scores"]


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
        """Mean and standard deviation across folds of the last epoch, as a dict.

        The standard deviation divides by the number of folds (NumPy's default,
        ``ddof=0``), not by one less: it describes these folds' spread and is a
        little smaller than the sample estimate (``ddof=1``).
        """
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


@dataclass
class SearchScores:
    """Per-fold scores of a search over ``alpha``, each array of shape (n_alphas, n_folds).

    Accuracies are fractions; ``val_cross_entropy`` is the mean cross-entropy
    of each fold's validation images (None if the search did not record it).
    ``n_train`` and ``n_val`` are the images per fold (None if unknown).
    """

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

    def _row(self, alpha):
        return self.alphas.index(alpha)

    def _per_fold(self, score):
        parts = {"validation": self.val_accuracy, "training": self.train_accuracy,
                 "gap": self.train_accuracy - self.val_accuracy}
        if score not in parts:
            raise ValueError(f"score must be one of {sorted(parts)}, got {score!r}")
        return 100 * parts[score]

    def difference(self, a, b=0.0, score="validation", corrected=True):
        """``paired_difference`` of alpha ``a`` minus alpha ``b``, fold by fold, in points.

        ``score`` is "validation", "training" or "gap" (training minus validation).
        With ``corrected`` (and the fold sizes known) the standard error carries
        the Nadeau-Bengio correction for the folds' overlapping training sets.
        """
        rows = self._per_fold(score)
        sizes = dict(n_train=self.n_train, n_test=self.n_val) if corrected else {}
        return paired_difference(rows[self._row(a)], rows[self._row(b)], **sizes)

    def compare(self, a, b=0.0):
        """Alpha ``a`` against ``b`` on the same folds, as text: the per-fold differences in
        points, their mean ± standard error (plain, and corrected where the fold sizes are
        known) and how many folds went up, down or stayed the same."""
        lines = [f"alpha {a:g} minus alpha {b:g}, fold by fold (points);",
                 "mean ± standard error (corrected); folds up/down/same"]
        for score in ("training", "validation", "gap"):
            rows = self._per_fold(score)
            per_fold = " ".join(f"{d:+6.2f}" for d in rows[self._row(a)] - rows[self._row(b)])
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
            i = self._row(alpha)
            train, val = 100 * self.train_accuracy[i], 100 * self.val_accuracy[i]
            gap = train - val
            line = (f"{alpha:<7g}  {train.mean():6.2f}% ± {train.std(ddof=1):4.2f}     "
                    f"{val.mean():6.2f}% ± {val.std(ddof=1):4.2f}        "
                    f"{gap.mean():5.2f} ± {gap.std(ddof=1):4.2f}")
            if self.val_cross_entropy is not None:
                line += f"    {self.val_cross_entropy[i].mean():.3f}"
            lines.append(line)
        return "\n".join(lines)


def _fold_sizes(cv):
    """(n_train, n_val) if every fold of ``cv`` (a list of index pairs) has the same sizes."""
    try:
        sizes = {(len(train), len(val)) for train, val in cv}
    except TypeError:  # an int or a splitter object: the sizes are not at hand
        return None, None
    return sizes.pop() if len(sizes) == 1 else (None, None)


def search_scores(search):
    """The per-fold scores of a fitted ``GridSearchCV`` over ``alpha``, as :class:`SearchScores`.

    The search must have scored "accuracy" (by that name, or as its only
    score) with ``return_train_score=True``; a score named "cross-entropy"
    (``neg_log_loss``) is read too, with its sign turned back. Fold sizes are
    read from ``search.cv`` when it is a list of (train, validation) index pairs.

    >>> from sklearn.model_selection import GridSearchCV  # doctest: +SKIP
    >>> search = GridSearchCV(SoftmaxRegression(), {"alpha": [0.0, 0.01]}, cv=folds,
    ...                       scoring={"accuracy": "accuracy"}, refit="accuracy",
    ...                       return_train_score=True).fit(X, y)  # doctest: +SKIP
    >>> print(search_scores(search).table())  # doctest: +SKIP
    """
    results, n_folds = search.cv_results_, search.n_splits_
    suffix = "_accuracy" if "mean_test_accuracy" in results else "_score"
    if f"split0_train{suffix}" not in results:
        raise ValueError("the search holds no training scores: run it with "
                         "return_train_score=True and an 'accuracy' score")

    def per_fold(part, name):
        return np.array([results[f"split{k}_{part}{name}"] for k in range(n_folds)]).T

    cross_entropy = None
    if "split0_test_cross-entropy" in results:
        cross_entropy = -per_fold("test", "_cross-entropy")
    n_train, n_val = _fold_sizes(search.cv)
    return SearchScores(alphas=[float(a) for a in results["param_alpha"]],
                        train_accuracy=per_fold("train", suffix),
                        val_accuracy=per_fold("test", suffix),
                        val_cross_entropy=cross_entropy, n_train=n_train, n_val=n_val)
