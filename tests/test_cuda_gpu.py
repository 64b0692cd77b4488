"""The same kernels on a real GPU (``kernel[grid, block](...)``); skipped without a device.

Each test launches the derivative kernel on the device and compares it with the CPU emulation
of the same kernel and with the closed form / finite differences of the emulated primal.
"""
import numpy as np
import pytest

pytest.importorskip("numba_cuda", reason="numba-cuda is not installed (pip install "
                    "'numba-cuda[cu13]' nvidia-cuda-nvcc)")

from numba import cuda  # noqa: E402

import cuda_kernels as K  # noqa: E402
from enzpy.cuda import emulate  # noqa: E402

pytestmark = [pytest.mark.gpu,
              pytest.mark.skipif(not cuda.is_available(), reason="no CUDA GPU on this machine")]

N = 128
TB = 64


def _launch(kernel, grid, block, *host_args):
    """Run `kernel` on the GPU with copies of the host arrays; return the arrays after the run."""
    dev = [cuda.to_device(a) if isinstance(a, np.ndarray) else a for a in host_args]
    kernel[grid, block](*dev)
    cuda.synchronize()
    return [d.copy_to_host() if isinstance(a, np.ndarray) else a for a, d in zip(host_args, dev)]


def _both(kernel, grid, block, *args):
    """(GPU result, emulated result) of `kernel` on copies of `args`."""
    gpu = _launch(kernel, grid, block, *[a.copy() if isinstance(a, np.ndarray) else a
                                         for a in args])
    emu = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    emulate(kernel, grid, block, *emu)
    return gpu, emu


def test_gpu_card_test3_saxpy():
    rng = np.random.default_rng(42)
    X = rng.random(256, dtype=np.float32)
    Y, dY, dX, da = (np.zeros(256, np.float32), np.ones(256, np.float32),
                     np.zeros(256, np.float32), np.zeros(256, np.float32))
    Yg, dYg, _, Xg, dXg, dag = _launch(K.grad_saxpy, 1, 256, Y, dY, np.float32(2.0), X, dX, da)
    np.testing.assert_allclose(dXg, 2.0, rtol=1e-6)
    np.testing.assert_allclose(dag, X, rtol=1e-6)
    np.testing.assert_allclose(Yg, 2.0 * X, rtol=1e-6)


def test_gpu_atomic_sum_reduction():
    x = np.random.default_rng(2).standard_normal(N)
    gpu, emu = _both(K.grad_sum, N // TB, TB, x, np.zeros(N), np.zeros(1), np.array([1.5]))
    np.testing.assert_allclose(gpu[1], 1.5 * (2 * x + np.cos(x)), rtol=1e-12)
    np.testing.assert_allclose(gpu[1], emu[1], rtol=1e-12)
    np.testing.assert_allclose(gpu[2], emu[2], rtol=1e-12)


def test_gpu_stencil_reverse_and_forward():
    rng = np.random.default_rng(3)
    u, w, v = rng.standard_normal(N), rng.standard_normal(N), rng.standard_normal(N)
    gpu, emu = _both(K.grad_stencil, N // TB, TB, u, np.zeros(N), np.zeros(N), w)
    np.testing.assert_allclose(gpu[1], emu[1], rtol=1e-12, atol=1e-14)
    gpu, emu = _both(K.jvp_stencil, N // TB, TB, u, v, np.zeros(N), np.zeros(N))
    np.testing.assert_allclose(gpu[3], emu[3], rtol=1e-12, atol=1e-14)


def test_gpu_float_results():
    rng = np.random.default_rng(7)
    x, v = rng.standard_normal(N), rng.standard_normal(N)
    gpu, emu = _both(K.grad_energy, N // TB, TB, x, np.zeros(N), np.zeros(N))
    np.testing.assert_allclose(gpu[1], emu[1], rtol=1e-12)
    gpu, emu = _both(K.tangent_energy, N // TB, TB, x, v, np.zeros(N), np.zeros(N))
    np.testing.assert_allclose(gpu[3], emu[3], rtol=1e-12)
    gpu, emu = _both(K.grad_scaled, N // TB, TB, 1.3, x, np.zeros(N), np.zeros(N))
    np.testing.assert_allclose(gpu[3], 2 * 1.3 * x, rtol=1e-13)


def test_gpu_barrier_mirrored_and_nested_derivative():
    rng = np.random.default_rng(11)
    x, w = rng.standard_normal(N), rng.standard_normal(N)
    gpu, emu = _both(K.grad_exchange, N // TB, TB, x, np.zeros(N), np.zeros(N), np.zeros(N),
                     np.zeros(N), w)
    j = np.arange(N) ^ 1
    np.testing.assert_allclose(gpu[1], 2 * x * (3 * w[j] + np.cos(x * x) * w), rtol=1e-12)
    np.testing.assert_allclose(gpu[1], emu[1], rtol=1e-12)
    xs = np.linspace(-2.0, 2.0, N)
    gpu, _ = _both(K.nested_kernel, N // TB, TB, xs, np.zeros(N))
    np.testing.assert_allclose(gpu[1], np.cos(xs) * xs + np.sin(xs), rtol=1e-12, atol=1e-14)


def test_gpu_block_reduction_primal():
    x = np.random.default_rng(5).standard_normal(N)
    gpu, emu = _both(K.block_sum_kernel, N // TB, TB, x, np.zeros(N // TB))
    np.testing.assert_allclose(gpu[1], emu[1], rtol=1e-13)


def test_gpu_block_reduction_reverse():
    rng = np.random.default_rng(6)
    x, w = rng.standard_normal(N), rng.standard_normal(N // TB)
    gpu = _launch(K.grad_block_sum, N // TB, TB, x, np.zeros(N), np.zeros(N // TB), w)
    np.testing.assert_allclose(gpu[1], 2 * x * np.repeat(w, TB), rtol=1e-12)
