"""Tests of fetch_mnist's download paths against a local HTTP server.

Nothing here touches the internet: every mirror is either the threaded server
below, bound to 127.0.0.1, or a closed port on 127.0.0.1. The server serves the
real files (read from the real data folder) under URL prefixes that each
behave one way: intact, 404, 500, corrupted, truncated, hanging.
"""

from __future__ import annotations

import collections
import hashlib
import os
import re
import socket
import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mnist_lr.data import (
    CACHE_ENV,
    DATA_ENV,
    FILES,
    MIRRORS_ENV,
    MNISTNotFoundError,
    fetch_mnist,
)

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"
TIMEOUT = 1.0  # client timeout for every fetch here; the "hang" route outlasts it
HANG_S = 10.0  # how long the "hang" route keeps a request waiting at most

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
        self.server.record(mode, name)
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
            else:
                self.send_error(404)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up; that is what some tests want

    def _send(self, body: bytes):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
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
def payloads():
    """File name -> bytes of the four real files."""
    folder = Path(os.environ[DATA_ENV]) if os.environ.get(DATA_ENV) else DEFAULT_DATA_DIR
    if not all((folder / name).is_file() for name in FILES):
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


@pytest.mark.parametrize("bad", ["corrupt", "truncated"])
def test_only_a_bad_mirror(server, cache, bad):
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, server.url(bad))
    assert server.count(bad) == 4
    assert_cache_empty(cache)
    message = str(info.value)
    for name in FILES:
        assert server.url(bad) + name in message
    assert DATA_ENV in message


def test_corrupt_cached_file_is_replaced(server, cache, payloads, capsys):
    bad = "train-labels-idx1-ubyte.gz"
    prefill(cache, payloads, [n for n in FILES if n != bad])
    (cache / bad).write_bytes(b"garbage, not the labels")

    paths = fetch(cache, server.url("good"), verbose=True)
    assert_paths_in_cache(paths, cache)
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
        assert str(cache / name) in message, "the message must list where it looked"
    assert DATA_ENV in message, "the message must say how to provide the files"
    assert "data_dir" in message
    if how == "download=False":
        assert "download=False" in message
        assert not cache.exists(), "download=False must not create the cache folder"
    else:
        assert refused_url in message
        assert_cache_empty(cache)


def test_no_data_and_explicit_empty_data_dir(tmp_path, cache):
    data_dir = tmp_path / "empty"
    data_dir.mkdir()
    with pytest.raises(MNISTNotFoundError) as info:
        fetch_mnist(data_dir, cache_dir=cache, download=False)
    assert str(data_dir / "train-images-idx3-ubyte.gz") in str(info.value)
    assert str(cache / "train-images-idx3-ubyte.gz") in str(info.value)


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_a_data_folder_that_does_not_exist_is_an_error(tmp_path, cache, server, monkeypatch, how):
    """A typo in the folder's name must not silently fall back to a download."""
    missing = tmp_path / "tpyo"
    if how == "environment":
        monkeypatch.setenv(DATA_ENV, str(missing))
    with pytest.raises(MNISTNotFoundError, match="not a folder") as info:
        fetch_mnist(missing if how == "argument" else None, cache_dir=cache,
                    mirrors=[server.url("good")])
    assert str(missing) in str(info.value)
    assert (DATA_ENV if how == "environment" else "data_dir") in str(info.value)
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


_FETCH_SCRIPT = textwrap.dedent(
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


def test_data_dir_wins_over_cache(tmp_path, cache, payloads, server):
    data_dir = tmp_path / "data"
    prefill(data_dir, payloads, FILES)
    paths = fetch_mnist(data_dir, cache_dir=cache, mirrors=[server.url("good")], timeout=TIMEOUT)
    assert paths == {name: data_dir / name for name in FILES}
    assert not cache.exists()
    assert server.count("good") == 0
