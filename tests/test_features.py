"""Tests of mnist_lr.features: deskewing straightens slanted digits and nothing else."""

from __future__ import annotations

import time

import numpy as np
import pytest

from mnist_lr.features import deskew, skew


def _sheared(image, slope):
    """``image`` with row r moved right by slope * (r - centre row), in whole pixels.

    Built by moving pixels, not with the code under test.
    """
    out = np.zeros_like(image)
    rows = np.arange(len(image))
    centre = (image.sum(axis=1) @ rows) / image.sum()
    for row in rows:
        move = int(round(slope * (row - centre)))
        if move >= 0:
            out[row, move:] = image[row, : image.shape[1] - move]
        else:
            out[row, :move] = image[row, -move:]
    return out


def _image(rows, columns):
    image = np.zeros((1, 28, 28))
    image[0, rows, columns] = 1.0
    return image


@pytest.mark.parametrize("image", [
    _image(slice(4, 24), 14),  # an upright bar
    _image(14, slice(5, 20)),  # ink in a single row: no slant to measure
    np.zeros((1, 28, 28)),  # blank
])
def test_images_without_a_slant_come_back_unchanged(image):
    assert skew(image)[0] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_array_equal(deskew(image), image)


@pytest.mark.parametrize("slope", [-0.5, -0.2, 0.3, 0.6])
@pytest.mark.parametrize("width", [1, 3])
def test_shear_then_deskew_restores_a_stroke(slope, width):
    image = _image(slice(3, 25), slice(12, 12 + width))[0]
    slanted = _sheared(image, slope)
    assert skew(slanted[None])[0] == pytest.approx(slope, abs=0.015)
    restored = deskew(slanted[None])[0]
    assert abs(skew(restored[None])[0]) < 1e-6
    # Same ink, same place, up to the rounding of the whole-pixel shear (worst for a thin bar).
    assert restored.sum() == pytest.approx(image.sum(), rel=1e-6)
    assert np.abs(restored - image).sum() / image.sum() < {1: 0.6, 3: 0.35}[width]
    columns = np.flatnonzero(restored.sum(axis=0) > 1e-9)
    assert columns.max() - columns.min() <= width + 1  # a narrow vertical band again


def test_real_digits_lose_their_slant(mnist):
    X, _ = mnist
    sample = X[:2000]
    before, after = np.abs(skew(sample)), np.abs(skew(deskew(sample)))
    assert before.mean() > 0.1  # handwriting does slant
    assert np.median(after) < 1e-6
    assert after.mean() < 0.01 * before.mean()


def test_ink_and_centre_are_kept(mnist):
    """A shear about the centre of mass moves no ink across rows and keeps the centre.

    Only a strongly slanted digit near the edge can lose ink, pushed off the side: rarely.
    """
    X, _ = mnist
    images = X[:500].reshape(-1, 28, 28).astype(np.float64)
    straight = deskew(images)
    kept = np.isclose(straight.sum(axis=2), images.sum(axis=2), rtol=0, atol=1e-9).all(axis=1)
    assert kept.mean() > 0.98
    assert straight.sum() == pytest.approx(images.sum(), rel=1e-3)
    rows = np.arange(28)
    centre_before = images[kept].sum(axis=2) @ rows / images[kept].sum(axis=(1, 2))
    centre_after = straight[kept].sum(axis=2) @ rows / straight[kept].sum(axis=(1, 2))
    np.testing.assert_allclose(centre_after, centre_before, atol=1e-9)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.uint8])
@pytest.mark.parametrize("shape", [(5, 784), (5, 28, 28), (3, 64), (2, 10, 12), (0, 784)])
def test_shape_and_dtype_are_preserved_and_the_input_kept(shape, dtype):
    X = np.random.default_rng(0).random(shape) ** 4
    X = (2 * X).astype(dtype) if dtype is np.uint8 else X.astype(dtype)  # integers: 0 and 1
    copy = X.copy()
    out = deskew(X)
    assert out.shape == X.shape and out is not X
    assert out.dtype == (np.float64 if dtype is np.uint8 else dtype)  # 0/1 integers: float64
    assert out.size == 0 or (out.min() >= 0.0 and out.max() <= 1.0)
    np.testing.assert_array_equal(X, copy)


def test_chunk_size_does_not_change_the_result():
    X = np.random.default_rng(2).random((37, 784)) ** 4
    np.testing.assert_allclose(deskew(X, chunk_size=5), deskew(X), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("X", "error", "match"), [
    (np.zeros(784), ValueError, r"\(n_images, 784\).*X\[None\]"),
    (np.zeros((2, 2, 28, 28)), ValueError, r"got shape \(2, 2, 28, 28\)"),
    (np.zeros((3, 783)), ValueError, "783 pixels per row is not a square"),
    (np.full((3, 784), 255, dtype=np.uint8), ValueError, r"got values from 255 .*X / 255"),
    (np.full((3, 784), -0.5), ValueError, r"\[0, 1\]"),
    (np.full((3, 784), np.nan), ValueError, "finite"),
    (np.zeros((3, 784), dtype=bool), TypeError, "numbers"),
    ([["a"] * 784], TypeError, "numbers"),
])
def test_bad_input_gets_a_clear_error(X, error, match):
    for function in (deskew, skew):
        with pytest.raises(error, match=match):
            function(X)


@pytest.mark.parametrize("chunk_size", [0, 2.5, "10"])
def test_bad_chunk_size(chunk_size):
    with pytest.raises((TypeError, ValueError), match="chunk_size"):
        deskew(np.zeros((2, 784)), chunk_size=chunk_size)


@pytest.mark.slow
def test_all_of_mnist_in_a_few_seconds(mnist):
    X, _ = mnist
    start = time.perf_counter()
    out = deskew(X)
    elapsed = time.perf_counter() - start
    assert out.shape == X.shape
    # About 1.5 s on an idle 2-core machine; the bound leaves room for a busy one.
    assert elapsed < 20
