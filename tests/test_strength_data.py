"""Behaviour of mnist_lr.data that mutation testing found no other test pinning down."""

from __future__ import annotations

import pytest

from mnist_lr import load_mnist_train_test
from mnist_lr.data import DATA_ENV, fetch_mnist_files


@pytest.fixture
def shared_folder(mnist_dir):
    if mnist_dir is None:
        pytest.skip("needs a folder of MNIST files (MNIST_LR_DATA)")
    return mnist_dir


@pytest.mark.parametrize("timeout", [0, -1.5])
def test_a_timeout_that_is_not_positive_is_refused(shared_folder, timeout):
    # Refused even when the files are there and no download would start.
    with pytest.raises(ValueError, match=r"\btimeout\b"):
        fetch_mnist_files(shared_folder, timeout=timeout)


def test_train_and_test_images_both_come_from_data_dir(shared_folder, tmp_path, monkeypatch):
    # Elsewhere, empty folders: neither may be read.
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    X_train, y_train, X_test, y_test = load_mnist_train_test(
        shared_folder, cache_dir=tmp_path, download=False)
    assert (len(X_train), len(y_train), len(X_test), len(y_test)) == (60000, 60000, 10000, 10000)


def test_a_data_dir_that_is_not_a_folder_gets_the_way_out(tmp_path):
    with pytest.raises(FileNotFoundError) as caught:
        fetch_mnist_files(tmp_path / "no-such-folder", download=False)
    assert "Check the folder's name, or leave data_dir and MNIST_LR_DATA unset" in str(
        caught.value)
