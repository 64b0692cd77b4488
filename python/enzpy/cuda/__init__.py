"""enzpy for numba-cuda kernels: ``autodiff_deferred`` on device functions, PTX, CPU emulation.

Needs ``pip install "numba-cuda[cu13]" nvidia-cuda-nvcc`` (numba-cuda, libdevice, ptxas); no GPU
is needed to compile, to check PTX with ptxas, or to run kernels on the CPU with :func:`emulate`.

Inside a ``@cuda.jit`` kernel, differentiate a ``@cuda.jit(device=True)`` function, as Enzyme.jl
does (the card's Test 3)::

    import enzpy.cuda                          # registers autodiff_deferred for CUDA kernels
    from enzpy import autodiff_deferred, Reverse, Const, Active, Duplicated

    @cuda.jit(device=True)
    def saxpy(Y, a, X):
        i = cuda.threadIdx.x
        Y[i] += a * X[i]

    @cuda.jit
    def grad_saxpy(Y, dY, a, X, dX, da):
        r = autodiff_deferred(Reverse, saxpy, Const, Duplicated(Y, dY), Active(a), Duplicated(X, dX))
        da[cuda.threadIdx.x] = r[0][1]        # this thread's share of d/da

* Reverse mode returns ``((adjoint or None per argument),)`` (``ReverseWithPrimal``:
  ``(primal, (...))``); Forward mode ``(tangent,)`` / ``(primal, tangent)`` — as on the CPU.
* The adjoint of an ``Active`` scalar is **per thread**: the derivative of *this thread's call*
  with respect to its argument. The gradient of the kernel with respect to a scalar shared by all
  threads is the sum over threads: reduce it (``cuda.atomic.add``, a block reduction).
* Shadow memory accumulates adjoints, with atomic adds (threads may share a shadow element).

Then:

* ``compile_ptx(kernel, signature, cc=(9, 0))`` -> PTX from LLVM 22's NVPTX backend;
* ``ptxas(ptx, "sm_90")`` checks it with NVIDIA's assembler;
* ``emulate(kernel, griddim, blockdim, *numpy_args)`` runs the same IR on the CPU;
* on a machine with a GPU, ``kernel[griddim, blockdim](...)`` works as usual.
"""
from __future__ import annotations

import threading

from numba.core import types

from .._errors import EnzpyError
from . import _llvm
from ._emulate import HostKernel, flatten_value
from ._intrinsic import cache_info, compiling_for, install_library_hook, library_ptx
from ._toolchain import gpu_available, ptxas, ptxas_path, target_cc
from . import _types  # noqa: F401  (CUDA lowering of annotations, autodiff_deferred overload)
from .._autodiff import autodiff_deferred

__all__ = ["autodiff_deferred", "compile_ptx", "kernel_ir", "kernel_library", "emulate",
           "host_kernel", "ptxas", "ptxas_path", "gpu_available", "cache_info", "DEFAULT_CC"]

DEFAULT_CC = (9, 0)

install_library_hook()


def _pyfunc(kernel):
    return getattr(kernel, "py_func", kernel)


def _argtypes(kernel, signature):
    from numba.cuda.core import sigutils
    args, ret = sigutils.normalize_signature(signature)
    if ret not in (None, types.none, types.void):
        raise EnzpyError(f"enzpy.cuda: a kernel returns None, the signature says {ret}")
    return tuple(args)


_lib_cache: dict = {}
_lib_lock = threading.RLock()


def kernel_library(kernel, argtypes, cc=DEFAULT_CC):
    """numba-cuda's ``CUDACodeLibrary`` for `kernel` (a ``@cuda.jit`` kernel or its Python
    function) and `argtypes`, compiled for `cc` without a GPU; cached."""
    from numba.cuda.compiler import _compile_pyfunc_with_fixup
    pyfunc = _pyfunc(kernel)
    opts = getattr(kernel, "targetoptions", {}) or {}
    key = (pyfunc, tuple(argtypes), tuple(cc[:2]), bool(opts.get("fastmath", False)))
    with _lib_lock:
        hit = _lib_cache.get(key)
        if hit is not None:
            return hit
        with target_cc(cc), compiling_for(cc):
            lib, _ = _compile_pyfunc_with_fixup(pyfunc, tuple(argtypes), device=False,
                                                cc=tuple(cc[:2]), abi="numba", debug=False,
                                                lineinfo=False,
                                                fastmath=bool(opts.get("fastmath", False)))
        _lib_cache[key] = lib
        return lib


def kernel_ir(kernel, signature, cc=DEFAULT_CC) -> str:
    """The kernel's whole module (kernel, device functions, derivatives) as LLVM 22 text: what
    :func:`compile_ptx` hands to the NVPTX backend and :func:`emulate` to the CPU."""
    lib = kernel_library(kernel, _argtypes(kernel, signature), cc)
    return _llvm.link_texts(lib.llvm_strs)


def compile_ptx(kernel, signature, cc=DEFAULT_CC) -> str:
    """PTX for `kernel` (``@cuda.jit`` kernel or Python function) and `signature`
    (``"void(float64[::1], float64)"`` or a tuple of numba types), for compute capability `cc`,
    produced by LLVM 22's NVPTX backend (derivatives included). Check it with :func:`ptxas`.

    >>> from numba import cuda
    >>> def k(x):
    ...     x[cuda.grid(1)] *= 2.0
    >>> ptx = compile_ptx(k, "void(float64[::1])", cc=(8, 0))
    >>> ".target sm_80" in ptx
    True
    """
    lib = kernel_library(kernel, _argtypes(kernel, signature), cc)
    return library_ptx(lib, tuple(cc[:2]))


def _dims(d, what):
    if isinstance(d, int):
        d = (d,)
    d = tuple(int(x) for x in d) + (1,) * (3 - len(tuple(d)))
    if len(d) != 3 or any(x < 1 for x in d):
        raise EnzpyError(f"enzpy.cuda.emulate: {what} must be 1 to 3 positive integers, got {d}")
    return d


_host_cache: dict = {}


def _typeof(v):
    from numba.cuda.typing.typeof import Purpose, typeof
    return typeof(v, Purpose.argument)


def emulate(kernel, griddim, blockdim, *args, cc=DEFAULT_CC):
    """Run `kernel` on the CPU over the grid, with NumPy arrays for device arrays.

    The kernel is compiled by numba-cuda exactly as for :func:`compile_ptx` (same module, same
    derivatives), retargeted to the host: thread and block indices come from the emulator, blocks
    run in order, threads of a block run one after the other, or, when the kernel has barriers
    (``cuda.syncthreads()``), in barrier-separated phases (each thread is a coroutine).
    Arrays are modified in place.

    >>> import numpy as np
    >>> from numba import cuda
    >>> def k(x):
    ...     i = cuda.grid(1)
    ...     if i < x.size:
    ...         x[i] *= 2.0
    >>> x = np.arange(5.0)
    >>> emulate(k, 2, 4, x); x
    array([0., 2., 4., 6., 8.])
    """
    grid, block = _dims(griddim, "griddim"), _dims(blockdim, "blockdim")
    hk = host_kernel(kernel, *args, cc=cc)
    argtypes = tuple(_typeof(a) for a in args)
    flat = []
    for i, (t, a) in enumerate(zip(argtypes, args)):
        flat += flatten_value(t, a, f"argument {i}")
    hk.run(grid, block, flat)


def host_kernel(kernel, *args, cc=DEFAULT_CC) -> HostKernel:
    """The CPU version of `kernel` for the types of `args`, as :func:`emulate` builds it (its
    ``.text`` is the host module: for inspection)."""
    argtypes = tuple(_typeof(a) for a in args)
    key = (_pyfunc(kernel), argtypes, tuple(cc[:2]))
    with _lib_lock:
        hk = _host_cache.get(key)
        if hk is None:
            lib = kernel_library(kernel, argtypes, cc)
            if lib._linking_files:
                raise EnzpyError("enzpy.cuda.emulate: the kernel links external files "
                                 f"({sorted(map(str, lib._linking_files))}), which cannot run "
                                 "on the CPU")
            hk = _host_cache[key] = HostKernel(_llvm.link_texts(lib.llvm_strs), lib._entry_name)
        return hk
