"""``python -m mnist_lr`` end to end: in this process (``run``), or in a subprocess where the
process itself is under test (the entry point, Ctrl-C)."""

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

import mnist_lr
from mnist_lr import cli, data, persistence
from mnist_lr.model import ARTICLE_SETTINGS
from mnist_lr.persistence import load_model


def run(*args):
    """``python -m mnist_lr ARGS`` in this process: its exit code, stdout and stderr."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = cli.main(list(args))
        except SystemExit as exit_:  # argparse: --help, --version and bad arguments
            code = exit_.code
    return subprocess.CompletedProcess(args, code, stdout.getvalue(), stderr.getvalue())


def test_the_entry_point_runs_in_a_process_of_its_own():
    result = subprocess.run([sys.executable, "-m", "mnist_lr", "--version"],
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout) == (0, f"mnist_lr {mnist_lr.__version__}\n")


def test_fetch_verifies_the_local_copy():
    result = run("fetch")
    assert result.returncode == 0, result.stderr
    assert "4 files verified" in result.stdout


def test_train_end_to_end(tmp_path):
    out = tmp_path / "results"
    result = run("train", "--subsample", "7000", "--max-epochs", "6", "--patience", "none",
                 "--seed", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sum(line.startswith("epoch") for line in result.stdout.splitlines()) == 6
    assert "Done: 6 epochs" in result.stdout and "validation accuracy" in result.stdout
    assert "Most confused pair" in result.stdout
    for name in cli.FIGURE_NAMES:
        assert (out / name).read_bytes().startswith(b"\x89PNG"), name
    model = load_model(out / "model.npz")
    assert model.coef_.shape == (10, 784) and model.n_iter_ == len(model.history_) == 6
    assert np.isfinite(model.coef_).all()


BAD_ARGUMENTS = [  # (arguments, words of the error line)
    (["frobnicate"], "invalid choice"),
    ([], "the following arguments are required"),
    (["fetch", "--data-dir", "/no/such/folder"], "--data-dir /no/such/folder: no such folder"),
    (["train", "--data-dir", "/no/such/folder"], "no such folder"),
    (["train", "--learning-rate", "abc"], "argument --learning-rate: invalid float value"),
    (["train", "--patience", "soon"], "argument --patience: expected a whole number or 'none'"),
    # The rules of the code that owns them, with the option named:
    (["train", "--learning-rate", "0"], "argument --learning-rate: learning_rate must be > 0"),
    (["train", "--seed", "-1"], "argument --seed: random_state must be a non-negative integer"),
    (["train", "--val-fraction", "1.5"], "argument --val-fraction: val_fraction must lie strictly"),
    (["train", "--patience", "0"], "argument --patience: patience must be >= 1"),
    (["train", "--max-epochs", "0"], "argument --max-epochs: max_epochs must be >= 1"),
    (["train", "--batch-size", "0"], "argument --batch-size: batch_size must be >= 1"),
    (["train", "--subsample", "50"], "--subsample 50 is too small: with --val-fraction 0.2 and "
                                     "--batch-size 100 the minimum is 124 images"),
    (["train", "--subsample", "100000"], "--subsample 100000 is more than the 60000 images"),
    # Too few images for the split to show every digit: the model's own rule.
    (["train", "--subsample", "3", "--val-fraction", "0.5", "--batch-size", "1", "--seed", "1"],
     "y_val contains labels that y does not"),
]


@pytest.mark.parametrize("args, words", BAD_ARGUMENTS)
def test_bad_arguments_exit_2_with_one_error_line_before_any_data_is_read(args, words,
                                                                          monkeypatch):
    monkeypatch.setattr(data, "load_mnist_split", lambda *args, **kwargs: pytest.fail(
        "the data were read before the options were checked"))  # --subsample: load_mnist
    result = run(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("python -m mnist_lr") and ": error: " in last and words in last
    assert "Done" not in result.stdout


def test_an_error_is_given_the_option_of_the_parameter_it_carries_whatever_its_words(capsys):
    from mnist_lr._checks import argument_error

    error = argument_error(ValueError, "random_state", "batch_size and patience come first")
    for exc, line in [(error, "argument --seed: batch_size and patience come first"),
                      (ValueError("no parameter: batch_size"), "no parameter: batch_size")]:
        with pytest.raises(SystemExit):
            cli._argument_error(cli.build_parser(), exc)
        assert capsys.readouterr().err.endswith(f"error: {line}\n")


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


def test_no_data_anywhere_gives_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_LR_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("MNIST_LR_MIRRORS", "http://127.0.0.1:9/")
    result = run("train", "--data-dir", str(tmp_path), "--max-epochs", "1")
    assert result.returncode == 1 and result.stderr.startswith("error: ")
    assert "MNIST_LR_DATA" in result.stderr and str(tmp_path) in result.stderr
    # Command-line advice, not a notebook's: no data_dir=, no raw network errors.
    assert "--data-dir DIR" in result.stderr
    for words in ("Traceback", "data_dir=", "JupyterLab", "ConnectionError", "HTTPConnectionPool"):
        assert words not in result.stderr
    assert len(result.stderr.splitlines()) <= 12  # a line per file, then the ways out


def test_a_cache_that_cannot_be_written_is_one_error_line(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_LR_MIRRORS", "http://127.0.0.1:9/")
    (tmp_path / "a file").write_text("")
    result = run("fetch", "--data-dir", str(tmp_path), "--cache-dir", str(tmp_path / "a file"))
    assert result.returncode == 1 and result.stderr.startswith("error: ")
    assert len(result.stderr.splitlines()) == 1 and "a file" in result.stderr


@pytest.mark.parametrize("command", ["fetch", "train"])
def test_a_corrupt_data_file_exits_1_like_the_other_data_errors(tmp_path, command):
    for name, path in data.fetch_mnist_files(download=False).items():
        (tmp_path / name).write_bytes(Path(path).read_bytes())
    damaged = tmp_path / "train-labels-idx1-ubyte.gz"
    content = bytearray(damaged.read_bytes())
    content[len(content) // 2] ^= 0xFF  # one flipped byte in the middle
    damaged.write_bytes(bytes(content))
    options = ["--max-epochs", "1"] if command == "train" else []
    result = run(command, "--data-dir", str(tmp_path), *options)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    assert str(damaged) in result.stderr and "SHA-256" in result.stderr


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


def test_one_epoch_is_singular_and_no_out_says_nothing_was_saved(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # Any learning rate > 0 is the model's to judge, even one too small to move the weights.
    result = run("train", "--subsample", "1000", "--max-epochs", "1", "--quiet",
                 "--learning-rate", "1e-50")
    assert result.returncode == 0, result.stderr
    assert "at most 1 epoch," in result.stdout
    assert "Done: 1 epoch in" in result.stdout and "1 epochs" not in result.stdout
    last = result.stdout.splitlines()[-1]
    assert last.startswith("Nothing was saved") and "--out" in last
    assert list(tmp_path.iterdir()) == []


def test_divergence_in_the_first_epoch_is_a_clear_error(tmp_path):
    result = run("train", "--learning-rate", "1e300", "--subsample", "1000", "--max-epochs", "3",
                 "--quiet", "--out", str(tmp_path))
    assert result.returncode == 1 and "Warning" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: training diverged in the first epoch")
    assert "--learning-rate" in line and "0.24" in line
    assert list(tmp_path.iterdir()) == []  # nothing half-saved


def _a_file(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    return tmp_path / "a-file"


def _read_only(tmp_path):
    (tmp_path / "locked").mkdir(mode=0o555)
    return tmp_path / "locked"


BAD_OUT = {  # id: (--out, made in tmp_path; the error's words)
    "a file": (_a_file, "is a file, not a folder"),
    "inside a file": (lambda tmp_path: _a_file(tmp_path) / "results", "cannot write there"),
    "read-only": (_read_only, "cannot write there"),
    "under /proc": (lambda tmp_path: Path("/proc/mnist-lr-results"), "cannot write there"),
    "name too long": (lambda tmp_path: tmp_path / ("x" * 300),
                      "cannot write there (File name too long)"),
}


@pytest.mark.parametrize("make, words", BAD_OUT.values(), ids=BAD_OUT)
def test_an_out_folder_that_cannot_be_written_fails_before_training(tmp_path, make, words):
    if make is _read_only and os.geteuid() == 0:
        pytest.skip("root may write into a read-only folder")
    out = make(tmp_path)
    if out.parts[1] == "proc" and not os.path.isdir("/proc/self"):
        pytest.skip("needs Linux's /proc")
    try:
        result = run("train", "--max-epochs", "1", "--out", str(out))
    finally:
        if make is _read_only:
            out.chmod(0o755)
    assert result.returncode == 2 and "Training on" not in result.stdout
    # The usage line and the error, one line, with the folder named.
    (_, line) = result.stderr.splitlines()
    assert line.startswith(f"python -m mnist_lr: error: --out {out}: ") and words in line
    if make is _a_file:
        assert out.read_text() == "not a folder"


def test_missing_out_folder_is_created(tmp_path):
    out = tmp_path / "new" / "results"
    result = run("train", "--subsample", "1000", "--max-epochs", "1", "--quiet", "--no-figures",
                 "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["model.npz"]
    assert result.stdout.splitlines()[-1] == f"Saved {out / 'model.npz'}"


# Writing that fails in ways a test cannot arrange on a real disk.


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


@pytest.mark.parametrize("failure, code, err", [
    (OSError(28, "No space left on device"), 1, "error: could not write {}: No space left on "
                                                "device\n"),  # the figure, not a temporary file
    (KeyboardInterrupt(), 130, "interrupted\n"),
])
def test_a_figure_that_fails_to_write_leaves_the_earlier_one(trained_args, monkeypatch, capsys,
                                                             failure, code, err):
    from matplotlib.figure import Figure

    out, args = trained_args
    out.mkdir()
    good = b"\x89PNG an earlier, complete figure"
    (out / "training_curves.png").write_bytes(good)

    def failing(self, target, **kwargs):
        target.write(b"\x89PNG half")
        raise failure

    monkeypatch.setattr(Figure, "savefig", failing)
    assert cli.main(args) == code
    assert capsys.readouterr().err == err.format(out / "training_curves.png")
    assert (out / "training_curves.png").read_bytes() == good
    assert sorted(p.name for p in out.iterdir()) == ["model.npz", "training_curves.png"]
