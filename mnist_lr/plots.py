"""The tutorial's figures, one function each; the curves and bars come from ``_plot_curves``.

One with a single Axes takes ``ax=`` and returns it; one of several panels takes ``fig=``.
"""

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm, Normalize

from ._checks import check_float_array, check_int, check_labels, check_same_length
from ._plot_base import MAX_WIDTH, _cell_grid, _check_ax, _check_dict, _check_fig, _fitted_attribute
from ._plot_curves import *  # noqa: F403 (the curves and bars, listed in its __all__)
from ._plot_curves import __all__ as _curves
from .features import as_images

__all__ = [*_curves, "IMAGE_CMAP", "WEIGHT_CMAP", "CONFUSION_CMAP", "plot_digit_grid",
           "plot_misclassified", "plot_before_after", "plot_weights", "plot_score_contributions",
           "plot_weight_rows", "plot_confusion_matrix"]

IMAGE_CMAP, WEIGHT_CMAP, CONFUSION_CMAP = "gray_r", "RdBu_r", "Blues"


def _image_axes(fig, n, ncols):
    """A grid of ``n`` tick-less image axes (spare cells hidden), row-major."""
    ncols = min(ncols, n)
    grid = fig.subplots(math.ceil(n / ncols), ncols, squeeze=False).ravel()
    for ax in grid[n:]:
        ax.set_visible(False)
    for ax in grid[:n]:
        ax.set(xticks=[], yticks=[])
        ax.spines[:].set_edgecolor("0.6")
    return list(grid[:n])


def _names(names, count, argument, counted):
    """``names`` as a list of ``count`` labels (default ``0..count-1``)."""
    names = list(range(count)) if names is None else list(names)
    if len(names) != count:
        raise ValueError(f"{argument} has {len(names)} entries for {counted}; they must match")
    return names


def _gallery(fig, images, ncols, titles, fontsize, figsize):
    """``images`` titled, ``ncols`` per row, on one grey scale (0 to 1, or wider)."""
    n_cols = min(ncols, len(images))
    fig = _check_fig(fig, figsize(n_cols, math.ceil(len(images) / n_cols)))
    vmin, vmax = min(0.0, images.min()), max(1.0, images.max())
    for ax, image, title in zip(_image_axes(fig, len(images), ncols), images, titles, strict=True):
        ax.imshow(image, cmap=IMAGE_CMAP, vmin=vmin, vmax=vmax)
        ax.set_title(title, fontsize=fontsize)
    return fig


def plot_digit_grid(X, y, digits=range(10), ncols=5, fig=None, title="One example of each digit"):
    """One example image of each label in ``digits`` (the first row of ``X`` with that
    label), ``ncols`` per row. Returns the Figure."""
    images = as_images(X)
    y = check_labels(y, "y", len(images))
    digits = list(digits)
    rows = [np.flatnonzero(y == digit)[:1] for digit in digits]
    if missing := [digit for digit, found in zip(digits, rows) if not found.size]:
        raise ValueError(f"digits {missing} do not occur in y")
    fig = _gallery(fig, images[np.concatenate(rows)], ncols, [f"digit {d}" for d in digits], 10,
                   lambda cols, rows: (1.5 * cols + 0.3, 1.6 * rows + 0.5))
    fig.suptitle(title)
    return fig


def _mistake_kind(true_label, predicted_label):
    """What a gallery of mistakes shows, in words."""
    if true_label is None:
        return ("Misclassified images" if predicted_label is None
                else f"Images wrongly predicted as {predicted_label}")
    return (f"Misclassified images of {true_label}" if predicted_label is None
            else f"Images of {true_label} predicted as {predicted_label}")


def plot_misclassified(X, y_true, y_pred, true_label=None, predicted_label=None, n=8, ncols=8,
                       fig=None, title=None, probabilities=None):
    """A gallery of the first ``n`` images the model got wrong, ``ncols`` per row; ``true_label``
    and/or ``predicted_label`` pick one kind of mistake (e.g. 4 and 9). Panels are titled
    "true 4 → pred 9" or, given ``probabilities`` (of each predicted label), "p = 0.83";
    the default title counts the mistakes. Returns the Figure."""
    images = as_images(X)
    y_true = check_labels(y_true, "y_true", len(images))
    y_pred = check_labels(y_pred, "y_pred", len(images))
    n = check_int(n, "n", minimum=1)
    if probabilities is not None:
        probabilities = check_float_array(probabilities, "probabilities", 1)
        check_same_length(images, probabilities, "X", "probabilities", what=("rows", "values"))
    kind = _mistake_kind(true_label, predicted_label)
    wrong = y_true != y_pred
    for labels, wanted in ((y_true, true_label), (y_pred, predicted_label)):
        if wanted is not None:
            wrong &= labels == wanted
    rows = np.flatnonzero(wrong)
    if rows.size == 0:
        raise ValueError(f"nothing to show: there are no {kind[0].lower() + kind[1:]} "
                         "(compared y_true with y_pred)")
    titles = [f"true {y_true[r]} → pred {y_pred[r]}" if probabilities is None
              else f"p = {probabilities[r]:.2f}" for r in rows[:n]]
    fig = _gallery(fig, images[rows[:n]], ncols, titles, 9,
                   lambda cols, rows: (max(1.3 * cols, 4.0) + 0.2, 1.5 * rows + 0.55))
    if title is None:
        title = f"{kind} ({len(titles)} of {rows.size} shown)"
        if probabilities is not None:
            answer = "its wrong answer" if predicted_label is None else y_pred[rows[0]]
            title += f"\nabove each: the probability the model gave to {answer}"
    fig.suptitle(title)
    return fig


def plot_before_after(before, after, n=10, names=("before", "after"), fig=None,
                      title="The same images before and after"):
    """The first ``n`` images of two versions of a data set (e.g. deskewed), one row each,
    named (as y label) by ``names``. Returns the Figure."""
    before, after = as_images(before, "before"), as_images(after, "after")
    if before.shape != after.shape:
        raise ValueError("before and after must have the same shape, got "
                         f"{before.shape} and {after.shape}")
    n = check_int(n, "n", minimum=1, maximum=len(before))
    side = min(1.2, (MAX_WIDTH - 0.6) / n)  # inches per image: the row fits MAX_WIDTH
    fig = _check_fig(fig, (side * n + 0.6, 2 * side + 0.9))
    axes = _image_axes(fig, 2 * n, n)
    for row, (images, name) in enumerate(zip((before, after), names, strict=True)):
        for ax, image in zip(axes[row * n : (row + 1) * n], images):
            ax.imshow(image, cmap=IMAGE_CMAP, vmin=0.0, vmax=max(1.0, image.max()))
        axes[row * n].set_ylabel(name, fontsize=10)
    fig.suptitle(title)
    return fig


def plot_weights(
    coef, classes=None, fig=None, ncols=5,
    title="What each class looks for: the weights as images",
    colorbar_label="weight (positive: ink here raises this class's score)", signed=True,
):
    """Each class's weights (``model.coef_``, or the fitted model) as an image, on one scale.

    Red pixels raise the class's score where there is ink, blue ones lower it; the scale ends
    at the 99th percentile of |weights|, so that a few extremes do not wash out the rest.
    ``signed=False``: values >= 0 (e.g. mean images) in grey from 0 up. ``classes`` title the
    panels (default a model's ``classes_``, or 0, 1, ...). Returns the Figure: one image axes
    per class, then the colorbar's."""
    if (fitted := _fitted_attribute(coef, "coef_", "coef")) is not None:
        classes = getattr(coef, "classes_", None) if classes is None else classes
        coef = fitted
    images = as_images(coef, "coef")
    classes = _names(classes, len(images), "classes", f"the {len(images)} rows of coef")
    if not signed and images.min() < 0:
        raise ValueError("signed=False draws values from 0 up, but coef has negative values")
    # All-zero weights (untrained): any scale will do.
    limit = float(np.percentile(np.abs(images), 99) if signed else images.max()) or 1.0
    n_cols = min(ncols, len(images))
    fig = _check_fig(fig, (1.7 * n_cols + 0.4, 1.75 * math.ceil(len(images) / n_cols) + 1.3))
    axes = _image_axes(fig, len(images), ncols)
    scale = dict(cmap=WEIGHT_CMAP, vmin=-limit, vmax=limit) if signed else dict(
        cmap=IMAGE_CMAP, vmin=0.0, vmax=limit)
    for ax, name, weights in zip(axes, classes, images, strict=True):
        image = ax.imshow(weights, **scale)
        ax.set_title(f"{name}", fontsize=11)
    extend = ("both" if signed else "max") if np.abs(images).max() > limit else "neither"
    fig.colorbar(image, ax=axes, orientation="horizontal", location="bottom", shrink=0.6,
                 aspect=40, pad=0.04, extend=extend, label=colorbar_label)
    fig.suptitle(title)
    return fig


def plot_score_contributions(image, weights, fig=None,
                             title="Where one image's score comes from"):
    """An image, one class's weights, and their product (each pixel's contribution to the
    class's score), each with its own scale. Returns the Figure."""
    image, weights = check_float_array(image, "image", 1), check_float_array(weights, "weights", 1)
    check_same_length(image, weights, "image", "weights", what=("pixels", "weights"))
    side = as_images(image[None], "image").shape[1]
    product = image * weights
    fig = _check_fig(fig, (8.4, 3.6))
    panels = [("the image", image, dict(cmap=IMAGE_CMAP, vmin=0.0, vmax=1.0),
               "pixel value (0 paper, 1 ink)"),
              ("the weights", weights, _symmetric(weights), "weight"),
              ("image × weights", product, _symmetric(product), "contribution to the score")]
    for ax, (name, values, scale, label) in zip(_image_axes(fig, 3, 3), panels, strict=True):
        shown = ax.imshow(values.reshape(side, side), **scale)
        ax.set_title(name, fontsize=11)
        fig.colorbar(shown, ax=ax, orientation="horizontal", location="bottom", pad=0.04,
                     shrink=0.9).set_label(label, fontsize=9)
    fig.suptitle(title)
    return fig


def _symmetric(values):
    """A red-blue scale centred on zero that fits every value."""
    limit = float(np.abs(values).max()) or 1.0
    return dict(cmap=WEIGHT_CMAP, vmin=-limit, vmax=limit)


def plot_weight_rows(coefs, fig=None, title="The weights as images"):
    """Several models' weights ``{row title: coef or model}``, one :func:`plot_weights` row
    each, on its own scale: what is compared is their *pattern*. Returns the Figure."""
    _check_dict(coefs, "coefs", "{row title: weights}")
    fig = _check_fig(fig, (MAX_WIDTH, 2.3 * len(coefs) + 0.5))
    for row, (name, coef) in zip(fig.subfigures(len(coefs), 1, squeeze=False).ravel(),
                                 coefs.items()):
        plot_weights(coef, fig=row, ncols=10, title=name)
    fig.suptitle(title)
    return fig


def plot_confusion_matrix(matrix, labels=None, log=False, ax=None, title="Confusion matrix"):
    """A confusion matrix of counts as a heatmap, rows = true label, columns = predicted, each
    count written in its cell. ``log=True`` colours on a log scale, which shows the few
    mistakes next to the large diagonal. Returns the Axes (a colorbar beside it)."""
    matrix = check_float_array(matrix, "matrix", 2)
    if matrix.shape[0] != matrix.shape[1] or matrix.size == 0:
        raise ValueError(f"matrix must be square (K, K), got shape {matrix.shape}")
    labels = _names(labels, len(matrix), "labels", f"a {len(matrix)} x {len(matrix)} matrix")
    norm, colormap, shown = _confusion_scale(matrix, plt.get_cmap(CONFUSION_CMAP), log)
    ax = _check_ax(ax, (6.4, 5.4))
    image = ax.imshow(shown, cmap=colormap, norm=norm, interpolation="nearest")
    _cell_grid(ax, labels, labels, linewidth=1)
    ax.spines[:].set_visible(False)
    ax.set(title=title, xlabel="predicted label", ylabel="true label")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="count"
                       ).outline.set_visible(False)
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


def _write_counts(ax, matrix, colormap, norm, log):
    """Each count in its cell, small enough to fit, in black or white for contrast."""
    integral = bool(np.all(matrix == np.round(matrix)))
    fontsize = max(5.0, min(10.0, 90.0 / len(matrix)))
    for (i, j), value in np.ndenumerate(matrix):
        text = f"{int(round(value))}" if integral else f"{value:.3g}"
        rgba = colormap(0.0) if log and value <= 0 else colormap(norm(value))
        luminance = 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2]
        ax.text(j, i, text, ha="center", va="center",
                fontsize=fontsize, color="white" if luminance < 0.5 else "black")
