"""A confusion matrix written from scratch, and which classes it mixes up most."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import (
    check_int,
    check_label_kinds,
    check_label_values,
    check_labels,
    check_same_label_kind,
    check_same_length,
)

__all__ = ["confusion_matrix", "most_confused_pairs", "ConfusedPair"]


def confusion_matrix(y_true, y_pred, labels=None):
    """Count how often each true class was predicted as each class: an int64 (K, K) array.

    Entry ``[i, j]`` counts the samples of class ``labels[i]`` predicted as ``labels[j]``:
    the article's ``T.T @ P`` of two one-hot matrices, counted directly in linear time.
    ``y_true`` and ``y_pred`` hold labels of one kind, numbers or strings. ``labels``
    (by default every label in either, sorted) are the K classes in order; samples with
    another label are left out, as in scikit-learn.

    >>> confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2])
    array([[1, 0, 0],
           [0, 1, 1],
           [0, 0, 1]])
    """
    y_true, y_pred = _check_target(y_true, "y_true"), _check_target(y_pred, "y_pred")
    check_same_length(y_true, y_pred, "y_true", "y_pred", what=("labels", "labels"))
    check_same_label_kind(y_true, "y_true", y_pred, "y_pred")
    if labels is None:
        labels = np.union1d(y_true, y_pred)
    else:
        check_label_kinds(labels, "labels")
        labels = np.asarray(labels)
        if labels.ndim != 1 or labels.size == 0 or np.unique(labels).size != labels.size:
            raise ValueError("labels must be a non-empty 1-D list of distinct classes")
        check_label_values(labels, "labels")
        check_same_label_kind(labels, "labels", y_true, "y_true")
    # Number each label by its position in `labels` (-1: not there, left out),
    # then add 1 at [truth, prediction]: T.T @ P without building T and P.
    true_codes, pred_codes = _positions(labels, y_true), _positions(labels, y_pred)
    counted = (true_codes >= 0) & (pred_codes >= 0)
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    np.add.at(matrix, (true_codes[counted], pred_codes[counted]), 1)
    return matrix


def _positions(labels, values):
    """Index of each of ``values`` in ``labels``, or -1 where it is not there."""
    order = np.argsort(labels, kind="stable")
    where = np.searchsorted(labels[order], values).clip(max=len(labels) - 1)
    return np.where(labels[order][where] == values, order[where], -1)


def _check_target(y, name):
    """``y`` as 1-D class labels; fractional numbers (scores, probabilities) are refused."""
    y = check_labels(y, name)
    check_label_values(y, name)
    fractional = y[y != np.round(y)] if y.dtype.kind == "f" else y[:0]
    if fractional.size:
        raise ValueError(f"{name} holds continuous values such as {float(fractional[0])!r}, "
                         "not class labels; pass predicted classes (model.predict), not "
                         "probabilities or scores")
    return y


class ConfusedPair(NamedTuple):
    """Two classes and how often they were mistaken for each other."""

    a: object
    b: object
    a_as_b: int
    b_as_a: int

    @property
    def total(self):
        return self.a_as_b + self.b_as_a


def most_confused_pairs(matrix, labels=None, top=5):
    """The ``top`` pairs of classes (``None``: all) mistaken for each other most often.

    ``matrix`` is a (K, K) confusion matrix of counts (rows: truth) and ``labels`` its
    classes (default ``0..K-1``). The :class:`ConfusedPair` list is sorted by ``total``
    (both directions), largest first; ties keep the order of the labels.

    >>> most_confused_pairs([[5, 1, 0], [3, 6, 0], [0, 2, 9]], top=1)
    [ConfusedPair(a=0, b=1, a_as_b=1, b_as_a=3)]
    """
    top = check_int(top, "top", minimum=1, allow_none=True)
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square, got shape {matrix.shape}")
    if matrix.dtype.kind not in "biuf" or not (
            np.isfinite(matrix) & (matrix >= 0) & (matrix == np.round(matrix))).all():
        raise ValueError("matrix must hold counts (whole numbers >= 0, no NaN or infinity), as "
                         "confusion_matrix returns; pass the raw counts, not a normalised matrix")
    size, labels = len(matrix), list(range(len(matrix)) if labels is None else labels)
    if len(labels) != size:
        raise ValueError(f"labels has {len(labels)} entries for a {size}x{size} matrix")
    pairs = [ConfusedPair(labels[i], labels[j], int(matrix[i, j]), int(matrix[j, i]))
             for i in range(size) for j in range(i + 1, size)]
    pairs.sort(key=lambda pair: pair.total, reverse=True)
    return pairs if top is None else pairs[:top]
