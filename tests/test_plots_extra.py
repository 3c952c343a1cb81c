"""Tests of the figures of notebooks 09 and 10 in mnist_lr.plots.

Validation curves, learning curves, rows of weights, before/after images and
error-rate bars: each draws without warnings, is labelled, shows the numbers
it was given, and turns bad input into a clear error.
"""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from mnist_lr import SoftmaxRegression, plots  # noqa: E402
from mnist_lr.plots import (  # noqa: E402
    TRAIN_COLOR,
    VAL_COLOR,
    plot_before_after,
    plot_error_rates,
    plot_learning_curve,
    plot_validation_curve,
    plot_weight_norm,
    plot_weight_rows,
)

NEW = [
    "plot_validation_curve",
    "plot_learning_curve",
    "plot_weight_rows",
    "plot_before_after",
    "plot_error_rates",
]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


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


def _legend(ax):
    legend = ax.get_legend()
    assert legend is not None
    return [text.get_text() for text in legend.get_texts()]


def _data_lines(ax):
    """Lines with more than one point that are not vertical markers."""
    return [line for line in ax.get_lines() if len(np.unique(line.get_xdata())) > 1]


def _draw_strictly(make):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = make()
        figure = result if isinstance(result, Figure) else result.figure
        figure.canvas.draw()
    return result


def test_new_functions_are_exported():
    assert set(NEW) <= set(plots.__all__)
    # The earlier figures are still exported too.
    assert "plot_weights" in plots.__all__


# --------------------------------------------------------------------------
# plot_validation_curve
# --------------------------------------------------------------------------


def test_validation_curve_shows_the_means_in_percent(search):
    ax = _draw_strictly(lambda: plot_validation_curve(**search, chosen=0.01))
    assert isinstance(ax, Axes)
    assert ax.get_xscale() == "log"
    assert ax.get_title() and ax.get_xlabel().startswith("alpha") and ax.get_ylabel()
    assert _legend(ax) == ["training", "validation", "chosen: alpha = 0.01"]
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
    assert _legend(ax) == [
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
    assert _legend(ax) == ["measured here", "published"]
    assert "error" in ax.get_xlabel() and ax.get_title()


def test_error_rates_measured_only():
    ax = plot_error_rates({"ours": 0.9})
    assert _legend(ax) == ["measured here"]


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
    assert _legend(ax) == ["alpha = 0", "alpha = 0.01", "alpha = 0.01: kept by early stopping"]
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [1.0, 1.8, 2.2, 2.3])
    with pytest.raises(ValueError, match="one norm per epoch"):
        plot_weight_norm([1, 2], {"a": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="increasing"):
        plot_weight_norm([2, 1], {"a": [1.0, 2.0]})
