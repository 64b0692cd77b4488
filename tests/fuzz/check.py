"""Differential check of one generated program (see gen.py): enzpy's reverse and forward mode
against central finite differences and against each other.

The model: a program ``f`` maps the *inputs* (its active float scalars and the initial values of
its active arrays) to the *outputs* (its float result, if any, and the final values of every
active array: an array that is only read maps to itself). ``J`` is that map's Jacobian.

* ``J_fd``: central differences, a 4-point stencil at two step sizes (1e-3 and 5e-4, relative);
  if the two disagree the point is not smooth enough to judge (a branch or ``while`` condition
  flips, a kink of ``abs``/``min``/``max`` is near) and the program is *unstable*.
* ``J_rev``: one reverse-mode call per output, seeded with that output's unit vector (the array
  shadows hold the seed; the float result has the ``Active`` seed 1, or the result is ``Const``).
* ``J_fwd``: one forward-mode call per input, with that input's unit tangent.
* the dot-product test ``<J v, w> == <v, J^T w>`` for random ``v``, ``w`` (one forward and one
  reverse call).

How the calls are made varies with the program's seed: ``Reverse`` or ``ReverseWithPrimal`` (the
primal result is checked), ``Forward`` or ``ForwardWithPrimal``, some float arguments ``Const``,
array arguments (and their shadows) C-contiguous, strided (``base[1::2]``) or reversed
(``base[::-1]``), some arrays ``DuplicatedNoNeed``, and for some programs ``autodiff`` is called
from inside an ``@njit`` wrapper instead of from Python.

long arrays: the program's numba loops over arrays are vectorized (bodies of 8 to 32 elements and
remainders), which arrays of 3 to 7 entries never run; so for some programs the arrays get 19 to 41
entries (the floats and integers stay), and the exact program and its ``fastmath=True`` variants
(every function ``@njit(fastmath=True)``: reassociated reductions, vector math), float64 and float32,
are checked there against the exact program's central differences (rtol 1e-6, float32 1e-3), forward
vs reverse and the dot test (fastmath: rtol 1e-8; float32: the dot test, rtol 1e-4). There too, batch
mode (``BatchDuplicated``, 2 to 6 directions per call) must give the exact program's Jacobians of one
call per direction (rtol 1e-12), and so must split mode (``ReverseSplitWithPrimal``) with every primal
array overwritten with NaN between its forward and its reverse pass (the reverse pass reads only its
tape).

float64: ``J_rev`` and ``J_fwd`` vs ``J_fd`` with rtol 1e-6; the dot test with rtol 1e-10 (of
``|w|^T |J| |v|``) plus the forward-vs-reverse comparison's absolute floor (1e-12 of the output scale
per entry, weighted by ``|w|`` and ``|v|``). float32: the same program with ``F = np.float32`` and float32 arguments,
``J_rev``/``J_fwd`` vs the float64 ``J_fd`` with rtol 1e-3.

Classification of a program: ``ok``, ``wrong`` (a derivative mismatch), ``unsupported`` (enzpy
raised ``EnzpyError``; the message's class is recorded), ``unstable`` (finite differences are not
reliable at the point and the AD results agree with each other), ``crash`` (any other exception;
``run.py`` adds a dying worker or a hang), ``invalid`` (the generated primal itself fails: a
generator bug).

``python3 tests/fuzz/check.py SEED [SEED...]`` checks single programs and prints the details.
"""
from __future__ import annotations

import dataclasses
import json
import math
import re
import sys
import time
import traceback
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from fuzz import gen  # noqa: E402

H1, H2 = 1e-3, 5e-4          # finite-difference steps (relative), 4-point stencil
RTOL64, RTOL32 = 1e-6, 1e-3
DOT_RTOL64, DOT_RTOL32 = 1e-10, 1e-4
AGREE_RTOL64 = 1e-9          # forward vs reverse, elementwise (float64)
# fastmath=True (float64): the primal and its derivatives may reassociate sums and call vector math
# functions (a few ulp), so they agree with the exact program only to rounding amplified by cancellation
FM_PRIMAL_RTOL, FM_AGREE_RTOL, FM_DOT_RTOL = 1e-9, 1e-8, 1e-8
BATCH_RTOL = 1e-12            # batch mode (N directions per call) vs one call per direction


class Mismatch(Exception):
    pass


# ----------------------------------------------------------------------------- the I/O model
class Model:
    """Inputs and outputs of a program for one activity pattern and one float type."""

    def __init__(self, prog: gen.Program, f, dtype, active: dict, vals: dict, layout="C",
                 noneed=(), inside=False):
        self.prog, self.f, self.dtype = prog, f, np.dtype(dtype).type
        self.layout = layout          # of every array argument and shadow: C, strided, reversed
        self.noneed = set(noneed)     # arrays passed as DuplicatedNoNeed
        self.inside = inside          # call autodiff from inside an @njit wrapper
        self.active = active          # param name -> bool (differentiated or Const)
        self.vals = vals              # param name -> value (float64 / int)
        self.params = prog.params
        self.in_slices, n = {}, 0
        for p in self.params:
            if p.kind == "float" and active[p.name]:
                self.in_slices[p.name] = slice(n, n + 1)
                n += 1
            elif p.kind == "pair" and active[p.name]:
                self.in_slices[p.name] = slice(n, n + 2)
                n += 2
            elif p.kind in ("array", "array2") and active[p.name]:
                self.in_slices[p.name] = slice(n, n + self.size(p))
                n += self.size(p)
        self.n_in = n
        self.out_slices, m = {}, 0
        if prog.returns_float:
            self.out_slices["<return>"] = slice(0, 1)
            m = 1
        for p in self.params:
            if p.kind in ("array", "array2") and active[p.name]:
                self.out_slices[p.name] = slice(m, m + self.size(p))
                m += self.size(p)
        self.n_out = m

    def size(self, p) -> int:
        return self.prog.shape2[0] * self.prog.shape2[1] if p.kind == "array2" else self.prog.length

    def make(self, values, kind="array") -> np.ndarray:
        """An array of this model's dtype and layout holding `values` (flat or shaped; 2-d
        arrays: C order, strided columns ``[:, 1::2]``, or Fortran order for "reversed")."""
        values = np.asarray(values, dtype=self.dtype)
        if kind == "array2":
            values = values.reshape(self.prog.shape2)
            rows, cols = values.shape
            if self.layout == "strided":
                a = np.zeros((rows, 2 * cols + 1), dtype=self.dtype)[:, 1::2]
            elif self.layout == "reversed":
                a = np.zeros((cols, rows), dtype=self.dtype).T
            else:
                a = np.zeros((rows, cols), dtype=self.dtype)
            a[...] = values
            return a
        values = values.ravel()
        if self.layout == "strided":
            a = np.zeros(2 * values.shape[0] + 1, dtype=self.dtype)[1::2]
        elif self.layout == "reversed":
            a = np.zeros(values.shape[0], dtype=self.dtype)[::-1]
        else:
            a = np.zeros(values.shape[0], dtype=self.dtype)
        a[:] = values
        return a

    def x0(self) -> np.ndarray:
        x = np.zeros(self.n_in)
        for name, s in self.in_slices.items():
            x[s] = np.ravel(self.vals[name])
        return x

    def args(self, x=None) -> list:
        """Plain arguments of f (fresh array copies) at input vector x (default: the point)."""
        out = []
        for p in self.params:
            v = self.vals[p.name]
            if p.name in self.in_slices and x is not None:
                v = x[self.in_slices[p.name]]
                v = v[0] if p.kind == "float" else v
            if p.kind == "float":
                out.append(self.dtype(v))
            elif p.kind == "pair":
                out.append((self.dtype(v[0]), self.dtype(v[1])))
            elif p.kind in ("array", "array2"):
                out.append(self.make(v, p.kind))
            else:
                out.append(int(v))
        return out

    def outputs(self, ret, args) -> np.ndarray:
        y = np.zeros(self.n_out)
        if self.prog.returns_float:
            y[0] = float(ret)
        for p, a in zip(self.params, args):
            if p.name in self.out_slices:
                y[self.out_slices[p.name]] = np.ravel(a)
        return y

    def primal(self, x=None) -> np.ndarray:
        args = self.args(x)
        ret = self.f(*args)
        return self.outputs(ret, args)


# ----------------------------------------------------------------------------- finite differences
def fd_jacobian(m: Model):
    """(J at step H2, |J(H1) - J(H2)|, y0); the 4-point stencil (f(-2h) - 8f(-h) + 8f(h) - f(2h)) / 12h."""
    x0 = m.x0()
    y0 = m.primal(x0)
    J1 = np.zeros((m.n_out, m.n_in))
    J2 = np.zeros((m.n_out, m.n_in))
    for j in range(m.n_in):
        scale = max(1.0, abs(x0[j]))
        ev = {}
        for k in (-4, -2, -1, 1, 2, 4):          # multiples of H2 (H1 = 2 H2)
            x = x0.copy()
            x[j] += k * H2 * scale
            ev[k] = m.primal(x)
        for J, h, a, b in ((J1, H1, 2, 4), (J2, H2, 1, 2)):
            J[:, j] = (8 * (ev[a] - ev[-a]) - (ev[b] - ev[-b])) / (12 * h * scale)
    return J2, np.abs(J1 - J2), y0


# ----------------------------------------------------------------------------- AD calls
def _enzpy():
    import enzpy
    return enzpy


_wrappers: dict = {}


def call_autodiff(m: Model, mode, ret, args):
    """``autodiff(mode, m.f, ret, *args)``, from Python or (m.inside) from an @njit wrapper."""
    E = _enzpy()
    if not m.inside:
        return E.autodiff(mode, m.f, ret, *args)
    annotations = (E.Const, E.Active, E.Duplicated, E.DuplicatedNoNeed)
    kinds = tuple(type(a).__name__ if isinstance(a, annotations) else "plain" for a in args)
    key = (id(m.f), mode.name, ret.__name__, kinds)
    hit = _wrappers.get(key)
    if hit is None or hit[0] is not m.f:
        params, parts, values = [], [], []
        for i, k in enumerate(kinds):
            if k == "plain":
                params.append(f"v{i}")
                parts.append(f"v{i}")
            elif k in ("Duplicated", "DuplicatedNoNeed"):
                params += [f"v{i}", f"d{i}"]
                parts.append(f"{k}(v{i}, d{i})")
            else:
                params.append(f"v{i}")
                parts.append(f"{k}(v{i})")
        src = (f"def wrapper({', '.join(params)}):\n"
               f"    return autodiff({mode.name}, F, {ret.__name__}, {', '.join(parts)})\n")
        ns = {n: getattr(E, n) for n in ("autodiff", "Active", "Const", "Duplicated",
                                         "DuplicatedNoNeed", mode.name, ret.__name__)}
        ns["F"] = m.f
        exec(compile(src, "<fuzz njit wrapper>", "exec"), ns)
        from numba import njit
        hit = _wrappers[key] = (m.f, njit(ns["wrapper"]))
    values = []
    for a, k in zip(args, kinds):
        if k == "plain":
            values.append(a)
        elif k in ("Duplicated", "DuplicatedNoNeed"):
            values += [a.val, a.dval]
        else:
            values.append(a.val)
    return hit[1](*values)


def reverse_rows(m: Model, mode, seeds: list) -> list:
    """J^T w for each seed w (a vector over the outputs; its return entry must be 1 if f
    returns a float, the Active seed). Also returns the primal results for the WithPrimal mode."""
    E = _enzpy()
    rows, primals = [], []
    for w in seeds:
        args, shadows = [], {}
        plain = m.args()
        for p, v in zip(m.params, plain):
            if not m.active[p.name]:
                args.append(E.Const(v) if p.kind != "int" else v)     # a bare int is Const
            elif p.kind in ("float", "pair"):
                args.append(E.Active(v))
            else:
                dv = m.make(w[m.out_slices[p.name]], p.kind)
                shadows[p.name] = dv
                dup = E.DuplicatedNoNeed if p.name in m.noneed else E.Duplicated
                args.append(dup(v, dv))
        ret = E.Active if m.prog.returns_float else E.Const
        res = call_autodiff(m, mode, ret, args)
        if mode is E.ReverseWithPrimal:
            primal, adjs = res
            primals.append((primal, plain))
        else:
            (adjs,) = res
        g = np.zeros(m.n_in)
        for i, p in enumerate(m.params):
            if p.name not in m.in_slices:
                if adjs[i] is not None:
                    raise Mismatch(f"reverse: adjoint of inactive argument {p.name} is {adjs[i]!r}")
                continue
            if p.kind == "float":
                if not isinstance(adjs[i], (float, np.floating)):
                    raise Mismatch(f"reverse: adjoint of {p.name} is {adjs[i]!r}")
                g[m.in_slices[p.name]] = adjs[i]
            elif p.kind == "pair":
                if not (isinstance(adjs[i], tuple) and len(adjs[i]) == 2):
                    raise Mismatch(f"reverse: adjoint of the tuple {p.name} is {adjs[i]!r}")
                g[m.in_slices[p.name]] = adjs[i]
            else:
                if adjs[i] is not None:
                    raise Mismatch(f"reverse: adjoint of array {p.name} is {adjs[i]!r}, not None")
                g[m.in_slices[p.name]] = np.ravel(shadows[p.name])
        rows.append(g)
    return rows, primals


def forward_cols(m: Model, mode, tangents: list):
    """J v for each tangent v (a vector over the inputs)."""
    E = _enzpy()
    cols, primals = [], []
    for v in tangents:
        args, shadows = [], {}
        plain = m.args()
        for p, val in zip(m.params, plain):
            if not m.active[p.name]:
                args.append(E.Const(val))
            elif p.kind == "float":
                args.append(E.Duplicated(val, m.dtype(v[m.in_slices[p.name]][0])))
            elif p.kind == "pair":
                t = v[m.in_slices[p.name]]
                args.append(E.Duplicated(val, (m.dtype(t[0]), m.dtype(t[1]))))
            else:
                dv = m.make(v[m.in_slices[p.name]], p.kind)
                shadows[p.name] = dv
                dup = E.DuplicatedNoNeed if p.name in m.noneed else E.Duplicated
                args.append(dup(val, dv))
        ret = E.Duplicated if m.prog.returns_float else E.Const
        res = call_autodiff(m, mode, ret, args)
        with_primal = mode is E.ForwardWithPrimal
        want = (1 if with_primal else 0) + (1 if m.prog.returns_float else 0)
        if not isinstance(res, tuple) or len(res) != want:
            raise Mismatch(f"forward: result {res!r} (expected a tuple of {want})")
        if with_primal:
            primals.append((res[0], plain))
        t = np.zeros(m.n_out)
        if m.prog.returns_float:
            t[0] = float(res[-1])
        for name, s in m.out_slices.items():
            if name != "<return>":
                t[s] = np.ravel(shadows[name])
        cols.append(t)
    return cols, primals


def ad_jacobians(m: Model, rev_mode, fwd_mode, rng):
    """(J_rev, J_fwd, dot-test numbers, primal checks)."""
    n_in, n_out = m.n_in, m.n_out
    seeds = []
    r0 = 1.0 if m.prog.returns_float else 0.0
    base = np.zeros(n_out)
    if m.prog.returns_float:
        base[0] = 1.0
    seeds.append(base.copy())
    for k in range(1 if m.prog.returns_float else 0, n_out):
        w = base.copy()
        w[k] += 1.0
        seeds.append(w)
    w_rand = rng.standard_normal(n_out)
    if m.prog.returns_float:
        w_rand[0] = 1.0
    seeds.append(w_rand)
    rows, rprim = reverse_rows(m, rev_mode, seeds)
    Jr = np.zeros((n_out, n_in))
    base_row = rows[0] if m.prog.returns_float else np.zeros(n_in)
    if m.prog.returns_float:
        Jr[0] = rows[0]
    for k, row in zip(range(1 if m.prog.returns_float else 0, n_out), rows[1:-1]):
        Jr[k] = row - base_row if m.prog.returns_float else row
    g_rand = rows[-1]
    del r0
    tangents = [np.eye(n_in)[j] for j in range(n_in)]
    v_rand = rng.standard_normal(n_in)
    tangents.append(v_rand)
    cols, fprim = forward_cols(m, fwd_mode, tangents)
    Jf = np.array(cols[:-1]).T.reshape(n_out, n_in) if n_in else np.zeros((n_out, 0))
    t_rand = cols[-1]
    dot = (float(t_rand @ w_rand), float(v_rand @ g_rand),
           float(np.abs(w_rand) @ np.abs(Jf) @ np.abs(v_rand)),
           float(np.sum(np.abs(w_rand)) * np.sum(np.abs(v_rand))))
    return Jr, Jf, dot, rprim + fprim


def compare(name, J, Jfd, rtol, atol):
    """Elementwise |J - Jfd| <= rtol (|Jfd| + rowscale) + atol; raises Mismatch with the worst entry."""
    if J.shape != Jfd.shape:
        raise Mismatch(f"{name}: shape {J.shape} vs {Jfd.shape}")
    if not np.all(np.isfinite(J)):
        bad = np.argwhere(~np.isfinite(J))[0]
        raise Mismatch(f"{name}: non-finite entry {tuple(bad)} = {J[tuple(bad)]}")
    if J.size == 0:
        return
    rowscale = np.max(np.abs(Jfd), axis=1, keepdims=True)
    tol = rtol * (np.abs(Jfd) + rowscale) + atol
    err = np.abs(J - Jfd)
    if np.any(err > tol):
        k = np.unravel_index(np.argmax(err / tol), err.shape)
        raise Mismatch(f"{name}: entry (out {k[0]}, in {k[1]}) is {J[k]!r}, expected {Jfd[k]!r} "
                       f"(tolerance {tol[k]:.3g}; {int(np.sum(err > tol))} of {err.size} entries off)")


def check_primals(m: Model, prim, y0, rtol):
    for primal, args in prim:
        if m.prog.returns_float:
            if primal is None or not math.isclose(float(primal), float(y0[0]), rel_tol=rtol,
                                                  abs_tol=rtol):
                raise Mismatch(f"WithPrimal mode: primal {primal!r}, expected {y0[0]!r}")
        elif primal is not None:
            raise Mismatch(f"WithPrimal mode: primal {primal!r}, expected None")


# ----------------------------------------------------------------------------- error classes
def error_class(msg: str) -> str:
    """A short, stable class for an EnzpyError message."""
    m = re.search(r"no derivative rule for external function @([\w.$]+)", msg)
    if m:
        name = re.sub(r"(\.(v\d+)?[fi]\d+|\.p\d+|\.v\d+\w*)+$", "", m.group(1))
        return f"no derivative rule for @{name}"
    m = re.search(r"for argument types \(.*?\): (.*)", msg, re.S)
    text = m.group(1) if m else msg
    text = text.strip().splitlines()[0] if text.strip() else msg
    text = re.sub(r"`[^`]*`", "`...`", text)
    text = re.sub(r"%[\w.]+", "%v", text)
    text = re.sub(r"\d+", "N", text)
    return text[:120]


# ----------------------------------------------------------------------------- one program
def plan(prog: gen.Program, rng):
    """Activity (which parameters are Const) and the modes, drawn from the program's seed."""
    active = {}
    for p in prog.params:
        if p.kind == "int":
            active[p.name] = False
        elif p.kind in ("float", "pair"):
            active[p.name] = rng.random() >= 0.15
        else:   # an array that the program writes must be active (no derivative is lost)
            active[p.name] = p.role != "in" or rng.random() >= 0.1
    rev_wp, fwd_wp = bool(rng.random() < 0.5), bool(rng.random() < 0.5)
    layout = str(rng.choice(["C", "C", "C", "C", "C", "strided", "reversed"]))
    noneed = [p.name for p in prog.params if p.kind in ("array", "array2") and active[p.name]
              and rng.random() < 0.15]
    inside = bool(rng.random() < 0.15)
    return active, rev_wp, fwd_wp, layout, noneed, inside


def unit_output_seeds(m: Model) -> list:
    """The reverse-mode seeds e_k over the outputs, one per row of J. A float result is seeded 1 by
    its Active annotation in every call, so its row comes from a seed whose arrays are all zero, and
    the other rows carry it too (see :func:`rows_to_jacobian`)."""
    seeds = [np.zeros(m.n_out)] if m.prog.returns_float else []
    return seeds + [np.eye(m.n_out)[k] for k in range(1 if m.prog.returns_float else 0, m.n_out)]


def rows_to_jacobian(m: Model, rows: list) -> np.ndarray:
    """J_rev from the gradients of the seeds of :func:`unit_output_seeds`."""
    J = np.array(rows).reshape(len(rows), m.n_in)
    if m.prog.returns_float and rows:
        J[1:] -= J[0]            # the rows of the arrays, without the float result's contribution
    return J


def batch_jacobians(m: Model, rev_mode, fwd_mode, width: int):
    """(J_rev, J_fwd) from batch-mode calls (``BatchDuplicated``, `width` directions per call, the
    last batch narrower): reverse rows for the unit output seeds, forward columns for the unit
    tangents. From Python; programs with tuple arguments are not batched, and J_rev is None for
    programs without active arrays (reverse mode has nothing to batch there)."""
    E = _enzpy()
    n_in, n_out = m.n_in, m.n_out
    ret_float = m.prog.returns_float

    def unpack(res, with_primal):
        return res[1:] if with_primal else res

    # reverse: the unit seeds over the outputs (a float result is seeded 1 in every lane); nothing to
    # batch without an active array (Active floats carry no seed)
    seeds = unit_output_seeds(m) if any(m.active[p.name] for p in m.params
                                        if p.kind in ("array", "array2")) else []
    rows = []
    for b in range(0, len(seeds), width):
        batch = seeds[b:b + width]
        args, shadows = [], {}
        for p, v in zip(m.params, m.args()):
            if not m.active[p.name]:
                args.append(E.Const(v) if p.kind != "int" else v)
            elif p.kind == "float":
                args.append(E.Active(v))
            else:
                shadows[p.name] = tuple(m.make(w[m.out_slices[p.name]], p.kind) for w in batch)
                args.append(E.BatchDuplicated(v, shadows[p.name]))
        res = E.autodiff(rev_mode, m.f, E.Active if ret_float else E.Const, *args)
        (adjs,) = unpack(res, rev_mode is E.ReverseWithPrimal)
        for k in range(len(batch)):
            g = np.zeros(n_in)
            for i, p in enumerate(m.params):
                if p.name not in m.in_slices:
                    continue
                if p.kind == "float":
                    if not (isinstance(adjs[i], tuple) and len(adjs[i]) == len(batch)):
                        raise Mismatch(f"batch reverse: adjoint of {p.name} is {adjs[i]!r}")
                    g[m.in_slices[p.name]] = adjs[i][k]
                else:
                    g[m.in_slices[p.name]] = np.ravel(shadows[p.name][k])
            rows.append(g)
    Jr = rows_to_jacobian(m, rows) if rows else None
    # forward: unit tangents e_j over the inputs
    cols = []
    for b in range(0, n_in, width):
        batch = [np.eye(n_in)[j] for j in range(b, min(n_in, b + width))]
        args, shadows = [], {}
        for p, val in zip(m.params, m.args()):
            if not m.active[p.name]:
                args.append(E.Const(val))
            elif p.kind == "float":
                args.append(E.BatchDuplicated(val, tuple(m.dtype(t[m.in_slices[p.name]][0]) for t in batch)))
            else:
                shadows[p.name] = tuple(m.make(t[m.in_slices[p.name]], p.kind) for t in batch)
                args.append(E.BatchDuplicated(val, shadows[p.name]))
        res = E.autodiff(fwd_mode, m.f, E.Duplicated if ret_float else E.Const, *args)
        res = unpack(res, fwd_mode is E.ForwardWithPrimal)
        for k in range(len(batch)):
            t = np.zeros(n_out)
            if ret_float:
                t[0] = float(res[0][k])
            for name, sl in m.out_slices.items():
                if name != "<return>":
                    t[sl] = np.ravel(shadows[name][k])
            cols.append(t)
    Jf = np.array(cols).T.reshape(n_out, n_in) if n_in else np.zeros((n_out, 0))
    return Jr, Jf


def split_jacobian(m: Model):
    """J_rev from split mode (``autodiff_thunk(ReverseSplitWithPrimal, ...)``), one output seed per
    call, with every primal array argument overwritten with NaN between the forward and the reverse
    pass: the reverse pass must read only its tape (docs/user-guide.md, split mode). Also returns
    the primal results of the forward passes."""
    E = _enzpy()
    ret_float = m.prog.returns_float
    specs = [E.Const if not m.active[p.name] else E.Active if p.kind in ("float", "pair")
             else E.Duplicated for p in m.params]
    fwd, rev = E.autodiff_thunk(E.ReverseSplitWithPrimal, m.f, E.Active if ret_float else E.Const,
                                *specs)
    rows, primals = [], []
    for w in unit_output_seeds(m):
        args, shadows, plain = [], {}, m.args()
        for p, v, spec in zip(m.params, plain, specs):
            if spec is E.Duplicated:
                shadows[p.name] = m.make(w[m.out_slices[p.name]], p.kind)
                args.append(E.Duplicated(v, shadows[p.name]))
            else:
                args.append(spec(v))
        tape, primal, _ = fwd(E.Const(m.f), *args)
        outputs = m.outputs(primal if ret_float else 0.0, plain)
        for v in plain:
            if isinstance(v, np.ndarray):
                v[...] = np.nan
        (adjs,) = rev(E.Const(m.f), *args, *([1.0] if ret_float else []), tape)
        primals.append(outputs)
        g = np.zeros(m.n_in)
        for i, p in enumerate(m.params):
            if p.name in m.in_slices:
                g[m.in_slices[p.name]] = (np.ravel(shadows[p.name]) if p.name in shadows
                                          else adjs[i])
        rows.append(g)
    return rows_to_jacobian(m, rows), primals


def long_inputs(prog: gen.Program, seed: int, vals: dict):
    """(the program with arrays of 19..41 entries, its inputs) or None: the same floats and integers
    as `vals`, so that loops over an array run through vectorized bodies and their remainders. None
    for programs that index the 7-entry global constant array with a loop index."""
    if "global-const-array" in prog.features:
        return None
    long = dataclasses.replace(prog, length=19 + seed % 23)
    lv = long.inputs(seed_offset=1)
    return long, {p.name: (lv[p.name] if p.kind == "array" else vals[p.name]) for p in prog.params}


def check_long(prog, f64, seed, active, vals, layout, noneed, inside, rev_mode, fwd_mode, res):
    """The long-array stage: the exact program (`f64`, compiled already) and its ``fastmath=True``
    variants (float64, float32), at inputs with arrays long enough to run vectorized loop bodies,
    against central differences of the exact one; batch and split mode of the exact one against its
    plain calls (raises Mismatch; what makes the stage unjudgeable goes to res["long_skipped"], and the program
    keeps the class its short arrays gave it)."""
    made = long_inputs(prog, seed, vals)
    if made is None:
        return
    long, lvals = made
    t0 = time.perf_counter()
    m = Model(long, f64, np.float64, active, lvals, layout, noneed, inside)   # f64: already compiled
    with np.errstate(all="ignore"):
        Jfd, fd_err, y0 = fd_jacobian(m)
    if not np.all(np.isfinite(y0)) or np.max(np.abs(y0), initial=0.0) > 1e8:
        res["long_skipped"] = "primal value not finite or huge"
        return
    ysc = max(1.0, float(np.max(np.abs(y0), initial=0.0)))
    atol = 1e-9 * ysc
    rowscale = np.max(np.abs(Jfd), axis=1, keepdims=True) if Jfd.size else 0.0
    if not (np.all(np.isfinite(Jfd)) and np.all(fd_err <= 0.1 * (RTOL64 * (np.abs(Jfd) + rowscale) + atol))):
        res["long_skipped"] = "finite differences disagree between steps"
        return
    # (name, float type, fastmath, rtol of its primal against the exact one, of the derivatives' primal
    # results, of forward vs reverse (None: not compared), of the dot test, of the comparison with FD)
    for name, dtype, fastmath, prim_rtol, own_rtol, agree_rtol, dot_rtol, fd_rtol in (
            ("long", np.float64, False, 1e-12, 1e-12, AGREE_RTOL64, DOT_RTOL64, RTOL64),
            ("fastmath", np.float64, True, FM_PRIMAL_RTOL, FM_PRIMAL_RTOL, FM_AGREE_RTOL, FM_DOT_RTOL, RTOL64),
            ("fastmath float32", np.float32, True, 1e-3, 1e-5, None, DOT_RTOL32, RTOL32)):
        mv = m if not fastmath else Model(long, prog.compile(dtype, fastmath=True), dtype, active, lvals,
                                          layout, noneed, inside)
        yv = mv.primal()
        if not np.allclose(yv, y0, rtol=prim_rtol, atol=prim_rtol * ysc):
            res["long_skipped"] = f"{name}: primal differs from the exact one (ill-conditioned)"
            continue
        Jr, Jf, dot, prim = ad_jacobians(mv, rev_mode, fwd_mode, np.random.default_rng(seed + 2))
        check_primals(mv, prim, yv, own_rtol)
        if agree_rtol is not None:
            compare(f"{name} forward vs reverse", Jf, Jr, agree_rtol, 1e-12 * ysc)
        a, b, scale, wv = dot
        if not abs(a - b) <= dot_rtol * scale + (1e-12 if dtype is np.float64 else 1e-6) * ysc * wv:
            raise Mismatch(f"{name} dot test: <J v, w> = {a!r}, <v, J^T w> = {b!r} (scale {scale:.3g})")
        fd_atol = atol if dtype is np.float64 else 1e-4 * ysc
        compare(f"{name} reverse vs FD", Jr, Jfd, fd_rtol, fd_atol)
        compare(f"{name} forward vs FD", Jf, Jfd, fd_rtol, fd_atol)
        if not fastmath and not any(p.kind == "pair" for p in prog.params):
            width = 2 + seed % 5
            Jrb, Jfb = batch_jacobians(mv, rev_mode, fwd_mode, width)
            if Jrb is not None:
                compare(f"batch (width {width}) reverse vs reverse", Jrb, Jr, BATCH_RTOL, 1e-13 * ysc)
            compare(f"batch (width {width}) forward vs forward", Jfb, Jf, BATCH_RTOL, 1e-13 * ysc)
            res["batch"] = width
        if not fastmath:
            Js, split_primals = split_jacobian(mv)
            for y in split_primals:
                if not np.allclose(y, yv, rtol=1e-12, atol=1e-12 * ysc):
                    raise Mismatch(f"split mode: forward pass outputs {y!r}, expected {yv!r}")
            compare("split mode (primal arrays overwritten before the reverse pass) vs reverse", Js, Jr,
                    BATCH_RTOL, 1e-13 * ysc)
            res["split"] = len(split_primals)
    res["long"] = long.length
    res["times"]["long"] = time.perf_counter() - t0


def check_program(seed: int, f32: bool = True, long: bool = True) -> dict:
    """Classify the program of `seed`; returns a JSON-able dict. f32, long: check its float32 and
    its long-array variants (exact and ``fastmath=True``) too."""
    t0 = time.perf_counter()
    res = {"seed": seed, "class": None, "detail": "", "times": {}}
    try:
        prog = gen.generate(seed)
    except Exception as e:                 # pragma: no cover (generator bug)
        res.update({"class": "invalid", "detail": f"generator: {type(e).__name__}: {e}"})
        return res
    res["features"] = sorted(prog.features)
    rng = np.random.default_rng(seed)
    active, rev_wp, fwd_wp, layout, noneed, inside = plan(prog, rng)
    vals = prog.inputs()
    res["f32"], res["long"] = f32, None
    # ---- primal (float64) and finite differences
    try:
        f64 = prog.compile(np.float64)
        m64 = Model(prog, f64, np.float64, active, vals, layout, noneed, inside)
        y0 = m64.primal()
        res["times"]["primal"] = time.perf_counter() - t0
    except Exception as e:
        res.update({"class": "invalid", "detail": f"primal: {type(e).__name__}: {e}"[:2000]})
        return res
    if not np.all(np.isfinite(y0)) or np.max(np.abs(y0), initial=0.0) > 1e8:
        res.update({"class": "unstable", "detail": "primal value not finite or huge"})
        return res
    with np.errstate(all="ignore"):
        Jfd, fd_err, _ = fd_jacobian(m64)
    ysc = max(1.0, float(np.max(np.abs(y0), initial=0.0)))
    atol64 = 1e-9 * ysc
    rowscale = np.max(np.abs(Jfd), axis=1, keepdims=True) if Jfd.size else 0.0
    tol64 = RTOL64 * (np.abs(Jfd) + rowscale) + atol64
    fd_ok = bool(np.all(np.isfinite(Jfd)) and np.all(fd_err <= 0.1 * tol64))
    res["n_in"], res["n_out"] = m64.n_in, m64.n_out
    E = _enzpy()
    rev_mode = E.ReverseWithPrimal if rev_wp else E.Reverse
    fwd_mode = E.ForwardWithPrimal if fwd_wp else E.Forward
    res["modes"] = [rev_mode.name, fwd_mode.name]
    res["calls"] = {"layout": layout, "noneed": noneed, "inside_njit": inside,
                    "const": [k for k, v in active.items() if not v]}
    problems = []
    stage = "float64"
    try:
        t1 = time.perf_counter()
        Jr, Jf, dot, prim = ad_jacobians(m64, rev_mode, fwd_mode, np.random.default_rng(seed + 1))
        res["times"]["ad64"] = time.perf_counter() - t1
        check_primals(m64, prim, y0, 1e-12)
        # forward and reverse agree with each other (valid even where FD is not)
        compare("float64 forward vs reverse", Jf, Jr, AGREE_RTOL64, 1e-12 * ysc)
        # floor: the absolute tolerance of the forward-vs-reverse comparison, summed over the entries
        # (a derivative that is itself a cancellation, e.g. 1 + cosh(sin u) cos u = 6e-8, is only
        # known to eps of its terms, and forward and reverse round differently)
        a, b, scale, wv = dot
        if not abs(a - b) <= DOT_RTOL64 * scale + 1e-12 * ysc * wv:
            raise Mismatch(f"float64 dot test: <J v, w> = {a!r}, <v, J^T w> = {b!r} (scale {scale:.3g})")
        if fd_ok:
            compare("float64 reverse vs FD", Jr, Jfd, RTOL64, atol64)
            compare("float64 forward vs FD", Jf, Jfd, RTOL64, atol64)
        if f32 and fd_ok:
            stage = "float32"
            t2 = time.perf_counter()
            f32f = prog.compile(np.float32)
            m32 = Model(prog, f32f, np.float32, active, vals, layout, noneed, inside)
            y32 = m32.primal()
            if not np.allclose(y32, y0, rtol=1e-3, atol=1e-3 * ysc):
                problems.append("float32 primal differs from float64 (ill-conditioned)")
            else:
                Jr32, Jf32, dot32, prim32 = ad_jacobians(m32, rev_mode, fwd_mode,
                                                         np.random.default_rng(seed + 1))
                res["times"]["ad32"] = time.perf_counter() - t2
                check_primals(m32, prim32, y32, 1e-6)
                compare("float32 reverse vs float64 FD", Jr32, Jfd, RTOL32, 1e-4 * ysc)
                compare("float32 forward vs float64 FD", Jf32, Jfd, RTOL32, 1e-4 * ysc)
                a, b, scale, wv = dot32
                if not abs(a - b) <= DOT_RTOL32 * scale + 1e-6 * ysc * wv:
                    raise Mismatch(f"float32 dot test: <J v, w> = {a!r}, <v, J^T w> = {b!r}")
        if long and fd_ok:
            stage = "long arrays"
            check_long(prog, f64, seed, active, vals, layout, noneed, inside, rev_mode, fwd_mode, res)
    except Mismatch as e:
        res.update({"class": "wrong", "detail": str(e)})
    except E.EnzpyError as e:
        res.update({"class": "unsupported", "detail": f"{stage}: {e}"[:3000],
                    "error_class": error_class(str(e))})
    except Exception as e:
        res.update({"class": "crash", "detail": f"{stage}: {type(e).__name__}: {e}\n"
                    + traceback.format_exc()[-3000:]})
    if res["class"] is None:
        if not fd_ok:
            res.update({"class": "unstable", "detail": "finite differences disagree between steps"})
        elif problems:
            res.update({"class": "unstable", "detail": "; ".join(problems)})
        else:
            res["class"] = "ok"
    res["times"]["total"] = time.perf_counter() - t0
    return res


def worker_main():
    """Read seeds (one per line: ``SEED F32``) from stdin, answer one ``@@FUZZ {json}`` line each."""
    import warnings
    warnings.simplefilter("ignore")
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        seed, f32, *long = line.split()
        r = check_program(int(seed), f32 == "1", long == ["1"])
        out.write("@@FUZZ " + json.dumps(r) + "\n")
        out.flush()


if __name__ == "__main__":
    if sys.argv[1:] == ["--worker"]:
        worker_main()
    else:
        for s in sys.argv[1:]:
            prog = gen.generate(int(s))
            print(prog.source)
            r = check_program(int(s))
            print(json.dumps(r, indent=1))
