"""Malformed-input fuzzer for the ``enzpy-opt`` CLI.

    python3 tests/fuzz/malformed.py --n 2000 [--seed 1] [--jobs 2] [--timeout 20]
    python3 tests/fuzz/malformed.py --only 17 --seed 1 --keep /tmp/in17   (re-run one input)

Seeds: every ``.ll`` file under tests/lit, the C programs of tests/c compiled with
``clang-22 -O1 -S -emit-llvm``, a few built-in modules (one per marker function, split mode with
a tape), and each of those assembled to bitcode with ``llvm-as-22``. Input ``k`` of a run with seed
``S`` is drawn from ``random.Random(S * 1_000_003 + k)``: a seed module, then one or two mutations:

* ``truncate``, ``flip`` (1-8 random bytes), ``delete-lines``, ``duplicate-line``;
* ``type-swap``: some occurrences of ``double``<->``float``, ``i64``<->``i32``, ``ptr``<->``i64``;
* ``marker-args``: a call to ``__enzyme_autodiff/fwddiff/augmentfwd/reverse`` with an argument
  dropped, duplicated, added, retyped, its function operand replaced (null, an integer, an
  undefined or a declared function, the caller itself), its marker loads switched to another
  marker, or its callee renamed to another of the four (a fresh declaration);
* ``tape``: ``enzyme_tape`` misuse: the tape dropped, null, duplicated, moved, given to
  ``__enzyme_autodiff``/``__enzyme_fwddiff``, a marker with no tape after it;
* ``new-call``: a new function calling one of the four markers on a function of the module with
  random (often wrong) markers, argument types and counts and return type.

Bitcode inputs are the seed's bitcode with ``truncate``/``flip``, or a text mutation assembled by
``llvm-as-22`` (where it assembles; else the text itself). Each input is run once as
``enzpy-opt IN -o OUT`` with random ``-S`` / ``-O0..-O3`` (some through standard input).

Pass: not killed by a signal, no timeout (``--timeout``, default 20 s), exit status 0 or 1; on 1
the standard error contains ``enzpy-opt: error:``; on 0 the output is verified IR
(``opt-22 -passes=verify``) with no call to the four marker functions left. Failing inputs are
saved under ``--save`` (default build/fuzz-malformed/failures) with a ``.json`` of what happened.
The summary (counts, error-message classes, time) is written to ``--summary`` (JSON) and, with
``--md FILE``, as the "Malformed inputs" section of FILE (e.g. docs/fuzzing.md).
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
REPO = TESTS.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))
from fuzz.report import update_section  # noqa: E402
LLVM_BIN = Path(os.environ.get("LLVM_TOOLS_DIR", "/usr/lib/llvm-22/bin"))

MARKER_FNS = ("__enzyme_autodiff", "__enzyme_fwddiff", "__enzyme_augmentfwd", "__enzyme_reverse")
MARKER_GLOBALS = ("enzyme_dup", "enzyme_dupnoneed", "enzyme_const", "enzyme_out", "enzyme_tape")
LEFT_MARKER = re.compile(r"call [^\n]*@\"?(__enzyme_autodiff|__enzyme_fwddiff|__enzyme_augmentfwd"
                         r"|__enzyme_reverse)")

# ----------------------------------------------------------------------------- built-in seeds
GOOD = """
declare double @__enzyme_autodiff(ptr, ...)
define double @f(double %x) {
  %y = fmul double %x, %x
  ret double %y
}
define double @g(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, double %x)
  ret double %d
}
"""

BUILTIN = {
    "good.ll": GOOD,
    "forward.ll": """
@enzyme_dup = external global i32
@enzyme_const = external global i32
declare double @__enzyme_fwddiff(ptr, ...)
define double @f(ptr %p, double %x, i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi double [ %x, %entry ], [ %s1, %loop ]
  %q = getelementptr double, ptr %p, i32 %i
  %v = load double, ptr %q
  %m = fmul double %v, %s
  %s1 = call double @llvm.sin.f64(double %m)
  %i1 = add i32 %i, 1
  %c = icmp slt i32 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  ret double %s1
}
declare double @llvm.sin.f64(double)
define double @g(ptr %p, ptr %dp, double %x) {
  %md = load i32, ptr @enzyme_dup
  %mc = load i32, ptr @enzyme_const
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f, i32 %md, ptr %p, ptr %dp, double %x, double 1.0, i32 %mc, i32 4)
  ret double %d
}
""",
    "split.ll": """
@enzyme_dup = external global i32
@enzyme_const = external global i32
@enzyme_tape = external global i32
declare ptr @__enzyme_augmentfwd(ptr, ...)
declare { ptr, double } @__enzyme_augmentfwd2(ptr, ...)
declare double @__enzyme_reverse(ptr, ...)
define double @f(ptr %x, i32 %n, double %a) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi double [ 0.0, %entry ], [ %s1, %loop ]
  %q = getelementptr double, ptr %x, i32 %i
  %v = load double, ptr %q
  %e = call double @exp(double %v)
  %m = fmul double %e, %a
  %s1 = fadd double %s, %m
  %i1 = add i32 %i, 1
  %c = icmp slt i32 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  ret double %s1
}
declare double @exp(double)
define double @g(ptr %x, ptr %dx, double %a) {
  %md = load i32, ptr @enzyme_dup
  %mc = load i32, ptr @enzyme_const
  %mt = load i32, ptr @enzyme_tape
  %t = call ptr (ptr, ...) @__enzyme_augmentfwd(ptr @f, i32 %md, ptr %x, ptr %dx, i32 %mc, i32 4, double %a)
  %d = call double (ptr, ...) @__enzyme_reverse(ptr @f, i32 %md, ptr %x, ptr %dx, i32 %mc, i32 4, double %a, double 1.0, i32 %mt, ptr %t)
  %t2 = call { ptr, double } (ptr, ...) @__enzyme_augmentfwd2(ptr @f, i32 %md, ptr %x, ptr %dx, i32 %mc, i32 4, double %a)
  %tp = extractvalue { ptr, double } %t2, 0
  %d2 = call double (ptr, ...) @__enzyme_reverse(ptr @f, i32 %md, ptr %x, ptr %dx, i32 %mc, i32 4, double %a, double 2.0, ptr %tp)
  %r = fadd double %d, %d2
  ret double %r
}
""",
    "markers.ll": """
@enzyme_dup = external global i32
@enzyme_dupnoneed = external global i32
@enzyme_const = external global i32
@enzyme_out = external global i32
declare { double, double } @__enzyme_autodiff(ptr, ...)
declare float @__enzyme_autodiff_f(ptr, ...)
define double @f(double %x, double %c, ptr %p, double %z) {
  %v = load double, ptr %p
  %t = fmul double %x, %c
  %u = fmul double %t, %v
  %r = fmul double %u, %z
  store double %r, ptr %p
  ret double %r
}
define float @h(float %x, i64 %k) {
  %s = call float @llvm.sqrt.f32(float %x)
  ret float %s
}
declare float @llvm.sqrt.f32(float)
define { double, double } @grad(double %x, double %c, ptr %p, ptr %dp, double %z) {
  %mo = load i32, ptr @enzyme_out
  %mc = load i32, ptr @enzyme_const
  %md = load i32, ptr @enzyme_dupnoneed
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f, i32 %mo, double %x, i32 %mc, double %c, i32 %md, ptr %p, ptr %dp, double %z)
  ret { double, double } %d
}
define float @gh(float %x) {
  %d = call float (ptr, ...) @__enzyme_autodiff_f(ptr @h, double 2.0, i64 3)
  ret float %d
}
""",
}


# ----------------------------------------------------------------------------- tools
def tool(name: str) -> str:
    for cand in (LLVM_BIN / name, shutil.which(f"{name}-22"), shutil.which(name)):
        if cand and os.access(str(cand), os.X_OK):
            return str(cand)
    raise FileNotFoundError(f"{name} (LLVM 22) not found; set LLVM_TOOLS_DIR")


def find_enzpy_opt():
    sys.path.insert(0, str(TESTS))
    from conftest import find_enzpy_opt as f
    return f()


def assemble(text: bytes, timeout=30):
    """Bitcode for textual IR, or None where llvm-as rejects it."""
    try:
        p = subprocess.run([tool("llvm-as"), "-", "-o", "-"], input=text, capture_output=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    return p.stdout if p.returncode == 0 and p.stdout[:2] == b"BC" else None


def collect_seeds(cache: Path, c_programs=None, lit=True, builtin=True) -> list:
    """[(name, bytes)] text seeds followed by their bitcode; c_programs: None (all) or a count."""
    cache.mkdir(parents=True, exist_ok=True)
    seeds = []
    if builtin:
        seeds += [(f"builtin/{k}", v.encode()) for k, v in BUILTIN.items()]
    if lit:
        for p in sorted((TESTS / "lit").rglob("*.ll")):
            seeds.append((str(p.relative_to(TESTS)), p.read_bytes()))
    cfiles = sorted((TESTS / "c").glob("*.c"))
    if c_programs is not None:
        cfiles = cfiles[:c_programs]
    clang = tool("clang")
    for c in cfiles:
        out = cache / (c.stem + ".O1.ll")
        if not out.exists() or out.stat().st_mtime < c.stat().st_mtime:
            p = subprocess.run([clang, "-O1", "-S", "-emit-llvm", f"-I{TESTS / 'c'}", str(c),
                                "-o", str(out)], capture_output=True, timeout=120)
            if p.returncode != 0:
                continue
        seeds.append((f"c/{c.stem}.ll (clang -O1)", out.read_bytes()))
    text = list(seeds)
    for name, data in text:
        bc_path = cache / (re.sub(r"[^\w.]+", "_", name) + ".bc")
        if bc_path.exists() and bc_path.stat().st_size:
            seeds.append((name + " (bitcode)", bc_path.read_bytes()))
            continue
        bc = assemble(data)
        if bc:
            bc_path.write_bytes(bc)
            seeds.append((name + " (bitcode)", bc))
    return seeds


# ----------------------------------------------------------------------------- IR text helpers
def split_args(s: str) -> list:
    """Top-level comma-separated pieces of an argument list."""
    out, depth, cur = [], 0, []
    for ch in s:
        if ch in "([{<":
            depth += 1
        elif ch in ")]}>":
            depth -= 1
        if ch == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        out.append("".join(cur).strip())
    return out


def close_paren(s: str, i: int) -> int:
    """Index of the parenthesis closing the one at s[i] (or -1)."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "(":
            depth += 1
        elif s[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return -1


CALL_RE = re.compile(r"@\"?(__enzyme_(?:autodiff|fwddiff|augmentfwd|reverse)[\w.]*)\"?\(")


def marker_calls(lines: list) -> list:
    """[(line index, start of the argument list, end)] of calls to the four marker functions."""
    out = []
    for k, line in enumerate(lines):
        if "call" not in line or line.lstrip().startswith(("declare", ";")):
            continue
        m = CALL_RE.search(line)
        if m:
            start = m.end() - 1
            end = close_paren(line, start)
            if end > 0:
                out.append((k, start + 1, end))
    return out


TYPE_RE = r"(?:ptr|i\d+|double|float|half|<\d+ x \w+>|\{[^{}]*\}|\[[^\[\]]*\]|%[\w.\"]+)"
DEFINE_RE = re.compile(r"^define\b[^@]*@(\"[^\"]+\"|[\w.$-]+)\((.*)\)")


def defined_functions(lines: list) -> list:
    """[(name, [param types])] of the functions defined in the module (best effort)."""
    out = []
    for line in lines:
        m = DEFINE_RE.match(line)
        if not m:
            continue
        end = close_paren(line, m.start(2) - 1)
        params = line[m.start(2):end] if end > 0 else m.group(2)
        types = []
        for p in split_args(params):
            t = re.match(TYPE_RE, p.strip())
            types.append(t.group(0) if t else "ptr")
        out.append((m.group(1), types))
    return out


def value_of(rng: random.Random, ty: str) -> str:
    """A constant of type ty, or an argument of the fuzz wrapper."""
    if ty == "ptr":
        return rng.choice(["ptr %wp0", "ptr %wp1", "ptr %wp2", "ptr null"])
    if ty == "double":
        return rng.choice(["double %wd", "double 1.5", "double -0.0"])
    if ty == "float":
        return rng.choice(["float %wf", "float 2.5"])
    if re.fullmatch(r"i\d+", ty):
        return rng.choice([f"{ty} 3", f"{ty} 0", f"{ty} -1"] + (["i32 %wn"] if ty == "i32" else []))
    return f"{ty} {rng.choice(['zeroinitializer', 'undef', 'poison'])}"


EXTRA_ARGS = ["double 1.0", "float 2.0", "i32 7", "i64 0", "ptr null", "i1 true", "i8 1",
              "<2 x double> zeroinitializer", "{ double, double } zeroinitializer",
              "[2 x double] zeroinitializer", "ptr @__fuzz_g", "double poison", "ptr undef",
              "x86_fp80 0xK3FFF8000000000000000", "fp128 0xL00000000000000003FFF000000000000"]


class Text:
    """A module's text as lines, with helpers to add top-level declarations."""

    def __init__(self, data: bytes, rng: random.Random):
        self.lines = data.decode("utf-8", errors="replace").split("\n")
        self.tail: list = []
        self.n = 0
        self.tag = rng.randrange(1 << 30)     # names stay unique when two mutations add some

    def fresh(self, p="fz"):
        self.n += 1
        return f"%__{p}{self.tag}_{self.n}"

    def ensure_global(self, name: str):
        if not any(line.startswith(f"@{name} =") for line in self.lines + self.tail):
            self.tail.append(f"@{name} = external global i32")

    def ensure_helper(self):
        if not any(line.startswith("define") and "@__fuzz_g(" in line
                   for line in self.lines + self.tail):
            self.tail.append("define double @__fuzz_g(double %x) {\n  ret double %x\n}")

    def declare_marker(self, prefix: str, ret: str = "double") -> str:
        name = f"{prefix}_fz{self.tag}_{len(self.tail)}"
        self.tail.append(f"declare {ret} @{name}(ptr, ...)")
        return name

    def bytes(self) -> bytes:
        return "\n".join(self.lines + [""] + self.tail).encode()


# ----------------------------------------------------------------------------- mutations
def m_truncate(rng, data: bytes) -> bytes:
    return data[: rng.randrange(0, len(data))] if data else data


def m_flip(rng, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randrange(1, 9)):
        if b:
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def m_delete_lines(rng, data: bytes) -> bytes:
    lines = data.split(b"\n")
    k = rng.randrange(len(lines))
    n = rng.choice([1, 1, 1, 2, 3, 8])
    del lines[k:k + n]
    return b"\n".join(lines)


def m_duplicate_line(rng, data: bytes) -> bytes:
    lines = data.split(b"\n")
    k = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines) + 1) if rng.random() < 0.3 else k, lines[k])
    return b"\n".join(lines)


SWAPS = [(r"\bdouble\b", "float"), (r"\bfloat\b", "double"), (r"\bi64\b", "i32"),
         (r"\bi32\b", "i64"), (r"\bptr\b", "i64"), (r"\bi64\b", "ptr")]


def m_type_swap(rng, data: bytes) -> bytes:
    text = data.decode("utf-8", errors="replace")
    pat, rep = rng.choice(SWAPS)
    hits = [m.span() for m in re.finditer(pat, text)]
    if not hits:
        return m_flip(rng, data)
    if rng.random() < 0.15:
        chosen = hits                                   # every occurrence
    else:
        chosen = rng.sample(hits, min(len(hits), rng.choice([1, 1, 2, 3])))
    for a, b in sorted(chosen, reverse=True):
        text = text[:a] + rep + text[b:]
    return text.encode()


def _marker_loads(t: Text):
    """Lines ``%v = load i32, ptr @enzyme_X`` (index, global name)."""
    out = []
    for k, line in enumerate(t.lines):
        m = re.search(r"load i32, ptr @(enzyme_\w+)", line)
        if m and m.group(1) in MARKER_GLOBALS:
            out.append((k, m.group(1)))
    return out


def _insert_marker_before(t: Text, k: int, marker: str) -> str:
    """A load of @marker placed before line k; returns the loaded value (``i32 %v``)."""
    t.ensure_global(marker)
    v = t.fresh("mk")
    indent = re.match(r"\s*", t.lines[k]).group(0) or "  "
    t.lines.insert(k, f"{indent}{v} = load i32, ptr @{marker}")
    return f"i32 {v}"


def m_marker_args(rng, data: bytes) -> bytes:
    t = Text(data, rng)
    calls = marker_calls(t.lines)
    loads = _marker_loads(t)
    if not calls:
        return m_new_call(rng, data)
    k, a, b = rng.choice(calls)
    line = t.lines[k]
    args = split_args(line[a:b])
    op = rng.choice(["drop", "dup", "add", "retype", "fn", "fn", "marker", "marker-load",
                     "rename", "swap", "empty"])
    if op == "marker-load" and loads:
        j, g = rng.choice(loads)
        new = rng.choice([m for m in MARKER_GLOBALS if m != g])
        t.ensure_global(new)
        t.lines[j] = t.lines[j].replace(f"@{g}", f"@{new}", 1)
        return t.bytes()
    if op == "rename":
        m = CALL_RE.search(line)
        prefix = rng.choice([p for p in MARKER_FNS if not m.group(1).startswith(p)])
        ret = re.search(r"call\s+(?:\w+\s+)*?(" + TYPE_RE + r"|void)\s*\(", line)
        name = t.declare_marker(prefix, ret.group(1) if ret else "double")
        t.lines[k] = line[:m.start()] + f"@{name}(" + line[m.end():]
        return t.bytes()
    if op == "drop" and args:
        del args[rng.randrange(len(args))]
    elif op == "dup" and args:
        i = rng.randrange(len(args))
        args.insert(i, args[i])
    elif op == "add":
        extra = rng.choice(EXTRA_ARGS)
        if "@__fuzz_g" in extra:
            t.ensure_helper()
        if rng.random() < 0.4:
            extra = _insert_marker_before(t, k, rng.choice(MARKER_GLOBALS))
            k += 1
        args.insert(rng.randrange(len(args) + 1), extra)
    elif op == "retype" and args:
        i = rng.randrange(len(args))
        args[i] = rng.choice(EXTRA_ARGS[:7] + ["double %__nosuch"])
    elif op == "fn":
        first = rng.choice(["ptr null", "i64 0", "ptr undef", "ptr @__fuzz_g", "ptr @llvm.sin.f64",
                            "ptr @exp", "ptr @__nosuch", "double 1.0", "ptr @enzyme_dup",
                            "ptr getelementptr (i8, ptr @__fuzz_g, i64 8)", "CALLER"])
        if first == "CALLER":
            for j in range(k, -1, -1):
                m = DEFINE_RE.match(t.lines[j])
                if m:
                    first = f"ptr @{m.group(1)}"
                    break
            else:
                first = "ptr null"
        if "@__fuzz_g" in first:
            t.ensure_helper()
        if "@llvm.sin.f64" in first and "@llvm.sin.f64(" not in data.decode(errors="replace"):
            t.tail.append("declare double @llvm.sin.f64(double)")
        if "@exp" in first and not re.search(r"@exp\(", data.decode(errors="replace")):
            t.tail.append("declare double @exp(double)")
        if "@enzyme_dup" in first:
            t.ensure_global("enzyme_dup")
        if args:
            args[0] = first
        else:
            args = [first]
    elif op == "marker":
        marker = rng.choice(MARKER_GLOBALS)
        v = _insert_marker_before(t, k, marker)
        k += 1
        args.insert(rng.randrange(1, len(args) + 1) if args else 0, v)
    elif op == "swap" and len(args) > 2:
        i, j = rng.sample(range(1, len(args)), 2)
        args[i], args[j] = args[j], args[i]
    elif op == "empty":
        args = []
    line = t.lines[k]
    m = marker_calls([line])
    if m:
        _, a, b = m[0]
        t.lines[k] = line[:a] + ", ".join(args) + line[b:]
    return t.bytes()


def m_tape(rng, data: bytes) -> bytes:
    """enzyme_tape misuse: in split-mode calls, or tapes given to the other markers."""
    t = Text(data, rng)
    calls = marker_calls(t.lines)
    if not calls:
        return m_new_call(rng, data, want="tape")
    k, a, b = rng.choice(calls)
    line = t.lines[k]
    args = split_args(line[a:b])
    tape_vals = [x for x in args[1:] if x.split()[-1].startswith("%") and x.startswith("ptr")]
    op = rng.choice(["drop-last", "null", "twice", "marker-only", "marker-first", "tape-in-fwd",
                     "int-tape", "marker-twice"])
    if op == "drop-last" and args:
        args.pop()
    elif op == "null" and args:
        args[-1] = "ptr null"
    elif op == "twice" and args:
        args.append(args[-1])
    elif op == "int-tape" and args:
        args[-1] = "i64 0"
    elif op in ("marker-only", "marker-twice", "marker-first", "tape-in-fwd"):
        v = _insert_marker_before(t, k, "enzyme_tape")
        k += 1
        if op == "marker-only":
            args.append(v)
        elif op == "marker-twice":
            args += [v, v, "ptr null"]
        elif op == "marker-first":
            args.insert(1 if args else 0, v)
            args.insert(2 if len(args) > 1 else 1, rng.choice(tape_vals or ["ptr null"]))
        else:
            args.append(v)
            args.append(rng.choice(tape_vals or ["ptr null", "ptr %__nosuch"]))
    line = t.lines[k]
    m = marker_calls([line])
    if m:
        _, a, b = m[0]
        t.lines[k] = line[:a] + ", ".join(args) + line[b:]
    return t.bytes()


def m_new_call(rng, data: bytes, want: str = "") -> bytes:
    """A new function calling a marker on a function of the module with random arguments."""
    t = Text(data, rng)
    fns = defined_functions(t.lines)
    if not fns:
        t.ensure_helper()
        fns = [("__fuzz_g", ["double"])]
    name, types = rng.choice(fns)
    prefix = rng.choice(MARKER_FNS)
    ret = rng.choice(["double", "float", "void", "{ double, double }", "ptr", "{ ptr, double }",
                      "i32", "<2 x float>"])
    decl = t.declare_marker(prefix, ret)
    body, args = [], [f"ptr @{name}" if rng.random() < 0.95 else "ptr null"]
    sloppy = rng.random() < 0.5          # else arguments that mostly follow the ABI
    for ty in types:
        if rng.random() < 0.4 or (sloppy and rng.random() < 0.3):
            mk = rng.choice(MARKER_GLOBALS if sloppy else MARKER_GLOBALS[:4])
            t.ensure_global(mk)
            v = f"%__m{len(body)}"
            body.append(f"  {v} = load i32, ptr @{mk}")
            args.append(f"i32 {v}")
            if mk in ("enzyme_dup", "enzyme_dupnoneed"):
                args.append(value_of(rng, ty))
        if sloppy and rng.random() < 0.25:
            continue                      # the value missing
        args.append(value_of(rng, ty if not (sloppy and rng.random() < 0.2)
                              else rng.choice(["double", "ptr", "i32", "float", "i64"])))
        if prefix == "__enzyme_fwddiff" and ty in ("double", "float") and rng.random() < 0.7:
            args.append(value_of(rng, ty))
    if prefix == "__enzyme_reverse" or want == "tape":
        if rng.random() < 0.5:
            args.append(value_of(rng, "double"))
        if rng.random() < 0.6:
            t.ensure_global("enzyme_tape")
            body.append(f"  %__mt = load i32, ptr @enzyme_tape")
            args.append("i32 %__mt")
        if rng.random() < 0.8:
            args.append(rng.choice(["ptr %wp2", "ptr null", "i64 0"]))
    if sloppy and rng.random() < 0.3:
        args.append(rng.choice(EXTRA_ARGS[:7]))
    call = f"call {ret} (ptr, ...) @{decl}({', '.join(args)})"
    body.append(f"  %__r = {call}" if ret != "void" else f"  {call}")
    t.tail.append(f"define void @__fuzz_caller{t.tag}_{len(t.tail)}(ptr %wp0, ptr %wp1, ptr %wp2, double %wd, "
                  f"float %wf, i32 %wn) {{\n" + "\n".join(body) + "\n  ret void\n}")
    return t.bytes()


FLOAT_OPS = ("fadd", "fsub", "fmul", "fdiv", "frem")
PREDICATES = ("oeq", "ogt", "oge", "olt", "ole", "one", "ord", "ueq", "ugt", "uge", "ult", "ule",
              "une", "uno", "true", "false")
INT_PREDICATES = ("eq", "ne", "ugt", "uge", "ult", "ule", "sgt", "sge", "slt", "sle")
UNARY_MATH = ("sin", "cos", "tan", "exp", "exp2", "log", "log2", "log10", "sqrt", "fabs", "floor",
              "tanh", "asin", "atan", "cbrt", "erf", "expm1", "log1p", "sinh", "cosh", "mystery")
CONSTANTS = ("0.000000e+00", "-0.000000e+00", "1.000000e+308", "0x7FF0000000000000",
             "0xFFF0000000000000", "0x7FF8000000000000", "4.940656e-324", "1.000000e+00")


def m_semantic(rng, data: bytes) -> bytes:
    """Changes that mostly keep the IR valid, so that the pass itself sees odd code: another
    float opcode, comparison predicate, math function (libm or intrinsic, or an unknown
    external one), swapped operands, special float constants (0, -0, inf, nan, denormals)."""
    t = Text(data, rng)
    text = "\n".join(t.lines)
    op = rng.choice(["opcode", "predicate", "math", "operands", "constant", "constant"])
    if op == "opcode":
        hits = list(re.finditer(r"\b(fadd|fsub|fmul|fdiv|frem)\b(?= (?:[a-z]+ )*(?:double|float|<))",
                                text))
        if hits:
            m = rng.choice(hits)
            text = text[:m.start()] + rng.choice(FLOAT_OPS) + text[m.end():]
    elif op == "predicate":
        hits = list(re.finditer(r"\b(fcmp|icmp) (?:[a-z]+ )*?(\w+) (?=\w)", text))
        if hits:
            m = rng.choice(hits)
            new = rng.choice(PREDICATES if m.group(1) == "fcmp" else INT_PREDICATES)
            text = text[:m.start(2)] + new + text[m.end(2):]
    elif op == "math":
        hits = list(re.finditer(r"@(llvm\.)?(" + "|".join(UNARY_MATH) + r")(f?)(\.f64|\.f32)?\(",
                                text))
        hits = [h for h in hits if not text[max(0, h.start() - 9):h.start()].endswith("declare ")
                and not re.search(r"declare [^\n]*$", text[max(0, h.start() - 80):h.start()])]
        if hits:
            m = rng.choice(hits)
            fn = rng.choice(UNARY_MATH)
            name = (f"llvm.{fn}{m.group(4) or ''}" if m.group(1) and fn != "mystery"
                    else f"{fn}{m.group(3)}")
            ty = "float" if (m.group(3) or m.group(4) == ".f32") else "double"
            if not re.search(rf"(declare|define) [^\n]*@{re.escape(name)}\(", text):
                t.tail.append(f"declare {ty} @{name}({ty})")
            text = text[:m.start()] + f"@{name}(" + text[m.end():]
    elif op == "operands":
        hits = list(re.finditer(r"\b(fadd|fsub|fmul|fdiv|frem|fcmp \w+) ((?:[a-z]+ )*)(double|float) "
                                r"([%\w.\-+]+), ([%\w.\-+]+)", text))
        if hits:
            m = rng.choice(hits)
            text = (text[:m.start(4)] + m.group(5) + ", " + m.group(4) + text[m.end(5):])
    else:
        hits = list(re.finditer(r"(?<=double )(-?\d+\.\d+(?:e[+-]\d+)?|0x[0-9A-F]{16})", text))
        if hits:
            for m in sorted(rng.sample(hits, min(len(hits), rng.choice([1, 1, 2]))),
                            key=lambda m: -m.start()):
                text = text[:m.start()] + rng.choice(CONSTANTS) + text[m.end():]
    t.lines = text.split("\n")
    return t.bytes()


TEXT_MUTATIONS = {
    "truncate": (m_truncate, 1.0), "flip": (m_flip, 1.5), "delete-lines": (m_delete_lines, 1.5),
    "duplicate-line": (m_duplicate_line, 1.0), "type-swap": (m_type_swap, 1.5),
    "marker-args": (m_marker_args, 2.0), "tape": (m_tape, 1.0), "new-call": (m_new_call, 1.5),
    "semantic": (m_semantic, 2.5),
}
BYTE_MUTATIONS = ("truncate", "flip")


def pick(rng, names):
    w = [TEXT_MUTATIONS[n][1] for n in names]
    return rng.choices(list(names), weights=w)[0]


def make_input(seeds: list, run_seed: int, k: int) -> dict:
    """Input k of a run: {name, data, seed (the seed module's name), mutations, bitcode, args}."""
    rng = random.Random(run_seed * 1_000_003 + k)
    seed_name, data = rng.choice(seeds)
    is_bc = data[:2] == b"BC"
    muts = []
    if is_bc and rng.random() < 0.5:
        for _ in range(rng.choice([1, 1, 2])):
            m = pick(rng, BYTE_MUTATIONS)
            data = TEXT_MUTATIONS[m][0](rng, data)
            muts.append(m)
    else:
        text_of = {n: d for n, d in seeds if d[:2] != b"BC"}
        base = seed_name.replace(" (bitcode)", "")
        text = text_of.get(base, data) if is_bc else data
        for _ in range(rng.choice([1, 1, 1, 2])):
            m = pick(rng, TEXT_MUTATIONS)
            text = TEXT_MUTATIONS[m][0](rng, text)
            muts.append(m)
        if is_bc:
            bc = assemble(text)
            muts.append("assembled" if bc else "not-assembled")
            data = bc if bc else text
        else:
            data = text
    args = []
    if rng.random() < 0.5:
        args.append("-S")
    opt = rng.choice(["", "", "-O0", "-O1", "-O2", "-O3"])
    if opt:
        args.append(opt)
    stdin = rng.random() < 0.15
    return {"k": k, "seed_module": seed_name, "mutations": muts, "data": data,
            "bitcode": data[:2] == b"BC", "args": args, "stdin": stdin}


# ----------------------------------------------------------------------------- running
_ASAN: dict = {}


def is_asan(binary: str) -> bool:
    """An AddressSanitizer build (it reserves terabytes of address space: no ``ulimit -v``)."""
    if binary not in _ASAN:
        try:
            _ASAN[binary] = b"__asan_init" in Path(binary).read_bytes()
        except OSError:
            _ASAN[binary] = False
    return _ASAN[binary]


def limited(cmd: list, memory_mb: int) -> list:
    """cmd under an address-space limit (``ulimit -v``; 0 or an ASan build: none)."""
    if not memory_mb or is_asan(cmd[0]):
        return cmd
    return ["/bin/sh", "-c", f'ulimit -v {int(memory_mb) * 1024} && exec "$0" "$@"', *cmd]


def run_one(enzpy_opt: str, inp: dict, workdir: Path, timeout: float, memory_mb: int = 4096) -> dict:
    """Runs enzpy-opt on one input; returns the result (status "ok" or a failure kind)."""
    d = Path(tempfile.mkdtemp(dir=workdir))
    try:
        src = d / ("in.bc" if inp["bitcode"] else "in.ll")
        src.write_bytes(inp["data"])
        out = d / ("out.ll" if "-S" in inp["args"] else "out.bc")
        cmd = [enzpy_opt, "-" if inp["stdin"] else str(src), *inp["args"], "-o", str(out)]
        res = {"k": inp["k"], "seed_module": inp["seed_module"], "mutations": inp["mutations"],
               "args": inp["args"], "stdin": inp["stdin"], "bitcode": inp["bitcode"]}
        t0 = time.perf_counter()
        proc = subprocess.Popen(limited(cmd, memory_mb), stdin=subprocess.PIPE if inp["stdin"] else subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            _, err = proc.communicate(inp["data"] if inp["stdin"] else None, timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)     # the tool and its worker child
            except ProcessLookupError:
                pass
            proc.communicate()
            res.update(status="timeout", rc=None, stderr="", seconds=timeout)
            return res
        res["seconds"] = time.perf_counter() - t0
        rc = proc.returncode
        err_text = err.decode(errors="replace")
        res.update(rc=rc, stderr=err_text[-2000:],
                   error=next((ln for ln in err_text.splitlines() if "enzpy-opt: error:" in ln), ""))
        if rc < 0:
            res["status"] = f"signal {-rc}"
        elif rc not in (0, 1):
            res["status"] = f"exit {rc}"
        elif "ERROR: AddressSanitizer" in err_text or "runtime error:" in err_text:
            # an ASan/UBSan build: its report (exit 1) is a failure, unless LLVM's own reader
            # dies on the input as well (a crash in uninstrumented libLLVM)
            res["internal"] = internal_origin(src)
            res["status"] = "ok" if res["internal"].startswith("llvm") else "sanitizer report"
        elif rc == 1:
            res["status"] = "ok" if "enzpy-opt: error:" in err_text else "exit 1 without error line"
            if "internal failure" in res["error"]:
                res["internal"] = internal_origin(src)
        else:
            res["status"] = check_output(out)
        return res
    finally:
        shutil.rmtree(d, ignore_errors=True)


def internal_origin(src: Path) -> str:
    """For an input that crashed enzpy-opt's worker: "llvm-reader" when LLVM's own opt-22 dies
    by a signal reading it too (a crash in LLVM's parser, not in enzpy), else "enzpy"."""
    try:
        p = subprocess.run(limited([tool("opt"), "-passes=verify", "-disable-output", str(src)],
                                   4096), capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "llvm-reader (hang)"
    return "llvm-reader" if p.returncode < 0 or p.returncode > 128 else "enzpy"


def check_output(out: Path) -> str:
    """'ok' when OUT is verified IR without calls to the marker functions."""
    if not out.exists():
        return "exit 0 without output"
    p = subprocess.run([tool("opt"), "-S", "-passes=verify", str(out), "-o", "-"],
                       capture_output=True, timeout=120)
    if p.returncode != 0:
        return "exit 0, output not valid IR"
    if LEFT_MARKER.search(p.stdout.decode(errors="replace")):
        return "exit 0, marker call left"
    return "ok"


def error_class(line: str) -> str:
    """A short class for an `enzpy-opt: error:` message line."""
    if "enzpy-opt: error:" not in line:
        return "(no error line)"
    line = line.split("enzpy-opt: error:", 1)[1].strip()
    if line.startswith("internal failure"):
        return re.sub(r"\d+", "N", line)[:60]
    line = re.sub(r"`[^`]*`", "`...`", line)
    line = re.sub(r"'[^']*'", "'...'", line)
    line = re.sub(r"(__enzyme_[a-z]+)\w*", r"\1*", line)
    line = re.sub(r"@[\w.$\"-]+", "@F", line)
    line = re.sub(r"%[\w.\"-]+", "%v", line)
    line = re.sub(r"\d+", "N", line)
    line = re.split(r"[:(]", line)[0].strip()
    return line[:60] or "?"


def run(n: int, seed: int = 1, jobs: int = None, timeout: float = 20.0, c_programs=None,
        enzpy_opt=None, save=None, progress=None, only=None, cache=None, memory_mb=4096) -> dict:
    """Runs inputs 0..n-1 (or only `only`) of run `seed`; returns the summary (see summarize)."""
    enzpy_opt = enzpy_opt or find_enzpy_opt()
    if not enzpy_opt:
        raise FileNotFoundError("enzpy-opt not found (set ENZPY_OPT)")
    cache = Path(cache) if cache else REPO / "build" / "fuzz-malformed" / "seeds"
    seeds = collect_seeds(cache, c_programs)
    jobs = jobs or os.cpu_count() or 1
    t0 = time.time()
    results = []
    lock = threading.Lock()
    with tempfile.TemporaryDirectory(prefix="enzpy-malformed-") as tmp:
        work = Path(tmp)
        # a private copy: the build may be relinked while a long run goes on
        original = enzpy_opt
        enzpy_opt = str(work / "enzpy-opt")
        for attempt in range(12):              # (a copy taken while it is being linked fails)
            shutil.copy2(original, enzpy_opt)
            ok = subprocess.run([enzpy_opt, "--version"], capture_output=True).returncode == 0
            if ok:
                break
            time.sleep(5)
        else:
            raise RuntimeError(f"{original} --version fails")
        digest = hashlib.sha256(Path(enzpy_opt).read_bytes()).hexdigest()[:12]

        def one(k):
            inp = make_input(seeds, seed, k)
            r = run_one(enzpy_opt, inp, work, timeout, memory_mb)
            if save and (r["status"] != "ok" or r.get("internal") == "enzpy"):
                save_failure(Path(save), seed, inp, r)
            with lock:
                results.append(r)
                if progress:
                    progress(r, len(results))
            return r

        ks = [only] if only is not None else range(n)
        with ThreadPoolExecutor(max_workers=jobs) as ex:
            list(ex.map(one, ks))
    results.sort(key=lambda r: r["k"])
    s = summarize(results, time.time() - t0, seed, jobs, timeout, len(seeds), original)
    s["memory_mb"] = memory_mb
    s["enzpy_opt_sha256"] = digest
    return s


def save_failure(folder: Path, run_seed: int, inp: dict, r: dict):
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"seed{run_seed}_{inp['k']}"
    (folder / (stem + (".bc" if inp["bitcode"] else ".ll"))).write_bytes(inp["data"])
    (folder / (stem + ".json")).write_text(json.dumps(
        {k: v for k, v in r.items()} | {"rerun": f"python3 tests/fuzz/malformed.py --seed {run_seed} "
                                                 f"--only {inp['k']}"}, indent=1))


def summarize(results, seconds, seed, jobs, timeout, n_seeds, enzpy_opt) -> dict:
    status = collections.Counter(r["status"] for r in results)
    rc = collections.Counter(str(r["rc"]) for r in results)
    errors = collections.Counter(error_class(r["error"]) for r in results if r["rc"] == 1)
    muts = collections.Counter(m for r in results for m in r["mutations"])
    internal = {str(r["k"]): r["internal"] for r in results if r.get("internal")}
    return {
        "inputs": len(results), "seed": seed, "jobs": jobs, "timeout": timeout,
        "seed_modules": n_seeds, "seconds": round(seconds, 1), "enzpy_opt": str(enzpy_opt),
        "exit0": sum(1 for r in results if r["rc"] == 0),
        "exit1": sum(1 for r in results if r["rc"] == 1),
        "failures": sum(1 for r in results if r["status"] != "ok"),
        "bitcode_inputs": sum(1 for r in results if r["bitcode"]),
        "status": dict(status), "rc": dict(rc), "mutations": dict(muts),
        "internal_failures": internal,
        "max_seconds": round(max((r["seconds"] for r in results), default=0.0), 2),
        "errors": dict(errors.most_common()),
        "failed": [{k: r[k] for k in ("k", "status", "rc", "seed_module", "mutations", "args")}
                   | {"stderr": r["stderr"][-400:]} for r in results if r["status"] != "ok"],
    }


SECTION = "malformed"


def markdown(s: dict, command: str) -> str:
    top = sorted(s["errors"].items(), key=lambda kv: -kv[1])[:15]
    lines = [
        "## Malformed inputs to `enzpy-opt`",
        "",
        "tests/fuzz/malformed.py: mutated `.ll` and `.bc` inputs (seeds: tests/lit, the C programs "
        "of tests/c at `clang-22 -O1`, built-in marker and split-mode modules, and their bitcode; "
        "mutations: truncation, byte flips, deleted/duplicated lines, type swaps, bad marker calls, "
        "`enzyme_tape` misuse, new marker calls with random arguments, and `semantic` changes that "
        "keep the IR valid: other float opcodes, predicates and math functions, swapped operands, "
        "inf/nan/denormal constants). Pass: never a signal or a timeout, exit 0 with verified IR "
        "and no marker call left, or exit 1 with `enzpy-opt: error:`. Each run of `enzpy-opt` "
        "gets a 4 GiB address-space limit: some corrupted bitcode makes LLVM's bitcode reader "
        "allocate without bound (`opt-22` as well; tests/fuzz/crashers/README.md), which without "
        "the limit ends in the kernel's OOM killer, not in an error message. The test suite runs "
        "150 inputs (tests/test_cli.py), and every saved crasher (tests/fuzz/crashers).",
        "",
        f"Command: `{command}`",
        "",
        "| | |",
        "|---|---|",
        f"| inputs | {s['inputs']} ({s['bitcode_inputs']} bitcode, from {s['seed_modules']} seed modules) |",
        f"| exit 0 (output verified) | {s['exit0']} |",
        f"| exit 1 with `enzpy-opt: error:` | {s['exit1']} |",
        f"| failures (signal, timeout, other status, bad output) | {s['failures']} |",
        f"| of the exit-1 errors: `internal failure` (a crash caught in the worker process) | "
        f"{len(s['internal_failures'])} ({sum(1 for v in s['internal_failures'].values() if v.startswith('llvm'))} "
        f"in LLVM's bitcode reader: `opt-22` crashes on the same input) |",
        f"| slowest input | {s['max_seconds']} s (timeout {s['timeout']:.0f} s; address space "
        f"limited to {s.get('memory_mb', 0)} MiB, `ulimit -v`) |",
        f"| time | {s['seconds']:.0f} s ({s['jobs']} jobs) |",
        "",
        "Mutations applied: " + ", ".join(f"{k} {v}" for k, v in sorted(s["mutations"].items())) + ".",
        "",
        "Most frequent errors (normalized):",
        "",
        "| `enzpy-opt: error:` ... | inputs |",
        "|---|---|",
    ] + [f"| {k.replace('|', '/')} | {v} |" for k, v in top] + [""]
    if s["failed"]:
        lines += ["Failures:", ""] + [f"* input {f['k']}: {f['status']} ({f['seed_module']}, "
                                      f"{'+'.join(f['mutations'])})" for f in s["failed"]] + [""]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per input (a failure)")
    ap.add_argument("--memory-mb", type=int, default=4096,
                    help="address-space limit of each enzpy-opt run (ulimit -v; 0: none)")
    ap.add_argument("--c-programs", type=int, default=None, help="use only the first N C programs")
    ap.add_argument("--only", type=int, default=None, help="run input K alone (with --keep)")
    ap.add_argument("--keep", default=None, help="with --only: write the input to this path")
    ap.add_argument("--save", default=str(REPO / "build" / "fuzz-malformed" / "failures"))
    ap.add_argument("--summary", default=str(REPO / "build" / "fuzz-malformed" / "summary.json"))
    ap.add_argument("--md", default=None, help="write the markdown section into this file")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.only is not None and a.keep:
        seeds = collect_seeds(REPO / "build" / "fuzz-malformed" / "seeds", a.c_programs)
        inp = make_input(seeds, a.seed, a.only)
        Path(a.keep).write_bytes(inp["data"])
        print(json.dumps({k: v for k, v in inp.items() if k != "data"}))
    t0 = time.time()

    def progress(r, done):
        if r["status"] != "ok" and not a.quiet:
            print(f"[{done}] input {r['k']}: {r['status']} ({r['seed_module']}, "
                  f"{'+'.join(r['mutations'])}) {r['stderr'][-300:]}", flush=True)
        if not a.quiet and done % 200 == 0:
            print(f"[{done}/{a.n}] {time.time() - t0:.0f} s", flush=True)

    s = run(a.n, a.seed, a.jobs, a.timeout, a.c_programs, save=a.save, progress=progress,
            only=a.only, memory_mb=a.memory_mb)
    print(json.dumps({k: v for k, v in s.items() if k not in ("errors", "failed")}, indent=1))
    if a.only is None:
        Path(a.summary).parent.mkdir(parents=True, exist_ok=True)
        Path(a.summary).write_text(json.dumps(s, indent=1))
        if a.md:
            cmd = "python3 tests/fuzz/malformed.py " + " ".join(
                x for x in (argv if argv is not None else sys.argv[1:]))
            update_section(Path(a.md), SECTION, markdown(s, cmd))
    return 0 if s["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
