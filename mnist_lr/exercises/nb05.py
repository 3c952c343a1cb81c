"""Notebook 05, the weights: the worked answer to its exercise, and the exercise's record."""

from __future__ import annotations

import numpy as np

from ._engine import Exercise, Line, Mistake, brief, read_array


def ignored_pixels(X):
    """Indices of the pixels (columns of X)
    that are exactly 0 in every image (row).
    """
    return np.flatnonzero((X == 0).all(axis=0))


def _images(rng, n_images, n_pixels, blank_image, faintest=-2.2):
    """Images with blank pixels, a faint one, one inked the same everywhere (or a blank image)."""
    # ink is 0, or 0.1 and above: no threshold short of exactly 0 tells them apart
    ink = np.round(rng.uniform(0.1, 1.0, size=(n_images, n_pixels)), 2)
    X = ink * (rng.random((n_images, n_pixels)) < 0.5)
    inside = 1 + rng.permutation(n_pixels - 2)[:4]  # the first and last pixels are blank too
    blank, faint, constant = [0, n_pixels - 1, inside[0]], inside[1:2], inside[2:]
    empty_image, faint_image = rng.choice(n_images, size=2, replace=False)
    X[:, blank] = 0
    X[:, faint] = 0
    X[faint_image, faint] = 10 ** rng.uniform(-9, faintest)  # inked, faintly, in one image only
    X[:, constant] = 0.5  # inked the same in every image
    if blank_image:
        X[empty_image] = 0
    return X


def _cases(rng):
    # the largest input's faint ink is below 1e-4: a threshold such as 1e-3 misses it
    shapes = ((2, 6, True), (6, 9, True), (30, 40, False, -4))
    return [{"X": _images(rng, *shape)} for shape in shapes]


def _indices(raw, arguments):
    """Pixel indices in any order (a 1-tuple, as np.nonzero gives, too), sorted."""
    if isinstance(raw, tuple) and len(raw) == 1:
        raw = raw[0]
    if np.asarray(raw).dtype == bool:
        raise Line(f"returns True/False values of shape {np.shape(raw)}: return the indices "
                   "of the blank pixels (np.flatnonzero of a mask gives them)")
    indices = read_array(raw)
    if indices.ndim != 1 or not np.array_equal(indices, np.round(indices)):
        raise Line(f"returns {brief(raw)}; expected a 1-D array of pixel indices")
    return np.sort(indices)


EXERCISES = (
    Exercise(
        topic="ignored_pixels", answer=ignored_pixels, cases=_cases, read=_indices,
        same=np.array_equal,
        hint="(X == 0) is True where a pixel is blank; .all(axis=0) asks 'blank in every "
             "image?' for each column; np.flatnonzero turns the answer into indices.",
        praise="your ignored_pixels finds exactly the pixels that are 0 in every image.",
        mistakes=(
            Mistake(lambda X: (X == 0).all(axis=0),
                    "Your ignored_pixels returns a True/False mask: return the indices of "
                    "the True entries, np.flatnonzero(mask)."),
            Mistake(lambda X: np.flatnonzero((X == 0).all(axis=1)),
                    "Your ignored_pixels looks along the wrong axis: it finds the blank images "
                    "(rows), not the pixels (columns) blank in every image. Use axis=0."),
            Mistake(lambda X: np.flatnonzero((X == 0).any(axis=0)),
                    "Your ignored_pixels finds pixels blank in at least one image (any); a "
                    "pixel is ignored only if it is blank in all of them."),
            Mistake(lambda X: np.flatnonzero((X != 0).any(axis=0)),
                    "Your ignored_pixels returns the pixels that are inked somewhere, the "
                    "opposite of those never inked."),
            Mistake(lambda X: np.flatnonzero((X < 0.01).all(axis=0)),
                    "Your ignored_pixels counts faint ink as blank: a pixel stays at weight 0 "
                    "only if it is exactly 0 in every image."),
            Mistake(lambda X: np.flatnonzero(X.std(axis=0) == 0),
                    "Your ignored_pixels finds the pixels that never change (constant "
                    "columns), but a pixel inked the same in every image still counts: look "
                    "for pixels that are exactly 0 in every image."),
        ),
    ),
)
