"""Bad input to autodiff_deferred in kernels: a clear EnzpyError when the kernel is compiled, not a
PTX, ptxas or driver failure later."""
import math

import numpy as np
import pytest

pytest.importorskip("numba_cuda", reason="numba-cuda is not installed (pip install "
                    "'numba-cuda[cu13]' nvidia-cuda-nvcc)")

from numba import cuda  # noqa: E402

import enzpy.cuda as ec  # noqa: E402
from enzpy import (Active, Const, Duplicated, EnzpyError, EnzpyTypeError, Forward,  # noqa: E402
                   Reverse, autodiff_deferred)

A1 = "float64[::1]"


@cuda.jit(device=True)
def gamma_of(x, out):
    i = cuda.grid(1)
    out[i] = math.gamma(x[i])


@cuda.jit
def grad_gamma(x, dx, out, dout):
    autodiff_deferred(Reverse, gamma_of, Const, Duplicated(x, dx), Duplicated(out, dout))


def test_unsupported_math_names_function_instruction_and_line():
    with pytest.raises(EnzpyError) as e:
        ec.compile_ptx(grad_gamma, f"void({A1}, {A1}, {A1}, {A1})")
    msg = str(e.value)
    assert "gamma_of" in msg and "__nv_tgamma" in msg and "no derivative rule" in msg
    assert "test_cuda_errors.py:" in msg          # the Python source line (numba's lineinfo)


@cuda.jit
def a_kernel(x):
    x[0] = 1.0


@cuda.jit
def grad_of_kernel(x, dx):
    autodiff_deferred(Reverse, a_kernel, Const, Duplicated(x, dx))


def test_kernel_instead_of_device_function():
    with pytest.raises(EnzpyTypeError, match=r"device=True"):
        ec.emulate(grad_of_kernel, 1, 1, np.zeros(1), np.zeros(1))


@cuda.jit(device=True)
def square_into(a, x):
    x[0] = a * a


@cuda.jit
def forward_with_active(a, x, dx):
    autodiff_deferred(Forward, square_into, Const, Active(a), Duplicated(x, dx))


def test_active_in_forward_mode():
    with pytest.raises(EnzpyTypeError, match="Active is for reverse mode"):
        ec.compile_ptx(forward_with_active, f"void(float64, {A1}, {A1})")


@cuda.jit
def duplicated_float_in_reverse(a, x, dx):
    autodiff_deferred(Reverse, square_into, Const, Duplicated(a, 1.0), Duplicated(x, dx))


def test_duplicated_float_in_reverse_mode():
    with pytest.raises(EnzpyTypeError, match="pass Active"):
        ec.compile_ptx(duplicated_float_in_reverse, f"void(float64, {A1}, {A1})")


@cuda.jit(device=True)
def fill_ints(x, v):
    x[0] = v


@cuda.jit
def duplicated_int_array(x, dx):
    autodiff_deferred(Reverse, fill_ints, Const, Duplicated(x, dx), 3)


def test_integer_array_cannot_be_duplicated():
    with pytest.raises(EnzpyTypeError, match="only float32 and float64 arrays"):
        ec.compile_ptx(duplicated_int_array, "void(int64[::1], int64[::1])")


@cuda.jit(device=True)
def returns_float(x):
    return x[0] * 2.0


@cuda.jit
def active_result_in_forward(x, dx, out):
    out[0] = autodiff_deferred(Forward, returns_float, Active, Duplicated(x, dx))[0]


def test_active_result_in_forward_mode():
    with pytest.raises(EnzpyTypeError, match="reverse-mode return annotation"):
        ec.compile_ptx(active_result_in_forward, f"void({A1}, {A1}, {A1})")


def test_signature_must_be_void():
    with pytest.raises(EnzpyError, match="returns None"):
        ec.compile_ptx(a_kernel, f"float64({A1})")


@cuda.jit(device=True)
def shared_without_barrier(x, out):
    s = cuda.shared.array(32, np.float64)
    t = cuda.threadIdx.x
    s[t] = x[t] * x[t]
    out[t] = s[t]


@cuda.jit
def grad_shared_without_barrier(x, dx, out, dout):
    autodiff_deferred(Reverse, shared_without_barrier, Const, Duplicated(x, dx),
                      Duplicated(out, dout))


def test_shared_memory_without_barrier_is_a_clear_error():
    """The shadow of shared memory is cleared cooperatively behind a barrier; a function without
    one cannot host that safely."""
    with pytest.raises(EnzpyError, match="shared memory .* without a barrier"):
        ec.compile_ptx(grad_shared_without_barrier, f"void({A1}, {A1}, {A1}, {A1})")
