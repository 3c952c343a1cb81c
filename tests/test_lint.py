"""The code follows the project's style rules: ruff finds nothing.

The rules are in pyproject.toml; the notebooks' code cells follow them at the
site's width of 80 characters (notebooks/ruff.toml)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["mnist_lr", "tests", "scripts", "benchmarks", "conftest.py", "notebooks"]


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", *CHECKED],
                            cwd=ROOT, capture_output=True, text=True, timeout=100)
    command = f"ruff check {' '.join(CHECKED)}"
    assert result.returncode == 0, f"{command}:\n{result.stdout}{result.stderr}"
