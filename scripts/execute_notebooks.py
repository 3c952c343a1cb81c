"""Re-execute notebooks in place, storing their outputs as a reader should see them.

Usage (from the repository root, with the data folder set)::

    MNIST_LR_DATA=/path/to/mnist python scripts/execute_notebooks.py notebooks/0*.ipynb

Each notebook runs top to bottom in a fresh kernel, as nbval will run it.
Afterwards, text that a later carriage return overwrote (the live progress
line of ``SoftmaxRegression(progress=True)``) is dropped from the stored
streams, exactly as Jupyter shows them, so the file holds only the final
line. Run this after changing a notebook or refreshing the pinned versions in
``.ci/constraints.txt``; the test command then checks the stored outputs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


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


def execute(path, timeout=900):
    """Run the notebook at ``path`` in a fresh kernel and write it back, tidied."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    nbformat.write(tidy(notebook), path)
    return time.perf_counter() - started


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
    args = parser.parse_args(argv)
    for path in args.notebooks:
        if args.memory:
            seconds, peak_mb = execute_measured(path, args.timeout)
            print(f"{path}: {seconds:.1f} s, peak kernel memory {peak_mb:.0f} MB", flush=True)
        else:
            print(f"{path}: {execute(path, args.timeout):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
