"""The explorers without a browser: building them, moving a slider, what they show."""

import io
import subprocess
import sys
import threading

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.metrics import log_loss

from mnist_lr import SoftmaxRegression, subsample, train_val_split, widgets
from mnist_lr.model import ARTICLE_SETTINGS


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X = np.pad(X / 16.0, ((0, 0), (0, 784 - 64)))  # MNIST-shaped rows
    return X[:1200], y[:1200], X[1200:], y[1200:]  # X_train, y_train, X_val, y_val


@pytest.fixture(scope="module")
def digits_all(digits):
    return np.concatenate([digits[0], digits[2]]), np.concatenate([digits[1], digits[3]])


@pytest.fixture
def small(digits):
    """A quick learning-rate explorer: 300 training and 100 validation images, 2 epochs."""
    return widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=2)


def _move(explorer, **values):
    """Release the sliders at ``values``, one after the other, and wait for the figure."""
    for name, value in values.items():
        explorer.sliders[name].value = value
    return explorer.wait()


def _png(explorer):
    return bytes(explorer.image.value)


def _axes_limits(explorer):
    return [(ax.get_xlim(), ax.get_ylim()) for ax in explorer.figure.axes]


def _labels(explorer):
    return [line.get_label() for ax in explorer.figure.axes for line in ax.get_lines()]


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
    canvas = FigureCanvasAgg(figure)  # lays the figure out again, as when it was saved
    canvas.draw()
    assert all(ax.get_legend() is None for ax in figure.axes) and figure.legends
    renderer = canvas.get_renderer()
    for legend in figure.legends:
        box = legend.get_window_extent(renderer)
        for ax in figure.axes:
            assert not box.overlaps(ax.get_window_extent(renderer)), ax.get_ylabel()


def test_learning_rate_explorer_uses_the_subsets_subsample_draws_with_its_seed(digits):
    """The explorer's subsets and runs are those of notebook 03's static cell, seed for seed."""
    X_train, y_train, X_val, y_val = digits
    explorer = widgets.learning_rate_explorer(*digits, n_train=800, n_val=300, epochs=4,
                                              random_state=3)
    static = SoftmaxRegression(learning_rate=0.24, batch_size=100, patience=None, max_epochs=4,
                               restore_best=False, random_state=3)
    history = static.fit(*subsample(X_train, y_train, 800, random_state=3),
                         *subsample(X_val, y_val, 300, random_state=3)).history_
    for field in ("loss", "val_loss", "train_accuracy", "val_accuracy"):
        assert np.array_equal(getattr(explorer.model.history_, field), getattr(history, field))
    last = 100 * history.val_accuracy
    assert (f"Trained on 800 training images for 4 epochs (batch 100, no early stopping), "
            f"validated on 300 validation images: the subsets that subsample(..., "
            f"random_state=3) draws. Validation accuracy {last[-1]:.1f}% after epoch 4; from "
            f"{last.min():.1f}% to {last.max():.1f}% over epochs 1 to 4.") in explorer.caption.value
    with pytest.raises(ValueError, match="X_train and y_train have different lengths"):
        widgets.learning_rate_explorer(X_train, y_train[:-1], X_val, y_val)


def test_the_figure_holds_still_at_its_own_size(small):
    """Above the image, only the status changes, and it is one line of fixed height."""
    children = small.widget.children
    assert small.caption not in children[:children.index(small.image)]  # its length varies
    assert "mnist-lr-status" in small.status._dom_classes
    style = children[0].value
    assert ".mnist-lr-status {" in style and "height: 28px" in style
    assert "white-space: nowrap" in style and "text-overflow: ellipsis" in style
    assert 'title="✓ done in' in small.status.value  # the whole status, should it not fit
    # Drawn at 100 dpi and shown pixel for pixel, as the notebooks' inline figures are, so
    # that its text is the size of theirs; never stretched.
    image = Image.open(io.BytesIO(_png(small)))
    assert image.format == "PNG" and small.figure.dpi == 100 and image.size == (880, 360)
    layout = small.image.layout
    assert (layout.width, layout.max_width, layout.height) == ("880px", "100%", "auto")
    # No data for tests hidden in the picture.
    assert image.text["Title"] == "learning rate 0.24" and set(image.text) <= {"Title", "Software"}
    # Without a live kernel a notebook shows one short line.
    assert small._repr_mimebundle_() == {
        "application/vnd.jupyter.widget-view+json": small.widget.get_view_spec(),
        "text/plain": "Interactive explorer with sliders for: learning_rate"}


def test_the_slider_stops_land_exactly_on_the_articles_settings():
    assert widgets.LEARNING_RATES[:11] == [0.001, 0.0012, 0.0015, 0.002, 0.0024, 0.003, 0.004,
                                           0.005, 0.006, 0.008, 0.01]
    assert len(widgets.LEARNING_RATES) == 41 and widgets.LEARNING_RATES[-1] == 10.0
    assert widgets.ALPHAS[:3] == [0.0, 0.0001, 0.00012] and widgets.ALPHAS[-1] == 1.0
    # Evenly spaced on a log scale: neighbouring stops differ by 20-34%.
    ratios = np.diff(np.log10(widgets.LEARNING_RATES))
    assert ratios.min() > np.log10(1.19) and ratios.max() < np.log10(1.34)


def test_a_released_slider_retrains_and_a_setting_always_draws_the_same_curve(digits):
    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=3,
                                              random_state=np.int64(5))
    slider = explorer.sliders["learning_rate"]
    assert slider.continuous_update is False  # retrain on release only
    assert [value for _, value in slider.options] == widgets.LEARNING_RATES
    assert slider.value == ARTICLE_SETTINGS["learning_rate"] and slider.label == "0.24"
    first, caption, history = _png(explorer), explorer.caption.value, explorer.model.history_
    assert explorer.model.n_iter_ == 3 and len(history) == 3
    assert _move(explorer, learning_rate=5.0).model.learning_rate == 5.0
    assert _png(explorer) != first and explorer.caption.value != caption
    assert "done" in explorer.status.value and "learning rate 5" in explorer.status.value
    assert _move(explorer, learning_rate=0.24).model.learning_rate == 0.24
    assert _png(explorer) == first and explorer.caption.value == caption
    assert np.array_equal(explorer.model.history_.val_loss, history.val_loss)
    # A start off the grid is added as a stop, not clamped to a neighbour.
    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=2,
                                              learning_rate=0.33)
    assert explorer.sliders["learning_rate"].value == explorer.model.learning_rate == 0.33


def test_while_a_setting_trains_the_figure_is_dimmed_and_only_the_latest_move_trains(small):
    started, release, original, trained = threading.Event(), threading.Event(), small._train, []

    def recording_train(learning_rate):
        trained.append(learning_rate)
        started.set()
        release.wait(10)
        return original(learning_rate=learning_rate)

    small._train = recording_train
    small.sliders["learning_rate"].value = 0.001
    assert started.wait(10)
    for value in (0.01, 0.1, 1.0, 3.0):  # arrive while the first one trains
        small.sliders["learning_rate"].value = value
    # Busy beside the slider, the figure dimmed, and the caption says what it still shows.
    assert "training</b> with learning rate 3… (the figure still shows learning rate 0.24)" \
        in small.status.value and "mnist-lr-stale" in small.image._dom_classes
    assert "Retraining with learning rate 3; the figure and these numbers still show " \
        "learning rate 0.24." in small.caption.value
    release.set()
    small.wait()
    # 0.001 was already running; of the four that queued behind it, only the last is trained.
    assert trained == [0.001, 3.0] and small.model.learning_rate == 3.0
    assert "done" in small.status.value and "learning rate 3" in small.status.value
    assert "Retraining" not in small.caption.value
    assert "mnist-lr-stale" not in small.image._dom_classes


def test_axes_stay_fixed_and_the_reference_is_drawn(digits):
    explorer = widgets.learning_rate_explorer(*digits, n_train=500, n_val=200, epochs=6)
    limits = _axes_limits(explorer)
    assert limits == [((0.5, 6.5), widgets.LOSS_LIMITS["learning_rate"]),
                      ((0.5, 6.5), (0.0, 100.0))]
    for value in (0.001, 10.0):
        assert _axes_limits(_move(explorer, learning_rate=value)) == limits
    loss_ax, error_ax = explorer.figure.axes
    assert loss_ax.get_yscale() == "log" and error_ax.get_yscale() == "symlog"
    assert error_ax.get_ylabel() == "error rate (%, log scale)"
    # The faint grey line is the article's setting, whatever the slider says; the legend
    # quotes its last validation accuracy.
    reference = explorer._reference[0]
    quoted = (f"validation, article: learning rate 0.24 "
              f"({100 * reference.val_accuracy[-1]:.1f}% after epoch 6)")
    assert _labels(explorer).count(quoted) == 2
    # The error panel draws 100 - accuracy: the validation curve is the history's.
    validation = [line for line in error_ax.get_lines() if line.get_label() == "validation"]
    assert np.allclose(validation[0].get_ydata(),
                       100 * (1 - explorer.model.history_.val_accuracy))
    _legends_clear_of_the_panels(explorer.figure)
    # 92% against 93% right is over 2.5 times as tall as on an axis from 0 to 100%.
    explorer.figure.canvas.draw()
    to_pixels = error_ax.transData.transform
    one_point_linear = (to_pixels((1, 100.0))[1] - to_pixels((1, 0.0))[1]) / 100
    assert to_pixels((1, 8.0))[1] - to_pixels((1, 7.0))[1] > 2.5 * one_point_linear


def test_training_explorer_has_three_sliders_and_batch_sizes_up_to_the_subset(digits):
    explorer = widgets.training_explorer(*digits, n_train=1_100, n_val=100, max_epochs=8)
    assert explorer.values() == {"learning_rate": 0.24, "batch_size": 100, "patience": 8}
    model = _move(explorer, patience=1).model
    assert model.patience == 1 and model.n_iter_ in (model.best_epoch_ + 1, 8)
    # The readouts write numbers as the titles do.
    assert [label for label, _ in explorer.sliders["batch_size"].options] == [
        "10", "30", "100", "300", "1,000", "1,100"]
    assert _move(explorer, batch_size=10).model.batch_size == 10
    assert _move(explorer, batch_size=1_100).model.batch_size == 1_100
    assert "batch 1,100, patience 1" in explorer.status.value


def test_sample_size_explorer_reports_the_gap(digits_all):
    explorer = widgets.sample_size_explorer(*digits_all, epochs=4)
    slider = explorer.sliders["n_images"]
    assert [value for _, value in slider.options] == [100, 200, 500, 700, 1_000]  # <= len(y)
    assert "validation, article: 700 images" in _labels(explorer)[-1]
    _move(explorer, n_images=200)
    assert "160 images to train, 40 to validate. After 4 epochs" in explorer.caption.value
    assert "gap" in explorer.caption.value and len(explorer.model.history_) == 4
    _move(explorer, n_images=1_000)
    assert slider.label == "1,000" and "1,000 images" in explorer.status.value


def test_alpha_explorer_retrains_on_the_700_image_sample(digits_all):
    X, y = digits_all
    explorer = widgets.alpha_explorer(X, y, epochs=5)
    slider = explorer.sliders["alpha"]
    assert slider.value == 0.0 and "validation, article: alpha 0" in _labels(explorer)[-1]
    assert [value for _, value in slider.options] == widgets.ALPHAS
    assert "560 to train and 140 to validate" in explorer.caption.value
    before = _png(explorer)
    model = _move(explorer, alpha=0.1).model
    assert model.alpha == 0.1 and _png(explorer) != before and "done" in explorer.status.value
    # The loss panel draws plain cross-entropy: the penalty that training adds is taken
    # off the recorded objective. The caption gives both.
    assert explorer.figure.axes[0].get_ylabel() == "cross-entropy loss (log scale)"
    assert model.n_iter_ == 5 and model.best_epoch_ == 5  # restore_best=False: the last epoch
    # The validation images, drawn as notebook 09 draws them.
    X_n, y_n = subsample(X, y, 700, random_state=0)
    _, X_v, _, y_v = train_val_split(X_n, y_n, 0.2, random_state=0)
    plain = log_loss(y_v, model.predict_proba(X_v), labels=model.classes_)
    penalty = 0.1 / 2 * np.sum(model.coef_.astype(np.float64) ** 2)
    assert model.history_.penalty[-1] == pytest.approx(penalty, rel=1e-6)
    assert model.history_.val_loss[-1] == pytest.approx(plain + penalty, rel=1e-6)
    drawn = explorer.figure.axes[0].lines  # the run's curves: training, then validation
    assert drawn[1].get_ydata()[-1] == pytest.approx(plain, rel=1e-6)
    assert (f"Validation cross-entropy {plain:.3f}; training lowered it plus alpha/2 ‖W‖² = "
            f"{penalty:.3f}.") in explorer.caption.value


UP_FRONT = [  # (explorer, its arguments, error, match): refused before any training
    ("learning_rate", {"n_train": 0}, ValueError, "n_train"),
    ("learning_rate", {"n_val": 0}, ValueError, "n_val"),
    ("learning_rate", {"learning_rate": -1.0}, ValueError, "learning_rate"),
    ("learning_rate", {"learning_rate": 1e9}, ValueError,
     "learning_rate must lie within the slider's range, 0.001 to 10"),
    ("learning_rate", {"learning_rate": float("nan")}, ValueError, "learning_rate"),
    ("learning_rate", {"random_state": -1}, ValueError, "random_state"),
    ("learning_rate", {"random_state": "zero"}, TypeError, "random_state must be an int"),
    ("learning_rate", {"random_state": np.random.default_rng(0)}, TypeError,
     "random_state must be an int"),
    ("learning_rate", {"random_state": None}, TypeError, "random_state must be an int"),
    ("sample_size", {"val_fraction": 1.5}, ValueError, "val_fraction"),
    ("sample_size", {"val_fraction": 0.001}, ValueError, "too small to split"),
    ("sample_size", {"random_state": np.random.default_rng(3)}, TypeError, "int seed"),
    ("training", {"max_epochs": 0}, ValueError, "max_epochs"),
    ("training", {"n_train": -1}, ValueError, "n_train"),
    ("training", {"random_state": True}, TypeError, "random_state"),
    ("alpha", {"alpha": -0.1}, ValueError, "alpha"),
    ("alpha", {"alpha": 5.0}, ValueError, "alpha must lie within"),
    ("alpha", {"n_images": 1}, ValueError, "n_images must be >= 5"),
    ("alpha", {"val_fraction": 0}, ValueError, "val_fraction"),
    ("alpha", {"n_images": 3, "val_fraction": 0.1}, ValueError, "n_images must be >= 10"),
]


#: The model's own rules, checked as fit starts: only the article's reference run starts.
AT_THE_REFERENCE_RUN = [
    ("learning_rate", {"epochs": 0}, ValueError, "max_epochs"),
    ("learning_rate", {"epochs": 2.5}, TypeError, "max_epochs"),
    ("learning_rate", {"batch_size": 0}, ValueError, "batch_size"),
    ("learning_rate", {"batch_size": 301, "n_train": 300}, ValueError, r"batch_size\D+301\D+300"),
    ("sample_size", {"epochs": 0}, ValueError, "max_epochs"),
    ("alpha", {"epochs": 0}, ValueError, "max_epochs"),
]


@pytest.mark.parametrize("name, kwargs, error, match, fits", [
    *((*case, []) for case in UP_FRONT),
    *((*case, [ARTICLE_SETTINGS["learning_rate"]]) for case in AT_THE_REFERENCE_RUN),
])
def test_bad_arguments_fail_at_construction(request, monkeypatch, name, kwargs, error, match,
                                            fits):
    data = request.getfixturevalue("digits_all" if name in ("sample_size", "alpha") else "digits")
    started, fit = [], SoftmaxRegression.fit
    monkeypatch.setattr(SoftmaxRegression, "fit", lambda model, *args:
                        started.append(model.learning_rate) or fit(model, *args))
    with pytest.raises(error, match=match) as raised:
        getattr(widgets, f"{name}_explorer")(*data, **kwargs)
    assert started == fits
    # Up front, an error names the argument as .parameter (the command line's --option).
    assert fits or getattr(raised.value, "parameter", None) in (None, *kwargs)


def test_a_failed_retraining_is_shown_not_raised(small, monkeypatch):
    png = _png(small)
    monkeypatch.setattr(small, "_train", lambda **_: 1 / 0)
    _move(small, learning_rate=1.0)
    assert "could not train</b> with learning rate 1: division by zero" in small.status.value
    assert _png(small) == png and "mnist-lr-stale" not in small.image._dom_classes  # as it was
    assert "Could not train with learning rate 1: division by zero" in small.caption.value


def test_a_loss_beyond_the_axis_or_no_loss_at_all_is_said_in_the_status(small, monkeypatch):
    limits = _axes_limits(small)
    assert "beyond" not in small.status.value
    small.loss_limits = (0.1, 0.2)  # narrower than this run's losses
    small.request(small.values()).wait()
    assert "lie beyond this figure&#x27;s loss axis." in small.status.value
    assert "lie beyond this figure&#x27;s loss axis." in small.caption.value
    small.loss_limits = limits[0][1]
    diverged = SoftmaxRegression()
    diverged.history_ = type(small.model.history_)()  # no epoch with finite weights
    monkeypatch.setattr(small, "_train", lambda **_: (diverged, "nothing to show"))
    _move(small, learning_rate=10.0)
    assert "done" in small.status.value
    assert "diverged in the first epoch, no finite loss to draw" in small.status.value
    # The same axes, holding only the article's grey reference curve.
    assert _axes_limits(small) == limits
    labels = set(_labels(small))
    assert len(labels) == 1 and labels.pop().startswith("validation, article: learning rate 0.24")


def test_importing_without_ipywidgets_names_the_extra():
    code = ("import sys; sys.modules['ipywidgets'] = None\ntry:\n    import mnist_lr.widgets\n"
            "except ModuleNotFoundError as exc:\n    print(exc)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    # A command that works in a clone: the package is on no index.
    assert 'pip install -e ".[notebooks]"' in result.stdout and "mnist-lr[" not in result.stdout


# Every curve inside the axes, at the ends of every slider, on MNIST itself.


def _ends(slider):
    """The smallest and the largest value a slider can reach."""
    values = [value for _, value in getattr(slider, "options", ())] or [slider.min, slider.max]
    return min(values), max(values)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["learning_rate", "training", "sample_size", "alpha"])
def test_every_curve_stays_inside_the_axes_at_the_ends_of_the_sliders(name, mnist,
                                                                      mnist_split):
    X_train, X_val, y_train, y_val = mnist_split
    args = (X_train, y_train, X_val, y_val) if name in ("learning_rate", "training") else mnist
    explorer = getattr(widgets, f"{name}_explorer")(*args, random_state=0)
    assert explorer.loss_limits == widgets.LOSS_LIMITS[name]
    limits = _axes_limits(explorer)
    ends = {key: _ends(slider) for key, slider in explorer.sliders.items()}
    # Every combination of the sliders' ends, visited in an order where one slider moves
    # at a time (a reflected Gray code), so that each move retrains once, as a reader's.
    n = len(ends)
    settings = [{key: pair[(code >> bit) & 1] for bit, (key, pair) in enumerate(ends.items())}
                for code in (i ^ (i >> 1) for i in range(2 ** n))]
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
