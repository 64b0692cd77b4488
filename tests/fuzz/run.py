"""Run the differential fuzzer over many generated programs, in worker processes.

    python3 tests/fuzz/run.py --n 10000 --seed 1 --out docs/fuzzing.md
    python3 -m tests.fuzz.run --n 300 --seed 2026          (from the repository root)

Long runs (hours): ``--checkpoint FILE`` appends every result to FILE as a JSON line as soon as it
is known (a ``{"meta": ...}`` line starts each session), so a run that is stopped leaves its
results; ``--resume`` continues it (programs already in FILE are skipped), and
``--summarize FILE --out docs/fuzzing.md`` writes the summary of whatever FILE holds.
``--snapshot DIR`` copies the enzpy package (with its compiled core, symlinks resolved) to DIR
first and runs the workers on that copy, so that rebuilding the working tree during the run does
not change the code under test:

    nice -n 19 python3 tests/fuzz/run.py --n 10000 --seed 1 --jobs 2 \
        --checkpoint build/fuzz-long/seed1.jsonl --snapshot build/fuzz-long/enzpy
    python3 tests/fuzz/run.py --summarize build/fuzz-long/seed1.jsonl --out docs/fuzzing.md

Program k of a run with seed S has the seed ``S * 1_000_000 + k`` (``python3 tests/fuzz/check.py
SEED`` re-checks one and prints its source). Each worker is a separate Python process (a
segmentation fault in a derivative kills the worker, not the run: the program is classified
``crash`` and a new worker takes over); a program that runs longer than ``--timeout`` seconds is
a ``crash`` (hang) as well. Workers are replaced every ``--recycle`` programs to bound the memory
that numba's compiled code takes. Failing programs (wrong, crash, invalid) are written to
``--save`` with their result as a comment.

The float32 variant of a program is checked for one program in ``--f32-every`` (default 4), the
long-array variants (exact and ``fastmath=True``, check.py) for one in ``--long-every`` (default 4;
a different one).
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import queue
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
REPO = TESTS.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))
from fuzz.common import (BAD, Progress, add_run_arguments, command_line, git_describe,  # noqa: E402,F401
                         program_seed, run_seeds, table_head, tally)
from fuzz.report import update_section  # noqa: E402

SECTION = "differential"     # the section of docs/fuzzing.md this tool writes (fuzz/report.py)


def _child_env(enzpy_dir=None) -> dict:
    env = dict(os.environ)
    paths = [str(TESTS)] + ([str(enzpy_dir)] if enzpy_dir else [])
    try:                                      # the enzpy this process would import
        import importlib.util
        spec = importlib.util.find_spec("enzpy")
        if spec and spec.origin:
            paths.append(str(Path(spec.origin).parent.parent))
    except Exception:
        pass
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.setdefault("PYTHONHASHSEED", "0")
    # glibc: without the per-thread cache a write into a freed block (e.g. a MemInfo decref'd once
    # too often) is caught at the next allocation instead of corrupting the heap silently
    env.setdefault("GLIBC_TUNABLES", "glibc.malloc.tcache_count=0")
    return env


class _Worker:
    def __init__(self, env):
        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-u", "-c", "from fuzz.check import worker_main; worker_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, env=env,
            cwd=str(REPO))
        self.done = 0
        self.buf = b""
        self.last = []           # seeds this worker checked before (a crash may come from them)

    def ask(self, seed: int, f32: bool, long: bool, timeout: float):
        """The result dict, or ("died", rc, stderr tail) / ("timeout",)."""
        try:
            self.proc.stdin.write(f"{seed} {int(f32)} {int(long)}\n".encode())
            self.proc.stdin.flush()
        except OSError:                       # it died before (at start-up, or since)
            return ("died", self.proc.wait(), self.stderr_tail())
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                if line.startswith(b"@@FUZZ "):
                    self.done += 1
                    self.last = (self.last + [seed])[-3:]
                    return json.loads(line[7:])
            left = deadline - time.monotonic()
            if left <= 0:
                return ("timeout",)
            r, _, _ = select.select([fd], [], [], min(left, 5.0))
            if r:
                chunk = os.read(fd, 65536)
                if not chunk:
                    rc = self.proc.wait()
                    return ("died", rc, self.stderr_tail())
                self.buf += chunk

    def stderr_tail(self, n=4000) -> str:
        try:
            self.err.seek(0)
            return self.err.read().decode(errors="replace")[-n:]
        except Exception:
            return ""

    def close(self, kill=False):
        try:
            if kill:
                self.proc.kill()          # only this worker, which this process started
            else:
                self.proc.stdin.close()
            self.proc.wait(timeout=30)
        except Exception:
            try:
                self.proc.kill()
                self.proc.wait(timeout=30)
            except Exception:
                pass
        self.err.close()


def run(seeds, jobs=None, timeout=300.0, f32_every=4, recycle=100, save=None, progress=None,
        enzpy_dir=None, long_every=4):
    """Check every seed; returns the list of result dicts (in seed order). enzpy_dir: a folder
    holding the enzpy package the workers import (default: the one this process would)."""
    seeds = list(seeds)
    jobs = jobs or max(1, os.cpu_count() or 1)
    env = _child_env(enzpy_dir)
    todo: queue.Queue = queue.Queue()
    for k, s in enumerate(seeds):
        todo.put((k, s))
    results = [None] * len(seeds)
    lock = threading.Lock()

    def loop():
        w = None
        while True:
            try:
                k, s = todo.get_nowait()
            except queue.Empty:
                break
            if w is None:
                w = _Worker(env)
            f32 = f32_every > 0 and (s % 1_000_000) % f32_every == 0     # by program index
            long = long_every > 0 and (s % 1_000_000) % long_every == min(2, long_every - 1)
            t0 = time.perf_counter()
            r = w.ask(s, f32, long, timeout)
            if isinstance(r, tuple):
                if r[0] == "timeout":
                    detail = f"hang: no result after {timeout:.0f} s"
                    w.close(kill=True)
                else:
                    rc, tail = r[1], r[2]
                    sig = f" (signal {-rc})" if rc < 0 else ""
                    before = w.last
                    w.close()
                    # alone, in a fresh worker: is it this program, or heap damage left by one before?
                    w2 = _Worker(env)
                    again = w2.ask(s, f32, long, timeout)
                    w2.close(kill=isinstance(again, tuple) and again[0] == "timeout")
                    alone = ("reproduced alone in a fresh worker" if isinstance(again, tuple)
                             else f"NOT reproduced alone (class {again['class']}); the worker had "
                                  f"checked {before} before")
                    detail = f"worker died with exit status {rc}{sig}; {alone}\n{tail}"
                w = None
                r = {"seed": s, "class": "crash", "detail": detail, "f32": f32, "long": long,
                     "times": {"total": time.perf_counter() - t0}}
            elif w.done >= recycle:
                w.close()
                w = None
            results[k] = r
            if save and r["class"] in BAD:
                save_failure(save, r)
            with lock:
                if progress:
                    progress(r)
        if w is not None:
            w.close()

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(min(jobs, len(seeds)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def save_failure(folder, r):
    sys.path.insert(0, str(TESTS))
    from fuzz import gen
    Path(folder).mkdir(parents=True, exist_ok=True)
    prog = gen.generate(r["seed"])
    head = "\n".join("# " + line for line in json.dumps(
        {k: v for k, v in r.items() if k != "times"}, indent=1).splitlines())
    inputs = prog.inputs()
    text = (f"{head}\n# inputs: {({k: (v.tolist() if hasattr(v, 'tolist') else v) for k, v in inputs.items()})}\n"
            f"# re-check: python3 tests/fuzz/check.py {r['seed']}\n"
            f"F = __import__('numpy').float64\n{prog.source}\n")
    (Path(folder) / f"{r['class']}_{r['seed']}.py").write_text(text)


def summarize(results, seconds, run_seed, jobs, f32_every) -> dict:
    calls = collections.Counter()
    for r in results:
        how = r.get("calls")
        if not how:
            continue
        calls.update(r.get("modes", ()))
        calls[f"arrays {how['layout']}"] += 1
        calls["autodiff inside @njit"] += bool(how["inside_njit"])
        calls["DuplicatedNoNeed arrays"] += bool(how["noneed"])
        calls["Const float/array arguments"] += any(k not in ("n", "m") for k in how["const"])
    return {**tally(results), "seconds": seconds, "seed": run_seed, "jobs": jobs,
            "f32_checked": sum(1 for r in results if r.get("f32") and r["class"] in ("ok", "wrong")),
            "long_checked": sum(1 for r in results if r.get("long") and r["class"] in ("ok", "wrong")),
            "batch_checked": sum(1 for r in results if r.get("batch") and r["class"] in ("ok", "wrong")),
            "split_checked": sum(1 for r in results if r.get("split") and r["class"] in ("ok", "wrong")),
            "calls": dict(calls),
            "bad": [{"seed": r["seed"], "class": r["class"], "detail": r["detail"][:1500]}
                    for r in results if r["class"] in BAD]}


def markdown(s: dict, command: str) -> str:
    c = s["counts"]
    lines = [
        "## Differential fuzzing of derivatives",
        "",
        "Random `@njit` programs (tests/fuzz/gen.py: expression DAGs over `+ - * /`, `math.*`, "
        "`min`/`max`/`abs`, branches and ternaries, `for`/`while` loops with data-dependent bounds "
        "and `break`, array reads and writes (1-d and 2-d), local arrays, global constant arrays, "
        "tuple arguments, calls between njit helpers, an unreachable `raise`, float64 and "
        "float32; some also with arrays of 19 to 41 entries, which run numba's vectorized loop "
        "bodies, exact and `fastmath=True` in float64 and float32), each checked by tests/fuzz/check.py: reverse mode and "
        "forward mode against central finite differences (float64 and fastmath: rtol 1e-6; float32 "
        "against the float64 differences: rtol 1e-3), forward against reverse, and the dot-product test `<J v, w> == <v, J^T w>` "
        "(float64: rtol 1e-10). The calls vary with the program: `Reverse`/`ReverseWithPrimal` and "
        "`Forward`/`ForwardWithPrimal` (the primal result checked), `Const` arguments, "
        "C-contiguous, strided or reversed arrays and shadows, `DuplicatedNoNeed` arrays, and "
        "`autodiff` called from inside an `@njit` wrapper; with long arrays also batch mode "
        "(`BatchDuplicated`, 2 to 6 directions a call) and split mode (`ReverseSplitWithPrimal`, "
        "every primal array overwritten with NaN between the forward and the reverse pass), "
        "both against one call per direction (rtol 1e-12).",
    ] + table_head(s, command) + [
        f"| wrong derivative | {c.get('wrong', 0)} |",
        f"| crash (exception, dead worker or hang) | {c.get('crash', 0)} |",
        f"| unsupported (`EnzpyError`) | {c.get('unsupported', 0)} |",
        f"| unstable (finite differences unreliable at the point; forward and reverse still agree) | {c.get('unstable', 0)} |",
        f"| invalid (generator bug) | {c.get('invalid', 0)} |",
        f"| float32 variants checked | {s['f32_checked']} |",
        f"| long-array variants checked (exact and `fastmath=True`) | {s.get('long_checked', 0)} |",
        f"| of those, also in batch mode / in split mode | {s.get('batch_checked', 0)} / {s.get('split_checked', 0)} |",
        f"| time | {s['seconds']:.0f} s ({s['jobs']} worker processes) |",
        f"| run seed | {s['seed']} |",
    ]
    if "checkpoint" in s:
        done = "complete" if s["programs"] >= s["planned"] else \
            f"**partial: {s['programs']} of {s['planned']} programs**"
        lines += [f"| checkpoint | `{s['checkpoint']}` ({done}; {s['sessions']} session(s)) |",
                  f"| code | {s['code']} |"]
    lines.append("")
    if s["unsupported"]:
        lines += ["### Unsupported constructs (known gaps)", "", "| `EnzpyError` class | programs |",
                  "|---|---|"]
        for k, v in sorted(s["unsupported"].items(), key=lambda kv: -kv[1]):
            lines.append(f"| {k} | {v} |")
        lines.append("")
    if s["unstable"]:
        lines += ["### Unstable programs", "", "| reason | programs |", "|---|---|"]
        for k, v in sorted(s["unstable"].items(), key=lambda kv: -kv[1]):
            lines.append(f"| {k} | {v} |")
        lines.append("")
    if s["bad"]:
        lines += ["### Failures", ""]
        for b in s["bad"]:
            first = b["detail"].splitlines()[0] if b["detail"] else ""
            lines.append(f"* seed {b['seed']}: **{b['class']}**: {first}")
        lines.append("")
    lines += ["### Constructs exercised (programs containing each)", "",
              ", ".join(f"`{k}` {v}" for k, v in sorted(s["features"].items())), "",
              "### How enzpy was called (programs)", "",
              ", ".join(f"{k}: {v}" for k, v in sorted(s.get("calls", {}).items())), ""]
    return "\n".join(lines)


def snapshot_enzpy(dest) -> Path:
    """Copy the enzpy package this process would import to DEST/enzpy (symlinks resolved:
    the compiled core and plugin are copied, not linked); returns DEST."""
    import importlib.util
    spec = importlib.util.find_spec("enzpy")
    if spec is None or not spec.origin:
        raise RuntimeError("enzpy is not importable (PYTHONPATH=python?)")
    src = Path(spec.origin).parent
    dest = Path(dest).resolve()
    target = dest / "enzpy"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(src, target, symlinks=False, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


SMOKE = ("import numpy as np, enzpy\nfrom numba import njit\n@njit\ndef f(x, a):\n"
         "    return x * np.sum(a * a)\n"
         "a, da = np.ones(3), np.zeros(3)\n"
         "r = enzpy.autodiff(enzpy.Reverse, f, enzpy.Active, enzpy.Active(2.0), enzpy.Duplicated(a, da))\n"
         "assert r[0][0] == 3.0 and da.tolist() == [4.0] * 3, (r, da)\nprint(enzpy.__file__)\n")


def smoke_test(enzpy_dir) -> str:
    """'' when enzpy under enzpy_dir differentiates a small program, else the error."""
    p = subprocess.run([sys.executable, "-c", SMOKE], env=_child_env(enzpy_dir),
                       capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        return (p.stdout + p.stderr)[-2000:]
    if enzpy_dir and not p.stdout.strip().startswith(str(enzpy_dir)):
        return f"the workers import another enzpy: {p.stdout.strip()}"
    return ""


def read_checkpoint(path):
    """(metas, results) of a checkpoint file: results deduplicated by seed (the last wins), each
    with the session it belongs to in "_session"; a torn last line is ignored."""
    metas, by_seed = [], {}
    with open(path) as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError:
                continue
            if "meta" in d:
                metas.append(d["meta"])
            elif "seed" in d:
                d["_session"] = len(metas) - 1
                by_seed[d["seed"]] = d
    return metas, sorted(by_seed.values(), key=lambda r: r["seed"])


def summarize_checkpoint(path) -> tuple:
    """(summary, command) for a checkpoint file, complete or not."""
    metas, results = read_checkpoint(path)
    if not metas:
        raise SystemExit(f"{path}: no meta line (not a checkpoint of tests/fuzz/run.py)")
    seconds = 0.0
    for i, m in enumerate(metas):
        ts = [r["t"] for r in results if r.get("_session") == i and "t" in r]
        if ts:
            seconds += max(ts) - m["started"]
    m0 = metas[0]
    s = summarize(results, seconds, m0["seed"], m0["jobs"], m0["f32_every"])
    planned = max(m["n"] for m in metas)
    s["planned"] = planned
    s["checkpoint"] = str(path)
    s["sessions"] = len(metas)
    s["code"] = m0.get("code", "?")
    return s, m0.get("command", "?")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_run_arguments(ap, seed=2026, jobs=None)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--f32-every", type=int, default=4)
    ap.add_argument("--long-every", type=int, default=4)
    ap.add_argument("--recycle", type=int, default=100)
    ap.add_argument("--save", default=str(REPO / "build" / "fuzz-failures"))
    ap.add_argument("--out", default=None,
                    help="write the markdown summary as a section of this file (docs/fuzzing.md)")
    ap.add_argument("--checkpoint", default=None,
                    help="append each result to this file as a JSON line, as it comes")
    ap.add_argument("--resume", action="store_true",
                    help="with --checkpoint: skip the programs already in the file")
    ap.add_argument("--summarize", metavar="CHECKPOINT", default=None,
                    help="run nothing: summarize a checkpoint file (with --out: write the section)")
    ap.add_argument("--snapshot", metavar="DIR", default=None,
                    help="run the workers on a copy of the enzpy package made in DIR")
    a = ap.parse_args(argv)
    if a.summarize:
        s, cmd = summarize_checkpoint(a.summarize)
        print(json.dumps({k: v for k, v in s.items() if k not in ("bad", "features", "calls")},
                         indent=1))
        if a.out:
            update_section(a.out, SECTION, markdown(s, cmd))
        return 0 if not s["bad"] else 1
    seeds = run_seeds(a)
    enzpy_dir = None
    if a.snapshot:
        for attempt in range(10):        # the package may be mid-rebuild: wait for a working one
            enzpy_dir = snapshot_enzpy(a.snapshot)
            err = smoke_test(enzpy_dir)
            if not err:
                break
            print(f"snapshot in {enzpy_dir} does not work yet (attempt {attempt + 1}):\n{err}",
                  flush=True)
            time.sleep(60)
        else:
            raise SystemExit("no working enzpy snapshot")
    # say which enzpy the workers test: from the repository root without PYTHONPATH=python that is
    # whatever `pip install .` put in site-packages, not the working tree
    probe = subprocess.run([sys.executable, "-c", "import enzpy, os; p = enzpy.__file__; "
                            "print(os.path.dirname(p))"], env=_child_env(enzpy_dir),
                           capture_output=True, text=True, timeout=300)
    tested = probe.stdout.strip() or f"(enzpy not importable: {probe.stderr.strip()[-300:]})"
    print(f"enzpy under test: {tested}", flush=True)
    ckpt = None
    if a.checkpoint:
        Path(a.checkpoint).parent.mkdir(parents=True, exist_ok=True)
        if a.resume and Path(a.checkpoint).exists():
            done = {r["seed"] for r in read_checkpoint(a.checkpoint)[1]}
            seeds = [x for x in seeds if x not in done]
            print(f"resuming: {len(done)} programs in {a.checkpoint}, {len(seeds)} to go", flush=True)
        elif Path(a.checkpoint).exists() and Path(a.checkpoint).stat().st_size:
            raise SystemExit(f"{a.checkpoint} exists: --resume to continue it, or remove it")
        ckpt = open(a.checkpoint, "a")
        meta = {"seed": a.seed, "n": a.n, "start": a.start, "jobs": a.jobs or os.cpu_count(),
                "f32_every": a.f32_every, "long_every": a.long_every, "timeout": a.timeout, "started": time.time(),
                "command": command_line("run.py", argv), "code": git_describe(), "enzpy": tested}
        ckpt.write(json.dumps({"meta": meta}) + "\n")
        ckpt.flush()
    t0 = time.time()
    report = Progress(len(seeds), a.quiet, lambda r: r.get("error_class") or (
        r["detail"].splitlines()[0][:300] if r["detail"] else ""))

    def progress(r):
        if ckpt is not None:
            ckpt.write(json.dumps(dict(r, t=time.time())) + "\n")
            ckpt.flush()
        report(r)

    results = run(seeds, a.jobs, a.timeout, a.f32_every, a.recycle, a.save, progress, enzpy_dir,
                  a.long_every)
    seconds = time.time() - t0
    if ckpt is not None:
        ckpt.close()
        s, cmd = summarize_checkpoint(a.checkpoint)
    else:
        s = summarize(results, seconds, a.seed, a.jobs or os.cpu_count(), a.f32_every)
        cmd = command_line("run.py", argv)
    print(json.dumps({k: v for k, v in s.items() if k not in ("bad", "features", "calls")},
                     indent=1))
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1))
    if a.out:
        update_section(a.out, SECTION, markdown(s, cmd))
    return 0 if not s["bad"] else 1


if __name__ == "__main__":
    sys.exit(main())
