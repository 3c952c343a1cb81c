"""Tests of fetch_mnist_files's downloads against a local HTTP server.

Nothing here touches the internet: every mirror is the threaded server below on
127.0.0.1, or a closed port there. The server serves the real files under URL
prefixes that each behave one way: intact, 404, corrupted, truncated, silent, stalling.
"""

import contextlib
import hashlib
import os
import signal
import socket
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

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
LAST = "t10k-labels-idx1-ubyte.gz"  # the file most tests leave to download: the smallest


class _Handler(BaseHTTPRequestHandler):
    """Serves ``/<mode>/<file name>``; the mode decides how."""

    def log_message(self, *args):  # keep the test output quiet
        pass

    def do_GET(self):
        mode, _, name = self.path.strip("/").partition("/")
        if name not in self.server.payloads or mode not in ("good", "corrupt", "truncated",
                                                            "stall", "hang"):
            self.send_error(404)
            return
        self.server.hits[(mode, name)] += 1
        body = self.server.payloads[name]
        if mode == "corrupt":
            body = body[:100] + bytes([body[100] ^ 0xFF]) + body[101:]
        if mode == "hang":  # silent before the first byte
            self.server.release.wait(HANG_S)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if mode in ("truncated", "stall"):  # half the announced length, then hang up or wait
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                if mode == "stall":
                    self.server.release.wait(HANG_S)
                self.close_connection = True
            else:
                self.wfile.write(body)


@pytest.fixture(scope="module")
def payloads(mnist_dir):
    """File name -> bytes of the four real files (never downloaded from the internet here)."""
    try:
        paths = fetch_mnist_files(mnist_dir, download=False)
    except MNISTNotFoundError as exc:
        pytest.skip(f"the real MNIST files are not available locally: {exc}")
    return {name: Path(path).read_bytes() for name, path in paths.items()}


@pytest.fixture(scope="module")
def _module_server(payloads):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads, server.payloads = True, payloads
    server.release = threading.Event()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def server(_module_server):
    _module_server.hits = Counter()
    _module_server.release.set()  # wake requests still hanging from an earlier test
    _module_server.release = threading.Event()
    _module_server.url = lambda mode: f"http://127.0.0.1:{_module_server.server_port}/{mode}/"
    return _module_server


@pytest.fixture
def refused_url():
    """A URL on a port where nothing listens: connection refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/mnist/"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch):
    """No data folder, cache or mirrors from the environment; no proxy for loopback."""
    for var in (DATA_ENV, CACHE_ENV, MIRRORS_ENV):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache"


def fetch(cache_dir, *mirrors, **kwargs):
    kwargs = {"timeout": TIMEOUT, "progress": False, **kwargs}
    return fetch_mnist_files(cache_dir=cache_dir, mirrors=list(mirrors), **kwargs)


def assert_cache_is(cache_dir, names):
    """The cache holds intact copies of ``names`` and nothing else: no partial file."""
    assert sorted(os.listdir(cache_dir) if cache_dir.exists() else []) == sorted(names)
    for name in names:
        assert hashlib.sha256((cache_dir / name).read_bytes()).hexdigest() == FILES[name]


def prefill(folder, payloads, names):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(payloads[name])


ALL_BUT_LAST = [name for name in FILES if name != LAST]


def test_a_good_mirror_fills_the_cache_once(server, cache, capsys, monkeypatch):
    paths = fetch(cache, server.url("good"), progress=True)
    assert paths == {name: cache / name for name in FILES}
    assert_cache_is(cache, FILES)
    assert "100%" in capsys.readouterr().err, "a progress bar"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    assert fetch_mnist_files(mirrors=server.url("good")) == paths
    assert fetch_mnist_files(download=False) == paths
    assert server.hits == {("good", name): 1 for name in FILES}, "downloaded once"


@pytest.mark.parametrize(("mode", "reason"), [("corrupt", "checksum mismatch"),
                                              ("truncated", "connection failed"),
                                              ("stall", "timed out")])
def test_a_failed_download_leaves_no_file(server, cache, payloads, mode, reason):
    prefill(cache, payloads, ALL_BUT_LAST)
    start = time.monotonic()
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, server.url(mode))
    assert time.monotonic() - start < TIMEOUT + 5, "a silence mid-file is a timeout"
    assert f"  {server.url(mode)}{LAST}: {reason}" in str(info.value).splitlines()
    assert_cache_is(cache, ALL_BUT_LAST)


@pytest.mark.skipif("mutmut" in sys.modules, reason="mutmut's workers ignore SIGINT")
def test_ctrl_c_during_a_download_leaves_no_file(server, cache):
    """A real SIGINT while pooch writes its temporary file: the file is removed."""
    cache.mkdir()

    def interrupt_once_bytes_arrive():
        end = time.monotonic() + HANG_S
        while time.monotonic() < end:
            with contextlib.suppress(OSError):  # a file may vanish between listing and size
                if any(path.stat().st_size for path in cache.iterdir()):
                    os.kill(os.getpid(), signal.SIGINT)  # KeyboardInterrupt in the main thread
                    return
            time.sleep(0.01)

    thread = threading.Thread(target=interrupt_once_bytes_arrive)
    thread.start()
    with pytest.raises(KeyboardInterrupt):
        fetch(cache, server.url("stall"), timeout=HANG_S)
    thread.join()
    assert_cache_is(cache, [])


def test_a_corrupt_cached_file_is_downloaded_again(server, cache, payloads):
    prefill(cache, payloads, ALL_BUT_LAST)
    (cache / LAST).write_bytes(payloads[LAST][:1000])
    with pytest.raises(MNISTNotFoundError, match=f"for: {LAST}."):
        fetch(cache, server.url("good"), download=False)
    assert fetch(cache, server.url("good"))[LAST] == cache / LAST
    assert_cache_is(cache, FILES)
    assert server.hits == {("good", LAST): 1}, "only the corrupt file"


def test_a_data_folder_is_only_read(tmp_path, cache, payloads, server, monkeypatch):
    """A read-only data folder comes first; what it lacks is downloaded into the cache."""
    folder = tmp_path / "data"
    prefill(folder, payloads, ALL_BUT_LAST)
    prefill(cache, payloads, ALL_BUT_LAST[:1])  # the folder comes first
    folder.chmod(0o555)  # root may write anyway: the listing below is the real check
    before = sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir())
    monkeypatch.setenv(DATA_ENV, str(folder))
    paths = fetch_mnist_files(cache_dir=cache, mirrors=server.url("good"), progress=False)
    assert sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir()) == before
    assert paths == {**{name: folder / name for name in ALL_BUT_LAST}, LAST: cache / LAST}
    assert_cache_is(cache, [ALL_BUT_LAST[0], LAST])


@pytest.mark.parametrize(("first", "reason"), [
    ("e404", "HTTP 404 Not Found"), ("hang", "timed out"), ("refused", "connection failed"),
    ("corrupt", "checksum mismatch"), ("truncated", "connection failed"),
    ("malformed", "connection failed")])
def test_the_next_mirror_is_tried(server, cache, refused_url, first, reason, capsys):
    url = {"refused": refused_url, "malformed": "127.0.0.1/mnist/"}.get(first, server.url(first))
    start = time.monotonic()
    fetch(cache, url, server.url("good"), verbose=True)
    assert time.monotonic() - start < TIMEOUT + 5, "a silent mirror is given up"
    assert_cache_is(cache, FILES)
    # The mirror that served a file is asked first for the next: one failure, not four.
    out = capsys.readouterr().out
    assert f" failed ({reason})" in out and out.count(" failed (") == 1


def test_the_mirrors_come_from_the_argument_else_the_environment(server, cache, payloads,
                                                                refused_url, monkeypatch):
    prefill(cache, payloads, ALL_BUT_LAST)
    monkeypatch.setenv(MIRRORS_ENV, f"{refused_url} {server.url('good')}")
    assert fetch_mnist_files(cache_dir=cache, timeout=TIMEOUT)[LAST] == cache / LAST
    (cache / LAST).unlink()
    monkeypatch.setenv(MIRRORS_ENV, refused_url)
    mirror = server.url("good").rstrip("/")  # one URL, as a str, without its trailing slash
    assert fetch_mnist_files(cache_dir=cache, mirrors=mirror)[LAST] == cache / LAST
    assert server.hits == {("good", LAST): 2}


@pytest.mark.parametrize("how", ["download=False", "refused mirror", "empty data folder"])
def test_no_data_and_no_network_says_where_it_looked_and_two_ways_out(
        tmp_path, cache, refused_url, payloads, how):
    data_dir = tmp_path / "empty" if how == "empty data folder" else None
    if data_dir:
        data_dir.mkdir()
    with pytest.raises(MNISTNotFoundError) as info:
        fetch(cache, refused_url, data_dir=data_dir, download=how != "download=False")
    error, message = info.value, str(info.value)
    where = f"{data_dir} and in the cache {cache}" if data_dir else f"the cache {cache}"
    assert f"Looked in {where} for: {', '.join(FILES)}." in message
    if how == "download=False":
        assert "download=False" in error.summary and "download=True while online" in error.hint
        assert error.failures == {} and not cache.exists(), "nothing tried, nothing made"
    else:  # the first file failed on the one mirror, and the others were not tried
        assert list(error.failures) == [refused_url + next(iter(FILES))]
        assert f"  {refused_url}{next(iter(FILES))}: connection failed" in message
        assert "connect to the internet" in error.hint and error.__context__ is None
        assert_cache_is(cache, [])
    total_mb = sum(map(len, payloads.values())) / 1e6
    assert message == error.message() == f"{error.summary}\n{error.hint}"
    assert f"({total_mb:.1f} MB" in error.hint
    assert "restart JupyterLab" in error.hint and "data_dir=" in error.hint
    cli = error.message(for_cli=True)  # what `python -m mnist_lr` prints
    assert cli == f"{error.summary}\n{error.cli_hint}" and "--data-dir DIR" in cli
    assert "data_dir=" not in cli and "JupyterLab" not in cli and DATA_ENV in cli
    for advice in (error.hint, error.cli_hint):
        assert advice.startswith("Two ways out:") and advice.count("\n  - ") == 2
    assert len(message.splitlines()) <= 8, "short"
    assert not any(raw in message for raw in ("Traceback", "Errno", "ConnectionError", "Pool"))
