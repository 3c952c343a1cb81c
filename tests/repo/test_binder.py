"""Binder: repo2docker picks the conda build pack and runs postBuild; postBuild works offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mnist_lr.data import FILES, fetch_mnist_files

ROOT = Path(__file__).resolve().parents[2]
POSTBUILD = ROOT / "binder" / "postBuild"


@pytest.mark.slow
def test_repo2docker_picks_conda_and_runs_postbuild(tmp_path):
    repo2docker = shutil.which("repo2docker", path=str(Path(sys.executable).parent))
    if repo2docker is None:
        pytest.skip("jupyter-repo2docker is not installed (pip install -e .[integration])")
    # --no-build writes the Dockerfile it would use and stops: no Docker needed.
    result = subprocess.run([repo2docker, "--no-build", "--debug", str(ROOT)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "Building conda environment" in output  # the CondaBuildPack
    assert '--file "binder/environment.yml"' in output
    assert "RUN ./binder/postBuild" in output


def test_postbuild_uses_set_e():
    script = POSTBUILD.read_text()
    assert script.startswith("#!/bin/bash") and "set -e" in script  # also "set -euo ..."
    assert os.access(POSTBUILD, os.X_OK)


@pytest.mark.slow
def test_postbuild_in_a_fresh_venv_prefetches_mnist(tmp_path, serve, fresh_venv):
    """Run binder/postBuild as Binder would, but offline: a fresh virtual environment, no
    package index, and the real MNIST files served on 127.0.0.1 as a mirror. Afterwards the
    package imports and MNIST sits verified in the cache."""
    mirror = serve(Path(fetch_mnist_files(download=False)[next(iter(FILES))]).parent) + "/"
    python = fresh_venv / "bin" / "python"
    # The venv's bundled setuptools predates the build backend's minimum; use
    # the test environment's (build isolation would need the package index).
    subprocess.run([str(python), "-m", "pip", "uninstall", "--yes", "--quiet", "setuptools"],
                   check=True, capture_output=True)
    home = tmp_path / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("MNIST_LR_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(PATH=f"{fresh_venv / 'bin'}{os.pathsep}{env['PATH']}", HOME=str(home),
               XDG_CACHE_HOME=str(home / ".cache"),
               MPLCONFIGDIR=str(home / ".config" / "matplotlib"), PIP_NO_INDEX="1",
               PIP_NO_BUILD_ISOLATION="0",  # pip reads this as --no-build-isolation
               MNIST_LR_MIRRORS=mirror)
    result = subprocess.run(["bash", str(POSTBUILD)], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "MNIST is ready: 4 files verified." in result.stdout
    overrides = fresh_venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert overrides.read_bytes() == (ROOT / "binder" / "jupyterlab-settings" /
                                      "overrides.json").read_bytes()
    assert sorted(p.name for p in (home / ".cache" / "mnist_lr").iterdir()) == sorted(FILES)
    check = subprocess.run(
        [str(python), "-c", "import mnist_lr; print(mnist_lr.__file__); "
         "print(len(mnist_lr.load_mnist(download=False)[1]))"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr
    lines = check.stdout.split()
    assert Path(lines[0]).is_relative_to(ROOT) and lines[1] == "60000"
