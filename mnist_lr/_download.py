"""Downloading one file with pooch's HTTP downloader, within its known size and a deadline.

Each fetch downloads into its own folder in the cache, ``.download-<host>-<pid>-<random>``,
so that what a killed fetch left behind can be recognised and removed.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import sys
import tempfile
import time
from pathlib import Path

STALE_AFTER_S = 24 * 3600.0

_PREFIX = ".download-"
_HOST = re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname()) or "localhost"
# pooch's temporary files, left in the cache itself by versions before the per-process folders.
_LEGACY_TEMP = re.compile(r"tmp[a-z0-9_]{8}")


class DownloadError(OSError):
    """A mirror answered, but not with the file we expected; the message is short."""


class _Capped:
    """A file that refuses bytes past ``size``, or any byte after ``end`` (monotonic time)."""

    def __init__(self, out, size, end, limit):
        self.out, self.size, self.end, self.limit, self.received = out, size, end, limit, 0
        self.flush = out.flush

    def write(self, block):
        if time.monotonic() > self.end:
            raise DownloadError(f"took longer than {self.limit} "
                                f"({self.received} of {self.size} bytes received)")
        self.received += len(block)
        if self.received > self.size:
            raise DownloadError(f"sent more than the expected {self.size} bytes")
        self.out.write(block)


def download(url, folder, name, sha256, size, *, timeout, deadline, stop_at, total_deadline,
             progress):
    """Download ``url`` into ``folder/name`` and check its SHA-256; return the file's path.

    The transfer stops at its ``deadline`` (seconds), or at ``stop_at`` (a
    :func:`time.monotonic` time: the end of the whole fetch's ``total_deadline``).
    """
    import pooch
    import requests

    end, limit = time.monotonic() + deadline, f"the {deadline:g} s deadline"
    if stop_at < end:
        end, limit = stop_at, f"the {total_deadline:g} s deadline of the whole download"

    def check_headers(response, **_):
        if response.status_code != 200:  # errors are raised by pooch, redirects followed
            return
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding != "identity":
            raise DownloadError(f"sent Content-Encoding: {encoding}, which was not asked for")
        announced = response.headers.get("Content-Length", str(size)).strip()
        if announced != str(size):
            raise DownloadError(f"announced {announced} bytes instead of {size}")
        # Read what each receive brings (http.client decodes any chunks), so that
        # the deadline is checked as often as bytes arrive, even on a trickle.
        if hasattr(response.raw, "read1"):  # urllib3 2.3 or later
            response.raw.chunked = False
            response.raw.read = response.raw.read1

    if progress:
        from tqdm.auto import tqdm
    bar = progress and tqdm(desc=name, total=size, unit="B", unit_scale=True, file=sys.stderr)
    http = pooch.HTTPDownloader(progressbar=bar, timeout=timeout, hooks={"response": check_headers},
                                headers={"Accept-Encoding": "identity", "User-Agent": "mnist-lr"})
    path = Path(folder) / name
    with open(path, "wb") as out:
        capped = _Capped(out, size, end, limit)
        try:
            http(url, capped, None)
        except requests.exceptions.ChunkedEncodingError:  # the connection broke off
            pass
    if capped.received < size:
        raise DownloadError(f"the transfer ended after {capped.received} of {size} bytes")
    if pooch.file_hash(str(path)) != sha256:
        raise DownloadError("checksum mismatch")
    return path


def _causes(exc) -> list[BaseException]:
    """``exc`` and the exceptions it was raised from, outermost first (at most 20)."""
    causes = [exc]
    while len(causes) < 20 and (exc := exc.__cause__ or exc.__context__) is not None:
        causes.append(exc)
    return causes


def is_unreachable(exc: BaseException) -> bool:
    """True if the mirror could not be reached at all (name lookup, connection, TLS)."""
    from urllib3.exceptions import ConnectTimeoutError

    return any(isinstance(e, (ConnectTimeoutError, ssl.SSLError)) for e in _causes(exc))


def describe(exc: BaseException) -> str:
    """A few words for a learner about why one download failed."""
    import requests

    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code} {exc.response.reason}".strip()
    causes = _causes(exc)
    for kinds, words in [
        (DownloadError, None),
        (socket.gaierror, "name resolution failed"),
        (ConnectionRefusedError, "connection refused"),
        ((TimeoutError, requests.Timeout), "timed out"),
        (ssl.SSLError, "secure connection failed"),
    ]:
        found = next((e for e in causes if isinstance(e, kinds)), None)
        if found is not None:
            return words or str(found)
    root = causes[-1]
    if isinstance(root, OSError) and root.strerror:
        return root.strerror.lower()
    if isinstance(exc, requests.RequestException):
        return "broken HTTP response"
    return type(root).__name__


def make_work_dir(cache: Path) -> Path:
    """A new folder in ``cache`` for this process's downloads, named after its owner."""
    return Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{_HOST}-{os.getpid()}-", dir=cache))


def remove_stale_downloads(cache: Path, *, stale_after=STALE_AFTER_S) -> list[Path]:
    """Remove the work folders of dead fetches from ``cache``; return what was removed.

    Never raises: a cache that cannot be listed or cleaned is left as it is.
    """
    try:
        entries = list(Path(cache).iterdir())
    except OSError:
        return []
    removed = [entry for entry in entries if _is_stale(entry, time.time(), stale_after)]
    for entry in removed:
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    return removed


def _is_stale(entry: Path, now: float, stale_after: float) -> bool:
    try:
        idle = now - max([entry.stat().st_mtime] + [child.stat().st_mtime for child in
                                                    (entry.iterdir() if entry.is_dir() else ())])
    except OSError:
        return False  # vanished meanwhile, or unreadable: leave it
    if _LEGACY_TEMP.fullmatch(entry.name):
        return idle > stale_after
    match = re.fullmatch(rf"{re.escape(_PREFIX)}(.+)-(\d+)-[^-]+", entry.name)
    if match is None:
        return False
    if match.group(1) == _HOST and os.name == "posix" and not _alive(int(match.group(2))):
        return True
    return idle > stale_after


def _alive(pid: int) -> bool:
    """Whether a process with this number exists (POSIX only: signal 0 sends nothing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, and belongs to someone else
    return True
