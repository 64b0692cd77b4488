"""Run a kernel's (transformed) LLVM IR on the CPU: the numerics check when no GPU is present.

The module that would go to the NVPTX backend (the kernel, its device functions and the
derivatives linked into it, exactly as :func:`enzpy.cuda.compile_ptx` sees them) is retargeted to
the host and compiled with llvmlite's MCJIT:

* ``llvm.nvvm.read.ptx.sreg.{tid,ntid,ctaid,nctaid}.{x,y,z}`` (and ``warpsize``, ``laneid``)
  become loads from a global state array that the scheduler sets before it runs each thread;
* barriers (``llvm.nvvm.barrier0``, ``barrier.cta.sync.aligned.all``, ``barrier.sync``...)
  become a switch back to the scheduler; memory fences are no-ops;
* address spaces stay (on x86-64 ``addrspace(1/3/4)`` pointers are ordinary pointers, and
  ``addrspacecast`` between them is a no-op); ``__shared__`` arrays are ordinary globals, reused by
  each block in turn;
* ``ptx_kernel`` becomes the C calling convention; libdevice calls become libm calls.

Scheduling (deterministic, one OS thread):

* a kernel without barriers runs its threads one after the other, blocks in order, threads in
  x-fastest order (``__enzpy_emu_run_seq``, a loop in IR);
* a kernel with barriers runs each thread of a block as a *coroutine* (glibc
  ``makecontext``/``swapcontext``, own stack each): the scheduler resumes every thread of the block
  in turn; each runs until its next barrier (or its end) and switches back. When every thread has
  reached the barrier, the next phase starts. A block whose threads disagree (some at a barrier,
  some finished) is an error, as it is undefined behaviour on a GPU.

What this proves and what it does not: see docs/internals-cuda.md ("What emulation proves").
"""
from __future__ import annotations

import ctypes
import mmap
import platform
import re
import struct
import threading

import llvmlite.binding as llb
import numpy as np
from numba.core import types

from .._errors import EnzpyError
from . import _llvm

_SREGS = [f"{r}.{d}" for r in ("tid", "ntid", "ctaid", "nctaid") for d in "xyz"]
_BARRIERS_NOARG = ("llvm.nvvm.barrier0",)
_BARRIERS_I32 = ("llvm.nvvm.barrier.cta.sync.aligned.all", "llvm.nvvm.barrier.cta.sync.all",
                 "llvm.nvvm.barrier.sync", "llvm.nvvm.barrier.cta.sync.aligned",
                 "llvm.nvvm.bar.sync")
_FENCES = ("llvm.nvvm.membar.cta", "llvm.nvvm.membar.gl", "llvm.nvvm.membar.sys",
           "llvm.nvvm.fence.sc.cluster")

# libdevice functions without a libm twin of the same name, defined for the host
_HOST_LIBDEVICE = {
    "__nv_rsqrt": "define internal double @__nv_rsqrt(double %x) {\n"
                  "  %s = call double @llvm.sqrt.f64(double %x)\n"
                  "  %r = fdiv double 1.0, %s\n  ret double %r\n}\n",
    "__nv_rsqrtf": "define internal float @__nv_rsqrtf(float %x) {\n"
                   "  %s = call float @llvm.sqrt.f32(float %x)\n"
                   "  %r = fdiv float 1.0, %s\n  ret float %r\n}\n",
}
_LIBM_NAMES = {"sqrt", "cbrt", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh",
               "cosh", "tanh", "asinh", "acosh", "atanh", "exp", "exp2", "exp10", "expm1", "log",
               "log2", "log10", "log1p", "pow", "hypot", "erf", "erfc", "fabs", "fma", "fmin",
               "fmax", "copysign", "fmod", "floor", "ceil", "trunc", "round", "rint", "nearbyint",
               "ldexp", "frexp", "lgamma", "tgamma", "remainder", "modf", "logb", "ilogb",
               "nextafter", "fdim", "scalbn"}

_STACK_SIZE = 256 * 1024
_UCTX_SIZE = 1024           # sizeof(ucontext_t) is 968 on x86-64 glibc
_UC_LINK, _UC_SS_SP, _UC_SS_FLAGS, _UC_SS_SIZE = 8, 16, 24, 32


def _host_tm():
    _llvm.init_llvm()
    return llb.Target.from_default_triple().create_target_machine(opt=2)


def _runtime_ir(entry: str, param_types) -> str:
    """Scheduler support in IR: state, special registers, barrier, argument unpacking, loops."""
    L = ["@__enzpy_emu_state = internal global [12 x i32] zeroinitializer",
         "@__enzpy_emu_args = internal global ptr null",
         "@__enzpy_emu_cur = internal global ptr null",
         "@__enzpy_emu_main = internal global ptr null",
         "@__enzpy_emu_done = internal global i32 0",
         "@__enzpy_emu_nbar = internal global i64 0",
         "declare i32 @swapcontext(ptr, ptr)"]
    for k, r in enumerate(_SREGS):
        L.append(f"define internal i32 @__enzpy_emu_sreg_{r.replace('.', '_')}() {{\n"
                 f"  %p = getelementptr [12 x i32], ptr @__enzpy_emu_state, i32 0, i32 {k}\n"
                 f"  %v = load i32, ptr %p\n  ret i32 %v\n}}")
    L.append("define internal i32 @__enzpy_emu_sreg_warpsize() {\n  ret i32 32\n}")
    L.append("define internal i32 @__enzpy_emu_sreg_laneid() {\n"
             "  %x = load i32, ptr @__enzpy_emu_state\n"
             "  %p = getelementptr [12 x i32], ptr @__enzpy_emu_state, i32 0, i32 1\n"
             "  %y = load i32, ptr %p\n"
             "  %q = getelementptr [12 x i32], ptr @__enzpy_emu_state, i32 0, i32 2\n"
             "  %z = load i32, ptr %q\n"
             "  %r = getelementptr [12 x i32], ptr @__enzpy_emu_state, i32 0, i32 3\n"
             "  %nx = load i32, ptr %r\n"
             "  %s = getelementptr [12 x i32], ptr @__enzpy_emu_state, i32 0, i32 4\n"
             "  %ny = load i32, ptr %s\n"
             "  %zy = mul i32 %z, %ny\n  %zy2 = add i32 %zy, %y\n  %l = mul i32 %zy2, %nx\n"
             "  %l2 = add i32 %l, %x\n  %lane = and i32 %l2, 31\n  ret i32 %lane\n}")
    L.append("""define internal void @__enzpy_emu_barrier() {
  %n = load i64, ptr @__enzpy_emu_nbar
  %n1 = add i64 %n, 1
  store i64 %n1, ptr @__enzpy_emu_nbar
  %c = load ptr, ptr @__enzpy_emu_cur
  %seq = icmp eq ptr %c, null
  br i1 %seq, label %done, label %swap
swap:
  %m = load ptr, ptr @__enzpy_emu_main
  %r = call i32 @swapcontext(ptr %c, ptr %m)
  br label %done
done:
  ret void
}
define internal void @__enzpy_emu_barrier_i32(i32 %id) {
  call void @__enzpy_emu_barrier()
  ret void
}
define internal void @__enzpy_emu_barrier_i32_i32(i32 %id, i32 %n) {
  call void @__enzpy_emu_barrier()
  ret void
}
define internal void @__enzpy_emu_fence() {
  ret void
}""")
    loads, vals = [], []
    for i, t in enumerate(param_types):
        loads.append(f"  %p{i} = getelementptr i8, ptr %a, i64 {8 * i}\n"
                     f"  %v{i} = load {t}, ptr %p{i}")
        vals.append(f"{t} %v{i}")
    L.append("define void @__enzpy_emu_call() {\n  %a = load ptr, ptr @__enzpy_emu_args\n"
             + "\n".join(loads) + ("\n" if loads else "")
             + f"  call void @\"{entry}\"({', '.join(vals)})\n  ret void\n}}")
    L.append("define void @__enzpy_emu_thread() {\n  call void @__enzpy_emu_call()\n"
             "  store i32 1, ptr @__enzpy_emu_done\n  ret void\n}")
    # sequential runner: every block, every thread (x fastest), sets tid/ctaid and calls
    L.append("""define void @__enzpy_emu_run_seq() {
entry:
  %st = getelementptr [12 x i32], ptr @__enzpy_emu_state, i32 0, i32 0
  %bxp = getelementptr i32, ptr %st, i32 3
  %byp = getelementptr i32, ptr %st, i32 4
  %bzp = getelementptr i32, ptr %st, i32 5
  %gxp = getelementptr i32, ptr %st, i32 9
  %gyp = getelementptr i32, ptr %st, i32 10
  %gzp = getelementptr i32, ptr %st, i32 11
  %bx = load i32, ptr %bxp
  %by = load i32, ptr %byp
  %bz = load i32, ptr %bzp
  %gx = load i32, ptr %gxp
  %gy = load i32, ptr %gyp
  %gz = load i32, ptr %gzp
  %nt0 = mul i32 %bx, %by
  %nt = mul i32 %nt0, %bz
  %nb0 = mul i32 %gx, %gy
  %nb = mul i32 %nb0, %gz
  %bxy = mul i32 %bx, %by
  %gxy = mul i32 %gx, %gy
  br label %bhead
bhead:
  %b = phi i32 [0, %entry], [%b1, %blatch]
  %bend = icmp uge i32 %b, %nb
  br i1 %bend, label %exit, label %bbody
bbody:
  %cx = urem i32 %b, %gx
  %cyq = udiv i32 %b, %gx
  %cy = urem i32 %cyq, %gy
  %cz = udiv i32 %b, %gxy
  %cxp = getelementptr i32, ptr %st, i32 6
  %cyp = getelementptr i32, ptr %st, i32 7
  %czp = getelementptr i32, ptr %st, i32 8
  store i32 %cx, ptr %cxp
  store i32 %cy, ptr %cyp
  store i32 %cz, ptr %czp
  br label %thead
thead:
  %t = phi i32 [0, %bbody], [%t1, %tbody]
  %tend = icmp uge i32 %t, %nt
  br i1 %tend, label %blatch, label %tbody
tbody:
  %tx = urem i32 %t, %bx
  %tyq = udiv i32 %t, %bx
  %ty = urem i32 %tyq, %by
  %tz = udiv i32 %t, %bxy
  %typ = getelementptr i32, ptr %st, i32 1
  %tzp = getelementptr i32, ptr %st, i32 2
  store i32 %tx, ptr %st
  store i32 %ty, ptr %typ
  store i32 %tz, ptr %tzp
  call void @__enzpy_emu_call()
  %t1 = add i32 %t, 1
  br label %thead
blatch:
  %b1 = add i32 %b, 1
  br label %bhead
exit:
  ret void
}""")
    return "\n".join(L) + "\n"


def host_module_text(text: str, entry: str):
    """The linked kernel module `text`, retargeted to the host (see the module docstring).

    Returns (text, has_barrier, llvm parameter types of the kernel)."""
    tm = _host_tm()
    fn = _llvm.parse(text, "kernel module").get_function(entry)
    ptypes = [str(a.type) for a in fn.arguments]
    text = _llvm.set_target(text, llb.get_process_triple(), str(tm.target_data))
    text = re.sub(r"\b(ptx_kernel|ptx_device)\s+", "", text)
    text = _llvm.libdevice_to_libm(text)
    declared = _llvm.declared_names(text)
    mapping = {}
    for r in _SREGS + ["warpsize", "laneid"]:
        mapping[f"llvm.nvvm.read.ptx.sreg.{r}"] = f"__enzpy_emu_sreg_{r.replace('.', '_')}"
    for b in _BARRIERS_NOARG:
        mapping[b] = "__enzpy_emu_barrier"
    for b in _BARRIERS_I32:
        mapping[b] = "__enzpy_emu_barrier_i32"
    mapping["llvm.nvvm.barrier"] = "__enzpy_emu_barrier_i32_i32"
    mapping["llvm.nvvm.barrier.cta.sync.aligned.count"] = "__enzpy_emu_barrier_i32_i32"
    for f in _FENCES:
        mapping[f] = "__enzpy_emu_fence"
    used = {k: v for k, v in mapping.items() if k in declared}
    has_barrier = any("barrier" in v for v in used.values())
    unknown = sorted(n for n in declared if n.startswith("llvm.nvvm.") and n not in used)
    if unknown:
        raise EnzpyError("enzpy.cuda.emulate: no CPU version of the NVVM intrinsic(s) "
                         f"{', '.join(unknown)}")
    text = _llvm.rename_symbols(text, used)
    # drop the declarations of the renamed intrinsics: the runtime defines them
    ours = set(used.values())
    text = "\n".join(l for l in text.split("\n")
                     if not (l.startswith("declare ") and
                             any(re.search(r"@" + re.escape(o) + r"\(", l) for o in ours)))
    extra = []
    for n in sorted(_llvm.declared_names(text)):
        if n.startswith("__nv_"):
            if n in _HOST_LIBDEVICE:
                text = "\n".join(l for l in text.split("\n")
                                 if not (l.startswith("declare ") and f"@{n}(" in l))
                extra.append(_HOST_LIBDEVICE[n])
            else:
                raise EnzpyError(f"enzpy.cuda.emulate: no CPU version of libdevice's {n}")
    return text + "\n" + "".join(extra) + _runtime_ir(entry, ptypes), has_barrier, ptypes


class HostKernel:
    """A kernel module compiled for the CPU; ``run(griddim, blockdim, flat_args)``."""

    _run_lock = threading.Lock()

    def __init__(self, text: str, entry: str):
        htext, self.has_barrier, self.param_types = host_module_text(text, entry)
        self.text = htext
        mod = _llvm.parse(htext, "kernel module (host)")
        mod.verify()
        self.engine = llb.create_mcjit_compiler(mod, _host_tm())
        self.engine.finalize_object()
        self.engine.run_static_constructors()
        g = self.engine.get_global_value_address
        f = self.engine.get_function_address
        self._state = (ctypes.c_int32 * 12).from_address(g("__enzpy_emu_state"))
        self._args = ctypes.c_void_p.from_address(g("__enzpy_emu_args"))
        self._cur = ctypes.c_void_p.from_address(g("__enzpy_emu_cur"))
        self._main = ctypes.c_void_p.from_address(g("__enzpy_emu_main"))
        self._done = ctypes.c_int32.from_address(g("__enzpy_emu_done"))
        self._nbar = ctypes.c_int64.from_address(g("__enzpy_emu_nbar"))
        self._run_seq = ctypes.CFUNCTYPE(None)(f("__enzpy_emu_run_seq"))
        self._thread_entry = f("__enzpy_emu_thread")
        self._module = mod

    def pack(self, flat):
        if len(flat) != len(self.param_types):
            raise EnzpyError(f"enzpy.cuda.emulate: the kernel takes {len(self.param_types)} "
                             f"flat parameters, {len(flat)} were given")
        buf = (ctypes.c_uint64 * max(1, len(flat)))()
        for i, (t, v) in enumerate(zip(self.param_types, flat)):
            if t == "double":
                buf[i] = struct.unpack("<Q", struct.pack("<d", float(v)))[0]
            elif t == "float":
                buf[i] = struct.unpack("<I", struct.pack("<f", float(v)))[0]
            elif t == "half" or t.startswith("<") or t.startswith("{") or t.startswith("["):
                raise EnzpyError(f"enzpy.cuda.emulate: kernel parameter type {t} is not supported")
            else:       # ptr, i1, i8, i16, i32, i64: little-endian in the low bytes
                buf[i] = int(v) & 0xFFFFFFFFFFFFFFFF
        return buf

    def run(self, griddim, blockdim, flat):
        buf = self.pack(flat)
        with HostKernel._run_lock:
            self._args.value = ctypes.addressof(buf)
            st = self._state
            st[3], st[4], st[5] = blockdim
            st[9], st[10], st[11] = griddim
            self._nbar.value = 0
            if not self.has_barrier:
                self._cur.value = None
                self._run_seq()
                if self._nbar.value:
                    raise EnzpyError("enzpy.cuda.emulate: internal error: a barrier was reached "
                                     "in sequential mode")
            else:
                self._run_phased(griddim, blockdim)
            self._args.value = None

    def _run_phased(self, griddim, blockdim):
        if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
            raise EnzpyError("enzpy.cuda.emulate: kernels with barriers are emulated on x86-64 "
                             "Linux only (glibc ucontext)")
        libc = ctypes.CDLL(None)
        getcontext, makecontext, swapcontext = libc.getcontext, libc.makecontext, libc.swapcontext
        for fn in (getcontext, swapcontext):
            fn.restype = ctypes.c_int
        makecontext.restype = None
        bx, by, bz = blockdim
        gx, gy, gz = griddim
        nt = bx * by * bz
        ctxs = ctypes.create_string_buffer(_UCTX_SIZE * (nt + 1))
        base = ctypes.addressof(ctxs)
        main = base + _UCTX_SIZE * nt
        stacks = mmap.mmap(-1, _STACK_SIZE * nt)
        sbase = ctypes.addressof(ctypes.c_char.from_buffer(stacks))
        st = self._state
        self._main.value = main
        try:
            for b in range(gx * gy * gz):
                st[6], st[7], st[8] = b % gx, (b // gx) % gy, b // (gx * gy)
                for t in range(nt):
                    c = base + _UCTX_SIZE * t
                    if getcontext(ctypes.c_void_p(c)) != 0:
                        raise EnzpyError("enzpy.cuda.emulate: getcontext failed")
                    ctypes.c_void_p.from_address(c + _UC_LINK).value = main
                    ctypes.c_void_p.from_address(c + _UC_SS_SP).value = sbase + _STACK_SIZE * t
                    ctypes.c_int.from_address(c + _UC_SS_FLAGS).value = 0
                    ctypes.c_size_t.from_address(c + _UC_SS_SIZE).value = _STACK_SIZE
                    makecontext(ctypes.c_void_p(c), ctypes.c_void_p(self._thread_entry),
                                ctypes.c_int(0))
                alive, phase = list(range(nt)), 0
                while alive:
                    waiting, finished = [], []
                    for t in alive:
                        st[0], st[1], st[2] = t % bx, (t // bx) % by, t // (bx * by)
                        c = base + _UCTX_SIZE * t
                        self._cur.value = c
                        self._done.value = 0
                        swapcontext(ctypes.c_void_p(main), ctypes.c_void_p(c))
                        (finished if self._done.value else waiting).append(t)
                    if waiting and finished:
                        raise EnzpyError(
                            f"enzpy.cuda.emulate: in block {b}, after barrier phase {phase}, "
                            f"threads {finished[:4]}... finished while threads {waiting[:4]}... "
                            "wait at a barrier (a barrier not reached by every thread of the "
                            "block is undefined behaviour on a GPU)")
                    alive, phase = waiting, phase + 1
        finally:
            self._cur.value = None
            del sbase
            stacks.close()


def flatten_value(ty, v, where="argument"):
    """numba's flattening of one kernel argument into LLVM parameters (the data model)."""
    if isinstance(ty, types.Array):
        a = v
        if not isinstance(a, np.ndarray):
            raise EnzpyError(f"enzpy.cuda.emulate: {where} must be a NumPy array (host memory), "
                             f"got {type(v).__name__}")
        return [0, 0, a.size, a.itemsize, a.ctypes.data, *a.shape, *a.strides]
    if isinstance(ty, types.Boolean):
        return [int(bool(v))]
    if isinstance(ty, types.Integer):
        return [int(v)]
    if isinstance(ty, types.Float):
        return [float(v)]
    if isinstance(ty, types.Complex):
        return [complex(v).real, complex(v).imag]
    if isinstance(ty, types.BaseTuple):
        out = []
        for t, x in zip(ty, v):
            out += flatten_value(t, x, where)
        return out
    raise EnzpyError(f"enzpy.cuda.emulate: {where} of type {ty} is not supported")


__all__ = ["HostKernel", "host_module_text", "flatten_value"]
