"""Getting MNIST: locate or download the four canonical files, parse them, split them.

The files are looked for in ``data_dir`` (else ``$MNIST_LR_DATA``; only read,
and it may hold them gunzipped), then in the per-user cache, and are otherwise
downloaded into the cache by pooch, from the :data:`MIRRORS` in turn. Every
file is checked against its SHA-256 before it is used. The images come back as
``float32`` in [0, 1]: half the memory of ``float64``, ample for 8-bit pixels.
"""

from __future__ import annotations

import contextlib
import gzip
import math
import os
import tempfile
import zlib
from pathlib import Path

import numpy as np

from ._checks import check_int, check_real, check_Xy, make_rng

__all__ = [
    "DATA_ENV", "CACHE_ENV", "MIRRORS_ENV", "MIRRORS", "FILES", "MNISTNotFoundError",
    "default_cache_dir", "fetch_mnist_files", "read_idx", "load_mnist", "load_mnist_train_test",
    "load_mnist_split", "train_val_split", "subsample",
]

DATA_ENV = "MNIST_LR_DATA"
CACHE_ENV = "MNIST_LR_CACHE"
MIRRORS_ENV = "MNIST_LR_MIRRORS"

# Public copies of the original files; yann.lecun.com now refuses most requests.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)

# SHA-256 of the four canonical .gz files.
FILES = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",  # noqa: E501
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",  # noqa: E501
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

# Each file's IDX magic number, shape, and SHA-256 gunzipped (as a data folder may hold it).
_LAYOUT = {
    "train-images-idx3-ubyte.gz": (2051, (60000, 28, 28),
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    "train-labels-idx1-ubyte.gz": (2049, (60000,),
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    "t10k-images-idx3-ubyte.gz": (2051, (10000, 28, 28),
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    "t10k-labels-idx1-ubyte.gz": (2049, (10000,),
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
}

DEFAULT_TIMEOUT = 30.0  # seconds a mirror may stay silent: to connect, or between two reads
_TOTAL_MB = "11.6 MB"  # the four .gz files together

# The second way out of a missing data set, in the words of where the user is.
_LOCAL_COPY = (f"download the four files from {MIRRORS[0]} into a folder and set {DATA_ENV} to "
               "it before starting JupyterLab (restart JupyterLab from a shell where the "
               "variable is set), or pass data_dir=... to load_mnist")
_LOCAL_COPY_CLI = (f"download the four files from {MIRRORS[0]} into a folder and pass it as "
                   f"--data-dir DIR, or set {DATA_ENV}=DIR")


def _ways_out(first=None, local=_LOCAL_COPY):
    first = first or (f"connect to the internet and run this again; the four files "
                      f"({_TOTAL_MB}) are then downloaded once, into the cache")
    return f"Two ways out:\n  - {first};\n  - or {local}."


class MNISTNotFoundError(FileNotFoundError):
    """MNIST could be neither found locally nor downloaded.

    The message is the ``summary`` (what is missing, and why), then the advice: ``hint``, or
    ``cli_hint`` for the command line (see :meth:`message`). The failed downloads are kept in
    ``failures`` ({url: exception}), not chained: a learner reads no traceback of them.
    """

    def __init__(self, summary, *, failures=None, hint=None, cli_hint=None):
        self.summary, self.failures = str(summary), dict(failures or {})
        self.hint = hint or _ways_out()
        self.cli_hint = cli_hint or _ways_out(local=_LOCAL_COPY_CLI)
        super().__init__(self.message())

    def message(self, for_cli=False) -> str:
        """The summary followed by the advice for Python (default) or the command line."""
        return f"{self.summary}\n{self.cli_hint if for_cli else self.hint}"

    def __str__(self):  # from the parts, so that a pickled copy reads the same
        return self.message()


def _reason(exc) -> str:
    """Why one download failed, in a few words ("could not connect": the mirror never answered)."""
    import requests
    from urllib3.exceptions import ReadTimeoutError

    if isinstance(exc, requests.HTTPError):
        return f"HTTP {exc.response.status_code} {exc.response.reason}"
    if isinstance(exc, requests.ReadTimeout) or isinstance(exc.__context__, ReadTimeoutError):
        return "timed out"  # requests calls a silence in mid-file a ConnectionError
    words = [(requests.ConnectionError, "could not connect"),
             (requests.exceptions.ChunkedEncodingError, "the transfer broke off"),
             (requests.RequestException, str(exc)),  # a malformed mirror URL, for one
             (ValueError, "checksum mismatch")]  # pooch's verdict on the downloaded file
    return next((w for kind, w in words if isinstance(exc, kind)), repr(exc))


def _not_found(notes, failures, data_dir, cache, download):
    """The error for files neither here nor downloaded; ``failures``: {url: exception}."""
    lines = ["MNIST is not on this computer and could not be downloaded." if download else
             "MNIST is not on this computer, and downloading is off (download=False).",
             f"Looked in {f'{data_dir} and in ' if data_dir else ''}the cache {cache}."]
    for name, note in notes.items():
        tried = [_reason(e) for url, e in failures.items() if url.endswith("/" + name)]
        if tried:
            note += f"; no mirror sent it ({len(tried)} tried: {'; '.join(dict.fromkeys(tried))})"
        lines.append(f"  {name}: {note}{'' if tried or not download else '; not tried'}")
    first = None  # no mirror could be reached: connect to the internet
    if not download:
        first = f"call it again with download=True while online ({_TOTAL_MB}, downloaded once)"
    elif any(_reason(e) != "could not connect" for e in failures.values()):
        first = f"try again later, or name other mirrors in {MIRRORS_ENV}"
    return MNISTNotFoundError("\n".join(lines), failures=failures, hint=_ways_out(first),
                              cli_hint=_ways_out(first, _LOCAL_COPY_CLI))


def default_cache_dir() -> Path:
    """The per-user cache folder, ``$MNIST_LR_CACHE`` or the platform's (maybe not made yet)."""
    import pooch

    return Path(os.environ.get(CACHE_ENV) or pooch.os_cache("mnist_lr")).expanduser()


def _data_dir(data_dir) -> Path | None:
    """The folder named by ``data_dir``, else by ``$MNIST_LR_DATA``; None if neither names one."""
    source = "data_dir" if data_dir is not None else DATA_ENV
    data_dir = data_dir if data_dir is not None else os.environ.get(DATA_ENV) or None
    if data_dir is not None and not Path(data_dir).expanduser().is_dir():
        # A typo here would otherwise fall through to the cache or a download.
        raise MNISTNotFoundError(
            f"{source} names {Path(data_dir).expanduser()}, which is not a folder.",
            hint=f"Check the folder's name, or leave data_dir and {DATA_ENV} unset to use "
            "the cache (downloading the files into it if needed).",
            cli_hint=f"Check the folder given by --data-dir or {DATA_ENV}.")
    return Path(data_dir).expanduser() if data_dir is not None else None


def _check_local(name, data_dir, cache, log) -> tuple[Path | None, str]:
    """A verified local copy of ``name`` (or None) and, if none, a note on why not."""
    import pooch

    # In the data folder: the .gz file, or else the same file gunzipped; then the cache.
    here = [data_dir / name, data_dir / name[:-3]] if data_dir is not None else []
    path = next((p for p in here if p.is_file()), cache / name)
    if not path.is_file():
        return None, "not found"
    expected = FILES[name] if path.name == name else _LAYOUT[name][2]
    actual = pooch.file_hash(str(path))
    if actual == expected:
        log(f"{name}: using {path}")
        return path, ""
    if path == cache / name:  # downloaded again, if allowed
        log(f"{name}: cached copy is corrupt")
        return None, "the cached copy has a checksum mismatch"
    raise ValueError(
        f"{path} is not the canonical {name}{'' if path.name == name else ' gunzipped'}: "
        f"its SHA-256 is {actual}, expected {expected}. Replace it with an intact copy, "
        "or remove it to let mnist_lr use its cache.")


def _download(names, cache, mirrors, timeout, progress, log):
    """Download ``names`` into ``cache``; return {name: path} and {url: exception} of failures.

    pooch downloads each file to a temporary file in the cache, checks its
    SHA-256, and only then renames it: a broken or interrupted transfer never
    leaves a partial file under the real name. The mirrors are tried in turn,
    and the one that served a file is asked first for the next. A file that no
    mirror serves ends the download: the others would fail the same way.
    """
    import pooch

    try:  # the cache must take a file: writing is the only sure test
        cache.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=cache).close()
    except OSError as exc:
        raise MNISTNotFoundError(
            f"MNIST is not available locally, and the cache folder {cache} cannot be written "
            f"to ({exc.strerror or exc}).", hint=f"Set {CACHE_ENV} to a writable folder, or "
            f"{DATA_ENV} (or data_dir=...) to a folder that already holds the four files.",
            cli_hint="Pass --cache-dir with a writable folder, or --data-dir with a folder "
            "that already holds the four files.") from None
    # timeout goes on to requests: the longest wait to connect, and between two reads.
    downloader = pooch.HTTPDownloader(progressbar=progress, timeout=timeout)
    found, failures = {}, {}
    for name in names:
        for mirror in mirrors:
            url = mirror.rstrip("/") + "/" + name
            log(f"{name}: downloading {url}")
            try:
                found[name] = Path(pooch.retrieve(url, known_hash=f"sha256:{FILES[name]}",
                                                  fname=name, path=cache, downloader=downloader))
                break
            except Exception as exc:  # noqa: BLE001 - any failure means: try the next mirror
                failures[url] = exc
                log(f"  failed ({_reason(exc)})")
        if name not in found:
            break
        with contextlib.suppress(OSError):  # pooch's file is private (0600); a shared cache
            found[name].chmod(0o644)  # needs it readable by all, as files usually are
        mirrors = [mirror, *(m for m in mirrors if m != mirror)]
    return found, failures


def fetch_mnist_files(data_dir=None, *, cache_dir=None, mirrors=None, download=True,
                      timeout=DEFAULT_TIMEOUT, progress=True, verbose=False) -> dict[str, Path]:
    """Locate the four MNIST files, downloading them into the cache if needed.

    Parameters
    ----------
    data_dir, cache_dir : str or path-like, optional
        A folder holding the files (``.gz`` or gunzipped; only read), default
        ``$MNIST_LR_DATA``; and where downloads go, default :func:`default_cache_dir`.
    mirrors : str or sequence of str, optional
        Base URLs to try in turn; ``$MNIST_LR_MIRRORS`` (space-separated) or :data:`MIRRORS`.
    download : bool, default True
        False never touches the network.
    timeout : float, default 30
        Seconds a mirror may stay silent: to connect, or between two reads.
    progress, verbose : bool, default True and False
        Show a progress bar while downloading; print where each file was found, and each
        failed try.

    Returns {file name: path of a verified copy}. Raises :class:`MNISTNotFoundError`
    if a file is neither here nor downloadable, ValueError if one in ``data_dir`` is damaged.
    """
    timeout = check_real(timeout, "timeout", positive=True)
    log = print if verbose else (lambda *_: None)
    data_dir = _data_dir(data_dir)
    cache = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    mirrors = mirrors or os.environ.get(MIRRORS_ENV, "").split() or MIRRORS
    local = {name: _check_local(name, data_dir, cache, log) for name in FILES}
    found = {name: path for name, (path, _) in local.items() if path is not None}
    notes = {name: note for name, (path, note) in local.items() if path is None}
    failures = {}
    if notes and download:
        mirrors = [mirrors] if isinstance(mirrors, str) else [str(m) for m in mirrors]
        fetched, failures = _download(list(notes), cache, mirrors, timeout, progress, log)
        found.update(fetched)
    missing = {name: note for name, note in notes.items() if name not in found}
    if missing:
        raise _not_found(missing, failures, data_dir, cache, download)
    return {name: found[name] for name in FILES}


def read_idx(path, *, expected_magic=None, expected_shape=None) -> np.ndarray:
    """A read-only ``uint8`` array from an IDX file (gzip-compressed if its name ends in .gz).

    IDX is a 4-byte big-endian magic number (two zero bytes, a type code, the
    number of dimensions), one big-endian 4-byte size per dimension, then the
    data. The header is checked first (against ``expected_magic``, 2051 for
    images and 2049 for labels, and ``expected_shape`` if given), and reading
    stops one byte past the size it gives, so a small gzip file that inflates
    to gigabytes costs no more memory than the array it claims to hold. A
    truncated, corrupt or foreign file raises ValueError.
    """
    path = Path(path)
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            shape = _read_idx_header(handle, path, expected_magic, expected_shape)
            data = _read_idx_data(handle, path, shape)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise ValueError(f"{path} is truncated or not a valid gzip file ({exc})") from exc
    array = np.frombuffer(data, dtype=np.uint8).reshape(shape)
    array.flags.writeable = False
    return array


def _read_idx_header(handle, path, expected_magic, expected_shape) -> tuple[int, ...]:
    head = handle.read(4)
    if len(head) < 4:
        raise ValueError(f"{path} is too short to be an IDX file ({len(head)} bytes)")
    magic = int.from_bytes(head, "big")
    if head[:2] != b"\x00\x00" or head[2] != 0x08:
        raise ValueError(
            f"{path} is not an IDX file of unsigned bytes (magic number {magic:#010x})"
        )
    if expected_magic is not None and magic != expected_magic:
        raise ValueError(f"{path} has magic number {magic}, expected {expected_magic}")
    ndim = head[3]
    dims = handle.read(4 * ndim)
    if len(dims) < 4 * ndim:
        raise ValueError(f"{path} is truncated inside its header")
    shape = tuple(int.from_bytes(dims[4 * i : 4 * i + 4], "big") for i in range(ndim))
    if expected_shape is not None and shape != tuple(expected_shape):
        raise ValueError(f"{path} holds an array of shape {shape}, expected {expected_shape}")
    return shape


def _read_idx_data(handle, path, shape) -> bytes:
    """Exactly the header's number of bytes; a longer or shorter stream is an error."""
    size = math.prod(shape)
    data = handle.read(size)
    # One byte past the end is enough to know, and never enough to inflate a compressed bomb.
    if len(data) != size or handle.read(1):
        held = str(len(data)) if len(data) < size else f"more than {size}"
        raise ValueError(f"{path} should hold {size} data bytes for shape {shape} but holds "
                         f"{held}: the file is truncated or corrupt")
    return data


def _read_subsets(subsets, data_dir, fetch_options) -> list[tuple[np.ndarray, np.ndarray]]:
    """(images, labels) as stored, one pair per subset; only the files asked for are parsed."""
    paths = fetch_mnist_files(data_dir, **fetch_options)
    pairs = []
    for subset in subsets:
        prefix = {"train": "train", "test": "t10k"}[subset]
        images, labels = (read_idx(paths[name], expected_magic=_LAYOUT[name][0],
                                   expected_shape=_LAYOUT[name][1])
                          for name in (f"{prefix}-images-idx3-ubyte.gz",
                                       f"{prefix}-labels-idx1-ubyte.gz"))
        pairs.append((images, labels.astype(np.int64)))
    return pairs


def _check_dtype(dtype):
    checked = None
    if dtype is not None:  # np.dtype(None) would quietly mean float64
        with contextlib.suppress(TypeError, ValueError):
            checked = np.dtype(dtype)
    if checked not in (np.float32, np.float64):
        raise ValueError(
            f"dtype must be float32 or float64, got {dtype!r}; for example dtype=np.float32"
        )
    return checked


def _scale(images_list, dtype) -> np.ndarray:
    """One (n, 784) array of pixels / 255, divided straight into it (no float64 temporary)."""
    out = np.empty((sum(len(images) for images in images_list), 784), dtype=dtype)
    start = 0
    for images in images_list:
        np.divide(images.reshape(len(images), 784), dtype.type(255),
                  out=out[start:start + len(images)])
        start += len(images)
    return out


def load_mnist(data_dir=None, *, subset="train", dtype=np.float32, cache_dir=None, mirrors=None,
               download=True, timeout=DEFAULT_TIMEOUT, progress=True, verbose=False):
    """MNIST images as rows of 784 pixels in [0, 1], with their labels.

    By default only the 60,000 official *training* images come back. The 10,000 test images
    stay locked away: an image that helps choose anything (a learning rate, an epoch, a
    penalty) can no longer measure the result honestly. :func:`load_mnist_train_test` opens
    them, once, at the end.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default "train"
        The 60,000 training images, the 10,000 test images, or all 70,000 in
        the order of OpenML's ``mnist_784`` (training, then test).
    dtype : {numpy.float32, numpy.float64}, default float32
        float32 halves the memory (190 MB instead of 380 MB for 60,000 images).
    data_dir, cache_dir, mirrors, download, timeout, progress, verbose
        Where to look, how to download (:func:`fetch_mnist_files`); all three loaders take them.

    Returns ``X`` of shape (n, 784) and the int64 labels ``y`` of shape (n,).

    >>> X, y = load_mnist()  # doctest: +SKIP
    >>> X.shape, X.dtype, y[:5]  # doctest: +SKIP
    ((60000, 784), dtype('float32'), array([5, 0, 4, 1, 9]))
    """
    if subset not in ("train", "test", "all"):
        raise ValueError(f"subset must be 'train', 'test' or 'all', got {subset!r}")
    dtype = _check_dtype(dtype)
    pairs = _read_subsets(("train", "test") if subset == "all" else (subset,), data_dir, dict(
        cache_dir=cache_dir, mirrors=mirrors, download=download, timeout=timeout,
        progress=progress, verbose=verbose))
    return _scale([images for images, _ in pairs], dtype), np.concatenate([y for _, y in pairs])


def load_mnist_train_test(data_dir=None, **options):
    """The official split, test set included: the one call that opens the locked test images.

    Use it once, at the end, to score models chosen without the test set.
    Takes the options of :func:`load_mnist` (except ``subset``) and returns
    ``X_train, y_train, X_test, y_test`` (60,000 and 10,000 images).

    >>> X_train, y_train, X_test, y_test = load_mnist_train_test()  # doctest: +SKIP
    """
    return (*load_mnist(data_dir, subset="train", **options),
            *load_mnist(data_dir, subset="test", **options))


def load_mnist_split(val_fraction=0.2, random_state=None, data_dir=None, *, dtype=np.float32,
                     **options):
    """The 60,000 training images, shuffled and split into a training and a validation part.

    The arrays of ``train_val_split(*load_mnist(), val_fraction, random_state)``, split
    while one byte per pixel, then scaled (the scaled whole never exists beside its parts).
    Takes the options of :func:`load_mnist` (except ``subset``); the test images stay unread.

    >>> X_train, X_val, y_train, y_val = load_mnist_split(0.2, random_state=0)  # doctest: +SKIP
    """
    dtype = _check_dtype(dtype)
    [(images, labels)] = _read_subsets(("train",), data_dir, options)
    X_train, X_val, y_train, y_val = train_val_split(
        images.reshape(-1, 784), labels, val_fraction, random_state)
    return _scale([X_train], dtype), _scale([X_val], dtype), y_train, y_val


def train_val_split(X, y, val_fraction=0.2, random_state=None):
    """Shuffle, then hold out a fraction of the rows for validation.

    The article's split: a random permutation of the rows, its first ``int(n *
    val_fraction)`` to validate, the rest to train. Shuffling first keeps any order of the
    rows (by writer, by date, by file) out of the split. ``0 < val_fraction < 1``;
    ``random_state`` (an int, a numpy Generator or None) seeds the permutation. Returns
    ``X_train, X_val, y_train, y_val``, the order of scikit-learn's ``train_test_split``.

    >>> import numpy as np
    >>> X, y = np.arange(20).reshape(10, 2), np.arange(10)
    >>> X_train, X_val, y_train, y_val = train_val_split(X, y, 0.2, random_state=0)
    >>> X_train.shape, X_val.shape
    ((8, 2), (2, 2))
    """
    X, y = check_Xy(X, y, min_samples=2)
    val_fraction = check_real(val_fraction, "val_fraction", open_interval=(0.0, 1.0))
    n_val = int(len(y) * val_fraction)
    if n_val == 0 or n_val == len(y):
        raise ValueError(
            f"val_fraction={val_fraction} of {len(y)} samples leaves "
            f"{n_val} for validation and {len(y) - n_val} for training; both need at least one"
        )
    order = make_rng(random_state).permutation(len(y))
    val, train = order[:n_val], order[n_val:]
    return X[train], X[val], y[train], y[val]


def smallest_split(val_fraction, min_train=1):
    """The fewest rows :func:`train_val_split` splits into >= 1 validation and ``min_train`` rows.

    >>> smallest_split(0.2), smallest_split(0.2, min_train=100)
    (5, 124)
    """
    val_fraction = check_real(val_fraction, "val_fraction", open_interval=(0.0, 1.0))
    min_train = check_int(min_train, "min_train", minimum=1)

    def enough(n):  # the split's own rounding: int(n * val_fraction) rows validate
        return int(n * val_fraction) >= 1 and n - int(n * val_fraction) >= min_train

    # Both counts grow with n, so double until n is enough, then bisect.
    low, high = 1, 2
    while not enough(high):
        low, high = high, 2 * high
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if enough(middle) else (middle, high)
    return high


def subsample(X, y, n, random_state=None):
    """A random subset of ``n`` rows (without replacement), as the article's small-sample runs.

    ``1 <= n <= len(y)``; ``random_state`` is an int, a numpy Generator or None.

    >>> import numpy as np
    >>> X_small, y_small = subsample(np.zeros((100, 3)), np.arange(100), 7, random_state=0)
    >>> X_small.shape
    (7, 3)
    """
    X, y = check_Xy(X, y)
    n = check_int(n, "n", minimum=1, maximum=len(y))
    rows = make_rng(random_state).permutation(len(y))[:n]
    return X[rows], y[rows]
