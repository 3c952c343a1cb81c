"""The explorers' figure: loss and error rate per epoch, side by side, on fixed axes.

The error rate (100 − accuracy) has a log axis: near the article's 92% right, a one-point
difference is several pixels high. A Figure of its own, not pyplot's: thread-safe.
"""

import io

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullFormatter

from ._plot_curves import MARK_COLOR, TRAIN_COLOR, TRAIN_STYLE, VAL_COLOR, VAL_STYLE

#: Small enough that three sliders and the figure fit a 1366 x 768 screen in JupyterLab;
#: shown pixel for pixel, its text is the size of the notebooks' inline figures (100 dpi).
FIGURE_SIZE, FIGURE_DPI = (8.8, 3.6), 100


def beyond_the_loss_axis(history, loss_limits):
    """A warning if some loss of ``history`` lies outside ``loss_limits``, else ''."""
    (low, high), losses = loss_limits, np.concatenate([history.loss, history.val_loss])
    outside = losses[(losses < low) | (losses > high)]
    return (f" ⚠ {len(outside)} loss values (from {outside.min():.3g} to "
            f"{outside.max():.3g}) lie beyond this figure's loss axis.") if len(outside) else ""


def draw(history, title, *, epochs, loss_limits, reference=None):
    """One run's figure and its PNG bytes, on axes fixed by ``epochs`` and ``loss_limits``.
    ``history`` may be empty; ``reference``, the article's ``(history, label)``, drawn grey."""
    fig = Figure(figsize=FIGURE_SIZE, dpi=FIGURE_DPI, layout="constrained")
    axes = fig.subplots(1, 2, sharex=True)
    if len(history):
        _run_curves(*axes, history)
    if reference is not None:
        _curves(*axes, reference[0].val_loss, reference[0].val_accuracy, color="0.55",
                alpha=0.6, linewidth=2.5, zorder=1, label=reference[1])
    _fixed_axes(*axes, epochs, loss_limits)
    fig.suptitle(title)
    # One legend for both panels, below them, where no curve can reach.
    handles, labels = axes[1].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncols=2, frameon=False)
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=FIGURE_DPI, metadata={"Title": title})
    return fig, png.getvalue()


def _curves(loss_ax, error_ax, loss, accuracy, **style):
    """One curve of losses and one of error rates (100 − accuracy, in %), epoch by epoch."""
    epochs = np.arange(1, len(loss) + 1)
    loss_ax.plot(epochs, loss, **style)
    error_ax.plot(epochs, 100 * (1 - np.asarray(accuracy, dtype=float)), **style)


def _run_curves(loss_ax, error_ax, history):
    """Training (solid) and validation (dashed) curves; the best validation epoch marked."""
    style = {"marker": "o", "markersize": 3} if len(history) <= 40 else {}
    _curves(loss_ax, error_ax, history.loss, history.train_accuracy, color=TRAIN_COLOR,
            linestyle=TRAIN_STYLE, label="training", **style)
    _curves(loss_ax, error_ax, history.val_loss, history.val_accuracy, color=VAL_COLOR,
            linestyle=VAL_STYLE, label="validation", **style)
    best, accuracy = history.best_epoch, 100 * history.val_accuracy[history.best_epoch - 1]
    error_ax.plot([best], [100 - accuracy], marker="*", markersize=13, color=VAL_COLOR,
                  markeredgecolor="white", linestyle="none", zorder=3)
    mark = dict(color=MARK_COLOR, linestyle=":", linewidth=1.5)
    loss_ax.axvline(best, **mark)
    error_ax.axvline(best, **mark, label=f"best validation: {accuracy:.2f}% right (epoch {best})")


def _fixed_axes(loss_ax, error_ax, epochs, loss_limits):
    """The same limits, scales and ticks for every setting."""
    loss_ax.set(yscale="log", ylim=loss_limits, ylabel="cross-entropy loss (log scale)")
    # Error rates in %: log from 1 to 100, linear below 1, so that 0% wrong lies on the axis.
    error_ax.set_yscale("symlog", linthresh=1, linscale=0.2)
    error_ax.set(ylim=(0, 100), ylabel="error rate (%, log scale)")
    error_ax.yaxis.set_major_locator(FixedLocator([0, 1, 2, 5, 10, 20, 50, 100]))
    error_ax.yaxis.set_minor_locator(FixedLocator([3, 4, 6, 7, 8, 9, 30, 40, 60, 70, 80, 90]))
    error_ax.grid(which="minor", axis="y", alpha=0.12)
    for ax in (loss_ax, error_ax):
        ax.set(xlim=(0.5, epochs + 0.5), xlabel="epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
        ax.grid(alpha=0.3)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        ax.yaxis.set_minor_formatter(NullFormatter())
        low, high = ax.get_ylim()
        for line in ax.get_lines():
            y = np.asarray(line.get_ydata(), dtype=float)
            if line.get_transform() is not ax.get_xaxis_transform() and \
                    np.all((low <= y) & (y <= high)):
                line.set_clip_on(False)  # a marker on the edge (0% wrong) is drawn whole
