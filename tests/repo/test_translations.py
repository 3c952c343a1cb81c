"""The Japanese edition: complete, current, and the English notebooks in every byte but the prose.

``ja/notebooks/`` and ``ja/student/`` are written by scripts/make_translations.py
from ``notebooks/`` and the catalogues ``translations/ja/NN_name.po``. These
tests fail, naming the notebook and the cell, as soon as an English markdown
cell changes and its translation does not follow.
"""

from __future__ import annotations

import difflib
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
NAMES = [path.name for path in ENGLISH]
GLOSSARY = ROOT / "translations" / "ja" / "GLOSSARY.md"
#: Cells that are only math or code: their "translation" is the English itself.
NOTHING_TO_TRANSLATE = set()
#: The article's own terms (the glossary must hold each as the Japanese of a term).
ARTICLE_TERMS = ["訓練データ", "検証データ", "重み", "バイアス", "混同行列", "過学習", "ミニバッチ",
                 "交差検証", "学習率", "交差エントロピー", "早期終了", "損失関数", "ソフトマックス"]
JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _notebook(path):
    return nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)


def _catalogue(name):
    return polib.pofile(str(make_translations.catalogue_path(name)), wrapwidth=0)


def _english_texts(name):
    return dict(make_translations.english_texts(_notebook(ROOT / "notebooks" / name)))


@pytest.mark.parametrize("name", NAMES)
def test_every_cell_has_a_current_translation(name):
    english = _english_texts(name)
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
    extra = sorted(set(entries) - set(english))
    problems += [f"{name}: an entry for cell {context}, which the notebook no longer has"
                 for context in extra]
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
@pytest.mark.parametrize("name", NAMES)
def test_a_japanese_notebook_differs_only_in_its_prose(name, folder):
    english = _notebook(ROOT / folder / name)
    japanese = _notebook(ROOT / "ja" / folder / name)
    assert [c.id for c in japanese.cells] == [c.id for c in english.cells], name
    assert len({c.id for c in japanese.cells}) == len(japanese.cells), f"{name}: repeated ids"
    assert _outside_markdown(japanese) == _outside_markdown(english), (
        f"ja/{folder}/{name} differs from {folder}/{name} outside the markdown cells")


@pytest.mark.parametrize("name", NAMES)
def test_the_japanese_badges_open_the_japanese_notebooks(name):
    header = make_translations.notebook_header
    repo = header.repository()
    for folder in ("ja/notebooks", "ja/student"):
        first = next(c for c in _notebook(ROOT / folder / name).cells
                     if c.cell_type == "markdown")
        badges = [line for line in first.source.split("\n")
                  if make_translations._is_badge_line(line)]
        assert badges == [header.badge_line(repo, name, folder)], f"{folder}/{name}"
    student = next(c for c in _notebook(ROOT / "ja/student" / name).cells
                   if c.cell_type == "markdown")
    assert header.JAPANESE.student_note.format(name=name) in student.source


@pytest.mark.parametrize("name", NAMES)
def test_every_translation_is_japanese(name):
    english = [
        entry.msgctxt for entry in _catalogue(name)
        if entry.msgstr and not JAPANESE_SCRIPT.search(entry.msgstr)
        and (name, entry.msgctxt) not in NOTHING_TO_TRANSLATE
    ]
    assert not english, f"{name}: cells whose translation holds no Japanese: {english}"


_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.DOTALL)
_CODE = re.compile(r"`[^`]+`")  # inline code may run over a line break (read as a space)
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_LABEL = re.compile(r"^\([\w-]+\)=$|\{ref\}`[^`]+`", re.MULTILINE)


def _kept_verbatim(text):
    """What a translation must carry over unchanged: math, inline code, link targets, labels."""
    return {
        "math": sorted(_MATH.findall(text)),
        "inline code": sorted(" ".join(code.split())
                              for code in _CODE.findall(_MATH.sub("", text))),
        "links": sorted(_LINK.findall(text)),
        "labels": sorted(_LABEL.findall(text)),
    }


@pytest.mark.parametrize("name", NAMES)
def test_math_code_links_and_labels_survive_translation(name):
    problems = []
    for entry in _catalogue(name):
        if not entry.msgstr:
            continue
        english, japanese = _kept_verbatim(entry.msgid), _kept_verbatim(entry.msgstr)
        for kind in english:
            if sorted(set(english[kind])) != sorted(set(japanese[kind])):
                missing = sorted(set(english[kind]) - set(japanese[kind]))
                added = sorted(set(japanese[kind]) - set(english[kind]))
                problems.append(f"{name}, cell {entry.msgctxt}: {kind} differ; "
                                f"missing {missing}, not in the English {added}")
    assert not problems, "\n".join(problems)


def glossary():
    """The glossary's rows: ``[(english forms, japanese, words to avoid), ...]``."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] in ("English", "") or set(cells[0]) <= {"-"}:
            continue
        english = [form.strip() for form in cells[0].split(";") if form.strip()]
        avoid = [word.strip() for word in cells[2].split(";") if word.strip()]
        rows.append((english, cells[1], avoid))
    return rows


def test_the_glossary_holds_the_articles_terms():
    japanese = {row[1] for row in glossary()}
    assert len(glossary()) >= 30
    assert [term for term in ARTICLE_TERMS if term not in japanese] == []


def _prose(text):
    """English text without its code and math, where terms are looked for."""
    return _CODE.sub(" ", _MATH.sub(" ", text)).lower()


@pytest.mark.parametrize("name", NAMES)
def test_the_glossary_terms_are_the_ones_used(name):
    problems = []
    for entry in _catalogue(name):
        if not entry.msgstr:
            continue
        english = _prose(entry.msgid)
        for forms, term, avoid in glossary():
            used = [form for form in forms
                    if re.search(rf"(?<![\w-]){re.escape(form.lower())}(?![\w-])", english)]
            if used and term not in entry.msgstr:
                problems.append(f"{name}, cell {entry.msgctxt}: the English says "
                                f"{used[0]!r}, the translation lacks {term!r}")
            # 単精度 and 倍精度 (single and double precision) are not the 精度 of accuracy.
            japanese = re.sub("[単倍]精度", "", entry.msgstr)
            for word in avoid:
                if word in japanese:
                    problems.append(f"{name}, cell {entry.msgctxt}: {word!r} is used; "
                                    f"the glossary's term is {term!r}")
    assert not problems, "\n".join(problems)


def test_a_changed_english_cell_fails_and_becomes_fuzzy():
    """The staleness check, on a copy: one changed word makes the entry fuzzy."""
    english = _notebook(ENGLISH[0])
    catalogue = make_translations.update_catalogue(_catalogue(ENGLISH[0].name),
                                                   make_translations.english_texts(english),
                                                   ENGLISH[0].name)
    cell = next(c for c in english.cells[1:] if c.cell_type == "markdown")
    cell.source = cell.source.replace(" the ", " a ", 1)
    updated = make_translations.update_catalogue(catalogue,
                                                 make_translations.english_texts(english),
                                                 ENGLISH[0].name)
    entry = next(e for e in updated if e.msgctxt == cell.id)
    assert "fuzzy" in entry.flags and entry.msgid == cell.source
    assert entry.previous_msgid is not None and entry.previous_msgid != cell.source
    japanese = make_translations.translated_notebook(english, updated, "o/r", ENGLISH[0].name)
    assert next(c for c in japanese.cells if c.id == cell.id).source == cell.source
