"""Black-Scholes prices of 10^6 European calls, summed; gradient with respect to spot, strike,
maturity, volatility (arrays) and the rate (a scalar): the Greeks."""
import math

import numba
import numpy as np

from . import Arg

NAME = "black_scholes"
TITLE = "Black-Scholes"
SIZE = "10^6 options"
KIND = "vectorizable"
TAPE_UNIT = ("option", 1_000_000)   # for tape bytes per unit of work

N = 1_000_000


def args(rng):
    return [Arg("S", rng.uniform(80.0, 120.0, N), "dup"),
            Arg("K", rng.uniform(80.0, 120.0, N), "dup"),
            Arg("T", rng.uniform(0.25, 2.0, N), "dup"),
            Arg("sigma", rng.uniform(0.1, 0.5, N), "dup"),
            Arg("r", 0.03, "active")]


@numba.njit
def primal(S, K, T, sigma, r):
    total = 0.0
    for i in range(S.shape[0]):
        sq = sigma[i] * math.sqrt(T[i])
        d1 = (math.log(S[i] / K[i]) + (r + 0.5 * sigma[i] * sigma[i]) * T[i]) / sq
        d2 = d1 - sq
        nd1 = 0.5 * (1.0 + math.erf(d1 / math.sqrt(2.0)))
        nd2 = 0.5 * (1.0 + math.erf(d2 / math.sqrt(2.0)))
        total += S[i] * nd1 - K[i] * math.exp(-r * T[i]) * nd2
    return total


def _generic(xp, erf):
    def f(S, K, T, sigma, r):
        sq = sigma * xp.sqrt(T)
        d1 = (xp.log(S / K) + (r + 0.5 * sigma * sigma) * T) / sq
        d2 = d1 - sq
        nd1 = 0.5 * (1.0 + erf(d1 / math.sqrt(2.0)))
        nd2 = 0.5 * (1.0 + erf(d2 / math.sqrt(2.0)))
        return xp.sum(S * nd1 - K * xp.exp(-r * T) * nd2)
    return f


def jax_fn():
    import jax.numpy as jnp
    from jax.scipy.special import erf
    return _generic(jnp, erf)


def torch_fn():
    import torch
    return _generic(torch, torch.erf)


def autograd_fn():
    import autograd.numpy as anp
    from autograd.scipy.special import erf
    return _generic(anp, erf)
