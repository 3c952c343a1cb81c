r"""Features computed from the pixels: deskewing.

People slant their handwriting, and a linear model, which weighs each pixel
on its own, has to learn the slanted and the upright version of each digit.
:func:`deskew` removes the slant first, with the classic moments recipe:

1. The ink's centre of mass is :math:`(\bar r, \bar c)` (row, column).
2. The slant, :math:`s = \operatorname{cov}(r, c) / \operatorname{var}(r)`, is how
   many columns the ink moves sideways for every row it goes down.
3. Shear the image back: output pixel :math:`(r, c)` is read from column
   :math:`c + s\,(r - \bar r)` of the same row, by linear interpolation
   between the two neighbouring columns (so no new ink is invented).
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import check_float_array, check_int

__all__ = ["deskew", "skew"]


def as_images(X, name="X"):
    """Rows of square images (n, side * side), or images (n, height, width), as a 3-D float
    array (integers become float64; NaN and infinity are refused)."""
    X = check_float_array(X, name)
    if X.ndim == 2:
        side = math.isqrt(X.shape[1])
        if side == 0 or side * side != X.shape[1]:
            raise ValueError(f"{name} rows must be square images: {X.shape[1]} pixels per row "
                             "is not a square number (MNIST rows have 784 = 28 x 28)")
        X = X.reshape(len(X), side, side)
    elif X.ndim != 3:
        raise ValueError(f"{name} must have shape (n_images, 784) or (n_images, 28, 28), got "
                         f"shape {X.shape}; for a single image use {name}[None]")
    return X


def _pixels(X):
    """``X`` as images (see :func:`as_images`) of pixels in [0, 1]."""
    images = as_images(X)
    if images.size and (images.min() < 0 or images.max() > 1):
        raise ValueError(f"X must hold pixels in [0, 1], got values from {images.min():g} to "
                         f"{images.max():g}; scale raw bytes with X / 255.0")
    return images


def _centre_and_slant(images):
    """Each image's centre-of-mass row and slant cov(row, column) / var(row), as float64
    (0 where it cannot be measured: a blank image, or ink in a single row)."""
    images = images.astype(np.float64, copy=False)
    rows = np.arange(images.shape[1], dtype=np.float64)
    cols = np.arange(images.shape[2], dtype=np.float64)
    ink_by_row = images.sum(axis=2)  # (n, height)
    col_sums = images @ cols  # (n, height): sum over each row of ink * column
    total = ink_by_row.sum(axis=1)
    total[total <= 0] = 1.0  # a blank image: every moment 0, instead of 0 / 0
    mean_row = ink_by_row @ rows / total
    mean_col = col_sums.sum(axis=1) / total
    var_row = ink_by_row @ rows**2 / total - mean_row**2
    cov_row_col = col_sums @ rows / total - mean_row * mean_col
    flat = var_row <= 1e-12
    return mean_row, np.where(flat, 0.0, cov_row_col / np.where(flat, 1.0, var_row))


def skew(X):
    """The slant of each image in ``X``: cov(row, column) / var(row) of its ink, in columns
    moved per row down (``X`` as for :func:`deskew`).

    Positive drifts right going down (``\\``), negative left (``/``, usual in handwriting);
    0 for a blank image or ink in a single row."""
    return _centre_and_slant(_pixels(X))[1]


def _shear_rows(images, shift):
    """Row r of image i moved left by ``shift[i, r]`` columns: output column c reads c + shift.

    A shift of ``k`` whole columns and a fraction ``f`` gives ``(1 - f)`` times the row
    moved by ``k`` plus ``f`` times it moved by ``k + 1``; outside the image is blank paper.
    """
    width = images.shape[2]
    whole = np.floor(shift)
    fraction = (shift - whole).astype(images.dtype)[:, :, None]
    # Column c of a row is column c + 1 of `padded`; reads past either blank column stay blank.
    padded = np.pad(images, ((0, 0), (0, 0), (1, 1)))
    index = whole.astype(np.intp)[:, :, None] + np.arange(width) + 1
    left = np.take_along_axis(padded, index.clip(0, width + 1), axis=2)
    right = np.take_along_axis(padded, (index + 1).clip(0, width + 1), axis=2)
    return left + fraction * (right - left)


def deskew(X, *, chunk_size=1024):
    """Straighten each digit: shear it about its centre of mass so that its ink no longer slants.

    Each row slides sideways by ``skew * (row - centre row)`` pixels (see :func:`skew`);
    blank images, and ink in a single row, come back unchanged. ``X`` holds pixels in
    [0, 1], shaped (n_images, 784), (n_images, 28, 28) or with any square row size.
    ``chunk_size`` images are processed at a time: it changes only the memory used.
    Returns a new array of the shape of ``X`` (float32 stays float32).

    >>> image = np.zeros((1, 28, 28))  # a stroke one column right every two rows
    >>> for row in range(4, 24):
    ...     image[0, row, 8 + (row - 4) // 2] = 1.0
    >>> round(float(skew(image)[0]), 2)
    0.5
    >>> abs(float(skew(deskew(image))[0])) < 0.05
    True
    """
    images = _pixels(X)
    chunk_size = check_int(chunk_size, "chunk_size", minimum=1)
    out = np.empty_like(images)
    for start in range(0, len(images), chunk_size):
        chunk = images[start : start + chunk_size]
        mean_row, slant = _centre_and_slant(chunk)
        shift = slant[:, None] * (np.arange(images.shape[1]) - mean_row[:, None])  # (n, rows)
        out[start : start + chunk_size] = _shear_rows(chunk, shift)
    return out.reshape(np.shape(X))
