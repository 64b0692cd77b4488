"""Random C programs for differential fuzzing of ``enzpy-opt``'s derivatives (Enzyme's C ABI).

``generate(seed)`` returns a :class:`CProgram`: one C file that defines a function

    double f(double *x, double *y, const double *w, int n, double p[, double q])

(``x``: an active input array, ``y``: an active array that ``f`` reads and writes, ``w``: a
constant array, ``n``: the length of the arrays, ``p``, ``q``: float scalars), its helpers, and a
driver ``main`` that calls ``f`` through ``__enzyme_autodiff`` (combined or split reverse mode:
``__enzyme_augmentfwd`` / ``__enzyme_reverse``) and ``__enzyme_fwddiff`` and prints, one
``TAG INDEX VALUE`` line each (``%.17g``):

* ``P 0`` the primal result ``r`` and ``Y i`` the final ``y`` of a plain call;
* ``G j`` the gradient of ``phi = r + <wy, y_final>`` (``wy``: a fixed seed of ``y``'s shadow) over
  the inputs, in the order ``p`` (and ``q``) if active, ``x[0..n-1]``, ``y[0..n-1]`` (the initial
  values of ``y``), from one reverse-mode call; ``A i`` the ``y`` that call left;
* ``T 0`` the tangent of ``r`` and ``V i`` the tangent of ``y`` from one forward-mode call with
  the tangent ``v`` (``U j``, same order as ``G``); ``B i`` the ``y`` it left;
* ``D j k`` ``phi`` at input ``j`` moved by ``k`` steps (``k`` in -4 -2 -1 1 2 4; the step is
  ``H * max(1, |input|)``), for central finite differences (crun.py).

What ``f`` may contain (each drawn from the seed): expression DAGs over ``+ - * /`` and libm
(``sin cos tan exp exp2 expm1 log log2 log10 log1p sqrt cbrt pow hypot atan atan2 tanh sinh cosh
asinh erf fabs fmax fmin fmod copysign``, and ``float`` variants ``sinf expf ...`` now and then),
arguments kept in the functions' smooth domains (``log(1 + e*e)``, ``sqrt(0.5 + e*e)``, bounded
arguments of ``exp``; large values are squashed with ``atan``/``tanh``/...), ``if``/``else`` and
ternaries on values, ``for`` loops over ``n`` (3 to 40, so that clang's vectorizer runs some
loop bodies) with reductions and recurrences, nested and triangular loops, ``break``, a ``while``
loop with a data-dependent trip count, early ``return``, writes to ``y`` that are read later, local
arrays (fixed size, VLA, ``malloc``/``free``; filled by loops, recurrences or ``memcpy``), indices
that depend on the data (``x[(int)(fabs(x[i]) * 5) % n]``), a global constant table, ``static``
helper functions (scalar, array reductions, array writers, struct results;
``__attribute__((noinline))`` sometimes; array arguments offset by one element sometimes), and
structs of doubles. The calls vary: ``p`` active (the default or ``enzyme_out``), constant, or a
second active scalar ``q`` (a struct of two derivatives is returned), ``y`` as ``enzyme_dupnoneed``,
``dx`` accumulating onto nonzero values, split mode with the primal arrays overwritten with NaN
between the two calls, ``n`` read through a ``volatile``; the compiler flags vary too (``-O0``, ``-O1``,
``-O2``, ``-O3``, ``-ffast-math``, ``-march=x86-64-v3``, ``enzpy-opt -O0/-O1/-O3``).

    python3 tests/fuzz/cgen.py SEED        prints the C file of program SEED
"""
from __future__ import annotations

import math
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from fuzz.genbase import ARRAY_BOUND, SHARED_OPS, GeneratorBase, Scope  # noqa: E402

#: constructs left out (comma-separated, from ENZPY_CFUZZ_EXCLUDE or crun.py --exclude): libm
#: functions and operators (asinh, fmod, ternary, ...), statements (while, break, return, struct,
#: localarray, writer, for, if) and local array kinds (vla, malloc); e.g. "asinh,vla", to look for
#: other bugs while a known one is open
EXCLUDE = frozenset(x.strip() for x in os.environ.get("ENZPY_CFUZZ_EXCLUDE", "").split(",") if x.strip())

STEPS = (-4, -2, -1, 1, 2, 4)   # finite-difference evaluations, in multiples of H


@dataclass
class CProgram:
    seed: int
    source: str            # the whole C file (f, its helpers and the driver)
    n: int                 # the length of x, y, w
    scalars: list          # names of the active scalars, in order ("p", "q")
    n_in: int              # inputs: active scalars + x + y
    h: float               # finite-difference step (relative); H1 = 2 h
    float32: bool          # f computes some values in float: looser tolerances
    clang_flags: list      # e.g. ["-O2"], ["-O3", "-ffast-math"]
    enzpy_flags: list      # e.g. [], ["-O0"]
    check_y_rev: bool      # the y left by the reverse call is checked (not with dupnoneed)
    check_y_fwd: bool
    inputs: list = field(default_factory=list)   # the input values, in the order of G
    wy: list = field(default_factory=list)       # the seed of y's shadow (phi's weights)
    features: set = field(default_factory=set)
    calls: dict = field(default_factory=dict)

    def input_name(self, j: int) -> str:
        if j < len(self.scalars):
            return self.scalars[j]
        j -= len(self.scalars)
        return f"x[{j}]" if j < self.n else f"y[{j - self.n}] (initial)"

    def commands(self, stem="prog") -> list:
        """The shell commands that build and run the program (for reproducers)."""
        return [f"clang-22 {' '.join(self.clang_flags)} -S -emit-llvm {stem}.c -o {stem}.ll",
                f"$ENZPY_OPT {stem}.ll {' '.join(self.enzpy_flags)}{' ' if self.enzpy_flags else ''}"
                f"-o {stem}.enzpy.ll",
                f"clang-22 {' '.join(x for x in self.clang_flags if x.startswith('-march'))}"
                f"{' ' if any(x.startswith('-march') for x in self.clang_flags) else ''}"
                f"{stem}.enzpy.ll -lm -o {stem}",
                f"./{stem}"]


def _c(v: float) -> str:
    """A C double literal."""
    s = repr(float(v))
    return s if ("." in s or "e" in s or "n" in s) else s + ".0"


class _Scope(Scope):
    """Scope (genbase.py) with the trip count of the enclosing loops, the length of its arrays
    (`n`: every array has n entries) and the struct locals."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.trips: int = parent.trips if parent else 1
        self.top: bool = parent is None
        self.n: str = parent.n if parent else "n"
        self.floats_structs: set = set(parent.floats_structs) if parent else set()


class Generator(GeneratorBase):
    """C syntax: double literals, libm functions, ||, &&, !, ?:, fmax/fmin."""
    SIMPLE = re.compile(r"[A-Za-z_]\w*(\.\w+)?(\[[^\[\]()]+\])?|-?[\d.]+(e-?\d+)?")
    INDENT = "  "
    ANY = "({} || {})"
    BOTH = "({} && {})"
    NOT = "!({})"
    TERNARY = "({c} ? {a} : {b})"
    IF = "if ({})"
    MINMAX = ("fmax", "fmin")

    def __init__(self, seed: int):
        super().__init__(seed)
        self.helper_src: list = []
        self.float32 = self.chance(0.2)
        self.n = self.r.choice([3, 4, 5, 6, 7, 8, 9, 11, 13, 16, 17, 19, 24, 31, 40])
        self.table = self.chance(0.25)
        self.structs = False
        self.struct_locals: list = []
        self.mallocs: list = []
        self.asinh = self.chance(0.1)      # no rule yet (enzpy-opt: unsupported): one program in ten

    def num(self, v):
        return f"({_c(v)})" if v < 0 else _c(v)

    def fn(self, name):
        return name

    # ------------------------------------------------------------------ small utilities
    def squash(self, e, b, to=2.0):
        """An expression of magnitude <= to that varies with e (e itself if its bound allows); the
        forms are not scaled up (a steep program makes finite differences unreliable)."""
        if b <= to:
            return e, b
        form = self.r.randrange(4 if self.simple(e) else 3)
        natural = (1.5708, 1.0, 1.0, 0.5)[form]
        k = min(1.0, to / natural)
        pre = "" if k == 1.0 else f"{_c(round(k, 4))} * "
        bound = natural * k
        if form == 0:
            return f"({pre}atan({e}))", bound
        if form == 1:
            return f"({pre}tanh({e} * {_c(round(2.0 / b, 4))}))", bound
        if form == 2:
            return f"({pre}sin({e}))", bound
        return f"({pre}({e} / (1.0 + {e} * {e})))", bound

    # ------------------------------------------------------------------ expressions
    def index(self, sc):
        if sc.idx and self.chance(0.85):
            return self.r.choice(sc.idx)
        if not sc.in_helper and sc.loop_vars and self.chance(0.1):
            self.features.add("data-index")         # piecewise constant in x: an indirect access
            a = self.r.choice(["x", "w"])
            return f"((int)(fabs({a}[{sc.loop_vars[-1]}]) * 5.0) % {sc.n})"
        self.features.add("const-index")
        # (a helper's arrays may start one element in: m >= 2)
        return self.r.choice(["0", "1", f"{sc.n} - 1", f"{sc.n} / 2"] + ([] if sc.in_helper else ["2"]))

    def leaf(self, sc):
        opts = self.leaf_kinds(sc)
        if self.table and not sc.in_helper:
            opts.append((0.5, "table"))
        if not sc.in_helper:
            opts.append((0.15, "n"))
        kind = self.pick(opts)
        if kind == "table":
            self.features.add("global-const-table")
            i = self.r.choice(sc.loop_vars) if sc.loop_vars and self.chance(0.8) else str(self.r.randrange(8))
            return f"K[({i}) % 8]", 1.5
        if kind == "loopvar":
            self.features.add("int-to-double")
            return f"((double){self.r.choice(sc.loop_vars)} * 0.125 - 0.5)", 0.5 + 0.125 * self.n
        if kind == "n":
            self.features.add("int-to-double")
            return "((double)n * 0.05)", 0.05 * self.n
        return self.plain_leaf(sc, kind)

    def libm(self, name, arg):
        """name(arg), or its float variant now and then."""
        if self.float32 and name in FLOAT_OK and self.chance(0.35):
            self.features.add("float-libm")
            return f"(double){name}f((float)({arg}))"
        return f"{name}({arg})"

    def expr(self, sc, depth):
        """(C source text, magnitude bound)."""
        if depth <= 0 or self.chance(0.2):
            return self.leaf(sc)
        ops = [(5, "add"), (3, "sub"), (5, "mul"), (2, "div"), (0.5, "neg"), (8, "unary"),
               (1.5, "pow"), (1, "hypot"), (0.6, "atan2"), (1.5, "minmax"), (1.5, "ternary"),
               (0.8, "fabs"), (0.4, "fmod"), (0.4, "copysign")]
        if self.float32:
            ops.append((1.0, "floatarith"))
        scalar_helpers = [h for h in self.helpers if h[1] in ("ff", "arr", "sptr")]
        if scalar_helpers:
            ops.append((1.5 if not sc.in_helper else 0.5, "call"))
        ops = [o for o in ops if o[1] not in EXCLUDE]
        op = self.pick(ops)
        d = depth - 1
        if op in SHARED_OPS:
            return self.shared_op(sc, d, op)
        if op == "unary":
            return self.unary(sc, d)
        if op == "pow":
            a, ba = self.expr(sc, d)
            self.features.add("pow")
            form = self.r.randrange(4)
            if form == 0 and ba <= 3.0:
                return f"pow({a}, 2.0)", ba * ba
            if form == 1 and ba <= 2.0:
                return f"pow({a}, 3)", ba ** 3
            a, ba = self.squash(a, ba, 2.0)
            if form == 2 and self.simple(a):
                k = round(self.r.uniform(-1.5, 2.5), 2)
                bound = max(0.5 ** k, (0.5 + ba * ba) ** k)
                if self.float32 and self.chance(0.3):
                    self.features.add("float-libm")
                    return f"(double)powf((float)(0.5 + {a} * {a}), {_c(k)}f)", bound
                return f"pow(0.5 + {a} * {a}, {_c(k)})", bound
            b, bb = self.expr(sc, d)
            b, bb = self.squash(b, bb, 1.5)
            return f"pow(1.5 + sin({a}), {b})", 2.5 ** bb
        if op == "hypot":
            a, ba = self.expr(sc, d)
            b, bb = self.expr(sc, d)
            self.features.add("hypot")
            b, bb = self.off_zero(b, bb, always=False)
            fn = "hypotf" if self.float32 and self.chance(0.3) else "hypot"
            if fn == "hypotf":
                self.features.add("float-libm")
                return self.limit(f"(double)hypotf((float)({a}), (float)({b}))", ba + bb)
            return self.limit(f"hypot({a}, {b})", ba + bb)
        if op == "atan2":
            a, _ = self.expr(sc, d)
            b, _ = self.expr(sc, d)
            self.features.add("atan2")
            if self.chance(0.3):
                return f"atan2({a}, {b})", 3.1416
            if self.simple(b):
                return f"atan2({a}, 1.0 + {b} * {b})", 1.571
            return f"atan2({a}, 1.5 + cos({b}))", 1.571
        if op == "fabs":
            a, ba = self.expr(sc, d)
            self.features.add("fabs")
            return f"fabs({a})", ba
        if op == "fmod":
            a, ba = self.expr(sc, d)
            self.features.add("fmod")
            c, bc = self.const(0.7, 2.0, signed=False)
            if self.chance(0.3):
                b, bb = self.expr(sc, d)
                b, bb = self.squash(b, bb, 1.0)
                return f"fmod({a}, {c} + {b} * {b})", bc + 1.0
            return f"fmod({a}, {c})", bc
        if op == "copysign":
            a, ba = self.expr(sc, d)
            b, _ = self.expr(sc, d)
            self.features.add("copysign")
            return f"copysign({a}, {b})", ba
        if op == "floatarith":       # arithmetic in float
            a, ba = self.squash(*self.expr(sc, d), to=3.0)
            b, bb = self.squash(*self.expr(sc, d), to=3.0)
            self.features.add("float-arith")
            o = self.r.choice(["+", "-", "*"])
            return f"(double)((float)({a}) {o} (float)({b}))", (ba * bb if o == "*" else ba + bb)
        if op == "call":
            name, kind, rb = self.r.choice(scalar_helpers)
            self.features.add("call")
            if kind == "ff":
                a, _ = self.squash(*self.expr(sc, d), to=3.0)
                b, _ = self.squash(*self.expr(sc, d), to=3.0)
                return f"{name}({a}, {b})", rb
            if kind == "sptr":
                if not sc.in_helper and self.struct_locals:
                    s = self.r.choice(self.struct_locals)
                    if s in sc.floats_structs:
                        a, _ = self.squash(*self.expr(sc, d), to=3.0)
                        return f"{name}(&{s}, {a})", rb
                return self.leaf(sc)
            if not sc.arrays or sc.in_helper:
                return self.leaf(sc)
            a1, a2 = self.r.choice(sc.arrays), self.r.choice(sc.arrays)
            s, _ = self.squash(*self.expr(sc, d), to=2.0)
            if self.chance(0.25):
                self.features.add("pointer-offset")
                return f"{name}({a1} + 1, {a2}, {sc.n} - 1, {s})", rb
            return f"{name}({a1}, {a2}, {sc.n}, {s})", rb
        raise AssertionError(op)

    def unary(self, sc, d):
        a, ba = self.expr(sc, d)
        fn = self.r.choice([f for f in UNARY if f not in EXCLUDE and (f != "asinh" or self.asinh)]
                           or ["sin"])
        self.features.add(fn)
        if fn in ("sin", "cos", "tanh", "erf"):
            return self.libm(fn, a), 1.0
        if fn == "atan":
            return self.libm(fn, a), 1.571
        if fn == "asinh":
            return self.libm(fn, a), math.asinh(ba) + 0.01
        if fn == "tan":
            a, ba = self.squash(a, ba, 1.2)
            return self.libm(fn, a), math.tan(ba)
        if fn in ("exp", "expm1", "sinh", "cosh"):
            a, ba = self.squash(a, ba, 2.5)
            if fn == "exp" and self.simple(a) and self.chance(0.3):
                return self.libm("exp", f"-({a}) * ({a}) * 0.1"), 1.0
            return self.libm(fn, a), math.exp(ba)
        if fn == "exp2":
            a, ba = self.squash(a, ba, 3.0)
            return self.libm(fn, a), 2.0 ** ba
        if fn in ("log", "log2", "log10"):
            c = self.r.choice([0.5, 1.0, 1.5])
            if self.simple(a) and self.chance(0.7):
                return self.libm(fn, f"{_c(c)} + {a} * {a}"), max(abs(math.log(c)), math.log(c + ba * ba)) * 1.5
            return self.libm(fn, f"2.0 + cos({a})"), 1.6
        if fn == "log1p":
            if self.simple(a):
                return self.libm(fn, f"{a} * {a}"), math.log1p(ba * ba)
            return self.libm(fn, f"0.5 * tanh({a})"), 0.7
        if fn == "sqrt":
            if self.simple(a) and self.chance(0.7):
                return self.libm(fn, f"0.5 + {a} * {a}"), math.sqrt(0.5 + ba * ba)
            return self.libm(fn, f"fabs({a}) + 0.5"), math.sqrt(ba + 0.5)
        if fn == "cbrt":
            if self.simple(a):
                return self.libm(fn, f"0.25 + {a} * {a}"), (0.25 + ba * ba) ** (1 / 3)
            a, ba = self.squash(a, ba, 2.0)
            return self.libm(fn, f"{a} - 3.0"), 1.71
        raise AssertionError(fn)

    # ------------------------------------------------------------------ statements
    def block(self, sc, depth, budget):
        n = max(1, budget)
        for _ in range(n):
            self.statement(sc, depth)

    def statement(self, sc, depth):
        opts = [(4 if sc.top else 1.2, "assign")]
        if sc.mutable:
            opts.append((2.5 if sc.top else 4.0, "reassign"))
        if depth < 4:
            opts.append((1.6, "if"))
        if sc.loop_depth < 2 and depth < 4:
            opts.append((2.2 if sc.loop_depth == 0 else 0.7, "for"))
        if sc.writable:
            opts.append((1.5, "write"))
        if sc.top and not sc.in_helper:
            opts += [(0.4, "while"), (1.0, "localarray"), (0.25, "return")]
            if self.structs:
                opts.append((1.2, "struct"))
            if any(h[1] == "writer" for h in self.helpers):
                opts.append((0.8, "writer"))
        if sc.loop_depth > 0 and depth >= 2:
            opts.append((0.3, "break"))
        opts = [o for o in opts if o[1] not in EXCLUDE] or [(1, "assign")]
        getattr(self, "st_" + self.pick(opts))(sc, depth)

    def st_assign(self, sc, depth):
        e, b = self.expr(sc, 3)
        name = self.fresh()
        if self.float32 and self.chance(0.15):
            self.features.add("float-local")
            e, b = self.squash(e, b, 3.0)
            self.emit(depth, f"float {name}f = (float)({e});")
            self.emit(depth, f"double {name} = (double)({name}f * {name}f) - 0.5 * {name}f;")
            b = b * b + 0.5 * b
        else:
            self.emit(depth, f"double {name} = {e};")
        sc.floats[name] = max(b, 1.0)
        sc.mutable.add(name)

    def st_reassign(self, sc, depth):
        name = self.r.choice(sorted(sc.mutable))
        bound = sc.floats[name]
        e, b = self.expr(sc, 3)
        if e == name:
            e, b = f"sin({e})", 1.0
        form = self.r.randrange(3)
        if form == 0 or sc.loop_depth == 0:
            e, b = self.squash(e, b, bound)
            self.emit(depth, f"{name} = {e};")
        elif form == 1:            # a contraction: stays within the bound
            e, b = self.squash(e, b, bound * 0.5)
            self.emit(depth, f"{name} = 0.5 * {name} + {e};")
            self.features.add("loop-carried")
        else:
            e, b = self.squash(e, b, bound * 0.3)
            self.emit(depth, f"{name} = {name} * 0.7 - {e};")
            self.features.add("loop-carried")

    def st_if(self, sc, depth):
        c = self.cond(sc, 2)
        self.emit(depth, f"if ({c}) {{")
        self.block(_Scope(sc), depth + 1, self.r.randint(1, 2))
        if self.chance(0.6):
            self.emit(depth, "} else {")
            self.block(_Scope(sc), depth + 1, self.r.randint(1, 2))
        self.emit(depth, "}")
        self.features.add("if")

    def st_return(self, sc, depth):
        c = self.cond(sc, 2)
        e, _ = self.expr(sc, 3)
        self.emit_if(depth, c, f"return {e};")
        self.features.add("early-return")

    def st_break(self, sc, depth):
        self.emit_if(depth, self.cond(sc, 1), "break;")
        self.features.add("break")

    def st_write(self, sc, depth):
        a = self.r.choice(sc.writable)
        i = self.r.choice(sc.idx) if sc.idx and self.chance(0.9) else self.index(sc)
        e, b = self.expr(sc, 3)
        if self.chance(0.6):
            e, _ = self.squash(e, b, ARRAY_BOUND)
            self.emit(depth, f"{a}[{i}] = {e};")
        else:
            e, _ = self.squash(e, b, 1.2)
            self.emit(depth, f"{a}[{i}] = 0.5 * {a}[{i}] + {e};")
            self.features.add("array-+=")
        self.features.add("array-write" if a != "y" else "y-write")

    def loop_header(self, sc, depth):
        v = "ijk"[sc.loop_depth]
        form = self.r.randrange(6) if sc.loop_depth else self.r.randrange(4)
        inner = _Scope(sc)
        inner.loop_depth += 1
        inner.loop_vars.append(v)
        n = sc.n
        if form in (0, 1, 2):
            self.emit(depth, f"for (int {v} = 0; {v} < {n}; {v}++) {{")
            inner.idx += [v, f"{n} - 1 - {v}", f"({v} + 1) % {n}"]
            trips = self.n
        elif form == 3:
            self.emit(depth, f"for (int {v} = {n} - 1; {v} >= 0; {v}--) {{")
            inner.idx += [v, f"({v} * 3) % {n}", f"{v} / 2"]
            trips = self.n
            self.features.add("for-rev")
        elif form == 4:         # triangular
            o = sc.loop_vars[-1]
            self.emit(depth, f"for (int {v} = 0; {v} <= {o}; {v}++) {{")
            inner.idx += [v, o, f"({o} - {v})"]
            trips = self.n
            self.features.add("for-tri")
        else:
            o = sc.loop_vars[-1]
            self.emit(depth, f"for (int {v} = 0; {v} < {n}; {v} += 2) {{")
            inner.idx += [v, f"({o} + {v}) % {n}"]
            trips = (self.n + 1) // 2
        inner.trips = sc.trips * trips
        if sc.loop_depth:
            self.features.add("nested-loop")
        return inner, trips

    def st_for(self, sc, depth):
        accs = []
        for _ in range(self.r.randint(0 if sc.mutable else 1, 2)):
            name = self.fresh("s")
            c, _ = self.const(0.0, 1.0)
            self.emit(depth, f"double {name} = {c};")
            accs.append(name)
        inner, trips = self.loop_header(sc, depth)
        self.block(inner, depth + 1, self.r.randint(1, 3))
        out = {}
        for name in accs:
            e, b = self.expr(inner, 3)
            if self.chance(0.7):
                e, b = self.squash(e, b, 3.0)
                self.emit(depth + 1, f"{name} += {e};")
                out[name] = 1.0 + b * trips
                self.features.add("reduction")
            else:
                e, b = self.squash(e, b, 1.0)
                self.emit(depth + 1, f"{name} = 0.6 * {name} + {e};")
                out[name] = 3.0
                self.features.add("loop-carried")
        self.emit(depth, "}")
        for name, b in out.items():
            sc.floats[name] = b
            sc.mutable.add(name)
        self.features.add("for")

    def st_while(self, sc, depth):
        k, u = self.fresh("k"), self.fresh("u")
        e, b = self.squash(*self.expr(sc, 3), to=1.0)
        c, _ = self.const(0.2, 1.5)
        step, _ = self.squash(*self.expr(sc, 2), to=0.3)
        self.emit(depth, f"int {k} = 0;")
        self.emit(depth, f"double {u} = {e};")
        self.emit(depth, f"while ({u} < {c} && {k} < 12) {{")
        self.emit(depth + 1, f"{u} = 1.1 * {u} + 0.35 + {step};")
        self.emit(depth + 1, f"{k}++;")
        self.emit(depth, "}")
        sc.floats[u] = 6.0
        sc.mutable.add(u)
        self.features.add("while")

    def st_localarray(self, sc, depth):
        a = self.fresh("a")
        form = self.r.random()
        if form < 0.25 and "vla" not in EXCLUDE:
            self.emit(depth, f"double {a}[{sc.n}];")
            self.features.add("vla")
        elif form < 0.5 and "malloc" not in EXCLUDE:
            self.emit(depth, f"double *{a} = malloc(sizeof(double) * {sc.n});")
            self.mallocs.append(a)
            self.features.add("malloc")
        else:
            self.emit(depth, f"double {a}[{self.n}];")
            self.features.add("local-array")
        inner = _Scope(sc)
        inner.loop_depth += 1
        inner.loop_vars.append("i")
        inner.idx += ["i"]
        if self.chance(0.2):
            src = self.r.choice(sc.arrays)
            self.emit(depth, f"memcpy({a}, {src}, sizeof(double) * {sc.n});")
            e, _ = self.squash(*self.expr(inner, 3), to=1.2)
            self.emit(depth, f"for (int i = 0; i < {sc.n}; i++)")
            self.emit(depth + 1, f"{a}[i] = 0.5 * {a}[i] + {e};")
            self.features.add("memcpy")
        elif self.chance(0.35):         # a recurrence through memory
            e, _ = self.squash(*self.expr(sc, 2), to=1.2)
            self.emit(depth, f"{a}[0] = {e};")
            self.emit(depth, f"for (int i = 1; i < {sc.n}; i++)")
            e2, _ = self.squash(*self.expr(inner, 3), to=1.2)
            self.emit(depth + 1, f"{a}[i] = 0.5 * {a}[i - 1] + {e2};")
            self.features.add("prefix-recurrence")
        else:
            e, _ = self.squash(*self.expr(inner, 3), to=ARRAY_BOUND)
            self.emit(depth, f"for (int i = 0; i < {sc.n}; i++)")
            self.emit(depth + 1, f"{a}[i] = {e};")
        sc.arrays.append(a)
        sc.writable.append(a)

    def st_struct(self, sc, depth):
        s = self.fresh("st")
        mk = [h for h in self.helpers if h[1] == "mk"]
        if mk and self.chance(0.6):
            a, _ = self.squash(*self.expr(sc, 3), to=3.0)
            b, _ = self.squash(*self.expr(sc, 3), to=3.0)
            self.emit(depth, f"S3 {s} = {mk[0][0]}({a}, {b});")
            bound = mk[0][2]
        else:
            parts = [self.squash(*self.expr(sc, 2), to=4.0) for _ in range(3)]
            self.emit(depth, f"S3 {s} = {{{', '.join(p[0] for p in parts)}}};")
            bound = 4.0
        for fld in "abc":
            sc.floats[f"{s}.{fld}"] = bound
        self.struct_locals.append(s)
        sc.floats_structs.add(s)
        self.features.add("struct")

    def st_writer(self, sc, depth):
        name = self.r.choice([h for h in self.helpers if h[1] == "writer"])[0]
        out = self.r.choice(sc.writable)
        src = self.r.choice(sc.arrays)
        s, _ = self.squash(*self.expr(sc, 2), to=2.0)
        if self.chance(0.25):
            self.features.add("pointer-offset")
            self.emit(depth, f"{name}({out} + 1, {src}, {sc.n} - 1, {s});")
        else:
            self.emit(depth, f"{name}({out}, {src}, {sc.n}, {s});")
        self.features.add("call-writer")

    # ------------------------------------------------------------------ helpers
    def attr(self):
        if self.chance(0.4):
            self.features.add("noinline")
            return "__attribute__((noinline)) "
        return ""

    def helper(self):
        kind = self.pick([(3, "ff"), (2, "arr"), (1.5, "writer")] +
                         ([(1, "mk"), (1, "sptr")] if self.structs else []))
        if kind in ("mk", "sptr") and any(h[1] == kind for h in self.helpers):
            kind = "ff"
        name = self.fresh("h")
        saved, self.lines = self.lines, []
        sc = _Scope()
        sc.in_helper = True
        sc.top = False
        if kind == "ff":
            sc.floats = {"a": 3.0, "b": 3.0}
            sc.n = "3"
            self.emit(0, f"static {self.attr()}double {name}(double a, double b) {{")
            self.block(sc, 1, self.r.randint(0, 2))
            e, b = self.limit(*self.expr(sc, 3))
            self.emit(1, f"return {e};")
            rb = b
        elif kind == "arr":
            sc.floats = {"s": 2.0}
            sc.n = "m"
            self.emit(0, f"static {self.attr()}double {name}(const double *u, const double *v, int m, double s) {{")
            self.emit(1, "double acc = 0.0;")
            sc.arrays = ["u", "v"]
            inner, trips = self.loop_header(sc, 1)
            self.block(inner, 2, self.r.randint(0, 1))
            e, b = self.squash(*self.expr(inner, 3), to=2.0)
            self.emit(2, f"acc += {e};")
            self.emit(1, "}")
            sc.floats["acc"] = 2.0 * self.n
            e, rb = self.limit(*self.expr(sc, 2))
            self.emit(1, f"return acc * 0.25 + {e};")
            rb += 0.5 * self.n
        elif kind == "writer":
            sc.floats = {"s": 2.0}
            sc.n = "m"
            self.emit(0, f"static {self.attr()}void {name}(double *out, const double *u, int m, double s) {{")
            sc.arrays = ["u"]
            inner, trips = self.loop_header(sc, 1)
            e, _ = self.squash(*self.expr(inner, 3), to=ARRAY_BOUND)
            i = "i" if self.chance(0.8) else "m - 1 - i"
            self.emit(2, f"out[{i}] = {e};")
            self.emit(1, "}")
            rb = 0.0
        elif kind == "mk":
            sc.floats = {"a": 3.0, "b": 3.0}
            self.emit(0, f"static {self.attr()}S3 {name}(double a, double b) {{")
            parts = [self.squash(*self.expr(sc, 2), to=4.0)[0] for _ in range(3)]
            self.emit(1, f"S3 r = {{{', '.join(parts)}}};")
            if self.chance(0.5):
                self.emit(1, f"r.b += r.a * {self.const(0.1, 0.5)[0]};")
            self.emit(1, "return r;")
            rb = 6.0
        else:  # sptr
            sc.floats = {"s->a": 4.0, "s->b": 4.0, "s->c": 4.0, "t": 3.0}
            self.emit(0, f"static {self.attr()}double {name}(const S3 *s, double t) {{")
            e, rb = self.limit(*self.expr(sc, 3))
            self.emit(1, f"return {e};")
        self.emit(0, "}")
        self.emit(0, "")
        self.helper_src += self.lines
        self.lines = saved
        self.helpers.append((name, kind, rb))
        self.features.add("helper-" + kind)

    # ------------------------------------------------------------------ the program
    def program(self) -> CProgram:
        r = self.r
        N = self.n
        self.structs = self.chance(0.4)
        self.struct_locals = []
        for _ in range(r.choice([0, 0, 1, 1, 2, 3])):
            self.helper()
        two = self.chance(0.2)
        p_mode = self.pick([(6, "active"), (2, "out"), (1.5, "const")])
        q_mode = self.pick([(3, "active"), (1, "const")]) if two else None
        split = self.chance(0.2)
        y_noneed_rev = self.chance(0.15)
        y_noneed_fwd = self.chance(0.15)
        accumulate = self.chance(0.3)
        volatile_n = self.chance(0.3)
        x_const = self.chance(0.5)
        static_f = self.chance(0.5)
        noinline_f = self.chance(0.3)
        opt = self.pick([(7, "-O2"), (1.5, "-O1"), (1.5, "-O3"), (0.5, "-O0")])
        clang_flags = [opt]
        if opt == "-O0" and self.chance(0.5):     # unoptimized IR without optnone: allocas everywhere
            clang_flags += ["-Xclang", "-disable-O0-optnone"]
        if self.chance(0.1):
            clang_flags.append("-ffast-math")
            self.features.add("fast-math")
        if self.chance(0.15):
            clang_flags.append("-march=x86-64-v3")
            self.features.add("avx2")
        enzpy_flags = [self.pick([(7, None), (1, "-O0"), (1, "-O1"), (1, "-O3")])]
        enzpy_flags = [x for x in enzpy_flags if x]

        # ---- f
        sc = _Scope()
        sc.floats = {"p": 1.6}
        sc.floats_structs = set()
        if two:
            sc.floats["q"] = 1.6
        sc.arrays = ["x", "y", "w"]
        sc.writable = ["y"]
        sig = (f"double f({'const ' if x_const else ''}double *x, double *y, const double *w, int n, "
               f"double p{', double q' if two else ''})")
        attrs = ("static " if static_f else "") + ("__attribute__((noinline)) " if noinline_f else "")
        self.emit(0, f"{attrs}{sig} {{")
        self.block(sc, 1, r.randint(3, 8))
        # the result: every top-level local contributes
        locals_ = [k for k in sc.floats if k not in ("p", "q")]
        r.shuffle(locals_)
        terms = []
        for name in locals_[:8]:
            e, _ = self.squash(name, sc.floats[name], 3.0)
            c, _ = self.const(0.2, 1.5)
            terms.append(f"{c} * {e}")
        if not terms or self.chance(0.5):
            e, _ = self.squash(*self.expr(sc, 3), to=3.0)
            terms.append(e)
        if self.mallocs:
            self.emit(1, "double result = " + " + ".join(terms) + ";")
            for a in self.mallocs:
                self.emit(1, f"free({a});")
            self.emit(1, "return result;")
        else:
            self.emit(1, "return " + " + ".join(terms) + ";")
        self.emit(0, "}")
        fsrc = self.lines

        # ---- inputs (float32-representable, deterministic)
        def vals(lo, hi, k):
            return [float(_f32(r.uniform(lo, hi) * r.choice([-1.0, 1.0]))) for _ in range(k)]
        X0, Y0, W = vals(0.2, 1.6, N), vals(0.2, 1.6, N), vals(0.3, 1.5, N)
        WY = vals(0.2, 1.2, N)
        VX, VY = vals(0.1, 1.0, N), vals(0.1, 1.0, N)
        DX0 = vals(0.5, 2.0, N) if accumulate else [0.0] * N
        P0, Q0 = vals(0.2, 1.6, 2)
        VP, VQ = vals(0.1, 1.0, 2)
        KT = vals(0.1, 1.5, 8)
        active = (["p"] if p_mode != "const" else []) + (["q"] if two and q_mode == "active" else [])
        n_in = len(active) + 2 * N
        h = 5e-3 if self.float32 else 5e-4

        # ---- the file
        out = ["/* enzpy C fuzz program, seed %d (tests/fuzz/cgen.py) */" % self.seed,
               "#include <math.h>", "#include <stdio.h>", "#include <stdlib.h>",
               "#include <string.h>", "",
               "extern int enzyme_dup, enzyme_dupnoneed, enzyme_const, enzyme_out, enzyme_tape;",
               "typedef struct { double a, b; } D2;",
               "typedef struct { double a, b, c; } S3;"]
        ret = {0: "void", 1: "double", 2: "D2"}[len(active)]
        out += [f"{ret} __enzyme_autodiff(void *, ...);",
                "double __enzyme_fwddiff(void *, ...);",
                "void *__enzyme_augmentfwd(void *, ...);",
                f"{ret} __enzyme_reverse(void *, ...);", ""]
        out.append(f"#define N {N}")

        def arr(name, v):
            return f"static const double {name}[{len(v)}] = {{{', '.join(_c(t) for t in v)}}};"
        if self.table:
            out.append(arr("K", KT))
        out.append("")
        out += self.helper_src
        out += fsrc
        out += ["", arr("X0", X0), arr("Y0", Y0), arr("W", W), arr("WY", WY), arr("VX", VX),
                arr("VY", VY), arr("DX0", DX0),
                f"static const double P0 = {_c(P0)}, Q0 = {_c(Q0)}, VP = {_c(VP)}, VQ = {_c(VQ)};",
                f"static const double H = {_c(h)};",
                "static int nn = N;", ""]
        qarg = ", q" if two else ""
        out += ["static double phi(double *x, double *y, double p, double q) {",
                "  for (int i = 0; i < N; i++)",
                "    y[i] = Y0[i];",
                f"  double r = f(x, y, W, nn, p{qarg});",
                "  for (int i = 0; i < N; i++)",
                "    r += WY[i] * y[i];",
                "  return r;",
                "}", "",
                "static void reset(double *x, double *y) {",
                "  for (int i = 0; i < N; i++) {",
                "    x[i] = X0[i];",
                "    y[i] = Y0[i];",
                "  }",
                "}", "",
                "int main(void) {",
                "  double x[N], y[N], dx[N], dy[N], vx[N], vy[N];"]
        out.append("  volatile int nv = N;\n  int n = nv;" if volatile_n else "  int n = N;")
        out += ["  nn = n;",
                "  reset(x, y);",
                f"  double r = f(x, y, W, n, P0{', Q0' if two else ''});",
                '  printf("P 0 %.17g\\n", r);',
                "  for (int i = 0; i < N; i++)",
                '    printf("Y %d %.17g\\n", i, y[i]);']

        def scal_args(fwd):
            s = []
            for nm, mode, v0, t0 in (("p", p_mode, "P0", "VP"), ("q", q_mode, "Q0", "VQ")):
                if nm == "q" and not two:
                    continue
                if mode == "const":
                    s.append(f"enzyme_const, {v0}")
                elif fwd:
                    s.append(f"{v0}, {t0}")
                else:
                    s.append(f"enzyme_out, {v0}" if mode == "out" else v0)
            return ", ".join(s)
        ymark_r = "enzyme_dupnoneed" if y_noneed_rev else "enzyme_dup"
        ymark_f = "enzyme_dupnoneed" if y_noneed_fwd else "enzyme_dup"
        rev_args = f"enzyme_dup, x, dx, {ymark_r}, y, dy, enzyme_const, W, enzyme_const, n, {scal_args(False)}"
        out += ["  reset(x, y);",
                "  for (int i = 0; i < N; i++) {",
                "    dx[i] = DX0[i];",
                "    dy[i] = WY[i];",
                "  }"]
        lhs = {0: "", 1: "double g = ", 2: "D2 g = "}[len(active)]
        if split:
            self.features.add("split-mode")
            out += [f"  void *tape = __enzyme_augmentfwd((void *)f, {rev_args});",
                    "  for (int i = 0; i < N; i++)",
                    '    printf("A %d %.17g\\n", i, y[i]);',
                    "  for (int i = 0; i < N; i++)",
                    "    x[i] = y[i] = __builtin_nan(\"\");",
                    f"  {lhs}__enzyme_reverse((void *)f, {rev_args}, 1.0, enzyme_tape, tape);"]
        else:
            out += [f"  {lhs}__enzyme_autodiff((void *)f, {rev_args});",
                    "  for (int i = 0; i < N; i++)",
                    '    printf("A %d %.17g\\n", i, y[i]);']
        if len(active) == 1:
            out.append('  printf("G 0 %.17g\\n", g);')
        elif len(active) == 2:
            out.append('  printf("G 0 %.17g\\nG 1 %.17g\\n", g.a, g.b);')
        na = len(active)
        out += ["  for (int i = 0; i < N; i++)",
                f'    printf("G %d %.17g\\n", {na} + i, dx[i] - DX0[i]);',
                "  for (int i = 0; i < N; i++)",
                f'    printf("G %d %.17g\\n", {na} + N + i, dy[i]);']
        # forward
        out += ["  reset(x, y);",
                "  for (int i = 0; i < N; i++) {",
                "    vx[i] = VX[i];",
                "    vy[i] = VY[i];",
                "  }",
                f"  double t = __enzyme_fwddiff((void *)f, enzyme_dup, x, vx, {ymark_f}, y, vy, "
                f"enzyme_const, W, enzyme_const, n, {scal_args(True)});",
                '  printf("T 0 %.17g\\n", t);',
                "  for (int i = 0; i < N; i++)",
                '    printf("V %d %.17g\\nB %d %.17g\\n", i, vy[i], i, y[i]);']
        # the tangent, in the order of the inputs
        tang = ([_c(VP)] if "p" in active else []) + ([_c(VQ)] if "q" in active else [])
        out += [f"  static const double U0[{max(1, na)}] = {{{', '.join(tang) if tang else '0.0'}}};",
                f"  for (int j = 0; j < {na}; j++)",
                '    printf("U %d %.17g\\n", j, U0[j]);',
                "  for (int i = 0; i < N; i++)",
                f'    printf("U %d %.17g\\nU %d %.17g\\n", {na} + i, VX[i], {na} + N + i, VY[i]);']
        # finite differences: phi at input j moved by k steps
        out += ["  static const int ks[6] = {-4, -2, -1, 1, 2, 4};",
                "  double yy[N];",
                f"  for (int j = 0; j < {na} + 2 * N; j++) {{",
                "    for (int s = 0; s < 6; s++) {",
                "      double pp = P0, qq = Q0, v;",
                "      reset(x, yy);",
                f"      if (j < {na}) {{",
                f"        double *z = (j == 0 && {int('p' in active)}) ? &pp : &qq;",
                "        *z += ks[s] * H * fmax(1.0, fabs(*z));",
                "        v = phi(x, yy, pp, qq);",
                f"      }} else if (j < {na} + N) {{",
                f"        int i = j - {na};",
                "        x[i] += ks[s] * H * fmax(1.0, fabs(x[i]));",
                "        v = phi(x, yy, pp, qq);",
                "      } else {",
                f"        int i = j - {na} - N;",
                "        double save = Y0[i];",
                "        /* phi resets y from Y0: perturb through a copy */",
                "        v = phi_y(x, yy, pp, qq, i, ks[s] * H * fmax(1.0, fabs(save)));",
                "      }",
                '      printf("D %d %d %.17g\\n", j, ks[s], v);',
                "    }",
                "  }",
                "  return 0;",
                "}"]
        # phi with y[i] moved: defined before main
        phi_y = ["static double phi_y(double *x, double *y, double p, double q, int k, double d) {",
                 "  for (int i = 0; i < N; i++)",
                 "    y[i] = Y0[i];",
                 "  y[k] += d;",
                 f"  double r = f(x, y, W, nn, p{qarg});",
                 "  for (int i = 0; i < N; i++)",
                 "    r += WY[i] * y[i];",
                 "  return r;",
                 "}", ""]
        at = out.index("static void reset(double *x, double *y) {")
        out[at:at] = phi_y
        source = "\n".join(out) + "\n"
        calls = {"p": p_mode, "q": q_mode, "split": split, "y_dupnoneed_rev": y_noneed_rev,
                 "y_dupnoneed_fwd": y_noneed_fwd, "accumulate": accumulate,
                 "volatile_n": volatile_n, "static_f": static_f, "noinline_f": noinline_f}
        return CProgram(seed=self.seed, source=source, n=N, scalars=active, n_in=n_in, h=h,
                        float32=self.float32, clang_flags=clang_flags, enzpy_flags=enzpy_flags,
                        check_y_rev=not y_noneed_rev, check_y_fwd=not y_noneed_fwd,
                        inputs=[{"p": P0, "q": Q0}[a] for a in active] + X0 + Y0, wy=WY,
                        features=set(self.features), calls=calls)


UNARY = ["sin", "cos", "tan", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "cbrt",
         "atan", "tanh", "sinh", "cosh", "asinh", "erf", "exp", "log", "sqrt", "sin"]
FLOAT_OK = {"sin", "cos", "tan", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt",
            "cbrt", "atan", "tanh", "sinh", "cosh", "asinh", "erf"}


def _f32(v: float) -> float:
    import struct
    return struct.unpack("f", struct.pack("f", v))[0]


def generate(seed: int) -> CProgram:
    return Generator(seed).program()


if __name__ == "__main__":
    for s in sys.argv[1:]:
        prog = generate(int(s))
        print(prog.source)
        print(f"/* {' && '.join(prog.commands())} */")
