"""The benchmark kernels. Each module defines the same objective five ways (numba ``@njit`` loops,
JAX, PyTorch, autograd, and, for three of them, C in ``bench/c/``) over the same inputs.

Module interface (used by ``bench/run.py``):

* ``NAME``, ``TITLE``, ``SIZE``: identification; ``TAPE_UNIT``: (unit of work, count) for tape
  bytes per unit; ``KIND``: ``"loop-carried"``, ``"vectorizable"`` or ``"other"``
  (the issue's two target groups);
* ``args(rng)``: a list of ``Arg(name, value, kind)`` in the positional order of every
  implementation; kind is ``dup`` (float array, differentiated), ``active`` (float scalar,
  differentiated), ``const`` (array or float, not differentiated) or ``static`` (a Python int such
  as a step count: a compile-time constant for ``jax.jit``);
* ``primal``: the ``@numba.njit`` function;
* ``jax_fn()``, ``torch_fn()``, ``autograd_fn()``: return the objective written for that framework
  (imported lazily so that a missing framework only skips its column).
"""
from dataclasses import dataclass
from typing import Any

ALL = ["gmm", "ba", "lstm", "rk4", "heat", "nbody", "softmax_ce", "black_scholes"]


@dataclass
class Arg:
    name: str
    value: Any
    kind: str   # dup | active | const | static
