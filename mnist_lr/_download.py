"""Downloading one file with hard limits on its size, its time and its bytes on disk.

pooch's own HTTP downloader trusts the server: it keeps reading for as long
as bytes arrive, measures only the silence between reads, and lets the
transport decompress a ``Content-Encoding: gzip`` body on the fly. For four
files whose sizes we know exactly, none of that is needed, so
:class:`BoundedDownloader` (a downloader in pooch's sense: any callable
``(url, output_file, pooch)``) reads the raw bytes with the standard library
and stops

- after one byte more than the expected size (an endless body costs ~10 MB),
- when the whole file takes longer than ``deadline`` seconds (a slow drip),
- when the server is silent for ``timeout`` seconds,
- at once if the server announces another size or a transfer encoding.

pooch still does the rest: the temporary file, the checksum, the rename.

Killed downloads
----------------
pooch's temporary file is removed when a download fails, but not when the
process is killed (SIGKILL, a crashed kernel, a power cut). So each fetch
works in a folder of its own inside the cache, named after the machine and
the process: ``.download-<host>-<pid>-<random>``. At the start of a fetch,
:func:`remove_stale_downloads` removes such folders whose process is gone (on
this machine; on POSIX a process is asked with ``kill(pid, 0)``, which sends
nothing) or that nothing has written to for a day (a folder from another
machine sharing the cache, or one whose process number has been reused). A
fetch running in another process keeps writing at least every ``timeout``
seconds and its process is alive, so it is never touched.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import ssl
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

DEFAULT_TIMEOUT = 30.0
DEFAULT_DEADLINE = 600.0
#: Seconds a whole fetch (all four files, every mirror) may take.
DEFAULT_TOTAL_DEADLINE = 900.0
STALE_AFTER_S = 24 * 3600.0

_BLOCK = 1 << 16
_PREFIX = ".download-"
_HOST = re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname()) or "localhost"
# Temporary files that versions of this package before the per-process folders
# left in the cache itself (pooch's tempfile names: "tmp" and 8 characters).
_LEGACY_TEMP = re.compile(r"tmp[a-z0-9_]{8}")


class DownloadError(OSError):
    """A mirror answered, but not with the file we expected; the message is short."""


class BoundedDownloader:
    """A pooch downloader that never reads past ``size`` bytes or ``deadline`` seconds.

    Parameters
    ----------
    size : int
        The exact size of the file in bytes.
    timeout : float
        Seconds of silence (while connecting or between reads) before giving up.
    deadline : float
        Seconds the whole file may take, from the request to the last byte.
        Connecting and each read wait at most ``timeout``; the deadline is
        checked before every read of the body.
    progress : bool
        Show a progress bar (tqdm) on standard error.
    label : str, optional
        The name shown next to the progress bar.
    stop_at : float, optional
        A :func:`time.monotonic` time at which the whole fetch ends, whatever
        ``deadline`` says; ``total_deadline`` (seconds) is its length, for the message.
    """

    def __init__(self, size, *, timeout=DEFAULT_TIMEOUT, deadline=DEFAULT_DEADLINE,
                 progress=False, label=None, stop_at=None, total_deadline=None):
        self.size = int(size)
        self.timeout = float(timeout)
        self.deadline = float(deadline)
        self.progress = progress
        self.label = label
        self.stop_at = stop_at
        self.total_deadline = total_deadline

    def __call__(self, url, output_file, pooch=None):
        """Write the body served at ``url`` into ``output_file`` (pooch's protocol)."""
        end = time.monotonic() + self.deadline
        limit = f"the {self.deadline:g} s deadline"
        if self.stop_at is not None and self.stop_at < end:
            end = self.stop_at
            limit = f"the {self.total_deadline:g} s deadline of the whole download"
        request = urllib.request.Request(
            url, headers={"Accept-Encoding": "identity", "User-Agent": "mnist-lr"}
        )
        with urllib.request.urlopen(request, timeout=self.timeout, context=_tls()) as response:
            self._check_headers(response)
            with open(output_file, "wb") as out, self._bar() as bar:
                received = self._copy(response, out, end, limit, bar)
        if received < self.size:
            raise DownloadError(f"the transfer ended after {received} of {self.size} bytes")

    def _check_headers(self, response):
        encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding != "identity":
            raise DownloadError(f"sent Content-Encoding: {encoding}, which was not asked for")
        announced = response.headers.get("Content-Length")
        if announced is not None and announced.strip() != str(self.size):
            raise DownloadError(f"announced {announced.strip()} bytes instead of {self.size}")

    def _copy(self, response, out, end, limit, bar) -> int:
        """Copy raw bytes until the body ends; never more than ``size`` + 1 bytes."""
        received = 0
        while True:
            if time.monotonic() > end:
                raise DownloadError(
                    f"took longer than {limit} ({received} of {self.size} bytes received)"
                )
            # read1 returns whatever one receive brings, so the deadline is
            # checked at least once per `timeout` even on a trickle of bytes.
            block = response.read1(min(_BLOCK, self.size + 1 - received))
            if not block:
                return received
            received += len(block)
            if received > self.size:
                raise DownloadError(f"sent more than the expected {self.size} bytes")
            out.write(block)
            bar.update(len(block))

    def _bar(self):
        if not self.progress:
            return _NoBar()
        from tqdm.auto import tqdm

        return tqdm(total=self.size, unit="B", unit_scale=True, desc=self.label, file=sys.stderr)


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n):
        pass


def _tls():
    """A TLS context with certifi's certificates where available (as requests does)."""
    try:
        import certifi
    except ImportError:  # pragma: no cover - certifi comes with pooch's requests
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


# --------------------------------------------------------------------------- describing failures


def is_unreachable(exc: BaseException) -> bool:
    """True if the mirror could not be reached at all (name lookup, connection, TLS)."""
    return isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError)


def describe(exc: BaseException) -> str:
    """A few words for a learner about why one download failed."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}".strip()
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, str):  # e.g. "unknown url type: ftp"
        return reason
    if isinstance(reason, socket.gaierror):
        return "name resolution failed"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(reason, ssl.SSLError):
        return "secure connection failed"
    if isinstance(reason, DownloadError):
        return str(reason)
    if isinstance(reason, http.client.HTTPException):
        return "broken HTTP response"
    if isinstance(reason, ValueError) and "hash" in str(reason).lower():
        return "checksum mismatch"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return type(reason).__name__


# --------------------------------------------------------------------------- work folders


def make_work_dir(cache: Path) -> Path:
    """A new folder in ``cache`` for this process's downloads, named after its owner."""
    return Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{_HOST}-{os.getpid()}-", dir=cache))


def remove_stale_downloads(cache: Path, *, stale_after=STALE_AFTER_S) -> list[Path]:
    """Remove work folders of dead fetches from ``cache``; return what was removed.

    Never raises: a cache that cannot be listed or cleaned is left as it is.
    """
    removed = []
    try:
        entries = list(Path(cache).iterdir())
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if _is_stale(entry, now, stale_after):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def _is_stale(entry: Path, now: float, stale_after: float) -> bool:
    try:
        idle = now - _last_write(entry)
    except OSError:
        return False  # vanished meanwhile, or unreadable: leave it
    if _LEGACY_TEMP.fullmatch(entry.name):
        return idle > stale_after
    match = re.fullmatch(rf"{re.escape(_PREFIX)}(.+)-(\d+)-[^-]+", entry.name)
    if match is None:
        return False
    host, pid = match.group(1), int(match.group(2))
    if host == _HOST and os.name == "posix" and not _alive(pid):
        return True
    return idle > stale_after


def _last_write(entry: Path) -> float:
    times = [entry.stat().st_mtime]
    if entry.is_dir():
        times += [child.stat().st_mtime for child in entry.iterdir()]
    return max(times)


def _alive(pid: int) -> bool:
    """Whether a process with this number exists (POSIX only: signal 0 sends nothing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, and belongs to someone else
    return True
