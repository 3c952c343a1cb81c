"""Checks for the pieces of the model and the gradient check (notebook 02), and for L2 (09)."""

from __future__ import annotations

import numpy as np

from .. import _solutions
from ._common import (
    _array,
    _call,
    _check,
    _close,
    _describe,
    _expect_shape,
    _first_match,
    _fmt,
    _hint,
    _not_done,
    _number,
    _solution,
    _Verdict,
    _wrong,
)


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


hint_one_hot = _hint("one_hot",
                     "Start from np.zeros((len(y), n_classes)) and set one entry per row: row i, "
                     "column y[i]. Or pick rows of the identity matrix np.eye(n_classes).")
solution_one_hot = _solution("one_hot", _solutions.one_hot)


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
    _softmax_on_extreme_scores(f)
    return ("your softmax gives rows that sum to 1, and stays finite for scores "
            "of 1000 and of -1000.")


def _softmax_on_extreme_scores(f):
    """Scores of 1000 overflow exp, and of -1000 underflow it, unless each row's max goes."""
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


hint_softmax = _hint("softmax",
                     "Subtract each row's maximum, Z.max(axis=1, keepdims=True), before np.exp; "
                     "then divide each row by its own sum, again with axis=1 and keepdims=True so "
                     "the shapes line up.")
solution_softmax = _solution("softmax", _solutions.softmax)


def _cross_entropy_variants(Z, T):
    """What the usual mistakes return for scores Z and one-hot T, most specific first."""
    P = _solutions.softmax(Z)
    loss = _solutions.cross_entropy_from_scores(Z, T)
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
def check_cross_entropy_from_scores(f):
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
    expected = _solutions.cross_entropy_from_scores(Z, T)
    name = "cross_entropy_from_scores"
    raw = _array(_call(f, name, Z=Z, T=T), name)
    if raw.shape == (len(Z),):
        raise _wrong(f"Your cross-entropy returns one loss per row (shape {raw.shape}); "
                     "return their mean, a single number.")
    if raw.shape == Z.shape:
        raise _wrong(f"Your cross-entropy returns a {Z.shape} table; sum over the classes "
                     "and average over the rows to get a single number.")
    loss = _number(raw, name)
    # A guard such as log(P + 1e-7) moves ordinary losses by less than 1e-5.
    if not np.isclose(loss, expected, rtol=1e-4):
        _first_match(loss, _cross_entropy_variants(Z, T),
                     f"Your cross-entropy is {_fmt(loss)} for these scores; "
                     f"expected {_fmt(expected)}.",
                     same=lambda loss, value: np.isclose(loss, value, rtol=1e-4))
    _cross_entropy_of_a_confident_mistake(f)
    return ("your cross-entropy is the mean over rows, and charges a confident mistake its "
            "full loss (800 for a score of 800), with no cap and no overflow.")


def _cross_entropy_of_a_confident_mistake(f):
    """A score of 800 for class 0, but the truth is class 1: the loss must be 800, uncapped."""
    Z = np.array([[800.0, 0.0]])
    T = np.array([[0.0, 1.0]])
    expected = _solutions.cross_entropy_from_scores(Z, T)  # 800, to the last digit
    name = "cross_entropy_from_scores"
    loss = _number(_call(f, name, Z=Z, T=T), name)
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


hint_cross_entropy_from_scores = _hint(
    "cross_entropy_from_scores",
    "log softmax(z) = z - log(sum(exp(z))). Subtract each row's maximum m first; then "
    "log(sum(exp(z - m))) is finite. The loss is -(T * log_P).sum(axis=1).mean().")
solution_cross_entropy_from_scores = _solution("cross_entropy_from_scores",
                                               _solutions.cross_entropy_from_scores)


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


def _gradient_shapes(dW, db, W, b, n, expected_dW, name):
    """dW must have the shape of W, and db that of b; name the usual wrong shapes."""
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


def _diagnose_gradient(dW, db, X, T, W, b, name):
    """Compare (dW, db) with the gradient of the mean cross-entropy; raise on a mistake."""
    expected_dW, expected_db = _solutions.gradient(X, T, W, b)
    n = len(X)
    _gradient_shapes(dW, db, W, b, n, expected_dW, name)
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


hint_gradient = _hint("gradient",
                      "Compute P = softmax(X @ W + b). The loss's gradient with respect to the "
                      "scores is (P - T) / n; then dW = X.T @ that (the shape of W) and db = its "
                      "sum over axis 0.")
solution_gradient = _solution("gradient", _solutions.gradient)


def _coupled_quadratic(shape, seed):
    """A loss of W whose entries interact, and its exact gradient at a random W.

    A central difference is exact for a quadratic (up to rounding), whatever h,
    while each usual mistake is off by an amount of its own. The last term
    couples the entries, so that an entry left nudged spoils the next ones.
    """
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=shape), rng.normal(size=shape)
    C = rng.uniform(0.5, 2.0, size=shape)
    W = rng.normal(size=shape)

    def loss(V):
        V = np.asarray(V, dtype=float)
        if V.shape != shape:
            raise ValueError(f"loss expects an array of shape {shape}, got {V.shape}")
        return float((A * V).sum() + (C * V**2).sum() + 0.5 * (B * V).sum() ** 2)

    gradient = A + 2 * C * W + B * (B * W).sum()
    curvature = 2 * C + B**2  # the second derivative along each single entry
    return loss, W, gradient, curvature


def _numerical_gradient_call(f, loss, W, h):
    """The learner's estimate for (loss, W, h); a clear line if W is left changed."""
    mine = W.copy()
    name = "numerical_gradient"
    result = _call(lambda loss, h: f(loss, mine, h), name, loss=loss, h=h)
    if not _close(mine, W):
        index = np.unravel_index(np.argmax(np.abs(mine - W)), W.shape)
        where = ", ".join(str(int(i)) for i in index)
        raise _wrong(f"Your numerical_gradient leaves W changed: afterwards W[{where}] is "
                     f"{_fmt(mine[index])}, not {_fmt(W[index])}. Put each entry back after "
                     "nudging it (keep its old value), or the next differences start from "
                     "the wrong point.")
    return _array(result, name)


def _numerical_gradient_mistakes(result, gradient, curvature, h):
    """Name the usual mistake whose answer ``result`` is; else say what is wrong."""
    at_once = np.full(gradient.shape, gradient.sum())  # one slope along all entries together
    if result.shape in ((), (1,), gradient.shape) and _close(
            np.broadcast_to(result, gradient.shape), at_once):
        raise _wrong("Your numerical_gradient nudges every entry of W at once, which gives "
                     "one slope for all of them together: nudge one entry at a time.")
    if _close(result, gradient.T):
        raise _wrong(f"Your numerical_gradient is transposed: shape {result.shape}, but W is "
                     f"{gradient.shape}; entry [i, j] belongs to W[i, j].")
    _expect_shape(result, gradient.shape, "numerical_gradient", "an array", ", the shape of W")
    _first_match(result, [
        (gradient + h / 2 * curvature, "Your numerical_gradient takes a one-sided difference, "
                                       "(loss(W + h) - loss(W)) / h: use both sides, "
                                       "(loss(W + h) - loss(W - h)) / (2h), which is far "
                                       "more accurate."),
        (gradient - h / 2 * curvature, "Your numerical_gradient takes a one-sided difference, "
                                       "(loss(W) - loss(W - h)) / h: use both sides, "
                                       "(loss(W + h) - loss(W - h)) / (2h)."),
        (-gradient, "Your numerical_gradient has the wrong sign: it is "
                    "(loss(W + h) - loss(W - h)) / (2h), the nudge up first."),
        (2 * gradient, "Your numerical_gradient is twice too big: the two nudged points are "
                       "2h apart, so divide by 2 * h, not h."),
        (h * h * gradient, "Your numerical_gradient divides by 2 and then multiplies by h: "
                           "write / (2 * h), with the brackets."),
        (2 * h * gradient, "Your numerical_gradient returns the change in the loss without "
                           "dividing it by the distance between the points, 2 * h."),
    ], f"Your numerical_gradient gives {_fmt(result.ravel()[:3])} for the first entries; "
       f"expected {_fmt(gradient.ravel()[:3])}.")


@_check()
def check_numerical_gradient(f):
    """Check ``f(loss, W, h)``: the central-difference gradient of ``loss`` at ``W``.

    It is tried on two shapes of ``W`` and two step sizes ``h``. Mistakes
    it recognises: a one-sided difference (forward or backward); a nudged
    entry not put back (W changed afterwards); the wrong sign; dividing by
    h instead of 2h; ``/ 2 * h`` without brackets; no division at all;
    every entry nudged at once; a transposed result; sizes that work for
    one shape of W only (hard-coded sizes).
    """
    loss, W, gradient, curvature = _coupled_quadratic((3, 2), seed=0)
    h = 0.01
    result = _numerical_gradient_call(f, loss, W, h)
    if not _close(result, gradient):
        _numerical_gradient_mistakes(result, gradient, curvature, h)
    loss, W, gradient, curvature = _coupled_quadratic((2, 5), seed=1)
    try:
        result = _numerical_gradient_call(f, loss, W, 0.001)
        _expect_shape(result, W.shape, "numerical_gradient", "an array", ", the shape of W")
    except _Verdict as verdict:
        reason = str(verdict).rstrip(".")
        raise _wrong(f"Your numerical_gradient works for W of shape (3, 2) but not for (2, 5) "
                     f"({reason}): take every size from W.shape, never hard-code it.") from None
    if not _close(result, gradient):
        _numerical_gradient_mistakes(result, gradient, curvature, 0.001)
    return ("your numerical_gradient takes a central difference, one entry at a time, puts "
            "each entry back, and works for W of more than one shape.")


hint_numerical_gradient = _hint(
    "numerical_gradient",
    "Start from grad = np.zeros(W.shape) and loop over every index of W (np.ndindex(W.shape)). "
    "For each: keep old = W[index], set W[index] = old + h and old - h in turn, call loss(W) "
    "each time, put old back, and store (above - below) / (2 * h).")
solution_numerical_gradient = _solution("numerical_gradient", _solutions.numerical_gradient)


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
        _first_match(dW, penalties,
                     f"Your dW with alpha = {alpha} is not the cross-entropy gradient plus "
                     f"alpha * W: entry [0, 0] is {_fmt(dW[0, 0])}, expected "
                     f"{_fmt(base_dW[0, 0] + alpha * W[0, 0])}.",
                     same=lambda dW, penalty: _close(dW, base_dW + penalty))
    if not _close(db, base_db):
        if any(_close(db, base_db + factor * alpha * b) for factor in (1, 2, 0.5, 1 / len(X))):
            raise _wrong("Your l2_gradient penalises the bias: db must stay the cross-entropy "
                         "gradient, with no alpha * b.")
        raise _wrong(f"Your db changes with alpha (it is {_fmt(db)}); the bias is not "
                     "penalised, so db is the mean of P - T as before.")
    return "your l2_gradient adds alpha * W to dW and leaves db unpenalised."


hint_l2_gradient = _hint("l2_gradient",
                         "Start from the cross-entropy gradient (dW, db). The derivative of "
                         "alpha/2 * sum(W**2) with respect to W is alpha * W; the bias has no "
                         "penalty.")
solution_l2_gradient = _solution("l2_gradient", _solutions.l2_gradient)

