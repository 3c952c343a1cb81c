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
def model_and_data():
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    model = SoftmaxRegression(max_epochs=60, learning_rate=2.0, batch_size=10, patience=3,
                              alpha=0.001, random_state=0).fit(X[:300], y[:300],
                                                                X[300:], y[300:])
    return model, X


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:200] / 16.0, y[:200]


@pytest.fixture
def arrays(model_and_data, tmp_path):
    """The members of a sound model file, as a dict to spoil."""
    model, _ = model_and_data
    path = save_model(model, tmp_path / "good.npz")
    with np.load(path, allow_pickle=False) as stored:
        return {key: stored[key] for key in stored.files}


def write(tmp_path, arrays, name="bad.npz"):
    path = tmp_path / name
    np.savez(path, **arrays)
    return path


def test_round_trip_restores_every_fitted_attribute(model_and_data, tmp_path):
    model, X = model_and_data
    loaded = load_model(save_model(model, tmp_path / "m.npz"))
    assert loaded.get_params() == model.get_params()
    assert (loaded.n_iter_, loaded.best_epoch_, loaded.diverged_) == (
        model.n_iter_, model.best_epoch_, model.diverged_)
    assert loaded.best_epoch_ != loaded.n_iter_  # early stopping: the two differ
    for name, values in model.history_.as_dict().items():
        np.testing.assert_array_equal(getattr(loaded.history_, name), values)
    np.testing.assert_array_equal(loaded.coef_, model.coef_)
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))


def test_numpy_integer_parameters_are_saved_as_numbers(digits, tmp_path):
    X, y = digits
    model = SoftmaxRegression(max_epochs=2, batch_size=np.int64(50),
                              random_state=np.int64(3)).fit(X, y)
    loaded = load_model(save_model(model, tmp_path / "m.npz"))
    assert loaded.get_params()["random_state"] == 3 and loaded.batch_size == 50


def test_a_generator_seed_is_saved_as_none(digits, tmp_path):
    X, y = digits
    model = SoftmaxRegression(max_epochs=2, batch_size=20,
                              random_state=np.random.default_rng(0)).fit(X, y)
    loaded = load_model(save_model(model, tmp_path / "m.npz"))
    assert loaded.get_params()["random_state"] is None


@pytest.mark.parametrize("dtype", [str, object])
def test_string_labels_round_trip(digits, tmp_path, dtype):
    X, y = digits
    names = np.array([f"digit {label}" for label in y], dtype=dtype)
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


def test_a_diverged_model_is_saved_as_diverged(digits, tmp_path, overflow_in_epoch_4):
    X, y = digits
    with pytest.warns(RuntimeWarning, match="diverged"):
        model = SoftmaxRegression(max_epochs=6, batch_size=10, patience=None,
                                  random_state=0).fit(X, y)
    assert model.diverged_
    assert load_model(save_model(model, tmp_path / "m.npz")).diverged_ is True


def test_saving_an_unfitted_model_fails(tmp_path):
    with pytest.raises(NotFittedError):
        save_model(SoftmaxRegression(), tmp_path / "m.npz")


def test_a_missing_file_is_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path / "absent.npz")


def params_with(arrays, **changes):
    params = json.loads(str(arrays["params"]))
    params.update(changes)
    return np.array(json.dumps(params))


MALFORMED = {
    "parameter of the wrong type": (
        lambda a: {"params": params_with(a, learning_rate="fast")}, "parameters are invalid"),
    "parameter the class does not take": (
        lambda a: {"params": params_with(a, momentum=0.9)}, "does not take: \\['momentum'\\]"),
    "invalid parameter value": (
        lambda a: {"params": params_with(a, batch_size=-3)}, "batch_size must be >= 1"),
    "invalid random_state": (
        lambda a: {"params": params_with(a, random_state="seed")}, "random_state"),
    "parameters not JSON": (
        lambda a: {"params": np.array("{learning_rate: 0.1")}, "not valid JSON"
    ),
    "parameters a JSON list": (lambda a: {"params": np.array("[1, 2]")}, "JSON object"),
    "missing format_version": (lambda a: {"format_version": None}, "lacks the array"),
    "missing diverged": (lambda a: {"diverged": None}, "lacks the array 'diverged'"),
    "format_version as text": (lambda a: {"format_version": np.array("1")}, "format_version"),
    "other format version": (lambda a: {"format_version": np.array(2)}, "format version 2"),
    "format version 0": (lambda a: {"format_version": np.array(0)}, "format version 0"),
    "params not one text value": (lambda a: {"params": np.array(3)},
                                  "'params' must be one text value"),
    "complex classes": (lambda a: {"classes": a["classes"].astype(complex)},
                        "classes must be numbers or text"),
    "short intercept": (lambda a: {"intercept": a["intercept"][:-1]}, "inconsistent"),
    "weights as text": (lambda a: {"coef": a["coef"].astype(str)}, "'coef' must be a 2-D float"),
    "NaN weights": (lambda a: {"coef": np.where(a["coef"] > 0, np.nan, a["coef"])}, "NaN"),
    "infinite bias": (lambda a: {"intercept": a["intercept"] + np.inf}, "NaN or infinite"),
    "infinite history": (lambda a: {"history_loss": a["history_loss"] * np.inf}, "history_loss"),
    "duplicate classes": (lambda a: {"classes": np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 8])},
                          "distinct"),
    "classes as objects": (lambda a: {"classes": np.array([None] * 10)}, "not a readable"),
    "too few classes": (lambda a: {"classes": a["classes"][:3]}, "inconsistent"),
    "1-D weights": (lambda a: {"coef": a["coef"].ravel()}, "2-D"),
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
    with pytest.raises(ValueError, match=match) as caught:
        load_model(path)
    assert str(path) in str(caught.value)


DAMAGE = {
    "truncated": lambda data: data[: len(data) // 2],
    "64 bytes zeroed": lambda data: data[: len(data) // 3] + bytes(64) + data[len(data) // 3 + 64:],
    "text": lambda data: b"hello",
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE)
def test_damaged_files_are_a_value_error_naming_the_file(tmp_path, arrays, damage):
    path = write(tmp_path, arrays)
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(ValueError, match="not a readable model file") as caught:
        load_model(path)
    assert str(path) in str(caught.value)


def test_only_the_needed_members_are_read(tmp_path, arrays, monkeypatch):
    """An extra member that inflates to 800 MB is never opened, let alone read."""
    path = write(tmp_path, arrays)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("padding.npy", "w", force_zip64=True) as member:
            np.lib.format.write_array_header_1_0(
                member, {"descr": "<f8", "fortran_order": False, "shape": (10**8,)}
            )
            zeros = bytes(2**23)
            for _ in range(100):  # 800 MB of zeros, a few MB on disk
                member.write(zeros)
    assert path.stat().st_size < 10 * 2**20
    opened = []
    original_open = zipfile.ZipFile.open

    def recording_open(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return original_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    load_model(path)
    assert opened and "padding.npy" not in opened


# -- saving ----------------------------------------------------------------------


def test_save_to_a_missing_folder_names_the_destination(model_and_data, tmp_path):
    model, _ = model_and_data
    target = tmp_path / "no" / "such" / "folder" / "m.npz"
    with pytest.raises(FileNotFoundError, match="does not exist") as caught:
        save_model(model, target)
    assert str(target) in str(caught.value) and ".tmp" not in str(caught.value)
    assert caught.value.errno == errno.ENOENT and caught.value.filename == str(target)


def test_save_onto_a_folder_names_the_destination(model_and_data, tmp_path):
    model, _ = model_and_data
    with pytest.raises(IsADirectoryError, match="is a folder") as caught:
        save_model(model, tmp_path)
    assert str(tmp_path) in str(caught.value) and ".tmp" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions, which root ignores")
def test_save_into_a_read_only_folder_names_the_destination(model_and_data, tmp_path):
    model, _ = model_and_data
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(PermissionError, match="m.npz") as caught:
            save_model(model, folder / "m.npz")
        assert ".tmp" not in str(caught.value)
    finally:
        folder.chmod(0o700)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_read_only_model_file_is_not_replaced(model_and_data, tmp_path):
    model, _ = model_and_data
    target = tmp_path / "m.npz"
    target.write_bytes(b"an earlier model")
    target.chmod(0o444)
    with pytest.raises(PermissionError, match="the file there is read-only") as caught:
        save_model(model, target)
    assert str(target) in str(caught.value) and "0444" in str(caught.value)
    assert target.read_bytes() == b"an earlier model"
    assert stat.S_IMODE(target.stat().st_mode) == 0o444
    assert list(tmp_path.iterdir()) == [target], "no temporary file is left"
    target.chmod(0o644)
    assert save_model(model, target) == target, "a writable file is replaced as before"
    assert load_model(target).n_iter_ == model.n_iter_


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_saved_file_mode_follows_the_umask(model_and_data, tmp_path, umask):
    model, _ = model_and_data
    previous = os.umask(umask)
    try:
        path = save_model(model, tmp_path / "m.npz")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("failure", [ValueError("the writer's own bug"), KeyboardInterrupt()],
                         ids=["ValueError", "KeyboardInterrupt"])
def test_a_failure_while_writing_is_raised_and_the_earlier_file_kept(tmp_path, failure):
    target = tmp_path / "out.bin"
    target.write_bytes(b"the earlier file")

    def failing(handle):
        handle.write(b"half")
        raise failure

    with pytest.raises(type(failure)):
        write_atomically(target, failing)
    assert target.read_bytes() == b"the earlier file"
    assert list(tmp_path.iterdir()) == [target], "no temporary file is left"


def test_the_file_says_what_it_is(model_and_data, tmp_path):
    model, _ = model_and_data
    with np.load(save_model(model, tmp_path / "m.npz"), allow_pickle=False) as stored:
        assert str(stored["format"]) == FORMAT_NAME == "mnist_lr.SoftmaxRegression"
        assert int(stored["format_version"]) == 1
        assert "alpha" in json.loads(str(stored["params"]))


def test_interrupted_save_keeps_the_previous_file(model_and_data, tmp_path, monkeypatch):
    model, X = model_and_data
    path = save_model(model, tmp_path / "m.npz")
    before = path.read_bytes()

    def broken_savez(handle, **arrays):
        handle.write(b"PK\x03\x04 half a zip file")
        raise KeyboardInterrupt  # as if the kernel were interrupted mid-write

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(KeyboardInterrupt):
        save_model(model, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]  # no temporary file left
    monkeypatch.undo()
    np.testing.assert_array_equal(load_model(path).predict(X), model.predict(X))


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
