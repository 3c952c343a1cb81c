"""How a fresh run of a notebook is compared with its stored outputs, and that it is strict enough.

nbval runs ``notebooks/`` under this machine's own BLAS kernel (the root conftest.py adds the
figures), the student edition under another (test_student_edition.py); both compare with the
functions of scripts/execute_notebooks.py tested here. Text must match exactly; a figure must look
the same, not be the same bytes: rounding noise moves an antialiased edge by a few levels of grey.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import types
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


execute_notebooks = _module("execute_notebooks", ROOT / "scripts" / "execute_notebooks.py")
new_output = nbformat.v4.new_output


def test_the_notebooks_are_numbered_in_reading_order():
    numbers = [int(p.name[:2]) for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 8, numbers


def _notebook_with(*outputs):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print()")])
    notebook.cells[0].outputs = list(outputs)
    return notebook


def _stdout(text, name="stdout"):
    return new_output("stream", name=name, text=text)


def test_streams_compare_as_a_reader_sees_them():
    """Text cut into stream messages differently, or overwritten by a carriage return, is equal."""
    one = _notebook_with(_stdout("a\nb\n"))
    assert execute_notebooks.notebook_differences(
        one, _notebook_with(_stdout("a\n"), _stdout("50%\rb\n"))) == []
    assert execute_notebooks.notebook_differences(
        one, _notebook_with(_stdout("a\n"), _stdout("50%\rb\n", "stderr")))
    live = "\rtraining: epoch 1/9\rtraining: epoch 2/9\rstopped early after epoch 2\nnext line\n"
    assert execute_notebooks.final_text(live) == "stopped early after epoch 2\nnext line\n"
    assert execute_notebooks.final_text("plain\r\nwindows line\n") == "plain\nwindows line\n"


def test_execute_script_joins_the_pieces_of_a_stream():
    cell = nbformat.v4.new_code_cell("fit()")
    cell.outputs = [_stdout("\rtraining: epoch 1/9 "), _stdout("\rtraining: epoch 5/9 "),
                    _stdout("\r     \rstopped early\n"),
                    new_output("display_data", data={"text/plain": "figure"}), _stdout("after\n")]
    execute_notebooks.tidy(nbformat.v4.new_notebook(cells=[cell]))
    assert [output.get("text") for output in cell.outputs] == ["stopped early\n", None, "after\n"]


def test_one_changed_digit_of_text_is_a_difference():
    one, two = _notebook_with(_stdout("91.58%\n")), _notebook_with(_stdout("91.59%\n"))
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


@pytest.fixture(scope="module")
def png():
    """The curves as stored, redrawn with rounding noise, and with epoch 10 one point higher."""
    val_accuracy = 0.90 - 0.08 / np.arange(1, 21)
    moved = val_accuracy.copy()
    moved[9] += 0.01
    # Rounding noise far larger than a BLAS kernel's: other bytes, the same picture.
    return types.SimpleNamespace(stored=_curves_png(val_accuracy), moved=_curves_png(moved),
                                 jittered=_curves_png(val_accuracy * (1 + 1e-6)))


def _figure(png):
    return new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})


def test_figures_compare_by_what_they_show(png):
    assert execute_notebooks.figures_match(png.stored, png.stored) == (True, "")
    assert png.jittered != png.stored
    assert execute_notebooks.figures_match(png.stored, png.jittered) == (True, "")
    same, why = execute_notebooks.figures_match(png.stored, png.moved)
    assert not same and "pixels changed visibly" in why
    # In a notebook: a moved curve, or a figure gone, is a difference.
    stored = _notebook_with(_figure(png.stored))
    assert execute_notebooks.notebook_differences(stored, _notebook_with(_figure(png.stored))) == []
    [(index, why)] = execute_notebooks.notebook_differences(stored,
                                                            _notebook_with(_figure(png.moved)))
    assert index == 0 and "pixels changed visibly" in why
    assert execute_notebooks.notebook_differences(stored, _notebook_with())


def test_nbval_cells_have_their_figures_compared_too(png):
    """The root conftest.py checks each nbval cell's figures after nbval has checked its text."""
    check_figures = _module("root_conftest", ROOT / "conftest.py").check_figures

    def cell(*fresh, check=True):
        return types.SimpleNamespace(
            nodeid="notebooks/x.ipynb::Cell 3", options={"check": check},
            cell=types.SimpleNamespace(outputs=[_figure(png.stored)]), test_outputs=list(fresh))

    check_figures(cell(_figure(png.jittered)))  # passes
    with pytest.raises(AssertionError, match="figures differ.*pixels changed visibly"):
        check_figures(cell(_figure(png.moved)))
    check_figures(cell(_figure(png.moved), check=False))  # output not compared
    with pytest.raises(AssertionError, match="1 figures stored, 0 drawn"):
        check_figures(cell())


def test_every_setup_names_what_it_changes():
    found = execute_notebooks.setups()
    assert found["native"] == {}
    for name, variables in found.items():
        assert execute_notebooks.describe_setup(variables)
        if name != "native":
            assert variables["OPENBLAS_CORETYPE"] in ("Haswell", "Prescott")
