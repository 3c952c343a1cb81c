"""The explorers without a browser: building them, moving a slider, what they show."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits

from mnist_lr import widgets


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X = np.pad(X / 16.0, ((0, 0), (0, 784 - 64)))  # MNIST-shaped rows
    return X[:1200], y[:1200], X[1200:], y[1200:]  # X_train, y_train, X_val, y_val


def _png(explorer):
    png = bytes(explorer.image.value)
    assert png.startswith(b"\x89PNG")
    return png


def test_learning_rate_explorer_retrains_on_slider_change(digits):
    explorer = widgets.learning_rate_explorer(*digits, n_train=800, n_val=300,
                                              epochs=5)
    slider = explorer.sliders["learning_rate"]
    assert (slider.min, slider.max, slider.base) == (-3, 1, 10)  # 0.001 to 10, log scale
    assert slider.continuous_update is False  # retrain on release only
    assert "800 training images for 5 epochs" in explorer.caption.value
    before, caption_before = _png(explorer), explorer.caption.value
    assert explorer.model.n_iter_ == 5 and len(explorer.model.history_) == 5
    slider.value = 5.0
    assert _png(explorer) != before
    assert explorer.caption.value != caption_before
    assert explorer.model.learning_rate == pytest.approx(5.0)
    assert explorer.last_seconds is not None and explorer.last_seconds > 0


def test_training_explorer_has_three_sliders(digits):
    explorer = widgets.training_explorer(*digits, n_train=600, n_val=200,
                                         max_epochs=8)
    assert set(explorer.sliders) == {"learning_rate", "batch_size", "patience"}
    explorer.sliders["patience"].value = 1
    assert explorer.model.patience == 1
    assert explorer.model.n_iter_ == explorer.model.best_epoch_ + 1 or explorer.model.n_iter_ == 8
    explorer.sliders["batch_size"].value = 10
    assert explorer.model.batch_size == 10


def test_sample_size_explorer_reports_the_gap(digits):
    X = np.concatenate([digits[0], digits[2]])
    y = np.concatenate([digits[1], digits[3]])
    explorer = widgets.sample_size_explorer(X, y, epochs=4)
    slider = explorer.sliders["n_images"]
    assert max(slider.options) <= len(y)
    slider.value = 200
    assert "gap" in explorer.caption.value
    assert len(explorer.model.history_) == 4


def test_explorer_text_form_is_short(digits):
    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100,
                                              epochs=2)
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == "Interactive explorer with sliders for: learning_rate"
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n_train": 0}, ValueError, "n_train"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"learning_rate": -1.0}, ValueError, "learning_rate"),
    ],
)
def test_bad_arguments(digits, kwargs, error, match):
    with pytest.raises(error, match=match):
        widgets.learning_rate_explorer(*digits, **kwargs)


def test_mismatched_data(digits):
    X_train, y_train, X_val, y_val = digits
    with pytest.raises(ValueError, match="X_train and y_train have different lengths"):
        widgets.learning_rate_explorer(X_train, y_train[:-1], X_val, y_val)


def test_batch_sizes_never_exceed_the_subset(digits):
    explorer = widgets.training_explorer(*digits, n_train=250, n_val=100, max_epochs=3)
    options = list(explorer.sliders["batch_size"].options)
    assert options == sorted(options) and max(options) == 250
    explorer.sliders["batch_size"].value = 250
    assert explorer.model.batch_size == 250


def test_a_failed_retraining_is_shown_not_raised(digits, monkeypatch):
    explorer = widgets.learning_rate_explorer(*digits, n_train=300, n_val=100, epochs=2)
    png = bytes(explorer.image.value)

    def broken(**_values):
        raise ValueError("something went wrong")

    monkeypatch.setattr(explorer, "_train", broken)
    explorer.sliders["learning_rate"].value = 1.0
    assert "something went wrong" in explorer.status.value
    assert bytes(explorer.image.value) == png  # the last good picture stays
