"""Run the exercise tests' tables over many seeds, to find the draws where a check errs.

Usage (from the repository root)::

    python scripts/stress_exercises.py --seeds 2000 --seconds 30 [--topic softmax ...]

``tests/test_exercises.py`` checks every answer on a few fixed seeds, so that
a failure replays. A check errs on a draw when a right answer (a record's
worked answer or a row of RIGHT) fails, or a wrong one (a record's own
mistake, a row of WRONG or EVERY_DRAW) passes, gets a line without the
words its row asks for, or names a mistake its row rules out. This script
tries each row on seeds 0, 1, 2, ... until ``--seeds`` or ``--seconds``
runs out, and prints a line per row that erred, with the first seeds (give
one to ``judge(exercise, candidate, seed)`` to replay it). Exit status 1 if
any row erred.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import test_exercises as tables  # noqa: E402

from mnist_lr.exercises import EXERCISES  # noqa: E402
from mnist_lr.exercises._engine import judge  # noqa: E402


def rows():
    """(name, topic, candidate, words its line holds, words it must not hold, right?)."""
    for topic, exercise in EXERCISES.items():
        yield f"{topic}: the worked answer", topic, exercise.answer, [], "", True
        for number, mistake in enumerate(exercise.mistakes):
            name = f"{topic}: its mistake {number}"
            yield name, topic, mistake.wrong, [mistake.message], "", False
    for number, (topic, candidate) in enumerate(tables.RIGHT):
        yield f"RIGHT[{number}] ({topic})", topic, candidate, [], "", True
    for number, (topic, candidate, wording) in enumerate(tables.WRONG):
        words = [wording] if isinstance(wording, str) else list(wording)
        yield f"WRONG[{number}] ({topic})", topic, candidate, words, "", False
    for number, (topic, candidate, wording, absent) in enumerate(tables.EVERY_DRAW):
        yield f"EVERY_DRAW[{number}] ({topic})", topic, candidate, [wording], absent, False


def errs(topic, candidate, words, absent, right, seed):
    """The line of the check on ``seed``'s draw if the check errs there, else None."""
    printed = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(printed):
        warnings.simplefilter("always")
        result = judge(EXERCISES[topic], candidate, seed)
    line = repr(result)
    fine = result.passed if right else (
        not result.passed and all(w in line for w in words) and not (absent and absent in line))
    return None if fine and not printed.getvalue() and not caught else line


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1000, help="seeds per row (default 1000)")
    parser.add_argument("--seconds", type=float, default=20.0,
                        help="time per row at most (default 20)")
    parser.add_argument("--topic", action="append", help="only this exercise (repeatable)")
    args = parser.parse_args(argv)
    erred = tried = 0
    for name, topic, candidate, words, absent, right in rows():
        if args.topic and topic not in args.topic:
            continue
        start, bad, seed = time.monotonic(), [], 0
        while seed < args.seeds and time.monotonic() - start < args.seconds:
            line = errs(topic, candidate, words, absent, right, seed)
            if line is not None:
                bad.append((seed, line))
            seed += 1
        tried += seed
        if bad:
            erred += 1
            print(f"{name}: erred on {len(bad)} of {seed} seeds", flush=True)
            for seed, line in bad[:3]:
                print(f"    seed {seed}: {line[:300]}", flush=True)
    print(f"{erred} rows erred; {tried} checks run")
    return 1 if erred else 0


if __name__ == "__main__":
    sys.exit(main())
