"""Every decimal number in the notebooks' prose was measured by the series.

After the notebooks are re-executed, a sentence that still quotes an old value
is easy to miss. Each decimal number of a markdown cell (92.74%, 0.335, 1.1e-16)
must be printed by some code cell of the series, allowing for rounding (92.7
matches a printed 92.74), or written in one (a learning rate of 0.24). The few
that come from elsewhere (the article, a paper) are in ``EXPLAINED``, with a reason.
"""

from __future__ import annotations

import functools
import json
import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# A decimal number: digits, a point, digits, an optional exponent (1.1e-16).
# Thousands separators (67,671) make integers, which are not checked.
DECIMAL = re.compile(r"(?<![\w.,])(\d+\.\d+(?:e[-+−]?\d+)?)(?![\w.]*\d)")
# Inline LaTeX and links hold formulas and addresses, not measurements.
SKIP = re.compile(r"\$[^$]*\$|\]\([^)]*\)|<[^>]*>")

# (notebook prefix, number as written): why it need not be printed.
EXPLAINED = {
    ("03", "92.7"): "the article's 'about 92%' rounded in the standard-error exercise",
    ("10", "12.0"): "LeCun et al. (1998), linear classifier test error, quoted",
    ("10", "8.4"): "LeCun et al. (1998), deskewed linear classifier, quoted",
    ("10", "7.6"): "LeCun et al. (1998), pairwise linear classifier, quoted",
    ("10", "92.54"): "the test set's history: an earlier version's test score (C = 1)",
    ("10", "94.79"): "the test set's history: an earlier version's test score (deskewed model)",
    ("10", "92.43"): "the test set's history: an earlier version's test score (60,000 images)",
    ("10", "92.47"): "the test set's history: an earlier version's test score (50,000 images)",
    ("10", "93.14"): "the test set's history: an earlier version's test score (raw-trained, "
                     "deskewed test images)",
}


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _numbers(text):
    """The decimal numbers written in ``text``, as strings."""
    return [match.replace("−", "-") for match in DECIMAL.findall(SKIP.sub(" ", text))]


@functools.cache
def _measured_pool():
    """Every number printed by a code cell, or written in one, across the series."""
    pool = set()
    for cell in (cell for path in NOTEBOOKS for cell in _cells(path)):
        if cell["cell_type"] == "code":
            text = " ".join(["".join(cell["source"])] + [
                "".join(output.get("text", "")) + " "
                + "".join(output.get("data", {}).get("text/plain", ""))
                for output in cell.get("outputs", [])])
            pool.update(map(Decimal, re.findall(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?", text)))
    return frozenset(pool)


def matches(written, pool):
    """True if ``written`` (a string such as '92.7') is some number in ``pool`` rounded.

    Both rounding rules count (f-strings round half to even, a person half up),
    and a fraction printed as 0.9274 also backs a percentage written as 92.74.
    """
    target = Decimal(written)
    if "e" in written.lower():
        mantissa = written.lower().split("e")[0]
        places = Decimal(1).scaleb(-len(mantissa.split(".")[1])) if "." in mantissa else 1
        return any(value != 0 and _same_in_exponent(value, target, places) for value in pool)
    quantum = Decimal(1).scaleb(target.as_tuple().exponent)
    return any(candidate.quantize(quantum, rounding=rule) == target
               for value in pool for candidate in (value, value * 100)
               for rule in (ROUND_HALF_EVEN, ROUND_HALF_UP))


def _same_in_exponent(value, target, places):
    exponent = target.adjusted()
    if abs(value.adjusted() - exponent) > 1:  # another order of magnitude (and no overflow)
        return False
    return (value.scaleb(-exponent).quantize(places, rounding=ROUND_HALF_EVEN)
            == target.scaleb(-exponent).quantize(places))


def test_the_matcher_accepts_rounding_and_rejects_stale_numbers():
    pool = {Decimal("92.7412"), Decimal("0.3354"), Decimal("1.1e-16"), Decimal("0.9125")}
    for written in ["92.74", "92.7", "0.335", "1.1e-16", "91.25", "91.2", "91.3"]:
        assert matches(written, pool), written
    for stale in ["92.75", "0.336", "2.2e-16", "91.24"]:
        assert not matches(stale, pool), stale


def test_numbers_are_found_in_prose_but_not_in_formulas_or_links():
    text = "92.74% after 1.5 epochs, $e^{0.5}$, [x](a/0.12.html), 67,671 and 1.1e-16."
    assert _numbers(text) == ["92.74", "1.5", "1.1e-16"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_every_decimal_in_the_prose_was_measured(path):
    stale = [f"cell {index}: {written}" for index, cell in enumerate(_cells(path))
             if cell["cell_type"] == "markdown" for written in _numbers("".join(cell["source"]))
             if (path.name[:2], written) not in EXPLAINED
             and not matches(written, _measured_pool())]
    assert not stale, (
        f"{path.name}: numbers in the prose that no code cell printed (stale after a re-run?); "
        f"fix the text, or explain them in EXPLAINED: {stale}")


def test_the_readme_table_of_notebooks_quotes_measured_numbers():
    """The README's one-row-per-notebook table repeats the notebooks' key results."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if re.match(r"\| \[\d\d ", line)]
    assert len(rows) >= 10, "the README's table of notebooks was not found"
    stale = [f"{row.split('|')[1].strip()}: {written}" for row in rows
             for written in _numbers(row.split("|", 3)[3])  # the columns after the link
             if not matches(written, _measured_pool())]
    assert not stale, f"README numbers that no notebook printed: {stale}"
