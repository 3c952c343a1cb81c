"""Give every notebook of the series the same header: badges, and an install cell for Colab.

For each ``notebooks/NN_*.ipynb`` (or the notebooks named on the command line)
this sets, idempotently:

1. in the first markdown cell, one badge line: "launch on Binder" and "Open in
   Colab", both pointing at this notebook in the repository. It replaces any
   earlier badge line, or goes right under the title;
2. a first code cell that installs ``mnist_lr`` from the repository when, and
   only when, the notebook runs on Google Colab. Anywhere else (a local
   JupyterLab, Binder, nbval) it does nothing and prints nothing.

The repository's owner/name is read from ``[project.urls] Source`` in
``pyproject.toml``: the one place to change after a fork or a move (with
``Issues`` beside it, which a test keeps equal to Source + "/issues"). Then run::

    python scripts/notebook_header.py            # rewrite notebooks/NN_*.ipynb
    python scripts/notebook_header.py --check    # only report; exit 1 if any would change
    python scripts/notebook_header.py notebooks/09_regularisation.ipynb   # just these

Running it twice changes nothing the second time. Nothing else in a notebook
(other cells, outputs, metadata) is touched.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
#: The branch Colab opens (Binder follows the default branch through HEAD).
BRANCH = "main"
#: Marks the install cell, so that a second run finds and updates it.
INSTALL_TAG = "colab-install"
BADGE_MARKERS = ("mybinder.org/badge_logo.svg", "colab-badge.svg")


def repository(pyproject=ROOT / "pyproject.toml"):
    """The GitHub ``owner/name`` of the project, from ``[project.urls] Source``.

    Parameters
    ----------
    pyproject : path-like
        The ``pyproject.toml`` to read.

    Returns
    -------
    str
        For example ``"mnist-lr/mnist-lr"``.
    """
    urls = tomllib.loads(Path(pyproject).read_text(encoding="utf-8"))["project"]["urls"]
    match = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?", urls["Source"])
    if match is None:
        raise ValueError(
            f"[project.urls] Source in {pyproject} must be https://github.com/OWNER/NAME, "
            f"got {urls['Source']!r}"
        )
    return match.group(1)


@dataclass(frozen=True)
class Edition:
    """One language's pair of folders, and the words its notebook headers use.

    ``student_link`` introduces the student edition in a teacher notebook's
    badge line; ``student_note`` (with ``{name}`` for the file name) is the
    line under a student notebook's title (see scripts/make_student.py).
    """

    teacher: str
    student: str
    student_link: str
    student_note: str


ENGLISH = Edition(
    "notebooks", "student", "student edition, without the answers",
    "*Student edition: the worked answers are left out. The teacher edition, with "
    "answers, is [notebooks/{name}](../notebooks/{name}).*")
#: Written by scripts/make_translations.py from notebooks/ and translations/ja/.
JAPANESE = Edition(
    "ja/notebooks", "ja/student", "解答を省いた生徒用",
    "*生徒用：練習問題の解答例を省いた版です。解答例のある教師用は "
    "[notebooks/{name}](../notebooks/{name}) にあります。*")
EDITIONS = (ENGLISH, JAPANESE)


def badge_line(repo, notebook_name, folder="notebooks"):
    """The Binder and Colab badges for one notebook, as one markdown line.

    ``folder`` is where the notebook lives in the repository: a teacher
    edition (``notebooks``, ``ja/notebooks``) or a student one (``student``,
    ``ja/student``; see scripts/make_student.py). A teacher notebook's line
    points at its student notebook too.
    """
    binder, colab = _launch_urls(repo, notebook_name, folder)
    line = (f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder}) "
            f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab})")
    edition = next((e for e in EDITIONS if e.teacher == folder), None)
    if edition is not None:
        binder, colab = _launch_urls(repo, notebook_name, edition.student)
        line += (f" · {edition.student_link}: "
                 f"[{notebook_name}](../student/{notebook_name}) "
                 f"([Binder]({binder}), [Colab]({colab}))")
    return line


def _launch_urls(repo, notebook_name, folder):
    """Binder's and Colab's addresses of one notebook in one folder of the repository."""
    binder = (f"https://mybinder.org/v2/gh/{repo}/HEAD"
              f"?labpath={folder.replace('/', '%2F')}%2F{notebook_name}")
    colab = (f"https://colab.research.google.com/github/{repo}/blob/{BRANCH}/"
             f"{folder}/{notebook_name}")
    return binder, colab


def install_requirement(repo):
    """What the Colab cell installs: the package, straight from the repository.

    Without the ``notebooks`` extra: Colab has JupyterLab's part of it already,
    and its own ipywidgets (7.7.1), the series its front end draws, must stay.
    """
    return f"mnist-lr @ git+https://github.com/{repo}.git@{BRANCH}"


def install_source(repo):
    """The source of the first code cell."""
    return (
        "# On Google Colab, install mnist_lr from the repository first. Anywhere\n"
        "# else (your own JupyterLab, Binder) it is already installed and this cell\n"
        "# does nothing.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        "    import subprocess\n"
        "\n"
        f'    package = "{install_requirement(repo)}"\n'
        "    subprocess.run(\n"
        '        [sys.executable, "-m", "pip", "install", "--quiet", package],\n'
        "        check=True,\n"
        "    )"
    )


def set_badges(cell, line):
    """Put the badge ``line`` in a markdown cell: in place of its badges, or under its title."""
    lines = cell.source.split("\n")
    new, placed = [], False
    for text in lines:
        if any(marker in text for marker in BADGE_MARKERS):
            if not placed:  # the first badge line becomes ours; any others go
                new.append(line)
                placed = True
            continue
        new.append(text)
    if not placed:  # under the title (a first "# ..." line), or at the top
        at = next((i + 1 for i, text in enumerate(new) if text.startswith("# ")), 0)
        new[at:at] = ["", line] if at else [line, ""]
    cell.source = "\n".join(new)


def apply_header(notebook, repo, name):
    """Set the badge line and the Colab install cell of one notebook, in place.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
    repo : str
        GitHub ``owner/name``.
    name : str
        The notebook's file name, for its badge links.

    Returns
    -------
    nbformat.NotebookNode
        ``notebook`` itself.
    """
    markdown = next((c for c in notebook.cells if c.cell_type == "markdown"), None)
    if markdown is None:
        raise ValueError(f"{name} has no markdown cell for the badges")
    set_badges(markdown, badge_line(repo, name))

    source = install_source(repo)
    cells = notebook.cells
    tagged = [c for c in cells if INSTALL_TAG in c.get("metadata", {}).get("tags", [])]
    for cell in tagged:
        cells.remove(cell)
    cell = tagged[0] if tagged else nbformat.v4.new_code_cell()
    # An executed copy of the same cell (it prints nothing outside Colab) is
    # already right: keep its execution count, so that re-running the notebook
    # and then this script changes nothing.
    if cell.source != source or cell.get("outputs"):
        cell.execution_count = None
    cell.source = source
    cell.outputs = []
    cell.metadata = {"tags": [INSTALL_TAG]}
    if notebook.nbformat_minor >= 5:
        cell.id = INSTALL_TAG  # a fixed id keeps reruns byte-identical
    else:
        cell.pop("id", None)
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), len(cells))
    cells.insert(first_code, cell)
    return notebook


def main(argv=None):
    """Update (or with ``--check``, only inspect) the notebooks; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to update (default: notebooks/NN_*.ipynb)")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if any notebook is not up to date")
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml",
                        help="where to read [project.urls] Source (default: %(default)s)")
    args = parser.parse_args(argv)
    repo = repository(args.pyproject)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    stale = []
    for path in paths:
        before = path.read_text(encoding="utf-8")
        notebook = apply_header(nbformat.reads(before, as_version=4), repo, path.name)
        after = nbformat.writes(notebook) + "\n"
        if after == before:
            continue
        stale.append(path)
        if not args.check:
            path.write_text(after, encoding="utf-8")
    verb = "needs" if args.check else "updated"
    for path in stale:
        print(f"{path}: {verb} the header")
    if not stale:
        print(f"{len(paths)} notebooks already have the header for {repo}.")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
