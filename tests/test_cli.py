"""enzpy-opt on bad input: always exit status 1 with `enzpy-opt: error: ...`, never a signal."""
import random
import subprocess

import pytest

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


def _mutations(data: bytes, rng: random.Random, count: int):
    for _ in range(count):
        b = bytearray(data)
        kind = rng.randrange(4)
        if kind == 0 and len(b) > 1:
            b = b[: rng.randrange(1, len(b))]  # truncate
        elif kind == 1:
            for _ in range(rng.randrange(1, 8)):  # flip bytes
                i = rng.randrange(len(b))
                b[i] = rng.randrange(256)
        elif kind == 2:
            lines = bytes(b).split(b"\n")  # delete a line
            del lines[rng.randrange(len(lines))]
            b = bytearray(b"\n".join(lines))
        else:
            lines = bytes(b).split(b"\n")  # duplicate a line
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            b = bytearray(b"\n".join(lines))
        yield bytes(b)


def test_mutated_inputs_never_crash(enzpy_opt, tmp_path):
    """A small fuzz run (the long one lives in the reliability suite): text and bitcode inputs."""
    src = tmp_path / "in.ll"
    src.write_text(GOOD)
    bc = tmp_path / "in.bc"
    assert run(enzpy_opt, [str(src), "-O0", "-o", str(bc)]).returncode == 0
    rng = random.Random(1234)
    seeds = [GOOD.encode(), bc.read_bytes()]
    for seed in seeds:
        for data in _mutations(seed, rng, 60):
            p = run(enzpy_opt, ["-", "-S", "-o", "-"], stdin=data)
            assert p.returncode in (0, 1), (p.returncode, data[:200])
            if p.returncode == 1:
                assert p.stderr.startswith(b"enzpy-opt: error: "), p.stderr
