"""The explorers under ipywidgets 7.7.1, the version Google Colab ships.

Colab's front end draws widgets of the 7.x series (an upgraded ipywidgets leaves the
sliders blank), so IPython must find a live widget view in what the explorers return
under 7.7.1 as under 8, not only text.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: ipywidgets 7.7.1 and the packages it brings on Colab (the other two are its front-end
#: halves, which a kernel never imports but pip needs to be content).
COLAB_WIDGETS = ["ipywidgets==7.7.1", "widgetsnbextension==3.6.10", "jupyterlab_widgets==1.1.11",
                 "ipython_genutils==0.2.0"]

#: Runs in the ipywidgets 7 environment; prints one JSON line per explorer.
PROBE = r"""
import json

import ipywidgets
from IPython.core.interactiveshell import InteractiveShell

import mnist_lr
from mnist_lr import load_mnist_train_test, widgets

assert ipywidgets.__version__ == "7.7.1", ipywidgets.__version__
X, y, _, _ = load_mnist_train_test()  # a small part of the training images only
X, y = X[:1500], y[:1500]
split = (X[:1000], y[:1000], X[1000:], y[1000:])
formatter = InteractiveShell.instance().display_formatter
for explorer in (widgets.learning_rate_explorer(*split, n_train=1000, n_val=500, epochs=2),
                 widgets.training_explorer(*split, n_train=1000, n_val=500, max_epochs=2),
                 widgets.sample_size_explorer(X, y, epochs=2),
                 widgets.alpha_explorer(X, y, epochs=2)):
    data, _ = formatter.format(explorer)  # what a notebook does with a cell's last value
    first = bytes(explorer.image.value)
    # One move of the first slider, to a stop that is not the current one.
    slider = next(iter(explorer.sliders.values()))
    slider.value = next(value for _, value in slider.options if value != slider.value)
    explorer.wait()
    print(json.dumps({
        "css": explorer.widget._dom_classes[0], "mnist_lr": mnist_lr.__file__,
        "keys": sorted(data), "view": data.get("application/vnd.jupyter.widget-view+json"),
        "text": data.get("text/plain"), "model_id": explorer.widget.model_id,
        "status": explorer.status.value, "redrawn": bytes(explorer.image.value) != first,
    }))
"""


@pytest.mark.slow
def test_every_explorer_displays_as_a_live_widget_under_ipywidgets_7(fresh_venv, tmp_path):
    python = fresh_venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    # CI's constraints pin ipywidgets 8; this environment is Colab's, not CI's.
    env.pop("PIP_CONSTRAINT", None)
    env.pop("PIP_NO_INDEX", None)
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", *COLAB_WIDGETS],
        capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
    env["PYTHONPATH"] = str(ROOT)  # this checkout's mnist_lr
    probe = subprocess.run([str(python), "-c", PROBE], capture_output=True, text=True,
                           timeout=600, env=env, cwd=tmp_path)
    assert probe.returncode == 0, probe.stdout[-2000:] + probe.stderr[-3000:]
    # IPython reports a failing display method on stderr and falls back to text.
    assert "Traceback" not in probe.stderr and "Error" not in probe.stderr, probe.stderr[-3000:]
    results = [json.loads(line) for line in probe.stdout.splitlines() if line.startswith("{")]
    assert [r["css"] for r in results] == ["lr-explorer", "training-explorer",
                                           "sample-size-explorer", "alpha-explorer"]
    for result in results:
        name = result["css"]
        assert Path(result["mnist_lr"]).is_relative_to(ROOT), result["mnist_lr"]
        assert result["keys"] == ["application/vnd.jupyter.widget-view+json", "text/plain"], name
        assert result["view"] == {"version_major": 2, "version_minor": 0,
                                  "model_id": result["model_id"]}, name
        assert result["text"].startswith("Interactive explorer with sliders for: "), name
        assert "done" in result["status"] and result["redrawn"], (name, result["status"])
