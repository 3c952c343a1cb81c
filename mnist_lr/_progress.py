"""Progress reports: the only place in the package that prints while training.

A status line on standard output, rewritten in place with ``'\\r'``, then a final line
that says what happened: all a saved notebook keeps, the same on every run (no timings).
"""

from __future__ import annotations

import time

__all__ = ["StatusLine", "TrainingReport", "describe_ending", "report_folds"]


class StatusLine:
    """One line of text on ``sys.stdout``, redrawn at most every ``min_interval`` seconds."""

    def __init__(self, min_interval=0.25):
        self.min_interval = min_interval
        self._width = 0  # length of the longest text drawn so far
        self._drawn_at = None

    def show(self, text):
        """Replace the line with ``text``, unless the last redraw was too recent."""
        now = time.monotonic()
        if self._drawn_at is not None and now - self._drawn_at < self.min_interval:
            return
        self._drawn_at = now
        # Spaces cover a longer earlier text; print() looks sys.stdout up anew each time.
        print("\r" + text.ljust(self._width), end="", flush=True)
        self._width = max(self._width, len(text))

    def finish(self, text):
        """Blank the line, then write ``text`` and a newline: all that stays after the last \\r."""
        blank = "\r" + " " * self._width + "\r" if self._width else ""
        print(blank + text, flush=True)
        self._width, self._drawn_at = 0, None


def describe_ending(n_epochs, best_epoch, best_accuracy, max_epochs, patience, diverged=False):
    """How a training run ended, e.g. ``stopped early after epoch 34 (patience 10); kept
    epoch 24 (validation 92.74%)``: ``n_epochs`` measured, ``best_epoch`` kept (0: the
    all-zero start), ``diverged``: the weights overflowed in epoch ``n_epochs + 1``."""
    kept = (f"kept epoch {best_epoch} (validation {100 * best_accuracy:.2f}%)" if best_epoch
            else "kept the initial all-zero weights")
    if diverged:
        return f"diverged in epoch {n_epochs + 1} (the weights overflowed); {kept}"
    if n_epochs < max_epochs:
        return f"stopped early after epoch {n_epochs} (patience {patience}); {kept}"
    return f"ran all {n_epochs} epochs; {kept}" if n_epochs > 1 else f"ran its one epoch; {kept}"


class TrainingReport:
    """What :meth:`SoftmaxRegression.fit` shows while it trains: with ``verbose`` the
    article's line per epoch, with ``progress`` a status line ended by how training
    ended (also when it fails or is interrupted, as a context manager)."""

    def __init__(self, max_epochs, verbose=0, progress=False):
        self.max_epochs = max_epochs
        self.verbose = verbose
        self.line = StatusLine() if progress else None
        self.n_epochs = 0

    def epoch(self, epoch, record, best_epoch, best_accuracy):
        """Report one epoch's record (loss, train_accuracy, val_loss, val_accuracy)."""
        self.n_epochs = epoch
        if self.verbose:
            print(f"epoch {epoch:4d}  loss {record.loss:.4f}  "
                  f"train {100 * record.train_accuracy:6.2f}%  "
                  f"val {100 * record.val_accuracy:6.2f}%  best {100 * best_accuracy:6.2f}%")
        elif self.line is not None:
            self.line.show(f"training: epoch {epoch}/{self.max_epochs}, validation "
                           f"{100 * record.val_accuracy:.2f}% (best {100 * best_accuracy:.2f}% "
                           f"at epoch {best_epoch})")

    def done(self, n_epochs, best_epoch, best_accuracy, patience, diverged=False):
        """End the status line with how training ended."""
        if self.line is not None:
            self.line.finish(describe_ending(n_epochs, best_epoch, best_accuracy,
                                             self.max_epochs, patience, diverged))
            self.line = None

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if self.line is not None and kind is not None:
            what = ("interrupted" if issubclass(kind, KeyboardInterrupt)
                    else f"stopped by {kind.__name__}")
            self.line.finish(f"{what} after {self.n_epochs} epochs; the model was left as it was")


def report_folds(results, n_folds):
    """Pass on the items of ``results`` (one per fold), showing ``folds: 2/5 done``."""
    line, done = StatusLine(), 0
    line.show(f"folds: 0/{n_folds} done")
    try:
        for done, result in enumerate(results, start=1):
            line.show(f"folds: {done}/{n_folds} done")
            yield result
    finally:
        line.finish(f"{done} folds done" if done == n_folds else f"stopped after {done} of "
                    f"{n_folds} folds")
