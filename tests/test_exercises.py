"""The exercise checks: they accept right answers, reject wrong ones and name each mistake.

Every record's own mistakes must get their own line back; so must the mistakes in the
tables below, written independently the way learners and reviewers wrote them. Right
answers in other styles must pass; constant, odd and look-up answers must fail.
"""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import json
import re
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy import special, stats
from sklearn.base import clone
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix
from sklearn.model_selection import KFold, cross_val_score

from mnist_lr import exercises
from mnist_lr.exercises import EXERCISES, _engine, _loop, nb02, nb06, nb07, nb10
from mnist_lr.exercises._engine import judge
from mnist_lr.stats import mcnemar

ROOT = Path(__file__).resolve().parents[1]
TOPICS = list(EXERCISES)
DEFINED = re.compile(r"^(?:def|class) (\w+)", re.MULTILINE)


def check_of(topic):
    return getattr(exercises, f"check_{topic}")


def run(capsys, topic, candidate, seed=0):
    """Check a candidate on the inputs ``seed`` draws (so a failure can be replayed): its
    Result and one line; the check printed and warned nothing."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = judge(EXERCISES[topic], candidate, seed)
    out, err = capsys.readouterr()
    assert (out, err, [str(w.message) for w in caught]) == ("", "", []), (out, err, caught)
    assert isinstance(result, _engine.Result) and "\n" not in repr(result), repr(result)
    return result, repr(result)


def passes(capsys, topic, candidate):
    result, line = run(capsys, topic, candidate)
    assert result and result.passed and line.startswith("✓ Correct: "), line


def rejected(capsys, topic, candidate, *wording, absent="", seed=0):
    """Assert a failing line holding every fragment of ``wording`` and not ``absent``."""
    result, line = run(capsys, topic, candidate, seed)
    assert not result and result.passed is False, line
    for words in wording:
        assert words in line, f"{words!r} not in {line!r}"
    assert not absent or absent not in line, line
    return line


def defined_by(source):
    """What ``source`` defines, run as a notebook cell that has np and log_softmax."""
    namespace = {"np": np, "log_softmax": nb02.log_softmax}
    exec(source, namespace)
    return namespace[DEFINED.search(source).group(1)]


def loop(changes=()):
    """The worked class with some of its lines rewritten, as a learner might write them."""
    source = inspect.getsource(nb02.MySoftmaxRegression)
    for old, new in dict(changes).items():
        assert old in source, old
        source = source.replace(old, new)
    return defined_by(source)


ORDER = "order = rng.permutation(n_samples)"
STEP = "self.W -= self.learning_rate * (X[rows].T @ error)"
BIAS_STEP = "self.b -= self.learning_rate * error.sum(axis=0)"
KEEP = "best = self.W.copy(), self.b.copy(), epoch"
RNG = "rng = np.random.default_rng(self.seed)"
STOP = ("out_of_patience = (\n"
        "                self.patience is not None and epochs_since_best >= self.patience\n"
        "            )")
IMPROVED = 'improved = self.history["val_accuracy"][-1] > best_accuracy'


# -- every record: its hint, solution (the notebooks' too), worked answer and mistakes -------------


@pytest.mark.parametrize("topic", TOPICS)
def test_hint_solution_and_worked_answer(capsys, topic):
    """A one-line hint; the printed solution is the answer's source and passes when pasted."""
    exercise, check = EXERCISES[topic], check_of(topic)
    getattr(exercises, f"hint_{topic}")()
    hint = capsys.readouterr().out
    assert hint.strip() and hint.count("\n") == 1
    getattr(exercises, f"solution_{topic}")()
    source = capsys.readouterr().out
    assert source.rstrip() == inspect.getsource(exercise.answer).rstrip()
    passes(capsys, topic, defined_by(source))  # the code a learner would paste
    old = np.seterr(all="raise")  # the learner's own settings break nothing
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            right, wrong = check(exercise.answer), check(lambda *args: 0)
    finally:
        np.seterr(**old)
    assert right and repr(right).startswith("✓ Correct: ") and not wrong, repr(right)
    assert capsys.readouterr() == ("", "")
    assert {f"{kind}_{topic}" for kind in ("check", "hint", "solution")} <= set(exercises.__all__)


@pytest.mark.parametrize("topic", TOPICS)
def test_each_listed_mistake_gets_its_own_line(capsys, topic):
    """On seed 0, and on seeds 1 to 3 beside the worked answer (not the slow loop)."""
    exercise = EXERCISES[topic]
    assert topic in {row[0] for row in WRONG}  # and has mistakes written by hand below
    seeds = [] if topic == "training_loop" else [1, 2, 3]
    assert all(judge(exercise, exercise.answer, seed) for seed in seeds)
    for mistake in exercise.mistakes:
        result, line = run(capsys, topic, mistake.wrong)
        assert not result and result.message == mistake.message, line
        for seed in seeds:
            assert judge(exercise, mistake.wrong, seed).message == mistake.message, (seed, line)


def test_the_notebooks_solution_cells_are_the_package_s_worked_answers():
    answers = {DEFINED.search(inspect.getsource(e.answer)).group(1):
               inspect.getsource(e.answer).rstrip() for e in EXERCISES.values()}
    seen = set()
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if "solution" not in cell["metadata"].get("tags", []) \
                    or not cell.get("id", "").endswith("-solution"):
                continue
            first, body = "".join(cell["source"]).split("\n", 1)
            assert first.startswith("# Solution"), path.name
            defined = DEFINED.search(body).group(1)
            assert body.rstrip() == answers[defined], f"{path.name}: {defined} differs"
            seen.add(defined)
    assert seen == set(answers)


def test_every_subpackage_is_shipped():
    """Colab and Binder install the package: setuptools must find every subpackage."""
    from setuptools.config.pyprojecttoml import read_configuration

    shipped = read_configuration(ROOT / "pyproject.toml")["tool"]["setuptools"]["packages"]
    folders = {f"mnist_lr.{p.parent.name}" for p in (ROOT / "mnist_lr").glob("*/__init__.py")}
    assert "mnist_lr.exercises" in folders and folders <= set(shipped)
    assert Path(exercises.__file__).parent == ROOT / "mnist_lr" / "exercises"


def _a_look_up(topic):
    """An answer that replays the worked answer's output on one input, whatever it is given."""
    exercise = EXERCISES[topic]
    case = exercise.cases(np.random.default_rng(0))[0]
    if exercise.kind == "class":
        model = exercise.answer(**{key: case[key] for key in _loop._SETTINGS}, seed=case["seed"])
        model.fit(case["X"], case["y"], case["X_val"], case["y_val"])

        class LookUp(exercise.answer):
            def fit(self, X, y, X_val=None, y_val=None):
                self.__dict__.update(vars(model))
                return self

        return LookUp
    recorded = exercise.run(exercise.answer, case)
    if topic == "numerical_gradient":
        recorded = recorded[0]
    return lambda *args: recorded


ODD = [0, 0.5, np.zeros(10), np.ones((3, 3)), (1, 2), np.nan, "x", [[1, 2], [3]], (np.nan, 1),
       np.ones((2, 2)), 3.0]


@pytest.mark.parametrize("topic", TOPICS)
def test_constant_odd_and_look_up_answers_fail(capsys, topic):
    """Each in one line, never a traceback."""
    rejected(capsys, topic, _a_look_up(topic))
    if EXERCISES[topic].kind == "function":
        for odd in ODD:
            rejected(capsys, topic, lambda *args, value=odd: value)
        rejected(capsys, topic, lambda *args: iter([1]))


# -- right answers in other styles ----------------------------------------------------------


def _one_hot_by_loop(y, n_classes):
    encoded = np.zeros((len(y), n_classes), dtype=int)
    for i, label in enumerate(y):
        encoded[i, label] = 1
    return encoded


def _confusion_by_loop(y_true, y_pred, n_classes):
    m = np.zeros((n_classes, n_classes))
    for t, p in zip(y_true, y_pred):
        m[t, p] += 1
    return m


def _folds(n_samples, blocks):
    """Each block held out in turn, the rest of range(n_samples) to train on."""
    return [(np.setdiff1d(np.arange(n_samples), block), block) for block in blocks]


def _blocks(n_samples, n_splits, size):
    return [np.arange(n_samples)[i * size:(i + 1) * size] for i in range(n_splits)]


def _folds_also_scoring_training(make_model, X, y, folds):
    scores = []
    for train, val in folds:
        model = make_model()
        model.fit(X[train], y[train])
        print("training accuracy", model.score(X[train], y[train]))  # shown, not returned
        scores.append(float(np.mean(model.predict(X[val]) == y[val])))
    return scores


def _fd_on_copies(loss, W, h):
    grad = np.zeros_like(W)
    for index in np.ndindex(W.shape):
        up, down = W.copy(), W.copy()
        up[index] += h
        down[index] -= h
        grad[index] = (loss(up) - loss(down)) / (2 * h)
    return grad


def _fd_undo_by_arithmetic(loss, W, h):
    grad = np.zeros(W.shape)
    for i, j in np.ndindex(*W.shape):
        W[i, j] += h
        above = loss(W)
        W[i, j] -= 2 * h
        below = loss(W)
        W[i, j] += h
        grad[i, j] = (above - below) / (2 * h)
    return grad


def _mcnemar_by_scipy(y_true, pred_a, pred_b, *, counts="disagree", p_value="exact"):
    """McNemar's test with scipy, right by default; one mistake switched on by its name."""
    a, b = pred_a == y_true, pred_b == y_true
    only_a, only_b = (np.sum(m) for m in {
        "disagree": (a & ~b, b & ~a), "swapped": (b & ~a, a & ~b), "with agreements": (a, b),
        "agreements": (a & b, ~a & ~b), "different predictions": (a & ~b, ~a & (pred_a != pred_b)),
    }[counts])
    n = only_a + only_b
    p = {"exact": lambda: stats.binomtest(only_a, n).pvalue,
         "uncapped": lambda: 2 * stats.binom.cdf(min(only_a, only_b), n, 0.5),
         "one-sided": lambda: stats.binomtest(only_a, n, alternative="greater").pvalue,
         "lower tail": lambda: stats.binom.cdf(min(only_a, only_b), n, 0.5),
         "all images": lambda: stats.binomtest(only_a, len(y_true)).pvalue,
         "chi-square": lambda: stats.chi2.sf((abs(only_a - only_b) - 1) ** 2 / n, 1),
         "hard-coded": lambda: stats.binomtest(only_a, 12).pvalue}[p_value]()
    return only_a, only_b, p


def _confused_by_loops(m):
    best, pair = -1, None
    for a in range(len(m)):
        for b in range(a + 1, len(m)):
            if m[a, b] + m[b, a] > best:
                best, pair = m[a, b] + m[b, a], [a, b]
    return pair


def _early_stopping_by_while(val_accuracy, patience):
    best_value, best, epoch = max(val_accuracy[:1]), 1, 1
    while epoch < len(val_accuracy) and epoch - best < patience:
        epoch += 1
        if val_accuracy[epoch - 1] > best_value:
            best_value, best = val_accuracy[epoch - 1], epoch
    return epoch, best


def _chatty_softmax(Z):
    print("debugging", Z.shape)
    print("debugging", file=sys.stderr)
    return nb02.softmax(Z)


FISHER_YATES = """order = np.arange(n_samples)
            for i in range(n_samples - 1, 0, -1):
                j = rng.integers(0, i + 1)
                order[i], order[j] = order[j], order[i]"""

RIGHT = [
    ("one_hot", lambda y, n: np.eye(n, dtype=int)[y]),
    ("one_hot", lambda y, n: y[:, None] == np.arange(n)),  # booleans
    ("one_hot", _one_hot_by_loop),
    ("softmax", lambda Z: (lambda E: E / E.sum(axis=-1, keepdims=True))(
        np.exp(Z - Z.max(axis=-1, keepdims=True)))),
    ("softmax", lambda Z: np.exp(Z - Z.max(axis=1)[:, None])
     / np.exp(Z - Z.max(axis=1)[:, None]).sum(axis=1)[:, None]),
    ("softmax", lambda Z: np.array([np.exp(z - max(z)) / np.exp(z - max(z)).sum() for z in Z])),
    ("softmax", _chatty_softmax),  # its printing is kept off the screen
    ("cross_entropy_from_scores", lambda Z, T: float(np.mean(
        np.log(np.exp(Z - Z.max(1, keepdims=True)).sum(1)) + Z.max(1) - (Z * T).sum(1)))),
    ("accuracy", lambda t, p: np.count_nonzero(t.ravel() == p.ravel()) / t.size),
    ("accuracy", lambda t, p: np.mean(t.reshape(-1) == p.reshape(-1))),
    ("confusion_matrix", _confusion_by_loop),
    ("confusion_matrix", lambda t, p, n: np.eye(n, dtype=int)[t].T @ np.eye(n, dtype=int)[p]),
    ("kfold_indices", lambda n, k: _folds(n, np.array_split(  # shuffled folds are fine
        np.random.default_rng(3).permutation(n), k))),
    ("kfold_indices", lambda n, k: list(KFold(k).split(np.zeros(n)))),
    ("fold_scores", lambda m, X, y, f: cross_val_score(m(), X, y, cv=f)),
    ("fold_scores", _folds_also_scoring_training),
    ("ignored_pixels", lambda X: np.nonzero(X.sum(axis=0) == 0)),  # a 1-tuple, in any order
    ("ignored_pixels", lambda X: [i for i in range(X.shape[1])[::-1] if not X[:, i].any()]),
    ("most_confused_pair", lambda m: nb06.most_confused_pair(m)[::-1]),  # either order
    ("most_confused_pair", _confused_by_loops),
    ("best_epoch", lambda v: list(v).index(max(v)) + 1),
    ("digit_shares", lambda y: np.array([np.mean(y == digit) for digit in range(10)])),
    ("early_stopping", _early_stopping_by_while),
    ("train_val_gap", lambda t, v: float(100 * t[-1] - 100 * v[-1])),
    ("per_digit_accuracy", lambda t, p: np.diag(nb06.confusion_matrix(t, p, 10))
     / np.bincount(t, minlength=10)),
    ("numerical_gradient", _fd_on_copies),
    ("numerical_gradient", _fd_undo_by_arithmetic),
    ("mcnemar_test", _mcnemar_by_scipy),
    ("mcnemar_test", lambda y, a, b: (int(np.sum((a != b) & (a == y))),  # where they differ
                                      int(np.sum((a != b) & (b == y))), mcnemar(y, a, b)[2])),
    ("mcnemar_test", mcnemar),  # the package's own test, a named tuple of three
] + [("training_loop", loop(changes)) for changes in [
    {ORDER: "order = rng.choice(n_samples, size=n_samples, replace=False)"},
    {ORDER: "order = np.arange(n_samples)\n            rng.shuffle(order)"},
    {ORDER: "order = rng.permuted(np.arange(n_samples))"},
    {ORDER: "order = np.argsort(rng.random(n_samples))"},
    {ORDER: "order = rng.random(n_samples).argsort()"},
    {ORDER: FISHER_YATES},
    {ORDER: "order = np.random.default_rng(self.seed + epoch).permutation(n_samples)"},
    {RNG: f"{RNG}\n        spare = rng.normal(size=3)  # drawn, but not an order"},
    {STOP: "out_of_patience = (self.patience or float('inf')) <= epochs_since_best"},
    {"self.W = np.zeros((X.shape[1], n_classes))":
     "self.weights = np.zeros((X.shape[1], n_classes))\n        self.W = self.weights"},
    {STEP: STEP.replace("self.W -=", "self.W[...] -=")},  # an Ellipsis index, no placeholder
]]


@pytest.mark.parametrize(("topic", "candidate"), RIGHT,
                         ids=[f"{t}-{i}" for i, (t, _) in enumerate(RIGHT)])
def test_other_correct_styles_pass(capsys, topic, candidate):
    passes(capsys, topic, candidate)


def _in_float32(function):
    """``function`` computed in float32."""
    def answer(*args):
        result = function(*(np.asarray(a, dtype=np.float32) for a in args))
        return tuple(result) if isinstance(result, tuple) else result
    return answer


@pytest.mark.parametrize(("topic", "answer"), [
    ("softmax", lambda Z: special.softmax(Z.astype(np.float32), axis=1)),
    ("gradient", _in_float32(nb02.gradient)),
    ("l2_gradient", _in_float32(EXERCISES["l2_gradient"].answer)),
], ids=["softmax", "gradient", "l2_gradient"])
def test_float32_answers_pass_and_do_not_hide_a_mistake(capsys, topic, answer):
    for seed in range(15):
        assert judge(EXERCISES[topic], answer, seed), seed
    for mistake in EXERCISES[topic].mistakes:
        rejected(capsys, topic, _in_float32(mistake.wrong))


# -- wrong answers, each with words its line must hold ---------------------------------------


def _softmax_in_place(Z):
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    return Z


def _confusion_fancy(rows, columns, n_classes):
    """m[rows, columns] += 1, which counts a repeated pair once."""
    m = np.zeros((n_classes, n_classes), dtype=int)
    m[rows, columns] += 1
    return m


def _ce_log(Z, T, eps=0.0, clip=False):
    P = nb02.softmax(Z)
    return -(T * np.log((np.clip(P, 1e-12, 1) if clip else P) + eps)).sum(axis=1).mean()


def _fd(loss, W, h, *, kind="central", restore=True, shape=None):
    """A finite-difference gradient, entry by entry, with one mistake switched on."""
    grad = np.zeros(W.shape if shape is None else shape)  # a hard-coded shape
    for index in np.ndindex(grad.shape):
        old = W[index]
        W[index] = old + h if kind != "backward" else old
        above = loss(W)
        W[index] = old - h if kind != "forward" else old
        below = loss(W)
        if restore:
            W[index] = old
        grad[index] = (above - below) / (2 * h if kind == "central" else h)
    return grad


def _grad(X, T, W, b, *, sign=1, scale=None, scores=False, db_mode="mean", transpose=False):
    """The gradient with one mistake switched on."""
    Z = X @ W + b
    error = sign * ((Z if scores else nb02.softmax(Z)) - T)
    n = len(X) if scale is None else scale
    dW = X.T @ error / n
    db = {"mean": error.sum(axis=0) / n, "sum": error.sum(axis=0),
          "zeros": np.zeros(W.shape[1]), "per row": error.sum(axis=1) / n}[db_mode]
    return (dW.T if transpose else dW), db


def _l2(X, T, W, b, alpha, penalty=lambda W, alpha, n: alpha * W, bias=0.0):
    dW, db = _grad(X, T, W, b)
    return dW + penalty(W, alpha, len(X)), db + bias * alpha * b


def _early(curve, patience, *, tie=False, extra=0, keep_last=False, stop=True, base=1,
           reset=True, tie_moves_kept=False):
    """Early stopping with one mistake switched on."""
    best, since, kept = -1.0, 0, None
    for epoch, value in enumerate(curve, start=base):
        if value > best or (tie and value == best):
            best, kept, since = value, epoch, (0 if reset else since)
        else:
            since += 1
            kept = epoch if tie_moves_kept and value == best else kept
        if stop and since >= patience + extra:
            return epoch, (epoch if keep_last else kept)
    return len(curve) - 1 + base, kept


def _raising(exception):
    def candidate(*args):
        raise exception
    return candidate


class _BadText(Exception):
    def __str__(self):
        raise RuntimeError("str fails")


class _Unread:
    """A result whose reading (its ``__array__``) runs ``action`` first."""

    def __init__(self, action):
        self.action = action

    def __array__(self, *args, **kwargs):
        self.action()
        return np.zeros((2, 2))


def _flattening(y_true, y_pred):
    y_true.shape = (-1,)
    return np.mean(y_true == np.ravel(y_pred))


def _mcnemar(**mistake):
    return lambda y, a, b: _mcnemar_by_scipy(y, a, b, **mistake)


WRONG = [
    ("one_hot", lambda y, n: np.eye(5)[y], "Your one_hot"),  # a size from one input
    ("one_hot", lambda y, n: np.eye(n)[y].T, "transposed"),
    ("one_hot", lambda y, n: np.eye(len(np.unique(y)))[np.unique(y, return_inverse=True)[1]],
     "one column per distinct label"),
    ("one_hot", lambda y, n: np.eye(y.max() + 1)[y], "y.max() + 1"),
    ("one_hot", lambda y, n: np.eye(n)[y] * y[:, None], "must be 0 or 1"),
    ("one_hot", lambda y, n: np.zeros((len(y), n)),
     "gives [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...] (shape"),
    ("one_hot", lambda y, n: np.eye(n)[y - 1], "; expected ["),
    ("one_hot", lambda y, n: np.eye(len(y))[y], "one column per label (len(y))"),
    ("softmax", lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True), "overflows"),
    ("softmax", lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0), "wrong axis"),
    ("softmax", lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)), "without normalising"),
    ("softmax", lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(), "whole array"),
    ("softmax", lambda z: np.exp(z - max(z)) / np.exp(z - max(z)).sum(),  # one row only
     "raised ValueError: The truth value"),
    ("softmax", lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1), "keepdims=True"),
    ("softmax", lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=1, keepdims=True),
     "maximum of the whole array"),
    ("softmax", lambda Z: (lambda E: E / E.sum(axis=1, keepdims=True))(np.exp(Z - Z.max())),
     "maximum of the whole array"),
    ("softmax", _softmax_in_place, "changes its argument Z in place"),
    ("softmax", lambda Z: nb02.softmax(Z) + 1e-3 * nb02.softmax(Z).max(), "expected ["),
    ("cross_entropy_from_scores", lambda Z, T: _ce_log(Z, T, eps=1e-7), "capped"),
    ("cross_entropy_from_scores", lambda Z, T: _ce_log(Z, T, clip=True), "capped"),
    ("cross_entropy_from_scores", lambda Z, T: len(Z) * _ce_log(Z, T), "adds up the losses"),
    ("cross_entropy_from_scores", lambda Z, T: _ce_log(Z, T) / Z.shape[1], "all n × k entries"),
    ("cross_entropy_from_scores", lambda Z, T: -(T * np.log(Z)).sum(axis=1).mean(),
     "log of the scores"),
    ("cross_entropy_from_scores", lambda Z, T: _ce_log(nb02.softmax(Z), T), "softmax twice"),
    ("cross_entropy_from_scores", lambda Z, T: -_ce_log(Z, T), "wrong sign"),
    ("cross_entropy_from_scores", lambda Z, T: -(T * np.log(nb02.softmax(Z))).sum(axis=1),
     "one loss per row"),
    ("cross_entropy_from_scores", lambda Z, T: -(T * np.log(nb02.softmax(Z))), "table"),
    ("cross_entropy_from_scores", lambda Z, T: -(T * np.log(
        np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True))).sum(axis=1).mean(),
     "nan for a score of 800"),
    ("cross_entropy_from_scores", lambda Z, T: _ce_log(Z, T), "nan for a score of 800"),
    ("gradient", lambda X, T, W, b: _grad(X, T, W, b, scale=5), ""),  # n from one input
    ("gradient", lambda X, T, W, b: _grad(X, T, W, b, sign=-1), "wrong sign: it is T - P"),
    ("gradient", lambda X, T, W, b: (-_grad(X, T, W, b)[0], _grad(X, T, W, b)[1]),
     "dW has the wrong sign"),
    ("gradient", lambda X, T, W, b: _grad(X, T, W, b, scale=1), "n times too big"),
    ("gradient", lambda X, T, W, b: (_grad(X, T, W, b, scale=1)[0], _grad(X, T, W, b)[1]),
     "dW is n times too big"),
    ("gradient", lambda X, T, W, b: _grad(X, T, W, b, transpose=True), "transposed"),
    ("gradient", lambda X, T, W, b: _grad(X, T, W, b, db_mode="sum"),
     "db is the sum of P - T over the rows"),
    ("gradient", lambda X, T, W, b: _grad(X, T, W, b, db_mode="zeros"), "db is all zeros"),
    ("gradient", lambda X, T, W, b: _grad(X, T, W, b, db_mode="per row"), "one value per row"),
    ("gradient", lambda X, T, W, b: _grad(X, T, W, b, scores=True), "uses the scores"),
    ("gradient", lambda X, T, W, b: _grad(X, T, W, b)[0], "return a pair: dW, db"),
    ("gradient", lambda X, T, W, b: (*_grad(X, T, W, b), 0), "returns 3 values"),
    ("gradient", lambda X, T, W, b: (_grad(X, T, W, b)[0], None),
     "Not done yet: your gradient returns None for dW or db"),
    ("gradient", lambda X, T, W, b: (lambda E: (X.T @ (E / E.sum(1, keepdims=True) - T) / len(X),
                                                (E / E.sum(1, keepdims=True) - T).mean(0)))(
        np.exp(X @ W)), "leaves the bias out of the scores"),
    ("numerical_gradient", lambda loss, W, h: _fd(loss, W, h, kind="forward"),
     "one-sided difference, (loss(W + h) - loss(W)) / h"),
    ("numerical_gradient", lambda loss, W, h: _fd(loss, W, h, kind="backward"),
     "one-sided difference, (loss(W) - loss(W - h)) / h"),
    ("numerical_gradient", lambda loss, W, h: _fd(loss, W, h, restore=False), "leaves W changed"),
    ("numerical_gradient", lambda loss, W, h: -_fd(loss, W, h), "wrong sign"),
    ("numerical_gradient", lambda loss, W, h: 2 * _fd(loss, W, h), "divide by 2 * h, not h"),
    ("numerical_gradient", lambda loss, W, h: h * h * _fd(loss, W, h),
     "divides by 2 and then multiplies by h"),
    ("numerical_gradient", lambda loss, W, h: 2 * h * _fd(loss, W, h), "without dividing"),
    ("numerical_gradient", lambda loss, W, h: (loss(W + h) - loss(W - h)) / (2 * h),
     "every entry of W at once"),
    ("numerical_gradient",
     lambda loss, W, h: np.full(W.shape, (loss(W + h) - loss(W - h)) / (2 * h)),
     "every entry of W at once"),
    ("numerical_gradient", lambda loss, W, h: _fd(loss, W, h).T, "transposed"),
    ("numerical_gradient", lambda loss, W, h: _fd(loss, W, h, shape=(3, 2)), "raised IndexError"),
    ("numerical_gradient", lambda loss, W, h: _fd(loss, W, h)[:, :2], "; expected ["),
    ("numerical_gradient", lambda loss, W, h: nb02.numerical_gradient(  # a shape from one input
        lambda V: loss(V.reshape(W.shape)), W.reshape(3, 2), h).reshape(W.shape), ""),
    ("l2_gradient", lambda X, T, W, b, alpha: _grad(X, T, W, b), "no penalty term"),
    ("l2_gradient", lambda X, T, W, b, alpha: _l2(X, T, W, b, alpha, bias=1.0),
     "penalises the bias"),
    ("l2_gradient", lambda X, T, W, b, alpha: _l2(X, T, W, b, alpha, lambda W, a, n: a),
     "adds alpha to every weight"),
    ("l2_gradient", lambda X, T, W, b, alpha: _l2(X, T, W, b, alpha, lambda W, a, n: a * 2 * W),
     "adds 2 * alpha * W"),
    ("l2_gradient", lambda X, T, W, b, alpha: _l2(X, T, W, b, alpha, lambda W, a, n: a / 2 * W),
     "adds alpha/2 * W"),
    ("l2_gradient", lambda X, T, W, b, alpha: _l2(X, T, W, b, alpha, lambda W, a, n: -a * W),
     "subtracts alpha * W"),
    ("l2_gradient", lambda X, T, W, b, alpha: _l2(X, T, W, b, alpha, lambda W, a, n: a * W / n),
     "divides the penalty by n"),
    ("l2_gradient", lambda X, T, W, b, alpha: (lambda g: (g[0] + alpha * W, g[1]))(
        _grad(X, T, W, b, sign=-1)), "cross-entropy part has the wrong sign"),
    ("accuracy", lambda a, b: np.sum(np.ravel(a) == np.ravel(b)) / 8, ""),  # n from one input
    ("accuracy", lambda t, p: np.sum(t == p), "number of right predictions"),
    ("accuracy", lambda t, p: 100 * np.mean(t.ravel() == p.ravel()), "percentage"),
    ("accuracy", lambda t, p: np.mean(t == p), "broadcasts them into an n × n table"),
    ("accuracy", lambda t, p: np.mean(t == np.ravel(p)), "broadcasts"),
    ("accuracy", lambda t, p: np.mean(t == p.T), "broadcasts"),
    ("accuracy", lambda t, p: t == p, "one True/False per sample"),
    ("accuracy", lambda t, p: np.sum(t != p) / len(t), "share of wrong predictions"),
    ("accuracy", lambda t, p: np.sum(t == p) // len(t), "integer division"),
    ("accuracy", _flattening, ("changes the shape of its argument y_true", "reshape(-1)")),
    ("confusion_matrix", lambda t, p, n: nb06.confusion_matrix(t, p, 5), ""),  # one input's n
    ("confusion_matrix", lambda t, p, n: np.zeros((5, 5)), ""),
    ("confusion_matrix", lambda t, p, n: nb06.confusion_matrix(p, t, n), "swapped"),
    ("confusion_matrix", _confusion_fancy, "counts a repeated (true, predicted) pair only once"),
    ("confusion_matrix", lambda t, p, n: _confusion_fancy(p, t, n),
     "and has rows and columns swapped"),
    ("confusion_matrix", lambda t, p, n: nb06.confusion_matrix(t, p, max(t.max(), p.max()) + 1),
     "sized by the largest label"),
    ("confusion_matrix", lambda t, p, n: nb06.confusion_matrix(t[:-1], p[:-1], n), "; expected ["),
    ("confusion_matrix", lambda t, p, n: (lambda m: m / m.sum(axis=1, keepdims=True))(
        nb06.confusion_matrix(t, p, n)), "divides each row by its total"),
    ("kfold_indices", lambda n, k: nb07.kfold_indices(11, 3), ""),  # one input's sizes
    ("kfold_indices", lambda n, k: nb07.kfold_indices(n, k)[:-1], "folds for n_splits"),
    ("kfold_indices", lambda n, k: (lambda s: [  # rolled by the rounded-up size s
        (np.roll(np.arange(n), i * s)[s:], np.roll(np.arange(n), i * s)[:s]) for i in range(k)])(
        -(-n // k)), "overlap"),
    ("kfold_indices", lambda n, k: _folds(n, _blocks(n, k, n // k)), "never validated"),
    ("kfold_indices", lambda n, k: [(np.arange(n), val) for _, val in nb07.kfold_indices(n, k)],
     "trains on every sample"),
    ("kfold_indices", lambda n, k: [(train[1:], val) for train, val in nb07.kfold_indices(n, k)],
     "samples left out of both parts of a fold"),
    ("kfold_indices", lambda n, k: _folds(n, np.split(np.arange(n), [i * (n // k) for i in
                                                                     range(1, k)])),
     "differ by at most one"),  # the last block takes the rest
    ("kfold_indices", lambda n, k: [np.arange(n)] * k, "each fold must be a pair"),
    ("kfold_indices", lambda n, k: [(train, np.append(val, val[0]))
                                    for train, val in nb07.kfold_indices(n, k)], "overlap"),
    ("kfold_indices", lambda n, k: [(train + 1, val) for train, val in nb07.kfold_indices(n, k)],
     "outside 0.."),
    ("kfold_indices", lambda n, k: [(val, train) for train, val in nb07.kfold_indices(n, k)],
     "(validation, training)"),
    ("kfold_indices", lambda n, k: itertools.repeat((np.arange(1),) * 2), "returns more than"),
    ("fold_scores", lambda m, X, y, f: nb07.fold_scores(m, X, y, f[:3]), ""),  # 3 folds
    ("fold_scores", lambda m, X, y, f: np.mean(nb07.fold_scores(m, X, y, f)),
     "returns the mean over the folds"),
    ("fold_scores", lambda m, X, y, f: np.pad(  # five scores, hard-coded
        [m().fit(X[t], y[t]).score(X[v], y[v]) for t, v in f[:5]],
        (0, max(0, 5 - len(f)))), "expected one score per fold"),
    ("fold_scores", lambda m, X, y, f: 100 * nb07.fold_scores(m, X, y, f), "percentages"),
    ("fold_scores", lambda m, X, y, f: (lambda model: [  # made once, outside the loop
        model.fit(X[t], y[t]).score(X[v], y[v]) for t, v in f])(m()),
     "fits one model again and again"),
    ("fold_scores", lambda m, X, y, f: [m().fit(X[v], y[v]).score(X[t], y[t]) for t, v in f],
     "trains on the validation part"),
    ("fold_scores", lambda m, X, y, f: [m().fit(X, y).score(X[v], y[v]) for t, v in f],
     "a held-out fold it was trained on too"),
    ("fold_scores", lambda m, X, y, f: [m().fit(X[t], y[t]).score(X[t], y[t]) for t, v in f],
     "scores each model on images it trained on"),
    ("digit_shares", lambda y: np.bincount(y, minlength=10) / 12, ""),  # n from one input
    ("digit_shares", lambda y: np.bincount(y) / len(y), "stops at the largest label"),
    ("digit_shares", lambda y: np.unique(y, return_counts=True)[1] / len(y),
     "one number per digit that occurs"),
    ("digit_shares", lambda y: np.bincount(y, minlength=10), "returns counts"),
    ("digit_shares", lambda y: 100 * np.bincount(y, minlength=10) / len(y), "percentages"),
    ("digit_shares", lambda y: np.sort(np.bincount(y, minlength=10) / len(y)), "wrong order"),
    ("best_epoch", lambda v: np.argmax(v), "counts from 0"),
    ("best_epoch", lambda v: len(v) - np.argmax(v[::-1]), "last of two tied"),
    ("best_epoch", lambda v: np.max(v), "returns the best accuracy"),
    ("best_epoch", lambda v: np.argmin(v) + 1, "lowest accuracy"),
    ("early_stopping", lambda v, p: _early(v, p, keep_last=True), "keeps the last epoch"),
    ("early_stopping", lambda v, p: _early(v, p, tie=True), "counts a tie"),
    ("early_stopping", lambda v, p: _early(v, p, extra=1), "one epoch too long"),
    ("early_stopping", lambda v, p: _early(v, p, extra=-1), "one epoch too early"),
    ("early_stopping", lambda v, p: _early(v, p, stop=False), "never stops early"),
    ("early_stopping", lambda v, p: _early(v, p, base=0), "counts epochs from 0"),
    ("early_stopping", lambda v, p: _early(v, p)[1], "return a pair"),
    ("early_stopping", lambda v, p: _early(v, p, tie_moves_kept=True),
     "moves the kept epoch to a later tie"),
    ("ignored_pixels", lambda X: (X == 0).all(axis=0), "True/False mask"),
    ("ignored_pixels", lambda X: np.flatnonzero((X == 0).all(axis=1)), "wrong axis"),
    ("ignored_pixels", lambda X: np.flatnonzero((X == 0).any(axis=0)), "at least one image"),
    ("ignored_pixels", lambda X: np.flatnonzero(X.any(axis=0)), "the opposite"),
    ("ignored_pixels", lambda X: np.flatnonzero((X < 0.1).all(axis=0)), "faint ink"),
    ("ignored_pixels", lambda X: np.flatnonzero(X.std(axis=0) == 0), "never change"),
    ("most_confused_pair", lambda m: np.unravel_index(np.argmax(m + m.T), m.shape),
     "a diagonal entry"),
    ("most_confused_pair", lambda m: np.unravel_index(
        np.argmax(m - np.diag(np.diag(m))), m.shape), "one direction only"),
    ("most_confused_pair", lambda m: np.argmax((m + m.T) * (1 - np.eye(len(m)))), "flat index"),
    ("train_val_gap", lambda t, v: t[-1] - v[-1], "difference of fractions"),
    ("train_val_gap", lambda t, v: 100 * (v[-1] - t[-1]), "wrong sign"),
    ("train_val_gap", lambda t, v: 100 * abs(t[-1] - v[-1]), "drops the sign"),
    ("train_val_gap", lambda t, v: 100 * (max(t) - max(v)), "uses the best values"),
    ("train_val_gap", lambda t, v: 100 * (t[0] - v[0]), "uses the first epoch"),
    ("train_val_gap", lambda t, v: 100 * np.mean(t - v), "averages the gap"),
    ("train_val_gap", lambda t, v: 100 * (max(t) - v[-1]), "takes the best training accuracy"),
    ("train_val_gap", lambda t, v: int(100 * (t[-1] - v[-1])), "whole number"),
    ("per_digit_accuracy", lambda t, p: np.array(
        [np.mean(t[p == d] == d) for d in range(10)]), "precision"),
    ("per_digit_accuracy", lambda t, p: np.array(
        [np.sum((t == d) & (p == d)) for d in range(10)]), "counts the right predictions"),
    ("per_digit_accuracy", lambda t, p: 100 * nb10.per_digit_accuracy(t, p), "percentages"),
    ("per_digit_accuracy", lambda t, p: np.full(10, np.mean(t == p)), "overall accuracy"),
    ("mcnemar_test", _mcnemar(counts="swapped"), "swapped"),
    ("mcnemar_test", _mcnemar(counts="with agreements"),
     "include the images both models get right"),
    ("mcnemar_test", _mcnemar(counts="agreements"), "the images the two models agree on"),
    ("mcnemar_test", _mcnemar(counts="different predictions"),
     "both models get wrong, with different digits"),
    ("mcnemar_test", _mcnemar(p_value="uncapped"), "cap it at 1"),
    ("mcnemar_test", _mcnemar(p_value="one-sided"), "one-sided"),
    ("mcnemar_test", _mcnemar(p_value="lower tail"), "one-sided"),
    ("mcnemar_test", _mcnemar(p_value="all images"), "every image as a coin toss"),
    ("mcnemar_test", _mcnemar(p_value="chi-square"), "chi-square approximation"),
    # n hard-coded: some draws have that n, and the line may then name a near mistake
    ("mcnemar_test", _mcnemar(p_value="hard-coded"), ""),
    ("mcnemar_test", lambda y, a, b: _mcnemar_by_scipy(y, a, b)[:2], "expected three"),
    ("mcnemar_test", lambda *args: itertools.count(), "returns more than three values"),
] + [("softmax", candidate, wording) for candidate, wording in [  # odd input, odd results
    (_raising(ValueError("my own message")),
     "Your softmax raised ValueError: my own message (Z = [["),
    (_raising(NotImplementedError), "Not done yet: your softmax raises NotImplementedError"),
    (lambda Z: None, "Not done yet: your softmax returns None"),
    (lambda Z: ..., "Not done yet: your softmax returns `...`"),
    (lambda Z: (...).sum(), "Not done yet: a `...` placeholder is still in your softmax"),
    (lambda Z: np.ones((2, 2)), "(shape (2, 2)) for Z = [["),
    (lambda Z: "probabilities", "is not an array of numbers"),
    (lambda Z: [[1, 2], [3]], "is not an array of numbers"),
    (5, "needs your function itself, got 5 (int)"),
    (np.zeros(3), "got a NumPy array of shape (3,)"),
    (None, "Not done yet: check_softmax got None"),
    (_raising(SystemExit), "raised SystemExit"),
    (_raising(KeyboardInterrupt), "raised KeyboardInterrupt"),
    (_raising(_BadText), "raised _BadText"),  # whose text cannot be read
    (lambda Z: _Unread(_raising(SystemExit(3))), "raised SystemExit"),  # reading is fenced too
    (lambda Z: _Unread(lambda: _chatty_softmax(Z)), ""),  # which prints
]] + [("training_loop", loop(changes), wording) for changes, wording in [
    ({ORDER: "order = np.arange(n_samples)"}, "does not shuffle"),
    ({RNG: f"{RNG}\n        same = rng.permutation(len(X))", ORDER: "order = same"},
     "shuffles once and then reuses that order"),
    ({ORDER: "order = rng.choice(n_samples, size=n_samples)"}, "not every row once"),
    ({ORDER: "order = rng.integers(0, n_samples, n_samples)"}, "draw with replacement"),
    ({ORDER: "order = np.random.default_rng(self.seed).permutation(n_samples)"}, "shuffles once"),
    ({ORDER: "np.random.seed(self.seed); order = np.random.permutation(n_samples)"},
     "reseeds np.random, NumPy's global generator, every epoch"),
    ({ORDER: "order = np.random.permutation(n_samples)"},
     "draws its orders from np.random, NumPy's global generator"),
    ({ORDER: "order = np.random.default_rng().permutation(n_samples)"},
     "shuffled by a generator that is not rng = np.random.default_rng(self.seed)"),
    ({ORDER: "order = np.random.default_rng(0).permutation(n_samples)"},
     "not rng = np.random.default_rng(self.seed)"),
    ({"self.W -= self.learning_rate": "self.W += self.learning_rate",
      "self.b -= self.learning_rate": "self.b += self.learning_rate"}, "steps uphill"),
    ({STEP: STEP.replace("self.learning_rate", "1.0001 * self.learning_rate")},
     ("They differ in ", "is expected")),
    ({"error = (P - T[rows]) / len(rows)": "error = P - T[rows]"}, "not its mean"),
    ({BIAS_STEP: "pass"}, "never updates the bias"),
    ({BIAS_STEP: f"{BIAS_STEP} / len(rows)"}, "bias step divides by the batch size twice"),
    ({KEEP: "best = self.W, self.b, epoch"}, "weights of the last epoch"),
    ({"self.W, self.b, self.best_epoch = best": "self.best_epoch = best[2]"},
     "weights of the last epoch"),
    ({KEEP: "best = self.W.copy(), self.b.copy(), np.array([epoch, 0.5])"},
     "keeps best_epoch = a NumPy array of shape (2,)"),
    ({"self.b.copy(), epoch": "self.b.copy(), epoch - 1"}, "counts from 0"),
    ({"> best_accuracy": ">= best_accuracy"}, "counts a tie"),
    ({IMPROVED: IMPROVED.replace("val_accuracy", "train_accuracy")},
     "judges improvement on the training accuracy"),
    ({STOP: STOP.replace(">=", ">")}, "stops one epoch late"),
    ({STOP: STOP.replace(">= self.patience", ">= self.patience - 1")}, "stops one epoch early"),
    ({STOP: STOP.replace("self.patience is not None and ", "")}, "cannot take patience=None"),
    ({"if out_of_patience:\n                break": "pass"}, "never stops early"),
    ({"return self\n": "return None\n"}, "does not end with `return self`"),
    ({"n_samples, n_classes = len(X), y.max() + 1":
      "X -= X.mean(axis=0)\n        n_samples, n_classes = len(X), y.max() + 1"},
     "changes its argument X in place"),
    ({ORDER: "order = ...", STEP: "self.W -= ...", BIAS_STEP: "self.b -= ...",
      IMPROVED: "improved = ...", KEEP: "best = ...", STOP: "out_of_patience = ..."},
     ("Not done yet", "placeholder")),  # the skeleton as handed out
    ({STOP: "out_of_patience = ..."}, "Not done yet"),
]] + [
    ("training_loop", nb02.MySoftmaxRegression(), "not a model made from it"),
    ("training_loop", print, "needs your class"),
]


@pytest.mark.parametrize(("topic", "candidate", "wording"), WRONG,
                         ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(WRONG)])
def test_wrong_answers_are_named(capsys, topic, candidate, wording):
    rejected(capsys, topic, candidate, *([wording] if isinstance(wording, str) else wording))


def _pair_by(both_ways, stop=0):
    both_ways = both_ways.copy()
    np.fill_diagonal(both_ways, 0)
    size = len(both_ways) - stop
    a, b = np.unravel_index(np.argmax(both_ways[:size, :size]), (size, size))
    return int(min(a, b)), int(max(a, b))


def _spread(shift):
    """Softmax with each row shifted by ``shift(Z)`` instead of its maximum."""
    return lambda Z: (lambda E: E / E.sum(axis=1, keepdims=True))(np.exp(Z - shift(Z)))


# (topic, candidate, words its line holds, words it must not hold): on seeds 0 to 7 each
EVERY_DRAW = [
    ("best_epoch", lambda v: int(np.argmax(v[:-1])) + 1, "gives", ""),
    ("best_epoch", lambda v: int(np.argmax(v[1:])) + 2, "gives", ""),
    ("best_epoch", lambda v: len(v), "", "finds the lowest accuracy"),
    ("best_epoch", lambda v: 3, "gives", "Seen for"),  # a constant matches nothing by chance
    ("most_confused_pair", lambda m: _pair_by(m * m.T), "gives", ""),
    ("most_confused_pair", lambda m: _pair_by(np.minimum(m, m.T)), "gives", ""),
    ("most_confused_pair", lambda m: _pair_by(m + m.T, stop=1), "", ""),
    ("numerical_gradient", lambda loss, W, h: _fd(loss, W, 1e-5), "gives", ""),  # a fixed h
    ("ignored_pixels", lambda X: np.flatnonzero(X.sum(axis=0) < 1e-3), "faint ink", ""),
    ("ignored_pixels", lambda X: [j for j in range(1, X.shape[1]) if not X[:, j].any()],
     "gives", ""),
    ("ignored_pixels", lambda X: [j for j in range(X.shape[1] - 1) if not X[:, j].any()],
     "gives", ""),
    ("ignored_pixels", lambda X: [], "", "looks along the wrong axis"),
    ("fold_scores", lambda m, X, y, f: (lambda template: [  # a clone of one template
        clone(template).fit(X[t], y[t], X[v], y[v]).score(X[v], y[v]) for t, v in f])(m()),
     "handed to fit as validation data", ""),
    ("one_hot", lambda y, k: np.hstack([np.eye(k - 1)[np.minimum(y, k - 2)],
                                        np.zeros((len(y), 1))]), "gives", ""),
    ("early_stopping", lambda v, p: _early(v, p, reset=False), "", ""),
    ("early_stopping", lambda v, p: (EXERCISES["early_stopping"].answer(v, p)[0],
                                     int(np.argmax(v)) + 1), "gives", ""),
    ("early_stopping", lambda v, p: (min(len(v), int(np.argmax(v)) + 1 + p),
                                     int(np.argmax(v)) + 1), "", ""),
    ("early_stopping", lambda v, p: (5, 2), "gives", "Seen for"),
    ("kfold_indices", lambda n, k: _folds(n, _blocks(n, k, -(-n // k))),
     "validation blocks of sizes", ""),
    ("train_val_gap", lambda t, v: round(100 * (t[-1] - v[-1]), 1), "rounds the gap", "Seen for"),
    ("train_val_gap", lambda t, v: 100 * (np.min(t) - np.min(v)), "gives", "Seen for"),
    ("cross_entropy_from_scores",
     lambda Z, T: len(Z) * nb02.cross_entropy_from_scores(Z, T) / (len(Z) - 1), "gives",
     "Seen for"),
    ("cross_entropy_from_scores", lambda Z, T: len(Z) / 4 * nb02.cross_entropy_from_scores(Z, T),
     "", "capped"),
    ("confusion_matrix", lambda t, p, n: sklearn_confusion_matrix(t, p),
     "sized by the number of labels that occur", "Seen for"),
    ("softmax", _spread(lambda Z: Z.min(axis=1, keepdims=True)), "overflows", ""),
    ("softmax", _spread(lambda Z: Z[:, :1]), "overflows", ""),
    ("softmax", _spread(lambda Z: Z.mean(axis=1, keepdims=True)), "overflows", ""),
]


@pytest.mark.parametrize(("topic", "wrong", "wording", "absent"), EVERY_DRAW,
                         ids=[f"{t}-{i}" for i, (t, *_) in enumerate(EVERY_DRAW)])
def test_wrong_answers_that_passed_or_misled_on_some_draws(capsys, topic, wrong, wording, absent):
    """Fail on eight draws, with the line named and never a mistake they do not make."""
    for seed in range(8):
        rejected(capsys, topic, wrong, wording, absent=absent, seed=seed)


def test_the_loop_the_mistakes_change_is_the_worked_class():
    """The mistakes change one piece of a loop that runs exactly as the class shown."""
    exercise = EXERCISES["training_loop"]
    for case in exercise.cases(np.random.default_rng(5)):
        worked = exercise.read(exercise.run(exercise.answer, case), case)
        pieces = exercise.read(exercise.run(_loop._Loop, case), case)
        assert _loop._same_run(worked, pieces)
        assert worked["draws"] and len(worked["history"]["loss"]) > worked["best_epoch"]


# -- checks that cannot be broken from outside ---------------------------------------------------


@pytest.mark.parametrize(("topic", "overrun"), [
    ("kfold_indices", lambda stop: lambda n_samples, n_splits: stop.wait(30)),  # the call
    ("softmax", lambda stop: lambda Z: _Unread(lambda: stop.wait(30))),  # reading what it returned
], ids=["call", "read"])
def test_an_overrun_ends_the_check_and_the_next_is_refused(capsys, topic, overrun):
    stop = threading.Event()
    started = time.monotonic()
    try:
        result = judge(dataclasses.replace(EXERCISES[topic], seconds=0.3), overrun(stop))
        assert not result and "did not finish within 0.3 seconds" in result.message
        assert "restart the kernel" in result.message and time.monotonic() - started < 5
        refused = exercises.check_softmax(nb02.softmax)
        assert not refused and "still running in the background" in refused.message
        assert "restart the kernel" in refused.message
    finally:
        stop.set()
    passes(capsys, "softmax", nb02.softmax)


def test_rebinding_a_worked_answer_changes_no_check(monkeypatch):
    def wrong(Z):
        return np.full(Z.shape, 1 / Z.shape[1])

    learners_class = loop()  # made before the patch, with its own log_softmax
    monkeypatch.setattr(nb02, "softmax", wrong)
    monkeypatch.setattr(nb02, "log_softmax", lambda Z: np.zeros(Z.shape))
    assert not exercises.check_softmax(wrong)
    assert exercises.check_softmax(EXERCISES["softmax"].answer)
    assert exercises.check_gradient(EXERCISES["gradient"].answer)
    assert exercises.check_training_loop(learners_class)


def test_the_expected_values_are_out_of_reach_while_the_learners_function_runs():
    """No frame holds the right answer while the learner's function runs."""
    found = []

    def snooping(Z):
        right = nb02.softmax(Z)
        for frame in sys._current_frames().values():
            while frame is not None:
                for value in list(frame.f_locals.values()):
                    if isinstance(value, np.ndarray) and value is not right \
                            and value.shape == right.shape and np.allclose(value, right):
                        found.append(value)
                frame = frame.f_back
        return right

    assert exercises.check_softmax(snooping)
    assert found == []


def test_a_result_is_one_line_shown_once():
    right = exercises.check_accuracy(EXERCISES["accuracy"].answer)
    wrong = exercises.check_accuracy(lambda a, b: 0.5)
    assert bool(right) and right.passed and not wrong and wrong.passed is False
    assert repr(right) == f"✓ {right.message}" and repr(wrong).startswith("✗ Your accuracy")
    html = wrong._repr_html_()
    assert "white-space: normal" in html and "&lt;" not in repr(wrong)
    assert exercises.check_softmax(lambda Z: "<b>")._repr_html_().count("<b>") == 0
