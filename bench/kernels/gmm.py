"""ADBench GMM objective: negative log-likelihood of a Gaussian mixture with a Wishart prior,
d=10, k=25, n=1000 (ADBench's gmm_d10_K25 layout: icf holds log-diagonals then the strictly lower
triangle of each Cholesky factor, column by column)."""
import math

import numba
import numpy as np

from . import Arg

NAME = "gmm"
TITLE = "GMM objective (ADBench)"
SIZE = "d=10, k=25, n=1000"
KIND = "vectorizable"
TAPE_UNIT = ("(point, component) pair", 1000 * 25)   # for tape bytes per unit of work

D, K, N = 10, 25, 1000


def args(rng):
    icf_sz = D * (D + 1) // 2
    return [
        Arg("alphas", rng.normal(size=K), "dup"),
        Arg("means", rng.uniform(size=(K, D)), "dup"),
        Arg("icf", rng.normal(scale=0.3, size=(K, icf_sz)), "dup"),
        Arg("x", rng.uniform(size=(N, D)), "const"),
        Arg("wishart_gamma", 1.0, "const"),
        Arg("wishart_m", 0.0, "const"),
    ]


@numba.njit
def primal(alphas, means, icf, x, wishart_gamma, wishart_m):
    k, d = means.shape
    n = x.shape[0]
    sum_qs = np.empty(k)
    qdiags = np.empty((k, d))
    for ik in range(k):
        s = 0.0
        for j in range(d):
            s += icf[ik, j]
            qdiags[ik, j] = math.exp(icf[ik, j])
        sum_qs[ik] = s
    xc = np.empty(d)
    qxc = np.empty(d)
    main_term = np.empty(k)
    slse = 0.0
    for ix in range(n):
        for ik in range(k):
            for j in range(d):
                xc[j] = x[ix, j] - means[ik, j]
            # Q xc, Q = diag(qdiags[ik]) + strictly lower triangle from icf[ik, d:]
            for j in range(d):
                qxc[j] = qdiags[ik, j] * xc[j]
            li = d
            for i in range(d):
                for j in range(i + 1, d):
                    qxc[j] += icf[ik, li] * xc[i]
                    li += 1
            sq = 0.0
            for j in range(d):
                sq += qxc[j] * qxc[j]
            main_term[ik] = alphas[ik] + sum_qs[ik] - 0.5 * sq
        mx = main_term[0]
        for ik in range(1, k):
            mx = max(mx, main_term[ik])
        se = 0.0
        for ik in range(k):
            se += math.exp(main_term[ik] - mx)
        slse += math.log(se) + mx
    mx = alphas[0]
    for ik in range(1, k):
        mx = max(mx, alphas[ik])
    se = 0.0
    for ik in range(k):
        se += math.exp(alphas[ik] - mx)
    lse_alphas = math.log(se) + mx
    # Wishart prior
    nn = d + wishart_m + 1.0
    lgd = 0.25 * d * (d - 1) * math.log(math.pi)
    for j in range(1, d + 1):
        lgd += math.lgamma(0.5 * nn + 0.5 * (1 - j))
    c = nn * d * (math.log(wishart_gamma) - 0.5 * math.log(2.0)) - lgd
    prior = 0.0
    for ik in range(k):
        frob = 0.0
        for j in range(d):
            frob += qdiags[ik, j] * qdiags[ik, j]
        for j in range(d, icf.shape[1]):
            frob += icf[ik, j] * icf[ik, j]
        prior += 0.5 * wishart_gamma * wishart_gamma * frob - wishart_m * sum_qs[ik]
    const = -n * d * 0.5 * math.log(2.0 * math.pi)
    return const + slse - n * lse_alphas + prior - k * c


def _consts(d, n, wishart_gamma, wishart_m):
    nn = d + wishart_m + 1.0
    lgd = 0.25 * d * (d - 1) * math.log(math.pi) + sum(
        math.lgamma(0.5 * nn + 0.5 * (1 - j)) for j in range(1, d + 1))
    c = nn * d * (math.log(wishart_gamma) - 0.5 * math.log(2.0)) - lgd
    return -n * d * 0.5 * math.log(2.0 * math.pi), c


def _tril_index(d):
    rows, cols = [], []
    for i in range(d):
        for j in range(i + 1, d):
            rows.append(j)
            cols.append(i)
    return np.array(rows), np.array(cols)


def jax_fn():
    import jax.numpy as jnp
    from jax.scipy.special import logsumexp

    def f(alphas, means, icf, x, wishart_gamma, wishart_m):
        k, d = means.shape
        n = x.shape[0]
        rows, cols = _tril_index(d)
        qdiags = jnp.exp(icf[:, :d])
        sum_qs = jnp.sum(icf[:, :d], axis=1)
        L = jnp.zeros((k, d, d)).at[:, rows, cols].set(icf[:, d:])
        L = L + qdiags[:, :, None] * jnp.eye(d)
        xc = x[:, None, :] - means[None, :, :]                 # n k d
        qxc = jnp.einsum("kij,nkj->nki", L, xc)
        main = alphas[None, :] + sum_qs[None, :] - 0.5 * jnp.sum(qxc ** 2, axis=2)
        slse = jnp.sum(logsumexp(main, axis=1))
        const, c = _consts(d, n, wishart_gamma, wishart_m)
        frob = jnp.sum(qdiags ** 2, axis=1) + jnp.sum(icf[:, d:] ** 2, axis=1)
        prior = jnp.sum(0.5 * wishart_gamma ** 2 * frob - wishart_m * sum_qs)
        return const + slse - n * logsumexp(alphas) + prior - k * c
    return f


def torch_fn():
    import torch

    def f(alphas, means, icf, x, wishart_gamma, wishart_m):
        k, d = means.shape
        n = x.shape[0]
        rows, cols = _tril_index(d)
        qdiags = torch.exp(icf[:, :d])
        sum_qs = torch.sum(icf[:, :d], dim=1)
        L = torch.zeros((k, d, d), dtype=icf.dtype)
        L[:, rows, cols] = icf[:, d:]
        L = L + torch.diag_embed(qdiags)
        xc = x[:, None, :] - means[None, :, :]
        qxc = torch.einsum("kij,nkj->nki", L, xc)
        main = alphas[None, :] + sum_qs[None, :] - 0.5 * torch.sum(qxc ** 2, dim=2)
        slse = torch.sum(torch.logsumexp(main, dim=1))
        const, c = _consts(d, n, wishart_gamma, wishart_m)
        frob = torch.sum(qdiags ** 2, dim=1) + torch.sum(icf[:, d:] ** 2, dim=1)
        prior = torch.sum(0.5 * wishart_gamma ** 2 * frob - wishart_m * sum_qs)
        return const + slse - n * torch.logsumexp(alphas, dim=0) + prior - k * c
    return f


def autograd_fn():
    import autograd.numpy as anp
    from autograd.scipy.special import logsumexp

    def f(alphas, means, icf, x, wishart_gamma, wishart_m):
        k, d = means.shape
        n = x.shape[0]
        rows, cols = _tril_index(d)
        scatter = np.zeros((len(rows), d * d))       # off-diagonal parameters -> L entries
        scatter[np.arange(len(rows)), rows * d + cols] = 1.0
        qdiags = anp.exp(icf[:, :d])
        sum_qs = anp.sum(icf[:, :d], axis=1)
        L = anp.reshape(anp.dot(icf[:, d:], scatter), (k, d, d)) + qdiags[:, :, None] * np.eye(d)
        xc = x[:, None, :] - means[None, :, :]
        qxc = anp.einsum("kij,nkj->nki", L, xc)
        main = alphas[None, :] + sum_qs[None, :] - 0.5 * anp.sum(qxc ** 2, axis=2)
        slse = anp.sum(logsumexp(main, axis=1))
        const, c = _consts(d, n, wishart_gamma, wishart_m)
        frob = anp.sum(qdiags ** 2, axis=1) + anp.sum(icf[:, d:] ** 2, axis=1)
        prior = anp.sum(0.5 * wishart_gamma ** 2 * frob - wishart_m * sum_qs)
        return const + slse - n * logsumexp(alphas) + prior - k * c
    return f
