"""Tests of mnist_lr.plots: every figure draws, is labelled, and shows the right data."""

from __future__ import annotations

import doctest
import os
import re
import warnings
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.colors import LogNorm, to_rgba  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from mnist_lr import (  # noqa: E402
    KFoldCurves,
    SoftmaxRegression,
    TrainingHistory,
    _plot_curves,
    confusion_matrix,
    kfold_curves,
    kfold_indices,
    plots,
)
from mnist_lr.plots import (  # noqa: E402
    TRAIN_COLOR,
    VAL_COLOR,
    plot_before_after,
    plot_confusion_matrix,
    plot_digit_grid,
    plot_error_rates,
    plot_kfold_curves,
    plot_learning_curve,
    plot_misclassified,
    plot_training_curves,
    plot_validation_curve,
    plot_weight_norm,
    plot_weight_rows,
    plot_weights,
)

# --------------------------------------------------------------------------
# Fixtures and helpers
# --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def images():
    """60 random 'images' whose labels are shuffled, so row i is not digit i."""
    rng = np.random.default_rng(0)
    X = rng.random((60, 784))
    y = rng.permutation(np.arange(60) % 10)
    assert not np.array_equal(y[:10], np.arange(10))
    return X, y


@pytest.fixture(scope="module")
def fitted_model(images):
    """A tiny model trained for 3 full-batch epochs with a validation set."""
    X, y = images
    model = SoftmaxRegression(max_epochs=3, batch_size=None, patience=None, random_state=0)
    return model.fit(X[:40], y[:40], X[40:], y[40:])


@pytest.fixture(scope="module")
def curves():
    rng = np.random.default_rng(1)
    return KFoldCurves(
        train_accuracy=rng.uniform(0.85, 0.95, (3, 4)),
        val_accuracy=rng.uniform(0.75, 0.85, (3, 4)),
        loss=rng.uniform(0.2, 0.5, (3, 4)),
    )


def _suptitle(fig):
    if hasattr(fig, "get_suptitle"):  # matplotlib >= 3.8
        return fig.get_suptitle()
    return fig._suptitle.get_text() if fig._suptitle is not None else ""


def _plot_axes(fig):
    """The visible axes that are not colorbars."""
    return [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]


def _assert_labelled(fig):
    """Titles everywhere (or a suptitle); line plots have both axis labels."""
    axes = _plot_axes(fig)
    assert axes
    assert _suptitle(fig) or all(ax.get_title() for ax in axes)
    for ax in axes:
        if ax.get_lines():
            # A row of panels may carry its y-label once, on its first panel.
            same_row = [
                other for other in axes
                if abs(other.get_position().y0 - ax.get_position().y0) < 1e-6
            ]
            assert any(other.get_ylabel() for other in same_row)
            siblings = ax.get_shared_x_axes().get_siblings(ax)
            assert any(other.get_xlabel() for other in siblings)


def _assert_default_fonts(fig):
    """Every text renders in DejaVu Sans (no platform-specific fonts)."""
    for text in fig.findobj(matplotlib.text.Text):
        if text.get_text():
            path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
            assert "DejaVuSans" in os.path.basename(path), (text.get_text(), path)


def _image_axes(fig):
    return [ax for ax in _plot_axes(fig) if ax.images]


def _legend_texts(ax):
    legend = ax.get_legend()
    assert legend is not None
    return [text.get_text() for text in legend.get_texts()]


def _draw_strictly(make):
    """What make() returns, its figure drawn with warnings as errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = make()
        figure = result if isinstance(result, Figure) else result.figure
        figure.canvas.draw()
    return result


# --------------------------------------------------------------------------
# All figures: draw cleanly and are labelled
# --------------------------------------------------------------------------


def _all_figures(images, fitted_model, curves):
    X, y = images
    pred = np.roll(y, 1)
    matrix = confusion_matrix(y, pred, labels=np.arange(10))
    return {
        "digit_grid": lambda: plot_digit_grid(X, y),
        "training_curves": lambda: plot_training_curves(fitted_model),
        "weights": lambda: plot_weights(fitted_model),
        "confusion": lambda: plot_confusion_matrix(matrix).figure,
        "confusion_log": lambda: plot_confusion_matrix(matrix, log=True).figure,
        "misclassified": lambda: plot_misclassified(X, y, pred),
        "kfold": lambda: plot_kfold_curves(curves).figure,
        "kfold_comparison": lambda: plots.plot_kfold_comparison({700: curves, 70: curves}),
        "fold_diagram": lambda: plots.plot_fold_diagram(
            kfold_indices(14, 5, random_state=0), 14
        ).figure,
        "side_by_side": lambda: plots.plot_histories_side_by_side(
            {"a": fitted_model, "b": fitted_model.history_}
        ),
        "training_curves_start": lambda: plot_training_curves(
            fitted_model, start={"loss": 2.3, "val_loss": 2.3, "train_accuracy": 0.1,
                                 "val_accuracy": 0.1}
        ),
        "training_curves_log": lambda: plot_training_curves(fitted_model, log_epochs=True),
        "training_curves_columns": lambda: plot_training_curves(fitted_model, panels="columns"),
    }


FIGURE_NAMES = [
    "digit_grid",
    "training_curves",
    "weights",
    "confusion",
    "confusion_log",
    "misclassified",
    "kfold",
    "kfold_comparison",
    "fold_diagram",
    "side_by_side",
    "training_curves_start",
    "training_curves_log",
    "training_curves_columns",
]


@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_every_figure_draws_without_warnings_and_is_labelled(name, images, fitted_model, curves):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = _all_figures(images, fitted_model, curves)[name]()
        fig.canvas.draw()
    assert isinstance(fig, Figure)
    _assert_labelled(fig)
    _assert_default_fonts(fig)


def test_module_exports_and_colours():
    assert set(plots.__all__) >= {
        "plot_digit_grid",
        "plot_training_curves",
        "plot_weights",
        "plot_confusion_matrix",
        "plot_misclassified",
        "plot_kfold_curves",
        "plot_validation_curve",
        "plot_learning_curve",
        "plot_weight_rows",
        "plot_before_after",
        "plot_error_rates",
    }
    assert to_rgba(TRAIN_COLOR) != to_rgba(VAL_COLOR)


def test_docstring_examples_run():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = [doctest.testmod(part, optionflags=doctest.ELLIPSIS)
                   for part in (plots, _plot_curves)]
    assert all(result.attempted > 0 for result in results)
    assert sum(result.failed for result in results) == 0


# --------------------------------------------------------------------------
# 1. plot_digit_grid
# --------------------------------------------------------------------------


def test_digit_grid_picks_images_by_label(images):
    X, y = images
    fig = plot_digit_grid(X, y, digits=range(1, 10), ncols=3)
    assert isinstance(fig, Figure)
    assert _suptitle(fig)
    axes = _image_axes(fig)
    assert len(axes) == 9
    for ax, digit in zip(axes, range(1, 10), strict=True):
        assert ax.get_title() == f"digit {digit}"
        shown = np.asarray(ax.images[0].get_array())
        assert shown.shape == (28, 28)
        first = np.flatnonzero(y == digit)[0]
        np.testing.assert_array_equal(shown, X[first].reshape(28, 28))
        assert ax.images[0].get_cmap().name == "gray_r"
        assert not ax.get_xticks().size and not ax.get_yticks().size
    assert axes[0].get_subplotspec().get_gridspec().get_geometry() == (3, 3)


def test_digit_grid_custom_digits_and_figure(images):
    X, y = images
    fig = plt.figure()
    fig.add_subplot().plot([1, 2])  # an old drawing, to be cleared
    out = plot_digit_grid(X, y, digits=[7, 0], ncols=5, fig=fig)
    assert out is fig
    assert [ax.get_title() for ax in _plot_axes(fig)] == ["digit 7", "digit 0"]


def test_digit_grid_accepts_3d_images(images):
    X, y = images
    fig = plot_digit_grid(X.reshape(-1, 28, 28), y, digits=[3])
    np.testing.assert_array_equal(
        fig.axes[0].images[0].get_array(), X[np.flatnonzero(y == 3)[0]].reshape(28, 28)
    )


def test_digit_grid_on_real_mnist(request):
    if not os.environ.get("MNIST_LR_DATA"):
        pytest.skip("MNIST_LR_DATA is not set")
    X, y = request.getfixturevalue("mnist")
    fig = plot_digit_grid(X, y, digits=range(10), ncols=5)
    for ax, digit in zip(_image_axes(fig), range(10), strict=True):
        first = np.flatnonzero(y == digit)[0]
        assert y[first] == digit
        np.testing.assert_array_equal(ax.images[0].get_array(), X[first].reshape(28, 28))
    # MNIST starts 5, 0, 4, 1, 9: the panel "digit 1" must show row 3, not row 1.
    assert list(y[:5]) == [5, 0, 4, 1, 9]
    np.testing.assert_array_equal(_image_axes(fig)[1].images[0].get_array(), X[3].reshape(28, 28))


# --------------------------------------------------------------------------
# 2. plot_training_curves
# --------------------------------------------------------------------------


def test_training_curves_show_the_history(fitted_model):
    history = fitted_model.history_
    fig = plot_training_curves(fitted_model)
    assert isinstance(fig, Figure)
    assert _suptitle(fig)
    loss_ax, acc_ax = fig.axes
    assert acc_ax.get_xlabel() == "epoch"
    assert loss_ax.get_ylabel() and acc_ax.get_ylabel() == "accuracy (%)"
    assert loss_ax.get_shared_x_axes().joined(loss_ax, acc_ax)
    assert len(_legend_texts(loss_ax)) >= 2
    assert len(_legend_texts(acc_ax)) >= 2

    lines = {line.get_label(): line for line in acc_ax.get_lines()}
    np.testing.assert_array_equal(lines["training"].get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(lines["training"].get_ydata(), 100 * history.train_accuracy)
    np.testing.assert_allclose(lines["validation"].get_ydata(), 100 * history.val_accuracy)
    assert to_rgba(lines["training"].get_color()) == to_rgba(TRAIN_COLOR)
    assert to_rgba(lines["validation"].get_color()) == to_rgba(VAL_COLOR)
    loss_lines = {line.get_label(): line for line in loss_ax.get_lines()}
    np.testing.assert_allclose(loss_lines["training loss"].get_ydata(), history.loss)

    # The best validation epoch: a dotted vertical line, and its value in the legend.
    best = history.best_epoch
    for ax in (loss_ax, acc_ax):
        dotted = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
        assert len(dotted) == 1
        np.testing.assert_array_equal(dotted[0].get_xdata(), [best, best])
    best_text = f"{100 * history.val_accuracy[best - 1]:.2f}%"
    assert any(best_text in text and f"epoch {best}" in text for text in _legend_texts(acc_ax))
    assert 0 < acc_ax.get_xlim()[0] <= 1


def test_training_curves_side_by_side(fitted_model):
    rows = plot_training_curves(fitted_model)
    columns = plot_training_curves(fitted_model, panels="columns")
    columns.canvas.draw()
    loss_ax, acc_ax = columns.axes
    loss_box, acc_box = loss_ax.get_position(), acc_ax.get_position()
    assert loss_box.x1 < acc_box.x0 and abs(loss_box.y0 - acc_box.y0) < 0.05  # beside it
    assert loss_ax.get_xlabel() == acc_ax.get_xlabel() == "epoch"
    assert columns.get_figwidth() > columns.get_figheight()
    for a, b in zip(rows.axes, columns.axes, strict=True):  # the same curves
        for la, lb in zip(a.get_lines(), b.get_lines(), strict=True):
            np.testing.assert_array_equal(la.get_ydata(), lb.get_ydata())
    with pytest.raises(ValueError, match='panels must be "rows" or "columns"'):
        plot_training_curves(fitted_model, panels="grid")


def test_training_curves_from_history_equals_from_model(fitted_model):
    from_model = plot_training_curves(fitted_model)
    from_history = plot_training_curves(fitted_model.history_, title="custom")
    for a, b in zip(from_model.axes, from_history.axes, strict=True):
        for la, lb in zip(a.get_lines(), b.get_lines(), strict=True):
            np.testing.assert_array_equal(la.get_ydata(), lb.get_ydata())
    assert _suptitle(from_history) == "custom"


def test_training_curves_single_epoch_and_dict():
    history = {
        "loss": [0.5],
        "train_accuracy": [0.8],
        "val_loss": [0.6],
        "val_accuracy": [0.7],
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plot_training_curves(history)
        fig.canvas.draw()
    assert fig.axes[1].get_xlim()[0] < 1 < fig.axes[1].get_xlim()[1]


# --------------------------------------------------------------------------
# 3. plot_weights
# --------------------------------------------------------------------------


def test_weights_panels_share_a_symmetric_scale():
    coef = np.random.default_rng(2).normal(size=(10, 784))
    fig = plot_weights(coef)
    assert isinstance(fig, Figure)
    assert _suptitle(fig)
    axes = _image_axes(fig)
    assert [ax.get_title() for ax in axes] == [str(k) for k in range(10)]
    assert axes[0].get_subplotspec().get_gridspec().get_geometry() == (2, 5)
    # Default scale: the 99th percentile of |w|, so a few extremes don't wash out the rest.
    limit = np.percentile(np.abs(coef), 99)
    assert limit < np.abs(coef).max()
    for ax, row in zip(axes, coef, strict=True):
        image = ax.images[0]
        assert image.get_array().shape == (28, 28)
        np.testing.assert_array_equal(image.get_array(), row.reshape(28, 28))
        assert image.get_clim() == pytest.approx((-limit, limit))
        assert image.get_cmap().name.startswith("RdBu")
    colorbars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    assert len(colorbars) == 1
    label = colorbars[0].get_xlabel() or colorbars[0].get_ylabel()
    assert "weight" in label


def test_weights_from_model_and_named_classes(fitted_model):
    fig = plot_weights(fitted_model)
    assert [ax.get_title() for ax in _image_axes(fig)] == [str(c) for c in fitted_model.classes_]
    names = list("abcdefghij")
    fig = plot_weights(fitted_model.coef_, classes=names)
    assert [ax.get_title() for ax in _image_axes(fig)] == names


def test_weights_all_zero_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot_weights(np.zeros((10, 784))).canvas.draw()


# --------------------------------------------------------------------------
# 4. plot_confusion_matrix
# --------------------------------------------------------------------------


@pytest.fixture
def matrix():
    """A 4 x 4 confusion matrix with zeros off the diagonal."""
    y_true = np.array([0] * 50 + [1] * 30 + [2] * 20 + [3] * 5)
    y_pred = y_true.copy()
    y_pred[:3] = 1
    y_pred[50:52] = 3
    y_pred[80] = 0
    result = confusion_matrix(y_true, y_pred)
    assert (result == 0).any()
    return result


def _cell_texts(ax):
    """{(row, column): text} of the annotations."""
    return {(round(t.get_position()[1]), round(t.get_position()[0])): t for t in ax.texts}


@pytest.mark.parametrize("log", [False, True])
def test_confusion_matrix_annotations_equal_the_counts(matrix, log):
    ax = plot_confusion_matrix(matrix, log=log)
    assert isinstance(ax, Axes)
    assert ax.get_title()
    assert ax.get_xlabel() == "predicted label"
    assert ax.get_ylabel() == "true label"
    assert list(ax.get_xticks()) == [0, 1, 2, 3]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "1", "2", "3"]
    cells = _cell_texts(ax)
    assert len(cells) == matrix.size
    for (i, j), count in np.ndenumerate(matrix):
        assert cells[i, j].get_text() == str(count)
    colorbar = ax.figure.axes[-1]
    assert colorbar.get_ylabel() == "count"


def test_confusion_matrix_log_with_zeros_draws_without_warnings(matrix):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plot_confusion_matrix(matrix, log=True)
        ax.figure.canvas.draw()
    image = ax.images[0]
    assert isinstance(image.norm, LogNorm)
    assert image.norm.vmin >= 1
    # Zero cells are masked, drawn in the colormap's lowest colour, and still say "0".
    shown = image.get_array()
    assert np.array_equal(np.ma.getmaskarray(shown), matrix == 0)
    assert image.get_cmap().get_bad() == pytest.approx(image.get_cmap()(0.0))
    zero_cell = tuple(np.argwhere(matrix == 0)[0])
    assert _cell_texts(ax)[zero_cell].get_text() == "0"


def test_confusion_matrix_log_with_all_zeros():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plot_confusion_matrix(np.zeros((3, 3), dtype=int), log=True)
        ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.texts] == ["0"] * 9


def test_confusion_matrix_text_contrasts_with_the_cell(matrix):
    ax = plot_confusion_matrix(matrix)
    cells = _cell_texts(ax)
    assert to_rgba(cells[0, 0].get_color()) == to_rgba("white")  # the darkest cell
    zero_cell = tuple(np.argwhere(matrix == 0)[0])
    assert to_rgba(cells[zero_cell].get_color()) == to_rgba("black")


def test_confusion_matrix_options(matrix):
    fig, ax = plt.subplots()
    out = plot_confusion_matrix(matrix, labels=list("abcd"), annotate=False, ax=ax, cmap="viridis")
    assert out is ax
    assert not ax.texts
    assert [t.get_text() for t in ax.get_xticklabels()] == list("abcd")
    rates = matrix / matrix.sum(axis=1, keepdims=True)
    ax = plot_confusion_matrix(rates)
    assert _cell_texts(ax)[0, 0].get_text() == f"{rates[0, 0]:.3g}"


# --------------------------------------------------------------------------
# 5. plot_misclassified
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def predictions(images):
    X, y = images
    y_pred = y.copy()
    y_pred[[2, 5, 9, 14, 20, 33, 41, 50, 51, 58]] = (
        y[[2, 5, 9, 14, 20, 33, 41, 50, 51, 58]] + 1
    ) % 10
    return X, y, y_pred


def test_misclassified_shows_only_mistakes(predictions):
    X, y, y_pred = predictions
    fig = plot_misclassified(X, y, y_pred, n=8)
    assert isinstance(fig, Figure)
    assert _suptitle(fig)
    axes = _image_axes(fig)
    wrong = np.flatnonzero(y != y_pred)[:8]
    assert len(axes) == 8
    for ax, row in zip(axes, wrong, strict=True):
        assert ax.get_title() == f"true {y[row]} → pred {y_pred[row]}"
        np.testing.assert_array_equal(ax.images[0].get_array(), X[row].reshape(28, 28))
    assert "8 of 10" in _suptitle(fig)


def test_misclassified_filters_by_pair(predictions):
    X, y, y_pred = predictions
    row = np.flatnonzero(y != y_pred)[0]
    t, p = y[row], y_pred[row]
    fig = plot_misclassified(X, y, y_pred, true_label=t, predicted_label=p, n=20)
    titles = [ax.get_title() for ax in _image_axes(fig)]
    expected = np.sum((y == t) & (y_pred == p))
    assert titles == [f"true {t} → pred {p}"] * expected
    # Few images: as many columns as images, not the full ncols.
    assert _image_axes(fig)[0].get_subplotspec().get_gridspec().get_geometry() == (1, expected)
    fig = plot_misclassified(X, y, y_pred, predicted_label=p)
    assert all(ax.get_title().endswith(f"pred {p}") for ax in _image_axes(fig))


# --------------------------------------------------------------------------
# 6. plot_kfold_curves
# --------------------------------------------------------------------------


def test_kfold_curves_mean_and_std_in_percent(curves):
    ax = plot_kfold_curves(curves)
    assert isinstance(ax, Axes)
    assert "3-fold" in ax.get_title()
    assert ax.get_xlabel() == "epoch"
    assert ax.get_ylabel() == "accuracy (%)"
    assert 0 < ax.get_xlim()[0] < 1  # epochs start at 1; no "epoch 0" tick
    assert _legend_texts(ax) == [
        "training (mean ± std over 3 folds)",
        "validation (mean ± std over 3 folds)",
    ]
    assert len(ax.containers) == 2
    for container, data, color in zip(
        ax.containers,
        (curves.train_accuracy, curves.val_accuracy),
        (TRAIN_COLOR, VAL_COLOR),
        strict=True,
    ):
        line, caps, (bars,) = container.lines
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4])
        np.testing.assert_allclose(line.get_ydata(), 100 * data.mean(axis=0))
        assert to_rgba(line.get_color()) == to_rgba(color)
        assert caps  # capsize was set
        heights = [segment[1, 1] - segment[0, 1] for segment in bars.get_segments()]
        np.testing.assert_allclose(heights, 2 * 100 * data.std(axis=0))


def test_kfold_curves_from_kfold_curves_on_given_axes():
    rng = np.random.default_rng(3)
    X = rng.random((45, 6))
    y = (X[:, 0] > 0.5).astype(int)
    result = kfold_curves(
        X, y, SoftmaxRegression(batch_size=None), n_splits=3, epochs=2, random_state=0
    )
    fig, ax = plt.subplots()
    out = plot_kfold_curves(result, ax=ax, title="custom")
    assert out is ax
    assert ax.get_title() == "custom"


def test_weights_explicit_limit():
    coef = np.random.default_rng(3).normal(size=(10, 784))
    full = np.abs(coef).max()
    fig = plot_weights(coef, limit=full)
    for ax in _image_axes(fig):
        assert ax.images[0].get_clim() == pytest.approx((-full, full))
    with pytest.raises(ValueError, match="limit"):
        plot_weights(coef, limit=-1.0)


# --------------------------------------------------------------------------
# The figure options the notebooks rely on
# --------------------------------------------------------------------------


def test_training_curves_dashed_validation_everywhere(fitted_model, curves):
    fig = plot_training_curves(fitted_model)
    for ax in fig.axes:
        styles = {line.get_label(): line.get_linestyle() for line in ax.get_lines()}
        assert [style for label, style in styles.items() if label.startswith("training")] == ["-"]
        assert [style for label, style in styles.items() if label.startswith("validation")] == [
            "--"
        ]
    ax = plot_kfold_curves(curves)
    styles = [container.lines[0].get_linestyle() for container in ax.containers]
    assert styles == ["-", "--"]


def test_training_curves_start_is_drawn_as_epoch_zero(fitted_model):
    start = {"loss": 2.5, "val_loss": 2.4, "train_accuracy": 0.11, "val_accuracy": 0.12}
    fig = plot_training_curves(fitted_model, start=start)
    loss_ax, acc_ax = fig.axes
    train_loss = loss_ax.get_lines()[0]
    assert train_loss.get_xdata()[0] == 0
    assert train_loss.get_ydata()[0] == 2.5
    np.testing.assert_allclose(train_loss.get_ydata()[1:], fitted_model.history_.loss)
    val_acc = acc_ax.get_lines()[1]
    assert val_acc.get_ydata()[0] == pytest.approx(12.0)
    assert acc_ax.get_xlim()[0] < 0 < acc_ax.get_xlim()[0] + 1
    # The best epoch is still the model's, not shifted by the added point.
    assert acc_ax.get_lines()[-1].get_xdata()[0] == fitted_model.best_epoch_
    with pytest.raises(ValueError, match="start must be a dict"):
        plot_training_curves(fitted_model, start={"loss": 1.0})
    with pytest.raises(ValueError, match="logarithmic"):
        plot_training_curves(fitted_model, start=start, log_epochs=True)


def test_training_curves_log_epochs(fitted_model):
    fig = plot_training_curves(fitted_model, log_epochs=True)
    assert all(ax.get_xscale() == "log" for ax in fig.axes)
    assert "log" in fig.axes[1].get_xlabel()


def test_misclassified_titles_show_the_probability(predictions):
    X, y, pred = predictions
    probabilities = np.linspace(0.3, 0.9, len(y))
    fig = plot_misclassified(X, y, pred, probabilities=probabilities, n=4)
    rows = np.flatnonzero(y != pred)[:4]
    assert [ax.get_title() for ax in fig.axes] == [f"p = {probabilities[r]:.2f}" for r in rows]
    assert "probability" in _suptitle(fig)
    with pytest.raises(ValueError, match="probabilities has 3 values"):
        plot_misclassified(X, y, pred, probabilities=[0.5, 0.5, 0.5])


def test_fold_diagram_colours_each_sample_once_per_fold():
    folds = kfold_indices(14, 5, random_state=0)
    ax = plots.plot_fold_diagram(folds, 14)
    grid = ax.images[0].get_array()
    assert grid.shape == (5, 14)
    assert (np.asarray(grid == 2).sum(axis=0) == 1).all()  # validated once per sample
    for i, (_, val) in enumerate(folds):
        assert set(np.flatnonzero(np.asarray(grid[i]) == 2)) == set(val)
    with pytest.raises(ValueError, match="unused"):
        plots.plot_fold_diagram(folds[:1], 20)


def test_kfold_comparison_one_legend_one_ylabel_own_ranges(curves):
    small = KFoldCurves(curves.train_accuracy * 0.5, curves.val_accuracy * 0.5, curves.loss)
    fig = plots.plot_kfold_comparison({1000: curves, 100: small})
    axes = _plot_axes(fig)
    assert [ax.get_title() for ax in axes] == ["1,000 images", "100 images"]
    assert [bool(ax.get_ylabel()) for ax in axes] == [True, False]
    assert all(ax.get_legend() is None for ax in axes) and len(fig.legends) == 1
    assert axes[0].get_ylim()[0] > axes[1].get_ylim()[1]  # each panel its own range
    with pytest.raises(TypeError, match="non-empty dict"):
        plots.plot_kfold_comparison({})


def test_side_by_side_panels_share_the_y_range(fitted_model):
    fig = plots.plot_histories_side_by_side({"one": fitted_model, "two": fitted_model})
    first, second = _plot_axes(fig)
    assert first.get_ylim() == second.get_ylim()
    assert first.get_title().startswith("one\nvalidation after epoch 3")
    fig = plots.plot_histories_side_by_side({"one": fitted_model}, ylim=(0, 100))
    assert _plot_axes(fig)[0].get_ylim() == (0, 100)


def test_rows_of_panels_fit_the_widest_figure_the_site_shows(fitted_model, curves):
    """The reading site scales a wider figure down until its text is too small to read."""
    from mnist_lr._plot_base import MAX_WIDTH

    images = np.random.default_rng(0).random((20, 784))
    figures = {
        "side by side": plots.plot_histories_side_by_side({f"{k}": fitted_model
                                                            for k in range(5)}),
        "k-fold comparison": plots.plot_kfold_comparison({n: curves for n in (10, 20, 30, 40)}),
        "before and after": plots.plot_before_after(images, images, n=20),
        "weight rows": plots.plot_weight_rows({"a": fitted_model, "b": fitted_model}),
        "misclassified": plots.plot_misclassified(images, [1] * 20, [2] * 20, n=16),
    }
    for name, fig in figures.items():
        assert fig.get_figwidth() <= MAX_WIDTH, name
    assert figures["side by side"].get_figwidth() == MAX_WIDTH  # the panels shrank


def test_side_by_side_can_quote_the_mean_of_the_last_epochs(fitted_model):
    fig = plots.plot_histories_side_by_side({"one": fitted_model}, mean_of_last=2)
    mean = 100 * fitted_model.history_.val_accuracy[-2:].mean()
    title = _plot_axes(fig)[0].get_title()
    assert title == f"one\nvalidation, last 2 epochs: mean {mean:.1f}%"


def test_weights_colorbar_label(fitted_model):
    fig = plot_weights(fitted_model, colorbar_label="mean pixel value")
    colorbar_ax = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"][0]
    assert "mean pixel value" in (colorbar_ax.get_xlabel() + colorbar_ax.get_ylabel())


def test_plot_weights_unsigned_uses_a_sequential_scale_from_zero():
    from mnist_lr.plots import IMAGE_CMAP, plot_weights

    rows = np.random.default_rng(0).random((3, 784))
    fig = plot_weights(rows, signed=False, colorbar_label="mean pixel value")
    image = fig.axes[0].images[0]
    assert image.get_cmap().name == IMAGE_CMAP
    assert image.get_clim() == (0.0, rows.max())
    with pytest.raises(ValueError, match="negative"):
        plot_weights(rows - 0.5, signed=False)


def test_plot_score_contributions_gives_each_panel_its_own_colour_bar():
    from mnist_lr.plots import plot_score_contributions

    rng = np.random.default_rng(1)
    image, weights = rng.random(784), rng.normal(size=784)
    fig = plot_score_contributions(image, weights)
    assert len(fig.axes) == 6  # three panels, three colour bars
    labels = [ax.get_xlabel() for ax in fig.axes[3:]]
    assert labels == ["pixel value (0 paper, 1 ink)", "weight", "contribution to the score"]
    product = fig.axes[2].images[0]
    np.testing.assert_allclose(product.get_array().ravel(), image * weights)
    assert product.get_clim()[1] == pytest.approx(np.abs(image * weights).max())
    with pytest.raises(ValueError, match="weights"):
        plot_score_contributions(image, weights[:100])


# --------------------------------------------------------------------------
# Bad input meets a clear error
# --------------------------------------------------------------------------


@pytest.fixture
def given(images, predictions, curves, matrix):
    """The sound inputs of the figures, for the table below to spoil."""
    X, y = images
    return SimpleNamespace(X=X, y=y, y_pred=predictions[2], curves=curves, matrix=matrix)


def _short_val_loss():
    return TrainingHistory(loss=np.ones(3), train_accuracy=np.ones(3), val_loss=np.ones(2),
                           val_accuracy=np.ones(3))


BAD_INPUT = {  # id: (figure of the inputs, error, match)
    "grid, digit not in y": (lambda g: plot_digit_grid(g.X, g.y, digits=[1, 11]), ValueError,
                             r"digits \[11\] do not occur in y"),
    "grid, 783 pixels": (lambda g: plot_digit_grid(g.X[:, :783], g.y), ValueError, "X"),
    "grid, lengths": (lambda g: plot_digit_grid(g.X, g.y[:-1]), ValueError,
                      "X and y have different lengths"),
    "grid, no digits": (lambda g: plot_digit_grid(g.X, g.y, digits=[]), ValueError, "digits"),
    "grid, ncols": (lambda g: plot_digit_grid(g.X, g.y, ncols=2.5), TypeError, "ncols"),
    "grid, fig": (lambda g: plot_digit_grid(g.X, g.y, fig="figure"), TypeError, "fig"),
    "grid, text": (lambda g: plot_digit_grid(np.full((2, 784), "a"), [1, 2], digits=[1]),
                   TypeError, "X must hold numbers"),
    "curves, unfitted": (lambda g: plot_training_curves(SoftmaxRegression()), ValueError,
                         "not fitted"),
    "curves, a list": (lambda g: plot_training_curves([0.1, 0.2]), TypeError, "history must be"),
    "curves, empty": (lambda g: plot_training_curves(TrainingHistory()), ValueError,
                      "history is empty"),
    "curves, lengths": (lambda g: plot_training_curves(_short_val_loss()), ValueError,
                        "same length"),
    "curves, keys": (lambda g: plot_training_curves({"loss": [1.0]}), ValueError,
                     "missing the keys"),
    "weights, 783": (lambda g: plot_weights(np.zeros((10, 783))), ValueError, "coef"),
    "weights, 1-D": (lambda g: plot_weights(np.zeros(784)), ValueError, "coef must be 2-D"),
    "weights, classes": (lambda g: plot_weights(np.zeros((10, 784)), classes=[0, 1, 2]),
                         ValueError, "classes has 3 entries"),
    "weights, unfitted": (lambda g: plot_weights(SoftmaxRegression()), ValueError, "not fitted"),
    "weights, NaN": (lambda g: plot_weights(np.full((10, 784), np.nan)), ValueError, "finite"),
    "confusion, not square": (lambda g: plot_confusion_matrix(np.zeros((2, 3))), ValueError,
                              "square"),
    "confusion, negative": (lambda g: plot_confusion_matrix(-np.eye(2)), ValueError, "negative"),
    "confusion, labels": (lambda g: plot_confusion_matrix(g.matrix, labels=[0, 1]), ValueError,
                          "labels has 2 entries"),
    "confusion, ax": (lambda g: plot_confusion_matrix(g.matrix, ax=plt.figure()), TypeError,
                      "ax must be"),
    "confusion, log": (lambda g: plot_confusion_matrix(g.matrix, log="yes"), TypeError, "log"),
    # matplotlib's own message names the colormap.
    "confusion, cmap": (lambda g: plot_confusion_matrix(g.matrix, cmap="no-such-colormap"),
                        ValueError, "'no-such-colormap' is not a valid value"),
    "mistakes, none": (lambda g: plot_misclassified(g.X, g.y, g.y), ValueError,
                       "no misclassified images"),
    "mistakes, no such pair": (lambda g: plot_misclassified(g.X, g.y, g.y_pred, true_label=3,
                                                            predicted_label=7),
                               ValueError, "nothing to show"),
    "mistakes, same label": (lambda g: plot_misclassified(g.X, g.y, g.y_pred, true_label=3,
                                                          predicted_label=3),
                             ValueError, "correct predictions"),
    "mistakes, lengths": (lambda g: plot_misclassified(g.X, g.y, g.y_pred[:5]), ValueError,
                          "y_pred"),
    "mistakes, n": (lambda g: plot_misclassified(g.X, g.y, g.y_pred, n=0), ValueError,
                    "n must be >= 1"),
    "kfold, an array": (lambda g: plot_kfold_curves(np.zeros((3, 4))), TypeError, "KFoldCurves"),
    "kfold, shapes": (lambda g: plot_kfold_curves(KFoldCurves(
        g.curves.train_accuracy, g.curves.val_accuracy[:, :2], g.curves.loss)),
                      ValueError, "same shape"),
    "kfold, ax": (lambda g: plot_kfold_curves(g.curves, ax="axes"), TypeError, "ax must be"),
}


@pytest.mark.parametrize("figure, error, match", BAD_INPUT.values(), ids=BAD_INPUT)
def test_bad_input_is_a_clear_error(given, figure, error, match):
    with pytest.raises(error, match=match):
        figure(given)


# --------------------------------------------------------------------------
# Accuracies outside [0, 1], and the rules shared with the rest of the package
# --------------------------------------------------------------------------


def _history(val_accuracy):
    n = len(val_accuracy)
    return TrainingHistory(loss=np.ones(n), train_accuracy=np.full(n, 0.5),
                           val_loss=np.ones(n), val_accuracy=np.asarray(val_accuracy, float))


@pytest.mark.parametrize("bad, match", [(7.0, "got 7; divide percentages by 100"),
                                        (-0.1, "got -0.1$"), (700.0, "got 700$")])
def test_accuracies_outside_0_1_are_refused_wherever_they_are_drawn(curves, bad, match):
    match = f"accuracies as fractions between 0 and 1, {match}"
    with pytest.raises(ValueError, match=f"history.val_accuracy must hold {match}"):
        plot_training_curves(_history([0.5, bad]))
    with pytest.raises(ValueError, match=match):
        plots.plot_histories_side_by_side({"run": _history([bad])})
    start = {"loss": 1.0, "train_accuracy": bad, "val_loss": 1.0, "val_accuracy": 0.5}
    with pytest.raises(ValueError, match=f"history.train_accuracy must hold {match}"):
        plot_training_curves(_history([0.5]), start=start)
    high = KFoldCurves(curves.train_accuracy, np.full_like(curves.val_accuracy, bad), curves.loss)
    with pytest.raises(ValueError, match=match):
        plot_kfold_curves(high)
    with pytest.raises(ValueError, match=f"val_mean must hold {match}"):
        plots.plot_validation_curve([0.1, 1.0], [0.9, 0.8], [0.8, bad])
    with pytest.raises(ValueError, match=match):
        plots.plot_learning_curve([10, 100], {"a": ([0.9, 0.9], [bad, 0.8])})
    plot_training_curves(_history([0.0, 1.0]))  # the ends of the range are accuracies


def test_the_curves_draw_the_models_history_fields_but_the_penalty():
    import dataclasses

    from mnist_lr._plot_curves import HISTORY_FIELDS

    fields = tuple(f.name for f in dataclasses.fields(TrainingHistory))
    assert HISTORY_FIELDS == tuple(name for name in fields if name != "penalty")
    keys = re.escape(str(list(HISTORY_FIELDS)))
    with pytest.raises(ValueError, match=f"start must be a dict with the keys {keys}"):
        plot_training_curves(_history([0.5]), start={})


def test_figures_check_labels_as_the_package_does(images):
    X, y = images
    mixed = np.array([0, "a"] * (len(y) // 2), dtype=object)
    with pytest.raises(ValueError, match="y_pred mixes label types"):
        plot_misclassified(X, y, mixed)
    with pytest.raises(ValueError, match=r"y must be 1-D \(one label per sample\)"):
        plot_digit_grid(X, y[:, None])
    with pytest.raises(ValueError, match="783 pixels per row is not a square number"):
        plot_digit_grid(X[:, :783], y)  # the same wording as mnist_lr.deskew


# --------------------------------------------------------------------------
# plot_validation_curve
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def search():
    """Numbers shaped like a GridSearchCV's cv_results_ over alpha."""
    return {
        "values": np.array([0.0, 0.001, 0.01, 0.1]),
        "train_mean": np.array([1.0, 0.99, 0.95, 0.90]),
        "val_mean": np.array([0.84, 0.845, 0.853, 0.83]),
        "train_std": np.array([0.0, 0.002, 0.004, 0.006]),
        "val_std": np.array([0.02, 0.021, 0.03, 0.04]),
    }


def test_validation_curve_shows_the_means_in_percent(search):
    ax = _draw_strictly(lambda: plot_validation_curve(**search, chosen=0.01))
    assert isinstance(ax, Axes)
    assert ax.get_xscale() == "log"
    assert ax.get_title() and ax.get_xlabel().startswith("alpha") and ax.get_ylabel()
    assert _legend_texts(ax) == ["training", "validation", "chosen: alpha = 0.01"]
    # Training solid in the training colour, validation dashed in the validation colour.
    train = [ln for ln in ax.get_lines() if to_rgba(ln.get_color()) == to_rgba(TRAIN_COLOR)]
    val = [ln for ln in ax.get_lines() if to_rgba(ln.get_color()) == to_rgba(VAL_COLOR)]
    assert train and val
    assert {ln.get_linestyle() for ln in train} == {"-"}
    assert {ln.get_linestyle() for ln in val} == {"--"}
    shown_val = np.concatenate([ln.get_ydata() for ln in val])
    np.testing.assert_allclose(shown_val, 100 * search["val_mean"])
    shown_train = np.concatenate([ln.get_ydata() for ln in train])
    np.testing.assert_allclose(shown_train, 100 * search["train_mean"])
    # The spreads: one error bar of ± one std at every point, the lone point at 0 included.
    bars = ax.collections
    assert len(bars) == 2
    for collection, mean, std in zip(bars, ("train_mean", "val_mean"), ("train_std", "val_std")):
        segments = collection.get_segments()
        assert len(segments) == len(search["values"])
        np.testing.assert_allclose([seg[0][1] for seg in segments],
                                   100 * (search[mean] - search[std]))
        np.testing.assert_allclose([seg[1][1] for seg in segments],
                                   100 * (search[mean] + search[std]))
        np.testing.assert_allclose([seg[0][0] for seg in segments], ax.get_xticks())


def test_validation_curve_puts_zero_a_decade_left_and_labels_it(search):
    ax = plot_validation_curve(**search)
    labels = [tick.get_text() for tick in ax.get_xticklabels()]
    assert labels == ["0", "0.001", "0.01", "0.1"]
    positions = ax.get_xticks()
    assert positions[0] == pytest.approx(1e-4)
    np.testing.assert_allclose(positions[1:], search["values"][1:])
    # The lines break between 0 and the first positive value.
    train = [ln for ln in ax.get_lines() if to_rgba(ln.get_color()) == to_rgba(TRAIN_COLOR)]
    assert [len(ln.get_xdata()) for ln in train] == [1, 3]
    assert "0 = no penalty" in ax.get_xlabel()


def test_validation_curve_marks_the_chosen_value(search):
    ax = plot_validation_curve(**search, chosen=0.0)
    vertical = [ln for ln in ax.get_lines() if ln.get_linestyle() == ":"]
    assert len(vertical) == 1
    assert vertical[0].get_xdata()[0] == pytest.approx(1e-4)


def test_validation_curve_without_std_or_zero_and_on_given_axes():
    fig, ax = plt.subplots()
    out = plot_validation_curve([0.1, 1, 10], [0.9, 0.8, 0.7], [0.85, 0.8, 0.6],
                                param_name="C", ax=ax, title="C")
    assert out is ax
    assert not ax.collections
    assert ax.get_title() == "C"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.1", "1", "10"]
    assert ax.get_xlabel() == "C (log scale)"


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"values": [0.0, -1.0, 0.1, 1.0]}, ValueError, "values must be >= 0"),
        ({"values": [0.0, 0.1, 0.01, 1.0]}, ValueError, "increasing order"),
        ({"values": [0.0, 0.1, 0.1, 1.0]}, ValueError, "must not repeat"),
        ({"values": []}, ValueError, "values is empty"),
        ({"val_mean": [0.8, 0.8]}, ValueError, "val_mean has 2 entries"),
        ({"train_std": [0.1]}, ValueError, "train_std has 1 entries"),
        ({"train_mean": ["a", "b", "c", "d"]}, TypeError, "train_mean must hold numbers"),
        ({"val_mean": [0.8, np.nan, 0.8, 0.8]}, ValueError, "finite"),
        ({"chosen": 0.5}, ValueError, "chosen=0.5 is not one of"),
        ({"chosen": "best"}, TypeError, "chosen must be a real number"),
        ({"param_name": 3}, TypeError, "param_name must be a string"),
        ({"ax": "axes"}, TypeError, "ax must be a matplotlib Axes"),
    ],
)
def test_validation_curve_rejects_bad_input(search, change, error, match):
    with pytest.raises(error, match=match):
        plot_validation_curve(**{**search, **change})


# --------------------------------------------------------------------------
# plot_learning_curve
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def learning():
    sizes = np.array([100, 1000, 10000, 56000])
    return sizes, {
        "no penalty": (np.array([1.0, 0.99, 0.95, 0.93]), np.array([0.70, 0.85, 0.90, 0.92])),
        "L2": (np.array([0.95, 0.95, 0.94, 0.93]), np.array([0.74, 0.87, 0.905, 0.92])),
    }


def test_learning_curve_one_colour_per_model_train_solid_val_dashed(learning):
    sizes, curves = learning
    ax = _draw_strictly(lambda: plot_learning_curve(sizes, curves))
    assert ax.get_xscale() == "log"
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert _legend_texts(ax) == [
        "no penalty: training", "no penalty: validation", "L2: training", "L2: validation",
    ]
    lines = ax.get_lines()
    assert [ln.get_linestyle() for ln in lines] == ["-", "--", "-", "--"]
    assert lines[0].get_color() == lines[1].get_color() != lines[2].get_color()
    assert lines[2].get_color() == lines[3].get_color()
    for line, data in zip(lines, [a for pair in curves.values() for a in pair]):
        np.testing.assert_array_equal(line.get_xdata(), sizes)
        np.testing.assert_allclose(line.get_ydata(), 100 * data)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["100", "1,000", "10,000", "56,000"]


@pytest.mark.parametrize(
    ("sizes", "curves", "error", "match"),
    [
        ([100, 10], {"a": ([1, 1], [1, 1])}, ValueError, "increasing order"),
        ([0, 10], {"a": ([1, 1], [1, 1])}, ValueError, "positive"),
        ([10, 100], {}, TypeError, "non-empty dict"),
        ([10, 100], [([1, 1], [1, 1])], TypeError, "non-empty dict"),
        ([10, 100], {"a": ([1, 1],)}, ValueError, r"curves\['a'\] must be a pair"),
        ([10, 100], {"a": ([1, 1], [1, 1, 1])}, ValueError, "has 3 entries"),
        ([10, 100], {1: ([1, 1], [1, 1])}, TypeError, "model names"),
        ([10, 100], {str(k): ([1, 1], [1, 1]) for k in range(9)}, ValueError, "at most"),
    ],
)
def test_learning_curve_rejects_bad_input(sizes, curves, error, match):
    with pytest.raises(error, match=match):
        plot_learning_curve(sizes, curves)


# --------------------------------------------------------------------------
# plot_weight_rows
# --------------------------------------------------------------------------


def test_weight_rows_one_row_per_model_each_with_its_own_scale():
    rng = np.random.default_rng(0)
    noisy = rng.normal(scale=5.0, size=(10, 784))
    smooth = np.tile(np.linspace(-0.1, 0.1, 784), (10, 1))
    fig = _draw_strictly(lambda: plot_weight_rows({"alpha = 0": noisy, "alpha = 0.01": smooth}))
    assert isinstance(fig, Figure)
    assert fig.get_suptitle()
    assert [sub.get_suptitle() for sub in fig.subfigs] == ["alpha = 0", "alpha = 0.01"]
    for sub, coef in zip(fig.subfigs, (noisy, smooth)):
        images = [ax for ax in sub.axes if ax.images]
        assert len(images) == 10
        np.testing.assert_array_equal(images[3].images[0].get_array(), coef[3].reshape(28, 28))
        low, high = images[0].images[0].get_clim()
        assert low == -high
        assert high == pytest.approx(np.percentile(np.abs(coef), 99))


def test_weight_rows_accept_fitted_models():
    rng = np.random.default_rng(1)
    X, y = rng.random((40, 784)), np.arange(40) % 10
    model = SoftmaxRegression(max_epochs=2, batch_size=None, patience=None, random_state=0)
    model.fit(X, y)
    fig = plot_weight_rows({"one model": model})
    titles = [ax.get_title() for ax in fig.subfigs[0].axes if ax.images]
    assert titles == [str(k) for k in range(10)]


@pytest.mark.parametrize(
    ("coefs", "error", "match"),
    [
        ({}, TypeError, "non-empty dict"),
        (np.zeros((10, 784)), TypeError, "non-empty dict"),
        ({1: np.zeros((10, 784))}, TypeError, "must be a string"),
        ({"a": np.zeros((10, 783))}, ValueError, "square"),
    ],
)
def test_weight_rows_reject_bad_input(coefs, error, match):
    with pytest.raises(error, match=match):
        plot_weight_rows(coefs)


# --------------------------------------------------------------------------
# plot_before_after
# --------------------------------------------------------------------------


def test_before_after_shows_both_rows_in_order():
    rng = np.random.default_rng(2)
    before = rng.random((12, 784))
    after = before[:, ::-1].copy()
    fig = _draw_strictly(lambda: plot_before_after(before, after, n=6, names=("a", "b")))
    axes = [ax for ax in fig.axes if ax.images]
    assert len(axes) == 12
    assert axes[0].get_ylabel() == "a" and axes[6].get_ylabel() == "b"
    np.testing.assert_array_equal(axes[2].images[0].get_array(), before[2].reshape(28, 28))
    np.testing.assert_array_equal(axes[8].images[0].get_array(), after[2].reshape(28, 28))
    assert fig.get_suptitle()


def test_before_after_accepts_3d_images():
    images = np.random.default_rng(3).random((3, 28, 28))
    fig = plot_before_after(images, images, n=3)
    assert len([ax for ax in fig.axes if ax.images]) == 6


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"after": np.zeros((4, 784))}, ValueError, "same shape"),
        ({"n": 0}, ValueError, "n must be >= 1"),
        ({"n": 6}, ValueError, "n must be <= 5"),
        ({"names": "ab"}, ValueError, "pair of row titles"),
        ({"names": ("a", "b", "c")}, ValueError, "pair of row titles"),
        ({"before": np.zeros((5, 783))}, ValueError, "square"),
    ],
)
def test_before_after_rejects_bad_input(kwargs, error, match):
    arguments = {"before": np.zeros((5, 784)), "after": np.zeros((5, 784)), "n": 3, **kwargs}
    with pytest.raises(error, match=match):
        plot_before_after(**arguments)


# --------------------------------------------------------------------------
# plot_error_rates
# --------------------------------------------------------------------------


def test_error_rates_bars_equal_the_errors_measured_first():
    measured = {"ours": 0.9250, "scikit-learn": 0.9256, "ours, deskewed": 0.955}
    published = {"linear (1998)": 12.0, "linear, deskewed (1998)": 8.4}
    ax = _draw_strictly(lambda: plot_error_rates(measured, published))
    widths = [bar.get_width() for bar in ax.patches]
    np.testing.assert_allclose(widths, [7.5, 7.44, 4.5, 12.0, 8.4])
    assert [t.get_text() for t in ax.get_yticklabels()] == list(measured) + list(published)
    # The first entry is drawn on top.
    assert list(ax.get_yticks()) == [4, 3, 2, 1, 0]
    assert [t.get_text() for t in ax.texts] == ["7.50%", "7.44%", "4.50%", "12.0%", "8.4%"]
    assert ax.patches[3].get_hatch() == "//" and not ax.patches[0].get_hatch()
    assert _legend_texts(ax) == ["measured here", "published"]
    assert "error" in ax.get_xlabel() and ax.get_title()


def test_error_rates_measured_only():
    ax = plot_error_rates({"ours": 0.9})
    assert _legend_texts(ax) == ["measured here"]


@pytest.mark.parametrize(
    ("measured", "published", "error", "match"),
    [
        ({}, None, ValueError, "at least one"),
        ({"ours": 92.5}, None, ValueError, "between 0 and 1"),
        ({"ours": 0.9}, {"paper": 120.0}, ValueError, "percent"),
        ([0.9], None, TypeError, "dict"),
        ({"ours": "high"}, None, TypeError, "real number"),
    ],
)
def test_error_rates_reject_bad_input(measured, published, error, match):
    with pytest.raises(error, match=match):
        plot_error_rates(measured, published)


def test_weight_norm_draws_one_line_per_model_and_marks_the_early_stop():
    ax = plot_weight_norm([1, 2, 4, 8], {"alpha = 0": [1.0, 2.0, 3.0, 4.0],
                                        "alpha = 0.01": [1.0, 1.8, 2.2, 2.3]},
                          stops={"alpha = 0.01": (3, 2.1)}, title="norms")
    assert ax.get_title() == "norms" and ax.get_xscale() == "log"
    assert ax.get_xlabel().startswith("epoch") and "||W||" in ax.get_ylabel()
    assert _legend_texts(ax) == ["alpha = 0", "alpha = 0.01",
                                 "alpha = 0.01: kept by early stopping"]
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [1.0, 1.8, 2.2, 2.3])
    with pytest.raises(ValueError, match="one norm per epoch"):
        plot_weight_norm([1, 2], {"a": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="increasing"):
        plot_weight_norm([2, 1], {"a": [1.0, 2.0]})
