"""Batched reverse mode in the core: BatchDuplicated(x, (dx1, ..., dxN)) in Reverse runs one sweep
whose every adjoint, shadow and seed exists once per lane, against N scalar sweeps; through calls
of differentiated functions (one batched callee derivative for all lanes), custom rules, BLAS,
allocations, loops, runtime-inactive memory; inside njit; in the core's IR."""
import numba
import numpy as np
import pytest

from enzpy import (Active, BatchDuplicated, Const, Duplicated, EnzpyError, Forward, Reverse,
                   ReverseSplitWithPrimal, ReverseWithPrimal, autodiff, autodiff_thunk, jacobian,
                   rules)
from enzpy import _core
from enzpy._numba_derivative import cache_info


@numba.njit
def inner(a, b):
    return np.sin(a * b) + a * a


@numba.njit
def scaled_sum(x, c):
    s = 0.0
    for i in range(x.size):
        s += inner(x[i], c) * x[(i + 1) % x.size]
    return s


@numba.njit
def write_out(y, x, c):
    t = np.empty(x.size)                  # an allocation inside: its shadow exists per lane
    for i in range(x.size):
        t[i] = np.exp(-x[i] * c)
    for i in range(y.size):
        acc = 0.0
        for j in range(x.size):
            acc += t[j] * np.cos(x[(i + j) % x.size])
        y[i] = acc + np.dot(x, x) * c     # BLAS ddot through numba


TABLE = np.array([0.5, 1.5, -2.0, 3.0])


@numba.njit
def with_constant_table(x, k):
    # x or a constant global array, chosen at run time: runtime activity per lane
    src = x if k > 0 else TABLE
    s = 0.0
    for i in range(src.size):
        s += src[i] * src[i] * x[i]
    return s


def _lanes(x, n, rng):
    return tuple(rng.standard_normal(x.shape) for _ in range(n))


@pytest.mark.parametrize("width", [1, 2, 3, 8])
def test_active_return_through_a_called_function(width):
    x = np.linspace(0.2, 1.1, 6)
    dxs = tuple(np.full(6, float(k)) for k in range(width))   # lanes start from different values
    primal, (adj_x, adj_c) = autodiff(ReverseWithPrimal, scaled_sum, Active,
                                      BatchDuplicated(x, dxs), Active(0.7))
    assert len(adj_c) == width and adj_x is None
    dx1 = np.zeros(6)
    ((_, c1),) = autodiff(Reverse, scaled_sum, Active, Duplicated(x, dx1), Active(0.7))
    assert primal == pytest.approx(scaled_sum(x, 0.7), rel=1e-15)
    for k in range(width):
        np.testing.assert_allclose(dxs[k], k + dx1, rtol=1e-14)   # accumulated, lane by lane
        assert adj_c[k] == pytest.approx(c1, rel=1e-14)


@pytest.mark.parametrize("width", [2, 3])
def test_output_array_with_allocation_and_blas(width):
    rng = np.random.default_rng(3)
    x = rng.uniform(0.1, 1.0, 5)
    seeds = _lanes(np.zeros(4), width, rng)
    dxs = tuple(np.zeros(5) for _ in range(width))
    res = autodiff(Reverse, write_out, Const, BatchDuplicated(np.zeros(4), tuple(s.copy() for s in seeds)),
                   BatchDuplicated(x, dxs), Active(0.4))
    adj_c = res[0][2]
    for k in range(width):
        dx = np.zeros(5)
        ((_, _, c1),) = autodiff(Reverse, write_out, Const, Duplicated(np.zeros(4), seeds[k].copy()),
                                 Duplicated(x, dx), Active(0.4))
        np.testing.assert_allclose(dxs[k], dx, rtol=1e-13)
        assert adj_c[k] == pytest.approx(c1, rel=1e-13)


def test_dot_product_test_against_batched_forward():
    """<J v_k, w_k> == <v_k, J^T w_k> lane by lane, both sides batched."""
    rng = np.random.default_rng(11)
    x = rng.uniform(0.1, 1.0, 5)
    vs = _lanes(x, 4, rng)
    ws = _lanes(np.zeros(4), 4, rng)
    jvs = tuple(np.zeros(4) for _ in range(4))
    autodiff(Forward, write_out, Const, BatchDuplicated(np.zeros(4), jvs), BatchDuplicated(x, vs), 0.4)
    jtws = tuple(np.zeros(5) for _ in range(4))
    autodiff(Reverse, write_out, Const, BatchDuplicated(np.zeros(4), tuple(w.copy() for w in ws)),
             BatchDuplicated(x, jtws), Const(0.4))
    for k in range(4):
        assert np.dot(jvs[k], ws[k]) == pytest.approx(np.dot(vs[k], jtws[k]), rel=1e-12)


@pytest.mark.filterwarnings("ignore:enzpy. differentiating")
def test_runtime_inactive_memory_per_lane():
    x = np.array([0.3, -0.2, 0.9, 1.4])
    for k in (1, -1):
        dxs = tuple(np.zeros(4) for _ in range(3))
        autodiff(Reverse, with_constant_table, Active, BatchDuplicated(x, dxs), Const(k))
        dx = np.zeros(4)
        autodiff(Reverse, with_constant_table, Active, Duplicated(x, dx), Const(k))
        expected = 3 * x * x if k > 0 else TABLE * TABLE
        np.testing.assert_allclose(dx, expected, rtol=1e-14)
        for d in dxs:
            np.testing.assert_array_equal(d, dx)
        np.testing.assert_array_equal(TABLE, [0.5, 1.5, -2.0, 3.0])   # never written


@numba.njit
def table_lookup(x):
    # a piecewise-linear table: not differentiable through its integer index, so it has a rule
    i = min(int(x * 4.0), 3)
    return TABLE[i] + x * 0.0


@numba.njit
def table_lookup_aug(x):
    return table_lookup(x), x


@numba.njit
def table_lookup_rev(x, tape, dy):
    return (2.0 * tape * dy,)


@numba.njit
def uses_table(x):
    s = 0.0
    for i in range(x.size):
        s += table_lookup(x[i]) * x[i]
    return s


def test_custom_rule_in_batched_reverse():
    rules.reverse(table_lookup, table_lookup_aug, table_lookup_rev)
    try:
        x = np.array([0.1, 0.3, 0.6, 0.9])
        dx = np.zeros(4)
        autodiff(Reverse, uses_table, Active, Duplicated(x, dx))
        dxs = tuple(np.zeros(4) for _ in range(3))
        autodiff(Reverse, uses_table, Active, BatchDuplicated(x, dxs))
        vals = np.array([table_lookup(v) for v in x])
        np.testing.assert_allclose(dx, vals + 2 * x * x, rtol=1e-15)   # the rule's derivative 2x
        for d in dxs:
            np.testing.assert_array_equal(d, dx)
    finally:
        rules.clear(table_lookup)


def test_inside_njit():
    @numba.njit
    def grads(x, c):
        d1, d2 = np.zeros_like(x), np.zeros_like(x)
        (_, dc), = autodiff(Reverse, scaled_sum, Active, BatchDuplicated(x, (d1, d2)), Active(c))
        return d1, d2, dc

    x = np.linspace(0.2, 1.1, 6)
    d1, d2, dc = grads(x, 0.7)
    dx = np.zeros(6)
    ((_, c1),) = autodiff(Reverse, scaled_sum, Active, Duplicated(x, dx), Active(0.7))
    np.testing.assert_allclose(d1, dx, rtol=1e-14)
    np.testing.assert_allclose(d2, dx, rtol=1e-14)
    assert dc == pytest.approx((c1, c1), rel=1e-14)


def test_one_core_request_per_width():
    x = np.linspace(0.2, 1.1, 6)
    before = cache_info()["core_calls"]
    for _ in range(3):
        autodiff(Reverse, scaled_sum, Active, BatchDuplicated(x, tuple(np.zeros(6) for _ in range(5))),
                 Active(0.3))
    assert cache_info()["core_calls"] - before <= 1   # one batched derivative, not five sweeps


def test_jacobian_reverse_in_batched_sweeps():
    rng = np.random.default_rng(5)
    x = rng.uniform(0.1, 1.0, 5)

    @numba.njit
    def F(y, x):
        write_out(y, x, 0.4)

    J_rev = jacobian(Reverse, F, x, out=np.zeros(11))   # 11 outputs: chunks of 8 and 3 (+5 padding)
    J_fwd = jacobian(Forward, F, x, out=np.zeros(11))
    np.testing.assert_allclose(J_rev, J_fwd, rtol=1e-12, atol=1e-14)


def test_split_mode_rejects_batches():
    x = np.linspace(0.2, 1.1, 6)
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, scaled_sum, Active,
                              Duplicated[numba.float64[::1]], Active[numba.float64])
    with pytest.raises((EnzpyError, TypeError), match="BatchDuplicated|Duplicated"):
        fwd(Const(scaled_sum), BatchDuplicated(x, (np.zeros(6), np.zeros(6))), Active(0.3))


IR = r'''
define internal double @sq(double %a) noinline {
  %m = fmul double %a, %a
  %s = call double @llvm.sin.f64(double %m)
  ret double %s
}
declare double @llvm.sin.f64(double)
define double @f(ptr %x, double %c) {
entry:
  br label %loop
loop:
  %i = phi i64 [0, %entry], [%i1, %loop]
  %acc = phi double [0.0, %entry], [%acc1, %loop]
  %p = getelementptr double, ptr %x, i64 %i
  %v = load double, ptr %p
  %w = fmul double %v, %c
  %s = call double @sq(double %w)
  %acc1 = fadd double %acc, %s
  %i1 = add i64 %i, 1
  %done = icmp eq i64 %i1, 4
  br i1 %done, label %exit, label %loop
exit:
  ret double %acc1
}
'''


def test_core_ir_one_batched_callee_call_per_call_site():
    text, name = _core.differentiate(IR, "f", "reverse", ["dup", "active"], ret="active",
                                     opt_level=0, width=3)
    assert name.endswith("_w3")
    define = next(line for line in text.splitlines() if line.startswith("define") and name in line)
    # x, its 3 shadows, c, 3 seeds -> 3 adjoints of c
    assert define.count("ptr %") == 4 and define.count("double %") == 4
    assert define.split("@")[0].strip().endswith("{ double, double, double }")
    calls = [line for line in text.splitlines() if "call" in line and "@__enzpy_revdiffe.sq" in line]
    assert len(calls) == 1 and "_w3" in calls[0]
    assert len([line for line in text.splitlines()
                if "call" in line and "@__enzpy_augmented.sq" in line]) == 1


def test_core_width_limits():
    with pytest.raises(RuntimeError, match="between 1 and 64"):
        _core.differentiate(IR, "f", "reverse", ["dup", "active"], ret="active", width=65)
