"""Getting MNIST: locate or download the four canonical files, parse them, split them.

The files are looked for in ``data_dir`` (else ``$MNIST_LR_DATA``; only read), then in
the per-user cache, and are otherwise downloaded into the cache from the :data:`MIRRORS`
in turn. Every file is checked against its SHA-256 before it is used.
"""

import gzip
import math
import os
from pathlib import Path

import numpy as np

from ._checks import check_int, check_real, check_Xy, make_rng

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

DEFAULT_TIMEOUT = 30.0  # seconds a mirror may stay silent: to connect, or between two reads
_TOTAL_MB = "11.6 MB"  # the four .gz files together

# The second way out of a missing data set, in the words of where the user is.
_LOCAL_COPY = (f"download the four files from {MIRRORS[0]} into a folder and set {DATA_ENV} to "
               "it before starting JupyterLab (restart JupyterLab from a shell where the "
               "variable is set), or pass data_dir=... to load_mnist")
_LOCAL_COPY_CLI = (f"download the four files from {MIRRORS[0]} into a folder and pass it as "
                   f"--data-dir DIR, or set {DATA_ENV}=DIR")


class MNISTNotFoundError(FileNotFoundError):
    """MNIST could be neither found locally nor downloaded.

    The message is the ``summary`` (what is missing, and why), then two ways out: ``hint``
    for Python, or ``cli_hint`` for the command line (:meth:`message`). The failed downloads
    are kept in ``failures`` ({url: exception}), not chained: a learner reads no traceback.
    """

    def __init__(self, summary, *, failures=None, download=True):
        first = (f"call it again with download=True while online ({_TOTAL_MB}, downloaded once)"
                 if not download else
                 "connect to the internet and run this again, or later if a mirror failed; "
                 f"the four files ({_TOTAL_MB}) are then downloaded once, into the cache")
        ways = "Two ways out:\n  - {};\n  - or {}."
        self.summary, self.failures = str(summary), dict(failures or {})
        self.hint = ways.format(first, _LOCAL_COPY)
        self.cli_hint = ways.format(first, _LOCAL_COPY_CLI)
        super().__init__(self.message())

    def message(self, for_cli=False) -> str:
        """The summary followed by the advice for Python (default) or the command line."""
        return f"{self.summary}\n{self.cli_hint if for_cli else self.hint}"


def _reason(exc) -> str:
    """Why one download failed, in a few words rather than a network library's traceback."""
    import requests

    if isinstance(exc, requests.HTTPError):
        return f"HTTP {exc.response.status_code} {exc.response.reason}"
    if not isinstance(exc, requests.RequestException):  # pooch's ValueError
        return "checksum mismatch"
    return "timed out" if "timed out" in str(exc) else "connection failed"


def default_cache_dir() -> Path:
    """The per-user cache folder, ``$MNIST_LR_CACHE`` or the platform's (maybe not made yet)."""
    import pooch

    return Path(os.environ.get(CACHE_ENV) or pooch.os_cache("mnist_lr")).expanduser()


def _find_local(name, data_dir, cache, log) -> Path | None:
    """A verified copy of ``name`` in ``data_dir`` (damaged: an error) or the cache, or None."""
    import pooch

    for path in ([data_dir / name] if data_dir is not None else []) + [cache / name]:
        if not path.is_file():
            continue
        actual = pooch.file_hash(str(path))
        if actual == FILES[name]:
            log(f"{name}: using {path}")
            return path
        if path != cache / name:
            raise ValueError(f"{path} is not the canonical {name}: its SHA-256 is {actual}, "
                             f"expected {FILES[name]}. Replace it, or remove it to use the cache.")
        log(f"{name}: cached copy is corrupt")
    return None


def _download(names, cache, mirrors, timeout, progress, log):
    """Download ``names`` into ``cache``; return {name: path} and {url: exception} of failures.

    pooch writes each file to a temporary file, checks its SHA-256, and only then renames
    it: a broken or interrupted transfer leaves no partial file. The mirror that served a
    file is asked first for the next; a file that no mirror serves ends the download.
    """
    import pooch
    import requests

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
            except (requests.RequestException, ValueError) as exc:  # ValueError: bad checksum
                failures[url] = exc
                log(f"  failed ({_reason(exc)})")
        if name not in found:
            break
        mirrors = [mirror, *(m for m in mirrors if m != mirror)]
    return found, failures


def fetch_mnist_files(data_dir=None, *, cache_dir=None, mirrors=None, download=True,
                      timeout=DEFAULT_TIMEOUT, progress=True, verbose=False) -> dict[str, Path]:
    """The four MNIST files: {file name: path of a verified copy}, downloaded if need be.

    ``data_dir`` (only read; default ``$MNIST_LR_DATA``) is looked in first, then ``cache_dir``
    (default :func:`default_cache_dir`), where downloads go. ``mirrors``: base URLs tried in
    turn, default ``$MNIST_LR_MIRRORS`` (space-separated) or :data:`MIRRORS`. ``timeout``:
    seconds a mirror may stay silent. ``progress``: a progress bar; ``verbose``: say where each
    file was found, and each failed try. Raises :class:`MNISTNotFoundError` if a file is
    neither here nor downloadable (``download=False``: never tried), ValueError if one in
    ``data_dir`` is damaged.
    """
    timeout = check_real(timeout, "timeout", positive=True)
    log = print if verbose else (lambda *_: None)
    data_dir = data_dir if data_dir is not None else os.environ.get(DATA_ENV) or None
    data_dir = Path(data_dir).expanduser() if data_dir is not None else None
    cache = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    found = {name: _find_local(name, data_dir, cache, log) for name in FILES}
    missing = [name for name, path in found.items() if path is None]
    failures = {}
    if missing and download:
        mirrors = mirrors or os.environ.get(MIRRORS_ENV, "").split() or MIRRORS
        mirrors = [mirrors] if isinstance(mirrors, str) else [str(m) for m in mirrors]
        fetched, failures = _download(missing, cache, mirrors, timeout, progress, log)
        found.update(fetched)
        missing = [name for name in missing if name not in fetched]
    if missing:
        where = f"{data_dir} and in the cache {cache}" if data_dir else f"the cache {cache}"
        lines = ["MNIST is not on this computer and could not be downloaded." if download else
                 "MNIST is not on this computer, and downloading is off (download=False).",
                 f"Looked in {where} for: {', '.join(missing)}.",
                 *(f"  {url}: {_reason(exc)}" for url, exc in failures.items())]
        raise MNISTNotFoundError("\n".join(lines), failures=failures, download=download)
    return found


def read_idx(path, *, expected_magic=None, expected_shape=None) -> np.ndarray:
    """A read-only ``uint8`` array from an IDX file (gzip-compressed if its name ends in .gz).

    IDX: a big-endian 4-byte magic number (0, 0, type 8 for unsigned bytes, ndim), a 4-byte
    size per dimension, then the data. The header is checked first (``expected_magic``: 2051
    for images, 2049 for labels), and reading stops one byte past the size it gives, so a
    gzip bomb costs no more memory than the array it claims to hold. A bad header or a data
    size other than the header's raises ValueError.
    """
    path = Path(path)
    with (gzip.open if path.name.endswith(".gz") else open)(path, "rb") as handle:
        head = handle.read(4)
        if len(head) < 4 or head[:3] != b"\x00\x00\x08":
            raise ValueError(f"{path} is not an IDX file of unsigned bytes (starts {head!r})")
        magic, ndim = int.from_bytes(head, "big"), head[3]
        if expected_magic is not None and magic != expected_magic:
            raise ValueError(f"{path} has magic number {magic}, expected {expected_magic}")
        dims = handle.read(4 * ndim)
        if len(dims) < 4 * ndim:
            raise ValueError(f"{path} is truncated inside its header")
        shape = tuple(int.from_bytes(dims[i:i + 4], "big") for i in range(0, 4 * ndim, 4))
        if expected_shape is not None and shape != tuple(expected_shape):
            raise ValueError(f"{path} holds shape {shape}, expected {expected_shape}")
        size = math.prod(shape)
        data = handle.read(size)
        if len(data) != size or handle.read(1):  # one byte more: enough to know
            held = len(data) if len(data) < size else f"more than {size}"
            raise ValueError(f"{path} should hold {size} data bytes for shape {shape} but "
                             f"holds {held}: the file is truncated or corrupt")
    return np.frombuffer(data, dtype=np.uint8).reshape(shape)  # read-only, as bytes are


def _read_images_labels(paths, prefix):
    """The (n, 784) uint8 images and int64 labels of ``prefix`` ("train" or "t10k")."""
    n = 60000 if prefix == "train" else 10000
    images = read_idx(paths[f"{prefix}-images-idx3-ubyte.gz"], expected_magic=2051,
                      expected_shape=(n, 28, 28))
    labels = read_idx(paths[f"{prefix}-labels-idx1-ubyte.gz"], expected_magic=2049,
                      expected_shape=(n,))
    return images.reshape(n, 784), labels.astype(np.int64)


def _check_dtype(dtype):
    if dtype is None or np.dtype(dtype) not in (np.float32, np.float64):  # None: float64
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
    return np.dtype(dtype)


def load_mnist(data_dir=None, *, subset="train", dtype=np.float32, cache_dir=None, mirrors=None,
               download=True, timeout=DEFAULT_TIMEOUT, progress=True, verbose=False):
    """MNIST images as rows of 784 pixels in [0, 1], with their labels.

    By default only the 60,000 official *training* images come back. The 10,000 test images
    stay locked away: an image that helps choose anything (a learning rate, an epoch, a
    penalty) can no longer measure the result honestly. :func:`load_mnist_train_test` opens
    them, once, at the end.

    ``subset``: "train" (60,000), "test" (10,000) or "all" (70,000 in the order of OpenML's
    ``mnist_784``: training, then test). ``dtype``: float32 (190 MB for 60,000 images) or
    float64. The other options are :func:`fetch_mnist_files`'s; all three loaders take them.
    Returns ``X`` of shape (n, 784) and the int64 labels ``y`` of shape (n,).

    >>> X, y = load_mnist()  # doctest: +SKIP
    >>> X.shape, X.dtype, y[:5]  # doctest: +SKIP
    ((60000, 784), dtype('float32'), array([5, 0, 4, 1, 9]))
    """
    prefixes = {"train": ["train"], "test": ["t10k"], "all": ["train", "t10k"]}.get(subset)
    if prefixes is None:
        raise ValueError(f"subset must be 'train', 'test' or 'all', got {subset!r}")
    dtype = _check_dtype(dtype)
    paths = fetch_mnist_files(data_dir, cache_dir=cache_dir, mirrors=mirrors, download=download,
                              timeout=timeout, progress=progress, verbose=verbose)
    pairs = [_read_images_labels(paths, prefix) for prefix in prefixes]
    images = np.concatenate([images for images, _ in pairs])
    # Divided straight into dtype: no float64 temporary of the whole array.
    return np.divide(images, 255, dtype=dtype), np.concatenate([y for _, y in pairs])


def load_mnist_train_test(data_dir=None, **options):
    """The official split, test set included: the one call that opens the locked test images.

    Use it once, at the end, to score models chosen without the test set. Takes the options
    of :func:`load_mnist` but ``subset``; returns ``X_train, y_train, X_test, y_test``.

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
    images, labels = _read_images_labels(fetch_mnist_files(data_dir, **options), "train")
    X_train, X_val, y_train, y_val = train_val_split(images, labels, val_fraction, random_state)
    return np.divide(X_train, 255, dtype=dtype), np.divide(X_val, 255, dtype=dtype), y_train, y_val


def train_val_split(X, y, val_fraction=0.2, random_state=None):
    """Shuffle, then hold out a fraction of the rows for validation.

    The article's split: a random permutation of the rows (so any order they had stays out
    of the split), its first ``int(n * val_fraction)`` to validate, the rest to train.
    ``0 < val_fraction < 1``; ``random_state``: an int, a numpy Generator or None. Returns
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
        raise ValueError(f"val_fraction={val_fraction} of {len(y)} samples leaves {n_val} for "
                         f"validation and {len(y) - n_val} for training; both need at least one")
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
