"""Interactive explorers: move a slider, the model retrains and the curves redraw.

Needs ipywidgets (the notebook extra), unlike the rest of the package. Each
explorer trains on a seeded subset for a few epochs, to answer within a second
or two. While a setting trains on a helper thread, only the latest request
counts and the old figure is dimmed; the one-line status beside the sliders
says so, and nothing above the figure changes height, so the figure holds
still. Every figure has the same axes (:mod:`mnist_lr._explorer_figure`), and
the article's setting as a faint grey reference curve.

Examples
--------
>>> from mnist_lr import load_mnist_split, widgets
>>> X_train, X_val, y_train, y_val = load_mnist_split(random_state=0)  # doctest: +SKIP
>>> widgets.learning_rate_explorer(X_train, y_train, X_val, y_val)  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import html
import math
import numbers
import re
import threading
import time

try:
    import ipywidgets as _ipywidgets
except ModuleNotFoundError as exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ModuleNotFoundError(
        "mnist_lr.widgets needs ipywidgets, which comes with the notebook extra: "
        'pip install -e ".[notebooks]" in the repository\'s folder (or pip install ipywidgets)',
        name=exc.name) from None

from ._checks import check_int, check_real, check_Xy, make_rng
from ._explorer_figure import ERROR_LIMITS, FIGURE_DPI, FIGURE_SIZE, beyond_the_loss_axis, draw
from ._progress import describe_ending
from .data import smallest_split, subsample, train_val_split
from .model import ARTICLE_SETTINGS, SoftmaxRegression

__all__ = ["Explorer", "learning_rate_explorer", "training_explorer", "sample_size_explorer",
           "alpha_explorer", "log_grid"]

#: Ten steps per decade, evenly spaced on a log scale to within a few percent,
#: and containing the article's 0.24 (as 2.4 × 10⁻¹).
_MANTISSAS = ("1", "1.2", "1.5", "2", "2.4", "3", "4", "5", "6", "8")

#: Logarithmic loss axes that hold every slider position's losses on MNIST: about 0.17
#: to 10 (learning rate 8); 0.1 (batch 10) to 50 (one batch, rate 10); 0.2-2.3; 0.07-2.2.
LOSS_LIMITS = {"learning_rate": (0.1, 100.0), "training": (0.01, 100.0),
               "sample_size": (0.1, 10.0), "alpha": (0.01, 10.0)}

#: Dims the figure while it no longer matches the sliders. The status is one
#: line of fixed height (a longer text ends in "…", whole in its tooltip), so
#: that the figure below never moves while a setting trains.
_STYLE = """<style>
.mnist-lr-stale { opacity: 0.35; transition: opacity 0.15s; }
.mnist-lr-status { flex: 1 1 0; min-width: 12em; height: 28px; margin-left: 1em;
                   overflow: hidden; }
.mnist-lr-status .widget-html-content { white-space: nowrap; overflow: hidden;
                                        text-overflow: ellipsis; }
</style>"""

_BUSY_COLOR = "#D55E00"  # the plots' orange


def log_grid(low, high, include=()):
    """Slider stops from ``low`` to ``high``: 1, 1.2, 1.5, 2, 2.4, 3, 4, 5, 6, 8 times 10^k.

    Evenly spaced on a log scale, short decimals, and 0.24 (the article's
    learning rate) among them; ``include`` adds values. Sorted, no duplicates.

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


def _slider(values, value, description, label="{:g}"):
    """A slider over ``values`` that retrains on release; its readout writes ``label``."""
    return _ipywidgets.SelectionSlider(
        options=[(label.format(v), v) for v in values], value=value, description=description,
        **_slider_style())


def _slider_style():
    # Retrain on release, not on every pixel of a drag.
    return dict(continuous_update=False, style={"description_width": "7em"},
                layout=_ipywidgets.Layout(width="420px"))


class Explorer:
    """Sliders, a status, a figure that is redrawn whenever a slider is released, a caption.

    Made by the ``*_explorer`` functions. ``sliders`` are named by the keywords
    of ``train(**values)``, which returns a fitted model and a sentence for the
    caption; ``describe(**values)`` names a setting (the figure's title). The
    ``reference`` setting (the article's) is trained once, here, so a bad
    argument fails here; its curve is drawn faint on every figure, its last
    validation accuracy in the legend. Every figure has the same axes: epochs
    1 to ``epochs``, ``loss_limits`` (log scale; the status says when a loss
    lies beyond), labelled ``loss_label``, and the error rate from 0 to 100%.

    Attributes: ``widget`` (the outer box, with ``css_class``), ``status``,
    ``caption``, ``image`` (the PNG of ``figure``), ``model`` (behind the
    figure) and ``last_seconds``. A slider move retrains on a helper thread;
    :meth:`wait` blocks until the figure is current; :meth:`update` retrains
    in the calling thread.
    """

    def __init__(self, sliders, train, describe, caption, *, epochs, reference=None,
                 loss_limits=LOSS_LIMITS["learning_rate"], loss_label="cross-entropy loss",
                 css_class="mnist-lr-explorer"):
        self.sliders, self._train, self._describe = sliders, train, describe
        self._caption_text = caption
        low, high = (check_real(limit, "loss_limits", positive=True) for limit in loss_limits)
        if low >= high:
            raise ValueError(f"loss_limits must rise, got {tuple(loss_limits)}")
        self.loss_limits, self.loss_label = (low, high), loss_label
        self.reference_label = self._reference = first = None
        if reference is not None:
            model, note = train(**reference)
            self._reference = _plain(model.history_)
            self.reference_label = f"article: {describe(**reference)}"
            if reference == self.values():
                first = (model, note)  # the sliders start there: no need to train twice
        self.error_limits = ERROR_LIMITS
        self.epoch_limits = (0.5, epochs + 0.5)
        self.last_seconds = self.model = self.figure = None
        self._shown = None  # the values behind the current figure
        self._lock = threading.Lock()
        self._pending = None  # the latest request not yet taken by the worker
        self._worker = None
        self.widget = self._layout(css_class)
        for slider in sliders.values():
            slider.observe(self._on_change, names="value")
        values = self.values()
        self._show(values, self._compute(values, lambda: False, trained=first))

    def _layout(self, css_class):
        """Sliders one under the other, the status to their right; the image; the caption.

        Nothing between the sliders and the image changes height, so the image
        never moves; the caption, whose length varies, comes after it.
        """
        w = _ipywidgets
        self.caption, self.status = w.HTML(), w.HTML()
        self.status.add_class("mnist-lr-status")
        # Shown at the figure's own size (smaller only where the window is
        # narrower), never stretched to the width of the cell.
        width, height = (round(inches * FIGURE_DPI) for inches in FIGURE_SIZE)
        self.image = w.Image(
            format="png", width=width, height=height,
            layout=w.Layout(width=f"{width}px", max_width="100%", height="auto",
                            align_self="flex-start"),
        )
        sliders = w.HBox([w.VBox(list(self.sliders.values())), self.status],
                         layout=w.Layout(align_items="center"))
        box = w.VBox([w.HTML(_STYLE), sliders, self.image, self.caption],
                     layout=w.Layout(width="100%"))
        box.add_class(css_class)
        return box

    # -- what the sliders call ----------------------------------------------

    def _on_change(self, _change):
        self.request(self.values())

    def values(self):
        """The sliders' current values, by parameter name."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def request(self, values):
        """Retrain with ``values`` on the helper thread, in place of any request not yet started."""
        with self._lock:
            self._pending = dict(values)
            self._show_busy(self._pending)
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="mnist-lr-explorer",
                                                daemon=True)
                self._worker.start()
        return self

    def wait(self, timeout=60.0):
        """Block until every requested retraining is drawn (``TimeoutError`` after ``timeout``)."""
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
        """Retrain with the sliders' current values and redraw, in the calling thread."""
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
            result = self._compute(values, lambda: self._pending is not None)
            with self._lock:
                if self._pending is None:  # still the latest request: show it
                    self._show(values, result)
                # else: out of date before it could be shown; train the newer one

    def _compute(self, values, superseded, trained=None):
        """Train (unless ``trained`` is given) and draw; returns what to show, never raises."""
        start = time.perf_counter()
        try:
            model, note = trained or self._train(**values)
            figure = png = None
            if not superseded():
                figure, png = self._draw(_plain(model.history_), self._describe(**values))
        except Exception as exc:  # noqa: BLE001 - shown next to the slider; the widget lives on
            return {"error": exc, "seconds": time.perf_counter() - start}
        return {"model": model, "note": note, "figure": figure, "png": png,
                "seconds": time.perf_counter() - start}

    def _draw(self, history, title):
        """The figure of one run, on this explorer's fixed axes; returns it and its PNG bytes."""
        reference = None
        if self._reference is not None and len(self._reference):
            reference = (self._reference, f"validation, {self.reference_label} "
                         f"({_last_accuracy(self._reference)})")
        return draw(history, title, epoch_limits=self.epoch_limits,
                    loss_limits=self.loss_limits, loss_label=self.loss_label,
                    reference=reference)

    # -- what the reader sees -------------------------------------------------

    def _set_status(self, text):
        """The one line beside the sliders (HTML); all of it in its tooltip, should it not fit."""
        tooltip = html.escape(html.unescape(re.sub(r"<[^>]*>", "", text)), quote=True)
        self.status.value = f'<span title="{tooltip}">{text}</span>'

    def _show_busy(self, values):
        name = html.escape(self._describe(**values))
        status = f'<b style="color: {_BUSY_COLOR}">training</b> with {name}…'
        if self._shown is not None:
            self.image.add_class("mnist-lr-stale")
            old = html.escape(self._describe(**self._shown))
            status += f" (the figure still shows {old})"
            self.caption.value = (
                f"<p><i>Retraining with {name}; the figure and these numbers still show "
                f"{old}.</i></p>" + self._caption_body
            )
        self._set_status(status)

    def _show(self, values, result):
        self.last_seconds = result["seconds"]
        name = html.escape(self._describe(**values))
        if "error" in result:
            error = html.escape(str(result["error"]))
            self._set_status(f"⚠ <b>could not train</b> with {name}: {error}")
            self.image.remove_class("mnist-lr-stale")
            # The last good picture stays, and its caption says what it is.
            self.caption.value = (f"<p>⚠ Could not train with {name}: {error}</p>"
                                  + self._caption_body)
            return
        self.model = result["model"]
        self.figure = result["figure"]
        self._shown = values
        self.image.value = result["png"]
        history = _plain(self.model.history_)
        warning = html.escape(beyond_the_loss_axis(history, self.loss_limits))
        self._caption_body = f"<p>{self._caption_text} {html.escape(result['note'])}{warning}</p>"
        self.caption.value = self._caption_body
        self.image.remove_class("mnist-lr-stale")
        status = f"✓ <b>done</b> in {self.last_seconds:.1f} s ({name})"
        if not len(history):
            status += ": training diverged in the first epoch, no finite loss to draw."
        self._set_status(status + warning)

    _caption_body = ""

    def _repr_mimebundle_(self, **kwargs):
        # The live view of the outer box, from get_view_spec, which ipywidgets 7
        # (Colab's, whose widgets have only a display hook) and 8 both have; and
        # a short line for a viewer without a live kernel, or a diff.
        return {"application/vnd.jupyter.widget-view+json": self.widget.get_view_spec(),
                "text/plain": f"Interactive explorer with sliders for: {', '.join(self.sliders)}"}


# -- shared pieces of the explorers ------------------------------------------


def _subsets(X_train, y_train, X_val, y_val, n_train, n_val, random_state):
    """Checked, seeded subsets of the training and validation data: Xt, yt, Xv, yv."""
    X_train, y_train = check_Xy(X_train, y_train, name_X="X_train", name_y="y_train")
    X_val, y_val = check_Xy(X_val, y_val, name_X="X_val", name_y="y_val")
    n_train = check_int(n_train, "n_train", minimum=1)
    n_val = check_int(n_val, "n_val", minimum=1)
    # Each subset drawn with the seed itself, as notebook 03 draws its static
    # figure's: the same seed gives the same images, there and here.
    return (*_subset(X_train, y_train, n_train, random_state),
            *_subset(X_val, y_val, n_val, random_state))


def _subset(X, y, n, random_state):
    return (X, y) if n >= len(y) else subsample(X, y, n, random_state=random_state)


def _check_seed(random_state):
    """An int seed only: with a Generator (or None) a setting would draw a new curve each time."""
    if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral):
        raise TypeError("random_state must be an int seed, so that a slider setting always "
                        f"draws the same curve; got {random_state!r}")
    make_rng(random_state)  # the package's seed rule: not negative
    return random_state


def _on_the_slider(value, name, stops):
    """``value`` as a float, if it lies within the slider's range (it is added as a stop)."""
    value = check_real(value, name)
    if not stops[0] <= value <= stops[-1]:
        raise ValueError(f"{name} must lie within the slider's range, {stops[0]:g} to "
                         f"{stops[-1]:g}, got {value:g}")
    return value


def _check_sample(n_images, val_fraction, name):
    """Refuse a sample too small for train_val_split to leave an image on each side."""
    minimum = smallest_split(val_fraction)
    if n_images < minimum:
        raise ValueError(f"{name}={n_images} is too small to split with val_fraction="
                         f"{val_fraction}: the split needs {minimum} images at least")


def _fit(X_train, y_train, X_val, y_val, *, epochs, random_state, **params):
    model = SoftmaxRegression(max_epochs=epochs, random_state=random_state, **params)
    return model.fit(X_train, y_train, X_val, y_val)


def _trainer(data, epochs, random_state, note=None, **fixed):
    """An explorer's ``train(**values)``: fit on ``data`` with the slider values and ``fixed``."""
    def train(**values):
        model = _fit(*data, epochs=epochs, random_state=random_state, **fixed, **values)
        return model, (note or _accuracy_note)(model)

    return train


def _accuracy_note(model):
    """The caption's sentence about a run (its wording is in the stored notebooks)."""
    history, best = model.history_, model.best_epoch_ - 1
    if model.diverged_:
        ending = describe_ending(model.n_iter_, model.best_epoch_, history.val_accuracy[best]
                                 if len(history) else 0.0, model.max_epochs, model.patience,
                                 diverged=True)
        return f"Training {ending}. Try a smaller learning rate."
    return (f"Best validation accuracy {100 * history.val_accuracy[best]:.2f}% in epoch "
            f"{model.best_epoch_} of {model.n_iter_}.")


def _last_accuracy(history):
    """The last epoch's validation accuracy, written as notebook 03's figure writes it."""
    return f"{100 * history.val_accuracy[-1]:.1f}% after epoch {len(history)}"


def _last_epochs_note(model):
    """Validation accuracy after the last epoch, and its range over the last ten."""
    history = model.history_
    if model.diverged_ or not len(history):
        return _accuracy_note(model)
    last = 100 * history.val_accuracy[-10:]
    return (f"Validation accuracy {_last_accuracy(history)}; from {last.min():.1f}% to "
            f"{last.max():.1f}% over epochs {len(history) - len(last) + 1} to {len(history)}.")


def _plain(history):
    """``history`` with plain cross-entropy as its losses: the L2 penalty taken off.

    Training lowers cross-entropy plus the penalty, but the cross-entropy
    alone is what compares models trained with different ``alpha``.
    """
    return dataclasses.replace(history, loss=history.loss - history.penalty,
                               val_loss=history.val_loss - history.penalty)


def _penalty_note(model):
    """:func:`_last_epoch_note`, and what the penalty added to the objective training lowered."""
    history, note = model.history_, _last_epoch_note(model)
    if model.diverged_ or not len(history):
        return note
    return (f"{note} Validation cross-entropy {_plain(history).val_loss[-1]:.3f}; training "
            f"lowered it plus alpha/2 ‖W‖² = {history.penalty[-1]:.3f}.")


def _last_epoch_note(model):
    """Training and validation accuracy after the last epoch, and the gap between them."""
    history = model.history_
    if not len(history):
        return _accuracy_note(model)
    train, val = history.train_accuracy[-1], history.val_accuracy[-1]
    return (f"After {model.max_epochs} epochs: training {100 * train:.2f}%, "
            f"validation {100 * val:.2f}%, gap {100 * (train - val):.2f} points.")


#: The sliders' learning rates (the article's 0.24 among them) and L2 strengths
#: (none, the article's model, then the same log grid from 0.0001 to 1).
LEARNING_RATES = log_grid(0.001, 10)
ALPHAS = [0.0] + log_grid(0.0001, 1)

# -- the explorers -------------------------------------------------------------


def learning_rate_explorer(
    X_train, y_train, X_val, y_val, *, n_train=10_000, n_val=4_000, epochs=20,
    batch_size=ARTICLE_SETTINGS["batch_size"], learning_rate=ARTICLE_SETTINGS["learning_rate"],
    random_state=0,
):
    """A log-scale learning-rate slider from 0.001 to 10 (:func:`log_grid`'s stops).

    Parameters
    ----------
    X_train, y_train, X_val, y_val : array-like
        For example from ``load_mnist_split``.
    n_train, n_val, epochs, batch_size : int
        The seeded subsets' sizes (a retraining takes under a second), epochs
        per retraining (no early stopping) and the batch size.
    learning_rate : float, default 0.24
        Where the slider starts, from 0.001 to 10 (added to the stops).
    random_state : int
        Seed for the subsets and the training (an int: a setting always draws one curve).

    Returns
    -------
    Explorer
    """
    learning_rate = _on_the_slider(learning_rate, "learning_rate", LEARNING_RATES)
    random_state = _check_seed(random_state)
    Xt, yt, Xv, yv = _subsets(X_train, y_train, X_val, y_val, n_train, n_val, random_state)
    slider = _slider(log_grid(0.001, 10, include=[learning_rate]), learning_rate,
                     "learning rate")
    train = _trainer((Xt, yt, Xv, yv), epochs, random_state, note=_last_epochs_note,
                     batch_size=batch_size, patience=None)

    caption = (
        f"Trained on {len(yt):,} training images for {epochs} epochs (batch {batch_size}, no "
        f"early stopping), validated on {len(yv):,} validation images: the subsets that "
        f"subsample(..., random_state={random_state}) draws."
    )
    return Explorer(
        {"learning_rate": slider}, train, lambda learning_rate: f"learning rate {learning_rate:g}",
        caption, epochs=epochs, reference={"learning_rate": ARTICLE_SETTINGS["learning_rate"]},
        loss_limits=LOSS_LIMITS["learning_rate"], css_class="lr-explorer",
    )


def training_explorer(
    X_train, y_train, X_val, y_val, *, n_train=8_000, n_val=4_000, max_epochs=30,
    random_state=0,
):
    """Sliders for learning rate, batch size and patience, starting at the article's setting.

    Parameters
    ----------
    X_train, y_train, X_val, y_val, n_train, n_val, random_state
        As in :func:`learning_rate_explorer`.
    max_epochs : int, default 30
        Upper bound on epochs and on the patience slider.

    Returns
    -------
    Explorer
    """
    max_epochs = check_int(max_epochs, "max_epochs", minimum=1)  # the patience slider's end
    random_state = _check_seed(random_state)
    Xt, yt, Xv, yv = _subsets(X_train, y_train, X_val, y_val, n_train, n_val, random_state)
    article = dict(ARTICLE_SETTINGS)
    batch_sizes = sorted({size for size in (10, 30, 100, 300, 1000) if size < len(yt)} | {len(yt)})
    article["batch_size"] = min(article["batch_size"], len(yt))
    article["patience"] = min(article["patience"], max_epochs)
    sliders = {
        "learning_rate": _slider(LEARNING_RATES, article["learning_rate"], "learning rate"),
        "batch_size": _slider(batch_sizes, article["batch_size"], "batch size", label="{:,}"),
        "patience": _ipywidgets.IntSlider(value=article["patience"], min=1, max=max_epochs,
                                          description="patience", **_slider_style()),
    }
    train = _trainer((Xt, yt, Xv, yv), max_epochs, random_state)

    def describe(learning_rate, batch_size, patience):
        return f"learning rate {learning_rate:g}, batch {batch_size:,}, patience {patience}"

    caption = (
        f"Trained on a seeded subset of {len(yt):,} training images for at most "
        f"{max_epochs} epochs, validated on {len(yv):,} images."
    )
    return Explorer(sliders, train, describe, caption, epochs=max_epochs, reference=article,
                    loss_limits=LOSS_LIMITS["training"], css_class="training-explorer")


def sample_size_explorer(X, y, *, epochs=30, val_fraction=0.2, random_state=0):
    """A slider for how many images to learn from: watch the train/validation gap grow.

    Each position splits a seeded subset of that many images of ``X, y`` and
    trains for ``epochs`` without early stopping; 700 images is the reference.

    Returns
    -------
    Explorer
    """
    random_state = _check_seed(random_state)
    options = [n for n in (100, 200, 500, 700, 1_000, 2_000, 5_000, 7_000, 10_000, 20_000)
               if n <= len(y)] or [len(y)]
    _check_sample(options[0], val_fraction, "the smallest sample, n_images")
    start = 700 if 700 in options else options[0]

    def train(n_images):
        X_n, y_n = subsample(X, y, n_images, random_state=random_state)
        X_t, X_v, y_t, y_v = train_val_split(X_n, y_n, val_fraction, random_state=random_state)
        model = _fit(X_t, y_t, X_v, y_v, learning_rate=ARTICLE_SETTINGS["learning_rate"],
                     batch_size=min(ARTICLE_SETTINGS["batch_size"], len(y_t)),
                     patience=None, epochs=epochs, random_state=random_state)
        note = f"{len(y_t):,} images to train, {len(y_v):,} to validate. "
        return model, note + _last_epoch_note(model)

    caption = (
        f"Each position trains on a seeded random subset, split {1 - val_fraction:.0%}/"
        f"{val_fraction:.0%}, for {epochs} epochs without early stopping "
        f"(learning rate {ARTICLE_SETTINGS['learning_rate']:g})."
    )
    return Explorer({"n_images": _slider(options, start, "images", label="{:,}")}, train,
                    lambda n_images: f"{n_images:,} images", caption, epochs=epochs,
                    reference={"n_images": start}, loss_limits=LOSS_LIMITS["sample_size"],
                    css_class="sample-size-explorer")


def alpha_explorer(X, y, *, n_images=700, val_fraction=0.2, epochs=100, alpha=0.0,
                   random_state=0):
    """A slider for the L2 strength ``alpha`` on a small sample, where overfitting is plain.

    Splits notebook 08's seeded sample of ``n_images`` of ``X, y`` and trains
    for ``epochs`` without early stopping, at the article's learning rate and
    batch size. With ``alpha=0`` (the article's model, the reference curve)
    training accuracy runs to 100% while validation lags; a larger ``alpha``
    narrows the gap, too large a one costs accuracy on both. The slider starts
    at ``alpha``, from 0 to 1 (added to ``ALPHAS`` if not one of them).

    The loss panel draws plain cross-entropy, the number to compare between
    values of ``alpha``; training lowers it plus the penalty
    ``alpha / 2 * ||W||^2``, which the caption gives after the last epoch.

    Returns
    -------
    Explorer
    """
    n_images = check_int(n_images, "n_images", maximum=len(y))
    _check_sample(n_images, val_fraction, "n_images")
    alpha = _on_the_slider(alpha, "alpha", ALPHAS)
    random_state = _check_seed(random_state)
    X_n, y_n = subsample(X, y, n_images, random_state=random_state)
    X_t, X_v, y_t, y_v = train_val_split(X_n, y_n, val_fraction, random_state=random_state)
    batch_size = min(ARTICLE_SETTINGS["batch_size"], len(y_t))
    train = _trainer((X_t, y_t, X_v, y_v), epochs, random_state,
                     note=_penalty_note,
                     learning_rate=ARTICLE_SETTINGS["learning_rate"], batch_size=batch_size,
                     patience=None, restore_best=False)

    caption = (
        f"A seeded sample of {n_images:,} images, {len(y_t):,} to train and {len(y_v):,} to "
        f"validate, {epochs} epochs without early stopping (learning rate "
        f"{ARTICLE_SETTINGS['learning_rate']:g}, batch {batch_size})."
    )
    return Explorer({"alpha": _slider(sorted(set(ALPHAS) | {alpha}), alpha, "alpha (L2)")},
                    train, lambda alpha: f"alpha {alpha:g}", caption, epochs=epochs,
                    reference={"alpha": 0.0}, loss_limits=LOSS_LIMITS["alpha"],
                    css_class="alpha-explorer")
