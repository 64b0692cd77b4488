#!/usr/bin/env python3
"""enzpy benchmark suite: gradient cost against the primal and against JAX, PyTorch and autograd.

    python3 bench/run.py                       # full run: every kernel, C programs, docs + plot
    python3 bench/run.py --quick               # smoke run (fewer timing runs), same checks
    python3 bench/run.py --kernels gmm,rk4     # a subset (gmm ba lstm rk4 heat nbody softmax_ce
                                               #           black_scholes)

Needs the benchmark extras (``pip install .[bench]``: jax, torch, autograd, matplotlib); a missing
framework only drops its column. For every kernel it

1. builds the numba primal, the enzpy reverse gradient and forward JVP (also of the
   ``fastmath=True`` primal), JAX ``jit(grad)``, PyTorch eager + ``backward()`` and autograd;
2. checks that all of them agree: values and gradients to 1e-8 relative (max-norm) in float64, the
   JVP against <gradient, direction>. A failing or disagreeing implementation is reported as
   ``fails: ...`` / ``wrong`` and not timed;
3. times each (median of at least 5 runs after a warm-up call; --quick: 3), the first-call
   latencies (numba compile of the primal, enzpy gradient build, JAX compile) and the tape bytes.

Writes docs/benchmarks.md and docs/benchmarks.png (--quick: bench/out/benchmarks-quick.*) and the
raw numbers to bench/out/results*.json.
"""
from __future__ import annotations

import argparse
import ctypes
import datetime
import importlib
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT_DIR = HERE / "out"
sys.path.insert(0, str(HERE))
if (REPO / "python" / "enzpy").is_dir() and "enzpy" not in sys.modules:
    sys.path.insert(0, str(REPO / "python"))     # the source tree, unless PYTHONPATH says otherwise

from kernels import ALL as ALL_KERNELS  # noqa: E402

RTOL = 1e-8
SEED = 20240607


# ============================================================================ small helpers
def log(*a):
    print(*a, flush=True)


def short(msg: str, n: int = 160) -> str:
    msg = " ".join(str(msg).split())
    return msg if len(msg) <= n else msg[: n - 3] + "..."


def rel_err(got, want) -> float:
    """max |got - want| / max |want| (max-norm relative error; 0/0 = 0)."""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return math.inf
    if not np.all(np.isfinite(got)):
        return math.inf
    scale = float(np.max(np.abs(want))) if want.size else 0.0
    diff = float(np.max(np.abs(got - want))) if want.size else 0.0
    if scale == 0.0:
        return 0.0 if diff == 0.0 else math.inf
    return diff / scale


def grads_err(got: list, want: list) -> float:
    return max(rel_err(g, w) for g, w in zip(got, want)) if len(got) == len(want) else math.inf


def timeit(fn, min_runs: int, budget: float, warmup: int = 1, max_runs: int = 200):
    """Median seconds of fn() over at least min_runs calls (more while within budget seconds)."""
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or (time.perf_counter() - start < budget and len(times) < max_runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), len(times)


def fmt_ratio(x) -> str:
    if x is None or not math.isfinite(x):
        return "–"
    if x < 10:
        return f"{x:.2f}x"
    if x < 100:
        return f"{x:.1f}x"
    return f"{x:,.0f}x"


def fmt_time(s) -> str:
    if s is None or (isinstance(s, float) and math.isnan(s)):
        return "–"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1.0:
        return f"{s * 1e3:.2f} ms" if s < 0.01 else f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


# ============================================================================ machine and versions
def machine_info() -> dict:
    info = {"date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "python": platform.python_version(), "platform": platform.platform()}
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except Exception:
        cpu = platform.processor()
    info["cpu"] = cpu
    info["cores"] = os.cpu_count()
    try:
        info["load_before"] = os.getloadavg()
    except OSError:
        pass
    try:
        mem = next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1]
        info["memory_gb"] = round(int(mem) / 2**20, 1)
    except Exception:
        pass
    vers = {}
    from importlib import metadata
    for mod in ("numpy", "numba", "llvmlite", "enzpy", "jax", "jaxlib", "torch", "autograd", "matplotlib"):
        try:
            vers[mod] = metadata.version(mod)
        except Exception:  # noqa: BLE001
            try:
                vers[mod] = importlib.import_module(mod).__version__
            except Exception as e:  # noqa: BLE001
                vers[mod] = f"not available ({type(e).__name__})"
    try:
        import enzpy
        core = importlib.import_module("enzpy._core")
        p = Path(core.__file__).resolve()
        vers["enzpy core"] = f"{p} (built {datetime.datetime.fromtimestamp(p.stat().st_mtime):%Y-%m-%d %H:%M}), LLVM {core.llvm_version() if callable(core.llvm_version) else core.llvm_version}"
        vers["enzpy"] = f"{enzpy.__version__} from {Path(enzpy.__file__).parent}"
    except Exception:
        pass
    clang = shutil.which("clang-22")
    if clang:
        out = subprocess.run([clang, "--version"], capture_output=True, text=True).stdout
        vers["clang"] = out.splitlines()[0] if out else clang
    try:
        import torch
        vers["torch threads"] = str(torch.get_num_threads())
    except Exception:
        pass
    info["versions"] = vers
    return info


# ============================================================================ tape measurement
class TapeProbe:
    """enzpy's tape is one growing buffer (aligned_alloc); route the JIT's `aligned_alloc` through a
    counter."""

    def __init__(self):
        self.lib = None
        self.why = ""
        cc = shutil.which("clang-22") or shutil.which("cc") or shutil.which("gcc")
        if cc is None:
            self.why = "no C compiler to build bench/c/tapehook.c"
            return
        OUT_DIR.mkdir(exist_ok=True)
        so = OUT_DIR / "libtapehook.so"
        r = subprocess.run([cc, "-O2", "-shared", "-fPIC", str(HERE / "c" / "tapehook.c"), "-o", str(so)],
                           capture_output=True, text=True)
        if r.returncode:
            self.why = "tapehook.c did not compile: " + short(r.stderr)
            return
        import llvmlite.binding as llb
        lib = ctypes.CDLL(str(so))
        lib.enzpy_bench_peak.restype = ctypes.c_size_t
        lib.enzpy_bench_calls.restype = ctypes.c_size_t
        llb.add_symbol("aligned_alloc", ctypes.cast(lib.enzpy_bench_aligned_alloc, ctypes.c_void_p).value)
        self.lib = lib

    def measure(self, fn):
        """(fn(), the peak tape capacity requested during the call); call it on the first call of
        a derivative (later calls reuse the parked buffer and grow nothing)."""
        if self.lib is None:
            return fn(), None
        self.lib.enzpy_bench_reset()
        res = fn()
        return res, int(self.lib.enzpy_bench_peak())


# ============================================================================ one kernel
class KernelBench:
    def __init__(self, mod, opts, probe: TapeProbe):
        self.K = mod
        self.opts = opts
        self.probe = probe
        self.args = mod.args(np.random.default_rng(SEED))
        self.values = [a.value for a in self.args]
        self.active = [i for i, a in enumerate(self.args) if a.kind in ("dup", "active")]
        rng = np.random.default_rng(SEED + 1)
        # forward-mode direction, one per active argument
        self.direction = {i: (rng.normal(size=self.values[i].shape) if self.args[i].kind == "dup"
                              else float(rng.normal())) for i in self.active}
        self.r = {"name": mod.NAME, "title": mod.TITLE, "size": mod.SIZE, "kind": mod.KIND,
                  "tape_unit": list(getattr(mod, "TAPE_UNIT", ("call", 1))),
                  "impl": {}, "notes": []}

    # ---- result bookkeeping
    def put(self, impl, **kw):
        self.r["impl"].setdefault(impl, {}).update(kw)

    def fail(self, impl, e: BaseException):
        msg = f"{type(e).__name__}: {e}"
        self.put(impl, status="fails", message=short(msg, 400))
        log(f"    {impl}: FAILS: {short(msg, 300)}")

    def timing(self, impl, fn, first: float):
        """Times fn; `first` is the duration of the call already made (the check), which served
        as warm-up. In --quick mode a call slower than 1 s is not repeated: `first` is the time."""
        o = self.opts
        if o.quick and first > 1.0:
            self.put(impl, time=first, runs=1)
            return first
        med, n = timeit(fn, o.min_runs, o.budget, warmup=0 if first > 0.05 else 1)
        self.put(impl, time=med, runs=n)
        return med

    # ---- implementations
    def run(self):
        K, o = self.K, self.opts
        log(f"\n=== {K.NAME}: {K.TITLE} ({K.SIZE})")
        ref_value, ref_grads = self.reference()
        self.r["ref_value"] = ref_value
        self.numba_and_enzpy(ref_value, ref_grads)
        for impl, builder in (("jax", self.jax), ("torch", self.torch), ("autograd", self.autograd)):
            if impl in o.skip:
                continue
            try:
                builder(ref_value, ref_grads)
            except Exception as e:  # noqa: BLE001
                self.fail(impl, e)
                if o.verbose:
                    traceback.print_exc()
        return self.r

    def reference(self):
        """The reference value and gradient: JAX's, else PyTorch's, else autograd's."""
        for name, fn in (("jax", self._jax_value_grad), ("torch", self._torch_value_grad),
                         ("autograd", self._autograd_value_grad)):
            if name in self.opts.skip:
                continue
            try:
                v, g = fn()
                self.r["reference"] = name
                return v, g
            except Exception as e:  # noqa: BLE001
                log(f"    (reference {name} unavailable: {short(e)})")
        self.r["reference"] = "none"
        return None, None

    def check(self, impl, value, grads, ref_value, ref_grads, what="gradient"):
        """Record agreement; returns True when within RTOL of the reference."""
        ev = rel_err(value, ref_value) if (value is not None and ref_value is not None) else 0.0
        eg = grads_err(grads, ref_grads) if (grads is not None and ref_grads is not None) else 0.0
        err = max(ev, eg)
        self.put(impl, err=err)
        if err > RTOL:
            self.put(impl, status="wrong", message=f"{what} differs from {self.r['reference']} "
                                                   f"by {err:.2e} relative (value {ev:.1e}, grad {eg:.1e})")
            log(f"    {impl}: WRONG: {what} rel err {err:.3e} (value {ev:.1e}, grad {eg:.1e})")
            return False
        self.put(impl, status="ok")
        return True

    # ---- numba + enzpy
    def numba_and_enzpy(self, ref_value, ref_grads):
        import numba
        from enzpy import Active, Duplicated, Forward, Reverse, autodiff

        K, o = self.K, self.opts
        vals = self.values
        variants = [("", K.primal)]
        if not o.no_fastmath:
            variants.append(("_fm", numba.njit(fastmath=True)(K.primal.py_func)))
        for suffix, prim in variants:
            pname = "numba" + suffix
            # numba compile (first call, cold dispatcher) ...
            t0 = time.perf_counter()
            try:
                value = prim(*vals)
            except Exception as e:  # noqa: BLE001
                self.fail(pname, e)
                continue
            first = time.perf_counter() - t0
            self.check(pname, value, None, ref_value, None, "value")
            tp = self.timing(pname, lambda: prim(*vals), 0.0)
            self.put(pname, compile=max(first - tp, 0.0), value=value)
            log(f"    {pname:12s} primal {fmt_time(tp):>10s}   compile {first - tp:.2f} s   value {value!r}")

            # ... enzpy reverse gradient
            gname = "enzpy" + suffix
            shadows = {i: np.zeros_like(vals[i]) for i in self.active if self.args[i].kind == "dup"}
            ann = []
            for i, a in enumerate(self.args):
                if a.kind == "dup":
                    ann.append(Duplicated(vals[i], shadows[i]))
                elif a.kind == "active":
                    ann.append(Active(vals[i]))
                else:
                    ann.append(vals[i])

            def grad():
                for s in shadows.values():
                    s.fill(0.0)
                res = autodiff(Reverse, prim, Active, *ann)
                return [shadows[i] if i in shadows else res[0][i] for i in self.active]

            try:
                # the tape is measured on the first call: later calls start on the buffer the
                # previous call left parked (no growth to see)
                t0 = time.perf_counter()
                g, tape = self.probe.measure(grad)
                first = time.perf_counter() - t0
            except Exception as e:  # noqa: BLE001
                self.fail(gname, e)
                if o.verbose:
                    traceback.print_exc()
            else:
                g = [np.copy(x) for x in g]
                if self.check(gname, None, g, None, ref_grads):
                    tg = self.timing(gname, grad, 0.0)
                    self.put(gname, build=max(first - tg, 0.0), ratio=tg / tp)
                    self.put(gname, tape=tape)
                    log(f"    {gname:12s} grad   {fmt_time(tg):>10s}   {tg / tp:5.2f}x primal   build "
                        f"{first - tg:.2f} s   tape {tape if tape is not None else 'n/m'} B")

            # ... enzpy forward JVP
            fname = "enzpy_jvp" + suffix
            fann = []
            for i, a in enumerate(self.args):
                if a.kind in ("dup", "active"):
                    fann.append(Duplicated(vals[i], self.direction[i]))
                else:
                    fann.append(vals[i])

            def jvp():
                return autodiff(Forward, prim, *fann)[0]

            try:
                t0 = time.perf_counter()
                t = jvp()
                first = time.perf_counter() - t0
            except Exception as e:  # noqa: BLE001
                self.fail(fname, e)
                if o.verbose:
                    traceback.print_exc()
            else:
                if ref_grads is not None:
                    want = sum(float(np.sum(np.asarray(ref_grads[k]) * self.direction[i]))
                               for k, i in enumerate(self.active))
                    scale = sum(float(np.sum(np.abs(np.asarray(ref_grads[k]) * self.direction[i])))
                                for k, i in enumerate(self.active))
                    err = abs(t - want) / scale if scale else abs(t - want)
                    self.put(fname, err=err)
                    if not err <= RTOL:
                        self.put(fname, status="wrong",
                                 message=f"JVP {t!r} vs <grad, v> = {want!r}: {err:.2e} relative")
                        log(f"    {fname}: WRONG: JVP {t!r} vs {want!r}")
                        continue
                self.put(fname, status="ok")
                tf = self.timing(fname, jvp, 0.0)
                self.put(fname, build=max(first - tf, 0.0), ratio=tf / tp)
                log(f"    {fname:12s} JVP    {fmt_time(tf):>10s}   {tf / tp:5.2f}x primal   build {first - tf:.2f} s")

    # ---- JAX
    def _jax_setup(self):
        if getattr(self, "_jx", None) is None:
            import jax
            jax.config.update("jax_enable_x64", True)
            import jax.numpy as jnp
            f = self.K.jax_fn()
            static = tuple(i for i, a in enumerate(self.args)
                           if a.kind == "static" or (a.kind == "const" and not isinstance(a.value, np.ndarray)))
            jargs = [jnp.asarray(v) if isinstance(v, np.ndarray) else v for v in self.values]
            self._jx = (jax, f, static, jargs)
        return self._jx

    def _jax_value_grad(self):
        jax, f, static, jargs = self._jax_setup()
        vg = jax.jit(jax.value_and_grad(f, argnums=tuple(self.active)), static_argnums=static)
        v, g = vg(*jargs)
        return float(v), [np.asarray(x) for x in g]

    def jax(self, ref_value, ref_grads):
        jax, f, static, jargs = self._jax_setup()
        prim = jax.jit(f, static_argnums=static)
        v = float(prim(*jargs))
        if self.check("jax_primal", v, None, ref_value, None, "value"):
            self.timing("jax_primal", lambda: jax.block_until_ready(prim(*jargs)), 0.0)
        g = jax.jit(jax.grad(f, argnums=tuple(self.active)), static_argnums=static)
        t0 = time.perf_counter()
        out = jax.block_until_ready(g(*jargs))
        first = time.perf_counter() - t0
        if self.check("jax", None, [np.asarray(x) for x in out], None, ref_grads):
            tj = self.timing("jax", lambda: jax.block_until_ready(g(*jargs)), 0.0)
            self.put("jax", compile=max(first - tj, 0.0))
            log(f"    {'jax':12s} grad   {fmt_time(tj):>10s}   compile {first - tj:.2f} s")

    # ---- PyTorch
    def _torch_setup(self):
        import torch
        f = self.K.torch_fn()
        targs, leaves = [], []
        for i, a in enumerate(self.args):
            v = a.value
            if isinstance(v, np.ndarray):
                t = torch.from_numpy(v.copy())
                if a.kind == "dup":
                    t.requires_grad_(True)
                    leaves.append(t)
                targs.append(t)
            elif a.kind == "active":
                t = torch.tensor(v, dtype=torch.float64, requires_grad=True)
                leaves.append(t)
                targs.append(t)
            else:
                targs.append(v)
        return torch, f, targs, leaves

    def _torch_value_grad(self):
        torch, f, targs, leaves = self._torch_setup()
        loss = f(*targs)
        loss.backward()
        return float(loss.detach()), [x.grad.numpy().copy() for x in leaves]

    def torch(self, ref_value, ref_grads):
        torch, f, targs, leaves = self._torch_setup()

        def grad():
            for x in leaves:
                x.grad = None
            loss = f(*targs)
            loss.backward()
            return loss, [x.grad for x in leaves]

        t0 = time.perf_counter()
        loss, g = grad()
        first = time.perf_counter() - t0
        g = [x.numpy().copy() for x in g]
        if self.check("torch", float(loss.detach()), g, ref_value, ref_grads):
            tt = self.timing("torch", grad, first)
            log(f"    {'torch':12s} grad   {fmt_time(tt):>10s}   (eager forward + backward)")

    # ---- autograd
    def _autograd_setup(self):
        import autograd
        f = self.K.autograd_fn()
        vals = list(self.values)
        active = self.active

        def wrapped(act):
            full = list(vals)
            for k, i in enumerate(active):
                full[i] = act[k]
            return f(*full)
        return autograd, f, wrapped, tuple(vals[i] for i in active)

    def _autograd_value_grad(self):
        autograd, f, wrapped, act = self._autograd_setup()
        g = autograd.grad(wrapped)(act)
        return float(f(*self.values)), [np.asarray(x) for x in g]

    def autograd(self, ref_value, ref_grads):
        autograd, f, wrapped, act = self._autograd_setup()
        g = autograd.value_and_grad(wrapped)
        t0 = time.perf_counter()
        v, out = g(act)
        first = time.perf_counter() - t0
        out = [np.asarray(x) for x in out]
        if self.check("autograd", float(v), out, ref_value, ref_grads):
            ta = self.timing("autograd", lambda: g(act), first)
            log(f"    {'autograd':12s} grad   {fmt_time(ta):>10s}")


# ============================================================================ overhead and latency of a small scalar function
def small_function_bench(opts) -> dict:
    """Build latency and call overhead for f(x, y) = x*x*y + sin(x), a two-argument scalar function."""
    import numba
    from enzpy import Active, Reverse, autodiff, gradient

    src = "def small(x, y):\n    return x * x * y + math.sin(x)\n"
    ns = {"math": math}
    exec(compile(src, "<bench small>", "exec"), ns)
    f = numba.njit(ns["small"])
    out = {}
    t0 = time.perf_counter()
    f(1.0, 2.0)
    out["numba_compile"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = autodiff(Reverse, f, Active, Active(1.0), Active(2.0))
    out["enzpy_build"] = time.perf_counter() - t0
    want = (2 * 1.0 * 2.0 + math.cos(1.0), 1.0)
    out["correct"] = bool(np.allclose(res[0], want, rtol=1e-12))
    n = 20000 if opts.quick else 200000

    def per_call(fn):
        best = math.inf
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(n // 5):
                fn()
            best = min(best, (time.perf_counter() - t0) / (n // 5))
        return best
    a1, a2 = Active(1.0), Active(2.0)
    out["autodiff_call"] = per_call(lambda: autodiff(Reverse, f, Active, Active(1.0), Active(2.0)))
    out["autodiff_call_prebuilt_args"] = per_call(lambda: autodiff(Reverse, f, Active, a1, a2))
    gradient(Reverse, f, 1.0, 2.0)
    out["gradient_call"] = per_call(lambda: gradient(Reverse, f, 1.0, 2.0))
    out["primal_call"] = per_call(lambda: f(1.0, 2.0))
    # the compiled trampoline alone (what autodiff calls after its Python checks): the floor
    from enzpy import _autodiff as _ad, _shared_trampolines as _shared
    entry = next((e for (fn, e) in _shared._entries.values() if fn is f and e is not None), None)
    tramp = next((t for (fid, *_), (fn, t) in _ad._trampolines.items() if fn is f), None)
    if entry is not None:       # the shared trampoline, given the derivative's descriptor
        out["trampoline_call"] = per_call(lambda: entry.trampoline(entry.address, 1.0, 2.0))
    elif tramp is not None:     # f's own trampoline
        out["trampoline_call"] = per_call(lambda: tramp(1.0, 2.0))
    log("\n=== small scalar function f(x, y) = x*x*y + sin(x)")
    for k, v in out.items():
        log(f"    {k:28s} {v * 1e6:.2f} µs" if isinstance(v, float) and v < 1e-3 else
            f"    {k:28s} {v:.3f} s" if isinstance(v, float) else f"    {k:28s} {v}")
    return out


# ============================================================================ C programs through enzpy-opt
C_KERNELS = {"rk4": lambda vals: [], "nbody": lambda vals: [str(vals[0].shape[0])],
             "black_scholes": lambda vals: [str(vals[0].shape[0])]}


def find_enzpy_opt():
    env = os.environ.get("ENZPY_OPT")
    if env and os.access(env, os.X_OK):
        return env
    for c in [shutil.which("enzpy-opt"), REPO / "build" / "dev" / "cpp" / "enzpy-opt",
              *sorted(REPO.glob("build/*/cpp/enzpy-opt"))]:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return str(c)
    return None


def c_bench(name, kb_result, opts, ref_grads, ref_value) -> dict:
    import kernels
    mod = importlib.import_module(f"kernels.{name}")
    vals = [a.value for a in mod.args(np.random.default_rng(SEED))]
    res = {"name": name}
    opt = find_enzpy_opt()
    clang = shutil.which("clang-22")
    if opt is None or clang is None:
        res.update(status="skipped", message="enzpy-opt or clang-22 not found")
        return res
    res["enzpy_opt"] = opt
    with tempfile.TemporaryDirectory() as td:
        td = Path(td)
        src = HERE / "c" / f"{name}.c"
        steps = [([clang, "-O2", "-S", "-emit-llvm", str(src), "-o", str(td / "p.ll")], "clang -O2 -emit-llvm"),
                 ([opt, str(td / "p.ll"), "-o", str(td / "out.ll")], "enzpy-opt"),
                 ([clang, "-O2", str(td / "out.ll"), "-lm", "-o", str(td / "prog")], "clang link")]
        for cmd, what in steps:
            t0 = time.perf_counter()
            r = subprocess.run(cmd, capture_output=True, text=True)
            if what == "enzpy-opt":
                res["ad_time"] = time.perf_counter() - t0
            if r.returncode:
                res.update(status="fails", message=f"{what}: {short(r.stderr, 300)}")
                return res
        with open(td / "in.bin", "wb") as fh:
            for v in vals:
                np.asarray(v, dtype=np.float64).tofile(fh) if not isinstance(v, np.ndarray) or v.dtype.kind == "f" \
                    else v.astype(np.float64).tofile(fh)
        runs = 3 if opts.quick else 7
        r = subprocess.run([str(td / "prog"), str(td / "in.bin"), str(td / "out.bin"), str(runs),
                            *C_KERNELS[name](vals)], capture_output=True, text=True, timeout=600)
        if r.returncode:
            res.update(status="fails", message=f"program exited {r.returncode}: {short(r.stderr + r.stdout)}")
            return res
        kv = dict(x.split("=") for x in r.stdout.split())
        res.update(primal=float(kv["primal_s"]), grad=float(kv["grad_s"]), runs=int(kv["runs"]),
                   value=float(kv["value"]))
        res["ratio"] = res["grad"] / res["primal"]
        flat = np.fromfile(td / "out.bin")
        grads, off = [], 0
        for g in ref_grads or []:
            n = np.size(g)
            grads.append(flat[off:off + n].reshape(np.shape(g)))
            off += n
        err = max(grads_err(grads, ref_grads) if ref_grads else 0.0,
                  rel_err(res["value"], ref_value) if ref_value is not None else 0.0)
        res["err"] = err
        res["status"] = "ok" if err <= RTOL else "wrong"
        if err > RTOL:
            res["message"] = f"gradient differs from the reference by {err:.2e} relative"
    log(f"    C {name:14s} primal {fmt_time(res['primal']):>10s}  grad {fmt_time(res['grad']):>10s}  "
        f"{res['ratio']:.2f}x   ({res['status']}, err {res['err']:.1e})")
    return res


# ============================================================================ report
def cell_time(impl: dict | None, ratio_to=None):
    if impl is None:
        return "–"
    st = impl.get("status")
    if st == "fails":
        msg = impl.get("message", "")
        m = re.search(r"for argument types .*?\): (.*)", msg)     # keep enzpy's reason
        return f"fails: {short(m.group(1) if m else msg, 90)}".replace("|", "\\|")
    if st == "wrong":
        return "wrong"
    if "time" not in impl:
        return "–"
    s = fmt_time(impl["time"])
    if ratio_to:
        s += f" ({fmt_ratio(impl['time'] / ratio_to)})"
    return s


def geomean(xs):
    xs = [x for x in xs if x and x > 0 and math.isfinite(x)]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def write_report(results, small, cres, info, opts, path: Path, plot_path: Path | None, wall: float):
    for r in results:          # the target group as the kernel module says now
        try:
            r["kind"] = importlib.import_module(f"kernels.{r['name']}").KIND
        except Exception:  # noqa: BLE001
            pass
    L = []
    P = L.append
    P("# Benchmarks\n")
    P("Generated by `python3 bench/run.py` " + ("(`--quick`) " if opts.quick else "")
      + f"on {info['date']}; the whole run took {wall / 60:.1f} minutes. Every number below comes "
        f"from that run; `{os.path.relpath(opts.json, REPO)}` (not in git) has them all, unrounded.\n")
    P("## Machine and versions\n")
    P(f"- CPU: {info['cpu']}, {info['cores']} cores, {info.get('memory_gb', '?')} GiB; {info['platform']}")
    la = info.get("load_before")
    la2 = info.get("load_after")
    if la:
        P(f"- load average before / after the run: {la[0]:.2f} / {la2[0] if la2 else float('nan'):.2f} "
          f"(on {info['cores']} cores{'; other processes were running' if la[0] > 0.5 or (la2 and la2[0] > 1.5) else ''})")
    P(f"- Python {info['python']}; " + "; ".join(f"{k} {v}" for k, v in info["versions"].items()))
    P("- numba runs single-threaded (no `parallel=True`); JAX (XLA:CPU) and PyTorch use their default "
      "thread pools on the same cores. All float64.\n")

    P("## Results\n")
    P("Median wall time of one call (after a warm-up call; at least "
      f"{opts.min_runs} runs each). In parentheses: the ratio to the numba primal of the same "
      "row (for `fastmath` columns, to the `fastmath=True` primal). `fails: ...` / `wrong` are "
      "reported, not hidden (see bench/ISSUES.md).\n")
    hdr = ["kernel", "size", "numba primal", "enzpy gradient", "enzpy JVP", "primal fastmath",
           "gradient fastmath", "JAX jit(grad)", "PyTorch eager", "autograd"]
    P("| " + " | ".join(hdr) + " |")
    P("|" + "---|" * len(hdr))
    for r in results:
        im = r["impl"]
        tp = im.get("numba", {}).get("time")
        tpf = im.get("numba_fm", {}).get("time")
        row = [r["name"], r["size"], cell_time(im.get("numba")), cell_time(im.get("enzpy"), tp),
               cell_time(im.get("enzpy_jvp"), tp), cell_time(im.get("numba_fm")),
               cell_time(im.get("enzpy_fm"), tpf), cell_time(im.get("jax"), tp),
               cell_time(im.get("torch"), tp), cell_time(im.get("autograd"), tp)]
        P("| " + " | ".join(row) + " |")
    P("")

    P("### First-call latency, tape, and speed against the other tools\n")
    P("`compile`: numba's first call of the primal minus one run; `build`: enzpy's first gradient "
      "(or JVP) call minus one run (numba typing of the call, the AD pass, LLVM optimization and "
      "linking; the primal is already compiled); `JAX compile`: first `jit(grad)` call minus one "
      "run. `tape`: peak capacity of the reverse-mode tape during one gradient call (the bytes "
      "pushed are between half of it and all of it; see notes), and that per unit of work. "
      "`vs X`: X's gradient time / enzpy's gradient time (>1: enzpy faster).\n")
    hdr = ["kernel", "numba compile", "enzpy grad build", "build / compile", "enzpy JVP build",
           "JAX compile", "tape (bytes)", "tape per unit", "vs JAX", "vs JAX (fastmath)", "vs PyTorch", "vs autograd"]
    P("| " + " | ".join(hdr) + " |")
    P("|" + "---|" * len(hdr))
    for r in results:
        im = r["impl"]
        nb, ez, ezf = im.get("numba", {}), im.get("enzpy", {}), im.get("enzpy_fm", {})
        comp, build = nb.get("compile"), ez.get("build")

        def vs(other, mine=ez):
            o = im.get(other, {})
            if "time" in o and "time" in mine:
                return fmt_ratio(o["time"] / mine["time"])
            return "–"
        tape = ez.get("tape")
        row = [r["name"], f"{comp:.2f} s" if comp is not None else "–",
               f"{build:.2f} s" if build is not None else "–",
               f"{build / comp:.2f}x" if build is not None and comp else "–",
               f"{im.get('enzpy_jvp', {}).get('build'):.2f} s" if im.get("enzpy_jvp", {}).get("build") is not None else "–",
               f"{im.get('jax', {}).get('compile'):.2f} s" if im.get("jax", {}).get("compile") is not None else "–",
               (f"{tape:,}" if tape else ("0 (none on the heap)" if tape == 0 else "n/m")),
               (f"{tape / r['tape_unit'][1]:,.0f} B / {r['tape_unit'][0]}" if tape else "–"),
               vs("jax"), vs("jax", ezf), vs("torch"), vs("autograd")]
        P("| " + " | ".join(row) + " |")
    P("")

    if small:
        P("### Small scalar function and Python call overhead\n")
        P("`f(x, y) = x*x*y + sin(x)`, two `Active` float arguments, after numba and enzpy were "
          "warmed up on other functions.\n")
        P("| measurement | value |")
        P("|---|---|")
        names = {"numba_compile": "numba compile of the primal (first call)",
                 "enzpy_build": "enzpy gradient build (first `autodiff` call)",
                 "autodiff_call": "cached gradient, `autodiff(Reverse, f, Active, Active(x), Active(y))`, per call",
                 "autodiff_call_prebuilt_args": "same, with the `Active(...)` objects built once, per call",
                 "gradient_call": "`gradient(Reverse, f, x, y)`, per call",
                 "trampoline_call": "the compiled trampoline alone (numba dispatch, the floor), per call",
                 "primal_call": "numba primal `f(x, y)` from Python, per call"}
        for k, label in names.items():
            if k in small:
                v = small[k]
                P(f"| {label} | {v * 1e6:.2f} µs |" if v < 0.01 else f"| {label} | {v:.3f} s |")
        P("")

    if cres:
        P("### C programs through `enzpy-opt`\n")
        P("`clang-22 -O2 -S -emit-llvm k.c`, `enzpy-opt` (-O2 after AD), `clang-22 -O2 out.ll -lm`; "
          "primal and `__enzyme_autodiff` gradient timed inside the program (median of "
          f"{cres[0].get('runs', '?')} runs after a warm-up call; shadows zeroed in each run). The "
          "gradient written by the program is checked against the reference like the others.\n")
        P("| kernel | C primal | C gradient | ratio | enzpy-opt time | check |")
        P("|---|---|---|---|---|---|")
        for c in cres:
            if c.get("status") in ("fails", "skipped"):
                P(f"| {c['name']} | {c['status']}: {short(c.get('message', ''), 120)} | | | | |")
                continue
            P(f"| {c['name']} | {fmt_time(c['primal'])} | {fmt_time(c['grad'])} | {c['ratio']:.2f}x | "
              f"{c.get('ad_time', float('nan')):.2f} s | {c['status']} (err {c['err']:.1e}) |")
        P("")

    # ---- targets
    P("## Targets (issue 6)\n")
    ratios = {r["name"]: r["impl"].get("enzpy", {}).get("ratio") for r in results}
    ok_ratios = {k: v for k, v in ratios.items() if v}
    gm = geomean(list(ok_ratios.values()))
    worst = max(ok_ratios.items(), key=lambda kv: kv[1]) if ok_ratios else ("–", float("nan"))
    failing = [k for k, v in ratios.items() if not v]
    lines = []

    def verdict(ok):
        return "**met**" if ok else "**missed**"
    lines.append(f"| reverse gradient ≤ 3x primal (geometric mean) | {gm:.2f}x over {len(ok_ratios)} kernels"
                 + (f"; no gradient for {', '.join(failing)}" if failing else "")
                 + f" | {verdict(gm <= 3 and not failing)} |")
    lines.append(f"| none above 5x | worst: {worst[0]} {worst[1]:.2f}x | "
                 f"{verdict(worst[1] <= 5 and not failing)} |")
    fr = {r["name"]: r["impl"].get("enzpy_jvp", {}).get("ratio") for r in results}
    bad = [f"{k} {v:.2f}x" if v else f"{k} (no JVP)" for k, v in fr.items() if not v or v > 1.5]
    lines.append(f"| forward JVP ≤ 1.5x primal | {'all within' if not bad else 'above: ' + ', '.join(bad)} | "
                 f"{verdict(not bad)} |")
    for group, need, label in (("loop-carried", 3.0, "≥ 3x faster than JAX jit(grad) on loop-carried kernels"),
                               ("vectorizable", 1 / 1.5, "within 1.5x of JAX on vectorizable kernels")):
        items = []
        okall = True
        for r in results:
            if r["kind"] != group:
                continue
            im = r["impl"]
            ez = im.get("enzpy", {})
            ezf = im.get("enzpy_fm", {})
            jx = im.get("jax", {})
            if "time" not in jx:
                items.append(f"{r['name']} (no JAX)")
                continue
            best = min([x["time"] for x in (ez, ezf) if "time" in x], default=None)
            if best is None:
                items.append(f"{r['name']} (no enzpy gradient)")
                okall = False
                continue
            sp = jx["time"] / best
            items.append(f"{r['name']} {fmt_ratio(sp)}")
            okall &= sp >= need
        lines.append(f"| {label} (JAX time / best enzpy time) | {', '.join(items)} | {verdict(okall)} |")
    items, okall = [], True
    for r in results:
        if r["kind"] != "loop-carried":
            continue
        im = r["impl"]
        if "time" in im.get("torch", {}) and "time" in im.get("enzpy", {}):
            sp = im["torch"]["time"] / im["enzpy"]["time"]
            items.append(f"{r['name']} {fmt_ratio(sp)}")
            okall &= sp >= 10
        else:
            items.append(f"{r['name']} (n/a)")
            okall = False
    lines.append(f"| ≥ 10x faster than PyTorch eager on loop-carried kernels | {', '.join(items)} | {verdict(okall)} |")
    items, okall = [], True
    for r in results:
        b = r["impl"].get("enzpy", {}).get("build")
        c = r["impl"].get("numba", {}).get("compile")
        if b is not None and c:
            items.append(f"{r['name']} {b / c:.1f}x")
            okall &= b / c <= 3
        else:
            okall = False
    lines.append(f"| gradient build ≤ 3x numba's compile of the primal | {', '.join(items)} | {verdict(okall)} |")
    if small:
        lines.append(f"| build < 0.3 s for a small scalar function | {small['enzpy_build']:.3f} s | "
                     f"{verdict(small['enzpy_build'] < 0.3)} |")
        lines.append(f"| call overhead of a cached gradient ≤ 1.5 µs | {small['autodiff_call'] * 1e6:.2f} µs "
                     f"(`autodiff`), {small.get('trampoline_call', float('nan')) * 1e6:.2f} µs (compiled "
                     f"trampoline alone) | {verdict(small['autodiff_call'] <= 1.5e-6)} |")
    P("| target | measured | |")
    P("|---|---|---|")
    for l in lines:
        P(l)
    P("")

    P("## Failures and wrong results\n")
    any_bad = False
    for r in results:
        for impl, d in r["impl"].items():
            if d.get("status") in ("fails", "wrong"):
                any_bad = True
                P(f"- **{r['name']} / {impl}**: {d['status']}: {d.get('message', '')}")
    for c in cres or []:
        if c.get("status") in ("fails", "wrong"):
            any_bad = True
            P(f"- **C {c['name']}**: {c['status']}: {c.get('message', '')}")
    if not any_bad:
        P("None: every implementation built and agreed with the reference to 1e-8.")
    P("\n`bench/ISSUES.md` has minimal reproducers for every failure and for the missed targets, "
      "with what the derivative IR shows.\n")

    P("## Notes\n")
    P(NOTES)
    if plot_path:
        P(f"\n![gradient time relative to the numba primal]({os.path.relpath(plot_path, path.parent)})\n")
    path.write_text("\n".join(L) + "\n")
    log(f"\nwrote {path}")


NOTES = """\
- **What is timed.** numba primal: the `@njit` function called from Python. enzpy gradient:
  `autodiff(Reverse, f, Active, Duplicated(x, dx), ..., Active(s), consts...)` including zeroing
  the shadow arrays before each call (reverse mode accumulates). enzpy JVP: `autodiff(Forward, f,
  Duplicated(x, v), ...)`, one direction for all active inputs at once. JAX: `jax.jit(jax.grad(f,
  argnums=...))` on device arrays, `block_until_ready`. PyTorch: eager forward + `backward()` on
  leaf tensors. autograd: `autograd.grad` of the NumPy code. Each framework's version is written
  idiomatically (JAX: `lax.scan`/`fori_loop` for time loops, vectorized array code elsewhere;
  PyTorch/autograd: vectorized array code with Python loops over time), the numba version as
  loops, as a numba user would write it (`bench/kernels/*.py`).
- **Agreement.** Before timing, every value and gradient is compared with the reference (JAX's
  `value_and_grad`, or PyTorch's where JAX is missing) in the max-norm:
  `max|got - ref| / max|ref| ≤ 1e-8`; the JVP against `<reference gradient, direction>`,
  relative to `sum |gradient * direction|`.
- **fastmath columns.** The same kernel under `numba.njit(fastmath=True)` (helper functions
  called from it keep their own flags) and enzpy's gradient of that primal: enzpy differentiates
  the IR numba produced, so the derivative inherits the primal's fast-math flags where it copies
  instructions. This is the setting that lets LLVM vectorize float reductions. With it, calls of
  `exp`, `log`, `erf`, ... (the primal's and those of the derivative rules, which inherit the `afn`
  flag) may become calls of glibc's vector math (`enzpy.api.vector_math`, on by default), which
  numba's own primal does not use.
- **First-call latency** is measured once per process on a cold dispatcher (numba itself was
  warmed up on a small function first), so it includes numba's typing of the helper calls.
- **Tape bytes.** enzpy's reverse mode keeps values that the reverse sweep needs on one tape,
  a buffer grown into a new `aligned_alloc` block (doubling, at least 4 KiB). `bench/c/tapehook.c`
  is compiled at start-up and registered as the JIT's `aligned_alloc` (`llvmlite.binding.add_symbol`)
  before any derivative is linked; only JIT code calls `aligned_alloc` through it, i.e. only tapes. The number is
  the tape's peak capacity in the first gradient call (between the bytes pushed and twice that;
  later calls start on the buffer the previous call parked and grow nothing);
  "0" means nothing went to the heap tape (values were recomputed, or kept in stack slots, which
  this cannot see). The hook costs a function call per tape growth (a few per gradient call).
  Not measurable from Python otherwise.
- **Where the gradient misses, and why** (details in `bench/ISSUES.md`): the reverse sweep tapes
  the values it needs that the primal overwrites later. Induction variables (integer and pointer),
  loop invariants (once per loop entry) and one-instruction intermediates are not taped; loops
  whose trip count is known on entry write their records at `iteration * stride` without a tape
  check, the tape buffer is reused from call to call, loop counts the reverse sweep can compute
  are not taped, loads from arrays the function never writes are redone (also through numba's
  pointer walks), an element of a scratch array that a loop reloads without writing it is
  taped once per loop entry, and joins whose predecessor the branches before them tell apart
  keep no predecessor id; a table the function fills before it reads it (an `np.empty` scratch
  array, a `malloc`'d block) is read again instead of taped, and lives until the reverse sweep
  passes its allocation. What is left is mostly real data: GMM's scratch vectors `xc`/`qxc` are
  rewritten for every (point, component) pair, so the values the reverse of the triangular product
  needs are taped (at most 671 bytes per pair by the tape's capacity; with `xc` written out as
  `x - means` in the source, so that nothing of it is taped, the gradient is at most 6 % faster,
  so `xc`'s tape is not what keeps GMM's gradient at 3-4x its primal), and the heat stencil's
  fields are swapped every step, so the Laplacian of every cell update is taped (8 bytes per update,
  26 MB per call). About a third of the heat gradient is
  that tape (its records are cache-line aligned and prefetched by the reverse sweep, which reads
  the last-written part from the caches); the rest is the adjoint stencil, which in the
  scatter form an instruction-level AD produces does a read-modify-write of five neighbours per
  cell. JAX, which vectorizes GMM over all points and keeps the stencil's fields per step, is
  faster on GMM and slower on heat.
  Loop-carried scalar code (RK4, LSTM) is where enzpy is far ahead of JAX's `scan`.
- **Both cores.** numba and enzpy run on one thread here; JAX and PyTorch use both. `bench/parallel.py`
  (docs/benchmarks-parallel.md) times the same kernels' gradients with `autodiff` called on every thread
  of a `prange` loop, one chunk of the data each (user guide, section 4).
- **Allocations and page faults.** Times include what the functions allocate. numba's `np.empty`,
  `.copy()`, ... go through `malloc`; glibc gives large freed blocks back to the system, so a kernel
  that allocates big arrays faults their pages in again on every call (heat's two 512 kB fields:
  about 290 page faults per call; its primal took 1.75 ms per call in a loop of 500 calls, 1.25 ms with
  `MALLOC_TRIM_THRESHOLD_=1000000000 MALLOC_MMAP_THRESHOLD_=100000000`, `perf stat -e page-faults`).
  The gradient pays the same faults and those of the shadow arrays; how much a fault costs depends on
  the machine's state, which moves the primal more than the gradient.
- **Noise.** The machine has 2 cores; timings are medians, but another process's load shows up
  (see the load averages above). JAX and PyTorch use both cores, numba one.
"""


def plot(results, path: Path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except Exception as e:  # noqa: BLE001
        log(f"(no plot: {e})")
        return None
    series = [("enzpy", "enzpy gradient"), ("enzpy_fm", "enzpy gradient (fastmath)"),
              ("enzpy_jvp", "enzpy JVP"), ("jax", "JAX jit(grad)"), ("torch", "PyTorch eager"),
              ("autograd", "autograd")]
    names = [r["name"] for r in results]
    fig, ax = plt.subplots(figsize=(max(8, 1.3 * len(names)), 5))
    w = 0.8 / len(series)
    for k, (impl, label) in enumerate(series):
        ys = []
        for r in results:
            tp = r["impl"].get("numba", {}).get("time")
            t = r["impl"].get(impl, {}).get("time")
            ys.append(t / tp if t and tp else np.nan)
        ax.bar(np.arange(len(names)) + (k - len(series) / 2 + 0.5) * w, ys, w, label=label)
    ax.axhline(1.0, color="k", lw=0.8)
    ax.axhline(3.0, color="gray", lw=0.8, ls="--")
    ax.set_yscale("log")
    ax.set_xticks(np.arange(len(names)))
    ax.set_xticklabels(names)
    ax.set_ylabel("time / numba primal time (log)")
    ax.set_title("Gradient cost relative to the numba primal (lower is better; dashed: 3x)")
    ax.legend(fontsize=8, ncol=3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    log(f"wrote {path}")
    return path


# ============================================================================ main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smoke run: 3 timing runs, short budgets")
    ap.add_argument("--kernels", default="", help="comma-separated subset of: " + ",".join(ALL_KERNELS))
    ap.add_argument("--skip", default="", help="comma-separated frameworks to leave out: jax,torch,autograd")
    ap.add_argument("--no-c", action="store_true", help="leave out the C programs")
    ap.add_argument("--no-fastmath", action="store_true", help="leave out the fastmath=True variants")
    ap.add_argument("--out", help="Markdown report (default docs/benchmarks.md; --quick: "
                    "bench/out/benchmarks-quick.md)")
    ap.add_argument("--plot", help="PNG plot (default docs/benchmarks.png; --quick: bench/out/)")
    ap.add_argument("--json", help="raw results (default bench/out/results.json; --quick: "
                    "bench/out/results-quick.json)")
    ap.add_argument("-v", "--verbose", action="store_true", help="tracebacks of failures")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite the report and plot from the --json results of an earlier run")
    opts = ap.parse_args(argv)
    opts.min_runs = 3 if opts.quick else 5
    opts.budget = 0.3 if opts.quick else 2.0
    opts.skip = {s for s in opts.skip.split(",") if s}
    q = "-quick" if opts.quick else ""
    opts.out = opts.out or str(OUT_DIR / "benchmarks-quick.md" if opts.quick else REPO / "docs" / "benchmarks.md")
    opts.plot = opts.plot or str(OUT_DIR / "benchmarks-quick.png" if opts.quick else REPO / "docs" / "benchmarks.png")
    opts.json = opts.json or str(OUT_DIR / f"results{q}.json")
    names = [k for k in opts.kernels.split(",") if k] or ALL_KERNELS
    unknown = [k for k in names if k not in ALL_KERNELS]
    if unknown:
        ap.error(f"unknown kernels {unknown}; choose from {ALL_KERNELS}")
    wall0 = time.perf_counter()
    if opts.report_only:
        data = json.loads(Path(opts.json).read_text())
        opts.quick = data["quick"]
        opts.min_runs = 3 if opts.quick else 5
        plot_path = plot(data["kernels"], Path(opts.plot))
        write_report(data["kernels"], data["small"], data["c"], data["info"], opts, Path(opts.out),
                     plot_path, data["wall_s"])
        return

    info = machine_info()
    log("enzpy benchmarks" + (" (--quick)" if opts.quick else ""))
    log(f"machine: {info['cpu']}, {info['cores']} cores, load {info.get('load_before')}")
    for k, v in info["versions"].items():
        log(f"  {k}: {v}")
    probe = TapeProbe()               # before anything is linked
    if probe.lib is None:
        log(f"  (tape bytes not measured: {probe.why})")

    # warm up numba and enzpy on something unrelated, so first-call latencies are per kernel
    import numba
    from enzpy import Active, Reverse, autodiff
    warm = numba.njit(lambda x: x * 2.0 + 1.0)
    warm(1.0)
    autodiff(Reverse, warm, Active, Active(1.0))
    try:
        import jax
        jax.config.update("jax_enable_x64", True)
    except Exception:
        pass

    small = None
    try:
        small = small_function_bench(opts)
    except Exception as e:  # noqa: BLE001
        log(f"small-function benchmark failed: {e}")

    results, refs = [], {}
    for name in names:
        mod = importlib.import_module(f"kernels.{name}")
        kb = KernelBench(mod, opts, probe)
        try:
            results.append(kb.run())
        except Exception as e:  # noqa: BLE001
            traceback.print_exc()
            kb.r["notes"].append(f"harness error: {e}")
            results.append(kb.r)
        refs[name] = (getattr(kb, "_ref", None))
        kb._jx = None

    cres = []
    if not opts.no_c:
        log("\n=== C programs through enzpy-opt")
        for name in C_KERNELS:
            if name not in names:
                continue
            mod = importlib.import_module(f"kernels.{name}")
            kb = KernelBench(mod, opts, probe)
            rv, rg = kb.reference()
            try:
                cres.append(c_bench(name, None, opts, rg, rv))
            except Exception as e:  # noqa: BLE001
                cres.append({"name": name, "status": "fails", "message": short(str(e), 300)})
                log(f"    C {name}: {e}")

    wall = time.perf_counter() - wall0
    try:
        info["load_after"] = os.getloadavg()
    except OSError:
        pass
    OUT_DIR.mkdir(exist_ok=True)
    plot_path = plot(results, Path(opts.plot))
    Path(opts.json).parent.mkdir(parents=True, exist_ok=True)
    Path(opts.json).write_text(json.dumps({"info": info, "small": small, "kernels": results,
                                           "c": cres, "wall_s": wall, "quick": opts.quick},
                                          indent=1, default=str))
    write_report(results, small, cres, info, opts, Path(opts.out), plot_path, wall)
    log(f"total {wall / 60:.1f} min")


if __name__ == "__main__":
    main()
