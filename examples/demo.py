"""enzpy demo: differentiate the Enzyme.jl card's examples and a small MLP loss written in numba, and a C
program through enzpy-opt. Run with `make demo` (which installs what is missing first)."""
import math
import os
import shutil
import subprocess
import tempfile

import numpy as np
from numba import njit

from enzpy import (Active, BatchDuplicated, Const, Duplicated, Forward, ForwardWithPrimal, Reverse,
                   ReverseSplitWithPrimal, ReverseWithPrimal, autodiff, autodiff_thunk, jacobian, rules)


@njit
def square(x):
    return x * x


@njit
def sum_squares(A):
    s = 0.0
    for a in A:
        s += a * a
    return s


@njit
def scaled_square(x, c):
    return c * x * x


@njit
def g(x):
    return math.exp(x) * math.sin(x)


@njit
def mlp_loss(W1, b1, W2, b2, X, y):
    """Two-layer perceptron, tanh hidden layer, mean squared error."""
    H = np.tanh(X @ W1 + b1)
    out = H @ W2 + b2
    r = out[:, 0] - y
    return np.sum(r * r) / y.shape[0]


def card_examples():
    print("== The Enzyme.jl card, in Python ==")
    print("autodiff(Reverse, x*x, Active, Active(3.0))          =", autodiff(Reverse, square, Active, Active(3.0)))
    A = np.array([1.0, 2.0, 3.0])
    dA = np.zeros(3)
    autodiff(Reverse, sum_squares, Active, Duplicated(A, dA))
    print("autodiff(Reverse, sum(A.^2), Active, Duplicated(A,dA)) -> dA =", dA)
    print("autodiff(Reverse, c*x^2, Active, Active(2.0), Const(3.0)) =",
          autodiff(Reverse, scaled_square, Active, Active(2.0), Const(3.0)))
    print("autodiff(ReverseWithPrimal, x*x, Active, Active(3.0)) =",
          autodiff(ReverseWithPrimal, square, Active, Active(3.0)))
    print("autodiff(Forward, x*x, Duplicated(3.0, 1.0))          =", autodiff(Forward, square, Duplicated(3.0, 1.0)))
    primal, d = autodiff(ForwardWithPrimal, g, Duplicated(1.0, 1.0))
    print(f"exp(x)sin(x) at 1: primal {primal:.12f}, derivative {d:.12f}, "
          f"analytic {math.exp(1) * (math.sin(1) + math.cos(1)):.12f}")


def mlp_example():
    print("\n== Gradient of a small MLP loss (numba, with @) ==")
    rng = np.random.default_rng(42)
    n, d, h = 64, 5, 16
    X = rng.standard_normal((n, d))
    y = np.sin(X[:, 0]) + 0.1 * X[:, 1]
    W1, b1 = 0.5 * rng.standard_normal((d, h)), np.zeros(h)
    W2, b2 = 0.5 * rng.standard_normal((h, 1)), np.zeros(1)
    params = [W1, b1, W2, b2]
    grads = [np.zeros_like(p) for p in params]
    loss0 = mlp_loss(W1, b1, W2, b2, X, y)
    autodiff(Reverse, mlp_loss, Active, *[Duplicated(p, g_) for p, g_ in zip(params, grads)], Const(X), Const(y))
    # check one entry of each gradient against a central finite difference
    for name, p, g_ in zip(["W1", "b1", "W2", "b2"], params, grads):
        idx = (0,) * p.ndim
        eps = 1e-6
        old = p[idx]
        p[idx] = old + eps
        up = mlp_loss(W1, b1, W2, b2, X, y)
        p[idx] = old - eps
        down = mlp_loss(W1, b1, W2, b2, X, y)
        p[idx] = old
        print(f"d loss / d {name}{list(idx)}: enzpy {g_[idx]: .10f}   finite difference {(up - down) / (2 * eps): .10f}")
    print(f"loss {loss0:.6f}; a gradient step with lr 0.1 gives", end=" ")
    for p, g_ in zip(params, grads):
        p -= 0.1 * g_
    print(f"{mlp_loss(W1, b1, W2, b2, X, y):.6f}")


C_PROGRAM = r"""
#include <stdio.h>
#include <math.h>
extern int enzyme_dup, enzyme_const;
double __enzyme_autodiff(void *, ...);
static double energy(double *x, int n) {       /* a chain of springs with a sine potential */
  double e = 0;
  for (int i = 0; i + 1 < n; i++) { double d = x[i + 1] - x[i] - 1.0; e += d * d + 0.1 * sin(x[i]); }
  return e;
}
int main(void) {
  double x[4] = {0.0, 1.2, 1.9, 3.3}, dx[4] = {0};
  __enzyme_autodiff((void *)energy, enzyme_dup, x, dx, enzyme_const, 4);
  for (int i = 0; i < 4; i++) printf("  dE/dx[%d] = % .10f\n", i, dx[i]);
  return 0;
}
"""


def c_example():
    print("\n== A C program through enzpy-opt (Enzyme's C ABI) ==")
    clang, opt = shutil.which("clang-22"), shutil.which("enzpy-opt")
    if not clang or not opt:
        print("  (clang-22 or enzpy-opt not found; skipped)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        src, ll, out, exe = (os.path.join(tmp, n) for n in ("e.c", "e.ll", "out.ll", "e"))
        with open(src, "w") as f:
            f.write(C_PROGRAM)
        subprocess.run([clang, "-O2", "-S", "-emit-llvm", src, "-o", ll], check=True)
        subprocess.run([opt, ll, "-o", out], check=True)
        subprocess.run([clang, out, "-lm", "-o", exe], check=True)
        print(subprocess.run([exe], check=True, capture_output=True, text=True).stdout, end="")


@njit
def cube_root(c):
    """Newton's method: differentiating its iterations would be wasteful (a custom rule does better)."""
    y = 1.0
    for _ in range(100):
        y -= (y * y * y - c) / (3.0 * y * y)
    return y


@njit
def cube_root_fwd(c):
    y = cube_root(c)
    return y, y


@njit
def cube_root_bwd(y, dy):
    return (dy / (3.0 * y * y),)        # implicit function theorem


rules.import_vjp(cube_root, cube_root_fwd, cube_root_bwd)


@njit
def side_length(volume, scale):
    return scale * cube_root(volume)


@njit
def pendulum(y, p):
    """Two outputs of three parameters, for a Jacobian."""
    y[0] = math.sin(p[0]) * p[1]
    y[1] = p[2] * p[2] + math.cos(p[1])


def beyond_the_card():
    print("\n== Split mode, batch mode, a custom rule ==")
    A, dA = np.array([1.0, 2.0, 3.0]), np.zeros(3)
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, sum_squares, Active, Duplicated)
    tape, primal, _ = fwd(Const(sum_squares), Duplicated(A, dA))
    print(f"split mode: primal {primal}, tape {tape.nbytes} bytes;", end=" ")
    rev(Const(sum_squares), Duplicated(A, dA), 1.0, tape)
    print("reverse pass -> dA =", dA)
    print("BatchDuplicated(3.0, (1, 2, 3)) through x*x, one sweep:",
          autodiff(Forward, square, BatchDuplicated(3.0, (1.0, 2.0, 3.0)))[0])
    p = np.array([0.3, 1.2, 0.7])
    print("jacobian(Forward, pendulum, p) (8-wide batched sweeps):\n", jacobian(Forward, pendulum, p, out=np.zeros(2)))
    d = autodiff(Reverse, side_length, Active, Active(8.0), Const(2.0))[0][0]
    print(f"d/dv 2 * cbrt(v) at 8 through a custom rule: {d:.12f} (exact {2.0 / 12.0:.12f})")


if __name__ == "__main__":
    card_examples()
    mlp_example()
    beyond_the_card()
    c_example()
