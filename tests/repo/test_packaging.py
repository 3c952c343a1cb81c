"""The project's promises about itself: dependency lists, pins, hosting, README and CI agree."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
sys.path.insert(0, str(ROOT / "scripts"))
import notebook_header  # noqa: E402

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
EXTRAS = PROJECT["optional-dependencies"]
ENVIRONMENT = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
README = (ROOT / "README.md").read_text()
MAKEFILE = (ROOT / "Makefile").read_text()


def _name(requirement):
    return re.split(r"[<>=!~ \[;@]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def _normalise(requirement):
    # conda has no environment markers: "tomli>=2.0; python_version < '3.11'" -> "tomli>=2.0"
    return requirement.split(";")[0].replace(" ", "").lower()


# -- the learner's environment and the Makefile ---------------------------------


def test_environment_yml_is_python_and_the_runtime_and_notebook_packages_only():
    wanted = ["python" + PROJECT["requires-python"], "pip", *PROJECT["dependencies"],
              *EXTRAS["notebooks"]]
    conda = [dep for dep in ENVIRONMENT if isinstance(dep, str)]
    assert sorted(map(_normalise, conda)) == sorted(map(_normalise, wanted))
    # No test tools in a learner's environment: they come with `make test`.
    assert not {_name(t) for t in EXTRAS["test"] + EXTRAS["integration"]} & set(map(_name, conda))
    assert [dep["pip"] for dep in ENVIRONMENT if isinstance(dep, dict)] == [["-e ."]]


def _make_dry_run(target, venv, *variables):
    """The commands ``make -n TARGET`` would run with the environment in ``venv``."""
    result = subprocess.run(["make", "-n", "-C", str(ROOT), target, f"VENV={venv}", *variables],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_lab_installs_the_notebook_extra_only(tmp_path):
    commands = _make_dry_run("lab", tmp_path / "venv", "LAB_ARGS=--port 8889")
    assert "-m venv" in commands
    # The one set of extras installed: no test tools for a reader.
    assert re.findall(r'pip install --quiet -e "\.\[([\w,]+)\]"', commands) == ["notebooks"]
    (lab,) = [line for line in commands.splitlines() if "jupyter lab" in line]
    assert "--port 8889" in lab and lab.endswith("notebooks/")


def test_make_test_installs_every_extra_and_after_make_lab_only_that(tmp_path):
    venv, every = tmp_path / "venv", 'pip install --quiet -e ".[notebooks,test,integration,site]"'
    fresh = _make_dry_run("test", venv)
    assert "-m venv" in fresh and every in fresh
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    (venv / ".installed-notebooks").touch()  # as `make lab` leaves it
    after_lab = _make_dry_run("test", venv)
    assert "-m venv" not in after_lab and every in after_lab
    (venv / ".installed-test").touch()
    for target in ("test", "lab"):  # everything in place: nothing to install
        assert "pip install" not in _make_dry_run(target, venv)
    assert {"playwright", "jupyter-repo2docker"} <= set(map(_name, EXTRAS["integration"]))


@pytest.mark.parametrize("target, wanted, unwanted", [
    ("lab", "$(LAB_SETTINGS)", None),
    ("reset", "git checkout -- notebooks", None),
    ("test", "--nbval", "not slow"),
    ("test-quick", '-m "not slow"', "--nbval"),  # the quick tests skip the slow ones
])
def test_make_recipe_does_what_the_readme_says(target, wanted, unwanted):
    recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", MAKEFILE, flags=re.MULTILINE).group(1)
    assert wanted in recipe and (unwanted is None or unwanted not in recipe), recipe
    assert f"make {target}" in README


def test_make_lab_turns_off_the_news_pop_up_for_this_server_only():
    assert '--LabApp.app_settings_dir="$(CURDIR)/binder/jupyterlab-settings"' in MAKEFILE
    settings = json.loads((ROOT / "binder" / "jupyterlab-settings" / "overrides.json").read_text())
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert {"make lab", "make test"} <= set(re.findall(r"^\s*(make [\w-]+)\s*$", README, re.M))
    # The README's command, under a time limit of its own (`timeout ... make test`).
    assert re.search(r"^\s*(timeout [-\w= ]+ )?make test\s*$", ci, flags=re.MULTILINE)
    assert "test-quick" not in ci  # the quick variant is for contributors, never CI


# -- the package's metadata, licences and README --------------------------------


def test_one_version_number():
    """The version is written once, as mnist_lr.__version__; the build reads it from there."""
    import importlib.metadata

    import mnist_lr

    assert "version" not in PROJECT and "version" in PROJECT["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "mnist_lr.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", mnist_lr.__version__)
    assert importlib.metadata.version("mnist-lr") == mnist_lr.__version__


def test_classifiers_and_urls():
    classifiers = PROJECT["classifiers"]
    minor = sorted(int(m.group(1)) for c in classifiers
                   if (m := re.fullmatch(r"Programming Language :: Python :: 3\.(\d+)", c)))
    lowest = int(re.fullmatch(r">=3\.(\d+)", PROJECT["requires-python"]).group(1))
    assert minor == list(range(lowest, 14)), minor  # 3.10 to 3.13, none left out
    assert {"Intended Audience :: Education",
            "Topic :: Scientific/Engineering :: Artificial Intelligence"} <= set(classifiers)
    urls = PROJECT["urls"]
    assert urls["Issues"] == urls["Source"].rstrip("/").removesuffix(".git") + "/issues"


def test_code_is_bsd_and_prose_and_figures_are_cc_by_4():
    assert "Redistribution and use in source and binary forms" in (ROOT / "LICENSE").read_text()
    url = "https://creativecommons.org/licenses/by/4.0/"
    notice = (ROOT / "LICENSE-CONTENT.md").read_text()
    assert url in notice and "BSD 3-Clause" in notice
    assert url in README and "(LICENSE-CONTENT.md)" in README and "(LICENSE)" in README


def test_readme_links_lead_somewhere():
    targets = {t.split("#")[0] for t in re.findall(r"\]\(([^)\s]+)\)", README)
               if not re.match(r"[a-z]+:|#", t)}
    # student/ is generated by `make student`, and checked by its own test.
    missing = sorted(t for t in targets if not (ROOT / t).exists() and
                     not t.startswith("student/"))
    assert not missing, f"README.md links to missing files: {missing}"
    for page in ("docs/CONTRIBUTING.md", "docs/performance.md", "docs/images/weights.png",
                 "LICENSE-CONTENT.md", "student/01_data.ipynb"):
        assert page in targets, f"README.md does not link {page}"


# -- Binder reproduces what CI checks -------------------------------------------


def test_binder_installs_with_the_python_and_pins_ci_tests_with():
    # Only Python and pip come from conda; the rest from PyPI through postBuild,
    # with CI's constraints file: one list of versions, not a copy to keep equal.
    header = (ROOT / ".ci" / "constraints.txt").read_text().splitlines()[0]
    ci_python = re.search(r"Python (3\.\d+)", header).group(1)
    binder = yaml.safe_load((ROOT / "binder" / "environment.yml").read_text())
    assert sorted(binder["dependencies"]) == ["pip", f"python={ci_python}"]
    install = [line for line in (ROOT / "binder" / "postBuild").read_text().splitlines()
               if "pip install" in line]
    assert install == ['python -m pip install --constraint .ci/constraints.txt -e ".[notebooks]"']


# -- where the project is hosted: one place, and the notebooks' header ----------


def test_the_repository_comes_from_pyproject(tmp_path):
    assert notebook_header.repository() == "mnist-lr/mnist-lr"
    moved = tmp_path / "pyproject.toml"
    moved.write_text('[project.urls]\nSource = "https://github.com/someone/fork.git"\n')
    assert notebook_header.repository(moved) == "someone/fork"
    moved.write_text('[project.urls]\nSource = "https://gitlab.com/someone/fork"\n')
    with pytest.raises(ValueError, match="must be https://github.com/OWNER/NAME"):
        notebook_header.repository(moved)


def test_readme_and_notebooks_name_the_same_repository():
    repo = notebook_header.repository()
    assert f"mybinder.org/v2/gh/{repo}/HEAD" in README
    assert f"colab.research.google.com/github/{repo}/blob/" in README
    # The owner/name in every Binder, Colab or pip-from-GitHub link.
    link = re.compile(r"(?:https://mybinder\.org/v2/gh|https://colab\.research\.google\.com/"
                      r"github|git\+https://github\.com)/([\w.-]+/[\w.-]+?)(?:\.git)?"
                      r"(?=[/@)\s\"'\\]|$)")
    found = {"README.md": link.findall(README)}
    for path in NOTEBOOKS:
        found[path.name] = link.findall(path.read_text())
        assert found[path.name], f"{path.name} has no Binder link"
    for where, repos in found.items():
        assert set(repos) == {repo}, f"{where} names {sorted(set(repos))}, pyproject says {repo}"


def _header(capsys, *args):
    """scripts/notebook_header.py run on ``args``: its exit code and what it printed."""
    code = notebook_header.main(list(map(str, args)))
    return code, capsys.readouterr().out


def _is_install(cell):
    return "colab-install" in cell.metadata.get("tags", [])


def test_every_notebook_has_the_current_header(capsys):
    code, out = _header(capsys, "--check")
    assert code == 0, f"run `python scripts/notebook_header.py`, commit the notebooks:\n{out}"


@pytest.fixture
def notebook_copies(tmp_path):
    """Copies of the notebooks with their Colab install cell taken out, for the script to add."""
    copies = []
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        notebook.cells = [cell for cell in notebook.cells if not _is_install(cell)]
        nbformat.write(notebook, tmp_path / path.name)
        copies.append(tmp_path / path.name)
    return copies


def test_header_script_on_a_copy(notebook_copies, capsys):
    repo = notebook_header.repository()
    originals = {p.name: nbformat.read(p, as_version=4) for p in notebook_copies}
    assert _header(capsys, *notebook_copies)[0] == 0
    first_pass = {p.name: p.read_bytes() for p in notebook_copies}
    for path in notebook_copies:
        before, after = originals[path.name], nbformat.read(path, as_version=4)
        nbformat.validate(after)
        markdown = after.cells[0]
        badges = [line for line in markdown.source.split("\n") if "badge" in line]
        assert markdown.cell_type == "markdown"
        assert badges == [notebook_header.badge_line(repo, path.name)]
        assert f"labpath=notebooks%2F{path.name})" in badges[0]
        assert f"/blob/main/notebooks/{path.name})" in badges[0]
        install = next(cell for cell in after.cells if cell.cell_type == "code")
        assert install.metadata["tags"] == ["colab-install"] and install.outputs == []
        assert install.source == notebook_header.install_source(repo)
        # Nothing else changed: the same cells, outputs included, in the same order.
        before.cells[0].source = markdown.source
        assert [cell for cell in after.cells if not _is_install(cell)] == before.cells
        assert after.metadata == before.metadata
    # Idempotent: a second run changes no byte, and --check agrees.
    code, out = _header(capsys, *notebook_copies)
    assert code == 0 and "already have the header" in out
    assert {p.name: p.read_bytes() for p in notebook_copies} == first_pass
    assert _header(capsys, "--check", *notebook_copies)[0] == 0


def test_header_script_finds_and_fixes_a_stale_badge_and_a_moved_install_cell(
        notebook_copies, capsys):
    path = notebook_copies[0]
    _header(capsys, path)
    fixed = path.read_bytes()
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[0].source = notebook.cells[0].source.replace("colab-badge", "old-badge")
    nbformat.write(notebook, path)
    stale = path.read_bytes()
    code, out = _header(capsys, "--check", path)
    assert code == 1 and f"{path}: needs the header" in out
    assert path.read_bytes() == stale  # --check writes nothing
    cells = notebook.cells  # the install cell moved to the end goes back to the top
    cells.append(cells.pop(next(i for i, cell in enumerate(cells) if _is_install(cell))))
    nbformat.write(notebook, path)
    assert _header(capsys, path)[0] == 0 and path.read_bytes() == fixed


@pytest.mark.parametrize("on_colab", [False, True])
def test_install_cell_runs_pip_on_colab_only_and_prints_nothing(on_colab):
    repo = notebook_header.repository()
    colab = ("sys.modules['google'] = types.ModuleType('google')\n"
             "sys.modules['google.colab'] = types.ModuleType('google.colab')\n")
    probe = ("import subprocess, sys, types\n" + (colab if on_colab else "") + "calls = []\n"
             "subprocess.run = lambda args, **kwargs: calls.append((args, kwargs))\n"
             + notebook_header.install_source(repo) + "\nprint(repr(calls))\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=60)
    pip = [sys.executable, "-m", "pip", "install", "--quiet",
           f"mnist-lr @ git+https://github.com/{repo}.git@main"]
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout == repr([(pip, {"check": True})] if on_colab else []) + "\n"


def test_colab_keeps_its_own_ipywidgets():
    """The Colab cell installs no extra, and the package accepts Colab's ipywidgets 7.7.1."""
    from packaging.requirements import Requirement

    requirement = Requirement(notebook_header.install_requirement(notebook_header.repository()))
    assert requirement.name == "mnist-lr" and requirement.extras == set()
    (ipywidgets,) = [r for r in map(Requirement, EXTRAS["notebooks"]) if r.name == "ipywidgets"]
    assert ipywidgets.specifier.contains("7.7.1") and ipywidgets.specifier.contains("8.1.9")
    assert not ipywidgets.specifier.contains("7.7.0")
    assert str(ipywidgets) in ENVIRONMENT  # the same lower bound wherever it is required


@pytest.mark.slow
def test_colab_install_line_in_a_fresh_venv(tmp_path, fresh_venv):
    """The Colab cell's requirement, its git URL swapped for a wheel built here, installs offline.

    The dependencies come from the test environment (Colab has them already).
    """
    import mnist_lr

    repo = notebook_header.repository()
    requirement = notebook_header.install_requirement(repo)
    git_url = f"git+https://github.com/{repo}.git@main"
    assert requirement.endswith(f" @ {git_url}")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "--wheel-dir", str(tmp_path / "wheels"), str(ROOT)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    (wheel,) = (tmp_path / "wheels").glob("mnist_lr-*.whl")
    assert wheel.name.startswith(f"mnist_lr-{mnist_lr.__version__}-")  # the one version number
    python = fresh_venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_"))} | {"PIP_NO_INDEX": "1"}
    local = requirement.replace(git_url, wheel.as_uri())
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", local],
                             capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
    check = subprocess.run(
        [str(python), "-c", "import mnist_lr, mnist_lr.widgets; print(mnist_lr.__file__)"],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert Path(check.stdout.strip()).is_relative_to(fresh_venv)  # the installed copy
