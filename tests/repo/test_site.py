"""The reading site (``make site``: Sphinx and myst-nb, docs/): built once, warnings as errors.

Its HTML is read as files, then in headless Chromium served from 127.0.0.1 with every other host
blocked (measurements and screenshots go to test-artifacts/). The browser part needs Debian's
``chromium`` and ``playwright``; it is skipped without them, except in CI (``CI=true``). The
transforms of docs/_ext/stored_notebooks.py have quick tests at the end.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("MNIST_LR_CHROMIUM", "/usr/bin/chromium")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
BROWSED = ["index.html", "notebooks/02_model.html", "notebooks/05_weights.html",
           "notebooks/10_honest_score.html"]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "docs" / "_ext")]
import notebook_header  # noqa: E402

slow = pytest.mark.slow


def _skip_or_fail(reason):
    if IN_CI:
        pytest.fail(f"site test cannot run in CI: {reason}")
    pytest.skip(reason)


def _stored_notebooks():
    try:
        import stored_notebooks
    except ImportError as error:  # sphinx is missing: the `site` extra is not installed
        _skip_or_fail(f"the site extra is not installed ({error}): pip install -e '.[site]'")
    return stored_notebooks


# -- the build, read as HTML ------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site, built once with warnings as errors: the folder of its HTML."""
    _stored_notebooks()
    build = tmp_path_factory.mktemp("site")
    out = build / "html"
    start = time.monotonic()
    for source, target in ((ROOT / "docs", out), (ROOT / "docs" / "ja", out / "ja")):
        result = subprocess.run(
            [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-E", "-q", "-b", "html",
             "-d", str(build / f"doctrees-{target.name}"), str(source), str(target)],
            cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, (f"the site build of {source} failed:\n"
                                        f"{result.stdout}\n{result.stderr}")
        assert "WARNING" not in result.stderr, result.stderr
    files = [f for f in out.rglob("*") if f.is_file()]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "site-build.txt").write_text(
        f"site build (sphinx -W -E, {len(NOTEBOOKS)} notebooks in two languages): "
        f"{time.monotonic() - start:.1f} s, "
        f"{sum(f.stat().st_size for f in files) / 2**20:.1f} MiB in {len(files)} files\n")
    return out


def _page(site, name):
    return (site / name).read_text(encoding="utf-8")


@slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_a_notebook_page_shows_the_stored_notebook(site, notebook):
    page = _page(site, f"notebooks/{notebook.stem}.html")
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    outputs = [output.get("data", {}) for cell in cells for output in cell.get("outputs", [])]
    # Launch buttons point at this notebook in the repository named in pyproject.toml.
    repo, branch = notebook_header.repository(), notebook_header.BRANCH
    path = f"notebooks/{notebook.name}"
    assert f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{path}" in page
    assert f"https://colab.research.google.com/github/{repo}/blob/{branch}/{path}" in page
    # Every stored figure, and no badge image.
    shown = re.findall(r'<img [^>]*src="\.\./_images/[^"]+\.png"', page)
    assert len(shown) == sum("image/png" in data for data in outputs)
    assert "badge" not in " ".join(re.findall(r"<img [^>]*>", page))
    # Solutions collapsed; a note in place of each slider widget, nothing of the widget left.
    toggles = re.findall(r'<details class="[^"]*\bhide\b[^"]*"(?![^>]*\bopen\b)[^>]*>\s*'
                         r'<summary[^>]*>\s*<p class="collapsed admonition-title">'
                         r"Show solution</p>", page)
    assert len(toggles) == sum(map(_stored_notebooks().is_solution, cells))
    assert page.count("The sliders need a live Python kernel") == sum(
        "application/vnd.jupyter.widget-view+json" in data for data in outputs)
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert not re.search(r"\b(?:VBox|HBox|IntSlider|FloatSlider|Output)\(", text)
    assert "widget-state+json" not in page and "Error displaying widget" not in text
    assert "google.colab" not in text  # the Colab install cell does nothing here: left out


@slow
def test_site_loads_nothing_from_another_host(site):
    tag = r"<(?:script|link|img|iframe|source)\b[^>]*"
    remote = re.compile(tag + r"""?\b(?:src|href)=["']((?:https?:)?//[^"']+)""", re.IGNORECASE)
    found = {}
    for page in site.rglob("*.html"):
        tags = re.findall(tag + ">", page.read_text(encoding="utf-8"), re.IGNORECASE)
        found[page] = [m.group(1) for m in map(remote.match, tags) if m]
    for sheet in site.rglob("*.css"):
        found[sheet] = re.findall(r"""(?:url\(|@import)\s*["']?((?:https?:)?//[^"')\s]+)""",
                                  sheet.read_text(encoding="utf-8", errors="replace"))
    found = {str(path.relative_to(site)): urls for path, urls in found.items() if urls}
    assert not found, f"resources from other hosts: {found}"
    assert (site / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert list((site / "_static" / "mathjax" / "output" / "chtml" / "fonts").rglob("*.woff"))


@slow
def test_landing_page_tells_the_readme_story(site):
    page = _page(site, "index.html")
    readme_title = re.search(r"^# (.+)$", (ROOT / "README.md").read_text(), re.M).group(1)
    assert html.escape(readme_title, quote=False) in page
    for notebook in NOTEBOOKS:  # the README's table links to each notebook's page
        assert f'href="notebooks/{notebook.stem}.html"' in page
    # The student edition is linked where it exists, and not mentioned where it does not.
    assert ("/tree/main/student" in page) == (ROOT / "student").is_dir()


def test_every_page_links_the_same_page_in_the_other_language(site):
    for name in ["index.html"] + [f"notebooks/{path.stem}.html" for path in NOTEBOOKS]:
        english, japanese = _page(site, name), _page(site, f"ja/{name}")
        up = "../" * name.count("/")
        assert '<html lang="ja"' in japanese, name
        assert f'href="{up}ja/{name}" hreflang="ja"' in english, name
        assert f'href="{up}../{name}" hreflang="en"' in japanese, name
    # The Japanese pages launch the Japanese notebooks.
    page = _page(site, "ja/notebooks/03_training.html")
    assert "tree/ja/notebooks/03_training.ipynb" in page
    assert "labpath=ja%2Fstudent%2F03_training.ipynb" in page


# -- in a real browser, offline ---------------------------------------------------------------


@pytest.fixture(scope="module")
def served(site, serve):
    """The built site on http://127.0.0.1:PORT."""
    return serve(site)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        _skip_or_fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("the playwright package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
            "--disable-background-networking", "--disable-component-update"])
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def offline_page(browser, served):
    """A page that may reach 127.0.0.1 only: ``.page``, ``.blocked`` (the other URLs it asked
    for) and ``.errors`` (its JavaScript errors)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked, errors = [], []

    def route(route):
        if urllib.parse.urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield SimpleNamespace(page=page, blocked=blocked, errors=errors)
    finally:
        context.close()


# TeX that MathJax should have turned into math: $...$, $$...$$, or a command.
RAW_TEX = re.compile(r"\$[^$\n]+\$|\\[()[\]]|\\(?:frac|sum|log|exp|partial|mathbf|hat|cdot|"
                     r"top|alpha|nabla|begin|left|right)\b")


def _visible_prose(page):
    """The text a reader sees in the article, without code cells and outputs."""
    return page.evaluate("""() => {
        const article = document.querySelector('article') || document.body;
        const copy = article.cloneNode(true);
        copy.querySelectorAll('pre, code, mjx-container, .cell_output, script, style')
            .forEach(node => node.remove());
        return copy.innerText;
    }""")


def _check_math(page, name, blocked):
    """Every formula of the page rendered by MathJax, no TeX left as text; returns how many."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    formulas = page.locator(".math").count()  # what MyST made of $...$ and $$...$$
    if formulas:  # Sphinx loads MathJax on pages with math only
        try:
            page.wait_for_function(
                "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                timeout=30_000)
        except PlaywrightTimeout:
            pytest.fail(f"{name}: MathJax did not start within 30 s; blocked requests: {blocked}")
        page.evaluate("() => MathJax.startup.promise")
        rendered = page.locator(".math mjx-container").count()
        assert rendered == formulas, f"{name}: {rendered} of {formulas} formulas rendered"
        assert page.locator("mjx-merror").count() == 0, f"{name}: MathJax reports a TeX error"
    leftover = RAW_TEX.findall(_visible_prose(page))
    assert not leftover, f"{name}: TeX left as text: {leftover[:5]}"
    return formulas


def _check_images(page, name):
    page.evaluate("""async () => {
        for (const img of document.images) img.loading = 'eager';
        await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
    }""")
    broken = page.evaluate("""() => [...document.images]
        .filter(img => !(img.complete && img.naturalWidth > 0))
        .map(img => img.getAttribute('src'))""")
    if name.startswith("notebooks/"):  # every page of the series shows figures
        assert page.locator("img").count() > 0, f"{name}: no images"
    assert not broken, f"{name}: images that did not load: {broken}"


def _check_links(page, name, base, checked):
    links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    internal = {link for link in links if link.startswith(base + "/")}
    assert internal, f"{name}: no internal links"
    failures = []
    for link in sorted(internal - checked):
        url, _, fragment = link.partition("#")
        try:
            with urllib.request.urlopen(url, timeout=10) as reply:
                status, body = reply.status, reply.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:
            status, body = error.code, ""
        if status != 200:
            failures.append(f"{link}: HTTP {status}")
        elif fragment and f'id="{urllib.parse.unquote(fragment)}"' not in body:
            failures.append(f"{link}: no element with id {fragment!r}")
        checked.add(link)
    assert not failures, f"{name}: broken internal links:\n" + "\n".join(failures)


def _assert_offline_and_no_errors(offline_page):
    assert not offline_page.blocked, f"the site tried to reach other hosts: {offline_page.blocked}"
    assert not offline_page.errors, f"JavaScript errors: {offline_page.errors}"


@slow
def test_pages_render_offline_in_a_browser(offline_page, served):
    page, checked, formulas = offline_page.page, set(), 0
    ARTIFACTS.mkdir(exist_ok=True)
    for name in BROWSED:
        page.goto(f"{served}/{name}", wait_until="load", timeout=60_000)
        formulas += _check_math(page, name, offline_page.blocked)
        _check_images(page, name)
        _check_links(page, name, served, checked)
        if name.startswith("notebooks/"):
            # Launch buttons (and the header's links to the student edition of the same
            # notebook); solutions folded away, their code hidden.
            for link in ("a[href*='mybinder.org/v2/gh/'][href*='tree/notebooks']",
                         "a[href*='colab.research.google.com/github/'][href*='/notebooks/']",
                         "a[href*='labpath=student']"):
                assert page.locator(link).count() == 1, (name, link)
            solutions = page.locator("details.hide:has(.collapsed:text-is('Show solution'))")
            assert solutions.count() >= 1, f"{name}: no collapsed solution"
            for i in range(solutions.count()):
                assert solutions.nth(i).get_attribute("open") is None
                assert not solutions.nth(i).locator(".cell_input").first.is_visible()
        if name == "notebooks/05_weights.html":
            page.screenshot(path=str(ARTIFACTS / "site-05_weights.png"), full_page=True)
        if name == "notebooks/02_model.html":
            # "On this page" highlights the section read, and nothing back at the top.
            highlighted = "() => document.querySelectorAll('.page-toc .active').length"
            page.mouse.wheel(0, 100_000)
            page.wait_for_function(f"({highlighted})() > 0", timeout=10_000)
            page.evaluate("() => window.scrollTo(0, 0)")
            page.wait_for_function(f"({highlighted})() === 0", timeout=10_000)
    assert formulas > 0, "no math on any of the pages checked"
    _assert_offline_and_no_errors(offline_page)


def _search_titles(page, url):
    page.goto(url, wait_until="load", timeout=60_000)
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=60_000)
    return results.locator("a").all_inner_texts()


@slow
def test_search_finds_softmax_offline(offline_page, served):
    page = offline_page.page
    titles = _search_titles(page, f"{served}/search.html?q=softmax")
    assert any(title.startswith("02") for title in titles), titles
    # The text under each result is prose: formulas without their TeX, no code.
    page.wait_for_function("() => document.querySelectorAll('#search-results p.context')"
                           ".length >= 3", timeout=60_000)
    snippets = page.locator("#search-results p.context").all_inner_texts()
    assert not [text for text in snippets if "\\" in text or "$" in text], snippets
    assert not [text for text in snippets if "import numpy" in text], snippets
    assert not offline_page.blocked, f"the search reached for other hosts: {offline_page.blocked}"


# The column a reader sees: a laptop's 1366 x 768 window. Code and its output fit
# the column, and a figure is not scaled below readable text (9 px).
COLUMN_PAGES = ["notebooks/02_model.html", "notebooks/05_weights.html",
                "notebooks/09_regularisation.html", "notebooks/10_honest_score.html"]
SMALLEST_TEXT_PX = 9


def _png_dpi(path):
    """The dots per inch a PNG records in its pHYs chunk (matplotlib writes it), or None."""
    data, at = Path(path).read_bytes(), 8
    while at < len(data) and data[at + 4:at + 8] != b"IDAT":
        if data[at + 4:at + 8] == b"pHYs":
            per_metre, unit = int.from_bytes(data[at + 8:at + 12], "big"), data[at + 16]
            return per_metre * 0.0254 if unit == 1 else None
        at += 12 + int.from_bytes(data[at:at + 4], "big")
    return None


@slow
def test_code_outputs_and_figures_fit_the_column(offline_page, served, site):
    import matplotlib

    page = offline_page.page
    page.set_viewport_size({"width": 1366, "height": 768})
    text_pt = matplotlib.rcParams["font.size"]  # the figures' default text size
    checked = 0
    for name in COLUMN_PAGES:
        page.goto(f"{served}/{name}", wait_until="load", timeout=60_000)
        # Unfold the solutions: their code and figures are read too.
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        _check_images(page, name)
        scrolling = page.evaluate("""() => [...document.querySelectorAll('article pre')]
            .filter(pre => pre.scrollWidth > pre.clientWidth)
            .map(pre => pre.innerText.split('\\n').find(line => line.length > 80)
                        || pre.innerText.slice(0, 80))""")
        assert not scrolling, f"{name}: code or output that scrolls sideways: {scrolling}"
        # The figures the notebook drew (its stored outputs), each as the page shows it.
        figures = page.evaluate("""() => [...document.querySelectorAll('article .cell_output img')]
            .map(img => [img.getAttribute('src'), img.clientWidth, img.naturalWidth])""")
        checked += len(figures)
        for src, shown, natural in figures:
            dpi = _png_dpi((site / name).parent / urllib.parse.unquote(src))
            assert dpi, f"{name}: {src} records no dpi"
            text_px = text_pt * dpi / 72 * shown / natural
            assert text_px >= SMALLEST_TEXT_PX, (
                f"{name}: {src} is {natural} px wide, shown at {shown} px: its "
                f"{text_pt:g}-pt text is {text_px:.1f} px")
    assert checked > 0, "no figures on the pages checked"
    assert not offline_page.errors, f"JavaScript errors: {offline_page.errors}"


@slow
def test_a_japanese_page_reads_in_a_browser(offline_page, served):
    if not subprocess.run(["fc-list", ":lang=ja"], capture_output=True, text=True).stdout:
        _skip_or_fail("no Japanese font (apt-get install fonts-ipafont-gothic)")
    page, name = offline_page.page, "ja/notebooks/02_model.html"
    page.goto(f"{served}/{name}", wait_until="load", timeout=60_000)
    assert _check_math(page, name, offline_page.blocked) > 0
    _check_images(page, name)
    _check_links(page, name, served, set())
    assert "交差エントロピー" in _visible_prose(page)
    assert page.locator("details.hide:has(.collapsed:text-is('解答例を表示'))").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "site-ja-02_model.png"))
    page.locator("p.language-switch a").click()
    page.wait_for_url(f"{served}/notebooks/02_model.html", timeout=30_000)
    titles = _search_titles(page, f"{served}/ja/search.html?q=交差エントロピー")
    assert any(title.startswith("02") for title in titles), titles
    _assert_offline_and_no_errors(offline_page)


# -- the read-time transforms (quick) -----------------------------------------------------------


def _cell(kind="code", tags=(), hidden=False, outputs=()):
    meta = {"tags": list(tags)} | ({"jupyter": {"source_hidden": True}} if hidden else {})
    return {"cell_type": kind, "metadata": meta, "source": "x = 1"} | (
        {"outputs": list(outputs)} if kind == "code" else {})


def test_only_solutions_get_a_collapsed_toggle_and_the_colab_cell_is_left_out():
    for_the_site = _stored_notebooks().for_the_site
    notebook = {"metadata": {}, "cells": [_cell(hidden=True), _cell(tags=["solution"]), _cell(),
                                          _cell("markdown", hidden=True)]}
    cells = for_the_site(notebook)["cells"]
    assert ["hide-cell" in c["metadata"]["tags"] for c in cells] == [True, True, False, False]
    assert cells[0]["metadata"]["mystnb"]["code_prompt_show"] == "Show solution"
    assert notebook["cells"][0]["metadata"]["tags"] == []  # the original is left alone
    cells = for_the_site({"cells": [_cell(tags=["colab-install"]), _cell()]})["cells"]
    assert [c["metadata"]["tags"] for c in cells] == [["colab-install", "remove-cell"], []]


def test_a_widget_becomes_a_note_and_its_state_goes():
    def widget(text):
        return {"output_type": "display_data", "metadata": {},
                "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "ab"},
                         "text/plain": [text]}}

    for_the_site = _stored_notebooks().for_the_site
    notebook = {"metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": {}}},
                "cells": [_cell(outputs=[
                    widget("Interactive explorer with sliders for: alpha"),
                    widget("Interactive explorer with sliders for: a, b_c, d"),
                    widget("VBox(children=(IntSlider(),))")])]}
    site = for_the_site(notebook)
    assert "widgets" not in site["metadata"]
    first, second, third = (output["data"] for output in site["cells"][0]["outputs"])
    assert list(first) == list(third) == ["text/markdown"]
    assert first["text/markdown"].startswith(":::{note}\n**This cell has sliders for `alpha`.**")
    assert "for `a`, `b_c` and `d`.**" in second["text/markdown"]
    assert "live Python kernel" in first["text/markdown"]
    assert "VBox" not in third["text/markdown"]  # a raw widget repr is not shown
    japanese = for_the_site(notebook, language="ja")["cells"][0]["outputs"][0]["data"]
    assert "`alpha` のスライダー" in japanese["text/markdown"]


def test_the_readme_links_pages_of_its_own_language_and_github_for_the_rest():
    readme_for_site = _stored_notebooks().readme_for_site
    text = ("[01](ja/notebooks/01_data.ipynb) [en](notebooks/01_data.ipynb) "
            "![w](docs/images/weights.png) [licence](LICENSE) [top](#the-data)")
    assert readme_for_site(text, "B/", "ja/", "../images") == (
        "[01](notebooks/01_data.ipynb) [en](B/notebooks/01_data.ipynb) "
        "![w](../images/weights.png) [licence](B/LICENSE) [top](#the-data)")
    assert readme_for_site(text, "B/").startswith("[01](B/ja/notebooks/01_data.ipynb) "
                                                  "[en](notebooks/01_data.ipynb) "
                                                  "![w](images/weights.png)")


def test_the_language_switch_points_at_the_same_page():
    switch = _stored_notebooks().language_switch
    assert 'href="../ja/notebooks/02_model.html"' in switch("notebooks/02_model", "en", "")
    assert 'href="../index.html"' in switch("index", "ja", "ja/")
    assert ">English<" in switch("index", "ja", "ja/")


def test_mirror_copies_the_notebooks_and_drops_stale_ones(tmp_path):
    mirror = _stored_notebooks().mirror_notebooks
    source, target = tmp_path / "notebooks", tmp_path / "docs" / "notebooks"
    for path in (source / "01_a.ipynb", target / "99_gone.ipynb"):
        path.parent.mkdir(parents=True)
        path.write_text("{}")
    assert mirror(source, target) == ["01_a.ipynb"]
    assert sorted(p.name for p in target.iterdir()) == ["01_a.ipynb"]
    (source / "01_a.ipynb").unlink()
    with pytest.raises(Exception, match="has no \\*.ipynb files"):
        mirror(source, target)
