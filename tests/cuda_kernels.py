"""Kernels shared by the tests/test_cuda_*.py files (import after checking numba-cuda is there).

Each differentiated device function has a *primal* kernel (calls it) and *derivative* kernels
(call ``autodiff_deferred`` on it); the tests compare the emulated derivative kernels with
central finite differences of the emulated primal kernel, and check the PTX with ptxas.
"""
import math

import numpy as np
from numba import cuda, float64

import enzpy.cuda  # noqa: F401  (registers autodiff_deferred for CUDA kernels)
from enzpy import (Active, Const, Duplicated, Forward, ForwardWithPrimal, Reverse,
                   ReverseWithPrimal, autodiff_deferred)

BLOCK = 64      # threads per block of the block reduction (its shared array has this size)


# ------------------------------------------------------------- 1. saxpy (the card's Test 3)
@cuda.jit(device=True)
def saxpy(Y, a, X):
    i = cuda.threadIdx.x
    Y[i] += a * X[i]


@cuda.jit
def saxpy_kernel(Y, a, X):
    saxpy(Y, a, X)


@cuda.jit
def grad_saxpy(Y, dY, a, X, dX, da):
    """The card's grad_saxpy!: Const return, Duplicated(Y, dY), Active(a), Duplicated(X, dX).
    ``da[i]`` receives thread i's share of d/da (the adjoint of an Active scalar is per thread)."""
    r = autodiff_deferred(Reverse, saxpy, Const, Duplicated(Y, dY), Active(a), Duplicated(X, dX))
    da[cuda.threadIdx.x] = r[0][1]


@cuda.jit
def grad_saxpy_total(Y, dY, a, X, dX, da):
    """Same, the per-thread adjoints of `a` summed with an atomic add into da[0]."""
    r = autodiff_deferred(Reverse, saxpy, Const, Duplicated(Y, dY), Active(a), Duplicated(X, dX))
    cuda.atomic.add(da, 0, r[0][1])


# ------------------------------------------------------------- 2. atomic sum reduction
@cuda.jit(device=True)
def sum_sq_sin(x, out):
    """out[0] += sum_i x_i^2 + sin(x_i), one atomic add per thread."""
    i = cuda.grid(1)
    if i < x.size:
        cuda.atomic.add(out, 0, x[i] * x[i] + math.sin(x[i]))


@cuda.jit
def sum_kernel(x, out):
    sum_sq_sin(x, out)


@cuda.jit
def grad_sum(x, dx, out, dout):
    autodiff_deferred(Reverse, sum_sq_sin, Const, Duplicated(x, dx), Duplicated(out, dout))


# ------------------------------------------------------------- 3. 1-D three-point stencil
@cuda.jit(device=True)
def stencil(u, out):
    """out[i] = 0.25 u[i-1] + 0.5 u[i] u[i+1] + sin(u[i+1]) on the interior; neighbours overlap,
    so in reverse mode three threads add into each du[j]."""
    i = cuda.grid(1)
    n = u.size
    if i > 0 and i < n - 1:
        out[i] = 0.25 * u[i - 1] + 0.5 * u[i] * u[i + 1] + math.sin(u[i + 1])


@cuda.jit
def stencil_kernel(u, out):
    stencil(u, out)


@cuda.jit
def grad_stencil(u, du, out, dout):
    autodiff_deferred(Reverse, stencil, Const, Duplicated(u, du), Duplicated(out, dout))


@cuda.jit
def jvp_stencil(u, du, out, dout):
    autodiff_deferred(Forward, stencil, Const, Duplicated(u, du), Duplicated(out, dout))


# ------------------------------------------------------------- 4. block reduction (shared memory)
@cuda.jit(device=True)
def block_sum_sq(x, out):
    """out[blockIdx] = sum over the block of x_i^2: tree reduction in shared memory."""
    s = cuda.shared.array(BLOCK, float64)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = x[i] * x[i] if i < x.size else 0.0
    cuda.syncthreads()
    w = BLOCK // 2
    while w > 0:
        if t < w:
            s[t] += s[t + w]
        cuda.syncthreads()
        w //= 2
    if t == 0:
        out[cuda.blockIdx.x] = s[0]


@cuda.jit
def block_sum_kernel(x, out):
    block_sum_sq(x, out)


@cuda.jit
def grad_block_sum(x, dx, out, dout):
    autodiff_deferred(Reverse, block_sum_sq, Const, Duplicated(x, dx), Duplicated(out, dout))


@cuda.jit
def fwd_block_sum(x, tx, out, tout):
    autodiff_deferred(Forward, block_sum_sq, Const, Duplicated(x, tx), Duplicated(out, tout))


# ------------------------------------------------------------- barrier without shared memory
@cuda.jit(device=True)
def neighbour_exchange(x, y, out):
    """y[i] = x[i]^2; barrier; out[i] = 3 y[i^1] + sin(y[i]): thread i reads its neighbour's y.
    In reverse mode the adjoint of y[i] is complete only after the neighbour's reverse sweep has
    added into it: the barrier must be mirrored in the reverse sweep."""
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    y[i] = x[i] * x[i]
    cuda.syncthreads()
    j = cuda.blockIdx.x * cuda.blockDim.x + (t ^ 1)
    out[i] = 3.0 * y[j] + math.sin(y[i])


@cuda.jit
def exchange_kernel(x, y, out):
    neighbour_exchange(x, y, out)


@cuda.jit
def grad_exchange(x, dx, y, dy, out, dout):
    autodiff_deferred(Reverse, neighbour_exchange, Const, Duplicated(x, dx), Duplicated(y, dy),
                      Duplicated(out, dout))


# ------------------------------------------------------------- 5. a float result (Active return)
@cuda.jit(device=True)
def energy(x, i):
    return 0.5 * x[i] * x[i] + math.exp(-x[i]) * math.cos(x[i])


@cuda.jit
def energy_kernel(x, e):
    i = cuda.grid(1)
    if i < x.size:
        e[i] = energy(x, i)


@cuda.jit
def grad_energy(x, dx, e):
    """ReverseWithPrimal with an Active result: e[i] = energy, dx[i] += d energy / d x[i]."""
    i = cuda.grid(1)
    if i < x.size:
        r = autodiff_deferred(ReverseWithPrimal, energy, Active, Duplicated(x, dx), i)
        e[i] = r[0]


@cuda.jit
def tangent_energy(x, tx, e, de):
    """ForwardWithPrimal: (energy, its directional derivative along tx)."""
    i = cuda.grid(1)
    if i < x.size:
        r = autodiff_deferred(ForwardWithPrimal, energy, Duplicated(x, tx), i)
        e[i] = r[0]
        de[i] = r[1]


@cuda.jit(device=True)
def scaled(a, x, i):
    return a * a * x[i]


@cuda.jit
def grad_scaled(a, x, dx, da):
    """Reverse mode, Active(a) and an Active result: returns ((da_i, None, None),)."""
    i = cuda.grid(1)
    if i < x.size:
        r = autodiff_deferred(Reverse, scaled, Active, Active(a), Duplicated(x, dx), i)
        da[i] = r[0][0]


# ------------------------------------------------------------- a derivative inside a device function
@cuda.jit(device=True)
def x_sin_x(x):
    return math.sin(x) * x


@cuda.jit(device=True)
def d_x_sin_x(x):
    """A device function that differentiates another one (scalar in, scalar out)."""
    return autodiff_deferred(Reverse, x_sin_x, Active, Active(x))[0][0]


@cuda.jit
def nested_kernel(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = d_x_sin_x(x[i])


# ------------------------------------------------------------- signatures for compile_ptx
F64 = "float64[::1]"
SIGNATURES = {
    "grad_saxpy": (grad_saxpy, f"void({F64}, {F64}, float64, {F64}, {F64}, {F64})"),
    "grad_sum": (grad_sum, f"void({F64}, {F64}, {F64}, {F64})"),
    "grad_stencil": (grad_stencil, f"void({F64}, {F64}, {F64}, {F64})"),
    "jvp_stencil": (jvp_stencil, f"void({F64}, {F64}, {F64}, {F64})"),
    "grad_block_sum": (grad_block_sum, f"void({F64}, {F64}, {F64}, {F64})"),
    "fwd_block_sum": (fwd_block_sum, f"void({F64}, {F64}, {F64}, {F64})"),
    "grad_exchange": (grad_exchange, f"void({F64}, {F64}, {F64}, {F64}, {F64}, {F64})"),
    "grad_energy": (grad_energy, f"void({F64}, {F64}, {F64})"),
    "tangent_energy": (tangent_energy, f"void({F64}, {F64}, {F64}, {F64})"),
    "grad_scaled": (grad_scaled, f"void(float64, {F64}, {F64}, {F64})"),
    "nested_kernel": (nested_kernel, f"void({F64}, {F64})"),
}
PRIMAL_SIGNATURES = {
    "saxpy_kernel": (saxpy_kernel, f"void({F64}, float64, {F64})"),
    "sum_kernel": (sum_kernel, f"void({F64}, {F64})"),
    "stencil_kernel": (stencil_kernel, f"void({F64}, {F64})"),
    "block_sum_kernel": (block_sum_kernel, f"void({F64}, {F64})"),
    "energy_kernel": (energy_kernel, f"void({F64}, {F64})"),
}


def fd_grad(loss, x, h=1e-6):
    """Central-difference gradient of the scalar loss(x) (x modified and restored in place)."""
    g = np.zeros_like(x)
    for j in range(x.size):
        old = x[j]
        x[j] = old + h
        fp = loss(x)
        x[j] = old - h
        fm = loss(x)
        x[j] = old
        g[j] = (fp - fm) / (2 * h)
    return g
