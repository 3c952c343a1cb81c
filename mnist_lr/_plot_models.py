"""Figures of what a model learned and how well it does: weights, confusions, error rates."""

from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm, Normalize

from ._checks import check_int, check_real, check_same_length
from ._plot_base import (
    CONFUSION_CMAP, IMAGE_CMAP, MODEL_COLORS, WEIGHT_CMAP, _check_ax, _check_fig, _check_title,
    _fitted_attribute, _image_axes, _names, _numeric_array,
)
from .features import as_images


def plot_weights(
    coef, classes=None, fig=None, ncols=5,
    title="What each class looks for: the weights as images", limit=None,
    colorbar_label="weight (positive: ink here raises this class's score)", signed=True,
):
    """Draw each class's weight vector as an image, all on one colour scale.

    Parameters
    ----------
    coef : array-like of shape (n_classes, 784) or fitted SoftmaxRegression
        One row of weights per class (``model.coef_``; a model's ``classes_``
        then title the panels unless ``classes`` is given).
    classes : sequence, optional
        Panel titles, one per row of ``coef``; defaults to ``0, 1, ...``.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (it is cleared first); a new one by default.
    ncols : int, default 5
        Panels per row.
    title, colorbar_label : str
        Any rows of 784 numbers can be drawn (average images, pixel-by-weight
        products): say what they are.
    limit : float, optional
        The scale runs from ``-limit`` to ``+limit``: by default the 99th
        percentile of the absolute weights, so that a few extreme weights do
        not wash out the rest (the colorbar's pointed ends show the clipping).
    signed : bool, default True
        True: red (raises the score) to blue (lowers it). False: grey from 0 to
        ``limit`` (default the largest value), for values that are never negative.

    Returns
    -------
    matplotlib.figure.Figure
        One image axes per class, followed by the colorbar's axes.

    Examples
    --------
    >>> fig = plot_weights(np.random.default_rng(0).normal(size=(10, 784)))
    >>> [ax.get_title() for ax in fig.axes[:3]]
    ['0', '1', '2']
    """
    if (fitted := _fitted_attribute(coef, "coef_", "coef")) is not None:
        classes = getattr(coef, "classes_", None) if classes is None else classes
        coef = fitted
    coef = _numeric_array(coef, "coef", 2)
    images = as_images(coef, "coef")
    classes = _names(classes, len(coef), "classes", f"the {len(coef)} rows of coef")
    ncols = check_int(ncols, "ncols", minimum=1)
    if not signed and (coef < 0).any():
        raise ValueError("signed=False draws values from 0 up, but coef has negative values")
    if limit is None:
        limit = float(np.percentile(np.abs(coef), 99) if signed else coef.max())
    else:
        limit = check_real(limit, "limit", positive=True)
    limit = limit or 1.0  # all-zero weights (untrained): any scale will do
    n_cols = min(ncols, len(coef))
    fig = _check_fig(fig, (1.7 * n_cols + 0.4, 1.75 * math.ceil(len(coef) / n_cols) + 1.3))
    axes = _image_axes(fig, len(coef), ncols)
    scale = dict(cmap=WEIGHT_CMAP, vmin=-limit, vmax=limit) if signed else dict(
        cmap=IMAGE_CMAP, vmin=0.0, vmax=limit)
    for ax, name, weights in zip(axes, classes, images, strict=True):
        image = ax.imshow(weights, **scale)
        ax.set_title(f"{name}", fontsize=11)
    clipped = np.abs(coef).max() > limit
    colorbar = fig.colorbar(
        image, ax=axes, orientation="horizontal", location="bottom", shrink=0.6, aspect=40,
        pad=0.04, extend=("both" if signed else "max") if clipped else "neither",
    )
    colorbar.set_label(colorbar_label)
    fig.suptitle(title)
    return fig


def plot_score_contributions(image, weights, fig=None,
                             title="Where one image's score comes from"):
    """An image (784 pixels), one class's weights, and their pixel-by-pixel product.

    The product is each pixel's contribution to the class's score (the score is
    its sum plus the bias). The three panels hold three kinds of number (ink,
    weight, score), so each gets its own colour bar. Returns the Figure.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> fig = plot_score_contributions(rng.random(784), rng.normal(size=784))
    >>> [ax.get_title() for ax in fig.axes[:3]]
    ['the image', 'the weights', 'image × weights']
    """
    image = _numeric_array(image, "image", 1)
    weights = _numeric_array(weights, "weights", 1)
    check_same_length(image, weights, "image", "weights", what=("pixels", "weights"))
    side = as_images(image[None], "image").shape[1]
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
    fig.suptitle(title)
    return fig


def _symmetric(values):
    """A red-blue scale centred on zero that fits every value."""
    limit = float(np.abs(values).max()) or 1.0
    return dict(cmap=WEIGHT_CMAP, vmin=-limit, vmax=limit)


def plot_weight_rows(coefs, fig=None, title="The weights as images"):
    """Several models' weights, one row of class images per model, for comparison.

    ``coefs`` maps a row title to weights (``model.coef_``, or the fitted model).
    Each row is drawn by :func:`plot_weights` with its own scale, so what is
    compared is the *pattern* of the weights, not their size. Returns the
    Figure; ``fig.subfigs`` holds one subfigure per row.

    Examples
    --------
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
    fig = _check_fig(fig, (13.0, 2.6 * len(coefs) + 0.5))
    rows = fig.subfigures(len(coefs), 1)
    for row, (name, coef) in zip(np.atleast_1d(rows), coefs.items()):
        plot_weights(coef, fig=row, ncols=10, title=name)
    fig.suptitle(title)
    return fig


def _format_count(value, integral):
    return f"{int(round(value))}" if integral else f"{value:.3g}"


def plot_confusion_matrix(
    matrix, labels=None, log=False, annotate=True, ax=None, cmap=CONFUSION_CMAP,
    title="Confusion matrix", colorbar_label="count",
):
    """Draw a confusion matrix as a heatmap, rows = true label, columns = predicted.

    Parameters
    ----------
    matrix : array-like of shape (K, K)
        Counts, e.g. from :func:`mnist_lr.confusion_matrix`.
    labels : sequence, optional
        Class names for the ticks; defaults to ``0..K-1``.
    log : bool, default False
        A logarithmic colour scale, which makes the few mistakes visible next
        to the large diagonal (empty cells get the lowest colour).
    annotate : bool, default True
        Write each count in its cell, in black or white, whichever reads better.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default. A colorbar is added beside it.
    cmap : str or matplotlib.colors.Colormap, default "Blues"
    title, colorbar_label : str

    Returns
    -------
    matplotlib.axes.Axes
        The heatmap's axes; the counts are its ``texts``.

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
    labels = _names(labels, len(matrix), "labels", f"a {len(matrix)} x {len(matrix)} matrix")
    if not isinstance(log, (bool, np.bool_)):
        raise TypeError(f"log must be True or False, got {log!r}")
    colormap = plt.get_cmap(cmap)
    ax = _check_ax(ax, (6.4, 5.4))
    norm, colormap, shown = _confusion_scale(matrix, colormap, log)
    image = ax.imshow(shown, cmap=colormap, norm=norm, interpolation="nearest")
    _confusion_grid(ax, labels)
    ax.set_title(title)
    colorbar = ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    colorbar.set_label(colorbar_label)
    colorbar.outline.set_visible(False)
    if annotate:
        _write_counts(ax, matrix, colormap, norm, log)
    return ax


def _confusion_scale(matrix, colormap, log):
    """The colour scale, the colormap and the values to draw."""
    top = float(matrix.max())
    if not log:
        return Normalize(vmin=0.0, vmax=top if top > 0 else 1.0), colormap, matrix
    positive = matrix[matrix > 0]
    low = float(positive.min()) if positive.size else 1.0
    high = max(top, low * 10)  # a single value (or none) still needs a range
    # Zeros have no logarithm: mask them and paint them in the lowest colour.
    colormap = colormap.with_extremes(bad=colormap(0.0), under=colormap(0.0))
    return LogNorm(vmin=low, vmax=high), colormap, np.ma.masked_less_equal(matrix, 0)


def _confusion_grid(ax, labels):
    """Class names as ticks, white lines between the cells, no frame."""
    size = len(labels)
    ax.set_xticks(np.arange(size), [f"{label}" for label in labels])
    ax.set_yticks(np.arange(size), [f"{label}" for label in labels])
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


def _write_counts(ax, matrix, colormap, norm, log):
    """Each count in its cell, small enough to fit, in black or white for contrast."""
    integral = bool(np.all(matrix == np.round(matrix)))
    fontsize = max(5.0, min(10.0, 90.0 / len(matrix)))
    longest = max(len(_format_count(v, integral)) for v in matrix.ravel())
    if longest > 4:
        fontsize *= 4 / longest
    for (i, j), value in np.ndenumerate(matrix):
        rgba = colormap(0.0) if log and value <= 0 else colormap(norm(value))
        luminance = 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2]
        ax.text(j, i, _format_count(value, integral), ha="center", va="center",
                fontsize=fontsize, color="white" if luminance < 0.5 else "black")


def _scores_by_name(mapping, name, top, what):
    """``{model name: number}`` with each number in [0, ``top``]."""
    if mapping is None:
        return {}
    if not isinstance(mapping, Mapping):
        raise TypeError(
            f"{name} must be a dict {{model name: number}}, got {type(mapping).__name__}"
        )
    checked = {key: check_real(value, f"{name}[{key!r}]") for key, value in mapping.items()}
    for key, value in checked.items():
        if not 0 <= value <= top:
            raise ValueError(f"{name}[{key!r}] = {value} is not {what}")
    return checked


def plot_error_rates(measured, published=None, ax=None,
                     title="Test error of linear models on MNIST"):
    """Horizontal bars of test error rates: what we measured next to published numbers.

    ``measured`` maps a model name to the test *accuracy* (a fraction) measured
    here; ``published`` to a published test *error* in percent (as papers quote
    them, e.g. 12.0), drawn hatched in grey. Each bar is labelled with its error
    (measured ones to two decimals, published ones to one). Returns the Axes.

    Examples
    --------
    >>> ax = plot_error_rates({"ours": 0.925}, {"LeCun et al. 1998": 12.0})
    >>> [t.get_text() for t in ax.texts]
    ['7.50%', '12.0%']
    """
    measured = _scores_by_name(measured, "measured", 1, "an accuracy between 0 and 1")
    published = _scores_by_name(published, "published", 100, "an error in percent (0-100)")
    if not measured and not published:
        raise ValueError("give at least one measured or published score")
    ax = _check_ax(ax, (7.5, 0.45 * (len(measured) + len(published)) + 1.4))
    names = list(measured) + list(published)
    errors = [100 * (1 - a) for a in measured.values()] + list(published.values())
    rows = np.arange(len(names))[::-1]  # first entry on top
    bars = ax.barh(rows, errors, color=[MODEL_COLORS[0]] * len(measured) + ["0.8"] * len(published),
                   edgecolor="0.3", height=0.6)
    for bar in bars[len(measured):]:
        bar.set_hatch("//")
    # Measured errors to two decimals (1 in 10,000 images is 0.01%), published ones to one.
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
    handles = [plt.Rectangle((0, 0), 1, 1, facecolor=MODEL_COLORS[0], edgecolor="0.3",
                             label="measured here")] if measured else []
    if published:
        handles.append(plt.Rectangle((0, 0), 1, 1, facecolor="0.8", edgecolor="0.3", hatch="//",
                                     label="published"))
    # Below the axes, where it cannot cover a bar or its label.
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2,
              frameon=False)
    return ax
