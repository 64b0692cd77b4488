"""Softmax cross-entropy (mean over rows of logsumexp(row) - row[label]) over 10^6 logits
(1000 rows x 1000 classes); gradient with respect to the logits."""
import math

import numba
import numpy as np

from . import Arg

NAME = "softmax_ce"
TITLE = "Softmax cross-entropy"
SIZE = "10^6 logits (1000x1000)"
KIND = "vectorizable"
TAPE_UNIT = ("logit", 1_000_000)   # for tape bytes per unit of work


def args(rng):
    return [Arg("logits", rng.normal(scale=3.0, size=(1000, 1000)), "dup"),
            Arg("labels", rng.integers(0, 1000, 1000).astype(np.int64), "const")]


@numba.njit
def primal(logits, labels):
    nb, nc = logits.shape
    total = 0.0
    for b in range(nb):
        m = logits[b, 0]
        for c in range(1, nc):
            m = max(m, logits[b, c])
        s = 0.0
        for c in range(nc):
            s += math.exp(logits[b, c] - m)
        total += math.log(s) + m - logits[b, labels[b]]
    return total / nb


def jax_fn():
    import jax.numpy as jnp
    from jax.scipy.special import logsumexp

    def f(logits, labels):
        picked = jnp.take_along_axis(logits, labels[:, None], axis=1)[:, 0]
        return jnp.mean(logsumexp(logits, axis=1) - picked)
    return f


def torch_fn():
    import torch.nn.functional as F
    return lambda logits, labels: F.cross_entropy(logits, labels)


def autograd_fn():
    import autograd.numpy as anp
    from autograd.scipy.special import logsumexp

    def f(logits, labels):
        picked = logits[np.arange(logits.shape[0]), labels]
        return anp.mean(logsumexp(logits, axis=1) - picked)
    return f
