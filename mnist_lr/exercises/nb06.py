"""Notebook 06, confusion: the worked answers to its exercises, and the exercises' records."""

from __future__ import annotations

import numpy as np

from ._engine import Exercise, Line, Mistake, brief, read_array


def confusion_matrix(y_true, y_pred, n_classes):
    """Counts: row = true digit, column = predicted digit."""
    m = np.zeros((n_classes, n_classes), dtype=int)
    # np.add.at adds once per sample, even when a (true, predicted) pair
    # repeats; m[y_true, y_pred] += 1 would add only once per distinct pair.
    np.add.at(m, (y_true, y_pred), 1)
    return m


def most_confused_pair(m):
    """The pair (a, b), a < b, with the most mistakes
    m[a, b] + m[b, a] in both directions.
    """
    both_ways = m + m.T
    np.fill_diagonal(both_ways, 0)  # right answers are not confusions
    a, b = np.unravel_index(np.argmax(both_ways), both_ways.shape)
    return (int(min(a, b)), int(max(a, b)))


def _labels(rng, n_samples, n_classes):
    """Labels and predictions: the last class and one other never occur, pairs repeat."""
    absent = rng.choice(n_classes - 2, size=1)
    present = np.setdiff1d(np.arange(n_classes - 1), absent)
    y_true = rng.choice(present, size=n_samples)
    y_pred = np.where(rng.random(n_samples) < 0.6, y_true, rng.choice(present, size=n_samples))
    y_true[:3], y_pred[:3] = present[0], present[0]  # a pair three times
    y_true[3], y_pred[3] = present[0], present[1]  # a mistake in one direction only
    order = rng.permutation(n_samples)
    return {"y_true": y_true[order], "y_pred": y_pred[order], "n_classes": n_classes}


def _confusion_cases(rng):
    return [_labels(rng, n, k) for n, k in ((6, 4), (12, 5), (60, 10))]


def _counted_once(y_true, y_pred, n_classes):
    m = np.zeros((n_classes, n_classes), dtype=int)
    m[y_true, y_pred] += 1
    return m


def _sized_by(size):
    return lambda y_true, y_pred, n_classes: confusion_matrix(y_true, y_pred,
                                                              size(y_true, y_pred))


def _occurring(y_true, y_pred, n_classes):
    """A matrix over the labels that occur only, as sklearn's confusion_matrix without
    labels= gives."""
    labels = np.union1d(y_true, y_pred)
    return confusion_matrix(np.searchsorted(labels, y_true), np.searchsorted(labels, y_pred),
                            len(labels))


def _confusions(rng, size):
    """Counts with one pair most confused both ways (one of them the last digit), another
    largest one way, and a third with the largest product and minimum of its two ways."""
    m = rng.integers(0, 4, size=(size, size)) + np.diag(rng.integers(40, 60, size))
    a, c, d, e, f = rng.choice(size - 1, size=5, replace=False)
    b = size - 1  # a loop that stops at len(m) - 1 misses it
    m[a, b], m[b, a] = rng.permutation([14, 3])  # 17 both ways; its product 42, minimum 3
    m[c, d], m[d, c] = 15, 0  # the largest single entry, 15 both ways
    m[e, f], m[f, e] = 8, 8  # 16 both ways, but the largest product (64) and minimum (8)
    return {"m": m}


def _pair(raw, arguments):
    values = read_array(raw)
    if values.size == 1:
        raise Line(f"returns one number ({values.ravel()[0]:g}), a flat index perhaps: return "
                   "the pair (a, b); np.unravel_index converts a flat index")
    if values.shape != (2,) or not np.array_equal(values, np.round(values)):
        raise Line(f"returns {brief(raw)}; expected a pair of digits (a, b)")
    return np.sort(values)


def _diagonal_kept(m):
    a, b = np.unravel_index(np.argmax(m + m.T), m.shape)
    return int(a), int(b)


def _one_way(m):
    off = m - np.diag(np.diag(m))
    return np.unravel_index(np.argmax(off), m.shape)


def _flat(m):
    both_ways = m + m.T
    np.fill_diagonal(both_ways, 0)
    return int(np.argmax(both_ways))


EXERCISES = (
    Exercise(
        topic="confusion_matrix", answer=confusion_matrix, cases=_confusion_cases,
        hint="Start from np.zeros((n_classes, n_classes), dtype=int) and add 1 at "
             "[y_true[i], y_pred[i]] for every sample i: a loop, or np.add.at (plain "
             "fancy-index += 1 counts a repeated pair only once).",
        praise="your confusion matrix counts every sample, truth in the rows and predictions "
               "in the columns, with a row and column for every class.",
        mistakes=(
            Mistake(lambda t, p, n: confusion_matrix(t, p, n).T,
                    "Your matrix has rows and columns swapped: row i must be the true class i, "
                    "column j the prediction j (m[true, predicted])."),
            Mistake(_sized_by(lambda t, p: max(t.max(), p.max()) + 1),
                    "Your matrix is sized by the largest label that occurs; make it "
                    "n_classes × n_classes, so that a class that never occurs still has its "
                    "row and column."),
            Mistake(_occurring,
                    "Your matrix is sized by the number of labels that occur; make it "
                    "n_classes × n_classes, so that a class that never occurs still has its "
                    "row and column."),
            Mistake(_counted_once,
                    "Your matrix counts a repeated (true, predicted) pair only once: "
                    "m[y_true, y_pred] += 1 adds 1 once per distinct pair. Use "
                    "np.add.at(m, (y_true, y_pred), 1), or a loop."),
            Mistake(lambda t, p, n: _counted_once(t, p, n).T,
                    "Your matrix counts a repeated (true, predicted) pair only once, and has "
                    "rows and columns swapped: use np.add.at(m, (y_true, y_pred), 1)."),
            Mistake(lambda t, p, n: (lambda m: m / m.sum(axis=1, keepdims=True))(
                        confusion_matrix(t, p, n)),
                    "Your matrix divides each row by its total (shares, nan for a class that "
                    "never occurs): return the counts themselves."),
        ),
    ),
    Exercise(
        topic="most_confused_pair", answer=most_confused_pair,
        cases=lambda rng: [_confusions(rng, size) for size in (6, 7, 10)],
        read=_pair, same=np.array_equal,
        hint="m + m.T adds the two directions; zero its diagonal (np.fill_diagonal); np.argmax "
             "gives a flat index and np.unravel_index turns it into (row, column).",
        praise="your most_confused_pair adds both directions and leaves out the diagonal.",
        mistakes=(
            Mistake(_diagonal_kept,
                    "Your most_confused_pair returns a diagonal entry (a, a): right answers "
                    "are not confusions; set the diagonal to 0 first."),
            Mistake(_one_way,
                    "Your most_confused_pair looks at one direction only (the largest single "
                    "m[a, b]): add the two directions, m[a, b] + m[b, a]."),
            Mistake(_flat, "Your most_confused_pair returns a flat index (np.argmax of the "
                           "whole matrix): np.unravel_index turns it into the pair (a, b)."),
        ),
    ),
)
