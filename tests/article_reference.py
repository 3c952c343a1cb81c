"""The article's training loop, written plainly: the yardstick of the tests and the benchmark.

One copy, used twice: ``tests/test_model.py`` checks that
:class:`mnist_lr.SoftmaxRegression` trains exactly this algorithm, and
``benchmarks/run.py`` times it against the package. It is written the way the
article writes it: float64, one (785, n_classes) weight matrix whose row 0 is
the bias, and after every epoch three separate passes over the data (predict
on the training data, predict on the validation data, the cross-entropy with
``+ 1e-7`` inside the log).
"""

from __future__ import annotations

import numpy as np


def article_fit(X, y, X_val, y_val, *, learning_rate, max_epochs, batch_size, patience, seed,
                alpha=0.0):
    """Train like the article; return ``kept`` and ``curve``.

    ``X``, ``X_val`` are used as given (float64 for the article's arithmetic); ``y``, ``y_val``
    are labels 0..K-1; ``patience=None`` runs every epoch; ``seed`` seeds one permutation per
    epoch; ``alpha`` also subtracts ``learning_rate * alpha * W`` each step (not from the bias,
    row 0). ``kept``: (n_features + 1, K), the best validation epoch's weights, bias in row 0;
    ``curve``: one (loss, train_accuracy, val_accuracy) per epoch run.
    """
    rng = np.random.default_rng(seed)
    n, k = len(y), int(y.max()) + 1
    targets = np.eye(k)[y]
    w = np.zeros((X.shape[1] + 1, k))
    best, since, kept, curve = -1.0, 0, w.copy(), []
    for _ in range(max_epochs):
        s = rng.permutation(n)
        for i in range(0, n, batch_size):
            Xn = X[s[i : i + batch_size]]
            z = Xn @ w[1:] + w[0]
            h = np.exp(z - z.max(axis=1, keepdims=True))
            h /= h.sum(axis=1, keepdims=True)
            eee = (targets[s[i : i + batch_size]] - h) / len(Xn) * learning_rate
            if alpha:  # the L2 penalty's part of the step
                w[1:] -= learning_rate * alpha * w[1:]
            w[1:] += (eee.T @ Xn).T
            w[0] += eee.sum(axis=0)
        # The article's evaluation: three separate passes.
        train_accuracy = np.mean((X @ w[1:] + w[0]).argmax(axis=1) == y)
        val_accuracy = np.mean((X_val @ w[1:] + w[0]).argmax(axis=1) == y_val)
        z = X @ w[1:] + w[0]
        h = np.exp(z - z.max(axis=1, keepdims=True))
        h /= h.sum(axis=1, keepdims=True)
        loss = -(targets * np.log(h + 1e-7)).sum(axis=1).mean()
        curve.append((loss, train_accuracy, val_accuracy))
        if val_accuracy > best:
            best, since, kept = val_accuracy, 0, w.copy()
        else:
            since += 1
        if patience is not None and since >= patience:
            break
    return kept, curve
