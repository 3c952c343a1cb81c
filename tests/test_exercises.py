"""The exercise checks: they accept right answers, reject wrong ones and name each mistake.

The mistakes of every exercise's record are fed to its check as if a learner had
written them, and must get their own line back; so must the mistakes below,
written independently, the way learners write them. Right answers in other
styles must pass, and answers that are constant or hard-coded to one input's
size must fail. Every check draws fresh inputs on every call.
"""

from __future__ import annotations

import inspect
import itertools
import json
import re
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

from mnist_lr import exercises
from mnist_lr.exercises import EXERCISES, _engine, _loop, nb02, nb06, nb07, nb10
from mnist_lr.exercises._engine import judge

ROOT = Path(__file__).resolve().parents[1]
TOPICS = list(EXERCISES)
MISTAKE_CASES = [(topic, i) for topic, exercise in EXERCISES.items()
                 for i in range(len(exercise.mistakes))]


def run(capsys, check, candidate):
    """Run a check; return (its result, its line). The check itself prints nothing."""
    result = check(candidate)
    out, err = capsys.readouterr()
    assert (out, err) == ("", ""), f"a check printed {out!r} {err!r}"
    assert isinstance(result, _engine.Result) and "\n" not in repr(result), repr(result)
    return result, repr(result)


def assert_rejected(capsys, check, candidate, *wording):
    result, line = run(capsys, check, candidate)
    assert not result and result.passed is False, line
    for words in wording:
        assert words in line, f"{words!r} not in {line!r}"
    return line


def check_of(topic):
    return getattr(exercises, f"check_{topic}")


# -- the table: every check, hint and solution comes from one record ------------------------


def test_every_exercise_has_its_check_hint_and_solution(capsys):
    for topic in TOPICS:
        getattr(exercises, f"hint_{topic}")()
        hint = capsys.readouterr().out
        assert hint.strip() and hint.count("\n") == 1, topic
        getattr(exercises, f"solution_{topic}")()
        solution = capsys.readouterr().out
        assert solution.rstrip() == inspect.getsource(EXERCISES[topic].answer).rstrip(), topic
    names = {f"{kind}_{topic}" for topic in TOPICS for kind in ("check", "hint", "solution")}
    assert names <= set(exercises.__all__)


@pytest.mark.parametrize("topic", TOPICS)
def test_the_worked_answer_passes(capsys, topic):
    result, line = run(capsys, check_of(topic), EXERCISES[topic].answer)
    assert result and result.passed and line.startswith("✓ Correct: "), line


@pytest.mark.parametrize("topic", TOPICS)
def test_the_printed_solution_passes_its_own_check(capsys, topic):
    getattr(exercises, f"solution_{topic}")()
    source = capsys.readouterr().out
    namespace = {"np": np, "log_softmax": nb02.log_softmax}
    exec(source, namespace)  # the code a learner would paste into the notebook
    name = re.search(r"^(?:def|class) (\w+)", source, re.MULTILINE).group(1)
    result, line = run(capsys, check_of(topic), namespace[name])
    assert result, line


@pytest.mark.parametrize(("topic", "index"), MISTAKE_CASES,
                         ids=[f"{topic}-{index}" for topic, index in MISTAKE_CASES])
def test_each_listed_mistake_gets_its_own_line(capsys, topic, index):
    mistake = EXERCISES[topic].mistakes[index]
    result, line = run(capsys, check_of(topic), mistake.wrong)
    assert not result and result.message == mistake.message, line


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mistakes_are_told_apart_on_any_draw(seed):
    # The inputs are drawn fresh; on every draw each mistake must stay distinct from the
    # worked answer and be named by its own line (or by one with the same words).
    for topic, exercise in EXERCISES.items():
        if topic == "training_loop":
            continue  # slower: its mistakes run once per test run above
        assert judge(exercise, exercise.answer, seed), topic
        for mistake in exercise.mistakes:
            assert judge(exercise, mistake.wrong, seed).message == mistake.message, (
                topic, mistake.message)


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


CONSTANTS = [0, 0.5, np.zeros(10), np.ones((3, 3)), (1, 2)]


@pytest.mark.parametrize("topic", TOPICS)
def test_constant_and_look_up_answers_fail(capsys, topic):
    check = check_of(topic)
    assert_rejected(capsys, check, _a_look_up(topic))
    if EXERCISES[topic].kind == "function":
        for constant in CONSTANTS:
            assert_rejected(capsys, check, lambda *args, value=constant: value)


@pytest.mark.parametrize(("topic", "candidate"), [
    ("one_hot", lambda y, n_classes: np.eye(5)[y]),
    ("gradient", lambda X, T, W, b: (X.T @ (nb02.softmax(X @ W + b) - T) / 5,
                                     (nb02.softmax(X @ W + b) - T).sum(axis=0) / 5)),
    ("accuracy", lambda a, b: np.sum(np.ravel(a) == np.ravel(b)) / 8),
    ("confusion_matrix", lambda t, p, n: nb06.confusion_matrix(t, p, 5)),
    ("confusion_matrix", lambda t, p, n: np.zeros((5, 5))),
    ("digit_shares", lambda y: np.bincount(y, minlength=10) / 12),
    ("kfold_indices", lambda n, k: nb07.kfold_indices(11, 3)),
    ("fold_scores", lambda make, X, y, folds: nb07.fold_scores(make, X, y, folds[:3])),
    ("numerical_gradient", lambda loss, W, h: nb02.numerical_gradient(
        lambda V: loss(V.reshape(W.shape)), W.reshape(3, 2), h).reshape(W.shape)),
])
def test_sizes_hard_coded_from_one_input_fail(capsys, topic, candidate):
    assert_rejected(capsys, check_of(topic), candidate)
def _softmax_by_rows(Z):
    return np.array([np.exp(z - max(z)) / np.exp(z - max(z)).sum() for z in Z])


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


def _kfold_shuffled(n_samples, n_splits):
    order = np.random.default_rng(3).permutation(n_samples)
    blocks = np.array_split(order, n_splits)
    return [(np.setdiff1d(order, block), block) for block in blocks]


def _kfold_sklearn(n_samples, n_splits):
    from sklearn.model_selection import KFold

    return list(KFold(n_splits).split(np.zeros(n_samples)))


def _folds_by_cross_val_score(make_model, X, y, folds):
    from sklearn.model_selection import cross_val_score

    return cross_val_score(make_model(), X, y, cv=folds)


def _folds_by_clone_with_validation_data(make_model, X, y, folds):
    from sklearn.base import clone

    template = make_model()
    return [clone(template).fit(X[train], y[train], X[val], y[val]).score(X[val], y[val])
            for train, val in folds]


def _folds_by_predict_also_scoring_training(make_model, X, y, folds):
    scores = []
    for train, val in folds:
        model = make_model()
        model.fit(X[train], y[train])
        print("training accuracy", model.score(X[train], y[train]))  # shown, not returned
        scores.append(float(np.mean(model.predict(X[val]) == y[val])))
    return scores


def _folds_one_model(make_model, X, y, folds):
    model = make_model()  # made once, outside the loop
    return [model.fit(X[train], y[train]).score(X[val], y[val]) for train, val in folds]


def _folds_five_hard_coded(make_model, X, y, folds):
    scores = np.zeros(5)
    for i, (train, val) in enumerate(folds[:5]):
        scores[i] = make_model().fit(X[train], y[train]).score(X[val], y[val])
    return scores


def _fd_on_copies(loss, W, h):
    """Another correct style: nudged copies of W, two plain loops."""
    grad = np.zeros_like(W)
    for i in range(W.shape[0]):
        for j in range(W.shape[1]):
            up, down = W.copy(), W.copy()
            up[i, j] += h
            down[i, j] -= h
            grad[i, j] = (loss(up) - loss(down)) / (2 * h)
    return grad


def _fd_undo_by_arithmetic(loss, W, h):
    """Another correct style: nudged in place and undone by adding h back."""
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
    from scipy import stats

    right_a, right_b = pred_a == y_true, pred_b == y_true
    only_a, only_b = np.sum(right_a & ~right_b), np.sum(right_b & ~right_a)
    if counts == "swapped":
        only_a, only_b = only_b, only_a
    elif counts == "with agreements":
        only_a, only_b = right_a.sum(), right_b.sum()
    elif counts == "agreements":
        only_a, only_b = np.sum(right_a & right_b), np.sum(~right_a & ~right_b)
    elif counts == "different predictions":
        only_b = np.sum(~right_a & (pred_a != pred_b))
    n = only_a + only_b
    p = {"exact": lambda: stats.binomtest(only_a, n).pvalue,
         "uncapped": lambda: 2 * stats.binom.cdf(min(only_a, only_b), n, 0.5),
         "one-sided": lambda: stats.binomtest(only_a, n, alternative="greater").pvalue,
         "lower tail": lambda: stats.binom.cdf(min(only_a, only_b), n, 0.5),
         "all images": lambda: stats.binomtest(only_a, len(y_true)).pvalue,
         "chi-square": lambda: stats.chi2.sf((abs(only_a - only_b) - 1) ** 2 / n, 1),
         "hard-coded": lambda: stats.binomtest(only_a, 12).pvalue}[p_value]()
    return only_a, only_b, p


def _mcnemar_by_disagreement(y_true, pred_a, pred_b):
    """Another correct style: where the predictions differ, at most one of them is right."""
    differ = pred_a != pred_b
    only_a = int(np.sum(differ & (pred_a == y_true)))
    only_b = int(np.sum(differ & (pred_b == y_true)))
    return only_a, only_b, nb10.mcnemar_test(y_true, pred_a, pred_b)[2]


def _mcnemar_from_the_package(y_true, pred_a, pred_b):
    """Another correct answer: the package's own test, a named tuple of three."""
    from mnist_lr.stats import mcnemar

    return mcnemar(y_true, pred_a, pred_b)


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


ALTERNATIVES = [
    ("one_hot", lambda y, n: np.eye(n, dtype=int)[y]),
    ("one_hot", lambda y, n: y[:, None] == np.arange(n)),  # booleans
    ("one_hot", _one_hot_by_loop),
    ("softmax", lambda Z: (lambda E: E / E.sum(axis=-1, keepdims=True))(
        np.exp(Z - Z.max(axis=-1, keepdims=True)))),
    ("softmax", lambda Z: np.exp(Z - Z.max(axis=1)[:, None])
     / np.exp(Z - Z.max(axis=1)[:, None]).sum(axis=1)[:, None]),
    ("softmax", _softmax_by_rows),
    ("cross_entropy_from_scores", lambda Z, T: float(np.mean(
        np.log(np.exp(Z - Z.max(1, keepdims=True)).sum(1)) + Z.max(1) - (Z * T).sum(1)))),
    ("accuracy", lambda y_true, y_pred: np.count_nonzero(y_true.ravel() == y_pred.ravel())
     / y_true.size),
    ("confusion_matrix", _confusion_by_loop),
    ("confusion_matrix", lambda t, p, n: np.eye(n, dtype=int)[t].T @ np.eye(n, dtype=int)[p]),
    ("kfold_indices", _kfold_shuffled),  # shuffled folds are fine
    ("kfold_indices", _kfold_sklearn),
    ("fold_scores", _folds_by_cross_val_score),
    ("fold_scores", _folds_by_predict_also_scoring_training),
    ("ignored_pixels", lambda X: np.nonzero(X.sum(axis=0) == 0)),  # a 1-tuple, in any order
    ("ignored_pixels", lambda X: [i for i in range(X.shape[1])[::-1] if not X[:, i].any()]),
    ("most_confused_pair", lambda m: nb06.most_confused_pair(m)[::-1]),  # either order
    ("most_confused_pair", _confused_by_loops),
    ("best_epoch", lambda v: list(v).index(max(v)) + 1),
    ("digit_shares", lambda y: np.array([np.mean(y == digit) for digit in range(10)])),
    ("accuracy", lambda y_true, y_pred: np.mean(y_true.reshape(-1) == y_pred.reshape(-1))),
    ("early_stopping", _early_stopping_by_while),
    ("train_val_gap", lambda t, v: float(100 * t[-1] - 100 * v[-1])),
    ("per_digit_accuracy", lambda t, p: np.diag(nb06.confusion_matrix(t, p, 10))
     / np.bincount(t, minlength=10)),
    ("numerical_gradient", _fd_on_copies),
    ("numerical_gradient", _fd_undo_by_arithmetic),
    ("mcnemar_test", _mcnemar_by_scipy),
    ("mcnemar_test", _mcnemar_by_disagreement),
    ("mcnemar_test", _mcnemar_from_the_package),
]


@pytest.mark.parametrize(("topic", "candidate"), ALTERNATIVES,
                         ids=[f"{t}-{i}" for i, (t, _) in enumerate(ALTERNATIVES)])
def test_other_correct_styles_pass(capsys, topic, candidate):
    result, line = run(capsys, check_of(topic), candidate)
    assert result, line


def _softmax_in_place(Z):
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    return Z


def _softmax_one_row_only(z):
    m = max(z)  # fine for one row; ambiguous truth value for a 2-D array
    return np.exp(z - m) / np.exp(z - m).sum()


def _one_hot_with_label(y, n_classes):
    encoded = np.zeros((len(y), n_classes))
    encoded[np.arange(len(y)), y] = y
    return encoded


def _stable_softmax(Z):
    return nb02.softmax(Z)


def _confusion_fancy(y_true, y_pred, n_classes):
    m = np.zeros((n_classes, n_classes), dtype=int)
    m[y_true, y_pred] += 1
    return m


def _confusion_fancy_swapped(y_true, y_pred, n_classes):
    m = np.zeros((n_classes, n_classes), dtype=int)
    m[y_pred, y_true] += 1
    return m


def _kfold_floor(n_samples, n_splits, train_from_blocks=False):
    size = n_samples // n_splits
    order = np.arange(n_samples)
    blocks = [order[i * size:(i + 1) * size] for i in range(n_splits)]
    folds = []
    for i, block in enumerate(blocks):
        train = (np.concatenate(blocks[:i] + blocks[i + 1:]) if train_from_blocks
                 else np.setdiff1d(order, block))
        folds.append((train, block))
    return folds


def _kfold_last_takes_rest(n_samples, n_splits):
    size = n_samples // n_splits
    order = np.arange(n_samples)
    bounds = [i * size for i in range(n_splits)] + [n_samples]
    return [(np.setdiff1d(order, order[a:b]), order[a:b]) for a, b in zip(bounds, bounds[1:])]


def _kfold_article_roll(n_samples, n_splits):
    # rolls by the rounded-up size, so uneven folds overlap
    order = np.arange(n_samples)
    size = -(-n_samples // n_splits)
    folds = []
    for _ in range(n_splits):
        folds.append((order[size:], order[:size]))
        order = np.roll(order, size)
    return folds


def _ce_log(Z, T, eps=0.0, clip=False):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    if clip:
        P = np.clip(P, 1e-12, 1)
    return -(T * np.log(P + eps)).sum(axis=1).mean()


def _naive_ce(Z, T):
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    return -(T * np.log(P)).sum(axis=1).mean()


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
    P = Z if scores else _stable_softmax(Z)
    error = sign * (P - T)
    n = len(X) if scale is None else scale
    dW = X.T @ error / n
    db = {"mean": error.sum(axis=0) / n, "sum": error.sum(axis=0),
          "zeros": np.zeros(W.shape[1]), "per row": error.sum(axis=1) / n}[db_mode]
    return (dW.T if transpose else dW), db


def _l2(X, T, W, b, alpha, *, penalty=lambda W, alpha, n: alpha * W, bias=0.0):
    dW, db = _grad(X, T, W, b)
    return dW + penalty(W, alpha, len(X)), db + bias * alpha * b


def _early(curve, patience, *, tie=False, extra=0, keep_last=False, stop=True, base=1):
    best, since, kept = -1.0, 0, None
    for epoch, value in enumerate(curve, start=base):
        if value > best or (tie and value == best):
            best, kept, since = value, epoch, 0
        else:
            since += 1
        if stop and since >= patience + extra:
            return epoch, (epoch if keep_last else kept)
    return len(curve) - 1 + base, kept


LEARNER_MISTAKES = [
    # one_hot
    ("one_hot", lambda y, n: np.eye(n)[y].T, "transposed"),
    ("one_hot", lambda y, n: np.eye(len(np.unique(y)))[np.unique(y, return_inverse=True)[1]],
     "one column per distinct label"),
    ("one_hot", lambda y, n: np.eye(y.max() + 1)[y], "y.max() + 1"),
    ("one_hot", _one_hot_with_label, "must be 0 or 1"),
    ("one_hot", lambda y, n: np.zeros((len(y), n)),
     "gives [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...] (shape"),
    ("one_hot", lambda y, n: np.eye(n)[y - 1], "; expected ["),
    # softmax
    ("softmax", lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True), "overflows"),
    ("softmax", lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0), "wrong axis"),
    ("softmax", lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)), "without normalising"),
    ("softmax", lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(), "whole array"),
    ("softmax", _softmax_one_row_only, "raised ValueError: The truth value"),
    ("softmax", lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1), "keepdims=True"),
    ("softmax", lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=1, keepdims=True),
     "maximum of the whole array"),
    ("softmax", _softmax_in_place, "changes its argument Z in place"),
    # cross-entropy
    ("cross_entropy_from_scores", lambda Z, T: _ce_log(Z, T, eps=1e-7), "capped"),
    ("cross_entropy_from_scores", lambda Z, T: _ce_log(Z, T, clip=True), "capped"),
    ("cross_entropy_from_scores", lambda Z, T: len(Z) * _ce_log(Z, T), "adds up the losses"),
    ("cross_entropy_from_scores", lambda Z, T: _ce_log(Z, T) / Z.shape[1], "all n × k entries"),
    ("cross_entropy_from_scores", lambda Z, T: -(T * np.log(Z)).sum(axis=1).mean(),
     "log of the scores"),
    ("cross_entropy_from_scores", lambda Z, T: _ce_log(_stable_softmax(Z), T), "softmax twice"),
    ("cross_entropy_from_scores", lambda Z, T: -_ce_log(Z, T), "wrong sign"),
    ("cross_entropy_from_scores", lambda Z, T: -(T * np.log(_stable_softmax(Z))).sum(axis=1),
     "one loss per row"),
    ("cross_entropy_from_scores", lambda Z, T: -(T * np.log(_stable_softmax(Z))), "table"),
    ("cross_entropy_from_scores", _naive_ce, "nan for a score of 800"),
    ("cross_entropy_from_scores", lambda Z, T: _ce_log(Z, T), "nan for a score of 800"),
    # gradient
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
    # numerical gradient (the finite-difference check)
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
    ("numerical_gradient", lambda loss, W, h: _fd(loss, W, h, shape=(3, 2)),
     "raised IndexError"),
    ("numerical_gradient", lambda loss, W, h: _fd(loss, W, h)[:, :2],
     "; expected ["),
    # l2 gradient
    ("l2_gradient", lambda X, T, W, b, alpha: _grad(X, T, W, b), "no penalty term"),
    ("l2_gradient", lambda X, T, W, b, alpha: _l2(X, T, W, b, alpha, bias=1.0),
     "penalises the bias"),
    ("l2_gradient", lambda X, T, W, b, alpha: _l2(X, T, W, b, alpha, penalty=lambda W, a, n: a),
     "adds alpha to every weight"),
    ("l2_gradient", lambda X, T, W, b, alpha: _l2(X, T, W, b, alpha,
                                                  penalty=lambda W, a, n: a * 2 * W),
     "adds 2 * alpha * W"),
    ("l2_gradient", lambda X, T, W, b, alpha: _l2(X, T, W, b, alpha,
                                                  penalty=lambda W, a, n: a / 2 * W),
     "adds alpha/2 * W"),
    ("l2_gradient", lambda X, T, W, b, alpha: _l2(X, T, W, b, alpha,
                                                  penalty=lambda W, a, n: -a * W),
     "subtracts alpha * W"),
    ("l2_gradient", lambda X, T, W, b, alpha: _l2(X, T, W, b, alpha,
                                                  penalty=lambda W, a, n: a * W / n),
     "divides the penalty by n"),
    ("l2_gradient", lambda X, T, W, b, alpha: (lambda g: (g[0] + alpha * W, g[1]))(
        _grad(X, T, W, b, sign=-1)), "cross-entropy part has the wrong sign"),
    # accuracy
    ("accuracy", lambda y_true, y_pred: np.sum(y_true == y_pred), "number of right predictions"),
    ("accuracy", lambda y_true, y_pred: 100 * np.mean(y_true.ravel() == y_pred.ravel()),
     "percentage"),
    ("accuracy", lambda y_true, y_pred: np.mean(y_true == y_pred),
     "broadcasts them into an n × n table"),
    ("accuracy", lambda y_true, y_pred: y_true == y_pred, "one True/False per sample"),
    ("accuracy", lambda y_true, y_pred: np.sum(y_true != y_pred) / len(y_true),
     "share of wrong predictions"),
    ("accuracy", lambda y_true, y_pred: np.sum(y_true == y_pred) // len(y_true),
     "integer division"),
    # confusion matrix
    ("confusion_matrix", lambda t, p, n: nb06.confusion_matrix(p, t, n), "swapped"),
    ("confusion_matrix", _confusion_fancy, "counts a repeated (true, predicted) pair only once"),
    ("confusion_matrix", _confusion_fancy_swapped, "and has rows and columns swapped"),
    ("confusion_matrix", lambda t, p, n: nb06.confusion_matrix(t, p, max(t.max(), p.max())
                                                                     + 1),
     "sized by the largest label"),
    ("confusion_matrix", lambda t, p, n: nb06.confusion_matrix(t[:-1], p[:-1], n),
     "; expected ["),
    # k-fold
    ("kfold_indices", lambda n, k: nb07.kfold_indices(n, k)[:-1], "folds for n_splits"),
    ("kfold_indices", _kfold_article_roll, "overlap"),
    ("kfold_indices", _kfold_floor, "never validated"),
    ("kfold_indices", lambda n, k: [(np.arange(n), val) for _, val in
                                    nb07.kfold_indices(n, k)],
     "trains on every sample"),
    ("kfold_indices", lambda n, k: [(train[1:], val) for train, val in
                                    nb07.kfold_indices(n, k)],
     "samples left out of both parts of a fold"),
    ("kfold_indices", _kfold_last_takes_rest, "differ by at most one"),
    ("kfold_indices", lambda n, k: [np.arange(n)] * k, "each fold must be a pair"),
    ("kfold_indices", lambda n, k: [(train, np.append(val, val[0])) for train, val in
                                    nb07.kfold_indices(n, k)], "overlap"),
    ("kfold_indices", lambda n, k: [(train + 1, val) for train, val in
                                    nb07.kfold_indices(n, k)], "outside 0.."),
    # the fold loop
    ("fold_scores", lambda make, X, y, folds: np.mean(nb07.fold_scores(make, X, y, folds)),
     "returns the mean over the folds"),
    ("fold_scores", _folds_five_hard_coded, "expected one score per fold"),
    ("fold_scores", lambda make, X, y, folds: 100 * nb07.fold_scores(make, X, y, folds),
     "percentages"),
    ("fold_scores", _folds_one_model, "fits one model again and again"),
    ("fold_scores", lambda make, X, y, folds: [make().fit(X[val], y[val]).score(X[train], y[train])
                                               for train, val in folds],
     "trains on the validation part"),
    ("fold_scores", lambda make, X, y, folds: [make().fit(X, y).score(X[val], y[val])
                                               for train, val in folds],
     "a held-out fold it was trained on too"),
    ("fold_scores", lambda make, X, y, folds: [make().fit(X[train], y[train]).score(X[train],
                                                                                    y[train])
                                               for train, val in folds],
     "scores each model on images it trained on"),
    # digit shares
    ("digit_shares", lambda y: np.bincount(y) / len(y), "stops at the largest label"),
    ("digit_shares", lambda y: np.unique(y, return_counts=True)[1] / len(y),
     "one number per digit that occurs"),
    ("digit_shares", lambda y: np.bincount(y, minlength=10), "returns counts"),
    ("digit_shares", lambda y: 100 * np.bincount(y, minlength=10) / len(y), "percentages"),
    ("digit_shares", lambda y: np.sort(np.bincount(y, minlength=10) / len(y)), "wrong order"),
    # best epoch
    ("best_epoch", lambda v: np.argmax(v), "counts from 0"),
    ("best_epoch", lambda v: len(v) - np.argmax(v[::-1]), "last of two tied"),
    ("best_epoch", lambda v: np.max(v), "returns the best accuracy"),
    ("best_epoch", lambda v: np.argmin(v) + 1, "lowest accuracy"),
    # early stopping
    ("early_stopping", lambda v, p: _early(v, p, keep_last=True), "keeps the last epoch"),
    ("early_stopping", lambda v, p: _early(v, p, tie=True), "counts a tie"),
    ("early_stopping", lambda v, p: _early(v, p, extra=1), "one epoch too long"),
    ("early_stopping", lambda v, p: _early(v, p, extra=-1), "one epoch too early"),
    ("early_stopping", lambda v, p: _early(v, p, stop=False), "never stops early"),
    ("early_stopping", lambda v, p: _early(v, p, base=0), "counts epochs from 0"),
    ("early_stopping", lambda v, p: _early(v, p)[1], "return a pair"),
    # ignored pixels
    ("ignored_pixels", lambda X: (X == 0).all(axis=0), "True/False mask"),
    ("ignored_pixels", lambda X: np.flatnonzero((X == 0).all(axis=1)), "wrong axis"),
    ("ignored_pixels", lambda X: np.flatnonzero((X == 0).any(axis=0)), "at least one image"),
    ("ignored_pixels", lambda X: np.flatnonzero(X.any(axis=0)), "the opposite"),
    ("ignored_pixels", lambda X: np.flatnonzero((X < 0.1).all(axis=0)), "faint ink"),
    # most confused pair
    ("most_confused_pair", lambda m: np.unravel_index(np.argmax(m + m.T), m.shape),
     "a diagonal entry"),
    ("most_confused_pair", lambda m: np.unravel_index(
        np.argmax(m - np.diag(np.diag(m))), m.shape), "one direction only"),
    ("most_confused_pair", lambda m: np.argmax((m + m.T) * (1 - np.eye(len(m)))), "flat index"),
    # train/val gap
    ("train_val_gap", lambda t, v: t[-1] - v[-1], "difference of fractions"),
    ("train_val_gap", lambda t, v: 100 * (v[-1] - t[-1]), "wrong sign"),
    ("train_val_gap", lambda t, v: 100 * abs(t[-1] - v[-1]), "drops the sign"),
    ("train_val_gap", lambda t, v: 100 * (max(t) - max(v)), "uses the best values"),
    ("train_val_gap", lambda t, v: 100 * (t[0] - v[0]), "uses the first epoch"),
    ("train_val_gap", lambda t, v: 100 * np.mean(t - v), "averages the gap"),
    # per-digit accuracy
    ("per_digit_accuracy", lambda t, p: np.array(
        [np.mean(t[p == d] == d) for d in range(10)]), "precision"),
    ("per_digit_accuracy", lambda t, p: np.array(
        [np.sum((t == d) & (p == d)) for d in range(10)]), "counts the right predictions"),
    ("per_digit_accuracy", lambda t, p: 100 * nb10.per_digit_accuracy(t, p),
     "percentages"),
    ("per_digit_accuracy", lambda t, p: np.full(10, np.mean(t == p)), "overall accuracy"),
    # McNemar's test
    ("mcnemar_test", lambda y, a, b: _mcnemar_by_scipy(y, a, b, counts="swapped"), "swapped"),
    ("mcnemar_test", lambda y, a, b: _mcnemar_by_scipy(y, a, b, counts="with agreements"),
     "include the images both models get right"),
    ("mcnemar_test", lambda y, a, b: _mcnemar_by_scipy(y, a, b, counts="agreements"),
     "the images the two models agree on"),
    ("mcnemar_test", lambda y, a, b: _mcnemar_by_scipy(y, a, b, counts="different predictions"),
     "both models get wrong, with different digits"),
    ("mcnemar_test", lambda y, a, b: _mcnemar_by_scipy(y, a, b, p_value="uncapped"), "cap it at 1"),
    ("mcnemar_test", lambda y, a, b: _mcnemar_by_scipy(y, a, b, p_value="one-sided"), "one-sided"),
    ("mcnemar_test", lambda y, a, b: _mcnemar_by_scipy(y, a, b, p_value="lower tail"), "one-sided"),
    ("mcnemar_test", lambda y, a, b: _mcnemar_by_scipy(y, a, b, p_value="all images"),
     "every image as a coin toss"),
    ("mcnemar_test", lambda y, a, b: _mcnemar_by_scipy(y, a, b, p_value="chi-square"),
     "chi-square approximation"),
    ("mcnemar_test", lambda y, a, b: _mcnemar_by_scipy(y, a, b, p_value="hard-coded"),
     "; expected ["),
    ("mcnemar_test", lambda y, a, b: _mcnemar_by_scipy(y, a, b)[:2], "expected three"),
]




@pytest.mark.parametrize(("topic", "candidate", "wording"), LEARNER_MISTAKES,
                         ids=[f"{t}-{w[:30]}" for t, _, w in LEARNER_MISTAKES])
def test_mistakes_as_learners_write_them_are_named(capsys, topic, candidate, wording):
    assert_rejected(capsys, check_of(topic), candidate, wording)


def test_every_exercise_has_mistakes_written_by_hand():
    assert {topic for topic, _, _ in LEARNER_MISTAKES} | {"training_loop"} == set(TOPICS)


# -- the cases that once passed a wrong answer, failed a right one, or misled ----------------


def learner_class(**changes):
    """The worked class with some of its lines rewritten, as a learner might write them."""
    source = inspect.getsource(nb02.MySoftmaxRegression)
    for old, new in changes.items():
        assert old in source, old
        source = source.replace(old, new)
    namespace = {"np": np, "log_softmax": nb02.log_softmax}
    exec(source, namespace)
    return namespace["MySoftmaxRegression"]


ORDER = "order = rng.permutation(n_samples)"
STOP = ("out_of_patience = (\n"
        "                self.patience is not None and epochs_since_best >= self.patience\n"
        "            )")
IMPROVED = 'improved = self.history["val_accuracy"][-1] > best_accuracy'

ONCE_WRONG = [
    ("accuracy", lambda y_true, y_pred: np.mean(y_true == np.ravel(y_pred)), "broadcasts"),
    ("accuracy", lambda y_true, y_pred: np.mean(y_true == y_pred.T), "broadcasts"),
    ("training_loop", learner_class(**{STOP: STOP.replace("self.patience is not None and ", "")}),
     "cannot take patience=None"),
    ("training_loop",
     learner_class(**{IMPROVED: IMPROVED.replace("val_accuracy", "train_accuracy")}),
     "judges improvement on the training accuracy"),
    ("one_hot", lambda y, n_classes: np.eye(5)[y], "Your one_hot"),
    ("train_val_gap", lambda t, v: 100 * (max(t) - v[-1]), "takes the best training accuracy"),
    ("ignored_pixels", lambda X: np.flatnonzero(X.std(axis=0) == 0), "never change"),
    ("softmax", lambda Z: (lambda E: E / E.sum(axis=1, keepdims=True))(np.exp(Z - Z.max())),
     "maximum of the whole array"),
    ("train_val_gap", lambda t, v: int(100 * (t[-1] - v[-1])), "whole number"),
    ("training_loop", learner_class(**{
        "self.b -= self.learning_rate * error.sum(axis=0)":
        "self.b -= self.learning_rate * error.sum(axis=0) / len(rows)"}),
     "bias step divides by the batch size twice"),
    ("one_hot", lambda y, n_classes: np.eye(len(y))[y], "one column per label (len(y))"),
    ("kfold_indices", lambda n, k: [(val, train) for train, val in nb07.kfold_indices(n, k)],
     "(validation, training)"),
    ("early_stopping", lambda v, p: _early(v, p, tie=False) if False else _tie_moves_kept(v, p),
     "moves the kept epoch to a later tie"),
    ("confusion_matrix", lambda t, p, n: (lambda m: m / m.sum(axis=1, keepdims=True))(
        nb06.confusion_matrix(t, p, n)), "divides each row by its total"),
    ("gradient", lambda X, T, W, b: (lambda E: (X.T @ (E / E.sum(1, keepdims=True) - T) / len(X),
                                                (E / E.sum(1, keepdims=True) - T).mean(0)))(
        np.exp(X @ W)), "leaves the bias out of the scores"),
]


def _tie_moves_kept(val_accuracy, patience):
    best, since_best = -1.0, 0
    for epoch, value in enumerate(val_accuracy, start=1):
        if value >= best:  # a tie moves the kept epoch but is no new best
            since_best = since_best + 1 if value == best else 0
            kept, best = epoch, value
        else:
            since_best += 1
        if since_best >= patience:
            return epoch, kept
    return len(val_accuracy), kept


@pytest.mark.parametrize(("topic", "candidate", "wording"), ONCE_WRONG,
                         ids=[f"{t}-{w[:25]}" for t, _, w in ONCE_WRONG])
def test_answers_that_once_misled_are_now_named(capsys, topic, candidate, wording):
    assert_rejected(capsys, check_of(topic), candidate, wording)


def test_cross_entropy_over_a_fixed_four_is_not_called_capped(capsys):
    line = assert_rejected(capsys, exercises.check_cross_entropy_from_scores,
                           lambda Z, T: len(Z) * nb02.cross_entropy_from_scores(Z, T) / 4)
    assert "capped" not in line


LOOP_ALTERNATIVES = [
    {ORDER: "order = rng.choice(n_samples, size=n_samples, replace=False)"},
    {ORDER: "order = np.arange(n_samples)\n            rng.shuffle(order)"},
    {ORDER: "order = rng.permuted(np.arange(n_samples))"},
    {"rng = np.random.default_rng(self.seed)": "rng = np.random.default_rng(self.seed)\n"
     "        spare = rng.normal(size=3)  # drawn, but not an order"},
    {STOP: "out_of_patience = (self.patience or float('inf')) <= epochs_since_best"},
    {"self.W = np.zeros((X.shape[1], n_classes))": "self.weights = np.zeros((X.shape[1], "
     "n_classes))\n        self.W = self.weights"},
]


@pytest.mark.parametrize("changes", LOOP_ALTERNATIVES, ids=range(len(LOOP_ALTERNATIVES)))
def test_any_valid_way_of_drawing_and_stopping_passes(capsys, changes):
    result, line = run(capsys, exercises.check_training_loop, learner_class(**changes))
    assert result, line


def test_drawing_from_np_random_is_named_as_such(capsys):
    cls = learner_class(**{ORDER: "order = np.random.permutation(n_samples)"})
    assert_rejected(capsys, exercises.check_training_loop, cls,
                    "draws its orders from np.random, NumPy's global generator")


LOOP_MISTAKES = [
    ({ORDER: "order = np.arange(n_samples)"}, "does not shuffle"),
    ({"rng = np.random.default_rng(self.seed)":
      "rng = np.random.default_rng(self.seed)\n        same = rng.permutation(len(X))",
      ORDER: "order = same"}, "shuffles once and then reuses that order"),
    ({ORDER: "order = rng.choice(n_samples, size=n_samples)"}, "not every row once"),
    ({"self.W -= self.learning_rate": "self.W += self.learning_rate",
      "self.b -= self.learning_rate": "self.b += self.learning_rate"}, "steps uphill"),
    ({"error = (P - T[rows]) / len(rows)": "error = P - T[rows]"}, "not its mean"),
    ({"self.b -= self.learning_rate * error.sum(axis=0)": "pass"}, "never updates the bias"),
    ({"best = self.W.copy(), self.b.copy(), epoch": "best = self.W, self.b, epoch"},
     "weights of the last epoch"),
    ({"self.W, self.b, self.best_epoch = best": "self.best_epoch = best[2]"},
     "weights of the last epoch"),
    ({"> best_accuracy": ">= best_accuracy"}, "counts a tie"),
    ({STOP: STOP.replace(">=", ">")}, "stops one epoch late"),
    ({STOP: STOP.replace(">= self.patience", ">= self.patience - 1")}, "stops one epoch early"),
    ({"if out_of_patience:\n                break": "pass"}, "never stops early"),
    ({"self.b.copy(), epoch": "self.b.copy(), epoch - 1"}, "counts from 0"),
    ({"return self\n": "return None\n"}, "does not end with `return self`"),
    ({"n_samples, n_classes = len(X), y.max() + 1":
      "X -= X.mean(axis=0)\n        n_samples, n_classes = len(X), y.max() + 1"},
     "changes its argument X in place"),
]


@pytest.mark.parametrize(("changes", "wording"), LOOP_MISTAKES,
                         ids=[w for _, w in LOOP_MISTAKES])
def test_training_loop_mistakes_are_named(capsys, changes, wording):
    assert_rejected(capsys, exercises.check_training_loop, learner_class(**changes), wording)


def test_training_loop_skeleton_is_not_done(capsys):
    skeleton = {
        ORDER: "order = ...",
        "self.W -= self.learning_rate * (X[rows].T @ error)": "self.W -= ...",
        "self.b -= self.learning_rate * error.sum(axis=0)": "self.b -= ...",
        IMPROVED: "improved = ...",
        "best = self.W.copy(), self.b.copy(), epoch": "best = ...",
        STOP: "out_of_patience = ...",
    }
    assert_rejected(capsys, exercises.check_training_loop, learner_class(**skeleton),
                    "Not done yet", "placeholder")
    last_only = {STOP: "out_of_patience = ..."}
    assert_rejected(capsys, exercises.check_training_loop, learner_class(**last_only),
                    "Not done yet")


def test_training_loop_wrong_input(capsys):
    assert_rejected(capsys, exercises.check_training_loop, nb02.MySoftmaxRegression(),
                    "not a model made from it")
    assert_rejected(capsys, exercises.check_training_loop, print, "needs your class")


def test_the_loop_the_mistakes_change_is_the_worked_class():
    # The mistakes are the worked loop with one piece changed: unchanged, it must run
    # exactly as the class a learner is shown, on every problem the check draws.
    exercise = EXERCISES["training_loop"]
    for case in exercise.cases(np.random.default_rng(5)):
        worked = exercise.read(exercise.run(exercise.answer, case), case)
        pieces = exercise.read(exercise.run(_loop._Loop, case), case)
        assert _loop._same_run(worked, pieces)
        assert worked["draws"] and len(worked["history"]["loss"]) > worked["best_epoch"]


# -- wrong input, odd results: always one clear line ------------------------------------------


def _raises_value_error(Z):
    raise ValueError("my own message")


def _not_implemented(Z):
    raise NotImplementedError


def _placeholder(Z):
    """The exercise cell as handed out."""
    ...  # your code here


def _ellipsis_inside(Z):
    E = ...
    return E[0] / E.sum()


@pytest.mark.parametrize(("candidate", "wording"), [
    (_raises_value_error, "Your softmax raised ValueError: my own message (Z = [["),
    (_not_implemented, "Not done yet: your softmax raises NotImplementedError"),
    (_placeholder, "Not done yet: your softmax returns None"),
    (lambda Z: ..., "Not done yet: your softmax returns `...`"),
    (_ellipsis_inside, "Not done yet: a `...` placeholder is still in your softmax"),
    (lambda Z: np.ones((2, 2)), "(shape (2, 2)) for Z = [["),
    (lambda Z: "probabilities", "is not an array of numbers"),
    (lambda Z: [[1, 2], [3]], "is not an array of numbers"),
    (5, "needs your function itself, got 5 (int)"),
    (np.zeros(3), "got a NumPy array of shape (3,)"),
    (None, "Not done yet: check_softmax got None"),
])
def test_wrong_input_gets_one_clear_line(capsys, candidate, wording):
    assert_rejected(capsys, exercises.check_softmax, candidate, wording)


ODD_RESULTS = [np.nan, "x", [[1, 2], [3]], (np.nan, 1), np.ones((2, 2)), 3.0, iter([1])]


@pytest.mark.parametrize("odd", ODD_RESULTS, ids=[repr(odd)[:12] for odd in ODD_RESULTS])
@pytest.mark.parametrize("topic", [topic for topic in TOPICS if topic != "training_loop"])
def test_an_odd_result_gets_one_line_never_a_traceback(capsys, topic, odd):
    assert_rejected(capsys, check_of(topic), lambda *args: odd)


# -- checks that cannot be broken from outside ---------------------------------------------------


def test_a_check_has_a_time_limit():
    import threading

    stop = threading.Event()

    def endless(n_samples, n_splits):
        while not stop.is_set():
            time.sleep(0.01)

    started = time.monotonic()
    try:
        result = exercises.check_kfold_indices(endless)
    finally:
        stop.set()
    assert not result and "did not finish within 5 seconds" in result.message
    assert time.monotonic() - started < 8


def test_an_endless_iterator_is_read_with_a_bound(capsys):
    def endless(n_samples, n_splits):
        while True:
            yield np.arange(1), np.arange(1)

    assert_rejected(capsys, exercises.check_kfold_indices, endless, "returns more than")
    assert_rejected(capsys, exercises.check_mcnemar_test, lambda *args: itertools.count(),
                    "returns more than three values")


@pytest.mark.parametrize("exception", [SystemExit, KeyboardInterrupt])
def test_system_exit_and_keyboard_interrupt_are_one_line(capsys, exception):
    def leaving(Z):
        raise exception

    assert_rejected(capsys, exercises.check_softmax, leaving, f"raised {exception.__name__}")


def test_the_learners_printing_is_kept_off_the_screen(capsys):
    def chatty(Z):
        print("debugging", Z.shape)
        print("debugging", file=sys.stderr)
        return nb02.softmax(Z)

    result, line = run(capsys, exercises.check_softmax, chatty)  # run() asserts no output
    assert result, line


@pytest.mark.parametrize("topic", TOPICS)
def test_the_learners_numpy_and_warnings_settings_break_nothing(capsys, topic):
    old = np.seterr(all="raise")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result, line = run(capsys, check_of(topic), EXERCISES[topic].answer)
            wrong = run(capsys, check_of(topic), lambda *args: 0)[0]
    finally:
        np.seterr(**old)
    assert result and not wrong, line


def test_numpy_warnings_do_not_reach_the_learner(capsys):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = exercises.check_softmax(lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1,
                                                                             keepdims=True))
    assert not caught, [str(w.message) for w in caught]
    assert "overflows" in result.message


def test_rebinding_a_worked_answer_changes_no_check(capsys, monkeypatch):
    def wrong(Z):
        return np.full(Z.shape, 1 / Z.shape[1])

    learners_class = learner_class()  # made before the patch, with its own log_softmax
    monkeypatch.setattr(nb02, "softmax", wrong)
    monkeypatch.setattr(nb02, "log_softmax", lambda Z: np.zeros(Z.shape))
    assert not exercises.check_softmax(wrong)
    assert exercises.check_softmax(EXERCISES["softmax"].answer)
    assert exercises.check_gradient(EXERCISES["gradient"].answer)
    assert exercises.check_training_loop(learners_class)


def test_the_expected_values_are_out_of_reach_while_the_learners_function_runs():
    # A function that looks through every frame for an array holding its own right answer
    # finds none: the worked answer runs only after the learner's function has returned.
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


# -- the verdict: one line, shown once ----------------------------------------------------------


def test_a_result_is_one_line_shown_once():
    right = exercises.check_accuracy(EXERCISES["accuracy"].answer)
    wrong = exercises.check_accuracy(lambda a, b: 0.5)
    assert bool(right) and right.passed and not wrong and wrong.passed is False
    assert repr(right) == f"✓ {right.message}" and repr(wrong).startswith("✗ Your accuracy")
    html = wrong._repr_html_()
    assert "white-space: normal" in html and "&lt;" not in repr(wrong)
    assert exercises.check_softmax(lambda Z: "<b>")._repr_html_().count("<b>") == 0


# -- one home for the worked answers --------------------------------------------------------------


def _solution_cells():
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if "solution" in cell["metadata"].get("tags", []) \
                    and cell.get("id", "").endswith("-solution"):
                yield path.name, "".join(cell["source"])


def test_the_notebooks_solution_cells_are_the_package_s_worked_answers():
    answers = {re.search(r"^(?:def|class) (\w+)", inspect.getsource(e.answer), re.M).group(1):
               inspect.getsource(e.answer).rstrip() for e in EXERCISES.values()}
    seen = set()
    for name, source in _solution_cells():
        first, body = source.split("\n", 1)
        assert first.startswith("# Solution"), name
        defined = re.search(r"^(?:def|class) (\w+)", body, re.M).group(1)
        assert body.rstrip() == answers[defined], f"{name}: {defined} differs from the package"
        seen.add(defined)
    assert seen == set(answers)


def test_every_subpackage_is_shipped():
    # setuptools ships only the packages its configuration finds: a subpackage left out
    # would be missing from every installed copy (Colab and Binder install the package).
    from setuptools.config.pyprojecttoml import read_configuration

    shipped = read_configuration(ROOT / "pyproject.toml")["tool"]["setuptools"]["packages"]
    folders = {f"mnist_lr.{p.parent.name}" for p in (ROOT / "mnist_lr").glob("*/__init__.py")}
    assert "mnist_lr.exercises" in folders and folders <= set(shipped)
    assert Path(exercises.__file__).parent == ROOT / "mnist_lr" / "exercises"


# -- answers a strict review tried: right ones pass, wrong ones are named, odd ones are one line --


def _shuffle_by_sorting(n_samples, rng):
    return np.argsort(rng.random(n_samples))


FISHER_YATES = """order = np.arange(n_samples)
            for i in range(n_samples - 1, 0, -1):
                j = rng.integers(0, i + 1)
                order[i], order[j] = order[j], order[i]"""

OTHER_SHUFFLES = [
    "order = np.argsort(rng.random(n_samples))",
    "order = rng.random(n_samples).argsort()",
    FISHER_YATES,
    "order = np.random.default_rng(self.seed + epoch).permutation(n_samples)",
]


@pytest.mark.parametrize("shuffle", OTHER_SHUFFLES, ids=range(len(OTHER_SHUFFLES)))
def test_any_fresh_shuffle_from_the_seed_passes(capsys, shuffle):
    result, line = run(capsys, exercises.check_training_loop, learner_class(**{ORDER: shuffle}))
    assert result and line.startswith("✓ Correct: "), line


def test_an_ellipsis_used_as_an_index_is_no_placeholder(capsys):
    step = "self.W -= self.learning_rate * (X[rows].T @ error)"
    learner = learner_class(**{step: step.replace("self.W -=", "self.W[...] -=")})
    result, line = run(capsys, exercises.check_training_loop, learner)
    assert result, line


@pytest.mark.parametrize(("shuffle", "wording"), [
    ("order = np.random.default_rng(self.seed).permutation(n_samples)", "shuffles once"),
    ("np.random.seed(self.seed); order = np.random.permutation(n_samples)",
     "reseeds np.random, NumPy's global generator, every epoch"),
    ("order = np.random.default_rng().permutation(n_samples)",
     "shuffled by a generator that is not rng = np.random.default_rng(self.seed)"),
])
def test_a_generator_made_again_or_elsewhere_is_named(capsys, shuffle, wording):
    assert_rejected(capsys, exercises.check_training_loop, learner_class(**{ORDER: shuffle}),
                    wording)


def test_a_best_epoch_that_is_not_a_number_is_one_line(capsys):
    keep = "best = self.W.copy(), self.b.copy(), epoch"
    learner = learner_class(**{keep: "best = self.W.copy(), self.b.copy(), np.array([epoch, 0.5])"})
    assert_rejected(capsys, exercises.check_training_loop, learner,
                    "keeps best_epoch = a NumPy array of shape (2,)")


def test_runs_that_print_alike_say_where_they_differ(capsys):
    step = "self.W -= self.learning_rate * (X[rows].T @ error)"
    faster = step.replace("self.learning_rate", "1.0001 * self.learning_rate")
    learner = learner_class(**{step: faster})
    line = assert_rejected(capsys, exercises.check_training_loop, learner, "They differ in ")
    assert "is expected" in line
    line = assert_rejected(capsys, exercises.check_softmax,
                           lambda Z: nb02.softmax(Z) + 1e-3 * nb02.softmax(Z).max())
    assert "expected [" in line


def test_float32_answers_pass():
    import scipy.special

    f32 = np.float32
    answers = {
        "softmax": lambda Z: scipy.special.softmax(Z.astype(f32), axis=1),
        "gradient": lambda X, T, W, b: nb02.gradient(*(a.astype(f32) for a in (X, T, W, b))),
        "l2_gradient": lambda X, T, W, b, alpha: EXERCISES["l2_gradient"].answer(
            *(a.astype(f32) for a in (X, T, W, b)), f32(alpha)),
    }
    for topic, answer in answers.items():
        for seed in range(15):
            result = judge(EXERCISES[topic], answer, seed)
            assert result, (topic, seed, repr(result))


@pytest.mark.parametrize("topic", ["softmax", "gradient", "l2_gradient"])
def test_float32_does_not_hide_a_mistake(capsys, topic):
    exercise = EXERCISES[topic]

    def in_float32(wrong):
        def answer(*args):
            result = wrong(*(np.asarray(a, dtype=np.float32) for a in args))
            return tuple(result) if isinstance(result, tuple) else result
        return answer

    for mistake in exercise.mistakes:
        assert_rejected(capsys, check_of(topic), in_float32(mistake.wrong))


def _spread(shift):
    def softmax(Z):
        E = np.exp(Z - shift(Z))
        return E / E.sum(axis=1, keepdims=True)
    return softmax


@pytest.mark.parametrize("shift", [lambda Z: Z.min(axis=1, keepdims=True), lambda Z: Z[:, :1],
                                   lambda Z: Z.mean(axis=1, keepdims=True)],
                         ids=["min", "first", "mean"])
def test_softmax_shifted_by_other_than_the_row_maximum_fails(capsys, shift):
    for _ in range(5):
        assert_rejected(capsys, exercises.check_softmax, _spread(shift), "overflows")


STRICT_WRONG = [
    ("best_epoch", lambda v: int(np.argmax(v[:-1])) + 1, "gives"),
    ("best_epoch", lambda v: int(np.argmax(v[1:])) + 2, "gives"),
    ("most_confused_pair", lambda m: _pair_by(m * m.T), "gives"),
    ("most_confused_pair", lambda m: _pair_by(np.minimum(m, m.T)), "gives"),
    ("most_confused_pair", lambda m: _pair_by(m + m.T, stop=1), ""),
    ("numerical_gradient", lambda loss, W, h: _fd(loss, W, 1e-5), "gives"),
    ("ignored_pixels", lambda X: np.flatnonzero(X.sum(axis=0) < 1e-3), "faint ink"),
    ("ignored_pixels", lambda X: [j for j in range(1, X.shape[1]) if not X[:, j].any()], "gives"),
    ("ignored_pixels", lambda X: [j for j in range(X.shape[1] - 1) if not X[:, j].any()],
     "gives"),
    ("fold_scores", _folds_by_clone_with_validation_data, "handed to fit as validation data"),
    ("one_hot", lambda y, k: np.hstack([np.eye(k - 1)[np.minimum(y, k - 2)],
                                        np.zeros((len(y), 1))]), "gives"),
    ("early_stopping", lambda v, p: _stopping_never_reset(v, p), ""),
    ("early_stopping", lambda v, p: (nb04_stop(v, p)[0], int(np.argmax(v)) + 1), "gives"),
    ("early_stopping", lambda v, p: (min(len(v), int(np.argmax(v)) + 1 + p),
                                     int(np.argmax(v)) + 1), ""),
    ("kfold_indices", lambda n, k: _ceil_blocks(n, k), "validation blocks of sizes"),
]


def _pair_by(both_ways, stop=0):
    both_ways = both_ways.copy()
    np.fill_diagonal(both_ways, 0)
    size = len(both_ways) - stop
    a, b = np.unravel_index(np.argmax(both_ways[:size, :size]), (size, size))
    return int(min(a, b)), int(max(a, b))


def _stopping_never_reset(val_accuracy, patience):
    best, since_best = -1.0, 0
    for epoch, value in enumerate(val_accuracy, start=1):
        if value > best:
            best, kept = value, epoch
        else:
            since_best += 1
        if since_best >= patience:
            return epoch, kept
    return len(val_accuracy), kept


def nb04_stop(val_accuracy, patience):
    return EXERCISES["early_stopping"].answer(val_accuracy, patience)


def _ceil_blocks(n, k):
    size = -(-n // k)
    blocks = [np.arange(i * size, min(n, (i + 1) * size)) for i in range(k)]
    return [(np.setdiff1d(np.arange(n), block), block) for block in blocks]


@pytest.mark.parametrize(("topic", "wrong", "wording"), STRICT_WRONG,
                         ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(STRICT_WRONG)])
def test_wrong_answers_that_passed_some_draws_fail_on_every_draw(capsys, topic, wrong, wording):
    for _ in range(8):
        assert_rejected(capsys, check_of(topic), wrong, wording)


STRICT_MESSAGES = [
    ("best_epoch", lambda v: len(v), "finds the lowest accuracy"),
    ("train_val_gap", lambda t, v: 100 * (np.min(t) - np.min(v)), "uses the first epoch"),
    ("ignored_pixels", lambda X: [], "looks along the wrong axis"),
]


@pytest.mark.parametrize(("topic", "wrong", "misleading"), STRICT_MESSAGES,
                         ids=[t for t, _, _ in STRICT_MESSAGES])
def test_a_wrong_answer_is_not_given_a_mistake_it_does_not_make(capsys, topic, wrong, misleading):
    for _ in range(8):
        line = assert_rejected(capsys, check_of(topic), wrong)
        assert misleading not in line, line


# -- what reading a result can do: inside the fence too -------------------------------------------


class _Exits:
    def __array__(self, *args, **kwargs):
        raise SystemExit(3)


class _Chatty:
    def __array__(self, *args, **kwargs):
        print("from __array__")
        print("from __array__", file=sys.stderr)
        return np.zeros((2, 2))


class _BadText(Exception):
    def __str__(self):
        raise RuntimeError("str fails")


def _raises_bad_text(Z):
    raise _BadText


def test_reading_a_result_is_fenced(capsys):
    assert_rejected(capsys, exercises.check_softmax, lambda Z: _Exits(), "raised SystemExit")
    assert_rejected(capsys, exercises.check_softmax, lambda Z: _Chatty())  # run(): no output
    assert_rejected(capsys, exercises.check_softmax, _raises_bad_text, "raised _BadText")


def test_reading_a_result_is_under_the_time_limit_and_an_abandoned_call_is_refused(capsys):
    import dataclasses
    import threading

    stop = threading.Event()

    class Slow:
        def __array__(self, *args, **kwargs):
            stop.wait(30)
            return np.zeros((2, 2))

    quick = dataclasses.replace(EXERCISES["softmax"], seconds=0.3)
    started = time.monotonic()
    try:
        result = judge(quick, lambda Z: Slow())
        assert not result and "did not finish within 0.3 seconds" in result.message
        assert "restart the kernel" in result.message
        assert time.monotonic() - started < 5
        refused = exercises.check_softmax(nb02.softmax)
        assert not refused and "still running in the background" in refused.message
        assert "restart the kernel" in refused.message
    finally:
        stop.set()
    result, line = run(capsys, exercises.check_softmax, nb02.softmax)
    assert result, line


def _sklearn_confusion(y_true, y_pred, n_classes):
    from sklearn.metrics import confusion_matrix

    return confusion_matrix(y_true, y_pred)


@pytest.mark.parametrize(("topic", "wrong", "wording"), [
    ("train_val_gap", lambda t, v: round(100 * (t[-1] - v[-1]), 1), "rounds the gap"),
    ("train_val_gap", lambda t, v: 100 * (np.min(t) - np.min(v)), "gives"),
    ("cross_entropy_from_scores",
     lambda Z, T: len(Z) * nb02.cross_entropy_from_scores(Z, T) / (len(Z) - 1), "gives"),
    ("confusion_matrix", _sklearn_confusion, "sized by the number of labels that occur"),
], ids=["round-1", "min", "n-1", "sklearn"])
def test_messages_name_what_the_answer_does(capsys, topic, wrong, wording):
    for _ in range(5):
        line = assert_rejected(capsys, check_of(topic), wrong, wording)
        assert "Seen for" not in line, line


def test_a_changed_shape_gets_its_own_advice(capsys):
    def flattening(y_true, y_pred):
        y_true.shape = (-1,)
        return np.mean(y_true == np.ravel(y_pred))

    assert_rejected(capsys, exercises.check_accuracy, flattening,
                    "changes the shape of its argument y_true", "reshape(-1)")


@pytest.mark.parametrize(("shuffle", "wording"), [
    ("order = rng.integers(0, n_samples, n_samples)", "draw with replacement"),
    ("order = np.random.default_rng(0).permutation(n_samples)",
     "not rng = np.random.default_rng(self.seed)"),
])
def test_a_loop_that_shuffles_otherwise_is_told_so(capsys, shuffle, wording):
    assert_rejected(capsys, exercises.check_training_loop, learner_class(**{ORDER: shuffle}),
                    wording)


@pytest.mark.parametrize(("topic", "constant"), [
    ("best_epoch", lambda v: 3), ("early_stopping", lambda v, p: (5, 2)),
])
def test_a_constant_answer_is_not_given_a_mistake_that_matched_by_chance(capsys, topic,
                                                                        constant):
    for _ in range(8):
        line = assert_rejected(capsys, check_of(topic), constant, "gives")
        assert "Seen for" not in line, line
