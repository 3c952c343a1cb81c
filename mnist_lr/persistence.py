"""Saving a trained :class:`~mnist_lr.SoftmaxRegression` to a file, and loading it back.

A model file is a NumPy ``.npz`` archive, read without pickle (so that a file from
elsewhere cannot run code), of the arrays ``format`` (the text ``mnist_lr.SoftmaxRegression``),
``format_version`` (1), ``params`` (the constructor parameters, as JSON text), ``coef``
(n_classes, n_features), ``intercept``, ``classes`` (the labels, sorted), ``n_iter`` (epochs
run), ``best_epoch`` (the 1-based epoch whose weights were kept), ``diverged`` and one
``history_<name>`` per field of :class:`~mnist_lr.model.TrainingHistory`. Loading reads only
these and checks them: a malformed file gives a ``ValueError`` that names it.
"""

from __future__ import annotations

import dataclasses
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

_HISTORY = [f"history_{f.name}" for f in dataclasses.fields(TrainingHistory)]


def save_model(model, path):
    """Write a fitted model to ``path`` (no ``.npz`` added) with :func:`write_atomically`."""
    check_is_fitted(model)
    arrays = _as_arrays(model)
    return write_atomically(path, lambda handle: np.savez(handle, **arrays))


def write_atomically(path, write):
    """Call ``write(handle)`` on a temporary file beside ``path``, then rename it over ``path``.

    The package's one crash-safe write: any failure, Ctrl-C included, is raised and leaves
    the earlier file, if any, and no temporary one. The file gets the usual permissions
    (``0o666`` less the umask). An ``OSError`` names ``path``. Returns ``path``.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")  # hidden: no clutter
    try:
        with open(tmp, "xb") as handle:  # "x": a new file, never an existing one
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


def _naming(error, path):
    """The same kind of OSError, about ``path`` instead of the temporary file."""
    reason = error.strerror or str(error)
    if isinstance(error, FileNotFoundError) and not path.parent.is_dir():
        reason = f"the folder {path.parent} does not exist"
    return type(error)(error.errno, reason, str(path))


def _as_arrays(model):
    params = {key: value.item() if isinstance(value, np.generic) else value
              for key, value in model.get_params().items()}
    if not isinstance(params["random_state"], (int, type(None))):
        params["random_state"] = None  # a Generator has no portable form
    classes = np.asarray(model.classes_)
    return {
        "format": np.array(FORMAT_NAME), "format_version": np.array(FORMAT_VERSION),
        "params": np.array(json.dumps(params)), "coef": model.coef_,
        "intercept": model.intercept_, "n_iter": np.array(model.n_iter_),
        # String labels may come as Python objects, which only pickle could store.
        "classes": classes.astype(str) if classes.dtype == object else classes,
        "best_epoch": np.array(model.best_epoch_), "diverged": np.array(bool(model.diverged_)),
        **{name: getattr(model.history_, name.removeprefix("history_")) for name in _HISTORY},
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
        model = SoftmaxRegression(**json.loads(found["params"]))
        model.validate_params()
    except (TypeError, ValueError) as exc:  # not JSON, not a dict, unknown or bad values
        raise _invalid(path, f"its parameters are invalid: {exc}") from exc
    # A new estimator has no fitted attributes: set them, as fit would.
    for name in ("classes", "coef", "intercept", "n_iter", "best_epoch", "diverged"):
        setattr(model, f"{name}_", found[name])
    model.n_features_in_ = model.coef_.shape[1]
    model.history_ = TrainingHistory(*(found[name] for name in _HISTORY))
    return model


class _BadModelFile(ValueError):
    """A model file that could be read but is not a valid model."""


def _invalid(path, reason):  # the one wording of every error about a model file
    return _BadModelFile(f"cannot load the model {path}: {reason}")


# Tables built from plain values: nothing of the package runs while it is imported.
_FLOATS = (np.float32, np.float64)
_2D = ("a 2-D float32 or float64 array", lambda v: v.ndim == 2 and v.dtype in _FLOATS)
_1D = ("a 1-D float32 or float64 array", lambda v: v.ndim == 1 and v.dtype in _FLOATS)
_COUNT = ("one integer >= 0", lambda v: v.shape == () and v.dtype.kind in "iu" and v >= 0)

# What each member must be: (the error's words, the test).
_MEMBERS = {
    "format_version": _COUNT, "n_iter": _COUNT, "best_epoch": _COUNT,
    "params": ("one text value", lambda v: v.shape == () and v.dtype.kind == "U"),
    "diverged": ("True or False", lambda v: v.shape == () and v.dtype.kind == "b"),
    "classes": ("numbers or text, in a 1-D array",
                lambda v: v.ndim == 1 and v.dtype.kind in "iufU"),
    "coef": _2D, "intercept": _1D, **dict.fromkeys(_HISTORY, _1D),
}


def _read_members(stored, path):
    """Each member the model needs, checked on its own and against the others; a dict."""
    if "format" not in stored.files or str(stored["format"]) != FORMAT_NAME:
        raise _invalid(path, f"it is not a {FORMAT_NAME} file")
    found = {}
    for name, (what, test) in _MEMBERS.items():
        if name not in stored.files:
            raise _invalid(path, f"it lacks the array {name!r}")
        value = found[name] = stored[name]
        if not test(value):
            raise _invalid(path, f"{name!r} must be {what}, got {value.dtype} array of shape "
                                 f"{value.shape}")
        if name == "format_version" and value != FORMAT_VERSION:
            raise _invalid(path, f"it has format version {value}; this mnist_lr reads version "
                                 f"{FORMAT_VERSION}")
    coef, intercept, classes = found["coef"], found["intercept"], found["classes"]
    if intercept.shape != (len(coef),) or classes.shape != (len(coef),) or len(coef) < 2:
        raise _invalid(path, f"its shapes are inconsistent: coef {coef.shape}, intercept "
                             f"{intercept.shape}, classes {classes.shape}")
    n_iter, best = found["n_iter"], found["best_epoch"]
    lengths = [len(found[name]) for name in _HISTORY]
    if any(length != n_iter for length in lengths) or best > n_iter or (n_iter and not best):
        raise _invalid(path, f"its history arrays must have n_iter={n_iter} entries, got "
                             f"{lengths}, and best_epoch={best} be one of its epochs")
    return {name: value.item() if value.ndim == 0 else value for name, value in found.items()}
