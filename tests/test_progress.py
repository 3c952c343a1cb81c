"""Progress reports: one status line rewritten in place, and a reproducible final line."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.datasets import load_digits

from mnist_lr import DivergenceWarning, SoftmaxRegression, kfold_curves
from mnist_lr._progress import StatusLine, describe_ending

# What nbval does to a stored stream before comparing it: on each line, drop
# everything up to the last carriage return that is not followed by a newline.
CARRIAGE_RETURN = re.compile(r"^.*\r(?=[^\n])", re.MULTILINE)
# The marks of a timing-dependent progress bar (tqdm's "34%|", " 3/10 [", "it/s").
BAR_MARKS = re.compile(r"\d+%\||\s\d+/\d+ \[|epoch/s|it/s")


def as_stored(text):
    return CARRIAGE_RETURN.sub("", text)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


def test_early_stopping_ends_with_one_reproducible_line(digits, capsys):
    X, y = digits
    model = SoftmaxRegression(learning_rate=0.5, batch_size=50, patience=3, random_state=0,
                              progress=True).fit(X[:1000], y[:1000], X[1000:], y[1000:])
    out = capsys.readouterr().out
    best = 100 * model.history_.val_accuracy[model.best_epoch_ - 1]
    assert as_stored(out) == (
        f"stopped early after epoch {model.n_iter_} (patience 3); "
        f"kept epoch {model.best_epoch_} (validation {best:.2f}%)\n"
    )
    assert "training: epoch 1/1000, validation" in out  # the first status is always drawn
    assert not BAR_MARKS.search(as_stored(out))


def test_running_all_epochs_says_so(digits, capsys):
    X, y = digits
    model = SoftmaxRegression(max_epochs=4, patience=None, learning_rate=0.2, random_state=0,
                              progress=True).fit(X, y)
    best = 100 * model.history_.val_accuracy.max()
    assert as_stored(capsys.readouterr().out) == (
        f"ran all 4 epochs; kept epoch {model.best_epoch_} (validation {best:.2f}%)\n"
    )


def test_divergence_is_the_final_line(digits, capsys):
    X, y = digits
    with pytest.warns(DivergenceWarning):
        SoftmaxRegression(learning_rate=1e10, max_epochs=5, random_state=0,
                          progress=True).fit((X * 1e30).astype(np.float32), y)
    assert as_stored(capsys.readouterr().out) == (
        "diverged in epoch 1 (the weights overflowed); kept the initial all-zero weights\n"
    )


def test_quiet_by_default_and_verbose_prints_the_article_lines(digits, capsys):
    X, y = digits
    SoftmaxRegression(max_epochs=3, patience=None, learning_rate=0.2, random_state=0).fit(X, y)
    assert capsys.readouterr().out == ""
    SoftmaxRegression(max_epochs=3, patience=None, learning_rate=0.2, random_state=0,
                      verbose=1).fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and all(re.match(r"epoch +\d+  loss \d\.\d{4}  train ", line)
                                   for line in lines)


def test_status_line_is_throttled_and_blanked(capsys):
    line = StatusLine(min_interval=60)
    line.show("a long first status")
    line.show("never drawn: too soon after the first")
    line.finish("done")
    out = capsys.readouterr().out
    assert "never drawn" not in out
    assert out == "\ra long first status\r" + " " * 19 + "\rdone\n"
    assert as_stored(out) == "done\n"
    line.finish("nothing drawn before")
    assert capsys.readouterr().out == "nothing drawn before\n"


def test_kfold_curves_reports_folds(digits, capsys):
    X, y = digits
    kfold_curves(X, y, SoftmaxRegression(learning_rate=0.1, batch_size=50), n_splits=3,
                 epochs=2, random_state=0, progress=True)
    out = capsys.readouterr().out
    assert as_stored(out) == "3 folds done\n"
    assert "folds: 0/3 done" in out


@pytest.mark.parametrize(("args", "expected"), [
    ((1, 1, 0.5, 1, 10), "ran its one epoch; kept epoch 1 (validation 50.00%)"),
    ((3, 2, 0.5, 3, 10), "ran all 3 epochs; kept epoch 2 (validation 50.00%)"),
    ((3, 2, 0.5, 9, 1), "stopped early after epoch 3 (patience 1); kept epoch 2 "
                        "(validation 50.00%)"),
    ((0, 0, 0.0, 9, 2, True), "diverged in epoch 1 (the weights overflowed); kept the initial "
                              "all-zero weights"),
])
def test_describe_ending_in_the_singular_and_the_plural(args, expected):
    assert describe_ending(*args) == expected
