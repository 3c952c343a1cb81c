"""k-fold splitting from scratch, the per-fold training curves, and a grid search's scores."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV

from mnist_lr import KFoldCurves, SoftmaxRegression, kfold_curves, kfold_indices
from mnist_lr.stats import paired_difference
from mnist_lr.validation import search_scores


@pytest.mark.parametrize("n_samples, n_splits",
                         [(70000, 5), (14, 5), (700, 5), (11, 3), (10, 10), (10, 2), (2, 2)])
def test_every_sample_is_validated_exactly_once(n_samples, n_splits):
    folds = kfold_indices(n_samples, n_splits, random_state=0)
    assert len(folds) == n_splits
    validated = np.concatenate([val for _, val in folds])
    np.testing.assert_array_equal(np.sort(validated), np.arange(n_samples))
    sizes = [len(val) for _, val in folds]
    assert max(sizes) - min(sizes) <= 1
    for train, val in folds:
        np.testing.assert_array_equal(np.sort(np.concatenate([train, val])), np.arange(n_samples))


def test_folds_are_consecutive_blocks_of_one_seeded_shuffle():
    # 14 samples in 5 folds: blocks of 3, 3, 3, 3, 2, one after the other.
    folds = kfold_indices(14, 5, random_state=0)
    order = np.concatenate([val for _, val in folds])
    np.testing.assert_array_equal(order, np.random.default_rng(0).permutation(14))
    same, other = kfold_indices(14, 5, random_state=0), kfold_indices(14, 5, random_state=1)
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(folds, same))
    assert not all(np.array_equal(a[1], b[1]) for a, b in zip(folds, other))
    assert len(kfold_indices(50, random_state=0)) == 5  # the default


@pytest.mark.parametrize(
    "n_samples, n_splits, error, match",
    [(10, 1, ValueError, "n_splits must be >= 2"), (3, 4, ValueError, "n_splits must be <= 3"),
     (1, 2, ValueError, "n_samples must be >= 2"), (10, 2.5, TypeError, "n_splits"),
     ("10", 2, TypeError, "n_samples")],
)
def test_kfold_rejects_bad_arguments(n_samples, n_splits, error, match):
    with pytest.raises(error, match=match):
        kfold_indices(n_samples, n_splits)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


def test_each_fold_is_trained_with_a_seed_drawn_after_the_folds(digits):
    # One generator draws the folds, then a seed per fold: the curves follow from
    # random_state alone, whatever n_jobs is. The template's early stopping is off.
    X, y = digits
    template = SoftmaxRegression(learning_rate=0.1, batch_size=50, patience=1, max_epochs=2)
    curves = kfold_curves(X, y, template, n_splits=3, epochs=4, random_state=7, n_jobs=2)
    assert isinstance(curves, KFoldCurves) and (curves.n_folds, curves.n_epochs) == (3, 4)
    rng = np.random.default_rng(7)
    folds = kfold_indices(len(y), 3, random_state=rng)
    seeds = rng.integers(0, 2**31 - 1, size=3)
    for fold, ((train, val), seed) in enumerate(zip(folds, seeds)):
        model = clone(template).set_params(max_epochs=4, patience=None, random_state=int(seed))
        history = model.fit(X[train], y[train], X[val], y[val]).history_
        for name in ("train_accuracy", "val_accuracy", "loss"):
            np.testing.assert_array_equal(getattr(curves, name)[fold], getattr(history, name))
    assert (curves.val_accuracy[:, -1] > 0.85).all()


def test_summary_is_taken_at_the_last_epoch():
    curves = KFoldCurves(train_accuracy=np.array([[0.1, 0.5, 0.9], [0.2, 0.6, 0.7]]),
                         val_accuracy=np.array([[0.0, 0.4, 0.8], [0.3, 0.5, 0.6]]),
                         loss=np.ones((2, 3)))
    assert (curves.n_folds, curves.n_epochs) == (2, 3)
    assert curves.summary() == pytest.approx(
        {"train_mean": 0.8, "train_std": 0.1, "val_mean": 0.7, "val_std": 0.1, "gap": 0.1})


def test_the_folds_are_silent_and_progress_changes_no_result(digits, capsys):
    X, y = digits[0][:100], digits[1][:100]
    template = SoftmaxRegression(batch_size=10, verbose=1, progress=True)  # asks for output
    quiet = kfold_curves(X, y, template, random_state=0)
    assert capsys.readouterr() == ("", "")
    assert (quiet.n_folds, quiet.n_epochs) == (5, 30)  # the defaults
    shown = kfold_curves(X, y, template, random_state=0, progress=True)
    assert capsys.readouterr().out.endswith("5 folds done\n")
    np.testing.assert_array_equal(quiet.val_accuracy, shown.val_accuracy)


@pytest.mark.parametrize(
    "make_args, kwargs, error, match",
    [
        (lambda X, y: (X[:, 0], y), {}, ValueError, "X must be 2-D"),
        (lambda X, y: (X, y[:-1]), {}, ValueError, "different lengths"),
        (lambda X, y: (X[:1], y[:1]), {}, ValueError, "X needs at least 2 samples"),
        (lambda X, y: (X[:20], [0, "a"] * 10), {}, ValueError, "^y mixes label types"),
        (lambda X, y: (X[:20], [0, 1, None, 1] * 5), {}, ValueError, "^y mixes label types"),
        (lambda X, y: (X, np.linspace(0, 1, len(y))), {}, ValueError, "continuous"),
        # "epochs", not the model's "max_epochs": the error comes before any training.
        (lambda X, y: (X, y), {"epochs": 0}, ValueError, r"(?<![_\w])epochs must be >= 1"),
        (lambda X, y: (X, y), {"epochs": 1.5}, TypeError, "epochs must be an integer"),
        (lambda X, y: (X, y), {"n_splits": 1}, ValueError, "n_splits must be >= 2"),
    ],
)
def test_kfold_curves_rejects_bad_arguments(digits, make_args, kwargs, error, match):
    X, y = digits
    with pytest.raises(error, match=match):
        kfold_curves(*make_args(X[:50], y[:50]), **kwargs)


@pytest.mark.parametrize("labels", [[0, 1] * 9 + [0, 2], ["a", "b"] * 9 + ["a", "c"]])
def test_a_label_missing_from_a_training_part_names_fold_label_and_remedy(labels):
    folds = kfold_indices(20, 4, random_state=0)
    fold = next(number for number, (_, val) in enumerate(folds, start=1) if 19 in val)
    message = (
        rf"^fold {fold} of 4: label\(s\) \[{labels[-1]!r}\] appear only in its validation part, "
        r"so the model trained on that fold never sees them\. Every class needs several "
        r"samples: use fewer folds \(n_splits\), another random_state, or drop the rare "
        r"classes\.$"
    )
    with pytest.raises(ValueError, match=message):
        kfold_curves(np.arange(40.0).reshape(20, 2), labels, SoftmaxRegression(batch_size=5),
                     n_splits=4, epochs=1, random_state=0)


def test_at_most_ten_missing_labels_are_named():
    y = np.array([0] * 40 + list(range(1, 31)))  # 30 classes with one sample each
    X = np.arange(2 * len(y), dtype=float).reshape(-1, 2)
    with pytest.raises(ValueError, match=r"label\(s\) \[") as caught:
        kfold_curves(X, y, SoftmaxRegression(batch_size=5), n_splits=2, epochs=1, random_state=0)
    named = re.search(r"label\(s\) \[([^]]*)\]", str(caught.value)).group(1).split(", ")
    assert len(named) == 10


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_diverging_fold_is_an_error_naming_it(digits):
    X, y = digits[0][:300].copy(), digits[1][:300]
    folds = kfold_indices(len(y), 2, random_state=0)
    # A pixel of 1e200 makes the weights overflow, but only in the fold that trains
    # on that sample: fold 2, because the sample is in fold 1's validation part.
    X[folds[0][1][0]] = 1e200
    with pytest.raises(FloatingPointError, match=r"fold 2 diverged after \d of 3 epochs "
                                                 r"\(learning_rate=0.1\)"):
        kfold_curves(X, y, SoftmaxRegression(learning_rate=0.1, batch_size=50), n_splits=2,
                     epochs=3, random_state=0)


@pytest.fixture(scope="module")
def alpha_search(digits):
    X, y = digits
    folds = kfold_indices(len(y), n_splits=3, random_state=0)
    template = SoftmaxRegression(learning_rate=0.1, batch_size=50, max_epochs=3, patience=None,
                                 restore_best=False, random_state=0)
    search = GridSearchCV(template, {"alpha": [0.0, 0.01, 1.0]}, cv=folds,
                          scoring={"accuracy": "accuracy", "cross-entropy": "neg_log_loss"},
                          refit="accuracy", return_train_score=True).fit(X, y)
    return search, folds


def test_search_scores_reads_every_fold_of_a_grid_search(alpha_search):
    search, folds = alpha_search
    scores, results = search_scores(search), search.cv_results_
    assert scores.alphas == [0.0, 0.01, 1.0]
    assert scores.val_accuracy.shape == scores.train_accuracy.shape == (3, 3)
    np.testing.assert_allclose(scores.val_accuracy.mean(axis=1), results["mean_test_accuracy"])
    np.testing.assert_allclose(scores.train_accuracy[:, 2], results["split2_train_accuracy"])
    np.testing.assert_allclose(scores.val_cross_entropy.mean(axis=1),
                               -results["mean_test_cross-entropy"])
    assert scores.chosen == search.best_params_["alpha"]
    assert (scores.n_train, scores.n_val) == (len(folds[0][0]), len(folds[0][1]))


def test_search_scores_reads_a_search_with_accuracy_as_its_only_score(digits):
    X, y = digits
    search = GridSearchCV(SoftmaxRegression(max_epochs=1, patience=None, random_state=0),
                          {"alpha": [0.0, 0.1]}, cv=2, return_train_score=True).fit(X, y)
    scores = search_scores(search)
    np.testing.assert_allclose(scores.val_accuracy.mean(axis=1),
                               search.cv_results_["mean_test_score"])
    assert scores.val_cross_entropy is None
    assert scores.table().splitlines()[0].endswith("gap (± std)")


def test_search_scores_needs_training_scores(digits):
    X, y = digits
    search = GridSearchCV(SoftmaxRegression(max_epochs=1, patience=None), {"alpha": [0.0]},
                          cv=2).fit(X[:200], y[:200])
    with pytest.raises(ValueError, match="return_train_score=True"):
        search_scores(search)


def test_difference_and_compare_are_the_paired_differences_in_points(alpha_search):
    scores = search_scores(alpha_search[0])
    expected = paired_difference(100 * scores.val_accuracy[2], 100 * scores.val_accuracy[0],
                                 n_train=scores.n_train, n_test=scores.n_val)
    assert scores.difference(1.0) == expected
    gap = 100 * (scores.train_accuracy - scores.val_accuracy)
    assert scores.difference(1.0, 0.01, "gap").mean == pytest.approx(gap[2].mean() - gap[1].mean())
    with pytest.raises(ValueError, match="score must be one of"):
        scores.difference(1.0, score="loss")
    text = scores.compare(1.0).splitlines()
    assert text[:2] == ["alpha 1 minus alpha 0, fold by fold (points);",
                        "mean ± standard error (corrected); folds up/down/same"]
    assert [line.split()[0] for line in text[2:]] == ["training", "validation", "gap"]
    assert max(len(line) for line in text) <= 80  # the site's column
    plain, wide = scores.difference(1.0, corrected=False), expected
    assert wide.std_error > plain.std_error  # the correction widens it
    assert (f"{plain.mean:+5.2f} ± {plain.std_error:.2f} ({wide.std_error:.2f});  "
            f"{plain.n_positive}/{plain.n_negative}/{plain.n_tied}") in text[3]
    per_fold = 100 * (scores.val_accuracy[2] - scores.val_accuracy[0])
    assert text[3].split()[1:4] == [f"{d:+.2f}" for d in per_fold]


def test_search_scores_table_has_one_line_per_alpha_with_sample_std(alpha_search):
    scores = search_scores(alpha_search[0])
    lines = scores.table().splitlines()
    assert len(lines) == 4 and lines[0].endswith("  val. cross-entropy")
    assert max(len(line) for line in lines) <= 80  # the site's column
    val, train = 100 * scores.val_accuracy[1], 100 * scores.train_accuracy[1]
    assert f"{val.mean():6.2f}% ± {val.std(ddof=1):4.2f}" in lines[2]
    assert f"{(train - val).mean():5.2f} ± {(train - val).std(ddof=1):4.2f}" in lines[2]
    assert len(scores.table(alphas=[0.0, 1.0]).splitlines()) == 3
