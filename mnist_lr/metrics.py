"""A confusion matrix written from scratch, and which classes it mixes up most."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.utils.multiclass import type_of_target

from ._checks import check_int, check_label_kinds, check_same_length

__all__ = ["confusion_matrix", "most_confused_pairs", "ConfusedPair"]


def confusion_matrix(y_true, y_pred, labels=None):
    """Count how often each true class was predicted as each class.

    Entry ``[i, j]`` is the number of samples whose true label is
    ``labels[i]`` and whose prediction is ``labels[j]``; the diagonal holds
    the correct predictions. The article computes it as a product of two
    one-hot matrices: ``T.T @ P`` counts, for every pair (i, j), the rows
    where the truth is i and the prediction is j. This function counts the
    same pairs directly, which takes linear rather than cubic time when there
    are many classes.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Class labels: integers (or whole-number floats) or strings, the same
        kind in both.
    labels : array-like, optional
        The classes and their order. Defaults to every label that appears in
        either array, sorted. Samples whose truth or prediction is not in
        ``labels`` are left out, as in scikit-learn.

    Returns
    -------
    numpy.ndarray of int64, shape (n_labels, n_labels)

    Raises
    ------
    ValueError
        If an input is not 1-D, the two have different lengths, they hold
        different kinds of labels (numbers against strings), or a label is
        NaN, infinite or continuous (a float with a fractional part, such as
        a probability).

    Examples
    --------
    >>> confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2])
    array([[1, 0, 0],
           [0, 1, 1],
           [0, 0, 1]])
    """
    y_true = _check_target(y_true, "y_true")
    y_pred = _check_target(y_pred, "y_pred")
    check_same_length(y_true, y_pred, "y_true", "y_pred", what=("labels", "labels"))
    _check_same_kind(y_true, "y_true", y_pred, "y_pred")
    if labels is None:
        labels = np.union1d(y_true, y_pred)
        if labels.size == 0:
            raise ValueError(
                "y_true and y_pred are empty, so there are no classes to count; "
                "pass labels= to get an all-zero matrix"
            )
    else:
        check_label_kinds(labels, "labels")
        labels = np.asarray(labels)
        if labels.ndim != 1 or labels.size == 0:
            raise ValueError("labels must be a non-empty 1-D list of classes")
        _check_label_values(labels, "labels")
        if np.unique(labels).size != labels.size:
            raise ValueError("labels must not repeat a class")
        _check_same_kind(labels, "labels", y_true, "y_true")
    # Number every sample's truth and prediction by the position of its label
    # in `labels` (-1: not in `labels`, and left out of the count, as
    # scikit-learn does). Then add 1 at [truth, prediction] for every sample:
    # the same counts as the one-hot product T.T @ P, without building T and P.
    true_codes = _positions(labels, y_true)
    pred_codes = _positions(labels, y_pred)
    counted = (true_codes >= 0) & (pred_codes >= 0)
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    np.add.at(matrix, (true_codes[counted], pred_codes[counted]), 1)
    return matrix


def _positions(labels, values):
    """Index of each of ``values`` in ``labels``, or -1 where it is not there."""
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    where = np.searchsorted(sorted_labels, values).clip(max=len(labels) - 1)
    found = sorted_labels[where] == values
    return np.where(found, order[where], -1)


def _check_target(y, name):
    """``y`` as a 1-D array of class labels, or a ValueError that says what is wrong.

    The checks follow scikit-learn's for classification targets: one
    dimension, one kind of label, finite values, no continuous values. They
    take linear time, so a wrong input fails at once.
    """
    check_label_kinds(y, name)
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one label per sample), got shape {y.shape}")
    _check_label_values(y, name)
    # For a 1-D array of numbers or strings, scikit-learn's answer is "binary",
    # "multiclass" (both fine here) or "continuous".
    with np.errstate(invalid="ignore"):  # huge floats overflow its test for whole numbers
        kind = type_of_target(y, input_name=name)
    if kind == "continuous":
        fractional = y[y != np.round(y)]
        example = f" such as {float(fractional[0])!r}" if fractional.size else ""
        raise ValueError(
            f"{name} holds continuous values{example}, not class labels; "
            "pass predicted classes (model.predict), not probabilities or scores"
        )
    return y


def _check_label_values(y, name):
    """Labels must be numbers or strings (not bytes, not other objects), and finite."""
    if y.dtype.kind == "S":
        raise ValueError(f"{name} holds bytes; decode them to str first")
    if y.dtype.kind == "O":
        odd = [value for value in y.flat if not isinstance(value, str)]
        if odd:
            raise ValueError(
                f"{name} holds Python objects that are not all strings (one is {odd[0]!r}); "
                "use one kind of label: all integers or all strings"
            )
    elif y.dtype.kind not in "biufU":
        raise ValueError(f"{name} holds {y.dtype} values; labels must be integers or strings")
    if y.dtype.kind == "f" and not np.isfinite(y).all():
        raise ValueError(f"{name} contains NaN or infinity; every sample needs a class label")


def _label_kind(y):
    """"numbers" or "strings": the two kinds of labels that can be compared."""
    return "strings" if y.dtype.kind in "UO" else "numbers"


def _check_same_kind(a, name_a, b, name_b):
    if _label_kind(a) != _label_kind(b):
        raise ValueError(
            f"{name_a} holds {_label_kind(a)} ({a.dtype}) but {name_b} holds "
            f"{_label_kind(b)} ({b.dtype}), so no label of one can equal a label of the "
            "other; convert one of them, e.g. with .astype(int) or .astype(str)"
        )


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
    top : int or None, default 5
        How many pairs to return, at least 1; ``None`` returns every pair.
        (``top=0`` is an error rather than an empty list: asking for no
        pairs is almost always a slip.)

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
    top = check_int(top, "top", minimum=1, allow_none=True)
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square, got shape {matrix.shape}")
    if matrix.dtype.kind not in "biuf":
        raise ValueError(f"matrix must hold numbers (counts), got dtype {matrix.dtype}")
    if not np.isfinite(matrix).all():
        raise ValueError("matrix contains NaN or infinity; it must hold counts")
    if (matrix < 0).any() or (matrix != np.round(matrix)).any():
        raise ValueError(
            "matrix must hold counts (whole numbers >= 0), as confusion_matrix returns; "
            "pass the raw counts, not a normalised matrix"
        )
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
    return pairs if top is None else pairs[:top]
