"""Softened gravitational potential energy of N=512 bodies (all 130,816 pairs); gradient with
respect to the positions (the forces)."""
import math

import numba
import numpy as np

from . import Arg

NAME = "nbody"
TITLE = "N-body potential energy"
SIZE = "N=512"
KIND = "vectorizable"
TAPE_UNIT = ("pair", 512 * 511 // 2)   # for tape bytes per unit of work


def args(rng):
    return [Arg("pos", rng.normal(size=(512, 3)), "dup"),
            Arg("mass", rng.uniform(0.5, 1.5, 512), "const"),
            Arg("eps", 0.01, "const")]


@numba.njit
def primal(pos, mass, eps):
    n = pos.shape[0]
    e = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            dx = pos[i, 0] - pos[j, 0]
            dy = pos[i, 1] - pos[j, 1]
            dz = pos[i, 2] - pos[j, 2]
            e -= mass[i] * mass[j] / math.sqrt(dx * dx + dy * dy + dz * dz + eps * eps)
    return e


def _generic(xp, triu):
    def f(pos, mass, eps):
        d = pos[:, None, :] - pos[None, :, :]
        r = xp.sqrt(xp.sum(d * d, 2) + eps * eps)
        return -xp.sum(triu(mass[:, None] * mass[None, :] / r))
    return f


def jax_fn():
    import jax.numpy as jnp
    return _generic(jnp, lambda a: jnp.triu(a, 1))


def torch_fn():
    import torch
    return _generic(torch, lambda a: torch.triu(a, 1))


def autograd_fn():
    import autograd.numpy as anp
    return _generic(anp, lambda a: anp.triu(a, 1))
