"""Interactive explorers: move a slider, the model retrains and the curves redraw.

Everything here imports ipywidgets and matplotlib lazily, inside this module,
so that ``import mnist_lr`` stays light. Each explorer trains on a seeded
subset for a few epochs, so that it answers within about a second or two on a
small machine, and says so on screen.

Examples
--------
>>> from mnist_lr import load_mnist_split, widgets
>>> X_train, X_val, y_train, y_val = load_mnist_split(random_state=0)  # doctest: +SKIP
>>> widgets.learning_rate_explorer(X_train, y_train, X_val, y_val)  # doctest: +SKIP
"""

from __future__ import annotations

import html
import time

from ._checks import check_int, check_real, check_Xy, make_rng
from .model import SoftmaxRegression

__all__ = ["Explorer", "learning_rate_explorer", "training_explorer", "sample_size_explorer"]


def _subset(X, y, n, rng, name):
    X, y = check_Xy(X, y, name_X=f"X_{name}", name_y=f"y_{name}")
    n = check_int(n, f"n_{name}", minimum=1)
    if n >= len(y):
        return X, y
    rows = rng.permutation(len(y))[:n]
    return X[rows], y[rows]


def _subsets(X_train, y_train, X_val, y_val, n_train, n_val, random_state):
    """Seeded subsets of the training and validation data: Xt, yt, Xv, yv."""
    rng = make_rng(random_state)
    return (*_subset(X_train, y_train, n_train, rng, "train"),
            *_subset(X_val, y_val, n_val, rng, "val"))


class Explorer:
    """Sliders, a caption and a figure that is redrawn whenever a slider is released.

    Build one through :func:`learning_rate_explorer`, :func:`training_explorer`
    or :func:`sample_size_explorer`; display it by leaving it as the last
    expression of a cell. ``explorer.widget`` is the ipywidgets box and
    ``explorer.image`` the picture of the curves (PNG bytes in ``.value``);
    ``explorer.update()`` retrains with the sliders' current values (the
    sliders call it on release), and ``explorer.last_seconds`` is how long
    the last update took.
    """

    def __init__(self, sliders, train, caption, css_class="mnist-lr-explorer"):
        import ipywidgets as w

        self.sliders = sliders
        self._train = train
        self._caption_text = caption
        self.caption = w.HTML()
        self.status = w.HTML()
        self.image = w.Image(format="png", layout=w.Layout(min_height="420px"))
        self.last_seconds = None
        self.model = None
        for slider in sliders.values():
            slider.observe(self._on_change, names="value")
        self.widget = w.VBox(
            [w.HBox(list(sliders.values())), self.caption, self.image, self.status],
            layout=w.Layout(width="100%"),
        )
        self.widget.add_class(css_class)  # a handle for styling and browser tests
        self.update()

    def _on_change(self, _change):
        self.update()

    def values(self):
        """The sliders' current values, by parameter name."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def update(self):
        """Retrain with the current slider values and redraw the figure."""
        import io

        import matplotlib.pyplot as plt

        from .plots import plot_training_curves

        start = time.perf_counter()
        values = self.values()
        self.status.value = "<i>training…</i>"
        try:
            self.model, title, note = self._train(**values)
        except Exception as exc:  # noqa: BLE001 - show it next to the slider, keep the widget alive
            self.status.value = f"<b>Could not train with {values}:</b> {html.escape(str(exc))}"
            self.last_seconds = time.perf_counter() - start
            return self
        if not len(self.model.history_):
            self.status.value = f"<b>{html.escape(note)}</b>"
            self.last_seconds = time.perf_counter() - start
            return self
        figure = plot_training_curves(self.model, title=title)
        figure.set_size_inches(8, 5.6)
        # Render to PNG here rather than rely on the notebook's matplotlib
        # backend, so the picture appears whatever backend is active.
        png = io.BytesIO()
        figure.savefig(png, format="png", dpi=96)
        plt.close(figure)
        self.image.value = png.getvalue()
        self.caption.value = f"<p>{self._caption_text} {note}</p>"
        self.last_seconds = time.perf_counter() - start
        self.status.value = ""
        return self

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        # The widget's own text form spells out every child; a short line is
        # what a viewer without a live kernel (or a diff) should see.
        names = ", ".join(self.sliders)
        bundle["text/plain"] = f"Interactive explorer with sliders for: {names}"
        return bundle


def _fit(X_train, y_train, X_val, y_val, *, epochs, random_state, **params):
    model = SoftmaxRegression(max_epochs=epochs, random_state=random_state, **params)
    return model.fit(X_train, y_train, X_val, y_val)


def _accuracy_note(model):
    if model.n_iter_ == 0:
        return "Training diverged in the first epoch: nothing to show. Try a smaller learning rate."
    history = model.history_
    best = model.best_epoch_ - 1
    note = (
        f"Best validation accuracy {100 * history.val_accuracy[best]:.2f}% in epoch "
        f"{model.best_epoch_} of {model.n_iter_}"
    )
    if model.diverged_:
        note += " (training diverged and was stopped)"
    return note + "."


def learning_rate_explorer(
    X_train, y_train, X_val, y_val, *, n_train=10_000, n_val=4_000, epochs=20,
    batch_size=100, learning_rate=0.24, random_state=0,
):
    """A log-scale learning-rate slider from 0.001 to 10 over live training curves.

    Parameters
    ----------
    X_train, y_train, X_val, y_val : array-like
        Training and validation data (for example from ``load_mnist_split``).
    n_train, n_val : int
        Size of the seeded subsets actually trained and validated on, so that
        each retraining takes about a second.
    epochs : int, default 20
        Epochs per retraining (early stopping is off, to show the whole curve).
    batch_size : int, default 100
    learning_rate : float, default 0.24
        Where the slider starts.
    random_state : int
        Seed for the subsets and the training.

    Returns
    -------
    Explorer
    """
    import ipywidgets as w

    epochs = check_int(epochs, "epochs", minimum=1)
    learning_rate = check_real(learning_rate, "learning_rate", positive=True)
    Xt, yt, Xv, yv = _subsets(X_train, y_train, X_val, y_val, n_train, n_val, random_state)
    slider = w.FloatLogSlider(
        value=learning_rate, base=10, min=-3, max=1, step=0.05,
        description="learning rate", readout_format=".3g",
        continuous_update=False,  # retrain on release, not on every pixel of a drag
        style={"description_width": "initial"}, layout=w.Layout(width="420px"),
    )

    def train(learning_rate):
        model = _fit(Xt, yt, Xv, yv, learning_rate=learning_rate, batch_size=batch_size,
                     patience=None, epochs=epochs, random_state=random_state)
        return model, f"learning rate {learning_rate:.3g}", _accuracy_note(model)

    caption = (
        f"Trained on a seeded subset of {len(yt):,} training images for {epochs} epochs "
        f"(batch {batch_size}, no early stopping), validated on {len(yv):,} images."
    )
    return Explorer({"learning_rate": slider}, train, caption, css_class="lr-explorer")


def training_explorer(
    X_train, y_train, X_val, y_val, *, n_train=10_000, n_val=4_000, max_epochs=40,
    random_state=0,
):
    """Sliders for learning rate, batch size and patience, over live training curves.

    Parameters
    ----------
    X_train, y_train, X_val, y_val : array-like
    n_train, n_val : int
        Size of the seeded subsets actually used.
    max_epochs : int, default 40
        Upper bound on epochs; patience decides when training stops before it.
    random_state : int

    Returns
    -------
    Explorer
    """
    import ipywidgets as w

    max_epochs = check_int(max_epochs, "max_epochs", minimum=1)
    Xt, yt, Xv, yv = _subsets(X_train, y_train, X_val, y_val, n_train, n_val, random_state)
    batch_sizes = sorted({size for size in (10, 30, 100, 300, 1000) if size < len(yt)} | {len(yt)})
    common = dict(continuous_update=False, style={"description_width": "initial"},
                  layout=w.Layout(width="320px"))
    sliders = {
        "learning_rate": w.FloatLogSlider(value=0.24, base=10, min=-3, max=1, step=0.05,
                                          description="learning rate", readout_format=".3g",
                                          **common),
        "batch_size": w.SelectionSlider(options=batch_sizes, value=min(100, len(yt)),
                                        description="batch size", **common),
        "patience": w.IntSlider(value=10, min=1, max=max_epochs, description="patience",
                                **common),
    }

    def train(learning_rate, batch_size, patience):
        model = _fit(Xt, yt, Xv, yv, learning_rate=learning_rate, batch_size=batch_size,
                     patience=patience, epochs=max_epochs, random_state=random_state)
        title = f"learning rate {learning_rate:.3g}, batch {batch_size}, patience {patience}"
        return model, title, _accuracy_note(model)

    caption = (
        f"Trained on a seeded subset of {len(yt):,} training images for at most "
        f"{max_epochs} epochs, validated on {len(yv):,} images."
    )
    return Explorer(sliders, train, caption, css_class="training-explorer")


def sample_size_explorer(X, y, *, epochs=30, val_fraction=0.2, random_state=0):
    """A slider for how many images to learn from: watch the train/validation gap grow.

    Each position draws a seeded random subset of that many images, splits it
    80/20 and trains for a fixed number of epochs without early stopping.

    Parameters
    ----------
    X, y : array-like
        The full data (for example from ``load_mnist``).
    epochs : int, default 30
    val_fraction : float, default 0.2
    random_state : int

    Returns
    -------
    Explorer
    """
    import ipywidgets as w

    from .data import subsample, train_val_split

    X, y = check_Xy(X, y)
    epochs = check_int(epochs, "epochs", minimum=1)
    options = [n for n in (100, 200, 500, 700, 1_000, 2_000, 5_000, 7_000, 10_000, 20_000)
               if n <= len(y)] or [len(y)]
    slider = w.SelectionSlider(
        options=options, value=700 if 700 in options else options[0],
        description="images", continuous_update=False,
        style={"description_width": "initial"}, layout=w.Layout(width="420px"),
    )

    def train(n_images):
        X_n, y_n = subsample(X, y, n_images, random_state=random_state)
        X_t, X_v, y_t, y_v = train_val_split(X_n, y_n, val_fraction, random_state=random_state)
        model = _fit(X_t, y_t, X_v, y_v, learning_rate=0.24, batch_size=min(100, len(y_t)),
                     patience=None, epochs=epochs, random_state=random_state)
        history = model.history_
        gap = 100 * (history.train_accuracy[-1] - history.val_accuracy[-1])
        note = (
            f"After {epochs} epochs: training {100 * history.train_accuracy[-1]:.2f}%, "
            f"validation {100 * history.val_accuracy[-1]:.2f}%, gap {gap:.2f} points."
        )
        return model, f"{n_images:,} images ({len(y_t):,} to train, {len(y_v):,} to validate)", note

    caption = (
        f"Each position trains on a seeded random subset, split {1 - val_fraction:.0%}/"
        f"{val_fraction:.0%}, for {epochs} epochs without early stopping."
    )
    return Explorer({"n_images": slider}, train, caption, css_class="sample-size-explorer")
