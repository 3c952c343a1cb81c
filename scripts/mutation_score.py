"""Print the mutation score of each module from mutmut's results in mutants/.

Score = killed / (killed + survived). A timeout counts as killed (the mutant
broke the code badly enough to hang it); a mutant that no test runs ("no
tests") counts as survived. Mutants not yet run are left out and counted apart.

Usage (after ``mutmut run``)::

    python scripts/mutation_score.py            # one line per module
    python scripts/mutation_score.py --survivors  # and the names of the survivors
"""

import json
import sys
from pathlib import Path

KILLED = {1, 3, 24, 36, 152, 255, -24}  # mutmut's exit codes: failed, error, timeout
SURVIVED = {0, 5, 33}  # passed, or no test ran


def main(show_survivors):
    metas = sorted(Path("mutants").glob("**/*.py.meta"))
    if not metas:
        sys.exit("no mutmut results in mutants/: run `make mutation` first")
    print(f"{'module':<24}{'mutants':>8}{'killed':>8}{'survived':>9}{'other':>7}{'score':>8}")
    for meta in metas:
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        killed = [name for name, code in codes.items() if code in KILLED]
        survived = sorted(name for name, code in codes.items() if code in SURVIVED)
        other = len(codes) - len(killed) - len(survived)  # not run yet, or suspicious
        tried = len(killed) + len(survived)
        score = f"{100 * len(killed) / tried:.1f}%" if tried else "-"
        module = str(meta.relative_to("mutants")).removesuffix(".meta")
        print(f"{module:<24}{len(codes):>8}{len(killed):>8}{len(survived):>9}{other:>7}{score:>8}")
        if show_survivors:
            print("".join(f"    {name}\n" for name in survived), end="")


if __name__ == "__main__":
    main("--survivors" in sys.argv[1:])
