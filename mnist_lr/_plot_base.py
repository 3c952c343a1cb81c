"""What the figures share: colours, the checks matplotlib would not make clearly, axes helpers."""

import dataclasses
import math
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure, FigureBase
from matplotlib.ticker import MaxNLocator

from .model import TrainingHistory

#: Colour of everything measured on the training data (Okabe-Ito blue).
TRAIN_COLOR = "#0072B2"
#: Colour of everything measured on the validation data (Okabe-Ito vermillion).
VAL_COLOR = "#D55E00"
#: Line styles: training solid, validation dashed, in every figure.
TRAIN_STYLE, VAL_STYLE = "-", "--"
#: Colour of markers such as the best validation epoch.
MARK_COLOR = "0.3"
#: Colours of the models compared in one figure (Okabe-Ito, after blue and vermillion).
MODEL_COLORS = ("#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

IMAGE_CMAP, WEIGHT_CMAP, CONFUSION_CMAP = "gray_r", "RdBu_r", "Blues"

#: The per-epoch fields of a training history: loss, train_accuracy, val_loss, val_accuracy.
HISTORY_FIELDS = tuple(field.name for field in dataclasses.fields(TrainingHistory))


def _numeric_array(value, name, ndim):
    """``value`` as a finite float array of ``ndim`` dimensions (float32 is not copied)."""
    array = np.asarray(value)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"{name} must hold numbers, got dtype {array.dtype}")
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {array.shape}")
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf)")
    return array


def _fractions(value, name, length=None):
    """Accuracies (or their spreads) as a 1-D float array of fractions in [0, 1]."""
    array = _numeric_array(value, name, 1)
    if length is not None and len(array) != length:
        raise ValueError(f"{name} has {len(array)} entries but there are {length} values; "
                         "they must match")
    if array.size and (array.min() < 0 or array.max() > 1):
        bad = array.max() if array.max() > 1 else array.min()
        raise ValueError(f"{name} must hold accuracies as fractions between 0 and 1, got {bad:g}"
                         + ("; divide percentages by 100" if 1 < bad <= 100 else ""))
    return array


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


def _as_history(history):
    """A TrainingHistory of finite, equally long arrays from a history, a model or a dict."""
    if isinstance(history, Mapping):
        if missing := sorted(set(HISTORY_FIELDS) - history.keys()):
            raise ValueError(f"history is missing the keys {missing}")
        history = TrainingHistory(**{key: history[key] for key in HISTORY_FIELDS})
    elif not isinstance(history, TrainingHistory):
        fitted = _fitted_attribute(history, "history_", "history")
        if not isinstance(fitted, TrainingHistory):
            raise TypeError("history must be a TrainingHistory or a fitted SoftmaxRegression, got "
                            f"{type(history).__name__}")
        history = fitted
    arrays = {key: _numeric_array(getattr(history, key), f"history.{key}", 1)
              for key in HISTORY_FIELDS}
    lengths = {key: len(value) for key, value in arrays.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"history arrays must all have the same length, got {lengths}")
    if lengths["loss"] == 0:
        raise ValueError("history is empty: there is no epoch to plot")
    for key in ("train_accuracy", "val_accuracy"):
        _fractions(arrays[key], f"history.{key}")
    return TrainingHistory(**arrays)


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


def _epoch_axis(ax, n_epochs, pad=None, first=1):
    """x from epoch ``first`` to the last one (plus a little room), integer ticks."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    if pad is None:
        pad = 0.5 if n_epochs == first else 0.02 * (n_epochs - first)
    # Less than a whole epoch of room on the left: no tick at an epoch before `first`.
    ax.set_xlim(first - min(pad, 0.5), n_epochs + pad)
