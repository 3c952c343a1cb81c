"""Sampled mutation testing: do the tests notice when the code is quietly broken?

For each module, this script makes small changes ("mutants") to a copy of the
code, one at a time: a comparison flipped, a statement deleted, ``argmax``
swapped for ``argmin``, ``+`` for ``-``, a constant off by one. It then runs
that module's own test file (and the module's doctests) against the mutant.
A mutant is *killed* when a test fails or the run times out, and *survives*
when every test still passes. The kill rate per module measures how much of
the module's behaviour the tests pin down; each survivor is either a gap in
the tests or a change that makes no difference (an "equivalent" mutant),
which only a person reading it can tell apart.

It is for contributors, not for CI: every mutant costs one run of a test
file, which is minutes of CPU on a small machine.

Usage (from the repository root)::

    nice python scripts/mutation.py mnist_lr/metrics.py mnist_lr/validation.py
    nice python scripts/mutation.py mnist_lr/data.py --sample 40 --seed 1 --show-survivors

See docs/MUTATION.md for what the numbers mean and the target to aim for.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Operator swaps. Each maps an AST node type to the one that replaces it.
COMPARE_SWAPS = {
    ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.LtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
    ast.In: ast.NotIn, ast.NotIn: ast.In,
}
BINOP_SWAPS = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult, ast.Mod: ast.FloorDiv,
}
BOOLOP_SWAPS = {ast.And: ast.Or, ast.Or: ast.And}
# Function and attribute names that have a natural opposite.
NAME_SWAPS = {
    "argmax": "argmin", "argmin": "argmax", "max": "min", "min": "max",
    "any": "all", "all": "any", "maximum": "minimum", "minimum": "maximum",
}


@dataclass
class Mutant:
    index: int  # position among all candidate mutations of the module
    line: int
    description: str


@dataclass
class Outcome:
    line: int
    description: str
    status: str  # "killed", "survived" or "timeout"
    seconds: float
    # With --compare: the status under the module's own test file alone.
    own_file_status: str | None = None


def _is_docstring(node, parent):
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        and isinstance(parent, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        and parent.body
        and parent.body[0] is node
    )


def _candidates(tree):
    """Yield ``(node, kind, detail)`` for every place a mutation can be made.

    The order is the order of ``ast.walk``, which is the same every time the
    same source is parsed, so a candidate can be found again by its index.
    """
    parents = {}
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            parents[child] = parent
    for node in ast.walk(tree):
        parent = parents.get(node)
        if isinstance(node, ast.Compare):
            for position, op in enumerate(node.ops):
                if type(op) in COMPARE_SWAPS:
                    yield node, "compare", position
        elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
            # Leave string formatting ("%" on strings, "+" joining messages) alone.
            if not any(isinstance(side, (ast.JoinedStr, ast.Constant)) and
                       isinstance(getattr(side, "value", None), str)
                       for side in (node.left, node.right)):
                yield node, "binop", None
        elif isinstance(node, ast.AugAssign) and type(node.op) in BINOP_SWAPS:
            yield node, "binop", None
        elif isinstance(node, ast.BoolOp) and type(node.op) in BOOLOP_SWAPS:
            yield node, "boolop", None
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "not", None
        elif isinstance(node, ast.Constant) and not isinstance(parent, ast.JoinedStr):
            value = node.value
            if isinstance(value, bool):
                yield node, "bool", None
            elif isinstance(value, int):
                yield node, "int", None
        elif isinstance(node, ast.Name) and node.id in NAME_SWAPS:
            yield node, "name", None
        elif isinstance(node, ast.Attribute) and node.attr in NAME_SWAPS:
            yield node, "attr", None
        if isinstance(node, ast.stmt) and not isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import,
                   ast.ImportFrom, ast.Pass, ast.Global, ast.Nonlocal)
        ):
            if not _is_docstring(node, parent) and not _assigns_dunder(node):
                yield node, "delete", None


def _assigns_dunder(node):
    """``__all__ = [...]`` and the like: deleting them tests packaging, not behaviour."""
    return isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id.startswith("__") for t in node.targets
    )


class _Replace(ast.NodeTransformer):
    """Put ``replacement`` where the node ``target`` was."""

    def __init__(self, target, replacement):
        self.target, self.replacement = target, replacement

    def visit(self, node):
        if node is self.target:
            return ast.copy_location(self.replacement, node)
        return super().visit(node)


def _apply(tree, index):
    """Mutate candidate ``index`` of ``tree`` in place; return a description of the change."""
    node, kind, detail = list(_candidates(tree))[index]
    if kind == "compare":
        old = node.ops[detail]
        node.ops[detail] = COMPARE_SWAPS[type(old)]()
        return f"{type(old).__name__} -> {type(node.ops[detail]).__name__}"
    if kind == "binop":
        old = node.op
        node.op = BINOP_SWAPS[type(old)]()
        return f"{type(old).__name__} -> {type(node.op).__name__}"
    if kind == "boolop":
        old = node.op
        node.op = BOOLOP_SWAPS[type(old)]()
        return f"{type(old).__name__} -> {type(node.op).__name__}"
    if kind == "not":
        _Replace(node, node.operand).visit(tree)
        return "not x -> x"
    if kind == "bool":
        node.value = not node.value
        return f"{not node.value} -> {node.value}"
    if kind == "int":
        old = node.value
        node.value = old + 1 if old <= 1 else old - 1
        return f"{old} -> {node.value}"
    if kind == "name":
        old = node.id
        node.id = NAME_SWAPS[old]
        return f"{old} -> {node.id}"
    if kind == "attr":
        old = node.attr
        node.attr = NAME_SWAPS[old]
        return f".{old} -> .{node.attr}"
    if kind == "delete":
        description = f"delete `{ast.unparse(node).splitlines()[0][:60]}`"
        _Replace(node, ast.Pass()).visit(tree)  # `pass` keeps the block non-empty
        return description
    raise AssertionError(kind)


def mutants_of(source):
    """All candidate mutants of ``source`` as ``(Mutant, mutated_source)`` pairs, lazily."""
    original = ast.unparse(ast.parse(source))
    count = len(list(_candidates(ast.parse(source))))
    for index in range(count):
        tree = ast.parse(source)
        line = list(_candidates(tree))[index][0].lineno
        description = _apply(tree, index)
        ast.fix_missing_locations(tree)
        mutated = ast.unparse(tree)
        if mutated != original:  # a swap that changes nothing is not a mutant
            yield Mutant(index, line, description), mutated


def _run_tests(workdir, test_args, timeout, data_dir=None):
    env = dict(os.environ, PYTHONPATH=str(workdir), PYTHONDONTWRITEBYTECODE="1")
    if data_dir is not None:
        env["MNIST_LR_DATA"] = str(data_dir)
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
               "-p", "no:randomly", *test_args]
    start = time.monotonic()
    try:
        result = subprocess.run(command, cwd=workdir, env=env, timeout=timeout,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - start, ""
    status = "survived" if result.returncode == 0 else "killed"
    return status, time.monotonic() - start, result.stdout


def test_files_for(module, root, extra, doctests=True):
    """Arguments to pytest: the module's doctests, its own test file, extra tests.

    An extra test file may group its tests by module in classes named after
    it (``TestData`` for data.py); then only that class runs. A file without
    such classes runs whole; one with classes for other modules only is skipped.
    """
    args = [str(module.relative_to(root)), "--doctest-modules"] if doctests else []
    own = root / "tests" / f"test_{module.stem}.py"
    if own.exists():
        args.append(str(own.relative_to(root)))
    for name in extra:
        path = root / name
        if not path.exists():
            continue
        text = path.read_text()
        group = f"Test{module.stem.strip('_').title()}"
        if f"class {group}" in text:
            args.append(f"{name}::{group}")
        elif "\nclass Test" not in text:
            args.append(name)
    return args


def run_module(module, source_root, args):
    """Mutate one module; return its outcomes (a list of Outcome)."""
    source = (source_root / module).read_text()
    all_mutants = list(mutants_of(source))
    rng = random.Random(args.seed)
    chosen = (rng.sample(all_mutants, args.sample)
              if args.sample and args.sample < len(all_mutants) else all_mutants)
    chosen.sort(key=lambda pair: pair[0].index)

    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        work = Path(tmp)
        for part in ("mnist_lr", "tests", "pyproject.toml"):
            source_path = source_root / part
            if source_path.is_dir():
                shutil.copytree(source_path, work / part,
                                ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source_path, work / part)
        target = work / module
        test_args = test_files_for(work / module, work, args.extra_tests, args.doctests)
        own_file = [a for a in test_args if a == f"tests/test_{module.stem}.py"]
        markers = [] if args.include_slow else ["-m", "not slow"]
        test_args += markers

        # The copy no longer sits next to the shared data folder that
        # tests/conftest.py looks for, so point the tests at it here.
        data_dir = os.environ.get("MNIST_LR_DATA") or source_root.parent / "shared/data/mnist"
        data_dir = data_dir if Path(data_dir).is_dir() else None
        status, baseline, output = _run_tests(work, test_args, args.max_baseline, data_dir)
        if status != "survived":
            raise SystemExit(f"{module}: the tests fail before any mutation:\n{output[-3000:]}")
        timeout = args.timeout or max(30.0, 3 * baseline + 10)
        print(f"{module}: {len(all_mutants)} mutants possible, running {len(chosen)}; "
              f"clean run {baseline:.1f} s, timeout {timeout:.0f} s", flush=True)

        outcomes = []
        for mutant, mutated in chosen:
            target.write_text(mutated)
            own_status = None
            if args.compare and own_file:
                # First the own test file alone; only its survivors need the full run.
                own_status, seconds, _ = _run_tests(work, own_file + markers, timeout, data_dir)
            if own_status in (None, "survived"):
                status, seconds, _ = _run_tests(work, test_args, timeout, data_dir)
            else:
                status = own_status
            outcomes.append(Outcome(mutant.line, mutant.description, status, round(seconds, 1),
                                    own_status))
            mark = {"killed": ".", "timeout": "T", "survived": "S"}[status]
            print(mark, end="", flush=True)
        target.write_text(source)
        print(flush=True)
    return outcomes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="+", type=Path,
                        help="module files, relative to the repository root")
    parser.add_argument("--sample", type=int, default=40,
                        help="mutants per module, drawn at random (0: all); default 40")
    parser.add_argument("--seed", type=int, default=0, help="seed of the draw; default 0")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds per test run; default 3x the clean run + 10")
    parser.add_argument("--max-baseline", type=float, default=900,
                        help="seconds allowed for the clean run; default 900")
    parser.add_argument("--extra-tests", nargs="*", default=["tests/test_gaps.py"],
                        help="test files run besides the module's own (only their class "
                             "Test<Module> if they have one); default tests/test_gaps.py")
    parser.add_argument("--no-doctests", dest="doctests", action="store_false",
                        help="leave out the module's docstring examples")
    parser.add_argument("--include-slow", action="store_true",
                        help="also run tests marked slow (full-MNIST training)")
    parser.add_argument("--source", type=Path, default=ROOT,
                        help="repository to mutate a copy of; default this one")
    parser.add_argument("--show-survivors", action="store_true",
                        help="list every surviving mutant")
    parser.add_argument("--compare", action="store_true",
                        help="also report the score of the module's own test file alone "
                             "(without doctests and extra tests)")
    parser.add_argument("--json", type=Path, help="also write the outcomes to this file")
    args = parser.parse_args(argv)

    report = {}
    for module in args.modules:
        outcomes = run_module(module, args.source.resolve(), args)
        killed = sum(o.status != "survived" for o in outcomes)
        report[str(module)] = [asdict(o) for o in outcomes]
        rate = 100 * killed / len(outcomes) if outcomes else float("nan")
        print(f"{module}: killed {killed} of {len(outcomes)} ({rate:.0f}%)", flush=True)
        if args.compare:
            own = sum(o.own_file_status not in (None, "survived") for o in outcomes)
            print(f"{module}: its own test file alone killed {own} "
                  f"({100 * own / max(len(outcomes), 1):.0f}%)", flush=True)
        if args.show_survivors:
            for o in outcomes:
                if o.status == "survived":
                    print(f"    survived: line {o.line}: {o.description}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))

    print("\nmodule                      killed / run   rate")
    for module, outcomes in report.items():
        killed = sum(o["status"] != "survived" for o in outcomes)
        rate = 100 * killed / len(outcomes) if outcomes else float("nan")
        print(f"{module:<28}{killed:>6} / {len(outcomes):<6}{rate:5.0f}%")


if __name__ == "__main__":
    main()
