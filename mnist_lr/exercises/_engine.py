"""The machinery of the checks: one record per exercise, and what is made from it.

An :class:`Exercise` holds the worked answer, a generator of inputs, a hint and
the usual mistakes, each a small wrong function with its message. A check
draws fresh inputs, runs the learner's function on them, then the worked
answer and every mistake on the same inputs. It names the first mistake whose
outputs the learner's match on every input; failing that, the first mistake
that matches on the first input where the learner's answer differs (two
mistakes at once, say), naming that input; failing that, the input itself,
with the learner's output and the expected one.

Every call of a function under check runs in a worker thread with a time
limit, its printing (stdout and stderr) captured, NumPy's floating-point
errors and Python's warnings silenced, so that neither a hanging answer nor
the learner's own ``np.seterr`` or ``warnings`` settings can break a check.
A worker thread (rather than a signal) works in a Jupyter kernel, in
pytest-xdist workers and off the main thread alike; a call that overruns is
abandoned, not killed, and goes on in the background until it ends (until
then, every check answers with a line asking to restart the kernel). What
the function returned is read in the same thread, under the same limit.
``SystemExit`` or ``KeyboardInterrupt`` raised by the learner's function is
reported in one line; an interrupt from the keyboard (or Jupyter's stop
button) while a check waits reaches the main thread and stops the check, as
the learner asked.
"""

from __future__ import annotations

import contextlib
import copy
import html
import inspect
import io
import threading
import time
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


class Result:
    """What a check returns: true when the answer is right, shown as its one line.

    ``passed`` and ``message`` hold the verdict; Jupyter shows the line once
    (as HTML, so that a long line wraps between words), a terminal or a
    doctest shows the same line through ``repr``.
    """

    __slots__ = ("passed", "message", "mark")

    def __init__(self, passed, message, mark):
        self.passed, self.message, self.mark = passed, " ".join(message.split()), mark

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return f"{self.mark} {self.message}"

    def _repr_html_(self):
        return f'<p style="white-space: normal">{html.escape(repr(self))}</p>'


class Line(Exception):
    """One line of feedback that ends a check (``mark`` "✗", or "…" when not done)."""

    def __init__(self, message, mark="✗"):
        super().__init__(message)
        self.message, self.mark = message, mark


def not_done(message):
    return Line(f"Not done yet: {message}", mark="…")


@dataclass(frozen=True)
class Mistake:
    """A usual mistake: a wrong answer written as a function, and the line that names it."""

    wrong: Callable
    message: str


@dataclass(frozen=True)
class Exercise:
    """One coding exercise: everything its check, hint and solution are made from.

    ``cases(rng)`` draws the inputs, small ones first, as dicts of arguments.
    ``run(function, arguments)`` calls a candidate (inside the time limit) and
    ``read(raw, arguments)`` turns what it returned into a value to compare,
    or raises :class:`Line` saying what came back instead. ``same`` compares
    two values; ``show`` writes one briefly. ``replay(arguments, value)``
    gives the worked answer and the mistakes what the learner's run drew
    (the training loop's shuffles); by default they get the arguments as
    they are.
    """

    topic: str
    answer: Any
    cases: Callable
    hint: str
    praise: str
    mistakes: tuple = ()
    read: Callable = None
    same: Callable = None
    show: Callable = None
    run: Callable = None
    replay: Callable = None
    seconds: float = 5.0
    kind: str = "function"
    name: str = ""
    reference: Any = field(default=None, compare=False)

    def __post_init__(self):
        defaults = {"read": read_array, "same": close, "show": fmt, "run": call,
                    "replay": lambda arguments, value: arguments, "name": self.topic,
                    "reference": private(self.answer)}
        for key, value in defaults.items():
            if getattr(self, key) is None or getattr(self, key) == "":
                object.__setattr__(self, key, value)


def private(function):
    """A copy of a function (or of a class's methods) that keeps its own module globals.

    Rebinding a public name afterwards (``nb02.softmax = ...``) changes
    neither the copy nor what the copy calls.
    """
    if isinstance(function, type):
        methods = {key: private(value) for key, value in vars(function).items()
                   if isinstance(value, types.FunctionType)}
        return type(function.__name__, function.__bases__, {**vars(function), **methods})
    if not isinstance(function, types.FunctionType):
        return function
    copied = types.FunctionType(function.__code__, dict(function.__globals__), function.__name__,
                                function.__defaults__, function.__closure__)
    copied.__kwdefaults__ = function.__kwdefaults__
    return copied


def call(function, arguments):
    return function(*arguments.values())


# -- running one call, fenced in -----------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What one call came to: a value, an exception ("raised") or an unreadable result."""

    kind: str
    value: Any = None
    text: str = ""


_ABANDONED = []  # worker threads of calls that overran: they go on until they end


def _refuse_while_abandoned():
    """A Line when a call that overran in an earlier check still runs."""
    for worker in list(_ABANDONED):
        worker.join(0.2)
        if not worker.is_alive():
            _ABANDONED.remove(worker)
    if _ABANDONED:
        raise Line(f"A function that did not finish in an earlier check ({_ABANDONED[0].name}) "
                   "is still running in the background and would slow and disturb this "
                   "check: restart the kernel (Kernel → Restart), then check again.")


def _fenced(exercise, function, arguments, seconds):
    """Run ``function`` on copies of ``arguments`` and read its result, within ``seconds``.

    Everything that touches what the function returned (``__array__``, ``__len__``,
    ``__str__`` of an exception...) runs in the worker thread, under the time
    limit and with its printing captured: an Outcome, or a Line.
    """
    copies = copy.deepcopy(arguments)
    box = {}

    def target():
        try:
            with np.errstate(all="ignore"):
                raw = exercise.run(function, copies)
        except BaseException as exc:  # SystemExit and KeyboardInterrupt are reported too
            box["early"] = _caught(_raised, exercise, exc)
            return
        box["outcome"] = _caught(_read, exercise, raw, arguments)

    worker = threading.Thread(target=target, name=f"check_{exercise.topic}", daemon=True)
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        worker.start()
        worker.join(max(seconds, 0.01))
    if worker.is_alive():
        _ABANDONED.append(worker)
        raise Line(f"Your {exercise.name} did not finish within {exercise.seconds:g} seconds "
                   f"({describe(arguments)}): look for a loop that never ends. It goes on "
                   "running in the background: restart the kernel before checking again.")
    return _settled(exercise, box, arguments, copies)


def _caught(step, exercise, *args):
    """``step(exercise, *args)``: an Outcome, or the Line it ends with."""
    try:
        return step(exercise, *args)
    except Line as line:
        return line
    except BaseException as exc:  # reading the result raised, SystemExit included
        return _caught(_raised, exercise, exc)


def _settled(exercise, box, arguments, copies):
    if "early" in box:
        return _outcome(box["early"])
    for key, value in arguments.items():
        if not isinstance(value, np.ndarray):
            continue
        if np.shape(copies[key]) != value.shape:
            raise Line(f"Your {exercise.name} changes the shape of its argument {key} in place "
                       f"({key}.shape = ...); make a reshaped copy under a new name instead "
                       f"(flat = {key}.reshape(-1)).")
        if not np.array_equal(copies[key], value, equal_nan=True):
            raise Line(f"Your {exercise.name} changes its argument {key} in place; compute a new "
                       f"array instead ({key} = {key} - ... rather than {key} -= ...).")
    return _outcome(box["outcome"])


def _outcome(outcome):
    if isinstance(outcome, Line):
        raise outcome
    return outcome


def _text(exc):
    """``str(exc)``, or nothing when even that fails."""
    try:
        return str(exc)
    except BaseException:  # an exception whose __str__ raises
        return ""


def _raised(exercise, exc):
    if isinstance(exc, Line):
        return _read(exercise, exc, {})
    if isinstance(exc, NotImplementedError):
        raise not_done(f"your {exercise.name} raises NotImplementedError; "
                       "replace the placeholder with your code.")
    if isinstance(exc, (SystemExit, KeyboardInterrupt)):
        raise Line(f"Your {exercise.name} raised {type(exc).__name__}, which would stop the "
                   "notebook: return a result instead.")
    text = _text(exc)
    if "ellipsis" in text:
        raise not_done(f"a `...` placeholder is still in your {exercise.name}.")
    lines = text.strip().splitlines()
    return Outcome("raised", text=f"{type(exc).__name__}: {lines[0]}" if lines
                   else type(exc).__name__)


def _read(exercise, raw, arguments):
    if raw is None:
        raise not_done(f"your {exercise.name} returns None; finish it and return the result.")
    if raw is Ellipsis:
        raise not_done(f"your {exercise.name} returns `...`; replace it with your code.")
    try:
        if isinstance(raw, Line):  # a run hook's own line
            raise raw
        with np.errstate(all="ignore"):
            return Outcome("value", exercise.read(raw, arguments))
    except Line as line:
        if line.mark == "…":
            raise not_done(f"your {exercise.name} {line.message}.") from None
        return Outcome("unreadable", text=f"Your {exercise.name} {line.message}")
    except Exception:  # a result too odd for the reader, a ragged list for example
        return Outcome("unreadable", text=f"Your {exercise.name} returns {brief(raw)}, "
                                          "which is not what the exercise asks for")


def _agree(exercise, a, b):
    if a.kind != b.kind:
        return False
    if a.kind != "value":
        return a.text == b.text
    with np.errstate(all="ignore"):
        return bool(exercise.same(a.value, b.value))


# -- the check -------------------------------------------------------------------------

def judge(exercise, candidate, seed=None):
    """The Result of ``exercise``'s check on ``candidate``, inputs drawn from ``seed``.

    ``seed=None`` draws fresh inputs on every call.
    """
    try:
        _require(candidate, exercise)
        _refuse_while_abandoned()
        _verdict(exercise, candidate, np.random.default_rng(seed))
    except Line as line:
        return Result(False, line.message, line.mark)
    return Result(True, f"Correct: {exercise.praise}", "✓")


def _verdict(exercise, candidate, rng):
    cases = exercise.cases(rng)
    deadline = time.monotonic() + exercise.seconds
    mine = [_fenced(exercise, candidate, case, deadline - time.monotonic()) for case in cases]
    # The expected values exist only from here on, after the learner's calls have returned.
    replayed = [exercise.replay(case, outcome.value) for case, outcome in zip(cases, mine)]
    expected = [_trusted(exercise, exercise.reference, case) for case in replayed]
    if all(_agree(exercise, a, b) for a, b in zip(mine, expected)):
        return
    first = next(i for i, (a, b) in enumerate(zip(mine, expected)) if not _agree(exercise, a, b))
    partly = None  # the first mistake that matches where the learner's answer first differs
    # An answer that gives the same on every input matches a mistake there by chance only.
    constant = len(mine) > 1 and all(_agree(exercise, mine[0], outcome) for outcome in mine)
    for mistake in exercise.mistakes:
        theirs = [_trusted(exercise, private(mistake.wrong), case) for case in replayed]
        if all(_agree(exercise, a, b) for a, b in zip(mine, theirs)):
            raise Line(mistake.message)
        if partly is None and not constant and _agree(exercise, mine[first], theirs[first]):
            partly = mistake
    if partly is not None:
        raise Line(f"{partly.message} (Seen for {describe(cases[first])}.)")
    raise Line(_difference(exercise, cases[first], mine[first], expected[first]))


def _trusted(exercise, function, arguments):
    """The worked answer's (or a mistake's) outcome: it gets no time limit of the learner's."""
    return _fenced(exercise, function, arguments, 60.0)


def _difference(exercise, case, mine, expected):
    where = describe(case)
    if mine.kind == "raised":
        return f"Your {exercise.name} raised {mine.text} ({where})."
    if mine.kind == "unreadable":
        return f"{mine.text} ({where})"
    shown, wanted = exercise.show(mine.value), exercise.show(expected.value)
    gap = f" They differ in {_first_gap(mine.value, expected.value)}." if shown == wanted else ""
    return f"Your {exercise.name} gives {shown} for {where}; expected {wanted}.{gap}"


def _first_gap(mine, expected, where=""):
    """Where two values that print alike first differ, with both numbers in full."""
    if isinstance(expected, dict) and isinstance(mine, dict):
        for key in expected:
            if key in mine and not _alike(mine[key], expected[key]):
                return _first_gap(mine[key], expected[key], f"{where}{key}" if not where
                                  else f"{where}[{key!r}]")
    if isinstance(expected, tuple) and isinstance(mine, tuple) and len(mine) == len(expected):
        for number, (a, b) in enumerate(zip(mine, expected)):
            if not _alike(a, b):
                return _first_gap(a, b, f"{where or 'part'} {number + 1}")
    try:
        a, b = np.asarray(mine, dtype=float), np.asarray(expected, dtype=float)
        index = np.argwhere(~np.isclose(a, b, rtol=1e-12, atol=0, equal_nan=True))[0]
        label = f"{where}, entry" if where else "entry"
        return (f"{label} {list(map(int, index))}: {float(a[tuple(index)])!r} where "
                f"{float(b[tuple(index)])!r} is expected")
    except Exception:  # shapes or types that do not compare entry by entry
        return where or "details too small to print"


def _alike(a, b):
    """Whether two read values are equal, entry for entry (dicts and tuples part by part)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(_alike(a[key], b[key]) for key in b)
    try:
        return bool(np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float),
                                   equal_nan=True))
    except Exception:  # values that are not numbers
        try:
            return bool(a == b)
        except Exception:  # arrays inside a list, say
            return False


def _require(candidate, exercise):
    check_name = f"check_{exercise.topic}"
    if candidate is None or candidate is Ellipsis:
        raise not_done(f"{check_name} got {candidate!r}; pass your "
                       f"{'class' if exercise.kind == 'class' else 'function'}, "
                       f"for example {check_name}(my_function).")
    if exercise.kind == "class":
        if isinstance(candidate, type):
            return
        if hasattr(candidate, "fit"):
            raise Line(f"{check_name} needs your class itself, not a model made from it: "
                       f"pass {type(candidate).__name__}, without parentheses.")
        raise Line(f"{check_name} needs your class, got {brief(candidate)}.")
    if not callable(candidate):
        raise Line(f"{check_name} needs your function itself, got {brief(candidate)}: "
                   "pass the function's name, without calling it.")


def make_check(exercise):
    """The public ``check_<topic>(candidate)`` of one exercise."""

    def check(candidate):
        return judge(exercise, candidate)

    check.__name__ = check.__qualname__ = f"check_{exercise.topic}"
    check.__doc__ = (f"Check your {exercise.name}: a line saying whether it is right, or "
                     "which mistake it makes.\n\nThe mistakes it names:\n\n"
                     + "\n".join(f"- {mistake.message}" for mistake in exercise.mistakes))
    return check


def make_hint(exercise):
    def hint():
        print(exercise.hint)

    hint.__name__ = hint.__qualname__ = f"hint_{exercise.topic}"
    hint.__doc__ = f"Print a hint for the {exercise.topic} exercise."
    return hint


def make_solution(exercise):
    def solution():
        print(inspect.getsource(exercise.answer).rstrip())

    solution.__name__ = solution.__qualname__ = f"solution_{exercise.topic}"
    solution.__doc__ = f"Print a worked answer to the {exercise.topic} exercise."
    return solution


# -- reading and writing values ----------------------------------------------------------

def brief(value):
    """What a value is, on one short line."""
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape}"
    try:
        text = " ".join(repr(value).split())
    except BaseException:  # a result whose __repr__ raises
        text = "an object"
    return f"{text:.40} ({type(value).__name__})"


def describe(arguments):
    """The arguments of one input, small ones written out, large ones by shape."""
    parts = []
    for key, value in arguments.items():
        if isinstance(value, np.ndarray):
            text = (np.array2string(value, separator=", ", threshold=13, precision=3)
                    .replace("\n", "") if value.size <= 12 else f"shape {value.shape}")
            while "  " in text:
                text = text.replace("  ", " ")
        elif callable(value) or key.startswith("_"):
            continue
        elif isinstance(value, (list, tuple)):
            text = f"a {type(value).__name__} of {len(value)}"
        else:
            text = repr(value)
        parts.append(f"{key} = {text}")
    return ", ".join(parts)


def fmt(value):
    """A number or array of numbers, briefly, on one line."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return f"{float(array):.4g}"
    numbers = ", ".join(f"{v:.4g}" for v in array.ravel()[:10])
    more = ", ..." if array.size > 10 else ""
    return f"[{numbers}{more}]" + (f" (shape {array.shape})" if array.ndim > 1 else "")


def close(a, b, rtol=1e-6, atol=1e-9, scale_rtol=5e-5, scale=None):
    """Equal up to rounding, float32 rounding included.

    Besides ``rtol`` per entry, an entry may be off by ``scale_rtol`` of the
    largest expected entry: an answer computed in float32 (7 digits) to a
    statement in float64 is right, though its tiny entries are off relative
    to themselves. ``scale`` replaces that largest entry (the largest of a pair of
    arrays, say).
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return False
    if scale is None:
        finite = np.abs(b[np.isfinite(b)])
        scale = finite.max() if finite.size else 0.0
    return bool(np.allclose(a, b, rtol=rtol, atol=atol + scale_rtol * scale, equal_nan=True))


def read_array(raw, arguments=None):
    """A numeric array, or a Line saying what came back instead.

    The lines of the readers continue "Your <function> ...".
    """
    try:
        array = np.asarray(raw)
    except Exception:  # a ragged list, for example
        raise Line(f"returns something that is not an array of numbers: {brief(raw)}") from None
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number)
                                     or array.dtype == bool):
        raise Line(f"returns something that is not an array of numbers: {brief(raw)}")
    return array.astype(float)


def read_number(raw, arguments=None):
    """A single number, or a Line saying what came back instead."""
    array = read_array(raw, arguments)
    if array.size != 1:
        raise Line(f"returns an array of shape {array.shape}, not a single number")
    return float(array.reshape(()))


def read_shaped(shape_of):
    """A reader that insists on the shape ``shape_of(arguments)`` gives."""

    def read(raw, arguments):
        array = read_array(raw, arguments)
        expected = shape_of(arguments)
        if array.shape != expected:
            raise Line(f"returns an array of shape {array.shape}; expected {expected}")
        return array

    return read
