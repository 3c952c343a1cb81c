"""Sphinx configuration of the reading site (``make site``).

The site is the README and the ten notebooks with the outputs stored in them;
no notebook is ever executed here. The build copies the repository's
``notebooks/`` into ``docs/notebooks/`` (git-ignored), so every page has the
path on the site that its notebook has in the repository
(``notebooks/03_training.ipynb`` becomes ``notebooks/03_training.html``): the
README's links work unchanged, and the launch buttons open the right file.

The repository's address is read from ``[project.urls] Source`` in
``pyproject.toml``, the one place it is written.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path[:0] = [str(DOCS / "_ext"), str(ROOT / "scripts")]
import notebook_header  # noqa: E402  (reads and checks [project.urls] Source)

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
REPOSITORY = notebook_header.repository()  # "owner/name"
REPOSITORY_URL = f"https://github.com/{REPOSITORY}"
BRANCH = notebook_header.BRANCH

project = PROJECT["name"]
# The one version number lives in mnist_lr/__init__.py (pyproject reads it from there).
release = version = re.search(
    r'^__version__ = "([^"]+)"', (ROOT / "mnist_lr" / "__init__.py").read_text(encoding="utf-8"),
    re.MULTILINE).group(1)
author = PROJECT["authors"][0]["name"]
html_show_copyright = False  # the licence is in the README; the footer names the authors
html_title = "mnist-lr: logistic regression on MNIST, from scratch"

extensions = [
    "myst_nb",
    "sphinx.ext.mathjax",
    "sphinx.ext.githubpages",  # a .nojekyll file, so GitHub Pages serves _static/ and _images/
    "stored_notebooks",  # docs/_ext: solutions collapsed, sliders explained, MathJax copied
]

# Only these are pages: the landing page and the notebooks (not docs/*.md
# contributor notes, not the student edition).
root_doc = "index"
include_patterns = ["index.md", "notebooks/[0-9][0-9]_*.ipynb"]
# Links to repository files that are not pages (student/, LICENSE, docs/*.md) go to GitHub.
stored_notebooks_blob = f"{REPOSITORY_URL}/blob/{BRANCH}/"

# -- notebooks: shown as stored ----------------------------------------------------------------
nb_execution_mode = "off"
# Widget outputs become notes (stored_notebooks), so no widget JavaScript is
# needed; an empty mapping also keeps myst-nb from adding it from a CDN.
nb_ipywidgets_js = {}
# The slider notes are MyST markdown (a note directive).
nb_render_markdown_format = "myst"

# -- MyST ----------------------------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "substitution"]
myst_heading_anchors = 3  # the README links to its own sections (#the-data)

# The student edition (student/, generated from notebooks/) is linked from the
# landing page once it exists; the `only` block in index.md needs this tag.
if (ROOT / "student").is_dir():
    tags.add("student_edition")  # noqa: F821  (Sphinx provides `tags`)
myst_substitutions = {
    "student_links": (
        f"[browse it]({REPOSITORY_URL}/tree/{BRANCH}/student) or "
        f"[open it on Binder](https://mybinder.org/v2/gh/{REPOSITORY}/HEAD"
        f"?urlpath=lab/tree/student)"
    ),
}

# -- math: MathJax from a local copy, never a CDN ----------------------------------------------
# stored_notebooks copies MathJax into _static/mathjax after the build.
mathjax_path = "mathjax/tex-chtml.js"

# -- HTML ----------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_theme_options = {
    "repository_url": REPOSITORY_URL,
    "repository_branch": BRANCH,
    # The launch buttons append the page's name to this path: pages have the
    # notebooks' own paths (see above), so the repository root is right.
    "path_to_docs": "",
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com",
        "notebook_interface": "jupyterlab",
    },
    "use_repository_button": True,
    "use_download_button": True,
    "home_page_in_toc": True,
    "show_toc_level": 2,
}
html_last_updated_fmt = None
# Search results that show prose, and an "On this page" highlight that clears
# at the top of the page (docs/_static/).
html_static_path = ["_static"]
html_js_files = ["search-snippets.js", "toc-top.js"]
# A light page unless the reader picks another mode (without it the theme
# starts from an empty mode and logs "Got invalid theme mode" on a first visit).
html_context = {"default_mode": "light"}
