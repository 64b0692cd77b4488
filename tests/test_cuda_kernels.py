"""autodiff_deferred inside numba-cuda kernels, checked on the CPU (no GPU needed).

The derivative kernels are compiled by numba-cuda, differentiated by the core, and run by
``enzpy.cuda.emulate`` (the same module the NVPTX backend gets, retargeted to the host); each is
compared with central finite differences of the emulated *primal* kernel.
"""
import numpy as np
import pytest

pytest.importorskip("numba_cuda", reason="numba-cuda is not installed (pip install "
                    "'numba-cuda[cu13]' nvidia-cuda-nvcc)")

import cuda_kernels as K  # noqa: E402
from enzpy.cuda import emulate  # noqa: E402

N = 128
TB = 64


def _rng(seed=0):
    return np.random.default_rng(seed)


# --------------------------------------------------------------------- 1. saxpy, the card's Test 3
def test_card_test3_saxpy_float32_seeded():
    """The card: seed 42, X = rand(Float32, 256), Y = 0, dY = 1, a = 2f0, 256 threads:
    dX == 2 everywhere; with Active(a), thread i's adjoint of a is dY[i] * X[i]."""
    rng = np.random.default_rng(42)
    X = rng.random(256, dtype=np.float32)
    Y = np.zeros(256, np.float32)
    dY = np.ones(256, np.float32)
    dX = np.zeros(256, np.float32)
    da = np.zeros(256, np.float32)
    emulate(K.grad_saxpy, 1, 256, Y, dY, np.float32(2.0), X, dX, da)
    np.testing.assert_allclose(dX, 2.0, rtol=1e-6)
    np.testing.assert_allclose(da, X, rtol=1e-6)
    np.testing.assert_allclose(Y, 2.0 * X, rtol=1e-6)       # the primal ran too
    np.testing.assert_allclose(dY, 1.0)                      # d(Y_new)/d(Y_old) = 1


def test_saxpy_matches_finite_differences():
    rng = _rng(1)
    n = 32
    X, Y0, w = rng.random(n), rng.random(n), rng.standard_normal(n)
    a = 0.7

    def loss_X(Xp, a=a):
        Y = Y0.copy()
        emulate(K.saxpy_kernel, 1, n, Y, a, Xp)
        return float(w @ Y)

    Y, dY, dX, da = Y0.copy(), w.copy(), np.zeros(n), np.zeros(1)
    emulate(K.grad_saxpy_total, 1, n, Y, dY, a, X, dX, da)
    np.testing.assert_allclose(dX, K.fd_grad(loss_X, X), rtol=1e-6, atol=1e-8)
    fd_a = (loss_X(X, a + 1e-6) - loss_X(X, a - 1e-6)) / 2e-6
    np.testing.assert_allclose(da[0], fd_a, rtol=1e-6)
    np.testing.assert_allclose(dY, w)                       # adjoint of Y's old value


# --------------------------------------------------------------------- 2. atomic sum reduction
def test_atomic_sum_reduction_matches_finite_differences():
    rng = _rng(2)
    x = rng.standard_normal(N)

    def loss(xp):
        out = np.zeros(1)
        emulate(K.sum_kernel, N // TB, TB, xp, out)
        return out[0]

    dx, out, dout = np.zeros(N), np.zeros(1), np.array([1.5])
    emulate(K.grad_sum, N // TB, TB, x, dx, out, dout)
    np.testing.assert_allclose(out[0], loss(x))
    np.testing.assert_allclose(dx, 1.5 * K.fd_grad(loss, x), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dx, 1.5 * (2 * x + np.cos(x)), rtol=1e-12)
    np.testing.assert_allclose(dout, 1.5)   # out[0] += ...: the seed stays


# --------------------------------------------------------------------- 3. three-point stencil
def _stencil_out(u):
    out = np.zeros_like(u)
    emulate(K.stencil_kernel, u.size // TB, TB, u, out)
    return out


def test_stencil_reverse_matches_finite_differences():
    rng = _rng(3)
    u, w = rng.standard_normal(N), rng.standard_normal(N)
    du, out, dout = np.zeros(N), np.zeros(N), w.copy()
    emulate(K.grad_stencil, N // TB, TB, u, du, out, dout)
    np.testing.assert_allclose(out, _stencil_out(u))
    g = K.fd_grad(lambda up: float(w @ _stencil_out(up)), u)
    np.testing.assert_allclose(du, g, rtol=1e-6, atol=1e-7)
    # out[i] is overwritten: its shadow is consumed (adjoint of the old value: 0 in the interior)
    np.testing.assert_allclose(dout[1:-1], 0.0)
    np.testing.assert_allclose(dout[[0, -1]], w[[0, -1]])


def test_stencil_forward_matches_finite_differences():
    rng = _rng(4)
    u, v = rng.standard_normal(N), rng.standard_normal(N)
    out, tout = np.zeros(N), np.zeros(N)
    emulate(K.jvp_stencil, N // TB, TB, u, v.copy(), out, tout)
    h = 1e-6
    fd = (_stencil_out(u + h * v) - _stencil_out(u - h * v)) / (2 * h)
    np.testing.assert_allclose(tout, fd, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(out, _stencil_out(u))


# --------------------------------------------------------------------- 4. block reduction
def test_block_reduction_primal_emulates_barriers():
    rng = _rng(5)
    x = rng.standard_normal(N)
    out = np.zeros(N // TB)
    emulate(K.block_sum_kernel, N // TB, TB, x, out)
    np.testing.assert_allclose(out, (x ** 2).reshape(-1, TB).sum(axis=1), rtol=1e-13)


def test_block_reduction_reverse_matches_finite_differences():
    rng = _rng(6)
    x, w = rng.standard_normal(N), rng.standard_normal(N // TB)

    def loss(xp):
        out = np.zeros(N // TB)
        emulate(K.block_sum_kernel, N // TB, TB, xp, out)
        return float(w @ out)

    dx, out, dout = np.zeros(N), np.zeros(N // TB), w.copy()
    emulate(K.grad_block_sum, N // TB, TB, x, dx, out, dout)
    np.testing.assert_allclose(dx, K.fd_grad(loss, x), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(dx, 2 * x * np.repeat(w, TB), rtol=1e-12)


def test_block_reduction_forward_and_dot_product():
    """Forward mode through shared memory: tangents live in the shadow shared array."""
    rng = _rng(7)
    x, v, w = rng.standard_normal(N), rng.standard_normal(N), rng.standard_normal(N // TB)
    out, tout = np.zeros(N // TB), np.zeros(N // TB)
    emulate(K.fwd_block_sum, N // TB, TB, x, v, out, tout)
    np.testing.assert_allclose(tout, (2 * x * v).reshape(-1, TB).sum(axis=1), rtol=1e-12)
    dx, dout = np.zeros(N), w.copy()
    emulate(K.grad_block_sum, N // TB, TB, x, dx, np.zeros(N // TB), dout)
    assert tout @ w == pytest.approx(v @ dx, rel=1e-12)


def test_barrier_is_mirrored_in_the_reverse_sweep():
    """Threads exchange values through global memory across a barrier; the emulator runs the
    derivative in barrier-separated phases, so a reverse sweep without the mirrored barrier
    would read an incomplete adjoint and fail this check."""
    rng = _rng(11)
    x, w = rng.standard_normal(N), rng.standard_normal(N)

    def loss(xp):
        y, out = np.zeros(N), np.zeros(N)
        emulate(K.exchange_kernel, N // TB, TB, xp, y, out)
        return float(w @ out)

    dx, y, dy, out, dout = np.zeros(N), np.zeros(N), np.zeros(N), np.zeros(N), w.copy()
    emulate(K.grad_exchange, N // TB, TB, x, dx, y, dy, out, dout)
    np.testing.assert_allclose(dx, K.fd_grad(loss, x), rtol=1e-6, atol=1e-7)
    j = np.arange(N) ^ 1
    np.testing.assert_allclose(dx, 2 * x * (3 * w[j] + np.cos(x * x) * w), rtol=1e-12)


# --------------------------------------------------------------------- 5. float results
def test_reverse_with_primal_active_result():
    rng = _rng(7)
    x = rng.standard_normal(N)
    dx, e = np.zeros(N), np.zeros(N)
    emulate(K.grad_energy, N // TB, TB, x, dx, e)
    e_ref = np.zeros(N)
    emulate(K.energy_kernel, N // TB, TB, x, e_ref)
    np.testing.assert_allclose(e, e_ref)
    g = K.fd_grad(lambda xp: _energy_sum(xp), x)
    np.testing.assert_allclose(dx, g, rtol=1e-6, atol=1e-7)


def _energy_sum(x):
    e = np.zeros_like(x)
    emulate(K.energy_kernel, x.size // TB, TB, x, e)
    return float(e.sum())


def test_forward_with_primal_tangent():
    rng = _rng(8)
    x, v = rng.standard_normal(N), rng.standard_normal(N)
    e, de = np.zeros(N), np.zeros(N)
    emulate(K.tangent_energy, N // TB, TB, x, v, e, de)
    h = 1e-6
    ep, em = np.zeros(N), np.zeros(N)
    emulate(K.energy_kernel, N // TB, TB, x + h * v, ep)
    emulate(K.energy_kernel, N // TB, TB, x - h * v, em)
    np.testing.assert_allclose(de, (ep - em) / (2 * h), rtol=1e-6, atol=1e-8)


def test_active_scalar_and_active_result_per_thread():
    rng = _rng(9)
    x = rng.standard_normal(N)
    a = 1.3
    dx, da = np.zeros(N), np.zeros(N)
    emulate(K.grad_scaled, N // TB, TB, a, x, dx, da)
    np.testing.assert_allclose(da, 2 * a * x, rtol=1e-13)     # thread i: d(a^2 x_i)/da
    np.testing.assert_allclose(dx, a * a, rtol=1e-13)


def test_derivative_inside_a_device_function():
    """autodiff_deferred in a device function that a kernel calls (the kernel's library links the
    device function's, which holds the derivative)."""
    x = np.linspace(-2.0, 2.0, N)
    out = np.zeros(N)
    emulate(K.nested_kernel, N // TB, TB, x, out)
    np.testing.assert_allclose(out, np.cos(x) * x + np.sin(x), rtol=1e-13, atol=1e-15)


def test_results_are_bitwise_repeatable():
    rng = _rng(10)
    u, w = rng.standard_normal(N), rng.standard_normal(N)
    runs = []
    for _ in range(2):
        du, out, dout = np.zeros(N), np.zeros(N), w.copy()
        emulate(K.grad_stencil, N // TB, TB, u, du, out, dout)
        runs.append(du)
    assert runs[0].tobytes() == runs[1].tobytes()
