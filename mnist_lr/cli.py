"""``python -m mnist_lr``: fetch the data, or train with the article's settings, from a terminal.

For example ``python -m mnist_lr fetch``, then ``python -m mnist_lr train --seed 0 --out results/``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from functools import partial
from pathlib import Path

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


def _out_dir(text):
    if not text.strip():
        raise argparse.ArgumentTypeError("must name a folder (it was empty); use --out . for "
                                         "the current folder")
    return Path(text)


#: The options of ``train``: flag, type, default (_ARTICLE: the article's setting), metavar,
#: help. Their ranges are the model's and the split's, which say what is wrong.
_ARTICLE = object()
_TRAIN_OPTIONS = [
    ("--learning-rate", float, _ARTICLE, "RATE", "step size of each gradient step"),
    ("--max-epochs", int, 1000, "N", "upper bound on passes over the training images"),
    ("--batch-size", int, _ARTICLE, "N", "images per gradient step"),
    ("--patience", _patience, _ARTICLE, "N",
     "stop after this many epochs without a better validation accuracy; 'none' = never stop early"),
    ("--val-fraction", float, 0.2, "F", "share of the images held out for validation"),
    ("--subsample", int, None, "N",
     "train and validate on this many random images instead of all 60,000 training images"),
    ("--seed", int, 0, None, "seed for the split and the shuffles (>= 0)"),
    ("--out", _out_dir, None, "DIR",
     "folder for model.npz and the figures (created if missing); without it nothing is saved"),
]


def build_parser():
    """The argument parser (exposed for the documentation and the tests)."""
    from . import __version__
    from .model import ARTICLE_SETTINGS

    parser = argparse.ArgumentParser(
        prog="python -m mnist_lr", description="Softmax regression from scratch on MNIST.",
    )
    parser.add_argument("--version", action="version", version=f"mnist_lr {__version__}")
    # --data-dir is accepted before or after the subcommand.
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                      help="folder holding the four MNIST files, .gz or gunzipped (default: "
                           "$MNIST_LR_DATA, then the cache)")
    parser.add_argument("--data-dir", type=Path, default=None, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, metavar="{fetch,train}")
    fetch = sub.add_parser(
        "fetch", parents=[data], help="download MNIST into the cache and verify it",
        description="Download the four MNIST files into the cache and check their SHA-256.",
    )
    fetch.add_argument("--cache-dir", type=Path, metavar="DIR", help="where to store the files")
    train = sub.add_parser(
        "train", parents=[data], help="train with the article's settings and report",
        description="Train softmax regression on MNIST with the article's settings (the "
                    "defaults below), print one line per epoch and the final accuracies, and "
                    "with --out save the model and its figures.")
    for flag, kind, default, metavar, text in _TRAIN_OPTIONS:
        if default is _ARTICLE:
            default = ARTICLE_SETTINGS[flag[2:].replace("-", "_")]
        if default is not None:
            text += " (default: %(default)s)"
        train.add_argument(flag, type=kind, default=default, metavar=metavar, help=text)
    train.add_argument("--no-figures", action="store_true", help="save the weights only")
    train.add_argument("--quiet", action="store_true", help="no per-epoch lines")
    return parser


class _CommandError(Exception):
    """A problem to report as one line, ``error: ...``, with exit code 1."""


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


def _argument_error(parser, exc):
    """Report an option's error, raised by the code that owns its rule, as argparse would."""
    option = _OPTIONS.get(getattr(exc, "parameter", None))
    parser.error(f"argument {option}: {exc}" if option else str(exc))


def _check_arguments(parser, args):
    """Check the options by the model's rules (the seed's included) and the split's, before
    loading data."""
    from .data import smallest_split

    try:
        _model(args).validate_params()  # the model's own rules, before the data loads
        minimum = smallest_split(args.val_fraction, min_train=args.batch_size)
    except (TypeError, ValueError) as exc:
        _argument_error(parser, exc)
    if args.subsample is not None and args.subsample < minimum:
        parser.error(f"--subsample {args.subsample} is too small: with --val-fraction "
                     f"{args.val_fraction} and --batch-size {args.batch_size} the minimum is "
                     f"{minimum} images")


def _train(args, parser):
    if args.out is not None:
        names = ("model.npz",) if args.no_figures else ("model.npz", *FIGURE_NAMES)
        _check_out_dir(parser, args.out, names)
    _check_arguments(parser, args)
    X_train, X_val, y_train, y_val = _load(args, parser)
    model, seconds = _fit(args, parser, X_train, y_train, X_val, y_val)
    matrix = _report(model, seconds, X_val, y_val)
    if args.out is None:
        print("Nothing was saved (add --out DIR to keep the model and its figures).")
        return 0
    for path in _save(model, matrix, args):
        print(f"Saved {path}")
    return 0


def _load(args, parser):
    """X_train, X_val, y_train, y_val: all the training images, or --subsample of them."""
    from .data import load_mnist, load_mnist_split, subsample, train_val_split

    if args.subsample is None:
        return load_mnist_split(args.val_fraction, random_state=args.seed,
                                data_dir=args.data_dir)
    X, y = load_mnist(args.data_dir)
    if args.subsample > len(y):
        parser.error(f"--subsample {args.subsample} is more than the {len(y)} images")
    X, y = subsample(X, y, args.subsample, random_state=args.seed)
    split = train_val_split(X, y, args.val_fraction, random_state=args.seed)
    _check_split(parser, args, y_train=split[2], y_val=split[3])
    return split


def _check_split(parser, args, y_train, y_val):
    """Refuse a sample too small for its training part to show what validation asks."""
    import numpy as np

    digits = np.unique(y_train).tolist()
    unseen = np.setdiff1d(y_val, digits).tolist()
    problems = ["training needs two digits at least"] if len(digits) < 2 else []
    if unseen:
        problems.append(f"the validation images also show {', '.join(map(str, unseen))}, "
                        "which the model would never see")
    if problems:
        parser.error(
            f"--subsample {args.subsample} is too small to split with --val-fraction "
            f"{args.val_fraction} (seed {args.seed}): the training part shows only "
            f"{', '.join(map(str, digits))}; {'; '.join(problems)}. Use a larger --subsample."
        )


def _model(args):
    from .model import SoftmaxRegression

    return SoftmaxRegression(
        learning_rate=args.learning_rate, max_epochs=args.max_epochs, batch_size=args.batch_size,
        patience=args.patience, random_state=args.seed, verbose=0 if args.quiet else 1,
    )


def _fit(args, parser, X_train, y_train, X_val, y_val):
    """The trained model and the seconds it took (the rules that need the data apply here)."""
    from .model import ARTICLE_SETTINGS, DivergenceWarning

    print(f"Training on {len(y_train)} images, validating on {len(y_val)} (learning rate "
          f"{args.learning_rate}, batch {args.batch_size}, patience {args.patience}, at most "
          f"{args.max_epochs} {'epoch' if args.max_epochs == 1 else 'epochs'}, seed {args.seed})")
    model = _model(args)
    start = time.perf_counter()
    with warnings.catch_warnings():
        # Divergence is reported in words, not as warnings with source lines
        # (an overflowing learning rate also trips NumPy's overflow warnings).
        warnings.simplefilter("ignore", DivergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            model.fit(X_train, y_train, X_val, y_val)
        except (TypeError, ValueError) as exc:  # an option out of the model's range
            _argument_error(parser, exc)
    seconds = time.perf_counter() - start
    if model.n_iter_ == 0:
        raise _CommandError(
            f"training diverged in the first epoch at learning rate {args.learning_rate:g} (the "
            "weights overflowed), so there is no model to report or save. Try a smaller "
            f"--learning-rate; the article uses {ARTICLE_SETTINGS['learning_rate']}.")
    return model, seconds


def _report(model, seconds, X_val, y_val):
    """Print the accuracies, how training ended and the most confused pair; returns the matrix."""
    from ._progress import describe_ending
    from .metrics import confusion_matrix, most_confused_pairs

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
    print(
        f"Most confused pair: {pair.a} and {pair.b} "
        f"({pair.a_as_b} times {pair.a} as {pair.b}, {pair.b_as_a} times {pair.b} as {pair.a})."
    )
    return matrix


def _save(model, matrix, args):
    """Write the model and (unless --no-figures) its figures; returns the paths written."""
    from . import persistence

    target = args.out / "model.npz"
    try:
        saved = [persistence.save_model(model, target)]
        if not args.no_figures:
            saved += _save_figures(model, matrix, args.out)
    except OSError as exc:
        raise _CommandError(f"could not write {exc.filename or target}: "
                            f"{exc.strerror or exc}") from None
    return saved


def _save_figures(model, matrix, out):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import plots
    from .persistence import write_atomically

    figures = (plots.plot_training_curves(model.history_),
               plots.plot_weights(model.coef_, model.classes_),
               plots.plot_confusion_matrix(matrix, labels=model.classes_, log=True).figure)
    paths = []
    for name, figure in zip(FIGURE_NAMES, figures):
        try:
            save_png = partial(figure.savefig, format="png", dpi=120, bbox_inches="tight")
            paths.append(write_atomically(out / name, save_png))
        finally:
            plt.close(figure)
    return paths


def main(argv=None):
    """Run the command line (the program's entry point, ``mnist-lr`` and ``python -m mnist_lr``).

    Returns the exit code: 2 for bad arguments, 1 for other errors, and 130 after
    Ctrl-C (which prints ``interrupted``), as shells report a process ended by SIGINT.
    """
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _main(argv):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir is not None and not args.data_dir.is_dir():
        parser.error(f"--data-dir {args.data_dir}: no such folder")
    import pooch

    from .data import MNISTNotFoundError, fetch_mnist_files

    pooch.get_logger().setLevel("WARNING")  # a terminal gets our own lines, not pooch's log
    try:
        if args.command == "train":
            return _train(args, parser)
        paths = fetch_mnist_files(args.data_dir, cache_dir=args.cache_dir, verbose=True)
        print(f"MNIST is ready: {len(paths)} files verified.")
        return 0
    except MNISTNotFoundError as exc:  # its advice worded for a terminal: --data-dir
        print(f"error: {exc.message(for_cli=True)}", file=sys.stderr)
        return 1
    except (_CommandError, ValueError) as exc:  # ValueError: a corrupt data file
        print(f"error: {exc}", file=sys.stderr)
        return 1
