#!/usr/bin/env python3
"""enzpy's memory behaviour: resident set size (VmRSS of /proc/self/status, read after
gc.collect()) around four workloads, each run in its own fresh interpreter.

    python3 bench/memory.py [--quick] [--write]

1. **cached gradient**: 10,000 calls (--quick: 2,000) of
   ``autodiff(Reverse, f, Active, Duplicated(x, dx), Active(1.0))`` on one small njit function,
   after 200 warm-up calls. Target: RSS grows by less than 10 MB.
2. **fresh derivatives**: N=300 (--quick: 60) distinct njit functions (tests/test_reliability.py's
   ``make_function(k)``): (a) only compiled and called (what numba alone costs); (b) differentiated
   once in Reverse mode, never called; (c) called, then differentiated once. Each in its own
   process, with other functions. (c) − (a) is what a derivative costs once numba has compiled the
   function. Target (the issue): 300 fresh derivative compilations grow RSS by less than 100 MB.
3. **large tape reuse**: the 2-D heat gradient of bench/kernels/heat.py (256x256, 50 steps, a tape
   of about 64 MiB), called 20 times after compiling on an 8x8 grid: RSS after the first call and
   after the 20th. Each reverse derivative keeps the tape buffer of its last call parked (at most
   256 MiB) and the next call reuses it, so RSS must not grow per call.
4. **split-mode tapes**: ``autodiff_thunk(ReverseSplitWithPrimal, ...)`` on a 20,000-element loop:
   300 forward passes whose tapes are dropped without a reverse pass, then 300 forward + reverse
   pairs (--quick: 100 each). Tapes must be freed.

Prints machine/version information and a markdown table. --write also replaces the text between
``<!-- memory:begin -->`` and ``<!-- memory:end -->`` in docs/reliability.md.
MB here is 2^20 bytes.
"""
from __future__ import annotations

import argparse
import datetime
import gc
import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DOC = REPO / "docs" / "reliability.md"
BEGIN, END = "<!-- memory:begin -->", "<!-- memory:end -->"


def _setup_path():
    sys.path.insert(0, str(REPO))           # bench.kernels
    if (REPO / "python" / "enzpy").is_dir() and "enzpy" not in sys.modules:
        sys.path.insert(0, str(REPO / "python"))


def rss_mb() -> float:
    """VmRSS after a full collection, in MB (2^20 bytes)."""
    gc.collect()
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def make_function(k):
    """A different njit function per k: the one tests/test_reliability.py uses."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from numba_testutil import make_function as made
    return made(k)


# ============================================================================ the workloads
# Each runs in a fresh interpreter (python3 bench/memory.py --section NAME --n N) and prints one
# JSON object on its last line.

def section_cached(n):
    import numpy as np
    from enzpy import Active, Duplicated, Reverse, autodiff
    f = make_function(3)
    x = np.linspace(0.0, 1.0, 8)
    dx = np.zeros_like(x)
    for _ in range(200):            # compile, caches, allocator pools
        autodiff(Reverse, f, Active, Duplicated(x, dx), Active(1.0))
    before = rss_mb()
    t0 = time.perf_counter()
    for _ in range(n):
        autodiff(Reverse, f, Active, Duplicated(x, dx), Active(1.0))
    t = time.perf_counter() - t0
    after = rss_mb()
    return {"n": n, "before": before, "after": after, "seconds": t}


def section_fresh(n, derivative, call=True):
    import numpy as np
    from enzpy import Active, Duplicated, Reverse, autodiff
    x = np.linspace(0.0, 1.0, 4)

    def one(k):
        f = make_function(k)
        if call:
            f(x, 1.0)
        if derivative:
            dx = np.zeros_like(x)
            autodiff(Reverse, f, Active, Duplicated(x, dx), Active(1.0))

    base = (20_000 if call else 30_000) if derivative else 10_000   # other functions per process
    for k in range(base - 5, base):                   # warm-up: numba's and enzpy's first-use costs
        one(k)
    before = rss_mb()
    t0 = time.perf_counter()
    for k in range(base, base + n):
        one(k)
    t = time.perf_counter() - t0
    after = rss_mb()
    return {"n": n, "before": before, "after": after, "seconds": t}


def section_tape(n):
    import numpy as np
    from bench.kernels import heat
    from enzpy import Active, Duplicated, Reverse, autodiff

    def call(u0, du0, kappa, target, nsteps):
        du0.fill(0.0)
        return autodiff(Reverse, heat.primal, Active, Duplicated(u0, du0), Active(kappa),
                        target, nsteps)

    rng = np.random.default_rng(0)
    small = np.random.default_rng(1).uniform(size=(8, 8))
    call(small, np.zeros_like(small), 0.2, small.copy(), 50)     # compile (same types)
    u0, kappa, target, nsteps = (a.value for a in heat.args(rng))
    du0 = np.zeros_like(u0)
    before = rss_mb()
    t0 = time.perf_counter()
    call(u0, du0, kappa, target, nsteps)
    t_first = time.perf_counter() - t0
    first = rss_mb()
    t0 = time.perf_counter()
    for _ in range(n - 1):
        call(u0, du0, kappa, target, nsteps)
    t_rest = time.perf_counter() - t0
    last = rss_mb()
    # the split-mode tape of the same gradient: how many bytes the forward sweep records
    from enzpy import Const, ReverseSplitWithPrimal, autodiff_thunk
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, heat.primal, Active, Duplicated, Active,
                              Const, Const)
    tape, _, _ = fwd(Const(heat.primal), Duplicated(u0, du0), Active(kappa), Const(target),
                     Const(nsteps))
    nbytes = tape.nbytes
    del tape
    return {"n": n, "before": before, "first": first, "last": last,
            "split_tape_bytes": nbytes, "seconds_first": t_first, "seconds_rest": t_rest}


def section_split(n):
    import numpy as np
    from enzpy import Active, Const, Duplicated, ReverseSplitWithPrimal, autodiff_thunk
    sys.path.insert(0, str(HERE.parent / "tests"))
    from numba_testutil import long_loop as made
    long_loop = made()

    A, dA = np.linspace(0, 1, 20_000), np.zeros(20_000)
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, long_loop, Active, Duplicated)
    for _ in range(5):                                  # compile, allocator pools
        tape, _, _ = fwd(Const(long_loop), Duplicated(A, dA))
        nbytes = tape.nbytes
        rev(Const(long_loop), Duplicated(A, dA), 1.0, tape)
    del tape
    before = rss_mb()
    for _ in range(n):                                  # tapes dropped without a reverse pass
        tape, _, _ = fwd(Const(long_loop), Duplicated(A, dA))
        del tape
    dropped = rss_mb()
    for _ in range(n):                                  # forward + reverse pairs
        tape, _, _ = fwd(Const(long_loop), Duplicated(A, dA))
        rev(Const(long_loop), Duplicated(A, dA), 1.0, tape)
        del tape
    paired = rss_mb()
    return {"n": n, "before": before, "dropped": dropped, "paired": paired, "tape_bytes": nbytes}


SECTIONS = {"cached": section_cached,
            "fresh_primal": lambda n: section_fresh(n, False),
            "fresh_derivative": lambda n: section_fresh(n, True, call=False),
            "fresh_called_derivative": lambda n: section_fresh(n, True),
            "tape": section_tape,
            "split": section_split}


def run_section(name: str, n: int) -> dict:
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--section", name, "--n", str(n)],
                       capture_output=True, text=True, cwd=str(REPO))
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit(f"bench/memory.py: section {name} failed (status {p.returncode})")
    out = json.loads(p.stdout.strip().splitlines()[-1])
    out["wall"] = time.perf_counter() - t0
    print(f"  {name}: {json.dumps(out)}", file=sys.stderr)
    return out


# ============================================================================ the report
def machine_info() -> dict:
    import numba
    import numpy
    _setup_path()
    import enzpy
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                   if l.startswith("model name"))
    except Exception:       # noqa: BLE001
        cpu = platform.processor()
    try:
        mem = int(next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1])
        mem = f"{mem / 2**20:.0f} GiB"
    except Exception:       # noqa: BLE001
        mem = "?"
    return {"date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), "platform": platform.platform(),
            "python": platform.python_version(), "numba": numba.__version__, "numpy": numpy.__version__,
            "enzpy": getattr(enzpy, "__version__", "?"), "cpu": cpu, "cores": os.cpu_count(), "memory": mem,
            "libc": " ".join(platform.libc_ver())}


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def report(r: dict, info: dict, quick: bool) -> str:
    c, fp, fd, tp, sp = r["cached"], r["fresh_primal"], r["fresh_derivative"], r["tape"], r["split"]
    fc = r["fresh_called_derivative"]
    cg = c["after"] - c["before"]
    pg, dg, cdg = fp["after"] - fp["before"], fd["after"] - fd["before"], fc["after"] - fc["before"]
    n = fd["n"]
    per_p, per_d, per_cd = pg / fp["n"], dg / n, cdg / fc["n"]
    first_jump = tp["first"] - tp["before"]
    tape_growth = tp["last"] - tp["first"]
    sd, spair = sp["dropped"] - sp["before"], sp["paired"] - sp["dropped"]
    leak = sp["n"] * sp["tape_bytes"] / 2**20
    target_d = 100 * n / 300        # the 100 MB per 300, scaled for --quick
    L = []
    P = L.append
    cmd = "python3 bench/memory.py" + (" --quick" if quick else "") + " --write"
    P(f"Measured {info['date']} with `{cmd}` (each workload in a fresh interpreter); "
      f"{info['platform']}, {info['cpu']}, {info['cores']} cores, {info['memory']}; "
      f"Python {info['python']}, numba {info['numba']}, numpy {info['numpy']}, {info['libc']}. "
      "MB = 2^20 bytes of VmRSS, read after `gc.collect()`.")
    P("")
    P("| # | workload | count | RSS growth | per item | target |")
    P("|---|---|---|---|---|---|")
    P(f"| 1 | cached gradient: `autodiff(Reverse, f, Active, Duplicated(x, dx), Active(1.0))`, "
      f"8 elements, after 200 warm-up calls | {c['n']:,} calls | {cg:+.1f} MB | "
      f"{cg * 2**20 / c['n']:+.0f} B/call ({c['seconds'] / c['n'] * 1e6:.1f} µs/call) | "
      f"< 10 MB: {verdict(cg < 10)} |")
    P(f"| 2a | fresh functions, compiled and called, no derivative | {fp['n']} functions | "
      f"{pg:+.1f} MB | {per_p:.2f} MB/function ({fp['seconds'] / fp['n']:.2f} s each) | — |")
    P(f"| 2b | fresh functions differentiated once (Reverse), never called | {n} functions | "
      f"{dg:+.1f} MB | {per_d:.2f} MB/function ({fd['seconds'] / n:.2f} s each) | "
      f"< {target_d:.0f} MB for {n}: {verdict(dg < target_d)} |")
    P(f"| 2c | fresh functions called, then differentiated once (Reverse) | {fc['n']} functions | "
      f"{cdg:+.1f} MB | {per_cd:.2f} MB/function ({fc['seconds'] / fc['n']:.2f} s each) | — |")
    P(f"| 2d | what differentiating costs once numba has compiled the function (2c − 2a) | | "
      f"{(per_cd - per_p) * fc['n']:+.1f} MB for {fc['n']} | {per_cd - per_p:.2f} MB/derivative | "
      f"< {target_d:.0f} MB for {n}: {verdict((per_cd - per_p) * fc['n'] < target_d)} |")
    P(f"| 3 | heat gradient (256x256, 50 steps; split-mode tape of the same gradient: "
      f"{tp['split_tape_bytes'] / 2**20:.1f} MB): first call | 1 call | {first_jump:+.1f} MB | "
      f"RSS {tp['before']:.0f} → {tp['first']:.0f} MB ({tp['seconds_first'] * 1e3:.0f} ms) | — |")
    P(f"| 3 | heat gradient: calls 2 to {tp['n']} | {tp['n'] - 1} calls | {tape_growth:+.1f} MB | "
      f"RSS {tp['first']:.0f} → {tp['last']:.0f} MB ({tp['seconds_rest'] / (tp['n'] - 1) * 1e3:.1f} ms/call) | "
      f"no growth: {verdict(tape_growth < 1.0)} |")
    P(f"| 4a | split mode: forward passes, tape dropped without reverse | {sp['n']} | {sd:+.1f} MB | "
      f"tape {sp['tape_bytes'] / 1024:.0f} kB each ({leak:.0f} MB if leaked) | freed: {verdict(sd < 0.1 * leak)} |")
    P(f"| 4b | split mode: forward + reverse pairs | {sp['n']} | {spair:+.1f} MB | "
      f"tape {sp['tape_bytes'] / 1024:.0f} kB each ({leak:.0f} MB if leaked) | freed: {verdict(spair < 0.1 * leak)} |")
    return "\n".join(L)


def write_doc(text: str) -> None:
    doc = DOC.read_text()
    i, j = doc.find(BEGIN), doc.find(END)
    if i < 0 or j < i:
        raise SystemExit(f"bench/memory.py: {DOC} has no {BEGIN} ... {END} markers")
    DOC.write_text(doc[:i + len(BEGIN)] + "\n" + text + "\n" + doc[j:])
    print(f"wrote {DOC.relative_to(REPO)}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="60 fresh functions, 2,000 cached calls, 100 tapes")
    ap.add_argument("--write", action="store_true", help="rewrite the measured section of docs/reliability.md")
    ap.add_argument("--section", choices=sorted(SECTIONS), help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.section:
        _setup_path()
        print(json.dumps(SECTIONS[a.section](a.n)))
        return
    counts = ({"cached": 2_000, "fresh_primal": 60, "fresh_derivative": 60,
               "fresh_called_derivative": 60, "tape": 20, "split": 100}
              if a.quick else
              {"cached": 10_000, "fresh_primal": 300, "fresh_derivative": 300,
               "fresh_called_derivative": 300, "tape": 20, "split": 300})
    info = machine_info()
    for k in ("date", "platform", "cpu", "python", "numba", "numpy", "enzpy"):
        print(f"{k}: {info[k]}")
    print("", flush=True)
    results = {name: run_section(name, n) for name, n in counts.items()}
    text = report(results, info, a.quick)
    print(text)
    if a.write:
        write_doc(text)


if __name__ == "__main__":
    main()
