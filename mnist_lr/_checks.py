"""Argument checks shared by the package: one place, and one wording, for each rule.
An error about a setting carries its name in ``error.parameter``: the CLI names the option."""

from __future__ import annotations

import numbers

import numpy as np


def argument_error(kind, name, message):
    """``kind(message)`` (a ValueError, a TypeError...) about the argument ``name``."""
    error = kind(message)
    error.parameter = name
    return error


def check_int(value, name, *, minimum=None, maximum=None, allow_none=False):
    """Return ``value`` as an ``int`` after checking its type and range."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise argument_error(TypeError, name, f"{name} must be an integer, got {value!r} "
                                              f"({type(value).__name__})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise argument_error(ValueError, name, f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise argument_error(ValueError, name, f"{name} must be <= {maximum}, got {value}")
    return value


def check_real(value, name, *, positive=False, open_interval=None):
    """``value`` as a finite ``float``; ``open_interval=(lo, hi)`` requires lo < value < hi."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise argument_error(TypeError, name, f"{name} must be a real number, got {value!r} "
                                              f"({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value):
        raise argument_error(ValueError, name, f"{name} must be finite, got {value}")
    if positive and value <= 0:
        raise argument_error(ValueError, name, f"{name} must be > 0, got {value}")
    lo, hi = open_interval or (-np.inf, np.inf)
    if not lo < value < hi:
        raise argument_error(ValueError, name,
                             f"{name} must lie strictly between {lo} and {hi}, got {value}")
    return value


def check_seed(random_state, name="random_state"):
    """The package's seed rule: None, an int >= 0, a numpy Generator or RandomState (unchanged)."""
    if random_state is None or isinstance(random_state,
                                          (np.random.Generator, np.random.RandomState)):
        return random_state
    if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral):
        raise argument_error(TypeError, name, f"{name} must be None, an int seed or a numpy "
                                              f"Generator, got {random_state!r}")
    if random_state < 0:
        raise argument_error(ValueError, name,
                             f"{name} must be a non-negative integer seed, got {random_state}")
    return int(random_state)


def make_rng(random_state, name="random_state"):
    """A Generator from a :func:`check_seed` seed (a RandomState is drawn from; None: fresh)."""
    random_state = check_seed(random_state, name)
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(2**31 - 1))
    return np.random.default_rng(random_state)


def check_float_array(value, name, ndim=None, check_finite=True):
    """``value`` as a float array (integers become float64; floats are not copied), with
    ``ndim`` dimensions if given; ``check_finite`` refuses NaN and infinity."""
    array = np.asarray(value)
    if not np.issubdtype(array.dtype, np.floating):
        if array.dtype == bool or not np.issubdtype(array.dtype, np.number):
            raise TypeError(f"{name} must hold numbers, got dtype {array.dtype}")
        array = array.astype(np.float64)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {array.shape}")
    if check_finite and not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite (no NaN or infinity)")
    return array


def check_Xy(X, y, *, name_X="X", name_y="y", min_samples=1):
    """A 2-D ``X`` (values not inspected) and its labels (:func:`check_labels`), not copied."""
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
    if isinstance(value, str):
        return "a string"
    return "a number" if isinstance(value, numbers.Number) else f"a {type(value).__name__}"


def check_label_values(y, name):
    """Labels are numbers or strings (not bytes, not other objects), and finite."""
    if y.dtype.kind == "S":
        raise ValueError(f"{name} holds bytes; decode them to str first")
    # Object arrays hold one kind of label here (check_label_kinds): strings, or no labels.
    if y.dtype.kind == "O" and y.size and not isinstance(y.flat[0], str):
        raise ValueError(f"{name} holds Python objects that are not all strings (one is "
                         f"{y.flat[0]!r}); use one kind of label: all integers or all strings")
    if y.dtype.kind not in "biufUO":  # complex numbers, dates and the like
        raise ValueError(f"{name} holds {y.dtype} values; labels must be integers or strings")
    if y.dtype.kind == "f" and not np.isfinite(y).all():
        raise ValueError(f"{name} contains NaN or infinity; every sample needs a class label")


def check_same_label_kind(a, name_a, b, name_b):
    """Numbers can be compared with numbers and strings with strings, not one with the other."""
    kind_a, kind_b = ("strings" if y.dtype.kind in "UO" else "numbers" for y in (a, b))
    if kind_a != kind_b:
        raise ValueError(f"{name_a} holds {kind_a} ({a.dtype}) but {name_b} holds {kind_b} "
                         f"({b.dtype}), so no label of one can equal a label of the other; "
                         "convert one of them, e.g. with .astype(int) or .astype(str)")
