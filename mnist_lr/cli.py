"""``python -m mnist_lr``: fetch the data, or train with the article's settings, from a terminal.

Examples
--------
::

    python -m mnist_lr fetch
    python -m mnist_lr train --seed 0 --out results/
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

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


def _fraction(text):
    value = _positive_float(text)
    if not value < 1:
        raise argparse.ArgumentTypeError(f"must lie between 0 and 1, got {text}")
    return value


def build_parser():
    """The argument parser (exposed for the documentation and the tests)."""
    parser = argparse.ArgumentParser(
        prog="python -m mnist_lr",
        description="Softmax regression from scratch on MNIST.",
    )
    # --data-dir is accepted before or after the subcommand.
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="folder holding the four MNIST .gz files (default: $MNIST_LR_DATA, then the cache)",
    )
    parser.add_argument("--data-dir", type=Path, default=None, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, metavar="{fetch,train}")

    fetch = sub.add_parser(
        "fetch", parents=[data], help="download MNIST into the cache and verify it"
    )
    fetch.add_argument("--cache-dir", type=Path, help="where to store the files")

    train = sub.add_parser(
        "train", parents=[data], help="train with the article's settings and report"
    )
    train.add_argument("--learning-rate", type=_positive_float, default=0.24)
    train.add_argument("--max-epochs", type=_positive_int, default=1000)
    train.add_argument("--batch-size", type=_positive_int, default=100)
    train.add_argument(
        "--patience", type=_patience, default=10, help="epochs without improvement; 'none' = off"
    )
    train.add_argument("--val-fraction", type=_fraction, default=0.2)
    train.add_argument("--subsample", type=_positive_int, help="train on this many random images")
    train.add_argument(
        "--seed", type=_seed, default=0, help="seed for the split and the shuffles (>= 0)"
    )
    train.add_argument("--out", type=Path, help="folder for model.npz and the figures")
    train.add_argument("--no-figures", action="store_true", help="save the weights only")
    train.add_argument("--quiet", action="store_true", help="no per-epoch lines")
    return parser


def _check_out_dir(parser, out):
    try:
        out.mkdir(parents=True, exist_ok=True)
        # Writability is checked by writing, which also covers read-only mounts.
        with tempfile.NamedTemporaryFile(dir=out):
            pass
    except OSError as exc:
        parser.error(f"--out {out}: cannot write there ({exc.strerror or exc})")


def _fetch(args):
    from .data import fetch_mnist

    paths = fetch_mnist(args.data_dir, cache_dir=args.cache_dir, progress=True, verbose=True)
    print(f"MNIST is ready: {len(paths)} files verified.")
    return 0


def _train(args, parser):
    if args.out is not None:
        _check_out_dir(parser, args.out)
    from .data import load_mnist, load_mnist_split, subsample, train_val_split
    from .metrics import confusion_matrix, most_confused_pairs
    from .model import SoftmaxRegression

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
    if args.batch_size > len(y_train):
        parser.error(f"--batch-size {args.batch_size} exceeds the {len(y_train)} training images")
    print(
        f"Training on {len(y_train)} images, validating on {len(y_val)} "
        f"(learning rate {args.learning_rate}, batch {args.batch_size}, "
        f"patience {args.patience}, at most {args.max_epochs} epochs, seed {args.seed})"
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
    model.fit(X_train, y_train, X_val, y_val)
    seconds = time.perf_counter() - start
    history = model.history_
    best = model.best_epoch_ - 1
    print(
        f"Done: {model.n_iter_} epochs in {seconds:.1f} s. Best epoch {model.best_epoch_}: "
        f"training accuracy {100 * history.train_accuracy[best]:.2f}%, "
        f"validation accuracy {100 * history.val_accuracy[best]:.2f}%."
    )
    matrix = confusion_matrix(y_val, model.predict(X_val), labels=model.classes_)
    pair = most_confused_pairs(matrix, labels=model.classes_, top=1)[0]
    print(
        f"Most confused pair: {pair.a} and {pair.b} "
        f"({pair.a_as_b} times {pair.a} as {pair.b}, {pair.b_as_a} times {pair.b} as {pair.a})."
    )
    if args.out is not None:
        saved = [model.save(args.out / "model.npz")]
        if not args.no_figures:
            saved += _save_figures(model, matrix, args.out)
        for path in saved:
            print(f"Saved {path}")
    return 0


def _save_figures(model, matrix, out):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import plots

    figures = {
        "training_curves.png": plots.plot_training_curves(model.history_),
        "weights.png": plots.plot_weights(model.coef_, model.classes_),
        "confusion_matrix.png": plots.plot_confusion_matrix(
            matrix, labels=model.classes_, log=True
        ).figure,
    }
    paths = []
    for name, figure in figures.items():
        path = out / name
        figure.savefig(path, dpi=120, bbox_inches="tight")
        plt.close(figure)
        paths.append(path)
    return paths


def main(argv=None):
    """Run the command line; returns the exit code (2 for bad arguments)."""
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
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # a corrupt data file, a subsample too small to split...
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
