"""The project's promises about itself: dependency lists agree, the README and CI agree."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement):
    return re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def _normalise(requirement):
    # conda has no environment markers: "tomli>=2.0; python_version < '3.11'" -> "tomli>=2.0"
    return requirement.split(";")[0].replace(" ", "").lower()


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in ("notebooks", "test"):
        wanted += project["optional-dependencies"][extra]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [dep for dep in environment["dependencies"] if isinstance(dep, str)]
    conda = [dep for dep in conda if _name(dep) not in {"python", "pip"}]
    assert sorted(map(_normalise, conda)) == sorted(map(_normalise, wanted))


def test_environment_yml_installs_the_package_with_integration_tools():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = [dep for dep in environment["dependencies"] if isinstance(dep, dict)]
    assert pip == [{"pip": ["-e .[integration]"]}]


def test_binder_environment_has_the_runtime_and_notebook_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"]) + project["optional-dependencies"]["notebooks"]
    environment = yaml.safe_load((ROOT / "binder" / "environment.yml").read_text())
    conda = [dep for dep in environment["dependencies"] if isinstance(dep, str)]
    conda = [dep for dep in conda if _name(dep) not in {"python", "pip"}]
    assert sorted(map(_normalise, conda)) == sorted(map(_normalise, wanted))


def test_python_versions_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = [d for d in environment["dependencies"] if isinstance(d, str) and _name(d) == "python"]
    assert python == ["python" + project["requires-python"]]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    commands = re.findall(r"^\s*(make \w+)\s*$", readme, flags=re.MULTILINE)
    assert "make lab" in commands and "make test" in commands
    assert re.search(r"^\s*make test\s*$", ci, flags=re.MULTILINE)


def test_license_is_permissive():
    text = (ROOT / "LICENSE").read_text()
    assert "Redistribution and use in source and binary forms" in text
