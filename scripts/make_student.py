"""Make the student edition, ``student/NN_*.ipynb``, from the teacher edition in ``notebooks/``.

The Japanese edition is made the same way: ``ja/student/`` from ``ja/notebooks/``
(which scripts/make_translations.py writes), with the header in Japanese.

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

    python scripts/make_student.py          # (re)write student/ and ja/student/ (``make student``)
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
PATTERN = "[0-9][0-9]_*.ipynb"


class UntaggedSolutionError(ValueError):
    """A worked answer without the ``solution`` tag: it would reach the student edition."""


def note_line(name, edition=notebook_header.ENGLISH):
    """The line under the title of a student notebook."""
    return edition.student_note.format(name=name)


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


def _set_header(notebook, repo, name, edition):
    header = next((cell for cell in notebook.cells if cell.cell_type == "markdown"), None)
    if header is None:
        raise ValueError(f"{name} has no markdown cell for the header")
    notebook_header.set_badges(header, notebook_header.badge_line(repo, name, edition.student))
    lines = header.source.split("\n")
    at = next((i + 1 for i, text in enumerate(lines) if text.startswith("# ")), 0)
    note = note_line(name, edition)
    lines[at:at] = ["", note] if at else [note, ""]
    header.source = "\n".join(lines)


def student_notebook(notebook, repo, name, edition=notebook_header.ENGLISH):
    """The student edition of one teacher notebook (a new notebook; the input is unchanged).

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The teacher edition.
    repo : str
        GitHub ``owner/name``, for the badges.
    name : str
        The notebook's file name.
    edition : notebook_header.Edition
        Which language's words the header uses.

    Returns
    -------
    nbformat.NotebookNode
    """
    check_solutions_tagged(notebook, name)
    student = nbformat.from_dict(notebook)  # a deep copy
    remover = TagRemovePreprocessor(remove_cell_tags={SOLUTION},
                                    remove_all_outputs_tags={EXERCISE, CHECK})
    student, _ = remover.preprocess(student, {})
    _set_header(student, repo, name, edition)
    return student


def render(path, repo, edition=notebook_header.ENGLISH):
    """The text of the student edition of the notebook at ``path``."""
    teacher = nbformat.reads(Path(path).read_text(encoding="utf-8"), as_version=4)
    return nbformat.writes(student_notebook(teacher, repo, Path(path).name, edition)) + "\n"


def stale_files(source, dest, repo, edition=notebook_header.ENGLISH):
    """Compare ``dest`` with what ``source`` gives.

    Returns
    -------
    wanted : dict
        File name -> the text it should have.
    stale : list of str
        One line per file of ``dest`` that is missing, out of date, or has no
        teacher notebook.
    """
    wanted = {path.name: render(path, repo, edition)
              for path in sorted(Path(source).glob(PATTERN))}
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


def write_edition(source, dest, repo, edition=notebook_header.ENGLISH, check=False):
    """Write (or with ``check``, only compare) one student edition; returns the exit code."""
    try:
        wanted, stale = stale_files(source, dest, repo, edition)
    except UntaggedSolutionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not wanted:
        print(f"error: no notebooks matching {PATTERN} in {source}", file=sys.stderr)
        return 2
    if check:
        for line in stale:
            print(line)
        if stale:
            print("The student edition is stale: run `make student`.")
            return 1
    else:
        dest.mkdir(parents=True, exist_ok=True)
        for name, text in wanted.items():
            target = dest / name
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
                print(f"wrote {target}")
        for extra in sorted(dest.glob(PATTERN)):
            if extra.name not in wanted:
                extra.unlink()
                print(f"removed {extra} (no teacher notebook)")
    print(f"{len(wanted)} student notebooks in {dest} are up to date.")
    return 0


def main(argv=None):
    """Write (or with ``--check``, only compare) the student editions; returns the exit code.

    By default both: ``student/`` from ``notebooks/``, and ``ja/student/`` from
    ``ja/notebooks/`` (written by scripts/make_translations.py) where that exists.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a student edition would change")
    parser.add_argument("--source", type=Path,
                        help="one teacher edition to make a student edition of "
                             "(default: every edition)")
    parser.add_argument("--dest", type=Path,
                        help="where --source's student edition goes")
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml",
                        help="where to read [project.urls] Source (default: %(default)s)")
    args = parser.parse_args(argv)
    repo = notebook_header.repository(args.pyproject)
    if args.source or args.dest:
        if not (args.source and args.dest):
            parser.error("--source and --dest go together")
        return write_edition(args.source, args.dest, repo, check=args.check)
    codes = [write_edition(ROOT / edition.teacher, ROOT / edition.student, repo, edition,
                           args.check)
             for edition in notebook_header.EDITIONS
             if edition is notebook_header.ENGLISH or (ROOT / edition.teacher).is_dir()]
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
