"""The test set is locked away: notebook 10 alone opens it, in one cell, for models chosen before.

These checks read the code cells of the committed notebooks (nothing is
executed). A cell opens the test images when it calls
``load_mnist_train_test``, calls anything with ``subset="test"`` or
``subset="all"`` (or a ``subset`` that is not a plain string, which could be
either), or names the raw test files (``t10k-...``).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from IPython.core.inputtransformer2 import TransformerManager

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
FINAL = NOTEBOOK_DIR / "10_honest_score.ipynb"
OPEN_SUBSETS = ("test", "all")


def _code_cells(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]


def _tree(source):
    # IPython syntax (magics, shell escapes) becomes plain Python first.
    return ast.parse(TransformerManager().transform_cell(source))


def _called_name(call):
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def _opens_test_set(node):
    """Whether the code under ``node`` (a cell's tree or one statement) reads the test images."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and "t10k" in sub.value:
            return True
        if not isinstance(sub, ast.Call):
            continue
        if _called_name(sub) == "load_mnist_train_test":
            return True
        for keyword in sub.keywords:
            if keyword.arg == "subset":
                value = keyword.value
                if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                    return True  # not a plain string: it could name the test images
                if value.value in OPEN_SUBSETS:
                    return True
    return False


def _opening_cells(path):
    return [i for i, source in enumerate(_code_cells(path)) if _opens_test_set(_tree(source))]


def _bound_names(target):
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_bound_names(element) for element in target.elts))
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    return set()


@pytest.mark.parametrize(
    "source, opens",
    [
        ("X, y = mnist_lr.load_mnist()", False),
        ("X, y = load_mnist(subset='train')", False),
        ("parts = mnist_lr.load_mnist_split(val_fraction=0.2, random_state=0)", False),
        ("X_test, y_test = mnist_lr.load_mnist(subset='test')", True),
        ('X, y = load_mnist(data_dir, subset="all")', True),
        ("which = 'test'\nX, y = mnist_lr.load_mnist(subset=which)", True),
        ("parts = mnist_lr.load_mnist_train_test()", True),
        ("score = model.score(deskew(load_mnist_train_test()[2]), y)", True),
        ("path = folder / 't10k-images-idx3-ubyte.gz'", True),
        ("%matplotlib inline\nX, y = mnist_lr.load_mnist()", False),
    ],
)
def test_the_detector_knows_every_way_in(source, opens):
    assert _opens_test_set(_tree(source)) is opens


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if p != FINAL], ids=lambda path: path.name
)
def test_notebooks_before_10_never_open_the_test_images(path):
    sources = _code_cells(path)
    opening = _opening_cells(path)
    assert not opening, (
        f"{path.name}: code cell {opening[0]} reads the locked test images:\n{sources[opening[0]]}"
    )


def test_notebook_10_opens_the_test_images_in_exactly_one_cell():
    opening = _opening_cells(FINAL)
    assert len(opening) == 1, f"{FINAL.name}: the test images are read in code cells {opening}"


def test_notebook_10_uses_the_test_arrays_in_that_cell_only():
    sources = _code_cells(FINAL)
    [index] = _opening_cells(FINAL)
    test_names = set()
    for statement in _tree(sources[index]).body:
        if isinstance(statement, ast.Assign) and _opens_test_set(statement.value):
            for target in statement.targets:
                test_names |= _bound_names(target)
    assert test_names, f"{FINAL.name}: the opening cell binds the test images to no name"
    for i, source in enumerate(sources):
        if i == index:
            continue
        used = {node.id for node in ast.walk(_tree(source)) if isinstance(node, ast.Name)}
        assert not used & test_names, (
            f"{FINAL.name}: code cell {i} uses {sorted(used & test_names)}, the test images, "
            f"outside the one cell that reads them"
        )


def test_notebook_10_fits_nothing_after_the_test_images_are_read():
    sources = _code_cells(FINAL)
    [index] = _opening_cells(FINAL)
    for i, source in enumerate(sources[index:], start=index):
        fits = [node for node in ast.walk(_tree(source))
                if isinstance(node, ast.Call) and _called_name(node) == "fit"]
        assert not fits, f"{FINAL.name}: code cell {i} fits a model after the test images were read"
