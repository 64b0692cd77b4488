"""LLVM 22 side of the CUDA route: one module from numba-cuda's pieces, math names, PTX.

numba-cuda keeps a kernel as several ``llvmlite.ir`` modules (the kernel and every linked device
function / helper library), printed in the NVVM dialect (typed pointers, ``!nvvm.annotations``,
``llvm.nvvm.*`` intrinsics of LLVM 7 spelling). LLVM 22's parser reads that text and auto-upgrades
it: typed pointers become ``ptr``, the kernel annotation becomes the ``ptx_kernel`` calling
convention, ``llvm.nvvm.atomic.load.add.f64.p0f64`` becomes ``atomicrmw fadd ... seq_cst`` and
``llvm.nvvm.barrier0`` becomes ``llvm.nvvm.barrier.cta.sync.aligned.all(i32 0)``.
Derivative modules produced by the core are LLVM 22 text already; libNVVM (LLVM 7 based) cannot
read them, so PTX comes from LLVM 22's NVPTX backend (in-process, through llvmlite, which has the
NVPTX target built in; ``llc-22 -march=nvptx64`` gives the same).

Math: numba-cuda calls libdevice (``__nv_sin``, ``__nv_powf``...). Before differentiation those
become the libm names the core has rules for (``sin``, ``powf``); for PTX, libm names and LLVM math
intrinsics the NVPTX backend cannot select (``llvm.cos.f64``...) become libdevice names again and
libdevice is linked; for the CPU emulator they stay libm names.
"""
from __future__ import annotations

import re
import threading

import llvmlite.binding as llb

from .._errors import EnzpyError

NVPTX_TRIPLE = "nvptx64-nvidia-cuda"
_init_lock = threading.Lock()
_initialized = False


def init_llvm() -> None:
    global _initialized
    with _init_lock:
        if not _initialized:
            llb.initialize_all_targets()
            llb.initialize_all_asmprinters()
            llb.initialize_native_target()
            llb.initialize_native_asmprinter()
            _initialized = True


# libm functions with a rule in the core (docs/how-it-works.md "Supported"), f64 spelling; the f32
# spelling appends "f". numba-cuda calls them as __nv_<name>[f].
DIFFERENTIABLE_MATH = (
    "sqrt", "cbrt", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh",
    "asinh", "acosh", "atanh", "exp", "exp2", "exp10", "expm1", "log", "log2", "log10", "log1p",
    "pow", "hypot", "erf", "erfc", "fabs", "fma", "fmin", "fmax", "copysign", "fmod", "floor",
    "ceil", "trunc", "round", "rint", "nearbyint")
_MATH_SET = frozenset(DIFFERENTIABLE_MATH) | frozenset(n + "f" for n in DIFFERENTIABLE_MATH)

# LLVM intrinsics the NVPTX backend cannot select: they go to libdevice for PTX
_INTRINSIC_TO_LIBDEVICE = ("sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh",
                           "tanh", "exp", "exp2", "exp10", "log", "log2", "log10", "pow")


def _sym(name: str) -> str:
    """The regex for an LLVM global name as printed (quoted or not)."""
    return r'@"?' + re.escape(name) + r'"?(?=[\s(,)])'


def rename_symbols(text: str, mapping: dict) -> str:
    """Rename global symbols in module `text`; a declaration that becomes a duplicate is dropped."""
    if not mapping:
        return text
    pat = re.compile(r'@"?(' + "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
                     + r')"?(?=[\s(,)])')
    text = pat.sub(lambda m: "@" + mapping[m.group(1)], text)
    out, declared = [], set()
    for line in text.split("\n"):
        if line.startswith("declare "):
            m = re.search(r'@("[^"]+"|[\w.$]+)\(', line)
            if m:
                if m.group(1) in declared:
                    continue
                declared.add(m.group(1))
        out.append(line)
    return "\n".join(out)


def declared_names(text: str):
    return set(re.findall(r'^declare [^@]*@"?([\w.$]+)"?\(', text, flags=re.M))


def defined_names(text: str):
    return set(re.findall(r'^define [^@]*@"?([\w.$]+)"?\(', text, flags=re.M))


def libdevice_to_libm(text: str) -> str:
    """``__nv_sin`` -> ``sin`` (for the core and for the CPU emulator), for the names in the table."""
    names = {n for n in declared_names(text) if n.startswith("__nv_") and n[5:] in _MATH_SET}
    return rename_symbols(text, {n: n[5:] for n in names})


def math_to_libdevice(text: str) -> str:
    """libm names and unselectable LLVM math intrinsics -> libdevice names (for the NVPTX backend)."""
    mapping = {}
    for n in declared_names(text):
        if n in _MATH_SET:
            mapping[n] = "__nv_" + n
        m = re.fullmatch(r"llvm\.(\w+)\.f(32|64)", n)
        if m and m.group(1) in _INTRINSIC_TO_LIBDEVICE:
            mapping[n] = "__nv_" + m.group(1) + ("f" if m.group(2) == "32" else "")
    return rename_symbols(text, mapping)


_HEAP_SHIMS = {
    "malloc": """define internal ptr @__enzpy_dev_malloc(i64 %n) {
  %n16 = add i64 %n, 16
  %m = call ptr @malloc(i64 %n16)
  %null = icmp eq ptr %m, null
  br i1 %null, label %fail, label %ok
fail:
  ret ptr null
ok:
  store i64 %n, ptr %m, align 8
  %p = getelementptr i8, ptr %m, i64 16
  ret ptr %p
}""",
    "free": """define internal void @__enzpy_dev_free(ptr %p) {
  %null = icmp eq ptr %p, null
  br i1 %null, label %done, label %free
free:
  %m = getelementptr i8, ptr %p, i64 -16
  call void @free(ptr %m)
  br label %done
done:
  ret void
}""",
    "realloc": """define internal ptr @__enzpy_dev_realloc(ptr %p, i64 %n) {
  %q = call ptr @__enzpy_dev_malloc(i64 %n)
  %pnull = icmp eq ptr %p, null
  %qnull = icmp eq ptr %q, null
  %skip = or i1 %pnull, %qnull
  br i1 %skip, label %done, label %copy
copy:
  %h = getelementptr i8, ptr %p, i64 -16
  %old = load i64, ptr %h, align 8
  %lt = icmp ult i64 %old, %n
  %len = select i1 %lt, i64 %old, i64 %n
  call void @llvm.memcpy.p0.p0.i64(ptr align 16 %q, ptr align 16 %p, i64 %len, i1 false)
  call void @__enzpy_dev_free(ptr %p)
  br label %done
done:
  ret ptr %q
}""",
    "calloc": """define internal ptr @__enzpy_dev_calloc(i64 %n, i64 %s) {
  %b = mul i64 %n, %s
  %p = call ptr @__enzpy_dev_malloc(i64 %b)
  %null = icmp eq ptr %p, null
  br i1 %null, label %done, label %zero
zero:
  call void @llvm.memset.p0.i64(ptr align 16 %p, i8 0, i64 %b, i1 false)
  br label %done
done:
  ret ptr %p
}""",
    "abort": """define internal void @__enzpy_dev_abort() {
  call void @llvm.trap()
  unreachable
}""",
}
_HEAP_DEPS = {"realloc": ("malloc", "free"), "calloc": ("malloc",)}


def device_heap_shims(text: str) -> str:
    """Make the core's heap use (the reverse-mode tape: ``realloc``/``free``/``abort``; shadow
    allocations: ``malloc``/``calloc``) valid in device code.

    CUDA device code has ``malloc`` and ``free`` (the device heap) but no ``realloc``,
    ``calloc`` or ``abort``. Within one derivative module all five become internal shims over
    device ``malloc``/``free`` with a 16-byte size header (so ``realloc`` knows how much to
    copy); ``abort`` becomes ``llvm.trap``. The same shims run on the host in the emulator."""
    declared = declared_names(text)
    used = {n for n in _HEAP_SHIMS if n in declared}
    for n in list(used):
        used |= set(_HEAP_DEPS.get(n, ()))
    if not used & {"realloc", "calloc", "abort"}:
        return text             # plain malloc/free exist on the device
    used |= {"malloc", "free"}
    text = rename_symbols(text, {n: f"__enzpy_dev_{n}" for n in used})
    keep = []
    for line in text.split("\n"):
        m = re.match(r'declare [^@]*@"?__enzpy_dev_(\w+)"?\(', line)
        if m and m.group(1) in used:
            continue
        keep.append(line)
    text = "\n".join(keep)
    extra = [_HEAP_SHIMS[n] for n in ("malloc", "free", "realloc", "calloc", "abort") if n in used]
    decls = ["declare ptr @malloc(i64)", "declare void @free(ptr)"]
    if "realloc" in used and "llvm.memcpy.p0.p0.i64" not in declared:
        decls.append("declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1 immarg)")
    if "calloc" in used and "llvm.memset.p0.i64" not in declared:
        decls.append("declare void @llvm.memset.p0.i64(ptr, i8, i64, i1 immarg)")
    if "abort" in used and "llvm.trap" not in declared:
        decls.append("declare void @llvm.trap()")
    return text + "\n" + "\n".join(decls) + "\n" + "\n\n".join(extra) + "\n"


def parse(text: str, what: str = "module"):
    try:
        return llb.parse_assembly(text)
    except RuntimeError as e:
        raise EnzpyError(f"enzpy.cuda: LLVM 22 cannot parse the {what}: {e}") from None


def link_texts(texts, what="kernel") -> str:
    """Parse each module text with LLVM 22 (auto-upgrading numba-cuda's NVVM dialect) and link them
    into one module; returns its text."""
    init_llvm()
    mods = [parse(t, what) for t in texts]
    main = mods[0]
    for m in mods[1:]:
        main.link_in(m)
    main.verify()
    return str(main)


def set_target(text: str, triple: str, datalayout: str) -> str:
    text = re.sub(r'^target triple = ".*"$', f'target triple = "{triple}"', text, flags=re.M)
    text = re.sub(r'^target datalayout = ".*"$', f'target datalayout = "{datalayout}"', text,
                  flags=re.M)
    return text


def internalize(mod, keep) -> None:
    """Make every definition but those named in `keep` internal (in place, llvmlite module)."""
    for f in mod.functions:
        if not f.is_declaration and f.name not in keep:
            f.linkage = "internal"


def run_o(mod, tm, level: int = 3) -> None:
    pto = llb.create_pipeline_tuning_options(speed_level=level)
    pto.loop_vectorization = level >= 2
    pto.slp_vectorization = level >= 2
    pb = llb.create_pass_builder(tm, pto)
    pm = pb.getModulePassManager()
    pm.run(mod, pb)


def nvptx_target_machine(cc):
    init_llvm()
    target = llb.Target.from_triple(NVPTX_TRIPLE)
    suffix = cc[2] if len(cc) > 2 else ""          # (9, 0, "a") -> sm_90a
    return target.create_target_machine(cpu=f"sm_{cc[0]}{cc[1]}{suffix}", opt=3)


_libdevice_cache: dict = {}


def _libdevice_module(datalayout: str):
    from ._toolchain import libdevice_path
    with open(libdevice_path(), "rb") as f:
        m = llb.parse_bitcode(f.read())
    m.triple = NVPTX_TRIPLE
    m.data_layout = datalayout
    return m


def kernel_names(text: str):
    return set(re.findall(r'^define [^@]*ptx_kernel [^@]*@"?([\w.$]+)"?\(', text, flags=re.M))


def prepare_for_nvptx(text: str, cc=(9, 0), entries=()):
    """Linked kernel module text -> (llvmlite module, target machine) ready for the NVPTX backend:
    math calls on libdevice (linked), every definition but the kernels internal, O3 run.
    ``llc-22 -march=nvptx64 -mcpu=sm_XY`` on ``str(module)`` gives the same PTX."""
    init_llvm()
    tm = nvptx_target_machine(cc)
    text = math_to_libdevice(text)
    dl = str(tm.target_data)
    text = set_target(text, NVPTX_TRIPLE, dl)
    mod = parse(text, "kernel module")
    if any(n.startswith("__nv_") for n in declared_names(text)):
        mod.link_in(_libdevice_module(dl))
    keep = set(entries) | kernel_names(text)
    internalize(mod, keep)
    # libdevice asks __nvvm_reflect("__CUDA_FTZ"); NVPTX's NVVMReflect pass answers it
    run_o(mod, tm, 3)
    mod.verify()
    left = [n for n in (f.name for f in mod.functions if f.is_declaration)
            if n.startswith("__nv_") or n in _MATH_SET]
    if left:
        raise EnzpyError(f"enzpy.cuda: no libdevice definition for {', '.join(sorted(left))}")
    return mod, tm


def module_to_ptx(text: str, cc=(9, 0), entries=()) -> str:
    """Linked kernel module text -> PTX for ``sm_<cc>`` with LLVM 22's NVPTX backend."""
    mod, tm = prepare_for_nvptx(text, cc, entries)
    return tm.emit_assembly(mod)


__all__ = ["init_llvm", "link_texts", "libdevice_to_libm", "math_to_libdevice", "module_to_ptx",
           "rename_symbols", "declared_names", "defined_names", "set_target", "internalize",
           "kernel_names", "parse", "prepare_for_nvptx", "device_heap_shims", "NVPTX_TRIPLE", "DIFFERENTIABLE_MATH"]
