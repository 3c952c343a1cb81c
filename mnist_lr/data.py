"""Getting MNIST: locate or download the four canonical files, parse them, split them.

Where the files come from, in this order:

1. an explicit folder: the ``data_dir`` argument, else the ``MNIST_LR_DATA``
   environment variable. Files there are only read, never written, so a
   read-only folder works;
2. the per-user cache (``MNIST_LR_CACHE``, else the platform's cache folder,
   e.g. ``~/.cache/mnist_lr`` on Linux);
3. a download into that cache from the public mirrors in :data:`MIRRORS`,
   tried in turn.

Every file is checked against its SHA-256 before it is parsed. Downloads go
through `pooch <https://www.fatiando.org/pooch>`_, which streams into a
temporary file and renames it into place only after its checksum matches, so
an interrupted or corrupt download never sits where the loader would trust
it; a corrupt cached file is detected and fetched again. The transfer itself
is done by :class:`mnist_lr._download.BoundedDownloader`, which knows each
file's size (:data:`FILE_SIZES`) and gives every file a deadline, and the whole
fetch one more, so a broken or hostile mirror can neither hang a fetch nor fill
the disk.

The images come back as ``float32`` in [0, 1]: all 70,000 take 220 MB that
way, half of what ``float64`` would, which matters on a 2 GB Binder machine.
Single precision is ample for pixels that started as 8-bit integers.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import logging
import math
import os
import shutil
import time
import urllib.parse
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._checks import check_int, check_real, check_Xy, make_rng
from ._download import (
    DEFAULT_DEADLINE,
    DEFAULT_TIMEOUT,
    DEFAULT_TOTAL_DEADLINE,
    BoundedDownloader,
    describe,
    is_unreachable,
    make_work_dir,
    remove_stale_downloads,
)

__all__ = [
    "DATA_ENV",
    "CACHE_ENV",
    "MIRRORS_ENV",
    "MIRRORS",
    "FILES",
    "FILE_SIZES",
    "TOTAL_DEADLINE",
    "DownloadFailure",
    "MNISTNotFoundError",
    "default_cache_dir",
    "fetch_mnist_files",
    "fetch_mnist",
    "read_idx",
    "load_mnist",
    "load_mnist_train_test",
    "load_mnist_split",
    "train_val_split",
    "subsample",
]

#: Every failed download attempt is logged here at DEBUG level, with its traceback.
logger = logging.getLogger(__name__)

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

#: Seconds the whole download may take: every missing file, from every mirror tried.
TOTAL_DEADLINE = DEFAULT_TOTAL_DEADLINE

# Size in bytes of each .gz file: a download stops as soon as it would exceed it.
FILE_SIZES = {
    "train-images-idx3-ubyte.gz": 9912422,
    "train-labels-idx1-ubyte.gz": 28881,
    "t10k-images-idx3-ubyte.gz": 1648877,
    "t10k-labels-idx1-ubyte.gz": 4542,
}

# SHA-256 of the same files once gunzipped: a data folder may hold them that way
# (compressing them again would not give back the bytes of the .gz files).
_GUNZIPPED = {
    "train-images-idx3-ubyte.gz": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",  # noqa: E501
    "train-labels-idx1-ubyte.gz": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",  # noqa: E501
    "t10k-images-idx3-ubyte.gz": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte.gz": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

# (magic number, shape) that each file must have.
_LAYOUT = {
    "train-images-idx3-ubyte.gz": (2051, (60000, 28, 28)),
    "train-labels-idx1-ubyte.gz": (2049, (60000,)),
    "t10k-images-idx3-ubyte.gz": (2051, (10000, 28, 28)),
    "t10k-labels-idx1-ubyte.gz": (2049, (10000,)),
}

_TOTAL_MB = f"{sum(FILE_SIZES.values()) / 1e6:.1f} MB"

# The second way out of a missing data set, in the words of where the user is.
_LOCAL_COPY = (
    f"download the four files from {MIRRORS[0]} into a folder and set {DATA_ENV} to it "
    "before starting JupyterLab (restart JupyterLab from a shell where the variable is "
    "set), or pass data_dir=... to load_mnist"
)
_LOCAL_COPY_CLI = (
    f"download the four files from {MIRRORS[0]} into a folder and pass it as "
    f"--data-dir DIR, or set {DATA_ENV}=DIR"
)


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class DownloadFailure:
    """One failed attempt to download one file from one mirror.

    Attributes
    ----------
    file : str
        The file's name, e.g. ``'train-images-idx3-ubyte.gz'``.
    mirror : str
        The mirror's base URL.
    url : str
        The full URL that was requested.
    reason : str
        A few words for a person, e.g. ``'name resolution failed'``.
    error : BaseException
        The original exception, with its traceback.
    """

    file: str
    mirror: str
    url: str
    reason: str
    error: BaseException = field(repr=False, compare=False)


class MNISTNotFoundError(FileNotFoundError):
    """MNIST could be neither found locally nor downloaded.

    The message is meant for a learner: a few lines that say what was
    missing and why, then what to do. The network errors behind it are not
    chained into the traceback; they are kept in :attr:`failures` and logged
    at DEBUG level on the ``mnist_lr.data`` logger.

    Parameters
    ----------
    summary : str
        What went wrong (``str(error)`` adds the advice to it).
    failures : sequence of DownloadFailure, optional
        Every download attempt that failed, in order.
    hint, cli_hint : str, optional
        What to do, worded for Python and notebooks, and for the command line.

    Attributes
    ----------
    summary : str
    failures : list of DownloadFailure
    hint, cli_hint : str

    Examples
    --------
    A command-line program shows the advice in its own terms:

    >>> try:  # doctest: +SKIP
    ...     fetch_mnist_files()
    ... except MNISTNotFoundError as error:
    ...     print(error.message(for_cli=True))
    """

    def __init__(self, summary, *, failures=(), hint=None, cli_hint=None):
        self.summary = str(summary)
        self.failures = list(failures)
        self.hint = hint if hint is not None else _ways_out(None, _LOCAL_COPY)
        self.cli_hint = cli_hint if cli_hint is not None else _ways_out(None, _LOCAL_COPY_CLI)
        super().__init__(self.message())

    def advice(self, for_cli=False) -> str:
        """What to do: :attr:`cli_hint` if ``for_cli``, else :attr:`hint`."""
        return self.cli_hint if for_cli else self.hint

    def message(self, for_cli=False) -> str:
        """The summary followed by the advice for Python (default) or the command line."""
        return f"{self.summary}\n{self.advice(for_cli)}"

    def __str__(self):
        return self.message()


def _ways_out(first, local):
    first = first or (
        f"connect to the internet and run this again; the four files ({_TOTAL_MB}) "
        "are then downloaded once, into the cache"
    )
    return f"Two ways out:\n  - {first};\n  - or {local}."


# --------------------------------------------------------------------------- locating files


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
    source = "mirrors"
    if mirrors is None:
        source = MIRRORS_ENV
        mirrors = os.environ.get(MIRRORS_ENV, "").split() or MIRRORS
    elif isinstance(mirrors, str):
        mirrors = [mirrors]
    mirrors = [str(m) for m in mirrors]
    if not mirrors:
        raise ValueError("mirrors must name at least one URL")
    for mirror in mirrors:
        _check_url(mirror, source)
    return [m if m.endswith("/") else m + "/" for m in mirrors]


def _check_url(url, source):
    """Raise ValueError, naming ``url``, unless it is an http(s) URL with a host, or file:."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        problem = str(exc)
    else:
        if parts.scheme == "file" or (parts.scheme in ("http", "https") and parts.hostname):
            return
        problem = "it must start with http:// or https:// and name a host"
    raise ValueError(
        f"{source}: {url!r} is not a valid mirror URL ({problem}); for example {MIRRORS[0]}"
    )


def _resolve_folders(data_dir, cache_dir) -> tuple[Path | None, Path]:
    """The explicit data folder (or None) and the cache folder."""
    source = "data_dir"
    if data_dir is None and os.environ.get(DATA_ENV):
        data_dir, source = os.environ[DATA_ENV], DATA_ENV
    data_dir = Path(data_dir).expanduser() if data_dir is not None else None
    if data_dir is not None and not data_dir.is_dir():
        # A typo here would otherwise fall through to the cache or a download.
        raise MNISTNotFoundError(
            f"{source} names {data_dir}, which is not a folder.",
            hint=f"Check the folder's name, or leave data_dir and {DATA_ENV} unset to use "
            "the cache (downloading the files into it if needed).",
            cli_hint=f"Check the folder given by --data-dir or {DATA_ENV}.",
        ) from None
    cache = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    return data_dir, cache


def _damage(path, name) -> str:
    """What is wrong with ``path`` as a copy of ``name`` (or of it gunzipped); "" if nothing."""
    if path.name == name:
        expected_size, expected_sha = FILE_SIZES[name], FILES[name]
    else:
        shape = _LAYOUT[name][1]
        expected_size, expected_sha = 4 + 4 * len(shape) + math.prod(shape), _GUNZIPPED[name]
    # The size is known: checking it first spares hashing a file that cannot match.
    size = path.stat().st_size
    if size != expected_size:
        return f"it holds {size} bytes, expected {expected_size} (SHA-256 {expected_sha})"
    actual = _sha256(path)
    if actual != expected_sha:
        return f"its SHA-256 is {actual}, expected {expected_sha}"
    return ""


def _check_local(name, data_dir, cache, log) -> tuple[Path | None, str]:
    """A verified local copy of ``name`` (or None) and, if none, a note on why not."""
    # In the data folder: the .gz file, or else the same file gunzipped.
    here = [data_dir / name, data_dir / name[:-3]] if data_dir is not None else []
    candidate = next((path for path in here if path.is_file()), None)
    if candidate is not None:
        problem = _damage(candidate, name)
        if problem:
            raise ValueError(
                f"{candidate} is not the canonical {name}"
                f"{'' if candidate.name == name else ' gunzipped'}: {problem}. Replace it "
                "with an intact copy, or remove it to let mnist_lr use its cache."
            )
        log(f"{name}: using {candidate}")
        return candidate, ""
    cached = cache / name
    if not cached.is_file():
        return None, "not found"
    if _damage(cached, name):
        log(f"{name}: cached copy is corrupt")
        return None, "the cached copy has a checksum mismatch"
    log(f"{name}: using cached {cached}")
    return cached, ""


def _prepare_cache(cache: Path) -> Path:
    """Create the cache folder and this fetch's work folder in it, or explain why not.

    Writing is the only reliable test of writability (read-only mounts, root).
    """
    try:
        cache.mkdir(parents=True, exist_ok=True)
        return make_work_dir(cache)
    except OSError as exc:
        problem = exc.strerror or str(exc)
    raise MNISTNotFoundError(
        f"MNIST is not available locally, and the cache folder {cache} cannot be "
        f"written to ({problem}).",
        hint=f"Set {CACHE_ENV} to a writable folder, or {DATA_ENV} (or data_dir=...) "
        "to a folder that already holds the four files.",
        cli_hint="Pass --cache-dir with a writable folder, or --data-dir with a folder "
        "that already holds the four files.",
    ) from None


# --------------------------------------------------------------------------- downloading


@contextlib.contextmanager
def _quiet_pooch():
    """Silence pooch's INFO lines ("Downloading ...") for the duration; we report our own way."""
    import pooch

    pooch_logger = pooch.get_logger()
    level = pooch_logger.level
    pooch_logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        pooch_logger.setLevel(level)


def _download_one(name, cache, work, mirrors, make_downloader, log, stop_at):
    """Download ``name`` into ``cache`` from the first mirror that serves it intact.

    No mirror is asked after ``stop_at`` (a :func:`time.monotonic` time).
    """
    import pooch

    failures = []
    for i, mirror in enumerate(mirrors):
        if time.monotonic() >= stop_at:
            break
        url = mirror + name
        try:
            fetched = pooch.retrieve(
                url,
                known_hash="sha256:" + FILES[name],
                fname=name,
                path=work,
                downloader=make_downloader(FILE_SIZES[name], label=name),
            )
        except Exception as exc:  # noqa: BLE001 - any failure means: try the next mirror
            failures.append(DownloadFailure(name, mirror, url, describe(exc), exc))
            logger.debug("%s: %s failed", name, url, exc_info=exc)
            more = "; trying the next mirror" if i + 1 < len(mirrors) else ""
            log(f"  {name}: {url} failed ({failures[-1].reason}){more}")
            continue
        os.replace(fetched, cache / name)
        return cache / name, failures
    return None, failures


def _requeue(mirrors, failures):
    """Drop mirrors that could not be reached; move those that failed to the back.

    So a dead mirror costs one timeout, not one per file.
    """
    failed = {f.mirror for f in failures}
    unreachable = {f.mirror for f in failures if is_unreachable(f.error)}
    kept = [m for m in mirrors if m not in failed]
    return kept + [m for m in mirrors if m in failed and m not in unreachable]


def _download_all(names, cache, work, mirrors, make_downloader, log, stop_at):
    """Download each of ``names`` (through ``work``, removed at the end) into ``cache``.

    Nothing new starts after ``stop_at``. Returns what arrived and every failed attempt.
    """
    found, failures = {}, []
    try:
        with _quiet_pooch():
            for name in names:
                if not mirrors or time.monotonic() >= stop_at:
                    break
                log(f"{name}: downloading into {cache}")
                path, failed = _download_one(
                    name, cache, work, mirrors, make_downloader, log, stop_at)
                failures += failed
                mirrors = _requeue(mirrors, failed)
                if path is not None:
                    found[name] = path
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return found, failures


def _outcome(failures, out_of_time=False) -> str:
    """One file's download attempts in a few words."""
    if not failures:
        if out_of_time:
            return "not tried: the download ran out of time"
        return "not tried: no mirror answered for the files above"
    reasons = list(dict.fromkeys(f.reason for f in failures))
    if all(is_unreachable(f.error) for f in failures):
        verb = "no mirror answered"
    else:
        verb = "no mirror sent an intact copy"
    return f"{verb} ({len(failures)} tried: {'; '.join(reasons)})"


def _not_found(notes, failures, data_dir, cache, download, total_deadline=None):
    """The short, learner-facing error for files that are neither here nor downloadable.

    ``total_deadline``: the seconds the whole download was given, if it ran out of them.
    """
    if download:
        lines = ["MNIST is not on this computer and could not be downloaded."]
    else:
        lines = ["MNIST is not on this computer, and downloading is off (download=False)."]
    where = f"{data_dir} and in the cache {cache}" if data_dir else f"the cache {cache}"
    lines.append(f"Looked in {where}.")
    if total_deadline is not None:
        lines.append(f"The download stopped at its {total_deadline:g} s deadline for all files.")
    for name, note in notes.items():
        if download:
            tried = [f for f in failures if f.file == name]
            outcome = _outcome(tried, out_of_time=total_deadline is not None)
            note = outcome if note == "not found" else f"{note}; {outcome}"
        lines.append(f"  {name}: {note}")
    if not download:
        first = f"call it again with download=True while online ({_TOTAL_MB}, downloaded once)"
    elif failures and not all(is_unreachable(f.error) for f in failures):
        first = f"try again later, or name other mirrors in {MIRRORS_ENV}"
    else:
        first = None
    return MNISTNotFoundError(
        "\n".join(lines),
        failures=failures,
        hint=_ways_out(first, _LOCAL_COPY),
        cli_hint=_ways_out(first, _LOCAL_COPY_CLI),
    )


def fetch_mnist_files(
    data_dir=None,
    *,
    cache_dir=None,
    mirrors=None,
    download=True,
    timeout=DEFAULT_TIMEOUT,
    deadline=DEFAULT_DEADLINE,
    progress=False,
    verbose=False,
) -> dict[str, Path]:
    """Locate the four MNIST files, downloading them into the cache if needed.

    Also available as :func:`fetch_mnist`, its earlier name.

    Parameters
    ----------
    data_dir : str or path-like, optional
        A folder that holds the files, as ``.gz`` files or gunzipped (each is
        checked against its own SHA-256). Defaults to ``$MNIST_LR_DATA``. It
        is only read, so it may be read-only.
    cache_dir : str or path-like, optional
        Where downloads go. Defaults to :func:`default_cache_dir`.
    mirrors : sequence of str, optional
        Base URLs to try in order. Defaults to ``$MNIST_LR_MIRRORS``
        (space-separated) or :data:`MIRRORS`.
    download : bool, default True
        If False, never touch the network.
    timeout : float, default 30
        Seconds a mirror may stay silent (connecting, or between two reads)
        before the next one is tried.
    deadline : float, default 600
        Seconds one file may take from one mirror, however steadily its bytes
        arrive. The whole download, every file from every mirror tried, stops
        after :data:`TOTAL_DEADLINE` seconds (900).
    progress : bool, default False
        Show a download progress bar.
    verbose : bool, default False
        Print where each file was found, and each failed download.

    Returns
    -------
    dict
        File name -> path of a verified copy (in ``data_dir``, perhaps gunzipped).

    Raises
    ------
    MNISTNotFoundError
        If a file is neither present nor downloadable. The message has one
        line per missing file, then what to do; the error's ``failures`` list
        every failed download, with the network errors behind them.
    ValueError
        If a file in the explicit ``data_dir`` fails its checksum.

    Examples
    --------
    >>> paths = fetch_mnist_files()  # doctest: +SKIP
    >>> sorted(paths)[0]  # doctest: +SKIP
    't10k-images-idx3-ubyte.gz'
    """
    timeout = check_real(timeout, "timeout", positive=True)
    deadline = check_real(deadline, "deadline", positive=True)
    log = print if verbose else (lambda *_: None)
    data_dir, cache = _resolve_folders(data_dir, cache_dir)
    mirror_order = _mirrors(mirrors) if download else []
    remove_stale_downloads(cache)  # left by fetches that were killed
    found, notes = {}, {}
    for name in FILES:
        path, note = _check_local(name, data_dir, cache, log)
        if path is not None:
            found[name] = path
        else:
            notes[name] = note
    failures, out_of_time = [], None
    if notes and download:
        work = _prepare_cache(cache)
        total_deadline = TOTAL_DEADLINE
        stop_at = time.monotonic() + total_deadline
        make = functools.partial(BoundedDownloader, timeout=timeout, deadline=deadline,
                                 progress=progress, stop_at=stop_at,
                                 total_deadline=total_deadline)
        fetched, failures = _download_all(list(notes), cache, work, mirror_order, make, log,
                                          stop_at)
        found.update(fetched)
        if time.monotonic() >= stop_at:
            out_of_time = total_deadline
    missing = {name: note for name, note in notes.items() if name not in found}
    if missing:
        raise _not_found(missing, failures, data_dir, cache, download, out_of_time) from None
    return {name: found[name] for name in FILES}


#: The earlier name of :func:`fetch_mnist_files`, kept for existing code.
fetch_mnist = fetch_mnist_files


# --------------------------------------------------------------------------- parsing

_IDX_BLOCK = 1 << 20


def read_idx(path, *, expected_magic=None, expected_shape=None) -> np.ndarray:
    """Parse an IDX file (gzip-compressed or not) of unsigned bytes.

    The IDX format is a 4-byte big-endian magic number (two zero bytes, a type
    code and the number of dimensions), one big-endian 4-byte size per
    dimension, then the data. The file is read as a stream: the header is
    checked before any data is read, and reading stops as soon as the data is
    longer than the header says, so a small gzip file that inflates to
    gigabytes costs no more memory than the array it claims to hold.

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


def _read_idx_data(handle, path, shape) -> bytearray:
    """Exactly the header's number of bytes; a longer or shorter stream is an error."""
    size = math.prod(shape)
    data = bytearray()
    while len(data) < size:
        block = handle.read(min(_IDX_BLOCK, size - len(data)))
        if not block:
            break
        data += block
    # Look a bounded distance past the end: enough to report small excesses
    # exactly, never enough to inflate a compressed bomb.
    extra = len(handle.read(_IDX_BLOCK))
    if len(data) != size or extra:
        held = len(data) + extra
        held = f"more than {held}" if extra == _IDX_BLOCK else str(held)
        raise ValueError(
            f"{path} should hold {size} data bytes for shape {shape} but holds "
            f"{held}: the file is truncated or corrupt"
        )
    return data


# --------------------------------------------------------------------------- loading


# The two halves of MNIST as the original files deliver them: which files hold each.
_SUBSETS = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


def _read_subsets(subsets, data_dir, fetch_options) -> list[tuple[np.ndarray, np.ndarray]]:
    """(images, labels) as stored, one pair per subset; only the files asked for are parsed."""
    paths = fetch_mnist_files(data_dir, **fetch_options)
    pairs = []
    for subset in subsets:
        arrays = [
            read_idx(paths[name], expected_magic=_LAYOUT[name][0], expected_shape=_LAYOUT[name][1])
            for name in _SUBSETS[subset]
        ]
        pairs.append((arrays[0], arrays[1].astype(np.int64)))
    return pairs


def _check_dtype(dtype):
    checked = None
    if dtype is not None:  # np.dtype(None) would quietly mean float64
        try:
            checked = np.dtype(dtype)
        except (TypeError, ValueError):
            checked = None
    if checked not in (np.float32, np.float64):
        raise ValueError(
            f"dtype must be float32 or float64, got {dtype!r}; for example dtype=np.float32"
        )
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


def load_mnist(data_dir=None, *, subset="train", dtype=np.float32, cache_dir=None, mirrors=None,
               download=True, timeout=DEFAULT_TIMEOUT, deadline=DEFAULT_DEADLINE, progress=False,
               verbose=False):
    """MNIST images as rows of 784 pixels in [0, 1], with their labels.

    By default only the 60,000 official *training* images come back. The
    10,000 official test images stay locked away, because an image that helps
    choose anything (a learning rate, an epoch, a penalty) can no longer
    measure the final result honestly. Open them once, at the very end, with
    :func:`load_mnist_train_test`.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Folder with the four files; see :func:`fetch_mnist_files` for the search order.
    subset : {"train", "test", "all"}, default "train"
        ``"train"``: the 60,000 training images. ``"test"``: the 10,000 test
        images. ``"all"``: all 70,000 in the order of OpenML's ``mnist_784``
        (the training images, then the test images), the pool the article
        shuffled together.
    dtype : {numpy.float32, numpy.float64}, default float32
        Pixel dtype. float32 halves the memory (190 MB instead of 380 MB for 60,000 images).
    cache_dir, mirrors, download, timeout, deadline, progress, verbose
        Where to look and how to download; see :func:`fetch_mnist_files`.

    Returns
    -------
    X : numpy.ndarray of shape (n, 784)
        n is 60,000, 10,000 or 70,000 (see ``subset``).
    y : numpy.ndarray of shape (n,), int64 labels 0-9

    Examples
    --------
    >>> X, y = load_mnist()  # doctest: +SKIP
    >>> X.shape, X.dtype, y[:5]  # doctest: +SKIP
    ((60000, 784), dtype('float32'), array([5, 0, 4, 1, 9]))
    """
    if subset not in ("train", "test", "all"):
        raise ValueError(f"subset must be 'train', 'test' or 'all', got {subset!r}")
    dtype = _check_dtype(dtype)
    wanted = ("train", "test") if subset == "all" else (subset,)
    pairs = _read_subsets(wanted, data_dir, dict(
        cache_dir=cache_dir, mirrors=mirrors, download=download, timeout=timeout,
        deadline=deadline, progress=progress, verbose=verbose))
    X = _scale([images for images, _ in pairs], dtype)
    y = np.concatenate([labels for _, labels in pairs])
    return X, y


def load_mnist_train_test(data_dir=None, **options):
    """The official split, test set included: the one call that opens the locked test images.

    Use it once, at the end, to score models that were chosen without the test set.

    Parameters
    ----------
    data_dir, **options
        As in :func:`load_mnist` (except ``subset``).

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
    return (*load_mnist(data_dir, subset="train", **options),
            *load_mnist(data_dir, subset="test", **options))


def load_mnist_split(val_fraction=0.2, random_state=None, data_dir=None, *, dtype=np.float32,
                     **options):
    """The 60,000 training images, shuffled and split into a training and a validation part.

    The test images are not read. The result equals
    ``train_val_split(*load_mnist(), val_fraction, random_state)``, but the
    rows are shuffled and split while they are still one byte per pixel and
    only then scaled, so the scaled array never exists next to its two parts.

    Parameters
    ----------
    val_fraction : float, default 0.2
    random_state : int, numpy.random.Generator or None
    data_dir, dtype, **options
        As in :func:`load_mnist` (except ``subset``).

    Returns
    -------
    X_train, X_val, y_train, y_val : numpy.ndarray

    Examples
    --------
    >>> X_train, X_val, y_train, y_val = load_mnist_split(0.2, random_state=0)  # doctest: +SKIP
    >>> X_train.shape, X_val.shape  # doctest: +SKIP
    ((48000, 784), (12000, 784))
    """
    dtype = _check_dtype(dtype)
    [(images, labels)] = _read_subsets(("train",), data_dir, options)
    X_train, X_val, y_train, y_val = train_val_split(
        images.reshape(-1, 784), labels, val_fraction, random_state)
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


def smallest_split(val_fraction, min_train=1):
    """The fewest rows :func:`train_val_split` splits into >= 1 validation and ``min_train`` rows.

    Examples
    --------
    >>> smallest_split(0.2), smallest_split(0.2, min_train=100)
    (5, 124)
    """
    val_fraction = check_real(val_fraction, "val_fraction", open_interval=(0.0, 1.0))
    min_train = check_int(min_train, "min_train", minimum=1)

    def enough(n):  # the split's own rounding: int(n * val_fraction) rows validate
        n_val = int(n * val_fraction)
        return n_val >= 1 and n - n_val >= min_train

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
