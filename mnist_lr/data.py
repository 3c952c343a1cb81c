"""Getting MNIST: locate or download the four canonical files, parse them, split them.

Where the files come from, in this order:

1. an explicit folder: the ``data_dir`` argument, else the ``MNIST_LR_DATA``
   environment variable. Files there are only read, never written, so a
   read-only folder works;
2. the per-user cache (``MNIST_LR_CACHE``, else the platform's cache folder,
   e.g. ``~/.cache/mnist_lr`` on Linux);
3. a download into that cache from the public mirrors in :data:`MIRRORS`,
   tried in turn.

Every file is checked against its SHA-256 before it is parsed. Downloads are
done by `pooch <https://www.fatiando.org/pooch>`_, which streams into a
temporary file in the cache folder and renames it into place only after its
checksum matches, so an interrupted or corrupt download never sits where the
loader would trust it; a corrupt cached file is detected and fetched again.

The images come back as ``float32`` in [0, 1]: all 70,000 take 220 MB that
way, half of what ``float64`` would, which matters on a 2 GB Binder machine.
Single precision is ample for pixels that started as 8-bit integers.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._checks import check_int, check_real, check_Xy, make_rng

__all__ = [
    "DATA_ENV",
    "CACHE_ENV",
    "MIRRORS_ENV",
    "MIRRORS",
    "FILES",
    "MNISTNotFoundError",
    "default_cache_dir",
    "fetch_mnist",
    "read_idx",
    "load_mnist",
    "load_mnist_train_test",
    "load_mnist_split",
    "train_val_split",
    "subsample",
]

DATA_ENV = "MNIST_LR_DATA"
CACHE_ENV = "MNIST_LR_CACHE"
MIRRORS_ENV = "MNIST_LR_MIRRORS"

# Public copies of the original files. The historical yann.lecun.com site now
# refuses most requests, so it is only the last resort.
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

# (magic number, shape) that each file must have.
_LAYOUT = {
    "train-images-idx3-ubyte.gz": (2051, (60000, 28, 28)),
    "train-labels-idx1-ubyte.gz": (2049, (60000,)),
    "t10k-images-idx3-ubyte.gz": (2051, (10000, 28, 28)),
    "t10k-labels-idx1-ubyte.gz": (2049, (10000,)),
}

_HOW_TO_PROVIDE = (
    "To use a local copy, put the four files "
    + ", ".join(FILES)
    + f" in a folder and pass it as data_dir= or set {DATA_ENV}=/that/folder. "
    "To download them, connect to the internet and call mnist_lr.fetch_mnist() "
    "(or run `python -m mnist_lr fetch`)."
)


class MNISTNotFoundError(FileNotFoundError):
    """MNIST could be neither found locally nor downloaded."""


def default_cache_dir() -> Path:
    """The per-user cache folder: ``$MNIST_LR_CACHE`` or the platform's cache dir.

    Returns
    -------
    pathlib.Path
        The folder (it may not exist yet).

    Examples
    --------
    >>> default_cache_dir().name  # doctest: +SKIP
    'mnist_lr'
    """
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    import pooch

    return Path(pooch.os_cache("mnist_lr"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _mirrors(mirrors) -> list[str]:
    if mirrors is None:
        mirrors = os.environ.get(MIRRORS_ENV, "").split() or MIRRORS
    elif isinstance(mirrors, str):
        mirrors = [mirrors]
    mirrors = [str(m) for m in mirrors]
    if not mirrors:
        raise ValueError("mirrors must name at least one URL")
    return [m if m.endswith("/") else m + "/" for m in mirrors]


def _download(name: str, cache: Path, mirrors: list[str], timeout: float, progress: bool, log):
    """Download one file into ``cache`` from the first mirror that serves it intact."""
    import pooch

    failures = []
    for base in mirrors:
        url = base + name
        downloader = pooch.HTTPDownloader(progressbar=progress, timeout=timeout)
        # pooch announces every download on its logger; we report our own way.
        logger = pooch.get_logger()
        level = logger.level
        logger.setLevel(logging.WARNING)
        try:
            path = pooch.retrieve(
                url,
                known_hash="sha256:" + FILES[name],
                fname=name,
                path=cache,
                downloader=downloader,
            )
        except Exception as exc:  # noqa: BLE001 - any failure means: try the next mirror
            failures.append(f"{url}: {type(exc).__name__}: {exc}".splitlines()[0])
            log(f"  {name}: {url} failed ({type(exc).__name__}); trying the next mirror")
            continue
        finally:
            logger.setLevel(level)
        return cache / Path(path).name, failures
    return None, failures


def fetch_mnist(
    data_dir=None,
    *,
    cache_dir=None,
    mirrors=None,
    download=True,
    timeout=30.0,
    progress=False,
    verbose=False,
) -> dict[str, Path]:
    """Locate the four MNIST files, downloading them into the cache if needed.

    Parameters
    ----------
    data_dir : str or path-like, optional
        A folder that holds the files. Defaults to ``$MNIST_LR_DATA``. It is
        only read, so it may be read-only.
    cache_dir : str or path-like, optional
        Where downloads go. Defaults to :func:`default_cache_dir`.
    mirrors : sequence of str, optional
        Base URLs to try in order. Defaults to ``$MNIST_LR_MIRRORS``
        (space-separated) or :data:`MIRRORS`.
    download : bool, default True
        If False, never touch the network.
    timeout : float, default 30
        Seconds to wait for a mirror to answer before trying the next one.
    progress : bool, default False
        Show a download progress bar.
    verbose : bool, default False
        Print where each file was found.

    Returns
    -------
    dict
        File name -> path of a verified copy.

    Raises
    ------
    MNISTNotFoundError
        If a file is neither present nor downloadable. The message lists every
        place that was tried and how to provide the files.
    ValueError
        If a file in the explicit ``data_dir`` fails its checksum.

    Examples
    --------
    >>> paths = fetch_mnist()  # doctest: +SKIP
    >>> sorted(paths)[0]  # doctest: +SKIP
    't10k-images-idx3-ubyte.gz'
    """
    timeout = check_real(timeout, "timeout", positive=True)
    log = print if verbose else (lambda *_: None)
    source = "data_dir"
    if data_dir is None and os.environ.get(DATA_ENV):
        data_dir, source = os.environ[DATA_ENV], DATA_ENV
    data_dir = Path(data_dir).expanduser() if data_dir is not None else None
    if data_dir is not None and not data_dir.is_dir():
        # A typo here would otherwise fall through to the cache or a download.
        raise MNISTNotFoundError(
            f"{source} names {data_dir}, which is not a folder. " + _HOW_TO_PROVIDE
        )
    cache = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()

    mirror_order = _mirrors(mirrors) if download else []
    found: dict[str, Path] = {}
    tried: list[str] = []
    for name, sha in FILES.items():
        if data_dir is not None:
            candidate = data_dir / name
            if candidate.is_file():
                actual = _sha256(candidate)
                if actual != sha:
                    raise ValueError(
                        f"{candidate} is not the canonical {name}: its SHA-256 is {actual}, "
                        f"expected {sha}. Replace it with an intact copy, or remove it to "
                        "let mnist_lr use its cache."
                    )
                found[name] = candidate
                log(f"{name}: using {candidate}")
                continue
            tried.append(f"{candidate} (not there)")
        cached = cache / name
        if cached.is_file():
            if _sha256(cached) == sha:
                found[name] = cached
                log(f"{name}: using cached {cached}")
                continue
            tried.append(f"{cached} (checksum mismatch)")
            log(f"{name}: cached copy is corrupt" + (", fetching it again" if download else ""))
        else:
            tried.append(f"{cached} (not there)")
        if not download:
            continue
        try:
            cache.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MNISTNotFoundError(
                f"MNIST file {name} is not available locally, and the cache folder {cache} "
                f"cannot be created ({exc.strerror or exc}). Set {CACHE_ENV} to a writable "
                f"folder, or {DATA_ENV} to a folder that already holds the files."
            ) from exc
        if not os.access(cache, os.W_OK):
            raise MNISTNotFoundError(
                f"MNIST file {name} is not available locally, and the cache folder {cache} "
                f"is not writable. Set {CACHE_ENV} to a writable folder, or {DATA_ENV} to a "
                "folder that already holds the files."
            )
        log(f"{name}: downloading into {cache}")
        path, failures = _download(name, cache, mirror_order, timeout, progress, log)
        tried.extend(failures)
        # A mirror that just failed goes to the back of the queue for the
        # remaining files, so a dead mirror costs one timeout, not four.
        failed = [m for m in mirror_order if any(f.startswith(m) for f in failures)]
        mirror_order = [m for m in mirror_order if m not in failed] + failed
        if path is not None:
            found[name] = path
    missing = [name for name in FILES if name not in found]
    if missing:
        where = "\n  - ".join(tried)
        raise MNISTNotFoundError(
            f"Could not find or download the MNIST file(s) {', '.join(missing)}.\n"
            f"Looked in:\n  - {where}\n"
            + ("Downloading was turned off (download=False).\n" if not download else "")
            + _HOW_TO_PROVIDE
        )
    return found


def read_idx(path, *, expected_magic=None, expected_shape=None) -> np.ndarray:
    """Parse an IDX file (gzip-compressed or not) of unsigned bytes.

    The IDX format is a 4-byte big-endian magic number (two zero bytes, a type
    code and the number of dimensions), one big-endian 4-byte size per
    dimension, then the data.

    Parameters
    ----------
    path : str or path-like
        The file. A name ending in ``.gz`` is decompressed.
    expected_magic : int, optional
        Raise if the magic number differs (2051 for images, 2049 for labels).
    expected_shape : tuple of int, optional
        Raise if the header's dimensions differ.

    Returns
    -------
    numpy.ndarray
        A read-only ``uint8`` array with the header's shape.

    Raises
    ------
    ValueError
        If the file is truncated, corrupt, not IDX, or not the expected kind.

    Examples
    --------
    >>> labels = read_idx("train-labels-idx1-ubyte.gz", expected_magic=2049)  # doctest: +SKIP
    >>> labels.shape  # doctest: +SKIP
    (60000,)
    """
    path = Path(path)
    try:
        if path.name.endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                raw = handle.read()
        else:
            raw = path.read_bytes()
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise ValueError(f"{path} is truncated or not a valid gzip file ({exc})") from exc
    if len(raw) < 4:
        raise ValueError(f"{path} is too short to be an IDX file ({len(raw)} bytes)")
    magic = int.from_bytes(raw[:4], "big")
    zero, type_code, ndim = int.from_bytes(raw[:2], "big"), raw[2], raw[3]
    if zero != 0 or type_code != 0x08:
        raise ValueError(
            f"{path} is not an IDX file of unsigned bytes (magic number {magic:#010x})"
        )
    if expected_magic is not None and magic != expected_magic:
        raise ValueError(f"{path} has magic number {magic}, expected {expected_magic}")
    header_len = 4 + 4 * ndim
    if len(raw) < header_len:
        raise ValueError(f"{path} is truncated inside its header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    if expected_shape is not None and shape != tuple(expected_shape):
        raise ValueError(f"{path} holds an array of shape {shape}, expected {expected_shape}")
    size = int(np.prod(shape, dtype=np.int64))
    if len(raw) - header_len != size:
        raise ValueError(
            f"{path} should hold {size} data bytes for shape {shape} but holds "
            f"{len(raw) - header_len}: the file is truncated or corrupt"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_len).reshape(shape)


@dataclass(frozen=True)
class _Raw:
    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray


def _read_all(data_dir, **fetch_kwargs) -> _Raw:
    paths = fetch_mnist(data_dir, **fetch_kwargs)
    arrays = {
        name: read_idx(paths[name], expected_magic=magic, expected_shape=shape)
        for name, (magic, shape) in _LAYOUT.items()
    }
    return _Raw(
        arrays["train-images-idx3-ubyte.gz"],
        arrays["train-labels-idx1-ubyte.gz"],
        arrays["t10k-images-idx3-ubyte.gz"],
        arrays["t10k-labels-idx1-ubyte.gz"],
    )


def _check_dtype(dtype):
    try:
        checked = np.dtype(dtype)
    except TypeError:
        checked = None
    if checked not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
    return checked


def _scale(images_list, dtype) -> np.ndarray:
    n = sum(len(images) for images in images_list)
    out = np.empty((n, 784), dtype=dtype)
    start = 0
    for images in images_list:
        stop = start + len(images)
        # Divide straight into the output so no float64 temporary is made.
        np.divide(images.reshape(len(images), 784), dtype.type(255), out=out[start:stop])
        start = stop
    return out


def load_mnist(data_dir=None, *, dtype=np.float32, **fetch_kwargs):
    """All 70,000 MNIST images as rows of 784 pixels in [0, 1], with their labels.

    The rows are in the order of OpenML's ``mnist_784`` (which the article
    uses): the 60,000 training images, then the 10,000 test images, each in
    the order of the original files.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Folder with the four files; see :func:`fetch_mnist` for the search order.
    dtype : {numpy.float32, numpy.float64}, default float32
        Pixel dtype. float32 halves the memory (220 MB instead of 440 MB).
    **fetch_kwargs
        Passed to :func:`fetch_mnist` (``cache_dir``, ``mirrors``, ``download``...).

    Returns
    -------
    X : numpy.ndarray of shape (70000, 784)
    y : numpy.ndarray of shape (70000,), int64 labels 0-9

    Examples
    --------
    >>> X, y = load_mnist()  # doctest: +SKIP
    >>> X.shape, X.dtype, y[:5]  # doctest: +SKIP
    ((70000, 784), dtype('float32'), array([5, 0, 4, 1, 9]))
    """
    dtype = _check_dtype(dtype)
    raw = _read_all(data_dir, **fetch_kwargs)
    X = _scale([raw.train_images, raw.test_images], dtype)
    y = np.concatenate([raw.train_labels, raw.test_labels]).astype(np.int64)
    return X, y


def load_mnist_train_test(data_dir=None, *, dtype=np.float32, **fetch_kwargs):
    """The official split: 60,000 training and 10,000 test images.

    Parameters and scaling are as in :func:`load_mnist`.

    Returns
    -------
    X_train, y_train, X_test, y_test : numpy.ndarray
        Shapes (60000, 784), (60000,), (10000, 784), (10000,).

    Examples
    --------
    >>> X_train, y_train, X_test, y_test = load_mnist_train_test()  # doctest: +SKIP
    >>> len(X_train), len(X_test)  # doctest: +SKIP
    (60000, 10000)
    """
    dtype = _check_dtype(dtype)
    raw = _read_all(data_dir, **fetch_kwargs)
    return (
        _scale([raw.train_images], dtype),
        raw.train_labels.astype(np.int64),
        _scale([raw.test_images], dtype),
        raw.test_labels.astype(np.int64),
    )


def load_mnist_split(val_fraction=0.2, random_state=None, data_dir=None, *, dtype=np.float32,
                     **fetch_kwargs):
    """Load all 70,000 images and split them, using less memory than doing both steps.

    The result is identical to ``train_val_split(*load_mnist(), val_fraction,
    random_state)``, but the rows are shuffled and split while they are still
    one byte per pixel and only then scaled, so the full scaled array never
    exists next to its two parts. The peak memory is about 330 MB lower.

    Parameters
    ----------
    val_fraction : float, default 0.2
    random_state : int, numpy.random.Generator or None
    data_dir, dtype, **fetch_kwargs
        As in :func:`load_mnist`.

    Returns
    -------
    X_train, X_val, y_train, y_val : numpy.ndarray

    Examples
    --------
    >>> X_train, X_val, y_train, y_val = load_mnist_split(0.2, random_state=0)  # doctest: +SKIP
    >>> X_train.shape, X_val.shape  # doctest: +SKIP
    ((56000, 784), (14000, 784))
    """
    dtype = _check_dtype(dtype)
    raw = _read_all(data_dir, **fetch_kwargs)
    pixels = np.concatenate([raw.train_images, raw.test_images]).reshape(-1, 784)
    labels = np.concatenate([raw.train_labels, raw.test_labels]).astype(np.int64)
    del raw
    X_train, X_val, y_train, y_val = train_val_split(pixels, labels, val_fraction, random_state)
    del pixels
    return _scale([X_train], dtype), _scale([X_val], dtype), y_train, y_val


def train_val_split(X, y, val_fraction=0.2, random_state=None):
    """Shuffle, then hold out a fraction of the rows for validation.

    This is the article's split: a random permutation of the row indices, the
    first ``int(n * val_fraction)`` of them for validation and the rest for
    training. Shuffling first matters because any fixed order of the rows (by
    writer, by collection date, by file) could otherwise leak into the split.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    val_fraction : float, default 0.2
        Strictly between 0 and 1.
    random_state : int, numpy.random.Generator or None
        Seed for the permutation.

    Returns
    -------
    X_train, X_val, y_train, y_val : numpy.ndarray
        The same order as scikit-learn's ``train_test_split``.

    Examples
    --------
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


def subsample(X, y, n, random_state=None):
    """A random subset of ``n`` rows (without replacement), as the article's small-sample runs.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    n : int
        How many rows to keep, 1 <= n <= n_samples.
    random_state : int, numpy.random.Generator or None

    Returns
    -------
    X_small, y_small : numpy.ndarray

    Examples
    --------
    >>> import numpy as np
    >>> X_small, y_small = subsample(np.zeros((100, 3)), np.arange(100), 7, random_state=0)
    >>> X_small.shape
    (7, 3)
    """
    X, y = check_Xy(X, y)
    n = check_int(n, "n", minimum=1, maximum=len(y))
    rows = make_rng(random_state).permutation(len(y))[:n]
    return X[rows], y[rows]
