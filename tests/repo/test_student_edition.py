"""The student edition: generated from notebooks/ by scripts/make_student.py, current, no answers.

The first test fails while student/ is stale: run ``make student`` after
changing notebooks/, and commit both.
"""

from __future__ import annotations

import copy
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
TEACHER = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
STUDENT = sorted((ROOT / "student").glob("[0-9][0-9]_*.ipynb"))


def _script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_student = _script("make_student")
REPO = make_student.notebook_header.repository(ROOT / "pyproject.toml")


def _tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def _read(path):
    return nbformat.read(path, as_version=4)


def assert_student_edition_of(teacher, student, name):
    """``student`` is ``teacher`` minus its solution cells, with cleared exercises and checks,
    and a student header (badges, note) in its first markdown cell."""
    expected = [copy.deepcopy(cell) for cell in teacher.cells if "solution" not in _tags(cell)]
    for cell in expected:
        if _tags(cell) & {"exercise", "check"}:
            cell.outputs, cell.execution_count = [], None
    assert len(student.cells) == len(expected), f"{name}: not the teacher's cells minus solutions"
    first = next(i for i, cell in enumerate(expected) if cell.cell_type == "markdown")
    _assert_header(student.cells[first].source, expected[first].source, name)
    expected[first].source = student.cells[first].source
    for index, (mine, theirs) in enumerate(zip(student.cells, expected)):
        assert mine == theirs, f"{name}, cell {index}: not the teacher's (outputs cleared)"
    assert student.metadata == teacher.metadata, name


def _assert_header(student_source, teacher_source, name):
    note = make_student.note_line(name)
    assert note in student_source, f"{name}: no student-edition note under the title"
    assert f"](../notebooks/{name})" in note
    badges = [line for line in student_source.split("\n") if "colab-badge.svg" in line]
    assert badges == [make_student.notebook_header.badge_line(REPO, name, "student")], name
    assert "labpath=student%2F" in badges[0] and f"/student/{name})" in badges[0]

    def prose(source):  # the header without badges or note, runs of blank lines made one
        lines = [line for line in source.split("\n") if "colab-badge.svg" not in line]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(line for line in lines if line != note))

    assert prose(student_source) == prose(teacher_source), (
        f"{name}: the header differs beyond the note and the badges")


def test_student_edition_is_current(capsys):
    code = make_student.main(["--check"])
    report = capsys.readouterr()
    assert code == 0, f"student/ is stale; run `make student`:\n{report.out}{report.err}"


@pytest.mark.parametrize("path", TEACHER, ids=lambda path: path.name)
def test_student_notebook_is_the_teacher_notebook_without_answers(path):
    student_path = ROOT / "student" / path.name
    assert student_path.exists(), f"{student_path} is missing; run `make student`"
    assert_student_edition_of(_read(path), _read(student_path), path.name)


# -- the generator, on notebooks made for the purpose -------------------------


def _code(source, tags=(), output=None, count=None, **metadata):
    cell = nbformat.v4.new_code_cell(source, execution_count=count, metadata=dict(metadata))
    if tags:
        cell.metadata["tags"] = list(tags)
    if output is not None:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output)]
    return cell


def _teacher():
    hidden = {"jupyter": {"source_hidden": True}}
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 02 · A title\n\n[![Binder](https://mybinder.org/"
                                      "badge_logo.svg)](old) [![Open In Colab](https://colab."
                                      "research.google.com/assets/colab-badge.svg)](old)\n\n"
                                      "Some prose."),
        _code("SEED = 0", output="", count=1),
        _code("print(1)", output="1\n", count=2),
        nbformat.v4.new_markdown_cell("**Your turn: softmax.**"),
        _code("def softmax(Z):\n    ...  # your code here", tags=["exercise"], count=3),
        _code("# Solution (softmax): the worked answer\ndef softmax(Z):\n    return Z",
              tags=["solution"], count=4, **hidden),
        _code("exercises.check_softmax(softmax)", tags=["check"], output="✓ Correct\n",
              count=5),
        _code("# Solution 1: a prediction\nprint(2)", tags=["solution"], output="2\n",
              count=6, **hidden),
        nbformat.v4.new_markdown_cell("Next, [03](03_x.ipynb)."),
    ])
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index}"
    return notebook


def _write(folder, name, notebook):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")


def _run(tmp_path, *extra):
    return make_student.main(["--source", str(tmp_path / "notebooks"),
                              "--dest", str(tmp_path / "student"), *extra])


def test_generator_leaves_out_answers_deterministically(tmp_path, capsys):
    _write(tmp_path / "notebooks", "02_x.ipynb", _teacher())
    assert _run(tmp_path) == 0
    written = tmp_path / "student" / "02_x.ipynb"
    student, first = _read(written), written.read_bytes()
    assert_student_edition_of(_teacher(), student, "02_x.ipynb")
    title, _, note = student.cells[0].source.split("\n")[:3]
    assert title == "# 02 · A title" and note.startswith("*Student edition")
    assert _run(tmp_path) == 0 and written.read_bytes() == first
    assert first.endswith(b"}\n") and b'\n "nbformat": 4,' in first  # nbformat's own layout
    capsys.readouterr()
    assert _run(tmp_path, "--check") == 0 and "up to date" in capsys.readouterr().out


def test_check_names_every_stale_file(tmp_path, capsys):
    _write(tmp_path / "notebooks", "01_a.ipynb", _teacher())
    _write(tmp_path / "notebooks", "02_b.ipynb", _teacher())
    assert _run(tmp_path) == 0
    changed = _teacher()
    changed.cells[2].source = "print('changed')"
    _write(tmp_path / "notebooks", "02_b.ipynb", changed)
    _write(tmp_path / "notebooks", "03_c.ipynb", _teacher())
    _write(tmp_path / "student", "09_gone.ipynb", _teacher())
    capsys.readouterr()
    assert _run(tmp_path, "--check") == 1
    report = capsys.readouterr().out
    for stale in ("02_b.ipynb: out of date", "03_c.ipynb: missing",
                  "09_gone.ipynb: has no teacher notebook"):
        assert stale in report
    assert "01_a.ipynb" not in report
    assert _run(tmp_path) == 0  # and writing brings everything up to date
    assert not (tmp_path / "student" / "09_gone.ipynb").exists()
    assert _run(tmp_path, "--check") == 0


def test_an_untagged_worked_answer_is_refused(tmp_path, capsys):
    teacher = _teacher()
    teacher.cells[7].metadata["tags"] = []  # "# Solution 1: ..." without its tag
    _write(tmp_path / "notebooks", "02_x.ipynb", teacher)
    assert _run(tmp_path) == 2
    error = capsys.readouterr().err
    assert "02_x.ipynb, cell 7" in error and "'solution'" in error
    assert not (tmp_path / "student").exists()


# -- the student edition runs as a learner meets it -----------------------------

execute_notebooks = _script("execute_notebooks")
# nbval runs notebooks/ under this machine's own numerical set-up; this run takes
# another (another BLAS kernel, NumPy without AVX-512) where there is one, so that
# the stored outputs are shown to hold under two.
_SETUPS = execute_notebooks.setups()
SETUP = _SETUPS.get("other kernel", _SETUPS["native"])
SETUP_NAME = execute_notebooks.describe_setup(SETUP) + (
    "" if "other kernel" in _SETUPS else " (not x86-64: no other kernel to try)")


@pytest.mark.slow
@pytest.mark.parametrize("path", STUDENT, ids=lambda path: f"{path.name} under {SETUP_NAME}")
def test_student_notebook_runs_and_reproduces_the_teacher_outputs(path):
    """Run as is: no error, every check says "Not done yet", other cells as the teacher's."""
    notebook = execute_notebooks.run(_read(path), path.parent, 1800, SETUP)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    errors = [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert not errors, f"{path.name}: {errors[:1]}"
    # a check's verdict is its cell's result (text/plain), never printed
    verdicts = ["".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
                for cell in code if "check" in _tags(cell)]
    assert verdicts, f"{path.name} has no coding exercise"
    assert all("Not done yet" in text for text in verdicts), f"{path.name}: {verdicts}"
    teacher = _read(ROOT / "notebooks" / path.name)
    teacher.cells = [cell for cell in teacher.cells if "solution" not in _tags(cell)]
    learner_cells = {index for index, cell in enumerate(notebook.cells)
                     if _tags(cell) & {"exercise", "check"}}
    found = execute_notebooks.notebook_differences(teacher, notebook, skip=learner_cells)
    assert not found, f"{path.name} under {SETUP_NAME}: " + "; ".join(
        f"cell {index}: {why}" for index, why in found)
