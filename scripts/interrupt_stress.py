"""Send SIGINT at random moments during ``SoftmaxRegression.fit`` and time how soon it stops.

Usage (from the repository root)::

    python scripts/interrupt_stress.py --interrupts 200 --load

Each round starts an endless ``fit`` (patience off) on scikit-learn's small
digits set, with or without the progress line, and a timer thread sends this
process a real SIGINT after a random delay. The round passes when ``fit``
raises KeyboardInterrupt within ``--deadline`` seconds of the signal. If it
has not, a watchdog sends a second SIGINT (as a user would press Ctrl-C
again), so a lost interrupt is counted, not waited for. ``--load`` keeps a
busy process running on every core, as on a loaded machine. Each round also
leaves cyclic garbage whose finalizers run Python code, as a long session
does: Python swallows a KeyboardInterrupt raised inside a finalizer, which is
how an interrupt could be lost before ``fit`` checked for one. Exit status 1
if any interrupt was lost.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import multiprocessing
import os
import signal
import sys
import threading
import time

import numpy as np


def _busy():
    while True:
        pass


class _Garbage:
    """A reference cycle with a finalizer that runs Python code, as a long session leaves
    behind: the garbage collector runs it in the main thread, in the middle of ``fit``."""

    def __init__(self):
        self.cycle = self

    def __del__(self):
        sum(range(20000))


def one_round(model, X, y, delay, deadline):
    """Seconds from the signal to KeyboardInterrupt, or None if it was lost."""
    sent = threading.Event()
    times = {}

    def interrupt():
        times["sent"] = time.perf_counter()
        sent.set()
        os.kill(os.getpid(), signal.SIGINT)

    def watchdog():
        # A second Ctrl-C, if the first one is lost, so the round ends either way.
        sent.wait()
        if not done.wait(deadline):
            times["lost"] = True
            while not done.wait(0.5):
                os.kill(os.getpid(), signal.SIGINT)

    done = threading.Event()
    timer = threading.Timer(delay, interrupt)
    guard = threading.Thread(target=watchdog, daemon=True)
    gc.collect()  # the last round's garbage goes now, not while the timer runs
    garbage = [_Garbage() for _ in range(2000)]
    del garbage  # unreachable now; the collector finds it while fit runs
    timer.start()
    guard.start()
    try:
        # Unseen: the progress line, and Python's "Exception ignored" for a swallowed interrupt.
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            model.fit(X, y)
    except KeyboardInterrupt:
        stopped = time.perf_counter()
    else:
        raise AssertionError("fit ended without an interrupt")
    finally:
        done.set()
        timer.cancel()
    guard.join()
    if "sent" not in times:
        raise AssertionError("KeyboardInterrupt before the signal was sent")
    return None if times.get("lost") else stopped - times["sent"]


def run(interrupts, deadline=1.0, seed=0, load=False, report=print):
    """Run the rounds; return the list of latencies (None for a lost interrupt)."""
    from sklearn.datasets import load_digits

    from mnist_lr import SoftmaxRegression

    X, y = load_digits(return_X_y=True)
    X = X / 16
    rng = np.random.default_rng(seed)
    workers = []
    if load:
        workers = [multiprocessing.Process(target=_busy, daemon=True)
                   for _ in range(os.cpu_count() or 1)]
        for worker in workers:
            worker.start()
    latencies = []
    try:
        for index in range(interrupts):
            model = SoftmaxRegression(max_epochs=10**7, patience=None, batch_size=10,
                                      random_state=index, progress=bool(index % 2))
            latency = one_round(model, X, y, rng.uniform(0.02, 0.4), deadline)
            latencies.append(latency)
            if latency is None:
                report(f"round {index + 1}: interrupt LOST (fit went on past {deadline} s)")
    finally:
        for worker in workers:
            worker.terminate()
    return latencies


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interrupts", type=int, default=200)
    parser.add_argument("--deadline", type=float, default=1.0, help="seconds allowed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--load", action="store_true", help="a busy process on every core")
    args = parser.parse_args(argv)
    latencies = run(args.interrupts, args.deadline, args.seed, args.load,
                    report=lambda text: print(text, file=sys.stderr, flush=True))
    kept = [t for t in latencies if t is not None]
    lost = len(latencies) - len(kept)
    print(f"\n{len(latencies)} interrupts, {lost} lost; time to stop: median "
          f"{1000 * np.median(kept):.1f} ms, max {1000 * max(kept):.1f} ms")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
