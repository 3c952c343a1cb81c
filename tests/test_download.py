"""Tests of fetch_mnist's download paths against a local HTTP server.

Nothing here touches the internet: every mirror is either the threaded server
below, bound to 127.0.0.1, or a closed port on 127.0.0.1. The server serves the
real files (read from the real data folder) under URL prefixes that each
behave one way: intact, 404, 500, corrupted, truncated, hanging, endless,
dripping, gzip-encoded, announcing the wrong size.
"""

from __future__ import annotations

import collections
import gzip
import hashlib
import logging
import os
import pickle
import re
import signal
import socket
import ssl
import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import urllib3

import mnist_lr
import mnist_lr.data
from mnist_lr import _download
from mnist_lr._download import describe, remove_stale_downloads
from mnist_lr.data import (
    CACHE_ENV,
    DATA_ENV,
    FILE_SIZES,
    FILES,
    MIRRORS_ENV,
    DownloadFailure,
    MNISTNotFoundError,
    fetch_mnist,
)

TIMEOUT = 1.0  # client timeout for every fetch here; the "hang" route outlasts it
HANG_S = 10.0  # how long the "hang", "endless" and "drip" routes go on at most
DRIP_S = 0.05  # the "drip" route sends one byte this often: never silent for TIMEOUT

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def _sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --------------------------------------------------------------------------- the server


class _Handler(BaseHTTPRequestHandler):
    """Serves ``/<mode>/<file name>``; the mode decides how."""

    server: _MirrorServer

    def log_message(self, *args):  # keep the test output quiet
        pass

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if len(parts) != 2 or parts[1] not in self.server.payloads:
            self.send_error(404)
            return
        mode, name = parts
        self.server.record(mode, name, self.headers.get("Accept-Encoding"))
        body = self.server.payloads[name]
        try:
            if mode in ("good", "good2"):
                self._send(body)
            elif mode == "race":
                # Hold the first file until both clients ask for it, so the two
                # downloads really overlap.
                if name == next(iter(FILES)):
                    try:
                        self.server.barrier.wait()
                    except threading.BrokenBarrierError:
                        self.server.barrier_broken = True
                self._send(body)
            elif mode == "moved":
                # A redirect to the intact copy, with a body of its own.
                self.send_response(302)
                self.send_header("Location", f"/good/{name}")
                self.send_header("Content-Length", "5")
                self.end_headers()
                self.wfile.write(b"moved")
            elif mode == "e404":
                self.send_error(404, "Not Found")
            elif mode == "e500":
                self.send_error(500, "Internal Server Error")
            elif mode == "corrupt":
                flipped = bytearray(body)
                flipped[len(flipped) // 2] ^= 0xFF
                self._send(bytes(flipped))
            elif mode == "truncated":
                # Announce the full length, send half, hang up.
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
            elif mode == "hang":
                # Say nothing for longer than the client waits.
                self.server.release.wait(HANG_S)
                self.close_connection = True
            elif mode == "endless":
                # No Content-Length: the body ends when the connection does.
                self._headers()
                self._stream(lambda: body, pause=0)
            elif mode == "drip":
                # The right length, one byte at a time: never silent, never done.
                self._headers(len(body))
                self._stream(lambda: b"\x1f", pause=DRIP_S)
            elif mode == "chunked":
                # The intact file in chunks of 1000 bytes, with no Content-Length.
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for i in range(0, len(body), 1000):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(body[i:i + 1000]), body[i:i + 1000]))
                self.wfile.write(b"0\r\n\r\n")
            elif mode == "chunked-drip":
                # One chunk as long as the file, announced up front, then one byte at a time.
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.write(f"{len(body):x}\r\n".encode())
                self._stream(lambda: b"\x1f", pause=DRIP_S)
            elif mode == "gzip":
                # Compressed in transit although the client asked for identity.
                self._headers(None, ("Content-Encoding", "gzip"))
                self.wfile.write(gzip.compress(body, compresslevel=1))
                self.close_connection = True
            elif mode == "short":
                # One byte short, and no Content-Length to tell.
                self._headers()
                self.wfile.write(body[:-1])
            elif mode == "biglen":
                # Announces a length far beyond the real file's.
                self._headers(100 * len(body))
                self.wfile.write(body)
                self.close_connection = True
            else:
                self.send_error(404)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up; that is what some tests want

    def _send(self, body: bytes):
        self._headers(len(body))
        self.wfile.write(body)

    def _headers(self, length=None, *extra):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if length is not None:
            self.send_header("Content-Length", str(length))
        for key, value in extra:
            self.send_header(key, value)
        self.end_headers()
        self.close_connection = length is None

    def _stream(self, block, pause):
        """Send ``block()`` over and over until the client hangs up or HANG_S pass."""
        end = time.monotonic() + HANG_S
        while time.monotonic() < end and not self.server.release.is_set():
            self.wfile.write(block())
            self.wfile.flush()
            self.server.add_sent(len(block()))
            if pause:
                time.sleep(pause)
        self.close_connection = True


class _MirrorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, payloads: dict[str, bytes]):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.payloads = payloads
        self.hits: collections.Counter = collections.Counter()
        self._lock = threading.Lock()
        self.release = threading.Event()
        self.barrier = threading.Barrier(2, timeout=60)
        self.barrier_broken = False
        self.accept_encodings: list = []
        self.sent = 0  # bytes written by the streaming routes

    def record(self, mode, name, accept_encoding=None):
        with self._lock:
            self.hits[(mode, name)] += 1
            self.accept_encodings.append(accept_encoding)

    def add_sent(self, n):
        with self._lock:
            self.sent += n

    def reset(self):
        with self._lock:
            self.hits.clear()
            self.accept_encodings.clear()
            self.sent = 0
        self.barrier = threading.Barrier(2, timeout=60)
        self.barrier_broken = False
        self.release.set()  # wake requests still hanging from an earlier test
        self.release = threading.Event()

    def url(self, mode: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{mode}/"

    def count(self, mode: str) -> int:
        with self._lock:
            return sum(n for (m, _), n in self.hits.items() if m == mode)


@pytest.fixture(scope="module")
def payloads(mnist_dir):
    """File name -> bytes of the four real files."""
    folder = mnist_dir
    if folder is None or not all((folder / name).is_file() for name in FILES):
        folder = None  # look in the per-user cache, but never go online from this file
    try:
        paths = fetch_mnist(folder, download=False)
    except MNISTNotFoundError as exc:
        pytest.skip(f"the real MNIST files are not available locally: {exc}")
    return {name: Path(path).read_bytes() for name, path in paths.items()}


@pytest.fixture(scope="module")
def _module_server(payloads):
    server = _MirrorServer(payloads)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.release.set()  # wake any request still hanging
        server.barrier.abort()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def server(_module_server):
    _module_server.reset()
    return _module_server


@pytest.fixture
def refused_url():
    """A URL on a port where nothing listens: connection refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/mnist/"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch):
    """No data folder, cache or mirrors from the environment; no proxy for loopback."""
    for var in (DATA_ENV, CACHE_ENV, MIRRORS_ENV, *PROXY_VARS):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache"


def fetch(cache_dir, *mirrors, **kwargs):
    kwargs.setdefault("timeout", TIMEOUT)
    return fetch_mnist(data_dir=None, cache_dir=cache_dir, mirrors=list(mirrors), **kwargs)


def assert_cache_complete(cache_dir: Path):
    """Exactly the four files, each intact, and nothing else."""
    assert sorted(os.listdir(cache_dir)) == sorted(FILES)
    for name, sha in FILES.items():
        assert _sha256(cache_dir / name) == sha, name


def assert_paths_in_cache(paths, cache_dir: Path):
    assert sorted(paths) == sorted(FILES)
    for name, path in paths.items():
        assert Path(path).resolve() == (cache_dir / name).resolve()


def assert_cache_empty(cache_dir: Path):
    """No file under a final name and no stray temporary file."""
    left = os.listdir(cache_dir) if cache_dir.exists() else []
    assert left == [], f"left behind in the cache: {left}"


def prefill(cache_dir: Path, payloads, names):
    cache_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        (cache_dir / name).write_bytes(payloads[name])


# --------------------------------------------------------------------------- tests


def test_good_mirror_fills_cache_and_is_not_asked_twice(server, cache):
    paths = fetch(cache, server.url("good"))
    assert_paths_in_cache(paths, cache)
    assert_cache_complete(cache)
    assert server.hits == {("good", name): 1 for name in FILES}

    again = fetch(cache, server.url("good"))
    assert server.count("good") == 4, "a complete cache must not be downloaded again"
    assert_paths_in_cache(again, cache)
    offline = fetch(cache, server.url("good"), download=False)
    assert_paths_in_cache(offline, cache)
    assert server.count("good") == 4


@pytest.mark.parametrize("failure", ["e404", "e500", "hang", "refused"])
def test_failover_to_second_mirror(server, cache, refused_url, failure, capsys):
    first = refused_url if failure == "refused" else server.url(failure)
    start = time.monotonic()
    paths = fetch(cache, first, server.url("good"), verbose=True)
    elapsed = time.monotonic() - start

    assert_paths_in_cache(paths, cache)
    assert_cache_complete(cache)
    assert server.hits[("good", "train-labels-idx1-ubyte.gz")] == 1
    assert server.count("good") == 4
    if failure != "refused":
        # A mirror that failed goes to the back of the queue: tried once, not once per file.
        assert server.count(failure) == 1
    out = capsys.readouterr().out
    assert out.count("trying the next mirror") == 1
    if failure == "hang":
        # The timeout is honoured, and paid once rather than once per file.
        assert elapsed < TIMEOUT + 6


@pytest.mark.parametrize("bad", ["corrupt", "truncated"])
def test_bad_transfer_falls_through_to_second_mirror(server, cache, bad):
    paths = fetch(cache, server.url(bad), server.url("good"))
    assert_paths_in_cache(paths, cache)
    assert_cache_complete(cache)
    assert server.count(bad) == 1
    assert server.count("good") == 4


@pytest.mark.parametrize(
    ("bad", "reason"), [("corrupt", "checksum mismatch"), ("truncated", "the transfer ended after")]
)
def test_only_a_bad_mirror(server, cache, bad, reason, capsys):
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, server.url(bad), verbose=True)
    assert server.count(bad) == 4, "a mirror that answers is asked for every file"
    out = capsys.readouterr().out
    assert out.count(f"failed ({reason}") == 4
    assert "trying the next mirror" not in out, "there is no next mirror"
    assert_cache_empty(cache)
    message = str(info.value)
    for name in FILES:
        assert f"{name}: no mirror sent an intact copy (1 tried: {reason}" in message
    assert [f.url for f in info.value.failures] == [server.url(bad) + name for name in FILES]
    assert DATA_ENV in message
    assert "try again later" in message, "the mirror answered: the internet is not the problem"
    assert "connect to the internet" not in message


def test_corrupt_cached_file_is_replaced(server, cache, payloads, capsys):
    bad = "train-labels-idx1-ubyte.gz"
    prefill(cache, payloads, [n for n in FILES if n != bad])
    (cache / bad).write_bytes(b"garbage, not the labels")

    paths = fetch(cache, server.url("good"), verbose=True)
    assert_paths_in_cache(paths, cache)
    assert list(paths) == list(FILES), "in the usual order, however each file was found"
    assert_cache_complete(cache)
    assert server.hits == {("good", bad): 1}, "only the corrupt file is fetched again"
    assert "corrupt" in capsys.readouterr().out


def test_corrupt_cached_file_is_never_returned(server, cache, payloads):
    bad = "t10k-labels-idx1-ubyte.gz"
    prefill(cache, payloads, [n for n in FILES if n != bad])
    truncated = payloads[bad][: len(payloads[bad]) // 2]
    (cache / bad).write_bytes(truncated)

    with pytest.raises(MNISTNotFoundError, match="checksum mismatch") as info:
        fetch(cache, server.url("e404"))
    assert bad in str(info.value)
    with pytest.raises(MNISTNotFoundError, match=re.escape(bad)):
        fetch(cache, download=False)
    assert server.count("e404") == 1


@pytest.mark.parametrize("how", ["download=False", "refused mirror"])
def test_no_network_and_no_data(cache, refused_url, how):
    kwargs = {"download": False} if how == "download=False" else {}
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, refused_url, **kwargs)
    message = str(info.value)
    for name in FILES:
        assert name in message
    assert f"Looked in the cache {cache}." in message, "the message must say where it looked"
    assert DATA_ENV in message, "the message must say how to provide the files"
    assert "data_dir" in message
    if how == "download=False":
        assert "download=False" in message and "download=True while online" in message
        assert message.count(": not found") == 4
        assert info.value.failures == []
        assert not cache.exists(), "download=False must not create the cache folder"
    else:
        assert "no mirror answered (1 tried: connection refused)" in message
        assert info.value.failures[0].url == refused_url + next(iter(FILES))
        assert_cache_empty(cache)


def test_no_data_and_explicit_empty_data_dir(tmp_path, cache):
    data_dir = tmp_path / "empty"
    data_dir.mkdir()
    with pytest.raises(MNISTNotFoundError) as info:
        fetch_mnist(data_dir, cache_dir=cache, download=False)
    assert f"Looked in {data_dir} and in the cache {cache}." in str(info.value)


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_a_data_folder_that_does_not_exist_is_an_error(tmp_path, cache, server, monkeypatch, how):
    """A typo in the folder's name must not silently fall back to a download."""
    missing = tmp_path / "tpyo"
    if how == "environment":
        monkeypatch.setenv(DATA_ENV, str(missing))
    with pytest.raises(MNISTNotFoundError, match="not a folder") as info:
        fetch_mnist(missing if how == "argument" else None, cache_dir=cache,
                    mirrors=[server.url("good")])
    source = DATA_ENV if how == "environment" else "data_dir"
    assert f"{source} names {missing}, which is not a folder." in str(info.value)
    assert server.count("good") == 0


def test_cache_folder_cannot_be_created(tmp_path, server):
    afile = tmp_path / "afile"
    afile.write_text("a regular file, so nothing can be created under it")
    cache_dir = afile / "cache"
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache_dir, server.url("good"))
    message = str(info.value)
    assert str(cache_dir) in message
    assert CACHE_ENV in message
    assert server.count("good") == 0
    assert afile.is_file()


def test_cache_folder_that_cannot_be_written_to(cache, server, monkeypatch):
    def refuse(folder):
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(mnist_lr.data, "make_work_dir", refuse)
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, server.url("good"))
    assert f"{cache} cannot be written to (Permission denied)" in str(info.value)
    assert CACHE_ENV in info.value.advice()
    assert "--cache-dir" in info.value.advice(for_cli=True)
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert server.count("good") == 0


# The fetching processes below need only mnist_lr.data. Registering the
# package without running its __init__ spares each of them the import of
# scikit-learn (seconds on a busy machine), which the model needs, not this.
_LIGHT_IMPORT = textwrap.dedent(
    f"""
    import sys, types
    package = types.ModuleType("mnist_lr")
    package.__path__ = [{str(Path(mnist_lr.__file__).parent)!r}]
    sys.modules["mnist_lr"] = package
    """
)

_FETCH_SCRIPT = _LIGHT_IMPORT + textwrap.dedent(
    """
    from mnist_lr.data import fetch_mnist
    paths = fetch_mnist(timeout=30)
    print(sorted(paths))
    """
)


def test_two_processes_fetch_into_the_same_cache(server, cache):
    env = dict(os.environ)
    env[CACHE_ENV] = str(cache)
    env[MIRRORS_ENV] = server.url("race")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _FETCH_SCRIPT],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = []
    for proc in procs:
        try:
            out, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        results.append((proc.returncode, out, err))
    for rc, out, err in results:
        assert rc == 0, f"a fetching process failed:\n{err}"
        assert "train-images-idx3-ubyte.gz" in out
    assert not server.barrier_broken, "the two downloads did not overlap"
    assert server.hits[("race", "train-images-idx3-ubyte.gz")] == 2
    assert_cache_complete(cache)


def test_mirrors_env_var_is_honoured(server, cache, payloads, refused_url, monkeypatch):
    images = [n for n in FILES if "images" in n]
    prefill(cache, payloads, images)  # keep it light: only the label files are fetched
    monkeypatch.setenv(MIRRORS_ENV, f"{refused_url} {server.url('good')}")
    paths = fetch_mnist(cache_dir=cache, timeout=TIMEOUT)
    assert_paths_in_cache(paths, cache)
    assert_cache_complete(cache)
    assert server.hits == {("good", n): 1 for n in FILES if n not in images}


def test_mirrors_argument_overrides_env_var(server, cache, payloads, refused_url, monkeypatch):
    prefill(cache, payloads, [n for n in FILES if n != "t10k-labels-idx1-ubyte.gz"])
    monkeypatch.setenv(MIRRORS_ENV, refused_url)
    paths = fetch_mnist(cache_dir=cache, mirrors=server.url("good").rstrip("/"), timeout=TIMEOUT)
    assert_cache_complete(cache)
    assert_paths_in_cache(paths, cache)
    assert server.hits == {("good", "t10k-labels-idx1-ubyte.gz"): 1}


def test_cache_env_var_is_honoured(tmp_path, payloads, monkeypatch):
    cache_dir = tmp_path / "env-cache"
    prefill(cache_dir, payloads, FILES)
    monkeypatch.setenv(CACHE_ENV, str(cache_dir))
    paths = fetch_mnist(download=False)
    assert_paths_in_cache(paths, cache_dir)


def test_a_data_folder_of_gunzipped_files_is_used_not_a_download(tmp_path, cache, payloads,
                                                                    server, monkeypatch):
    folder = tmp_path / "gunzipped"
    folder.mkdir()
    for name, data in payloads.items():
        (folder / name[:-3]).write_bytes(gzip.decompress(data))
    monkeypatch.setenv(DATA_ENV, str(folder))
    paths = fetch_mnist(cache_dir=cache, mirrors=[server.url("good")], timeout=TIMEOUT)
    assert paths == {name: folder / name[:-3] for name in FILES}
    assert server.count("good") == 0
    assert not cache.exists()


def test_data_dir_wins_over_cache(tmp_path, cache, payloads, server):
    data_dir = tmp_path / "data"
    prefill(data_dir, payloads, FILES)
    paths = fetch_mnist(data_dir, cache_dir=cache, mirrors=[server.url("good")], timeout=TIMEOUT)
    assert paths == {name: data_dir / name for name in FILES}
    assert not cache.exists()
    assert server.count("good") == 0


# --------------------------------------------------------------------------- limits


def test_endless_body_is_cut_off_just_past_the_size(server, cache):
    start = time.monotonic()
    paths = fetch(cache, server.url("endless"), server.url("good"))
    assert time.monotonic() - start < 10
    assert_paths_in_cache(paths, cache)
    assert_cache_complete(cache)
    assert server.count("endless") == 1, "a mirror that misbehaved goes to the back"


def test_endless_body_only(server, cache, payloads):
    name = "train-images-idx3-ubyte.gz"
    prefill(cache, payloads, [n for n in FILES if n != name])
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, server.url("endless"))
    (failure,) = info.value.failures
    assert failure.reason == f"sent more than the expected {FILE_SIZES[name]} bytes"
    assert sorted(os.listdir(cache)) == sorted(n for n in FILES if n != name), "no temp file left"


def test_slow_drip_is_stopped_by_the_deadline(server, cache, payloads):
    name = "t10k-labels-idx1-ubyte.gz"
    prefill(cache, payloads, [n for n in FILES if n != name])
    start = time.monotonic()
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, server.url("drip"), timeout=TIMEOUT, deadline=0.5)
    elapsed = time.monotonic() - start
    # The drip is never silent for TIMEOUT, so only the deadline can stop it.
    assert 0.5 <= elapsed < 0.5 + TIMEOUT + 2
    (failure,) = info.value.failures
    assert failure.reason.startswith("took longer than the 0.5 s deadline")
    assert f"{name}: no mirror sent an intact copy (1 tried: took longer" in str(info.value)
    assert not (cache / name).exists()


def test_a_chunked_transfer_is_read_whole(server, cache):
    paths = fetch(cache, server.url("chunked"))
    assert_cache_complete(cache)
    assert_paths_in_cache(paths, cache)
    assert server.count("chunked") == 4


def test_slow_drip_in_one_long_chunk_is_stopped_by_the_deadline(server, cache, payloads):
    name = "t10k-labels-idx1-ubyte.gz"
    prefill(cache, payloads, [n for n in FILES if n != name])
    start = time.monotonic()
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, server.url("chunked-drip"), timeout=TIMEOUT, deadline=0.5)
    assert time.monotonic() - start < 0.5 + TIMEOUT + 2
    assert info.value.failures[0].reason.startswith("took longer than the 0.5 s deadline")


def test_slow_drip_then_a_good_mirror(server, cache, payloads):
    name = "train-labels-idx1-ubyte.gz"
    prefill(cache, payloads, [n for n in FILES if n != name])
    paths = fetch(cache, server.url("drip"), server.url("good"), deadline=0.3)
    assert_cache_complete(cache)
    assert_paths_in_cache(paths, cache)


def test_one_deadline_for_the_whole_download(server, cache, monkeypatch):
    """A trickling mirror costs the whole download's deadline once, not a deadline per file."""
    assert mnist_lr.data.TOTAL_DEADLINE == 900
    monkeypatch.setattr(mnist_lr.data, "TOTAL_DEADLINE", 1.0)
    start = time.monotonic()
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, server.url("drip"), deadline=60)
    assert time.monotonic() - start < 1.0 + TIMEOUT + 2
    (failure,) = info.value.failures
    assert failure.reason.startswith("took longer than the 1 s deadline of the whole download")
    message = str(info.value)
    assert "The download stopped at its 1 s deadline for all files." in message
    assert message.count(": not tried: the download ran out of time") == len(FILES) - 1
    assert_cache_empty(cache)


@pytest.mark.parametrize("deadline", [0, -1.0, float("inf"), float("nan")])
def test_bad_deadline(cache, deadline):
    with pytest.raises(ValueError, match="deadline must"):
        fetch(cache, "http://127.0.0.1:9/", deadline=deadline)


def test_a_redirect_is_followed(server, cache, payloads):
    """Only the final answer is held to the file's size, not the redirect's own body."""
    name = "t10k-labels-idx1-ubyte.gz"
    prefill(cache, payloads, [n for n in FILES if n != name])
    paths = fetch(cache, server.url("moved"))
    assert_cache_complete(cache)
    assert_paths_in_cache(paths, cache)
    assert server.hits == {("moved", name): 1, ("good", name): 1}


def test_gzip_transfer_encoding_is_refused(server, cache):
    paths = fetch(cache, server.url("gzip"), server.url("good"))
    assert_cache_complete(cache)
    assert_paths_in_cache(paths, cache)
    assert server.count("gzip") == 1
    # Every request asked for the bytes as they are.
    assert set(server.accept_encodings) == {"identity"}


def test_gzip_transfer_encoding_only(server, cache, payloads):
    name = "t10k-images-idx3-ubyte.gz"
    prefill(cache, payloads, [n for n in FILES if n != name])
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, server.url("gzip"))
    assert "Content-Encoding: gzip" in info.value.failures[0].reason
    assert sorted(os.listdir(cache)) == sorted(n for n in FILES if n != name)


def test_a_body_one_byte_short(server, cache, payloads):
    name = "train-labels-idx1-ubyte.gz"
    prefill(cache, payloads, [n for n in FILES if n != name])
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, server.url("short"))
    size = FILE_SIZES[name]
    assert info.value.failures[0].reason == f"the transfer ended after {size - 1} of {size} bytes"


@pytest.mark.parametrize("status", ["e404", "e500"])
def test_a_mirror_with_http_errors_is_asked_for_every_file(server, cache, status):
    """It answered, so it is reachable: it may well have the other files."""
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, server.url(status))
    assert server.count(status) == 4
    code = status[1:]
    for name in FILES:
        assert f"{name}: no mirror sent an intact copy (1 tried: HTTP {code} " in str(info.value)


def test_a_wrong_announced_size_is_refused_before_reading(server, cache, payloads):
    name = "t10k-labels-idx1-ubyte.gz"
    prefill(cache, payloads, [n for n in FILES if n != name])
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, server.url("biglen"))
    size = FILE_SIZES[name]
    assert info.value.failures[0].reason == f"announced {100 * size} bytes instead of {size}"


def test_progress_bar(server, cache, payloads, capsys):
    name = "t10k-labels-idx1-ubyte.gz"
    prefill(cache, payloads, [n for n in FILES if n != name])
    fetch(cache, server.url("good"), progress=True)
    err = capsys.readouterr().err
    assert name in err and "100%" in err


@pytest.mark.parametrize("how", ["argument", "environment"])
@pytest.mark.parametrize("bad", ["not-a-url", "http://[::1", "example.org/mnist/",
                                 "http://example.org:port/", "https:///mnist/",
                                 "file:///srv/mnist/", "ftp://example.org/mnist/"])
def test_a_malformed_mirror_url_is_named_once_before_any_download(cache, bad, how, monkeypatch):
    if how == "environment":
        monkeypatch.setenv(MIRRORS_ENV, bad)
        mirrors, source = None, MIRRORS_ENV
    else:
        mirrors, source = ["http://127.0.0.1:9/", bad], "mirrors"
    with pytest.raises(ValueError) as info:
        fetch_mnist(cache_dir=cache, mirrors=mirrors, timeout=TIMEOUT)
    message = str(info.value)
    assert message.startswith(f"{source}: {bad!r} is not a valid mirror URL")
    assert message.count(bad) == 1 and "\n" not in message
    assert not cache.exists(), "nothing was tried"


@pytest.mark.parametrize("mirrors", [[], ()])
def test_no_mirrors_is_an_error(cache, mirrors):
    with pytest.raises(ValueError, match="mirrors must name at least one URL"):
        fetch_mnist(cache_dir=cache, mirrors=mirrors)


def test_file_sizes_match_the_real_files(payloads):
    assert {name: len(data) for name, data in payloads.items()} == FILE_SIZES


# --------------------------------------------------------------------------- killed downloads

_DRIP_FETCH = _LIGHT_IMPORT + textwrap.dedent(
    """
    import sys
    from mnist_lr.data import fetch_mnist
    fetch_mnist(cache_dir=sys.argv[1], mirrors=[sys.argv[2]], timeout=5, deadline=60)
    """
)


def _start_dripping_fetch(cache, url):
    """A fetch in another process, caught in the middle of a download; return it and its folder."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _DRIP_FETCH, str(cache), url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):  # up to 10 s
        mine = [p for p in cache.glob(f".download-*-{proc.pid}-*") if any(p.iterdir())]
        if mine:
            return proc, mine[0]
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    pytest.fail("the fetching process did not start its download")


def _kill(proc):
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def test_a_killed_download_is_cleaned_up_but_a_live_one_is_not(server, cache, payloads):
    cache.mkdir()
    killed, killed_dir = _start_dripping_fetch(cache, server.url("drip"))
    live, live_dir = _start_dripping_fetch(cache, server.url("drip"))
    try:
        _kill(killed)
        assert killed.returncode == -signal.SIGKILL
        assert killed_dir.exists(), "SIGKILL leaves the temporary file behind"
        live_files = sorted(live_dir.iterdir())

        paths = fetch(cache, server.url("good"))

        assert not killed_dir.exists(), "the next fetch removes what a killed one left"
        assert live_dir.is_dir() and sorted(live_dir.iterdir()) == live_files
        assert live.poll() is None, "the live fetch is still running"
        assert_paths_in_cache(paths, cache)
    finally:
        _kill(live)
    remove_stale_downloads(cache)
    assert_cache_complete(cache)


def test_an_interrupted_download_cleans_up_after_itself(server, cache):
    """Ctrl-C (a real SIGINT) in the middle of a download leaves nothing behind."""
    cache.mkdir()
    proc, work_dir = _start_dripping_fetch(cache, server.url("drip"))
    try:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    finally:
        _kill(proc)
    assert proc.returncode != 0
    assert not work_dir.exists()
    assert os.listdir(cache) == []


def test_stale_folders_of_other_machines_and_old_temp_files(cache):
    """Without a process to ask, only age tells: more than a day without a write."""
    cache.mkdir()
    old = time.time() - 2 * 24 * 3600
    entries = {
        ".download-otherhost-123-abcd1234": True,  # another machine's, old
        ".download-otherhost-456-efgh5678": False,  # another machine's, recent
        "tmpab12cd_3": True,  # pooch's temp file from an earlier version, old
        "tmpzz99yy_8": False,  # the same, recent
        ".download-otherhost-789-ijkl9012": False,  # an old folder, but a file in it is fresh
        "notes.txt": False,  # not ours
    }
    for name, is_old in entries.items():
        path = cache / name
        if name.startswith(".download-"):
            path.mkdir()
            (path / "tmpxxxxxxxx").write_bytes(b"partial")
            if is_old:
                os.utime(path / "tmpxxxxxxxx", (old, old))
        else:
            path.write_bytes(b"partial")
        if is_old or name.endswith("ijkl9012"):
            os.utime(path, (old, old))
    removed = remove_stale_downloads(cache)
    assert sorted(p.name for p in removed) == sorted(n for n, is_old in entries.items() if is_old)
    assert sorted(os.listdir(cache)) == sorted(n for n, is_old in entries.items() if not is_old)


def test_a_process_of_another_user_counts_as_alive(monkeypatch):
    def not_yours(pid, sig):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(_download.os, "kill", not_yours)
    assert _download._alive(12345)


def test_cleanup_of_a_missing_or_unreadable_cache_is_quiet(tmp_path):
    assert remove_stale_downloads(tmp_path / "nowhere") == []
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert remove_stale_downloads(afile) == []


# --------------------------------------------------------------------------- the first-run error


def _all_refused(n):
    """``n`` URLs on ports where nothing listens."""
    urls = []
    for _ in range(n):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            urls.append(f"http://127.0.0.1:{sock.getsockname()[1]}/mnist/")
    return urls


def test_offline_error_is_short_and_plain(cache, caplog, capsys):
    mirrors = _all_refused(3)
    caplog.set_level(logging.DEBUG, logger="mnist_lr.data")
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, *mirrors, verbose=True)
    assert capsys.readouterr().out.count("downloading into") == 1, "only the first file is tried"
    error = info.value
    message = str(error)
    lines = message.splitlines()
    assert len(lines) <= 10, message
    first = next(iter(FILES))
    assert f"  {first}: no mirror answered (3 tried: connection refused)" in lines
    for name in FILES:
        assert sum(line.startswith(f"  {name}: ") for line in lines) == 1, name
    for raw in ("HTTPSConnectionPool", "HTTPConnectionPool", "Traceback", "Errno", "URLError"):
        assert raw not in message
    # The network errors are not chained into what a learner sees...
    assert error.__cause__ is None
    assert error.__suppress_context__ is True
    # ...but kept on the error and in the log.
    assert [f.url for f in error.failures] == [m + first for m in mirrors]
    assert all(isinstance(f, DownloadFailure) for f in error.failures)
    assert all(isinstance(f.error, OSError) for f in error.failures)
    logged = [r for r in caplog.records if r.name == "mnist_lr.data" and r.exc_info]
    assert len(logged) == 3 and all(r.levelno == logging.DEBUG for r in logged)
    # An unreachable mirror is not asked again for the other three files.
    assert len(error.failures) == 3


def test_mixed_failures_are_summed_up_on_one_line(server, cache, refused_url):
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, refused_url, server.url("e404"))
    first = next(iter(FILES))
    assert (
        f"{first}: no mirror sent an intact copy (2 tried: connection refused; HTTP 404 Not Found)"
    ) in str(info.value).splitlines()[2]
    # The refused mirror is dropped; the one that answered is asked for the rest.
    assert len(info.value.failures) == 2 + 3


def _raised_from(*errors):
    """The first error, as if raised from the second, itself raised from the third, ..."""
    for outer, inner in zip(errors, errors[1:]):
        outer.__cause__ = inner
    return errors[0]


def _http_error(code, reason):
    response = requests.Response()
    response.status_code, response.reason = code, reason
    return requests.HTTPError(f"{code} Client Error", response=response)


@pytest.mark.parametrize(
    ("error", "words", "unreachable"),
    [
        (_raised_from(requests.ConnectionError("pool"), urllib3.exceptions.NameResolutionError(
            "x", None, socket.gaierror(-2, "Name or service not known")),
            socket.gaierror(-2, "Name or service not known")), "name resolution failed", True),
        (_raised_from(requests.ConnectionError("pool"), urllib3.exceptions.NewConnectionError(
            None, "refused"), ConnectionRefusedError(111, "Connection refused")),
         "connection refused", True),
        (_raised_from(requests.ConnectTimeout("pool"), urllib3.exceptions.ConnectTimeoutError(),
                      TimeoutError("timed out")), "timed out", True),
        (requests.ReadTimeout("read timed out"), "timed out", False),
        (TimeoutError("timed out"), "timed out", False),
        (_raised_from(requests.exceptions.SSLError("pool"),
                      ssl.SSLError(1, "CERTIFICATE_VERIFY_FAILED")),
         "secure connection failed", True),
        (_http_error(403, "Forbidden"), "HTTP 403 Forbidden", False),
        (requests.exceptions.ChunkedEncodingError("IncompleteRead"), "broken HTTP response", False),
        (requests.exceptions.InvalidURL("odd"), "broken HTTP response", False),
        (_raised_from(_download.DownloadError("announced 5 bytes instead of 4"), OSError()),
         "announced 5 bytes instead of 4", False),
        (_download.DownloadError("checksum mismatch"), "checksum mismatch", False),
        (OSError(28, "No space left on device"), "no space left on device", False),
        (RuntimeError("odd"), "RuntimeError", False),
    ],
)
def test_describe_in_a_few_words(error, words, unreachable):
    assert describe(error) == words
    assert _download.is_unreachable(error) is unreachable


def test_offline_error_advice_for_notebooks_and_for_the_command_line(cache, refused_url):
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, refused_url)
    error = info.value
    assert str(error) == error.message() == f"{error.summary}\n{error.hint}"
    notebook = error.advice()
    assert "connect to the internet" in notebook
    assert DATA_ENV in notebook and "restart JupyterLab" in notebook
    assert "data_dir=" in notebook
    cli = error.advice(for_cli=True)
    assert cli == error.cli_hint
    assert "--data-dir DIR" in cli and DATA_ENV in cli
    assert "data_dir=" not in cli and "JupyterLab" not in cli
    assert error.message(for_cli=True) == f"{error.summary}\n{cli}"
    for text in (notebook, cli):
        assert text.startswith("Two ways out:") and text.count("\n  - ") == 2


def test_error_from_a_plain_message_still_works():
    error = MNISTNotFoundError("Something is missing.")
    assert str(error).startswith("Something is missing.\nTwo ways out:")
    assert error.failures == []
    assert isinstance(error, FileNotFoundError)
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error) and again.summary == error.summary


def test_pooch_logger_level_is_left_as_it_was(server, cache, refused_url):
    import pooch

    pooch_logger = pooch.get_logger()
    before = pooch_logger.level
    try:
        pooch_logger.setLevel(logging.INFO)
        fetch(cache, refused_url, server.url("e404"), server.url("good"))
        assert pooch_logger.level == logging.INFO
    finally:
        pooch_logger.setLevel(before)
