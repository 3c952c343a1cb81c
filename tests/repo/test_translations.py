"""The Japanese edition: complete, current, and the English notebooks in every byte but the prose.

``ja/notebooks/`` and ``ja/student/`` are written by scripts/make_translations.py
from ``notebooks/`` and the catalogues ``translations/ja/NN_name.po``. These
tests fail, naming the notebook and the cell, as soon as an English markdown
cell changes and its translation does not follow.
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import re
from pathlib import Path

import nbformat
import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("make_translations",
                                               ROOT / "scripts" / "make_translations.py")
make_translations = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_translations)

ENGLISH = sorted((ROOT / "notebooks").glob(make_translations.PATTERN))
each_name = pytest.mark.parametrize("name", [path.name for path in ENGLISH])
GLOSSARY = ROOT / "translations" / "ja" / "GLOSSARY.md"
#: The article's own terms (the glossary must hold each as the Japanese of a term).
ARTICLE_TERMS = ["訓練データ", "検証データ", "重み", "バイアス", "混同行列", "過学習", "ミニバッチ",
                 "交差検証", "学習率", "交差エントロピー", "早期終了", "損失関数", "ソフトマックス"]
JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _notebook(path):
    return nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)


def _catalogue(name):
    return polib.pofile(str(make_translations.catalogue_path(name)), wrapwidth=0)


def _translated(name):
    return [entry for entry in _catalogue(name) if entry.msgstr]


@each_name
def test_every_cell_has_a_current_translation(name):
    english = dict(make_translations.english_texts(_notebook(ROOT / "notebooks" / name)))
    entries = {entry.msgctxt: entry for entry in _catalogue(name)}
    problems = []
    for context, text in english.items():
        entry = entries.get(context)
        if entry is None or not entry.msgstr:
            problems.append(f"{name}, cell {context}: not translated")
        elif "fuzzy" in entry.flags or entry.msgid != text:
            before = entry.previous_msgid or entry.msgid
            diff = "\n".join(difflib.unified_diff(before.split("\n"), text.split("\n"),
                                                  "translated from", "English now", lineterm=""))
            problems.append(f"{name}, cell {context}: the English changed since it was "
                            f"translated\n{diff}")
    problems += [f"{name}: an entry for cell {context}, which the notebook no longer has"
                 for context in sorted(set(entries) - set(english))]
    assert not problems, ("\n\n".join(problems)
                          + "\n\nRun `make translations`, translate the entries marked fuzzy "
                            "in translations/ja/, then run it again.")


def test_the_japanese_edition_is_what_make_translations_writes(capsys):
    code = make_translations.main(["--check"])
    assert code == 0, capsys.readouterr().out + "\nRun `make translations` and commit ja/."


def _outside_markdown(notebook):
    """Everything of a notebook but its markdown sources and the install cell's comment."""
    data = nbformat.from_dict(notebook)
    for cell in data.cells:
        if cell.cell_type == "markdown":
            cell.source = ""
        elif make_translations.INSTALL_TAG in cell.get("metadata", {}).get("tags", []):
            cell.source = cell.source[len(make_translations.install_comment(cell.source)):]
    return nbformat.writes(data)


@pytest.mark.parametrize("folder", ["notebooks", "student"])
@each_name
def test_a_japanese_notebook_differs_only_in_its_prose(name, folder):
    english = _notebook(ROOT / folder / name)
    japanese = _notebook(ROOT / "ja" / folder / name)
    assert [c.id for c in japanese.cells] == [c.id for c in english.cells], name
    assert len({c.id for c in japanese.cells}) == len(japanese.cells), f"{name}: repeated ids"
    assert _outside_markdown(japanese) == _outside_markdown(english), (
        f"ja/{folder}/{name} differs from {folder}/{name} outside the markdown cells")


@each_name
def test_the_japanese_badges_open_the_japanese_notebooks(name):
    header = make_translations.notebook_header
    for folder in ("ja/notebooks", "ja/student"):
        first = next(c for c in _notebook(ROOT / folder / name).cells
                     if c.cell_type == "markdown").source
        badges = [line for line in first.split("\n") if make_translations._is_badge_line(line)]
        assert badges == [header.badge_line(header.repository(), name, folder)], f"{folder}/{name}"
    assert header.JAPANESE.student_note.format(name=name) in first  # ja/student's header


_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.DOTALL)
_CODE = re.compile(r"`[^`]+`")  # inline code may run over a line break (read as a space)
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_LABEL = re.compile(r"^\([\w-]+\)=$|\{ref\}`[^`]+`", re.MULTILINE)


def _kept_verbatim(text):
    """What a translation must carry over unchanged: math, inline code, link targets, labels."""
    return {
        "math": set(_MATH.findall(text)),
        "inline code": {" ".join(code.split()) for code in _CODE.findall(_MATH.sub("", text))},
        "links": set(_LINK.findall(text)),
        "labels": set(_LABEL.findall(text)),
    }


@each_name
def test_translations_are_japanese_and_keep_math_code_links_and_labels(name):
    problems = []
    for entry in _translated(name):
        if not JAPANESE_SCRIPT.search(entry.msgstr):
            problems.append(f"{name}, cell {entry.msgctxt}: the translation holds no Japanese")
        english, japanese = _kept_verbatim(entry.msgid), _kept_verbatim(entry.msgstr)
        for kind in english:
            if english[kind] != japanese[kind]:
                problems.append(f"{name}, cell {entry.msgctxt}: {kind} differ; missing "
                                f"{sorted(english[kind] - japanese[kind])}, not in the English "
                                f"{sorted(japanese[kind] - english[kind])}")
    assert not problems, "\n".join(problems)


@functools.cache
def glossary():
    """The glossary's rows: ``[(english forms, japanese, words to avoid), ...]``."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] in ("English", "") or set(cells[0]) <= {"-"}:
            continue
        english, avoid = ([part.strip() for part in text.split(";") if part.strip()]
                          for text in (cells[0], cells[2]))
        rows.append((english, cells[1], avoid))
    return rows


def test_the_glossary_holds_the_articles_terms():
    japanese = {row[1] for row in glossary()}
    assert len(glossary()) >= 30
    assert [term for term in ARTICLE_TERMS if term not in japanese] == []


@each_name
def test_the_glossary_terms_are_the_ones_used(name):
    problems = []
    for entry in _translated(name):
        english = _CODE.sub(" ", _MATH.sub(" ", entry.msgid)).lower()  # prose: no code or math
        # 単精度 and 倍精度 (single and double precision) are not the 精度 of accuracy.
        japanese = re.sub("[単倍]精度", "", entry.msgstr)
        for forms, term, avoid in glossary():
            used = [form for form in forms
                    if re.search(rf"(?<![\w-]){re.escape(form.lower())}(?![\w-])", english)]
            if used and term not in entry.msgstr:
                problems.append(f"{name}, cell {entry.msgctxt}: the English says "
                                f"{used[0]!r}, the translation lacks {term!r}")
            problems += [f"{name}, cell {entry.msgctxt}: {word!r} is used; the glossary's "
                         f"term is {term!r}" for word in avoid if word in japanese]
    assert not problems, "\n".join(problems)


def test_a_changed_english_cell_fails_and_becomes_fuzzy():
    """The staleness check, on a copy: one changed word makes the entry fuzzy."""
    path = ENGLISH[0]
    english = _notebook(path)
    catalogue = make_translations.update_catalogue(
        _catalogue(path.name), make_translations.english_texts(english), path.name)
    cell = next(c for c in english.cells[1:] if c.cell_type == "markdown")
    cell.source = cell.source.replace(" the ", " a ", 1)
    updated = make_translations.update_catalogue(
        catalogue, make_translations.english_texts(english), path.name)
    entry = next(e for e in updated if e.msgctxt == cell.id)
    assert "fuzzy" in entry.flags and entry.msgid == cell.source
    assert entry.previous_msgid is not None and entry.previous_msgid != cell.source
    japanese = make_translations.translated_notebook(english, updated, "o/r", path.name)
    assert next(c for c in japanese.cells if c.id == cell.id).source == cell.source
