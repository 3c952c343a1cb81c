"""How a fresh run of a notebook is compared with its stored outputs, and that it is strict enough.

Two executions of every notebook check the stored outputs, each under a
different numerical set-up: nbval runs ``notebooks/`` under this machine's
own BLAS kernel and NumPy paths, comparing text (and the root conftest.py
compares each cell's figures); the student edition runs under another kernel
(tests/repo/test_student_edition.py) and compares text and figures with the
teacher's stored outputs. Both use the functions tested here
(scripts/execute_notebooks.py). Text must match exactly; a figure must
look the same, not be the same bytes, because rounding noise moves an
antialiased edge by a few levels of grey.
"""

from __future__ import annotations

import base64
import copy
import importlib.util
import io
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "execute_notebooks", ROOT / "scripts" / "execute_notebooks.py")
execute_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(execute_notebooks)
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_the_notebooks_are_numbered_in_reading_order():
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers[:8] == list(range(1, 9))
    assert numbers == list(range(1, len(numbers) + 1))


def _notebook_with(outputs):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print()")])
    notebook.cells[0].outputs = outputs
    return notebook


def test_streams_compare_as_a_reader_sees_them():
    """Text cut into stream messages differently, or overwritten by a carriage return, is equal."""
    one = _notebook_with([nbformat.v4.new_output("stream", name="stdout", text="a\nb\n")])
    two = _notebook_with([nbformat.v4.new_output("stream", name="stdout", text="a\n"),
                          nbformat.v4.new_output("stream", name="stdout", text="50%\rb\n")])
    assert execute_notebooks.notebook_differences(one, two) == []
    two.cells[0].outputs[1]["name"] = "stderr"
    assert execute_notebooks.notebook_differences(one, two)


def test_execute_script_keeps_only_what_a_reader_sees():
    live = "\rtraining: epoch 1/9\rtraining: epoch 2/9\rstopped early after epoch 2\nnext line\n"
    assert execute_notebooks.final_text(live) == "stopped early after epoch 2\nnext line\n"
    assert execute_notebooks.final_text("plain\r\nwindows line\n") == "plain\nwindows line\n"


def test_execute_script_joins_the_pieces_of_a_stream():
    cell = nbformat.v4.new_code_cell("fit()")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="\rtraining: epoch 1/9 "),
        nbformat.v4.new_output("stream", name="stdout", text="\rtraining: epoch 5/9 "),
        nbformat.v4.new_output("stream", name="stdout", text="\r     \rstopped early\n"),
        nbformat.v4.new_output("display_data", data={"text/plain": "figure"}),
        nbformat.v4.new_output("stream", name="stdout", text="after\n"),
    ]
    execute_notebooks.tidy(nbformat.v4.new_notebook(cells=[cell]))
    assert [output.get("text") for output in cell.outputs] == ["stopped early\n", None, "after\n"]


def test_one_changed_digit_of_text_is_a_difference():
    one = _notebook_with([nbformat.v4.new_output("stream", name="stdout", text="91.58%\n")])
    two = _notebook_with([nbformat.v4.new_output("stream", name="stdout", text="91.59%\n")])
    [(index, why)] = execute_notebooks.notebook_differences(one, two)
    assert index == 0 and "91.58%" in why and "91.59%" in why
    # A cell whose only output is a progress or timing line is not compared.
    one.cells[0].metadata["tags"] = two.cells[0].metadata["tags"] = ["nbval-ignore-output"]
    assert execute_notebooks.notebook_differences(one, two) == []


def _curves_png(val_accuracy):
    """The notebooks' training-curves figure for a 20-epoch history, as an inline PNG."""
    from mnist_lr import plots

    epochs = np.arange(1, 21)
    history = {"loss": 0.8 / np.sqrt(epochs), "val_loss": 0.9 / np.sqrt(epochs),
               "train_accuracy": 0.93 - 0.1 / epochs, "val_accuracy": val_accuracy}
    with matplotlib.rc_context({"figure.dpi": 100}):
        fig = plots.plot_training_curves(history)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", bbox_inches="tight")
    matplotlib.pyplot.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def test_figures_compare_by_what_they_show():
    """Rounding-level changes pass; one point of accuracy at one epoch is caught."""
    val_accuracy = 0.90 - 0.08 / np.arange(1, 21)
    stored = _curves_png(val_accuracy)
    assert execute_notebooks.figures_match(stored, stored) == (True, "")
    # Rounding noise, far larger than a BLAS kernel's: other bytes, the same picture.
    jittered = _curves_png(val_accuracy * (1 + 1e-6))
    assert jittered != stored
    assert execute_notebooks.figures_match(stored, jittered) == (True, "")
    moved = val_accuracy.copy()
    moved[9] += 0.01  # epoch 10's validation accuracy one point higher
    same, why = execute_notebooks.figures_match(stored, _curves_png(moved))
    assert not same and "pixels changed visibly" in why


def test_a_moved_curve_fails_the_notebook_comparison():
    val_accuracy = 0.90 - 0.08 / np.arange(1, 21)
    moved = val_accuracy.copy()
    moved[9] += 0.01

    def figure(png):
        return nbformat.v4.new_output("display_data", data={"image/png": png,
                                                            "text/plain": "<Figure>"})

    stored = _notebook_with([figure(_curves_png(val_accuracy))])
    fresh = copy.deepcopy(stored)
    assert execute_notebooks.notebook_differences(stored, fresh) == []
    fresh.cells[0].outputs = [figure(_curves_png(moved))]
    [(index, why)] = execute_notebooks.notebook_differences(stored, fresh)
    assert index == 0 and "pixels changed visibly" in why
    fresh.cells[0].outputs = []
    assert execute_notebooks.notebook_differences(stored, fresh)


def test_nbval_cells_have_their_figures_compared_too():
    """The root conftest.py checks each nbval cell's figures after nbval has checked its text."""
    import types

    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
    root_conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(root_conftest)
    val_accuracy = 0.90 - 0.08 / np.arange(1, 21)
    moved = val_accuracy.copy()
    moved[9] += 0.01

    def figure(png):
        return {"output_type": "display_data", "data": {"image/png": png, "text/plain": "F"}}

    def cell(fresh_png, check=True):
        return types.SimpleNamespace(
            nodeid="notebooks/x.ipynb::Cell 3", options={"check": check},
            cell=types.SimpleNamespace(outputs=[figure(_curves_png(val_accuracy))]),
            test_outputs=[figure(fresh_png)])

    root_conftest.check_figures(cell(_curves_png(val_accuracy * (1 + 1e-6))))  # passes
    with pytest.raises(AssertionError, match="figures differ.*pixels changed visibly"):
        root_conftest.check_figures(cell(_curves_png(moved)))
    root_conftest.check_figures(cell(_curves_png(moved), check=False))  # output not compared
    missing = cell(_curves_png(val_accuracy))
    missing.test_outputs = []
    with pytest.raises(AssertionError, match="1 figures stored, 0 drawn"):
        root_conftest.check_figures(missing)


def test_every_setup_names_what_it_changes():
    found = execute_notebooks.setups()
    assert found["native"] == {}
    for name, variables in found.items():
        assert execute_notebooks.describe_setup(variables)
        if name != "native":
            assert variables["OPENBLAS_CORETYPE"] in ("Haswell", "Prescott")
