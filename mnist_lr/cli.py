"""``python -m mnist_lr``: fetch the data, or train with the article's settings, from a terminal,
e.g. ``python -m mnist_lr fetch``, then ``python -m mnist_lr train --seed 0 --out results/``."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from functools import partial
from pathlib import Path

from . import __version__, data, persistence
from ._progress import describe_ending
from .metrics import confusion_matrix, most_confused_pairs
from .model import ARTICLE_SETTINGS, SoftmaxRegression

#: What ``train --out`` writes, besides the model.
FIGURE_NAMES = ("training_curves.png", "weights.png", "confusion_matrix.png")

__all__ = ["main", "build_parser"]

#: The options by the parameter names that the model's and the split's errors carry.
_OPTIONS = {"random_state": "--seed", **{name: "--" + name.replace("_", "-") for name in (
    "learning_rate", "max_epochs", "batch_size", "patience", "val_fraction")}}


def _patience(text):
    try:
        return None if text.lower() in {"none", "off"} else int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number or 'none', got {text!r}") \
            from None


#: ``train``'s options: flag, type, default, metavar, help (the model and the split check them).
_TRAIN_OPTIONS = [
    ("--learning-rate", float, ARTICLE_SETTINGS["learning_rate"], "RATE",
     "step size of each gradient step"),
    ("--max-epochs", int, 1000, "N", "upper bound on passes over the training images"),
    ("--batch-size", int, ARTICLE_SETTINGS["batch_size"], "N", "images per gradient step"),
    ("--patience", _patience, ARTICLE_SETTINGS["patience"], "N",
     "stop after this many epochs without a better validation accuracy; 'none' = never stop early"),
    ("--val-fraction", float, 0.2, "F", "share of the images held out for validation"),
    ("--subsample", int, None, "N",
     "train and validate on this many random images instead of all 60,000 training images"),
    ("--seed", int, 0, None, "seed for the split and the shuffles (>= 0)"),
    ("--out", Path, None, "DIR",
     "folder for model.npz and the figures (created if missing); without it nothing is saved"),
]


def build_parser():
    """The argument parser (exposed for the documentation and the tests)."""
    parser = argparse.ArgumentParser(prog="python -m mnist_lr",
                                     description="Softmax regression from scratch on MNIST.")
    parser.add_argument("--version", action="version", version=f"mnist_lr {__version__}")
    common = argparse.ArgumentParser(add_help=False)  # an option of both commands
    common.add_argument("--data-dir", type=Path, metavar="DIR", help="folder holding the four "
                        "MNIST files, .gz or gunzipped (default: $MNIST_LR_DATA, then the cache)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{fetch,train}")
    fetch = sub.add_parser(
        "fetch", parents=[common], help="download MNIST into the cache and verify it",
        description="Download the four MNIST files into the cache and check their SHA-256.")
    fetch.add_argument("--cache-dir", type=Path, metavar="DIR", help="where to store the files")
    train = sub.add_parser(
        "train", parents=[common], help="train with the article's settings and report",
        description="Train softmax regression on MNIST with the article's settings (the "
                    "defaults below), print one line per epoch and the final accuracies, and "
                    "with --out save the model and its figures.")
    for flag, kind, default, metavar, text in _TRAIN_OPTIONS:
        suffix = "" if default is None else " (default: %(default)s)"
        train.add_argument(flag, type=kind, default=default, metavar=metavar, help=text + suffix)
    train.add_argument("--no-figures", action="store_true", help="save the weights only")
    train.add_argument("--quiet", action="store_true", help="no per-epoch lines")
    return parser


class _CommandError(Exception):
    """A problem to report as one line, ``error: ...``, with exit code 1."""


def _argument_error(parser, exc):
    """Report an option's error, raised by the code that owns its rule, as argparse would."""
    option = _OPTIONS.get(getattr(exc, "parameter", None))
    parser.error(f"argument {option}: {exc}" if option else str(exc))


def _check_out_dir(parser, out):
    """Fail before training if ``out`` cannot be written to; create it if missing."""
    try:  # even asking can fail (a name too long for the file system)
        if out.exists() and not out.is_dir():
            parser.error(f"--out {out}: this is a file, not a folder")
        out.mkdir(parents=True, exist_ok=True)
        tempfile.NamedTemporaryFile(dir=out).close()  # only writing tells (read-only mounts)
    except OSError as exc:
        parser.error(f"--out {out}: cannot write there ({exc.strerror or exc})")


def _check_arguments(parser, args):
    """The model the options ask for, checked, with the split, before any data is loaded."""
    model = SoftmaxRegression(
        learning_rate=args.learning_rate, max_epochs=args.max_epochs, batch_size=args.batch_size,
        patience=args.patience, random_state=args.seed, verbose=0 if args.quiet else 1)
    try:
        model.validate_params()
        minimum = data.smallest_split(args.val_fraction, min_train=args.batch_size)
    except (TypeError, ValueError) as exc:
        _argument_error(parser, exc)
    if args.subsample is not None and args.subsample < minimum:
        parser.error(f"--subsample {args.subsample} is too small: with --val-fraction "
                     f"{args.val_fraction} and --batch-size {args.batch_size} the minimum is "
                     f"{minimum} images")
    return model


def _train(args, parser):
    if args.out is not None:
        _check_out_dir(parser, args.out)
    model = _check_arguments(parser, args)
    X_train, X_val, y_train, y_val = _load(args, parser)
    seconds = _fit(model, args, parser, X_train, y_train, X_val, y_val)
    matrix = _report(model, seconds, X_val, y_val)
    if args.out is None:
        print("Nothing was saved (add --out DIR to keep the model and its figures).")
        return 0
    try:
        _save(model, matrix, args.out, figures=not args.no_figures)
    except OSError as exc:
        raise _CommandError(f"could not write {exc.filename}: {exc.strerror or exc}") from None
    return 0


def _load(args, parser):
    """X_train, X_val, y_train, y_val: all the training images, or --subsample of them."""
    if args.subsample is None:
        return data.load_mnist_split(args.val_fraction, random_state=args.seed,
                                     data_dir=args.data_dir)
    X, y = data.load_mnist(args.data_dir)
    if args.subsample > len(y):
        parser.error(f"--subsample {args.subsample} is more than the {len(y)} images")
    X, y = data.subsample(X, y, args.subsample, random_state=args.seed)
    return data.train_val_split(X, y, args.val_fraction, random_state=args.seed)


def _fit(model, args, parser, X_train, y_train, X_val, y_val):
    """Train ``model``; returns the seconds it took (the rules that need the data apply here)."""
    print(f"Training on {len(y_train)} images, validating on {len(y_val)} (learning rate "
          f"{args.learning_rate}, batch {args.batch_size}, patience {args.patience}, at most "
          f"{args.max_epochs} {'epoch' if args.max_epochs == 1 else 'epochs'}, seed {args.seed})")
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # divergence is reported in words
        try:
            model.fit(X_train, y_train, X_val, y_val)
        except (TypeError, ValueError) as exc:  # e.g. too few images to show every digit
            _argument_error(parser, exc)
    if model.n_iter_ == 0:
        raise _CommandError(
            f"training diverged in the first epoch at learning rate {args.learning_rate:g} (the "
            "weights overflowed), so there is no model to report or save. Try a smaller "
            f"--learning-rate; the article uses {ARTICLE_SETTINGS['learning_rate']}.")
    return time.perf_counter() - start


def _report(model, seconds, X_val, y_val):
    """Print the accuracies, how training ended and the most confused pair; returns the matrix."""
    history, best = model.history_, model.best_epoch_ - 1
    print(f"Done: {model.n_iter_} {'epoch' if model.n_iter_ == 1 else 'epochs'} in {seconds:.1f} "
          f"s. Best epoch {model.best_epoch_}: training accuracy "
          f"{100 * history.train_accuracy[best]:.2f}%, validation accuracy "
          f"{100 * history.val_accuracy[best]:.2f}%.")
    if model.diverged_:
        ending = describe_ending(model.n_iter_, model.best_epoch_, history.val_accuracy[best],
                                 model.max_epochs, model.patience, diverged=True)
        print(f"Training {ending}. A smaller --learning-rate avoids this.")
    matrix = confusion_matrix(y_val, model.predict(X_val), labels=model.classes_)
    pair = most_confused_pairs(matrix, labels=model.classes_, top=1)[0]
    print(f"Most confused pair: {pair.a} and {pair.b} ({pair.a_as_b} times {pair.a} as "
          f"{pair.b}, {pair.b_as_a} times {pair.b} as {pair.a}).")
    return matrix


def _save(model, matrix, out, figures=True):
    """Write the model and (``figures``) its figures into ``out``, each saying so."""
    print(f"Saved {persistence.save_model(model, out / 'model.npz')}")
    if not figures:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import plots

    drawn = (plots.plot_training_curves(model.history_),
             plots.plot_weights(model.coef_, model.classes_),
             plots.plot_confusion_matrix(matrix, labels=model.classes_, log=True).figure)
    for name, figure in zip(FIGURE_NAMES, drawn):
        try:
            save_png = partial(figure.savefig, format="png", dpi=120, bbox_inches="tight")
            print(f"Saved {persistence.write_atomically(out / name, save_png)}")
        finally:
            plt.close(figure)


def main(argv=None):
    """Run the command line (``mnist-lr``, ``python -m mnist_lr``) and return the exit code:
    2 for bad arguments, 1 for other errors, 130 after Ctrl-C (which prints ``interrupted``),
    as shells report a process ended by SIGINT."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir is not None and not args.data_dir.is_dir():
        parser.error(f"--data-dir {args.data_dir}: no such folder")
    import pooch

    pooch.get_logger().setLevel("WARNING")  # a terminal gets our own lines, not pooch's log
    try:
        if args.command == "train":
            return _train(args, parser)
        paths = data.fetch_mnist_files(args.data_dir, cache_dir=args.cache_dir, verbose=True)
        print(f"MNIST is ready: {len(paths)} files verified.")
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except data.MNISTNotFoundError as exc:  # its advice worded for a terminal: --data-dir
        print(f"error: {exc.message(for_cli=True)}", file=sys.stderr)
    except (_CommandError, ValueError, OSError) as exc:  # a corrupt file, a cache not writable
        print(f"error: {exc}", file=sys.stderr)
    return 1
