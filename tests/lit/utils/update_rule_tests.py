#!/usr/bin/env python3
"""Writes tests/lit/rules/<row>.ll, one lit test per row of the rule table (cpp/lib/rules/Rules.cpp),
and checks the derivatives numerically.

    python3 tests/lit/utils/update_rule_tests.py [ROW ...]          # (re)write the test files
    python3 tests/lit/utils/update_rule_tests.py --numeric [0-3]    # finite differences, no files

Each test holds, for every spelling of the row (LLVM intrinsic and/or libm call; f64, f32 and, for
some rows, <2 x double>), a function @f_<tag> using it, a reverse-mode caller @grad_<tag>
(__enzyme_autodiff, every float argument active) and a forward-mode caller @tangent_<tag>
(__enzyme_fwddiff, every float argument with a tangent).

The CHECK lines are made like update_test_checks.py makes them: from the tool's output at -O2, where
the derivative is inlined into @grad_*/@tangent_*, keeping the instructions the returned value
depends on (the partial-derivative computation) with SSA names turned into FileCheck variables. So
they pin what the tool does now: READ THE DIFF before committing regenerated files, and run
--numeric, which compiles the tool's output with clang-22 and compares every gradient and tangent
with central finite differences (with enzpy-opt at -O0..-O3, -O2 by default).

enzpy-opt: --enzpy-opt PATH, else $ENZPY_OPT, else on PATH, else build/*/cpp/enzpy-opt.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
RULES_DIR = os.path.join(HERE, "..", "rules")

D, F, V = "double", "float", "<2 x double>"
ZERO_ROWS = ("floor", "ceil", "trunc", "round", "roundeven", "rint", "nearbyint")

# ---------------------------------------------------------------- the rows and their spellings
# A variant: (tag, type, arguments, body, declarations[, extra parameter]).  arguments is the number of
# float arguments of `type`, or one of the reduction shapes below. The body uses %a0, %a1, ... and
# defines %r.


def unary(name, intr=True, libm=True, vec=False, f32intr=False):
    vs = []
    if intr:
        vs.append(("intr", D, 1, f"%r = call double @llvm.{name}.f64(double %a0)", [f"declare double @llvm.{name}.f64(double)"]))
    if f32intr:
        vs.append(("intr_f32", F, 1, f"%r = call float @llvm.{name}.f32(float %a0)", [f"declare float @llvm.{name}.f32(float)"]))
    if libm:
        vs.append(("libm", D, 1, f"%r = call double @{name}(double %a0)", [f"declare double @{name}(double)"]))
        vs.append(("libm_f32", F, 1, f"%r = call float @{name}f(float %a0)", [f"declare float @{name}f(float)"]))
    if vec:
        vs.append(("vec", V, 1, f"%r = call <2 x double> @llvm.{name}.v2f64(<2 x double> %a0)",
                   [f"declare <2 x double> @llvm.{name}.v2f64(<2 x double>)"]))
    return vs


def binary(name, intr=True, libm=True, vec=False, f32intr=False):
    vs = []
    if intr:
        vs.append(("intr", D, 2, f"%r = call double @llvm.{name}.f64(double %a0, double %a1)",
                   [f"declare double @llvm.{name}.f64(double, double)"]))
    if f32intr:
        vs.append(("intr_f32", F, 2, f"%r = call float @llvm.{name}.f32(float %a0, float %a1)",
                   [f"declare float @llvm.{name}.f32(float, float)"]))
    if libm:
        vs.append(("libm", D, 2, f"%r = call double @{name}(double %a0, double %a1)", [f"declare double @{name}(double, double)"]))
        vs.append(("libm_f32", F, 2, f"%r = call float @{name}f(float %a0, float %a1)", [f"declare float @{name}f(float, float)"]))
    if vec:
        vs.append(("vec", V, 2, f"%r = call <2 x double> @llvm.{name}.v2f64(<2 x double> %a0, <2 x double> %a1)",
                   [f"declare <2 x double> @llvm.{name}.v2f64(<2 x double>, <2 x double>)"]))
    return vs


def instruction(op, n):
    vs = []
    for tag, ty in (("f64", D), ("f32", F), ("vec", V)):
        body = f"%r = {op} {ty} %a0" if n == 1 else f"%r = {op} {ty} %a0, %a1"
        vs.append((tag, ty, n, body, []))
    return vs


def ternary(name, intr, libm):
    vs = []
    if intr:
        vs.append(("intr", D, 3, f"%r = call double @llvm.{name}.f64(double %a0, double %a1, double %a2)",
                   [f"declare double @llvm.{name}.f64(double, double, double)"]))
        if not libm:
            vs.append(("intr_f32", F, 3, f"%r = call float @llvm.{name}.f32(float %a0, float %a1, float %a2)",
                       [f"declare float @llvm.{name}.f32(float, float, float)"]))
    if libm:
        vs.append(("libm", D, 3, f"%r = call double @{name}(double %a0, double %a1, double %a2)",
                   [f"declare double @{name}(double, double, double)"]))
        vs.append(("libm_f32", F, 3, f"%r = call float @{name}f(float %a0, float %a1, float %a2)",
                   [f"declare float @{name}f(float, float, float)"]))
    return vs


ROWS = {
    "fadd": instruction("fadd", 2), "fsub": instruction("fsub", 2), "fmul": instruction("fmul", 2),
    "fdiv": instruction("fdiv", 2), "fneg": instruction("fneg", 1), "frem": instruction("frem", 2),
    "sqrt": unary("sqrt", vec=True), "sin": unary("sin", vec=True), "cos": unary("cos", vec=True),
    "tan": unary("tan"), "asin": unary("asin"), "acos": unary("acos"), "atan": unary("atan"),
    "atan2": binary("atan2"), "sinh": unary("sinh"), "cosh": unary("cosh"), "tanh": unary("tanh"),
    "asinh": unary("asinh", intr=False), "atanh": unary("atanh", intr=False),
    "acosh": [(tag, ty, 1, body.replace("(double %a0)", "(double %t)").replace("(float %a0)", "(float %t)"),
               decls) for tag, ty, _, body, decls in unary("acosh", intr=False)
              for body in ["%t = fadd " + ty + " %a0, 1.0\n  " + body]],   # at 1 + x: acosh needs x > 1
    "exp": unary("exp", vec=True), "exp2": unary("exp2"), "exp10": unary("exp10"),
    "expm1": unary("expm1", intr=False),
    "log": unary("log", vec=True), "log2": unary("log2"), "log10": unary("log10"),
    "log1p": unary("log1p", intr=False),
    "pow": binary("pow", vec=True),
    "powi": [("intr", D, 1, "%r = call double @llvm.powi.f64.i32(double %a0, i32 %n)",
              ["declare double @llvm.powi.f64.i32(double, i32)"], "i32 %n"),
             ("intr_f32", F, 1, "%r = call float @llvm.powi.f32.i32(float %a0, i32 %n)",
              ["declare float @llvm.powi.f32.i32(float, i32)"], "i32 %n")],
    "cbrt": unary("cbrt", intr=False), "hypot": binary("hypot", intr=False),
    "erf": unary("erf", intr=False), "erfc": unary("erfc", intr=False),
    "fabs": unary("fabs", vec=True, f32intr=True),
    "fma": ternary("fma", intr=True, libm=True), "fmuladd": ternary("fmuladd", intr=True, libm=False),
    "copysign": binary("copysign"),
    "minnum": binary("minnum", libm=False, f32intr=True), "maxnum": binary("maxnum", libm=False, f32intr=True),
    "minimum": binary("minimum", libm=False, vec=True), "maximum": binary("maximum", libm=False, f32intr=True),
    "fmin": binary("fmin", intr=False), "fmax": binary("fmax", intr=False), "fmod": binary("fmod", intr=False),
    "vector.reduce.fadd": [
        ("v2f64", D, "red2", "%r = call double @llvm.vector.reduce.fadd.v2f64(double %a0, <2 x double> %a1)",
         ["declare double @llvm.vector.reduce.fadd.v2f64(double, <2 x double>)"]),
        ("v4f32", F, "red2f", "%r = call float @llvm.vector.reduce.fadd.v4f32(float %a0, <4 x float> %a1)",
         ["declare float @llvm.vector.reduce.fadd.v4f32(float, <4 x float>)"])],
    "vector.reduce.fmul": [
        ("v2f64", D, "red2", "%r = call double @llvm.vector.reduce.fmul.v2f64(double %a0, <2 x double> %a1)",
         ["declare double @llvm.vector.reduce.fmul.v2f64(double, <2 x double>)"]),
        ("v4f32", F, "red2f", "%r = call float @llvm.vector.reduce.fmul.v4f32(float %a0, <4 x float> %a1)",
         ["declare float @llvm.vector.reduce.fmul.v4f32(float, <4 x float>)"])],
}
for _r in ("fmax", "fmin", "fmaximum", "fminimum"):
    ROWS["vector.reduce." + _r] = [
        ("v2f64", D, "red1", f"%r = call double @llvm.vector.reduce.{_r}.v2f64(<2 x double> %a0)",
         [f"declare double @llvm.vector.reduce.{_r}.v2f64(<2 x double>)"]),
        ("v4f32", F, "red1f", f"%r = call float @llvm.vector.reduce.{_r}.v4f32(<4 x float> %a0)",
         [f"declare float @llvm.vector.reduce.{_r}.v4f32(<4 x float>)"])]
for _r in ZERO_ROWS:
    ROWS[_r] = unary(_r)

DOC = {
    "fadd": "d(x + y) = dx + dy",
    "fsub": "d(x - y) = dx - dy",
    "fmul": "d(x * y) = y dx + x dy",
    "fdiv": "d(x / y) = dx / y - (x / y) / y dy",
    "fneg": "d(-x) = -dx",
    "frem": "x rem y = x - y trunc(x / y), so d = dx - trunc(x / y) dy",
    "sqrt": "d sqrt(x) = 0.5 / sqrt(x) dx (the partial reads the result)",
    "sin": "d sin(x) = cos(x) dx",
    "cos": "d cos(x) = -sin(x) dx",
    "tan": "d tan(x) = (1 + tan(x)^2) dx (the partial reads the result)",
    "asin": "d asin(x) = 1 / sqrt(1 - x^2) dx",
    "acos": "d acos(x) = -1 / sqrt(1 - x^2) dx",
    "atan": "d atan(x) = 1 / (1 + x^2) dx",
    "atan2": "d atan2(x, y) = (y dx - x dy) / (x^2 + y^2)   (x is the first operand)",
    "sinh": "d sinh(x) = cosh(x) dx",
    "asinh": "d asinh(x) = 1 / sqrt(x^2 + 1) dx",
    "acosh": "d acosh(x) = 1 / sqrt(x^2 - 1) dx   (tested at 1 + x)",
    "atanh": "d atanh(x) = 1 / (1 - x^2) dx",
    "cosh": "d cosh(x) = sinh(x) dx",
    "tanh": "d tanh(x) = (1 - tanh(x)^2) dx (the partial reads the result)",
    "exp": "d exp(x) = exp(x) dx (the partial is the result)",
    "exp2": "d exp2(x) = exp2(x) ln(2) dx   (ln 2 = 0x3FE62E42FEFA39EF)",
    "exp10": "d exp10(x) = exp10(x) ln(10) dx   (ln 10 = 0x40026BB1BBB55516)",
    "expm1": "d expm1(x) = (expm1(x) + 1) dx",
    "log": "d log(x) = dx / x",
    "log2": "d log2(x) = dx / (x ln 2)",
    "log10": "d log10(x) = dx / (x ln 10)",
    "log1p": "d log1p(x) = dx / (x + 1)",
    "pow": "d pow(x, y) = y pow(x, y - 1) dx + pow(x, y) log(x) dy",
    "powi": "d powi(x, n) = n powi(x, n - 1) dx (the integer exponent is inactive)",
    "cbrt": "d cbrt(x) = dx / (3 cbrt(x)^2)",
    "hypot": "d hypot(x, y) = (x dx + y dy) / hypot(x, y)",
    "erf": "d erf(x) = 2/sqrt(pi) exp(-x^2) dx   (2/sqrt(pi) = 0x3FF20DD750429B6D)",
    "erfc": "d erfc(x) = -2/sqrt(pi) exp(-x^2) dx",
    "fabs": "d |x| = copysign(1, x) dx",
    "fma": "d fma(x, y, z) = y dx + x dy + dz",
    "fmuladd": "d fmuladd(x, y, z) = y dx + x dy + dz",
    "copysign": "d copysign(x, y) = copysign(1, x) copysign(1, y) dx   (y gets no derivative)",
    "minnum": "the derivative follows x when x <= y (or y is NaN) and x is not NaN, else y",
    "maxnum": "the derivative follows x when x >= y (or y is NaN) and x is not NaN, else y",
    "minimum": "the derivative follows x when x <= y (ordered), else y",
    "maximum": "the derivative follows x when x >= y (ordered), else y",
    "fmin": "(libm) the derivative follows x when x <= y (or y is NaN) and x is not NaN, else y",
    "fmax": "(libm) the derivative follows x when x >= y (or y is NaN) and x is not NaN, else y",
    "fmod": "(libm) fmod(x, y) = x - y trunc(x / y), so d = dx - trunc(x / y) dy",
    "vector.reduce.fadd": "d reduce.fadd(s, v) = ds + sum(dv); the adjoint of v is the splat of the result's",
    "vector.reduce.fmul": ("d reduce.fmul(s, v) = prod(v) ds + sum_i s prod_(j != i) v_j dv_i (products of the "
                           "other lanes, no division: a lane may be zero)"),
}
for _r in ("fmax", "fmin", "fmaximum", "fminimum"):
    DOC["vector.reduce." + _r] = "the derivative flows to the first lane equal to the result (a one-hot vector)"
for _r in ZERO_ROWS:
    DOC[_r] = (f"piecewise constant, no derivative. The test differentiates x * {_r}(x), "
               f"whose derivative is {_r}(x): nothing comes from {_r} itself")

# ---------------------------------------------------------------- test inputs


def arg_types(ty, n):
    return {"red2": [D, V], "red2f": [F, "<4 x float>"], "red1": [V], "red1f": ["<4 x float>"]}.get(n) or [ty] * n


def arg_name(n, i):
    if n in ("red2", "red2f"):
        return ["s", "v"][i]
    if n in ("red1", "red1f"):
        return "v"
    return ["x", "y", "z"][i]


def grad_type(ats):
    return ats[0] if len(ats) == 1 and not ats[0].startswith("<") else "{ " + ", ".join(ats) + " }"


def tangent_type(ty):
    return ty if not ty.startswith("<") else "{ " + ty + " }"


def variant_ir(row, v):
    """The three functions of a variant, as IR text."""
    tag, ty, n, body, _decls = v[:5]
    extra = v[5] if len(v) > 5 else None
    ats = arg_types(ty, n)
    tail = ", " + extra if extra else ""
    if row in ZERO_ROWS:
        body = body.replace("%r =", "%c =") + f"\n  %r = fmul {ty} %c, %a0"
    for i in range(len(ats)):
        body = body.replace(f"%a{i}", "%" + arg_name(n, i))
    params = ", ".join(f"{t} %{arg_name(n, i)}" for i, t in enumerate(ats)) + tail
    f = f"define {ty} @f_{tag}({params}) {{\n  {body}\n  ret {ty} %r\n}}"
    gty = grad_type(ats)
    g = (f"define {gty} @grad_{tag}({params}) {{\n"
         f"  %d = call {gty} (ptr, ...) @__enzyme_autodiff(ptr @f_{tag}, {params})\n  ret {gty} %d\n}}")
    tparams = ", ".join(f"{t} %{arg_name(n, i)}, {t} %d{arg_name(n, i)}" for i, t in enumerate(ats)) + tail
    tty = tangent_type(ty)
    t = (f"define {tty} @tangent_{tag}({tparams}) {{\n"
         f"  %d = call {tty} (ptr, ...) @__enzyme_fwddiff(ptr @f_{tag}, {tparams})\n  ret {tty} %d\n}}")
    return f, g, t


def row_ir(row):
    decls = ["declare double @__enzyme_autodiff(ptr, ...)", "declare double @__enzyme_fwddiff(ptr, ...)"]
    funcs = []
    for v in ROWS[row]:
        decls += [d for d in v[4] if d not in decls]
        funcs.append((v, variant_ir(row, v)))
    return decls, funcs


# ---------------------------------------------------------------- CHECK lines from the output

DEF = re.compile(r"^\s+(%[-\w.\"']+) = (.*)$")
TOK = re.compile(r"%[-\w.]+|%\"[^\"]*\"")


def bodies(text):
    """function name -> its body lines"""
    out, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"^define .*@([-\w.]+)\(", line)
        if m:
            cur = m.group(1)
            out[cur] = []
        elif line.startswith("}"):
            cur = None
        elif cur:
            out[cur].append(line)
    return out


def returned_slice(lines):
    """The lines the returned value depends on, in order (drops e.g. errno guards of libm calls)."""
    defs = {m.group(1): i for i, l in enumerate(lines) if (m := DEF.match(l))}
    keep = {i for i, l in enumerate(lines) if l.strip().startswith("ret ")}
    work = list(keep)
    while work:
        l = lines[work.pop()]
        m = DEF.match(l)
        for t in TOK.findall(m.group(2) if m else l):
            if t in defs and defs[t] not in keep:
                keep.add(defs[t])
                work.append(defs[t])
    return [lines[i] for i in sorted(keep)]


def var_name(rhs, used):
    m = re.search(r"call .*?@(?:llvm\.)?([\w.]+)\(", rhs)
    if m:
        parts = [p for p in m.group(1).split(".") if not re.fullmatch(r"(f|v\d+f|i|v\d+i)\d+", p)]
        base = "_".join(parts).upper().replace("VECTOR_REDUCE_", "REDUCE_")
    else:
        base = rhs.split()[0].upper()
        base = {"INSERTVALUE": "IV", "INSERTELEMENT": "IE", "SHUFFLEVECTOR": "SPLAT", "EXTRACTVALUE": "EV"}.get(base, base)
    base = re.sub(r"\W", "_", base)
    used[base] = used.get(base, 0) + 1
    return base if used[base] == 1 else f"{base}{used[base]}"


def check_lines(fn, fbodies, prefix="CHECK"):
    out = [f"; {prefix}-LABEL: define {{{{.*}}}} @{fn}("]
    names, used = {}, {}
    for l in returned_slice(fbodies[fn]):
        m = DEF.match(l)
        rhs = m.group(2) if m else l.strip()
        rhs = re.sub(r"^tail call ", "call ", rhs)
        rhs = re.sub(r"call range\([^)]*\) ", "call {{.*}}", rhs)
        pattern = TOK.sub(lambda t: f"[[{names[t.group(0)]}]]" if t.group(0) in names else t.group(0), rhs)
        if rhs.startswith("call "):
            pattern = "{{.*}}" + pattern
        if m:
            v = var_name(rhs, used)
            names[m.group(1)] = v
            out.append(f"; {prefix}: [[{v}:%.*]] = {pattern}")
        else:
            out.append(f"; {prefix}: {pattern}")
    return out


# ---------------------------------------------------------------- writing the tests


def find_enzpy_opt(explicit=None):
    for c in [explicit, os.environ.get("ENZPY_OPT"), shutil.which("enzpy-opt")] + sorted(
            glob.glob(os.path.join(REPO, "build", "*", "cpp", "enzpy-opt"))):
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    sys.exit("enzpy-opt not found: pass --enzpy-opt, set ENZPY_OPT or build the project")


def run_tool(tool, src, opt):
    r = subprocess.run([tool, "-", "-S", "-o", "-", opt], input=src, capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(f"enzpy-opt {opt} failed:\n{r.stderr}")
    return r.stdout


def spelling(v):
    m = re.search(r"@([\w.]+)\(", v[3])
    return m.group(1) if m else v[3].split("=")[1].split()[0] + " " + v[1]


def build_test(row, tool):
    decls, funcs = row_ir(row)
    ir = "\n".join(decls) + "\n\n" + "\n\n".join("\n\n".join(fs) for _, fs in funcs) + "\n"
    o2, o0 = bodies(run_tool(tool, ir, "-O2")), bodies(run_tool(tool, ir, "-O0"))
    spells = sorted({spelling(v) for v, _ in funcs}, key=lambda s: (not s.startswith("llvm"), s))
    head = [
        f"; Rule row `{row}` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:",
        f";   {DOC[row]}",
        f"; Spellings: {', '.join(spells)}.",
        ";",
        "; At -O2 the derivatives are inlined: @grad_* (reverse, __enzyme_autodiff, every float",
        "; argument active) and @tangent_* (forward, __enzyme_fwddiff, every float argument with a",
        "; tangent) hold the partial-derivative computation. -O0 keeps the synthesized derivative",
        "; functions and shows the calls that replace the marker calls.",
        "; NOTE: CHECK lines written by tests/lit/utils/update_rule_tests.py (see there).",
        ";",
        "; RUN: %enzpy-opt %s -S -o - -O2 | FileCheck %s",
        "; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s --check-prefix=O0",
        "; O0-NOT: __enzyme_",
    ]
    parts = ["\n".join(head) + "\n\n" + "\n".join(decls)]
    derivs = []
    for v, (f, g, t) in funcs:
        chunk = [f]
        for fn, text in ((f"grad_{v[0]}", g), (f"tangent_{v[0]}", t)):
            cl = check_lines(fn, o2)
            call = next(x for x in o0[fn] if x.strip()).strip()
            m = re.match(r"(%[\w.]+) = call (.*?) @(__enzpy_(?:diffe|fwddiff)\.[\w.]+?)\.([a-z0-9_]+)\((.*)\)$", call)
            if not m:
                raise RuntimeError(f"unexpected first instruction of @{fn} at -O0: {call}")
            derivs.append(m.group(3))
            cl += [f"; O0-LABEL: define {{{{.*}}}} @{fn}(",
                   f"; O0-NEXT: {{{{%.*}}}} = call {m.group(2)} @{m.group(3)}.{{{{[a-z0-9_]+}}}}({m.group(5)})"]
            chunk.append("\n".join(cl) + "\n" + text)
        parts.append("\n\n".join(chunk))
    tail = ["; CHECK-NOT: __enzyme_", ";"] + [f"; O0-DAG: define internal {{{{.*}}}} @{d}." for d in derivs]
    return "\n\n".join(parts) + "\n\n" + "\n".join(tail) + "\n"


# ---------------------------------------------------------------- numeric check

C_HARNESS = r"""
#include <math.h>
#include <stdio.h>
typedef void (*shim)(double *, double *);
static int bad = 0;
static const double pts[] = {0.31, 0.72, 0.53, 0.44, 0.67, 0.38, 0.59, 0.81, 0.26, 0.49, 0.63, 0.35};
static void check(const char *name, shim f, shim g, shim t, int nin, int nout, int isf) {
  double h = isf ? 1e-3 : 1e-6, tol = isf ? 2e-2 : 1e-5;
  double x[16], xp[16], xm[16], fp[16], fm[16], gr[16], tin[32], to[16];
  for (int i = 0; i < nin; i++) x[i] = pts[i % 12];
  g(x, gr);
  for (int j = 0; j < nin; j++) {
    for (int i = 0; i < nin; i++) xp[i] = xm[i] = x[i];
    xp[j] += h; xm[j] -= h;
    f(xp, fp); f(xm, fm);
    double s = 0;
    for (int k = 0; k < nout; k++) s += (fp[k] - fm[k]) / (2 * h);
    if (fabs(s - gr[j]) > tol * (1 + fabs(s))) { printf("BAD gradient %s [%d]: fd %g ad %g\n", name, j, s, gr[j]); bad = 1; }
  }
  for (int i = 0; i < nin; i++) {
    tin[i] = x[i]; tin[nin + i] = 0.3 + 0.2 * i;
    xp[i] = x[i] + h * tin[nin + i]; xm[i] = x[i] - h * tin[nin + i];
  }
  t(tin, to); f(xp, fp); f(xm, fm);
  for (int k = 0; k < nout; k++) {
    double s = (fp[k] - fm[k]) / (2 * h);
    if (fabs(s - to[k]) > tol * (1 + fabs(s))) { printf("BAD tangent %s [%d]: fd %g ad %g\n", name, k, s, to[k]); bad = 1; }
  }
}
"""


class _Shim:
    """IR moving values between double arrays and the (float / vector) arguments and results."""

    def __init__(self):
        self.lines, self.n = [], 0

    def tmp(self):
        self.n += 1
        return f"%t{self.n}"

    @staticmethod
    def shape(t):
        m = re.match(r"<(\d+) x (\w+)>", t)
        return (int(m.group(1)), m.group(2)) if m else (1, t)

    def load(self, ptr, off, t):
        k, e = self.shape(t)
        vals = []
        for i in range(k):
            p, v = self.tmp(), self.tmp()
            self.lines += [f"{p} = getelementptr double, ptr {ptr}, i64 {off + i}", f"{v} = load double, ptr {p}"]
            if e == "float":
                w = self.tmp()
                self.lines.append(f"{w} = fptrunc double {v} to float")
                v = w
            vals.append(v)
        if k == 1:
            return vals[0]
        cur = "poison"
        for i, v in enumerate(vals):
            w = self.tmp()
            self.lines.append(f"{w} = insertelement {t} {cur}, {e} {v}, i32 {i}")
            cur = w
        return cur

    def store(self, ptr, off, t, v):
        k, e = self.shape(t)
        for i in range(k):
            x = v
            if k > 1:
                x = self.tmp()
                self.lines.append(f"{x} = extractelement {t} {v}, i32 {i}")
            if e == "float":
                w = self.tmp()
                self.lines.append(f"{w} = fpext float {x} to double")
                x = w
            p = self.tmp()
            self.lines += [f"{p} = getelementptr double, ptr {ptr}, i64 {off + i}", f"store double {x}, ptr {p}"]


def shims(row, v):
    tag, ty, n = v[:3]
    ats = arg_types(ty, n)
    extra = ", i32 3" if len(v) > 5 else ""
    sizes = [_Shim.shape(t)[0] for t in ats]
    nin, nout = sum(sizes), _Shim.shape(ty)[0]
    key = f"{row.replace('.', '_')}_{tag}"
    out = []

    def args(s, base=0):
        res, off = [], base
        for t, k in zip(ats, sizes):
            res.append((t, s.load("%in", off, t)))
            off += k
        return res

    s = _Shim()
    r = s.tmp()
    s.lines.append(f"{r} = call {ty} @f_{tag}({', '.join(f'{t} {a}' for t, a in args(s))}{extra})")
    s.store("%out", 0, ty, r)
    out.append((f"shim_f_{key}", s.lines))

    s = _Shim()
    gty = grad_type(ats)
    r = s.tmp()
    s.lines.append(f"{r} = call {gty} @grad_{tag}({', '.join(f'{t} {a}' for t, a in args(s))}{extra})")
    if gty == ats[0]:
        s.store("%out", 0, ats[0], r)
    else:
        off = 0
        for i, (t, k) in enumerate(zip(ats, sizes)):
            x = s.tmp()
            s.lines.append(f"{x} = extractvalue {gty} {r}, {i}")
            s.store("%out", off, t, x)
            off += k
    out.append((f"shim_g_{key}", s.lines))

    s = _Shim()
    prim, tang = args(s), args(s, nin)
    tty = tangent_type(ty)
    r = s.tmp()
    s.lines.append(f"{r} = call {tty} @tangent_{tag}({', '.join(f'{t} {a}, {t} {d}' for (t, a), (_, d) in zip(prim, tang))}{extra})")
    if tty != ty:
        x = s.tmp()
        s.lines.append(f"{x} = extractvalue {tty} {r}, 0")
        r = x
    s.store("%out", 0, ty, r)
    out.append((f"shim_t_{key}", s.lines))

    ir = "\n".join(f"define void @{name}(ptr %in, ptr %out) {{\n  " + "\n  ".join(ls) + "\n  ret void\n}" for name, ls in out)
    proto = " ".join(f"void {name}(double *, double *);" for name, _ in out)
    call = (f'  check("{row}/{tag}", shim_f_{key}, shim_g_{key}, shim_t_{key}, {nin}, {nout}, '
            f'{1 if _Shim.shape(ty)[1] == "float" else 0});')
    return ir, proto, call


def numeric(tool, opt, rows):
    clang = shutil.which("clang-22") or sys.exit("clang-22 not found")
    with tempfile.TemporaryDirectory() as tmp:
        objs, protos, calls = [], [], []
        for row in rows:
            decls, funcs = row_ir(row)
            ir = "\n".join(decls) + "\n\n" + "\n\n".join("\n\n".join(fs) for _, fs in funcs) + "\n"
            out = run_tool(tool, ir, opt)
            # the test functions have the same names in every row: keep them local to the row's object
            out = re.sub(r"^define (?!internal)", "define internal ", out, flags=re.M)
            for v, _ in funcs:
                s, p, c = shims(row, v)
                out += "\n" + s + "\n"
                protos.append(p)
                calls.append(c)
            ll, obj = os.path.join(tmp, row + ".ll"), os.path.join(tmp, row + ".o")
            with open(ll, "w") as fh:
                fh.write(out)
            subprocess.run([clang, "-c", "-Wno-override-module", ll, "-o", obj], check=True)
            objs.append(obj)
        main = os.path.join(tmp, "main.c")
        with open(main, "w") as fh:
            fh.write(C_HARNESS + "\n".join(protos) + "\nint main(void) {\n" + "\n".join(calls)
                     + f'\n  printf(bad ? "FAIL\\n" : "PASS: %d variants\\n", {len(calls)});\n  return bad;\n}}\n')
        exe = os.path.join(tmp, "check")
        subprocess.run([clang, main] + objs + ["-lm", "-o", exe], check=True)
        return subprocess.run([exe]).returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rows", nargs="*", help="rows to process (default: all)")
    ap.add_argument("--enzpy-opt", help="the tool (default: $ENZPY_OPT, PATH, build/*/cpp/enzpy-opt)")
    ap.add_argument("--out", default=RULES_DIR, help="where to write the tests (default: tests/lit/rules)")
    ap.add_argument("--numeric", nargs="?", const="2", choices="0123", metavar="N",
                    help="check the derivatives with finite differences, with the tool at -ON "
                         "(default 2), instead of writing files")
    a = ap.parse_args()
    tool = find_enzpy_opt(a.enzpy_opt)
    rows = a.rows or list(ROWS)
    unknown = [r for r in rows if r not in ROWS]
    if unknown:
        sys.exit(f"unknown rows: {', '.join(unknown)}")
    if a.numeric:
        sys.exit(numeric(tool, "-O" + a.numeric, rows))
    os.makedirs(a.out, exist_ok=True)
    for row in rows:
        with open(os.path.join(a.out, row + ".ll"), "w") as fh:
            fh.write(build_test(row, tool))
    print(f"wrote {len(rows)} files to {os.path.relpath(a.out)}")


if __name__ == "__main__":
    main()
