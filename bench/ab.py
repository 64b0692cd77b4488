"""A/B timing of two enzpy builds on one benchmark kernel, in alternating fresh processes.

    python3 bench/ab.py A B KERNEL [--fastmath] [--jvp] [--pairs 3] [--calls 31]

A and B are folders that hold an ``enzpy`` package (``python`` of a checkout whose ``enzpy/_core*.so``
is built, or a copy of it with another core). Each process imports one of them, builds the kernel's
derivative (reverse gradient, or the JVP with --jvp) of the bench's annotations, and times ``calls``
primal calls interleaved with as many derivative calls; it prints the min and the median of both.
The processes alternate A, B, A, B, ... so that a slow phase of the machine hits both sides.

Why not ``bench/run.py`` twice: on a shared 2-core machine one process of a pair can run 40 % slower
than the other with byte-identical machine code, and the machine's state drifts within minutes; the
minimum over interleaved calls in several alternating processes is what separates a change from that.
"""
import argparse
import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(kernel: str, fastmath: bool, jvp: bool, calls: int) -> None:
    import numba
    import numpy as np
    from enzpy import Active, Const, Duplicated, Forward, Reverse, autodiff

    sys.path.insert(0, str(HERE))
    k = importlib.import_module("kernels." + kernel)
    args = k.args(np.random.default_rng(0))
    f = numba.njit(fastmath=True)(k.primal.py_func) if fastmath else k.primal
    vals = [a.value for a in args]
    shadows = {i: np.zeros_like(a.value) for i, a in enumerate(args) if a.kind == "dup"}
    if jvp:
        ann = [Duplicated(a.value, np.ones_like(a.value)) if a.kind == "dup" else Const(a.value)
               for a in args]

        def deriv():
            autodiff(Forward, f, *ann)
    else:
        ann = [Duplicated(a.value, shadows[i]) if a.kind == "dup" else
               Active(a.value) if a.kind == "active" else Const(a.value) for i, a in enumerate(args)]

        def deriv():
            for s in shadows.values():
                s.fill(0.0)
            autodiff(Reverse, f, Active, *ann)

    f(*vals)
    deriv()
    tp, td = [], []
    for _ in range(calls):
        t = time.perf_counter()
        f(*vals)
        tp.append(time.perf_counter() - t)
        t = time.perf_counter()
        deriv()
        td.append(time.perf_counter() - t)
    tp.sort()
    td.sort()
    ms = lambda x: f"{x * 1e3:.3f}"  # noqa: E731
    print(f"primal min {ms(tp[0])} med {ms(tp[calls // 2])} ms   "
          f"{'JVP' if jvp else 'gradient'} min {ms(td[0])} med {ms(td[calls // 2])} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("kernel")
    ap.add_argument("--fastmath", action="store_true")
    ap.add_argument("--jvp", action="store_true")
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--calls", type=int, default=31)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    o = ap.parse_args()
    if o.child:
        child(o.kernel, o.fastmath, o.jvp, o.calls)
        return 0
    for side in (o.a, o.b):
        if not (Path(side) / "enzpy").is_dir():
            ap.error(f"{side} holds no enzpy package")
    flags = (["--fastmath"] if o.fastmath else []) + (["--jvp"] if o.jvp else [])
    for _ in range(o.pairs):
        for name, side in (("A", o.a), ("B", o.b)):
            env = dict(os.environ, PYTHONPATH=str(Path(side).resolve()))
            r = subprocess.run([sys.executable, __file__, side, side, o.kernel, "--child",
                                "--calls", str(o.calls), *flags], env=env, capture_output=True, text=True)
            out = r.stdout.strip() if r.returncode == 0 else "failed: " + r.stderr.strip().splitlines()[-1]
            print(f"{name} {o.kernel}: {out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
