"""Regenerate the numba 0.68 / llvmlite 0.50 IR samples in this folder.

    python3 tests/numba_ir_samples/generate.py

Each <name>.ll is the module the numba bridge hands to the core: the finalized
library of one overload (``dispatcher.overloads[sig].library.get_llvm_str()``) with
the CPython and cfunc wrappers stripped (``prepare_primal_ir``).  The native function
is the one named in the ``; native:`` header line.  scalar_square.raw.ll is the
unstripped module, for reference (wrappers included).  Output depends on the host
CPU (numba compiles for -mcpu=host: vector widths, unrolling).
"""
import os
import sys

import numba
import numpy as np
from numba import njit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
from enzpy._numba_primal import get_primal  # noqa: E402


@njit
def square(x):
    return x * x


@njit
def sum_squares_1d(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * a[i]
    return s


@njit
def alloc_expr(x, y):
    # x * y and np.exp(x) allocate temporaries through NRT_MemInfo_alloc_aligned
    return np.sum(np.exp(x) * y)


@njit
def alloc_zeros(n):
    z = np.zeros(n)
    for i in range(n):
        z[i] = 0.5 * i
    return z.sum()


@njit
def loop_2d_f(a):
    s = 0.0
    for j in range(a.shape[1]):
        for i in range(a.shape[0]):
            s += a[i, j] * a[i, j]
    return s


@njit
def inner(x, k):
    return np.sin(x) * k


@njit
def calls_njit(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += inner(a[i], 2.0)
    return s


@njit
def matmul(a, b):
    return (a @ b).sum()


@njit
def dot_1d(a, b):
    return np.dot(a, b)


SAMPLES = [
    ("scalar_square", square, (1.5,)),
    ("sum_squares_1d", sum_squares_1d, (np.ones(4),)),
    ("alloc_expr", alloc_expr, (np.ones(4), np.ones(4))),
    ("alloc_zeros", alloc_zeros, (4,)),
    ("loop_2d_f", loop_2d_f, (np.asfortranarray(np.ones((2, 3))),)),
    ("calls_njit", calls_njit, (np.ones(4),)),
    ("matmul", matmul, (np.ones((3, 3)), np.ones((3, 3)))),
    ("dot_1d", dot_1d, (np.ones(3), np.ones(3))),
]


def main(outdir=HERE):
    for name, disp, args in SAMPLES:
        disp(*args)
        sig = disp.signatures[0]
        primal = get_primal(disp, sig)
        header = (f"; numba {numba.__version__}: {disp.__name__}{sig} -> {primal.restype}\n"
                  f"; native: {primal.name}\n")
        with open(os.path.join(outdir, name + ".ll"), "w") as f:
            f.write(header + primal.ir)
        if name == "scalar_square":
            with open(os.path.join(outdir, name + ".raw.ll"), "w") as f:
                f.write(header + disp.overloads[sig].library.get_llvm_str())
        print(f"{name}.ll  {len(primal.ir):7d} chars  {primal.name}")


if __name__ == "__main__":
    main(*sys.argv[1:])
