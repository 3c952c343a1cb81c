"""``python -m mnist_lr`` end to end.

Most tests call ``cli.main`` in this process (``run`` below); a real subprocess
runs where the process itself is under test: the entry point, and Ctrl-C.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from mnist_lr import cli, persistence
from mnist_lr.model import ARTICLE_SETTINGS
from mnist_lr.persistence import load_model


def run(*args, env=None, cwd=None):
    """``python -m mnist_lr ARGS``, in this process: ``cli.main`` with its exit code and output.

    A real subprocess is kept only where the process itself is under test: Ctrl-C
    and the entry points (below).
    """
    saved_environment, saved_cwd = dict(os.environ), os.getcwd()
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        os.environ.update(env or {})
        os.chdir(cwd or saved_cwd)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = cli.main(list(args))
            except SystemExit as exit_:  # argparse: --help, --version and bad arguments
                code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_environment)
    return subprocess.CompletedProcess(args, code, stdout.getvalue(), stderr.getvalue())


def test_the_entry_point_runs_in_a_process_of_its_own():
    import mnist_lr

    result = subprocess.run([sys.executable, "-m", "mnist_lr", "--version"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert mnist_lr.__version__ in result.stdout


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
    model = load_model(out / "model.npz")
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
        ["train", "--out", ""],
        ["train", "--out", "   "],
    ],
)
def test_bad_arguments_exit_2_with_a_message(args):
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "error:" in result.stderr


@pytest.mark.parametrize(
    ("subsample", "seed", "problem"),
    [("3", "1", "the validation images also show 1, which the model would never see"),
     ("2", "0", "training needs two digits at least")],
)
def test_a_sample_too_small_to_split_is_said_in_the_command_line_s_words(subsample, seed,
                                                                          problem):
    result = run("train", "--subsample", subsample, "--val-fraction", "0.5", "--batch-size", "1",
                 "--seed", seed)
    assert result.returncode == 2
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith(f"python -m mnist_lr: error: --subsample {subsample} is too small "
                            "to split with --val-fraction 0.5")
    assert problem in error and "Use a larger --subsample." in error
    assert "y_val" not in result.stderr and "Training on" not in result.stdout


def test_ctrl_c_while_training_says_interrupted():
    """A real SIGINT to a real process, once it trains: 'interrupted', exit code 130."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "mnist_lr", "train", "--subsample", "1000", "--max-epochs",
         "1000000", "--patience", "none", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, MPLBACKEND="Agg", PYTHONUNBUFFERED="1"),
    )
    try:
        assert proc.stdout.readline().startswith("Training on")
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert (proc.returncode, err) == (130, "interrupted\n")
    assert "Traceback" not in out


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
    # Command-line advice, not a notebook's: no data_dir=, no raw network errors.
    assert "--data-dir DIR" in result.stderr
    assert "data_dir=" not in result.stderr and "JupyterLab" not in result.stderr
    assert "ConnectionError" not in result.stderr and "HTTPConnectionPool" not in result.stderr
    assert result.stderr.startswith("error: ")
    assert len(result.stderr.splitlines()) <= 12  # a line per file, then the ways out


@pytest.mark.parametrize("command", ["fetch", "train"])
def test_a_corrupt_data_file_exits_1_like_the_other_data_errors(tmp_path, command):
    from mnist_lr.data import fetch_mnist_files

    folder = tmp_path / "mnist"
    folder.mkdir()
    for name, path in fetch_mnist_files(download=False).items():
        (folder / name).write_bytes(Path(path).read_bytes())
    damaged = folder / "train-labels-idx1-ubyte.gz"
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte in the middle
    damaged.write_bytes(bytes(data))
    options = ["--max-epochs", "1"] if command == "train" else []
    result = run(command, "--data-dir", str(folder), *options)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    assert str(damaged) in result.stderr and "SHA-256" in result.stderr
    assert "Traceback" not in result.stderr


def test_version():
    import mnist_lr

    result = run("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"mnist_lr {mnist_lr.__version__}"


def test_train_help_shows_the_articles_defaults():
    result = run("train", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())  # argparse wraps lines
    assert "seed for the split and the shuffles (>= 0) (default: 0)" in text
    assert f"step size of each gradient step (default: {ARTICLE_SETTINGS['learning_rate']})" in text
    assert f"images per gradient step (default: {ARTICLE_SETTINGS['batch_size']})" in text
    assert f"'none' = never stop early (default: {ARTICLE_SETTINGS['patience']})" in text
    assert "(default: 1000)" in text and "(default: 0.2)" in text
    assert "(default: None)" not in text and "(default: False)" not in text


def test_one_epoch_is_singular_and_no_out_says_nothing_was_saved(tmp_path):
    result = run("train", "--subsample", "1000", "--max-epochs", "1", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "at most 1 epoch," in result.stdout
    assert "Done: 1 epoch in" in result.stdout and "1 epochs" not in result.stdout
    last = result.stdout.splitlines()[-1]
    assert last.startswith("Nothing was saved") and "--out" in last
    assert list(tmp_path.iterdir()) == []


def test_divergence_in_the_first_epoch_is_a_clear_error(tmp_path):
    out = tmp_path / "results"
    result = run("train", "--learning-rate", "1e300", "--subsample", "1000", "--max-epochs", "3",
                 "--quiet", "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: training diverged in the first epoch")
    assert "--learning-rate" in line and "0.24" in line
    assert list(out.iterdir()) == []  # nothing half-saved


def _a_file(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    return tmp_path / "a-file"


def _a_folder_named_model_npz(tmp_path):
    (tmp_path / "model.npz").mkdir()
    return tmp_path


def _read_only(tmp_path):
    (tmp_path / "locked").mkdir(mode=0o555)
    return tmp_path / "locked"


BAD_OUT = {  # id: (--out, made in tmp_path, and the error's words)
    "a file": (_a_file, "is a file, not a folder"),
    "inside a file": (lambda tmp_path: _a_file(tmp_path) / "results", "--out"),
    "model.npz a folder": (_a_folder_named_model_npz, "model.npz there is a folder"),
    "read-only": (_read_only, "cannot write there"),
    "under /proc": (lambda tmp_path: Path("/proc/mnist-lr-results"),
                    "--out /proc/mnist-lr-results: cannot write there"),
    "name too long": (lambda tmp_path: tmp_path / ("x" * 300),
                      "cannot write there (File name too long)"),
}


@pytest.mark.parametrize("make, words", BAD_OUT.values(), ids=BAD_OUT)
def test_an_out_folder_that_cannot_be_written_fails_before_training(tmp_path, make, words):
    if make is _read_only and os.geteuid() == 0:
        pytest.skip("root may write into a read-only folder")
    if "/proc" in words and not os.path.isdir("/proc/self"):
        pytest.skip("needs Linux's /proc")
    out = make(tmp_path)
    try:
        result = run("train", "--max-epochs", "1", "--out", str(out))
    finally:
        if (tmp_path / "locked").exists():
            (tmp_path / "locked").chmod(0o755)
    assert result.returncode == 2 and "Training on" not in result.stdout
    assert words in result.stderr and "Traceback" not in result.stderr
    # The usage line and the error, one line, with the folder named.
    assert len(result.stderr.strip().splitlines()) == 2 and str(out) in result.stderr
    if make is _a_file:
        assert out.read_text() == "not a folder"


def test_missing_out_folder_is_created(tmp_path):
    out = tmp_path / "new" / "results"
    result = run("train", "--subsample", "1000", "--max-epochs", "1", "--quiet", "--no-figures",
                 "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["model.npz"]
    assert result.stdout.splitlines()[-1] == f"Saved {out / 'model.npz'}"


def test_subsample_too_small_names_the_minimum():
    result = run("train", "--subsample", "50")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--subsample 50 is too small" in result.stderr
    assert "the minimum is 124 images" in result.stderr
    small_batch = run("train", "--subsample", "3", "--batch-size", "1", "--val-fraction", "0.5")
    assert "the minimum is 2 images" not in small_batch.stderr
    # 3 images at val_fraction 0.5: int(1.5) = 1 validates, 2 train: enough for batch 1.
    assert "too small" not in small_batch.stderr


def test_smallest_split_matches_the_split():
    from mnist_lr import train_val_split
    from mnist_lr.data import smallest_split

    for fraction in (0.01, 0.2, 0.5, 0.9):
        for batch in (1, 7, 100):
            n = smallest_split(fraction, min_train=batch)
            X_t, X_v, _, _ = train_val_split(np.zeros((n, 1)), np.arange(n), fraction)
            assert len(X_v) >= 1 and len(X_t) >= batch
            if n > 2:  # one image fewer is not enough
                short = n - 1
                n_val = int(short * fraction)
                assert n_val < 1 or short - n_val < batch
    # A fraction near 0 or 1 is answered at once, not by counting up image by image.
    assert smallest_split(1e-9) == 10**9 and smallest_split(0.999999, min_train=100) == 99000001
    with pytest.raises(ValueError, match="val_fraction"):
        smallest_split(1.0)


@pytest.mark.parametrize(("args", "message"), [
    (["--learning-rate", "0"], "argument --learning-rate: learning_rate must be > 0"),
    (["--seed", "-1"], "argument --seed: random_state must be a non-negative integer seed"),
    (["--val-fraction", "1.5"], "argument --val-fraction: val_fraction must lie strictly"),
    (["--patience", "0", "--subsample", "1000"], "argument --patience: patience must be >= 1"),
])
def test_the_checking_code_s_message_names_the_option(args, message):
    result = run("train", *args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("python -m mnist_lr: error: ") and message in last
    assert "Done" not in result.stdout


def test_an_error_is_given_the_option_of_the_parameter_it_carries_whatever_its_words():
    from mnist_lr._checks import argument_error

    stderr = io.StringIO()
    error = argument_error(ValueError, "random_state", "batch_size and patience come first")
    with contextlib.redirect_stderr(stderr), pytest.raises(SystemExit):
        cli._argument_error(cli.build_parser(), error)
    assert stderr.getvalue().endswith("error: argument --seed: batch_size and patience come "
                                      "first\n")
    with contextlib.redirect_stderr(stderr), pytest.raises(SystemExit):
        cli._argument_error(cli.build_parser(), ValueError("no parameter: batch_size"))
    assert stderr.getvalue().endswith("error: no parameter: batch_size\n")


@pytest.mark.parametrize("args", [["--learning-rate", "-1"], ["--patience", "0"],
                                  ["--max-epochs", "0"], ["--batch-size", "0"]])
def test_the_model_s_options_are_checked_before_any_data_is_looked_for(args, tmp_path):
    # An empty data folder: looking for the data there would fail with "MNIST is not ..."
    result = run("train", *args, "--data-dir", str(tmp_path))
    assert result.returncode == 2 and f"argument {args[0]}: " in result.stderr
    assert "MNIST" not in result.stderr and "Training on" not in result.stdout


def test_a_tiny_learning_rate_is_the_model_s_to_judge():
    # Any learning rate > 0 trains, even one that barely moves the float32 weights.
    result = run("train", "--learning-rate", "1e-50", "--subsample", "1000", "--max-epochs", "1",
                 "--quiet")
    assert result.returncode == 0, result.stderr
    assert "Done: 1 epoch" in result.stdout


# In-process runs, to make writing fail in ways a test cannot arrange on a real disk.


@pytest.fixture
def trained_args(tmp_path):
    out = tmp_path / "results"
    return out, ["train", "--subsample", "1000", "--max-epochs", "1", "--quiet", "--out", str(out)]


def test_a_full_disk_while_saving_is_one_clear_line(trained_args, monkeypatch, capsys):
    out, args = trained_args

    def full_disk(model, path):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(persistence, "save_model", full_disk)
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert err == f"error: could not write {out / 'model.npz'}: No space left on device\n"


def test_a_failing_figure_names_the_figure_not_the_temporary_file(trained_args, monkeypatch,
                                                                   capsys):
    from matplotlib.figure import Figure

    out, args = trained_args

    def full_disk(self, target, **kwargs):
        target.write(b"\x89PNG partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", full_disk)
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert err == (
        f"error: could not write {out / 'training_curves.png'}: No space left on device\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["model.npz"]  # no temporary files left


def test_ctrl_c_while_writing_a_figure_keeps_the_earlier_one(trained_args, monkeypatch, capsys):
    from matplotlib.figure import Figure

    out, args = trained_args
    out.mkdir()
    good = b"\x89PNG an earlier, complete figure"
    (out / "training_curves.png").write_bytes(good)

    def interrupted(self, target, **kwargs):
        target.write(b"\x89PNG half")
        raise KeyboardInterrupt

    monkeypatch.setattr(Figure, "savefig", interrupted)
    assert cli.main(args) == 130
    assert (out / "training_curves.png").read_bytes() == good
    assert sorted(p.name for p in out.iterdir()) == ["model.npz", "training_curves.png"]
    assert "interrupted" in capsys.readouterr().err


def test_figures_are_written_with_the_usual_permissions(trained_args):
    out, args = trained_args
    assert cli.main(args) == 0
    umask = os.umask(0)
    os.umask(umask)
    for name in cli.FIGURE_NAMES:
        assert (out / name).stat().st_mode & 0o777 == 0o666 & ~umask, name
        assert (out / name).read_bytes().startswith(b"\x89PNG")
