"""What the two program generators share: gen.py (numba Python) and cgen.py (C).

:class:`GeneratorBase` holds the random draws (``chance``, ``pick``, ``const``), the output lines,
conditions and the expression forms that are the same in both languages but for syntax (``+ - *
/``, negation, min/max, the ternary). A subclass gives the syntax:

* ``SIMPLE``: the regular expression of a leaf (a name, an array element, a constant);
* ``INDENT``; ``num(v)``: a float literal; ``fn(name)``: a math function;
* ``ANY``, ``BOTH``, ``NOT``, ``TERNARY``, ``IF``: templates of ``or``, ``and``, ``not``, the
  ternary and a one-statement ``if``; ``MINMAX``: the names of min and max;

and its own ``expr`` (which calls :meth:`shared_op` for the ops in ``SHARED_OPS``), ``index`` and
``squash``.
"""
from __future__ import annotations

import random

LIMIT = 12.0        # an expression whose magnitude bound exceeds this is squashed
ARRAY_BOUND = 2.5   # magnitude bound of array elements (writes are squashed to it)

#: the expression ops :meth:`GeneratorBase.shared_op` builds
SHARED_OPS = ("add", "sub", "mul", "div", "neg", "minmax", "ternary")


class Scope:
    """What generated code may use at one point: float locals with magnitude bounds, arrays,
    valid index expressions, the enclosing loops. The generators add their own fields."""

    def __init__(self, parent=None):
        self.floats: dict = dict(parent.floats) if parent else {}      # name -> magnitude bound
        self.mutable: set = set(parent.mutable) if parent else set()   # floats that may be assigned
        self.arrays: list = list(parent.arrays) if parent else []      # readable arrays
        self.writable: list = list(parent.writable) if parent else []
        self.idx: list = list(parent.idx) if parent else []            # valid index expressions
        self.loop_vars: list = list(parent.loop_vars) if parent else []
        self.loop_depth: int = parent.loop_depth if parent else 0
        self.in_helper: bool = parent.in_helper if parent else False


class GeneratorBase:
    SIMPLE = None               # re.Pattern: see simple()
    INDENT = "    "
    ANY = "{} or {}"
    BOTH = "{} and {}"
    NOT = "not ({})"
    TERNARY = "({a} if {c} else {b})"
    IF = "if {}:"
    MINMAX = ("min", "max")

    def __init__(self, seed: int):
        self.seed = seed
        self.r = random.Random(seed)
        self.counter = 0
        self.lines: list = []
        self.helpers: list = []          # (name, kind, result bound)
        self.features: set = set()

    # ------------------------------------------------------------------ syntax hooks
    def num(self, v: float) -> str:
        """A float literal."""
        raise NotImplementedError

    def fn(self, name: str) -> str:
        """A math function (sin, cos, ...)."""
        raise NotImplementedError

    def simple(self, e: str) -> bool:
        """A leaf (a name, an array element, a constant): cheap to repeat in the source text."""
        return self.SIMPLE.fullmatch(e) is not None

    # ------------------------------------------------------------------ small utilities
    def fresh(self, prefix="t"):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def emit(self, depth, text):
        self.lines.append(self.INDENT * depth + text)

    def emit_if(self, depth, cond, stmt):
        """`if cond` with the one statement `stmt` as its body."""
        self.emit(depth, self.IF.format(cond))
        self.emit(depth + 1, stmt)

    def chance(self, p):
        return self.r.random() < p

    def const(self, lo=0.1, hi=2.5, signed=True):
        c = round(self.r.uniform(lo, hi), 3)
        if signed and self.chance(0.4):
            c = -c
        return self.num(c), abs(c)

    def pick(self, weighted):
        """weighted: list of (weight, value)."""
        tot = sum(w for w, _ in weighted)
        x = self.r.uniform(0, tot)
        for w, v in weighted:
            x -= w
            if x <= 0:
                return v
        return weighted[-1][1]

    def limit(self, e, b):
        return self.squash(e, b, LIMIT) if b > LIMIT else (e, b)

    # ------------------------------------------------------------------ expressions
    def leaf_kinds(self, sc) -> list:
        """The (weight, kind) leaves both generators have: const, var, read, loopvar."""
        opts = [(2.0, "const")]
        if sc.floats:
            opts.append((6.0, "var"))
        if sc.arrays:
            opts.append((4.0 if sc.idx else 1.5, "read"))
        if sc.loop_vars:
            opts.append((0.4, "loopvar"))
        return opts

    def plain_leaf(self, sc, kind):
        """A leaf of kind var or read; a constant for any other kind."""
        if kind == "var":
            name = self.r.choice(sorted(sc.floats))
            return name, sc.floats[name]
        if kind == "read":
            a = self.r.choice(sc.arrays)
            return f"{a}[{self.index(sc)}]", ARRAY_BOUND
        return self.const()

    def cond(self, sc, depth):
        a, _ = self.expr(sc, depth)
        form = self.r.randrange(6)
        zero = self.num(0.0)
        if form == 0:
            c, _ = self.const(0.0, 1.0)
            s = f"{a} > {c}"
        elif form == 1:
            b, _ = self.expr(sc, depth)
            s = f"{a} < {b}"
        elif form == 2:
            b, _ = self.expr(sc, depth)
            s = f"{a} * {b} >= {zero}"
        elif form == 3:
            c, _ = self.const(0.0, 1.0)
            b, _ = self.expr(sc, depth - 1)
            s = self.ANY.format(f"{a} <= {c}", f"{b} > {a}")
        elif form == 4:
            b, _ = self.expr(sc, depth - 1)
            s = self.NOT.format(f"{a} >= {b}")
        else:
            c, _ = self.const(0.0, 1.0)
            b, _ = self.expr(sc, depth - 1)
            s = self.BOTH.format(f"{a} > {c}", f"{b} != {zero}")
        self.features.add("compare")
        return s

    def off_zero(self, b, bb, always=True):
        """b moved away from 0 (hypot is not differentiable at (0, 0)): 0.5 + b*b, or 1.5 + sin(b)
        (with always=False: half the time; else b itself)."""
        if self.simple(b):
            return f"({self.num(0.5)} + {b} * {b})", 0.5 + bb * bb
        if always or self.chance(0.5):
            return f"({self.num(1.5)} + {self.fn('sin')}({b}))", 2.5
        return b, bb

    def shared_op(self, sc, d, op):
        """(source text, magnitude bound) of an op in SHARED_OPS, its operands of depth d."""
        if op in ("add", "sub", "mul"):
            a, ba = self.expr(sc, d)
            b, bb = self.expr(sc, d)
            if op == "mul":
                return self.limit(f"({a} * {b})", ba * bb)
            return self.limit(f"({a} {'+' if op == 'add' else '-'} {b})", ba + bb)
        if op == "div":
            a, ba = self.expr(sc, d)
            b, bb = self.expr(sc, d)
            self.features.add("div")
            form = self.r.randrange(3)
            if form == 0 and self.simple(b):
                return f"({a} / ({self.num(1.5)} + {b} * {b}))", ba / 1.5
            if form == 1:
                return f"({a} / ({self.num(2.0)} + {self.fn('sin')}({b})))", ba
            c, bc = self.const(0.5, 3.0)
            return f"({a} / {c})", ba / bc
        if op == "neg":
            a, ba = self.expr(sc, d)
            return f"(-{a})", ba
        if op == "minmax":
            a, ba = self.expr(sc, d)
            b, bb = self.expr(sc, d)
            fn = self.r.choice(self.MINMAX)
            self.features.add(fn)
            return f"{fn}({a}, {b})", max(ba, bb)
        if op == "ternary":
            c = self.cond(sc, d)
            a, ba = self.expr(sc, d)
            b, bb = self.expr(sc, d)
            self.features.add("ternary")
            return self.TERNARY.format(c=c, a=a, b=b), max(ba, bb)
        raise AssertionError(op)
