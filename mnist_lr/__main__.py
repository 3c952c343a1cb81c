import sys

try:
    # Light: the package and the command line import NumPy and scikit-learn
    # only inside main(), which handles Ctrl-C itself.
    from .cli import run
except KeyboardInterrupt:
    print("interrupted", file=sys.stderr)
    sys.exit(130)

run()
