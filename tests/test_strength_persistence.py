"""Behaviour of model files that mutation testing found no other test pinning down."""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest
from sklearn.datasets import load_digits

from mnist_lr import SoftmaxRegression
from mnist_lr.persistence import load_model, save_model, write_atomically


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:200] / 16.0, y[:200]


@pytest.fixture(scope="module")
def saved(digits, tmp_path_factory):
    """A sound model file, and its members as a dict to spoil."""
    X, y = digits
    model = SoftmaxRegression(max_epochs=3, batch_size=20, random_state=0).fit(X, y)
    path = save_model(model, tmp_path_factory.mktemp("saved") / "good.npz")
    with np.load(path, allow_pickle=False) as stored:
        return model, {key: stored[key] for key in stored.files}


def _write(path, members):
    np.savez(path, **members)
    return path


def test_string_labels_in_an_object_array_round_trip(digits, tmp_path):
    X, y = digits
    names = np.array([f"digit {label}" for label in y], dtype=object)
    model = SoftmaxRegression(max_epochs=2, batch_size=20, random_state=0).fit(X, names)
    loaded = load_model(save_model(model, tmp_path / "m.npz"))
    assert loaded.classes_.tolist() == model.classes_.tolist()
    assert loaded.predict(X[:20]).tolist() == model.predict(X[:20]).tolist()


def test_two_classes_round_trip(digits, tmp_path):
    X, y = digits
    keep = y < 2
    model = SoftmaxRegression(max_epochs=2, batch_size=20, random_state=0).fit(X[keep], y[keep])
    loaded = load_model(save_model(model, tmp_path / "m.npz"))
    np.testing.assert_array_equal(loaded.classes_, [0, 1])
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))


def test_a_generator_seed_is_saved_as_none(digits, tmp_path):
    X, y = digits
    model = SoftmaxRegression(max_epochs=2, batch_size=20,
                              random_state=np.random.default_rng(0)).fit(X, y)
    loaded = load_model(save_model(model, tmp_path / "m.npz"))
    assert loaded.get_params()["random_state"] is None


@pytest.mark.parametrize("spoil, match", [
    ({"params": np.array(3)}, "'params' must be one text value"),
    ({"classes": np.arange(10).astype(complex)}, "classes must be numbers or text"),
    ({"format_version": np.array(0)}, "format version 0"),
])
def test_more_malformed_files_name_the_file(saved, tmp_path, spoil, match):
    _, members = saved
    path = _write(tmp_path / "bad.npz", {**members, **spoil})
    with pytest.raises(ValueError, match=match) as caught:
        load_model(path)
    assert str(path) in str(caught.value)


def test_the_temporary_file_is_hidden_beside_the_target(tmp_path, monkeypatch):
    renames = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: renames.append((src, dst))
                        or real_replace(src, dst))
    target = tmp_path / "out.bin"
    write_atomically(target, lambda handle: handle.write(b"data"))
    assert target.read_bytes() == b"data"
    [(src, dst)] = renames
    # Beside the target, the rename is atomic (one filesystem); hidden, a leftover is no clutter.
    assert os.path.dirname(src) == str(tmp_path) and os.fspath(dst) == str(target)
    assert os.path.basename(src).startswith(".out.bin.")


def test_a_failed_write_is_reported_about_the_target_and_leaves_nothing(tmp_path):
    target = tmp_path / "out.bin"

    def disk_full(handle):
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError) as caught:
        write_atomically(target, disk_full)
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_keeps_its_error_number(saved, tmp_path):
    model, _ = saved
    target = tmp_path / "missing" / "m.npz"
    with pytest.raises(FileNotFoundError) as caught:
        save_model(model, target)
    assert caught.value.errno == errno.ENOENT and caught.value.filename == str(target)


def test_a_diverged_model_is_saved_as_diverged(digits, tmp_path, overflow_in_epoch_4):
    X, y = digits
    with pytest.warns(RuntimeWarning, match="diverged"):
        model = SoftmaxRegression(max_epochs=6, batch_size=10, patience=None,
                                  random_state=0).fit(X, y)
    assert model.diverged_
    assert load_model(save_model(model, tmp_path / "m.npz")).diverged_ is True
