"""What the two differential fuzz runners share (run.py: numba programs, crun.py: C programs):
program seeds, the tally of results, the progress lines, the command line and the code version
a summary records."""
from __future__ import annotations

import collections
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
BAD = ("wrong", "crash", "invalid")


def program_seed(run_seed: int, k: int) -> int:
    return run_seed * 1_000_000 + k


def add_run_arguments(ap, seed: int, jobs):
    """--n, --seed, --start, --jobs, --json, -q (the defaults of seed and jobs differ)."""
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=seed)
    ap.add_argument("--start", type=int, default=0, help="first program index")
    ap.add_argument("--jobs", type=int, default=jobs)
    ap.add_argument("--json", default=None, help="all results as JSON")
    ap.add_argument("-q", "--quiet", action="store_true")


def run_seeds(a) -> list:
    """The program seeds of parsed arguments a (--seed, --start, --n)."""
    return [program_seed(a.seed, k) for k in range(a.start, a.start + a.n)]


def command_line(script: str, argv) -> str:
    """The command that ran, for the summary: python3 tests/fuzz/SCRIPT ARGS."""
    return f"python3 tests/fuzz/{script} " + " ".join(argv if argv is not None else sys.argv[1:])


def tally(results) -> dict:
    """The part of a summary both runners write: counts by class, unsupported by error class,
    unstable by reason, constructs (programs containing each)."""
    c = collections.Counter(r["class"] for r in results)
    unsupported = collections.Counter(r.get("error_class", "?") for r in results
                                      if r["class"] == "unsupported")
    unstable = collections.Counter(r["detail"].split("\n")[0][:80] for r in results
                                   if r["class"] == "unstable")
    feats = collections.Counter(f for r in results for f in r.get("features", ()))
    return {"programs": len(results), "counts": dict(c), "unsupported": dict(unsupported),
            "unstable": dict(unstable), "features": dict(feats)}


def table_head(s: dict, command: str) -> list:
    """The markdown lines after a section's introduction: the command, and the start of the table
    (programs, ok)."""
    return ["", f"Command: `{command}`", "", "| | |", "|---|---|",
            f"| programs | {s['programs']} |", f"| ok | {s['counts'].get('ok', 0)} |"]


class Progress:
    """The progress lines of a run of `total` programs: one for each result that is neither ok
    nor unstable (`describe(r)` says what went wrong), and the counts every 50 programs."""

    def __init__(self, total: int, quiet: bool, describe):
        self.total, self.quiet, self.describe = total, quiet, describe
        self.count = collections.Counter()
        self.t0 = time.time()

    def __call__(self, r):
        self.count[r["class"]] += 1
        done = sum(self.count.values())
        if self.quiet:
            return
        if r["class"] not in ("ok", "unstable"):
            print(f"[{done}/{self.total}] seed {r['seed']}: {r['class']}: {self.describe(r)}", flush=True)
        if done % 50 == 0:
            print(f"[{done}/{self.total}] {dict(self.count)} {time.time() - self.t0:.0f} s", flush=True)


def git_describe() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True, timeout=30).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except Exception:
        return "?"
