"""Ctrl-C during training is never lost, even when Python drops the KeyboardInterrupt.

Python raises it wherever the main thread is when Ctrl-C comes; in a finalizer (a
``__del__``, a weakref callback the garbage collector runs) it is printed as "Exception
ignored in ..." and thrown away. :func:`interrupts_noticed` also records the signal.
"""

from __future__ import annotations

import contextlib
import signal
import threading

__all__ = ["interrupts_noticed"]


@contextlib.contextmanager
def interrupts_noticed():
    """Yield ``check()``, which raises KeyboardInterrupt if Ctrl-C came since entering
    (in the main thread, under Python's default handler; elsewhere it does nothing)."""
    in_main = threading.current_thread() is threading.main_thread()
    if not in_main or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield lambda: None
        return
    received = []

    def handler(signum, frame):
        received.append(signum)
        raise KeyboardInterrupt  # as the default handler does

    def check():
        if received:
            raise KeyboardInterrupt("interrupted (the first KeyboardInterrupt was swallowed)")

    signal.signal(signal.SIGINT, handler)
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
