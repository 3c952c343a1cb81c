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
    """Rows of square images (n, side * side), or images (n, height, width), as a 3-D float array.

    The package's one images helper (the figures use it too): integers become
    float64, floats are not copied, NaN and infinity are refused.
    """
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
    """``X`` as images of floating-point pixels in [0, 1] (deskewing needs no other)."""
    dtype = np.asarray(X).dtype
    if not np.issubdtype(dtype, np.floating):
        hint = " Scale the raw bytes first, e.g. X / 255.0." if dtype.kind in "iu" else ""
        raise TypeError(f"X must hold floating-point pixels in [0, 1], got dtype {dtype}.{hint}")
    images = as_images(X)
    if images.size and (images.min() < 0 or images.max() > 1):
        raise ValueError(f"X must hold pixels in [0, 1], got values from {images.min():g} to "
                         f"{images.max():g}; scale raw bytes with X / 255.0")
    return images


def _moments(images):
    """Centre-of-mass row, var(row) and cov(row, column) of each image's ink, as float64."""
    images = images.astype(np.float64, copy=False)
    rows = np.arange(images.shape[1], dtype=np.float64)
    cols = np.arange(images.shape[2], dtype=np.float64)
    ink_by_row = images.sum(axis=2)  # (n, height)
    col_sums = images @ cols  # (n, height): sum over each row of ink * column
    total = ink_by_row.sum(axis=1)
    blank = total <= 0
    total[blank] = 1.0  # a blank image has no slant; avoid 0 / 0
    mean_row = ink_by_row @ rows / total
    mean_col = col_sums.sum(axis=1) / total
    var_row = ink_by_row @ rows**2 / total - mean_row**2
    cov_row_col = col_sums @ rows / total - mean_row * mean_col
    return mean_row, var_row, cov_row_col, blank


def skew(X):
    """The slant of each image: cov(row, column) / var(row) of its ink.

    Rows count downwards: positive means the ink drifts right as it goes down
    (``\\``), negative left (``/``, the usual slant of handwriting), 0 upright.

    Parameters
    ----------
    X : array-like of shape (n_images, 784) or (n_images, 28, 28)
        Floating-point pixels in [0, 1].

    Returns
    -------
    numpy.ndarray of shape (n_images,)
        Columns moved per row down; 0 for a blank image or ink in a single row.

    Examples
    --------
    >>> bar = np.zeros((1, 28, 28)); bar[0, 4:24, 14] = 1.0
    >>> skew(bar)
    array([0.])
    """
    images = _pixels(X)
    _, var_row, cov_row_col, blank = _moments(images)
    flat = var_row <= 1e-12
    return np.where(blank | flat, 0.0, cov_row_col / np.where(flat, 1.0, var_row))


def _shear_rows(images, shift):
    """Row r of image i moved left by ``shift[i, r]`` columns: output column c reads c + shift.

    A shift of ``k`` whole columns and a fraction ``f`` gives ``(1 - f)`` times the row
    moved by ``k`` plus ``f`` times it moved by ``k + 1``; outside the image is blank paper.
    """
    n, height, width = images.shape
    whole = np.floor(shift)
    fraction = (shift - whole).astype(images.dtype)[:, :, None]
    # A move of more than the width leaves a blank row, as does a move of exactly it.
    whole = np.clip(whole, -width - 1, width + 1).astype(np.intp)
    # Blank margins wide enough for any such move; rows laid end to end.
    pad = width + 2
    padded = np.zeros((n, height, width + 2 * pad), dtype=images.dtype)
    padded[:, :, pad : pad + width] = images
    row_starts = np.arange(n * height).reshape(n, height) * padded.shape[2] + pad
    index = (row_starts + whole)[:, :, None] + np.arange(width)
    flat = padded.reshape(-1)
    left, right = flat[index], flat[index + 1]
    return left + fraction * (right - left)


def deskew(X, *, chunk_size=1024):
    """Straighten each digit: shear it about its centre of mass so that its ink no longer slants.

    Each row slides sideways by ``skew * (row - centre row)`` pixels (see
    :func:`skew`). Blank images, and images whose ink lies in one row, come back unchanged.

    Parameters
    ----------
    X : array-like of shape (n_images, 784) or (n_images, 28, 28)
        Floating-point pixels in [0, 1]; rows of any square size work (e.g. 64 = 8 x 8).
    chunk_size : int, default 1024
        Images processed at a time: only memory depends on it (and the last digit of rounding).

    Returns
    -------
    numpy.ndarray
        A new array with the shape and dtype of ``X``, values within the range of the input.

    Examples
    --------
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
    rows = np.arange(images.shape[1], dtype=np.float64)
    for start in range(0, len(images), chunk_size):
        chunk = images[start : start + chunk_size]
        mean_row, var_row, cov_row_col, blank = _moments(chunk)
        # Ink in a single row (var 0) has no measurable slant: leave it alone.
        usable = ~blank & (var_row > 1e-12)
        slope = np.where(usable, cov_row_col / np.where(usable, var_row, 1.0), 0.0)
        shift = slope[:, None] * (rows[None, :] - mean_row[:, None])  # (n, height)
        out[start : start + chunk_size] = _shear_rows(chunk, shift)
    return out.reshape(np.shape(X))
