"""What the figures share: argument checks and axes helpers."""

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure, FigureBase

# The widest figure, in inches: at 100 dpi the reading site's column scales 1,100 px
# down so that 10-pt text still reads. A row of panels shrinks its panels to fit.
MAX_WIDTH = 11.0


def _fitted_attribute(model, attribute, argument):
    """``model.<attribute>`` for a fitted model, None for anything that is no model."""
    if hasattr(model, "fit") and not hasattr(model, attribute):
        raise ValueError(f"{argument}: this {type(model).__name__} is not fitted yet; "
                         "call fit() first")
    return getattr(model, attribute, None)


def _check_dict(value, name, what, most=None):
    """``value``, a non-empty dict of at most ``most`` entries; ``what`` shows its form."""
    if not isinstance(value, Mapping) or not value:
        raise TypeError(f"{name} must be a non-empty dict {what}, got {type(value).__name__}")
    if most is not None and len(value) > most:
        raise ValueError(f"{name} can hold at most {most} entries, got {len(value)}")
    return value


def _check_ax(ax, figsize):
    """``ax``, or the Axes of a new figure of ``figsize`` inches."""
    if ax is None:
        return plt.subplots(figsize=figsize, layout="constrained")[1]
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    return ax


def _cell_grid(ax, xlabels, ylabels, linewidth):
    """Labels on the cells of an image, white lines between the cells, no tick marks."""
    for set_ticks, labels in ((ax.set_xticks, xlabels), (ax.set_yticks, ylabels)):
        set_ticks(np.arange(len(labels)), [f"{label}" for label in labels])
        set_ticks(np.arange(len(labels) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=linewidth)
    ax.grid(which="major", visible=False)
    ax.tick_params(which="both", length=0)


def _check_fig(fig, figsize):
    """``fig`` (a Figure or SubFigure) cleared, or a new figure of ``figsize`` inches."""
    if fig is None:
        return plt.figure(figsize=figsize, layout="constrained")
    if not isinstance(fig, FigureBase):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    fig.clear()
    if isinstance(fig, Figure) and fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")
    return fig

