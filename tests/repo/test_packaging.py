"""The project's promises about itself: dependency lists, pins, hosting, README and CI agree."""

from __future__ import annotations

import copy
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

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _name(requirement):
    return re.split(r"[<>=!~ \[;@]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def _normalise(requirement):
    # conda has no environment markers: "tomli>=2.0; python_version < '3.11'" -> "tomli>=2.0"
    return requirement.split(";")[0].replace(" ", "").lower()


def _conda_packages(path):
    environment = yaml.safe_load(path.read_text())
    return [dep for dep in environment["dependencies"]
            if isinstance(dep, str) and _name(dep) not in {"python", "pip"}]


def _pip_section(path):
    environment = yaml.safe_load(path.read_text())
    sections = [dep["pip"] for dep in environment["dependencies"] if isinstance(dep, dict)]
    return sections[0] if sections else []


def _constraints():
    pins = {}
    for line in (ROOT / ".ci" / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[_name(name)] = version
    return pins


# -- the learner's conda environment ------------------------------------------


def test_environment_yml_is_the_runtime_and_notebook_packages_only():
    wanted = PROJECT["dependencies"] + PROJECT["optional-dependencies"]["notebooks"]
    conda = _conda_packages(ROOT / "environment.yml")
    assert sorted(map(_normalise, conda)) == sorted(map(_normalise, wanted))
    # No test tools in a learner's environment: they come with `make test`.
    test_tools = PROJECT["optional-dependencies"]["test"] + \
        PROJECT["optional-dependencies"]["integration"]
    assert not {_name(t) for t in test_tools} & {_name(c) for c in conda}
    assert _pip_section(ROOT / "environment.yml") == ["-e ."]


def _make_dry_run(target, venv, *variables):
    """The commands ``make -n TARGET`` would run with the environment in ``venv``."""
    result = subprocess.run(
        ["make", "-n", "-C", str(ROOT), target, f"VENV={venv}", *variables],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_lab_installs_the_notebook_extra_only(tmp_path):
    commands = _make_dry_run("lab", tmp_path / "venv")
    assert "-m venv" in commands
    assert 'pip install --quiet -e ".[notebooks]"' in commands
    # The one set of extras installed: no test tools for a reader.
    assert re.findall(r'-e "\.\[([\w,]+)\]"', commands) == ["notebooks"]
    assert "jupyter lab" in commands


def test_make_test_installs_the_test_tools_from_the_extras(tmp_path):
    commands = _make_dry_run("test", tmp_path / "venv")
    assert "-m venv" in commands
    assert 'pip install --quiet -e ".[notebooks,test,integration,site]"' in commands
    integration = {_name(r) for r in PROJECT["optional-dependencies"]["integration"]}
    assert {"playwright", "jupyter-repo2docker"} <= integration


def test_make_test_after_make_lab_adds_what_is_missing(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    (venv / ".installed-notebooks").touch()  # as `make lab` leaves it
    commands = _make_dry_run("test", venv)
    assert "-m venv" not in commands  # the environment is kept
    assert 'pip install --quiet -e ".[notebooks,test,integration,site]"' in commands
    (venv / ".installed-test").touch()
    # Everything in place: neither command installs anything.
    for target in ("test", "lab"):
        assert "pip install" not in _make_dry_run(target, venv)


def test_make_lab_passes_lab_args_to_jupyterlab(tmp_path):
    commands = _make_dry_run("lab", tmp_path / "venv", "LAB_ARGS=--port 8889")
    (lab,) = [line for line in commands.splitlines() if "jupyter lab" in line]
    assert "--port 8889" in lab and lab.endswith("notebooks/")


# -- the package's metadata ------------------------------------------------------


def test_one_version_number():
    """The version is written once, as mnist_lr.__version__; the build reads it from there."""
    import importlib.metadata

    import mnist_lr

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in PROJECT and "version" in PROJECT["dynamic"]
    dynamic = pyproject["tool"]["setuptools"]["dynamic"]
    assert dynamic["version"] == {"attr": "mnist_lr.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", mnist_lr.__version__)
    assert importlib.metadata.version("mnist-lr") == mnist_lr.__version__


def test_classifiers_name_every_supported_python():
    classifiers = PROJECT["classifiers"]
    minor = sorted(int(m.group(1)) for c in classifiers
                   if (m := re.fullmatch(r"Programming Language :: Python :: 3\.(\d+)", c)))
    lowest = int(re.fullmatch(r">=3\.(\d+)", PROJECT["requires-python"]).group(1))
    assert minor == list(range(lowest, 14)), minor  # 3.10 to 3.13, none left out
    assert "Intended Audience :: Education" in classifiers
    assert "Topic :: Scientific/Engineering :: Artificial Intelligence" in classifiers


def test_issues_url_follows_the_source_url():
    urls = PROJECT["urls"]
    assert urls["Issues"] == urls["Source"].rstrip("/").removesuffix(".git") + "/issues"


def test_python_versions_agree():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = [d for d in environment["dependencies"] if isinstance(d, str) and _name(d) == "python"]
    assert python == ["python" + PROJECT["requires-python"]]


# -- Binder reproduces what CI checks -----------------------------------------


def test_binder_installs_with_the_pins_ci_tests_with():
    # Everything but Python and pip comes from PyPI through postBuild, with
    # CI's constraints file: one list of versions, not a copy to keep equal.
    environment = yaml.safe_load((ROOT / "binder" / "environment.yml").read_text())
    assert sorted(_name(d) for d in environment["dependencies"]) == ["pip", "python"]
    install = [line for line in (ROOT / "binder" / "postBuild").read_text().splitlines()
               if "pip install" in line]
    assert install == ['python -m pip install --constraint .ci/constraints.txt -e ".[notebooks]"']


def test_binder_python_is_the_one_ci_tests_with():
    header = (ROOT / ".ci" / "constraints.txt").read_text().splitlines()[0]
    ci_python = re.search(r"Python (3\.\d+)", header).group(1)
    environment = yaml.safe_load((ROOT / "binder" / "environment.yml").read_text())
    assert f"python={ci_python}" in environment["dependencies"]


# -- JupyterLab without the news pop-up; a clean repository ------------------


def test_make_lab_turns_off_the_news_pop_up_for_this_server_only():
    makefile = (ROOT / "Makefile").read_text()
    lab = re.search(r"^lab:.*\n\t(.*)$", makefile, flags=re.MULTILINE).group(1)
    assert "$(LAB_SETTINGS)" in lab
    assert '--LabApp.app_settings_dir="$(CURDIR)/binder/jupyterlab-settings"' in makefile
    overrides = (ROOT / "binder" / "jupyterlab-settings" / "overrides.json").read_text()
    settings = yaml.safe_load(overrides)  # JSON is YAML
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_make_reset_restores_the_stored_notebooks():
    makefile = (ROOT / "Makefile").read_text()
    reset = re.search(r"^reset:\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE).group(1)
    assert "git checkout -- notebooks" in reset
    readme = (ROOT / "README.md").read_text()
    assert "make reset" in readme


# -- CI and the README ----------------------------------------------------------


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    commands = re.findall(r"^\s*(make [\w-]+)\s*$", readme, flags=re.MULTILINE)
    assert "make lab" in commands and "make test" in commands
    # The README's command, under a time limit of its own (`timeout ... make test`).
    assert re.search(r"^\s*(timeout [-\w= ]+ )?make test\s*$", ci, flags=re.MULTILINE)
    assert "test-quick" not in ci  # the quick variant is for contributors, never CI


def test_quick_tests_skip_the_slow_ones():
    makefile = (ROOT / "Makefile").read_text()
    quick = re.search(r"^test-quick:.*\n\t(.*)$", makefile, flags=re.MULTILINE).group(1)
    full = re.search(r"^test:.*\n\t(.*)$", makefile, flags=re.MULTILINE).group(1)
    assert '-m "not slow"' in quick and "--nbval" not in quick
    assert "--nbval" in full and "not slow" not in full
    assert "make test-quick" in (ROOT / "README.md").read_text()


def test_license_is_permissive():
    text = (ROOT / "LICENSE").read_text()
    assert "Redistribution and use in source and binary forms" in text


def test_prose_and_figures_are_cc_by_4():
    url = "https://creativecommons.org/licenses/by/4.0/"
    notice = (ROOT / "LICENSE-CONTENT.md").read_text()
    assert url in notice and "BSD 3-Clause" in notice
    readme = (ROOT / "README.md").read_text()
    assert url in readme and "(LICENSE-CONTENT.md)" in readme and "(LICENSE)" in readme


def test_readme_links_lead_somewhere():
    """Every relative link and image of the README names a file or folder of the repository."""
    readme = (ROOT / "README.md").read_text()
    targets = {t.split("#")[0] for t in re.findall(r"\]\(([^)\s]+)\)", readme)
               if not re.match(r"[a-z]+:|#", t)}
    # student/ is generated by `make student`, and checked by its own test.
    missing = sorted(t for t in targets if not (ROOT / t).exists() and
                     not t.startswith("student/"))
    assert not missing, f"README.md links to missing files: {missing}"
    for page in ("docs/CONTRIBUTING.md", "docs/performance.md", "docs/images/weights.png",
                 "LICENSE-CONTENT.md", "student/01_data.ipynb"):
        assert page in targets, f"README.md does not link {page}"


# -- where the project is hosted: one place -------------------------------------


def test_the_repository_comes_from_pyproject(tmp_path):
    assert notebook_header.repository() == "mnist-lr/mnist-lr"
    moved = tmp_path / "pyproject.toml"
    moved.write_text('[project.urls]\nSource = "https://github.com/someone/fork.git"\n')
    assert notebook_header.repository(moved) == "someone/fork"
    moved.write_text('[project.urls]\nSource = "https://gitlab.com/someone/fork"\n')
    with pytest.raises(ValueError, match="must be https://github.com/OWNER/NAME"):
        notebook_header.repository(moved)


def _hosting_urls(text):
    """The owner/name in every Binder, Colab or pip-from-GitHub link of ``text``."""
    return re.findall(
        r"(?:https://mybinder\.org/v2/gh|https://colab\.research\.google\.com/github"
        r"|git\+https://github\.com)/"
        r"([\w.-]+/[\w.-]+?)(?:\.git)?(?=[/@)\s\"'\\]|$)",
        text,
    )


def test_readme_and_notebooks_name_the_same_repository():
    repo = notebook_header.repository()
    readme = (ROOT / "README.md").read_text()
    assert f"mybinder.org/v2/gh/{repo}/HEAD" in readme
    assert f"colab.research.google.com/github/{repo}/blob/" in readme
    found = {"README.md": _hosting_urls(readme)}
    for path in NOTEBOOKS:
        found[path.name] = _hosting_urls(path.read_text())
        assert found[path.name], f"{path.name} has no Binder link"
    for where, repos in found.items():
        assert set(repos) == {repo}, f"{where} names {sorted(set(repos))}, pyproject says {repo}"


def test_every_notebook_has_the_current_header():
    """The badges and the Colab cell are as scripts/notebook_header.py writes them.

    If this fails, run ``python scripts/notebook_header.py`` and commit the notebooks.
    """
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "notebook_header.py"), "--check"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def notebook_copies(tmp_path):
    """Copies of the notebooks with their Colab install cell taken out, for the script to add."""
    copies = []
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        notebook.cells = [cell for cell in notebook.cells
                          if "colab-install" not in cell.metadata.get("tags", [])]
        target = tmp_path / path.name
        nbformat.write(notebook, target)
        copies.append(target)
    return copies


def _run_header(paths, *options):
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "notebook_header.py"), *options,
         *map(str, paths)],
        capture_output=True, text=True, timeout=120,
    )


def test_header_script_on_a_copy(notebook_copies):
    repo = notebook_header.repository()
    originals = {p.name: nbformat.read(p, as_version=4) for p in notebook_copies}
    assert _run_header(notebook_copies).returncode == 0
    first_pass = {p.name: p.read_bytes() for p in notebook_copies}
    for path in notebook_copies:
        before, after = originals[path.name], nbformat.read(path, as_version=4)
        nbformat.validate(after)
        markdown = after.cells[0]
        assert markdown.cell_type == "markdown"
        badges = [line for line in markdown.source.split("\n") if "badge" in line]
        assert badges == [notebook_header.badge_line(repo, path.name)]
        assert f"labpath=notebooks%2F{path.name})" in badges[0]
        assert f"/blob/main/notebooks/{path.name})" in badges[0]
        code = [cell for cell in after.cells if cell.cell_type == "code"]
        assert code[0].metadata["tags"] == ["colab-install"] and code[0].outputs == []
        assert code[0].source == notebook_header.install_source(repo)
        # Nothing else changed: the same cells, outputs included, in the same order.
        rest = [cell for cell in after.cells if "colab-install" not in
                cell.metadata.get("tags", [])]
        old = copy.deepcopy(before.cells)
        old[0].source = markdown.source
        assert rest == old
        assert after.metadata == before.metadata
    # Idempotent: a second run changes no byte, and --check agrees.
    second = _run_header(notebook_copies)
    assert second.returncode == 0 and "already have the header" in second.stdout
    assert {p.name: p.read_bytes() for p in notebook_copies} == first_pass
    assert _run_header(notebook_copies, "--check").returncode == 0


def test_header_script_check_reports_a_stale_notebook(notebook_copies):
    path = notebook_copies[0]
    _run_header([path])
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[0].source = notebook.cells[0].source.replace("colab-badge", "old-badge")
    nbformat.write(notebook, path)
    stale = path.read_bytes()
    result = _run_header([path], "--check")
    assert result.returncode == 1 and f"{path}: needs the header" in result.stdout
    assert path.read_bytes() == stale  # --check writes nothing


def test_header_script_moves_an_install_cell_back_to_the_top(notebook_copies):
    path = notebook_copies[0]
    _run_header([path])
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if "colab-install" in c.metadata.get("tags", []))
    notebook.cells.remove(cell)
    notebook.cells.append(cell)
    nbformat.write(notebook, path)
    _run_header([path])
    fixed = nbformat.read(path, as_version=4)
    tagged = [i for i, c in enumerate(fixed.cells) if "colab-install" in c.metadata.get("tags", [])]
    first_code = next(i for i, c in enumerate(fixed.cells) if c.cell_type == "code")
    assert tagged == [first_code]


def test_install_cell_is_silent_outside_colab():
    source = notebook_header.install_source(notebook_header.repository())
    result = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0
    assert result.stdout == "" and result.stderr == ""


def test_install_cell_runs_pip_on_colab(tmp_path):
    """With a stand-in google.colab module, the cell calls pip with the repository's URL."""
    repo = notebook_header.repository()
    source = notebook_header.install_source(repo)
    probe = (
        "import subprocess, sys, types\n"
        "sys.modules['google'] = types.ModuleType('google')\n"
        "sys.modules['google.colab'] = types.ModuleType('google.colab')\n"
        "calls = []\n"
        "subprocess.run = lambda args, **kwargs: calls.append((args, kwargs))\n"
        + source + "\n"
        "print(repr(calls))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    (args, kwargs), = eval(result.stdout)  # noqa: S307 - our own repr of plain lists
    assert args == [sys.executable, "-m", "pip", "install", "--quiet",
                    f"mnist-lr @ git+https://github.com/{repo}.git@main"]
    assert kwargs == {"check": True}


def test_colab_keeps_its_own_ipywidgets():
    """The Colab cell installs no extra, and the package accepts Colab's ipywidgets 7.7.1."""
    from packaging.requirements import Requirement

    requirement = Requirement(notebook_header.install_requirement(notebook_header.repository()))
    assert requirement.name == "mnist-lr" and requirement.extras == set()
    notebooks = [Requirement(r) for r in PROJECT["optional-dependencies"]["notebooks"]]
    (ipywidgets,) = [r for r in notebooks if r.name == "ipywidgets"]
    assert ipywidgets.specifier.contains("7.7.1") and ipywidgets.specifier.contains("8.1.9")
    assert not ipywidgets.specifier.contains("7.7.0")
    # The same lower bound wherever ipywidgets is required.
    assert str(ipywidgets) in _conda_packages(ROOT / "environment.yml")


@pytest.mark.slow
def test_colab_install_line_in_a_fresh_venv(tmp_path, fresh_venv):
    """The exact requirement of the Colab cell, pointed at a wheel built here, installs offline.

    Only the URL changes (the repository's git URL becomes the local wheel's
    file URL); the requirement's form, name and extras stay as in the cell.
    """
    repo = notebook_header.repository()
    requirement = notebook_header.install_requirement(repo)
    git_url = f"git+https://github.com/{repo}.git@main"
    assert requirement.endswith(f" @ {git_url}")
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "--wheel-dir", str(wheels), str(ROOT)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    (wheel,) = wheels.glob("mnist_lr-*.whl")
    import mnist_lr

    assert wheel.name.startswith(f"mnist_lr-{mnist_lr.__version__}-")  # the one version number

    # The dependencies come from the test environment (Colab has them already).
    env_dir = fresh_venv
    python = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_"))}
    env["PIP_NO_INDEX"] = "1"
    local = requirement.replace(git_url, wheel.as_uri())
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", local],
        capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path,
    )
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
    check = subprocess.run(
        [str(python), "-c", "import mnist_lr, mnist_lr.widgets; print(mnist_lr.__file__)"],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path,
    )
    assert check.returncode == 0, check.stderr
    # The installed copy, not the checkout.
    assert Path(check.stdout.strip()).is_relative_to(env_dir)
