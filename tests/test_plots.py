"""Tests of mnist_lr.plots: every figure draws, is labelled, and shows the right data."""

from __future__ import annotations

import doctest
import os
import re
import warnings

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
    plot_confusion_matrix,
    plot_digit_grid,
    plot_kfold_curves,
    plot_misclassified,
    plot_training_curves,
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


def test_digit_grid_rejects_bad_input(images):
    X, y = images
    with pytest.raises(ValueError, match=r"digits \[11\] do not occur in y"):
        plot_digit_grid(X, y, digits=[1, 11])
    with pytest.raises(ValueError, match="X"):
        plot_digit_grid(X[:, :783], y)
    with pytest.raises(ValueError, match="X and y have different lengths"):
        plot_digit_grid(X, y[:-1])
    with pytest.raises(ValueError, match="digits"):
        plot_digit_grid(X, y, digits=[])
    with pytest.raises(TypeError, match="ncols"):
        plot_digit_grid(X, y, ncols=2.5)
    with pytest.raises(TypeError, match="fig"):
        plot_digit_grid(X, y, fig="figure")
    with pytest.raises(TypeError, match="X must hold numbers"):
        plot_digit_grid(np.full((2, 784), "a"), [1, 2], digits=[1])


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


def test_training_curves_reject_bad_input():
    with pytest.raises(ValueError, match="not fitted"):
        plot_training_curves(SoftmaxRegression())
    with pytest.raises(TypeError, match="history must be"):
        plot_training_curves([0.1, 0.2])
    with pytest.raises(ValueError, match="history is empty"):
        plot_training_curves(TrainingHistory())
    bad = TrainingHistory(
        loss=np.ones(3), train_accuracy=np.ones(3), val_loss=np.ones(2), val_accuracy=np.ones(3)
    )
    with pytest.raises(ValueError, match="same length"):
        plot_training_curves(bad)
    with pytest.raises(ValueError, match="missing the keys"):
        plot_training_curves({"loss": [1.0]})


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


def test_weights_reject_bad_input():
    with pytest.raises(ValueError, match="coef"):
        plot_weights(np.zeros((10, 783)))
    with pytest.raises(ValueError, match="coef must be 2-D"):
        plot_weights(np.zeros(784))
    with pytest.raises(ValueError, match="classes has 3 entries"):
        plot_weights(np.zeros((10, 784)), classes=[0, 1, 2])
    with pytest.raises(ValueError, match="not fitted"):
        plot_weights(SoftmaxRegression())
    with pytest.raises(ValueError, match="finite"):
        plot_weights(np.full((10, 784), np.nan))


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


def test_confusion_matrix_rejects_bad_input(matrix):
    with pytest.raises(ValueError, match="square"):
        plot_confusion_matrix(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="negative"):
        plot_confusion_matrix(-np.eye(2))
    with pytest.raises(ValueError, match="labels has 2 entries"):
        plot_confusion_matrix(matrix, labels=[0, 1])
    with pytest.raises(TypeError, match="ax must be"):
        plot_confusion_matrix(matrix, ax=plt.figure())
    with pytest.raises(TypeError, match="log"):
        plot_confusion_matrix(matrix, log="yes")
    # matplotlib's own message names the colormap: "'no-such-colormap' is not a valid value".
    with pytest.raises(ValueError, match="'no-such-colormap' is not a valid value"):
        plot_confusion_matrix(matrix, cmap="no-such-colormap")


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


def test_misclassified_rejects_bad_input(predictions):
    X, y, y_pred = predictions
    with pytest.raises(ValueError, match="no misclassified images"):
        plot_misclassified(X, y, y)
    with pytest.raises(ValueError, match="nothing to show"):
        plot_misclassified(X, y, y_pred, true_label=3, predicted_label=7)
    with pytest.raises(ValueError, match="correct predictions"):
        plot_misclassified(X, y, y_pred, true_label=3, predicted_label=3)
    with pytest.raises(ValueError, match="y_pred"):
        plot_misclassified(X, y, y_pred[:5])
    with pytest.raises(ValueError, match="n must be >= 1"):
        plot_misclassified(X, y, y_pred, n=0)


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


def test_kfold_curves_reject_bad_input(curves):
    with pytest.raises(TypeError, match="KFoldCurves"):
        plot_kfold_curves(np.zeros((3, 4)))
    bad = KFoldCurves(
        train_accuracy=curves.train_accuracy,
        val_accuracy=curves.val_accuracy[:, :2],
        loss=curves.loss,
    )
    with pytest.raises(ValueError, match="same shape"):
        plot_kfold_curves(bad)
    with pytest.raises(TypeError, match="ax must be"):
        plot_kfold_curves(curves, ax="axes")


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


def test_side_by_side_can_quote_the_mean_of_the_last_epochs(fitted_model):
    fig = plots.plot_histories_side_by_side({"one": fitted_model}, mean_of_last=2)
    mean = 100 * fitted_model.history_.val_accuracy[-2:].mean()
    title = _plot_axes(fig)[0].get_title()
    assert title == f"one\nvalidation, mean of the last 2 epochs: {mean:.1f}%"


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
