"""Explicit 2-D heat equation, 5-point stencil on a 256x256 grid (fixed boundary), 50 time steps;
loss 0.5*||u_T - target||^2, gradient with respect to the initial field and the diffusivity.
Loop-carried in time."""
import numba
import numpy as np

from . import Arg

NAME = "heat"
TITLE = "2-D heat stencil"
SIZE = "256x256, 50 steps"
KIND = "loop-carried"
TAPE_UNIT = ("cell update", 50 * 254 * 254)   # for tape bytes per unit of work


def args(rng):
    return [Arg("u0", rng.uniform(size=(256, 256)), "dup"),
            Arg("kappa", 0.2, "active"),
            Arg("target", rng.uniform(size=(256, 256)), "const"),
            Arg("nsteps", 50, "static")]


@numba.njit
def primal(u0, kappa, target, nsteps):
    n, m = u0.shape
    u = u0.copy()
    v = u0.copy()           # keeps the boundary values
    for _ in range(nsteps):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                v[i, j] = u[i, j] + kappa * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1]
                                             + u[i, j + 1] - 4.0 * u[i, j])
        u, v = v, u
    loss = 0.0
    for i in range(n):
        for j in range(m):
            loss += (u[i, j] - target[i, j]) ** 2
    return 0.5 * loss


def _lap(u):
    return u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4.0 * u[1:-1, 1:-1]


def jax_fn():
    import jax
    import jax.numpy as jnp

    def f(u0, kappa, target, nsteps):
        def body(_, u):
            return u.at[1:-1, 1:-1].add(kappa * _lap(u))
        u = jax.lax.fori_loop(0, nsteps, body, u0)
        return 0.5 * jnp.sum((u - target) ** 2)
    return f


def torch_fn():
    import torch

    def f(u0, kappa, target, nsteps):
        u = u0
        for _ in range(nsteps):
            u = torch.nn.functional.pad(u[1:-1, 1:-1] + kappa * _lap(u), (1, 1, 1, 1)) \
                + u * _border(u.shape, torch)
        return 0.5 * torch.sum((u - target) ** 2)
    return f


_masks = {}


def _border(shape, xp):
    """1.0 on the boundary, 0.0 inside (the boundary keeps its values)."""
    key = (shape, xp.__name__)
    if key not in _masks:
        m = np.ones(shape)
        m[1:-1, 1:-1] = 0.0
        _masks[key] = xp.from_numpy(m) if xp.__name__ == "torch" else m
    return _masks[key]


def autograd_fn():
    import autograd.numpy as anp

    def f(u0, kappa, target, nsteps):
        u = u0
        for _ in range(nsteps):
            u = anp.pad(u[1:-1, 1:-1] + kappa * _lap(u), 1, "constant") + u * _border(u.shape, np)
        return 0.5 * anp.sum((u - target) ** 2)
    return f
