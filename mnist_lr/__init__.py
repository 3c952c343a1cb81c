"""mnist_lr: softmax regression from scratch on MNIST, the package behind the tutorial.

The light, always-needed pieces are importable from the top level::

    from mnist_lr import load_mnist, train_val_split, SoftmaxRegression

Figures live in :mod:`mnist_lr.plots`, which imports matplotlib only when it
is itself imported.

The top-level names are imported on first use (PEP 562), so ``import
mnist_lr`` costs nothing until one is used. That lets the command line set up
its Ctrl-C handling before NumPy and scikit-learn load, which takes seconds.
"""

import importlib

__version__ = "0.1.0"

# Each top-level name, by the module it lives in.
_EXPORTS = {
    "data": (
        "MNISTNotFoundError",
        "fetch_mnist",
        "fetch_mnist_files",
        "load_mnist",
        "load_mnist_split",
        "load_mnist_train_test",
        "subsample",
        "train_val_split",
    ),
    "metrics": ("confusion_matrix", "most_confused_pairs"),
    "model": (
        "DivergenceWarning",
        "SoftmaxRegression",
        "TrainingHistory",
        "cross_entropy",
        "cross_entropy_from_scores",
        "cross_entropy_gradient",
        "log_softmax",
        "one_hot",
        "softmax",
    ),
    "validation": ("KFoldCurves", "kfold_curves", "kfold_indices"),
}
_HOME = {name: module for module, names in _EXPORTS.items() for name in names}
_SUBMODULES = ("data", "metrics", "model", "validation", "persistence", "features",
               "exercises", "plots", "widgets", "cli")

__all__ = list(_HOME)


def __getattr__(name):
    if name in _HOME:
        value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
        globals()[name] = value  # found directly from now on
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *__all__})
