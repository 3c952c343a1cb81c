"""Make the Japanese edition, ``ja/notebooks/`` and ``ja/student/``, from the English one.

The translations live in one gettext catalogue per notebook,
``translations/ja/NN_name.po``, which any PO editor (Poedit, Weblate, a text
editor) opens. Each entry is one markdown cell:

``msgctxt``
    the cell's id, which the English and the Japanese notebook share;
``msgid``
    the cell's whole English source (for the first cell, without its badge
    line, which is generated);
``msgstr``
    its Japanese.

One more entry, ``msgctxt "colab-install"``, holds the comment lines at the
top of the Colab install cell; the cell's code is never translated.

This script does two things:

1. **updates the catalogues** from ``notebooks/``: a new cell gets an empty
   entry, a changed one is marked ``fuzzy`` with its previous English kept as
   ``#| msgid``, the entry of a removed cell is dropped;
2. **writes** ``ja/notebooks/NN_name.ipynb``: the English notebook with each
   markdown cell replaced by its translation and the badges pointed at the
   Japanese edition. Code cells, outputs, ids and metadata stay the same
   bytes; the Japanese notebooks are never executed. Then it makes
   ``ja/student/`` from ``ja/notebooks/`` (scripts/make_student.py).

A cell with no translation, or only a fuzzy one, stays English, and
tests/repo/test_translations.py fails until it is translated. After changing an
English markdown cell::

    python scripts/make_translations.py          # the entry becomes fuzzy (`make translations`)
    # edit translations/ja/NN_name.po: the new msgstr, and delete the "fuzzy" flag
    python scripts/make_translations.py          # writes ja/ again; commit all three

``--check`` changes nothing and exits 1 when a catalogue or a Japanese
notebook is not what this script would write. The output depends only on
the input: running it twice changes nothing the second time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
import polib

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_student  # noqa: E402  (sibling scripts, not installed modules)
import notebook_header  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LANGUAGE = "ja"
EDITION = notebook_header.JAPANESE
CATALOGUES = ROOT / "translations" / LANGUAGE
PATTERN = make_student.PATTERN
INSTALL_TAG = notebook_header.INSTALL_TAG
FUZZY = "fuzzy"


# -- what is translated ------------------------------------------------------------------------

def _is_badge_line(text):
    return any(marker in text for marker in notebook_header.BADGE_MARKERS)


def without_badges(source):
    """A header cell's source with its badge line (and the blank line after it) taken out."""
    lines = source.split("\n")
    kept = []
    skip_blank = False
    for text in lines:
        if _is_badge_line(text):
            skip_blank = True
            continue
        if skip_blank and not text.strip():
            skip_blank = False
            continue
        skip_blank = False
        kept.append(text)
    return "\n".join(kept)


def install_comment(source):
    """The leading comment lines of the Colab install cell: its explanation."""
    lines = source.split("\n")
    count = next((i for i, text in enumerate(lines) if not text.startswith("#")), len(lines))
    return "\n".join(lines[:count])


def english_texts(notebook):
    """The translatable texts of a notebook, in order: ``[(context, english), ...]``."""
    texts = []
    header_seen = False
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            source = cell.source if header_seen else without_badges(cell.source)
            header_seen = True
            texts.append((cell.id, source))
        elif INSTALL_TAG in cell.get("metadata", {}).get("tags", []):
            texts.append((INSTALL_TAG, install_comment(cell.source)))
    return texts


# -- the catalogues ----------------------------------------------------------------------------

def new_catalogue(name):
    """An empty catalogue for the notebook ``name``."""
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.header = (f"Japanese of the markdown cells of notebooks/{name}, one entry "
                        "per cell.\nAfter an English change: scripts/make_translations.py "
                        "(`make translations`).")
    catalogue.metadata = {
        "Project-Id-Version": f"mnist-lr notebooks/{name}",
        "Language": LANGUAGE,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return catalogue


def update_catalogue(catalogue, texts, name):
    """Bring ``catalogue`` in step with the English ``texts``, in their order.

    Returns a new catalogue: new cells get empty entries, changed cells are
    marked fuzzy (their previous English kept), entries of removed cells go.
    """
    old = {entry.msgctxt: entry for entry in catalogue}
    updated = new_catalogue(name)
    for context, english in texts:
        entry = old.get(context)
        if entry is None:
            entry = polib.POEntry(msgctxt=context, msgid=english, msgstr="")
        elif entry.msgid != english:
            if FUZZY not in entry.flags:  # keep the English the translation was made from
                entry.previous_msgid = entry.msgid
                entry.flags.append(FUZZY)
            entry.msgid = english
        updated.append(entry)
    return updated


def catalogue_path(name):
    return CATALOGUES / (Path(name).stem + ".po")


def read_catalogue(name):
    path = catalogue_path(name)
    if not path.exists():
        return new_catalogue(name)
    return polib.pofile(str(path), wrapwidth=0)


# -- the Japanese notebooks --------------------------------------------------------------------

def translation(catalogue):
    """``{context: japanese}`` for the finished entries (translated, not fuzzy)."""
    return {entry.msgctxt: entry.msgstr for entry in catalogue
            if entry.msgstr and FUZZY not in entry.flags}


def translated_notebook(notebook, catalogue, repo, name):
    """The Japanese edition of one English notebook (a new notebook; the input is unchanged)."""
    japanese = nbformat.from_dict(notebook)  # a deep copy
    done = translation(catalogue)
    header = None
    for cell in japanese.cells:
        if cell.cell_type == "markdown":
            if header is None:
                header = cell
                cell.source = done.get(cell.id, without_badges(cell.source))
            else:
                cell.source = done.get(cell.id, cell.source)
        elif INSTALL_TAG in cell.get("metadata", {}).get("tags", []) and INSTALL_TAG in done:
            comment = install_comment(cell.source)
            cell.source = done[INSTALL_TAG] + cell.source[len(comment):]
    if header is not None:
        notebook_header.set_badges(header, notebook_header.badge_line(repo, name, EDITION.teacher))
    return japanese


def wanted_files(repo, source=ROOT / "notebooks"):
    """``{path: text}`` for every catalogue and Japanese notebook this script writes."""
    wanted = {}
    for path in sorted(Path(source).glob(PATTERN)):
        english = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        catalogue = update_catalogue(read_catalogue(path.name), english_texts(english), path.name)
        wanted[catalogue_path(path.name)] = str(catalogue)
        japanese = translated_notebook(english, catalogue, repo, path.name)
        wanted[ROOT / EDITION.teacher / path.name] = nbformat.writes(japanese) + "\n"
    return wanted


def main(argv=None):
    """Update the catalogues and write the Japanese edition; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a catalogue or notebook would change")
    args = parser.parse_args(argv)
    repo = notebook_header.repository()
    wanted = wanted_files(repo)
    stale = [path for path, text in wanted.items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    folders = (CATALOGUES, ROOT / EDITION.teacher)
    extra = [path for folder in folders for path in sorted(folder.glob("[0-9][0-9]_*.*"))
             if path not in wanted]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)}: not what `make translations` writes")
        for path in extra:
            print(f"{path.relative_to(ROOT)}: has no English notebook")
        code = make_student.write_edition(ROOT / EDITION.teacher, ROOT / EDITION.student, repo,
                                          EDITION, check=True)
        return 1 if stale or extra or code else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wanted[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    for path in extra:
        path.unlink()
        print(f"removed {path.relative_to(ROOT)} (no English notebook)")
    return make_student.write_edition(ROOT / EDITION.teacher, ROOT / EDITION.student, repo,
                                      EDITION)


if __name__ == "__main__":
    sys.exit(main())
