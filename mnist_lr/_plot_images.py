"""Figures of images: examples of each digit, mistakes, the same images before and after."""

from __future__ import annotations

import math

import numpy as np

from ._checks import check_int, check_labels
from ._plot_base import IMAGE_CMAP, _check_fig, _check_title, _image_axes, _numeric_array
from .features import as_images


def plot_digit_grid(
    X, y, digits=range(10), ncols=5, fig=None, title="One example of each digit"
):
    """Show one example image of each requested digit: the first row of ``X`` with that label.

    Parameters
    ----------
    X : array-like of shape (n_images, 784) or (n_images, 28, 28)
        Images, pixels in [0, 1] (any square size works, e.g. 8 x 8).
    y : array-like of shape (n_images,)
        The label of each row.
    digits : iterable of labels, default ``range(10)``
        Which labels to show, in this order (the article shows 1 to 9).
    ncols : int, default 5
        Panels per row.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (it is cleared first); a new one by default.
    title : str, default "One example of each digit"

    Returns
    -------
    matplotlib.figure.Figure
        One image panel per digit, titled "digit 3" and so on.

    Examples
    --------
    >>> X, y = np.random.default_rng(0).random((20, 784)), np.arange(20) % 10
    >>> fig = plot_digit_grid(X, y, digits=[0, 1, 2])
    >>> [ax.get_title() for ax in fig.axes]
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
        raise ValueError(
            f"digits {missing} do not occur in y (y holds the labels "
            f"{present[:20].tolist()}{' ...' if present.size > 20 else ''})"
        )
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
    """What a gallery of mistakes shows, in words, for its title."""
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
            raise ValueError(
                f"true_label and predicted_label are both {true_label!r}: those are correct "
                "predictions, not mistakes"
            )
        kind = _mistake_kind(true_label, predicted_label)
        raise ValueError(
            f"nothing to show: there are no {kind[0].lower() + kind[1:]} "
            "(compared y_true with y_pred)"
        )
    return rows


def plot_misclassified(
    X, y_true, y_pred, true_label=None, predicted_label=None, n=8, ncols=8, fig=None,
    title=None, probabilities=None,
):
    """A gallery of images the model got wrong.

    Parameters
    ----------
    X : array-like of shape (n_images, 784)
        The images (rows of pixels in [0, 1]).
    y_true, y_pred : array-like of shape (n_images,)
        Their true labels and the model's predictions.
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
        By default it says what is shown and how many such mistakes there are.
    probabilities : array-like of shape (n_images,), optional
        The probability the model gave its (wrong) prediction, e.g.
        ``model.predict_proba(X).max(axis=1)``, shown above each panel ("p = 0.83").

    Returns
    -------
    matplotlib.figure.Figure
        One image panel per mistake, titled "true 4 → pred 9" (or "p = 0.83").

    Examples
    --------
    >>> X = np.random.default_rng(0).random((4, 784))
    >>> fig = plot_misclassified(X, [1, 2, 3, 4], [1, 7, 3, 9])
    >>> [ax.get_title() for ax in fig.axes]
    ['true 2 → pred 7', 'true 4 → pred 9']
    """
    images = as_images(X)
    y_true = check_labels(y_true, "y_true", len(images))
    y_pred = check_labels(y_pred, "y_pred", len(images))
    n = check_int(n, "n", minimum=1)
    ncols = check_int(ncols, "ncols", minimum=1)
    if probabilities is not None:
        probabilities = _numeric_array(probabilities, "probabilities", 1)
        if len(probabilities) != len(images):
            raise ValueError(
                f"probabilities has {len(probabilities)} values but X has {len(images)} rows"
            )
    rows = _mistakes(y_true, y_pred, true_label, predicted_label)
    total, rows = rows.size, rows[:n]
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
        title = f"{_mistake_kind(true_label, predicted_label)} ({len(rows)} of {total} shown)"
        if probabilities is not None:
            answer = "its wrong answer" if predicted_label is None else y_pred[rows[0]]
            title += f"\nabove each: the probability the model gave to {answer}"
    fig.suptitle(title)
    return fig


def plot_before_after(
    before, after, n=10, names=("before", "after"), fig=None,
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

    Returns
    -------
    matplotlib.figure.Figure
        ``2 * n`` image axes, the ``before`` row first; the first axes of each
        row carries the row's name as its y label.

    Examples
    --------
    >>> X = np.random.default_rng(0).random((5, 784))
    >>> fig = plot_before_after(X, 1 - X, n=3, names=("original", "inverted"))
    >>> [ax.get_ylabel() for ax in fig.axes[::3]]
    ['original', 'inverted']
    """
    before, after = as_images(before, "before"), as_images(after, "after")
    if before.shape != after.shape:
        raise ValueError(
            f"before and after must have the same shape, got {before.shape} and {after.shape}"
        )
    n = check_int(n, "n", minimum=1, maximum=len(before))
    if isinstance(names, str) or len(names) != 2:
        raise ValueError(f"names must be a pair of row titles, got {names!r}")
    names = [_check_title(name, "names") for name in names]
    fig = _check_fig(fig, (1.2 * n + 0.4, 3.2))
    axes = _image_axes(fig, 2 * n, n)
    for k, (images, name) in enumerate(((before, names[0]), (after, names[1]))):
        for j in range(n):
            ax = axes[k * n + j]
            ax.imshow(images[j], cmap=IMAGE_CMAP, vmin=0.0, vmax=max(1.0, images[j].max()))
        axes[k * n].set_ylabel(name, fontsize=10)
    fig.suptitle(title)
    return fig
