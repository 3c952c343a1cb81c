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

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# Text that a progress bar (tqdm's or anyone's) leaves behind mid-run.
# Text that a progress bar (tqdm's or anyone's) leaves behind mid-run, including
# the live lines of mnist_lr's own progress report.
PROGRESS_BAR = re.compile(
    r"\d+%\||\s\d+/\d+ \[|epoch/s|it/s|fold/s|training: epoch \d+/|folds: \d+/"
)


def _cells(path, kind=None):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [cell for cell in cells if kind is None or cell["cell_type"] == kind]


def _output_texts(cell):
    for output in cell.get("outputs", []):
        text = output.get("text", "")
        data = output.get("data", {})
        yield output, "".join(text) + "".join(data.get("text/plain", ""))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_no_test_markers_in_code(path):
    for cell in _cells(path, "code"):
        source = "".join(cell["source"])
        assert "nbval" not in source.lower(), f"{path.name}: a code cell mentions nbval:\n{source}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_no_frozen_progress_bars_errors_or_warnings(path):
    for cell in _cells(path, "code"):
        assert cell["execution_count"] is not None, f"{path.name}: a code cell was never run"
        for output, text in _output_texts(cell):
            assert output["output_type"] != "error", f"{path.name}: stored error {text[:200]}"
            assert output.get("name") != "stderr", f"{path.name}: stored stderr {text[:200]}"
            assert not PROGRESS_BAR.search(text), f"{path.name}: frozen progress bar {text!r}"
            assert "\r" not in text, f"{path.name}: an output keeps overwritten text {text!r}"


def _tags(cell):
    return set(cell["metadata"].get("tags", []))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_exercises_end_each_notebook_with_hidden_solutions(path):
    # The cell tags are what scripts/make_student.py reads (docs/EXERCISES.md).
    cells = _cells(path)
    headings = [i for i, cell in enumerate(cells)
                if cell["cell_type"] == "markdown" and "## Exercises" in "".join(cell["source"])]
    assert len(headings) == 1, f"{path.name}: expected one Exercises section"
    code = [cell for cell in cells[headings[0]:] if cell["cell_type"] == "code"]
    solutions = [cell for cell in code if "solution" in _tags(cell)]
    assert len(solutions) >= 2, f"{path.name}: fewer than two worked solutions"
    for cell in code:
        assert _tags(cell) & {"solution", "exercise", "check"}, (
            f"{path.name}: an Exercises code cell is tagged neither solution, exercise nor "
            f"check:\n{''.join(cell['source'])[:200]}")
    for cell in solutions:
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, (
            f"{path.name}: a solution cell is not collapsed"
        )
        assert "".join(cell["source"]).startswith("# Solution"), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_every_worked_answer_is_tagged(path):
    # An untagged answer would reach the student edition.
    for cell in _cells(path, "code"):
        if "".join(cell["source"]).startswith("# Solution"):
            assert "solution" in _tags(cell), f"{path.name}: untagged {cell['source'][0]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_coding_exercises_are_followed_by_their_solution_and_a_passing_check(path):
    code = _cells(path, "code")
    for i, cell in enumerate(code):
        if "exercise" not in _tags(cell):
            continue
        defined = re.search(r"^(?:def|class) (\w+)", "".join(cell["source"]), re.MULTILINE)
        assert defined, f"{path.name}: an exercise cell defines no function or class"
        name = defined.group(1)
        solution, check = code[i + 1:i + 3]
        assert "solution" in _tags(solution), f"{path.name}: {name} has no solution cell next"
        assert re.search(rf"^(?:def|class) {name}\b", "".join(solution["source"]), re.MULTILINE), (
            f"{path.name}: the solution after the {name} exercise does not define {name}")
        assert "check" in _tags(check), f"{path.name}: {name} has no check cell after its solution"
        assert re.search(rf"exercises\.check_\w+\({name}\)", "".join(check["source"])), (
            f"{path.name}: the check cell after {name} does not check it")
        shown = "".join(text for _, text in _output_texts(check))
        assert shown.startswith("✓ Correct"), f"{path.name}: the worked {name} fails its check"
        # One verdict, shown once: the check's result, no printed copy, no "True" after it.
        outputs = check.get("outputs", [])
        assert [o["output_type"] for o in outputs] == ["execute_result"], (
            f"{path.name}: the check of {name} shows {len(outputs)} outputs")
        plain = "".join(outputs[0]["data"]["text/plain"])
        assert plain.startswith("✓ Correct") and "\nTrue" not in plain, (path.name, name)
        assert "text/html" in outputs[0]["data"], f"{path.name}: {name}'s verdict cannot wrap"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_one_visible_seed(path):
    first_code = "".join(_cells(path, "code")[0]["source"]) + "".join(
        _cells(path, "code")[1]["source"]
    )
    assert re.search(r"^SEED = \d+$", first_code, re.MULTILINE), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_no_cell_relies_on_a_trailing_semicolon(path):
    # nbval runs cells without recording them in the kernel's history, and
    # IPython reads the semicolon that hides a result from that history: under
    # nbval the result shows after all, and the stored outputs no longer match.
    for cell in _cells(path, "code"):
        lines = "".join(cell["source"]).rstrip().split("\n")
        assert not lines[-1].rstrip().endswith(";"), f"{path.name}: {lines[-1]}"


# -- exercise first, answer after ---------------------------------------------

STUDENT = Path(__file__).resolve().parents[2] / "student"

#: Code that gives an exercise's answer away, per notebook and exercise. The prose
#: above an exercise explains the idea (a formula, a rule); no code cell above it,
#: nor what such a cell printed, may hold these pieces of the answer itself. The
#: learner's own earlier answers are allowed to be there: each list names what is
#: particular to its exercise.
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


def _exercises(cells):
    """(index, name) of every exercise cell, in order."""
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "code" and "exercise" in _tags(cell):
            yield index, re.search(r"^(?:def|class) (\w+)", "".join(cell["source"]),
                                   re.MULTILINE).group(1)


def _code_and_output(cell):
    return "".join(cell["source"]) + "".join(text for _, text in _output_texts(cell))


def _editions(path):
    return [(f"notebooks/{path.name}", path), (f"student/{path.name}", STUDENT / path.name)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_no_answer_is_defined_above_its_exercise(path):
    for edition, file in _editions(path):
        cells = _cells(file)
        for index, name in _exercises(cells):
            for above in cells[:index]:
                source = "".join(above["source"])
                assert not (above["cell_type"] == "code" and re.search(
                    rf"^\s*(?:def|class) {name}\b", source, re.MULTILINE)), (
                    f"{edition}: a cell above the {name} exercise defines {name}")


@pytest.mark.parametrize("name", sorted(ANSWER_TELLTALES))
def test_no_piece_of_an_answer_stands_above_its_exercise(name):
    telltales = ANSWER_TELLTALES[name]
    path = next(path for path in NOTEBOOKS if path.name == name)
    for edition, file in _editions(path):
        cells = _cells(file)
        exercises = dict((exercise, index) for index, exercise in _exercises(cells))
        assert set(exercises) == set(telltales), (
            f"{edition}: list the telltales of each exercise: {sorted(exercises)}")
        for exercise, index in exercises.items():
            for number, above in enumerate(cells[:index]):
                if above["cell_type"] != "code":
                    continue
                text = _code_and_output(above)
                for pattern in telltales[exercise]:
                    assert not re.search(pattern, text), (
                        f"{edition}, cell {number} gives away part of the {exercise} exercise "
                        f"below it ({pattern!r}):\n{text[:300]}")


# A lesson of one sitting: the longest notebooks are held to about an hour's reading.
MAX_CELLS, MAX_PROSE_WORDS = 40, 2_000


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name[:2] in ("02", "09")],
                         ids=lambda path: path.name)
def test_a_lesson_fits_one_sitting(path):
    words = sum(len("".join(cell["source"]).split()) for cell in _cells(path, "markdown"))
    assert len(_cells(path)) <= MAX_CELLS, f"{path.name}: {len(_cells(path))} cells"
    assert words <= MAX_PROSE_WORDS, f"{path.name}: {words} words of prose"
