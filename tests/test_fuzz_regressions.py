"""Regressions found by the differential fuzzer (tests/fuzz/, tests/test_fuzz.py).

Each test is a generated program that gave a wrong derivative (or crashed), minimized by hand to a
few lines. The fuzz seeds that found it are named (``python3 tests/fuzz/check.py SEED`` prints a
program and re-checks it; the generator has grown since, so an old seed may now give another
program: the minimized reproducer here is what counts). Tests of bugs still open are
``xfail(strict=True)`` (an unexpected pass fails: remove the mark when the bug is fixed); classes 1,
1b, 2, 3, 4, 5 and 6 are fixed.
"""
import math

import numpy as np
import pytest
from numba import njit

from enzpy import Active, Const, Duplicated, Forward, Reverse, ReverseWithPrimal, autodiff


# ----------------------------------------------------------------------------------------------
# 1. a.copy() in reverse mode: the copy's shadow starts as a copy of a's shadow, so whatever the
#    caller's shadow of `a` holds on entry (reverse mode *adds* into it) flows back into it a second
#    time through the copy. Found by seeds 1000003, 1000079, 1000082, 1000197, 2000164, 3000042,
#    3000079, 3000120, 3000235, 3000239, 3000260, 3000276 (every program with `w = a.copy()` and a
#    nonzero seed in a's shadow). With a zero shadow on entry the result is right.
#    (An earlier core, built 2026-11-22 04:07, gave a zero derivative through the copy instead.)
#    Fixed in 22de679.
# ----------------------------------------------------------------------------------------------
@njit
def _copy_unused(a):
    w = a.copy()        # noqa: F841
    return a[0]


@njit
def _read_through_copy(a):
    w = a.copy()
    return 2.0 * w[0] + a[1]


@njit
def _copy_then_overwrite(o):
    w = o.copy()
    for i in range(o.shape[0]):
        o[i] = 0.25 * i
    return w[1]


@pytest.mark.parametrize("mode", [Reverse, ReverseWithPrimal], ids=["Reverse", "ReverseWithPrimal"])
def test_copy_unused_keeps_incoming_shadow(mode):
    a, da = np.array([1.0, 2.0, 3.0]), np.ones(3)
    autodiff(mode, _copy_unused, Active, Duplicated(a, da))
    assert da.tolist() == [2.0, 1.0, 1.0]          # was [3, 2, 2]


def test_read_through_copy_reverse_accumulates():
    a, da = np.array([1.0, 2.0, 3.0]), np.ones(3)
    autodiff(Reverse, _read_through_copy, Active, Duplicated(a, da))
    assert da.tolist() == [3.0, 2.0, 1.0]          # was [4, 3, 2]


def test_read_through_copy_zero_shadow_and_forward():
    a, da = np.array([1.0, 2.0, 3.0]), np.zeros(3)
    autodiff(Reverse, _read_through_copy, Active, Duplicated(a, da))
    assert da.tolist() == [2.0, 1.0, 0.0]
    (t,) = autodiff(Forward, _read_through_copy, Duplicated(a, np.array([1.0, 10.0, 100.0])))
    assert t == 12.0


def test_copy_of_overwritten_output():
    # o's final values are constants: the seed in do (the adjoint of o's final values) must not
    # reach o's initial values; only w[1] = o[1] does
    o, do = np.arange(5.0), np.array([1.0, 1.0, 1.0, 1.0, 1.0])
    autodiff(Reverse, _copy_then_overwrite, Active, Duplicated(o, do))
    assert do.tolist() == [0.0, 1.0, 0.0, 0.0, 0.0]   # was [1, 2, 1, 1, 1]


def test_copy_vjp_matches_jvp():
    # the dot-product test <J v, w> == <v, J^T w> for F(y, x): y[i] = 3 * copy(x)[i], x read only
    @njit
    def F(y, x):
        w = x.copy()
        for i in range(y.shape[0]):
            y[i] = 3.0 * w[i]

    x = np.array([0.5, -1.0, 2.0])
    v = np.array([1.0, 2.0, -1.0])        # tangent of x
    wy = np.array([0.5, 1.0, 1.5])        # adjoint seed of y's final values
    wx = np.array([1.0, -1.0, 2.0])       # adjoint seed of x's final values (x is unchanged)
    ty = np.zeros(3)
    tx = v.copy()
    autodiff(Forward, F, Const, Duplicated(np.zeros(3), ty), Duplicated(x.copy(), tx))
    dy, dx = wy.copy(), wx.copy()
    autodiff(Reverse, F, Const, Duplicated(np.zeros(3), dy), Duplicated(x.copy(), dx))
    # outputs (y, x_final) = (3 x, x): <(ty, tx), (wy, wx)> == <v, dx>
    assert float(ty @ wy + tx @ wx) == pytest.approx(float(v @ dx), rel=1e-12)


# 1b. The same double count comes back when the function also calls np.where with array branches
#    on the copied array (the fix of 1 decides from the memory's type that a buffer holds no
#    pointers, and np.where's loop makes that type unknown?). Found by seed 631 of the grown
#    generator (`w5 = a0.copy()` after a branch with `np.sum(np.where(a0 > 0, a0, 0.5 * a0))`).
#    Fixed: the pointer check follows the buffer into the njit callees it is passed to.
@njit
def _where_and_copy(a):
    w = a.copy()
    return w[0] + np.sum(np.where(a > 0.0, a, 0.5 * a))


def test_copy_next_to_where_keeps_incoming_shadow():
    a, da = np.array([1.0, -2.0, 3.0]), np.ones(3)
    autodiff(Reverse, _where_and_copy, Active, Duplicated(a, da))
    assert da.tolist() == [3.0, 1.5, 2.0]          # got [4, 2.5, 3]


def test_copy_next_to_where_zero_shadow():
    a, da = np.array([1.0, -2.0, 3.0]), np.zeros(3)
    autodiff(Reverse, _where_and_copy, Active, Duplicated(a, da))
    assert da.tolist() == [2.0, 0.5, 1.0]


# ----------------------------------------------------------------------------------------------
# 2. Reverse mode: a value used only in a comparison (it decides a branch, it is not
#    differentiated) still gets adjoint code, and where its local partial derivative is infinite
#    or NaN (sqrt and log at 0, hypot at (0, 0)) the zero adjoint times that partial (0 * inf) is a
#    NaN that poisons the gradient. Forward mode is right. The typical victim is guard code like
#    `if r == 0.0:` with `r = sqrt(x*x + y*y)`. Found by seed 4000100, where the generated
#    condition `-(sin(hypot(acc, acc)) ** i) >= 0` saw acc == 0.0 (the gradient had NaN entries;
#    the function is smooth there). Fixed in 22de679.
# ----------------------------------------------------------------------------------------------
@njit
def _sqrt_decides_branch(x):
    if math.sqrt(x) < 0.5:          # at x = 0: sqrt'(0) = inf, but sqrt only picks the branch
        return 3.0 * x
    return x


@njit
def _guarded_normalize(x, y):
    r = math.sqrt(x * x + y * y)
    if r == 0.0:
        return x + y
    return (x + y) / r


@njit
def _hypot_decides_branch(x, y):
    return x if math.hypot(x, y) > 1.0 else 2.0 * x


def test_sqrt_only_in_condition():
    assert autodiff(Reverse, _sqrt_decides_branch, Active, Active(0.0)) == ((3.0,),)   # was nan


def test_sqrt_only_in_condition_forward():
    assert autodiff(Forward, _sqrt_decides_branch, Duplicated(0.0, 1.0)) == (3.0,)


def test_guard_against_zero_norm():
    assert autodiff(Reverse, _guarded_normalize, Active, Active(0.0), Active(0.0)) == ((1.0, 1.0),)


def test_hypot_only_in_condition():
    assert autodiff(Reverse, _hypot_decides_branch, Active, Active(0.0), Active(0.0)) == ((2.0, 0.0),)


# ----------------------------------------------------------------------------------------------
# 3. CRASH (heap corruption, "malloc(): unaligned tcache chunk detected", abort): when a branch
#    that allocates a temporary array is not taken, LLVM merges the decref of the temporary and
#    the decref of the argument's MemInfo into one `NRT_decref(phi [tmp, arg.meminfo])`. The
#    derivative mirrors it on a shadow phi `phi [shadow tmp, arg.meminfo]`: on the edge where
#    the primal is the argument's MemInfo the shadow is the *same* primal pointer, so the
#    argument's MemInfo is decref'd twice and freed while the caller still holds it (valgrind:
#    invalid read of a freed NRT MemInfo; both modes). Wanted: the mirrored NRT_decref/incref is
#    skipped where the shadow is the primal (runtime-activity guard), or MemInfo pointers get no
#    shadow. Found by seed 5000111 (worker died with SIGABRT). Runs in a subprocess. Fixed: the
#    mirrored refcount call is given NULL where the shadow is the primal (runtime activity).
# ----------------------------------------------------------------------------------------------
_DOUBLE_DECREF = """
import numpy as np
from numba import njit
from enzpy import autodiff, Forward, Reverse, Active, Duplicated

@njit
def f(x, a):
    return (-1.79 if a[1] <= 0.0 else np.sum(a * a)) + x   # a[1] <= 0: no temporary

a = np.array([0.9, -0.3, -0.76])
for _ in range(50):
    if MODE == "forward":
        r = autodiff(Forward, f, Duplicated(1.0, 1.0), Duplicated(a, np.zeros(3)))
        assert r == (1.0,), r
    else:
        da = np.zeros(3)
        r = autodiff(Reverse, f, Active, Active(1.0), Duplicated(a, da))
        assert r == ((1.0, None),) and not da.any(), (r, da)
print("ok")
"""


def _run_isolated(code):
    """Run `code` in a fresh interpreter; glibc's per-thread malloc cache is off there, so that a
    write into a freed block is caught at the next allocation ("unaligned fastbin chunk")."""
    import os
    import subprocess
    import sys

    import enzpy
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(enzpy.__file__)) + os.pathsep
               + os.environ.get("PYTHONPATH", ""),  # the enzpy under test
               GLIBC_TUNABLES="glibc.malloc.tcache_count=0")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_no_double_decref_of_argument_meminfo(mode):
    proc = _run_isolated(f"MODE = {mode!r}\n" + _DOUBLE_DECREF)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", (proc.returncode,
                                                                   proc.stderr[-2000:])


def test_isolated_runner_control():
    """The same loop on a function without the conditional temporary runs clean."""
    proc = _run_isolated("MODE = 'forward'\n" + _DOUBLE_DECREF.replace(
        "(-1.79 if a[1] <= 0.0 else np.sum(a * a)) + x", "np.sum(a * a) + x").replace(
        "assert r == (1.0,), r", "pass"))
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", (proc.returncode,
                                                                   proc.stderr[-2000:])


# ----------------------------------------------------------------------------------------------
# 4. DuplicatedNoNeed drops the primal stores into an argument that the function *does* read back:
#    `o1` is written in one loop and read (in reverse order, deciding a branch) in the next; with
#    DuplicatedNoNeed(o1, ...) the derivative sees o1's stale values, takes the other branch and
#    is wrong in both modes (no error). Needs the unused temporary and the reversed index (without
#    either the result is right). Duplicated(o1, ...) is right. Found by seed 9000293. Fixed: a read
#    whose underlying objects cannot all be identified (here a phi of pointers) keeps every store.
# ----------------------------------------------------------------------------------------------
@njit
def _written_then_read_back(o1, o0, a, x):
    t = np.sum(a * o0)                   # noqa: F841  (an unused temporary)
    for i in range(o1.shape[0]):
        o1[i] = o0[i]
    for i in range(o0.shape[0]):
        o0[i] += 1.0 if o1[o0.shape[0] - 1 - i] > -0.671 else math.sqrt(abs(a[i] / (1.5 + x * x)) + 0.5)
    return x


_O1 = [0.857, -0.699, -0.898, 1.459, -0.966]     # o1 on entry: overwritten, must not matter
_O0 = [0.484, 0.717, -0.306, 0.334, 0.395]       # o1 := o0 > -0.671 everywhere: the 1.0 branch
_A = [-1.127, -0.642, 0.849, -0.620, 0.743]


@pytest.mark.parametrize("dup", ["Duplicated", "DuplicatedNoNeed"])
def test_noneed_argument_read_back(dup):
    import enzpy
    Dup = getattr(enzpy, dup)
    do1, do0, da = np.zeros(5), np.ones(5), np.zeros(5)
    r = autodiff(Reverse, _written_then_read_back, Active, Dup(np.array(_O1), do1),
                 Duplicated(np.array(_O0), do0), Duplicated(np.array(_A), da), Active(0.865))
    assert r == ((None, None, None, 1.0),)               # NoNeed: 0.53169...
    assert da.tolist() == [0.0] * 5                      # NoNeed: [-0.222, 0, 0.237, -0.253, 0]
    t0 = np.zeros(5)
    autodiff(Forward, _written_then_read_back, Const, Dup(np.array(_O1), np.zeros(5)),
             Duplicated(np.array(_O0), t0), Duplicated(np.array(_A), np.ones(5)), Duplicated(0.865, 0.0))
    assert t0.tolist() == [0.0] * 5


# ----------------------------------------------------------------------------------------------
# 5. A segmentation fault in reverse mode (found by the long run, seed 1001355): a `while` loop reads
#    `a1[k] if K[k] > c and a0[0] != 0 else K[k]`, where K is a global constant array; numba sinks the
#    two loads into one through a phi of the pointers (`phi ptr [@.const.array.data, ...],
#    [%arg.a1.4, ...]`), which the core handles with runtime activity. The guarded adjoint update
#    wrote the old value back through the inactive pointer, i.e. into the read-only constant array.
#    Fixed: guarded updates go to a scratch slot when the pointer is inactive.
# ----------------------------------------------------------------------------------------------
_RUNTIME_ACTIVITY_CRASH = """
import math, numpy as np
from numba import njit
from enzpy import autodiff, Reverse, Active, Duplicated
K = np.array([-0.618, 0.245, 0.083, -1.199, -0.697, 1.751, 0.271])
@njit
def f(a0, a1):
    acc = 0.074
    k = 0
    while k < a0.shape[0] and acc < 2.514:
        acc += math.sin(K[-1] + (a1[k] if K[k] > 0.81 and a0[0] != 0.0 else K[k]))
        k += 1
    return acc
a0 = np.array([0.39, -1.45, 1.54, -0.25, -0.64, 0.89])
a1 = np.array([-1.47, -1.53, 1.45, 0.93, -1.29, -0.61])
da0, da1 = np.zeros(6), np.zeros(6)
autodiff(Reverse, f, Active, Duplicated(a0, da0), Duplicated(a1, da1))
assert da0.tolist() == [0.0] * 6, da0
assert da1[:5].tolist() == [0.0] * 5 and abs(da1[5] - math.cos(0.271 + a1[5])) < 1e-14, da1
print("ok")
"""


def test_runtime_activity_phi_with_global_constant_array_does_not_crash():
    proc = _run_isolated(_RUNTIME_ACTIVITY_CRASH)
    assert proc.returncode == 0 and proc.stdout.strip().endswith("ok"), (proc.returncode,
                                                                          proc.stderr[-2000:])


# ----------------------------------------------------------------------------------------------
# 6. EnzpyError "the module is not valid LLVM IR: PHINode should have one entry for each predecessor"
#    in reverse mode (long run, seeds 1003163 and 1003996): after a call of another njit function numba
#    switches on the returned status, and the cases -2 and 0 both go on to the same block, two edges
#    from one predecessor. When that block is a join, the predecessor-id phi the forward sweep adds had
#    one entry for the pair; the blocks put on loop entry and exit edges had the same problem. Fixed:
#    one phi entry per edge, and edge blocks take all edges of a pair (tests/lit/structure/duplicate-edges.ll
#    checks the IR). The program of seed 1003163, in float64:
# ----------------------------------------------------------------------------------------------
_K6 = np.array([-1.202, -1.532, 1.361, -1.76, 1.187, 1.523, -0.977])


@njit
def _h6(p, q):
    acc2 = -0.271
    for i1 in range(3):
        t3 = math.atan(p * acc2) - (acc2 + 1.373)
        t4 = (p if p > -0.56 and acc2 != 0.0 else -2.413) * math.tanh((t3 - t3) * 0.0582)
        acc2 = acc2 * 0.5 + math.atan(-math.sqrt(1.0 + p * p))
        acc2 = acc2 * 0.5 + math.tan(0.6 * math.tanh(t3)) * math.cos(t4)
    return (q + math.atan(_K6[0] * acc2)) + math.exp(math.tanh(q if acc2 < q else 1.08))


@njit
def _status_switch_join(x1, x2, o0, x0):
    if (abs(x1) + np.cos(x2)) + math.sin(x2) <= 0.463 or math.tanh(x2) > (abs(x1) + np.cos(x2)) + math.sin(x2):
        acc7 = math.sin(x1)
        for i6 in range(o0.shape[0]):
            o0[(i6 + 1) % o0.shape[0]] += math.sin(math.atan(math.atan(math.sinh(math.sin(-1.367 - x2)))))
            acc7 *= 1.0 + 0.2 * math.sin(math.sin(_h6(o0[(i6 + 1) % o0.shape[0]], o0[(i6 + 1) % o0.shape[0]])))
        t5 = o0[-1]
    else:
        x2 += math.sqrt(math.fabs(math.sin(x1)) + 0.5)
        t5 = _h6(math.sin(_h6(o0[-1], x1)), 2.097)
    t8 = 2.461
    t8 *= math.atan(math.hypot(t8, 0.5 + o0[2] * o0[2]))
    for i9 in range(o0.shape[0]):
        o0[i9] += math.tanh(math.atan(-((1.2 + math.sin(_K6[o0.shape[0] - 1 - i9] + x0)) ** i9)) * 0.6365)
    return math.tanh((1.411 + t8) * t8 * 0.049) + x2 + t8 + x1 + 0.1 * t5


@pytest.mark.parametrize("x1, x2", [(0.7, 0.4), (-0.05, -1.2)], ids=["else-branch", "if-branch"])
def test_status_switch_into_a_join_reverse_matches_central_differences(x1, x2):
    x0 = 0.3
    o0 = np.array([0.5, -0.3, 0.8, 0.2, -0.6])

    def value(a, b, o):
        return _status_switch_join(a, b, o.copy(), x0)

    o, do = o0.copy(), np.zeros(5)
    (d1, d2, _, _), = autodiff(Reverse, _status_switch_join, Active, Active(x1), Active(x2), Duplicated(o, do),
                               Const(x0))
    h = 1e-6
    fd1 = (value(x1 + h, x2, o0) - value(x1 - h, x2, o0)) / (2 * h)
    fd2 = (value(x1, x2 + h, o0) - value(x1, x2 - h, o0)) / (2 * h)
    fdo = [(value(x1, x2, o0 + h * e) - value(x1, x2, o0 - h * e)) / (2 * h) for e in np.eye(5)]
    assert d1 == pytest.approx(fd1, rel=1e-6, abs=1e-8)
    assert d2 == pytest.approx(fd2, rel=1e-6, abs=1e-8)
    assert do == pytest.approx(np.array(fdo), rel=1e-6, abs=1e-8)
    # forward mode along x1 agrees with the reverse sweep
    (t,) = autodiff(Forward, _status_switch_join, Duplicated(x1, 1.0), Const(x2), Duplicated(o0.copy(), np.zeros(5)),
                    Const(x0))
    assert t == pytest.approx(d1, rel=1e-10, abs=1e-12)
