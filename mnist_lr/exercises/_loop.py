"""The check for notebook 02's training loop, the class ``MySoftmaxRegression``.

The learner's class is trained on a toy problem and its run compared with a
reference loop; the reference loop can switch on each usual mistake, so that
a run which matches one of those names the mistake.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import _solutions
from ._common import _array, _call, _check, _close, _hint, _not_done, _solution, _Verdict, _wrong

#: Small enough to train in milliseconds, with early stopping acting before max_epochs.
_LOOP_SETTINGS = {"learning_rate": 0.5, "max_epochs": 40, "batch_size": 10, "patience": 3,
                  "seed": 0}


def _toy_digits(seed=7):
    """Three overlapping clouds of points in 4 dimensions: training and validation sets."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=1.2, size=(3, 4))
    y = rng.integers(0, 3, size=90)
    y_val = rng.integers(0, 3, size=40)
    X = centres[y] + rng.normal(size=(90, 4))
    X_val = centres[y_val] + rng.normal(size=(40, 4))
    return X, y, X_val, y_val


def _measure(X, y, W, b):
    """Mean cross-entropy and accuracy on (X, y), as ``MySoftmaxRegression.measure``."""
    log_p = _solutions.log_softmax(X @ W + b)
    return -log_p[np.arange(len(y)), y].mean(), np.mean(log_p.argmax(axis=1) == y)


def _reference_pass(X, T, W, b, order, batch_size, step, mistake):
    """One pass of mini-batch steps over the rows in ``order``; changes W and b in place."""
    for start in range(0, len(order), batch_size):
        rows = order[start:start + batch_size]
        P = np.exp(_solutions.log_softmax(X[rows] @ W + b))
        error = P - T[rows]
        if mistake != "sum":
            error /= len(rows)
        W -= step * (X[rows].T @ error)
        if mistake != "no bias step":
            b -= step * error.sum(axis=0)


def _reference_loop(X, y, X_val, y_val, mistake=None, learning_rate=0.5, max_epochs=40,
                    batch_size=10, patience=3, seed=0):
    """The training loop of ``MySoftmaxRegression``, with one usual mistake switched on.

    Returns what a learner's model holds after ``fit``: history, best_epoch, W and b.
    """
    n_samples, n_classes = len(X), y.max() + 1
    T = np.eye(n_classes)[y]
    W, b = np.zeros((X.shape[1], n_classes)), np.zeros(n_classes)
    rng = np.random.default_rng(seed)
    history = {"loss": [], "train_accuracy": [], "val_loss": [], "val_accuracy": []}
    best_accuracy, epochs_since_best = -1.0, 0
    same_order = rng.permutation(n_samples) if mistake == "same order" else None
    step = -learning_rate if mistake == "uphill" else learning_rate
    for epoch in range(1, max_epochs + 1):
        if mistake == "no shuffle":
            order = np.arange(n_samples)
        elif mistake == "same order":
            order = same_order
        else:
            order = rng.permutation(n_samples)
        _reference_pass(X, T, W, b, order, batch_size, step, mistake)
        for name, value in zip(history, _measure(X, y, W, b) + _measure(X_val, y_val, W, b)):
            history[name].append(value)
        accuracy = history["val_accuracy"][-1]
        improved = accuracy >= best_accuracy if mistake == "tie" else accuracy > best_accuracy
        if improved:
            best_accuracy, epochs_since_best = accuracy, 0
            best = W.copy(), b.copy(), epoch
        else:
            epochs_since_best += 1
        limit = {"late": patience + 1, "early": patience - 1}.get(mistake, patience)
        if mistake != "never stops" and epochs_since_best >= limit:
            break
    if mistake == "last weights":
        best = W, b, best[2]
    if mistake == "best epoch from 0":
        best = best[0], best[1], best[2] - 1
    return {"history": {name: np.array(values) for name, values in history.items()},
            "best_epoch": best[2], "W": best[0], "b": best[1]}


#: The usual mistakes of the loop, most specific first, each with its diagnosis.
_LOOP_MISTAKES = {
    "uphill": "Your loop steps uphill: the training loss grows. Step against the gradient: "
              "W -= learning_rate * gradient.",
    "no shuffle": "Your loop does not shuffle: every epoch visits the rows in the same order "
                  "0, 1, 2, ... Draw order = rng.permutation(n_samples) at the start of "
                  "every epoch.",
    "same order": "Your loop shuffles once and then reuses that order every epoch: draw a "
                  "fresh rng.permutation(n_samples) inside the epoch loop.",
    "sum": "Your step uses the sum of P - T over the batch, not its mean: the steps are "
           "batch_size times too big. Divide by len(rows).",
    "no bias step": "Your loop never updates the bias b: step b too, by the mean of P - T.",
    "last weights": "Your model ends with the weights of the last epoch, not the best one: keep "
                    "copies (self.W.copy(), self.b.copy()) when validation accuracy improves, "
                    "and restore them after the loop.",
    "tie": "Your loop counts a tie with the best validation accuracy as an improvement: only "
           "a strictly higher accuracy (>) is a new best.",
    "late": "Your loop's patience is off by one: it stops one epoch late. Stop as soon as "
            "epochs_since_best >= patience.",
    "early": "Your loop's patience is off by one: it stops one epoch early. Stop when "
             "epochs_since_best >= patience.",
    "never stops": "Your loop never stops early: it runs all max_epochs. Break out of the "
                   "epoch loop once epochs_since_best >= patience.",
}


def _same_run(model, run):
    """Does the learner's fitted model hold exactly the given run's history and weights?"""
    history = run["history"]
    if set(model["history"]) != set(history):
        return False
    return (all(_close(model["history"][key], history[key]) for key in history)
            and _close(model["W"], run["W"]) and _close(model["b"], run["b"]))


def _fitted(model):
    """Read history, best_epoch, W and b off the learner's fitted model."""
    missing = [name for name in ("history", "best_epoch", "W", "b") if not hasattr(model, name)]
    if missing:
        raise _wrong(f"After fit, your model has no {', '.join(missing)}: keep the names of "
                     "the class in the notebook.")
    if not isinstance(model.history, dict):
        raise _wrong("Your model's history should be a dict of lists, as in the notebook.")
    try:
        history = {key: np.asarray(value, dtype=float) for key, value in model.history.items()}
    except (TypeError, ValueError):
        raise _wrong("Your model's history should hold one number per epoch "
                     "in each list.") from None
    return {"history": history, "best_epoch": model.best_epoch,
            "W": _array(model.W, "model", "W"), "b": _array(model.b, "model", "b")}


def _has_placeholder(cls):
    """Is a `...` placeholder still written in the class's fit?"""
    code = getattr(getattr(cls, "fit", None), "__code__", None)
    return code is not None and any(const is Ellipsis for const in code.co_consts)


@_check(kind="class")
def check_training_loop(cls):
    """Check a class like notebook 02's ``MySoftmaxRegression`` by training it on a toy problem.

    The class is made as ``cls(learning_rate=..., max_epochs=..., batch_size=...,
    patience=..., seed=...)`` and trained with ``fit(X, y, X_val, y_val)`` on
    three overlapping clouds of points; its history, best epoch and weights
    are compared with the reference loop's, to floating-point rounding.
    Mistakes it recognises: a `...` placeholder left in; steps uphill
    (``+=``); no shuffling (same order 0, 1, 2, ... every epoch); one
    shuffle reused every epoch; the batch's summed gradient instead of its
    mean; the bias never updated; the best weights not restored (or not
    copied, so they change with W); a tie counted as an improvement;
    patience off by one (one epoch late, or early); never stops early; the
    best epoch counted from 0; ``fit`` changing X or y in place; ``fit``
    not returning ``self``.
    """
    X, y, X_val, y_val = _toy_digits()
    try:
        model = _call(functools.partial(cls, **_LOOP_SETTINGS), cls.__name__)
        returned = _call(model.fit, "fit", allow_none=True, X=X, y=y, X_val=X_val, y_val=y_val)
        result = _fitted(model)
    except _Verdict:
        if _has_placeholder(cls):
            raise _not_done(f"a `...` placeholder is still in {cls.__name__}.fit.") from None
        raise
    reference = _reference_loop(X, y, X_val, y_val, **_LOOP_SETTINGS)
    if not _same_run(result, reference):
        if _has_placeholder(cls):
            raise _not_done(f"a `...` placeholder is still in {cls.__name__}.fit.")
        for mistake, message in _LOOP_MISTAKES.items():
            if _same_run(result, _reference_loop(X, y, X_val, y_val, mistake, **_LOOP_SETTINGS)):
                raise _wrong(message)
        raise _wrong(_first_difference(result, reference))
    if result["best_epoch"] != reference["best_epoch"]:
        if result["best_epoch"] == reference["best_epoch"] - 1:
            raise _wrong(f"Your best_epoch is {result['best_epoch']}, counted from 0; "
                         f"epochs count from 1, so it is {reference['best_epoch']}.")
        raise _wrong(f"Your best_epoch is {result['best_epoch']}; the weights you kept are "
                     f"those of epoch {reference['best_epoch']}.")
    if returned is not model:
        raise _wrong("Your fit trains correctly but does not end with `return self`.")
    epochs = len(reference["history"]["loss"])
    return (f"your loop trains like the reference: the same {epochs} epochs, the same "
            f"history, and it keeps the weights of epoch {reference['best_epoch']}.")


def _first_difference(result, reference):
    """One line saying where the learner's run first leaves the reference run."""
    mine, theirs = result["history"], reference["history"]
    for key in theirs:
        if key not in mine:
            return f"Your model's history has no {key!r} list."
    lengths = {len(values) for values in mine.values()}
    if len(lengths) != 1:
        return "The lists in your model's history have different lengths: append once per epoch."
    if lengths != {len(theirs["loss"])}:
        return (f"Your history records {lengths.pop()} epochs; the reference runs "
                f"{len(theirs['loss'])} before patience runs out.")
    for epoch in range(len(theirs["loss"])):
        for key in theirs:
            if not _close(mine[key][epoch], theirs[key][epoch]):
                return (f"Your run leaves the reference in epoch {epoch + 1}: {key} is "
                        f"{mine[key][epoch]:.4f}, expected {theirs[key][epoch]:.4f}.")
    return "Your history matches, but the weights you keep are not those of the best epoch."


hint_training_loop = _hint("training_loop",
                           "Per epoch: order = rng.permutation(n_samples); per batch: "
                           "W -= learning_rate * (X[rows].T @ error) and the same for b with "
                           "error.sum(axis=0); a new best is a strictly higher validation "
                           "accuracy (keep W.copy()); stop when epochs_since_best >= patience.")
solution_training_loop = _solution("training_loop", _solutions.MySoftmaxRegression)

