"""Make the student edition, ``student/NN_*.ipynb``, from the teacher edition in ``notebooks/``.

The two editions differ only in what the cell tags say (docs/EXERCISES.md
explains the convention for teachers):

``solution``
    a worked answer, in the teacher edition only (its source collapsed with
    ``jupyter.source_hidden``). The student edition leaves the cell out.
``exercise``
    the code cell a learner fills in: the function's signature and a
    placeholder body (``...`` or ``raise NotImplementedError``). Kept, with
    its outputs and execution count cleared.
``check``
    the cell that runs ``exercises.check_<topic>(...)`` on the learner's
    answer. Kept, outputs cleared, so that the learner sees a verdict only
    after running it.

A coding exercise is four cells in a row: a markdown statement, the
``exercise`` cell, the ``solution`` cell (a function of the same name), the
``check`` cell. The worked answers of the "predict, then run" exercises are
``solution`` cells too, and no later cell may use anything a ``solution``
cell defines. Every other cell is copied unchanged, stored outputs
included, so that the student edition still reads well on GitHub. In the
first markdown cell the Binder and Colab badges are pointed at the student
notebook, and a note under the title links to the teacher's notebook.

A cell whose source starts with ``# Solution`` but has no ``solution`` tag
stops the script: it would hand the answer to the learner.

Usage::

    python scripts/make_student.py          # (re)write student/ (``make student``)
    python scripts/make_student.py --check  # change nothing; exit 1 naming stale files

The output depends only on the input: running it twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import TagRemovePreprocessor

sys.path.insert(0, str(Path(__file__).resolve().parent))
import notebook_header  # noqa: E402  (a sibling script, not an installed module)

ROOT = Path(__file__).resolve().parents[1]
SOLUTION, EXERCISE, CHECK = "solution", "exercise", "check"
TEACHER_FOLDER, STUDENT_FOLDER = "notebooks", "student"
PATTERN = "[0-9][0-9]_*.ipynb"


class UntaggedSolutionError(ValueError):
    """A worked answer without the ``solution`` tag: it would reach the student edition."""


def note_line(name):
    """The line under the title of a student notebook."""
    return (f"*Student edition: the worked answers are left out. The teacher edition, with "
            f"answers, is [{TEACHER_FOLDER}/{name}](../{TEACHER_FOLDER}/{name}).*")


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def check_solutions_tagged(notebook, name):
    """Raise :class:`UntaggedSolutionError` for a ``# Solution`` cell without its tag."""
    for index, cell in enumerate(notebook.cells):
        if cell.source.lstrip().startswith("# Solution") and SOLUTION not in _tags(cell):
            raise UntaggedSolutionError(
                f"{name}, cell {index}: starts with '# Solution' but is not tagged "
                f"'{SOLUTION}', so it would reach the student edition; tag it "
                "(see docs/EXERCISES.md)"
            )


def _set_header(notebook, repo, name):
    header = next((cell for cell in notebook.cells if cell.cell_type == "markdown"), None)
    if header is None:
        raise ValueError(f"{name} has no markdown cell for the header")
    notebook_header.set_badges(header, notebook_header.badge_line(repo, name, STUDENT_FOLDER))
    lines = header.source.split("\n")
    at = next((i + 1 for i, text in enumerate(lines) if text.startswith("# ")), 0)
    lines[at:at] = ["", note_line(name)] if at else [note_line(name), ""]
    header.source = "\n".join(lines)


def student_notebook(notebook, repo, name):
    """The student edition of one teacher notebook (a new notebook; the input is unchanged).

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The teacher edition.
    repo : str
        GitHub ``owner/name``, for the badges.
    name : str
        The notebook's file name.

    Returns
    -------
    nbformat.NotebookNode
    """
    check_solutions_tagged(notebook, name)
    student = nbformat.from_dict(notebook)  # a deep copy
    remover = TagRemovePreprocessor(remove_cell_tags={SOLUTION},
                                    remove_all_outputs_tags={EXERCISE, CHECK})
    student, _ = remover.preprocess(student, {})
    _set_header(student, repo, name)
    return student


def render(path, repo):
    """The text of the student edition of the notebook at ``path``."""
    teacher = nbformat.reads(Path(path).read_text(encoding="utf-8"), as_version=4)
    return nbformat.writes(student_notebook(teacher, repo, Path(path).name)) + "\n"


def stale_files(source, dest, repo):
    """Compare ``dest`` with what ``source`` gives.

    Returns
    -------
    wanted : dict
        File name -> the text it should have.
    stale : list of str
        One line per file of ``dest`` that is missing, out of date, or has no
        teacher notebook.
    """
    wanted = {path.name: render(path, repo) for path in sorted(Path(source).glob(PATTERN))}
    stale = []
    for name, text in wanted.items():
        target = Path(dest) / name
        if not target.exists():
            stale.append(f"{target}: missing")
        elif target.read_text(encoding="utf-8") != text:
            stale.append(f"{target}: out of date")
    for extra in sorted(Path(dest).glob(PATTERN)):
        if extra.name not in wanted:
            stale.append(f"{extra}: has no teacher notebook in {source}")
    return wanted, stale


def main(argv=None):
    """Write (or with ``--check``, only compare) the student edition; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if student/ is not what would be made")
    parser.add_argument("--source", type=Path, default=ROOT / TEACHER_FOLDER,
                        help="the teacher edition (default: %(default)s)")
    parser.add_argument("--dest", type=Path, default=ROOT / STUDENT_FOLDER,
                        help="the student edition (default: %(default)s)")
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml",
                        help="where to read [project.urls] Source (default: %(default)s)")
    args = parser.parse_args(argv)
    repo = notebook_header.repository(args.pyproject)
    try:
        wanted, stale = stale_files(args.source, args.dest, repo)
    except UntaggedSolutionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not wanted:
        print(f"error: no notebooks matching {PATTERN} in {args.source}", file=sys.stderr)
        return 2
    if args.check:
        for line in stale:
            print(line)
        if stale:
            print("The student edition is stale: run `make student`.")
            return 1
        print(f"{len(wanted)} student notebooks in {args.dest} are up to date.")
        return 0
    args.dest.mkdir(parents=True, exist_ok=True)
    for name, text in wanted.items():
        target = args.dest / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target}")
    for extra in sorted(args.dest.glob(PATTERN)):
        if extra.name not in wanted:
            extra.unlink()
            print(f"removed {extra} (no teacher notebook)")
    print(f"{len(wanted)} student notebooks in {args.dest} are up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
