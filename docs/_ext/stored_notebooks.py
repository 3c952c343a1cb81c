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
import re
import shutil
from importlib import metadata
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.fileutil import copy_asset

SOLUTION_TAG = "solution"
COLAB_TAG = "colab-install"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: What the sliders' note says, on every page that stores a widget.
SLIDER_NOTE = (
    "The sliders need a live Python kernel, which a static page does not have. "
    "Open this notebook on Binder or Colab (the rocket button at the top of the page), "
    "or on your own machine in JupyterLab (`make lab`), and run it."
)

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


# -- the notebook, as the site reads it ------------------------------------------------------


def is_solution(cell):
    """True for a code cell that holds a solution: hidden source, or the ``solution`` tag."""
    if cell.get("cell_type") != "code":
        return False
    meta = cell.get("metadata", {})
    return meta.get("jupyter", {}).get("source_hidden", False) or SOLUTION_TAG in meta.get(
        "tags", []
    )


def _widget_note(output):
    """A MyST note that stands in for one stored widget output."""
    description = "".join(output["data"].get("text/plain", "")).strip().strip("'\"")
    # A bare widget repr such as "VBox(children=...)" says nothing to a reader.
    if not description or re.match(r"^\w+\(", description):
        description = "Interactive sliders"
    return f":::{{note}}\n**{description.rstrip('.')}.** {SLIDER_NOTE}\n:::\n"


def for_the_site(notebook):
    """A copy of ``notebook`` (a dict in nbformat 4) arranged for reading on a static page.

    Solutions get the ``hide-cell`` tag and a "Show solution" prompt; the Colab
    install cell gets ``remove-cell``; each widget output becomes a markdown
    note; the stored widget state goes.
    """
    notebook = copy.deepcopy(notebook)
    notebook.get("metadata", {}).pop("widgets", None)
    for cell in notebook.get("cells", []):
        meta = cell.setdefault("metadata", {})
        tags = meta.setdefault("tags", [])
        if is_solution(cell):
            tags.append("hide-cell")
            meta.setdefault("mystnb", {}).update(
                code_prompt_show="Show solution", code_prompt_hide="Hide solution"
            )
        if COLAB_TAG in tags:
            tags.append("remove-cell")
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                output["data"] = {"text/markdown": _widget_note(output)}
                output["metadata"] = {}
    return notebook


def _on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if Path(app.env.doc2path(docname)).suffix != ".ipynb":
        return
    notebook = json.loads(source[0])
    source[0] = json.dumps(for_the_site(notebook), ensure_ascii=False)


# -- no remote images ---------------------------------------------------------------------


def _is_remote(uri):
    return re.match(r"^[a-z][a-z0-9+.-]*://", uri or "", flags=re.IGNORECASE) is not None


def _is_badge_paragraph(paragraph):
    """A paragraph of nothing but links that wrap remote images (a badge line)."""
    links = [child for child in paragraph.children
             if not (isinstance(child, nodes.Text) and not child.strip())]
    return bool(links) and all(
        isinstance(link, nodes.reference)
        and len(link.children) == 1
        and isinstance(link.children[0], nodes.image)
        and _is_remote(link.children[0].get("uri"))
        for link in links
    )


def _no_remote_images(app: Sphinx, doctree: nodes.document) -> None:
    is_notebook = Path(doctree.get("source", "")).suffix == ".ipynb"
    if is_notebook:
        for paragraph in list(doctree.findall(nodes.paragraph)):
            if _is_badge_paragraph(paragraph):
                paragraph.parent.remove(paragraph)
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
    app.connect("config-inited", _on_config_inited)
    app.connect("source-read", _on_source_read)
    app.connect("doctree-read", _no_remote_images)
    app.connect("build-finished", _copy_mathjax)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
