"""Tests of mnist_lr.features: deskewing straightens slanted digits and nothing else."""

from __future__ import annotations

import doctest
import time

import numpy as np
import pytest

from mnist_lr import features
from mnist_lr.features import deskew, skew


def _bar(side=28, column=14, top=4, bottom=24):
    """An upright bar, one pixel wide, as a single image of shape (side, side)."""
    image = np.zeros((side, side))
    image[top:bottom, column] = 1.0
    return image


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


def test_doctests():
    assert doctest.testmod(features).failed == 0


def test_upright_bar_is_left_unchanged():
    bar = _bar()[None]
    assert skew(bar)[0] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_array_equal(deskew(bar), bar)


def test_sheared_bar_is_straightened():
    bar = _bar()
    slanted = _sheared(bar, 0.4)
    assert skew(slanted[None])[0] == pytest.approx(0.4, abs=0.02)
    straight = deskew(slanted[None])[0]
    assert abs(skew(straight[None])[0]) < 1e-6
    # The ink now sits in a narrow vertical band again.
    columns = np.flatnonzero(straight.sum(axis=0) > 1e-9)
    assert columns.max() - columns.min() <= 2


@pytest.mark.parametrize("slope", [-0.5, -0.2, 0.3, 0.6])
def test_shear_then_deskew_restores_a_thick_stroke(slope):
    """A 3-pixel-wide stroke, sheared by whole pixels, comes back close to upright."""
    image = np.zeros((28, 28))
    image[3:25, 12:15] = 1.0
    restored = deskew(_sheared(image, slope)[None])[0]
    assert abs(skew(restored[None])[0]) < 1e-6
    # Same ink, same place, up to the rounding of the whole-pixel shear.
    assert restored.sum() == pytest.approx(image.sum(), rel=1e-6)
    assert np.abs(restored - image).sum() / image.sum() < 0.35


def test_real_digits_lose_their_slant(mnist):
    X, _ = mnist
    sample = X[:2000]
    before, after = np.abs(skew(sample)), np.abs(skew(deskew(sample)))
    assert before.mean() > 0.1  # handwriting does slant
    assert np.median(after) < 1e-6
    assert after.mean() < 0.01 * before.mean()


def test_ink_and_centre_are_kept(mnist):
    """A shear about the centre of mass moves no ink across rows and keeps the centre.

    Only a strongly slanted digit near the edge can lose ink, pushed off the
    side of the image; that is rare.
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


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(5, 784), (5, 28, 28), (3, 64), (2, 10, 12)])
def test_shape_and_dtype_are_preserved(shape, dtype):
    X = np.random.default_rng(0).random(shape).astype(dtype)
    out = deskew(X)
    assert out.shape == X.shape
    assert out.dtype == X.dtype
    assert out is not X
    assert out.min() >= 0.0 and out.max() <= 1.0


def test_input_is_not_modified():
    X = np.random.default_rng(1).random((4, 784))
    copy = X.copy()
    deskew(X)
    np.testing.assert_array_equal(X, copy)


def test_chunk_size_does_not_change_the_result():
    X = np.random.default_rng(2).random((37, 784)) ** 4
    np.testing.assert_allclose(deskew(X, chunk_size=5), deskew(X), rtol=1e-12, atol=1e-15)


def test_blank_and_single_row_images_come_back_unchanged():
    blank = np.zeros((1, 28, 28))
    line = np.zeros((1, 28, 28))
    line[0, 14, 5:20] = 1.0
    np.testing.assert_array_equal(deskew(blank), blank)
    np.testing.assert_array_equal(deskew(line), line)
    np.testing.assert_array_equal(skew(np.concatenate([blank, line])), [0.0, 0.0])


def test_empty_input_gives_empty_output():
    out = deskew(np.zeros((0, 784), dtype=np.float32))
    assert out.shape == (0, 784) and out.dtype == np.float32


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        (np.zeros(784), ValueError, r"\(n_images, 784\).*X\[None\]"),
        (np.zeros((2, 2, 28, 28)), ValueError, r"got shape \(2, 2, 28, 28\)"),
        (np.zeros((3, 783)), ValueError, "783 pixels per row is not a square"),
        (np.zeros((3, 784), dtype=np.uint8), TypeError, r"X / 255"),
        (np.zeros((3, 784), dtype=bool), TypeError, "floating-point"),
        (np.full((3, 784), 255.0), ValueError, r"\[0, 1\].*X / 255"),
        (np.full((3, 784), -0.5), ValueError, r"\[0, 1\]"),
        (np.full((3, 784), np.nan), ValueError, "finite"),
        ([["a"] * 784], TypeError, "floating-point"),
    ],
)
def test_bad_input_gets_a_clear_error(X, error, match):
    with pytest.raises(error, match=match):
        deskew(X)
    with pytest.raises(error, match=match):
        skew(X)


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
