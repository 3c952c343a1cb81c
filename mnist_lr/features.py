r"""Features computed from the pixels: deskewing.

People slant their handwriting. A slanted 1 and an upright 1 light up
different pixels, so a linear model, which weighs each pixel on its own, has
to learn both. :func:`deskew` removes the slant before the model sees the
image, with the classic recipe based on image moments:

1. Treat the ink as a distribution over the pixel grid. Its centre of mass
   is :math:`(\bar r, \bar c)` (row, column), and its spread is described by
   the variance of the row, :math:`\operatorname{var}(r)`, and the covariance
   of row and column, :math:`\operatorname{cov}(r, c)`.
2. The slant (skew) is the slope of the regression of column on row,
   :math:`s = \operatorname{cov}(r, c) / \operatorname{var}(r)`: how many
   columns the ink moves sideways for every row it goes down.
3. Shear the image back: the pixel at row :math:`r` and column :math:`c` of
   the result is read from column :math:`c + s\,(r - \bar r)` of the same row
   of the original. The row through the centre of mass does not move; rows
   above and below slide sideways in opposite directions.

Each row moves by a fraction of a pixel, so the new pixel values are read
by linear interpolation between the two neighbouring columns. That keeps
every value within the range of the input (no new ink is invented) and needs
nothing beyond NumPy.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_int

__all__ = ["deskew", "skew"]


def _as_images(X, name="X"):
    """``X`` as a float array of shape (n, height, width), and a function to restore its shape."""
    X = np.asarray(X)
    if X.dtype == bool or not np.issubdtype(X.dtype, np.floating):
        hint = (
            " Scale the raw bytes first, e.g. X / 255.0."
            if np.issubdtype(X.dtype, np.integer)
            else ""
        )
        raise TypeError(
            f"{name} must hold floating-point pixels in [0, 1], got dtype {X.dtype}.{hint}"
        )
    if X.ndim == 3:
        return X, X.shape
    if X.ndim == 2:
        side = int(np.sqrt(X.shape[1]))
        if side * side != X.shape[1] or side == 0:
            raise ValueError(
                f"{name} rows must be square images: {X.shape[1]} pixels per row is not a square "
                "number (MNIST rows have 784 = 28 x 28)"
            )
        return X.reshape(len(X), side, side), X.shape
    raise ValueError(
        f"{name} must have shape (n_images, 784) or (n_images, 28, 28), got shape {X.shape}; "
        f"for a single image use {name}[None]"
    )


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

    Rows count downwards, so a positive value means the ink drifts to the
    right as it goes down (a stroke like ``\\``) and a negative value means
    it drifts to the left (like ``/``, the usual slant of handwriting). An
    upright stroke gives 0.

    Parameters
    ----------
    X : array-like of shape (n_images, 784) or (n_images, 28, 28)
        Floating-point pixels in [0, 1] (any square or rectangular size works).

    Returns
    -------
    numpy.ndarray of shape (n_images,)
        Columns of sideways movement per row downwards; 0 for a blank image or
        one whose ink lies in a single row.

    Examples
    --------
    >>> import numpy as np
    >>> bar = np.zeros((1, 28, 28)); bar[0, 4:24, 14] = 1.0
    >>> skew(bar)
    array([0.])
    """
    images, _ = _as_images(X)
    _check_values(images, "X")
    _, var_row, cov_row_col, blank = _moments(images)
    flat = var_row <= 1e-12
    return np.where(blank | flat, 0.0, cov_row_col / np.where(flat, 1.0, var_row))


def _check_values(images, name):
    if images.size and not np.isfinite(images).all():
        raise ValueError(f"{name} must contain only finite pixel values (no NaN or inf)")
    if images.size and (images.min() < 0 or images.max() > 1):
        raise ValueError(
            f"{name} must hold pixels in [0, 1], got values from {images.min():g} to "
            f"{images.max():g}; scale raw bytes with X / 255.0"
        )


def _shear_rows(images, shift):
    """Row r of image i moved left by ``shift[i, r]`` columns, by linear interpolation.

    That is, output column ``c`` is read from input column ``c + shift``.
    Since the shift is the same along a row, it splits into a whole number of
    columns ``k`` and a fraction ``f``: the output is ``(1 - f)`` times the row
    moved by ``k`` plus ``f`` times the row moved by ``k + 1``. Columns that
    fall outside the image read as 0 (blank paper).
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
    """Straighten each digit: shear it so that its ink no longer slants.

    The slant of each image is measured from its moments (see :func:`skew`)
    and undone by a horizontal shear about the image's centre of mass: the
    row through the centre of mass stays put, each other row slides sideways
    by ``skew * (row - centre row)`` pixels, with linear interpolation for the
    fractional part. Blank images, and images whose ink lies in a single row,
    come back unchanged.

    Parameters
    ----------
    X : array-like of shape (n_images, 784) or (n_images, 28, 28)
        Floating-point pixels in [0, 1], e.g. from :func:`mnist_lr.load_mnist`.
        Rows of any square size work (e.g. 64 = 8 x 8); 3-D input may be any
        height and width.
    chunk_size : int, default 1024
        Images processed at a time. Only memory depends on it (the temporaries
        are a few times ``chunk_size`` images); the result is the same up to
        rounding in the last digit.

    Returns
    -------
    numpy.ndarray
        A new array with the shape and dtype of ``X``; pixel values stay within
        the range of the input.

    Raises
    ------
    TypeError
        If ``X`` does not hold floating-point numbers (scale raw bytes first).
    ValueError
        If ``X`` has the wrong number of dimensions, non-square rows, or pixel
        values outside [0, 1].

    Examples
    --------
    A stroke that slants by one column every two rows comes out upright:

    >>> import numpy as np
    >>> image = np.zeros((1, 28, 28))
    >>> for row in range(4, 24):
    ...     image[0, row, 8 + (row - 4) // 2] = 1.0
    >>> round(float(skew(image)[0]), 2)
    0.5
    >>> abs(float(skew(deskew(image))[0])) < 0.05
    True
    """
    images, shape = _as_images(X)
    _check_values(images, "X")
    chunk_size = check_int(chunk_size, "chunk_size", minimum=1)
    out = np.empty_like(images)
    height = images.shape[1]
    rows = np.arange(height, dtype=np.float64)
    for start in range(0, len(images), chunk_size):
        chunk = images[start : start + chunk_size]
        mean_row, var_row, cov_row_col, blank = _moments(chunk)
        # Ink in a single row (var 0) has no measurable slant: leave it alone.
        usable = ~blank & (var_row > 1e-12)
        slope = np.where(usable, cov_row_col / np.where(usable, var_row, 1.0), 0.0)
        shift = slope[:, None] * (rows[None, :] - mean_row[:, None])  # (n, height)
        out[start : start + chunk_size] = _shear_rows(chunk, shift)
    return out.reshape(shape)
