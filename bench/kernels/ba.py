"""ADBench bundle adjustment: sum of squared reprojection errors (Rodrigues rotation, radial
distortion) plus the weight penalty, 1,000 observations of 300 points by 20 cameras."""
import math

import numba
import numpy as np

from . import Arg

NAME = "ba"
TITLE = "Bundle adjustment (ADBench)"
SIZE = "20 cams, 300 pts, 1000 obs"
KIND = "other"          # in neither of the two target groups
TAPE_UNIT = ("observation", 1000)   # for tape bytes per unit of work

N_CAMS, N_PTS, N_OBS = 20, 300, 1000


def args(rng):
    cams = np.empty((N_CAMS, 11))
    cams[:, 0:3] = rng.normal(scale=0.2, size=(N_CAMS, 3))        # angle-axis rotation
    cams[:, 3:6] = rng.normal(scale=0.5, size=(N_CAMS, 3))        # centre
    cams[:, 6] = rng.uniform(0.8, 1.2, N_CAMS)                    # focal length
    cams[:, 7:9] = rng.normal(scale=0.05, size=(N_CAMS, 2))       # principal point
    cams[:, 9:11] = rng.normal(scale=0.01, size=(N_CAMS, 2))      # radial distortion
    X = np.column_stack([rng.uniform(-1, 1, N_PTS), rng.uniform(-1, 1, N_PTS),
                         rng.uniform(5, 10, N_PTS)])
    w = rng.uniform(0.5, 1.0, N_OBS)
    obs = np.column_stack([np.arange(N_OBS) % N_CAMS, rng.integers(0, N_PTS, N_OBS)]).astype(np.int64)
    feats = rng.normal(scale=0.2, size=(N_OBS, 2))
    return [Arg("cams", cams, "dup"), Arg("X", X, "dup"), Arg("w", w, "dup"),
            Arg("obs", obs, "const"), Arg("feats", feats, "const")]


@numba.njit
def primal(cams, X, w, obs, feats):
    err = 0.0
    for i in range(obs.shape[0]):
        c = obs[i, 0]
        p = obs[i, 1]
        # point in the camera frame, before rotation
        x0 = X[p, 0] - cams[c, 3]
        x1 = X[p, 1] - cams[c, 4]
        x2 = X[p, 2] - cams[c, 5]
        r0 = cams[c, 0]
        r1 = cams[c, 1]
        r2 = cams[c, 2]
        sqtheta = r0 * r0 + r1 * r1 + r2 * r2
        if sqtheta != 0.0:                         # Rodrigues' formula
            theta = math.sqrt(sqtheta)
            ct = math.cos(theta)
            st = math.sin(theta)
            w0 = r0 / theta
            w1 = r1 / theta
            w2 = r2 / theta
            tmp = (w0 * x0 + w1 * x1 + w2 * x2) * (1.0 - ct)
            y0 = x0 * ct + (w1 * x2 - w2 * x1) * st + w0 * tmp
            y1 = x1 * ct + (w2 * x0 - w0 * x2) * st + w1 * tmp
            y2 = x2 * ct + (w0 * x1 - w1 * x0) * st + w2 * tmp
        else:
            y0 = x0 + r1 * x2 - r2 * x1
            y1 = x1 + r2 * x0 - r0 * x2
            y2 = x2 + r0 * x1 - r1 * x0
        p0 = y0 / y2
        p1 = y1 / y2
        rsq = p0 * p0 + p1 * p1
        dist = 1.0 + cams[c, 9] * rsq + cams[c, 10] * rsq * rsq
        e0 = w[i] * (p0 * dist * cams[c, 6] + cams[c, 7] - feats[i, 0])
        e1 = w[i] * (p1 * dist * cams[c, 6] + cams[c, 8] - feats[i, 1])
        we = 1.0 - w[i] * w[i]
        err += e0 * e0 + e1 * e1 + we * we
    return 0.5 * err


def _generic(xp, cross, cams, X, w, obs, feats):
    cam = cams[obs[:, 0]]
    pt = X[obs[:, 1]] - cam[:, 3:6]
    rot = cam[:, 0:3]
    theta = xp.sqrt(xp.sum(rot * rot, 1))[:, None]   # every rotation here is non-zero
    wv = rot / theta
    ct, st = xp.cos(theta), xp.sin(theta)
    tmp = xp.sum(wv * pt, 1)[:, None] * (1.0 - ct)
    y = pt * ct + cross(wv, pt) * st + wv * tmp
    p = y[:, 0:2] / y[:, 2:3]
    rsq = xp.sum(p * p, 1)
    dist = 1.0 + cam[:, 9] * rsq + cam[:, 10] * rsq * rsq
    proj = p * (dist * cam[:, 6])[:, None] + cam[:, 7:9]
    e = w[:, None] * (proj - feats)
    we = 1.0 - w * w
    return 0.5 * (xp.sum(e * e) + xp.sum(we * we))


def _cross(xp, stack):
    def cross(a, b):
        return stack([a[:, 1] * b[:, 2] - a[:, 2] * b[:, 1],
                      a[:, 2] * b[:, 0] - a[:, 0] * b[:, 2],
                      a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]])
    return cross


def jax_fn():
    import jax.numpy as jnp
    return lambda *a: _generic(jnp, lambda u, v: jnp.cross(u, v), *a)


def torch_fn():
    import torch
    return lambda *a: _generic(torch, lambda u, v: torch.linalg.cross(u, v), *a)


def autograd_fn():
    import autograd.numpy as anp
    return lambda *a: _generic(anp, _cross(anp, lambda l: anp.stack(l, axis=1)), *a)
