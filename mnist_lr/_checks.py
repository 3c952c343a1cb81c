"""Argument checks shared by the package: one place, and one wording, for each rule."""

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
    """``value`` as a finite ``float``; ``open_interval=(lo, hi)`` requires lo < value < hi."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    if open_interval is not None and not open_interval[0] < value < open_interval[1]:
        lo, hi = open_interval
        raise ValueError(f"{name} must lie strictly between {lo} and {hi}, got {value}")
    return value


def make_rng(random_state, name="random_state"):
    """A Generator from None, a seed >= 0, a Generator (as is) or a RandomState (drawn from)."""
    if random_state is None or isinstance(random_state, np.random.Generator):
        return np.random.default_rng(random_state)
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(2**31 - 1))
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError(f"{name} must be a non-negative integer seed, got {random_state}")
        return np.random.default_rng(int(random_state))
    raise TypeError(f"{name} must be None, an int seed or a numpy Generator, got {random_state!r}")


def check_Xy(X, y, *, name_X="X", name_y="y", min_samples=1):
    """A 2-D ``X`` and its labels (see :func:`check_labels`), as arrays (not copied).

    The values of ``X`` are not inspected: the model checks them when it is trained.
    """
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"{name_X} must be 2-D (n_samples, n_features), got shape {X.shape}")
    y = check_labels(y, name_y, len(X), name_X)
    if len(X) < min_samples:
        raise ValueError(f"{name_X} needs at least {min_samples} samples, got {len(X)}")
    return X, y


def check_labels(y, name="y", n_rows=None, rows_name="X"):
    """``y`` as a 1-D array of labels of one kind; given ``n_rows``, one label per row."""
    check_label_kinds(y, name)
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one label per sample), got shape {y.shape}")
    if n_rows is not None:
        check_same_length(range(n_rows), y, rows_name, name)
    return y


def check_same_length(a, b, name_a, name_b, *, what=("rows", "labels")):
    """"X and y have different lengths: 5 rows vs 4 labels", unless they have the same length."""
    if len(a) != len(b):
        raise ValueError(f"{name_a} and {name_b} have different lengths: "
                         f"{len(a)} {what[0]} vs {len(b)} {what[1]}")


def check_label_kinds(y, name="y"):
    """A ValueError if ``y`` mixes numbers with strings or holds None (before NumPy
    quietly turns ``[0, 'a']`` into strings); arrays of one NumPy type pass at once."""
    if y is None or getattr(getattr(y, "dtype", None), "kind", "O") != "O":
        return  # no labels at all (the caller says so), or labels of one NumPy type
    try:
        values = np.asarray(y, dtype=object).ravel()
    except (TypeError, ValueError):
        return  # not array-like: the caller's own checks say what is wrong
    first = {}  # kind of label -> the first label of that kind
    for value in values:
        first.setdefault(_label_kind(value), value)
    if len(first) > 1 or "None" in first:
        found = ", ".join("None is no label" if kind == "None" else f"{value!r} is {kind}"
                          for kind, value in first.items())
        what = "mixes label types" if len(first) > 1 else "holds no labels"
        raise ValueError(f"{name} {what} ({found}); give every sample a label of one kind, all "
                         "numbers or all strings (these are not all strings, nor all numbers)")


def _label_kind(value):
    if value is None:
        return "None"
    if isinstance(value, (str, numbers.Number)):
        return "a string" if isinstance(value, str) else "a number"
    return f"a {type(value).__name__}"
