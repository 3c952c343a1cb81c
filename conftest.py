"""Settings for every test, the notebooks' cells (nbval) and the doctests included.

The shared fixtures are in tests/conftest.py; this file sits at the top so that
its hook sees the notebooks/ cells as well as the tests.
"""

import os

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
