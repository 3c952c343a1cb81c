"""Tests for behaviour that mutation testing showed no other test pins down.

Each class holds the gaps of one module. Newer ones are in the
``test_strength_<module>.py`` files (docs/MUTATION.md).
"""

from __future__ import annotations

import gzip

import numpy as np
import pytest

import mnist_lr
from mnist_lr import load_mnist, load_mnist_split, train_val_split
from mnist_lr.data import read_idx
from mnist_lr.model import TrainingHistory


def _history(val_accuracy):
    """A history built by hand, with made-up curves beside the validation accuracy."""
    val_accuracy = np.asarray(val_accuracy, dtype=float)
    return TrainingHistory(
        loss=np.linspace(2.0, 1.0, len(val_accuracy)),
        train_accuracy=np.linspace(0.5, 0.99, len(val_accuracy)),
        val_loss=np.linspace(2.0, 1.5, len(val_accuracy)),
        val_accuracy=val_accuracy,
    )


class TestModel:
    def test_best_epoch_is_the_highest_validation_accuracy_counted_from_1(self):
        # The worst epoch is the first and the last epoch is not the best, so
        # argmin, "last epoch" and 0-based answers all fail.
        assert _history([0.2, 0.9, 0.5, 0.7]).best_epoch == 2

    def test_best_epoch_takes_the_first_of_tied_epochs(self):
        assert _history([0.3, 0.8, 0.6, 0.8, 0.8]).best_epoch == 2

    def test_best_epoch_of_one_epoch_and_of_no_epochs(self):
        assert _history([0.4]).best_epoch == 1
        assert _history([]).best_epoch == 0
        assert len(_history([])) == 0 and len(_history([0.1, 0.2])) == 2

    def test_best_epoch_ignores_training_accuracy(self):
        history = _history([0.9, 0.1, 0.1])
        history.train_accuracy = np.array([0.1, 0.5, 0.9])
        assert history.best_epoch == 1


class TestData:
    @pytest.mark.parametrize("dtype", ["nonsense", "float16", np.int8, "uint8", int])
    @pytest.mark.parametrize("loader", [load_mnist, mnist_lr.load_mnist_train_test,
                                        load_mnist_split])
    def test_bad_dtype_is_a_value_error_before_any_reading(self, loader, dtype, tmp_path):
        # An empty folder: the dtype must be refused before the files are looked for.
        with pytest.raises(ValueError, match="dtype must be float32 or float64"):
            loader(data_dir=tmp_path, dtype=dtype)

    @pytest.mark.parametrize("compress", [False, True])
    def test_three_byte_idx_file_is_rejected_by_name(self, tmp_path, compress):
        path = tmp_path / ("tiny.idx.gz" if compress else "tiny.idx")
        payload = b"\x00\x00\x08"
        path.write_bytes(gzip.compress(payload) if compress else payload)
        with pytest.raises(ValueError, match="tiny.idx"):
            read_idx(path)

    def test_two_samples_split_one_and_one(self):
        X, y = np.array([[1.0], [2.0]]), np.array([0, 1])
        X_train, X_val, y_train, y_val = train_val_split(X, y, 0.5, random_state=0)
        assert len(X_train) == len(X_val) == len(y_train) == len(y_val) == 1
        assert sorted([y_train[0], y_val[0]]) == [0, 1]
        assert X_train[0, 0] == y_train[0] + 1 and X_val[0, 0] == y_val[0] + 1
        with pytest.raises(ValueError, match="both need at least one"):
            train_val_split(X, y, 0.2, random_state=0)

    def test_load_mnist_split_default_is_the_articles_split(self, mnist):
        """The article's 80/20 split, of the 60,000 training images only."""
        X_train, X_val, y_train, y_val = load_mnist_split(random_state=0)
        assert X_train.shape == (48000, 784) and X_val.shape == (12000, 784)
        assert X_train.dtype == np.float32
        expected = train_val_split(*mnist, 0.2, random_state=0)
        for got, want in zip((X_train, X_val, y_train, y_val), expected):
            np.testing.assert_array_equal(got, want)

    def test_read_idx_takes_a_str_path_and_returns_read_only_bytes(self, tmp_path):
        path = tmp_path / "tiny.idx"
        # Magic 0x00000801 (unsigned bytes, 1 dimension), size 3, then the data.
        path.write_bytes(b"\x00\x00\x08\x01" + (3).to_bytes(4, "big") + bytes([7, 0, 255]))
        array = read_idx(str(path), expected_magic=2049, expected_shape=(3,))
        np.testing.assert_array_equal(array, [7, 0, 255])
        assert array.dtype == np.uint8 and not array.flags.writeable

    @pytest.mark.parametrize("through_env", [False, True])
    def test_a_data_folder_that_does_not_exist_is_named(self, tmp_path, monkeypatch,
                                                         through_env):
        missing = tmp_path / "no-such-folder"
        if through_env:
            monkeypatch.setenv("MNIST_LR_DATA", str(missing))
            kwargs = {}
        else:
            kwargs = {"data_dir": missing}
        with pytest.raises(mnist_lr.MNISTNotFoundError, match="no-such-folder, which is not a"):
            mnist_lr.fetch_mnist_files(download=False, **kwargs)
