"""Shared fixtures: the real MNIST, loaded once per test session, and a few test helpers."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import matplotlib
import pytest

# Figures are drawn off-screen here. (Not through MPLBACKEND: the notebook
# kernels that nbval starts would inherit it and lose their inline figures.)
matplotlib.use("Agg")

#: The real MNIST files beside the repository, as in development and CI; tests
#: use them through MNIST_LR_DATA or the ``mnist_dir`` fixture. Elsewhere the
#: loader falls back to its cache, downloading if needed.
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"
if not os.environ.get("MNIST_LR_DATA") and SHARED_DATA.is_dir():
    os.environ["MNIST_LR_DATA"] = str(SHARED_DATA)
# Tests may change MNIST_LR_DATA (monkeypatch); mnist_dir keeps the start-up folder.
_MNIST_DIR = Path(os.environ["MNIST_LR_DATA"]) if os.environ.get("MNIST_LR_DATA") else None


@pytest.fixture(scope="session")
def mnist_dir():
    """The folder of real MNIST files, or None: mnist_lr then finds them itself (its cache)."""
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

    return train_val_split(*mnist, 0.2, random_state=0)


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

    original, calls = model_module._sgd_epoch, []

    def flaky_epoch(X, codes, coef, intercept, *args):
        calls.append(1)
        original(X, codes, coef, intercept, *args)
        if len(calls) == 4:
            coef[0, 0] = np.inf

    monkeypatch.setattr(model_module, "_sgd_epoch", flaky_epoch)


@pytest.fixture
def fresh_venv(tmp_path):
    """A new virtual environment (its folder) that sees this one's packages through a .pth file.

    What a test installs into it comes first, ahead of them.
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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def serve():
    """``serve(folder)``: the address (no trailing /) of ``folder`` served on 127.0.0.1."""
    servers = []

    def start(folder):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        servers.append(http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler))
        threading.Thread(target=servers[-1].serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{servers[-1].server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
