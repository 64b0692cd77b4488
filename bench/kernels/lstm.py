"""ADBench LSTM objective: a 2-layer LSTM (ADBench's diagonal-weight cells, hidden size 14) over a
1,024-step sequence, log-softmax prediction loss. Loop-carried over time."""
import math

import numba
import numpy as np

from . import Arg

NAME = "lstm"
TITLE = "LSTM objective (ADBench)"
SIZE = "2 layers, hidden 14, 1024 steps"
KIND = "loop-carried"
TAPE_UNIT = ("time step", 1023)   # for tape bytes per unit of work

L, B, C = 2, 14, 1024


def args(rng):
    return [Arg("main_params", rng.normal(scale=0.5, size=(2 * L, 4 * B)), "dup"),
            Arg("extra_params", rng.normal(scale=0.5, size=(3, B)), "dup"),
            Arg("state", rng.normal(scale=0.5, size=(2 * L, B)), "const"),
            Arg("sequence", rng.normal(size=(C, B)), "const")]


@numba.njit
def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


@numba.njit
def primal(main_params, extra_params, state, sequence):
    nl = main_params.shape[0] // 2
    b = sequence.shape[1]
    s = state.copy()
    x = np.empty(b)
    ypred = np.empty(b)
    total = 0.0
    count = 0
    for t in range(sequence.shape[0] - 1):
        for i in range(b):
            x[i] = sequence[t, i] * extra_params[0, i]
        for l in range(nl):
            w = main_params[2 * l]
            bias = main_params[2 * l + 1]
            for i in range(b):
                hidden = s[2 * l, i]
                forget = _sigmoid(x[i] * w[i] + bias[i])
                ingate = _sigmoid(hidden * w[b + i] + bias[b + i])
                outgate = _sigmoid(x[i] * w[2 * b + i] + bias[2 * b + i])
                change = math.tanh(hidden * w[3 * b + i] + bias[3 * b + i])
                cell = s[2 * l + 1, i] * forget + ingate * change
                s[2 * l + 1, i] = cell
                s[2 * l, i] = outgate * math.tanh(cell)
                x[i] = s[2 * l, i]
        mx = -np.inf
        for i in range(b):
            ypred[i] = x[i] * extra_params[1, i] + extra_params[2, i]
            mx = max(mx, ypred[i])
        se = 0.0
        for i in range(b):
            se += math.exp(ypred[i] - mx)
        lse = math.log(se) + mx
        for i in range(b):
            total += sequence[t + 1, i] * (ypred[i] - lse)
        count += b
    return -total / count


def jax_fn():
    import jax
    import jax.numpy as jnp
    from jax.scipy.special import logsumexp

    def f(main_params, extra_params, state, sequence):
        nl = main_params.shape[0] // 2
        b = sequence.shape[1]

        def step(s, xs):
            inp, target = xs
            x = inp * extra_params[0]
            new = []
            for l in range(nl):
                w, bias = main_params[2 * l], main_params[2 * l + 1]
                hidden, cell = s[2 * l], s[2 * l + 1]
                forget = jax.nn.sigmoid(x * w[:b] + bias[:b])
                ingate = jax.nn.sigmoid(hidden * w[b:2 * b] + bias[b:2 * b])
                outgate = jax.nn.sigmoid(x * w[2 * b:3 * b] + bias[2 * b:3 * b])
                change = jnp.tanh(hidden * w[3 * b:] + bias[3 * b:])
                cell = cell * forget + ingate * change
                hidden = outgate * jnp.tanh(cell)
                new += [hidden, cell]
                x = hidden
            ypred = x * extra_params[1] + extra_params[2]
            return jnp.stack(new), jnp.sum(target * (ypred - logsumexp(ypred)))

        _, terms = jax.lax.scan(step, state, (sequence[:-1], sequence[1:]))
        return -jnp.sum(terms) / ((sequence.shape[0] - 1) * b)
    return f


def _eager(xp, sigmoid, lse, stack):
    def f(main_params, extra_params, state, sequence):
        nl = main_params.shape[0] // 2
        b = sequence.shape[1]
        s = [state[j] for j in range(2 * nl)]
        total = 0.0
        for t in range(sequence.shape[0] - 1):
            x = sequence[t] * extra_params[0]
            for l in range(nl):
                w, bias = main_params[2 * l], main_params[2 * l + 1]
                hidden, cell = s[2 * l], s[2 * l + 1]
                forget = sigmoid(x * w[:b] + bias[:b])
                ingate = sigmoid(hidden * w[b:2 * b] + bias[b:2 * b])
                outgate = sigmoid(x * w[2 * b:3 * b] + bias[2 * b:3 * b])
                change = xp.tanh(hidden * w[3 * b:] + bias[3 * b:])
                cell = cell * forget + ingate * change
                hidden = outgate * xp.tanh(cell)
                s[2 * l], s[2 * l + 1] = hidden, cell
                x = hidden
            ypred = x * extra_params[1] + extra_params[2]
            total = total + xp.sum(sequence[t + 1] * (ypred - lse(ypred)))
        return -total / ((sequence.shape[0] - 1) * b)
    return f


def torch_fn():
    import torch
    return _eager(torch, torch.sigmoid, lambda y: torch.logsumexp(y, 0), torch.stack)


def autograd_fn():
    import autograd.numpy as anp
    from autograd.scipy.special import logsumexp
    return _eager(anp, lambda z: 1.0 / (1.0 + anp.exp(-z)), logsumexp, anp.stack)
