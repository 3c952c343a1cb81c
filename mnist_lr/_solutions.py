"""Worked answers to the coding exercises of the notebooks.

Each function has the name and signature of its exercise, so that
``exercises.solution_softmax()`` can print this file's ``softmax`` as it
stands. The checks in :mod:`mnist_lr.exercises` use them as the reference.
Try the exercise before you read on.
"""

from __future__ import annotations

import numpy as np

# -- notebook 02: the model ---------------------------------------------------


def one_hot(y, n_classes):
    """One row per label, with a single 1 in the label's column."""
    # Row i of the identity matrix has its 1 in column i: pick row y[j] for every label.
    return np.eye(n_classes)[y]


def softmax(Z):
    """Row-wise probabilities for scores Z of shape (n, k)."""
    # Subtracting each row's maximum changes nothing (it cancels) but keeps exp from overflowing.
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def cross_entropy_from_scores(Z, T):
    """Mean cross-entropy of scores Z (n, k) against one-hot targets T (n, k)."""
    # log p = z - log(sum exp z), with the row maximum taken out first (log-sum-exp).
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -(T * log_P).sum(axis=1).mean()


def gradient(X, T, W, b):
    """Gradient (dW, db) of the mean cross-entropy of softmax(X @ W + b) against T."""
    Z = X @ W + b
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    error = (P - T) / len(X)  # dL/dZ for the mean loss
    return X.T @ error, error.sum(axis=0)


def numerical_gradient(loss, W, h=1e-6):
    """Central-difference estimate of the gradient of loss(W): an array shaped like W."""
    grad = np.zeros(W.shape)
    for index in np.ndindex(W.shape):  # every (i, j) of W, whatever its shape
        old = W[index]
        W[index] = old + h
        above = loss(W)
        W[index] = old - h
        below = loss(W)
        W[index] = old  # put the entry back before nudging the next one
        grad[index] = (above - below) / (2 * h)  # the two points are 2h apart
    return grad


def log_softmax(Z):
    """log of softmax(Z), row by row, without ever computing a tiny probability."""
    shifted = Z - Z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


class MySoftmaxRegression:
    """Softmax regression by mini-batch SGD with early stopping, in plain NumPy."""

    def __init__(self, learning_rate=0.24, max_epochs=1000, batch_size=100, patience=10, seed=0):
        self.learning_rate, self.max_epochs = learning_rate, max_epochs
        self.batch_size, self.patience, self.seed = batch_size, patience, seed

    def fit(self, X, y, X_val=None, y_val=None):
        if X_val is None:  # no validation data: validate on the training data
            X_val, y_val = X, y
        n_samples, n_classes = len(X), y.max() + 1
        T = np.eye(n_classes)[y]  # one-hot targets
        self.W = np.zeros((X.shape[1], n_classes))
        self.b = np.zeros(n_classes)
        rng = np.random.default_rng(self.seed)
        self.history = {"loss": [], "train_accuracy": [], "val_loss": [], "val_accuracy": []}
        best_accuracy, epochs_since_best = -1.0, 0
        for epoch in range(1, self.max_epochs + 1):
            order = rng.permutation(n_samples)  # a fresh shuffle every epoch
            for start in range(0, n_samples, self.batch_size):
                rows = order[start:start + self.batch_size]
                P = np.exp(log_softmax(X[rows] @ self.W + self.b))
                error = (P - T[rows]) / len(rows)  # dL/dZ for the mean loss
                self.W -= self.learning_rate * (X[rows].T @ error)
                self.b -= self.learning_rate * error.sum(axis=0)
            for name, value in zip(self.history, self.measure(X, y) + self.measure(X_val, y_val)):
                self.history[name].append(value)
            improved = self.history["val_accuracy"][-1] > best_accuracy
            if improved:
                best_accuracy, epochs_since_best = self.history["val_accuracy"][-1], 0
                best = self.W.copy(), self.b.copy(), epoch  # copies: W changes in place
            else:
                epochs_since_best += 1
            out_of_patience = self.patience is not None and epochs_since_best >= self.patience
            if out_of_patience:
                break
        self.W, self.b, self.best_epoch = best  # keep the best epoch's weights
        return self

    def measure(self, X, y):
        """Mean cross-entropy and accuracy on (X, y)."""
        log_p = log_softmax(X @ self.W + self.b)
        return -log_p[np.arange(len(y)), y].mean(), np.mean(log_p.argmax(axis=1) == y)

    def predict(self, X):
        return (X @ self.W + self.b).argmax(axis=1)


# -- notebooks 01, 03, 04, 05, 08, 10: reading the results --------------------


def digit_shares(y):
    """The share of each digit 0..9 among the labels y: ten numbers that add up to 1."""
    # minlength=10 keeps a zero for a digit that never occurs.
    return np.bincount(y, minlength=10) / len(y)


def accuracy(y_true, y_pred):
    """The fraction of predictions that are right."""
    # ravel: a column (n, 1) compared with a row (n,) would broadcast into an n x n table.
    return np.mean(np.ravel(y_true) == np.ravel(y_pred))


def best_epoch(val_accuracy):
    """The epoch (counted from 1) with the highest validation accuracy, the first on ties."""
    return int(np.argmax(val_accuracy)) + 1  # argmax returns the first maximum


def early_stopping(val_accuracy, patience):
    """Replay early stopping on a recorded curve: (epoch it stops after, epoch it keeps)."""
    best, since_best = -1.0, 0
    for epoch, value in enumerate(val_accuracy, start=1):
        if value > best:  # only a strictly higher accuracy is a new best
            best, kept, since_best = value, epoch, 0
        else:
            since_best += 1
        if since_best >= patience:
            return epoch, kept
    return len(val_accuracy), kept  # patience never ran out


def ignored_pixels(X):
    """Indices of the pixels (columns of X) that are exactly 0 in every image (row)."""
    return np.flatnonzero((X == 0).all(axis=0))


def train_val_gap(train_accuracy, val_accuracy):
    """Final training minus final validation accuracy, in percentage points."""
    return 100 * (train_accuracy[-1] - val_accuracy[-1])


def per_digit_accuracy(y_true, y_pred):
    """For each digit 0..9, the fraction of its images (by true label) predicted right."""
    return np.array([np.mean(y_pred[y_true == digit] == digit) for digit in range(10)])


def mcnemar_test(y_true, pred_a, pred_b):
    """McNemar's exact test on the same images: (only_a, only_b, two-sided p-value)."""
    from math import comb

    right_a, right_b = pred_a == y_true, pred_b == y_true
    only_a = int(np.sum(right_a & ~right_b))  # images only model a gets right
    only_b = int(np.sum(right_b & ~right_a))
    n = only_a + only_b  # images where both are right, or both wrong, say nothing
    # Were the models equally good, each of the n disagreements would be a fair coin
    # toss: add up the chance of a split at least this lopsided, on either side.
    tail = sum(comb(n, i) for i in range(min(only_a, only_b) + 1)) / 2**n
    return only_a, only_b, min(1.0, 2 * tail)


# -- notebook 06: confusion ---------------------------------------------------


def confusion_matrix(y_true, y_pred, n_classes):
    """Counts: row = true digit, column = predicted digit."""
    m = np.zeros((n_classes, n_classes), dtype=int)
    # np.add.at adds once per sample, even when a (true, predicted) pair repeats;
    # m[y_true, y_pred] += 1 would add only once per distinct pair.
    np.add.at(m, (y_true, y_pred), 1)
    return m


def most_confused_pair(m):
    """The pair (a, b), a < b, with the most mistakes m[a, b] + m[b, a] in both directions."""
    both_ways = m + m.T
    np.fill_diagonal(both_ways, 0)  # right answers are not confusions
    a, b = np.unravel_index(np.argmax(both_ways), both_ways.shape)
    return (int(min(a, b)), int(max(a, b)))


# -- notebook 07: k-fold ------------------------------------------------------


def kfold_indices(n_samples, n_splits):
    """A list of (train_idx, val_idx) pairs; every sample is validated exactly once."""
    order = np.arange(n_samples)  # shuffle it first if the rows have an order
    blocks = np.array_split(order, n_splits)  # sizes differ by at most one
    return [(np.concatenate(blocks[:i] + blocks[i + 1:]), block) for i, block in enumerate(blocks)]


def fold_scores(make_model, X, y, folds):
    """Validation accuracy of each fold: a fresh model trained on the others, scored on it."""
    scores = []
    for train_idx, val_idx in folds:
        model = make_model()  # a fresh, untrained model for every fold
        model.fit(X[train_idx], y[train_idx])
        scores.append(model.score(X[val_idx], y[val_idx]))
    return np.array(scores)


# -- notebook 09: regularisation ----------------------------------------------


def l2_gradient(X, T, W, b, alpha):
    """Gradient (dW, db) of the mean cross-entropy plus alpha/2 * ||W||^2 (bias not penalised)."""
    Z = X @ W + b
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    error = (P - T) / len(X)
    # The derivative of alpha/2 * sum(W**2) is alpha * W; the bias has no penalty.
    return X.T @ error + alpha * W, error.sum(axis=0)
