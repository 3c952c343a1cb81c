"""``python -m mnist_lr``: fetch the data, or train with the article's settings, from a terminal.

Examples
--------
::

    python -m mnist_lr fetch
    python -m mnist_lr train --seed 0 --out results/
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from functools import partial
from pathlib import Path

# Nothing heavy is imported up here: NumPy and scikit-learn load inside main(),
# where Ctrl-C is caught, since loading them takes a second or more.

#: What ``train --out`` writes, besides the model.
FIGURE_NAMES = ("training_curves.png", "weights.png", "confusion_matrix.png")

__all__ = ["main", "build_parser"]


def _int_at_least(minimum):
    """An argparse type: a whole number no smaller than ``minimum``."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


_positive_int = _int_at_least(1)
_seed = _int_at_least(0)


def _patience(text):
    if text.lower() in {"none", "off"}:
        return None
    return _positive_int(text)


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number above 0, got {text}")
    return value


def _learning_rate(text):
    value = _positive_float(text)
    # The model trains in float32; a rate that rounds to 0 there trains nothing.
    if value < 1.2e-38:
        raise argparse.ArgumentTypeError(
            f"{text} is too small: it rounds to 0 in float32, the precision training uses"
        )
    return value


def _out_dir(text):
    if not text.strip():
        raise argparse.ArgumentTypeError(
            "must name a folder (it was empty); use --out . for the current folder"
        )
    return Path(text)


def _fraction(text):
    value = _positive_float(text)
    if not value < 1:
        raise argparse.ArgumentTypeError(f"must lie between 0 and 1, got {text}")
    return value


def build_parser():
    """The argument parser (exposed for the documentation and the tests)."""
    from . import __version__
    from .model import ARTICLE_SETTINGS

    parser = argparse.ArgumentParser(
        prog="python -m mnist_lr",
        description="Softmax regression from scratch on MNIST.",
    )
    parser.add_argument("--version", action="version", version=f"mnist_lr {__version__}")
    # --data-dir is accepted before or after the subcommand.
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="folder holding the four MNIST files, .gz or gunzipped (default: $MNIST_LR_DATA, "
             "then the cache)",
    )
    parser.add_argument("--data-dir", type=Path, default=None, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, metavar="{fetch,train}")

    fetch = sub.add_parser(
        "fetch", parents=[data], help="download MNIST into the cache and verify it",
        description="Download the four MNIST files into the cache and check their SHA-256.",
    )
    fetch.add_argument("--cache-dir", type=Path, metavar="DIR", help="where to store the files")

    train = sub.add_parser(
        "train", parents=[data], help="train with the article's settings and report",
        description=(
            "Train softmax regression on MNIST with the article's settings (the defaults "
            "below), print one line per epoch and the final accuracies, and with --out save "
            "the model and its figures."
        ),
        formatter_class=_DefaultsFormatter,
    )
    train.add_argument(
        "--learning-rate", type=_learning_rate, default=ARTICLE_SETTINGS["learning_rate"],
        metavar="RATE", help="step size of each gradient step",
    )
    train.add_argument(
        "--max-epochs", type=_positive_int, default=1000, metavar="N",
        help="upper bound on passes over the training images",
    )
    train.add_argument(
        "--batch-size", type=_positive_int, default=ARTICLE_SETTINGS["batch_size"], metavar="N",
        help="images per gradient step",
    )
    train.add_argument(
        "--patience", type=_patience, default=ARTICLE_SETTINGS["patience"], metavar="N",
        help="stop after this many epochs without a better validation accuracy; 'none' = "
             "never stop early",
    )
    train.add_argument(
        "--val-fraction", type=_fraction, default=0.2, metavar="F",
        help="share of the images held out for validation",
    )
    train.add_argument(
        "--subsample", type=_positive_int, metavar="N",
        help="train and validate on this many random images instead of all 70,000",
    )
    train.add_argument(
        "--seed", type=_seed, default=0, help="seed for the split and the shuffles (>= 0)"
    )
    train.add_argument(
        "--out", type=_out_dir, metavar="DIR",
        help="folder for model.npz and the figures (created if missing); without it "
             "nothing is saved",
    )
    train.add_argument("--no-figures", action="store_true", help="save the weights only")
    train.add_argument("--quiet", action="store_true", help="no per-epoch lines")
    return parser


class _DefaultsFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Show "(default: ...)" only where there is a default worth reading."""

    def _get_help_string(self, action):
        # By identity: a default of 0 (--seed) is worth showing, though 0 == False.
        if any(action.default is nothing for nothing in (None, False, argparse.SUPPRESS)):
            return action.help
        return super()._get_help_string(action)


class _CommandError(Exception):
    """A problem to report as one line, ``error: ...``, with an exit code."""

    def __init__(self, message, code=1):
        super().__init__(message)
        self.code = code


def _check_out_dir(parser, out, names):
    """Fail before training if ``out`` cannot hold ``names``: it is created if missing."""
    try:
        # Even asking can fail (a name too long for the file system), hence the try.
        if out.exists() and not out.is_dir():
            parser.error(f"--out {out}: this is a file, not a folder")
        out.mkdir(parents=True, exist_ok=True)
        # Writability is checked by writing, which also covers read-only mounts.
        with tempfile.NamedTemporaryFile(dir=out):
            pass
        folders = [name for name in names if (out / name).is_dir()]
    except OSError as exc:
        parser.error(f"--out {out}: cannot write there ({exc.strerror or exc})")
    for name in folders:
        parser.error(f"--out {out}: {name} there is a folder, so it cannot be written")


def _fetch(args):
    from .data import fetch_mnist

    paths = fetch_mnist(args.data_dir, cache_dir=args.cache_dir, progress=True, verbose=True)
    print(f"MNIST is ready: {len(paths)} files verified.")
    return 0


def _train(args, parser):
    if args.out is not None:
        names = ("model.npz",) if args.no_figures else ("model.npz", *FIGURE_NAMES)
        _check_out_dir(parser, args.out, names)
    if args.subsample is not None:
        minimum = _smallest_sample(args.val_fraction, args.batch_size)
        if args.subsample < minimum:
            parser.error(
                f"--subsample {args.subsample} is too small: with --val-fraction "
                f"{args.val_fraction} and --batch-size {args.batch_size} the minimum is "
                f"{minimum} images"
            )
    from .data import load_mnist, load_mnist_split, subsample, train_val_split
    from .metrics import confusion_matrix, most_confused_pairs
    from .model import ARTICLE_SETTINGS, DivergenceWarning, SoftmaxRegression
    from .persistence import save_model

    if args.subsample is None:
        X_train, X_val, y_train, y_val = load_mnist_split(
            args.val_fraction, random_state=args.seed, data_dir=args.data_dir
        )
    else:
        X, y = load_mnist(args.data_dir)
        if args.subsample > len(y):
            parser.error(f"--subsample {args.subsample} is more than the {len(y)} images")
        X, y = subsample(X, y, args.subsample, random_state=args.seed)
        X_train, X_val, y_train, y_val = train_val_split(
            X, y, args.val_fraction, random_state=args.seed
        )
        del X
        _check_split(parser, args, y_train, y_val)
    if args.batch_size > len(y_train):
        parser.error(f"--batch-size {args.batch_size} exceeds the {len(y_train)} training images")
    print(
        f"Training on {len(y_train)} images, validating on {len(y_val)} "
        f"(learning rate {args.learning_rate}, batch {args.batch_size}, "
        f"patience {args.patience}, at most {args.max_epochs} "
        f"{'epoch' if args.max_epochs == 1 else 'epochs'}, seed {args.seed})"
    )
    model = SoftmaxRegression(
        learning_rate=args.learning_rate,
        max_epochs=args.max_epochs,
        batch_size=args.batch_size,
        patience=args.patience,
        random_state=args.seed,
        verbose=0 if args.quiet else 1,
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        # Divergence is reported below in words, not as warnings with source lines
        # (an overflowing learning rate also trips NumPy's overflow warnings).
        warnings.simplefilter("ignore", DivergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        model.fit(X_train, y_train, X_val, y_val)
    seconds = time.perf_counter() - start
    if model.n_iter_ == 0:
        raise _CommandError(
            f"training diverged in the first epoch (the loss was no longer a finite number) "
            f"at learning rate {args.learning_rate:g}, so there is no model to report"
            + (" or save" if args.out is not None else "")
            + f". Try a smaller --learning-rate; the article uses "
            f"{ARTICLE_SETTINGS['learning_rate']}."
        )
    history = model.history_
    best = model.best_epoch_ - 1
    epochs = "epoch" if model.n_iter_ == 1 else "epochs"
    print(
        f"Done: {model.n_iter_} {epochs} in {seconds:.1f} s. Best epoch {model.best_epoch_}: "
        f"training accuracy {100 * history.train_accuracy[best]:.2f}%, "
        f"validation accuracy {100 * history.val_accuracy[best]:.2f}%."
    )
    if model.diverged_:
        print(
            f"Training diverged after epoch {model.n_iter_} and was stopped; the weights of "
            f"the best epoch are kept. A smaller --learning-rate avoids this."
        )
    matrix = confusion_matrix(y_val, model.predict(X_val), labels=model.classes_)
    pair = most_confused_pairs(matrix, labels=model.classes_, top=1)[0]
    print(
        f"Most confused pair: {pair.a} and {pair.b} "
        f"({pair.a_as_b} times {pair.a} as {pair.b}, {pair.b_as_a} times {pair.b} as {pair.a})."
    )
    if args.out is None:
        print("Nothing was saved (add --out DIR to keep the model and its figures).")
        return 0
    target = args.out / "model.npz"
    try:
        saved = [save_model(model, target)]
        if not args.no_figures:
            saved += _save_figures(model, matrix, args.out)
    except OSError as exc:
        name = exc.filename or target
        raise _CommandError(f"could not write {name}: {exc.strerror or exc}") from None
    for path in saved:
        print(f"Saved {path}")
    return 0


def _check_split(parser, args, y_train, y_val):
    """Refuse a sample too small for its training part to show what validation asks."""
    import numpy as np

    digits = np.unique(y_train)
    unseen = np.setdiff1d(y_val, digits)
    if len(digits) > 1 and not unseen.size:
        return
    images = "image shows" if len(y_train) == 1 else "images show"
    shown = ", ".join(map(str, digits.tolist()))
    problems = ["training needs two digits at least"] if len(digits) == 1 else []
    if unseen.size:
        problems.append(f"the validation images also show "
                        f"{', '.join(map(str, unseen.tolist()))}, which the model would never see")
    parser.error(
        f"--subsample {args.subsample} is too small to split with --val-fraction "
        f"{args.val_fraction} (seed {args.seed}): the {len(y_train)} training {images} only "
        f"{'the digit' if len(digits) == 1 else 'the digits'} {shown}; {'; '.join(problems)}. "
        "Use a larger --subsample."
    )


def _smallest_sample(val_fraction, batch_size):
    """The fewest images that leave one to validate on and a full batch to train on."""
    n = 2
    # The same rounding as train_val_split: int(n * val_fraction) images validate.
    while int(n * val_fraction) < 1 or n - int(n * val_fraction) < batch_size:
        n += 1
    return n


def _save_figures(model, matrix, out):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import plots
    from .persistence import write_atomically

    figures = {
        "training_curves.png": plots.plot_training_curves(model.history_),
        "weights.png": plots.plot_weights(model.coef_, model.classes_),
        "confusion_matrix.png": plots.plot_confusion_matrix(
            matrix, labels=model.classes_, log=True
        ).figure,
    }
    paths = []
    for name, figure in figures.items():
        try:
            save_png = partial(figure.savefig, format="png", dpi=120, bbox_inches="tight")
            paths.append(write_atomically(out / name, save_png))
        finally:
            plt.close(figure)
    return paths


def main(argv=None):
    """Run the command line; returns the exit code (2 for bad arguments, 1 for other errors).

    Ctrl-C at any point, the loading of NumPy and scikit-learn included, prints
    ``interrupted`` and returns 130, as shells report a process ended by SIGINT.
    """
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run():
    """The program's entry point (``mnist-lr`` and ``python -m mnist_lr``): main(), then exit.

    After Ctrl-C the process leaves through ``os._exit(130)``: CPython can turn
    a KeyboardInterrupt that passed through compiled import code (scikit-learn
    loading) into a death by SIGINT at shutdown, even though main() caught it.
    """
    code = main()
    if code == 130:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    sys.exit(code)


def _main(argv):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir is not None and not args.data_dir.is_dir():
        parser.error(f"--data-dir {args.data_dir}: no such folder")
    from .data import MNISTNotFoundError

    try:
        if args.command == "fetch":
            return _fetch(args)
        return _train(args, parser)
    except MNISTNotFoundError as exc:
        # The error words its advice for a terminal: --data-dir, not data_dir=.
        print(f"error: {exc.message(for_cli=True)}", file=sys.stderr)
        return 1
    except _CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except ValueError as exc:  # a corrupt data file: a data error, like a missing one
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
