"""Checks, hints and worked answers for the coding exercises of the notebooks.

Write the function an exercise asks for, then hand it (the function itself,
not its result) to its check::

    from mnist_lr import exercises

    exercises.check_softmax(softmax)

A check runs your function on small inputs made up so that each usual
mistake shows a symptom of its own, prints one line (``✓ Correct: ...`` or
``✗`` and what went wrong) and returns True or False. It never changes your
function or the arrays of your notebook. Stuck? ``exercises.hint_softmax()``
prints a hint, and ``exercises.solution_softmax()`` prints a worked answer:
nothing shows an answer unless you ask for it.

Every ``check_<topic>`` has a ``hint_<topic>`` and a ``solution_<topic>``.
The worked answers live in ``mnist_lr/_solutions.py``.

Examples
--------
>>> check_accuracy(lambda y_true, y_pred: np.sum(y_true == y_pred))
✗ Your accuracy returns 6, the number of right predictions: divide by the number of samples.
False
>>> check_accuracy(lambda y_true, y_pred: np.mean(np.ravel(y_true) == np.ravel(y_pred)))
✓ Correct: your accuracy is the fraction of right predictions, also for a column of labels.
True
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import warnings

import numpy as np

from . import _solutions

__all__ = [
    "check_one_hot", "hint_one_hot", "solution_one_hot",
    "check_softmax", "hint_softmax", "solution_softmax",
    "check_cross_entropy", "hint_cross_entropy", "solution_cross_entropy",
    "check_gradient", "hint_gradient", "solution_gradient",
    "check_training_loop", "hint_training_loop", "solution_training_loop",
    "check_l2_gradient", "hint_l2_gradient", "solution_l2_gradient",
    "check_accuracy", "hint_accuracy", "solution_accuracy",
    "check_confusion_matrix", "hint_confusion_matrix", "solution_confusion_matrix",
    "check_kfold_indices", "hint_kfold_indices", "solution_kfold_indices",
    "check_digit_shares", "hint_digit_shares", "solution_digit_shares",
    "check_best_epoch", "hint_best_epoch", "solution_best_epoch",
    "check_early_stopping", "hint_early_stopping", "solution_early_stopping",
    "check_ignored_pixels", "hint_ignored_pixels", "solution_ignored_pixels",
    "check_most_confused_pair", "hint_most_confused_pair", "solution_most_confused_pair",
    "check_train_val_gap", "hint_train_val_gap", "solution_train_val_gap",
    "check_per_digit_accuracy", "hint_per_digit_accuracy", "solution_per_digit_accuracy",
]


# --------------------------------------------------------------------------
# The machinery every check shares
# --------------------------------------------------------------------------


class _Verdict(Exception):
    """Ends a check early with its one line of feedback."""

    def __init__(self, message, mark="✗"):
        super().__init__(message)
        self.mark = mark


def _wrong(message):
    return _Verdict(message)


def _not_done(message):
    return _Verdict(f"Not done yet: {message}", mark="…")


def _check(kind="function"):
    """Turn a function that returns praise (or raises a _Verdict) into a check.

    The check prints exactly one line and returns True or False. NumPy's
    warnings (overflow in exp, log of 0) are silenced, since the line names
    the cause, and anything the candidate prints is kept off the screen.
    """

    def decorate(verdict):
        @functools.wraps(verdict)
        def check(candidate):
            try:
                _require(candidate, verdict.__name__, kind)
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    praise = verdict(candidate)
            except _Verdict as verdict_line:
                print(f"{verdict_line.mark} {verdict_line}")
                return False
            print(f"✓ Correct: {praise}")
            return True

        return check

    return decorate


def _require(candidate, check_name, kind):
    """A clear line when the check is handed something other than a function (or class)."""
    if kind == "class":
        if isinstance(candidate, type):
            return
        if hasattr(candidate, "fit"):
            raise _wrong(f"{check_name} needs your class itself, not a model made from it: "
                         f"pass {type(candidate).__name__}, without parentheses.")
        raise _wrong(f"{check_name} needs your class, got {_describe(candidate)}.")
    if candidate is None or candidate is Ellipsis:
        raise _not_done(f"{check_name} got {candidate!r}; pass your function, "
                        f"for example {check_name}(my_function).")
    if not callable(candidate):
        raise _wrong(f"{check_name} needs your function itself, got {_describe(candidate)}: "
                     "pass the function's name, without calling it.")


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape}"
    return f"{value!r:.40} ({type(value).__name__})"


def _call(function, name, *, on_error=None, allow_none=False, **arguments):
    """Call the learner's function on copies of ``arguments``, in order.

    Turns what can go wrong into one line: an exception (after asking
    ``on_error(exc)`` for a more specific diagnosis), a placeholder still in
    place, a result of None, or an argument changed in place.
    """
    copies = {key: _copy(value) for key, value in arguments.items()}
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            result = function(*copies.values())
    except NotImplementedError:
        raise _not_done(f"your {name} raises NotImplementedError; "
                        "replace the placeholder with your code.") from None
    except Exception as exc:
        if "ellipsis" in str(exc):
            raise _not_done(f"a `...` placeholder is still in your {name}.") from None
        specific = on_error(exc) if on_error is not None else None
        raise _wrong(specific or f"Your {name} raised {_exception_line(exc)}") from None
    if result is None and not allow_none:
        raise _not_done(f"your {name} returns None; finish it and return the result.")
    if result is Ellipsis:
        raise _not_done(f"your {name} returns `...`; replace it with your code.")
    for key, value in arguments.items():
        if isinstance(value, np.ndarray) and not np.array_equal(copies[key], value,
                                                                equal_nan=True):
            raise _wrong(f"Your {name} changes its argument {key} in place; compute a new "
                         f"array instead ({key} = {key} - ... rather than {key} -= ...).")
    return result


def _copy(value):
    return value.copy() if isinstance(value, np.ndarray) else value


def _exception_line(exc):
    message = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {message[0]}" if message else type(exc).__name__


def _array(value, name, what="result"):
    """The learner's result as a numeric NumPy array, or a clear line."""
    try:
        array = np.asarray(value)
    except Exception:  # a ragged list, for example
        raise _wrong(f"Your {name}'s {what} is not an array of numbers: "
                     f"got {_describe(value)}.") from None
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number)
                                     or array.dtype == bool):
        raise _wrong(f"Your {name}'s {what} is not an array of numbers: "
                     f"got {_describe(value)}.")
    return array


def _expect_shape(array, shape, name, what="result", why=""):
    if array.shape != shape:
        raise _wrong(f"Your {name} returned {what} of shape {array.shape}; "
                     f"expected {shape}{why}.")


def _number(value, name, what="result"):
    """A single number, or a clear line naming what came back instead."""
    array = _array(value, name, what)
    if array.size != 1:
        raise _wrong(f"Your {name} returned {what} of shape {array.shape}; "
                     "expected a single number.")
    return float(array.reshape(()))


def _close(a, b, rtol=1e-6, atol=1e-9):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _fmt(values):
    """Numbers, briefly, on one line."""
    array = np.asarray(values, dtype=float)
    if array.ndim == 0:
        return f"{float(array):.4g}"
    return "[" + ", ".join(f"{value:.4g}" for value in array.ravel()) + "]"


def _print_solution(obj):
    print(inspect.getsource(obj).rstrip())


# --------------------------------------------------------------------------
# Notebook 02: the pieces of the model
# --------------------------------------------------------------------------


@_check()
def check_one_hot(f):
    """Check ``f(y, n_classes)``: an (n, n_classes) array of 0s and 1s, one 1 per row.

    Mistakes it recognises: the result is transposed (one row per class);
    the number of columns comes from the labels (``len(np.unique(y))`` or
    ``y.max() + 1``) instead of ``n_classes``, which goes wrong when a class
    never occurs; entries other than 0 and 1 (the label written instead of
    a 1); a row without exactly one 1; the 1 in the wrong column. Floats,
    integers and booleans are all fine.
    """
    y = np.array([2, 0, 3, 2])  # classes 1 and 4 never occur
    n_classes = 5
    expected = np.eye(n_classes)[y]
    result = _array(_call(f, "one_hot", y=y, n_classes=n_classes), "one_hot")
    if _close(result, expected.T):
        raise _wrong(f"Your one_hot is transposed: shape {result.shape}, one row per class; "
                     f"expected one row per label, shape {expected.shape}.")
    if result.ndim == 2 and result.shape[0] == len(y) and result.shape[1] != n_classes:
        columns = result.shape[1]
        if columns == len(np.unique(y)):
            source = "the number of distinct labels in y"
        elif columns == y.max() + 1:
            source = "y.max() + 1"
        else:
            source = None
        if source:
            raise _wrong(f"Your one_hot has {columns} columns, {source}, not n_classes = "
                         f"{n_classes}: a class that never occurs in y still needs its column.")
    _expect_shape(result, expected.shape, "one_hot", "an array", " (labels × n_classes)")
    if not np.isin(result, (0, 1)).all():
        odd = result[~np.isin(result, (0, 1))][0]
        raise _wrong(f"Your one_hot has an entry {_fmt(odd)}: every entry must be 0 or 1 "
                     "(put a 1 in the label's column, not the label itself).")
    ones = result.sum(axis=1)
    if not (ones == 1).all():
        row = int(np.flatnonzero(ones != 1)[0])
        raise _wrong(f"Row {row} of your one_hot holds {int(ones[row])} ones; "
                     "each row needs exactly one.")
    if not np.array_equal(result, expected):
        row = int(np.flatnonzero((result != expected).any(axis=1))[0])
        raise _wrong(f"The row for label {y[row]} has its 1 in column "
                     f"{int(result[row].argmax())}; it belongs in column {y[row]}.")
    return ("your one_hot puts a single 1 in each label's column, with n_classes columns "
            "even for classes that never occur.")


def hint_one_hot():
    """Print a hint for the one_hot exercise."""
    print("Start from np.zeros((len(y), n_classes)) and set one entry per row: row i, column "
          "y[i]. Or pick rows of the identity matrix np.eye(n_classes).")


def solution_one_hot():
    """Print a worked one_hot."""
    _print_solution(_solutions.one_hot)


def _softmax_error(exc):
    if isinstance(exc, ValueError) and "broadcast" in str(exc):
        return ("Your softmax cannot divide an (n, k) array by row sums of shape (n,): "
                "sum with keepdims=True so that each row is divided by its own sum.")
    return None


@_check()
def check_softmax(f):
    """Check ``f(Z)``: row-wise probabilities for scores ``Z`` of shape (n, k).

    Mistakes it recognises: works on one row (1-D) only, either failing on a
    2-D array or normalising the whole array at once; row sums without
    ``keepdims=True``, which cannot broadcast; the result transposed or of
    another shape; ``exp`` without the division (rows do not sum to 1);
    normalised over the wrong axis (the columns sum to 1); overflow on large
    scores (``nan``/``inf`` when the row maximum is not subtracted); the
    maximum of the whole array subtracted instead of each row's, so that a
    row of low scores underflows to 0/0; changing ``Z`` in place.
    """
    Z = np.array([[1.0, 2.0, 3.0, 0.5],
                  [-1.0, 0.0, 1.0, 2.0],
                  [0.2, 0.2, 0.2, 0.2]])
    expected = _solutions.softmax(Z)
    try:
        result = _array(_call(f, "softmax", on_error=_softmax_error, Z=Z), "softmax")
    except _Verdict as failure:
        _softmax_on_one_row(f, Z, failure)
        raise
    if result.shape == Z.T.shape:
        raise _wrong(f"Your softmax returned shape {result.shape}; expected {Z.shape}, "
                     "the shape of Z (one row of probabilities per row of scores).")
    _expect_shape(result, Z.shape, "softmax", "an array", ", the shape of Z")
    if not np.isfinite(result).all():
        raise _wrong("Your softmax returns nan or inf even for ordinary scores between -1 and 3.")
    if _close(result.sum(), 1) and not _close(result.sum(axis=1), np.ones(len(Z))):
        raise _wrong("Your softmax normalises the whole array at once (all its entries sum to 1), "
                     "as for a single row: take the max and the sum per row, "
                     "with axis=1 and keepdims=True.")
    if _close(result.sum(axis=0), np.ones(Z.shape[1])):
        raise _wrong("Your softmax normalises over the wrong axis: its columns sum to 1, "
                     "but each row (one image's scores) should: use axis=1.")
    if not _close(result.sum(axis=1), np.ones(len(Z))):
        if _close(result / result.sum(axis=1, keepdims=True), expected):
            raise _wrong(f"Your softmax returns exponentials without normalising: its rows sum "
                         f"to {_fmt(result.sum(axis=1))}; divide each row by its sum.")
        raise _wrong(f"The rows of your softmax sum to {_fmt(result.sum(axis=1))}; "
                     "each should sum to 1.")
    if not _close(result, expected):
        raise _wrong(f"Your softmax's rows sum to 1 but hold other values: for scores {_fmt(Z[0])} "
                     f"it gives {_fmt(result[0])}, expected {_fmt(expected[0])}.")

    big = np.array([[1000.0, 999.0, 0.0, -5.0],  # exp overflows unless the max is subtracted
                    [-3.0, -1.0, 0.0, 2.0],  # ordinary scores beside them
                    [-1000.0, -1001.0, -1002.0, -1003.0]])  # exp underflows to 0
    result = _array(_call(f, "softmax", on_error=_softmax_error, Z=big), "softmax")
    _expect_shape(result, big.shape, "softmax", "an array", ", the shape of Z")
    finite = np.isfinite(result).all(axis=1)
    if not finite[0]:
        raise _wrong("Your softmax overflows on large scores (1000 gives nan or inf): subtract "
                     "each row's maximum before exp; it cancels in the division.")
    if not finite.all():
        raise _wrong("Your softmax subtracts the maximum of the whole array, not of each row: a "
                     "row of lower scores then underflows to 0/0 = nan. Use "
                     "Z.max(axis=1, keepdims=True).")
    if not _close(result, _solutions.softmax(big)):
        raise _wrong(f"Your softmax is wrong for large scores: for {_fmt(big[0])} it gives "
                     f"{_fmt(result[0])}, expected {_fmt(_solutions.softmax(big)[0])}.")
    return ("your softmax gives rows that sum to 1, and stays finite for scores "
            "of 1000 and of -1000.")


def _softmax_on_one_row(f, Z, failure):
    """After a failure on a 2-D Z: if one row alone works, say that it handles 1-D only."""
    if "Not done yet" in str(failure) or "keepdims" in str(failure):
        return
    try:
        row = _array(_call(f, "softmax", Z=Z[0]), "softmax")
    except _Verdict:
        return
    if _close(row, _solutions.softmax(Z[:1])[0]):
        cause = str(failure).removeprefix("Your softmax raised ")
        raise _wrong(f"Your softmax works for one row (1-D) but fails on a 2-D array of scores "
                     f"({cause}). Use axis=1 and keepdims=True in max and sum.")


def hint_softmax():
    """Print a hint for the softmax exercise."""
    print("Subtract each row's maximum, Z.max(axis=1, keepdims=True), before np.exp; then divide "
          "each row by its own sum, again with axis=1 and keepdims=True so the shapes line up.")


def solution_softmax():
    """Print a worked softmax."""
    _print_solution(_solutions.softmax)


def _cross_entropy_variants(Z, T):
    """What the usual mistakes return for scores Z and one-hot T, most specific first."""
    P = _solutions.softmax(Z)
    loss = _solutions.cross_entropy(Z, T)
    n, k = Z.shape
    return [
        (-loss, "Your cross-entropy has the wrong sign: it is minus the mean log-probability "
                "of the true class, a positive number."),
        (n * loss, f"Your cross-entropy adds up the losses of the {n} rows instead of "
                   "averaging them: use .mean() over the rows."),
        (loss / k, f"Your cross-entropy averages over all {n} × {k} entries (the article's "
                   "recorded loss, 1/k of the usual one): sum over the classes, then "
                   "average over the rows."),
        (-(T * np.log(Z)).sum(axis=1).mean(),
         "Your cross-entropy takes the log of the scores as if they were probabilities: "
         "the scores must go through softmax (or log-softmax) first."),
        (-(T * np.log(_solutions.softmax(P))).sum(axis=1).mean(),
         "Your cross-entropy applies softmax twice: Z are scores, so softmax once."),
    ]


@_check()
def check_cross_entropy(f):
    """Check ``f(Z, T)``: the mean cross-entropy from scores Z and one-hot targets T.

    Mistakes it recognises: one loss per row (or the whole table) instead
    of their mean; the wrong sign; the sum over rows instead of the mean;
    the mean over all n × k entries; the log of the scores taken as if
    they were probabilities; softmax taken twice; ``nan`` from ``exp``
    overflowing; ``inf`` from ``log(0)`` when a probability underflows; an
    ``eps`` inside the log (or a clip), which caps a confident mistake's
    loss at ``-log(eps)``, about 16.1 for 1e-7.
    """
    Z = np.array([[2.0, 1.0, 0.5],
                  [0.3, 2.5, 1.0],
                  [1.0, 1.0, 3.0],
                  [0.7, 0.2, 0.4]])
    T = np.eye(3)[[0, 2, 2, 1]]
    expected = _solutions.cross_entropy(Z, T)
    raw = _array(_call(f, "cross_entropy", Z=Z, T=T), "cross_entropy")
    if raw.shape == (len(Z),):
        raise _wrong(f"Your cross-entropy returns one loss per row (shape {raw.shape}); "
                     "return their mean, a single number.")
    if raw.shape == Z.shape:
        raise _wrong(f"Your cross-entropy returns a {Z.shape} table; sum over the classes "
                     "and average over the rows to get a single number.")
    loss = _number(raw, "cross_entropy")
    # A guard such as log(P + 1e-7) moves ordinary losses by less than 1e-5.
    if not np.isclose(loss, expected, rtol=1e-4):
        for value, message in _cross_entropy_variants(Z, T):
            if np.isclose(loss, value, rtol=1e-4):
                raise _wrong(message)
        raise _wrong(f"Your cross-entropy is {_fmt(loss)} for these scores; "
                     f"expected {_fmt(expected)}.")

    # A confident mistake: a score of 800 for class 0, but the truth is class 1.
    Z = np.array([[800.0, 0.0]])
    T = np.array([[0.0, 1.0]])
    expected = _solutions.cross_entropy(Z, T)  # 800, to the last digit
    loss = _number(_call(f, "cross_entropy", Z=Z, T=T), "cross_entropy")
    if np.isnan(loss):
        raise _wrong("Your cross-entropy is nan for a score of 800: exp overflows. Subtract each "
                     "row's maximum first, and take the log of softmax as z - log(sum(exp(z))).")
    if np.isinf(loss):
        raise _wrong("Your cross-entropy is inf for a confident mistake: the probability "
                     "underflows to 0 and log(0) = -inf. Compute log-probabilities directly "
                     "(log-sum-exp).")
    if loss < expected - 1:
        raise _wrong(f"Your loss is capped: a confident mistake (score 800 for a wrong class) "
                     f"should cost {expected:.1f}, yours costs {loss:.2f}, as if an eps of "
                     f"{np.exp(-loss):.0e} were added inside the log. Use log-sum-exp instead.")
    if not np.isclose(loss, expected, rtol=1e-6):
        raise _wrong(f"Your cross-entropy for a confident mistake is {loss:.2f}; "
                     f"expected {expected:.2f}.")
    return ("your cross-entropy is the mean over rows, and charges a confident mistake its "
            "full loss (800 for a score of 800), with no cap and no overflow.")


def hint_cross_entropy():
    """Print a hint for the cross_entropy exercise."""
    print("log softmax(z) = z - log(sum(exp(z))). Subtract each row's maximum m first; then "
          "log(sum(exp(z - m))) is finite. The loss is -(T * log_P).sum(axis=1).mean().")


def solution_cross_entropy():
    """Print a worked cross_entropy."""
    _print_solution(_solutions.cross_entropy)


def _problem(n=5, d=4, k=3, seed=0):
    """A small gradient problem: X (n, d), one-hot T (n, k), W (d, k), b (k,)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    T = np.eye(k)[rng.integers(0, k, size=n)]
    return X, T, rng.normal(scale=0.5, size=(d, k)), rng.normal(scale=0.5, size=k)


def _pair(result, name):
    """The (dW, db) a gradient returns, as arrays, or a clear line."""
    if isinstance(result, np.ndarray) or not isinstance(result, (tuple, list)):
        raise _wrong(f"Your {name} returned {_describe(result)}; "
                     "return a pair: dW, db.")
    if len(result) != 2:
        raise _wrong(f"Your {name} returned {len(result)} values; return a pair: dW, db.")
    dW, db = result
    if dW is None or db is None:
        missing = "dW" if dW is None else "db"
        raise _not_done(f"the {missing} your {name} returns is None.")
    return _array(dW, name, "dW"), _array(db, name, "db")


def _diagnose_gradient(dW, db, X, T, W, b, name):
    """Compare (dW, db) with the gradient of the mean cross-entropy; raise on a mistake."""
    expected_dW, expected_db = _solutions.gradient(X, T, W, b)
    n = len(X)
    if dW.shape == W.T.shape and dW.shape != W.shape:
        if _close(dW, expected_dW.T):
            raise _wrong(f"Your dW is transposed: shape {dW.shape}, but W is {W.shape}. "
                         "X.T @ (P - T) has the shape of W.")
        raise _wrong(f"Your dW has shape {dW.shape}, but W is {W.shape}; dW must match W.")
    _expect_shape(dW, W.shape, name, "dW", ", the shape of W")
    if db.shape == (n,):
        raise _wrong(f"Your db has shape {db.shape}, one value per row; it needs one per "
                     f"class, shape {b.shape}: sum over axis=0.")
    _expect_shape(db, b.shape, name, "db", ", the shape of b")
    dW_ok, db_ok = _close(dW, expected_dW), _close(db, expected_db)
    if dW_ok and db_ok:
        return
    if _close(dW, -expected_dW) and _close(db, -expected_db):
        raise _wrong("Your gradient has the wrong sign: it is T - P where it should be P - T, "
                     "so a step against it goes uphill.")
    if _close(dW, n * expected_dW) and _close(db, n * expected_db):
        raise _wrong(f"Your dW and db are {n} times too big: divide by n = len(X), "
                     "since the loss is a mean over the rows.")
    Z = X @ W + b
    if _close(dW, X.T @ (Z - T) / n):
        raise _wrong("Your gradient uses the scores Z = X @ W + b where the probabilities "
                     "P = softmax(Z) belong: it is X.T @ (P - T) / n.")
    if not dW_ok:
        if _close(dW, -expected_dW):
            raise _wrong("Your dW has the wrong sign (T - P instead of P - T).")
        if _close(dW, n * expected_dW):
            raise _wrong(f"Your dW is {n} times too big: divide X.T @ (P - T) by n = len(X).")
        raise _wrong(f"Your dW is not X.T @ (P - T) / n: entry [0, 0] is {_fmt(dW[0, 0])}, "
                     f"expected {_fmt(expected_dW[0, 0])}.")
    if _close(db, n * expected_db):
        raise _wrong("Your db is the sum of P - T over the rows: divide it by n as well "
                     "(its mean over the rows), like dW.")
    if _close(db, np.zeros_like(db)):
        raise _wrong("Your db is all zeros: the bias gradient is the mean of P - T over the rows.")
    if _close(db, -expected_db):
        raise _wrong("Your db has the wrong sign (T - P instead of P - T).")
    raise _wrong(f"Your db is {_fmt(db)}; expected the mean of P - T over the rows, "
                 f"{_fmt(expected_db)}.")


@_check()
def check_gradient(f):
    """Check ``f(X, T, W, b)``: ``(dW, db)``, the gradient of the mean cross-entropy.

    ``W`` has shape (n_features, n_classes) and ``b`` (n_classes,).
    Mistakes it recognises: not a pair; dW transposed (shape (k, d)); db
    with one value per row; the wrong sign (T - P instead of P - T), in
    both or in one of them; the 1/n missing (dW and db n times too big);
    the scores used in place of the probabilities; db summed over the rows
    instead of averaged; db all zeros (the bias left out).
    """
    X, T, W, b = _problem()
    dW, db = _pair(_call(f, "gradient", X=X, T=T, W=W, b=b), "gradient")
    _diagnose_gradient(dW, db, X, T, W, b, "gradient")
    return "your gradient is X.T @ (P - T) / n for W and the mean of P - T for b."


def hint_gradient():
    """Print a hint for the gradient exercise."""
    print("Compute P = softmax(X @ W + b). The loss's gradient with respect to the scores is "
          "(P - T) / n; then dW = X.T @ that (the shape of W) and db = its sum over axis 0.")


def solution_gradient():
    """Print a worked gradient."""
    _print_solution(_solutions.gradient)


# --------------------------------------------------------------------------
# Notebook 02: the training loop
# --------------------------------------------------------------------------

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


def _reference_loop(X, y, X_val, y_val, mistake=None, learning_rate=0.5, max_epochs=40,
                    batch_size=10, patience=3, seed=0):
    """The training loop of ``MySoftmaxRegression``, with one usual mistake switched on.

    Returns what a learner's model holds after ``fit``: history, best_epoch, W and b.
    """
    log_softmax = _solutions.log_softmax
    n_samples, n_classes = len(X), y.max() + 1
    T = np.eye(n_classes)[y]
    W, b = np.zeros((X.shape[1], n_classes)), np.zeros(n_classes)
    rng = np.random.default_rng(seed)
    history = {"loss": [], "train_accuracy": [], "val_loss": [], "val_accuracy": []}
    best_accuracy, epochs_since_best = -1.0, 0
    same_order = rng.permutation(n_samples) if mistake == "same order" else None
    step = -learning_rate if mistake == "uphill" else learning_rate

    def measure(X, y):
        log_p = log_softmax(X @ W + b)
        return -log_p[np.arange(len(y)), y].mean(), np.mean(log_p.argmax(axis=1) == y)

    for epoch in range(1, max_epochs + 1):
        if mistake == "no shuffle":
            order = np.arange(n_samples)
        elif mistake == "same order":
            order = same_order
        else:
            order = rng.permutation(n_samples)
        for start in range(0, n_samples, batch_size):
            rows = order[start:start + batch_size]
            P = np.exp(log_softmax(X[rows] @ W + b))
            error = P - T[rows]
            if mistake != "sum":
                error /= len(rows)
            W -= step * (X[rows].T @ error)
            if mistake != "no bias step":
                b -= step * error.sum(axis=0)
        for name, value in zip(history, measure(X, y) + measure(X_val, y_val)):
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


def hint_training_loop():
    """Print a hint for the training-loop exercise."""
    print("Per epoch: order = rng.permutation(n_samples); per batch: W -= learning_rate * "
          "(X[rows].T @ error) and the same for b with error.sum(axis=0); a new best is a "
          "strictly higher validation accuracy (keep W.copy()); stop when "
          "epochs_since_best >= patience.")


def solution_training_loop():
    """Print the worked class."""
    _print_solution(_solutions.MySoftmaxRegression)


# --------------------------------------------------------------------------
# Notebook 09: the L2 penalty
# --------------------------------------------------------------------------


@_check()
def check_l2_gradient(f):
    """Check ``f(X, T, W, b, alpha)``: the gradient of mean cross-entropy + alpha/2 ||W||².

    The bias is not penalised. Mistakes it recognises: the cross-entropy
    part wrong (as for :func:`check_gradient`, tried with ``alpha=0``); the
    penalty forgotten; ``alpha`` added instead of ``alpha * W``; a factor 2
    (``2 * alpha * W``) or 1/2 (``alpha / 2 * W``); the penalty subtracted;
    the penalty divided by n; the bias penalised too.
    """
    X, T, W, b = _problem(seed=1)
    name = "l2_gradient"
    dW, db = _pair(_call(f, name, X=X, T=T, W=W, b=b, alpha=0.0), name)
    try:
        _diagnose_gradient(dW, db, X, T, W, b, name)
    except _Verdict as verdict:
        raise _wrong(f"With alpha = 0: {verdict}") from None
    alpha = 0.3
    dW, db = _pair(_call(f, name, X=X, T=T, W=W, b=b, alpha=alpha), name)
    base_dW, base_db = _solutions.gradient(X, T, W, b)
    _expect_shape(dW, W.shape, name, "dW", ", the shape of W")
    _expect_shape(db, b.shape, name, "db", ", the shape of b")
    penalties = [
        (0 * W, "Your l2_gradient has no penalty term: add alpha * W to dW."),
        (alpha + 0 * W, "Your l2_gradient adds alpha to every weight's gradient: the penalty's "
                        "gradient is alpha * W."),
        (2 * alpha * W, "Your l2_gradient adds 2 * alpha * W: the derivative of "
                        "alpha/2 * ||W||² is alpha * W (the 1/2 cancels the 2)."),
        (alpha / 2 * W, "Your l2_gradient adds alpha/2 * W: the derivative of "
                        "alpha/2 * ||W||² is alpha * W (the 2 of the square cancels the 1/2)."),
        (-alpha * W, "Your l2_gradient subtracts alpha * W: the penalty pulls the weights "
                     "towards 0, so its gradient is + alpha * W."),
        (alpha * W / len(X), "Your l2_gradient divides the penalty by n: only the cross-entropy "
                             "is a mean over the rows; add alpha * W as it is."),
    ]
    if not _close(dW, base_dW + alpha * W):
        for penalty, message in penalties:
            if _close(dW, base_dW + penalty):
                raise _wrong(message)
        raise _wrong(f"Your dW with alpha = {alpha} is not the cross-entropy gradient plus "
                     f"alpha * W: entry [0, 0] is {_fmt(dW[0, 0])}, expected "
                     f"{_fmt(base_dW[0, 0] + alpha * W[0, 0])}.")
    if not _close(db, base_db):
        if any(_close(db, base_db + factor * alpha * b) for factor in (1, 2, 0.5, 1 / len(X))):
            raise _wrong("Your l2_gradient penalises the bias: db must stay the cross-entropy "
                         "gradient, with no alpha * b.")
        raise _wrong(f"Your db changes with alpha (it is {_fmt(db)}); the bias is not "
                     "penalised, so db is the mean of P - T as before.")
    return "your l2_gradient adds alpha * W to dW and leaves db unpenalised."


def hint_l2_gradient():
    """Print a hint for the l2_gradient exercise."""
    print("Start from the cross-entropy gradient (dW, db). The derivative of "
          "alpha/2 * sum(W**2) with respect to W is alpha * W; the bias has no penalty.")


def solution_l2_gradient():
    """Print a worked l2_gradient."""
    _print_solution(_solutions.l2_gradient)


# --------------------------------------------------------------------------
# Measuring: accuracy, confusion matrix, folds
# --------------------------------------------------------------------------


@_check()
def check_accuracy(f):
    """Check ``f(y_true, y_pred)``: the fraction of right predictions.

    Mistakes it recognises: one True/False per sample instead of their
    mean; the count of right predictions; a percentage; the error rate;
    integer division (``//``) giving 0; comparing a column of predictions
    (n, 1) with a row of labels (n,), which NumPy broadcasts into an n × n
    table of every pair.
    """
    y_true = np.array([3, 1, 4, 1, 5, 9, 2, 6])
    y_pred = np.array([3, 1, 4, 0, 5, 9, 2, 7])
    right = int(np.sum(y_true == y_pred))
    expected = right / len(y_true)
    raw = _array(_call(f, "accuracy", y_true=y_true, y_pred=y_pred), "accuracy")
    if raw.shape == y_true.shape:
        raise _wrong("Your accuracy returns one True/False per sample: take their mean.")
    value = _number(raw, "accuracy")
    wrong_values = [
        (right, f"Your accuracy returns {right}, the number of right predictions: "
                "divide by the number of samples."),
        (100 * expected, f"Your accuracy returns a percentage ({100 * expected:g}); return "
                         f"the fraction, {expected:g}."),
        (1 - expected, f"Your accuracy returns {1 - expected:g}, the share of wrong "
                       "predictions: count the right ones."),
        (right // len(y_true), "Your accuracy returns 0: integer division (//) rounds the "
                               "fraction down; divide with /."),
    ]
    if not np.isclose(value, expected):
        for wrong_value, message in wrong_values:
            if np.isclose(value, wrong_value):
                raise _wrong(message)
        raise _wrong(f"Your accuracy returns {value:g}; {right} of {len(y_true)} "
                     f"predictions are right, so {expected:g}.")
    column = y_pred.reshape(-1, 1)  # as from argmax(axis=1, keepdims=True)
    broadcast = np.mean(y_true == column)
    value = _number(_call(f, "accuracy", y_true=y_true, y_pred=column), "accuracy")
    if np.isclose(value, broadcast):
        raise _wrong(f"Your accuracy compares a column y_pred (shape {column.shape}) with a row "
                     f"y_true ({y_true.shape}): NumPy broadcasts them into an {len(y_true)} × "
                     f"{len(y_true)} table of every pair, whose mean is {broadcast:g}. "
                     "Flatten both first (np.ravel).")
    if not np.isclose(value, expected):
        raise _wrong(f"Your accuracy returns {value:g} when y_pred is a column {column.shape}; "
                     f"expected {expected:g}.")
    return "your accuracy is the fraction of right predictions, also for a column of labels."


def hint_accuracy():
    """Print a hint for the accuracy exercise."""
    print("y_true == y_pred gives one True/False per sample and np.mean of it is the fraction "
          "right; flatten both with np.ravel first, so that shapes (n, 1) and (n,) cannot "
          "broadcast.")


def solution_accuracy():
    """Print a worked accuracy."""
    _print_solution(_solutions.accuracy)


@_check()
def check_confusion_matrix(f):
    """Check ``f(y_true, y_pred, n_classes)``: counts, rows = true class, columns = predicted.

    Mistakes it recognises: rows and columns swapped; the size taken from
    the labels that occur (``y.max() + 1`` or the number of distinct
    labels) instead of ``n_classes``; a repeated (true, predicted) pair
    counted once, the NumPy trap of ``m[y_true, y_pred] += 1`` (use
    ``np.add.at``), alone or with the rows and columns swapped; counts that
    do not add up to the number of samples.
    """
    y_true = np.array([0, 0, 1, 3, 3, 3, 0, 1, 3])  # classes 2 and 4 never occur
    y_pred = np.array([0, 1, 1, 3, 0, 3, 0, 3, 3])  # (0, 0) twice and (3, 3) three times
    n_classes = 5
    expected = _solutions.confusion_matrix(y_true, y_pred, n_classes)
    name = "confusion_matrix"
    m = _array(_call(f, name, y_true=y_true, y_pred=y_pred, n_classes=n_classes), name)
    if m.ndim == 2 and m.shape[0] == m.shape[1] and m.shape[0] != n_classes:
        if m.shape[0] in (max(y_true.max(), y_pred.max()) + 1, len(np.union1d(y_true, y_pred))):
            raise _wrong(f"Your matrix is {m.shape[0]} × {m.shape[1]}, sized by the labels that "
                         f"occur; make it n_classes × n_classes = {n_classes} × {n_classes}, "
                         "so that a class that never occurs still has its row and column.")
    _expect_shape(m, expected.shape, name, "a matrix", " (n_classes × n_classes)")
    if np.array_equal(m, expected):
        return ("your confusion matrix counts every sample, truth in the rows and predictions "
                "in the columns, with a row and column for every class.")
    once = (expected > 0).astype(int)
    if np.array_equal(m, expected.T):
        raise _wrong("Your matrix has rows and columns swapped: row i must be the true class i, "
                     "column j the prediction j (m[true, predicted]).")
    if np.array_equal(m, once) or np.array_equal(m, once.T):
        swapped = " (and rows and columns swapped)" if np.array_equal(m, once.T) else ""
        raise _wrong("Your matrix counts a repeated (true, predicted) pair only once"
                     f"{swapped}: m[y_true, y_pred] += 1 adds 1 once per distinct pair. "
                     "Use np.add.at(m, (y_true, y_pred), 1), or a loop.")
    if m.sum() != len(y_true):
        raise _wrong(f"Your counts add up to {_fmt(m.sum())}; there are {len(y_true)} samples, "
                     "each counted once.")
    i, j = np.argwhere(m != expected)[0]
    raise _wrong(f"Entry [{i}, {j}] (true {i}, predicted {j}) of your matrix is {_fmt(m[i, j])}; "
                 f"expected {expected[i, j]}.")


def hint_confusion_matrix():
    """Print a hint for the confusion_matrix exercise."""
    print("Start from np.zeros((n_classes, n_classes), dtype=int) and add 1 at "
          "[y_true[i], y_pred[i]] for every sample i: a loop, or np.add.at (plain fancy-index "
          "+= 1 counts a repeated pair only once).")


def solution_confusion_matrix():
    """Print a worked confusion_matrix."""
    _print_solution(_solutions.confusion_matrix)


def _indices(value, name, what):
    """One list of sample indices as a 1-D integer array, or a clear line."""
    array = _array(value, name, what)
    if array.ndim != 1:
        raise _wrong(f"Your {name} gives {what} of shape {array.shape}; "
                     "expected a 1-D array of indices.")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        if array.dtype == bool or not np.array_equal(array, np.round(array)):
            raise _wrong(f"Your {name} gives {what} that are not integer indices "
                         f"(dtype {array.dtype}).")
        array = array.astype(int)
    return array


def _folds(result, n_samples, n_splits):
    """The learner's folds as (train, val) integer arrays; raise on a malformed result."""
    name = "kfold_indices"
    try:
        folds = list(result)
    except TypeError:
        raise _wrong(f"Your {name} returned {_describe(result)}; expected a list of "
                     "(train_idx, val_idx) pairs.") from None
    if len(folds) != n_splits:
        raise _wrong(f"Your {name} returns {len(folds)} folds for n_splits = {n_splits}; "
                     "expected one fold per split.")
    checked = []
    for number, fold in enumerate(folds, start=1):
        if isinstance(fold, np.ndarray) or not isinstance(fold, (tuple, list)) or len(fold) != 2:
            raise _wrong(f"Fold {number} of your {name} is {_describe(fold)}; "
                         "each fold must be a pair (train_idx, val_idx).")
        train = _indices(fold[0], name, f"training indices of fold {number}")
        val = _indices(fold[1], name, f"validation indices of fold {number}")
        for part, what in ((train, "training"), (val, "validation")):
            if part.size and (part.min() < 0 or part.max() >= n_samples):
                raise _wrong(f"Fold {number}'s {what} indices go outside 0..{n_samples - 1}.")
            if len(np.unique(part)) != len(part):
                raise _wrong(f"Fold {number} lists a sample twice in its {what} part.")
        both = np.intersect1d(train, val)
        if both.size:
            raise _wrong(f"Fold {number}: samples {both.tolist()} are in both its training and "
                         "its validation part; validate on samples the model did not train on.")
        checked.append((train, val))
    return checked


@_check()
def check_kfold_indices(f):
    """Check ``f(n_samples, n_splits)``: a list of ``(train_idx, val_idx)`` pairs.

    Tried with sizes that do not divide evenly. Mistakes it recognises: the
    wrong number of folds; not pairs of integer index arrays; indices out of
    range or repeated; a sample in both parts of one fold; validation
    blocks that overlap across folds; samples never validated (the
    remainder of n_samples / n_splits dropped); a fold whose two parts
    leave samples out; validation blocks whose sizes differ by more than
    one. Folds in order, unshuffled, are fine.
    """
    for n_samples, n_splits in ((11, 3), (10, 5), (7, 2)):
        result = _call(f, "kfold_indices", n_samples=n_samples, n_splits=n_splits)
        folds = _folds(result, n_samples, n_splits)
        every = np.arange(n_samples)
        seen = np.concatenate([val for _, val in folds])
        if len(np.unique(seen)) != len(seen):
            sample = int(next(s for s in seen if np.sum(seen == s) > 1))
            in_folds = [i for i, (_, val) in enumerate(folds, start=1) if sample in val]
            raise _wrong(f"Your validation blocks overlap: with {n_samples} samples in "
                         f"{n_splits} folds, sample {sample} is validated in folds {in_folds}.")
        never = np.setdiff1d(every, seen)
        if never.size:
            raise _wrong(f"With {n_samples} samples in {n_splits} folds, samples "
                         f"{never.tolist()} are never in a validation block: spread the "
                         f"remainder ({n_samples} % {n_splits} = {n_samples % n_splits}) "
                         "over the blocks.")
        for number, (train, val) in enumerate(folds, start=1):
            left_out = np.setdiff1d(every, np.union1d(train, val))
            if left_out.size:
                raise _wrong(f"Fold {number} leaves samples {left_out.tolist()} out of both "
                             "parts: train on every sample not being validated.")
        sizes = [len(val) for _, val in folds]
        if max(sizes) - min(sizes) > 1:
            raise _wrong(f"Your validation blocks for {n_samples} samples in {n_splits} folds "
                         f"have sizes {sizes}; they should differ by at most one "
                         "(np.array_split does this).")
    return ("your folds validate every sample exactly once, train on all the others, and "
            "differ in size by at most one.")


def hint_kfold_indices():
    """Print a hint for the kfold_indices exercise."""
    print("Cut np.arange(n_samples) (shuffled, if you like) into n_splits blocks with "
          "np.array_split; fold i validates on block i and trains on the concatenation of "
          "the others.")


def solution_kfold_indices():
    """Print a worked kfold_indices."""
    _print_solution(_solutions.kfold_indices)


# --------------------------------------------------------------------------
# Reading the results (notebooks 01, 03, 04, 05, 06, 08, 10)
# --------------------------------------------------------------------------


@_check()
def check_digit_shares(f):
    """Check ``f(y)``: the share of each digit 0..9 among the labels, ten numbers summing to 1.

    Mistakes it recognises: fewer than ten numbers, because a digit that
    never occurs is left out (``np.unique``, or ``np.bincount`` without
    ``minlength=10``); counts instead of shares; percentages; the right
    numbers in another order (sorted, or by first appearance).
    """
    y = np.array([1, 1, 3, 0, 2, 2, 8, 1, 0, 3, 6, 2])  # no 4, 5, 7 or 9
    expected = _solutions.digit_shares(y)
    name = "digit_shares"
    shares = _array(_call(f, name, y=y), name)
    if shares.ndim == 1 and len(shares) != 10:
        if len(shares) == y.max() + 1:
            raise _wrong(f"Your digit_shares returns {len(shares)} numbers, up to the largest "
                         f"label ({y.max()}) only: digit 9 never occurs here but still needs "
                         "its share, 0 (np.bincount(y, minlength=10)).")
        if len(shares) == len(np.unique(y)):
            raise _wrong(f"Your digit_shares returns {len(shares)} numbers, one per digit that "
                         "occurs: every digit 0..9 needs its share, 0 for the absent ones.")
    _expect_shape(shares, (10,), name, "an array", ", one share per digit 0..9")
    if _close(shares, len(y) * expected):
        raise _wrong("Your digit_shares returns counts: divide by the number of labels.")
    if _close(shares, 100 * expected):
        raise _wrong("Your digit_shares returns percentages: return fractions that sum to 1.")
    if not _close(shares, expected):
        if _close(np.sort(shares), np.sort(expected)):
            raise _wrong("Your digit_shares has the right numbers in the wrong order: entry d "
                         "must be the share of digit d.")
        raise _wrong(f"Your digit_shares gives {_fmt(shares)}; expected {_fmt(expected)}.")
    return "your digit_shares gives ten shares in digit order, 0 for absent digits."


def hint_digit_shares():
    """Print a hint for the digit_shares exercise."""
    print("np.bincount(y, minlength=10) counts every digit 0..9, zeros included; "
          "divide by len(y).")


def solution_digit_shares():
    """Print a worked digit_shares."""
    _print_solution(_solutions.digit_shares)


def _whole_number(value, name):
    number = _number(value, name)
    if number != int(number):
        raise _wrong(f"Your {name} returns {number:g}; expected a whole epoch number.")
    return int(number)


@_check()
def check_best_epoch(f):
    """Check ``f(val_accuracy)``: the epoch, counted from 1, of the highest value; first on ties.

    Mistakes it recognises: the epoch counted from 0 (``np.argmax`` as it
    is); the last of tied maxima instead of the first; the best accuracy
    itself instead of its epoch; the lowest value instead of the highest.
    """
    curve = np.array([0.80, 0.90, 0.95, 0.93, 0.95, 0.94])  # the best, 0.95, twice
    name = "best_epoch"
    epoch = _call(f, name, val_accuracy=curve)
    value = _number(epoch, name)
    if np.isclose(value, curve.max()) and value != int(value):
        raise _wrong(f"Your best_epoch returns the best accuracy ({value:g}), not the epoch "
                     "in which it was reached.")
    epoch = _whole_number(value, name)
    mistakes = {
        2: "Your best_epoch counts from 0 (np.argmax gives a position): epochs count from 1.",
        5: "Your best_epoch picks the last of two tied best epochs: early stopping keeps the "
           "first one to reach the best accuracy.",
        4: "Your best_epoch picks the last of two tied best epochs, and counts from 0.",
        1: "Your best_epoch finds the lowest accuracy, not the highest.",
        0: "Your best_epoch finds the lowest accuracy, not the highest.",
    }
    if epoch != 3:
        raise _wrong(mistakes.get(epoch, f"Your best_epoch returns {epoch} for {_fmt(curve)}; "
                                         "expected 3."))
    for curve in ([0.5, 0.6, 0.7], [0.9, 0.8, 0.85]):
        epoch = _whole_number(_call(f, name, val_accuracy=np.array(curve)), name)
        if epoch != _solutions.best_epoch(curve):
            raise _wrong(f"Your best_epoch returns {epoch} for {_fmt(curve)}; expected "
                         f"{_solutions.best_epoch(curve)}.")
    return "your best_epoch counts from 1 and keeps the first of tied best epochs."


def hint_best_epoch():
    """Print a hint for the best_epoch exercise."""
    print("np.argmax returns the position of the first maximum, counted from 0; "
          "epochs count from 1.")


def solution_best_epoch():
    """Print a worked best_epoch."""
    _print_solution(_solutions.best_epoch)


def _replay(curve, patience, improves, stop_after):
    """Early stopping on a recorded curve, with a rule for 'better' and for 'out of patience'."""
    best, since_best, kept = -np.inf, 0, None
    for epoch, value in enumerate(curve, start=1):
        if improves(value, best):
            best, kept, since_best = value, epoch, 0
        else:
            since_best += 1
        if since_best >= stop_after:
            return epoch, kept
    return len(curve), kept


@_check()
def check_early_stopping(f):
    """Check ``f(val_accuracy, patience)``: ``(epoch it stops after, epoch it keeps)``, from 1.

    The rule: an epoch is a new best only if strictly higher; training stops
    after ``patience`` epochs in a row without a new best, and keeps the
    best epoch's weights. If patience never runs out, it stops after the
    last epoch. Mistakes it recognises: the kept epoch is the last one, not
    the best; a tie counted as a new best; patience off by one (one epoch
    late or early); never stopping early; epochs counted from 0; a single
    number instead of the pair.
    """
    curve = np.array([0.80, 0.85, 0.84, 0.85, 0.86, 0.83, 0.86, 0.85, 0.84, 0.87])
    name = "early_stopping"
    better = np.greater
    for patience in (2, 20):
        result = _call(f, name, val_accuracy=curve, patience=patience)
        if not isinstance(result, (tuple, list, np.ndarray)) or np.size(result) != 2:
            raise _wrong(f"Your early_stopping returned {_describe(result)}; return a pair: "
                         "(epoch it stops after, epoch whose weights it keeps).")
        stopped, kept = (_whole_number(value, name) for value in np.ravel(result))
        expected = _replay(curve, patience, better, patience)
        if (stopped, kept) == expected:
            continue
        variants = [
            ((expected[0], expected[0]), "Your early_stopping keeps the last epoch it ran; it "
                                         "should keep the best one."),
            (_replay(curve, patience, np.greater_equal, patience),
             "Your early_stopping counts a tie with the best as a new best: only a strictly "
             "higher accuracy is."),
            (_replay(curve, patience, better, patience + 1),
             "Your early_stopping waits one epoch too long (patience off by one): stop as soon "
             "as patience epochs in a row bring no new best."),
            (_replay(curve, patience, better, patience - 1),
             "Your early_stopping stops one epoch too early (patience off by one): stop after "
             "patience epochs in a row without a new best, not patience - 1."),
            ((len(curve), _solutions.best_epoch(curve)),
             "Your early_stopping never stops early: it runs to the end of the curve."),
            ((expected[0] - 1, expected[1] - 1), "Your early_stopping counts epochs from 0; "
                                                 "they count from 1."),
        ]
        for variant, message in variants:
            if (stopped, kept) == variant:
                raise _wrong(message)
        raise _wrong(f"With patience {patience}, your early_stopping gives ({stopped}, {kept}); "
                     f"expected {expected}.")
    return ("your early_stopping stops after patience epochs without a strictly better "
            "accuracy, and keeps the best epoch.")


def hint_early_stopping():
    """Print a hint for the early_stopping exercise."""
    print("Loop with enumerate(val_accuracy, start=1), tracking the best value, its epoch and "
          "the epochs since it; a new best must be strictly higher; return as soon as "
          "epochs_since_best >= patience, or after the last epoch.")


def solution_early_stopping():
    """Print a worked early_stopping."""
    _print_solution(_solutions.early_stopping)


@_check()
def check_ignored_pixels(f):
    """Check ``f(X)``: indices of the pixels (columns) that are exactly 0 in every image (row).

    Any order is fine. Mistakes it recognises: a True/False mask instead of
    indices; blank images (rows) found instead of blank pixels (columns);
    pixels blank in at least one image (``any``) instead of in all; the
    pixels that are inked, the opposite; faint ink counted as blank (a
    threshold instead of exactly 0).
    """
    X = np.array([[0, 0.5, 0, 0.002, 1.0, 0, 0.0, 0.3],
                  [0, 0.0, 0, 0.000, 0.8, 0, 0.1, 0.0],
                  [0, 0.2, 0, 0.000, 0.4, 0, 0.0, 0.0],
                  [0, 0.0, 0, 0.000, 0.5, 0, 0.0, 0.9],
                  [0, 0.0, 0, 0.000, 0.0, 0, 0.0, 0.0],  # a blank image
                  [0, 0.7, 0, 0.000, 0.3, 0, 0.0, 0.0]])
    expected = _solutions.ignored_pixels(X)  # pixels 0, 2 and 5; pixel 3 is inked faintly once
    name = "ignored_pixels"
    result = _call(f, name, X=X)
    if isinstance(result, tuple) and len(result) == 1:  # what np.nonzero returns
        result = result[0]
    result = _array(result, name)
    if result.dtype == bool:
        if result.shape == (X.shape[1],) and np.array_equal(np.flatnonzero(result), expected):
            raise _wrong("Your ignored_pixels returns a True/False mask: return the indices "
                         "of the True entries, np.flatnonzero(mask).")
        raise _wrong("Your ignored_pixels returns True/False values; return pixel indices.")
    result = np.sort(_indices(result, name, "indices"))
    variants = [
        (np.flatnonzero((X == 0).all(axis=1)), "Your ignored_pixels looks along the wrong "
         "axis: it finds the blank images (rows), not the pixels (columns) blank in every "
         "image. Use axis=0."),
        (np.flatnonzero((X == 0).any(axis=0)), "Your ignored_pixels finds pixels blank in at "
         "least one image (any); a pixel is ignored only if it is blank in all of them."),
        (np.flatnonzero((X != 0).any(axis=0)), "Your ignored_pixels returns the pixels that are "
         "inked somewhere, the opposite of those never inked."),
        (np.flatnonzero((X < 0.01).all(axis=0)), "Your ignored_pixels counts faint ink (0.002) "
         "as blank: a pixel stays at weight 0 only if it is exactly 0 in every image."),
    ]
    if not np.array_equal(result, expected):
        for variant, message in variants:
            if np.array_equal(result, variant):
                raise _wrong(message)
        raise _wrong(f"Your ignored_pixels gives {result.tolist()}; expected "
                     f"{expected.tolist()}.")
    return "your ignored_pixels finds exactly the pixels that are 0 in every image."


def hint_ignored_pixels():
    """Print a hint for the ignored_pixels exercise."""
    print("(X == 0) is True where a pixel is blank; .all(axis=0) asks 'blank in every image?' "
          "for each column; np.flatnonzero turns the answer into indices.")


def solution_ignored_pixels():
    """Print a worked ignored_pixels."""
    _print_solution(_solutions.ignored_pixels)


@_check()
def check_most_confused_pair(f):
    """Check ``f(m)``: the pair (a, b), a ≠ b, with the largest ``m[a, b] + m[b, a]``.

    Either order of the pair is fine. Mistakes it recognises: the diagonal
    (right answers) counted; one direction only (the largest single
    ``m[a, b]``); a flat index from ``np.argmax`` instead of a pair.
    """
    m = np.array([[50, 2, 9, 1],
                  [3, 60, 0, 7],
                  [1, 0, 40, 2],
                  [0, 6, 4, 55]])
    expected = _solutions.most_confused_pair(m)  # (1, 3): 7 + 6; the largest one-way is (0, 2)
    name = "most_confused_pair"
    result = _call(f, name, m=m)
    flat = np.asarray(result)
    if flat.size == 1:
        raise _wrong(f"Your most_confused_pair returns one number ({_fmt(flat)}), a flat index "
                     "perhaps: return the pair (a, b); np.unravel_index converts a flat index.")
    pair = _array(result, name)
    if pair.shape != (2,):
        raise _wrong(f"Your most_confused_pair returned {_describe(result)}; "
                     "expected a pair (a, b).")
    pair = tuple(sorted(int(value) for value in pair))
    if pair == expected:
        return "your most_confused_pair adds both directions and leaves out the diagonal."
    if pair[0] == pair[1]:
        raise _wrong(f"Your most_confused_pair returns ({pair[0]}, {pair[1]}), a diagonal "
                     "entry: right answers are not confusions; set the diagonal to 0 first.")
    if pair == (0, 2):
        raise _wrong("Your most_confused_pair looks at one direction only (m[0, 2] = 9 is the "
                     "largest single entry): add the two directions, m[a, b] + m[b, a].")
    raise _wrong(f"Your most_confused_pair returns {pair}; expected {expected}.")


def hint_most_confused_pair():
    """Print a hint for the most_confused_pair exercise."""
    print("m + m.T adds the two directions; zero its diagonal (np.fill_diagonal); np.argmax "
          "gives a flat index and np.unravel_index turns it into (row, column).")


def solution_most_confused_pair():
    """Print a worked most_confused_pair."""
    _print_solution(_solutions.most_confused_pair)


@_check()
def check_train_val_gap(f):
    """Check ``f(train_accuracy, val_accuracy)``: final training minus final validation, in points.

    Accuracies are fractions; the gap is in percentage points and keeps its
    sign (negative when validation ends higher). Mistakes it recognises: a
    fraction instead of points; the wrong sign; the size without the sign;
    the best values instead of the final ones; the first epoch instead of
    the last; the mean gap over all epochs.
    """
    name = "train_val_gap"
    train = np.array([0.90, 0.93, 0.95, 0.96])
    val = np.array([0.88, 0.91, 0.92, 0.915])
    expected = _solutions.train_val_gap(train, val)  # 4.5 points
    gap = _number(_call(f, name, train_accuracy=train, val_accuracy=val), name)
    variants = [
        (expected / 100, "Your train_val_gap is a fraction; in percentage points, "
                         "multiply by 100."),
        (-expected, "Your train_val_gap has the wrong sign: training minus validation."),
        (100 * (train.max() - val.max()), "Your train_val_gap uses the best values; the gap "
                                          "is between the final ones ([-1])."),
        (100 * (train[0] - val[0]), "Your train_val_gap uses the first epoch; the gap is "
                                    "between the final values ([-1])."),
        (100 * np.mean(train - val), "Your train_val_gap averages the gap over all epochs; "
                                     "take the final epoch's."),
    ]
    if not np.isclose(gap, expected):
        for value, message in variants:
            if np.isclose(gap, value):
                raise _wrong(message)
        raise _wrong(f"Your train_val_gap is {gap:g}; expected {expected:g} points.")
    train, val = np.array([0.80, 0.85]), np.array([0.82, 0.87])  # validation ends higher
    expected = _solutions.train_val_gap(train, val)
    gap = _number(_call(f, name, train_accuracy=train, val_accuracy=val), name)
    if np.isclose(gap, -expected):
        raise _wrong("Your train_val_gap drops the sign: when validation ends higher, "
                     "the gap is negative.")
    if not np.isclose(gap, expected):
        raise _wrong(f"Your train_val_gap is {gap:g} for {_fmt(train)} and {_fmt(val)}; "
                     f"expected {expected:g} points.")
    return "your train_val_gap is final training minus final validation, in points."


def hint_train_val_gap():
    """Print a hint for the train_val_gap exercise."""
    print("The final values are train_accuracy[-1] and val_accuracy[-1]; subtract and "
          "multiply by 100.")


def solution_train_val_gap():
    """Print a worked train_val_gap."""
    _print_solution(_solutions.train_val_gap)


@_check()
def check_per_digit_accuracy(f):
    """Check ``f(y_true, y_pred)``: for each digit 0..9, the share of its images predicted right.

    The share is taken over the images whose *true* label is the digit (its
    recall). Mistakes it recognises: dividing by how often a digit was
    predicted (its precision); the number right per digit instead of the
    share; percentages; the overall accuracy repeated; not ten values.
    """
    y_true = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 7, 7, 7, 8, 8, 9, 9])
    y_pred = np.array([0, 0, 6, 1, 1, 2, 3, 2, 2, 3, 5, 4, 9, 4, 5, 3, 6, 6, 7, 1, 7, 8, 3, 9, 4])
    expected = _solutions.per_digit_accuracy(y_true, y_pred)
    name = "per_digit_accuracy"
    result = _array(_call(f, name, y_true=y_true, y_pred=y_pred), name)
    _expect_shape(result, (10,), name, "an array", ", one value per digit 0..9")
    right = np.array([np.sum((y_true == d) & (y_pred == d)) for d in range(10)])
    variants = [
        (right / np.bincount(y_pred, minlength=10), "Your per_digit_accuracy divides by how "
         "often each digit was predicted (precision); divide by how often it is the true "
         "label."),
        (right, "Your per_digit_accuracy counts the right predictions per digit: divide by the "
                "number of images of that digit."),
        (100 * expected, "Your per_digit_accuracy returns percentages: return fractions."),
        (np.full(10, np.mean(y_true == y_pred)), "Your per_digit_accuracy repeats the overall "
         "accuracy: take each digit's images (y_true == digit) separately."),
    ]
    if not _close(result, expected):
        for variant, message in variants:
            if _close(result, variant):
                raise _wrong(message)
        raise _wrong(f"Your per_digit_accuracy gives {_fmt(result)}; expected {_fmt(expected)}.")
    return "your per_digit_accuracy is, for each digit, the share of its images predicted right."


def hint_per_digit_accuracy():
    """Print a hint for the per_digit_accuracy exercise."""
    print("For digit d, the images are those with y_true == d; the share of them predicted "
          "right is np.mean(y_pred[y_true == d] == d).")


def solution_per_digit_accuracy():
    """Print a worked per_digit_accuracy."""
    _print_solution(_solutions.per_digit_accuracy)
