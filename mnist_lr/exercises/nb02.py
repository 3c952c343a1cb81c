"""Notebook 02, the model: the worked answers to its exercises, and the exercises' records.

The training loop's record is in ``_loop.py``, made from the worked class here.
"""

from __future__ import annotations

import numpy as np

from ._engine import Exercise, Line, Mistake, brief, close, read_array, read_number
from ._loop import training_loop


def one_hot(y, n_classes):
    """One row per label, with a single 1 in the label's column."""
    # Row i of the identity matrix has its 1 in
    # column i: pick row y[j] for every label.
    return np.eye(n_classes)[y]


def softmax(Z):
    """Row-wise probabilities for scores Z of shape (n, k)."""
    # Subtracting each row's maximum changes nothing
    # (it cancels) but keeps exp from overflowing.
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def cross_entropy_from_scores(Z, T):
    """Mean cross-entropy of scores Z (n, k)
    against one-hot targets T (n, k).
    """
    # log p = z - log(sum exp z), with the row
    # maximum taken out first (log-sum-exp).
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -(T * log_P).sum(axis=1).mean()


def gradient(X, T, W, b):
    """Gradient (dW, db) of the mean cross-entropy
    of softmax(X @ W + b) against T.
    """
    Z = X @ W + b
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    error = (P - T) / len(X)  # dL/dZ for the mean loss
    return X.T @ error, error.sum(axis=0)


def numerical_gradient(loss, W, h=1e-6):
    """Central-difference estimate of the gradient of loss(W):
    an array shaped like W.
    """
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
    """Softmax regression by mini-batch SGD with early stopping,
    in plain NumPy.
    """

    def __init__(
        self,
        learning_rate=0.24,
        max_epochs=1000,
        batch_size=100,
        patience=10,
        seed=0,
    ):
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
        self.history = {
            "loss": [],
            "train_accuracy": [],
            "val_loss": [],
            "val_accuracy": [],
        }
        best_accuracy, epochs_since_best = -1.0, 0
        for epoch in range(1, self.max_epochs + 1):
            order = rng.permutation(n_samples)  # a fresh shuffle every epoch
            for start in range(0, n_samples, self.batch_size):
                rows = order[start : start + self.batch_size]
                P = np.exp(log_softmax(X[rows] @ self.W + self.b))
                error = (P - T[rows]) / len(rows)  # dL/dZ for the mean loss
                self.W -= self.learning_rate * (X[rows].T @ error)
                self.b -= self.learning_rate * error.sum(axis=0)
            measured = self.measure(X, y) + self.measure(X_val, y_val)
            for name, value in zip(self.history, measured):
                self.history[name].append(value)
            improved = self.history["val_accuracy"][-1] > best_accuracy
            if improved:
                best_accuracy = self.history["val_accuracy"][-1]
                epochs_since_best = 0
                # copies: W changes in place
                best = self.W.copy(), self.b.copy(), epoch
            else:
                epochs_since_best += 1
            out_of_patience = (
                self.patience is not None and epochs_since_best >= self.patience
            )
            if out_of_patience:
                break
        self.W, self.b, self.best_epoch = best  # keep the best epoch's weights
        return self

    def measure(self, X, y):
        """Mean cross-entropy and accuracy on (X, y)."""
        log_p = log_softmax(X @ self.W + self.b)
        loss = -log_p[np.arange(len(y)), y].mean()
        return loss, np.mean(log_p.argmax(axis=1) == y)

    def predict(self, X):
        return (X @ self.W + self.b).argmax(axis=1)


# -- the records -------------------------------------------------------------------------

def _labels(rng, n_labels, n_classes):
    """Labels in a random order; the last class and one other never occur."""
    present = np.setdiff1d(np.arange(n_classes - 1), rng.choice(n_classes - 2, size=1))
    return rng.permutation(np.concatenate([present, rng.choice(present, n_labels - len(present))]))


def _one_hot_cases(rng):
    """Labels without the last class (and one other), then labels with every class."""
    every = rng.permutation(np.concatenate([np.arange(6), rng.integers(0, 6, size=4)]))
    return [{"y": _labels(rng, n, k), "n_classes": k} for n, k in ((4, 5), (7, 4), (30, 10))
            ] + [{"y": every, "n_classes": 6}]


def _with_columns(columns):
    return lambda y, n_classes: np.eye(columns(y, n_classes))[y]


def _scores(rng, n, k, shift=0.0, scale=2.0):
    return rng.normal(scale=scale, size=(n, k)) + shift


def _softmax_cases(rng):
    """Ordinary scores, a row near 1000 and a row near -1000 beside ordinary ones, and a row
    spread 1500 wide (its first entry not its largest), where only the row's maximum is a
    safe shift: its minimum, its first entry or its mean would overflow."""
    large = _scores(rng, 3, 4)
    large[0] += 1000
    small = _scores(rng, 4, 5)
    small[1] -= 1000
    wide = _scores(rng, 3, 4)
    wide[2, rng.integers(1, 4)] += 1500
    return [{"Z": _scores(rng, 2, 3)}, {"Z": large}, {"Z": small}, {"Z": _scores(rng, 6, 2)},
            {"Z": wide}]


def _no_keepdims(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1)


def _normalised(E, axis):
    return E / E.sum(axis=axis, keepdims=True)


def _confident(rng):
    """Scores with a confident mistake: 800 for a class that is not the true one."""
    Z = _scores(rng, 3, 4)
    Z[0, 0] = 800.0
    return {"Z": Z, "T": np.eye(4)[[1, *rng.integers(0, 4, size=2)]]}


def _cross_entropy_cases(rng):
    cases = []
    for n, k in ((3, 3), (5, 4), (20, 10)):  # 3 rows: a division by n - 1 is no sum
        cases.append({"Z": _scores(rng, n, k), "T": np.eye(k)[rng.integers(0, k, size=n)]})
    return cases + [_confident(rng)]


def _log_loss(P, T):
    return -(T * np.log(P)).sum(axis=1).mean()


def _eps_mistake(eps):
    return Mistake(lambda Z, T: _log_loss(softmax(Z) + eps, T),
                   f"Your loss is capped: an eps of {eps:g} inside the log (or a clip) charges "
                   f"a confident mistake at most -log(eps) = {-np.log(eps):.1f}, whatever its "
                   "score. Use log-sum-exp instead.")


def _loss(raw, arguments):
    """The loss as one number; a table or one loss per row named as such."""
    shape = np.shape(raw)
    if shape == arguments["Z"].shape:
        raise Line("returns a table of losses (one per entry); sum over the classes and "
                   "average over the rows to get a single number")
    if shape == (len(arguments["Z"]),):
        raise Line("returns one loss per row; return their mean, a single number")
    return read_number(raw)


CROSS_ENTROPY_MISTAKES = (
    Mistake(lambda Z, T: -(T * log_softmax(Z)).sum(axis=1),
            "Your cross-entropy returns one loss per row; return their mean, a single number."),
    Mistake(lambda Z, T: -(T * log_softmax(Z)),
            "Your cross-entropy returns a table of losses, one per entry; sum over the "
            "classes, then average over the rows."),
    Mistake(lambda Z, T: -cross_entropy_from_scores(Z, T),
            "Your cross-entropy has the wrong sign: it is minus the mean log-probability of the "
            "true class, a positive number."),
    Mistake(lambda Z, T: len(Z) * cross_entropy_from_scores(Z, T),
            "Your cross-entropy adds up the losses of the rows instead of averaging them: use "
            ".mean() over the rows."),
    Mistake(lambda Z, T: cross_entropy_from_scores(Z, T) / Z.shape[1],
            "Your cross-entropy averages over all n × k entries (1/k of the usual loss): sum "
            "over the classes, then average over the rows."),
    Mistake(lambda Z, T: _log_loss(Z, T),
            "Your cross-entropy takes the log of the scores as if they were probabilities: the "
            "scores must go through softmax (or log-softmax) first."),
    Mistake(lambda Z, T: _log_loss(softmax(softmax(Z)), T),
            "Your cross-entropy applies softmax twice: Z are scores, so softmax once."),
    Mistake(lambda Z, T: _log_loss(_normalised(np.exp(Z), 1), T),
            "Your cross-entropy is nan for a score of 800: exp overflows (inf / inf), or a "
            "probability underflows to 0 and 0 * log(0) is nan. Subtract each row's maximum "
            "and compute log-probabilities directly, z - log(sum(exp(z)))."),
    Mistake(lambda Z, T: -np.log((softmax(Z) * T).sum(axis=1)).mean(),
            "Your cross-entropy is inf for a confident mistake: the probability underflows to "
            "0 and log(0) = -inf. Compute log-probabilities directly (log-sum-exp)."),
    *(_eps_mistake(eps) for eps in (1e-7, 1e-8, 1e-9, 1e-10, 1e-12, 1e-15, 1e-300)),
)


def _gradient_problem(rng, n, d, k, **extra):
    """X (n, d), one-hot T (n, k), W (d, k), b (k,): the sizes all differ."""
    return {"X": rng.normal(size=(n, d)), "T": np.eye(k)[rng.integers(0, k, size=n)],
            "W": rng.normal(scale=0.5, size=(d, k)), "b": rng.normal(scale=0.5, size=k),
            **extra}


def read_gradient(raw, arguments):
    """The pair (dW, db) as arrays of the shapes of W and b, or a Line naming what came back."""
    if isinstance(raw, np.ndarray) or not isinstance(raw, (tuple, list)):
        raise Line(f"returns {brief(raw)}; return a pair: dW, db")
    if len(raw) != 2:
        raise Line(f"returns {len(raw)} values; return a pair: dW, db")
    if any(part is None for part in raw):
        raise Line("returns None for dW or db", mark="…")
    dW, db = (read_array(part) for part in raw)
    W, b = arguments["W"], arguments["b"]
    if dW.shape == W.T.shape:
        raise Line(f"returns dW of shape {dW.shape}, but W is {W.shape}: dW is transposed; "
                   "X.T @ (P - T) has the shape of W")
    if db.shape == (len(arguments["X"]),):
        raise Line(f"returns db of shape {db.shape}, one value per row; it needs one per class, "
                   f"shape {b.shape}: sum over axis=0")
    if dW.shape != W.shape or db.shape != b.shape:
        raise Line(f"returns dW of shape {dW.shape} and db of shape {db.shape}; expected "
                   f"{W.shape} and {b.shape}, the shapes of W and b")
    return dW, db


def same_gradient(mine, expected):
    """dW and db equal up to rounding (float32 included) on the scale of the larger of them."""
    scale = max(float(np.nanmax(np.abs(part), initial=0.0)) for part in expected)
    return all(close(a, b, scale=scale) for a, b in zip(mine, expected))


def show_gradient(pair):
    return f"dW[0] = {np.round(pair[0][0], 4).tolist()}, db = {np.round(pair[1], 4).tolist()}"


def _gradient_with(scores=None, scale=1.0, db_scale=1.0):
    """The gradient with one piece changed: how the usual mistakes compute it."""

    def mistaken(X, T, W, b):
        Z = X @ W + b if scores is None else scores(X, W, b)
        error = (softmax(Z) - T) / len(X)
        return scale * (X.T @ error), db_scale * scale * error.sum(axis=0)

    return mistaken


GRADIENT_MISTAKES = (
    Mistake(_gradient_with(scale=-1.0),
            "Your gradient has the wrong sign: it is T - P where it should be P - T, so a step "
            "against it goes uphill."),
    Mistake(lambda X, T, W, b: tuple(len(X) * part for part in gradient(X, T, W, b)),
            "Your dW and db are n times too big: divide by n = len(X), since the loss is a "
            "mean over the rows."),
    Mistake(lambda X, T, W, b: (X.T @ (X @ W + b - T) / len(X), (X @ W + b - T).mean(axis=0)),
            "Your gradient uses the scores Z = X @ W + b where the probabilities P = softmax(Z) "
            "belong: it is X.T @ (P - T) / n."),
    Mistake(_gradient_with(scores=lambda X, W, b: X @ W),
            "Your gradient leaves the bias out of the scores: P = softmax(X @ W + b), with b."),
    Mistake(lambda X, T, W, b: (len(X) * gradient(X, T, W, b)[0], gradient(X, T, W, b)[1]),
            "Your dW is n times too big: divide X.T @ (P - T) by n = len(X)."),
    Mistake(_gradient_with(db_scale=0.0),
            "Your db is all zeros: the bias gradient is the mean of P - T over the rows."),
    Mistake(lambda X, T, W, b: (gradient(X, T, W, b)[0], len(X) * gradient(X, T, W, b)[1]),
            "Your db is the sum of P - T over the rows: divide it by n as well (its mean over "
            "the rows), like dW."),
    Mistake(lambda X, T, W, b: (gradient(X, T, W, b)[0], -gradient(X, T, W, b)[1]),
            "Your db has the wrong sign (T - P instead of P - T)."),
    Mistake(lambda X, T, W, b: (-gradient(X, T, W, b)[0], gradient(X, T, W, b)[1]),
            "Your dW has the wrong sign (T - P instead of P - T)."),
)


def _quadratic(rng, shape, h):
    """A loss of W whose entries interact, at a random W, with a cubic term.

    Each usual mistake is off by an amount of its own; the coupling term makes an
    entry left nudged spoil the next ones, and the cubic term makes a central
    difference off by h² per entry, so that an answer using an h of its own differs.
    """
    A, B, W = rng.normal(size=shape), rng.normal(size=shape), rng.normal(size=shape)
    C, D = rng.uniform(0.5, 2.0, size=shape), rng.uniform(0.5, 2.0, size=shape)

    def loss(V):
        V = np.asarray(V, dtype=float)
        if V.shape != shape:
            raise ValueError(f"loss expects an array of shape {shape}, got {V.shape}")
        return float((A * V).sum() + (C * V**2).sum() + 0.5 * (B * V).sum() ** 2
                     + (D * V**3).sum())

    return {"loss": loss, "W": W, "h": h}


def _run_numerical(function, arguments):
    """Call with a W of the learner's own, and tell whether it was put back."""
    W = arguments["W"].copy()
    result = function(arguments["loss"], W, arguments["h"])
    return result, close(W, arguments["W"], rtol=1e-12, atol=1e-12)  # rounding is fine


def _read_numerical(raw, arguments):
    result, put_back = raw
    if result is None:
        raise Line("returns None; finish it and return the result", mark="…")
    if not put_back:
        raise Line("leaves W changed after it returns: put each entry back after nudging it "
                   "(keep its old value), or the next differences start from the wrong point")
    return read_array(result)


def _nudging(difference, put_back=True):
    """A numerical gradient that estimates each entry by ``difference(loss, W, index, h)``."""

    def mistaken(loss, W, h=1e-6):
        grad = np.zeros(W.shape)
        for index in np.ndindex(W.shape):
            old = W[index]
            grad[index] = difference(loss, W, index, h)
            if put_back:
                W[index] = old
        return grad

    return mistaken


def _at(loss, W, index, value):
    W[index] = value
    return loss(W)


def _central(loss, W, index, h):
    old = W[index]
    return _at(loss, W, index, old + h) - _at(loss, W, index, old - h)


def _forward(loss, W, index, h):
    old = W[index]
    return (_at(loss, W, index, old + h) - _at(loss, W, index, old)) / h


def _backward(loss, W, index, h):
    old = W[index]
    return (_at(loss, W, index, old) - _at(loss, W, index, old - h)) / h


def _all_at_once(loss, W, h=1e-6):
    return (loss(W + h) - loss(W - h)) / (2 * h)


NUMERICAL_GRADIENT_MISTAKES = (
    Mistake(_nudging(_forward), "Your numerical_gradient takes a one-sided difference, "
                                "(loss(W + h) - loss(W)) / h: use both sides, "
                                "(loss(W + h) - loss(W - h)) / (2h), which is far more accurate."),
    Mistake(_nudging(_backward), "Your numerical_gradient takes a one-sided difference, "
                                 "(loss(W) - loss(W - h)) / h: use both sides, "
                                 "(loss(W + h) - loss(W - h)) / (2h)."),
    Mistake(_nudging(lambda loss, W, i, h: -_central(loss, W, i, h) / (2 * h)),
            "Your numerical_gradient has the wrong sign: it is (loss(W + h) - loss(W - h)) / "
            "(2h), the nudge up first."),
    Mistake(_nudging(lambda loss, W, i, h: _central(loss, W, i, h) / h),
            "Your numerical_gradient is twice too big: the two nudged points are 2h apart, so "
            "divide by 2 * h, not h."),
    Mistake(_nudging(lambda loss, W, i, h: _central(loss, W, i, h) / 2 * h),
            "Your numerical_gradient divides by 2 and then multiplies by h: write / (2 * h), "
            "with the brackets."),
    Mistake(_nudging(_central),
            "Your numerical_gradient returns the change in the loss without dividing it by the "
            "distance between the points, 2 * h."),
    *(Mistake(wrong, "Your numerical_gradient nudges every entry of W at once, which gives one "
                     "slope for all of them together: nudge one entry at a time.")
      for wrong in (_all_at_once, lambda loss, W, h=1e-6: np.full(W.shape,
                                                                   _all_at_once(loss, W, h)))),
    Mistake(lambda loss, W, h=1e-6: numerical_gradient(loss, W, h).T,
            "Your numerical_gradient is transposed: entry [i, j] belongs to W[i, j]."),
)


EXERCISES = (
    Exercise(
        topic="one_hot", answer=one_hot, cases=_one_hot_cases,
        hint="Start from np.zeros((len(y), n_classes)) and set one entry per row: row i, column "
             "y[i]. Or pick rows of the identity matrix np.eye(n_classes).",
        praise="your one_hot puts a single 1 in each label's column, with n_classes columns "
               "even for classes that never occur.",
        mistakes=(
            Mistake(lambda y, n_classes: np.eye(n_classes)[y].T,
                    "Your one_hot is transposed: one row per class; it needs one row per "
                    "label, shape (len(y), n_classes)."),
            Mistake(_with_columns(lambda y, n_classes: y.max() + 1),
                    "Your one_hot has y.max() + 1 columns, not n_classes: a class above the "
                    "largest label still needs its column."),
            *(Mistake(wrong, "Your one_hot has one column per distinct label, not n_classes: a "
                             "class that never occurs in y still needs its column.")
              for wrong in (_with_columns(lambda y, n_classes: len(np.unique(y))),
                            lambda y, n_classes: np.eye(len(np.unique(y)))[
                                np.unique(y, return_inverse=True)[1]])),
            Mistake(_with_columns(lambda y, n_classes: len(y)),
                    "Your one_hot has one column per label (len(y)), not n_classes: the "
                    "columns are the classes."),
            Mistake(lambda y, n_classes: np.eye(n_classes)[y] * y[:, None],
                    "Your one_hot writes the label where the 1 belongs: every entry must be "
                    "0 or 1."),
        ),
    ),
    Exercise(
        topic="softmax", answer=softmax, cases=_softmax_cases,
        hint="Subtract each row's maximum, Z.max(axis=1, keepdims=True), before np.exp; then "
             "divide each row by its own sum, again with axis=1 and keepdims=True so the shapes "
             "line up.",
        praise="your softmax gives rows that sum to 1, and stays finite for scores of 1000 and "
               "of -1000.",
        mistakes=(
            Mistake(_no_keepdims, "Your softmax cannot divide an (n, k) array by row sums of "
                                  "shape (n,): sum with keepdims=True so that each row is "
                                  "divided by its own sum."),
            Mistake(lambda Z: _normalised(np.exp(Z - Z.max()), None),
                    "Your softmax normalises the whole array at once (all its entries sum to "
                    "1), as for a single row: take the max and the sum per row, with axis=1 "
                    "and keepdims=True."),
            Mistake(lambda Z: _normalised(np.exp(Z - Z.max(axis=0)), 0),
                    "Your softmax normalises over the wrong axis: its columns sum to 1, but "
                    "each row (one image's scores) should: use axis=1."),
            Mistake(lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)),
                    "Your softmax returns exponentials without normalising: divide each row by "
                    "its sum."),
            Mistake(lambda Z: _normalised(np.exp(Z), 1),
                    "Your softmax overflows on large scores (1000 gives nan): subtract each "
                    "row's maximum before exp; it cancels in the division."),
            Mistake(lambda Z: _normalised(np.exp(Z - Z.max()), 1),
                    "Your softmax subtracts the maximum of the whole array, not of each row: a "
                    "row of much lower scores then underflows to 0/0 = nan. Use "
                    "Z.max(axis=1, keepdims=True)."),
            Mistake(lambda Z: softmax(Z).T, "Your softmax is transposed: it needs the shape "
                                            "of Z, one row of probabilities per row of "
                                            "scores."),
        ),
    ),
    Exercise(
        topic="cross_entropy_from_scores", answer=cross_entropy_from_scores,
        name="cross-entropy", cases=_cross_entropy_cases, read=_loss,
        hint="log softmax(z) = z - log(sum(exp(z))). Subtract each row's maximum m first; then "
             "log(sum(exp(z - m))) is finite. The loss is -(T * log_P).sum(axis=1).mean().",
        praise="your cross-entropy is the mean over rows, and charges a confident mistake its "
               "full loss (about 800 for a score of 800), with no cap and no overflow.",
        mistakes=CROSS_ENTROPY_MISTAKES,
    ),
    Exercise(
        topic="gradient", answer=gradient, read=read_gradient, same=same_gradient,
        show=show_gradient,
        cases=lambda rng: [_gradient_problem(rng, *size) for size in ((3, 2, 4), (5, 4, 3),
                                                                      (12, 6, 10))],
        hint="Compute P = softmax(X @ W + b). The loss's gradient with respect to the scores is "
             "(P - T) / n; then dW = X.T @ that (the shape of W) and db = its sum over axis 0.",
        praise="your gradient is X.T @ (P - T) / n for W and the mean of P - T for b.",
        mistakes=GRADIENT_MISTAKES,
    ),
    Exercise(
        topic="numerical_gradient", answer=numerical_gradient, run=_run_numerical,
        read=_read_numerical,
        same=lambda mine, expected: close(mine, expected, atol=1e-6, scale_rtol=1e-7),
        cases=lambda rng: [_quadratic(rng, shape, h) for shape, h in (((3, 2), 0.01),
                                                                      ((2, 5), 0.001),
                                                                      ((1, 4), 0.003))],
        hint="Start from grad = np.zeros(W.shape) and loop over every index of W "
             "(np.ndindex(W.shape)). For each: keep old = W[index], set W[index] = old + h and "
             "old - h in turn, call loss(W) each time, put old back, and store "
             "(above - below) / (2 * h).",
        praise="your numerical_gradient takes a central difference, one entry at a time, puts "
               "each entry back, and works for W of any shape.",
        mistakes=NUMERICAL_GRADIENT_MISTAKES,
    ),
    training_loop(MySoftmaxRegression),
)
