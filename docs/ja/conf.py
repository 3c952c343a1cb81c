"""Sphinx configuration of the Japanese reading site: ``ja/`` of the site (``make site``).

Everything is as on the English site (``docs/conf.py``, read first), except
the language, the notebooks (``ja/notebooks/``, written by
scripts/make_translations.py) and the landing page (``README.ja.md``). The
build copies ``ja/notebooks/`` into ``docs/ja/notebooks/`` (git-ignored).
"""

from pathlib import Path

# The English configuration, run as if it were this file: its paths stay its own.
_ENGLISH = Path(__file__).resolve().parents[1] / "conf.py"
_THIS, __file__ = __file__, str(_ENGLISH)
exec(compile(_ENGLISH.read_text(encoding="utf-8"), __file__, "exec"))
__file__ = _THIS

language = "ja"  # the theme's words and the search (Japanese word splitting)
html_search_options = {"type": "stored_notebooks.JapaneseSplitter"}
html_title = "mnist-lr: NumPy でゼロから書く MNIST のロジスティック回帰"
stored_notebooks_source = "../../ja/notebooks"
stored_notebooks_readme = "../../README.ja.md"
stored_notebooks_prefix = "ja/"
html_static_path = ["../_static"]  # the English site's scripts, from this folder
# The launch buttons open ja/notebooks/NN_name.ipynb.
html_theme_options = {**html_theme_options, "path_to_docs": "ja/"}  # noqa: F821 (from conf.py)
myst_substitutions = {
    "student_links": (
        f"[一覧]({REPOSITORY_URL}/tree/{BRANCH}/ja/student)、"  # noqa: F821
        f"[Binder で開く](https://mybinder.org/v2/gh/{REPOSITORY}/HEAD"  # noqa: F821
        f"?urlpath=lab/tree/ja/student)"
    ),
}
