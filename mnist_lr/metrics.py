"""A confusion matrix written from scratch, and which classes it mixes up most."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["confusion_matrix", "most_confused_pairs", "ConfusedPair"]


def confusion_matrix(y_true, y_pred, labels=None):
    """Count how often each true class was predicted as each class.

    Entry ``[i, j]`` is the number of samples whose true label is
    ``labels[i]`` and whose prediction is ``labels[j]``; the diagonal holds
    the correct predictions. It is computed as the article does, as a product
    of two one-hot matrices: ``T.T @ P`` counts, for every pair (i, j), the
    rows where the truth is i and the prediction is j.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like, optional
        The classes and their order. Defaults to every label that appears in
        either array, sorted.

    Returns
    -------
    numpy.ndarray of int64, shape (n_labels, n_labels)

    Examples
    --------
    >>> confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2])
    array([[1, 0, 0],
           [0, 1, 1],
           [0, 0, 1]])
    """
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.ndim != 1 or y_pred.ndim != 1:
        raise ValueError(
            f"y_true and y_pred must be 1-D, got shapes {y_true.shape} and {y_pred.shape}"
        )
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"y_true and y_pred have different lengths: {len(y_true)} vs {len(y_pred)}"
        )
    if labels is None:
        labels = np.union1d(y_true, y_pred)
    else:
        labels = np.asarray(labels)
        if labels.ndim != 1 or labels.size == 0:
            raise ValueError("labels must be a non-empty 1-D list of classes")
        if np.unique(labels).size != labels.size:
            raise ValueError("labels must not repeat a class")
    # One-hot encode against `labels`; a label outside `labels` gets an all-zero row.
    truth = (y_true[:, None] == labels[None, :]).astype(np.int64)
    predicted = (y_pred[:, None] == labels[None, :]).astype(np.int64)
    return truth.T @ predicted


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
    """The pairs of classes mistaken for each other most often, in either direction.

    Parameters
    ----------
    matrix : array-like of shape (K, K)
        A confusion matrix (rows: truth, columns: prediction).
    labels : sequence, optional
        Class names for the rows; defaults to ``0..K-1``.
    top : int, default 5
        How many pairs to return.

    Returns
    -------
    list of ConfusedPair
        Sorted by ``total`` (``a_as_b + b_as_a``), largest first; ties keep
        the order of the labels.

    Examples
    --------
    >>> cm = [[5, 1, 0], [3, 6, 0], [0, 2, 9]]
    >>> most_confused_pairs(cm, top=1)
    [ConfusedPair(a=0, b=1, a_as_b=1, b_as_a=3)]
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square, got shape {matrix.shape}")
    size = len(matrix)
    labels = list(range(size)) if labels is None else list(labels)
    if len(labels) != size:
        raise ValueError(f"labels has {len(labels)} entries for a {size}x{size} matrix")
    pairs = [
        ConfusedPair(labels[i], labels[j], int(matrix[i, j]), int(matrix[j, i]))
        for i in range(size)
        for j in range(i + 1, size)
    ]
    pairs.sort(key=lambda pair: pair.total, reverse=True)
    return pairs[: max(int(top), 0)]
