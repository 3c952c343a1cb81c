"""The machinery every exercise check shares.

A check is written as a function that returns its line of praise or raises
a :class:`_Verdict`; the :func:`_check` decorator turns it into the public
check, which prints exactly one line and returns True or False.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import warnings

import numpy as np


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


def _close(a, b, rtol=1e-6, atol=1e-9):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _fmt(values):
    """Numbers, briefly, on one line."""
    array = np.asarray(values, dtype=float)
    if array.ndim == 0:
        return f"{float(array):.4g}"
    return "[" + ", ".join(f"{value:.4g}" for value in array.ravel()) + "]"


def _first_match(result, mistakes, otherwise, same=_close):
    """Raise the message of the first mistake whose answer ``result`` is; else ``otherwise``.

    ``mistakes`` holds (answer the mistake gives, message) pairs, most specific first.
    """
    for answer, message in mistakes:
        if same(result, answer):
            raise _wrong(message)
    raise _wrong(otherwise)


def _hint(topic, text):
    """The public ``hint_<topic>()``: it prints ``text``."""

    def hint():
        print(text)

    hint.__name__ = hint.__qualname__ = f"hint_{topic}"
    hint.__doc__ = f"Print a hint for the {topic} exercise."
    return hint


def _solution(topic, answer):
    """The public ``solution_<topic>()``: it prints the source of the worked ``answer``."""

    def solution():
        print(inspect.getsource(answer).rstrip())

    solution.__name__ = solution.__qualname__ = f"solution_{topic}"
    solution.__doc__ = f"Print a worked answer to the {topic} exercise."
    return solution
