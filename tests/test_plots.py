"""Tests of mnist_lr.plots: every figure draws, is labelled, and shows the right data."""

from __future__ import annotations

import dataclasses
import os
import warnings
from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.colors import LogNorm, to_rgba
from matplotlib.figure import Figure

from mnist_lr import (
    KFoldCurves,
    SoftmaxRegression,
    TrainingHistory,
    confusion_matrix,
    kfold_curves,
    kfold_indices,
    plots,
)
from mnist_lr._plot_base import MAX_WIDTH
from mnist_lr._plot_curves import HISTORY_FIELDS
from mnist_lr.plots import TRAIN_COLOR, VAL_COLOR

# --------------------------------------------------------------------------
# Fixtures and helpers
# --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def predictions():
    """60 random 'images', their shuffled labels (row i is not digit i), 10 predicted wrong."""
    rng = np.random.default_rng(0)
    X, y = rng.random((60, 784)), rng.permutation(np.arange(60) % 10)
    assert not np.array_equal(y[:10], np.arange(10))
    y_pred, wrong = y.copy(), [2, 5, 9, 14, 20, 33, 41, 50, 51, 58]
    y_pred[wrong] = (y[wrong] + 1) % 10
    return X, y, y_pred


@pytest.fixture(scope="module")
def model(predictions):
    """A tiny model trained for 3 full-batch epochs with a validation set."""
    X, y, _ = predictions
    model = SoftmaxRegression(max_epochs=3, batch_size=None, patience=None, random_state=0)
    return model.fit(X[:40], y[:40], X[40:], y[40:])


@pytest.fixture(scope="module")
def curves():
    rng = np.random.default_rng(1)
    return KFoldCurves(train_accuracy=rng.uniform(0.85, 0.95, (3, 4)),
                       val_accuracy=rng.uniform(0.75, 0.85, (3, 4)),
                       loss=rng.uniform(0.2, 0.5, (3, 4)))


@pytest.fixture(scope="module")
def matrix():
    """A 4 x 4 confusion matrix with zeros off the diagonal."""
    y_true = np.array([0] * 50 + [1] * 30 + [2] * 20 + [3] * 5)
    y_pred = y_true.copy()
    y_pred[:3], y_pred[50:52], y_pred[80] = 1, 3, 0
    result = confusion_matrix(y_true, y_pred)
    assert (result == 0).any()
    return result


SEARCH = {  # numbers shaped like a GridSearchCV's cv_results_ over alpha
    "values": np.array([0.0, 0.001, 0.01, 0.1]), "train_mean": np.array([1.0, 0.99, 0.95, 0.9]),
    "val_mean": np.array([0.84, 0.845, 0.853, 0.83]),
    "train_std": np.array([0.0, 0.002, 0.004, 0.006]),
    "val_std": np.array([0.02, 0.021, 0.03, 0.04])}
LEARNING = ([100, 1000, 10000, 56000],
            {"no penalty": ([1.0, 0.99, 0.95, 0.93], [0.70, 0.85, 0.90, 0.92]),
             "L2": ([0.95, 0.95, 0.94, 0.93], [0.74, 0.87, 0.905, 0.92])})
START = {"loss": 2.5, "val_loss": 2.4, "train_accuracy": 0.11, "val_accuracy": 0.12}


def _history(val_accuracy):
    n = len(val_accuracy)
    return TrainingHistory(loss=np.ones(n), train_accuracy=np.full(n, 0.5),
                           val_loss=np.ones(n), val_accuracy=np.asarray(val_accuracy, float))


def _plot_axes(fig):
    """The visible axes that are not colorbars."""
    return [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]


def _image_axes(fig):
    return [ax for ax in _plot_axes(fig) if ax.images]


def _shown(ax):
    return np.asarray(ax.images[0].get_array())


def _legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def _by_colour(ax, colour):
    return [line for line in ax.get_lines() if to_rgba(line.get_color()) == to_rgba(colour)]


# --------------------------------------------------------------------------
# Every figure: draws without warnings, labelled, in the default font
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def g(predictions, model, curves, matrix):
    """The sound inputs of the figures, for the tables below to draw or to spoil."""
    X, y, p = predictions
    return SimpleNamespace(X=X, y=y, p=p, model=model, curves=curves, matrix=matrix, s=SEARCH)


FIGURES = {
    "digit_grid": lambda g: plots.plot_digit_grid(g.X, g.y),
    "misclassified": lambda g: plots.plot_misclassified(g.X, g.y, g.p),
    "before_after": lambda g: plots.plot_before_after(g.X, 1 - g.X, n=12),
    "weights": lambda g: plots.plot_weights(g.model),
    "weights_all_zero": lambda g: plots.plot_weights(np.zeros((10, 784))),
    "score": lambda g: plots.plot_score_contributions(g.X[0], g.model.coef_[3]),
    "weight_rows": lambda g: plots.plot_weight_rows({"a": g.model, "b": -g.model.coef_}),
    "confusion": lambda g: plots.plot_confusion_matrix(g.matrix),
    "confusion_log": lambda g: plots.plot_confusion_matrix(g.matrix, log=True),
    "confusion_log_zeros": lambda g: plots.plot_confusion_matrix(np.zeros((3, 3)), log=True),
    "training_curves": lambda g: plots.plot_training_curves(g.model),
    "training_curves_start": lambda g: plots.plot_training_curves(g.model, start=START),
    "training_curves_log": lambda g: plots.plot_training_curves(g.model, log_epochs=True),
    "one_epoch": lambda g: plots.plot_training_curves(_history([0.7])),
    "side_by_side": lambda g: plots.plot_histories_side_by_side({"a": g.model, "b": g.model}),
    "kfold": lambda g: plots.plot_kfold_curves(g.curves),
    "kfold_comparison": lambda g: plots.plot_kfold_comparison({700: g.curves, 70: g.curves}),
    "fold_diagram": lambda g: plots.plot_fold_diagram(kfold_indices(14, 5, random_state=0), 14),
    "validation": lambda g: plots.plot_validation_curve(**g.s, chosen=0.01),
    "learning": lambda g: plots.plot_learning_curve(*LEARNING),
    "weight_norm": lambda g: plots.plot_weight_norm([1, 2, 4], {"a": [1, 2, 3]}, {"a": (2, 2)}),
    "error_rates": lambda g: plots.plot_error_rates({"ours": 0.925}, {"paper": 12.0}),
}


@pytest.mark.parametrize("draw", FIGURES.values(), ids=FIGURES)
def test_every_figure_draws_without_warnings_and_is_labelled(g, draw):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = draw(g)
        fig = result if isinstance(result, Figure) else result.figure
        fig.canvas.draw()
    axes = _plot_axes(fig)
    assert axes and (fig.get_suptitle() or all(ax.get_title() for ax in axes))
    for ax in axes:
        if ax.get_lines():  # a row of panels may carry its y label on its first panel only
            row = [other for other in axes
                   if abs(other.get_position().y0 - ax.get_position().y0) < 1e-6]
            assert any(other.get_ylabel() for other in row)
            assert any(other.get_xlabel() for other in ax.get_shared_x_axes().get_siblings(ax))
    for text in fig.findobj(matplotlib.text.Text):  # DejaVu Sans: no platform-specific fonts
        if text.get_text():
            path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
            assert "DejaVuSans" in os.path.basename(path), (text.get_text(), path)


def test_exports_every_figure_and_distinct_colours():
    functions = {name for name in dir(plots) if name.startswith("plot_")}
    assert functions <= set(plots.__all__)
    assert all(hasattr(plots, name) for name in plots.__all__)
    assert to_rgba(TRAIN_COLOR) != to_rgba(VAL_COLOR)


# --------------------------------------------------------------------------
# The images: digits, mistakes, before/after, weights
# --------------------------------------------------------------------------


def test_digit_grid_shows_the_first_image_of_each_label(predictions):
    X, y, _ = predictions
    fig = plots.plot_digit_grid(X, y, digits=range(1, 10), ncols=3)
    axes = _image_axes(fig)
    assert axes[0].get_subplotspec().get_gridspec().get_geometry() == (3, 3)
    for ax, digit in zip(axes, range(1, 10), strict=True):
        assert ax.get_title() == f"digit {digit}"
        np.testing.assert_array_equal(_shown(ax), X[np.flatnonzero(y == digit)[0]].reshape(28, 28))
        assert ax.images[0].get_cmap().name == "gray_r"
        assert not ax.get_xticks().size and not ax.get_yticks().size
    shown = plots.plot_digit_grid(X.reshape(-1, 28, 28), y, digits=[3]).axes[0]  # 3-D images
    np.testing.assert_array_equal(_shown(shown), X[np.flatnonzero(y == 3)[0]].reshape(28, 28))


def test_a_given_figure_is_cleared_and_reused(predictions):
    X, y, _ = predictions
    fig = plt.figure()
    fig.add_subplot().plot([1, 2])  # an old drawing, to be cleared
    assert plots.plot_digit_grid(X, y, digits=[7, 0], fig=fig) is fig
    assert [ax.get_title() for ax in _plot_axes(fig)] == ["digit 7", "digit 0"]
    assert fig.get_layout_engine() is not None


def test_misclassified_shows_the_first_mistakes(predictions):
    X, y, y_pred = predictions
    fig = plots.plot_misclassified(X, y, y_pred, n=8)
    wrong = np.flatnonzero(y != y_pred)[:8]
    for ax, row in zip(_image_axes(fig), wrong, strict=True):
        assert ax.get_title() == f"true {y[row]} → pred {y_pred[row]}"
        np.testing.assert_array_equal(_shown(ax), X[row].reshape(28, 28))
    assert fig.get_suptitle() == "Misclassified images (8 of 10 shown)"


def test_misclassified_picks_one_kind_of_mistake(predictions):
    X, y, y_pred = predictions
    row = np.flatnonzero(y != y_pred)[0]
    t, p = y[row], y_pred[row]
    fig = plots.plot_misclassified(X, y, y_pred, true_label=t, predicted_label=p, n=20)
    expected = np.sum((y == t) & (y_pred == p))
    assert [ax.get_title() for ax in _image_axes(fig)] == [f"true {t} → pred {p}"] * expected
    # Few images: as many columns as images, not the full ncols.
    assert _image_axes(fig)[0].get_subplotspec().get_gridspec().get_geometry() == (1, expected)
    assert fig.get_suptitle().startswith(f"Images of {t} predicted as {p} (")
    fig = plots.plot_misclassified(X, y, y_pred, predicted_label=p)
    assert all(ax.get_title().endswith(f"pred {p}") for ax in _image_axes(fig))
    assert fig.get_suptitle().startswith(f"Images wrongly predicted as {p} (")
    fig = plots.plot_misclassified(X, y, y_pred, true_label=t)
    assert fig.get_suptitle().startswith(f"Misclassified images of {t} (")


def test_misclassified_titles_can_show_the_probability(predictions):
    X, y, y_pred = predictions
    probabilities = np.linspace(0.3, 0.9, len(y))
    fig = plots.plot_misclassified(X, y, y_pred, probabilities=probabilities, n=4)
    rows = np.flatnonzero(y != y_pred)[:4]
    assert [ax.get_title() for ax in fig.axes] == [f"p = {probabilities[r]:.2f}" for r in rows]
    assert fig.get_suptitle().endswith("the probability the model gave to its wrong answer")


def test_before_after_shows_both_rows_in_order():
    before = np.random.default_rng(2).random((12, 784))
    after = before[:, ::-1].copy()
    fig = plots.plot_before_after(before, after, n=6, names=("a", "b"))
    axes = _image_axes(fig)
    assert len(axes) == 12 and axes[0].get_ylabel() == "a" and axes[6].get_ylabel() == "b"
    np.testing.assert_array_equal(_shown(axes[2]), before[2].reshape(28, 28))
    np.testing.assert_array_equal(_shown(axes[8]), after[2].reshape(28, 28))
    assert len(_image_axes(plots.plot_before_after(*[before.reshape(-1, 28, 28)] * 2, n=3))) == 6


def test_weights_share_a_symmetric_scale_at_the_99th_percentile():
    coef = np.random.default_rng(2).normal(size=(10, 784))
    fig = plots.plot_weights(coef)
    axes = _image_axes(fig)
    assert [ax.get_title() for ax in axes] == [str(k) for k in range(10)]
    assert axes[0].get_subplotspec().get_gridspec().get_geometry() == (2, 5)
    limit = np.percentile(np.abs(coef), 99)  # a few extremes don't wash out the rest
    for ax, row in zip(axes, coef, strict=True):
        np.testing.assert_array_equal(_shown(ax), row.reshape(28, 28))
        assert ax.images[0].get_clim() == pytest.approx((-limit, limit))
        assert ax.images[0].get_cmap().name.startswith("RdBu")
    [colorbar] = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    assert colorbar.get_xlabel().startswith("weight")


def test_weights_of_a_model_and_named_classes(model):
    fig = plots.plot_weights(model)
    assert [ax.get_title() for ax in _image_axes(fig)] == [str(c) for c in model.classes_]
    fig = plots.plot_weights(model.coef_, classes=list("abcdefghij"))
    assert [ax.get_title() for ax in _image_axes(fig)] == list("abcdefghij")


def test_unsigned_weights_use_a_grey_scale_from_zero():
    rows = np.random.default_rng(0).random((3, 784))
    fig = plots.plot_weights(rows, signed=False, colorbar_label="mean pixel value")
    assert fig.axes[0].images[0].get_cmap().name == plots.IMAGE_CMAP
    assert fig.axes[0].images[0].get_clim() == (0.0, rows.max())
    assert fig.axes[-1].get_xlabel() == "mean pixel value"


def test_score_contributions_give_each_panel_its_own_colour_bar():
    rng = np.random.default_rng(1)
    image, weights = rng.random(784), rng.normal(size=784)
    fig = plots.plot_score_contributions(image, weights)
    assert [ax.get_xlabel() for ax in fig.axes[3:]] == [
        "pixel value (0 paper, 1 ink)", "weight", "contribution to the score"]
    product = fig.axes[2].images[0]
    np.testing.assert_allclose(product.get_array().ravel(), image * weights)
    assert product.get_clim()[1] == pytest.approx(np.abs(image * weights).max())


def test_weight_rows_one_row_per_model_each_with_its_own_scale(model):
    rng = np.random.default_rng(0)
    noisy = rng.normal(scale=5.0, size=(10, 784))
    smooth = np.tile(np.linspace(-0.1, 0.1, 784), (10, 1))
    fig = plots.plot_weight_rows({"alpha = 0": noisy, "alpha = 0.01": smooth, "model": model})
    assert [sub.get_suptitle() for sub in fig.subfigs] == ["alpha = 0", "alpha = 0.01", "model"]
    for sub, coef in zip(fig.subfigs, (noisy, smooth, model.coef_)):
        axes = [ax for ax in sub.axes if ax.images]
        assert [ax.get_title() for ax in axes] == [str(k) for k in range(10)]
        np.testing.assert_array_equal(_shown(axes[3]), coef[3].reshape(28, 28))
        high = np.percentile(np.abs(coef), 99)
        assert axes[0].images[0].get_clim() == pytest.approx((-high, high))


# --------------------------------------------------------------------------
# The confusion matrix
# --------------------------------------------------------------------------


def _cell_texts(ax):
    """{(row, column): text} of the annotations."""
    return {(round(t.get_position()[1]), round(t.get_position()[0])): t for t in ax.texts}


@pytest.mark.parametrize("log", [False, True])
def test_confusion_matrix_writes_every_count_in_its_cell(matrix, log):
    ax = plots.plot_confusion_matrix(matrix, log=log)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted label", "true label")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "1", "2", "3"]
    cells = _cell_texts(ax)
    assert len(cells) == matrix.size
    for (i, j), count in np.ndenumerate(matrix):
        assert cells[i, j].get_text() == str(count)
    assert ax.figure.axes[-1].get_ylabel() == "count"
    # Black or white text, whichever reads on the cell: white on the darkest.
    zero = tuple(np.argwhere(matrix == 0)[0])
    assert to_rgba(cells[0, 0].get_color()) == to_rgba("white")
    assert to_rgba(cells[zero].get_color()) == to_rgba("black")


def test_confusion_matrix_log_scale_masks_zeros_in_the_lowest_colour(matrix):
    image = plots.plot_confusion_matrix(matrix, log=True).images[0]
    assert isinstance(image.norm, LogNorm) and image.norm.vmin >= 1
    assert np.array_equal(np.ma.getmaskarray(image.get_array()), matrix == 0)
    assert image.get_cmap().get_bad() == pytest.approx(image.get_cmap()(0.0))
    ax = plots.plot_confusion_matrix(np.zeros((3, 3), dtype=int), log=True)
    assert [t.get_text() for t in ax.texts] == ["0"] * 9


def test_confusion_matrix_on_given_axes_with_labels_and_rates(matrix):
    fig, ax = plt.subplots()
    assert plots.plot_confusion_matrix(matrix, labels=list("abcd"), ax=ax) is ax
    assert [t.get_text() for t in ax.get_xticklabels()] == list("abcd")
    rates = matrix / matrix.sum(axis=1, keepdims=True)
    ax = plots.plot_confusion_matrix(rates)
    assert _cell_texts(ax)[0, 0].get_text() == f"{rates[0, 0]:.3g}"


# --------------------------------------------------------------------------
# The curves
# --------------------------------------------------------------------------


def test_training_curves_show_the_history_and_the_best_epoch(model):
    history = model.history_
    fig = plots.plot_training_curves(model)
    loss_ax, acc_ax = fig.axes
    assert acc_ax.get_xlabel() == "epoch" and acc_ax.get_ylabel() == "accuracy (%)"
    assert loss_ax.get_shared_x_axes().joined(loss_ax, acc_ax)
    assert _legend_texts(loss_ax) == ["training loss", "validation loss"]
    lines = {line.get_label(): line for line in acc_ax.get_lines()}
    np.testing.assert_array_equal(lines["training"].get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(lines["training"].get_ydata(), 100 * history.train_accuracy)
    np.testing.assert_allclose(lines["validation"].get_ydata(), 100 * history.val_accuracy)
    np.testing.assert_allclose(loss_ax.get_lines()[0].get_ydata(), history.loss)
    for ax in fig.axes:  # training solid in its colour, validation dashed in its colour
        for line, colour, style in zip(ax.get_lines(), (TRAIN_COLOR, VAL_COLOR), ("-", "--")):
            assert to_rgba(line.get_color()) == to_rgba(colour) and line.get_linestyle() == style
        [dotted] = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
        np.testing.assert_array_equal(dotted.get_xdata(), [history.best_epoch] * 2)
    best = f"{100 * history.val_accuracy[history.best_epoch - 1]:.2f}%"
    assert _legend_texts(acc_ax)[-1] == f"best validation: {best} (epoch {history.best_epoch})"
    assert 0 < acc_ax.get_xlim()[0] <= 1  # no tick at epoch 0
    from_history = plots.plot_training_curves(history.as_dict(), title="custom")
    assert fig.get_suptitle() and from_history.get_suptitle() == "custom"
    for a, b in zip(fig.axes, from_history.axes, strict=True):
        for la, lb in zip(a.get_lines(), b.get_lines(), strict=True):
            np.testing.assert_array_equal(la.get_ydata(), lb.get_ydata())


def test_training_curves_draw_the_start_as_epoch_zero(model):
    loss_ax, acc_ax = plots.plot_training_curves(model, start=START).axes
    train_loss = loss_ax.get_lines()[0]
    assert (train_loss.get_xdata()[0], train_loss.get_ydata()[0]) == (0, 2.5)
    np.testing.assert_allclose(train_loss.get_ydata()[1:], model.history_.loss)
    assert acc_ax.get_lines()[1].get_ydata()[0] == pytest.approx(12.0)
    assert acc_ax.get_xlim()[0] < 0 < acc_ax.get_xlim()[0] + 1
    assert acc_ax.get_lines()[-1].get_xdata()[0] == model.best_epoch_  # not shifted


def test_training_curves_on_log_epochs_and_for_a_single_epoch(model):
    fig = plots.plot_training_curves(model, log_epochs=True)
    assert all(ax.get_xscale() == "log" for ax in fig.axes)
    assert fig.axes[1].get_xlabel() == "epoch (log scale)"
    fig = plots.plot_training_curves(_history([0.7]))
    assert fig.axes[1].get_xlim()[0] < 1 < fig.axes[1].get_xlim()[1]


def test_the_curves_draw_the_models_history_fields_but_the_penalty():
    fields = tuple(f.name for f in dataclasses.fields(TrainingHistory))
    assert HISTORY_FIELDS == tuple(name for name in fields if name != "penalty")


def test_side_by_side_panels_share_the_y_range_and_quote_the_accuracy(model):
    fig = plots.plot_histories_side_by_side({"one": model, "two": model.history_})
    first, second = _plot_axes(fig)
    assert first.get_ylim() == second.get_ylim()
    assert [bool(ax.get_ylabel()) for ax in (first, second)] == [True, False]
    assert len(fig.legends) == 1
    last = 100 * model.history_.val_accuracy[-1]
    assert first.get_title() == f"one\nvalidation after epoch 3: {last:.1f}%"
    fig = plots.plot_histories_side_by_side({"one": model}, mean_of_last=2)
    mean = 100 * model.history_.val_accuracy[-2:].mean()
    assert fig.axes[0].get_title() == f"one\nvalidation, last 2 epochs: mean {mean:.1f}%"


def test_kfold_curves_mean_and_std_in_percent(curves):
    ax = plots.plot_kfold_curves(curves)
    assert ax.get_title() == "3-fold cross-validation: accuracy per epoch"
    assert 0 < ax.get_xlim()[0] < 1  # epochs start at 1; no "epoch 0" tick
    assert _legend_texts(ax) == ["training (mean ± std over 3 folds)",
                                 "validation (mean ± std over 3 folds)"]
    for container, data, colour, style in zip(
            ax.containers, (curves.train_accuracy, curves.val_accuracy),
            (TRAIN_COLOR, VAL_COLOR), ("-", "--"), strict=True):
        line, caps, (bars,) = container.lines
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4])
        np.testing.assert_allclose(line.get_ydata(), 100 * data.mean(axis=0))
        assert to_rgba(line.get_color()) == to_rgba(colour) and line.get_linestyle() == style
        assert caps
        heights = [segment[1, 1] - segment[0, 1] for segment in bars.get_segments()]
        np.testing.assert_allclose(heights, 2 * 100 * data.std(axis=0))


def test_kfold_curves_of_kfold_curves_on_given_axes():
    rng = np.random.default_rng(3)
    X = rng.random((45, 6))
    result = kfold_curves(X, (X[:, 0] > 0.5).astype(int), SoftmaxRegression(batch_size=None),
                          n_splits=3, epochs=2, random_state=0)
    fig, ax = plt.subplots()
    assert plots.plot_kfold_curves(result, ax=ax, title="custom") is ax
    assert ax.get_title() == "custom"


def test_kfold_comparison_one_legend_one_ylabel_own_ranges(curves):
    small = KFoldCurves(curves.train_accuracy * 0.5, curves.val_accuracy * 0.5, curves.loss)
    fig = plots.plot_kfold_comparison({1000: curves, 100: small})
    axes = _plot_axes(fig)
    assert [ax.get_title() for ax in axes] == ["1,000 images", "100 images"]
    assert [bool(ax.get_ylabel()) for ax in axes] == [True, False]
    assert all(ax.get_legend() is None for ax in axes) and len(fig.legends) == 1
    assert axes[0].get_ylim()[0] > axes[1].get_ylim()[1]


def test_fold_diagram_colours_each_sample_once_per_fold():
    folds = kfold_indices(14, 5, random_state=0)
    grid = np.asarray(plots.plot_fold_diagram(folds, 14).images[0].get_array())
    assert grid.shape == (5, 14) and ((grid == 2).sum(axis=0) == 1).all()
    for row, (train, val) in zip(grid, folds, strict=True):
        assert set(np.flatnonzero(row == 2)) == set(val)
        assert set(np.flatnonzero(row == 1)) == set(train)


def test_rows_of_panels_fit_the_widest_figure_the_site_shows(model, curves):
    """The reading site scales a wider figure down until its text is too small to read."""
    X = np.random.default_rng(0).random((20, 784))
    figures = [plots.plot_histories_side_by_side({f"{k}": model for k in range(5)}),
               plots.plot_kfold_comparison({n: curves for n in (10, 20, 30, 40)}),
               plots.plot_before_after(X, X, n=20),
               plots.plot_weight_rows({"a": model, "b": model}),
               plots.plot_misclassified(X, [1] * 20, [2] * 20, n=16)]
    assert all(fig.get_figwidth() <= MAX_WIDTH for fig in figures)
    assert figures[0].get_figwidth() == MAX_WIDTH  # the panels shrank


def test_validation_curve_shows_means_and_spreads_in_percent():
    ax = plots.plot_validation_curve(**SEARCH, chosen=0.01)
    assert ax.get_xscale() == "log"
    assert _legend_texts(ax) == ["training", "validation", "chosen: alpha = 0.01"]
    for colour, style, kind in ((TRAIN_COLOR, "-", "train"), (VAL_COLOR, "--", "val")):
        lines = _by_colour(ax, colour)
        assert {line.get_linestyle() for line in lines} == {style}
        shown = np.concatenate([line.get_ydata() for line in lines])
        np.testing.assert_allclose(shown, 100 * SEARCH[f"{kind}_mean"])
    # One error bar of ± one std at every point, the lone point at 0 included.
    for bars, kind in zip(ax.collections, ("train", "val"), strict=True):
        mean, std = SEARCH[f"{kind}_mean"], SEARCH[f"{kind}_std"]
        segments = bars.get_segments()
        np.testing.assert_allclose([seg[0][1] for seg in segments], 100 * (mean - std))
        np.testing.assert_allclose([seg[1][1] for seg in segments], 100 * (mean + std))
        np.testing.assert_allclose([seg[0][0] for seg in segments], ax.get_xticks())


def test_validation_curve_puts_zero_a_decade_left_after_a_break():
    ax = plots.plot_validation_curve(**SEARCH, chosen=0.0)
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["0", "0.001", "0.01", "0.1"]
    assert ax.get_xticks()[0] == pytest.approx(1e-4)
    np.testing.assert_allclose(ax.get_xticks()[1:], SEARCH["values"][1:])
    assert [len(line.get_xdata()) for line in _by_colour(ax, TRAIN_COLOR)] == [1, 3]
    assert ax.get_xlabel() == "alpha (log scale; 0 = no penalty)"
    [chosen] = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
    assert chosen.get_xdata()[0] == pytest.approx(1e-4)


def test_validation_curve_without_spreads_or_zero_on_given_axes():
    fig, ax = plt.subplots()
    out = plots.plot_validation_curve([0.1, 1, 10], [0.9, 0.8, 0.7], [0.85, 0.8, 0.6],
                                      param_name="C", ax=ax)
    assert out is ax and not ax.collections
    assert ax.get_title() == "Accuracy against C" and ax.get_xlabel() == "C (log scale)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.1", "1", "10"]


def test_learning_curve_one_colour_per_model_train_solid_val_dashed():
    sizes, curves = LEARNING
    ax = plots.plot_learning_curve(sizes, curves)
    assert ax.get_xscale() == "log"
    assert _legend_texts(ax) == ["no penalty: training", "no penalty: validation",
                                 "L2: training", "L2: validation"]
    lines = ax.get_lines()
    assert [line.get_linestyle() for line in lines] == ["-", "--", "-", "--"]
    assert lines[0].get_color() == lines[1].get_color() != lines[2].get_color()
    assert lines[2].get_color() == lines[3].get_color()
    for line, data in zip(lines, [a for pair in curves.values() for a in pair], strict=True):
        np.testing.assert_array_equal(line.get_xdata(), sizes)
        np.testing.assert_allclose(line.get_ydata(), 100 * np.array(data))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["100", "1,000", "10,000", "56,000"]


def test_weight_norm_one_line_per_model_and_a_star_at_the_early_stop():
    ax = plots.plot_weight_norm([1, 2, 4, 8], {"alpha = 0": [1.0, 2.0, 3.0, 4.0],
                                              "alpha = 0.01": [1.0, 1.8, 2.2, 2.3]},
                                stops={"alpha = 0.01": (3, 2.1)}, title="norms")
    assert ax.get_title() == "norms" and ax.get_xscale() == "log"
    assert _legend_texts(ax) == ["alpha = 0", "alpha = 0.01",
                                 "alpha = 0.01: kept by early stopping"]
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [1.0, 1.8, 2.2, 2.3])
    assert ax.lines[2].get_marker() == "*" and list(ax.lines[2].get_xydata()[0]) == [3, 2.1]


def test_error_rates_bars_equal_the_errors_measured_first():
    measured = {"ours": 0.9250, "scikit-learn": 0.9256, "ours, deskewed": 0.955}
    published = {"linear (1998)": 12.0, "linear, deskewed (1998)": 8.4}
    ax = plots.plot_error_rates(measured, published)
    np.testing.assert_allclose([bar.get_width() for bar in ax.patches], [7.5, 7.44, 4.5, 12, 8.4])
    assert [t.get_text() for t in ax.get_yticklabels()] == list(measured) + list(published)
    assert list(ax.get_yticks()) == [4, 3, 2, 1, 0]  # the first entry on top
    assert [t.get_text() for t in ax.texts] == ["7.50%", "7.44%", "4.50%", "12.0%", "8.4%"]
    assert ax.patches[3].get_hatch() == "//" and not ax.patches[0].get_hatch()
    assert _legend_texts(ax) == ["measured here", "published"]
    assert _legend_texts(plots.plot_error_rates({"ours": 0.9})) == ["measured here"]


# --------------------------------------------------------------------------
# Bad input meets a clear error
# --------------------------------------------------------------------------


BAD_INPUT = {  # id: (figure of the sound inputs g, spoilt; error; match)
    "grid, digit not in y": (lambda g: plots.plot_digit_grid(g.X, g.y, digits=[1, 11]),
                             ValueError, r"digits \[11\] do not occur in y"),
    "grid, 783 pixels": (lambda g: plots.plot_digit_grid(g.X[:, :783], g.y), ValueError,
                         "783 pixels per row is not a square number"),  # as mnist_lr.deskew
    "grid, lengths": (lambda g: plots.plot_digit_grid(g.X, g.y[:-1]), ValueError,
                      "X and y have different lengths"),
    "grid, y 2-D": (lambda g: plots.plot_digit_grid(g.X, g.y[:, None]), ValueError,
                    r"y must be 1-D \(one label per sample\)"),
    "grid, text": (lambda g: plots.plot_digit_grid(np.full((2, 784), "a"), [1, 2]), TypeError,
                   "X must hold numbers"),
    "grid, fig": (lambda g: plots.plot_digit_grid(g.X, g.y, fig="figure"), TypeError,
                  "fig must be a matplotlib Figure"),
    "mistakes, none": (lambda g: plots.plot_misclassified(g.X, g.y, g.y), ValueError,
                       "nothing to show: there are no misclassified images"),
    "mistakes, no such pair": (
        lambda g: plots.plot_misclassified(g.X, g.y, g.p, true_label=3, predicted_label=7),
        ValueError, "there are no images of 3 predicted as 7"),
    "mistakes, lengths": (lambda g: plots.plot_misclassified(g.X, g.y, g.p[:5]), ValueError,
                          "X and y_pred have different lengths"),
    "mistakes, n": (lambda g: plots.plot_misclassified(g.X, g.y, g.p, n=0), ValueError,
                    "n must be >= 1"),
    "mistakes, mixed labels": (lambda g: plots.plot_misclassified(g.X, g.y, [0, "a"] * 30),
                               ValueError, "y_pred mixes label types"),
    "mistakes, probabilities": (
        lambda g: plots.plot_misclassified(g.X, g.y, g.p, probabilities=[0.5] * 3),
        ValueError, "X and probabilities have different lengths: 60 rows vs 3 values"),
    "before/after, shapes": (lambda g: plots.plot_before_after(g.X, g.X[:4]), ValueError,
                             "before and after must have the same shape"),
    "before/after, n": (lambda g: plots.plot_before_after(g.X[:5], g.X[:5], n=6), ValueError,
                        "n must be <= 5"),
    "weights, 1-D": (lambda g: plots.plot_weights(np.zeros(784)), ValueError,
                     r"coef must have shape \(n_images, 784\)"),
    "weights, classes": (lambda g: plots.plot_weights(g.X[:10], classes=[0, 1, 2]), ValueError,
                         "classes has 3 entries for the 10 rows of coef"),
    "weights, unfitted": (lambda g: plots.plot_weights(SoftmaxRegression()), ValueError,
                          "coef: this SoftmaxRegression is not fitted yet"),
    "weights, NaN": (lambda g: plots.plot_weights(np.full((10, 784), np.nan)), ValueError,
                     "coef must be finite"),
    "weights, negative unsigned": (lambda g: plots.plot_weights(g.X[:3] - 0.5, signed=False),
                                   ValueError, "signed=False draws values from 0 up"),
    "score, lengths": (lambda g: plots.plot_score_contributions(g.X[0], g.X[1, :100]),
                       ValueError, "image and weights have different lengths"),
    "weight rows, not a dict": (lambda g: plots.plot_weight_rows(g.X[:10]), TypeError,
                                "coefs must be a non-empty dict"),
    "confusion, not square": (lambda g: plots.plot_confusion_matrix(g.matrix[:2]), ValueError,
                              r"matrix must be square \(K, K\), got shape \(2, 4\)"),
    "confusion, labels": (lambda g: plots.plot_confusion_matrix(g.matrix, labels=[0, 1]),
                          ValueError, "labels has 2 entries for a 4 x 4 matrix"),
    "confusion, ax": (lambda g: plots.plot_confusion_matrix(g.matrix, ax=plt.figure()),
                      TypeError, "ax must be a matplotlib Axes, got Figure"),
    "curves, unfitted": (lambda g: plots.plot_training_curves(SoftmaxRegression()), ValueError,
                         "history: this SoftmaxRegression is not fitted yet"),
    "curves, empty": (lambda g: plots.plot_training_curves(TrainingHistory()), ValueError,
                      "history needs at least one epoch"),
    "curves, lengths": (lambda g: plots.plot_training_curves(
        {**_history([0.5] * 3).as_dict(), "val_loss": [1.0]}), ValueError,
                        "as many values in each field"),
    "curves, start percent": (lambda g: plots.plot_training_curves(
        _history([0.5]), start={**START, "train_accuracy": 7.0}), ValueError,
                              "start.train_accuracy must hold accuracies as fractions"),
    "curves, start on log": (lambda g: plots.plot_training_curves(
        _history([0.5]), start=START, log_epochs=True), ValueError,
                             r"start \(epoch 0\) cannot be drawn on a logarithmic epoch axis"),
    "kfold, percent": (lambda g: plots.plot_kfold_curves(KFoldCurves(
        g.curves.train_accuracy, 100 * g.curves.val_accuracy, g.curves.loss)), ValueError,
                       "curves.val_accuracy must hold accuracies as fractions"),
    "validation, decreasing": (
        lambda g: plots.plot_validation_curve(**{**g.s, "values": [0, 1, 0.1, 2]}),
        ValueError, r"values must be >= 0 and increasing, got \[0.0, 1.0, 0.1, 2.0\]"),
    "validation, lengths": (
        lambda g: plots.plot_validation_curve(**{**g.s, "val_std": [0.1, 0.1]}),
        ValueError, "values and val_std have different lengths"),
    "validation, percent": (lambda g: plots.plot_validation_curve(**{**g.s, "val_mean": [84] * 4}),
                            ValueError, "val_mean must hold accuracies as fractions"),
    "validation, chosen": (lambda g: plots.plot_validation_curve(**g.s, chosen=0.5), ValueError,
                           r"chosen=0.5 is not one of values \[0.0, 0.001"),
    "validation, chosen text": (lambda g: plots.plot_validation_curve(**g.s, chosen="best"),
                                TypeError, "chosen must be a real number"),
    "learning, zero": (lambda g: plots.plot_learning_curve([0, 10], {"a": ([1, 1], [1, 1])}),
                       ValueError, "sizes must be positive and increasing"),
    "learning, lengths": (
        lambda g: plots.plot_learning_curve([10, 100], {"a": ([1, 1], [1, 1, 1])}), ValueError,
        r"sizes and curves\['a'\] validation accuracy have different lengths"),
    "learning, too many": (lambda g: plots.plot_learning_curve(
        [10, 100], {str(k): ([1, 1], [1, 1]) for k in range(9)}), ValueError,
                           "curves can hold at most 5 entries, got 9"),
    "learning, percent": (lambda g: plots.plot_learning_curve([10, 100], {"a": ([1, 1], [1, 80])}),
                          ValueError, r"curves\['a'\] validation accuracy must hold accuracies"),
    "weight norm, lengths": (lambda g: plots.plot_weight_norm([1, 2], {"a": [1.0, 2.0, 3.0]}),
                             ValueError, r"epochs and norms\['a'\] have different lengths: 2 "
                             "epochs vs 3 norms"),
    "error rates, percent": (lambda g: plots.plot_error_rates({"ours": 92.5}), ValueError,
                             "measured must hold accuracies as fractions"),
}


@pytest.mark.parametrize("figure, error, match", BAD_INPUT.values(), ids=BAD_INPUT)
def test_bad_input_is_a_clear_error(g, figure, error, match):
    with pytest.raises(error, match=match):
        figure(g)


@pytest.mark.parametrize("bad, hint", [(7.0, "got 7; divide percentages by 100"),
                                       (-0.1, "got -0.1$"), (700.0, "got 700$")])
def test_an_accuracy_outside_0_1_is_named_and_a_percentage_is_told_apart(bad, hint):
    with pytest.raises(ValueError, match=f"fractions between 0 and 1, {hint}"):
        plots.plot_training_curves(_history([0.5, bad]))
    plots.plot_training_curves(_history([0.0, 1.0]))  # the ends of the range are accuracies
