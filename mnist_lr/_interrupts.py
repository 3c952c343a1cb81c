"""Ctrl-C during training is never lost, even when Python drops the KeyboardInterrupt.

Python's own SIGINT handler raises KeyboardInterrupt in whatever code the main
thread runs when the signal arrives. If that is a finalizer (a ``__del__`` or
a weakref callback that the garbage collector happens to run), Python prints
"Exception ignored in ..." and throws the exception away: the interrupt is
lost and training goes on. :func:`interrupts_noticed` also records that the
signal came, so the training loop can raise it again at its next check.
"""

from __future__ import annotations

import contextlib
import signal
import threading

__all__ = ["interrupts_noticed"]


@contextlib.contextmanager
def interrupts_noticed():
    """Yield ``check()``, which raises KeyboardInterrupt if Ctrl-C came since entering.

    Only Python's default handler, in the main thread, is replaced (a handler
    can be set nowhere else); anywhere else ``check`` does nothing.
    """
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
