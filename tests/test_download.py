"""Tests of fetch_mnist_files's downloads against a local HTTP server.

Nothing here touches the internet: every mirror is either the threaded server
below, bound to 127.0.0.1, or a closed port on 127.0.0.1. The server serves the
real files (read from the real data folder) under URL prefixes that each
behave one way: intact, 404, 500, corrupted, truncated, silent, stalling.
"""

from __future__ import annotations

import collections
import contextlib
import gzip
import hashlib
import os
import pickle
import signal
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import mnist_lr.data
from mnist_lr.data import (
    CACHE_ENV,
    DATA_ENV,
    FILES,
    MIRRORS_ENV,
    MNISTNotFoundError,
    fetch_mnist_files,
)

TIMEOUT = 1.0  # client timeout for every fetch here; the silent routes outlast it
HANG_S = 10.0  # how long the "hang" and "stall" routes stay silent at most

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


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
        self.server.record(mode, name)
        body = self.server.payloads[name]
        try:
            self._answer(mode, name, body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up; that is what some tests want

    def _answer(self, mode, name, body):
        if mode == "race" and name == next(iter(FILES)):
            # Hold the first file until both clients ask for it, so that the two
            # downloads really overlap.
            try:
                self.server.barrier.wait()
            except threading.BrokenBarrierError:
                self.server.barrier_broken = True
        if mode in ("good", "race"):
            self._send(body)
        elif mode == "moved":  # a redirect to the intact copy
            self.send_response(302)
            self.send_header("Location", f"/good/{name}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode in ("e404", "e500"):
            self.send_error(int(mode[1:]))
        elif mode == "corrupt":
            flipped = bytearray(body)
            flipped[len(flipped) // 2] ^= 0xFF
            self._send(bytes(flipped))
        elif mode in ("truncated", "stall"):
            # Announce the full length and send half; then hang up, or fall silent.
            self._send(body[: len(body) // 2], length=len(body))
            self.wfile.flush()
            if mode == "stall":
                self.server.release.wait(HANG_S)
            self.close_connection = True
        elif mode == "gzip":  # compressed on the way, as some servers do
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(packed := gzip.compress(body))))
            self.end_headers()
            self.wfile.write(packed)
        elif mode == "hang":  # say nothing for longer than the client waits
            self.server.release.wait(HANG_S)
            self.close_connection = True
        else:
            self.send_error(404)

    def _send(self, body: bytes, length=None):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)


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

    def record(self, mode, name):
        with self._lock:
            self.hits[(mode, name)] += 1

    def reset(self):
        with self._lock:
            self.hits.clear()
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
        paths = fetch_mnist_files(folder, download=False)
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


def _closed_port_url():
    """A URL on a port where nothing listens: connection refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/mnist/"


@pytest.fixture
def refused_url():
    return _closed_port_url()


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
    kwargs.setdefault("progress", False)
    return fetch_mnist_files(data_dir=None, cache_dir=cache_dir, mirrors=list(mirrors), **kwargs)


def assert_cache_complete(cache_dir: Path):
    """Exactly the four files, each intact, and nothing else (no temporary file)."""
    assert sorted(os.listdir(cache_dir)) == sorted(FILES)
    for name, sha in FILES.items():
        assert hashlib.sha256((cache_dir / name).read_bytes()).hexdigest() == sha, name


def assert_paths_in_cache(paths, cache_dir: Path):
    assert list(paths) == list(FILES), "in the usual order, however each file was found"
    for name, path in paths.items():
        assert Path(path).resolve() == (cache_dir / name).resolve()


def assert_only(cache_dir: Path, names):
    """The cache holds ``names`` and nothing else: no partial file, under any name."""
    left = os.listdir(cache_dir) if cache_dir.exists() else []
    assert sorted(left) == sorted(names), f"left in the cache: {left}"


def prefill(cache_dir: Path, payloads, names):
    cache_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        (cache_dir / name).write_bytes(payloads[name])


def all_but(name):
    return [n for n in FILES if n != name]


# --------------------------------------------------------------------------- checksums, cache


def test_good_mirror_fills_cache_and_is_not_asked_twice(server, cache):
    paths = fetch(cache, server.url("good"))
    assert_paths_in_cache(paths, cache)
    assert_cache_complete(cache)
    assert server.hits == {("good", name): 1 for name in FILES}
    assert all((cache / name).stat().st_mode & 0o444 == 0o444 for name in FILES), "shareable"

    assert_paths_in_cache(fetch(cache, server.url("good")), cache)
    assert_paths_in_cache(fetch(cache, server.url("good"), download=False), cache)
    assert server.count("good") == 4, "a complete cache is not downloaded again"


def test_a_corrupt_download_is_refused_and_never_kept(server, cache, capsys):
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, server.url("corrupt"), verbose=True)
    assert_only(cache, [])
    assert "failed (checksum mismatch)" in capsys.readouterr().out
    first = next(iter(FILES))
    assert f"  {first}: not found; no mirror sent it (1 tried: checksum mismatch)" in str(
        info.value).splitlines()
    assert server.count("corrupt") == 1, "a file no mirror serves ends the download"


def test_corrupt_cached_file_is_replaced(server, cache, payloads, capsys):
    bad = "train-labels-idx1-ubyte.gz"
    prefill(cache, payloads, all_but(bad))
    (cache / bad).write_bytes(b"garbage, not the labels")
    paths = fetch(cache, server.url("good"), verbose=True)
    assert_paths_in_cache(paths, cache)
    assert_cache_complete(cache)
    assert server.hits == {("good", bad): 1}, "only the corrupt file is fetched again"
    assert f"{bad}: cached copy is corrupt" in capsys.readouterr().out


def test_corrupt_cached_file_is_never_returned(server, cache, payloads):
    bad = "t10k-labels-idx1-ubyte.gz"
    prefill(cache, payloads, all_but(bad))
    (cache / bad).write_bytes(payloads[bad][: len(payloads[bad]) // 2])
    for kwargs in ({}, {"download": False}):
        with pytest.raises(MNISTNotFoundError) as info:
            fetch(cache, server.url("e404"), **kwargs)
        assert f"  {bad}: the cached copy has a checksum mismatch" in str(info.value)


def test_a_data_folder_is_read_never_written(tmp_path, cache, payloads, server, monkeypatch):
    """What the data folder lacks is downloaded into the cache, never into the folder."""
    folder = tmp_path / "data"
    prefill(folder, payloads, all_but("t10k-labels-idx1-ubyte.gz"))
    before = sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir())
    monkeypatch.setenv(DATA_ENV, str(folder))
    paths = fetch_mnist_files(cache_dir=cache, mirrors=server.url("good"), progress=False)
    assert sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir()) == before
    assert paths["t10k-labels-idx1-ubyte.gz"] == cache / "t10k-labels-idx1-ubyte.gz"
    assert all(paths[name] == folder / name for name in all_but("t10k-labels-idx1-ubyte.gz"))
    assert server.hits == {("good", "t10k-labels-idx1-ubyte.gz"): 1}


def test_cache_env_var_is_honoured(tmp_path, payloads, monkeypatch):
    cache_dir = tmp_path / "env-cache"
    prefill(cache_dir, payloads, FILES)
    monkeypatch.setenv(CACHE_ENV, str(cache_dir))
    assert_paths_in_cache(fetch_mnist_files(download=False), cache_dir)


# --------------------------------------------------------------------------- no partial file


@pytest.mark.parametrize("bad", ["truncated", "stall"])
def test_a_broken_transfer_leaves_nothing_behind(server, cache, payloads, bad):
    name = "train-labels-idx1-ubyte.gz"
    prefill(cache, payloads, all_but(name))
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, server.url(bad))
    reason = "the transfer broke off" if bad == "truncated" else "timed out"
    assert f"(1 tried: {reason})" in str(info.value)
    assert_only(cache, all_but(name))


def test_ctrl_c_during_a_download_leaves_nothing_behind(server, cache):
    """A real SIGINT while pooch writes its temporary file: the file is removed."""
    cache.mkdir()
    sent = []
    interrupt = threading.Thread(target=_interrupt_once_bytes_arrive, args=(cache, sent))
    interrupt.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            fetch(cache, server.url("stall"), timeout=HANG_S)
    finally:
        interrupt.join()
    assert sent == [True]
    assert_only(cache, [])


def _interrupt_once_bytes_arrive(folder, sent, patience=10.0):
    """Send this process a SIGINT (Ctrl-C) once a file in ``folder`` holds data."""
    end = time.monotonic() + patience
    while time.monotonic() < end:
        with contextlib.suppress(OSError):  # a file may vanish between listing and size
            if any(path.stat().st_size for path in folder.iterdir()):
                os.kill(os.getpid(), signal.SIGINT)  # KeyboardInterrupt in the main thread
                sent.append(True)
                return
        time.sleep(0.01)


def test_two_fetches_into_the_same_cache(server, cache):
    """Two notebooks started at once: both downloads overlap, and the cache ends up intact."""
    results = []

    def one():
        try:
            results.append(fetch(cache, server.url("race"), timeout=30))
        except Exception as exc:  # noqa: BLE001 - reported below
            results.append(exc)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not server.barrier_broken, "the two downloads did not overlap"
    assert server.hits[("race", next(iter(FILES)))] == 2
    for result in results:
        assert_paths_in_cache(result, cache)
    assert_cache_complete(cache)


# --------------------------------------------------------------------------- mirrors, timeout


@pytest.mark.parametrize("failure", ["e404", "e500", "hang", "refused", "corrupt", "truncated",
                                     "malformed"])
def test_the_next_mirror_is_tried(server, cache, refused_url, failure, capsys):
    first = {"refused": refused_url, "malformed": "127.0.0.1/mnist/"}.get(failure)
    first = first or server.url(failure)
    start = time.monotonic()
    paths = fetch(cache, first, server.url("good"), verbose=True)
    elapsed = time.monotonic() - start
    assert_paths_in_cache(paths, cache)
    assert_cache_complete(cache)
    assert server.count("good") == 4
    # The mirror that served a file is asked first for the next: one failure, not four.
    assert capsys.readouterr().out.count(" failed (") == 1
    if failure not in ("refused", "malformed"):
        assert server.count(failure) == 1
    if failure == "hang":
        assert elapsed < TIMEOUT + 5, "the timeout is honoured"


def test_a_redirect_is_followed(server, cache, payloads):
    name = "t10k-labels-idx1-ubyte.gz"
    prefill(cache, payloads, all_but(name))
    assert_paths_in_cache(fetch(cache, server.url("moved")), cache)
    assert_cache_complete(cache)
    assert server.hits == {("moved", name): 1, ("good", name): 1}


def test_mirrors_env_var_is_honoured(server, cache, payloads, refused_url, monkeypatch):
    prefill(cache, payloads, all_but("train-labels-idx1-ubyte.gz"))
    monkeypatch.setenv(MIRRORS_ENV, f"{refused_url} {server.url('good')}")
    assert_paths_in_cache(fetch_mnist_files(cache_dir=cache, timeout=TIMEOUT), cache)
    assert server.hits == {("good", "train-labels-idx1-ubyte.gz"): 1}


def test_mirrors_argument_overrides_env_var(server, cache, payloads, refused_url, monkeypatch):
    prefill(cache, payloads, all_but("t10k-labels-idx1-ubyte.gz"))
    monkeypatch.setenv(MIRRORS_ENV, refused_url)
    mirror = server.url("good").rstrip("/")  # a single URL, without its trailing slash
    assert_paths_in_cache(fetch_mnist_files(cache_dir=cache, mirrors=mirror), cache)
    assert server.hits == {("good", "t10k-labels-idx1-ubyte.gz"): 1}


def test_the_timeout_reaches_requests(cache, monkeypatch):
    import requests

    seen = []

    def get(url, timeout=None, **kwargs):
        seen.append(timeout)
        raise requests.ConnectionError("offline")

    monkeypatch.setattr(requests, "get", get)
    with pytest.raises(MNISTNotFoundError):
        fetch(cache, "http://127.0.0.1:9/", timeout=2.5)
    assert seen == [2.5]


def test_progress_bar(server, cache, payloads, capsys):
    name = "t10k-labels-idx1-ubyte.gz"
    prefill(cache, payloads, all_but(name))
    fetch(cache, server.url("good"), progress=True)
    assert "100%" in capsys.readouterr().err


# --------------------------------------------------------------------------- the no-data error


@pytest.mark.parametrize("how", ["download=False", "refused mirror"])
def test_no_network_and_no_data(cache, refused_url, how):
    kwargs = {"download": False} if how == "download=False" else {}
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, refused_url, **kwargs)
    message = str(info.value)
    assert f"Looked in the cache {cache}." in message, "the message says where it looked"
    assert DATA_ENV in message and "data_dir=" in message, "and how to provide the files"
    first, *others = FILES
    if how == "download=False":
        assert "download=False" in message and "download=True while online" in message
        assert all(f"  {name}: not found\n" in message for name in FILES)
        assert info.value.failures == {}
        assert not cache.exists(), "download=False does not create the cache folder"
    else:
        assert f"  {first}: not found; no mirror sent it (1 tried: could not connect)" in message
        assert all(f"  {name}: not found; not tried" in message for name in others)
        assert "connect to the internet" in message
        assert list(info.value.failures) == [refused_url + first]
        assert_only(cache, [])


def test_offline_error_is_short_and_plain(cache, capsys):
    mirrors = [_closed_port_url() for _ in range(3)]
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, *mirrors, verbose=True)
    error, first = info.value, next(iter(FILES))
    lines = str(error).splitlines()
    assert len(lines) <= 10, str(error)
    assert f"  {first}: not found; no mirror sent it (3 tried: could not connect)" in lines
    for raw in ("HTTPConnectionPool", "Traceback", "Errno", "ConnectionError"):
        assert raw not in str(error)
    # The network errors are not chained into what a learner sees, but kept on the error.
    assert error.__cause__ is None and error.__context__ is None
    assert list(error.failures) == [m + first for m in mirrors], "only the first file is tried"
    assert capsys.readouterr().out.count(" failed (could not connect)") == 3


def test_a_mirror_that_answered_means_try_again_later(server, cache, refused_url):
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, refused_url, server.url("e404"))
    message = str(info.value)
    first = next(iter(FILES))
    assert (f"{first}: not found; no mirror sent it (2 tried: could not connect; "
            "HTTP 404 Not Found)") in message
    assert "try again later" in message and "connect to the internet" not in message


def test_advice_for_notebooks_and_for_the_command_line(cache, refused_url):
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, refused_url)
    error = info.value
    assert str(error) == error.message() == f"{error.summary}\n{error.hint}"
    assert "restart JupyterLab" in error.hint and "data_dir=" in error.hint
    cli = error.message(for_cli=True)
    assert cli == f"{error.summary}\n{error.cli_hint}"
    assert "--data-dir DIR" in cli and DATA_ENV in cli
    assert "data_dir=" not in cli and "JupyterLab" not in cli
    for advice in (error.hint, error.cli_hint):
        assert advice.startswith("Two ways out:") and advice.count("\n  - ") == 2


def test_the_size_in_the_advice_is_the_files(payloads):
    error = MNISTNotFoundError("Something is missing.")
    assert f"({sum(map(len, payloads.values())) / 1e6:.1f} MB)" in error.hint


def test_error_from_a_plain_message_still_works():
    error = MNISTNotFoundError("Something is missing.")
    assert str(error).startswith("Something is missing.\nTwo ways out:")
    assert error.failures == {} and isinstance(error, FileNotFoundError)
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error) and again.summary == error.summary


def test_no_data_and_an_empty_data_dir(tmp_path, cache):
    data_dir = tmp_path / "empty"
    data_dir.mkdir()
    with pytest.raises(MNISTNotFoundError) as info:
        fetch_mnist_files(data_dir, cache_dir=cache, download=False)
    assert f"Looked in {data_dir} and in the cache {cache}." in str(info.value)


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_a_data_folder_that_does_not_exist_is_an_error(tmp_path, cache, server, monkeypatch, how):
    """A typo in the folder's name does not silently fall back to a download."""
    missing = tmp_path / "tpyo"
    if how == "environment":
        monkeypatch.setenv(DATA_ENV, str(missing))
    with pytest.raises(MNISTNotFoundError) as info:
        fetch_mnist_files(missing if how == "argument" else None, cache_dir=cache,
                          mirrors=[server.url("good")])
    source = DATA_ENV if how == "environment" else "data_dir"
    assert f"{source} names {missing}, which is not a folder." in str(info.value)
    assert "Check the folder's name, or leave data_dir and MNIST_LR_DATA unset" in str(info.value)
    assert server.count("good") == 0


@pytest.mark.parametrize("blocked", ["a file in the way", "no write permission"])
def test_a_cache_that_cannot_be_written_to(tmp_path, server, monkeypatch, blocked):
    cache_dir = tmp_path / "cache"
    if blocked == "a file in the way":
        (tmp_path / "afile").write_text("a regular file: nothing can be created under it")
        cache_dir = tmp_path / "afile" / "cache"
    else:  # as a read-only folder does (root, who runs some CI, may write anywhere)
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(mnist_lr.data.tempfile, "TemporaryFile", refuse)
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache_dir, server.url("good"))
    assert f"the cache folder {cache_dir} cannot be written to (" in str(info.value)
    assert CACHE_ENV in info.value.hint and "--cache-dir" in info.value.cli_hint
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert server.count("good") == 0


def test_a_transfer_compressed_on_the_way_is_unpacked(server, cache, payloads):
    """A server may gzip what it sends (Content-Encoding); the checksum is of what arrives."""
    name = "t10k-labels-idx1-ubyte.gz"
    prefill(cache, payloads, all_but(name))
    assert_paths_in_cache(fetch(cache, server.url("gzip")), cache)
    assert_cache_complete(cache)
