"""``python -m mnist_lr`` end to end, in a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from mnist_lr import SoftmaxRegression


def run(*args, env=None, timeout=300):
    environment = dict(os.environ, MPLBACKEND="Agg")
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "mnist_lr", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
    )


def test_fetch_verifies_the_local_copy():
    result = run("fetch")
    assert result.returncode == 0, result.stderr
    assert "4 files verified" in result.stdout


def test_train_end_to_end(tmp_path):
    out = tmp_path / "results"
    result = run(
        "train", "--subsample", "7000", "--max-epochs", "6", "--patience", "none",
        "--seed", "1", "--out", str(out),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # One line per epoch, then the summary.
    assert sum(line.startswith("epoch") for line in lines) == 6
    assert "Done: 6 epochs" in result.stdout
    assert "validation accuracy" in result.stdout
    assert "Most confused pair" in result.stdout
    for name in ("model.npz", "training_curves.png", "weights.png", "confusion_matrix.png"):
        assert (out / name).stat().st_size > 1000, name
    model = SoftmaxRegression.load(out / "model.npz")
    assert model.coef_.shape == (10, 784) and model.n_iter_ == 6
    assert len(model.history_) == 6
    assert np.isfinite(model.coef_).all()


@pytest.mark.parametrize(
    "args",
    [
        ["train", "--learning-rate", "0"],
        ["train", "--learning-rate", "abc"],
        ["train", "--batch-size", "-5"],
        ["train", "--patience", "0"],
        ["train", "--val-fraction", "1.5"],
        ["train", "--max-epochs", "0"],
        ["train", "--subsample", "100000", "--max-epochs", "1"],
        ["frobnicate"],
        [],
        ["--data-dir", "/no/such/folder", "fetch"],
        ["train", "--data-dir", "/no/such/folder"],
        ["train", "--seed", "-1"],
        ["train", "--subsample", "1"],
    ],
)
def test_bad_arguments_exit_2_with_a_message(args):
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "error:" in result.stderr


def test_unwritable_out_folder(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run("train", "--max-epochs", "1", "--out", str(blocker / "results"))
    assert result.returncode == 2
    assert "--out" in result.stderr and "Traceback" not in result.stderr


def test_no_data_anywhere_gives_a_clear_error(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(
        "--data-dir", str(empty), "train", "--max-epochs", "1",
        env={"MNIST_LR_CACHE": str(tmp_path / "cache"), "MNIST_LR_MIRRORS": "http://127.0.0.1:9/"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "MNIST_LR_DATA" in result.stderr and str(empty) in result.stderr
