"""JupyterLab in a real browser: the notebook with the sliders runs, renders and responds.

Starts a JupyterLab server on 127.0.0.1 with a token, opens notebook 03 in
headless Chromium through Playwright, runs every cell, checks that the
learning-rate slider renders without "Error displaying widget", drags it, and
checks that the plot changed. Screenshots before and after go to
``test-artifacts/``. The server is stopped whatever happens.

Needs Debian's ``chromium`` (``/usr/bin/chromium``) and the ``playwright``
Python package; it never downloads a browser. ``.ci/run`` installs Chromium;
outside CI the test is skipped when either is missing.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("MNIST_LR_CHROMIUM", "/usr/bin/chromium")
NOTEBOOK = "notebooks/03_training.ipynb"


def _missing_requirement():
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    missing = _missing_requirement()
    if missing:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"browser test cannot run in CI: {missing}")
        pytest.skip(missing)
    token = secrets.token_hex(16)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = tmp_path_factory.mktemp("jupyter-home")
    # Serve a copy, so that JupyterLab's autosave can never rewrite the
    # committed notebook (whose stored outputs nbval checks).
    served = tmp_path_factory.mktemp("served")
    (served / "notebooks").mkdir()
    shutil.copy(ROOT / NOTEBOOK, served / NOTEBOOK)
    # No "get notified about Jupyter news?" pop-up over the screenshots.
    settings = home / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    env = dict(
        {k: v for k, v in os.environ.items() if k != "MPLBACKEND"},
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "lab-workspaces"),
    )
    log = open(home / "server.log", "w")  # noqa: SIM115 - closed in the teardown
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False",
         f"--ServerApp.root_dir={served}", "--LabApp.news_url=None",
         "--LabApp.collaborative=False", *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=served, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early:\n{(home / 'server.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start within 90 s") from None
                time.sleep(0.5)
        yield base, token
    finally:
        _shut_down_kernels(base, token)
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _shut_down_kernels(base, token):
    """Stop every kernel the server started, so none outlives the test."""
    try:
        with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=5) as reply:
            kernels = json.load(reply)
        for kernel in kernels:
            request = urllib.request.Request(
                f"{base}/api/kernels/{kernel['id']}?token={token}", method="DELETE"
            )
            urllib.request.urlopen(request, timeout=10).close()
    except OSError:
        pass  # the server is already gone; it took its kernels with it


def _run_all_cells(page):
    """Run > Run All Cells, retried until the first code cell is actually queued."""
    prompt = page.locator(".jp-CodeCell .jp-InputPrompt").first
    for _ in range(5):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if prompt.inner_text().strip() not in ("", "[ ]:"):
                return
            time.sleep(0.25)
        page.keyboard.press("Escape")
    raise AssertionError("Run All Cells did not start the notebook")


def _output_image(page):
    """The PNG currently shown inside the learning-rate explorer, as a data URL."""
    image = page.locator(".lr-explorer img").first
    image.wait_for(state="visible", timeout=120_000)
    return image.get_attribute("src")


def test_learning_rate_slider_in_jupyterlab(lab_server):
    from playwright.sync_api import sync_playwright

    base, token = lab_server
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}", timeout=120_000)
            page.locator(".jp-Notebook").first.wait_for(timeout=120_000)
            # Wait for the kernel, then run everything from the Run menu.
            page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
                timeout=120_000
            )
            _run_all_cells(page)

            explorer = page.locator(".lr-explorer").first
            explorer.wait_for(state="visible", timeout=180_000)
            before = _output_image(page)
            explorer.scroll_into_view_if_needed()
            caption_before = page.locator(".lr-explorer .widget-html").first.inner_text()
            assert "Error displaying widget" not in page.content()
            page.screenshot(path=str(ARTIFACTS / "slider-before.png"), full_page=False)

            # Drag the slider's handle most of the way to the right (towards 10).
            handle = explorer.locator(".noUi-handle, .ui-slider-handle").first
            track = explorer.locator(".noUi-target, .ui-slider").first
            box_handle, box_track = handle.bounding_box(), track.bounding_box()
            start_x = box_handle["x"] + box_handle["width"] / 2
            y = box_handle["y"] + box_handle["height"] / 2
            page.mouse.move(start_x, y)
            page.mouse.down()
            page.mouse.move(box_track["x"] + 0.95 * box_track["width"], y, steps=12)
            page.mouse.up()
            released = time.monotonic()

            page.wait_for_function(
                """([selector, old]) => {
                    const img = document.querySelector(selector);
                    return img !== null && img.getAttribute('src') !== old;
                }""",
                arg=[".lr-explorer img", before],
                timeout=60_000,
            )
            response = time.monotonic() - released
            after = _output_image(page)
            caption_after = page.locator(".lr-explorer .widget-html").first.inner_text()
            explorer.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "slider-after.png"), full_page=False)

            (ARTIFACTS / "slider-response.txt").write_text(
                f"release to redrawn plot, seen in the browser: {response:.2f} s\n"
            )
            print(f"slider response: {response:.2f} s")
            assert after != before
            assert caption_after != caption_before
            readout = explorer.locator(".widget-readout").first.inner_text()
            assert float(readout) > 1.0, readout
            assert "Error displaying widget" not in page.content()
        except BaseException:
            # Whatever went wrong, keep a picture of it next to the other artifacts.
            page.screenshot(path=str(ARTIFACTS / "slider-failure.png"), full_page=True)
            (ARTIFACTS / "slider-failure.html").write_text(page.content())
            raise
        finally:
            browser.close()
