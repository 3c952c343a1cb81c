"""How the stored notebooks read on the static site, and what keeps the site offline.

Sphinx reads pages only from its source folder, so when the build starts the
repository's notebooks are copied into ``docs/notebooks/`` (git-ignored;
never edit the copies): each page then has the path its notebook has in the
repository, and links such as the README's ``notebooks/03_training.ipynb``
work unchanged.

The site shows each notebook exactly as stored: nothing is executed, and the
repository's files are never changed. At read time this extension only
changes how a few cells and outputs are presented:

- a solution (a code cell whose source is hidden in JupyterLab, or tagged
  ``solution``) stays collapsed behind a "Show solution" toggle, its output
  included, since the output gives the answer away too;
- the Colab install cell (tag ``colab-install``), which does nothing off
  Colab, is left out;
- a live widget (the sliders) cannot run on a static page: its stored output
  becomes a note saying where the sliders do work, and the stored widget
  state is dropped;
- a paragraph of remote badge images (the Binder and Colab badges) is dropped
  from a notebook page, whose header has launch buttons for the same thing;
  anywhere else a remote image becomes a text link with its alt text. The
  site loads nothing from the network.

After the build, the parts of MathJax that the pages use are copied from the
``sphinx-mathjax-offline`` package into ``_static/mathjax`` (``conf.py`` sets
``mathjax_path`` to match).
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
from importlib import metadata
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.search.ja import DefaultSplitter
from sphinx.util.fileutil import copy_asset

#: The README's figures (docs/images/), shared by both languages of the site.
DOCS_IMAGES = Path(__file__).resolve().parents[1] / "images"
SOLUTION_TAG = "solution"
COLAB_TAG = "colab-install"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: The words the site adds to a page, in each language of the site (Sphinx's
#: ``language``): what the sliders' note says, on every page that stores a
#: widget; the solution toggle; the link to the same page in the other language.
WORDS = {
    "en": {
        "slider note": (
            "The sliders need a live Python kernel, which a static page does not have. "
            "Open this notebook on Binder or Colab (the rocket button at the top of the page), "
            "or on your own machine in JupyterLab (`make lab`), and run it."),
        "show": "Show solution",
        "hide": "Hide solution",
        "other language": "日本語",
    },
    "ja": {
        "slider note": (
            "スライダーを動かすには Python のカーネルが必要ですが、静的なページにはありません。"
            "このノートブックを Binder か Colab で開くか（ページ上部のロケットのボタン）、"
            "手元の JupyterLab で開いて（`make lab`）実行してください。"),
        "show": "解答例を表示",
        "hide": "解答例を隠す",
        "other language": "English",
    },
}

#: MathJax 3 as the pages load it: the combined TeX-to-HTML component and its
#: fonts, plus what it fetches on demand (TeX extensions, the right-click menu,
#: the accessibility tools and their speech rules).
MATHJAX_PARTS = (
    "tex-chtml.js",
    "output/chtml/fonts/woff-v2",
    "input/tex/extensions",
    "ui",
    "a11y",
    "sre",
)
MATHJAX_PACKAGE = "sphinx-mathjax-offline"


# -- the notebooks, inside the source folder ----------------------------------------------


def mirror_notebooks(source, target):
    """Make ``target`` hold exact copies of the ``*.ipynb`` files in ``source``, and no others.

    Copies keep their modification time, so Sphinx rereads only notebooks
    that changed. Returns the names copied.
    """
    source, target = Path(source), Path(target)
    notebooks = sorted(source.glob("*.ipynb"))
    if not notebooks:
        raise ExtensionError(f"no notebooks to show: {source} has no *.ipynb files")
    target.mkdir(parents=True, exist_ok=True)
    for stale in set(target.glob("*.ipynb")) - {target / path.name for path in notebooks}:
        stale.unlink()
    for path in notebooks:
        mirrored = target / path.name
        if not mirrored.exists() or mirrored.read_bytes() != path.read_bytes():
            shutil.copy2(path, mirrored)
    return [path.name for path in notebooks]


def _on_config_inited(app: Sphinx, config) -> None:
    source = Path(app.confdir, config.stored_notebooks_source).resolve()
    mirror_notebooks(source, Path(app.srcdir, "notebooks"))
    readme = Path(app.confdir, config.stored_notebooks_readme).read_text(encoding="utf-8")
    text = readme_for_site(readme, config.stored_notebooks_blob,
                           config.stored_notebooks_prefix,
                           os.path.relpath(DOCS_IMAGES, app.srcdir))
    target = Path(app.srcdir, "_readme.md")
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


# A markdown link or image target: ](target) or ](target "title").
_LINK = re.compile(r"\]\((?!#|[a-z][a-z0-9+.-]*:)([^)\s]+)")


def readme_for_site(text, blob, prefix="", images="images"):
    """The README with its links made to work from the site's landing page.

    Links to notebooks stay (they are pages of the site; ``prefix`` is the
    folder of the repository the site stands for: ``ja/`` for the Japanese
    one), the README's images are found in ``images`` (``docs/images``, seen
    from the site's source folder), and links to any other file of the
    repository (the student edition, the licences, contributor notes) go to
    the file on GitHub (``blob`` is its base address), since the site does
    not hold them.
    """
    def target(match):
        path = match.group(1)
        if path.startswith(prefix + "notebooks/"):
            return "](" + path.removeprefix(prefix)
        if path.startswith("docs/images/"):
            return "](" + images + "/" + path.removeprefix("docs/images/")
        return "](" + blob + path
    return _LINK.sub(target, text)


def _outside_links(source, blob):
    """A notebook's links to other folders of the repository, pointed at GitHub."""
    return re.sub(r"\]\(\.\./(?!notebooks/)([^)\s]+)", lambda m: "](" + blob + m.group(1), source)


# -- the notebook, as the site reads it ------------------------------------------------------


def is_solution(cell):
    """True for a code cell that holds a solution: hidden source, or the ``solution`` tag."""
    if cell.get("cell_type") != "code":
        return False
    meta = cell.get("metadata", {})
    return meta.get("jupyter", {}).get("source_hidden", False) or SOLUTION_TAG in meta.get(
        "tags", []
    )


def _widget_note(output, language="en"):
    """A MyST note that stands in for one stored widget output.

    The explorers' plain-text form ends in the names of their sliders
    ("... sliders for: learning_rate, batch_size"); the note names them.
    """
    text = "".join(output["data"].get("text/plain", ""))
    names = re.findall(r"\w+", text.partition("sliders for:")[2])
    words = WORDS[language]
    if not names:
        return f":::{{note}}\n{words['slider note']}\n:::\n"
    quoted = [f"`{name}`" for name in names]
    if language == "ja":
        listed = "、".join(quoted)
        lead = f"**このセルには {listed} のスライダーがあります。**"
    else:
        listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
        lead = f"**This cell has sliders for {listed}.**"
    return f":::{{note}}\n{lead} {words['slider note']}\n:::\n"


def for_the_site(notebook, blob="", language="en"):
    """A copy of ``notebook`` (a dict in nbformat 4) arranged for reading on a static page.

    Solutions get the ``hide-cell`` tag and a "Show solution" prompt; the Colab
    install cell gets ``remove-cell``; each widget output becomes a markdown
    note; the stored widget state goes; links to other folders of the
    repository (``../student/...``) go to GitHub, at ``blob``. The words
    added are in ``language`` (a key of ``WORDS``).
    """
    words = WORDS[language]
    notebook = copy.deepcopy(notebook)
    notebook.get("metadata", {}).pop("widgets", None)
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown" and blob:
            text = "".join(cell.get("source", ""))
            cell["source"] = _outside_links(text, blob)
        meta = cell.setdefault("metadata", {})
        tags = meta.setdefault("tags", [])
        if is_solution(cell):
            tags.append("hide-cell")
            meta.setdefault("mystnb", {}).update(
                code_prompt_show=words["show"], code_prompt_hide=words["hide"]
            )
        if COLAB_TAG in tags:
            tags.append("remove-cell")
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                output["data"] = {"text/markdown": _widget_note(output, language)}
                output["metadata"] = {}
    return notebook


def _on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if Path(app.env.doc2path(docname)).suffix != ".ipynb":
        return
    notebook = json.loads(source[0])
    config = app.config
    source[0] = json.dumps(for_the_site(notebook, config.stored_notebooks_blob
                                        + config.stored_notebooks_prefix, _language(config)),
                           ensure_ascii=False)


def _language(config):
    return "ja" if (config.language or "en").startswith("ja") else "en"


# -- the same page in the other language --------------------------------------------------


def language_switch(pagename, language, prefix):
    """The HTML of the link from page ``pagename`` to the same page in the other language.

    The English site is the root; the Japanese one is its ``ja/`` folder
    (``prefix`` is the folder of the site that holds the page).
    """
    up = "../" * pagename.count("/")
    other = "../" if prefix else "ja/"
    lang = "en" if prefix else "ja"
    return (f'<p class="language-switch"><a href="{up}{other}{pagename}.html" hreflang="{lang}" '
            f'lang="{lang}">{WORDS[language]["other language"]}</a></p>\n')


def _on_page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if "body" in context and doctree is not None:
        config = app.config
        context["body"] = (language_switch(pagename, _language(config),
                                           config.stored_notebooks_prefix) + context["body"])


# -- Japanese search ----------------------------------------------------------------------


class JapaneseSplitter(DefaultSplitter):
    """Sphinx's Japanese word splitter, plus every run of kanji and katakana kept whole.

    The index gets TinySegmenter's pieces (交差 and エントロピー), but the
    search page does not split a query the same way: it looks up
    交差エントロピー as typed. Indexing each run of two or more kanji and
    katakana as one word too lets such a term be found (``docs/ja/conf.py``
    selects this class through ``html_search_options``).
    """

    def split(self, input):
        return super().split(input) + re.findall(r"[\u30a0-\u30ff\u4e00-\u9fff]{2,}", input)


# -- no remote images ---------------------------------------------------------------------


def _is_remote(uri):
    return re.match(r"^[a-z][a-z0-9+.-]*://", uri or "", flags=re.IGNORECASE) is not None


def _is_badge(node):
    """A link that wraps a remote image: a Binder or Colab badge."""
    return (isinstance(node, nodes.reference) and len(node.children) == 1
            and isinstance(node.children[0], nodes.image)
            and _is_remote(node.children[0].get("uri")))


def _drop_badges(paragraph):
    """Remove a notebook header's badges (the page has launch buttons); keep any other text.

    The teacher notebooks' badge line goes on with a link to the student
    edition; that part stays, without the separator that led into it.
    """
    badges = [child for child in paragraph.children if _is_badge(child)]
    if not badges:
        return
    for badge in badges:
        paragraph.remove(badge)
    rest = [child for child in paragraph.children
            if not (isinstance(child, nodes.Text) and not child.strip(" ·\n"))]
    if not rest:
        paragraph.parent.remove(paragraph)
        return
    while isinstance(paragraph.children[0], nodes.Text):
        first = paragraph.children[0]
        text = str(first).lstrip(" ·\n")
        if text:
            paragraph.replace(first, nodes.Text(text[0].upper() + text[1:]))
            break
        paragraph.remove(first)


def _no_remote_images(app: Sphinx, doctree: nodes.document) -> None:
    is_notebook = Path(doctree.get("source", "")).suffix == ".ipynb"
    if is_notebook:
        for paragraph in list(doctree.findall(nodes.paragraph)):
            _drop_badges(paragraph)
    for image in list(doctree.findall(nodes.image)):
        if _is_remote(image.get("uri")):
            image.replace_self(nodes.Text(image.get("alt") or image["uri"]))


# -- MathJax from a local copy ---------------------------------------------------------------


def mathjax_source():
    """The folder of MathJax files that the ``sphinx-mathjax-offline`` package ships."""
    try:
        dist = metadata.distribution(MATHJAX_PACKAGE)
    except metadata.PackageNotFoundError:
        raise ExtensionError(
            f"{MATHJAX_PACKAGE} is not installed: pip install -e '.[site]'"
        ) from None
    return Path(dist.locate_file(f"{MATHJAX_PACKAGE}/static/mathjax"))


def _copy_mathjax(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source = mathjax_source()
    target = Path(app.outdir, "_static", "mathjax")
    for part in MATHJAX_PARTS:
        if not (source / part).exists():
            raise ExtensionError(f"MathJax file missing from {MATHJAX_PACKAGE}: {part}")
        destination = target / part
        if (source / part).is_dir():
            copy_asset(source / part, destination)
        else:
            copy_asset(source / part, destination.parent)


def setup(app: Sphinx):
    # Where the repository keeps its notebooks, relative to the folder of conf.py.
    app.add_config_value("stored_notebooks_source", "../notebooks", "env", str)
    # The repository's files on GitHub, for links to files the site does not hold.
    app.add_config_value("stored_notebooks_blob", "", "env", str)
    # The landing page's text, relative to the folder of conf.py.
    app.add_config_value("stored_notebooks_readme", "../README.md", "env", str)
    # The repository folder this site stands for: "" (English) or "ja/" (Japanese).
    app.add_config_value("stored_notebooks_prefix", "", "env", str)
    app.connect("config-inited", _on_config_inited)
    app.connect("html-page-context", _on_page_context)
    app.connect("source-read", _on_source_read)
    app.connect("doctree-read", _no_remote_images)
    app.connect("build-finished", _copy_mathjax)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
