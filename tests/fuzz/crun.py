"""Differential fuzzing of ``enzpy-opt``'s derivatives on random C programs (tests/fuzz/cgen.py).

    python3 tests/fuzz/crun.py --n 300 --seed 1 [--jobs 1] [-q] [--md docs/fuzzing.md]
    python3 tests/fuzz/crun.py --check SEED [SEED...]      (one program, with details)

Each program (program ``k`` of a run with seed ``S`` has the seed ``S * 1_000_000 + k``) is built
as the C programs of tests/c are (tests/test_c_programs.py), with the flags it drew:

    clang-22 -O2 -S -emit-llvm prog.c -o prog.ll
    $ENZPY_OPT prog.ll -o prog.enzpy.ll
    clang-22 prog.enzpy.ll -lm -o prog
    ./prog

and its output (cgen.py) judged: ``phi = r + <wy, y_final>`` (``r``: f's result, ``y_final``: the
array ``y`` after the call, ``wy``: the seed of ``y``'s shadow) over the inputs (the active scalars,
``x``, the initial ``y``):

* the reverse-mode gradient (one ``__enzyme_autodiff`` or split-mode call) against central finite
  differences of ``phi``, a 4-point stencil at two steps (5e-4 and 1e-3 relative; float programs
  5e-3 and 1e-2): if the two disagree the point is not smooth enough to judge (a branch flips, a
  kink is near) and the program is *unstable*; else every entry within rtol 1e-6 (float programs
  2e-3) of the gradient's scale (``|g_j| + max |g|``) plus 1e-9 (float: 1e-4) of ``phi``'s scale;
* forward vs reverse: the ``__enzyme_fwddiff`` tangent of ``phi`` (``dr + <wy, dy>``) against
  ``<gradient, v>``, rtol 1e-10 (float programs 1e-5, ``-ffast-math`` 1e-8) of ``sum |g_j v_j|``
  plus an absolute floor; this is the dot-product test of the map (scalars, x, y) -> (r, y);
* the primal side effects: the ``y`` left by the reverse and forward calls equals the ``y`` of a
  plain call (not where ``y`` was passed ``enzyme_dupnoneed``).

Outcomes: ``ok``; ``unstable`` (finite differences unreliable, or the primal not finite or huge;
forward and reverse still agree); ``unsupported`` (``enzpy-opt`` exits 1 with ``enzpy-opt:
error:``, the message is recorded); ``wrong`` (a derivative or primal mismatch); ``crash`` (a
signal, a timeout or another exit status from ``enzpy-opt``, its ``internal failure``, an output
that does not link, or the linked program dying); ``invalid`` (clang rejects the generated file: a
generator bug). A reproducer (``prog.c``, ``run.sh`` with the commands, ``result.json``) is saved
for each program that is not ``ok`` under ``--save`` (default build/cfuzz/).

``enzpy-opt`` is found as by the test suite: ``$ENZPY_OPT``, ``enzpy-opt`` on PATH, or a build
under build/ (tests/conftest.py).
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))
from fuzz import cgen  # noqa: E402
from fuzz.common import (BAD, REPO, Progress, add_run_arguments, command_line,  # noqa: E402,F401
                         git_describe, program_seed, run_seeds, table_head, tally)
from fuzz.malformed import error_class, find_enzpy_opt, limited, tool  # noqa: E402
from fuzz.report import update_section  # noqa: E402

SECTION = "c-differential"     # the section of docs/fuzzing.md this tool writes (fuzz/report.py)
RTOL64, RTOL32 = 1e-6, 2e-3
DOT_RTOL64, DOT_RTOL32, DOT_RTOL_FM = 1e-10, 1e-5, 1e-8
TIMEOUT = 120.0


def _error_class(line: str) -> str:
    """A short class for an `enzpy-opt: error:` line (the function named where a rule is missing)."""
    m = re.search(r"no derivative rule for external function @([\w.$]+)", line)
    if m:
        return f"no derivative rule for external function @{m.group(1)}"
    return error_class(line)


# ----------------------------------------------------------------------------- building, running
def _run(cmd, cwd, timeout, memory_mb=0):
    """(returncode or None on timeout, stdout, stderr)."""
    try:
        p = subprocess.run(limited([str(c) for c in cmd], memory_mb), cwd=cwd, capture_output=True,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", ""
    return p.returncode, p.stdout, p.stderr


def _status(rc) -> str:
    if rc is None:
        return "timeout"
    return f"signal {-rc}" if rc < 0 else f"exit status {rc}"


def build_and_run(prog: cgen.CProgram, enzpy_opt: str, work: Path, timeout=TIMEOUT) -> dict:
    """Builds and runs one program in `work`; returns the partial result: class set where it ended
    early (invalid, unsupported, crash), else "stdout"."""
    (work / "prog.c").write_text(prog.source)
    clang = tool("clang")
    res = {"times": {}}
    t0 = time.perf_counter()
    rc, _, err = _run([clang, *prog.clang_flags, "-S", "-emit-llvm", "prog.c", "-o", "prog.ll"],
                      work, timeout)
    if rc != 0:
        return dict(res, **{"class": "invalid", "detail": f"clang: {_status(rc)}\n{err[-2000:]}"})
    t1 = time.perf_counter()
    res["times"]["clang"] = t1 - t0
    rc, _, err = _run([enzpy_opt, "prog.ll", *prog.enzpy_flags, "-o", "prog.enzpy.ll"], work,
                      timeout, 4096)
    res["times"]["enzpy-opt"] = time.perf_counter() - t1
    line = next((ln for ln in err.splitlines() if "enzpy-opt: error:" in ln), "")
    if rc == 1 and line and "internal failure" not in line:
        return dict(res, **{"class": "unsupported", "detail": err.strip()[-3000:], "error": line,
                            "error_class": _error_class(line)})
    if rc != 0:
        what = "internal failure (a crash caught in the worker process)" if line else _status(rc)
        return dict(res, **{"class": "crash", "stage": "enzpy-opt",
                            "detail": f"enzpy-opt: {what}\n{err[-3000:]}"})
    march = [f for f in prog.clang_flags if f.startswith("-march")]
    rc, _, err = _run([clang, *march, "prog.enzpy.ll", "-lm", "-o", "prog"], work, timeout)
    if rc != 0:
        return dict(res, **{"class": "crash", "stage": "link",
                            "detail": f"the output of enzpy-opt does not link ({_status(rc)})\n{err[-3000:]}"})
    t2 = time.perf_counter()
    rc, out, err = _run(["./prog"], work, 60.0)
    res["times"]["run"] = time.perf_counter() - t2
    if rc != 0:
        return dict(res, **{"class": "crash", "stage": "program",
                            "detail": f"the program: {_status(rc)}\n{err[-2000:]}\n{out[-1000:]}"})
    res["stdout"] = out
    return res


# ----------------------------------------------------------------------------- judging
class Mismatch(Exception):
    pass


def parse(out: str) -> dict:
    vals: dict = collections.defaultdict(dict)
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            vals[parts[0]][int(parts[1])] = float(parts[2])
        elif len(parts) == 4 and parts[0] == "D":
            vals["D"][(int(parts[1]), int(parts[2]))] = float(parts[3])
    return vals


def _vec(vals, tag, n) -> list:
    d = vals.get(tag, {})
    if len(d) != n or set(d) != set(range(n)):
        raise ValueError(f"output {tag}: {len(d)} of {n} values")
    return [d[i] for i in range(n)]


def judge(prog: cgen.CProgram, out: str) -> tuple:
    """(class, detail) for the output of a program that ran."""
    n, m = prog.n, prog.n_in
    try:
        vals = parse(out)
        r = _vec(vals, "P", 1)[0]
        Y, A, B, V = (_vec(vals, t, n) for t in "YABV")
        G, U = _vec(vals, "G", m), _vec(vals, "U", m)
        T = _vec(vals, "T", 1)[0]
        D = vals["D"]
        if len(D) != 6 * m:
            raise ValueError(f"output D: {len(D)} of {6 * m} values")
    except (ValueError, KeyError) as e:
        return "crash", f"the program's output is incomplete ({e})"
    prim = [r] + Y
    if not all(math.isfinite(v) for v in prim) or max(abs(v) for v in prim) > 1e8:
        return "unstable", "primal value not finite or huge"
    fm = "-ffast-math" in prog.clang_flags
    f32 = prog.float32
    phi0 = r + sum(a * b for a, b in zip(prog.wy, Y))
    ysc = max(1.0, abs(r) + sum(abs(a * b) for a, b in zip(prog.wy, Y)))
    # primal side effects of the derivative calls
    ptol = 1e-6 if (fm or f32) else 1e-9
    for tag, got, check in (("reverse", A, prog.check_y_rev), ("forward", B, prog.check_y_fwd)):
        if not check:
            continue
        for i, (a, y) in enumerate(zip(got, Y)):
            if not abs(a - y) <= ptol * max(1.0, abs(y)):
                return "wrong", (f"primal: y[{i}] after the {tag}-mode call is {a!r}, a plain call "
                                 f"leaves {y!r}")
    for tag, vec in (("reverse-mode gradient", G), ("forward-mode tangent", [T] + V)):
        for j, v in enumerate(vec):
            if not math.isfinite(v):
                name = prog.input_name(j) if tag.startswith("reverse") else (
                    "of r" if j == 0 else f"y[{j - 1}]")
                return "wrong", f"{tag}: entry {name} is {v!r}"
    # forward vs reverse (the dot-product test)
    a = T + sum(w * v for w, v in zip(prog.wy, V))
    b = sum(g * u for g, u in zip(G, U))
    scale = max(sum(abs(g * u) for g, u in zip(G, U)), abs(a))
    drtol = DOT_RTOL32 if f32 else (DOT_RTOL_FM if fm else DOT_RTOL64)
    floor = (1e-6 if f32 else 1e-12) * ysc * sum(abs(u) for u in U)
    if not abs(a - b) <= drtol * scale + floor:
        return "wrong", (f"forward vs reverse: <J v, w> = {a!r} (forward), <v, J^T w> = {b!r} "
                         f"(reverse), scale {scale:.3g}")
    # finite differences at steps h and 2h
    h = prog.h
    g1, g2 = [], []
    for j in range(m):
        s = max(1.0, abs(prog.inputs[j]))
        e = {k: D[(j, k)] for k in cgen.STEPS}
        g2.append((8 * (e[1] - e[-1]) - (e[2] - e[-2])) / (12 * h * s))
        g1.append((8 * (e[2] - e[-2]) - (e[4] - e[-4])) / (24 * h * s))
    rtol = RTOL32 if f32 else RTOL64
    atol = (1e-4 if f32 else 1e-9) * ysc
    if not all(math.isfinite(v) for v in g1 + g2):
        return "unstable", "finite differences not finite"
    gmax = max((abs(v) for v in g2), default=0.0)
    tol = [rtol * (abs(v) + gmax) + atol for v in g2]
    if not all(abs(x - y) <= 0.1 * t for x, y, t in zip(g1, g2, tol)):
        return "unstable", "finite differences disagree between steps"
    off = [j for j in range(m) if not abs(G[j] - g2[j]) <= tol[j]]
    if off:
        j = max(off, key=lambda k: abs(G[k] - g2[k]) / tol[k])
        return "wrong", (f"reverse vs FD: entry {prog.input_name(j)} is {G[j]!r}, expected "
                         f"{g2[j]!r} (tolerance {tol[j]:.3g}; {len(off)} of {m} entries off; "
                         f"phi = {phi0!r})")
    return "ok", ""


def check_program(seed: int, enzpy_opt: str, workdir=None, keep=None) -> dict:
    """Classify the program of `seed`; returns a JSON-able dict (the build folder is removed,
    or copied to `keep` if given)."""
    t0 = time.perf_counter()
    try:
        prog = cgen.generate(seed)
    except Exception as e:                 # pragma: no cover (generator bug)
        return {"seed": seed, "class": "invalid", "detail": f"generator: {type(e).__name__}: {e}"}
    res = {"seed": seed, "features": sorted(prog.features), "flags": prog.clang_flags + [
        "enzpy-opt " + " ".join(prog.enzpy_flags) if prog.enzpy_flags else "enzpy-opt"],
        "calls": prog.calls, "n": prog.n, "float32": prog.float32}
    work = Path(tempfile.mkdtemp(prefix=f"cfuzz-{seed}-", dir=workdir))
    try:
        r = build_and_run(prog, enzpy_opt, work)
        res.update({k: v for k, v in r.items() if k != "stdout"})
        if "stdout" in r:
            cls, detail = judge(prog, r["stdout"])
            res.update({"class": cls, "detail": detail})
        if keep:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(work, keep)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    res["times"]["total"] = time.perf_counter() - t0
    return res


def save_failure(folder, r: dict):
    """prog.c, run.sh and result.json of a program that is not ok, under folder/CLASS_SEED/."""
    prog = cgen.generate(r["seed"])
    d = Path(folder) / f"{r['class']}_{r['seed']}"
    d.mkdir(parents=True, exist_ok=True)
    (d / "prog.c").write_text(prog.source)
    (d / "run.sh").write_text(
        "#!/bin/sh\n# re-check: python3 tests/fuzz/crun.py --check %d (it judges the output: result.json)\n"
        "set -e\ncd \"$(dirname \"$0\")\"\n"
        ": \"${ENZPY_OPT:=enzpy-opt}\"\n%s\n" % (r["seed"], "\n".join(prog.commands())))
    os.chmod(d / "run.sh", 0o755)
    (d / "result.json").write_text(json.dumps(r, indent=1))
    return d


# ----------------------------------------------------------------------------- a run
def private_copy(enzpy_opt: str, folder) -> str:
    """A copy of enzpy-opt in `folder` that answers --version (the build may be relinked while a
    run goes on; a copy taken while it is being linked fails, so try again)."""
    dest = str(Path(folder) / "enzpy-opt")
    for _ in range(12):
        shutil.copy2(enzpy_opt, dest)
        if subprocess.run([dest, "--version"], capture_output=True).returncode == 0:
            return dest
        time.sleep(5)
    raise RuntimeError(f"{enzpy_opt} --version fails")


def run(seeds, jobs=1, enzpy_opt=None, save=None, progress=None) -> list:
    """Check every seed (in `jobs` threads, each running its own subprocesses); results in seed
    order. Each result records the sha256 (12 digits) of the enzpy-opt binary it ran."""
    enzpy_opt = enzpy_opt or find_enzpy_opt()
    if not enzpy_opt:
        raise FileNotFoundError("enzpy-opt not found (set ENZPY_OPT)")
    seeds = list(seeds)
    results = [None] * len(seeds)
    lock = threading.Lock()
    with tempfile.TemporaryDirectory(prefix="enzpy-cfuzz-") as tmp:
        enzpy_opt = private_copy(enzpy_opt, tmp)
        digest = hashlib.sha256(Path(enzpy_opt).read_bytes()).hexdigest()[:12]

        def one(k):
            r = check_program(seeds[k], enzpy_opt, tmp)
            r["enzpy_opt_sha256"] = digest
            if save and r["class"] != "ok":
                r["saved"] = str(save_failure(save, r))
            results[k] = r
            with lock:
                if progress:
                    progress(r)

        with ThreadPoolExecutor(max_workers=max(1, jobs or 1)) as ex:
            list(ex.map(one, range(len(seeds))))
    return results


def summarize(results, seconds, run_seed, jobs, enzpy_opt=None) -> dict:
    calls = collections.Counter()
    for r in results:
        how = r.get("calls")
        if not how:
            continue
        calls[f"p {how['p']}"] += 1
        calls["second scalar q"] += how["q"] is not None
        calls["split mode"] += how["split"]
        calls["y dupnoneed (reverse)"] += how["y_dupnoneed_rev"]
        calls["y dupnoneed (forward)"] += how["y_dupnoneed_fwd"]
        calls["dx accumulating"] += how["accumulate"]
        calls["n volatile"] += how["volatile_n"]
        flags = list(r.get("flags", ()))
        clang = " ".join(f for f in flags if not f.startswith("enzpy-opt"))
        calls.update("clang " + f.replace("\0", " ") for f in
                     clang.replace("-Xclang ", "-Xclang\0").split())
        calls.update(f for f in flags if f.startswith("enzpy-opt -"))
        calls["float parts"] += bool(r.get("float32"))
    return {**tally(results), "seconds": seconds, "seed": run_seed, "jobs": jobs,
            "enzpy_opt": str(enzpy_opt or ""),
            "enzpy_opt_sha256": sorted({r.get("enzpy_opt_sha256", "?") for r in results}),
            "code": git_describe(), "calls": dict(calls),
            "bad": [{"seed": r["seed"], "class": r["class"], "detail": r.get("detail", "")[:1500],
                     "error": r.get("error", ""), "saved": r.get("saved", "")}
                    for r in results if r["class"] in BAD + ("unsupported",)]}


def markdown(s: dict, command: str) -> str:
    c = s["counts"]
    lines = [
        "## Differential fuzzing of derivatives of C programs (`enzpy-opt`)",
        "",
        "tests/fuzz/cgen.py writes random C functions `double f(double *x, double *y, const double "
        "*w, int n, double p[, double q])` (libm calls kept in their smooth domains, `float` "
        "variants, `if`/`else` and ternaries, loops over `n` = 3..40 with reductions and "
        "recurrences, nested, triangular and `while` loops, `break`, early `return`, writes to "
        "`y` read later, local, variable-length and `malloc`ed arrays, `memcpy`, data-dependent "
        "indices, a global table, `static` helpers (sometimes `noinline`, called with pointer "
        "offsets), structs of doubles) with a driver that calls `__enzyme_autodiff` "
        "(or split mode, `__enzyme_augmentfwd` + `__enzyme_reverse`, with the primal arrays "
        "overwritten with NaN in between) and `__enzyme_fwddiff`, and prints `phi = f + <wy, y>` "
        "at perturbed inputs. tests/fuzz/crun.py builds each as tests/c is built (`clang-22 -O0/-O1/-O2/-O3 "
        "[-ffast-math] [-march=x86-64-v3] -S -emit-llvm`, `enzpy-opt [-O0/-O1/-O3]`, "
        "`clang-22 out.ll -lm`) and checks the reverse-mode gradient against central differences "
        "(two steps; rtol 1e-6, float programs 2e-3), the forward-mode tangent against it "
        "(rtol 1e-10) and the primal side effects of both calls. The test suite runs 40 programs "
        "(tests/test_c_fuzz.py). Reproducers of programs that are not ok: build/cfuzz/.",
    ] + table_head(s, command) + [
        f"| wrong (derivative or primal mismatch) | {c.get('wrong', 0)} |",
        f"| crash (signal, timeout, internal failure, output not linking, program dying) | {c.get('crash', 0)} |",
        f"| unsupported (`enzpy-opt: error:`) | {c.get('unsupported', 0)} |",
        f"| unstable (finite differences unreliable; forward and reverse still agree) | {c.get('unstable', 0)} |",
        f"| invalid (generator bug) | {c.get('invalid', 0)} |",
        f"| time | {s['seconds']:.0f} s ({s['jobs']} jobs) |",
        f"| code | {s.get('code', '?')}; enzpy-opt sha256 {', '.join(s.get('enzpy_opt_sha256', []))} |",
        "",
    ]
    if s["unsupported"]:
        lines += ["| `enzpy-opt: error:` ... | programs |", "|---|---|"]
        lines += [f"| {k.replace('|', '/')} | {v} |" for k, v in
                  sorted(s["unsupported"].items(), key=lambda kv: -kv[1])] + [""]
    shown = set()
    findings = []
    for b in s["bad"]:                  # every failure; the first program of each unsupported class
        if b["class"] == "unsupported":
            cls = _error_class(b["error"])
            if cls in shown:
                continue
            shown.add(cls)
        first = (b["error"] or b["detail"]).splitlines()[0] if (b["error"] or b["detail"]) else ""
        findings.append(f"* seed {b['seed']}: **{b['class']}**: {first[:300]}")
    if findings:
        lines += ["Findings (every wrong, crash and invalid program; one program of each unsupported "
                  "class):", ""] + findings + [""]
    lines += ["Constructs (programs containing each): " + ", ".join(
        f"`{k}` {v}" for k, v in sorted(s["features"].items())) + ".", "",
        "Calls and flags (programs): " + ", ".join(
            f"{k} {v}" for k, v in sorted(s["calls"].items())) + ".", ""]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_run_arguments(ap, seed=1, jobs=1)
    ap.add_argument("--save", default=str(REPO / "build" / "cfuzz"))
    ap.add_argument("--md", default=None, help="write the markdown section into this file")
    ap.add_argument("--check", type=int, nargs="+", default=None, metavar="SEED",
                    help="check these program seeds alone and print the details")
    ap.add_argument("--exclude", default=None,
                    help="constructs the generator leaves out, e.g. asinh,fmod (ENZPY_CFUZZ_EXCLUDE)")
    a = ap.parse_args(argv)
    if a.exclude is not None:
        cgen.EXCLUDE = frozenset(x.strip() for x in a.exclude.split(",") if x.strip())
    enzpy_opt = find_enzpy_opt()
    if not enzpy_opt:
        raise SystemExit("enzpy-opt not found (set ENZPY_OPT)")
    if a.check:
        bad = 0
        tmp = tempfile.mkdtemp(prefix="enzpy-cfuzz-")
        enzpy_opt = private_copy(enzpy_opt, tmp)
        for s in a.check:
            keep = Path(a.save) / f"check_{s}"
            r = check_program(s, enzpy_opt, keep=keep)
            print(json.dumps(r, indent=1))
            print(f"build folder: {keep}")
            bad += r["class"] in BAD
        shutil.rmtree(tmp, ignore_errors=True)
        return 1 if bad else 0
    seeds = run_seeds(a)

    def describe(r):
        first = (r.get("error") or r.get("detail") or "").splitlines()
        return f"{first[0][:300] if first else ''} ({r.get('saved', '')})"

    progress = Progress(len(seeds), a.quiet, describe)
    results = run(seeds, a.jobs, enzpy_opt, a.save, progress)
    s = summarize(results, time.time() - progress.t0, a.seed, a.jobs, enzpy_opt)
    print(json.dumps({k: v for k, v in s.items() if k not in ("features", "calls")}, indent=1))
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1))
    if a.md:
        update_section(a.md, SECTION, markdown(s, command_line("crun.py", argv)))
    return 0 if not any(b["class"] in BAD for b in s["bad"]) else 1


if __name__ == "__main__":
    sys.exit(main())
