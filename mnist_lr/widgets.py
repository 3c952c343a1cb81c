"""Interactive explorers: release a slider, the model retrains and the figure redraws.

Needs ipywidgets (the notebook extra). Training runs on a helper thread where only the latest
request counts; meanwhile the status says so, and the old figure is dimmed and holds still.
"""

import dataclasses
import html
import numbers
import re
import threading
import time
from functools import partial

try:
    from ipywidgets import HTML, HBox, Image, IntSlider, Layout, SelectionSlider, VBox
except ModuleNotFoundError as exc:  # pragma: no cover - tested in a subprocess
    raise ModuleNotFoundError(
        "mnist_lr.widgets needs ipywidgets, which comes with the notebook extra: "
        'pip install -e ".[notebooks]" in the repository\'s folder (or pip install ipywidgets)',
        name=exc.name) from None

from ._checks import argument_error, check_int, check_real, check_seed, check_Xy
from ._explorer_figure import FIGURE_DPI, FIGURE_SIZE, beyond_the_loss_axis, draw
from ._progress import describe_ending
from .data import smallest_split, subsample, train_val_split
from .model import ARTICLE_SETTINGS, SoftmaxRegression

__all__ = ["Explorer", "learning_rate_explorer", "training_explorer", "sample_size_explorer",
           "alpha_explorer"]

#: Log axes that hold every slider position's losses on MNIST: about 0.17 to 10
#: (learning rate 8); 0.1 (batch 10) to 50 (one batch, rate 10); 0.2-2.3; 0.07-2.2.
LOSS_LIMITS = {"learning_rate": (0.1, 100.0), "training": (0.01, 100.0),
               "sample_size": (0.1, 10.0), "alpha": (0.01, 10.0)}

#: Dims a figure that no longer matches the sliders. The status is one line of fixed
#: height (a longer text ends in "…", whole in its tooltip): the figure never moves.
_STYLE = """<style>
.mnist-lr-stale { opacity: 0.35; transition: opacity 0.15s; }
.mnist-lr-status { flex: 1 1 0; min-width: 12em; height: 28px; margin-left: 1em;
                   overflow: hidden; }
.mnist-lr-status .widget-html-content { white-space: nowrap; overflow: hidden;
                                        text-overflow: ellipsis; }
</style>"""

#: Ten stops a decade, in short decimals, even on a log scale within a few percent; 0.24 included.
_STOPS = [float(f"{m}e{k}") for k in range(-4, 2) for m in "1 1.2 1.5 2 2.4 3 4 5 6 8".split()]
LEARNING_RATES = [value for value in _STOPS if 0.001 <= value <= 10]
ALPHAS = [0.0] + [value for value in _STOPS if value <= 1]  # no L2 penalty, then 0.0001 to 1


def _slider(values, value, description, label="{:g}"):
    """A slider over ``values`` and ``value``, where it starts; its readout writes ``label``."""
    style = dict(value=value, description=description, continuous_update=False,  # on release
                 style={"description_width": "7em"}, layout=Layout(width="420px"))
    if isinstance(values, range):
        return IntSlider(min=values.start, max=values.stop - 1, **style)
    return SelectionSlider(options=[(label.format(v), v) for v in sorted({*values, value})],
                           **style)


class Explorer:
    """Sliders, a one-line status, a figure redrawn whenever a slider is released, a caption.

    ``train(**values)`` returns a fitted model and the caption's sentence about it;
    ``describe(**values)`` names a setting (the figure's title). The ``reference`` setting is
    trained first, so that a bad argument fails here, and drawn in grey on every figure.
    """

    def __init__(self, sliders, train, describe, caption, *, epochs, reference, loss_limits,
                 css_class):
        self.sliders, self._train, self._describe = sliders, train, describe
        self._caption_text, self._caption_body = caption, ""
        model, note = train(**reference)
        history = _plain(model.history_)
        self._reference = (history, f"validation, article: {describe(**reference)} "
                           f"({_last_accuracy(history)})") if len(history) else None
        self._epochs, self.loss_limits = epochs, loss_limits
        self.model = self.figure = self._shown = self._pending = self._worker = None
        self._lock = threading.Lock()
        self.widget = self._layout(css_class)
        for slider in sliders.values():
            slider.observe(lambda _change: self.request(self.values()), names="value")
        values = self.values()
        self._run(values, trained=(model, note) if values == reference else None)

    def _layout(self, css_class):
        """Sliders, the status to their right; the image at the figure's own size (smaller only
        in a narrower window, never stretched); the caption, whose length varies."""
        self.caption, self.status = HTML(), HTML().add_class("mnist-lr-status")
        width, height = (round(inches * FIGURE_DPI) for inches in FIGURE_SIZE)
        self.image = Image(format="png", width=width, height=height, layout=Layout(
            width=f"{width}px", max_width="100%", height="auto", align_self="flex-start"))
        sliders = HBox([VBox(list(self.sliders.values())), self.status],
                       layout=Layout(align_items="center"))
        return VBox([HTML(_STYLE), sliders, self.image, self.caption],
                    layout=Layout(width="100%")).add_class(css_class)

    def values(self):
        """The sliders' current values, by parameter name."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def request(self, values):
        """Retrain with ``values`` on the helper thread, instead of any request not yet started."""
        with self._lock:
            self._pending = dict(values)
            self._show_busy(self._pending)
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, daemon=True)
                self._worker.start()
        return self

    def wait(self, timeout=60.0):
        """Block until every request made so far is drawn (``TimeoutError`` after ``timeout``)."""
        if (worker := self._worker) is not None:
            worker.join(timeout)
            if worker.is_alive():
                raise TimeoutError(f"the explorer was still retraining after {timeout} s")
        return self

    def _work(self):
        while True:
            with self._lock:
                values, self._pending = self._pending, None
                if values is None:
                    self._worker = None
                    return
            self._run(values)

    def _run(self, values, trained=None):
        """Train (unless ``trained`` is given), draw and show ``values``, if still the latest."""
        start = time.perf_counter()
        try:
            model, note = trained or self._train(**values)
            if self._pending is not None:
                return  # out of date: the worker trains the newer request next
            outcome = (model, note, *draw(_plain(model.history_), self._describe(**values),
                                          epochs=self._epochs, loss_limits=self.loss_limits,
                                          reference=self._reference))
        except Exception as exc:  # noqa: BLE001 - shown beside the sliders; the widget lives on
            outcome = exc
        with self._lock:
            if self._pending is None:
                self._show(values, outcome, time.perf_counter() - start)

    def _set_status(self, text):
        """The one line beside the sliders (HTML), all of it in its tooltip."""
        tooltip = html.escape(html.unescape(re.sub(r"<[^>]*>", "", text)), quote=True)
        self.status.value = f'<span title="{tooltip}">{text}</span>'

    def _show_busy(self, values):
        name = html.escape(self._describe(**values))
        status = f'<b style="color: #D55E00">training</b> with {name}…'
        if self._shown is not None:
            self.image.add_class("mnist-lr-stale")
            old = html.escape(self._describe(**self._shown))
            status += f" (the figure still shows {old})"
            self.caption.value = (f"<p><i>Retraining with {name}; the figure and these numbers "
                                  f"still show {old}.</i></p>" + self._caption_body)
        self._set_status(status)

    def _show(self, values, outcome, seconds):
        """Show ``outcome``: (model, note, figure, png), or the exception training raised."""
        name = html.escape(self._describe(**values))
        if isinstance(outcome, Exception):  # the last good picture stays, and its caption says so
            problem = f"with {name}: {html.escape(str(outcome))}"
            self._set_status(f"⚠ <b>could not train</b> {problem}")
            self.image.remove_class("mnist-lr-stale")
            self.caption.value = f"<p>⚠ Could not train {problem}</p>" + self._caption_body
            return
        self.model, note, self.figure, self.image.value = outcome
        self._shown, history = values, _plain(self.model.history_)
        warning = html.escape(beyond_the_loss_axis(history, self.loss_limits))
        self.caption.value = self._caption_body = (f"<p>{self._caption_text} "
                                                   f"{html.escape(note)}{warning}</p>")
        self.image.remove_class("mnist-lr-stale")
        status = f"✓ <b>done</b> in {seconds:.1f} s ({name})"
        if not len(history):
            status += ": training diverged in the first epoch, no finite loss to draw."
        self._set_status(status + warning)

    def _repr_mimebundle_(self, **kwargs):
        # The live view (get_view_spec: ipywidgets 7, Colab's, and 8); text without a kernel.
        return {"application/vnd.jupyter.widget-view+json": self.widget.get_view_spec(),
                "text/plain": f"Interactive explorer with sliders for: {', '.join(self.sliders)}"}


def _check_seed(random_state):
    """An int seed only: with a Generator (or None) a setting would draw a new curve each time."""
    if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral):
        raise argument_error(TypeError, "random_state", "random_state must be an int seed, so that "
                             f"a slider setting always draws the same curve; got {random_state!r}")
    return check_seed(random_state)


def _on_the_slider(value, name, stops):
    """``value`` as a float, if it lies within the slider's range (it is added as a stop)."""
    value = check_real(value, name)
    if not stops[0] <= value <= stops[-1]:
        raise argument_error(ValueError, name, f"{name} must lie within the slider's range, "
                             f"{stops[0]:g} to {stops[-1]:g}, got {value:g}")
    return value


def _subsets(X_train, y_train, X_val, y_val, n_train, n_val, random_state):
    """Checked subsets of n_train and n_val images, seeded as notebook 03's: Xt, yt, Xv, yv."""
    subsets = []
    for part, X, y, n in (("train", X_train, y_train, n_train), ("val", X_val, y_val, n_val)):
        X, y = check_Xy(X, y, name_X=f"X_{part}", name_y=f"y_{part}")
        n = check_int(n, f"n_{part}", minimum=1)
        subsets += (X, y) if n >= len(y) else subsample(X, y, n, random_state=random_state)
    return subsets


def _split(X, y, n_images, val_fraction, random_state):
    """A seeded sample of ``n_images``, split to train and validate: Xt, yt, Xv, yv."""
    X_t, X_v, y_t, y_v = train_val_split(*subsample(X, y, n_images, random_state=random_state),
                                         val_fraction, random_state=random_state)
    return X_t, y_t, X_v, y_v


def _fit(data, note, **params):
    """A model with ``params`` fitted to ``data`` (Xt, yt, Xv, yv), and ``note(model)``."""
    model = SoftmaxRegression(**params).fit(*data)
    return model, note(model)


def _plain(history):
    """``history`` with the L2 penalty taken off its losses, to compare different ``alpha``."""
    return dataclasses.replace(history, loss=history.loss - history.penalty,
                               val_loss=history.val_loss - history.penalty)


def _accuracy_note(model):
    """The caption's sentence about a run (as all the notes, its wording is in the notebooks)."""
    history, best = model.history_, model.best_epoch_ - 1
    if model.diverged_:
        ending = describe_ending(model.n_iter_, model.best_epoch_, history.val_accuracy[best]
                                 if len(history) else 0.0, model.max_epochs, model.patience,
                                 diverged=True)
        return f"Training {ending}. Try a smaller learning rate."
    return (f"Best validation accuracy {100 * history.val_accuracy[best]:.2f}% in epoch "
            f"{model.best_epoch_} of {model.n_iter_}.")


def _last_accuracy(history):
    return f"{100 * history.val_accuracy[-1]:.1f}% after epoch {len(history)}"


def _last_epochs_note(model):
    """Validation accuracy after the last epoch, and its range over the last ten."""
    history = model.history_
    if model.diverged_ or not len(history):
        return _accuracy_note(model)
    last = 100 * history.val_accuracy[-10:]
    return (f"Validation accuracy {_last_accuracy(history)}; from {last.min():.1f}% to "
            f"{last.max():.1f}% over epochs {len(history) - len(last) + 1} to {len(history)}.")


def _last_epoch_note(model, penalty=False):
    """Accuracies after the last epoch and their gap; with ``penalty``, what L2 added."""
    history = model.history_
    if not len(history):
        return _accuracy_note(model)
    train, val = history.train_accuracy[-1], history.val_accuracy[-1]
    note = (f"After {model.max_epochs} epochs: training {100 * train:.2f}%, "
            f"validation {100 * val:.2f}%, gap {100 * (train - val):.2f} points.")
    if penalty and not model.diverged_:
        note += (f" Validation cross-entropy {_plain(history).val_loss[-1]:.3f}; training "
                 f"lowered it plus alpha/2 ‖W‖² = {history.penalty[-1]:.3f}.")
    return note


def learning_rate_explorer(X_train, y_train, X_val, y_val, *, n_train=10_000, n_val=4_000,
                           epochs=20, batch_size=ARTICLE_SETTINGS["batch_size"],
                           learning_rate=ARTICLE_SETTINGS["learning_rate"], random_state=0):
    """A log-scale learning-rate slider from 0.001 to 10, starting at ``learning_rate``.

    Each position trains for ``epochs`` without early stopping on subsets of ``n_train`` training
    and ``n_val`` validation images, seeded by ``random_state``, so that it answers in a second.
    """
    learning_rate = _on_the_slider(learning_rate, "learning_rate", LEARNING_RATES)
    random_state = _check_seed(random_state)
    data = _subsets(X_train, y_train, X_val, y_val, n_train, n_val, random_state)
    train = partial(_fit, data, _last_epochs_note, max_epochs=epochs, batch_size=batch_size,
                    patience=None, random_state=random_state)
    caption = (f"Trained on {len(data[1]):,} training images for {epochs} epochs (batch "
               f"{batch_size}, no early stopping), validated on {len(data[3]):,} validation "
               f"images: the subsets that subsample(..., random_state={random_state}) draws.")
    return Explorer({"learning_rate": _slider(LEARNING_RATES, learning_rate, "learning rate")},
                    train, lambda learning_rate: f"learning rate {learning_rate:g}", caption,
                    epochs=epochs, reference={"learning_rate": ARTICLE_SETTINGS["learning_rate"]},
                    loss_limits=LOSS_LIMITS["learning_rate"], css_class="lr-explorer")


def training_explorer(X_train, y_train, X_val, y_val, *, n_train=8_000, n_val=4_000,
                      max_epochs=30, random_state=0):
    """Sliders for learning rate, batch size and patience, starting at the article's setting.

    As :func:`learning_rate_explorer`; ``max_epochs`` bounds training and the patience slider.
    """
    max_epochs = check_int(max_epochs, "max_epochs", minimum=1)
    random_state = _check_seed(random_state)
    data = _subsets(X_train, y_train, X_val, y_val, n_train, n_val, random_state)
    n = len(data[1])
    article = dict(ARTICLE_SETTINGS, batch_size=min(ARTICLE_SETTINGS["batch_size"], n),
                   patience=min(ARTICLE_SETTINGS["patience"], max_epochs))
    sliders = {"learning_rate": _slider(LEARNING_RATES, article["learning_rate"], "learning rate"),
               "batch_size": _slider([s for s in (10, 30, 100, 300, 1000) if s < n] + [n],
                                     article["batch_size"], "batch size", label="{:,}"),
               "patience": _slider(range(1, max_epochs + 1), article["patience"], "patience")}
    train = partial(_fit, data, _accuracy_note, max_epochs=max_epochs, random_state=random_state)
    describe = "learning rate {learning_rate:g}, batch {batch_size:,}, patience {patience}".format
    caption = (f"Trained on a seeded subset of {n:,} training images for at most "
               f"{max_epochs} epochs, validated on {len(data[3]):,} images.")
    return Explorer(sliders, train, describe, caption, epochs=max_epochs, reference=article,
                    loss_limits=LOSS_LIMITS["training"], css_class="training-explorer")


def sample_size_explorer(X, y, *, epochs=30, val_fraction=0.2, random_state=0):
    """A slider for how many images to learn from: watch the train/validation gap grow.

    Each position splits a seeded subset of that many images of ``X, y`` and trains for
    ``epochs`` without early stopping; 700 images is the reference.
    """
    random_state = _check_seed(random_state)
    options = [n for n in (100, 200, 500, 700, 1_000, 2_000, 5_000, 7_000, 10_000, 20_000)
               if n <= len(y)] or [len(y)]
    minimum = smallest_split(val_fraction)
    if options[0] < minimum:  # every position must split
        raise ValueError(f"the smallest sample, n_images={options[0]}, is too small to split "
                         f"with val_fraction={val_fraction} (that needs {minimum} images)")
    start = 700 if 700 in options else options[0]

    def train(n_images):
        data = _split(X, y, n_images, val_fraction, random_state)
        model, note = _fit(data, _last_epoch_note, max_epochs=epochs, patience=None,
                           batch_size=min(ARTICLE_SETTINGS["batch_size"], len(data[1])),
                           learning_rate=ARTICLE_SETTINGS["learning_rate"],
                           random_state=random_state)
        return model, f"{len(data[1]):,} images to train, {len(data[3]):,} to validate. {note}"

    caption = (f"Each position trains on a seeded random subset, split {1 - val_fraction:.0%}/"
               f"{val_fraction:.0%}, for {epochs} epochs without early stopping "
               f"(learning rate {ARTICLE_SETTINGS['learning_rate']:g}).")
    return Explorer({"n_images": _slider(options, start, "images", label="{:,}")}, train,
                    lambda n_images: f"{n_images:,} images", caption, epochs=epochs,
                    reference={"n_images": start}, loss_limits=LOSS_LIMITS["sample_size"],
                    css_class="sample-size-explorer")


def alpha_explorer(X, y, *, n_images=700, val_fraction=0.2, epochs=100, alpha=0.0,
                   random_state=0):
    """A slider for the L2 strength ``alpha``, from 0 to 1, on a small sample.

    Trains on notebook 08's seeded sample of ``n_images`` for ``epochs`` (article's rate and batch,
    no early stopping); the loss panel draws plain cross-entropy, the caption also the penalty.
    """
    n_images = check_int(n_images, "n_images", minimum=smallest_split(val_fraction),
                         maximum=len(y))
    alpha = _on_the_slider(alpha, "alpha", ALPHAS)
    random_state = _check_seed(random_state)
    data = _split(X, y, n_images, val_fraction, random_state)
    batch_size = min(ARTICLE_SETTINGS["batch_size"], len(data[1]))
    train = partial(_fit, data, partial(_last_epoch_note, penalty=True), max_epochs=epochs,
                    learning_rate=ARTICLE_SETTINGS["learning_rate"], batch_size=batch_size,
                    patience=None, restore_best=False, random_state=random_state)
    caption = (f"A seeded sample of {n_images:,} images, {len(data[1]):,} to train and "
               f"{len(data[3]):,} to validate, {epochs} epochs without early stopping "
               f"(learning rate {ARTICLE_SETTINGS['learning_rate']:g}, batch {batch_size}).")
    return Explorer({"alpha": _slider(ALPHAS, alpha, "alpha (L2)")}, train,
                    lambda alpha: f"alpha {alpha:g}", caption, epochs=epochs,
                    reference={"alpha": 0.0}, loss_limits=LOSS_LIMITS["alpha"],
                    css_class="alpha-explorer")
