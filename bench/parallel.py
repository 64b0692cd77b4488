#!/usr/bin/env python3
"""Gradients on every core: ``autodiff`` inside a ``prange`` loop (docs/user-guide.md, section 4),
on the vectorizable kernels where JAX's two threads beat enzpy's serial gradient (issue 6).

    python3 bench/parallel.py [--quick] [--kernels gmm,softmax_ce,black_scholes] [--no-fastmath]

Each kernel's unchanged ``@njit`` primal is differentiated by every thread of a ``parallel=True``
driver on its own chunk of the data, into shadows of its own (or disjoint slices of one shadow), and
the chunks' gradients are combined:

* gmm: the objective is A(theta) + sum over points p(theta, x_i), so with C chunks of points the
  gradient is sum_c grad F(theta; x_c) - (C - 1) grad F(theta; no points); the per-chunk shadows
  are summed;
* softmax_ce: the mean over rows; chunk c's gradient lands in its rows of the shadow, scaled by
  (rows in c) / (all rows);
* black_scholes: a sum over options; each chunk writes its options' slices, the rate's derivative
  is summed over chunks.

Each kernel runs twice: its primal as written, and ``numba.njit(fastmath=True)`` of the same Python
function (issue 6's two settings). Before timing, the threaded gradient is checked against enzpy's serial one and JAX's ``jit(grad)``
(1e-8 relative, max-norm). Medians of at least 5 runs after a warm-up (--quick: 3). Writes
docs/benchmarks-parallel.md (--quick: bench/out/benchmarks-parallel-quick.md).
"""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

import numba
import numpy as np

import run                   # bench/run.py: helpers, kernel path, the source tree's enzpy
from enzpy import Active, Const, Duplicated, Reverse, autodiff  # noqa: E402

RUNS = 5


def serial_gradient(mod, primal, vals):
    """enzpy's gradient of `primal` (the kernel's, or its fastmath twin) on one thread, as bench/run.py
    times it."""
    args = mod.args(np.random.default_rng(run.SEED))
    shadows = [np.zeros_like(a.value) if a.kind == "dup" else None for a in args]

    def grad():
        for s in shadows:
            if s is not None:
                s.fill(0.0)
        ann = [Duplicated(v, s) if a.kind == "dup" else Active(v) if a.kind == "active" else
               Const(v) if a.kind == "const" else v for a, v, s in zip(args, vals, shadows)]
        out = autodiff(Reverse, primal, Active, *ann)[0]
        return [s if a.kind == "dup" else out[i] for i, (a, s) in enumerate(zip(args, shadows))
                if a.kind in ("dup", "active")]
    return grad


def gmm_driver(primal):
    @numba.njit(parallel=True)
    def grads(alphas, means, icf, x, wg, wm, nchunks):
        n = x.shape[0]
        da = np.zeros((nchunks + 1, alphas.shape[0]))
        dm = np.zeros((nchunks + 1,) + means.shape)
        dq = np.zeros((nchunks + 1,) + icf.shape)
        for c in numba.prange(nchunks):
            lo, hi = c * n // nchunks, (c + 1) * n // nchunks
            autodiff(Reverse, primal, Active, Duplicated(alphas, da[c]), Duplicated(means, dm[c]),
                     Duplicated(icf, dq[c]), Const(x[lo:hi]), Const(wg), Const(wm))
        # the part without points (the prior), which every chunk counted once
        autodiff(Reverse, primal, Active, Duplicated(alphas, da[nchunks]), Duplicated(means, dm[nchunks]),
                 Duplicated(icf, dq[nchunks]), Const(x[:0]), Const(wg), Const(wm))
        k = nchunks - 1.0
        return (da[:nchunks].sum(axis=0) - k * da[nchunks],
                dm[:nchunks].sum(axis=0) - k * dm[nchunks],
                dq[:nchunks].sum(axis=0) - k * dq[nchunks])

    def call(vals, nchunks):
        return list(grads(*vals, nchunks))
    return call


def softmax_driver(primal):
    @numba.njit(parallel=True)
    def grads(logits, labels, nchunks):
        nb = logits.shape[0]
        g = np.zeros_like(logits)
        for c in numba.prange(nchunks):
            lo, hi = c * nb // nchunks, (c + 1) * nb // nchunks
            if hi > lo:
                autodiff(Reverse, primal, Active, Duplicated(logits[lo:hi], g[lo:hi]),
                         Const(labels[lo:hi]))
                g[lo:hi] *= (hi - lo) / nb
        return g

    def call(vals, nchunks):
        return [grads(*vals, nchunks)]
    return call


def black_scholes_driver(primal):
    @numba.njit(parallel=True)
    def grads(S, K, T, sigma, r, nchunks):
        n = S.shape[0]
        dS, dK, dT, dsig = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
        dr = np.zeros(nchunks)
        for c in numba.prange(nchunks):
            lo, hi = c * n // nchunks, (c + 1) * n // nchunks
            res = autodiff(Reverse, primal, Active, Duplicated(S[lo:hi], dS[lo:hi]),
                           Duplicated(K[lo:hi], dK[lo:hi]), Duplicated(T[lo:hi], dT[lo:hi]),
                           Duplicated(sigma[lo:hi], dsig[lo:hi]), Active(r))
            dr[c] = res[0][4]
        return dS, dK, dT, dsig, dr.sum()

    def call(vals, nchunks):
        return list(grads(*vals, nchunks))
    return call


DRIVERS = {"gmm": gmm_driver, "softmax_ce": softmax_driver, "black_scholes": black_scholes_driver}


def jax_gradient(mod, vals):
    """JAX's jit(grad) on the same inputs, as bench/run.py builds it (None without JAX)."""
    try:
        import jax
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    args = mod.args(np.random.default_rng(run.SEED))
    active = tuple(i for i, a in enumerate(args) if a.kind in ("dup", "active"))
    static = tuple(i for i, a in enumerate(args)
                   if a.kind == "static" or (a.kind == "const" and not isinstance(a.value, np.ndarray)))
    jargs = [jnp.asarray(v) if isinstance(v, np.ndarray) else v for v in vals]
    g = jax.jit(jax.grad(mod.jax_fn(), argnums=active), static_argnums=static)

    def grad():
        return [np.asarray(x) for x in jax.block_until_ready(g(*jargs))]
    return grad


def bench_kernel(name, fastmath, runs, budget, jax_times):
    mod = importlib.import_module("kernels." + name)
    primal = numba.njit(fastmath=True)(mod.primal.py_func) if fastmath else mod.primal
    vals = [a.value for a in mod.args(np.random.default_rng(run.SEED))]
    threads = numba.get_num_threads()
    serial = serial_gradient(mod, primal, vals)
    threaded = DRIVERS[name](primal)
    jgrad = jax_gradient(mod, vals)
    ref = [np.copy(g) for g in serial()]
    row = {"kernel": name + (" (fastmath)" if fastmath else ""), "size": mod.SIZE, "threads": threads}
    got = threaded(vals, threads)
    row["err_threads"] = run.grads_err(got, ref)
    if jgrad is not None:
        row["err_jax"] = run.grads_err(jgrad(), ref)
    if row["err_threads"] > run.RTOL or row.get("err_jax", 0.0) > run.RTOL:
        row["status"] = "wrong"
        return row
    row["status"] = "ok"
    row["primal"] = run.timeit(lambda: primal(*vals), runs, budget)[0]
    row["serial"] = run.timeit(serial, runs, budget)[0]
    row["threaded"] = run.timeit(lambda: threaded(vals, threads), runs, budget)[0]
    if jgrad is not None:        # timed once per kernel: both rows compare with the same JAX time
        if name not in jax_times:
            jax_times[name] = run.timeit(jgrad, runs, budget)[0]
        row["jax"] = jax_times[name]
    return row


def markdown(rows, info, runs):
    t, r = run.fmt_time, run.fmt_ratio
    lines = ["# Gradients on every core: `autodiff` inside `prange`", "",
             f"Generated by `python3 bench/parallel.py` on {info['date']}. {info['cpu']}, "
             f"{info['cores']} cores; numba {info['versions'].get('numba', '?')}, "
             f"jax {info['versions'].get('jax', '–')}. Median of at least {runs} runs after a warm-up call.",
             "",
             "The kernels' `@njit` primals (bench/kernels) unchanged; a `parallel=True` driver calls "
             "`autodiff` on one chunk of the data per thread and combines the chunks' gradients "
             "(how: the docstring of bench/parallel.py; the pattern: docs/user-guide.md section 4). "
             "Checked against enzpy's serial gradient and JAX's before timing (max-norm relative "
             "error). `vs JAX`: JAX's time / enzpy's threaded time (> 1: enzpy faster); issue 6's "
             "target on these kernels is ≥ 0.67 (within 1.5x).", "",
             "| kernel | size | numba primal (1 thread) | enzpy gradient, 1 thread | threads | enzpy gradient, "
             "threaded | speed-up | JAX jit(grad) | vs JAX (1 thread) | vs JAX (threaded) | check |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for w in rows:
        if w["status"] != "ok":
            lines.append(f"| {w['kernel']} | {w['size']} | | | {w['threads']} | | | | | | **wrong**: "
                         f"threads {w['err_threads']:.1e}, JAX {w.get('err_jax', float('nan')):.1e} |")
            continue
        jx = w.get("jax")
        lines.append(
            f"| {w['kernel']} | {w['size']} | {t(w['primal'])} | {t(w['serial'])} "
            f"({r(w['serial'] / w['primal'])}) | {w['threads']} | {t(w['threaded'])} "
            f"({r(w['threaded'] / w['primal'])}) | {r(w['serial'] / w['threaded'])} | {t(jx)} | "
            f"{r(jx / w['serial']) if jx else '–'} | {r(jx / w['threaded']) if jx else '–'} | "
            f"ok (err {max(w['err_threads'], w.get('err_jax', 0.0)):.1e}) |")
    lines += ["", "In parentheses: the ratio to the numba primal of the row on one thread (for `fastmath` rows, "
              "the `numba.njit(fastmath=True)` primal, whose gradient may use glibc's vector math). The "
              "threaded driver allocates its per-chunk shadows and sums them in every call; both are in its "
              "time. JAX's time is measured once per kernel and shown in both of its rows."]
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="3 timing runs, short budgets")
    ap.add_argument("--kernels", default=",".join(DRIVERS), help="comma-separated subset of " + ",".join(DRIVERS))
    ap.add_argument("--no-fastmath", action="store_true", help="leave out the fastmath=True primals")
    ap.add_argument("--out", help="Markdown report (default docs/benchmarks-parallel.md; --quick: bench/out/)")
    opts = ap.parse_args(argv)
    names = [k for k in opts.kernels.split(",") if k]
    unknown = [k for k in names if k not in DRIVERS]
    if unknown:
        ap.error(f"unknown kernels {unknown}; choose from {list(DRIVERS)}")
    runs, budget = (3, 0.3) if opts.quick else (RUNS, 2.0)
    info = run.machine_info()
    rows, jax_times = [], {}
    for name, fastmath in [(n, fm) for n in names for fm in ((False,) if opts.no_fastmath else (False, True))]:
        w = bench_kernel(name, fastmath, runs, budget, jax_times)
        rows.append(w)
        run.log(f"{w['kernel']:25s} " + (" ".join(f"{k} {run.fmt_time(w[k])}" for k in ("primal", "serial", "threaded", "jax")
                                           if w.get(k)) if w["status"] == "ok" else f"WRONG {w}"))
    text = markdown(rows, info, runs)
    out = Path(opts.out) if opts.out else (run.OUT_DIR / "benchmarks-parallel-quick.md" if opts.quick else
                                           run.REPO / "docs" / "benchmarks-parallel.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)
    run.log(f"wrote {out}")
    return 0 if all(w["status"] == "ok" for w in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
