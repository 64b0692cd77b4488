"""enzpy-opt on bad input: always exit status 1 with `enzpy-opt: error: ...`, never a signal."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz.malformed import GOOD  # noqa: E402  (a small valid module with a marker call)


def run(enzpy_opt, args, stdin=None):
    return subprocess.run([enzpy_opt, *args], input=stdin, capture_output=True, timeout=60)


def expect_error(proc, *fragments):
    err = proc.stderr.decode(errors="replace")
    assert proc.returncode == 1, (proc.returncode, err)
    assert err.startswith("enzpy-opt: error: "), err
    for f in fragments:
        assert f in err, err


def test_version_and_help(enzpy_opt):
    v = run(enzpy_opt, ["--version"])
    assert v.returncode == 0 and b"enzpy-opt" in v.stdout and b"LLVM 22" in v.stdout
    h = run(enzpy_opt, ["--help"])
    assert h.returncode == 0 and b"__enzyme_autodiff" in h.stdout


def test_good_input_from_stdin_to_stdout(enzpy_opt):
    p = run(enzpy_opt, ["-", "-S", "-o", "-"], stdin=GOOD.encode())
    assert p.returncode == 0, p.stderr
    out = p.stdout.decode()
    assert "__enzyme_autodiff" not in out
    assert "fmul double %x, 2.0" in out or "fadd double %x, %x" in out


def test_bitcode_round_trip(enzpy_opt, tmp_path):
    src = tmp_path / "in.ll"
    src.write_text(GOOD)
    bc = tmp_path / "out.bc"
    assert run(enzpy_opt, [str(src), "-o", str(bc)]).returncode == 0
    assert bc.read_bytes()[:2] == b"BC"
    again = run(enzpy_opt, [str(bc), "-S", "-o", "-"])  # bitcode in: nothing left to lower
    assert again.returncode == 0 and b"define" in again.stdout


@pytest.mark.parametrize("text, fragment", [
    ("define double @f(double %x) {\n  %y = fmul double %x\n  ret double %y\n}\n", "cannot parse"),
    ("this is not IR", "cannot parse"),
    ("", None),
])
def test_malformed_ir(enzpy_opt, text, fragment):
    p = run(enzpy_opt, ["-", "-S", "-o", "-"], stdin=text.encode())
    if fragment is None:  # an empty module is valid IR
        assert p.returncode == 0
    else:
        expect_error(p, fragment)


def test_missing_file_and_bad_options(enzpy_opt, tmp_path):
    expect_error(run(enzpy_opt, [str(tmp_path / "nope.ll")]), "cannot read")
    expect_error(run(enzpy_opt, ["--frobnicate"]), "unknown option")
    expect_error(run(enzpy_opt, []), "no input file")


def test_undefined_function(enzpy_opt):
    ir = GOOD.replace("define double @f(double %x) {\n  %y = fmul double %x, %x\n  ret double %y\n}",
                      "declare double @f(double)")
    expect_error(run(enzpy_opt, ["-"], ir.encode()), "@f", "not defined")


def test_external_call_without_rule(enzpy_opt):
    ir = GOOD.replace("%y = fmul double %x, %x", "%y = call double @mystery(double %x)") + \
        "declare double @mystery(double)\n"
    expect_error(run(enzpy_opt, ["-"], ir.encode()), "no derivative rule", "@mystery")


def test_too_few_arguments_after_marker(enzpy_opt):
    ir = """
@enzyme_dup = external global i32
declare void @__enzyme_autodiff(ptr, ...)
define double @f(ptr %x) {
  %v = load double, ptr %x
  ret double %v
}
define void @g(ptr %x) {
  %m = load i32, ptr @enzyme_dup
  call void (ptr, ...) @__enzyme_autodiff(ptr @f, i32 %m, ptr %x)
  ret void
}
"""
    expect_error(run(enzpy_opt, ["-"], ir.encode()), "too few arguments")


def test_unsupported_instruction(enzpy_opt):
    ir = """
declare double @__enzyme_autodiff(ptr, ...)
define double @f(ptr %p, double %x) {
  %old = atomicrmw fmax ptr %p, double %x monotonic
  ret double %old
}
define double @g(ptr %p, ptr %dp, double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, ptr %p, ptr %dp, double %x)
  ret double %d
}
"""
    expect_error(run(enzpy_opt, ["-"], ir.encode()), "atomicrmw")


def test_mutated_inputs_never_crash(enzpy_opt, tmp_path):
    """A small run of the malformed-input fuzzer (tests/fuzz/malformed.py; the long run, 2,000+
    inputs, is recorded in docs/fuzzing.md): mutated text and bitcode, bad marker calls. Never a
    signal or a timeout; exit 0 with verified IR and no marker call left, or 1 with an error."""
    malformed = pytest.importorskip("fuzz.malformed")
    try:
        malformed.tool("clang"), malformed.tool("llvm-as"), malformed.tool("opt")
    except FileNotFoundError as e:
        pytest.skip(str(e))
    s = malformed.run(150, seed=1234, timeout=20.0, c_programs=6, enzpy_opt=enzpy_opt,
                      save=str(tmp_path / "failures"), cache=tmp_path / "seeds")
    assert s["inputs"] == 150 and s["exit0"] > 0 and s["exit1"] > 0, s
    assert s["failures"] == 0, (f"saved under {tmp_path / 'failures'}", s["failed"])


CRASHERS = sorted((Path(__file__).resolve().parent / "fuzz" / "crashers").glob("*.*[bl][cl]"))


@pytest.mark.parametrize("path", CRASHERS, ids=[p.name for p in CRASHERS])
def test_crashers(enzpy_opt, path):
    """Inputs that crashed or hung LLVM's bitcode reader (tests/fuzz/crashers/README.md): exit 1
    with an error, under the fuzzer's 4 GiB address-space limit."""
    from fuzz import malformed
    if "oom" in path.name and malformed.is_asan(enzpy_opt):
        pytest.skip("no address-space limit for an ASan build: the reader would take all memory")
    env = dict(os.environ)
    if malformed.is_asan(enzpy_opt):    # the crash is in (uninstrumented) libLLVM: let the worker die
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":handle_segv=0"
    p = subprocess.run(malformed.limited([enzpy_opt, str(path), "-S", "-o", "-"], 4096),
                       capture_output=True, timeout=60, env=env)
    err = p.stderr.decode(errors="replace")
    assert p.returncode == 1 and "enzpy-opt: error: " in err, (p.returncode, err[-2000:])
