"""The package's shape stays easy to change: no import cycles, short functions.

The limits are the ones in CONTRIBUTING.md: no function body (its docstring not counted)
over 40 lines. Modules have no cap: a cap on lines is met as easily by cutting the
explanations as by cutting code. Imports inside functions count as imports: a cycle hidden
in a function still ties the two modules together.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mnist_lr"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_FUNCTION_LINES = 40


def _name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {_name(path): path for path in MODULES}


def _imports(path):
    """The package's modules that ``path`` imports, anywhere in its code."""
    name = _name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in NAMES and t != name and t != "mnist_lr")
    return found


def _cycle():
    """One import cycle among the package's modules, as a list of names; [] if none."""
    graph = {name: _imports(path) for name, path in NAMES.items()}
    state = {}  # name -> "open" while on the current path, "done" after

    def visit(name, path):
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target, path + [target])):
                return cycle
        state[name] = "done"
        return []

    for name in sorted(graph):
        if name not in state and (cycle := visit(name, [name])):
            return cycle
    return []


def test_no_import_cycle_between_the_package_s_modules():
    assert _cycle() == []


def test_the_cycle_finder_finds_a_cycle(monkeypatch):
    real = _imports

    def with_a_cycle(path):
        found = real(path)
        return found | {"mnist_lr.persistence"} if _name(path) == "mnist_lr.model" else found

    monkeypatch.setattr(__import__(__name__), "_imports", with_a_cycle)
    assert _cycle() == ["mnist_lr.model", "mnist_lr.persistence", "mnist_lr.model"]


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_functions_are_short(path):
    text = path.read_text()
    long = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0]
            start = first.lineno
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str) and len(node.body) > 1:
                start = node.body[1].lineno  # the docstring does not count
            if node.end_lineno - start + 1 > MAX_FUNCTION_LINES:
                long.append(f"{node.name} ({node.end_lineno - start + 1} lines)")
    assert long == [], f"over {MAX_FUNCTION_LINES} lines: {', '.join(long)}"
