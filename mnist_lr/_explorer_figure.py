"""The explorers' figure: loss and error rate per epoch, side by side, on fixed axes.

Every setting of a slider is drawn on the same axes, so that curves compare by
eye. The right panel shows the error rate, 100 − accuracy, on a log axis: at
the article's settings (about 92% right) a one-point difference is several
pixels high, where an accuracy axis from 0 to 100% would flatten it into a
band, and the same axis still holds a model that gets nothing right.
Drawn on a Figure of its own, not pyplot's: safe on an explorer's helper
thread, and the notebook's matplotlib backend plays no part.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullFormatter

from ._plot_curves import MARK_COLOR, TRAIN_COLOR, TRAIN_STYLE, VAL_COLOR, VAL_STYLE

#: Short enough that three sliders and the figure fit JupyterLab's 512-pixel
#: notebook area on a 1366 x 768 screen; shown pixel for pixel, its text is the
#: size of the notebooks' inline figures (also 100 dpi).
FIGURE_SIZE = (8.8, 3.6)
FIGURE_DPI = 100

#: The error-rate axis, in %: logarithmic from 1 to 100, linear from 0 to 1, so
#: that a training set learnt by heart (0% wrong) still lies on it.
ERROR_LIMITS = (0.0, 100.0)
_ERROR_TICKS = (0, 1, 2, 5, 10, 20, 50, 100)
_ERROR_MINOR_TICKS = (3, 4, 6, 7, 8, 9, 30, 40, 60, 70, 80, 90)

#: The article's setting: a faint grey reference curve behind every run.
REFERENCE_COLOR = "0.55"


def error_rate(accuracy):
    """Fractions right -> percent wrong: 100 − accuracy in %."""
    return 100 * (1 - np.asarray(accuracy, dtype=float))


def beyond_the_loss_axis(history, loss_limits):
    """A warning if some loss of ``history`` lies outside ``loss_limits``, else ''."""
    (low, high), losses = loss_limits, np.concatenate([history.loss, history.val_loss])
    outside = losses[(losses < low) | (losses > high)]
    if not len(outside):
        return ""
    return (f" ⚠ {len(outside)} loss values (from {outside.min():.3g} to "
            f"{outside.max():.3g}) lie beyond this figure's loss axis.")


def draw(history, title, *, epoch_limits, loss_limits, loss_label, reference=None):
    """One run's figure; returns it and its PNG bytes.

    ``history``: the run's TrainingHistory (empty when it diverged in the first
    epoch: the axes are drawn empty). ``reference``: ``(history, label)`` of the
    article's setting, drawn as its validation curves in grey.
    """
    fig = Figure(figsize=FIGURE_SIZE, dpi=FIGURE_DPI, layout="constrained")
    loss_ax, error_ax = fig.subplots(1, 2, sharex=True)
    if len(history):
        _run_curves(loss_ax, error_ax, history)
    if reference is not None and len(reference[0]):
        _reference_curves(loss_ax, error_ax, *reference)
    _fixed_axes(loss_ax, error_ax, epoch_limits, loss_limits, loss_label)
    fig.suptitle(title)
    # One legend for both panels (they share their lines' styles), below
    # them, where no curve can reach.
    handles, labels = error_ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncols=2, frameon=False)
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=FIGURE_DPI, metadata={"Title": title})
    return fig, png.getvalue()


def _run_curves(loss_ax, error_ax, history):
    """Training (solid) and validation (dashed) loss and error; the best validation epoch."""
    epochs = np.arange(1, len(history) + 1)
    style = {"marker": "o", "markersize": 3} if len(history) <= 40 else {}
    for ax, train, val in ((loss_ax, history.loss, history.val_loss),
                           (error_ax, error_rate(history.train_accuracy),
                            error_rate(history.val_accuracy))):
        ax.plot(epochs, train, color=TRAIN_COLOR, linestyle=TRAIN_STYLE, label="training",
                **style)
        ax.plot(epochs, val, color=VAL_COLOR, linestyle=VAL_STYLE, label="validation", **style)
    best = history.best_epoch
    accuracy = 100 * history.val_accuracy[best - 1]
    error_ax.plot([best], [100 - accuracy], marker="*", markersize=13, color=VAL_COLOR,
                  markeredgecolor="white", linestyle="none", zorder=3)
    for ax in (loss_ax, error_ax):
        ax.axvline(best, color=MARK_COLOR, linestyle=":", linewidth=1.5,
                   label=(f"best validation: {accuracy:.2f}% right (epoch {best})"
                          if ax is error_ax else None))


def _reference_curves(loss_ax, error_ax, history, label):
    epochs = np.arange(1, len(history) + 1)
    style = dict(color=REFERENCE_COLOR, alpha=0.6, linewidth=2.5, zorder=1, label=label)
    loss_ax.plot(epochs, history.val_loss, **style)
    error_ax.plot(epochs, error_rate(history.val_accuracy), **style)


def _fixed_axes(loss_ax, error_ax, epoch_limits, loss_limits, loss_label):
    """The same limits, scales and ticks for every setting."""
    plain = FuncFormatter(lambda value, _: f"{value:g}")
    for ax in (loss_ax, error_ax):
        ax.set_xlim(*epoch_limits)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    loss_ax.set_yscale("log")
    loss_ax.set_ylim(*loss_limits)
    loss_ax.yaxis.set_major_formatter(plain)
    loss_ax.yaxis.set_minor_formatter(NullFormatter())
    loss_ax.set_ylabel(f"{loss_label} (log scale)")
    error_ax.set_yscale("symlog", linthresh=1, linscale=0.2)
    error_ax.set_ylim(*ERROR_LIMITS)
    error_ax.yaxis.set_major_locator(FixedLocator(_ERROR_TICKS))
    error_ax.yaxis.set_major_formatter(plain)
    error_ax.yaxis.set_minor_locator(FixedLocator(_ERROR_MINOR_TICKS))
    error_ax.yaxis.set_minor_formatter(NullFormatter())
    error_ax.grid(which="minor", axis="y", alpha=0.12)
    error_ax.set_ylabel("error rate (%, log scale)")
    for ax in (loss_ax, error_ax):
        low, high = ax.get_ylim()
        for line in ax.get_lines():
            y = np.asarray(line.get_ydata(), dtype=float)
            if np.all((low <= y) & (y <= high)) and line.get_transform() is not \
                    ax.get_xaxis_transform():
                line.set_clip_on(False)  # a marker on the edge (0% wrong) is drawn whole
