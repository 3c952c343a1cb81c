"""The tutorial's figures, one function each.

A single-axes figure takes ``ax=`` and returns the :class:`~matplotlib.axes.Axes`;
a multi-panel one takes ``fig=`` (cleared first, so that a slider can redraw
it) and returns the :class:`~matplotlib.figure.Figure`. Training is always drawn
in :data:`TRAIN_COLOR`, solid, validation in :data:`VAL_COLOR`, dashed, in
matplotlib's default font, the same on every platform. The figures drawn as
images are here; the curves and bars are in ``_plot_curves``, and exported here.
This module imports matplotlib (the rest of the package does not).
"""

import math
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm, Normalize

from ._checks import check_float_array, check_int, check_labels, check_real, check_same_length
from ._plot_base import (
    MAX_WIDTH,
    _check_ax,
    _check_fig,
    _check_title,
    _fitted_attribute,
    _image_axes,
    _names,
)
from ._plot_curves import (
    MARK_COLOR,
    MODEL_COLORS,
    TRAIN_COLOR,
    TRAIN_STYLE,
    VAL_COLOR,
    VAL_STYLE,
    plot_error_rates,
    plot_fold_diagram,
    plot_histories_side_by_side,
    plot_kfold_comparison,
    plot_kfold_curves,
    plot_learning_curve,
    plot_training_curves,
    plot_validation_curve,
    plot_weight_norm,
)
from .features import as_images

__all__ = [
    "TRAIN_COLOR", "VAL_COLOR", "TRAIN_STYLE", "VAL_STYLE", "MARK_COLOR", "MODEL_COLORS",
    "IMAGE_CMAP", "WEIGHT_CMAP", "CONFUSION_CMAP",
    # Drawn as images, here
    "plot_digit_grid", "plot_misclassified", "plot_before_after", "plot_weights",
    "plot_score_contributions", "plot_weight_rows", "plot_confusion_matrix",
    # Accuracy per epoch, fold, setting and data size, and the final error rates (_plot_curves)
    "plot_training_curves", "plot_histories_side_by_side", "plot_kfold_curves",
    "plot_kfold_comparison", "plot_fold_diagram", "plot_validation_curve", "plot_learning_curve",
    "plot_error_rates", "plot_weight_norm",
]

IMAGE_CMAP, WEIGHT_CMAP, CONFUSION_CMAP = "gray_r", "RdBu_r", "Blues"


def plot_digit_grid(X, y, digits=range(10), ncols=5, fig=None, title="One example of each digit"):
    """One example image of each label in ``digits``: the first row of ``X`` with that label.

    ``X`` holds images of shape (n_images, 784) or (n_images, 28, 28) (any square
    size works), ``y`` their labels; ``ncols`` panels per row. Returns the
    Figure, one panel per digit, titled "digit 3" and so on.

    >>> X, y = np.random.default_rng(0).random((20, 784)), np.arange(20) % 10
    >>> [ax.get_title() for ax in plot_digit_grid(X, y, digits=[0, 1, 2]).axes]
    ['digit 0', 'digit 1', 'digit 2']
    """
    images = as_images(X)
    y = check_labels(y, "y", len(images))
    digits = [digits] if isinstance(digits, (str, bytes)) or np.ndim(digits) == 0 else list(digits)
    if not digits:
        raise ValueError("digits must name at least one label")
    ncols = check_int(ncols, "ncols", minimum=1)
    rows = [np.flatnonzero(y == digit)[:1] for digit in digits]
    if missing := [digit for digit, found in zip(digits, rows) if not found.size]:
        present = np.unique(y)
        raise ValueError(f"digits {missing} do not occur in y (y holds the labels "
                         f"{present[:20].tolist()}{' ...' if present.size > 20 else ''})")
    shown = images[np.concatenate(rows)]
    vmin, vmax = min(0.0, shown.min()), max(1.0, shown.max())
    n_cols = min(ncols, len(digits))
    n_rows = math.ceil(len(digits) / n_cols)
    fig = _check_fig(fig, (1.5 * n_cols + 0.3, 1.6 * n_rows + 0.5))
    for ax, digit, image in zip(_image_axes(fig, len(digits), ncols), digits, shown, strict=True):
        ax.imshow(image, cmap=IMAGE_CMAP, vmin=vmin, vmax=vmax)
        ax.set_title(f"digit {digit}", fontsize=10)
    fig.suptitle(title)
    return fig


def _mistake_kind(true_label, predicted_label):
    """What a gallery of mistakes shows, in words."""
    if true_label is None and predicted_label is None:
        return "Misclassified images"
    if predicted_label is None:
        return f"Misclassified images of {true_label}"
    if true_label is None:
        return f"Images wrongly predicted as {predicted_label}"
    return f"Images of {true_label} predicted as {predicted_label}"


def _mistakes(y_true, y_pred, true_label, predicted_label):
    """Rows of the mistakes asked for, or an error that says why there are none."""
    wrong = y_true != y_pred
    if true_label is not None:
        wrong &= y_true == true_label
    if predicted_label is not None:
        wrong &= y_pred == predicted_label
    rows = np.flatnonzero(wrong)
    if rows.size == 0:
        if true_label is not None and true_label == predicted_label:
            raise ValueError(f"true_label and predicted_label are both {true_label!r}: those "
                             "are correct predictions, not mistakes")
        kind = _mistake_kind(true_label, predicted_label)
        raise ValueError(f"nothing to show: there are no {kind[0].lower() + kind[1:]} "
                         "(compared y_true with y_pred)")
    return rows


def plot_misclassified(X, y_true, y_pred, true_label=None, predicted_label=None, n=8, ncols=8,
                       fig=None, title=None, probabilities=None):
    """A gallery of the first ``n`` images the model got wrong, ``ncols`` per row.

    ``true_label`` and/or ``predicted_label`` pick one kind of mistake (e.g. 4
    and 9: fours taken for nines). Each panel is titled "true 4 → pred 9", or,
    given ``probabilities`` (the probability of each wrong prediction, such as
    ``model.predict_proba(X).max(axis=1)``), "p = 0.83". The default title says
    what is shown and how many such mistakes there are. Returns the Figure.

    >>> X = np.random.default_rng(0).random((4, 784))
    >>> [ax.get_title() for ax in plot_misclassified(X, [1, 2, 3, 4], [1, 7, 3, 9]).axes]
    ['true 2 → pred 7', 'true 4 → pred 9']
    """
    images = as_images(X)
    y_true = check_labels(y_true, "y_true", len(images))
    y_pred = check_labels(y_pred, "y_pred", len(images))
    n = check_int(n, "n", minimum=1)
    ncols = check_int(ncols, "ncols", minimum=1)
    if probabilities is not None:
        probabilities = check_float_array(probabilities, "probabilities", 1)
        if len(probabilities) != len(images):
            raise ValueError(f"probabilities has {len(probabilities)} values but X has "
                             f"{len(images)} rows")
    rows = _mistakes(y_true, y_pred, true_label, predicted_label)
    total, rows = rows.size, rows[:n]
    shown = images[rows]
    vmin, vmax = min(0.0, shown.min()), max(1.0, shown.max())
    n_cols = min(ncols, len(rows))
    n_rows = math.ceil(len(rows) / n_cols)
    fig = _check_fig(fig, (max(1.3 * n_cols, 4.0) + 0.2, 1.5 * n_rows + 0.55))
    for ax, row in zip(_image_axes(fig, len(rows), ncols), rows, strict=True):
        ax.imshow(images[row], cmap=IMAGE_CMAP, vmin=vmin, vmax=vmax)
        if probabilities is None:
            ax.set_title(f"true {y_true[row]} → pred {y_pred[row]}", fontsize=9)
        else:
            ax.set_title(f"p = {probabilities[row]:.2f}", fontsize=9)
    if title is None:
        title = f"{_mistake_kind(true_label, predicted_label)} ({len(rows)} of {total} shown)"
        if probabilities is not None:
            answer = "its wrong answer" if predicted_label is None else y_pred[rows[0]]
            title += f"\nabove each: the probability the model gave to {answer}"
    fig.suptitle(title)
    return fig


def plot_before_after(before, after, n=10, names=("before", "after"), fig=None,
                      title="The same images before and after"):
    """The first ``n`` images of two versions of a data set (e.g. deskewed), one row each.

    The first panel of each row carries its name from ``names`` as its y label.

    >>> X = np.random.default_rng(0).random((5, 784))
    >>> fig = plot_before_after(X, 1 - X, n=3, names=("original", "inverted"))
    >>> [ax.get_ylabel() for ax in fig.axes[::3]]
    ['original', 'inverted']
    """
    before, after = as_images(before, "before"), as_images(after, "after")
    if before.shape != after.shape:
        raise ValueError("before and after must have the same shape, got "
                         f"{before.shape} and {after.shape}")
    n = check_int(n, "n", minimum=1, maximum=len(before))
    if isinstance(names, str) or len(names) != 2:
        raise ValueError(f"names must be a pair of row titles, got {names!r}")
    names = [_check_title(name, "names") for name in names]
    side = min(1.2, (MAX_WIDTH - 0.6) / n)  # inches per image: the row fits MAX_WIDTH
    fig = _check_fig(fig, (side * n + 0.6, 2 * side + 0.9))
    axes = _image_axes(fig, 2 * n, n)
    for k, (images, name) in enumerate(((before, names[0]), (after, names[1]))):
        for ax, image in zip(axes[k * n : (k + 1) * n], images):
            ax.imshow(image, cmap=IMAGE_CMAP, vmin=0.0, vmax=max(1.0, image.max()))
        axes[k * n].set_ylabel(name, fontsize=10)
    fig.suptitle(title)
    return fig


def plot_weights(
    coef, classes=None, fig=None, ncols=5,
    title="What each class looks for: the weights as images", limit=None,
    colorbar_label="weight (positive: ink here raises this class's score)", signed=True,
):
    """Each class's weights (``model.coef_``, or the fitted model) as an image, on one scale.

    Red pixels raise the class's score where there is ink, blue ones lower it.
    The scale runs from ``-limit`` to ``limit``: by default the 99th percentile
    of the absolute weights, so that a few extreme weights do not wash out the
    rest (the colorbar's pointed ends show the clipping). ``signed=False`` draws
    values that are never negative, such as average images, in grey from 0 to
    ``limit`` (by default the largest); say what they are in ``colorbar_label``.
    ``classes`` title the panels (default a model's ``classes_``, or 0, 1, ...).
    Returns the Figure: one image axes per class, then the colorbar's.

    >>> fig = plot_weights(np.random.default_rng(0).normal(size=(10, 784)))
    >>> [ax.get_title() for ax in fig.axes[:3]]
    ['0', '1', '2']
    """
    if (fitted := _fitted_attribute(coef, "coef_", "coef")) is not None:
        classes = getattr(coef, "classes_", None) if classes is None else classes
        coef = fitted
    coef = check_float_array(coef, "coef", 2)
    images = as_images(coef, "coef")
    classes = _names(classes, len(coef), "classes", f"the {len(coef)} rows of coef")
    ncols = check_int(ncols, "ncols", minimum=1)
    if not signed and (coef < 0).any():
        raise ValueError("signed=False draws values from 0 up, but coef has negative values")
    limit = (check_real(limit, "limit", positive=True) if limit is not None
             else float(np.percentile(np.abs(coef), 99) if signed else coef.max()))
    limit = limit or 1.0  # all-zero weights (untrained): any scale will do
    n_cols = min(ncols, len(coef))
    fig = _check_fig(fig, (1.7 * n_cols + 0.4, 1.75 * math.ceil(len(coef) / n_cols) + 1.3))
    axes = _image_axes(fig, len(coef), ncols)
    scale = dict(cmap=WEIGHT_CMAP, vmin=-limit, vmax=limit) if signed else dict(
        cmap=IMAGE_CMAP, vmin=0.0, vmax=limit)
    for ax, name, weights in zip(axes, classes, images, strict=True):
        image = ax.imshow(weights, **scale)
        ax.set_title(f"{name}", fontsize=11)
    extend = ("both" if signed else "max") if np.abs(coef).max() > limit else "neither"
    fig.colorbar(image, ax=axes, orientation="horizontal", location="bottom", shrink=0.6,
                 aspect=40, pad=0.04, extend=extend, label=colorbar_label)
    fig.suptitle(title)
    return fig


def plot_score_contributions(image, weights, fig=None,
                             title="Where one image's score comes from"):
    """An image (784 pixels), one class's weights, and their product, each with its own scale.

    The product is each pixel's contribution to the class's score (the score
    is its sum plus the bias). Returns the Figure.

    >>> rng = np.random.default_rng(0)
    >>> fig = plot_score_contributions(rng.random(784), rng.normal(size=784))
    >>> [ax.get_title() for ax in fig.axes[:3]]
    ['the image', 'the weights', 'image × weights']
    """
    image = check_float_array(image, "image", 1)
    weights = check_float_array(weights, "weights", 1)
    check_same_length(image, weights, "image", "weights", what=("pixels", "weights"))
    side = as_images(image[None], "image").shape[1]
    fig = _check_fig(fig, (8.4, 3.6))
    axes = _image_axes(fig, 3, 3)
    product = image * weights
    panels = [("the image", image, dict(cmap=IMAGE_CMAP, vmin=0.0, vmax=1.0),
               "pixel value (0 paper, 1 ink)"),
              ("the weights", weights, _symmetric(weights), "weight"),
              ("image × weights", product, _symmetric(product), "contribution to the score")]
    for ax, (name, values, scale, label) in zip(axes, panels, strict=True):
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
    """Several models' weights ``{row title: coef or model}``, one :func:`plot_weights` row each.

    Each row has its own scale: what is compared is the *pattern* of the
    weights, not their size. Returns the Figure, one subfigure per row.

    >>> fig = plot_weight_rows({"noisy": np.random.default_rng(0).normal(size=(10, 784)),
    ...                         "smooth": np.ones((10, 784))})
    >>> [sub.get_suptitle() for sub in fig.subfigs]
    ['noisy', 'smooth']
    """
    if not isinstance(coefs, Mapping) or not coefs:
        raise TypeError("coefs must be a non-empty dict {row title: weights}, "
                        f"got {type(coefs).__name__}")
    for name in coefs:
        _check_title(name, f"coefs key {name!r}")
    fig = _check_fig(fig, (MAX_WIDTH, 2.3 * len(coefs) + 0.5))
    rows = fig.subfigures(len(coefs), 1)
    for row, (name, coef) in zip(np.atleast_1d(rows), coefs.items()):
        plot_weights(coef, fig=row, ncols=10, title=name)
    fig.suptitle(title)
    return fig


def plot_confusion_matrix(matrix, labels=None, log=False, annotate=True, ax=None,
                          cmap=CONFUSION_CMAP, title="Confusion matrix", colorbar_label="count"):
    """A confusion matrix of counts as a heatmap, rows = true label, columns = predicted.

    ``log=True`` colours on a log scale, which makes the few mistakes visible
    next to the large diagonal (empty cells get the lowest colour); ``annotate``
    writes each count in its cell, in black or white, whichever reads better.
    Returns the heatmap's Axes; a colorbar is added beside it.

    >>> ax = plot_confusion_matrix([[5, 1], [0, 7]], labels=["cat", "dog"], log=True)
    >>> [text.get_text() for text in ax.texts]
    ['5', '1', '0', '7']
    """
    matrix = check_float_array(matrix, "matrix", 2)
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
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label=colorbar_label
                       ).outline.set_visible(False)
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
    for set_ticks in (ax.set_xticks, ax.set_yticks):
        set_ticks(np.arange(size), [f"{label}" for label in labels])
        set_ticks(np.arange(size + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.grid(which="major", visible=False)
    ax.tick_params(which="both", length=0)
    ax.spines[:].set_visible(False)
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")


def _write_counts(ax, matrix, colormap, norm, log):
    """Each count in its cell, small enough to fit, in black or white for contrast."""
    integral = bool(np.all(matrix == np.round(matrix)))
    texts = [f"{int(round(v))}" if integral else f"{v:.3g}" for v in matrix.ravel()]
    fontsize = max(5.0, min(10.0, 90.0 / len(matrix)))
    longest = max(len(text) for text in texts)
    if longest > 4:  # a long number gets a smaller font, to stay inside its cell
        fontsize *= 4 / longest
    for ((i, j), value), text in zip(np.ndenumerate(matrix), texts):
        rgba = colormap(0.0) if log and value <= 0 else colormap(norm(value))
        luminance = 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2]
        ax.text(j, i, text, ha="center", va="center",
                fontsize=fontsize, color="white" if luminance < 0.5 else "black")
