"""Re-execute notebooks in place, storing their outputs as a reader should see them.

Usage (from the repository root, with the data folder set)::

    MNIST_LR_DATA=/path/to/mnist python scripts/execute_notebooks.py notebooks/0*.ipynb

Each notebook runs top to bottom in a fresh kernel, as nbval will run it.
Afterwards, text that a later carriage return overwrote (the live progress
line of ``SoftmaxRegression(progress=True)``) is dropped from the stored
streams, exactly as Jupyter shows them, so the file holds only the final
line. Run this after changing a notebook or refreshing the pinned versions in
``.ci/constraints.txt``; the test command then checks the stored outputs.

Stored outputs must hold on any computer, whatever its CPU and BLAS. To check
that before committing, run every notebook under the three numerical set-ups
of :func:`setups` and compare each with what is stored, changing nothing::

    MNIST_LR_DATA=/path/to/mnist python scripts/execute_notebooks.py --check notebooks/0*.ipynb

Text must match exactly; figures must look the same (:func:`figures_match`).
"""

from __future__ import annotations

import argparse
import base64
import copy
import io
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

# -- numerical set-ups -------------------------------------------------------

#: NumPy's SIMD groups above AVX2 (NumPy 2.x names); "oldest" also turns off X86_V3 (AVX2).
_AVX512_GROUPS = ("X86_V4", "AVX512_ICL", "AVX512_SPR")
_AVX2_GROUP = ("X86_V3",)


def _openblas_kernel():
    from threadpoolctl import threadpool_info

    kernels = [info.get("architecture") for info in threadpool_info()
               if info.get("internal_api") == "openblas"]
    return kernels[0] if kernels else None


def _enabled_simd(groups):
    try:
        from numpy._core._multiarray_umath import __cpu_features__
    except ImportError:  # NumPy 1.x
        from numpy.core._multiarray_umath import __cpu_features__
    return " ".join(group for group in groups if __cpu_features__.get(group))


def setups():
    """``{name: environment variables}``: the numerical set-ups a kernel can run under here.

    ``native`` is this machine as it is. On x86-64, ``other kernel`` picks
    another OpenBLAS kernel (Haswell, or Prescott where Haswell is the
    machine's own) and turns off NumPy's AVX-512 paths; ``oldest`` runs
    OpenBLAS's Prescott kernel with NumPy's AVX2 paths off as well. Elsewhere
    these variables mean nothing, and only ``native`` is returned.
    """
    found = {"native": {}}
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return found
    kernel = _openblas_kernel()
    found["other kernel"] = {
        "OPENBLAS_CORETYPE": "Prescott" if kernel == "Haswell" else "Haswell",
        "NPY_DISABLE_CPU_FEATURES": _enabled_simd(_AVX512_GROUPS),
    }
    found["oldest"] = {
        "OPENBLAS_CORETYPE": "Prescott",
        "NPY_DISABLE_CPU_FEATURES": _enabled_simd(_AVX2_GROUP + _AVX512_GROUPS),
    }
    return found


def describe_setup(variables):
    """``variables`` in a few words, for test names and reports."""
    if not variables:
        return f"this machine's own OpenBLAS kernel ({_openblas_kernel()}) and NumPy paths"
    simd = variables.get("NPY_DISABLE_CPU_FEATURES")
    return (f"OpenBLAS kernel {variables['OPENBLAS_CORETYPE']}"
            + (f", NumPy without {simd}" if simd else ""))


def final_text(text):
    """``text`` as a terminal shows it: each line keeps only what follows its last ``\\r``."""
    lines = []
    for line in text.split("\n"):
        kept = line.rstrip("\r")
        lines.append(kept.rsplit("\r", 1)[-1])
    return "\n".join(lines)


def tidy(notebook):
    """Join each cell's consecutive pieces of one stream, then drop overwritten text.

    The kernel sends printed text in pieces as it is flushed, and a live
    progress line arrives as many pieces that each start with ``\r``; only
    joined together do they show what the reader saw. Execution timestamps in
    the cells' metadata are dropped too.
    """
    for cell in notebook.cells:
        cell.get("metadata", {}).pop("execution", None)  # timestamps: noise in a diff
        joined = []
        for output in cell.get("outputs", []):
            previous = joined[-1] if joined else None
            if (output.get("output_type") == "stream" and previous is not None
                    and previous.get("output_type") == "stream"
                    and previous["name"] == output["name"]):
                previous["text"] += output["text"]
            else:
                joined.append(output)
        for output in joined:
            if output.get("output_type") == "stream":
                output["text"] = final_text(output["text"])
        if "outputs" in cell:
            cell["outputs"] = joined
    return notebook


def run(notebook, folder, timeout=900, variables=None):
    """Execute ``notebook`` (in place) in a fresh kernel started in ``folder``, tidied.

    ``variables``: environment variables for the kernel only (a numerical set-up).
    """
    NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(folder)}},
    ).execute(env={**os.environ, **(variables or {})})
    return tidy(notebook)


def execute(path, timeout=900):
    """Run the notebook at ``path`` in a fresh kernel and write it back, tidied."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    nbformat.write(run(notebook, path.parent, timeout), path)
    return time.perf_counter() - started


# -- comparing a fresh run with the stored outputs ---------------------------

#: Widget model ids are random by design.
RANDOM_BY_DESIGN = {"application/vnd.jupyter.widget-view+json"}
#: A pixel "visibly changed" when a colour channel moved by more than this (of 1)...
VISIBLE_CHANGE = 0.25
#: ...and a figure changed when more than this many pixels did. Rounding noise
#: shifts a drawn line by a tiny fraction of a pixel: its antialiased edge
#: changes by a few levels, nowhere near a quarter of the range.
CHANGED_PIXELS_ALLOWED = 10


def _ignored(cell):
    tags = cell.get("metadata", {}).get("tags", [])
    return "nbval-ignore-output" in tags or "NBVAL_IGNORE_OUTPUT" in cell.source


def comparable_outputs(notebook):
    """``{cell index: outputs}`` of the code cells that the checks compare, as a reader sees them.

    Cells tagged ``nbval-ignore-output`` (a progress or timing line) are left out.
    """
    notebook = tidy(copy.deepcopy(notebook))
    cells = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or _ignored(cell):
            continue
        for output in cell.outputs:
            output.pop("metadata", None)
            output.pop("execution_count", None)
            data = output.get("data", {})
            for key in RANDOM_BY_DESIGN & set(data):
                del data[key]
        cells[index] = cell.outputs
    return cells


def _pixels(png):
    from matplotlib.image import imread

    return imread(io.BytesIO(base64.b64decode(png)), format="png")[..., :3]


def figures_match(stored_png, fresh_png):
    """``(True, "")`` if two base64 PNGs look the same, else ``(False, what differs)``."""
    if stored_png == fresh_png:
        return True, ""
    stored, fresh = _pixels(stored_png), _pixels(fresh_png)
    if stored.shape != fresh.shape:
        return False, f"figure size {stored.shape[1]}x{stored.shape[0]} became " \
                      f"{fresh.shape[1]}x{fresh.shape[0]}"
    changed = int((abs(stored - fresh).max(axis=-1) > VISIBLE_CHANGE).sum())
    if changed > CHANGED_PIXELS_ALLOWED:
        return False, f"{changed} pixels changed visibly (at most {CHANGED_PIXELS_ALLOWED} allowed)"
    return True, ""


def figure_differences(stored, fresh):
    """What differs between the figures (PNGs, in order) of two lists of outputs; [] if none."""
    def pngs(outputs):
        return [output["data"]["image/png"] for output in outputs
                if "image/png" in output.get("data", {})]

    want, got = pngs(stored), pngs(fresh)
    if len(want) != len(got):
        return [f"{len(want)} figures stored, {len(got)} drawn"]
    return [why for same, why in map(figures_match, want, got) if not same]


def _describe(outputs):
    """A short account of a cell's outputs, for a readable message."""
    parts = []
    for output in outputs:
        data = output.get("data", {})
        if "text" in output:  # a stream: show its start
            parts.append(f"{output['name']} {output['text'][:300]!r}")
        elif data:
            parts.append("+".join(f"{key} ({len(str(value))} chars)" for key, value in
                                  sorted(data.items())))
        else:
            parts.append(output["output_type"])
    return ", ".join(parts) or "nothing"


def output_differences(stored, fresh):
    """What differs between two cells' outputs: [] when text is equal and figures match."""
    if len(stored) != len(fresh):
        return [f"stored: {_describe(stored)}; fresh run: {_describe(fresh)}"]
    found = []
    for want, got in zip(stored, fresh):
        want, got = copy.deepcopy(want), copy.deepcopy(got)
        want_png = want.get("data", {}).pop("image/png", None)
        got_png = got.get("data", {}).pop("image/png", None)
        if want != got or (want_png is None) != (got_png is None):
            found.append(f"stored: {_describe([want])}; fresh run: {_describe([got])}")
        elif want_png is not None:
            same, why = figures_match(want_png, got_png)
            if not same:
                found.append(why)
    return found


def notebook_differences(stored, fresh, skip=()):
    """``[(cell index, what differs)]`` between a stored notebook and a fresh run of it.

    ``skip``: indices of cells not to compare. Both notebooks must have the same cells.
    """
    want, got = comparable_outputs(stored), comparable_outputs(fresh)
    found = []
    for index in sorted(set(want) - set(skip)):
        found += [(index, why) for why in output_differences(want[index], got.get(index, []))]
    return found


def check(paths, timeout=900, only=None):
    """Run each notebook under every set-up (or the one named ``only``) and compare with its
    stored outputs; 0 if all hold."""
    failures = 0
    for name, variables in setups().items():
        if only is not None and name != only:
            continue
        print(f"== {name}: {describe_setup(variables)}", flush=True)
        for path in paths:
            path = Path(path)
            stored = nbformat.read(path, as_version=4)
            started = time.perf_counter()
            fresh = run(copy.deepcopy(stored), path.parent, timeout, variables)
            found = notebook_differences(stored, fresh)
            failures += bool(found)
            verdict = "holds" if not found else f"{len(found)} outputs differ"
            print(f"{path.name}: {verdict} ({time.perf_counter() - started:.0f} s)", flush=True)
            for index, why in found:
                print(f"    cell {index}: {why}", flush=True)
    return 1 if failures else 0


def execute_measured(path, timeout=900):
    """``execute`` in a child process; returns (seconds, the kernel's peak memory in MB).

    The kernel is a child of that process, so once it has exited the child's
    RUSAGE_CHILDREN peak is the kernel's peak resident memory.
    """
    code = (
        "import resource, sys; sys.path.insert(0, sys.argv[1]); import execute_notebooks as e; "
        "seconds = e.execute(sys.argv[2], int(sys.argv[3])); "
        "print(seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent), str(path), str(timeout)],
        capture_output=True, text=True, check=True,
    )
    seconds, peak_kb = done.stdout.split()[-2:]
    return float(seconds), int(peak_kb) / 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument("--memory", action="store_true",
                        help="also report each kernel's peak memory (Linux)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing: run under every numerical set-up and compare "
                             "with the stored outputs")
    parser.add_argument("--setup", choices=sorted(setups()),
                        help="with --check: only this set-up (default: all)")
    args = parser.parse_args(argv)
    if args.check:
        return check(args.notebooks, args.timeout, args.setup)
    for path in args.notebooks:
        if args.memory:
            seconds, peak_mb = execute_measured(path, args.timeout)
            print(f"{path}: {seconds:.1f} s, peak kernel memory {peak_mb:.0f} MB", flush=True)
        else:
            print(f"{path}: {execute(path, args.timeout):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
