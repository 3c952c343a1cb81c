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

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FINAL = next(path for path in NOTEBOOKS if path.name == "10_honest_score.ipynb")


def _code_cells(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]


def _tree(source):
    # IPython syntax (magics, shell escapes) becomes plain Python first.
    return ast.parse(TransformerManager().transform_cell(source))


def _called_name(call):
    return getattr(call.func, "attr", getattr(call.func, "id", None))


def _opens_test_set(node):
    """Whether the code under ``node`` (a cell's tree or one statement) reads the test images."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and "t10k" in sub.value:
            return True
        if isinstance(sub, ast.Call):
            if _called_name(sub) == "load_mnist_train_test":
                return True
            for keyword in sub.keywords:
                value = keyword.value
                plain = isinstance(value, ast.Constant) and isinstance(value.value, str)
                # a subset that is not a plain string could name the test images
                if keyword.arg == "subset" and (not plain or value.value in ("test", "all")):
                    return True
    return False


def _opening_cells(path):
    return [i for i, source in enumerate(_code_cells(path)) if _opens_test_set(_tree(source))]


@pytest.mark.parametrize("source, opens", [
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
])
def test_the_detector_knows_every_way_in(source, opens):
    assert _opens_test_set(_tree(source)) is opens


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p != FINAL], ids=lambda p: p.name)
def test_notebooks_before_10_never_open_the_test_images(path):
    opening = _opening_cells(path)
    assert not opening, (f"{path.name}: code cell {opening[0]} reads the locked test images:\n"
                         f"{_code_cells(path)[opening[0]]}")


def test_notebook_10_opens_the_test_images_in_one_cell_after_every_fit():
    sources, opening = _code_cells(FINAL), _opening_cells(FINAL)
    assert len(opening) == 1, f"{FINAL.name}: the test images are read in code cells {opening}"
    index = opening[0]
    test_names = {node.id for statement in _tree(sources[index]).body
                  if isinstance(statement, ast.Assign) and _opens_test_set(statement.value)
                  for target in statement.targets for node in ast.walk(target)
                  if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    assert test_names, f"{FINAL.name}: the opening cell binds the test images to no name"
    for i, source in enumerate(sources):
        tree = _tree(source)
        used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} & test_names
        assert i == index or not used, (f"{FINAL.name}: code cell {i} uses {sorted(used)}, the "
                                        "test images, outside the one cell that reads them")
        fits = [node for node in ast.walk(tree)
                if isinstance(node, ast.Call) and _called_name(node) == "fit"]
        assert i < index or not fits, (
            f"{FINAL.name}: code cell {i} fits a model after the test images were read")
