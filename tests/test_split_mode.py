"""Split reverse mode from Python: autodiff_thunk(ReverseSplitWithPrimal, ...) -> (fwd, rev)."""
import ctypes
import gc
import os
import subprocess
import sys

import numba
import numpy as np
import pytest
from numba import float32, float64

import enzpy
from enzpy import (Active, Const, Duplicated, EnzpyError, EnzpyTypeError, EnzpyValueError,
                   Reverse, ReverseSplitWithPrimal, autodiff, autodiff_thunk)
import numba_testutil

HERE = os.path.dirname(os.path.abspath(__file__))


@numba.njit
def f(A, v):
    s = 0.0
    for i in range(A.shape[0]):
        s += A[i] * A[i] * v
    return np.sin(s)


@numba.njit
def scale_inplace(A, v):
    for i in range(A.shape[0]):
        A[i] = A[i] * v + A[i] * A[i]


def test_card_example():
    """The card's autodiff_thunk example, literally."""
    A, dA, v = np.array([1.0, 2.0, 3.0]), np.zeros(3), 0.3
    forward, reverse = autodiff_thunk(ReverseSplitWithPrimal, Const[f], Active,
                                      Duplicated[float64[::1]], Active[float64])
    tape, primal, shadow = forward(Const(f), Duplicated(A, dA), Active(v))
    assert primal == pytest.approx(f(A, v)) and shadow is None
    assert tape.nbytes > 0
    grads = reverse(Const(f), Duplicated(A, dA), Active(v), 1.0, tape)
    s = (A * A).sum() * v
    assert grads[0][0] is None
    assert grads[0][1] == pytest.approx(np.cos(s) * (A * A).sum(), rel=1e-12)
    np.testing.assert_allclose(dA, np.cos(s) * 2 * A * v, rtol=1e-12)


def test_equals_combined_mode_and_seed_scales():
    A = np.linspace(0.1, 1.0, 7)
    dA1, dA2 = np.zeros(7), np.zeros(7)
    comb = autodiff(Reverse, f, Active, Duplicated(A, dA1), Active(0.7))
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, f, Active, Duplicated, Active)
    tape, primal, _ = fwd(Const(f), Duplicated(A, dA2), Active(0.7))
    split = rev(Const(f), Duplicated(A, dA2), Active(0.7), 2.5, tape)
    assert split[0][1] == pytest.approx(2.5 * comb[0][1], rel=1e-13)
    np.testing.assert_allclose(dA2, 2.5 * dA1, rtol=1e-13)


def test_reverse_reads_only_the_tape():
    """Primal memory may change between the two passes: the reverse pass uses what was recorded."""
    A0 = np.array([0.5, 1.5, -0.25])
    A, dA = A0.copy(), np.zeros(3)
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, scale_inplace, Const, Duplicated, Active)
    tape, primal, shadow = fwd(Const(scale_inplace), Duplicated(A, dA), Active(2.0))
    assert primal is None and shadow is None
    np.testing.assert_allclose(A, A0 * 2.0 + A0 * A0)
    A[:] = 100.0                                           # clobber the primal
    dA[:] = 1.0                                            # seed: adjoint of A's new value
    (grads,) = rev(Const(scale_inplace), Duplicated(A, dA), Active(2.0), tape)
    np.testing.assert_allclose(dA, 2.0 + 2 * A0, rtol=1e-14)   # d(new A_i)/d(old A_i)
    assert grads[1] == pytest.approx(A0.sum(), rel=1e-14)


def test_float32_and_strided():
    big = np.linspace(0.1, 2.0, 12).astype(np.float32)
    A, dbig = big[::3], np.zeros(12, np.float32)
    dA = dbig[::3]
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, f, Active, Duplicated[float32[:]],
                              Active[float32])
    tape, primal, _ = fwd(Const(f), Duplicated(A, dA), Active(np.float32(0.2)))
    (g,) = rev(Const(f), Duplicated(A, dA), Active(np.float32(0.2)), 1.0, tape)
    s = float((A.astype(float) ** 2).sum() * 0.2)
    np.testing.assert_allclose(dA, np.cos(s) * 2 * A.astype(float) * 0.2, rtol=1e-5)
    assert dbig[1::3].tolist() == [0.0] * 4                 # nothing outside the view
    assert g[1] == pytest.approx(np.cos(s) * float((A.astype(float) ** 2).sum()), rel=1e-5)


def test_tape_is_used_once():
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, f, Active, Duplicated, Active)
    A, dA = np.ones(3), np.zeros(3)
    tape, _, _ = fwd(Const(f), Duplicated(A, dA), Active(1.0))
    rev(Const(f), Duplicated(A, dA), Active(1.0), 1.0, tape)
    assert tape.used
    with pytest.raises(EnzpyError, match="already used"):
        rev(Const(f), Duplicated(A, dA), Active(1.0), 1.0, tape)


def test_bad_calls():
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, f, Active, Duplicated, Active)
    fwd2, rev2 = autodiff_thunk(ReverseSplitWithPrimal, scale_inplace, Const, Duplicated, Active)
    A, dA = np.ones(3), np.zeros(3)
    tape, _, _ = fwd(Const(f), Duplicated(A, dA), Active(1.0))
    with pytest.raises(TypeError, match="tape .* last"):
        rev(Const(f), Duplicated(A, dA), Active(1.0), 1.0)
    with pytest.raises(TypeError, match="seed"):
        rev(Const(f), Duplicated(A, dA), Active(1.0), tape)
    with pytest.raises(TypeError, match="made by the forward pass"):
        rev2(Const(scale_inplace), Duplicated(A, dA), Active(1.0), tape)
    with pytest.raises(ValueError, match="shadow"):             # checked before the tape is taken
        rev(Const(f), Duplicated(A, np.zeros(4)), Active(1.0), 1.0, tape)
    assert not tape.used
    rev(Const(f), Duplicated(A, dA), Active(1.0), 1.0, tape)     # still good
    with pytest.raises(TypeError, match="must be Duplicated"):
        fwd(Const(f), Active(1.0), Active(1.0))
    with pytest.raises(EnzpyError, match="autodiff_thunk"):
        autodiff(ReverseSplitWithPrimal, f, Active, Duplicated(A, dA), Active(1.0))
    with pytest.raises(TypeError, match="numba.njit"):
        autodiff_thunk(ReverseSplitWithPrimal, lambda x: x, Active, Active)


@numba.njit
def sum_sq_2d(A, v):
    s = 0.0
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            s += A[i, j] ** 2 * v
    return s


@numba.njit
def powers(x, n):
    s = 0.0
    for i in range(n):
        s += x ** i
    return s


def test_tape_remembers_the_arguments_it_was_recorded_for():
    """rev given other array shapes, dtypes, strides or scalar values than fwd raises (it would
    read the tape out of bounds: a segfault, or as other types: garbage); the tape stays good."""
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, sum_sq_2d, Active, Duplicated, Active)
    B, dB = np.arange(600.0).reshape(20, 30), np.zeros((20, 30))
    A, dA = np.arange(6.0).reshape(2, 3), np.zeros((2, 3))
    tape, _, _ = fwd(Const(sum_sq_2d), Duplicated(B, dB), Active(2.0))
    with pytest.raises(EnzpyValueError, match=r"argument 'A': this tape was recorded for a "
                       r"float64 array of shape \(20, 30\).*got a float64 array of shape \(2, 3\)"):
        rev(Const(sum_sq_2d), Duplicated(A, dA), Active(2.0), 1.0, tape)
    Bt, dBt = np.ascontiguousarray(B.T).T, np.zeros((30, 20)).T      # same shape, F order
    with pytest.raises(EnzpyTypeError, match="argument 'A'.*strides"):
        rev(Const(sum_sq_2d), Duplicated(Bt, dBt), Active(2.0), 1.0, tape)
    with pytest.raises(EnzpyValueError, match=r"argument 'v': .*float 2.0.*float 3.0"):
        rev(Const(sum_sq_2d), Duplicated(B, dB), Active(3.0), 1.0, tape)
    with pytest.raises(EnzpyTypeError, match="argument 'v': .*float 2.0.*float32"):
        rev(Const(sum_sq_2d), Duplicated(B, dB), Active(np.float32(2.0)), 1.0, tape)
    assert not tape.used and dA.tolist() == [[0.0] * 3] * 2
    (g,) = rev(Const(sum_sq_2d), Duplicated(B, dB), Active(np.float64(2.0)), 1.0, tape)  # same type
    assert g[1] == pytest.approx((B ** 2).sum()) and np.array_equal(dB, 4 * B)

    B32, dB32 = A.astype(np.float32), np.zeros((2, 3), np.float32)
    tape32, _, _ = fwd(Const(sum_sq_2d), Duplicated(B32, dB32), Active(2.0))
    with pytest.raises(EnzpyTypeError, match="argument 'A': this tape was recorded for a float32 "
                       "array.*got a float64 array"):
        rev(Const(sum_sq_2d), Duplicated(A, dA), Active(2.0), 1.0, tape32)
    assert dA.tolist() == [[0.0] * 3] * 2
    rev(Const(sum_sq_2d), Duplicated(B32, dB32), Active(2.0), 1.0, tape32)
    np.testing.assert_allclose(dB32, 4 * B32)

    # an integer that sets a trip count: the value is part of what the tape was recorded for
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, powers, Active, Active, Const)
    tape, _, _ = fwd(Const(powers), Active(2.0), Const(10))
    with pytest.raises(EnzpyValueError, match="argument 'n': .*int 10.*int 1000"):
        rev(Const(powers), Active(2.0), Const(1000), 1.0, tape)
    (g,) = rev(Const(powers), Active(2.0), Const(10), 1.0, tape)
    assert g[0] == pytest.approx(sum(i * 2.0 ** (i - 1) for i in range(1, 10)))
    # a NaN is the same argument as a NaN
    tape, _, _ = fwd(Const(powers), Active(float("nan")), Const(3))
    (g,) = rev(Const(powers), Active(float("nan")), Const(3), 1.0, tape)
    assert np.isnan(g[0])


def test_tape_mismatch_segfault_is_gone():
    """The audit's reproducer: rev with smaller arrays than fwd recorded crashed the interpreter."""
    code = (
        "import numpy as np, numba\n"
        "from enzpy import autodiff_thunk, ReverseSplitWithPrimal, Const, Active, Duplicated\n"
        "@numba.njit\n"
        "def g(A, v):\n"
        "    s = 0.0\n"
        "    for i in range(A.shape[0]):\n"
        "        for j in range(A.shape[1]):\n"
        "            s += A[i, j] ** 2 * v\n"
        "    return s\n"
        "fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, g, Active, Duplicated, Active)\n"
        "A = np.arange(6.0).reshape(2, 3); dA = np.zeros_like(A)\n"
        "B = np.arange(600.0).reshape(20, 30); dB = np.zeros_like(B)\n"
        "tape, p, _ = fwd(Const(g), Duplicated(B, dB), Active(2.0))\n"
        "try:\n"
        "    rev(Const(g), Duplicated(A, dA), Active(2.0), 1.0, tape)\n"
        "except ValueError as e:\n"
        "    print('raised', type(e).__name__)\n")
    env = dict(os.environ)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "raised EnzpyValueError" in r.stdout


def test_exception_in_forward_pass_propagates():
    @numba.njit
    def checked(x):
        if x < 0:
            raise ValueError("negative input")
        return x * x

    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, checked, Active, Active)
    with pytest.raises(ValueError, match="negative input"):
        fwd(Const(checked), Active(-1.0))
    tape, primal, _ = fwd(Const(checked), Active(3.0))
    assert primal == 9.0
    assert rev(Const(checked), Active(3.0), 1.0, tape) == ((6.0,),)


def _rss_kb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])


def test_tapes_are_freed():
    """Tapes are freed by the reverse pass, or when collected unused."""
    long_loop = numba_testutil.long_loop()
    A, dA = np.linspace(0, 1, 20000), np.zeros(20000)
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, long_loop, Active, Duplicated)
    tape, _, _ = fwd(Const(long_loop), Duplicated(A, dA))
    nbytes = tape.nbytes
    assert nbytes >= 8 * 20000                      # something per iteration (sin(A[i]) or A[i])
    rev(Const(long_loop), Duplicated(A, dA), 1.0, tape)
    gc.collect()
    before = _rss_kb()
    for i in range(300):                            # 300 x >= 160 kB if leaked
        tape, _, _ = fwd(Const(long_loop), Duplicated(A, dA))
        if i % 2:
            rev(Const(long_loop), Duplicated(A, dA), 1.0, tape)
        del tape
    gc.collect()
    grown_mb = (_rss_kb() - before) / 1024
    assert grown_mb < 0.5 * 300 * nbytes / 2**20, grown_mb


def test_tape_alive_at_interpreter_exit_is_freed_quietly():
    """A tape still referenced when the interpreter exits is collected after module teardown: its
    __del__ must not depend on module globals (it printed 'Exception ignored ... NoneType')."""
    code = ("import numpy as np, numba\n"
            "from enzpy import (autodiff, autodiff_thunk, Reverse, ReverseSplitWithPrimal, Const,\n"
            "                   Duplicated, Active)\n"
            "@numba.njit\n"
            "def f(x):\n"
            "    s = 0.0\n"
            "    for i in range(x.shape[0]):\n"
            "        s += x[i] * x[i] * i\n"
            "    return s\n"
            "x = np.random.rand(1000); xb = np.zeros_like(x)\n"
            "fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, Const[f], Active, Duplicated)\n"
            "kept = fwd(Const(f), Duplicated(x, xb))\n"
            "g = lambda: autodiff(Reverse, f, Active, Duplicated(x, xb))\n"
            "for _ in range(20):\n"
            "    g()\n"
            "f(x)\n")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(enzpy.__file__)) + os.pathsep
               + os.environ.get("PYTHONPATH", ""))  # the enzpy under test
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "Exception ignored" not in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_tape_buffer_is_parked_for_the_next_forward_pass():
    """The reverse pass parks its tape's buffer in the pair's descriptor and the next forward pass
    starts on it (no regrowth from 4 KiB by doubling, no fresh pages), with the same results."""
    long_loop = numba_testutil.long_loop()
    A = np.linspace(0, 1, 20000)
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, long_loop, Active, Duplicated)
    runs, buffers = [], set()
    for _ in range(4):
        dA = np.zeros_like(A)
        out = fwd(Const(long_loop), Duplicated(A, dA))
        tape = out[0]
        buffers.add(ctypes.c_void_p.from_address(tape._addr).value)
        adj = rev(Const(long_loop), Duplicated(A, dA), 1.0, tape)
        runs.append((out[1:], adj, dA))
    assert len(buffers) == 1
    for out, adj, dA in runs[1:]:
        assert out == runs[0][0] and adj == runs[0][1]
        np.testing.assert_array_equal(dA, runs[0][2])


def test_split_equals_combined_on_the_numba_suite(tmp_path):
    """Acceptance of issue 3/6: on every program of the numba test suite called with an Active
    return, split mode gives the combined mode's primal, adjoints and shadows
    (tests/split_crosscheck.py repeats each such call in split mode)."""
    log = tmp_path / "checks.txt"
    env = dict(os.environ, ENZPY_CHECK_SPLIT="1", ENZPY_CHECK_SPLIT_LOG=str(log),
               PYTHONPATH=os.pathsep.join([os.path.dirname(os.path.dirname(enzpy.__file__)), HERE,
                                           os.environ.get("PYTHONPATH", "")]))
    files = sorted(os.path.join(HERE, n) for n in os.listdir(HERE)
                   if n.startswith("test_numba_") and n.endswith(".py"))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-x", *files], capture_output=True, text=True, env=env, cwd=HERE)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    compared = int(log.read_text().split()[-1])
    assert compared >= 100, compared
