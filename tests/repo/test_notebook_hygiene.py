"""What a reader sees in the stored notebooks: the lesson, not the test machinery.

These checks read the committed .ipynb files only (nothing is executed), so
they are quick. nbval (run by the test command) checks that re-running each
notebook reproduces the stored outputs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
each_notebook = pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)

# Text that a progress bar (tqdm's or anyone's) leaves behind mid-run, including
# the live lines of mnist_lr's own progress report.
PROGRESS_BAR = re.compile(
    r"\d+%\||\s\d+/\d+ \[|epoch/s|it/s|fold/s|training: epoch \d+/|folds: \d+/"
)


def _cells(path, kind=None):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [cell for cell in cells if kind is None or cell["cell_type"] == kind]


def _source(cell):
    return "".join(cell["source"])


def _tags(cell):
    return set(cell["metadata"].get("tags", []))


def _output_texts(cell):
    for output in cell.get("outputs", []):
        yield output, "".join(output.get("text", "")) + "".join(
            output.get("data", {}).get("text/plain", ""))


@each_notebook
def test_code_cells_show_the_lesson_only(path):
    for cell in _cells(path, "code"):
        source = _source(cell)
        assert "nbval" not in source.lower(), f"{path.name}: a code cell mentions nbval:\n{source}"
        # An untagged answer would reach the student edition.
        assert not source.startswith("# Solution") or "solution" in _tags(cell), (
            f"{path.name}: untagged {source[:60]!r}")
        # nbval runs cells outside the kernel's history, where IPython reads the
        # semicolon that hides a result: under nbval the result shows after all.
        last = source.rstrip().split("\n")[-1]
        assert not last.rstrip().endswith(";"), f"{path.name}: {last}"
        assert cell["execution_count"] is not None, f"{path.name}: a code cell was never run"
        for output, text in _output_texts(cell):
            assert output["output_type"] != "error", f"{path.name}: stored error {text[:200]}"
            assert output.get("name") != "stderr", f"{path.name}: stored stderr {text[:200]}"
            assert not PROGRESS_BAR.search(text), f"{path.name}: frozen progress bar {text!r}"
            assert "\r" not in text, f"{path.name}: an output keeps overwritten text {text!r}"


@each_notebook
def test_exercises_end_each_notebook_with_hidden_solutions(path):
    # The cell tags are what scripts/make_student.py reads (docs/EXERCISES.md).
    cells = _cells(path)
    headings = [i for i, cell in enumerate(cells)
                if cell["cell_type"] == "markdown" and "## Exercises" in _source(cell)]
    assert len(headings) == 1, f"{path.name}: expected one Exercises section"
    code = [cell for cell in cells[headings[0]:] if cell["cell_type"] == "code"]
    solutions = [cell for cell in code if "solution" in _tags(cell)]
    assert len(solutions) >= 2, f"{path.name}: fewer than two worked solutions"
    for cell in code:
        assert _tags(cell) & {"solution", "exercise", "check"}, (
            f"{path.name}: an Exercises code cell is tagged neither solution, exercise nor "
            f"check:\n{_source(cell)[:200]}")
    for cell in solutions:
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, (
            f"{path.name}: a solution cell is not collapsed")
        assert _source(cell).startswith("# Solution"), path.name


def _defined(pattern, cell):
    return re.search(rf"^(?:def|class) ({pattern})\b", _source(cell), re.MULTILINE)


@each_notebook
def test_coding_exercises_are_followed_by_their_solution_and_a_passing_check(path):
    code = _cells(path, "code")
    for i, cell in enumerate(code):
        if "exercise" not in _tags(cell):
            continue
        assert _defined(r"\w+", cell), f"{path.name}: an exercise cell defines no function or class"
        name = _defined(r"\w+", cell).group(1)
        solution, check = code[i + 1:i + 3]
        assert "solution" in _tags(solution) and _defined(name, solution), (
            f"{path.name}: the cell after the {name} exercise is no solution defining {name}")
        assert "check" in _tags(check), f"{path.name}: {name} has no check cell after its solution"
        assert re.search(rf"exercises\.check_\w+\({name}\)", _source(check)), (
            f"{path.name}: the check cell after {name} does not check it")
        # One verdict, shown once: the check's result, no printed copy, no "True" after it.
        outputs = check.get("outputs", [])
        assert [o["output_type"] for o in outputs] == ["execute_result"], (
            f"{path.name}: the check of {name} shows {len(outputs)} outputs")
        plain = "".join(outputs[0]["data"]["text/plain"])
        assert plain.startswith("✓ Correct"), f"{path.name}: the worked {name} fails its check"
        assert "\nTrue" not in plain, (path.name, name)
        assert "text/html" in outputs[0]["data"], f"{path.name}: {name}'s verdict cannot wrap"


@each_notebook
def test_one_visible_seed(path):
    first_code = "".join(_source(cell) for cell in _cells(path, "code")[:2])
    assert re.search(r"^SEED = \d+$", first_code, re.MULTILINE), path.name


# -- exercise first, answer after ---------------------------------------------

#: Code that gives an exercise's answer away, per notebook and exercise: no code cell above
#: the exercise, nor its output, may hold it (the prose may explain the idea). Each list
#: names what is particular to its exercise; the learner's earlier answers may be above.
ANSWER_TELLTALES = {
    "02_model.ipynb": {
        "one_hot": [r"np\.eye\("],
        "softmax": [r"np\.exp\("],
        "cross_entropy_from_scores": [r"np\.log\(", r"log_softmax", r"logsumexp"],
        "gradient": [r"\.T\s*@", r"\bP\s*-\s*T\b", r"cross_entropy_gradient"],
        "numerical_gradient": [r"\b2\s*\*\s*h\b", r"np\.ndindex"],
        "MySoftmaxRegression": [r"\.permutation\(", r"epochs_since_best", r"best_epoch"],
    },
}


def _code_above_exercises(path):
    """(exercise name, [(index, code cell) above it]) for each exercise of ``path``; the
    student edition, the same cells minus some (test_student_edition.py), needs no check."""
    cells = _cells(path)
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "code" and "exercise" in _tags(cell):
            above = [(n, c) for n, c in enumerate(cells[:index]) if c["cell_type"] == "code"]
            yield _defined(r"\w+", cell).group(1), above


@each_notebook
def test_no_answer_is_defined_above_its_exercise(path):
    for name, above in _code_above_exercises(path):
        for number, cell in above:
            assert not re.search(rf"^\s*(?:def|class) {name}\b", _source(cell), re.MULTILINE), (
                f"{path.name}: cell {number}, above the {name} exercise, defines {name}")


@pytest.mark.parametrize("name", sorted(ANSWER_TELLTALES))
def test_no_piece_of_an_answer_stands_above_its_exercise(name):
    telltales = ANSWER_TELLTALES[name]
    found = dict(_code_above_exercises(ROOT / "notebooks" / name))
    assert set(found) == set(telltales), f"{name}: list the telltales of each exercise"
    for exercise, above in found.items():
        for number, cell in above:
            text = _source(cell) + "".join(text for _, text in _output_texts(cell))
            for pattern in telltales[exercise]:
                assert not re.search(pattern, text), (
                    f"{name}, cell {number} gives away part of the {exercise} exercise "
                    f"below it ({pattern!r}):\n{text[:300]}")


# A lesson of one sitting: the longest notebooks are held to about an hour's reading.
MAX_CELLS, MAX_PROSE_WORDS = 40, 2_000


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name[:2] in ("02", "09")],
                         ids=lambda path: path.name)
def test_a_lesson_fits_one_sitting(path):
    words = sum(len(_source(cell).split()) for cell in _cells(path, "markdown"))
    assert len(_cells(path)) <= MAX_CELLS, f"{path.name}: {len(_cells(path))} cells"
    assert words <= MAX_PROSE_WORDS, f"{path.name}: {words} words of prose"
