"""Shared fixtures: the real MNIST, loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

# Figures are drawn off-screen in this process. (Not through MPLBACKEND: the
# notebook kernels that nbval starts would inherit it and lose their inline
# figures.)
import matplotlib  # noqa: E402
import pytest

matplotlib.use("Agg")

# The repository sits next to the shared data folder in development and CI;
# elsewhere the loader falls back to its cache (downloading if needed).
_SIBLING_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"
if not os.environ.get("MNIST_LR_DATA") and _SIBLING_DATA.is_dir():
    os.environ["MNIST_LR_DATA"] = str(_SIBLING_DATA)


@pytest.fixture(scope="session")
def mnist():
    """All 70,000 images (float32) and labels."""
    from mnist_lr import load_mnist

    return load_mnist()


@pytest.fixture(scope="session")
def mnist_split(mnist):
    """The article's 56,000/14,000 split with seed 0: X_train, X_val, y_train, y_val."""
    from mnist_lr import train_val_split

    X, y = mnist
    return train_val_split(X, y, 0.2, random_state=0)


@pytest.fixture(scope="session")
def article_model(mnist_split):
    """SoftmaxRegression at the article's settings, trained once for the whole session."""
    from mnist_lr import SoftmaxRegression

    X_train, X_val, y_train, y_val = mnist_split
    return SoftmaxRegression(random_state=0).fit(X_train, y_train, X_val, y_val)
