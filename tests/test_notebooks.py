"""Every notebook, executed twice in a row from a fresh kernel, stores identical outputs.

nbval (part of the test command) already checks each notebook's text outputs
against the committed ones. This adds the pictures: the PNG of every figure
must come out byte for byte the same on a second run. Cells marked
NBVAL_IGNORE_OUTPUT hold only a progress bar, whose text depends on timing,
and are left out here too; widget model ids are random by design.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
RANDOM_BY_DESIGN = {"application/vnd.jupyter.widget-view+json"}


def _execute(path):
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=900, kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return notebook


def _comparable_outputs(notebook):
    cells = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or "NBVAL_IGNORE_OUTPUT" in cell.source:
            continue
        outputs = []
        for output in copy.deepcopy(cell.outputs):
            output.pop("metadata", None)
            data = output.get("data", {})
            for key in RANDOM_BY_DESIGN & set(data):
                del data[key]
            outputs.append(output)
        cells.append((index, outputs))
    return cells


def test_there_are_eight_numbered_notebooks():
    assert [p.name[:2] for p in NOTEBOOKS] == [f"0{i}" for i in range(1, 9)]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_executing_twice_gives_identical_outputs(path):
    first = _comparable_outputs(_execute(path))
    second = _comparable_outputs(_execute(path))
    assert len(first) == len(second)
    for (index, a), (_, b) in zip(first, second, strict=True):
        assert a == b, f"cell {index} of {path.name} differs between two runs"
    # The runs are real: figures were drawn and nothing went to stderr.
    outputs = [output for _, cell in first for output in cell]
    assert not any(o.get("name") == "stderr" for o in outputs)
    assert not any(o.get("output_type") == "error" for o in outputs)
