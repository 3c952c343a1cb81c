"""Small argument checks shared by the package's public functions.

They raise the conventional exception type with a message that names the
argument, so a learner who passes the wrong thing sees what to fix instead of
a NumPy error from deep inside.
"""

from __future__ import annotations

import numbers

import numpy as np


def check_int(value, name, *, minimum=None, maximum=None, allow_none=False):
    """Return ``value`` as an ``int`` after checking its type and range."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_real(value, name, *, positive=False, open_interval=None):
    """Return ``value`` as a finite ``float`` after checking its type and range.

    ``open_interval=(lo, hi)`` requires ``lo < value < hi``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    if open_interval is not None:
        lo, hi = open_interval
        if not lo < value < hi:
            raise ValueError(f"{name} must lie strictly between {lo} and {hi}, got {value}")
    return value


def make_rng(random_state, name="random_state"):
    """Turn ``random_state`` into a :class:`numpy.random.Generator`.

    Accepts ``None`` (fresh entropy), a non-negative integer seed, a
    ``Generator`` (used as is) or a legacy ``RandomState`` (a seed is drawn
    from it, so it advances as scikit-learn users expect).
    """
    if random_state is None or isinstance(random_state, np.random.Generator):
        return np.random.default_rng(random_state)
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(2**31 - 1))
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError(f"{name} must be a non-negative integer seed, got {random_state}")
        return np.random.default_rng(int(random_state))
    raise TypeError(
        f"{name} must be None, an int seed or a numpy Generator, got {random_state!r}"
    )


def check_Xy(X, y, *, name_X="X", name_y="y", min_samples=1):
    """Check a feature matrix and its labels for the data helpers.

    ``X`` must be a 2-D array and ``y`` a 1-D array of the same length.
    (Their values are not inspected: splitting does not care about them, and
    the model checks them when it is trained.) Both come back as arrays, not copied
    when they already are.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim != 2:
        raise ValueError(f"{name_X} must be 2-D (n_samples, n_features), got shape {X.shape}")
    if y.ndim != 1:
        raise ValueError(f"{name_y} must be 1-D (n_samples,), got shape {y.shape}")
    check_same_length(X, y, name_X, name_y)
    if len(X) < min_samples:
        raise ValueError(f"{name_X} needs at least {min_samples} samples, got {len(X)}")
    return X, y


def check_same_length(a, b, name_a, name_b, *, what=("rows", "labels")):
    """Raise ``ValueError`` unless ``a`` and ``b`` have the same length.

    The one place where the package words this error, so every function says
    it the same way: "X and y have different lengths: 5 rows vs 4 labels".
    """
    if len(a) != len(b):
        raise ValueError(
            f"{name_a} and {name_b} have different lengths: "
            f"{len(a)} {what[0]} vs {len(b)} {what[1]}"
        )


def check_label_kinds(y, name="y"):
    """Raise ``ValueError`` if the labels ``y`` mix kinds: numbers with strings, or None.

    One place for this error, before any conversion: NumPy would turn the list
    ``[0, 'a']`` into the strings ``'0', 'a'`` without a word, and an object
    array of mixed labels fails deep inside sorting or scikit-learn's checks.
    Arrays with a NumPy type of their own (not ``object``) hold one kind and
    pass at once.
    """
    dtype = getattr(y, "dtype", None)
    if y is None or (dtype is not None and getattr(dtype, "kind", "O") != "O"):
        return  # no labels at all (the caller says so), or labels of one NumPy type
    try:
        values = np.asarray(y, dtype=object).ravel()
    except (TypeError, ValueError):
        return  # not array-like: the caller's own checks say what is wrong
    first = {}  # kind of label -> the first label of that kind
    for value in values:
        first.setdefault(_label_kind(value), value)
    if len(first) > 1 or "None" in first:
        found = ", ".join(
            "None is no label" if kind == "None" else f"{value!r} is {kind}"
            for kind, value in first.items()
        )
        what = "mixes label types" if len(first) > 1 else "holds no labels"
        raise ValueError(
            f"{name} {what} ({found}); give every sample a label of one kind, "
            "all numbers or all strings (these are not all strings, nor all numbers)"
        )


def _label_kind(value):
    if value is None:
        return "None"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, numbers.Number):
        return "a number"
    return f"a {type(value).__name__}"
