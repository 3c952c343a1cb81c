"""k-fold splitting from scratch, and the per-fold training curves."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits

from mnist_lr import KFoldCurves, SoftmaxRegression, kfold_curves, kfold_indices


@pytest.mark.parametrize("n_samples, n_splits", [(70000, 5), (14, 5), (700, 5), (11, 3), (10, 10)])
def test_every_sample_is_validated_exactly_once(n_samples, n_splits):
    folds = kfold_indices(n_samples, n_splits, random_state=0)
    assert len(folds) == n_splits
    validated = np.concatenate([val for _, val in folds])
    np.testing.assert_array_equal(np.sort(validated), np.arange(n_samples))
    sizes = [len(val) for _, val in folds]
    assert max(sizes) - min(sizes) <= 1
    for train, val in folds:
        assert len(np.intersect1d(train, val)) == 0
        assert len(train) + len(val) == n_samples


def test_kfold_is_seeded():
    a = kfold_indices(100, 5, random_state=3)
    b = kfold_indices(100, 5, random_state=3)
    c = kfold_indices(100, 5, random_state=4)
    for (ta, va), (tb, vb) in zip(a, b):
        np.testing.assert_array_equal(va, vb)
        np.testing.assert_array_equal(ta, tb)
    assert not all(np.array_equal(va, vc) for (_, va), (_, vc) in zip(a, c))


def test_kfold_indices_makes_five_folds_by_default():
    assert len(kfold_indices(50, random_state=0)) == 5


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


def test_kfold_curves_shapes_and_determinism(digits):
    X, y = digits
    template = SoftmaxRegression(learning_rate=0.1, batch_size=50)
    curves = kfold_curves(X, y, template, n_splits=4, epochs=6, random_state=0)
    assert isinstance(curves, KFoldCurves)
    assert curves.train_accuracy.shape == curves.val_accuracy.shape == (4, 6)
    assert curves.loss.shape == (4, 6)
    assert (curves.val_accuracy[:, -1] > 0.85).all()
    again = kfold_curves(X, y, template, n_splits=4, epochs=6, random_state=0, n_jobs=2)
    # Seeds are drawn per fold up front, so running folds in parallel changes nothing.
    np.testing.assert_array_equal(curves.val_accuracy, again.val_accuracy)
    np.testing.assert_array_equal(curves.train_accuracy, again.train_accuracy)
    summary = curves.summary()
    assert summary["val_mean"] == pytest.approx(curves.val_accuracy[:, -1].mean())
    assert summary["gap"] == pytest.approx(summary["train_mean"] - summary["val_mean"])


def test_kfold_curves_ignores_template_early_stopping(digits):
    X, y = digits
    curves = kfold_curves(X, y, SoftmaxRegression(patience=1, max_epochs=2, learning_rate=3.0),
                          n_splits=3, epochs=12, random_state=1)
    assert curves.n_epochs == 12 and curves.n_folds == 3


def test_an_estimator_without_max_epochs_is_refused_in_full_words(digits):
    X, y = digits
    with pytest.raises(TypeError, match=r"^estimator must be a SoftmaxRegression .*patience\)$"):
        kfold_curves(X, y, estimator=object(), n_splits=3, epochs=2)


def test_passing_the_class_instead_of_a_model_says_what_to_pass(digits):
    X, y = digits
    with pytest.raises(TypeError, match=r"not the class SoftmaxRegression itself; pass "
                                        r"SoftmaxRegression\(\)"):
        kfold_curves(X, y, SoftmaxRegression, epochs=1)


@pytest.mark.parametrize("labels", [[0, "a"] * 10, [0, 1, None, 1] * 5])
def test_kfold_curves_names_mixed_label_types(digits, labels):
    X, _ = digits
    with pytest.raises(ValueError, match="^y mixes label types"):
        kfold_curves(X[:20], labels, n_splits=2, epochs=1)


def test_two_splits_are_enough(digits):
    folds = kfold_indices(10, 2, random_state=0)
    assert [len(val) for _, val in folds] == [5, 5]
    X, y = digits
    curves = kfold_curves(X[:400], y[:400], SoftmaxRegression(batch_size=50), n_splits=2,
                          epochs=2, random_state=0)
    assert curves.n_folds == 2 and curves.n_epochs == 2


def test_kfold_indices_rolls_so_blocks_do_not_overlap():
    # 14 samples in 5 folds: blocks of 3, 3, 3, 3, 2 taken one after the other
    # from the same shuffled order.
    folds = kfold_indices(14, 5, random_state=0)
    order = np.concatenate([val for _, val in folds])
    np.testing.assert_array_equal(order, np.random.default_rng(0).permutation(14))
    for train, val in folds:
        np.testing.assert_array_equal(np.sort(np.concatenate([train, val])), np.arange(14))


@pytest.mark.parametrize("rare", [42, "rare"])
def test_label_missing_from_a_training_part_names_fold_and_label(digits, rare):
    X, y = digits
    X, y = X[:300], y[:300].astype(type(rare))  # digits as ints or as strings
    y[5] = rare  # one sample: whichever fold validates on it never trains on it
    folds = kfold_indices(len(y), 3, random_state=0)
    fold = next(number for number, (_, val) in enumerate(folds, start=1) if 5 in val)
    with pytest.raises(ValueError, match=rf"fold {fold} of 3: label\(s\) \[{rare!r}\]") as info:
        kfold_curves(X, y, n_splits=3, epochs=2, random_state=0)
    assert "y_val" not in str(info.value)


def test_kfold_curves_rejects_continuous_labels(digits):
    X, _ = digits
    with pytest.raises(ValueError, match="continuous"):
        kfold_curves(X[:20], np.linspace(0, 1, 20), n_splits=2, epochs=1)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_diverging_fold_is_an_error_naming_it(digits):
    X, y = digits
    X = X[:300].copy()
    y = y[:300]
    folds = kfold_indices(len(y), 2, random_state=0)
    # A pixel of 1e200 makes the weights overflow, but only in the fold that
    # trains on that sample: fold 2, because the sample is in fold 1's validation part.
    X[folds[0][1][0]] = 1e200
    with pytest.raises(FloatingPointError, match=r"fold 2 diverged after \d of 3 epochs") as info:
        kfold_curves(X, y, SoftmaxRegression(learning_rate=0.1, batch_size=50), n_splits=2,
                     epochs=3, random_state=0)
    assert "learning_rate=0.1" in str(info.value)


def test_summary_is_taken_at_the_last_epoch():
    # Hand-built curves whose first and last epochs differ everywhere.
    curves = KFoldCurves(
        train_accuracy=np.array([[0.1, 0.5, 0.9], [0.2, 0.6, 0.7]]),
        val_accuracy=np.array([[0.0, 0.4, 0.8], [0.3, 0.5, 0.6]]),
        loss=np.ones((2, 3)),
    )
    assert (curves.n_folds, curves.n_epochs) == (2, 3)
    summary = curves.summary()
    assert summary == pytest.approx(
        {"train_mean": 0.8, "train_std": 0.1, "val_mean": 0.7, "val_std": 0.1, "gap": 0.1}
    )
    assert set(summary) == {"train_mean", "train_std", "val_mean", "val_std", "gap"}


def test_smallest_split_two_samples_two_folds():
    folds = kfold_indices(2, 2, random_state=0)
    assert sorted(int(val[0]) for _, val in folds) == [0, 1]
    assert all(len(train) == len(val) == 1 for train, val in folds)


def test_kfold_curves_is_silent_without_progress(digits, capsys):
    # The template asks for output; each fold's copy must not print or draw a bar.
    X, y = digits
    template = SoftmaxRegression(batch_size=100, verbose=1, progress=True)
    kfold_curves(X[:300], y[:300], template, n_splits=2, epochs=2, random_state=0)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_kfold_curves_defaults_are_five_folds_of_thirty_epochs(digits):
    X, y = digits
    curves = kfold_curves(X[:100], y[:100], SoftmaxRegression(batch_size=10), random_state=0)
    assert (curves.n_folds, curves.n_epochs) == (5, 30)


def test_kfold_curves_one_epoch_is_enough(digits):
    X, y = digits
    curves = kfold_curves(X[:100], y[:100], SoftmaxRegression(batch_size=10), n_splits=2,
                          epochs=1, random_state=0)
    assert curves.n_epochs == 1


@pytest.mark.parametrize(
    "make_args, kwargs, error, match",
    [
        (lambda X, y: (X[:, 0], y), {}, ValueError, "X must be 2-D"),
        (lambda X, y: (X, y[:-1]), {}, ValueError, "different lengths"),
        (lambda X, y: (X[:1], y[:1]), {}, ValueError, "X needs at least 2 samples"),
        # "epochs", not the model's "max_epochs": the error comes before any training.
        (lambda X, y: (X, y), {"epochs": 0}, ValueError, r"(?<![_\w])epochs must be >= 1"),
        (lambda X, y: (X, y), {"epochs": -3}, ValueError, r"(?<![_\w])epochs must be >= 1"),
        (lambda X, y: (X, y), {"epochs": 1.5}, TypeError, "epochs must be an integer"),
        (lambda X, y: (X, y), {"n_splits": 1}, ValueError, "n_splits must be >= 2"),
    ],
)
def test_kfold_curves_rejects_bad_arguments(digits, make_args, kwargs, error, match):
    X, y = digits
    with pytest.raises(error, match=match):
        kfold_curves(*make_args(X[:50], y[:50]), **kwargs)


@pytest.fixture(scope="module")
def alpha_search(digits):
    from sklearn.model_selection import GridSearchCV

    X, y = digits
    folds = kfold_indices(len(y), n_splits=3, random_state=0)
    template = SoftmaxRegression(learning_rate=0.1, batch_size=50, max_epochs=3, patience=None,
                                 restore_best=False, random_state=0)
    search = GridSearchCV(template, {"alpha": [0.0, 0.01, 1.0]}, cv=folds,
                          scoring={"accuracy": "accuracy", "cross-entropy": "neg_log_loss"},
                          refit="accuracy", return_train_score=True).fit(X, y)
    return search, folds


def test_search_scores_reads_every_fold_of_a_grid_search(alpha_search):
    from mnist_lr.validation import search_scores

    search, folds = alpha_search
    scores = search_scores(search)
    assert scores.alphas == [0.0, 0.01, 1.0]
    assert scores.val_accuracy.shape == scores.train_accuracy.shape == (3, 3)
    results = search.cv_results_
    np.testing.assert_allclose(scores.val_accuracy.mean(axis=1), results["mean_test_accuracy"])
    np.testing.assert_allclose(scores.train_accuracy[:, 2], results["split2_train_accuracy"])
    np.testing.assert_allclose(scores.val_cross_entropy.mean(axis=1),
                               -results["mean_test_cross-entropy"])
    assert (scores.val_cross_entropy > 0).all()
    assert scores.chosen == search.best_params_["alpha"]
    assert (scores.n_train, scores.n_val) == (len(folds[0][0]), len(folds[0][1]))


def test_search_scores_difference_is_the_paired_one_in_points(alpha_search):
    from mnist_lr.stats import paired_difference
    from mnist_lr.validation import search_scores

    scores = search_scores(alpha_search[0])
    expected = paired_difference(100 * scores.val_accuracy[2], 100 * scores.val_accuracy[0],
                                 n_train=scores.n_train, n_test=scores.n_val)
    assert scores.difference(1.0) == expected
    gap = 100 * (scores.train_accuracy - scores.val_accuracy)
    assert scores.difference(1.0, 0.01, score="gap").mean == pytest.approx(gap[2].mean()
                                                                          - gap[1].mean())
    with pytest.raises(ValueError, match="score must be one of"):
        scores.difference(1.0, score="loss")


def test_search_scores_table_has_one_line_per_alpha_with_sample_std(alpha_search):
    from mnist_lr.validation import search_scores

    scores = search_scores(alpha_search[0])
    lines = scores.table().splitlines()
    assert len(lines) == 4 and "cross-entropy" in lines[0]
    assert max(len(line) for line in lines) <= 80  # the site's column
    val = 100 * scores.val_accuracy[1]
    assert f"{val.mean():6.2f}% ± {val.std(ddof=1):4.2f}" in lines[2]
    assert len(scores.table(alphas=[0.0, 1.0]).splitlines()) == 3


def test_search_scores_needs_training_scores(digits):
    from sklearn.model_selection import GridSearchCV

    from mnist_lr.validation import search_scores

    X, y = digits
    search = GridSearchCV(SoftmaxRegression(max_epochs=1, patience=None), {"alpha": [0.0]},
                          cv=2).fit(X[:200], y[:200])
    with pytest.raises(ValueError, match="return_train_score=True"):
        search_scores(search)
    assert search_scores.__doc__ and "GridSearchCV" in search_scores.__doc__


def test_search_scores_compare_prints_folds_mean_errors_and_signs(alpha_search):
    from mnist_lr.validation import search_scores

    scores = search_scores(alpha_search[0])
    text = scores.compare(1.0).splitlines()
    assert text[0].startswith("alpha 1 minus alpha 0, fold by fold")
    assert text[1].startswith("mean ± standard error (corrected)")
    assert [line.split()[0] for line in text[2:]] == ["training", "validation", "gap"]
    assert max(len(line) for line in text) <= 80  # the site's column
    plain = scores.difference(1.0, corrected=False)
    wide = scores.difference(1.0)
    assert wide.std_error > plain.std_error  # the correction widens it
    assert (f"{plain.mean:+5.2f} ± {plain.std_error:.2f} ({wide.std_error:.2f});  "
            f"{plain.n_positive}/{plain.n_negative}/{plain.n_tied}") in text[3]
    per_fold = 100 * (scores.val_accuracy[2] - scores.val_accuracy[0])
    assert text[3].split()[1:4] == [f"{d:+.2f}" for d in per_fold]


def test_each_fold_is_trained_with_a_seed_drawn_after_the_folds(digits):
    # One generator draws the folds, then one seed per fold in [0, 2**31 - 1):
    # the curves are reproducible from random_state alone, whatever n_jobs is.
    X, y = digits
    template = SoftmaxRegression(learning_rate=0.1, batch_size=50)
    curves = kfold_curves(X, y, template, n_splits=3, epochs=2, random_state=7)
    rng = np.random.default_rng(7)
    folds = kfold_indices(len(y), 3, random_state=rng)
    seeds = rng.integers(0, 2**31 - 1, size=3)
    for fold, ((train, val), seed) in enumerate(zip(folds, seeds)):
        model = clone(template).set_params(max_epochs=2, patience=None, random_state=int(seed))
        model.fit(X[train], y[train], X[val], y[val])
        np.testing.assert_array_equal(curves.val_accuracy[fold], model.history_.val_accuracy)
        np.testing.assert_array_equal(curves.loss[fold], model.history_.loss)


def test_progress_counts_the_folds_and_changes_no_result(digits, capsys):
    X, y = digits
    template = SoftmaxRegression(learning_rate=0.1, batch_size=50)
    quiet = kfold_curves(X, y, template, n_splits=3, epochs=2, random_state=0)
    capsys.readouterr()
    shown = kfold_curves(X, y, template, n_splits=3, epochs=2, random_state=0, progress=True)
    out = capsys.readouterr().out
    assert "folds: 0/3 done" in out and out.endswith("3 folds done\n")
    np.testing.assert_array_equal(quiet.val_accuracy, shown.val_accuracy)


def test_a_class_missing_from_a_training_part_is_named_with_the_remedy():
    X = np.arange(40, dtype=float).reshape(20, 2)
    y = np.array([0, 1] * 9 + [0, 2])  # the one 2 is never in a training part
    message = (
        r"^fold \d of 4: label\(s\) \[2\] appear only in its validation part, so the model "
        r"trained on that fold never sees them\. Every class needs several samples: use fewer "
        r"folds \(n_splits\), another random_state, or drop the rare classes\.$"
    )
    with pytest.raises(ValueError, match=message):
        kfold_curves(X, y, SoftmaxRegression(batch_size=5), n_splits=4, epochs=1)


def test_at_most_ten_missing_classes_are_named():
    y = np.array([0] * 40 + list(range(1, 31)))  # 30 classes with one sample each
    X = np.arange(2 * len(y), dtype=float).reshape(-1, 2)
    with pytest.raises(ValueError, match=r"label\(s\) \[") as caught:
        kfold_curves(X, y, SoftmaxRegression(batch_size=5), n_splits=2, epochs=1, random_state=0)
    named = re.search(r"label\(s\) \[([^]]*)\]", str(caught.value)).group(1).split(", ")
    assert len(named) == 10
