"""Settings for every test, the notebooks' cells (nbval) and the doctests included.

The shared fixtures are in tests/conftest.py; this file sits at the top so that
its hook sees the notebooks/ cells as well as the tests.
"""

import pytest

#: The time limit of a `slow` test or a notebook cell (pyproject's `timeout` is the others').
SLOW_TEST_LIMIT = 900


def pytest_itemcollected(item):
    """Notebook cells (nbval) and `slow` tests get the longer limit, unless they set their own."""
    slow = item.path.suffix == ".ipynb" or item.get_closest_marker("slow")
    if slow and not item.get_closest_marker("timeout"):
        item.add_marker(pytest.mark.timeout(SLOW_TEST_LIMIT))
