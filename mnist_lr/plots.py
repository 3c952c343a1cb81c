"""The tutorial's figures, one function each.

Every function draws one figure and hands back what it drew on, so a notebook
cell can keep adjusting it:

* single-axes figures (:func:`plot_confusion_matrix`,
  :func:`plot_kfold_curves`) take ``ax=`` and return the
  :class:`~matplotlib.axes.Axes`;
* multi-panel figures (:func:`plot_digit_grid`, :func:`plot_training_curves`,
  :func:`plot_weights`, :func:`plot_misclassified`) take ``fig=`` and return
  the :class:`~matplotlib.figure.Figure`. A figure passed in is cleared first,
  so the same figure can be redrawn (by a slider, say).

Training data is always drawn in :data:`TRAIN_COLOR` and validation data in
:data:`VAL_COLOR`, in every figure. Only matplotlib's default font (DejaVu
Sans) is used, so the figures look the same on every platform.

This module imports matplotlib; the rest of the package does not, so import it
explicitly::

    from mnist_lr.plots import plot_training_curves
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm, Normalize
from matplotlib.figure import Figure, FigureBase
from matplotlib.ticker import MaxNLocator

from ._checks import check_int, check_real, check_same_length
from .model import TrainingHistory

__all__ = [
    "TRAIN_COLOR",
    "VAL_COLOR",
    "TRAIN_STYLE",
    "VAL_STYLE",
    "plot_digit_grid",
    "plot_training_curves",
    "plot_weights",
    "plot_score_contributions",
    "plot_confusion_matrix",
    "plot_misclassified",
    "plot_kfold_curves",
    "plot_kfold_comparison",
    "plot_fold_diagram",
    "plot_histories_side_by_side",
]

#: Colour of everything measured on the training data (Okabe-Ito blue).
TRAIN_COLOR = "#0072B2"
#: Colour of everything measured on the validation data (Okabe-Ito vermillion).
VAL_COLOR = "#D55E00"
#: Line styles: training solid, validation dashed, in every figure.
TRAIN_STYLE = "-"
VAL_STYLE = "--"
#: Colour of markers such as the best validation epoch.
MARK_COLOR = "0.3"

IMAGE_CMAP = "gray_r"
WEIGHT_CMAP = "RdBu_r"
CONFUSION_CMAP = "Blues"


# --------------------------------------------------------------------------
# Checks shared by the figures
# --------------------------------------------------------------------------


def _numeric_array(value, name, ndim):
    """``value`` as a float array of the given number of dimensions, or a clear error."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists and the like
        raise ValueError(f"{name} must be an array of numbers ({exc})") from None
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"{name} must hold numbers, got dtype {array.dtype}")
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {array.shape}")
    if not np.issubdtype(array.dtype, np.floating):
        # Integers become floats; float32 stays as it is (no 440 MB copy of MNIST).
        array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf)")
    return array


def _names(names, count, argument, counted):
    """``names`` as a list of ``count`` labels (default ``0..count-1``), or a clear error."""
    if names is None:
        return list(range(count))
    if np.ndim(names) != 1:
        raise ValueError(f"{argument} must be a 1-D sequence, got shape {np.shape(names)}")
    names = list(names)
    if len(names) != count:
        raise ValueError(
            f"{argument} has {len(names)} entries for {counted}; they must match"
        )
    return names


def _image_side(n_pixels, name):
    side = math.isqrt(n_pixels)
    if side * side != n_pixels or side == 0:
        raise ValueError(
            f"{name} rows must be square images ({n_pixels} values is not a square number; "
            "MNIST rows have 784 = 28 x 28)"
        )
    return side


def _images(X, name="X"):
    """Rows of square images as an array of shape (n, side, side)."""
    X = np.asarray(X)
    if X.ndim == 3 and X.shape[1] == X.shape[2]:
        X = X.reshape(len(X), -1)
    if X.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n_images, n_pixels), e.g. (n, 784) for MNIST; got shape {X.shape}"
        )
    X = _numeric_array(X, name, 2)
    side = _image_side(X.shape[1], name)
    return X.reshape(len(X), side, side)


def _labels(y, name, n_rows=None, rows_name="X"):
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one label per image), got shape {y.shape}")
    if n_rows is not None:
        check_same_length(range(n_rows), y, rows_name, name)
    return y


def _fitted_attribute(model, attribute, argument):
    """``model.<attribute>`` if ``model`` is a model, else None; an unfitted model is an error.

    The one place where a figure tells "a fitted model" from "an array".
    """
    if not (hasattr(model, attribute) or (hasattr(model, "get_params") and hasattr(model, "fit"))):
        return None
    if not hasattr(model, attribute):
        raise ValueError(
            f"{argument}: this {type(model).__name__} is not fitted yet; call fit() first"
        )
    return getattr(model, attribute)


def _check_ax(ax, figsize):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
        return ax
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


def _check_title(title, name="title"):
    if not isinstance(title, str):
        raise TypeError(f"{name} must be a string, got {type(title).__name__}")
    return title


def _image_axes(fig, n, ncols):
    """A grid of ``n`` tick-less image axes (spare cells hidden), row-major."""
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    grid = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for ax in grid[n:]:
        ax.set_visible(False)
    for ax in grid[:n]:
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor("0.6")
    return list(grid[:n])


def _epoch_axis(ax, n_epochs, pad=None, first=1):
    """x from epoch ``first`` to the last one (plus a little room), integer ticks."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    if pad is None:
        pad = 0.5 if n_epochs == first else 0.02 * (n_epochs - first)
    # Less than a whole epoch of room on the left: no tick at an epoch before `first`.
    ax.set_xlim(first - min(pad, 0.5), n_epochs + pad)


# --------------------------------------------------------------------------
# 1. The data
# --------------------------------------------------------------------------


def plot_digit_grid(
    X, y, digits=range(10), ncols=5, fig=None, title="One example of each digit"
):
    """Show one example image of each requested digit.

    For each digit the first row of ``X`` whose label in ``y`` equals that
    digit is drawn, so the grid really shows the digits asked for whatever
    the order of the rows.

    Parameters
    ----------
    X : array-like of shape (n_images, 784)
        Images as rows of pixels in [0, 1] (any square size works, e.g. 8 x 8;
        an array of shape (n_images, 28, 28) is accepted too).
    y : array-like of shape (n_images,)
        The label of each row.
    digits : iterable of labels, default ``range(10)``
        Which labels to show, in this order (the article shows 1 to 9).
    ncols : int, default 5
        Panels per row.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (it is cleared first); a new one by default.
    title : str, default "One example of each digit"
        The figure's suptitle.

    Returns
    -------
    matplotlib.figure.Figure
        One image panel per digit, titled "digit 3" and so on.

    Raises
    ------
    ValueError
        If a requested digit does not occur in ``y``, or the shapes do not fit.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.random((20, 784)), np.arange(20) % 10
    >>> fig = plot_digit_grid(X, y, digits=[0, 1, 2])
    >>> [ax.get_title() for ax in fig.axes]
    ['digit 0', 'digit 1', 'digit 2']
    """
    images = _images(X)
    y = _labels(y, "y", len(images))
    if isinstance(digits, (str, bytes)) or np.ndim(digits) == 0:
        digits = [digits]
    digits = list(digits)
    if not digits:
        raise ValueError("digits must name at least one label")
    ncols = check_int(ncols, "ncols", minimum=1)
    title = _check_title(title)

    rows, missing = [], []
    for digit in digits:
        found = np.flatnonzero(y == digit)
        if found.size:
            rows.append(found[0])
        else:
            missing.append(digit)
    if missing:
        present = np.unique(y)
        raise ValueError(
            f"digits {missing} do not occur in y (y holds the labels "
            f"{present[:20].tolist()}{' ...' if present.size > 20 else ''})"
        )

    shown = images[rows]
    vmin, vmax = min(0.0, shown.min()), max(1.0, shown.max())
    n_cols = min(ncols, len(digits))
    n_rows = math.ceil(len(digits) / n_cols)
    fig = _check_fig(fig, (1.5 * n_cols + 0.3, 1.6 * n_rows + 0.5))
    for ax, digit, image in zip(_image_axes(fig, len(digits), ncols), digits, shown, strict=True):
        ax.imshow(image, cmap=IMAGE_CMAP, vmin=vmin, vmax=vmax)
        ax.set_title(f"digit {digit}", fontsize=10)
    fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------
# 2. Training
# --------------------------------------------------------------------------


def _as_history(history):
    """A TrainingHistory from a history, a fitted model or a dict of the four arrays."""
    if isinstance(history, TrainingHistory):
        pass
    elif isinstance(history, Mapping):
        keys = set(TrainingHistory().as_dict())
        if not keys <= history.keys():
            raise ValueError(f"history is missing the keys {sorted(keys - history.keys())}")
        history = TrainingHistory(**{key: history[key] for key in keys})
    elif (fitted := _fitted_attribute(history, "history_", "history")) is not None:
        history = fitted
        if not isinstance(history, TrainingHistory):
            raise TypeError("history.history_ must be a TrainingHistory")
    else:
        raise TypeError(
            "history must be a TrainingHistory or a fitted SoftmaxRegression, got "
            f"{type(history).__name__}"
        )
    arrays = {
        key: _numeric_array(value, f"history.{key}", 1) for key, value in history.as_dict().items()
    }
    lengths = {key: len(value) for key, value in arrays.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"history arrays must all have the same length, got {lengths}")
    if lengths["loss"] == 0:
        raise ValueError("history is empty: there is no epoch to plot")
    return TrainingHistory(**arrays)


def plot_training_curves(
    history, fig=None, title="Loss and accuracy per epoch", start=None, log_epochs=False,
    panels="rows",
):
    """Loss (top, or left) and training/validation accuracy (bottom, or right) against the epoch.

    The epoch with the best validation accuracy (the one whose weights
    :class:`~mnist_lr.model.SoftmaxRegression` keeps) is marked by a dotted
    vertical line on both panels; the legend gives its validation accuracy.
    Training is drawn solid, validation dashed.

    Parameters
    ----------
    history : TrainingHistory or fitted SoftmaxRegression
        Per-epoch ``loss``, ``train_accuracy``, ``val_loss`` and
        ``val_accuracy`` (accuracies as fractions); of a model, its
        ``history_`` is used. A dict with those four keys works too.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (it is cleared first); a new one by default.
    title : str, default "Loss and accuracy per epoch"
        The figure's suptitle.
    start : dict, optional
        The four numbers measured *before* training (the all-zero weights),
        under the same keys as the history; drawn as epoch 0. Training starts
        from a loss of log K, so this shows how much the first epoch does.
    log_epochs : bool, default False
        A logarithmic epoch axis, so that the first few epochs of a long run
        stay visible. (Epoch 0 cannot be drawn on it: ``start`` is then
        refused.)
    panels : {"rows", "columns"}, default "rows"
        Loss above accuracy, or (``"columns"``) beside it: a wide, short
        figure that fits on a laptop screen under a slider.

    Returns
    -------
    matplotlib.figure.Figure
        With two axes sharing the epoch axis: ``fig.axes[0]`` the loss,
        ``fig.axes[1]`` the accuracy in percent.

    Examples
    --------
    >>> import numpy as np
    >>> from mnist_lr import TrainingHistory
    >>> history = TrainingHistory(loss=np.array([0.9, 0.5, 0.4]),
    ...                           train_accuracy=np.array([0.80, 0.88, 0.90]),
    ...                           val_loss=np.array([0.95, 0.6, 0.55]),
    ...                           val_accuracy=np.array([0.78, 0.86, 0.85]))
    >>> fig = plot_training_curves(history)
    >>> fig.axes[1].get_ylabel()
    'accuracy (%)'
    """
    history = _as_history(history)
    title = _check_title(title)
    if panels not in ("rows", "columns"):
        raise ValueError(f'panels must be "rows" or "columns", got {panels!r}')
    best = history.best_epoch
    best_accuracy = 100 * history.val_accuracy[best - 1]
    first = 1
    if start is not None:
        if log_epochs:
            raise ValueError("start (epoch 0) cannot be drawn on a logarithmic epoch axis")
        start = _as_history({key: np.atleast_1d(start[key]) for key in _start_keys(start)})
        history = TrainingHistory(
            **{
                key: np.concatenate([start.as_dict()[key], value])
                for key, value in history.as_dict().items()
            }
        )
        first = 0
    n = len(history)
    epochs = np.arange(first, first + n)
    style = {"marker": "o", "markersize": 3} if n <= 40 else {}

    fig = _check_fig(fig, (7.0, 6.0) if panels == "rows" else (9.0, 3.6))
    loss_ax, acc_ax = fig.subplots(*((2, 1) if panels == "rows" else (1, 2)), sharex=True)

    for ax, key, scale, label in (
        (loss_ax, "loss", 1, "{} loss"),
        (acc_ax, "accuracy", 100, "{}"),
    ):
        train = history.loss if key == "loss" else history.train_accuracy
        val = history.val_loss if key == "loss" else history.val_accuracy
        ax.plot(epochs, scale * train, color=TRAIN_COLOR, linestyle=TRAIN_STYLE,
                label=label.format("training"), **style)
        ax.plot(epochs, scale * val, color=VAL_COLOR, linestyle=VAL_STYLE,
                label=label.format("validation"), **style)
    loss_ax.set_ylabel("cross-entropy loss")
    loss_ax.legend(loc="best")
    acc_ax.plot(
        [best],
        [best_accuracy],
        marker="*",
        markersize=13,
        color=VAL_COLOR,
        markeredgecolor="white",
        linestyle="none",
        zorder=3,
    )
    acc_ax.set_ylabel("accuracy (%)")

    for ax in (loss_ax, acc_ax):
        ax.axvline(
            best,
            color=MARK_COLOR,
            linestyle=":",
            linewidth=1.5,
            label=f"best validation: {best_accuracy:.2f}% (epoch {best})" if ax is acc_ax else None,
        )
        ax.grid(alpha=0.3)
        if log_epochs:
            ax.set_xscale("log")
            ax.set_xlim(0.9, n * 1.1)
        else:
            _epoch_axis(ax, first + n - 1, first=first)
    for ax in (acc_ax,) if panels == "rows" else (loss_ax, acc_ax):
        ax.set_xlabel("epoch (log scale)" if log_epochs else "epoch")
    acc_ax.legend(loc="best")
    fig.suptitle(title)
    return fig


def _start_keys(start):
    """The four history keys, checked to be present in ``start``."""
    keys = list(TrainingHistory().as_dict())
    if not isinstance(start, Mapping) or not set(keys) <= start.keys():
        raise ValueError(f"start must be a dict with the keys {keys}")
    return keys


# --------------------------------------------------------------------------
# 3. What the model learned
# --------------------------------------------------------------------------


def plot_weights(
    coef,
    classes=None,
    fig=None,
    ncols=5,
    title="What each class looks for: the weights as images",
    limit=None,
    colorbar_label="weight (positive: ink here raises this class's score)",
    signed=True,
):
    """Draw each class's weight vector as an image.

    Red pixels raise the class's score where there is ink, blue pixels lower
    it. All panels share one colour scale, symmetric around zero, so that
    the panels can be compared with each other.

    Parameters
    ----------
    coef : array-like of shape (n_classes, 784) or fitted SoftmaxRegression
        One row of weights per class (``model.coef_``). Given a model, its
        ``coef_`` is used and ``classes`` defaults to its ``classes_``.
    classes : sequence, optional
        Panel titles, one per row of ``coef``; defaults to ``0, 1, ...``.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (it is cleared first); a new one by default.
    ncols : int, default 5
        Panels per row (10 classes give a 2 x 5 grid).
    title : str
        The figure's suptitle.
    limit : float, optional
        The colour scale runs from ``-limit`` to ``+limit``. By default it is
        the 99th percentile of the absolute weights, so that a few extreme
        weights (on pixels that are almost never inked) do not wash out the
        rest; weights beyond it get the end colours, as the colorbar's
        pointed ends show. Pass ``np.abs(coef).max()`` to show every weight
        without clipping.
    colorbar_label : str
        The colorbar's label. Any rows of 784 numbers can be drawn this way
        (average images, or pixel-by-weight products); say what they are.
    signed : bool, default True
        True: a diverging red-blue scale from ``-limit`` to ``+limit``, for
        values of either sign. False: a sequential grey scale from 0 to
        ``limit`` (by default the largest value), for values that are never
        negative, such as average images; they are refused if negative.

    Returns
    -------
    matplotlib.figure.Figure
        One image axes per class, followed by the colorbar's axes.

    Examples
    --------
    >>> import numpy as np
    >>> coef = np.random.default_rng(0).normal(size=(10, 784))
    >>> fig = plot_weights(coef)
    >>> [ax.get_title() for ax in fig.axes[:3]]
    ['0', '1', '2']
    """
    if (fitted := _fitted_attribute(coef, "coef_", "coef")) is not None:
        if classes is None and hasattr(coef, "classes_"):
            classes = coef.classes_
        coef = fitted
    coef = _numeric_array(coef, "coef", 2)
    side = _image_side(coef.shape[1], "coef")
    n_classes = len(coef)
    if n_classes == 0:
        raise ValueError("coef has no rows; it needs one row of weights per class")
    classes = _names(classes, n_classes, "classes", f"the {n_classes} rows of coef")
    ncols = check_int(ncols, "ncols", minimum=1)
    title = _check_title(title)

    if not signed and (coef < 0).any():
        raise ValueError("signed=False draws values from 0 up, but coef has negative values")
    if limit is None:
        limit = float(np.percentile(np.abs(coef), 99) if signed else coef.max())
    else:
        limit = check_real(limit, "limit", positive=True)
    limit = limit or 1.0  # all-zero weights (untrained): any scale will do
    n_cols = min(ncols, n_classes)
    n_rows = math.ceil(n_classes / n_cols)
    fig = _check_fig(fig, (1.7 * n_cols + 0.4, 1.75 * n_rows + 1.3))
    axes = _image_axes(fig, n_classes, ncols)
    scale = dict(cmap=WEIGHT_CMAP, vmin=-limit, vmax=limit) if signed else dict(
        cmap=IMAGE_CMAP, vmin=0.0, vmax=limit)
    image = None
    for ax, name, weights in zip(axes, classes, coef, strict=True):
        image = ax.imshow(weights.reshape(side, side), **scale)
        ax.set_title(f"{name}", fontsize=11)
    clipped = np.abs(coef).max() > limit
    colorbar = fig.colorbar(
        image,
        ax=axes,
        orientation="horizontal",
        location="bottom",
        shrink=0.6,
        aspect=40,
        pad=0.04,
        extend=("both" if signed else "max") if clipped else "neither",
    )
    colorbar.set_label(_check_title(colorbar_label, "colorbar_label"))
    fig.suptitle(title)
    return fig


def plot_score_contributions(image, weights, fig=None,
                             title="Where one image's score comes from"):
    """An image, one class's weights, and their pixel-by-pixel product, each with its own scale.

    The product is each pixel's contribution to the class's score (the score
    is its sum plus the bias). The three panels hold three kinds of number
    (ink, weight, score), so each gets its own colour bar.

    Parameters
    ----------
    image : array-like of shape (784,)
        Pixel values in [0, 1].
    weights : array-like of shape (784,)
        One class's weights (a row of ``model.coef_``).
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (it is cleared first); a new one by default.
    title : str
        The figure's suptitle.

    Returns
    -------
    matplotlib.figure.Figure
        Three image axes (image, weights, product), then their three colour bars.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> fig = plot_score_contributions(rng.random(784), rng.normal(size=784))
    >>> [ax.get_title() for ax in fig.axes[:3]]
    ['the image', 'the weights', 'image × weights']
    """
    image = _numeric_array(image, "image", 1)
    weights = _numeric_array(weights, "weights", 1)
    check_same_length(image, weights, "image", "weights", what=("pixels", "weights"))
    side = _image_side(len(image), "image")
    fig = _check_fig(fig, (8.4, 3.6))
    axes = _image_axes(fig, 3, 3)
    product = image * weights
    panels = [
        ("the image", image, dict(cmap=IMAGE_CMAP, vmin=0.0, vmax=1.0),
         "pixel value (0 paper, 1 ink)"),
        ("the weights", weights, _symmetric(weights), "weight"),
        ("image × weights", product, _symmetric(product), "contribution to the score"),
    ]
    for ax, (name, values, scale, label) in zip(axes, panels, strict=True):
        shown = ax.imshow(values.reshape(side, side), **scale)
        ax.set_title(name, fontsize=11)
        bar = fig.colorbar(shown, ax=ax, orientation="horizontal", location="bottom",
                           pad=0.04, shrink=0.9)
        bar.set_label(label, fontsize=9)
    fig.suptitle(_check_title(title))
    return fig


def _symmetric(values):
    """A red-blue scale centred on zero that fits every value."""
    limit = float(np.abs(values).max()) or 1.0
    return dict(cmap=WEIGHT_CMAP, vmin=-limit, vmax=limit)


# --------------------------------------------------------------------------
# 4. Errors
# --------------------------------------------------------------------------


def _format_count(value, integral):
    return f"{int(round(value))}" if integral else f"{value:.3g}"


def plot_confusion_matrix(
    matrix,
    labels=None,
    log=False,
    annotate=True,
    ax=None,
    cmap=CONFUSION_CMAP,
    title="Confusion matrix",
    colorbar_label="count",
):
    """Draw a confusion matrix as a heatmap, rows = true label, columns = predicted.

    Parameters
    ----------
    matrix : array-like of shape (K, K)
        Counts, e.g. from :func:`mnist_lr.confusion_matrix`; entry ``[i, j]``
        counts images of class ``labels[i]`` predicted as ``labels[j]``.
    labels : sequence, optional
        Class names for the ticks; defaults to ``0..K-1``.
    log : bool, default False
        Colour on a logarithmic scale, which makes the few off-diagonal
        mistakes visible next to the large diagonal. Empty (zero) cells then
        get the lowest colour.
    annotate : bool, default True
        Write each cell's count in it, in black or white, whichever reads
        better on the cell's colour.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default. A colorbar is added beside it.
    cmap : str or matplotlib.colors.Colormap, default "Blues"
        A sequential colormap.
    title : str, default "Confusion matrix"
    colorbar_label : str, default "count"

    Returns
    -------
    matplotlib.axes.Axes
        The heatmap's axes; the counts are its ``texts`` (when ``annotate``).

    Examples
    --------
    >>> ax = plot_confusion_matrix([[5, 1], [0, 7]], labels=["cat", "dog"], log=True)
    >>> [text.get_text() for text in ax.texts]
    ['5', '1', '0', '7']
    """
    matrix = _numeric_array(matrix, "matrix", 2)
    if matrix.shape[0] != matrix.shape[1] or matrix.size == 0:
        raise ValueError(f"matrix must be square (K, K), got shape {matrix.shape}")
    if (matrix < 0).any():
        raise ValueError("matrix holds counts and must not contain negative numbers")
    size = len(matrix)
    labels = _names(labels, size, "labels", f"a {size} x {size} matrix")
    if not isinstance(log, (bool, np.bool_)):
        raise TypeError(f"log must be True or False, got {log!r}")
    if not isinstance(annotate, (bool, np.bool_)):
        raise TypeError(f"annotate must be True or False, got {annotate!r}")
    title = _check_title(title)
    colorbar_label = _check_title(colorbar_label, "colorbar_label")
    try:
        colormap = plt.get_cmap(cmap)
    except ValueError as exc:
        raise ValueError(f"cmap: {exc}") from None
    ax = _check_ax(ax, (6.4, 5.4))

    top = float(matrix.max())
    if log:
        positive = matrix[matrix > 0]
        low = float(positive.min()) if positive.size else 1.0
        high = max(top, low * 10)  # a single value (or none) still needs a range
        norm = LogNorm(vmin=low, vmax=high)
        # Zeros have no logarithm: mask them and paint them in the lowest colour.
        colormap = colormap.with_extremes(bad=colormap(0.0), under=colormap(0.0))
        shown = np.ma.masked_less_equal(matrix, 0)
    else:
        norm = Normalize(vmin=0.0, vmax=top if top > 0 else 1.0)
        shown = matrix
    image = ax.imshow(shown, cmap=colormap, norm=norm, interpolation="nearest")

    ticks = np.arange(size)
    ax.set_xticks(ticks, [f"{label}" for label in labels])
    ax.set_yticks(ticks, [f"{label}" for label in labels])
    ax.set_xticks(np.arange(size + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(size + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.grid(which="major", visible=False)
    ax.tick_params(which="minor", length=0)
    ax.tick_params(which="major", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    ax.set_title(title)
    colorbar = ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    colorbar.set_label(colorbar_label)
    colorbar.outline.set_visible(False)

    if annotate:
        integral = bool(np.all(matrix == np.round(matrix)))
        fontsize = max(5.0, min(10.0, 90.0 / size))
        longest = max(len(_format_count(v, integral)) for v in matrix.ravel())
        if longest > 4:
            fontsize *= 4 / longest
        for (i, j), value in np.ndenumerate(matrix):
            if log and value <= 0:
                rgba = colormap(0.0)
            else:
                rgba = colormap(norm(value))
            luminance = 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2]
            ax.text(
                j,
                i,
                _format_count(value, integral),
                ha="center",
                va="center",
                fontsize=fontsize,
                color="white" if luminance < 0.5 else "black",
            )
    return ax


def plot_misclassified(
    X,
    y_true,
    y_pred,
    true_label=None,
    predicted_label=None,
    n=8,
    ncols=8,
    fig=None,
    title=None,
    probabilities=None,
):
    """A gallery of images the model got wrong.

    Parameters
    ----------
    X : array-like of shape (n_images, 784)
        The images (rows of pixels in [0, 1]).
    y_true : array-like of shape (n_images,)
        Their true labels.
    y_pred : array-like of shape (n_images,)
        The model's predictions.
    true_label, predicted_label : label, optional
        Show only mistakes with this true label and/or this prediction, e.g.
        ``true_label=4, predicted_label=9`` for fours taken for nines.
    n : int, default 8
        Show at most this many images (the first ones, in row order).
    ncols : int, default 8
        Panels per row.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (it is cleared first); a new one by default.
    title : str, optional
        The figure's suptitle; by default it says what is shown and how many
        such mistakes there are.
    probabilities : array-like of shape (n_images,), optional
        The probability the model gave its (wrong) prediction, for example
        ``model.predict_proba(X).max(axis=1)``. Each panel is then titled
        with it ("p = 0.83"), and the suptitle says what is shown.

    Returns
    -------
    matplotlib.figure.Figure
        One image panel per mistake, titled "true 4 → pred 9" (or with
        ``probabilities``, "p = 0.83").

    Raises
    ------
    ValueError
        If no image matches (no mistakes, or none of the requested kind).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).random((4, 784))
    >>> fig = plot_misclassified(X, [1, 2, 3, 4], [1, 7, 3, 9])
    >>> [ax.get_title() for ax in fig.axes]
    ['true 2 → pred 7', 'true 4 → pred 9']
    """
    images = _images(X)
    y_true = _labels(y_true, "y_true", len(images))
    y_pred = _labels(y_pred, "y_pred", len(images))
    n = check_int(n, "n", minimum=1)
    ncols = check_int(ncols, "ncols", minimum=1)
    if title is not None:
        title = _check_title(title)

    if probabilities is not None:
        probabilities = _numeric_array(probabilities, "probabilities", 1)
        if len(probabilities) != len(images):
            raise ValueError(
                f"probabilities has {len(probabilities)} values but X has {len(images)} rows"
            )
    wrong = y_true != y_pred
    if true_label is not None:
        wrong &= y_true == true_label
    if predicted_label is not None:
        wrong &= y_pred == predicted_label
    if true_label is None and predicted_label is None:
        kind = "Misclassified images"
    elif predicted_label is None:
        kind = f"Misclassified images of {true_label}"
    elif true_label is None:
        kind = f"Images wrongly predicted as {predicted_label}"
    else:
        kind = f"Images of {true_label} predicted as {predicted_label}"
    rows = np.flatnonzero(wrong)
    if rows.size == 0:
        if true_label is not None and predicted_label is not None and true_label == predicted_label:
            raise ValueError(
                f"true_label and predicted_label are both {true_label!r}: those are correct "
                "predictions, not mistakes"
            )
        raise ValueError(
            f"nothing to show: there are no {kind[0].lower() + kind[1:]} "
            "(compared y_true with y_pred)"
        )
    total = rows.size
    rows = rows[:n]

    shown = images[rows]
    vmin, vmax = min(0.0, shown.min()), max(1.0, shown.max())
    n_cols = min(ncols, len(rows))
    n_rows = math.ceil(len(rows) / n_cols)
    fig = _check_fig(fig, (max(1.35 * n_cols, 4.0) + 0.2, 1.55 * n_rows + 0.55))
    for ax, row in zip(_image_axes(fig, len(rows), ncols), rows, strict=True):
        ax.imshow(images[row], cmap=IMAGE_CMAP, vmin=vmin, vmax=vmax)
        if probabilities is None:
            ax.set_title(f"true {y_true[row]} → pred {y_pred[row]}", fontsize=9)
        else:
            ax.set_title(f"p = {probabilities[row]:.2f}", fontsize=9)
    if title is None:
        title = f"{kind} ({len(rows)} of {total} shown)"
        if probabilities is not None:
            title += f"\nabove each: the probability the model gave to {y_pred[rows[0]]}"
            if predicted_label is None:
                title = title.replace(f"to {y_pred[rows[0]]}", "to its wrong answer")
    fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------
# 5. Cross-validation
# --------------------------------------------------------------------------


def plot_kfold_curves(curves, ax=None, title=None, legend=True, ylabel=True):
    """Mean training and validation accuracy per epoch across k folds, with error bars.

    Parameters
    ----------
    curves : KFoldCurves
        From :func:`mnist_lr.kfold_curves`: ``train_accuracy`` and
        ``val_accuracy`` of shape (n_folds, n_epochs), as fractions.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Defaults to "k-fold cross-validation: accuracy per epoch" with the
        actual k.
    legend, ylabel : bool, default True
        Draw the legend and the y-axis label (off for the inner panels of a
        row of such plots; see :func:`plot_kfold_comparison`).

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    The error bars are the standard deviation across folds (``ddof=0``, as
    in :meth:`KFoldCurves.summary`), not a confidence interval.

    Examples
    --------
    >>> import numpy as np
    >>> from mnist_lr import KFoldCurves
    >>> rng = np.random.default_rng(0)
    >>> curves = KFoldCurves(train_accuracy=rng.uniform(0.8, 0.9, (5, 4)),
    ...                      val_accuracy=rng.uniform(0.7, 0.8, (5, 4)),
    ...                      loss=rng.uniform(0.3, 0.5, (5, 4)))
    >>> ax = plot_kfold_curves(curves)
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['training (mean ± std over 5 folds)', 'validation (mean ± std over 5 folds)']
    """
    if not (hasattr(curves, "train_accuracy") and hasattr(curves, "val_accuracy")):
        raise TypeError(
            f"curves must be a KFoldCurves (from kfold_curves), got {type(curves).__name__}"
        )
    train = _numeric_array(curves.train_accuracy, "curves.train_accuracy", 2)
    val = _numeric_array(curves.val_accuracy, "curves.val_accuracy", 2)
    if train.shape != val.shape:
        raise ValueError(
            "curves.train_accuracy and curves.val_accuracy must have the same shape "
            f"(n_folds, n_epochs), got {train.shape} and {val.shape}"
        )
    n_folds, n_epochs = train.shape
    if n_folds == 0 or n_epochs == 0:
        raise ValueError(f"curves holds no folds or no epochs (shape {train.shape})")
    if title is None:
        title = f"{n_folds}-fold cross-validation: accuracy per epoch"
    title = _check_title(title)
    ax = _check_ax(ax, (7.0, 4.5))

    epochs = np.arange(1, n_epochs + 1)
    marker = {"marker": "o", "markersize": 3} if n_epochs <= 40 else {}
    for data, color, style, name in (
        (train, TRAIN_COLOR, TRAIN_STYLE, "training"),
        (val, VAL_COLOR, VAL_STYLE, "validation"),
    ):
        ax.errorbar(
            epochs,
            100 * data.mean(axis=0),
            yerr=100 * data.std(axis=0),
            color=color,
            linestyle=style,
            capsize=3,
            elinewidth=1,
            linewidth=1.5,
            label=f"{name} (mean ± std over {n_folds} folds)",
            **marker,
        )
    _epoch_axis(ax, n_epochs, pad=max(0.5, 0.02 * (n_epochs - 1)))  # room for the caps
    ax.set_xlabel("epoch")
    if ylabel:
        ax.set_ylabel("accuracy (%)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(loc="best")
    return ax


def plot_kfold_comparison(results, title="k-fold cross-validation with less and less data"):
    """One :func:`plot_kfold_curves` panel per data-set size, side by side.

    Each panel keeps its own y-range, so that the gap between training and
    validation is visible at every size, even where it is small. The y-label
    is drawn once, on the left, and the legend once, below the panels.

    Parameters
    ----------
    results : dict
        ``{n_images: KFoldCurves}``, drawn in the dict's order.
    title : str
        The figure's suptitle.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(results, Mapping) or not results:
        raise TypeError("results must be a non-empty dict {n_images: KFoldCurves}")
    title = _check_title(title)
    fig = plt.figure(figsize=(4.6 * len(results), 4.4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(results)))
    for i, (ax, (n, curves)) in enumerate(zip(axes, results.items())):
        plot_kfold_curves(curves, ax=ax, title=f"{n:,} images", legend=False, ylabel=i == 0)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    fig.suptitle(title)
    return fig


def plot_fold_diagram(folds, n_samples, title=None):
    """Which sample is used for what in each fold: a grid of coloured cells.

    Parameters
    ----------
    folds : list of (train_indices, val_indices)
        From :func:`mnist_lr.kfold_indices`.
    n_samples : int
        The number of samples the folds were made from.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    grid = np.zeros((len(folds), n_samples))
    for i, (train, val) in enumerate(folds):
        grid[i, np.asarray(train)] = 1
        grid[i, np.asarray(val)] = 2
    if (grid == 0).any():
        raise ValueError("folds leave some samples unused; are they from kfold_indices?")
    if title is None:
        title = f"{len(folds)}-fold cross-validation of {n_samples} samples"
    title = _check_title(title)
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    ax = _check_ax(None, (0.45 * n_samples + 1.5, 0.45 * len(folds) + 1.3))
    cmap = ListedColormap(["white", TRAIN_COLOR, VAL_COLOR])
    ax.imshow(grid, cmap=cmap, vmin=0, vmax=2, aspect="equal")
    ax.set_xticks(np.arange(n_samples), np.arange(n_samples), fontsize=8)
    ax.set_yticks(np.arange(len(folds)), [f"fold {i + 1}" for i in range(len(folds))])
    ax.set_xticks(np.arange(n_samples + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(folds) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="both", length=0)
    ax.set_xlabel("sample (row number)")
    ax.set_title(title)
    ax.legend(
        handles=[Patch(color=TRAIN_COLOR, label="training"),
                 Patch(color=VAL_COLOR, label="validation")],
        loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
    )
    return ax


def plot_histories_side_by_side(histories, title=None, ylim=None):
    """Accuracy curves of several training runs, one panel each, on one y-scale.

    The static counterpart of the explorers in :mod:`mnist_lr.widgets`: the
    same runs a slider would show, fixed side by side for a reader without a
    running kernel.

    Parameters
    ----------
    histories : dict
        ``{panel title: TrainingHistory or fitted model}``.
    title : str, optional
        The figure's suptitle.
    ylim : (float, float), optional
        The accuracy range (percent) shared by all panels; by default the
        range that holds every curve.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(histories, Mapping) or not histories:
        raise TypeError("histories must be a non-empty dict {title: TrainingHistory}")
    fig = plt.figure(figsize=(4.4 * len(histories), 3.9), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(histories), sharey=True))
    for i, (ax, (name, history)) in enumerate(zip(axes, histories.items())):
        history = _as_history(history)
        epochs = np.arange(1, len(history) + 1)
        ax.plot(epochs, 100 * history.train_accuracy, color=TRAIN_COLOR,
                linestyle=TRAIN_STYLE, label="training")
        ax.plot(epochs, 100 * history.val_accuracy, color=VAL_COLOR,
                linestyle=VAL_STYLE, label="validation")
        ax.set_title(f"{name}\nvalidation after epoch {len(history)}: "
                     f"{100 * history.val_accuracy[-1]:.1f}%", fontsize=10)
        ax.set_xlabel("epoch")
        if i == 0:
            ax.set_ylabel("accuracy (%)")
        if ylim is not None:
            ax.set_ylim(*ylim)
        ax.grid(alpha=0.3)
        _epoch_axis(ax, len(history))
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    if title is not None:
        fig.suptitle(_check_title(title))
    return fig


# ==========================================================================
# 6. Regularisation, learning curves and the final scores (notebooks 09-10)
# ==========================================================================

__all__ += [
    "plot_validation_curve",
    "plot_learning_curve",
    "plot_weight_rows",
    "plot_before_after",
    "plot_error_rates",
]

#: Colours of the models compared in one figure (Okabe-Ito, after blue and vermillion).
MODEL_COLORS = ("#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def _scores(value, name, length=None):
    """Accuracies as a 1-D float array (fractions), of the expected length."""
    array = _numeric_array(value, name, 1)
    if length is not None and len(array) != length:
        raise ValueError(
            f"{name} has {len(array)} entries but there are {length} values; they must match"
        )
    return array


def _log_positions(values, name):
    """x positions on a log axis for values >= 0; 0 sits one decade left of the smallest other."""
    values = _numeric_array(values, name, 1)
    if values.size == 0:
        raise ValueError(f"{name} is empty; give at least one value")
    if (values < 0).any():
        raise ValueError(f"{name} must be >= 0, got {values.min():g}")
    if len(np.unique(values)) != len(values):
        raise ValueError(f"{name} must not repeat a value")
    positive = values[values > 0]
    zero_at = positive.min() / 10 if positive.size else 1.0
    return np.where(values > 0, values, zero_at), zero_at


def plot_validation_curve(
    values,
    train_mean,
    val_mean,
    train_std=None,
    val_std=None,
    chosen=None,
    param_name="alpha",
    ax=None,
    title=None,
):
    """Training and validation accuracy against a setting such as ``alpha``, on a log axis.

    Made for the results of a cross-validated search (scikit-learn's
    ``GridSearchCV`` gives ``mean_train_score``, ``std_train_score``,
    ``mean_test_score`` and ``std_test_score``). A value of 0 (no penalty)
    cannot sit on a log axis: it is drawn one decade to the left of the
    smallest other value, labelled "0", and set off by a break in the lines.
    The spreads, if given, are drawn as an error bar at every point, that
    lone point at 0 included.

    Parameters
    ----------
    values : array-like of shape (n_values,)
        The settings tried, >= 0, in increasing order.
    train_mean, val_mean : array-like of shape (n_values,)
        Mean training and validation accuracy (fractions) at each setting.
    train_std, val_std : array-like of shape (n_values,), optional
        Their standard deviations across folds, drawn as error bars of
        ± one standard deviation around each mean.
    chosen : float, optional
        The setting picked; marked by a dotted vertical line.
    param_name : str, default "alpha"
        Name of the setting, for the axis label.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Defaults to "Accuracy against <param_name>".

    Returns
    -------
    matplotlib.axes.Axes
        Training is drawn solid, validation dashed.

    Examples
    --------
    >>> ax = plot_validation_curve([0, 0.01, 0.1], [1.0, 0.96, 0.9], [0.84, 0.85, 0.83],
    ...                            chosen=0.01)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['training', 'validation', 'chosen: alpha = 0.01']
    >>> ax.get_xscale()
    'log'
    """
    param_name = _check_title(param_name, "param_name")
    positions, zero_at = _log_positions(values, "values")
    values = np.asarray(values, dtype=float)
    if (np.diff(values) <= 0).any():
        raise ValueError("values must be in increasing order")
    n = len(values)
    train_mean = _scores(train_mean, "train_mean", n)
    val_mean = _scores(val_mean, "val_mean", n)
    train_std = None if train_std is None else _scores(train_std, "train_std", n)
    val_std = None if val_std is None else _scores(val_std, "val_std", n)
    if chosen is not None:
        chosen = check_real(chosen, "chosen")
        if not np.isclose(values, chosen, rtol=1e-9, atol=0).any():
            raise ValueError(f"chosen={chosen:g} is not one of values {values.tolist()}")
    if title is None:
        title = f"Accuracy against {param_name}"
    title = _check_title(title)
    ax = _check_ax(ax, (7.0, 4.5))

    # Lines break between 0 and the first positive value: that stretch is not to scale.
    has_zero = values[0] == 0 and n > 1
    segments = [slice(0, 1), slice(1, n)] if has_zero else [slice(0, n)]
    for mean, std, color, style, name in (
        (train_mean, train_std, TRAIN_COLOR, TRAIN_STYLE, "training"),
        (val_mean, val_std, VAL_COLOR, VAL_STYLE, "validation"),
    ):
        if std is not None:  # one bar per point: a band cannot show the lone point at 0
            ax.errorbar(positions, 100 * mean, yerr=100 * std, fmt="none", ecolor=color,
                        elinewidth=1.2, capsize=0, alpha=0.6)
        for k, part in enumerate(segments):
            ax.plot(
                positions[part], 100 * mean[part], color=color, linestyle=style, marker="o",
                markersize=4, label=name if k == len(segments) - 1 else None,
            )
    if chosen is not None:
        where = positions[np.argmin(np.abs(values - chosen))]
        ax.axvline(where, color=MARK_COLOR, linestyle=":", linewidth=1.5,
                   label=f"chosen: {param_name} = {chosen:g}")
    ax.set_xscale("log")
    ax.set_xticks(positions, ["0" if v == 0 else f"{v:g}" for v in values])
    ax.minorticks_off()
    ax.set_xlim(positions.min() / 1.6, positions.max() * 1.6)
    ax.set_xlabel(f"{param_name} (log scale)" if not has_zero else
                  f"{param_name} (log scale; 0 = no penalty)")
    ax.set_ylabel("accuracy (%)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc="best")
    return ax


def plot_learning_curve(sizes, curves, ax=None, title="Learning curve: accuracy against data"):
    """Training and validation accuracy against the number of training images, per model.

    Parameters
    ----------
    sizes : array-like of int, shape (n_sizes,)
        Training-set sizes, increasing; drawn on a log axis.
    curves : mapping of str to (train_accuracy, val_accuracy)
        One entry per model (e.g. ``{"no penalty": (...), "L2": (...)}``),
        each a pair of arrays of shape (n_sizes,) holding fractions. Each
        model gets its own colour; training is drawn solid, validation dashed.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, default "Learning curve: accuracy against data"

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_learning_curve([100, 1000, 10000],
    ...                          {"no penalty": ([1.0, 0.97, 0.94], [0.70, 0.86, 0.91])})
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['no penalty: training', 'no penalty: validation']
    """
    sizes = _numeric_array(sizes, "sizes", 1)
    if sizes.size == 0 or (sizes <= 0).any() or (np.diff(sizes) <= 0).any():
        raise ValueError("sizes must be positive numbers of images, in increasing order")
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError(
            "curves must be a non-empty dict {model name: (train_accuracy, val_accuracy)}, "
            f"got {type(curves).__name__}"
        )
    if len(curves) > len(MODEL_COLORS):
        raise ValueError(f"curves can hold at most {len(MODEL_COLORS)} models, got {len(curves)}")
    checked = {}
    for name, pair in curves.items():
        if not isinstance(name, str):
            raise TypeError(f"curves keys must be model names (str), got {name!r}")
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(
                f"curves[{name!r}] must be a pair (train_accuracy, val_accuracy)"
            )
        checked[name] = (
            _scores(pair[0], f"curves[{name!r}] training accuracy", len(sizes)),
            _scores(pair[1], f"curves[{name!r}] validation accuracy", len(sizes)),
        )
    title = _check_title(title)
    ax = _check_ax(ax, (7.0, 4.5))

    for (name, (train, val)), color in zip(checked.items(), MODEL_COLORS):
        ax.plot(sizes, 100 * train, color=color, marker="o", markersize=4,
                linestyle=TRAIN_STYLE, label=f"{name}: training")
        ax.plot(sizes, 100 * val, color=color, marker="s", markersize=4, linestyle=VAL_STYLE,
                label=f"{name}: validation")
    ax.set_xscale("log")
    ax.set_xticks(sizes, [f"{int(s):,}" if float(s).is_integer() else f"{s:g}" for s in sizes])
    ax.minorticks_off()
    ax.set_xlabel("training images (log scale)")
    ax.set_ylabel("accuracy (%)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc="best")
    return ax


def plot_weight_rows(coefs, fig=None, title="The weights as images"):
    """Several models' weights, one row of class images per model, for comparison.

    Each row is drawn by :func:`plot_weights` with its own colour scale
    (symmetric around zero), so what is compared is the *pattern* of the
    weights, noisy or smooth, not their size; each row's colorbar gives the size.

    Parameters
    ----------
    coefs : mapping of str to array-like of shape (n_classes, n_pixels) or fitted models
        Row title -> weights (``model.coef_``, or the model itself).
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (it is cleared first); a new one by default.
    title : str, default "The weights as images"
        The figure's suptitle.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.subfigs`` holds one subfigure per row, titled with its key.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> fig = plot_weight_rows({"noisy": rng.normal(size=(10, 784)),
    ...                         "smooth": np.ones((10, 784))})
    >>> [sub.get_suptitle() for sub in fig.subfigs]
    ['noisy', 'smooth']
    """
    if not isinstance(coefs, Mapping) or not coefs:
        raise TypeError(
            f"coefs must be a non-empty dict {{row title: weights}}, got {type(coefs).__name__}"
        )
    for name in coefs:
        _check_title(name, f"coefs key {name!r}")
    title = _check_title(title)
    n_rows = len(coefs)
    fig = _check_fig(fig, (13.0, 2.6 * n_rows + 0.5))
    rows = fig.subfigures(n_rows, 1)
    for row, (name, coef) in zip(np.atleast_1d(rows), coefs.items()):
        plot_weights(coef, fig=row, ncols=10, title=name)
    fig.suptitle(title)
    return fig


def plot_before_after(
    before,
    after,
    n=10,
    names=("before", "after"),
    fig=None,
    title="The same images before and after",
):
    """The first ``n`` images of two versions of a data set, one above the other.

    Parameters
    ----------
    before, after : array-like of shape (n_images, 784) or (n_images, 28, 28)
        Two versions of the same images (e.g. original and deskewed), pixels in [0, 1].
    n : int, default 10
        How many images to show (the first ones).
    names : pair of str, default ("before", "after")
        Titles of the upper and lower row.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (it is cleared first); a new one by default.
    title : str
        The figure's suptitle.

    Returns
    -------
    matplotlib.figure.Figure
        ``2 * n`` image axes: the ``before`` row, then the ``after`` row; the
        first axes of each row carries the row's name as its y label.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).random((5, 784))
    >>> fig = plot_before_after(X, 1 - X, n=3, names=("original", "inverted"))
    >>> [ax.get_ylabel() for ax in fig.axes[::3]]
    ['original', 'inverted']
    """
    before, after = _images(before, "before"), _images(after, "after")
    if before.shape != after.shape:
        raise ValueError(
            f"before and after must have the same shape, got {before.shape} and {after.shape}"
        )
    n = check_int(n, "n", minimum=1, maximum=len(before))
    if isinstance(names, str) or len(names) != 2:
        raise ValueError(f"names must be a pair of row titles, got {names!r}")
    names = [_check_title(name, "names") for name in names]
    title = _check_title(title)

    fig = _check_fig(fig, (1.2 * n + 0.4, 3.2))
    axes = _image_axes(fig, 2 * n, n)
    for k, (images, name) in enumerate(((before, names[0]), (after, names[1]))):
        for j in range(n):
            ax = axes[k * n + j]
            ax.imshow(images[j], cmap=IMAGE_CMAP, vmin=0.0, vmax=max(1.0, images[j].max()))
        axes[k * n].set_ylabel(name, fontsize=10)
    fig.suptitle(title)
    return fig


def plot_error_rates(
    measured,
    published=None,
    ax=None,
    title="Test error of linear models on MNIST",
):
    """Horizontal bars of test error rates: what we measured next to published numbers.

    Parameters
    ----------
    measured : mapping of str to float
        Model name -> test accuracy (a fraction) measured in the notebook.
    published : mapping of str to float, optional
        Model name -> published test **error** in percent (as papers quote
        them, e.g. 12.0), drawn hatched in grey.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str

    Returns
    -------
    matplotlib.axes.Axes
        Each bar is labelled with its error in percent (measured ones to two
        decimals, published ones to one, as papers quote them); lower is better.

    Examples
    --------
    >>> ax = plot_error_rates({"ours": 0.925}, {"LeCun et al. 1998": 12.0})
    >>> [t.get_text() for t in ax.texts]
    ['7.50%', '12.0%']
    """
    def _checked(mapping, name):
        if mapping is None:
            return {}
        if not isinstance(mapping, Mapping):
            raise TypeError(
                f"{name} must be a dict {{model name: number}}, got {type(mapping).__name__}"
            )
        return {
            _check_title(k, f"{name} key"): check_real(v, f"{name}[{k!r}]")
            for k, v in mapping.items()
        }

    measured = _checked(measured, "measured")
    published = _checked(published, "published")
    if not measured and not published:
        raise ValueError("give at least one measured or published score")
    for key, accuracy in measured.items():
        if not 0 <= accuracy <= 1:
            raise ValueError(
                f"measured[{key!r}] = {accuracy} is not an accuracy between 0 and 1"
            )
    for key, error in published.items():
        if not 0 <= error <= 100:
            raise ValueError(f"published[{key!r}] = {error} is not an error in percent (0-100)")
    title = _check_title(title)
    ax = _check_ax(ax, (7.5, 0.45 * (len(measured) + len(published)) + 1.4))

    names = list(measured) + list(published)
    errors = [100 * (1 - a) for a in measured.values()] + list(published.values())
    rows = np.arange(len(names))[::-1]  # first entry on top
    bars = ax.barh(rows, errors, color=[MODEL_COLORS[0]] * len(measured) + ["0.8"] * len(published),
                   edgecolor="0.3", height=0.6)
    for bar in bars[len(measured):]:
        bar.set_hatch("//")
    # Measured errors to two decimals (1 in 10,000 images is 0.01%); published
    # ones to one, as papers quote them.
    labels = [f"{e:.2f}%" for e in errors[: len(measured)]]
    labels += [f"{e:.1f}%" for e in published.values()]
    for row, error, label in zip(rows, errors, labels):
        ax.annotate(label, (error, row), xytext=(3, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=9)
    ax.set_yticks(rows, names)
    ax.set_xlim(0, max(errors) * 1.18 or 1.0)
    ax.set_xlabel("test error (%), lower is better")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    handles = []
    if measured:
        handles.append(plt.Rectangle((0, 0), 1, 1, facecolor=MODEL_COLORS[0], edgecolor="0.3",
                                     label="measured here"))
    if published:
        handles.append(plt.Rectangle((0, 0), 1, 1, facecolor="0.8", edgecolor="0.3", hatch="//",
                                     label="published"))
    # Below the axes, where it cannot cover a bar or its label.
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2,
              frameon=False)
    return ax
