"""Saving a trained :class:`~mnist_lr.SoftmaxRegression` to a file, and loading it back.

A model file is a NumPy ``.npz`` archive of named arrays, read without pickle,
so loading a file from elsewhere cannot run code:

==========================  ==================================================
``format``                  the text ``mnist_lr.SoftmaxRegression``
``format_version``          1
``params``                  the constructor parameters, as JSON text
``coef``, ``intercept``     the weights (n_classes, n_features), the biases
``classes``                 the labels, sorted
``n_iter``, ``best_epoch``  epochs run; the 1-based epoch whose weights were kept
``diverged``                whether training stopped because of overflow
``history_<name>``          one per field of :class:`~mnist_lr.model.TrainingHistory`
==========================  ==================================================

Loading reads only these members and checks each one: a malformed file gives a
``ValueError`` that names it. Only the model's public surface is used: parameters,
:meth:`~mnist_lr.SoftmaxRegression.validate_params`, fitted attributes.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import secrets
from pathlib import Path

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .model import SoftmaxRegression, TrainingHistory

__all__ = ["save_model", "load_model", "write_atomically", "FORMAT_NAME", "FORMAT_VERSION"]

FORMAT_NAME = "mnist_lr.SoftmaxRegression"
FORMAT_VERSION = 1

_HISTORY = [f.name for f in dataclasses.fields(TrainingHistory)]


def save_model(model, path):
    """Write a fitted model to ``path`` (no ``.npz`` added) with :func:`write_atomically`.

    Returns the path. An ``OSError`` (a missing folder, a read-only file...) names ``path``.
    """
    check_is_fitted(model)
    path = Path(path)
    arrays = _as_arrays(model)
    if path.is_dir():
        raise IsADirectoryError(f"cannot save the model to {path}: it is a folder; give a file "
                                f"name such as {path / 'model.npz'}")
    return write_atomically(path, lambda handle: np.savez(handle, **arrays))


def write_atomically(path, write):
    """Call ``write(handle)`` on a temporary file beside ``path``, then rename it over ``path``.

    The package's one crash-safe write (models, the command line's figures): a
    failed or interrupted write leaves any earlier file and no half-written one.
    The file gets the usual permissions (``0o666`` less the umask, which the system
    applies); a read-only file is not replaced, as ``cp`` would not. An ``OSError``
    names ``path``, never the temporary file.
    """
    path = Path(path)
    _refuse_read_only(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:  # O_EXCL: never an existing file; O_BINARY: no newline translation on Windows
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise _naming(exc, path) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _naming(exc, path) from exc
        raise
    return path


def _refuse_read_only(path):
    """Refuse a read-only file (no write bit, which root's ``os.access`` ignores, or no access)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # nothing there (or nothing to ask): the save itself reports any problem
    if mode & 0o222 and os.access(path, os.W_OK):
        return
    raise PermissionError(errno.EACCES, f"the file there is read-only (mode {mode & 0o777:04o}); "
                          "make it writable, remove it, or choose another name", str(path))


def _naming(error, path):
    """The same kind of OSError, about ``path`` instead of the temporary file."""
    reason = error.strerror or str(error)
    if isinstance(error, FileNotFoundError) and not path.parent.is_dir():
        reason = f"the folder {path.parent} does not exist"
    return type(error)(error.errno, reason, str(path))


def _as_arrays(model):
    classes = np.asarray(model.classes_)
    if classes.dtype == object:  # strings, unless someone set classes_ by hand
        if not all(isinstance(c, str) for c in classes):
            raise ValueError("classes_ mixes label types; only numbers or strings can be saved")
        classes = classes.astype(str)
    params = {key: value.item() if isinstance(value, np.generic) else value
              for key, value in model.get_params().items()}
    if not isinstance(params["random_state"], (int, type(None))):
        params["random_state"] = None  # a Generator has no portable form
    return {
        "format": np.array(FORMAT_NAME), "format_version": np.array(FORMAT_VERSION),
        "params": np.array(json.dumps(params)), "coef": model.coef_,
        "intercept": model.intercept_, "classes": classes, "n_iter": np.array(model.n_iter_),
        "best_epoch": np.array(model.best_epoch_), "diverged": np.array(bool(model.diverged_)),
        **{f"history_{name}": getattr(model.history_, name) for name in _HISTORY},
    }


def load_model(path):
    """Load a model written by :func:`save_model`, fitted, with everything restored.

    Raises ``FileNotFoundError`` if there is no file, and ``ValueError`` naming
    the file and what is wrong if it is not a complete, valid model file.
    """
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as stored:
            found = _read_members(stored, path)
    except (FileNotFoundError, _BadModelFile):
        raise
    except Exception as exc:  # zipfile.BadZipFile, OSError, EOFError, pickled arrays...
        raise _invalid(path, f"it is not a readable model file ({exc})") from exc
    try:
        params = json.loads(found["params"])
    except json.JSONDecodeError as exc:
        raise _invalid(path, f"its parameters are not valid JSON ({exc})") from exc
    if not isinstance(params, dict):
        raise _invalid(path, f"its parameters must be a JSON object, got {type(params).__name__}")
    unknown = sorted(set(params) - set(SoftmaxRegression().get_params()))
    if unknown:
        raise _invalid(path, f"it has parameters that SoftmaxRegression does not take: {unknown}")
    try:
        model = SoftmaxRegression(**params)
        model.validate_params()
    except (TypeError, ValueError) as exc:
        raise _invalid(path, f"its parameters are invalid: {exc}") from exc
    _check_consistent(path, found)
    # A new estimator has no fitted attributes: set them, as fit would.
    model.classes_, model.n_features_in_ = found["classes"], found["coef"].shape[1]
    model.coef_, model.intercept_ = found["coef"], found["intercept"]
    model.n_iter_, model.best_epoch_ = found["n_iter"], found["best_epoch"]
    model.diverged_, model.history_ = found["diverged"], TrainingHistory(*found["history"])
    return model


class _BadModelFile(ValueError):
    """A model file that could be read but is not a valid model."""


def _invalid(path, reason):  # the one wording of every error about a model file
    return _BadModelFile(f"cannot load the model {path}: {reason}")


# Each kind of single-value member: (what the error says it must be, its test).
_KINDS = {
    "text": ("one text value", lambda v: v.dtype.kind == "U"),
    "integer": ("one integer >= 0", lambda v: v.dtype.kind in "iu" and v >= 0),
    "flag": ("True or False", lambda v: v.dtype.kind == "b"),
}


def _member(stored, path, name, kind=None, ndim=None):
    """One member of the archive, checked: a value of a ``kind``, or ``ndim`` finite floats."""
    if name not in stored.files:
        raise _invalid(path, f"it lacks the array {name!r}")
    value = stored[name]
    got = f"got {value.dtype} array of shape {value.shape}"
    if kind is not None:
        what, test = _KINDS[kind]
        if value.shape != () or not test(value):
            raise _invalid(path, f"{name!r} must be {what}, {got}")
        return value.item()
    if ndim is not None:
        if value.ndim != ndim or value.dtype not in (np.float32, np.float64):
            raise _invalid(path, f"{name!r} must be a {ndim}-D float32 or float64 array, {got}")
        if not np.isfinite(value).all():
            raise _invalid(path, f"{name!r} holds NaN or infinite values")
    return value


def _read_members(stored, path):
    """Each needed member of the archive, checked on its own; a dict by name."""
    if "format" not in stored.files:
        raise _invalid(path, f"it is not a {FORMAT_NAME} file (it has no 'format')")
    fmt = _member(stored, path, "format", "text")
    if fmt != FORMAT_NAME:
        raise _invalid(path, f"it is not a {FORMAT_NAME} file (format {fmt!r})")
    version = _member(stored, path, "format_version", "integer")
    if version != FORMAT_VERSION:
        raise _invalid(path, f"it has format version {version}; this mnist_lr reads version "
                             f"{FORMAT_VERSION}")
    found = {name: _member(stored, path, name, kind, ndim) for name, kind, ndim in [
        ("params", "text", None), ("classes", None, None), ("n_iter", "integer", None),
        ("best_epoch", "integer", None), ("diverged", "flag", None), ("coef", None, 2),
        ("intercept", None, 1)]}
    found["history"] = [_member(stored, path, f"history_{name}", ndim=1) for name in _HISTORY]
    return found


def _check_consistent(path, found):
    """Check that the members agree with each other (each was checked on its own)."""
    coef, intercept, classes = found["coef"], found["intercept"], found["classes"]
    n_iter = found["n_iter"]
    if intercept.shape != (len(coef),) or classes.shape != (len(coef),) or len(coef) < 2:
        raise _invalid(path, f"its shapes are inconsistent: coef {coef.shape}, intercept "
                             f"{intercept.shape}, classes {classes.shape}")
    if classes.dtype.kind not in "iufU":
        raise _invalid(path, f"its classes must be numbers or text, got {classes.dtype}")
    if not np.all(classes[1:] > classes[:-1]):
        raise _invalid(path, f"its classes must be distinct and sorted, got {classes.tolist()}")
    lengths = [len(values) for values in found["history"]]
    if any(length != n_iter for length in lengths):
        raise _invalid(path, f"its history arrays must have n_iter={n_iter} entries, got {lengths}")
    if found["best_epoch"] > n_iter or (n_iter and not found["best_epoch"]):
        raise _invalid(path, f"best_epoch={found['best_epoch']} is not one of its {n_iter} epochs")
