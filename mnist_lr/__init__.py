"""mnist_lr: softmax regression from scratch on MNIST, the package behind the tutorial.

The light, always-needed pieces are importable from the top level::

    from mnist_lr import load_mnist, train_val_split, SoftmaxRegression

Figures live in :mod:`mnist_lr.plots`, which imports matplotlib only when it
is itself imported.
"""

from .data import (
    MNISTNotFoundError,
    fetch_mnist_files,
    load_mnist,
    load_mnist_split,
    load_mnist_train_test,
    subsample,
    train_val_split,
)
from .metrics import confusion_matrix, most_confused_pairs
from .model import (
    DivergenceWarning,
    SoftmaxRegression,
    TrainingHistory,
    cross_entropy,
    cross_entropy_from_scores,
    cross_entropy_gradient,
    log_softmax,
    one_hot,
    softmax,
)
from .validation import KFoldCurves, kfold_curves, kfold_indices

__version__ = "0.1.0"

__all__ = [
    "MNISTNotFoundError",
    "fetch_mnist_files",
    "load_mnist",
    "load_mnist_split",
    "load_mnist_train_test",
    "subsample",
    "train_val_split",
    "confusion_matrix",
    "most_confused_pairs",
    "DivergenceWarning",
    "SoftmaxRegression",
    "TrainingHistory",
    "cross_entropy",
    "cross_entropy_from_scores",
    "cross_entropy_gradient",
    "log_softmax",
    "one_hot",
    "softmax",
    "KFoldCurves",
    "kfold_curves",
    "kfold_indices",
]
