"""The explorers without a browser: building them, moving a slider, what they show."""

from __future__ import annotations

import io
import subprocess
import sys
import threading

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.metrics import log_loss

from mnist_lr import SoftmaxRegression, widgets
from mnist_lr.model import ARTICLE_SETTINGS


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X = np.pad(X / 16.0, ((0, 0), (0, 784 - 64)))  # MNIST-shaped rows
    return X[:1200], y[:1200], X[1200:], y[1200:]  # X_train, y_train, X_val, y_val


@pytest.fixture(scope="module")
def digits_all(digits):
    return np.concatenate([digits[0], digits[2]]), np.concatenate([digits[1], digits[3]])


def _png(explorer):
    png = bytes(explorer.image.value)
    assert png.startswith(b"\x89PNG")
    return png


def _axes_limits(explorer):
    return [(ax.get_xlim(), ax.get_ylim()) for ax in explorer.figure.axes]


def _points_outside(figure):
    """How many points the figure's lines draw, and those outside their axes' limits."""
    drawn, outside = 0, []
    for ax in figure.axes:
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        for line in ax.get_lines():
            x = np.asarray(line.get_xdata(), dtype=float)
            if line.get_transform() is ax.get_xaxis_transform():
                y = np.full_like(x, (y0 + y1) / 2)  # a vertical marker: only its x is data
            else:
                y = np.asarray(line.get_ydata(), dtype=float)
            inside = np.isfinite(x) & np.isfinite(y) & (x0 <= x) & (x <= x1) & (y0 <= y) & (y <= y1)
            drawn += len(x)
            outside += [(ax.get_ylabel(), line.get_label(), float(a), float(b))
                        for a, b in zip(x[~inside], y[~inside], strict=True)]
    return drawn, outside


def _legends_clear_of_the_panels(figure):
    """No legend inside a panel; the figure's legend overlaps no panel."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)  # lays the figure out again, as when it was saved
    canvas.draw()
    assert all(ax.get_legend() is None for ax in figure.axes)
    assert figure.legends, "the figure has no legend"
    renderer = canvas.get_renderer()
    for legend in figure.legends:
        box = legend.get_window_extent(renderer)
        for ax in figure.axes:
            assert not box.overlaps(ax.get_window_extent(renderer)), ax.get_ylabel()


def test_learning_rate_explorer_uses_the_subsets_subsample_draws_with_its_seed(digits):
    """The explorer's subsets and runs are those of notebook 03's static cell, seed for seed."""
    from mnist_lr import subsample

    X_train, y_train, X_val, y_val = digits
    explorer = widgets.learning_rate_explorer(*digits, n_train=800, n_val=300, epochs=4,
                                              random_state=3)
    X_sub, y_sub = subsample(X_train, y_train, 800, random_state=3)
    X_val_sub, y_val_sub = subsample(X_val, y_val, 300, random_state=3)
    static = SoftmaxRegression(learning_rate=0.24, batch_size=100, patience=None, max_epochs=4,
                               restore_best=False, random_state=3)
    history = static.fit(X_sub, y_sub, X_val_sub, y_val_sub).history_
    for field in ("loss", "val_loss", "train_accuracy", "val_accuracy"):
        assert np.array_equal(getattr(explorer.model.history_, field), getattr(history, field))
    last = 100 * history.val_accuracy
    assert (f"Validation accuracy {last[-1]:.1f}% after epoch 4; from {last.min():.1f}% to "
            f"{last.max():.1f}% over epochs 1 to 4.") in explorer.caption.value
    assert "subsample(..., random_state=3)" in explorer.caption.value


def test_the_figure_holds_still_while_a_setting_trains(digits):
    """Above the image, only the status changes, and it is one line of fixed height."""
    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=2)
    children = explorer.widget.children
    above = children[:children.index(explorer.image)]
    assert explorer.caption not in above  # the caption, whose length varies, comes after
    assert "mnist-lr-status" in explorer.status._dom_classes
    style = children[0].value
    assert ".mnist-lr-status {" in style and "height: 28px" in style
    assert "white-space: nowrap" in style and "text-overflow: ellipsis" in style
    # The whole status is in its tooltip, should it not fit the line.
    explorer.update()
    assert 'title="✓ done in' in explorer.status.value


def test_learning_rate_explorer_retrains_on_slider_change(digits):
    explorer = widgets.learning_rate_explorer(*digits, n_train=800, n_val=300, epochs=5)
    slider = explorer.sliders["learning_rate"]
    assert slider.continuous_update is False  # retrain on release only
    assert min(slider.options, key=lambda o: o[1]) == ("0.001", 0.001)
    assert max(slider.options, key=lambda o: o[1]) == ("10", 10.0)
    assert "800 training images for 5 epochs" in explorer.caption.value
    before, caption_before = _png(explorer), explorer.caption.value
    assert explorer.model.n_iter_ == 5 and len(explorer.model.history_) == 5
    slider.value = 5.0
    explorer.wait()
    assert _png(explorer) != before
    assert explorer.caption.value != caption_before
    assert explorer.model.learning_rate == 5.0
    assert explorer.last_seconds is not None and explorer.last_seconds > 0
    assert "done" in explorer.status.value and "learning rate 5" in explorer.status.value


def test_the_slider_lands_exactly_on_the_articles_learning_rate(digits):
    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=2)
    slider = explorer.sliders["learning_rate"]
    values = [value for _, value in slider.options]
    assert ARTICLE_SETTINGS["learning_rate"] in values
    assert slider.value == 0.24 and slider.label == "0.24"
    # Evenly spaced on a log scale: neighbouring stops differ by 20-34%.
    ratios = np.diff(np.log10(values))
    assert ratios.min() > np.log10(1.19) and ratios.max() < np.log10(1.34)
    slider.value = 0.5
    explorer.wait()
    slider.value = 0.24
    explorer.wait()
    assert explorer.model.learning_rate == 0.24


def test_log_grid():
    assert widgets.log_grid(0.1, 1) == [0.1, 0.12, 0.15, 0.2, 0.24, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0]
    assert widgets.log_grid(1, 2, include=[1.7]) == [1.0, 1.2, 1.5, 1.7, 2.0]
    assert len(widgets.LEARNING_RATES) == 41
    with pytest.raises(ValueError, match="low must not exceed high"):
        widgets.log_grid(2, 1)


def test_busy_status_and_stale_figure_while_retraining(digits):
    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=2)
    assert "done" in explorer.status.value
    assert "mnist-lr-stale" not in explorer.image._dom_classes
    release = threading.Event()
    original = explorer._train
    seen = {}

    def slow_train(**values):
        release.wait(10)
        return original(**values)

    explorer._train = slow_train
    explorer.sliders["learning_rate"].value = 1.0
    # While the helper thread trains: busy next to the slider, figure dimmed,
    # and the caption says which setting the figure still shows.
    seen["status"] = explorer.status.value
    seen["classes"] = list(explorer.image._dom_classes)
    seen["caption"] = explorer.caption.value
    release.set()
    explorer.wait()
    assert "training" in seen["status"] and "learning rate 1" in seen["status"]
    assert "mnist-lr-stale" in seen["classes"]
    assert "still show learning rate 0.24" in seen["caption"]
    assert "done" in explorer.status.value
    assert "mnist-lr-stale" not in explorer.image._dom_classes
    assert "Retraining" not in explorer.caption.value


def test_quick_moves_train_only_the_latest_value(digits):
    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=2)
    first_started = threading.Event()
    release = threading.Event()
    original = explorer._train
    trained = []

    def recording_train(learning_rate):
        trained.append(learning_rate)
        first_started.set()
        release.wait(10)
        return original(learning_rate=learning_rate)

    explorer._train = recording_train
    slider = explorer.sliders["learning_rate"]
    slider.value = 0.001
    assert first_started.wait(10)
    for value in (0.01, 0.1, 1.0, 3.0):  # arrive while the first one trains
        slider.value = value
    release.set()
    explorer.wait()
    # 0.001 was already running; of the four that queued behind it, only the last is trained.
    assert trained == [0.001, 3.0]
    assert explorer.model.learning_rate == 3.0
    assert "learning rate 3" in explorer.status.value


def test_axes_stay_fixed_and_the_reference_is_drawn(digits):
    explorer = widgets.learning_rate_explorer(*digits, n_train=500, n_val=200, epochs=6)
    assert explorer.reference_label == "article: learning rate 0.24"
    limits = _axes_limits(explorer)
    for value in (0.001, 10.0):
        explorer.sliders["learning_rate"].value = value
        explorer.wait()
        assert _axes_limits(explorer) == limits
    (loss_x, loss_y), (error_x, error_y) = limits
    assert loss_x == error_x == explorer.epoch_limits == (0.5, 6.5)
    assert loss_y == explorer.loss_limits == widgets.LOSS_LIMITS["learning_rate"]
    assert error_y == explorer.error_limits == widgets.ERROR_LIMITS == (0.0, 100.0)
    loss_ax, error_ax = explorer.figure.axes
    assert loss_ax.get_yscale() == "log" and error_ax.get_yscale() == "symlog"
    assert error_ax.get_ylabel() == "error rate (%, log scale)"
    # The faint grey line is the article's setting, whatever the slider says;
    # the legend quotes its last validation accuracy.
    reference = explorer._reference
    quoted = (f"validation, article: learning rate 0.24 "
              f"({100 * reference.val_accuracy[-1]:.1f}% after epoch 6)")
    labels = [line.get_label() for ax in explorer.figure.axes for line in ax.get_lines()]
    assert labels.count(quoted) == 2
    # The error panel draws 100 - accuracy: the validation curve is the history's.
    validation = [line for line in error_ax.get_lines() if line.get_label() == "validation"]
    assert np.allclose(validation[0].get_ydata(),
                       100 * (1 - explorer.model.history_.val_accuracy))
    _legends_clear_of_the_panels(explorer.figure)


def test_a_one_point_difference_near_the_article_s_accuracy_is_plain_to_see(digits):
    """On the error axis, 92% against 93% right is over 2.5 times as tall as on 0-100%."""
    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=2)
    error_ax = explorer.figure.axes[1]
    explorer.figure.canvas.draw()
    to_pixels = error_ax.transData.transform
    _, low = to_pixels((1, 0.0))
    _, high = to_pixels((1, 100.0))
    one_point_linear = (high - low) / 100  # what an accuracy axis from 0 to 100% gives
    _, at_92 = to_pixels((1, 8.0))
    _, at_93 = to_pixels((1, 7.0))
    assert at_92 - at_93 > 2.5 * one_point_linear
    # 0% wrong (a training set learnt by heart) lies on the axis, at its bottom.
    assert error_ax.get_ylim()[0] == 0.0


def test_training_explorer_has_three_sliders(digits):
    explorer = widgets.training_explorer(*digits, n_train=600, n_val=200, max_epochs=8)
    assert set(explorer.sliders) == {"learning_rate", "batch_size", "patience"}
    assert explorer.values() == {"learning_rate": 0.24, "batch_size": 100, "patience": 8}
    explorer.sliders["patience"].value = 1
    explorer.wait()
    assert explorer.model.patience == 1
    assert explorer.model.n_iter_ == explorer.model.best_epoch_ + 1 or explorer.model.n_iter_ == 8
    explorer.sliders["batch_size"].value = 10
    explorer.wait()
    assert explorer.model.batch_size == 10


def test_sample_size_explorer_reports_the_gap(digits_all):
    X, y = digits_all
    explorer = widgets.sample_size_explorer(X, y, epochs=4)
    slider = explorer.sliders["n_images"]
    assert max(value for _, value in slider.options) <= len(y)
    assert explorer.reference_label == "article: 700 images"
    slider.value = 200
    explorer.wait()
    assert "gap" in explorer.caption.value
    assert "160 images to train, 40 to validate" in explorer.caption.value
    assert len(explorer.model.history_) == 4


def test_explorer_text_form_is_short(digits):
    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=2)
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == "Interactive explorer with sliders for: learning_rate"
    assert "application/vnd.jupyter.widget-view+json" in bundle


UP_FRONT = [  # (explorer, its arguments, error, match): refused before any training
    ("learning_rate", {"n_train": 0}, ValueError, "n_train"),
    ("learning_rate", {"n_val": 0}, ValueError, "n_val"),
    ("learning_rate", {"learning_rate": -1.0}, ValueError, "learning_rate"),
    ("learning_rate", {"learning_rate": 1e9}, ValueError,
     "learning_rate must lie within the slider's range"),
    ("learning_rate", {"learning_rate": 1e-9}, ValueError, "0.001 to 10"),
    ("learning_rate", {"learning_rate": float("nan")}, ValueError, "learning_rate"),
    ("learning_rate", {"random_state": -1}, ValueError, "random_state"),
    ("learning_rate", {"random_state": "zero"}, TypeError, "random_state"),
    ("learning_rate", {"random_state": np.random.default_rng(0)}, TypeError,
     "random_state must be an int"),
    ("learning_rate", {"random_state": None}, TypeError, "random_state must be an int"),
    ("sample_size", {"val_fraction": 1.5}, ValueError, "val_fraction"),
    ("sample_size", {"val_fraction": 0}, ValueError, "val_fraction"),
    ("sample_size", {"val_fraction": 0.001}, ValueError, "too small to split"),
    ("sample_size", {"random_state": -3}, ValueError, "random_state"),
    ("sample_size", {"random_state": np.random.default_rng(3)}, TypeError, "int seed"),
    ("training", {"max_epochs": 0}, ValueError, "max_epochs"),
    ("training", {"n_train": -1}, ValueError, "n_train"),
    ("alpha", {"alpha": -0.1}, ValueError, "alpha"),
    ("alpha", {"alpha": 5.0}, ValueError, "alpha must lie within"),
    ("alpha", {"n_images": 1}, ValueError, "n_images"),
    ("alpha", {"val_fraction": 1.5}, ValueError, "val_fraction"),
    ("alpha", {"n_images": 3, "val_fraction": 0.1}, ValueError, "too small to split"),
]


@pytest.mark.parametrize("name, kwargs, error, match", UP_FRONT)
def test_bad_arguments_fail_before_any_training(request, monkeypatch, name, kwargs, error,
                                                match):
    data = request.getfixturevalue("digits_all" if name in ("sample_size", "alpha") else "digits")
    monkeypatch.setattr(widgets, "_fit", lambda *a, **k: pytest.fail("trained"))
    with pytest.raises(error, match=match):
        getattr(widgets, f"{name}_explorer")(*data, **kwargs)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"epochs": 0}, ValueError, "max_epochs"),
        ({"epochs": 2.5}, TypeError, "max_epochs"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 301, "n_train": 300}, ValueError, r"batch_size\D+301\D+300"),
    ],
)
def test_the_model_s_own_rules_fail_at_construction(digits, kwargs, error, match, monkeypatch):
    """The model checks its parameters as fit starts: the article's reference run fails."""
    fits = []
    original = widgets._fit
    monkeypatch.setattr(widgets, "_fit", lambda *a, **k: fits.append(k) or original(*a, **k))
    with pytest.raises(error, match=match):
        widgets.learning_rate_explorer(*digits, n_val=100, **kwargs)
    assert [fit["learning_rate"] for fit in fits] == [ARTICLE_SETTINGS["learning_rate"]]


@pytest.mark.parametrize("make", [widgets.sample_size_explorer, widgets.alpha_explorer])
def test_epochs_are_the_model_s_to_check(digits_all, make):
    with pytest.raises(ValueError, match="max_epochs"):
        make(*digits_all, epochs=0)


def test_a_setting_draws_the_same_curve_every_time(digits):
    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=3,
                                              random_state=np.int64(5))
    first, history = _png(explorer), explorer.model.history_
    for value in (1.0, 0.24):
        explorer.sliders["learning_rate"].value = value
        explorer.wait()
    assert _png(explorer) == first
    assert np.array_equal(explorer.model.history_.val_loss, history.val_loss)


def test_a_starting_learning_rate_off_the_grid_is_added_not_clamped(digits):
    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=2,
                                              learning_rate=0.33)
    assert explorer.sliders["learning_rate"].value == 0.33
    assert explorer.model.learning_rate == 0.33


def test_mismatched_data(digits):
    X_train, y_train, X_val, y_val = digits
    with pytest.raises(ValueError, match="X_train and y_train have different lengths"):
        widgets.learning_rate_explorer(X_train, y_train[:-1], X_val, y_val)


def test_batch_sizes_never_exceed_the_subset(digits):
    explorer = widgets.training_explorer(*digits, n_train=250, n_val=100, max_epochs=3)
    options = [value for _, value in explorer.sliders["batch_size"].options]
    assert options == sorted(options) and max(options) == 250
    explorer.sliders["batch_size"].value = 250
    explorer.wait()
    assert explorer.model.batch_size == 250


def test_a_failed_retraining_is_shown_not_raised(digits, monkeypatch):
    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=2)
    png = bytes(explorer.image.value)

    def broken(**_values):
        raise ValueError("something went wrong")

    monkeypatch.setattr(explorer, "_train", broken)
    explorer.sliders["learning_rate"].value = 1.0
    explorer.wait()
    assert "something went wrong" in explorer.status.value
    assert "could not train" in explorer.status.value
    assert bytes(explorer.image.value) == png  # the last good picture stays
    assert "mnist-lr-stale" not in explorer.image._dom_classes


def test_divergence_in_the_first_epoch_is_said_in_the_status_and_not_drawn(digits, monkeypatch):
    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=2)
    limits = _axes_limits(explorer)
    diverged = SoftmaxRegression()
    diverged.history_ = type(explorer.model.history_)()  # no epoch with finite weights
    diverged.n_iter_ = 0
    monkeypatch.setattr(explorer, "_train", lambda **_: (diverged, "nothing to show"))
    explorer.sliders["learning_rate"].value = 10.0
    explorer.wait()
    assert "done" in explorer.status.value
    assert "diverged in the first epoch, no finite loss to draw" in explorer.status.value
    # The same axes, holding only the article's grey reference curve.
    assert _axes_limits(explorer) == limits
    labels = {line.get_label() for ax in explorer.figure.axes for line in ax.get_lines()}
    assert len(labels) == 1 and labels.pop().startswith("validation, article: learning rate 0.24")
    from PIL import Image

    size = tuple(round(100 * inches) for inches in widgets.FIGURE_SIZE)
    assert Image.open(io.BytesIO(_png(explorer))).size == size


def test_a_loss_beyond_the_axis_is_said_in_the_status(digits):
    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=2)
    assert "beyond" not in explorer.status.value
    explorer.loss_limits = (0.1, 0.2)  # narrower than this run's losses
    explorer.update()
    assert "beyond this figure&#x27;s loss axis" in explorer.status.value


def test_importing_without_ipywidgets_names_the_extra():
    code = (
        "import sys; sys.modules['ipywidgets'] = None\n"
        "try:\n"
        "    import mnist_lr.widgets\n"
        "except ModuleNotFoundError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    # A command that works in a clone: the package is on no index.
    assert 'pip install -e ".[notebooks]"' in result.stdout
    assert "mnist-lr[" not in result.stdout


def test_alpha_explorer_retrains_on_the_700_image_sample(digits_all):
    X, y = digits_all
    explorer = widgets.alpha_explorer(X, y, epochs=5)
    slider = explorer.sliders["alpha"]
    assert slider.value == 0.0 and explorer.reference_label == "article: alpha 0"
    values = [value for _, value in slider.options]
    assert values[0] == 0.0 and values[-1] == 1.0 and values == sorted(values)
    assert "560 to train and 140 to validate" in explorer.caption.value
    before = _png(explorer)
    slider.value = 0.1
    explorer.wait()
    assert explorer.model.alpha == 0.1
    assert _png(explorer) != before
    assert "gap" in explorer.caption.value and "done" in explorer.status.value
    # The loss panel draws plain cross-entropy: the penalty that training adds
    # is taken off the recorded objective. The caption gives both.
    model, history = explorer.model, explorer.model.history_
    assert explorer.figure.axes[0].get_ylabel() == "cross-entropy loss (log scale)"
    assert model.n_iter_ == 5 and model.best_epoch_ == 5  # restore_best=False: the last epoch
    X_v, y_v = _alpha_validation_images(X, y)
    plain = log_loss(y_v, model.predict_proba(X_v), labels=model.classes_)
    penalty = 0.1 / 2 * np.sum(model.coef_.astype(np.float64) ** 2)
    assert history.penalty[-1] == pytest.approx(penalty, rel=1e-6)
    assert history.val_loss[-1] == pytest.approx(plain + penalty, rel=1e-6)
    drawn = explorer.figure.axes[0].lines  # the run's curves: training, then validation
    assert drawn[1].get_ydata()[-1] == pytest.approx(plain, rel=1e-6)
    assert (f"Validation cross-entropy {plain:.3f}; training lowered it plus alpha/2 ‖W‖² = "
            f"{penalty:.3f}.") in explorer.caption.value


def _alpha_validation_images(X, y, n_images=700, val_fraction=0.2, random_state=0):
    """The alpha explorer's validation images, drawn as notebook 09 draws them."""
    from mnist_lr import subsample, train_val_split

    X_n, y_n = subsample(X, y, n_images, random_state=random_state)
    _, X_v, _, y_v = train_val_split(X_n, y_n, val_fraction, random_state=random_state)
    return X_v, y_v


def test_the_figure_is_shown_at_its_own_size_not_stretched(digits):
    from PIL import Image

    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=3)
    image = Image.open(io.BytesIO(_png(explorer)))
    width, height = image.size
    # The notebooks' inline figures are drawn at 100 dpi and shown pixel for
    # pixel; so is this one, so its text is the size of theirs.
    assert explorer.figure.dpi == 100
    assert (width, height) == tuple(round(100 * inches) for inches in widgets.FIGURE_SIZE)
    layout = explorer.image.layout
    assert layout.width == f"{width}px" and layout.max_width == "100%"
    assert layout.height == "auto"
    assert image.text["Title"] == "learning rate 0.24"
    assert set(image.text) <= {"Title", "Software"}  # no data for tests hidden in the picture


def test_readouts_write_numbers_as_the_titles_do(digits, digits_all):
    sample = widgets.sample_size_explorer(*digits_all, epochs=1)
    slider = sample.sliders["n_images"]
    slider.value = 1_000
    sample.wait()
    assert slider.label == "1,000" and "1,000 images" in sample.status.value
    training = widgets.training_explorer(*digits, n_train=1_100, n_val=100, max_epochs=1)
    labels = [label for label, _ in training.sliders["batch_size"].options]
    assert labels[-2:] == ["1,000", "1,100"]


# --------------------------------------------------------------------------
# Every curve inside the axes, at the ends of every slider, on MNIST itself
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mnist_training_images(mnist):
    """The official 60,000 training images, as the notebooks use them."""
    X, y = mnist
    return X[:60_000], y[:60_000]


def _ends(slider):
    """The smallest and the largest value a slider can reach."""
    values = [option[1] if isinstance(option, tuple) else option for option in slider.options] \
        if hasattr(slider, "options") else [slider.min, slider.max]
    return min(values), max(values)


def _explorer(name, X, y):
    from mnist_lr import train_val_split

    if name in ("learning_rate", "training"):
        X_train, X_val, y_train, y_val = train_val_split(X, y, 0.2, random_state=0)
        make = (widgets.learning_rate_explorer if name == "learning_rate"
                else widgets.training_explorer)
        return make(X_train, y_train, X_val, y_val, random_state=0)
    if name == "sample_size":
        return widgets.sample_size_explorer(X, y, random_state=0)
    return widgets.alpha_explorer(X, y, random_state=0)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["learning_rate", "training", "sample_size", "alpha"])
def test_every_curve_stays_inside_the_axes_at_the_ends_of_the_sliders(
    name, mnist_training_images
):
    explorer = _explorer(name, *mnist_training_images)
    assert explorer.loss_limits == widgets.LOSS_LIMITS[name]
    limits = _axes_limits(explorer)
    ends = {key: _ends(slider) for key, slider in explorer.sliders.items()}
    # Each slider at each end; with several sliders, every combination of ends,
    # visited in an order where one slider moves at a time (a reflected Gray
    # code), so that each move retrains once, as a reader's would.
    n = len(ends)
    order = [i ^ (i >> 1) for i in range(2 ** n)]
    settings = [{key: pair[(code >> bit) & 1] for bit, (key, pair) in enumerate(ends.items())}
                for code in order]
    assert len({tuple(setting.values()) for setting in settings}) == 2 ** n
    for setting in settings:
        for key, value in setting.items():
            explorer.sliders[key].value = value
        explorer.wait(timeout=600)
        assert explorer.values() == setting
        params = explorer.model.get_params()
        assert all(params[key] == value for key, value in setting.items() if key in params)
        assert "done" in explorer.status.value, (setting, explorer.status.value)
        assert "beyond" not in explorer.status.value, (setting, explorer.status.value)
        drawn, outside = _points_outside(explorer.figure)
        assert drawn > 2 * len(explorer.model.history_), setting  # the run's curves are drawn
        assert outside == [], (setting, outside[:5])
        assert _axes_limits(explorer) == limits, setting
        _legends_clear_of_the_panels(explorer.figure)
