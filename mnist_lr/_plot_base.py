"""What the figures share: the checks matplotlib would not make clearly, and axes helpers."""

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure, FigureBase

# The widest figure, in inches: 11 in at 100 dpi is 1,100 px, which the reading
# site's column (about 750 px at a 1366-px-wide window) scales so that 10-pt
# text still shows at 9 px or more. A row of panels shrinks its panels to fit.
MAX_WIDTH = 11.0


def _names(names, count, argument, counted):
    """``names`` as a list of ``count`` labels (default ``0..count-1``)."""
    names = list(range(count)) if names is None else list(names)
    if len(names) != count:
        raise ValueError(f"{argument} has {len(names)} entries for {counted}; they must match")
    return names


def _fitted_attribute(model, attribute, argument):
    """``model.<attribute>`` if ``model`` is a model, else None; an unfitted model is an error."""
    if not (hasattr(model, attribute) or (hasattr(model, "get_params") and hasattr(model, "fit"))):
        return None
    if not hasattr(model, attribute):
        raise ValueError(f"{argument}: this {type(model).__name__} is not fitted yet; "
                         "call fit() first")
    return getattr(model, attribute)


def _check_ax(ax, figsize):
    if ax is None:
        return plt.subplots(figsize=figsize, layout="constrained")[1]
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    return ax


def _check_fig(fig, figsize):
    if fig is None:
        return plt.figure(figsize=figsize, layout="constrained")
    if not isinstance(fig, FigureBase):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    fig.clear()
    if isinstance(fig, Figure) and fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")
    return fig


def _check_title(title, name):
    """Where a figure builds text from a name, a name that is no string is a slip."""
    if not isinstance(title, str):
        raise TypeError(f"{name} must be a string, got {type(title).__name__}")
    return title


def _image_axes(fig, n, ncols):
    """A grid of ``n`` tick-less image axes (spare cells hidden), row-major."""
    ncols = min(ncols, n)
    grid = np.atleast_1d(fig.subplots(math.ceil(n / ncols), ncols, squeeze=False)).ravel()
    for ax in grid[n:]:
        ax.set_visible(False)
    for ax in grid[:n]:
        ax.set(xticks=[], yticks=[])
        ax.spines[:].set_edgecolor("0.6")
    return list(grid[:n])
