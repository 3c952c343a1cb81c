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

#: The shared folder of real MNIST files: ``../shared/data/mnist`` beside the
#: repository, as in development and CI. This is the one place that works the
#: path out; tests use it through MNIST_LR_DATA or the ``mnist_dir`` fixture.
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"

# Elsewhere (MNIST_LR_DATA unset, no shared folder) the loader falls back to
# its cache, downloading if needed.
if not os.environ.get("MNIST_LR_DATA") and SHARED_DATA.is_dir():
    os.environ["MNIST_LR_DATA"] = str(SHARED_DATA)
# Tests may change MNIST_LR_DATA (monkeypatch); the fixture below keeps the
# folder chosen at start-up.
_MNIST_DIR = Path(os.environ["MNIST_LR_DATA"]) if os.environ.get("MNIST_LR_DATA") else None


@pytest.fixture(scope="session")
def mnist_dir():
    """The folder of real MNIST files (MNIST_LR_DATA or SHARED_DATA), or None if neither.

    None means: let mnist_lr find the files itself (in its cache).
    """
    return _MNIST_DIR


@pytest.fixture(scope="session")
def mnist():
    """The 60,000 official training images (float32) and labels; the test images stay locked."""
    from mnist_lr import load_mnist

    return load_mnist()


@pytest.fixture(scope="session")
def mnist_split(mnist):
    """The 48,000/12,000 split of the training images, seed 0: X_train, X_val, y_train, y_val."""
    from mnist_lr import train_val_split

    X, y = mnist
    return train_val_split(X, y, 0.2, random_state=0)


@pytest.fixture(scope="session")
def article_model(mnist_split):
    """SoftmaxRegression at the article's settings, trained once for the whole session."""
    from mnist_lr import SoftmaxRegression

    X_train, X_val, y_train, y_val = mnist_split
    return SoftmaxRegression(random_state=0).fit(X_train, y_train, X_val, y_val)


@pytest.fixture
def overflow_in_epoch_4(monkeypatch):
    """SoftmaxRegression's weights turn infinite at the end of its 4th epoch, as in an overflow."""
    import numpy as np

    from mnist_lr import model as model_module

    original = model_module._sgd_epoch
    calls = {"n": 0}

    def flaky_epoch(X, codes, coef, intercept, *args):
        calls["n"] += 1
        original(X, codes, coef, intercept, *args)
        if calls["n"] == 4:
            coef[0, 0] = np.inf

    monkeypatch.setattr(model_module, "_sgd_epoch", flaky_epoch)


@pytest.fixture
def fresh_venv(tmp_path):
    """A new virtual environment that borrows this test environment's packages.

    The new environment sees the installed dependencies through a ``.pth``
    file instead of downloading them; what a test installs into it comes
    first, ahead of them.
    Returns the folder; its interpreter is ``<folder>/bin/python``.
    """
    import subprocess
    import sysconfig
    import venv

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    site = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c",
         "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    Path(site, "test-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env_dir
