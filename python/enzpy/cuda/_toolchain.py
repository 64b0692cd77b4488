"""Where the CUDA pieces live, and compiling a kernel without a GPU.

* ``ptxas`` and ``libdevice.10.bc`` come from the ``nvidia-cuda-nvcc`` / ``cuda-toolkit`` wheels
  (``pip install "numba-cuda[cu13]" nvidia-cuda-nvcc``); numba-cuda's own path logic finds them.
* numba-cuda compiles a kernel for a given compute capability without a device
  (``numba.cuda.compile_ptx``), *except* that a ``@cuda.jit(device=True)`` function called from
  the kernel is compiled through ``CUDADispatcher.compile_device``, which asks the current device
  for its compute capability. :func:`target_cc` makes that question answer the requested compute
  capability while enzpy compiles (only when no GPU is present; with a GPU, numba's answer stands).
"""
from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import tempfile
import threading

from .._errors import EnzpyError

_lock = threading.RLock()


@functools.lru_cache(maxsize=None)
def gpu_available() -> bool:
    from numba import cuda
    try:
        return bool(cuda.is_available())
    except Exception:       # noqa: BLE001 - no driver: no GPU
        return False


class _FakeDevice:
    """Answers ``compute_capability`` only: what ``compile_device`` asks of the current device."""

    def __init__(self, cc):
        self.compute_capability = tuple(cc)


@contextlib.contextmanager
def target_cc(cc):
    """While active (and no GPU is present), numba-cuda compiles device functions for `cc`."""
    if gpu_available():
        yield
        return
    from numba.cuda import dispatcher as _disp
    with _lock:
        saved = _disp.get_current_device
        _disp.get_current_device = lambda: _FakeDevice(cc)
        try:
            yield
        finally:
            _disp.get_current_device = saved


@functools.lru_cache(maxsize=None)
def libdevice_path() -> str:
    from numba.cuda.cudadrv.libs import get_libdevice
    path = get_libdevice()
    if not path or not os.path.exists(path):
        raise EnzpyError("enzpy.cuda: libdevice.10.bc not found; install it with "
                         "pip install 'numba-cuda[cu13]'")
    return path


@functools.lru_cache(maxsize=None)
def ptxas_path():
    """Path of ``ptxas`` (the nvidia-cuda-nvcc wheel, or a CUDA toolkit on PATH), or None."""
    try:
        from cuda import pathfinder
        p = pathfinder.find_nvidia_binary_utility("ptxas")
        if p:
            return p
    except Exception:       # noqa: BLE001
        pass
    return shutil.which("ptxas")


def ptxas(ptx: str, arch: str = "sm_90") -> str:
    """Assemble `ptx` with ``ptxas -arch=<arch>``; returns ptxas' log, raises EnzpyError on failure.

    >>> ptxas(".version 7.8\\n.target sm_90\\n.address_size 64\\n")  # doctest: +SKIP
    ''
    """
    exe = ptxas_path()
    if exe is None:
        raise EnzpyError("enzpy.cuda: ptxas not found; install it with pip install nvidia-cuda-nvcc")
    with tempfile.TemporaryDirectory(prefix="enzpy-ptx-") as d:
        src, out = os.path.join(d, "k.ptx"), os.path.join(d, "k.cubin")
        with open(src, "w") as f:
            f.write(ptx)
        r = subprocess.run([exe, f"-arch={arch}", "-v", src, "-o", out],
                           capture_output=True, text=True)
    if r.returncode != 0:
        raise EnzpyError(f"enzpy.cuda: ptxas -arch={arch} rejected the PTX:\n{r.stderr.strip()}")
    return (r.stdout + r.stderr).strip()


__all__ = ["gpu_available", "target_cc", "libdevice_path", "ptxas_path", "ptxas"]
