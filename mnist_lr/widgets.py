"""Interactive explorers: move a slider, the model retrains and the curves redraw.

This module needs ipywidgets (from the repository's folder:
``pip install -e ".[notebooks]"``); the rest of the package does not, so
``import mnist_lr`` stays light. Each explorer trains on a seeded subset for a
few epochs, so that it answers within a second or two on a small machine, and
says so on screen.

What a reader sees after releasing a slider:

- next to the slider, a status: "training …" while the model retrains, then
  "done in 0.6 s";
- meanwhile the old figure is dimmed and its caption says that it still shows
  the previous setting;
- the new figure, on the same axes as every other setting (the limits never
  change, and every curve the sliders can produce fits inside them), with the
  article's setting drawn as a faint grey reference curve.

The figure is drawn at the size and resolution of the notebooks' own figures
and shown at that size, not stretched to the width of the window, so that its
text matches theirs and the figure fits on a laptop screen under its sliders.

Training runs on a helper thread, so the kernel keeps receiving slider moves
while it works. Only the latest request is trained: moves that arrive while a
retraining runs replace one another, and a result that is already out of date
when it finishes is never drawn.

Examples
--------
>>> from mnist_lr import load_mnist_split, widgets
>>> X_train, X_val, y_train, y_val = load_mnist_split(random_state=0)  # doctest: +SKIP
>>> widgets.learning_rate_explorer(X_train, y_train, X_val, y_val)  # doctest: +SKIP
"""

from __future__ import annotations

import html
import io
import math
import threading
import time

import numpy as np

try:
    import ipywidgets as _ipywidgets
except ModuleNotFoundError as exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ModuleNotFoundError(
        "mnist_lr.widgets needs ipywidgets, which comes with the notebook extra: "
        'pip install -e ".[notebooks]" in the repository\'s folder (or pip install ipywidgets)',
        name=exc.name,
    ) from None

from ._checks import check_int, check_real, check_Xy, make_rng
from .model import ARTICLE_SETTINGS, SoftmaxRegression

__all__ = [
    "Explorer",
    "learning_rate_explorer",
    "training_explorer",
    "sample_size_explorer",
    "alpha_explorer",
    "log_grid",
]

#: Ten steps per decade, evenly spaced on a log scale to within a few percent,
#: and containing the article's 0.24 (as 2.4 × 10⁻¹).
_MANTISSAS = ("1", "1.2", "1.5", "2", "2.4", "3", "4", "5", "6", "8")

#: The accuracy axis of every explorer: all of it, so that no setting's curve
#: can leave it (a model that has diverged, or learned from 80 images, can
#: score well under 50%).
ACCURACY_LIMITS = (0.0, 100.0)

#: Loss axes are logarithmic (a model that guesses scores ln(10) = 2.30), each
#: explorer with a range that holds the losses of every position of its
#: sliders. On MNIST: the learning-rate explorer's run from about 0.17 to 10
#: (learning rate 8); the training explorer's from about 0.1 (batch 10) to
#: about 50 (one batch of all 8,000 images at learning rate 10); the sample-size
#: explorer's from about 0.2 to 2.3; the alpha explorer's from about 0.07
#: (no penalty) to 2.2.
LOSS_LIMITS = {
    "learning_rate": (0.1, 100.0),
    "training": (0.01, 100.0),
    "sample_size": (0.1, 10.0),
    "alpha": (0.01, 10.0),
}

#: The explorer's figure, in inches at FIGURE_DPI dots per inch: the loss and
#: accuracy side by side, short enough to sit under three sliders on a
#: 1366 x 768 screen. At 100 dpi, shown pixel for pixel, its text is the size
#: of the notebooks' inline figures (which are also drawn at 100 dpi).
FIGURE_SIZE = (8.8, 4.0)
FIGURE_DPI = 100

#: Dims the figure while it no longer matches the sliders.
_STYLE = """<style>
.mnist-lr-stale { opacity: 0.35; transition: opacity 0.15s; }
.mnist-lr-status { min-width: 16em; margin-left: 1em; }
</style>"""

REFERENCE_COLOR = "0.55"
_BUSY_COLOR = "#D55E00"  # the plots' orange


def log_grid(low, high, include=()):
    """Slider stops from ``low`` to ``high``: about ten per decade, evenly spaced on a log scale.

    The stops are 1, 1.2, 1.5, 2, 2.4, 3, 4, 5, 6 and 8 times each power of
    ten, so the article's learning rate 0.24 is one of them and can be set
    exactly, and every stop reads as a short decimal.

    Parameters
    ----------
    low, high : float
        The smallest and largest stop (both must be on the grid, or in ``include``).
    include : iterable of float
        Extra values to add (a starting value that is not on the grid).

    Returns
    -------
    list of float
        Sorted, without duplicates.

    Examples
    --------
    >>> log_grid(0.1, 1)
    [0.1, 0.12, 0.15, 0.2, 0.24, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0]
    """
    low = check_real(low, "low", positive=True)
    high = check_real(high, "high", positive=True)
    if low > high:
        raise ValueError(f"low must not exceed high, got low={low}, high={high}")
    stops = set(include)
    for exponent in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1):
        for mantissa in _MANTISSAS:
            value = float(f"{mantissa}e{exponent}")  # exact decimal, no 2.4 * 0.1 rounding
            if low <= value <= high:
                stops.add(value)
    return sorted(stops)


def _options(values):
    """(label, value) pairs for a SelectionSlider: the readout shows short decimals."""
    return [(f"{value:g}", value) for value in values]


def _count_options(values):
    """(label, value) pairs for whole numbers, written as the titles write them: 20,000."""
    return [(f"{value:,}", value) for value in values]


def _slider_style(width):
    return dict(
        continuous_update=False,  # retrain on release, not on every pixel of a drag
        style={"description_width": "7em"},
        layout=_ipywidgets.Layout(width=width),
    )


class Explorer:
    """Sliders, a status, a caption and a figure that is redrawn whenever a slider is released.

    Build one through :func:`learning_rate_explorer`, :func:`training_explorer`,
    :func:`sample_size_explorer` or :func:`alpha_explorer`; display it by
    leaving it as the last expression of a cell.

    Parameters
    ----------
    sliders : dict of str to ipywidgets slider
        By the keyword that ``train`` takes.
    train : callable
        ``train(**values)`` returns ``(model, note)``: a fitted
        :class:`~mnist_lr.SoftmaxRegression` and a sentence about it.
    describe : callable
        ``describe(**values)`` returns a short name for a setting, used as the
        figure's title and in the status ("learning rate 0.24").
    caption : str
        What every run has in common (data, epochs), shown under the sliders.
    epochs : int
        The x-axis runs from epoch 1 to this, whatever a run does.
    reference : dict, optional
        Slider values of the faint reference curve (the article's setting),
        trained once, here.
    loss_limits : (float, float)
        The loss axis (logarithmic), the same for every setting; it should
        hold every loss the sliders can produce. A run with a loss outside it
        says so in the status.
    css_class : str
        A class on the outer box, a handle for styling and browser tests.

    Attributes
    ----------
    widget : ipywidgets.VBox
        What is displayed.
    image : ipywidgets.Image
        The curves (PNG bytes in ``.value``), shown at their own size.
    figure : matplotlib.figure.Figure
        The figure behind the image: ``figure.axes[0]`` the loss,
        ``figure.axes[1]`` the accuracy in percent.
    loss_limits, accuracy_limits, epoch_limits : (float, float)
        The axes' limits, the same for every setting.
    status : ipywidgets.HTML
        Next to the sliders: busy, done or what went wrong.
    model : SoftmaxRegression
        The model behind the current figure.
    last_seconds : float
        How long the last retraining and drawing took, in the kernel.

    Notes
    -----
    A slider move starts the retraining on a helper thread and returns at
    once; :meth:`wait` blocks until the figure is up to date. :meth:`update`
    retrains in the calling thread.
    """

    def __init__(self, sliders, train, describe, caption, *, epochs, reference=None,
                 loss_limits=LOSS_LIMITS["learning_rate"], css_class="mnist-lr-explorer"):
        w = _ipywidgets
        self.sliders = sliders
        self._train = train
        self._describe = describe
        self._caption_text = caption
        self._epochs = epochs
        low, high = (check_real(limit, "loss_limits", positive=True) for limit in loss_limits)
        if low >= high:
            raise ValueError(f"loss_limits must rise, got {tuple(loss_limits)}")
        self.loss_limits = (low, high)
        self.accuracy_limits = ACCURACY_LIMITS
        self.epoch_limits = (0.5, epochs + 0.5)
        self.caption = w.HTML()
        self.status = w.HTML()
        self.status.add_class("mnist-lr-status")
        # Shown at the figure's own size (smaller only where the window is
        # narrower), never stretched to the width of the cell.
        width, height = (round(inches * FIGURE_DPI) for inches in FIGURE_SIZE)
        self.image = w.Image(
            format="png", width=width, height=height,
            layout=w.Layout(width=f"{width}px", max_width="100%", height="auto",
                            align_self="flex-start"),
        )
        self.last_seconds = None
        self.model = None
        self.figure = None
        self._shown = None  # the values behind the current figure
        self._lock = threading.Lock()
        self._pending = None  # the latest request not yet taken by the worker
        self._worker = None
        self.reference_label = None
        self._reference = None
        first = None
        if reference is not None:
            model, note = train(**reference)
            self._reference = model.history_
            self.reference_label = f"article: {describe(**reference)}"
            if reference == self.values():
                first = (model, note)  # the sliders start there: no need to train twice
        for slider in sliders.values():
            slider.observe(self._on_change, names="value")
        self.widget = w.VBox(
            [
                w.HTML(_STYLE),
                # The sliders one under the other, the status to their right.
                w.HBox([w.VBox(list(sliders.values())), self.status],
                       layout=w.Layout(align_items="center")),
                self.caption,
                self.image,
            ],
            layout=w.Layout(width="100%"),
        )
        self.widget.add_class(css_class)
        values = self.values()
        self._show(values, self._compute(values, lambda: False, trained=first))

    # -- what the sliders call ----------------------------------------------

    def _on_change(self, _change):
        self.request(self.values())

    def values(self):
        """The sliders' current values, by parameter name."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def request(self, values):
        """Ask for a retraining with ``values``, on the helper thread; returns at once.

        A request replaces any earlier one that has not started yet, so after
        a quick series of moves only the last value is trained.
        """
        with self._lock:
            self._pending = dict(values)
            self._show_busy(self._pending)
            if self._worker is None:
                self._worker = threading.Thread(
                    target=self._work, name="mnist-lr-explorer", daemon=True
                )
                self._worker.start()
        return self

    def wait(self, timeout=60.0):
        """Block until every requested retraining has finished and been drawn.

        Parameters
        ----------
        timeout : float, default 60
            Seconds to wait at most.

        Returns
        -------
        Explorer
            ``self``.

        Raises
        ------
        TimeoutError
            If the helper thread is still busy after ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                worker = self._worker
            if worker is None:
                return self
            worker.join(max(0.0, deadline - time.monotonic()))
            if worker.is_alive():
                raise TimeoutError(f"the explorer was still retraining after {timeout} s")

    def update(self):
        """Retrain with the sliders' current values and redraw, in the calling thread.

        Returns
        -------
        Explorer
            ``self``.
        """
        values = self.values()
        self._show_busy(values)
        self._show(values, self._compute(values, lambda: False))
        return self

    # -- the work -------------------------------------------------------------

    def _work(self):
        while True:
            with self._lock:
                values, self._pending = self._pending, None
                if values is None:
                    self._worker = None
                    return
            result = self._compute(values, self._superseded)
            with self._lock:
                if self._pending is None:  # still the latest request: show it
                    self._show(values, result)
                # else: out of date before it could be shown; train the newer one

    def _superseded(self):
        return self._pending is not None

    def _compute(self, values, superseded, trained=None):
        """Train (unless ``trained`` is given) and draw; returns what to show, never raises."""
        start = time.perf_counter()
        try:
            model, note = trained or self._train(**values)
            figure = png = None
            if not superseded():
                figure, png = self._draw(model.history_, self._describe(**values))
        except Exception as exc:  # noqa: BLE001 - shown next to the slider; the widget lives on
            return {"error": exc, "seconds": time.perf_counter() - start}
        return {"model": model, "note": note, "figure": figure, "png": png,
                "seconds": time.perf_counter() - start}

    def _draw(self, history, title):
        """The figure of one run, on this explorer's fixed axes; returns it and its PNG bytes."""
        from matplotlib.figure import Figure
        from matplotlib.ticker import FuncFormatter, NullFormatter

        from .plots import plot_training_curves

        # A Figure of its own, not pyplot's: safe on the helper thread, and
        # the notebook's matplotlib backend plays no part.
        fig = Figure(figsize=FIGURE_SIZE, dpi=FIGURE_DPI, layout="constrained")
        if len(history):
            plot_training_curves(history, fig=fig, title=title, panels="columns")
            loss_ax, acc_ax = fig.axes
        else:  # diverged in the first epoch: the status says so; empty axes here
            loss_ax, acc_ax = fig.subplots(1, 2, sharex=True)
            loss_ax.set_ylabel("cross-entropy loss")
            acc_ax.set_ylabel("accuracy (%)")
            for ax in (loss_ax, acc_ax):
                ax.set_xlabel("epoch")
                ax.grid(alpha=0.3)
            fig.suptitle(title)
        if self._reference is not None and len(self._reference):
            epochs = range(1, len(self._reference) + 1)
            style = dict(color=REFERENCE_COLOR, alpha=0.6, linewidth=2.5, zorder=1)
            loss_ax.plot(epochs, self._reference.val_loss, **style,
                         label=f"validation, {self.reference_label}")
            acc_ax.plot(epochs, 100 * self._reference.val_accuracy, **style,
                        label=f"validation, {self.reference_label}")
        # The same limits for every setting, so that curves compare by eye.
        for ax in (loss_ax, acc_ax):
            ax.set_xlim(*self.epoch_limits)
        loss_ax.set_yscale("log")
        loss_ax.set_ylim(*self.loss_limits)
        loss_ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        loss_ax.yaxis.set_minor_formatter(NullFormatter())
        loss_ax.set_ylabel("cross-entropy loss (log scale)")
        acc_ax.set_ylim(*self.accuracy_limits)
        for ax in (loss_ax, acc_ax):
            low, high = ax.get_ylim()
            for line in ax.get_lines():
                y = np.asarray(line.get_ydata(), dtype=float)
                if line.get_transform() is not ax.get_xaxis_transform() and np.all(
                    (low <= y) & (y <= high)
                ):
                    line.set_clip_on(False)  # a marker on the edge (100%) is drawn whole
        # One legend for both panels (they share their lines' styles), below
        # them, where no curve can reach.
        for ax in (loss_ax, acc_ax):
            if ax.get_legend() is not None:
                ax.get_legend().remove()
        handles, labels = acc_ax.get_legend_handles_labels()
        if handles:
            fig.legend(handles, labels, loc="outside lower center", ncols=2, frameon=False)
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=FIGURE_DPI, metadata={"Title": title})
        return fig, png.getvalue()

    def _beyond_the_axes(self, history):
        """A warning if some loss of ``history`` lies outside the loss axis, else ''."""
        losses = np.concatenate([history.loss, history.val_loss])
        low, high = self.loss_limits
        outside = losses[(losses < low) | (losses > high)]
        if not len(outside):
            return ""
        return (f" ⚠ {len(outside)} loss values (from {outside.min():.3g} to "
                f"{outside.max():.3g}) lie beyond this figure's loss axis.")

    # -- what the reader sees -------------------------------------------------

    def _show_busy(self, values):
        name = html.escape(self._describe(**values))
        self.status.value = f'<b style="color: {_BUSY_COLOR}">training</b> with {name}…'
        if self._shown is not None:
            self.image.add_class("mnist-lr-stale")
            old = html.escape(self._describe(**self._shown))
            self.caption.value = (
                f"<p><i>Retraining with {name}; the figure and these numbers still show "
                f"{old}.</i></p>" + self._caption_body
            )

    def _show(self, values, result):
        self.last_seconds = result["seconds"]
        name = html.escape(self._describe(**values))
        if "error" in result:
            self.status.value = (
                f"⚠ <b>could not train</b> with {name}: {html.escape(str(result['error']))}"
            )
            self.image.remove_class("mnist-lr-stale")
            if self._shown is not None:  # the last good picture stays, and says what it is
                self.caption.value = self._caption_body
            return
        self.model = result["model"]
        self.figure = result["figure"]
        self._shown = values
        self.image.value = result["png"]
        self._caption_body = f"<p>{self._caption_text} {html.escape(result['note'])}</p>"
        self.caption.value = self._caption_body
        self.image.remove_class("mnist-lr-stale")
        status = f"✓ <b>done</b> in {self.last_seconds:.1f} s ({name})"
        history = self.model.history_
        if not len(history):
            status += ": training diverged in the first epoch, no finite loss to draw."
        self.status.value = status + html.escape(self._beyond_the_axes(history))

    _caption_body = ""

    def _repr_mimebundle_(self, **kwargs):
        # The live view of the outer box. Built from get_view_spec, which
        # ipywidgets 7 (Colab's) and 8 both have: 7's widgets have no
        # _repr_mimebundle_ of their own, only a display hook.
        names = ", ".join(self.sliders)
        return {
            "application/vnd.jupyter.widget-view+json": self.widget.get_view_spec(),
            # The widget's own text form spells out every child; a short line
            # is what a viewer without a live kernel (or a diff) should see.
            "text/plain": f"Interactive explorer with sliders for: {names}",
        }


# --------------------------------------------------------------------------
# Shared pieces of the explorers
# --------------------------------------------------------------------------


def _subset(X, y, n, rng, name):
    if n >= len(y):
        return X, y
    rows = rng.permutation(len(y))[:n]
    return X[rows], y[rows]


def _subsets(X_train, y_train, X_val, y_val, n_train, n_val, random_state):
    """Checked, seeded subsets of the training and validation data: Xt, yt, Xv, yv."""
    X_train, y_train = check_Xy(X_train, y_train, name_X="X_train", name_y="y_train")
    X_val, y_val = check_Xy(X_val, y_val, name_X="X_val", name_y="y_val")
    n_train = check_int(n_train, "n_train", minimum=1)
    n_val = check_int(n_val, "n_val", minimum=1)
    rng = make_rng(random_state)
    return (*_subset(X_train, y_train, n_train, rng, "train"),
            *_subset(X_val, y_val, n_val, rng, "val"))


def _check_seed(random_state):
    make_rng(random_state)  # raises the package's usual error for a bad seed
    return random_state


def _check_learning_rate(learning_rate, grid):
    learning_rate = check_real(learning_rate, "learning_rate", positive=True)
    if not grid[0] <= learning_rate <= grid[-1]:
        raise ValueError(
            f"learning_rate must lie within the slider's range, {grid[0]:g} to {grid[-1]:g}, "
            f"got {learning_rate:g}"
        )
    return learning_rate


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


#: The learning rates a slider offers: 0.001 to 10, including the article's 0.24.
LEARNING_RATES = log_grid(0.001, 10)


# --------------------------------------------------------------------------
# The explorers
# --------------------------------------------------------------------------


def learning_rate_explorer(
    X_train, y_train, X_val, y_val, *, n_train=10_000, n_val=4_000, epochs=20,
    batch_size=ARTICLE_SETTINGS["batch_size"], learning_rate=ARTICLE_SETTINGS["learning_rate"],
    random_state=0,
):
    """A log-scale learning-rate slider from 0.001 to 10 over live training curves.

    The slider's stops are :func:`log_grid`'s (0.001, 0.0012, 0.0015, …, 10),
    so the article's 0.24 is one of them; the article's setting is also drawn
    as a faint reference curve.

    Parameters
    ----------
    X_train, y_train, X_val, y_val : array-like
        Training and validation data (for example from ``load_mnist_split``).
    n_train, n_val : int
        Size of the seeded subsets actually trained and validated on, so that
        each retraining takes well under a second.
    epochs : int, default 20
        Epochs per retraining (early stopping is off, to show the whole curve).
    batch_size : int, default 100
        At most ``n_train``.
    learning_rate : float, default 0.24
        Where the slider starts, between 0.001 and 10 (added to the stops if
        it is not one of them).
    random_state : int
        Seed for the subsets and the training.

    Returns
    -------
    Explorer
    """
    epochs = check_int(epochs, "epochs", minimum=1)
    learning_rate = _check_learning_rate(learning_rate, LEARNING_RATES)
    random_state = _check_seed(random_state)
    Xt, yt, Xv, yv = _subsets(X_train, y_train, X_val, y_val, n_train, n_val, random_state)
    batch_size = check_int(batch_size, "batch_size", minimum=1, maximum=len(yt))
    slider = _ipywidgets.SelectionSlider(
        options=_options(log_grid(0.001, 10, include=[learning_rate])), value=learning_rate,
        description="learning rate", **_slider_style("420px"),
    )

    def train(learning_rate):
        model = _fit(Xt, yt, Xv, yv, learning_rate=learning_rate, batch_size=batch_size,
                     patience=None, epochs=epochs, random_state=random_state)
        return model, _accuracy_note(model)

    def describe(learning_rate):
        return f"learning rate {learning_rate:g}"

    caption = (
        f"Trained on a seeded subset of {len(yt):,} training images for {epochs} epochs "
        f"(batch {batch_size}, no early stopping), validated on {len(yv):,} images."
    )
    return Explorer(
        {"learning_rate": slider}, train, describe, caption, epochs=epochs,
        reference={"learning_rate": ARTICLE_SETTINGS["learning_rate"]},
        loss_limits=LOSS_LIMITS["learning_rate"], css_class="lr-explorer",
    )


def training_explorer(
    X_train, y_train, X_val, y_val, *, n_train=8_000, n_val=4_000, max_epochs=30,
    random_state=0,
):
    """Sliders for learning rate, batch size and patience, over live training curves.

    The article's setting (learning rate 0.24, batch 100, patience 10) is
    where the sliders start, and is drawn as a faint reference curve.

    Parameters
    ----------
    X_train, y_train, X_val, y_val : array-like
    n_train, n_val : int
        Size of the seeded subsets actually used.
    max_epochs : int, default 30
        Upper bound on epochs; patience decides when training stops before it.
    random_state : int

    Returns
    -------
    Explorer
    """
    max_epochs = check_int(max_epochs, "max_epochs", minimum=1)
    random_state = _check_seed(random_state)
    Xt, yt, Xv, yv = _subsets(X_train, y_train, X_val, y_val, n_train, n_val, random_state)
    article = dict(ARTICLE_SETTINGS)
    batch_sizes = sorted({size for size in (10, 30, 100, 300, 1000) if size < len(yt)} | {len(yt)})
    article["batch_size"] = min(article["batch_size"], len(yt))
    article["patience"] = min(article["patience"], max_epochs)
    sliders = {
        "learning_rate": _ipywidgets.SelectionSlider(
            options=_options(LEARNING_RATES), value=article["learning_rate"],
            description="learning rate", **_slider_style("420px")),
        "batch_size": _ipywidgets.SelectionSlider(
            options=_count_options(batch_sizes), value=article["batch_size"],
            description="batch size",
            **_slider_style("420px")),
        "patience": _ipywidgets.IntSlider(
            value=article["patience"], min=1, max=max_epochs, description="patience",
            **_slider_style("420px")),
    }

    def train(learning_rate, batch_size, patience):
        model = _fit(Xt, yt, Xv, yv, learning_rate=learning_rate, batch_size=batch_size,
                     patience=patience, epochs=max_epochs, random_state=random_state)
        return model, _accuracy_note(model)

    def describe(learning_rate, batch_size, patience):
        return f"learning rate {learning_rate:g}, batch {batch_size:,}, patience {patience}"

    caption = (
        f"Trained on a seeded subset of {len(yt):,} training images for at most "
        f"{max_epochs} epochs, validated on {len(yv):,} images."
    )
    return Explorer(sliders, train, describe, caption, epochs=max_epochs, reference=article,
                    loss_limits=LOSS_LIMITS["training"], css_class="training-explorer")


def _check_split_sizes(n_images, val_fraction, name):
    """The smallest sample must leave at least one image on each side of the split."""
    from .data import train_val_split

    try:  # the split's own rule, on stand-in data of the same length
        train_val_split(np.zeros((n_images, 1)), np.zeros(n_images), val_fraction)
    except ValueError as exc:
        raise ValueError(f"{name}={n_images} is too small to split: {exc}") from None


def sample_size_explorer(X, y, *, epochs=30, val_fraction=0.2, random_state=0):
    """A slider for how many images to learn from: watch the train/validation gap grow.

    Each position draws a seeded random subset of that many images, splits it
    and trains for a fixed number of epochs without early stopping. The
    article's smallest sample, 700 images, is the faint reference curve.

    Parameters
    ----------
    X, y : array-like
        The full data (for example from ``load_mnist``).
    epochs : int, default 30
    val_fraction : float, default 0.2
        Strictly between 0 and 1.
    random_state : int

    Returns
    -------
    Explorer
    """
    from .data import subsample, train_val_split

    X, y = check_Xy(X, y)
    epochs = check_int(epochs, "epochs", minimum=1)
    val_fraction = check_real(val_fraction, "val_fraction", open_interval=(0, 1))
    random_state = _check_seed(random_state)
    options = [n for n in (100, 200, 500, 700, 1_000, 2_000, 5_000, 7_000, 10_000, 20_000)
               if n <= len(y)] or [len(y)]
    _check_split_sizes(options[0], val_fraction, "the smallest sample, n_images")
    start = 700 if 700 in options else options[0]
    slider = _ipywidgets.SelectionSlider(
        options=_count_options(options), value=start, description="images",
        **_slider_style("420px"),
    )

    def train(n_images):
        X_n, y_n = subsample(X, y, n_images, random_state=random_state)
        X_t, X_v, y_t, y_v = train_val_split(X_n, y_n, val_fraction, random_state=random_state)
        model = _fit(X_t, y_t, X_v, y_v, learning_rate=ARTICLE_SETTINGS["learning_rate"],
                     batch_size=min(ARTICLE_SETTINGS["batch_size"], len(y_t)),
                     patience=None, epochs=epochs, random_state=random_state)
        history = model.history_
        gap = 100 * (history.train_accuracy[-1] - history.val_accuracy[-1])
        note = (
            f"{len(y_t):,} images to train, {len(y_v):,} to validate. After {epochs} epochs: "
            f"training {100 * history.train_accuracy[-1]:.2f}%, "
            f"validation {100 * history.val_accuracy[-1]:.2f}%, gap {gap:.2f} points."
        )
        return model, note

    def describe(n_images):
        return f"{n_images:,} images"

    caption = (
        f"Each position trains on a seeded random subset, split {1 - val_fraction:.0%}/"
        f"{val_fraction:.0%}, for {epochs} epochs without early stopping "
        f"(learning rate {ARTICLE_SETTINGS['learning_rate']:g})."
    )
    return Explorer({"n_images": slider}, train, describe, caption, epochs=epochs,
                    reference={"n_images": start}, loss_limits=LOSS_LIMITS["sample_size"],
                    css_class="sample-size-explorer")


#: The L2 strengths the alpha slider offers: none (the article's model), then
#: the same ten-per-decade log grid as the learning rate, from 0.0001 to 1.
ALPHAS = [0.0] + log_grid(0.0001, 1)


def alpha_explorer(X, y, *, n_images=700, val_fraction=0.2, epochs=100, alpha=0.0,
                   random_state=0):
    """A slider for the L2 strength ``alpha`` on a small sample, where overfitting is plain.

    Draws the seeded 700-image sample of notebook 08 (``subsample`` with the
    same seed), splits it and trains for a fixed number of epochs without
    early stopping at the article's learning rate and batch size. With
    ``alpha=0`` (the article's model, the faint reference curve) the training
    accuracy runs to 100% while validation lags; a larger ``alpha`` narrows
    the gap, and too large a one costs accuracy on both.

    Parameters
    ----------
    X, y : array-like
        The full data (for example from ``load_mnist``).
    n_images : int, default 700
        Size of the seeded sample.
    val_fraction : float, default 0.2
        Strictly between 0 and 1.
    epochs : int, default 100
    alpha : float, default 0.0
        Where the slider starts: one of ``ALPHAS`` (0, 0.0001, 0.00012, …, 1)
        or another value between 0 and 1, which is added to them.
    random_state : int

    Returns
    -------
    Explorer
    """
    from .data import subsample, train_val_split

    if "alpha" not in SoftmaxRegression().get_params():
        raise NotImplementedError("this version of SoftmaxRegression has no alpha parameter")
    X, y = check_Xy(X, y)
    n_images = check_int(n_images, "n_images", minimum=2, maximum=len(y))
    epochs = check_int(epochs, "epochs", minimum=1)
    val_fraction = check_real(val_fraction, "val_fraction", open_interval=(0, 1))
    _check_split_sizes(n_images, val_fraction, "n_images")
    alpha = check_real(alpha, "alpha")
    if not 0 <= alpha <= ALPHAS[-1]:
        raise ValueError(f"alpha must lie within the slider's range, 0 to {ALPHAS[-1]:g}, "
                         f"got {alpha:g}")
    random_state = _check_seed(random_state)
    X_n, y_n = subsample(X, y, n_images, random_state=random_state)
    X_t, X_v, y_t, y_v = train_val_split(X_n, y_n, val_fraction, random_state=random_state)
    batch_size = min(ARTICLE_SETTINGS["batch_size"], len(y_t))
    slider = _ipywidgets.SelectionSlider(
        options=_options(sorted(set(ALPHAS) | {alpha})), value=alpha, description="alpha (L2)",
        **_slider_style("420px"),
    )

    def train(alpha):
        model = _fit(X_t, y_t, X_v, y_v, learning_rate=ARTICLE_SETTINGS["learning_rate"],
                     batch_size=batch_size, patience=None, epochs=epochs,
                     random_state=random_state, alpha=alpha)
        history = model.history_
        if not len(history):
            return model, _accuracy_note(model)
        gap = 100 * (history.train_accuracy[-1] - history.val_accuracy[-1])
        return model, (
            f"After {epochs} epochs: training {100 * history.train_accuracy[-1]:.2f}%, "
            f"validation {100 * history.val_accuracy[-1]:.2f}%, gap {gap:.2f} points."
        )

    def describe(alpha):
        return f"alpha {alpha:g}"

    caption = (
        f"A seeded sample of {n_images:,} images, {len(y_t):,} to train and {len(y_v):,} to "
        f"validate, {epochs} epochs without early stopping (learning rate "
        f"{ARTICLE_SETTINGS['learning_rate']:g}, batch {batch_size})."
    )
    return Explorer({"alpha": slider}, train, describe, caption, epochs=epochs,
                    reference={"alpha": 0.0}, loss_limits=LOSS_LIMITS["alpha"],
                    css_class="alpha-explorer")
