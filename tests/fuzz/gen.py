"""Random numba programs for differential fuzzing of enzpy's derivatives.

``generate(seed)`` returns a :class:`Program`: Python source text that defines ``@njit`` helper
functions and an entry ``f``, plus a description of ``f``'s parameters. The source is executed in a
fresh namespace whose global ``F`` is the float type (``np.float64`` or ``np.float32``): every
float literal is written ``F(c)``, so the same text gives the float64 and the float32 variant.

What a program may contain (each drawn at random from the seed):

* expression DAGs (locals used several times) over ``+ - * /``, ``math.sin cos tan exp log sqrt
  tanh atan atan2 erf pow hypot fabs``, ``abs``, ``min``, ``max``, ``**``, comparisons in ``if``
  statements and ternaries;
* float scalar parameters, 1-d array parameters (all of one length L), integer parameters
  (``n <= L``, used as loop bounds);
* ``for`` loops over ``range(n)``, ``range(a.shape[0])``, ``range(len(a))``, reversed and
  triangular nested loops, ``while`` loops with a bounded counter and a data-dependent condition,
  ``break``, early ``return``;
* array reads ``a[i]``, ``a[n - 1 - i]``, ``a[(i + 1) % n]``, ``a[-1]``..., writes and ``+=`` into
  output arrays (and sometimes into input arrays), local arrays (``np.zeros_like``, ``.copy()``),
  a few array expressions (``np.sum``, ``np.dot``);
* calls between generated ``@njit`` helper functions (scalar and array parameters).

Values are kept in safe domains (``log(1 + x*x)``, ``sqrt(1 + x*x)``, division by ``1.5 + x*x``,
``exp`` of bounded arguments, squashing of large intermediate values), so that central finite
differences are meaningful; the checker still rejects points where they are not (branch flips,
kinks), see check.py.

Usage::

    prog = generate(12345)
    print(prog.source)
    f64 = prog.compile(np.float64)      # the njit entry function
    args = prog.inputs()                # {param name: value} (floats representable in float32)
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from fuzz.genbase import ARRAY_BOUND, SHARED_OPS, GeneratorBase, Scope  # noqa: E402

#: constructs left out (comma-separated names from ENZPY_FUZZ_EXCLUDE, e.g. "copy,array-expr"), to
#: look for other bugs while a known one is open
EXCLUDE = frozenset(x.strip() for x in os.environ.get("ENZPY_FUZZ_EXCLUDE", "").split(",") if x.strip())

@dataclass
class Param:
    name: str
    kind: str            # "float" | "array" | "array2" (2-d) | "int" | "pair" (a tuple of two floats)
    role: str = "in"     # arrays: "in" (read), "out" (written), "inout" (read and written)


@dataclass
class Program:
    seed: int
    source: str
    params: list            # [Param], in the order of f's signature
    returns_float: bool     # f returns a float (else None)
    length: int             # L: the length of every array argument
    features: set = field(default_factory=set)
    shape2: tuple = (2, 3)  # the shape of every 2-d array argument

    def compile(self, dtype, fastmath: bool = False):
        """Exec the source with F = dtype; returns the njit entry function ``f``. fastmath: every
        function of the program compiled with ``@njit(fastmath=True)``."""
        ns = {"F": np.dtype(dtype).type, "__name__": f"fuzz_{self.seed}{'_fm' if fastmath else ''}"}
        source = self.source.replace("@njit\n", "@njit(fastmath=True)\n") if fastmath else self.source
        exec(compile(source, f"<fuzz program {self.seed}>", "exec"), ns)
        return ns["f"]

    def inputs(self, seed_offset: int = 0) -> dict:
        """Random argument values (float64, but representable in float32)."""
        r = np.random.default_rng(self.seed * 7 + 1 + seed_offset)
        vals = {}
        for p in self.params:
            if p.kind == "float":
                v = r.uniform(0.2, 1.6) * r.choice([-1.0, 1.0])
                vals[p.name] = float(np.float32(v))
            elif p.kind == "array":
                v = r.uniform(0.2, 1.6, size=self.length) * r.choice([-1.0, 1.0], size=self.length)
                vals[p.name] = v.astype(np.float32).astype(np.float64)
            elif p.kind == "array2":
                v = r.uniform(0.2, 1.6, size=self.shape2) * r.choice([-1.0, 1.0], size=self.shape2)
                vals[p.name] = v.astype(np.float32).astype(np.float64)
            elif p.kind == "pair":
                v = r.uniform(0.2, 1.6, size=2) * r.choice([-1.0, 1.0], size=2)
                vals[p.name] = tuple(float(np.float32(t)) for t in v)
            else:
                vals[p.name] = int(r.integers(1, self.length + 1))
        return vals


class _Scope(Scope):
    """Scope (genbase.py) with 2-d arrays, the kind of the enclosing loop and its trip count.
    `mutable`: the outer floats that may be reassigned here; `idx`: valid for any 1-d array."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.arrays2: list = list(parent.arrays2) if parent else []    # 2-d arrays (all of one shape)
        self.writable2: list = list(parent.writable2) if parent else []
        self.idx2: list = list(parent.idx2) if parent else []      # (row, column) index pairs
        self.loop_kind: str = parent.loop_kind if parent else ""
        self.iters: int = parent.iters if parent else 1            # product of enclosing trip counts


class Generator(GeneratorBase):
    """Python syntax: every float literal is F(c), math functions are math.*."""
    SIMPLE = re.compile(r"[A-Za-z_]\w*(\[[^\[\]()]+\])?|F\(-?[\d.]+\)")

    def __init__(self, seed: int):
        super().__init__(seed)
        self.const_array = False
        self.tuple_helpers: list = []
        self.ints: list = []      # names of the int parameters (loop bounds)
        self.ret_float = True

    def num(self, v):
        return f"F({v!r})"

    def fn(self, name):
        return f"math.{name}"

    # ------------------------------------------------------------------ small utilities
    def squash(self, e, b, to=2.0):
        """An expression of magnitude <= ~to that varies with e."""
        if b <= to:
            return e, b
        form = self.r.randrange(4 if self.simple(e) else 3)
        if form == 0:
            return f"math.atan({e})", 1.571
        if form == 1:
            return f"math.tanh({e} * F({round(1.0 / b, 4)!r}))", 1.0
        if form == 2:
            return f"math.sin({e})", 1.0
        return f"({e} / (F(1.0) + {e} * {e}))", 0.5

    # ------------------------------------------------------------------ expressions
    def leaf(self, sc):
        opts = self.leaf_kinds(sc)
        if self.ints and not sc.in_helper:
            opts.append((0.2, "intparam"))
        if self.const_array:
            opts.append((0.5, "kread"))
        if sc.arrays2:
            opts.append((4.0 if sc.idx2 else 1.0, "read2"))
        kind = self.pick(opts)
        if kind == "read2":
            a = self.r.choice(sc.arrays2)
            if sc.idx2 and self.chance(0.85):
                i, j = self.r.choice(sc.idx2)
            else:
                i, j = self.r.choice([("0", "1"), ("1", "0"), ("-1", "-1"), ("0", "-2")])
            self.features.add("2d-read")
            return f"{a}[{i}, {j}]", ARRAY_BOUND
        if kind == "kread":
            self.features.add("global-const-array")
            return f"K[{self.index(sc)}]", ARRAY_BOUND
        if kind == "intparam":
            self.features.add("int-to-float")
            return f"(F({self.r.choice(self.ints)}) * F(0.3) + F(0.125))", 2.2
        if kind == "loopvar":
            v = self.r.choice(sc.loop_vars)
            self.features.add("int-to-float")
            return f"(F({v}) * F(0.25) + F(0.125))", 2.0
        return self.plain_leaf(sc, kind)

    def index(self, sc):
        if sc.idx and self.chance(0.85):
            return self.r.choice(sc.idx)
        self.features.add("const-index")
        return self.r.choice(["0", "1", "2", "-1", "-2"])

    def expr(self, sc, depth):
        """(source text, magnitude bound)."""
        if depth <= 0 or self.chance(0.22):
            return self.leaf(sc)
        ops = [(5, "add"), (3, "sub"), (5, "mul"), (2, "div"), (0.5, "neg"), (8, "unary"), (1.2, "unary2"),
               (1.5, "pow"), (1, "hypot"), (0.5, "atan2"), (1.5, "minmax"), (1.5, "ternary"),
               (1, "absf")]
        if self.helpers and not sc.in_helper:
            ops.append((2, "call"))
        elif self.helpers:
            ops.append((1, "call"))
        if sc.arrays and not sc.in_helper and "array-expr" not in EXCLUDE:
            ops.append((0.6, "arrayexpr"))
        op = self.pick(ops)
        d = depth - 1
        if op in ("add", "sub", "mul"):
            self.features.add(op)
        if op in SHARED_OPS:
            return self.shared_op(sc, d, op)
        if op == "unary":
            a, ba = self.expr(sc, d)
            fn = self.r.choice(["sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "atan", "erf",
                                "exp", "log", "sqrt"])
            self.features.add(fn)
            if fn in ("sin", "cos", "tanh", "erf"):
                return f"math.{fn}({a})", 1.0
            if fn == "atan":
                return f"math.atan({a})", 1.571
            if fn == "tan":
                if ba <= 1.0:
                    return f"math.tan({a})", 1.56
                return f"math.tan(F(0.6) * math.tanh({a}))", 0.69
            if fn == "exp":
                if ba <= 2.5:
                    return f"math.exp({a})", float(np.exp(ba))
                if self.simple(a) and self.chance(0.5):
                    return f"math.exp(-({a}) * ({a}) * F(0.1))", 1.0
                return f"math.exp(math.tanh({a}))", 2.72
            if fn == "log":
                if self.simple(a) and self.chance(0.7):
                    return f"math.log(F(1.0) + {a} * {a})", float(np.log1p(ba * ba)) + 0.01
                return f"math.log(F(2.0) + math.cos({a}))", 1.1
            # sqrt
            if self.simple(a) and self.chance(0.7):
                return f"math.sqrt(F(1.0) + {a} * {a})", float(np.sqrt(1 + ba * ba))
            return f"math.sqrt(math.fabs({a}) + F(0.5))", float(np.sqrt(ba + 0.5))
        if op == "unary2":     # further supported math: math.asin log1p expm1 sinh cosh, NumPy ufuncs on scalars
            a, ba = self.expr(sc, d)
            fn = self.r.choice(["asin", "log1p", "expm1", "sinh", "cosh", "np.exp", "np.sin",
                                "np.sqrt", "np.log", "np.tanh", "np.cos"])
            self.features.add(fn)
            if fn == "asin":
                return f"math.asin(F(0.9) * math.tanh({a}))", 1.12
            if fn == "log1p":
                return f"math.log1p(math.fabs({a}))", float(np.log1p(ba))
            if fn in ("expm1", "sinh", "cosh", "np.exp"):
                mod = "np" if fn.startswith("np") else "math"
                name = fn.split(".")[-1]
                if ba > 2.5:
                    a, ba = f"math.sin({a})", 1.0
                return f"{mod}.{name}({a})", float(np.exp(ba))
            if fn == "np.sqrt":
                return f"np.sqrt(F(2.0) + np.sin({a}))", 1.74
            if fn == "np.log":
                return f"np.log(F(2.0) + np.cos({a}))", 1.1
            return f"{fn}({a})", 1.0
        if op == "pow":
            a, ba = self.expr(sc, d)
            self.features.add("pow")
            form = self.r.randrange(5)
            ivars = sc.loop_vars + ([] if sc.in_helper else self.ints)
            if form == 4 and ivars:
                self.features.add("int-power")
                return f"((F(1.2) + math.sin({a})) ** {self.r.choice(ivars)})", 2.2 ** 7
            if form == 0 and ba <= 3.0:
                return f"({a} ** 2)", ba * ba
            if form == 1 and ba <= 2.0:
                return f"({a} ** 3)", ba ** 3
            b, bb = self.expr(sc, d)
            if bb > 1.5:
                b, bb = f"(F(0.75) * math.sin({b}))", 0.75
            if form == 2 and ba <= 3.0 and self.simple(a):
                return f"math.pow(F(1.0) + {a} * {a}, {b})", (1 + ba * ba) ** bb
            base = f"(F(1.5) + math.sin({a}))"
            return f"({base} ** {b})", 2.5 ** bb
        if op == "hypot":
            a, ba = self.expr(sc, d)
            b, bb = self.expr(sc, d)
            self.features.add("hypot")
            b, bb = self.off_zero(b, bb)
            return self.limit(f"math.hypot({a}, {b})", ba + bb)
        if op == "atan2":
            a, _ = self.expr(sc, d)
            b, _ = self.expr(sc, d)
            self.features.add("atan2")
            if self.simple(b):
                return f"math.atan2({a}, F(1.0) + {b} * {b})", 1.571
            return f"math.atan2({a}, F(1.5) + math.cos({b}))", 1.571
        if op == "absf":
            a, ba = self.expr(sc, d)
            fn = self.r.choice(["abs", "math.fabs"])
            self.features.add(fn)
            return f"{fn}({a})", ba
        if op == "call":
            name, kind, rb = self.r.choice(self.helpers)
            self.features.add("call")
            if kind in ("ff", "ft"):
                a, ba = self.squash(*self.expr(sc, d), to=3.0)
                b, bb = self.squash(*self.expr(sc, d), to=3.0)
                if kind == "ft":
                    self.features.add("tuple-return")
                    return f"{name}({a}, {b})[{self.r.randrange(2)}]", rb
                return f"{name}({a}, {b})", rb
            arr = self.r.choice(sc.arrays) if sc.arrays else None
            if arr is None:
                return self.leaf(sc)
            a, ba = self.squash(*self.expr(sc, d), to=3.0)
            return f"{name}({arr}, {a})", rb
        if op == "arrayexpr" and sc.arrays2 and self.chance(0.4):
            a, b = self.r.choice(sc.arrays2), self.r.choice(sc.arrays2)
            self.features.add("2d-array-expr")
            form = self.r.randrange(3)
            if form == 0:
                return self.limit(f"np.sum({a} * {b})", 16 * ARRAY_BOUND ** 2)
            if form == 1:
                return self.limit(f"np.sum(np.sin({a}) * {b})", 16 * ARRAY_BOUND)
            return f"np.mean(np.tanh({a}))", 1.0
        if op == "arrayexpr":
            a = self.r.choice(sc.arrays)
            b = self.r.choice(sc.arrays)
            self.features.add("array-expr")
            form = self.r.randrange(11)
            if form == 5:
                self.features.add("slices")
                return self.limit(f"np.sum({a}[1:] * {b}[:-1])", 7 * ARRAY_BOUND ** 2)
            if form == 6:
                self.features.add("np.where")
                return self.limit(f"np.sum(np.where({a} > F(0.0), {a}, F(0.5) * {b}))", 7 * ARRAY_BOUND)
            if form == 7:
                self.features.add("np.clip")
                return self.limit(f"np.sum(np.clip({a}, F(-1.0), F(1.0)) * {b})", 7 * ARRAY_BOUND)
            if form == 8:
                self.features.add("reductions")
                fn = self.r.choice(["np.var", "np.std", "np.mean"])
                return self.limit(f"{fn}({a} * {b})", ARRAY_BOUND ** 2)
            if form == 9:
                self.features.add("reductions")
                return self.limit(f"np.prod(F(1.0) + F(0.1) * np.sin({a}))", 2.0)
            if form == 10:
                self.features.add("reductions")
                return self.limit(f"({a} * {b}).sum()", 7 * ARRAY_BOUND ** 2)
            if form == 0:
                return self.limit(f"np.sum({a} * {b})", 7 * ARRAY_BOUND ** 2)
            if form == 1:
                return self.limit(f"np.dot({a}, {b})", 7 * ARRAY_BOUND ** 2)
            if form == 2:
                return self.limit(f"np.sum(np.sin({a}) * {b})", 7 * ARRAY_BOUND)
            if form == 3:
                return f"np.mean(np.tanh({a}))", 1.0
            return self.limit(f"np.sum(np.exp(-({a} * {a})))", 7.0)
        raise AssertionError(op)

    # ------------------------------------------------------------------ statements
    def block(self, sc, depth, budget, ret_kind):
        """Emit about `budget` statements at indentation `depth` (at least one)."""
        n = max(1, budget)
        emitted = 0
        while emitted < n:
            emitted += self.statement(sc, depth, ret_kind, n - emitted)

    def statement(self, sc, depth, ret_kind, budget):
        opts = [(6, "assign")]
        if sc.floats and (sc.loop_depth == 0 or sc.mutable):
            opts.append((2, "reassign"))
        if budget >= 3 and depth < 4:
            opts.append((2, "if"))
        if budget >= 3 and sc.loop_depth < 2:
            opts.append((3 if sc.loop_depth == 0 else 1.5, "for"))
            if sc.loop_depth == 0:
                opts.append((1, "while"))
        if sc.arrays2 and sc.loop_depth == 0 and budget >= 3:
            opts.append((2.0, "loop2d"))
        if sc.writable and sc.idx:
            opts.append((2.5, "write"))
        elif sc.writable:
            opts.append((0.5, "write"))
        if sc.loop_depth > 0:
            opts.append((0.6, "break"))
        if sc.loop_kind == "for":
            opts.append((0.4, "continue"))
        if budget >= 3 and sc.loop_depth == 1 and not sc.in_helper:
            opts.append((0.4, "while"))
        if self.tuple_helpers and not sc.in_helper:
            opts.append((0.6, "unpack"))
        if not sc.in_helper:
            opts.append((0.35, "return"))
        opts.append((0.15, "raise"))
        if (sc.loop_depth == 0 and not sc.in_helper and sc.arrays and depth == 1
                and "local-array" not in EXCLUDE):
            opts.append((0.4, "localarray"))
        kind = self.pick(opts)
        getattr(self, "st_" + kind)(sc, depth, ret_kind)
        return {"if": 3, "for": 3, "while": 3}.get(kind, 1)

    def st_assign(self, sc, depth, ret_kind):
        e, b = self.expr(sc, self.pick([(3, 1), (4, 2), (3, 3), (1, 4)]))
        name = self.fresh()
        self.emit(depth, f"{name} = {e}")
        sc.floats[name] = b

    def st_reassign(self, sc, depth, ret_kind):
        if sc.loop_depth > 0:
            cands = sorted(sc.mutable & set(sc.floats))
            if not cands:
                return self.st_assign(sc, depth, ret_kind)
            name = self.r.choice(cands)
            self.accumulate(sc, depth, name)
            return
        names = [k for k in sorted(sc.floats) if "[" not in k]     # not the elements of a tuple
        if not names:
            return self.st_assign(sc, depth, ret_kind)
        name = self.r.choice(names)
        e, b = self.expr(sc, self.r.randint(1, 3))
        op = self.r.choice(["=", "+=", "-=", "*="])
        if op == "*=":
            e, b = self.squash(e, b, to=1.5)
            nb = sc.floats[name] * b
        elif op == "=":
            nb = b
        else:
            nb = sc.floats[name] + b
        self.emit(depth, f"{name} {op} {e}")
        e2, nb2 = self.limit(name, nb)
        if e2 != name:
            self.emit(depth, f"{name} = {e2}")
        sc.floats[name] = max(nb2, sc.floats[name]) if depth > 1 else nb2

    def accumulate(self, sc, depth, name):
        """A bounded loop-carried update of `name` (its bound was fixed when the loop began)."""
        e, b = self.expr(sc, self.r.randint(1, 3))
        e, b = self.squash(e, b, to=1.0)
        form = self.r.randrange(7)
        self.features.add("loop-carried")
        if form == 0:
            self.emit(depth, f"{name} += {e}")
        elif form == 1:
            self.emit(depth, f"{name} -= {e}")
        elif form == 2:
            self.emit(depth, f"{name} = {name} * F(0.5) + {e}")
        elif form == 3:
            self.emit(depth, f"{name} = math.sin({name} + {e})")
        elif form == 4:
            self.emit(depth, f"{name} *= F(1.0) + F(0.2) * math.sin({e})")
        elif form == 5:
            self.emit(depth, f"{name} = {self.r.choice(['max', 'min'])}({name}, {e})")
        else:
            self.emit(depth, f"{name} = math.tanh({name}) + {e}")

    def st_if(self, sc, depth, ret_kind):
        c = self.cond(sc, self.r.randint(1, 3))
        self.features.add("if")
        self.emit(depth, f"if {c}:")
        # a variable assigned in both branches stays visible after the if
        target = self.fresh() if self.chance(0.5) else None
        inner = _Scope(sc)
        self.block(inner, depth + 1, self.r.randint(1, 3), ret_kind)
        bounds = []
        if target:
            e, b = self.expr(inner, 2)
            self.emit(depth + 1, f"{target} = {e}")
            bounds.append(b)
        scopes = [inner]
        if target or self.chance(0.6):
            self.emit(depth, "else:")
            inner2 = _Scope(sc)
            self.block(inner2, depth + 1, self.r.randint(1, 2), ret_kind)
            if target:
                e, b = self.expr(inner2, 2)
                self.emit(depth + 1, f"{target} = {e}")
                bounds.append(b)
            scopes.append(inner2)
        # outer variables reassigned in a branch: keep the larger bound
        for s in scopes:
            for k in sc.floats:
                sc.floats[k] = max(sc.floats[k], s.floats.get(k, 0.0))
        if target:
            sc.floats[target] = max(bounds)

    def loop_header(self, sc, ints):
        """(header text, [index expressions valid in the body], trip count bound, loop var)."""
        i = self.fresh("i")
        opts = []
        for n in ints:
            opts += [(3, ("range", n)), (1, ("range1", n)), (1, ("rev", n))]
        for a in sc.arrays:
            opts += [(1.5, ("shape", a)), (1, ("len", a))]
        if sc.loop_depth > 0 and sc.loop_vars:
            opts += [(3, ("tri", sc.loop_vars[-1]))]
        if not opts:
            opts = [(1, ("const", None))]
        kind, v = self.pick(opts)
        self.features.add("for-" + kind)
        if kind == "range":
            return (f"for {i} in range({v}):", [i, f"{v} - 1 - {i}", f"({i} + 1) % {v}", f"{i} // 2"],
                    7, i)
        if kind == "range1":
            return f"for {i} in range(1, {v}):", [i, f"{i} - 1"], 7, i
        if kind == "rev":
            return f"for {i} in range({v} - 1, -1, -1):", [i, f"({i} + 2) % {v}"], 7, i
        if kind == "shape":
            return (f"for {i} in range({v}.shape[0]):",
                    [i, f"{v}.shape[0] - 1 - {i}", f"({i} + 1) % {v}.shape[0]"], 7, i)
        if kind == "len":
            return f"for {i} in range(len({v})):", [i, f"len({v}) - 1 - {i}"], 7, i
        if kind == "tri":
            # the enclosing loop variable is a valid index, so is everything up to it
            return f"for {i} in range({v} + 1):", [i, f"{v} - {i}"], 7, i
        return f"for {i} in range(3):", [i], 3, i

    def new_accumulators(self, sc, depth, trips):
        accs = []
        for _ in range(self.r.randint(1, 2)):
            name = self.fresh("acc")
            c, bc = self.const(0.0, 1.0)
            if sc.floats and self.chance(0.3):
                src = self.r.choice(sorted(sc.floats))
                e, b = self.squash(src, sc.floats[src], to=1.0)
                self.emit(depth, f"{name} = {e}")
                bc = b
            else:
                self.emit(depth, f"{name} = {c}")
            # += of terms bounded by 1, trips times; *= (1 + 0.2 sin) grows by 1.2 per trip
            sc.floats[name] = min((bc + trips) * 1.2 ** min(trips, 10), 1e3)
            accs.append(name)
        return accs

    def st_for(self, sc, depth, ret_kind):
        header, idx, trips, i = self.loop_header(sc, self.ints)
        trips_total = sc.iters * trips
        accs = self.new_accumulators(sc, depth, trips_total)
        self.emit(depth, header)
        inner = _Scope(sc)
        inner.idx = idx if not sc.idx or self.chance(0.6) else sc.idx + idx
        inner.loop_vars = sc.loop_vars + [i]
        inner.loop_depth += 1
        inner.loop_kind = "for"
        inner.iters = trips_total
        inner.mutable = set(sc.mutable) | set(accs)
        self.features.add("for")
        if sc.loop_depth > 0:
            self.features.add("nested-loop")
        body = self.r.randint(1, 4)
        self.block(inner, depth + 1, body, ret_kind)
        for a in accs:
            if self.chance(0.8):
                self.accumulate(inner, depth + 1, a)

    def st_while(self, sc, depth, ret_kind):
        k = self.fresh("k")
        bound = self.ints[0] if self.ints else (f"{sc.arrays[0]}.shape[0]" if sc.arrays else "5")
        accs = self.new_accumulators(sc, depth, 7 * sc.iters)
        acc = accs[0]
        c, _ = self.const(0.5, 4.0, signed=False)
        self.emit(depth, f"{k} = 0")
        cmp = self.r.choice(["<", ">"])
        if cmp == ">":
            c = f"F(-{c[2:-1]})"
        self.emit(depth, f"while {k} < {bound} and {acc} {cmp} {c}:")
        inner = _Scope(sc)
        inner.idx = [k] + (sc.idx if self.chance(0.5) else [])
        inner.loop_vars = sc.loop_vars + [k]
        inner.loop_depth += 1
        inner.loop_kind = "while"
        inner.iters = 7 * sc.iters
        inner.mutable = set(sc.mutable) | set(accs)
        self.features.add("while")
        self.block(inner, depth + 1, self.r.randint(1, 3), ret_kind)
        # progress: the condition's accumulator moves towards the threshold, the counter steps
        e, b = self.squash(*self.expr(inner, 2), to=1.0)
        self.emit(depth + 1, f"{acc} {'+=' if cmp == '<' else '-='} F(0.3) + F(0.25) * {e}")
        for a in accs[1:]:
            self.accumulate(inner, depth + 1, a)
        self.emit(depth + 1, f"{k} += 1")

    def st_write(self, sc, depth, ret_kind):
        a = self.r.choice(sc.writable)
        ix = self.index(sc)
        e, b = self.expr(sc, self.r.randint(1, 4))
        self.features.add("array-write")
        if self.chance(0.3):
            e, b = self.squash(e, b, to=0.25)
            self.emit(depth, f"{a}[{ix}] += {e}")
            self.features.add("array-+=")
        else:
            e, b = self.squash(e, b, to=ARRAY_BOUND)
            self.emit(depth, f"{a}[{ix}] = {e}")

    def st_continue(self, sc, depth, ret_kind):
        self.emit_if(depth, self.cond(sc, 2), "continue")
        self.features.add("continue")

    def st_unpack(self, sc, depth, ret_kind):
        name = self.r.choice(self.tuple_helpers)
        rb = [h[2] for h in self.helpers if h[0] == name][0]
        a, _ = self.squash(*self.expr(sc, 2), to=3.0)
        b, _ = self.squash(*self.expr(sc, 2), to=3.0)
        u, v = self.fresh(), self.fresh()
        self.emit(depth, f"{u}, {v} = {name}({a}, {b})")
        sc.floats[u] = rb
        sc.floats[v] = rb
        self.features.add("tuple-return")

    def st_raise(self, sc, depth, ret_kind):
        e, b = self.expr(sc, 2)
        self.emit(depth, f"if {e} > F({max(1e3, 10 * b)!r}):     # never true")
        self.emit(depth + 1, f"raise ValueError(\"fuzz: unreachable\")")
        self.features.add("raise")

    def st_break(self, sc, depth, ret_kind):
        self.emit_if(depth, self.cond(sc, 2), "break")
        self.features.add("break")

    def st_return(self, sc, depth, ret_kind):
        c = self.cond(sc, 2)
        self.emit(depth, f"if {c}:")
        if ret_kind == "float":
            e, _ = self.expr(sc, 3)
            self.emit(depth + 1, f"return {e}")
        else:
            self.emit(depth + 1, "return")
        self.features.add("early-return")

    def st_loop2d(self, sc, depth, ret_kind):
        """A nested loop over the 2-d arrays: reads, an accumulator, maybe writes."""
        a = self.r.choice(sc.arrays2)
        i, j = self.fresh("i"), self.fresh("j")
        accs = self.new_accumulators(sc, depth, 16)
        self.emit(depth, f"for {i} in range({a}.shape[0]):")
        self.emit(depth + 1, f"for {j} in range({a}.shape[1]):")
        inner = _Scope(sc)
        inner.idx2 = [(i, j), (f"{a}.shape[0] - 1 - {i}", j), (i, f"{a}.shape[1] - 1 - {j}")]
        inner.idx = []
        inner.loop_vars = sc.loop_vars + [i, j]
        inner.loop_depth += 2
        inner.loop_kind = "for"
        inner.iters = 16 * sc.iters
        inner.mutable = set(sc.mutable) | set(accs)
        self.features.add("2d-loop")
        if sc.writable2 and self.chance(0.6):
            o = self.r.choice(sc.writable2)
            e, b = self.squash(*self.expr(inner, self.r.randint(1, 3)), to=ARRAY_BOUND)
            if self.chance(0.3):
                e, b = self.squash(e, b, to=0.25)
                self.emit(depth + 2, f"{o}[{i}, {j}] += {e}")
            else:
                self.emit(depth + 2, f"{o}[{i}, {j}] = {e}")
            self.features.add("2d-write")
        if self.chance(0.5):
            self.block(inner, depth + 2, 1, ret_kind)
        for acc in accs:
            self.accumulate(inner, depth + 2, acc)

    def st_localarray(self, sc, depth, ret_kind):
        src = self.r.choice(sc.arrays)
        name = self.fresh("w")
        form = self.r.randrange(3)
        if form == 1 and "copy" in EXCLUDE:
            form = 0
        self.features.add("local-array")
        if form == 0:
            self.emit(depth, f"{name} = np.zeros_like({src})")
        elif form == 1:
            self.emit(depth, f"{name} = {src}.copy()")
            self.features.add("copy")
        else:
            self.emit(depth, f"{name} = np.empty({src}.shape[0], {src}.dtype)")
            j = self.fresh("i")
            e, _ = self.squash(*self.expr(sc, 2), to=ARRAY_BOUND)
            self.emit(depth, f"for {j} in range({name}.shape[0]):")
            self.emit(depth + 1, f"{name}[{j}] = {e} + F(0.0) * {src}[{j}]")
        sc.arrays.append(name)
        sc.writable.append(name)

    # ------------------------------------------------------------------ functions
    def helper(self, k):
        name = f"h{k}"
        kind = self.pick([(5, "ff"), (3, "af"), (2, "ft")])
        sc = _Scope()
        sc.in_helper = True
        if kind in ("ff", "ft"):
            sc.floats = {"p": 3.0, "q": 3.0}
            sig = "p, q"
        else:
            sc.floats = {"p": 3.0}
            sc.arrays = ["v"]
            if self.chance(0.3):
                sc.writable = ["v"]
            sig = "v, p"
        self.emit(0, "@njit")
        self.emit(0, f"def {name}({sig}):")
        saved_ints = self.ints
        self.ints = []
        self.block(sc, 1, self.r.randint(1, 4), "float")
        self.ints = saved_ints
        e, b = self.expr(sc, 3)
        e, b = self.limit(e, b)
        if kind == "ft":
            e2, b2 = self.limit(*self.expr(sc, 3))
            self.emit(1, f"return {e}, {e2}")
            b = max(b, b2)
            self.tuple_helpers.append(name)
        else:
            self.emit(1, f"return {e}")
        self.emit(0, "")
        self.emit(0, "")
        self.helpers.append((name, kind, b))

    def program(self) -> Program:
        r = self.r
        self.emit(0, "import math")
        self.emit(0, "import numpy as np")
        self.emit(0, "from numba import njit")
        self.emit(0, "")
        self.emit(0, "")
        self.ints = []
        if self.chance(0.2):
            vals = ", ".join(repr(round(r.uniform(-2.0, 2.0), 3)) for _ in range(7))
            self.emit(0, f"K = np.array([{vals}], dtype=F)    # a global: numba freezes it as a constant")
            self.emit(0, "")
            self.emit(0, "")
            self.const_array = True
        for k in range(self.pick([(5, 0), (3, 1), (2, 2), (1, 3)])):
            self.helper(k)
        length = r.randint(3, 7)
        kind = self.pick([(5, "scalar"), (3, "out"), (2, "both")])
        nf = r.randint(0 if kind != "scalar" else 1, 4)
        na = r.randint(0, 3) if kind == "scalar" else r.randint(1, 3)
        ni = self.pick([(3, 0), (5, 1), (2, 2)])
        nout = 0 if kind == "scalar" else r.randint(1, 2)
        params = ([Param(f"x{k}", "float") for k in range(nf)]
                  + [Param(f"a{k}", "array") for k in range(na)]
                  + [Param(f"o{k}", "array", "out") for k in range(nout)]
                  + [Param(n, "int") for n in ["n", "m"][:ni]]
                  + [Param(f"p{k}", "pair") for k in range(self.pick([(8, 0), (2, 1)]))])
        n2 = self.pick([(7, 0), (2, 1), (1, 2)])
        params += [Param(f"b{k}", "array2") for k in range(n2)]
        if n2 and kind != "scalar" and self.chance(0.5):
            params.append(Param("q0", "array2", "out"))
        shape2 = (r.randint(2, 4), r.randint(2, 4))
        if nf + na == 0:
            params.insert(0, Param("x0", "float"))
        r.shuffle(params)
        inplace = [p for p in params if p.kind == "array" and p.role == "in" and self.chance(0.15)]
        for p in inplace:
            p.role = "inout"
            self.features.add("inplace-input")
        self.ints = [p.name for p in params if p.kind == "int"]
        sc = _Scope()
        sc.floats = {p.name: 1.6 for p in params if p.kind == "float"}
        for p in params:
            if p.kind == "pair":
                sc.floats[f"{p.name}[0]"] = sc.floats[f"{p.name}[1]"] = 1.6
                self.features.add("tuple-argument")
        sc.arrays = [p.name for p in params if p.kind == "array"]
        sc.writable = [p.name for p in params if p.kind == "array" and p.role != "in"]
        sc.arrays2 = [p.name for p in params if p.kind == "array2"]
        sc.writable2 = [p.name for p in params if p.kind == "array2" and p.role != "in"]
        self.emit(0, "@njit")
        self.emit(0, f"def f({', '.join(p.name for p in params)}):")
        ret_kind = "float" if kind in ("scalar", "both") else "none"
        self.block(sc, 1, r.randint(2, 8), ret_kind)
        # every output array is written at every index
        for p in params:
            if p.role == "out" and p.kind == "array2":
                i, j = self.fresh("i"), self.fresh("j")
                self.emit(1, f"for {i} in range({p.name}.shape[0]):")
                self.emit(2, f"for {j} in range({p.name}.shape[1]):")
                inner = _Scope(sc)
                inner.idx2 = [(i, j), (f"{p.name}.shape[0] - 1 - {i}", j)]
                inner.idx = []
                inner.loop_vars = [i, j]
                inner.loop_depth = 2
                e, b = self.squash(*self.expr(inner, r.randint(2, 4)), to=ARRAY_BOUND)
                self.emit(3, f"{p.name}[{i}, {j}] = {e}")
            elif p.role == "out":
                i = self.fresh("i")
                self.emit(1, f"for {i} in range({p.name}.shape[0]):")
                inner = _Scope(sc)
                inner.idx = [i, f"{p.name}.shape[0] - 1 - {i}"]
                inner.loop_vars = [i]
                inner.loop_depth = 1
                e, b = self.squash(*self.expr(inner, r.randint(2, 4)), to=ARRAY_BOUND)
                op = "=" if self.chance(0.75) else "+="
                if op == "+=":
                    e, b = self.squash(e, b, to=1.0)
                self.emit(2, f"{p.name}[{i}] {op} {e}")
        if ret_kind == "float":
            terms = [self.expr(sc, r.randint(2, 4))[0]]
            locs = sorted(sc.floats)
            for name in r.sample(locs, min(len(locs), r.randint(1, 4))):
                terms.append(name)
            self.emit(1, f"return {' + '.join(terms)}")
        self.emit(0, "")
        self.kind = kind
        return Program(self.seed, "\n".join(self.lines), params, ret_kind == "float", length,
                       self.features, shape2)


MAX_SOURCE = 2200   # characters; numba's compile time grows with the source (about 1 s per 1000)


def generate(seed: int) -> Program:
    """The program of this seed (deterministic). Programs longer than MAX_SOURCE are drawn again
    (from a derived stream) to bound the compile time."""
    for attempt in range(20):
        g = Generator(seed if attempt == 0 else seed * 1009 + attempt)
        prog = g.program()
        if len(prog.source) <= MAX_SOURCE:
            break
    prog.seed = seed
    return prog


if __name__ == "__main__":
    import sys
    for s in sys.argv[1:] or ["1"]:
        p = generate(int(s))
        print(f"# seed {s}: params {[(q.name, q.kind, q.role) for q in p.params]}, L={p.length}")
        print(p.source)
