"""enzpy.cuda.emulate itself: thread/block indices, barrier phases, what it refuses."""
import numpy as np
import pytest

pytest.importorskip("numba_cuda", reason="numba-cuda is not installed (pip install "
                    "'numba-cuda[cu13]' nvidia-cuda-nvcc)")

from numba import cuda, float32, float64  # noqa: E402

import enzpy.cuda as ec  # noqa: E402
from enzpy import EnzpyError  # noqa: E402


@cuda.jit
def indices_2d(out):
    x, y = cuda.grid(2)
    if x < out.shape[1] and y < out.shape[0]:
        out[y, x] = (cuda.threadIdx.x + 10 * cuda.threadIdx.y + 100 * cuda.blockIdx.x
                     + 1000 * cuda.blockIdx.y + 10000 * cuda.blockDim.x
                     + 100000 * cuda.gridDim.y)


def test_thread_and_block_indices_2d():
    out = np.zeros((6, 10), np.int64)
    ec.emulate(indices_2d, (3, 2), (4, 3), out)
    y, x = np.mgrid[0:6, 0:10]
    want = (x % 4 + 10 * (y % 3) + 100 * (x // 4) + 1000 * (y // 3) + 10000 * 4 + 100000 * 2)
    np.testing.assert_array_equal(out, want)


@cuda.jit
def reverse_in_block(x):
    """Each block reverses its chunk through shared memory: correct only if every thread has
    written s before any reads it (the barrier)."""
    s = cuda.shared.array(32, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = x[i]
    cuda.syncthreads()
    x[i] = s[cuda.blockDim.x - 1 - t]


def test_barrier_phases():
    x = np.arange(96, dtype=np.float32)
    ec.emulate(reverse_in_block, 3, 32, x)
    np.testing.assert_array_equal(x, np.arange(96, dtype=np.float32).reshape(3, 32)[:, ::-1]
                                  .ravel())


@cuda.jit
def barrier_in_loop(x, out):
    """Barriers inside a loop (a running prefix over the block, Hillis-Steele scan)."""
    s = cuda.shared.array(16, float64)
    t = cuda.threadIdx.x
    s[t] = x[t]
    cuda.syncthreads()
    d = 1
    while d < 16:
        v = s[t - d] if t >= d else 0.0
        cuda.syncthreads()
        s[t] += v
        cuda.syncthreads()
        d *= 2
    out[t] = s[t]


def test_barriers_in_a_loop():
    x = np.random.default_rng(0).standard_normal(16)
    out = np.zeros(16)
    ec.emulate(barrier_in_loop, 1, 16, x, out)
    np.testing.assert_allclose(out, np.cumsum(x), rtol=1e-13)


@cuda.jit
def early_exit_before_barrier(x):
    if cuda.threadIdx.x == 0:
        return
    cuda.syncthreads()
    x[cuda.threadIdx.x] = 1.0


def test_barrier_divergence_is_an_error():
    with pytest.raises(EnzpyError, match="undefined behaviour"):
        ec.emulate(early_exit_before_barrier, 1, 4, np.zeros(4))


@cuda.jit
def shuffle(x):
    i = cuda.threadIdx.x
    x[i] = cuda.shfl_sync(0xffffffff, x[i], 0)


def test_unsupported_intrinsic_is_an_error():
    with pytest.raises(EnzpyError, match="shfl"):
        ec.emulate(shuffle, 1, 32, np.zeros(32))


@cuda.jit
def scalars(x, a, n, flag):
    i = cuda.grid(1)
    if i < n and flag:
        x[i] = a * i


def test_scalar_arguments_and_float32():
    x = np.zeros(8, np.float32)
    ec.emulate(scalars, 1, 8, x, np.float32(1.5), 5, True)
    np.testing.assert_array_equal(x, [0, 1.5, 3, 4.5, 6, 0, 0, 0])


def test_libdevice_calls_run_on_libm():
    from numba.cuda import libdevice

    def k(x):
        i = cuda.grid(1)
        x[i] = libdevice.rsqrt(x[i]) + libdevice.exp10(x[i])
    x = np.array([1.0, 4.0, 0.25])
    want = 1 / np.sqrt(x) + 10 ** x
    ec.emulate(k, 1, 3, x)
    np.testing.assert_allclose(x, want, rtol=1e-15)


def test_plain_python_function_as_kernel():
    def k(x):
        x[cuda.grid(1)] += 1.0
    x = np.zeros(4)
    ec.emulate(k, 2, 2, x)
    np.testing.assert_array_equal(x, 1.0)


def test_non_contiguous_views():
    def k(x):
        i = cuda.grid(1)
        if i < x.size:
            x[i] = i
    base = np.zeros(10)
    ec.emulate(k, 1, 8, base[::2])
    np.testing.assert_array_equal(base[::2], np.arange(5.0))
    assert not base[1::2].any()


def test_docstring_examples():
    import doctest
    result = doctest.testmod(ec, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 4
