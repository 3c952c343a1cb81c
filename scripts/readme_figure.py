"""Draw the README's picture: what each digit's weights look like after training.

Trains ``SoftmaxRegression`` at the article's settings (seed 0) on the
official 60,000 training images only, split 48,000/12,000 for early stopping,
and draws its weights with :func:`mnist_lr.plots.plot_weights`, as notebook 05
does. The 10,000 test images are never read into the model. Run from the
repository's root::

    python scripts/readme_figure.py            # writes docs/images/weights.png
    python scripts/readme_figure.py --out other.png

It takes under a minute on a 2-core machine; the same seed and library
versions give the same picture.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "docs" / "images" / "weights.png"


def main(argv=None):
    """Train, draw and save; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="where to write the PNG (default: %(default)s)")
    args = parser.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mnist_lr import SoftmaxRegression, load_mnist_train_test, plots, train_val_split

    X, y, _, _ = load_mnist_train_test()  # the test part is dropped unread by the model
    X_train, X_val, y_train, y_val = train_val_split(X, y, 0.2, random_state=0)
    model = SoftmaxRegression(random_state=0).fit(X_train, y_train, X_val, y_val)
    accuracy = 100 * model.history_.val_accuracy[model.best_epoch_ - 1]
    print(f"{len(y_train)} training and {len(y_val)} validation images; best epoch "
          f"{model.best_epoch_} of {model.n_iter_}, validation accuracy {accuracy:.2f}%")

    fig = plots.plot_weights(
        model,
        title="What each digit's weights look for, after training on MNIST's training images",
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # No software version in the file, so that a rerun changes no byte for it.
    fig.savefig(args.out, dpi=100, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    print(f"Saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
