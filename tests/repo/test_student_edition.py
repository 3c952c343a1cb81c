"""The student edition: generated from notebooks/ by scripts/make_student.py, current, no answers.

The first test fails while student/ is stale: run ``make student`` after
changing notebooks/, and commit both.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
TEACHER = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MARKED = {"solution", "exercise", "check"}


def _load_script():
    spec = importlib.util.spec_from_file_location("make_student",
                                                  ROOT / "scripts" / "make_student.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_student = _load_script()
REPO = make_student.notebook_header.repository(ROOT / "pyproject.toml")


def _tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def _read(path):
    return nbformat.read(path, as_version=4)


def assert_student_edition_of(teacher, student, name):
    """``student`` is ``teacher`` minus its solution cells, with cleared exercises and checks."""
    for index, cell in enumerate(student.cells):
        assert "solution" not in _tags(cell), f"{name}: solution cell {index} remains"
        assert not cell.source.lstrip().startswith("# Solution"), (
            f"{name}: cell {index} holds a worked answer")
        if _tags(cell) & {"exercise", "check"}:
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{name}: exercise/check cell {index} keeps its outputs")
    kept = [cell for cell in teacher.cells if "solution" not in _tags(cell)]
    assert len(student.cells) == len(kept), f"{name}: not the teacher's cells minus solutions"
    header = True
    for index, (mine, theirs) in enumerate(zip(student.cells, kept)):
        assert mine.cell_type == theirs.cell_type, f"{name}, cell {index}"
        if header and mine.cell_type == "markdown":
            header = False
            _assert_header(mine.source, theirs.source, name)
        else:
            assert mine.source == theirs.source, f"{name}, cell {index}: source differs"
        if mine.cell_type == "code" and not _tags(mine) & {"exercise", "check"}:
            assert mine.outputs == theirs.outputs, f"{name}, cell {index}: outputs differ"
            assert mine.execution_count == theirs.execution_count, f"{name}, cell {index}"


def _assert_header(student_source, teacher_source, name):
    note = make_student.note_line(name)
    assert note in student_source, f"{name}: no student-edition note under the title"
    assert f"](../notebooks/{name})" in note
    badges = [line for line in student_source.split("\n") if "colab-badge.svg" in line]
    assert badges == [make_student.notebook_header.badge_line(REPO, name, "student")], name
    assert "labpath=student%2F" in badges[0] and f"/student/{name})" in badges[0]
    # Apart from the note and the badges, the header is the teacher's.
    assert _prose(student_source, note) == _prose(teacher_source, note), (
        f"{name}: the header differs beyond the note and the badges")


def _prose(source, note):
    """A header's lines without badges or note, runs of blank lines made one."""
    lines = [line for line in source.split("\n") if "colab-badge.svg" not in line and line != note]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


# -- the committed student edition --------------------------------------------


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


def _notebook(cells):
    notebook = nbformat.v4.new_notebook(cells=cells)
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index}"
    return notebook


def _code(source, tags=(), output=None, count=None, **metadata):
    cell = nbformat.v4.new_code_cell(source, execution_count=count, metadata=dict(metadata))
    if tags:
        cell.metadata["tags"] = list(tags)
    if output is not None:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output)]
    return cell


def _teacher():
    hidden = {"jupyter": {"source_hidden": True}}
    return _notebook([
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


def _write(folder, name, notebook):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")


def _run(tmp_path, *extra):
    return make_student.main(["--source", str(tmp_path / "notebooks"),
                              "--dest", str(tmp_path / "student"), *extra])


def test_generator_leaves_out_answers_and_clears_exercises(tmp_path, capsys):
    _write(tmp_path / "notebooks", "02_x.ipynb", _teacher())
    assert _run(tmp_path) == 0
    student = _read(tmp_path / "student" / "02_x.ipynb")
    assert_student_edition_of(_teacher(), student, "02_x.ipynb")
    sources = [cell.source for cell in student.cells]
    assert not any("# Solution" in source for source in sources)
    assert "print(1)" in sources and student.cells[2].outputs[0].text == "1\n"
    check = next(cell for cell in student.cells if "check" in _tags(cell))
    assert check.outputs == [] and check.execution_count is None
    title, _, note = student.cells[0].source.split("\n")[:3]
    assert title == "# 02 · A title" and note.startswith("*Student edition")
    assert "(old)" not in student.cells[0].source
    capsys.readouterr()


def test_generator_is_deterministic_and_check_agrees(tmp_path, capsys):
    _write(tmp_path / "notebooks", "02_x.ipynb", _teacher())
    assert _run(tmp_path) == 0
    first = (tmp_path / "student" / "02_x.ipynb").read_bytes()
    assert _run(tmp_path) == 0
    assert (tmp_path / "student" / "02_x.ipynb").read_bytes() == first
    assert first.endswith(b"}\n") and b'\n "nbformat": 4,' in first  # nbformat's own layout
    capsys.readouterr()
    assert _run(tmp_path, "--check") == 0
    assert "up to date" in capsys.readouterr().out


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
    assert re.search(r"02_b\.ipynb: out of date", report)
    assert re.search(r"03_c\.ipynb: missing", report)
    assert re.search(r"09_gone\.ipynb: has no teacher notebook", report)
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


def test_generator_on_a_real_notebook(tmp_path, capsys):
    """A copy of a teacher notebook, with its worked answers tagged and an exercise added."""
    source = ROOT / "notebooks" / "02_model.ipynb"
    teacher = _read(source)
    for cell in teacher.cells:
        if cell.source.startswith("# Solution"):
            cell.metadata["tags"] = sorted(_tags(cell) | {"solution"})
    at = len(teacher.cells) - 1
    teacher.cells[at:at] = [
        _code("def softmax(Z):\n    ...", tags=["exercise"], count=90),
        _code("# Solution (softmax)\ndef softmax(Z):\n    return Z", tags=["solution"]),
        _code("exercises.check_softmax(softmax)", tags=["check"], output="✓ Correct\n",
              count=91),
    ]
    for index, cell in enumerate(teacher.cells[at:at + 3]):
        cell.id = f"added-{index}"
    _write(tmp_path / "notebooks", source.name, teacher)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    assert _run(tmp_path, "--pyproject", str(tmp_path / "pyproject.toml")) == 0
    student = _read(tmp_path / "student" / source.name)
    assert_student_edition_of(teacher, student, source.name)
    assert len(student.cells) == len(teacher.cells) - sum(
        "solution" in _tags(cell) for cell in teacher.cells)
    capsys.readouterr()


# -- the student edition runs as a learner meets it -----------------------------

STUDENT = sorted((ROOT / "student").glob("[0-9][0-9]_*.ipynb"))
_spec = importlib.util.spec_from_file_location(
    "execute_notebooks", ROOT / "scripts" / "execute_notebooks.py")
execute_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(execute_notebooks)
# nbval runs notebooks/ under this machine's own numerical set-up; this run
# takes another (another BLAS kernel, NumPy without AVX-512) where there is one,
# so that the stored outputs are shown to hold under two.
_SETUPS = execute_notebooks.setups()
SETUP = _SETUPS.get("other kernel", _SETUPS["native"])
SETUP_NAME = execute_notebooks.describe_setup(SETUP) + (
    "" if "other kernel" in _SETUPS else " (not x86-64: no other kernel to try)")


@pytest.mark.slow
@pytest.mark.parametrize("path", STUDENT, ids=lambda path: f"{path.name} under {SETUP_NAME}")
def test_student_notebook_runs_and_reproduces_the_teacher_outputs(path):
    """Top to bottom, nothing filled in: no error, every check says "not done yet", and every
    other cell shows the teacher's stored outputs (text exactly, figures as they look)."""
    notebook = execute_notebooks.run(_read(path), path.parent, 1800, SETUP)
    checks = 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            assert output.output_type != "error", f"{path.name}, cell {index}: {output}"
        if "check" in _tags(cell):
            checks += 1
            # a check's verdict is its cell's result (text/plain), never printed
            text = "".join(output.get("data", {}).get("text/plain", "") for output in cell.outputs)
            assert "Not done yet" in text, f"{path.name}, cell {index}: {text!r}"
    assert checks >= 1, f"{path.name} has no coding exercise"
    # The student edition is the teacher's minus its solutions: compare cell by cell.
    teacher = _read(ROOT / "notebooks" / path.name)
    teacher.cells = [cell for cell in teacher.cells if "solution" not in _tags(cell)]
    learner_cells = {index for index, cell in enumerate(notebook.cells)
                     if _tags(cell) & {"exercise", "check"}}
    found = execute_notebooks.notebook_differences(teacher, notebook, skip=learner_cells)
    assert not found, f"{path.name} under {SETUP_NAME}: " + "; ".join(
        f"cell {index}: {why}" for index, why in found)
