"""Settings for every test, the notebooks' cells (nbval) and the doctests included.

The shared fixtures are in tests/conftest.py; this file sits at the top so that
its hook sees the notebooks/ cells as well as the tests.
"""

import functools
import importlib.util
import os
from pathlib import Path

import pytest
from threadpoolctl import threadpool_limits

# `make test` shares the tests out to one worker process per core: each gets one
# BLAS thread, and so do the notebook kernels and programs it starts (they inherit
# the variables). Two workers with two BLAS threads each made notebook 10's
# scikit-learn fit six times slower on two cores.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = "1"
    threadpool_limits(1)

#: The time limit of a `slow` test or a notebook cell (pyproject's `timeout` is the others').
SLOW_TEST_LIMIT = 900


def pytest_itemcollected(item):
    """Notebook cells (nbval) and `slow` tests get the longer limit, unless they set their own."""
    slow = item.path.suffix == ".ipynb" or item.get_closest_marker("slow")
    if slow and not item.get_closest_marker("timeout"):
        item.add_marker(pytest.mark.timeout(SLOW_TEST_LIMIT))


@functools.cache
def _execute_notebooks():
    """scripts/execute_notebooks.py, where the rule for comparing figures is written."""
    script = Path(__file__).parent / "scripts" / "execute_notebooks.py"
    spec = importlib.util.spec_from_file_location("execute_notebooks", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_figures(item):
    """Raise AssertionError if an nbval cell drew figures that look unlike its stored ones.

    nbval compares a cell's text and leaves pictures out; this compares them by
    how they look (``figures_match``), not byte for byte.
    """
    fresh = getattr(item, "test_outputs", None)
    if fresh is None or not getattr(item, "options", {}).get("check"):
        return  # not an nbval cell, or one whose output is not compared
    problems = _execute_notebooks().figure_differences(item.cell.outputs, fresh)
    if problems:
        raise AssertionError(f"{item.nodeid}: the figures differ from the stored ones: "
                             + "; ".join(problems))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield  # nbval's own check of the text first
    check_figures(item)
    return result
