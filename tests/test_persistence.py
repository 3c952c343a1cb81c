"""Model files: a round trip restores everything; every malformed file is a clear ValueError."""

from __future__ import annotations

import errno
import json
import os
import stat
import zipfile

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.exceptions import NotFittedError

from mnist_lr import SoftmaxRegression
from mnist_lr.persistence import FORMAT_NAME, load_model, save_model, write_atomically


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


@pytest.fixture(scope="module")
def model(digits):
    """Stopped early, so its best epoch and its last differ."""
    X, y = digits
    return SoftmaxRegression(max_epochs=60, learning_rate=2.0, batch_size=10, patience=3,
                             alpha=0.001, random_state=0).fit(X[:300], y[:300], X[300:], y[300:])


@pytest.fixture
def arrays(model, tmp_path):
    """The members of a sound model file, as a dict to spoil."""
    with np.load(save_model(model, tmp_path / "good.npz"), allow_pickle=False) as stored:
        return {key: stored[key] for key in stored.files}


def write(tmp_path, arrays):
    np.savez(tmp_path / "bad.npz", **arrays)
    return tmp_path / "bad.npz"


def test_round_trip_restores_every_fitted_attribute(model, digits, tmp_path):
    X, _ = digits
    path = save_model(model, tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as stored:
        assert (str(stored["format"]), int(stored["format_version"])) == (FORMAT_NAME, 1)
    loaded = load_model(path)
    assert loaded.get_params() == model.get_params()
    assert (loaded.n_iter_, loaded.best_epoch_, loaded.diverged_) == (
        model.n_iter_, model.best_epoch_, False)
    assert loaded.best_epoch_ != loaded.n_iter_
    for name, values in model.history_.as_dict().items():
        np.testing.assert_array_equal(getattr(loaded.history_, name), values)
    np.testing.assert_array_equal(loaded.coef_, model.coef_)
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))


ROUND_TRIPS = {  # id: (X, y) -> (constructor parameters, X, y)
    "numpy integers": lambda X, y: (dict(batch_size=np.int64(50), random_state=np.int64(3)), X, y),
    "a Generator seed": lambda X, y: (dict(random_state=np.random.default_rng(0)), X, y),
    "string labels": lambda X, y: ({}, X, np.array([f"digit {d}" for d in y])),
    "strings as objects": lambda X, y: ({}, X, np.array([f"digit {d}" for d in y], dtype=object)),
    "two classes": lambda X, y: ({}, X[y < 2], y[y < 2]),
}


@pytest.mark.parametrize("case", ROUND_TRIPS.values(), ids=ROUND_TRIPS)
def test_unusual_models_round_trip(digits, tmp_path, case):
    params, X, y = case(digits[0][:200], digits[1][:200])
    model = SoftmaxRegression(**{"max_epochs": 2, "batch_size": 20, "random_state": 0,
                                 **params}).fit(X, y)
    loaded = load_model(save_model(model, tmp_path / "m.npz"))
    expected = model.get_params()
    if isinstance(expected["random_state"], np.random.Generator):
        expected["random_state"] = None  # a Generator has no portable form
    assert loaded.get_params() == expected
    assert loaded.classes_.tolist() == model.classes_.tolist()
    assert loaded.predict(X).tolist() == model.predict(X).tolist()


def test_a_diverged_model_is_saved_as_diverged(digits, tmp_path, overflow_in_epoch_4):
    with pytest.warns(RuntimeWarning, match="diverged"):
        model = SoftmaxRegression(max_epochs=6, batch_size=10, patience=None,
                                  random_state=0).fit(digits[0][:200], digits[1][:200])
    assert load_model(save_model(model, tmp_path / "m.npz")).diverged_ is True


def test_an_unfitted_model_or_a_missing_file_fails(tmp_path):
    with pytest.raises(NotFittedError):
        save_model(SoftmaxRegression(), tmp_path / "m.npz")
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path / "m.npz")


def params_with(arrays, **changes):
    return np.array(json.dumps({**json.loads(str(arrays["params"])), **changes}))


MALFORMED = {  # id: (the members to change, None to delete; the error's words)
    "parameter the class does not take": (
        lambda a: {"params": params_with(a, momentum=0.9)}, "invalid: .*'momentum'"),
    "invalid parameter value": (
        lambda a: {"params": params_with(a, batch_size=-3)}, "batch_size must be >= 1"),
    "parameters not JSON": (lambda a: {"params": np.array("{rate: 0.1")}, "parameters are inv"),
    "parameters a JSON list": (lambda a: {"params": np.array("[1, 2]")}, "parameters are inv"),
    "params not one text value": (lambda a: {"params": np.array(3)},
                                  "'params' must be one text value"),
    "missing diverged": (lambda a: {"diverged": None}, "lacks the array 'diverged'"),
    "format_version as text": (lambda a: {"format_version": np.array("1")}, "format_version"),
    "other format version": (lambda a: {"format_version": np.array(2)}, "format version 2"),
    "complex classes": (lambda a: {"classes": a["classes"].astype(complex)}, "numbers or text"),
    "classes as objects": (lambda a: {"classes": np.array([None] * 10)}, "not a readable"),
    "short intercept": (lambda a: {"intercept": a["intercept"][:-1]}, "inconsistent"),
    "weights as text": (lambda a: {"coef": a["coef"].astype(str)}, "'coef' must be a 2-D float"),
    "negative n_iter": (lambda a: {"n_iter": np.array(-1)}, "n_iter"),
    "best epoch past the end": (lambda a: {"best_epoch": a["n_iter"] + 1}, "best_epoch"),
    "short history": (lambda a: {"history_val_accuracy": a["history_val_accuracy"][:-1]},
                      "history arrays"),
    "diverged not a flag": (lambda a: {"diverged": np.array([1, 2])}, "diverged"),
    "not a model file": (lambda a: {"format": np.array("something.else")}, "not a mnist_lr"),
    "another program's file": (lambda a: {**dict.fromkeys(a), "weights": np.ones(3)},
                               "not a mnist_lr.SoftmaxRegression file"),
}


@pytest.mark.parametrize("spoil, match", MALFORMED.values(), ids=MALFORMED)
def test_malformed_files_are_a_value_error_naming_the_file(tmp_path, arrays, spoil, match):
    for key, value in spoil(arrays).items():
        if value is None:
            del arrays[key]
        else:
            arrays[key] = value
    path = write(tmp_path, arrays)
    with pytest.raises(ValueError, match=f"^cannot load the model {path}: .*{match}"):
        load_model(path)


DAMAGE = {
    "truncated": lambda data: data[: len(data) // 2],
    "64 bytes zeroed": lambda data: data[: len(data) // 3] + bytes(64) + data[len(data) // 3 + 64:],
    "text": lambda data: b"hello",
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE)
def test_damaged_files_are_a_value_error_naming_the_file(tmp_path, arrays, damage):
    path = write(tmp_path, arrays)
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(ValueError, match=f"^cannot load the model {path}: it is not a readable"):
        load_model(path)


def test_only_the_needed_members_are_read(tmp_path, arrays, monkeypatch):
    """An extra member that inflates to 800 MB is never opened, let alone read."""
    path = write(tmp_path, arrays)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("padding.npy", "w", force_zip64=True) as member:
            np.lib.format.write_array_header_1_0(
                member, {"descr": "<f8", "fortran_order": False, "shape": (10**8,)})
            for _ in range(100):  # 800 MB of zeros, a few MB on disk
                member.write(bytes(2**23))
    opened, original_open = [], zipfile.ZipFile.open

    def recording_open(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return original_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    load_model(path)
    assert opened and "padding.npy" not in opened


# -- saving ----------------------------------------------------------------------


def test_a_failed_save_names_the_destination_and_leaves_nothing(model, tmp_path):
    folder = tmp_path / "model.npz"
    folder.mkdir()
    for target, error, words in [
        (tmp_path / "no" / "m.npz", FileNotFoundError, f"the folder {tmp_path / 'no'} does not"),
        (folder, IsADirectoryError, "Is a directory"),
    ]:
        with pytest.raises(error, match=words) as caught:
            save_model(model, target)
        assert caught.value.filename == str(target) and ".tmp" not in str(caught.value)
    assert list(tmp_path.iterdir()) == [folder] and not any(folder.iterdir())


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_saved_file_mode_follows_the_umask(model, tmp_path, umask):
    previous = os.umask(umask)
    try:
        path = save_model(model, tmp_path / "m.npz")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("failure", [ValueError("the writer's own bug"), KeyboardInterrupt(),
                                     OSError(errno.ENOSPC, "No space left on device")],
                         ids=["ValueError", "KeyboardInterrupt", "OSError"])
def test_a_failed_save_is_raised_and_keeps_the_earlier_file(model, tmp_path, monkeypatch,
                                                              failure):
    path = save_model(model, tmp_path / "m.npz")
    before = path.read_bytes()

    def failing_savez(handle, **arrays):
        handle.write(b"PK\x03\x04 half a zip file")
        raise failure

    monkeypatch.setattr(np, "savez", failing_savez)
    with pytest.raises(type(failure)) as caught:
        save_model(model, path)
    if isinstance(failure, OSError):  # about the target, not the temporary file
        assert (caught.value.errno, caught.value.filename) == (errno.ENOSPC, str(path))
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path], "no temporary file is left"


def test_the_temporary_file_is_hidden_beside_the_target(tmp_path, monkeypatch):
    renames, real_replace = [], os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: renames.append((src, dst))
                        or real_replace(src, dst))
    target = tmp_path / "out.bin"
    write_atomically(target, lambda handle: handle.write(b"data"))
    assert target.read_bytes() == b"data"
    [(src, dst)] = renames
    # Beside the target, the rename is atomic (one filesystem); hidden, a leftover is no clutter.
    assert os.path.dirname(src) == str(tmp_path) and os.fspath(dst) == str(target)
    assert os.path.basename(src).startswith(".out.bin.")
