"""Every notebook, executed once from a fresh kernel, reproduces its stored figures byte for byte.

nbval (part of the test command) already executes each notebook once and
checks its text outputs against the committed ones, but it does not compare
pictures. This test executes each notebook one more time, with nbclient, and
compares every output with the committed one, the PNG of every figure
included. Together the two runs show that the stored outputs are what the
code produces, and that producing them twice gives the same result.

Cells tagged ``nbval-ignore-output`` (or marked NBVAL_IGNORE_OUTPUT) hold only
a progress bar, whose text depends on timing, and are left out here too;
widget model ids are random by design.
"""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
# The stored streams hold only what a reader sees (scripts/execute_notebooks.py
# drops progress text that a later carriage return overwrote); a fresh run is
# compared the same way.
_spec = importlib.util.spec_from_file_location(
    "execute_notebooks", ROOT / "scripts" / "execute_notebooks.py")
execute_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(execute_notebooks)
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
RANDOM_BY_DESIGN = {"application/vnd.jupyter.widget-view+json"}


def _execute(notebook, folder):
    notebook = copy.deepcopy(notebook)
    NotebookClient(
        notebook, timeout=900, kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    ).execute()
    return notebook


def _ignored(cell):
    tags = cell.get("metadata", {}).get("tags", [])
    return "nbval-ignore-output" in tags or "NBVAL_IGNORE_OUTPUT" in cell.source


def _comparable_outputs(notebook):
    # How printed text is cut into stream messages depends on timing, and a
    # progress line is overwritten: compare what a reader sees, as stored.
    notebook = execute_notebooks.tidy(copy.deepcopy(notebook))
    cells = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or _ignored(cell):
            continue
        for output in cell.outputs:
            output.pop("metadata", None)
            output.pop("execution_count", None)
            data = output.get("data", {})
            for key in RANDOM_BY_DESIGN & set(data):
                del data[key]
        cells.append((index, cell.outputs))
    return cells


def _describe(outputs):
    """A short account of a cell's outputs, for a readable failure message."""
    parts = []
    for output in outputs:
        data = output.get("data", {})
        if "text" in output:  # a stream: show its start
            parts.append(f"{output['name']} {output['text'][:200]!r}")
        elif data:
            parts.append("+".join(f"{key} ({len(str(value))} chars)" for key, value in
                                  sorted(data.items())))
        else:
            parts.append(output["output_type"])
    return ", ".join(parts) or "nothing"


def test_the_notebooks_are_numbered_in_reading_order():
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers[:8] == list(range(1, 9))
    assert numbers == list(range(1, len(numbers) + 1))


def test_streams_compare_as_a_reader_sees_them():
    """Text cut into stream messages differently, or overwritten by a carriage return, is equal."""
    one = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print()")])
    one.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="a\nb\n")]
    two = copy.deepcopy(one)
    two.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="a\n"),
                            nbformat.v4.new_output("stream", name="stdout", text="50%\rb\n")]
    assert _comparable_outputs(one) == _comparable_outputs(two)
    two.cells[0].outputs[1]["name"] = "stderr"
    assert _comparable_outputs(one) != _comparable_outputs(two)


def test_comparison_sees_a_changed_picture():
    """The check below would notice a figure that came out differently."""
    stored = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("plot()")])
    stored.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", data={"image/png": "iVBORw0KGgoAAAA", "text/plain": "<Figure>"})]
    fresh = copy.deepcopy(stored)
    assert _comparable_outputs(stored) == _comparable_outputs(fresh)
    fresh.cells[0].outputs[0]["data"]["image/png"] = "iVBORw0KGgoBBBB"
    assert _comparable_outputs(stored) != _comparable_outputs(fresh)
    fresh.cells[0].metadata["tags"] = ["nbval-ignore-output"]
    stored.cells[0].metadata["tags"] = ["nbval-ignore-output"]
    assert _comparable_outputs(stored) == _comparable_outputs(fresh) == []


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_a_fresh_run_reproduces_the_stored_outputs(path):
    stored = nbformat.read(path, as_version=4)
    expected = _comparable_outputs(stored)
    fresh = _comparable_outputs(_execute(stored, path.parent))
    assert [index for index, _ in fresh] == [index for index, _ in expected]
    for (index, got), (_, want) in zip(fresh, expected, strict=True):
        assert got == want, (
            f"cell {index} of {path.name} does not reproduce its stored outputs "
            f"(stored: {_describe(want)}; fresh run: {_describe(got)})"
        )
    # The run is real: figures were drawn and nothing went to stderr.
    outputs = [output for _, cell in fresh for output in cell]
    assert not any(o.get("name") == "stderr" for o in outputs)
    assert not any(o.get("output_type") == "error" for o in outputs)
