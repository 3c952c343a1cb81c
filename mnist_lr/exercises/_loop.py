"""The record of notebook 02's training loop, the class ``MySoftmaxRegression``.

The learner's class is trained on small problems with a generator that keeps
every order it draws (``rng.permutation``, ``rng.choice``, ``rng.shuffle``);
the worked class is then trained on exactly those orders, so that any valid
way of drawing a fresh order passes; a loop that shuffles otherwise (an
argsort of rng.random, a Fisher–Yates loop) is replayed on the rows of X it
read, in turn. The usual mistakes are the worked loop with one piece
changed, replayed on the same orders.
"""

from __future__ import annotations

import dis
import itertools

import numpy as np

from ._engine import Exercise, Line, Mistake, brief, close, fmt


class _Recorder(np.random.Generator):
    """A generator that keeps a copy of every order it draws.

    NumPy's own methods call one another (``permutation`` shuffles a range):
    only the outermost call of a draw is kept.
    """

    def __index__(self):  # np.random.seed(self.seed), range(self.seed): the seed's number
        return self.__dict__["seed"]

    __int__ = __index__

    def __add__(self, other):  # default_rng(self.seed + epoch): a generator that records too
        child = _Recorder(np.random.PCG64(self.__dict__["seed"] + other))
        child.__dict__.update(seed=self.__dict__["seed"] + other,
                              draws=self.__dict__.setdefault("draws", []))
        return child

    __radd__ = __add__

    def permutation(self, x, axis=0):
        return self._keep(super().permutation, x, axis)

    def choice(self, *args, **kwargs):
        return self._keep(super().choice, *args, **kwargs)

    def shuffle(self, x, axis=0):
        self._keep(super().shuffle, x, axis)
        self._record(x)

    def permuted(self, x, *, axis=None, out=None):
        return self._keep(super().permuted, x, axis=axis, out=out)

    def _keep(self, draw, *args, **kwargs):
        outermost = not self.__dict__.get("drawing", False)
        self.__dict__["drawing"] = True
        try:
            drawn = draw(*args, **kwargs)
        finally:
            self.__dict__["drawing"] = not outermost
        if outermost and drawn is not None:
            self._record(drawn)
        return drawn

    def _record(self, drawn):
        if not self.__dict__.get("drawing", False):
            self.__dict__.setdefault("draws", []).append(np.array(drawn, copy=True))


class _Replay(np.random.Generator):
    """A generator whose permutations are the orders a learner's run drew, in turn."""

    def permutation(self, x, axis=0):
        orders = self.__dict__["orders"]
        return orders.pop(0) if orders else super().permutation(x, axis)


def _generator(arguments):
    """The generator handed to the class as its ``seed``: a recorder, or a replay."""
    if "orders" not in arguments:
        recorder = _Recorder(np.random.PCG64(arguments["seed"]))
        recorder.__dict__.update(seed=arguments["seed"])
        return recorder
    replay = _Replay(np.random.PCG64(arguments["seed"]))
    replay.__dict__.update(orders=list(arguments["orders"]), state=arguments["global_state"],
                           seed=arguments["seed"])
    return replay


_SLICING = {"BINARY_SUBSCR", "STORE_SUBSCR", "DELETE_SUBSCR", "BUILD_TUPLE", "BUILD_SLICE"}


def _placeholder(code):
    """Whether ``code`` uses a `...` other than as an index (``W[...] -= step`` is fine)."""
    if code is None:
        return False
    following = [i for i in dis.get_instructions(code) if i.opname not in ("COPY", "CACHE")]
    return any(i.opname == "LOAD_CONST" and i.argval is Ellipsis and
               (n + 1 == len(following) or following[n + 1].opname not in _SLICING)
               for n, i in enumerate(following))


_SETTINGS = ("learning_rate", "max_epochs", "batch_size", "patience")


def _train(cls, arguments):
    """Make the class, fit it, and report what the run drew and what the model holds."""
    if _placeholder(getattr(getattr(cls, "fit", None), "__code__", None)):
        raise Line("still has a `...` placeholder in fit", mark="…")
    rng = _generator(arguments)
    initial = rng.bit_generator.state
    # np.random's own state, read on purpose: the mistake of drawing from it is replayed.
    global_state = np.random.get_state()  # noqa: NPY002
    learner = "orders" not in arguments
    seed = arguments["seed"] if learner and arguments.get("_int_seed") else rng
    X = arguments["X"].view(_Rows) if learner else arguments["X"]
    if learner:
        X.log = []
    model = cls(**{key: arguments[key] for key in _SETTINGS}, seed=seed)
    returned = model.fit(X, arguments["y"], arguments["X_val"], arguments["y_val"])
    return {"model": model, "returned_self": returned is model, "visits": getattr(X, "log", []),
            "own_generator": seed is rng and rng.bit_generator.state == initial,
            "draws": rng.__dict__.get("draws", []), "global_state": global_state}


def _plain(value):
    if isinstance(value, _Rows):
        return value.view(np.ndarray)
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value)
    return value


class _Rows(np.ndarray):
    """The training inputs X, noting which rows the learner's loop reads, in turn.

    However a learner shuffles (``rng.random(n).argsort()``, a Fisher–Yates loop),
    the rows it trains on in each epoch are its order; anything computed from X
    is a plain array.
    """

    def __getitem__(self, key):
        if getattr(self, "log", None) is not None:
            self.log.append(key.copy() if isinstance(key, np.ndarray) else key)
        return self.view(np.ndarray)[key]

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if "out" in kwargs:
            kwargs["out"] = _plain(kwargs["out"])
        return getattr(ufunc, method)(*_plain(inputs), **kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return func(*_plain(args), **{key: _plain(value) for key, value in kwargs.items()})


def _rows_read(visits, n):
    """The rows of X the loop read, in turn (the same rows read twice in a row once)."""
    rows = []
    for key in visits:
        key = key[0] if isinstance(key, tuple) and key else key
        if not (isinstance(key, slice) and key == slice(None)) and key is not Ellipsis:
            read = np.arange(n)[key].ravel()
            if not (rows and np.array_equal(rows[-1], read)):  # X[rows] read twice a batch
                rows.append(read)
    return np.concatenate(rows) if rows else np.zeros(0, dtype=int)


def _epochs_of(rows, n, epochs):
    """The order of each epoch, if the loop read every row once per epoch; else []."""
    if len(rows) != n * epochs:
        return []
    orders = list(rows.reshape(epochs, n))
    if any(np.sort(order).tolist() != list(range(n)) for order in orders):
        return []
    return orders


def _fitted(raw, arguments):
    """History, best epoch, weights and what was drawn, or a Line naming what is missing."""
    model = raw["model"]
    missing = [name for name in ("history", "best_epoch", "W", "b") if not hasattr(model, name)]
    if missing:
        raise Line(f"leaves no {', '.join(missing)} on the model after fit: keep the names of "
                   "the class in the notebook")
    if not isinstance(model.history, dict):
        raise Line("keeps a history that is not a dict of lists, as in the notebook")
    try:
        history = {key: np.asarray(value, dtype=float) for key, value in model.history.items()}
    except (TypeError, ValueError):
        raise Line("keeps a history that does not hold one number per epoch in each "
                   "list") from None
    draws, note = _orders(raw, len(arguments["X"]), len(next(iter(history.values()), [])))
    return {"history": history, "best_epoch": _epoch(model.best_epoch), "W": np.asarray(model.W),
            "b": np.asarray(model.b), "returned_self": raw["returned_self"],
            "draws": draws, "global_state": raw["global_state"], "note": note}


def _orders(raw, n, epochs):
    """The orders to replay (what rng drew, else the rows the loop read), and a remark."""
    if raw["draws"]:
        if any(np.sort(order, axis=None).tolist() != list(range(n)) for order in raw["draws"]):
            raise Line("draws an order that is not every row once (rng.choice with "
                       "replacement?): use rng.permutation(n_samples)")
        return raw["draws"], ""
    rows = _rows_read(raw["visits"], n)
    orders = _epochs_of(rows, n, epochs)
    if raw["own_generator"] and any(np.any(order != np.arange(n)) for order in orders):
        return [], (" (shuffled by a generator that is not rng = np.random.default_rng("
                    "self.seed): the seed must decide the run)")
    if len(orders) > 1 and not any(np.array_equal(a, b)
                                   for a, b in itertools.combinations(orders, 2)):
        return orders, ""  # a fresh order every epoch: replayed
    if len(rows) >= n and len(np.unique(rows[:n])) < n:
        return [], (" (its first epoch does not visit every row once: rng.integers or "
                    "rng.choice draw with replacement; use rng.permutation(n_samples))")
    return [], ""


def _epoch(best_epoch):
    """The best epoch as a whole number, or a Line saying what it is instead."""
    try:
        number = float(np.asarray(best_epoch, dtype=float).reshape(()))
    except (TypeError, ValueError):
        number = None
    if number is None or number != round(number):
        raise Line(f"keeps best_epoch = {brief(best_epoch)}; it should be the number of the "
                   "best epoch (an int, counted from 1)")
    return int(number)


def _same_run(mine, expected):
    a, b = mine["history"], expected["history"]
    return (set(a) == set(b) and all(close(a[key], b[key]) for key in b)
            and close(mine["W"], expected["W"]) and close(mine["b"], expected["b"])
            and mine["best_epoch"] == expected["best_epoch"]
            and mine["returned_self"] == expected["returned_self"])


def _show_run(run):
    history = run["history"]
    epochs = len(next(iter(history.values()), []))
    accuracy = history.get("val_accuracy", [])
    return (f"a run of {epochs} epochs keeping epoch {run['best_epoch']} (validation accuracy "
            f"{fmt(accuracy)}){run.get('note', '')}")


def _replayed(arguments, run):
    """The arguments of the worked class and the mistakes: the learner's orders to replay."""
    if not isinstance(run, dict):
        return arguments
    return {**arguments, "orders": run["draws"], "global_state": run["global_state"]}


def _log_softmax(Z):
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


class _Loop:
    """The worked training loop cut into pieces, so that a mistake can change one of them."""

    def __init__(self, learning_rate, max_epochs, batch_size, patience, seed):
        self.learning_rate, self.max_epochs = learning_rate, max_epochs
        self.batch_size, self.patience, self.seed = batch_size, patience, seed

    def order(self, rng, n_samples, epoch):
        return rng.permutation(n_samples)

    def steps(self, P, T, rows, X):
        error = (P - T) / len(rows)
        return X.T @ error, error.sum(axis=0)

    def improved(self, train_accuracy, val_accuracy, best):
        return val_accuracy > best

    def out_of_patience(self, epochs_since_best):
        return self.patience is not None and epochs_since_best >= self.patience

    def keep(self, epoch):
        return self.W.copy(), self.b.copy(), epoch

    def fit(self, X, y, X_val, y_val):
        n_samples, n_classes = len(X), y.max() + 1
        T = np.eye(n_classes)[y]
        self.W, self.b = np.zeros((X.shape[1], n_classes)), np.zeros(n_classes)
        rng = np.random.default_rng(self.seed)
        self.history = {"loss": [], "train_accuracy": [], "val_loss": [], "val_accuracy": []}
        best_accuracy, epochs_since_best = -1.0, 0
        for epoch in range(1, self.max_epochs + 1):
            order = self.order(rng, n_samples, epoch)
            for start in range(0, n_samples, self.batch_size):
                rows = order[start:start + self.batch_size]
                P = np.exp(_log_softmax(X[rows] @ self.W + self.b))
                dW, db = self.steps(P, T[rows], rows, X[rows])
                self.W -= self.learning_rate * dW
                self.b -= self.learning_rate * db
            for name, value in zip(self.history, self.measure(X, y) + self.measure(X_val, y_val)):
                self.history[name].append(value)
            if self.improved(self.history["train_accuracy"][-1],
                             self.history["val_accuracy"][-1], best_accuracy):
                best_accuracy, epochs_since_best = self.history["val_accuracy"][-1], 0
                best = self.keep(epoch)
            else:
                epochs_since_best += 1
            if self.out_of_patience(epochs_since_best):
                break
        self.W, self.b, self.best_epoch = best
        return self

    def measure(self, X, y):
        log_p = _log_softmax(X @ self.W + self.b)
        return -log_p[np.arange(len(y)), y].mean(), np.mean(log_p.argmax(axis=1) == y)


def _with(**pieces):
    """The loop with some of its pieces changed: one usual mistake."""
    return type("MistakenLoop", (_Loop,), pieces)


def _first_order(self, rng, n_samples, epoch):
    if epoch == 1:
        self.first = rng.permutation(n_samples)
    return self.first


def _global_order(self, rng, n_samples, epoch):
    if epoch == 1:
        self.numpy_random = np.random.RandomState()
        self.numpy_random.set_state(rng.__dict__["state"])
    return self.numpy_random.permutation(n_samples)


def _reseeded_global_order(self, rng, n_samples, epoch):
    return np.random.RandomState(rng.__dict__["seed"]).permutation(n_samples)


def _no_return(self, *data):
    _Loop.fit(self, *data)


def _last_weights(self, epoch):
    return self.W, self.b, epoch


_GLOBAL = ("Your loop draws its orders from np.random, NumPy's global generator, not from "
           "rng = np.random.default_rng(self.seed): use rng.permutation(n_samples), so that "
           "the seed decides the run.")

LOOP_MISTAKES = (
    Mistake(_with(order=_global_order), _GLOBAL),
    Mistake(_with(order=_reseeded_global_order),
            "Your loop reseeds np.random, NumPy's global generator, every epoch, so every "
            "epoch visits the rows in the same order: make rng = np.random.default_rng(self."
            "seed) once, before the epoch loop, and draw rng.permutation(n_samples) from it."),
    Mistake(_with(order=lambda self, rng, n, epoch: np.arange(n)),
            "Your loop does not shuffle: every epoch visits the rows in the same order 0, 1, "
            "2, ... Draw order = rng.permutation(n_samples) at the start of every epoch."),
    Mistake(_with(order=_first_order),
            "Your loop shuffles once and then reuses that order every epoch: draw a fresh "
            "rng.permutation(n_samples) inside the epoch loop."),
    Mistake(_with(steps=lambda self, *batch: tuple(-g for g in _Loop.steps(self, *batch))),
            "Your loop steps uphill: the training loss grows. Step against the gradient: "
            "W -= learning_rate * gradient."),
    Mistake(_with(steps=lambda self, P, T, rows, X: (X.T @ (P - T), (P - T).sum(axis=0))),
            "Your step uses the sum of P - T over the batch, not its mean: the steps are "
            "batch_size times too big. Divide by len(rows)."),
    Mistake(_with(steps=lambda self, P, T, rows, X: (X.T @ (P - T) / len(rows),
                                                     0 * (P - T).sum(axis=0))),
            "Your loop never updates the bias b: step b too, by the mean of P - T."),
    Mistake(_with(steps=lambda self, P, T, rows, X: (X.T @ (P - T) / len(rows),
                                                     (P - T).sum(axis=0) / len(rows) ** 2)),
            "Your bias step divides by the batch size twice: error is already divided by "
            "len(rows), so step b by error.sum(axis=0)."),
    Mistake(_with(keep=_last_weights),
            "Your model ends with the weights of the last epoch, not the best one: keep copies "
            "(self.W.copy(), self.b.copy()) when validation accuracy improves, and restore "
            "them after the loop."),
    Mistake(_with(improved=lambda self, train, val, best: val >= best),
            "Your loop counts a tie with the best validation accuracy as an improvement: only "
            "a strictly higher accuracy (>) is a new best."),
    Mistake(_with(improved=lambda self, train, val, best: train > best),
            "Your loop judges improvement on the training accuracy: a new best is a higher "
            "validation accuracy, history[\"val_accuracy\"][-1]."),
    Mistake(_with(out_of_patience=lambda self, since: since >= self.patience),
            "Your loop cannot take patience=None, which means never stop early: test "
            "self.patience is not None before comparing."),
    Mistake(_with(out_of_patience=lambda self, since: self.patience is not None
                  and since > self.patience),
            "Your loop's patience is off by one: it stops one epoch late. Stop as soon as "
            "epochs_since_best >= patience."),
    Mistake(_with(out_of_patience=lambda self, since: self.patience is not None
                  and since >= self.patience - 1),
            "Your loop's patience is off by one: it stops one epoch early. Stop when "
            "epochs_since_best >= patience."),
    Mistake(_with(out_of_patience=lambda self, since: False),
            "Your loop never stops early: it runs all max_epochs. Break out of the epoch loop "
            "once epochs_since_best >= patience."),
    Mistake(_with(keep=lambda self, epoch: (self.W.copy(), self.b.copy(), epoch - 1)),
            "Your best_epoch counts from 0; epochs count from 1."),
    Mistake(_with(fit=_no_return),
            "Your fit trains correctly but does not end with `return self`."),
)


def _problem(rng, n, n_val, d, k, **settings):
    """Clouds of points, one per class; the validation points are noisier, so that
    validation accuracy wanders (and ties) while training accuracy climbs."""
    centres = rng.normal(scale=1.5, size=(k, d))
    y, y_val = rng.permutation(np.arange(n) % k), rng.integers(0, k, size=n_val)
    y_val[:k] = np.arange(k)
    return {"X": centres[y] + rng.normal(size=(n, d)), "y": y,
            "X_val": centres[y_val] + 2.5 * rng.normal(size=(n_val, d)), "y_val": y_val,
            **settings, "seed": int(rng.integers(2**31))}


def _problems(rng):
    return [
        _problem(rng, 20, 10, 3, 3, learning_rate=0.5, max_epochs=12, batch_size=6, patience=2),
        _problem(rng, 30, 12, 4, 2, learning_rate=1.0, max_epochs=8, batch_size=7,
                 patience=None, _int_seed=True),
        _problem(rng, 45, 15, 6, 4, learning_rate=0.8, max_epochs=30, batch_size=10,
                 patience=3),
        _problem(rng, 50, 20, 5, 5, learning_rate=2.0, max_epochs=30, batch_size=16,
                 patience=4),
    ]


def training_loop(answer):
    """The record of the training-loop exercise, whose worked answer is the class ``answer``."""
    return Exercise(
        topic="training_loop", answer=answer, kind="class", name="training loop",
        cases=_problems, run=_train, read=_fitted, same=_same_run, show=_show_run,
        replay=_replayed, seconds=20.0,
        hint="Per epoch: order = rng.permutation(n_samples); per batch: "
             "W -= learning_rate * (X[rows].T @ error) and the same for b with "
             "error.sum(axis=0); a new best is a strictly higher validation accuracy (keep "
             "W.copy()); stop when epochs_since_best >= patience, never when patience is None.",
        praise="your loop trains like the worked one on the same shuffles, stops when patience "
               "runs out (never for patience=None) and keeps the best epoch's weights.",
        mistakes=LOOP_MISTAKES,
    )
