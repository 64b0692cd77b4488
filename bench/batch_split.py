#!/usr/bin/env python3
"""Batch and split mode on the benchmark kernels (issue 3/6's benchmark).

    python3 bench/batch_split.py [--quick] [--kernels rk4,heat]

For every kernel of bench/kernels:

* **batch**: one forward sweep with ``BatchDuplicated`` of width 8 (8 tangent directions) against
  one scalar forward sweep (``Duplicated``); the 8 batched tangents are first checked against 8
  scalar sweeps (1e-10 relative). Goal: width-8 sweep <= 3x one scalar sweep.
* **batched reverse**: one ``Reverse`` sweep with ``BatchDuplicated`` of width 8 (8 adjoint lanes,
  shadows starting from different values) against one scalar ``Reverse`` sweep; every lane is
  first checked against the scalar gradient (1e-10 relative).
* **split**: ``autodiff_thunk(ReverseSplitWithPrimal, ...)``: the bytes the forward pass records on
  the tape, and forward + reverse time against one combined ``Reverse`` call (gradients checked
  equal first).

Prints a markdown table and writes it to docs/benchmarks-batch-split.md (--quick: bench/out/).
Medians of at least 5 runs after a warm-up (--quick: 3).
"""
from __future__ import annotations

import argparse
import importlib
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
if (REPO / "python" / "enzpy").is_dir() and "enzpy" not in sys.modules:
    sys.path.insert(0, str(REPO / "python"))

import enzpy  # noqa: E402
from enzpy import (Active, BatchDuplicated, Const, Duplicated, Forward, Reverse,  # noqa: E402
                   ReverseSplitWithPrimal, autodiff, autodiff_thunk)
from kernels import ALL  # noqa: E402

WIDTH = 8


def median_time(fn, runs):
    fn()
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def directions(args, rng, width):
    """Per lane: one tangent per differentiated argument (arrays and scalars)."""
    lanes = []
    for _ in range(width):
        lane = {}
        for a in args:
            if a.kind == "dup":
                lane[a.name] = rng.normal(size=np.shape(a.value))
            elif a.kind == "active":
                lane[a.name] = float(rng.normal())
        lanes.append(lane)
    return lanes


def forward_args(args, lane):
    return [Duplicated(a.value, lane[a.name]) if a.kind in ("dup", "active") else
            Const(a.value) if a.kind == "const" else a.value for a in args]


def batch_args(args, lanes):
    return [BatchDuplicated(a.value, tuple(lane[a.name] for lane in lanes))
            if a.kind in ("dup", "active") else
            Const(a.value) if a.kind == "const" else a.value for a in args]


def reverse_args(args, shadows):
    return [Duplicated(a.value, shadows[a.name]) if a.kind == "dup" else
            Active(a.value) if a.kind == "active" else
            Const(a.value) for a in args]


def batch_reverse_args(args, shadow_lanes):
    return [BatchDuplicated(a.value, tuple(sh[a.name] for sh in shadow_lanes)) if a.kind == "dup" else
            Active(a.value) if a.kind == "active" else
            Const(a.value) for a in args]


def close(a, b, rtol):
    return bool(np.all(np.abs(np.asarray(a) - np.asarray(b)) <= rtol * np.abs(b) + 1e-300))


def bench_kernel(mod, runs):
    rng = np.random.default_rng(0)
    args = mod.args(rng)
    f = mod.primal
    row = {"kernel": mod.NAME}
    # --- batch forward
    lanes = directions(args, rng, WIDTH)
    (batch,) = autodiff(Forward, f, Duplicated, *batch_args(args, lanes))
    scalar = [autodiff(Forward, f, Duplicated, *forward_args(args, lane))[0] for lane in lanes]
    err = max(abs(b - s) / max(abs(s), 1e-300) for b, s in zip(batch, scalar))
    row["batch_ok"] = err < 1e-10
    t1 = median_time(lambda: autodiff(Forward, f, Duplicated, *forward_args(args, lanes[0])), runs)
    t8 = median_time(lambda: autodiff(Forward, f, Duplicated, *batch_args(args, lanes)), runs)
    row.update(scalar_s=t1, batch_s=t8, ratio=t8 / t1)
    # --- split mode
    specs = [Duplicated if a.kind == "dup" else Active if a.kind == "active" else Const
             for a in args]
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, f, Active, *specs)
    sh1 = {a.name: np.zeros_like(a.value) for a in args if a.kind == "dup"}
    sh2 = {a.name: np.zeros_like(a.value) for a in args if a.kind == "dup"}
    (comb,) = autodiff(Reverse, f, Active, *reverse_args(args, sh1))
    tape, _, _ = fwd(Const(f), *reverse_args(args, sh2))
    row["tape_bytes"] = tape.nbytes
    (split,) = rev(Const(f), *reverse_args(args, sh2), 1.0, tape)
    ok = all(np.allclose(sh1[k], sh2[k], rtol=1e-12, atol=0) for k in sh1)
    ok = ok and all((c is None) == (s is None) and (c is None or abs(c - s) <= 1e-12 * abs(c) + 1e-300)
                    for c, s in zip(comb, split))
    row["split_ok"] = ok

    def split_call():
        t, _, _ = fwd(Const(f), *reverse_args(args, sh2))
        rev(Const(f), *reverse_args(args, sh2), 1.0, t)

    row["combined_s"] = median_time(lambda: autodiff(Reverse, f, Active, *reverse_args(args, sh1)),
                                    runs)
    row["split_s"] = median_time(split_call, runs)
    # --- batched reverse
    lanes = [{a.name: np.full_like(a.value, float(k)) for a in args if a.kind == "dup"}
             for k in range(WIDTH)]
    (badj,) = autodiff(Reverse, f, Active, *batch_reverse_args(args, lanes))
    ref_sh = {a.name: np.zeros_like(a.value) for a in args if a.kind == "dup"}
    (ref,) = autodiff(Reverse, f, Active, *reverse_args(args, ref_sh))
    # lane k started at k: compare what was added (to 1e-10 of the gradient and of k, which the
    # subtraction loses digits to)
    ok = all(np.all(np.abs(lanes[k][n] - k - ref_sh[n]) <= 1e-10 * (np.abs(ref_sh[n]) + k))
             for k in range(WIDTH) for n in ref_sh)
    ok = ok and all((c is None) == (b is None) and (c is None or all(close(x, c, 1e-10) for x in b))
                    for c, b in zip(ref, badj))
    row["rev_batch_ok"] = ok
    row["rev_batch_s"] = median_time(lambda: autodiff(Reverse, f, Active, *batch_reverse_args(args, lanes)),
                                     runs)
    row["rev_ratio"] = row["rev_batch_s"] / row["combined_s"]
    return row


def fmt_t(s):
    return f"{s * 1e3:.3g} ms" if s >= 1e-3 else f"{s * 1e6:.3g} µs"


def fmt_b(n):
    for unit, k in (("GB", 2**30), ("MB", 2**20), ("kB", 2**10)):
        if n >= k:
            return f"{n / k:.3g} {unit}"
    return f"{n} B"


def markdown(rows, runs):
    import numba
    lines = ["# Batch and split mode", "",
             f"`python3 bench/batch_split.py` — enzpy {enzpy.__version__}, numba {numba.__version__}, "
             f"Python {platform.python_version()}, {platform.machine()}; medians of {runs} runs after a "
             "warm-up.", "",
             f"| kernel | 1 forward sweep | width-{WIDTH} batched sweep | ratio (goal <= 3x) | 8 lanes = "
             f"8 sweeps | split tape | combined reverse | split fwd + rev | split == combined | "
             f"width-{WIDTH} batched reverse | ratio | 8 lanes = 8 sweeps |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['kernel']} | fails: {r['error']} | | | | | | | | | | |")
            continue
        lines.append(f"| {r['kernel']} | {fmt_t(r['scalar_s'])} | {fmt_t(r['batch_s'])} | "
                     f"{r['ratio']:.2f}x | {'yes' if r['batch_ok'] else 'NO'} | "
                     f"{fmt_b(r['tape_bytes'])} | {fmt_t(r['combined_s'])} | {fmt_t(r['split_s'])} | "
                     f"{'yes' if r['split_ok'] else 'NO'} | {fmt_t(r['rev_batch_s'])} | "
                     f"{r['rev_ratio']:.2f}x | {'yes' if r['rev_batch_ok'] else 'NO'} |")
    ok = [r for r in rows if "error" not in r]
    if ok:
        gm = float(np.exp(np.mean([np.log(r["ratio"]) for r in ok])))
        lines += ["", f"Geometric mean of the width-{WIDTH} / scalar ratio: {gm:.2f}x "
                  f"(the 8 tangents of one batched sweep cost {gm / WIDTH:.2f} of 8 scalar sweeps).",
                  "", f"Geometric mean of the width-{WIDTH} batched reverse / one reverse sweep: "
                  f"{float(np.exp(np.mean([np.log(r['rev_ratio']) for r in ok]))):.2f}x."]
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--kernels", default=",".join(ALL))
    ns = ap.parse_args(argv)
    runs = 3 if ns.quick else 5
    rows = []
    for name in ns.kernels.split(","):
        mod = importlib.import_module(f"kernels.{name}")
        try:
            rows.append(bench_kernel(mod, runs))
        except Exception as e:          # reported, not fatal
            rows.append({"kernel": name, "error": f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"})
        print(rows[-1], flush=True)
    text = markdown(rows, runs)
    print(text)
    out = (HERE / "out" / "batch-split-quick.md") if ns.quick else (REPO / "docs" / "benchmarks-batch-split.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
