"""Classical RK4 integration of the Lotka-Volterra ODE for 10,000 steps; gradient of a function
of the final state with respect to the 4 parameters and the initial state. Loop-carried."""
import numba
import numpy as np

from . import Arg

NAME = "rk4"
TITLE = "RK4, Lotka-Volterra ODE"
SIZE = "2 states, 4 params, 10,000 steps"
KIND = "loop-carried"
TAPE_UNIT = ("RK4 step", 10_000)   # for tape bytes per unit of work


def args(rng):
    return [Arg("p", np.array([1.5, 1.0, 1.0, 3.0]) + rng.uniform(-0.05, 0.05, 4), "dup"),
            Arg("y0", np.array([1.0, 1.0]) + rng.uniform(-0.05, 0.05, 2), "dup"),
            Arg("dt", 1e-3, "const"),
            Arg("nsteps", 10_000, "static")]


@numba.njit
def rhs(x, y, a, b, c, d):
    return a * x - b * x * y, c * x * y - d * y


@numba.njit
def primal(p, y0, dt, nsteps):
    a, b, c, d = p[0], p[1], p[2], p[3]
    x, y = y0[0], y0[1]
    for _ in range(nsteps):
        k1x, k1y = rhs(x, y, a, b, c, d)
        k2x, k2y = rhs(x + 0.5 * dt * k1x, y + 0.5 * dt * k1y, a, b, c, d)
        k3x, k3y = rhs(x + 0.5 * dt * k2x, y + 0.5 * dt * k2y, a, b, c, d)
        k4x, k4y = rhs(x + dt * k3x, y + dt * k3y, a, b, c, d)
        x = x + dt / 6.0 * (k1x + 2.0 * k2x + 2.0 * k3x + k4x)
        y = y + dt / 6.0 * (k1y + 2.0 * k2y + 2.0 * k3y + k4y)
    return x * y + x


def _rhs(x, y, a, b, c, d):
    return a * x - b * x * y, c * x * y - d * y


def _step(x, y, a, b, c, d, dt):
    k1x, k1y = _rhs(x, y, a, b, c, d)
    k2x, k2y = _rhs(x + 0.5 * dt * k1x, y + 0.5 * dt * k1y, a, b, c, d)
    k3x, k3y = _rhs(x + 0.5 * dt * k2x, y + 0.5 * dt * k2y, a, b, c, d)
    k4x, k4y = _rhs(x + dt * k3x, y + dt * k3y, a, b, c, d)
    return (x + dt / 6.0 * (k1x + 2.0 * k2x + 2.0 * k3x + k4x),
            y + dt / 6.0 * (k1y + 2.0 * k2y + 2.0 * k3y + k4y))


def jax_fn():
    import jax

    def f(p, y0, dt, nsteps):
        a, b, c, d = p[0], p[1], p[2], p[3]

        def body(_, s):
            return _step(s[0], s[1], a, b, c, d, dt)
        x, y = jax.lax.fori_loop(0, nsteps, body, (y0[0], y0[1]))
        return x * y + x
    return f


def _eager(p, y0, dt, nsteps):
    a, b, c, d = p[0], p[1], p[2], p[3]
    x, y = y0[0], y0[1]
    for _ in range(nsteps):
        x, y = _step(x, y, a, b, c, d, dt)
    return x * y + x


def torch_fn():
    return _eager


def autograd_fn():
    return _eager
