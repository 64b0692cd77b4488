"""On-disk cache of the derivatives that Python calls use, for ``@njit(cache=True)`` functions.

From Python, ``enzpy.autodiff(mode, f, ...)`` runs a generated njit *trampoline* per (function,
mode, annotation pattern) (:func:`enzpy._autodiff._trampoline`); numba specializes it per argument
types and the intrinsic links the derivative into it. When `f` itself is cached by numba
(``@njit(cache=True)``), this module makes the trampoline a real file and compiles it with
``njit(cache=True)``, so numba stores the trampoline, derivative included, in its own cache and a
new process loads the machine code without asking the core again.

Layout (``<numba cache dir of f>`` is ``f._cache.cache_path``: ``__pycache__`` next to f's source
file, or a folder under ``NUMBA_CACHE_DIR`` / numba's user-wide cache dir)::

    <numba cache dir of f>/enzpy/<qualname>-<pattern id>-<fingerprint>.py       the trampoline
    <numba cache dir of that file>/<same stem>._enzpy_trampoline-<line>.pyXY.nbi/.nbc  numba's

Invalidation: the file name carries a fingerprint (SHA-256) of everything the derivative depends
on, so a changed input is a different file, compiled afresh; numba's own index then checks the
trampoline file's content, numba's version and the CPU:

* f's identity: module, qualname, source file, the mode, the return annotation, the argument
  annotation pattern, whether a seed is passed;
* f's content: a hash of its source file (or of its source text / bytecode when there is no
  file), of its bytecode, of its numba options (``fastmath``, ...) and closure values;
* what f references by global name, transitively: other njit functions (their source files,
  bytecode and options, also through ``module.function``), and the values of scalar, string,
  tuple and array globals (numba freezes those into the machine code);
* the build: enzpy's version and a hash of its Python files and of the C++ core ``_core``, the
  core's and llvmlite's LLVM versions, numba's and llvmlite's versions.

A trampoline of an older fingerprint for the same pattern (same identity and closure values)
is deleted, with numba's files for it, when the new one is written. Files are written atomically
(temporary file + ``os.replace``) with deterministic content, so processes racing on one entry
write the same bytes. Any failure (a read-only directory, an unpicklable closure value, ...) falls
back to the in-memory trampoline (silently, or with a RuntimeWarning for an unexpected error);
``ENZPY_DISABLE_DISK_CACHE=1`` turns the on-disk trampolines off.

Not detected (numba's own cache does not see them either): changes in code f reaches other than
through a global name or a closure: njit functions passed as arguments or reached through
attributes of objects (jitclass methods), ``@overload``/``@intrinsic`` implementations in other
modules.
"""
from __future__ import annotations

import glob
import hashlib
import inspect
import os
import re
import sys
import threading
import types as pytypes
import uuid
import warnings

import numpy as np

from . import api

_lock = threading.Lock()
_file_digests: dict = {}          # (path, mtime_ns, size) -> sha256 hex of the file
_build: list = []                 # [fingerprint of the enzpy build], computed once
_stats = {"written": 0, "loaded": 0, "removed": 0}


class _Uncacheable(Exception):
    """Something f depends on cannot be fingerprinted reliably."""


def stats() -> dict:
    """Trampoline files written, loaded (found on disk) and stale ones removed by this process."""
    return dict(_stats)


def caching_enabled(f) -> bool:
    """True when `f` is an njit dispatcher cached on disk by numba (``@njit(cache=True)``)."""
    if os.environ.get("ENZPY_DISABLE_DISK_CACHE", "") not in ("", "0"):
        return False
    from numba.core.caching import Cache
    c = getattr(f, "_cache", None)
    return isinstance(c, Cache) and getattr(c, "_enabled", False)


# ----------------------------------------------------------------------------- fingerprints
def _sha(*parts) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else repr(p).encode())
        h.update(b"\0")
    return h.hexdigest()


def _file_digest(path: str) -> str | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    key = (path, st.st_mtime_ns, st.st_size)
    d = _file_digests.get(key)
    if d is None:
        try:
            with open(path, "rb") as fh:
                d = hashlib.sha256(fh.read()).hexdigest()
        except OSError:
            return None
        _file_digests[key] = d
    return d


def _code_digest(code) -> str:
    """Bytecode, names and constants of a code object and its nested ones (deterministic across
    processes, unlike ``marshal``)."""
    consts = tuple(_code_digest(c) if isinstance(c, pytypes.CodeType) else repr(c)
                   for c in code.co_consts)
    return _sha(code.co_code, code.co_names, code.co_varnames, code.co_freevars, consts)


def _names(code, out: set) -> set:
    out.update(code.co_names)
    for c in code.co_consts:
        if isinstance(c, pytypes.CodeType):
            _names(c, out)
    return out


def _value_digest(v) -> str | None:
    """A digest of a constant numba may freeze into machine code; None for other objects."""
    if v is None or isinstance(v, (bool, int, float, complex, str, bytes, np.generic)):
        return f"{type(v).__name__}:{v!r}"
    if isinstance(v, tuple):
        parts = [_value_digest(x) for x in v]
        return None if None in parts else _sha("tuple", parts)
    if isinstance(v, np.ndarray):
        if v.dtype.hasobject:
            return None
        return _sha("ndarray", v.dtype.str, v.shape, np.ascontiguousarray(v).tobytes())
    return None


def _function_digest(disp, h, seen: set) -> None:
    """Feed `h` with njit function `disp`'s content and, transitively, what it references."""
    from numba.core.dispatcher import Dispatcher
    if id(disp) in seen:
        return
    seen.add(id(disp))
    fn = disp.py_func
    code = fn.__code__
    src = _file_digest(code.co_filename)
    if src is None:
        try:
            src = _sha(inspect.getsource(fn))
        except (OSError, TypeError):
            src = "no source"
    opts = sorted((k, repr(v)) for k, v in getattr(disp, "targetoptions", {}).items())
    h.update(_sha(fn.__module__, fn.__qualname__, code.co_filename, src, _code_digest(code),
                  opts).encode())

    def visit(name, v):
        if isinstance(v, Dispatcher):
            h.update(f"dispatcher {name}".encode())
            _function_digest(v, h, seen)
            return
        d = _value_digest(v)
        if d is not None:
            h.update(f"value {name} {d}".encode())

    names = _names(code, set())
    g = fn.__globals__
    for name in sorted(names):
        if name not in g:
            continue
        v = g[name]
        if isinstance(v, pytypes.ModuleType):        # module.function / module.CONSTANT
            members = vars(v)                         # no lazy module __getattr__ hooks
            for attr in sorted(names):
                if attr != name and attr in members:
                    visit(f"{name}.{attr}", members[attr])
        else:
            visit(name, v)
    h.update(_closure_digest(fn, seen).encode())


def _closure_digest(fn, seen: set) -> str:
    """A digest of the values `fn` closes over (njit functions by content, constants by value,
    other objects pickled as numba's own cache key does)."""
    from numba.core.dispatcher import Dispatcher
    parts = []
    for i, cell in enumerate(fn.__closure__ or ()):
        try:
            v = cell.cell_contents
        except ValueError:                            # an empty cell
            continue
        if isinstance(v, Dispatcher):
            hv = hashlib.sha256()
            _function_digest(v, hv, seen)
            parts.append(("dispatcher", i, hv.hexdigest()))
            continue
        d = _value_digest(v)
        if d is None:
            from numba.core.serialize import dumps   # what numba's own cache key uses
            try:
                d = _sha(dumps(v))
            except Exception as e:                    # noqa: BLE001 (any pickling failure)
                raise _Uncacheable(f"closure value {type(v).__name__}") from e
        parts.append(("value", i, d))
    return _sha("closure", parts)


def build_fingerprint() -> str:
    """enzpy's version and files, the core and its LLVM, numba/llvmlite (once per process)."""
    with _lock:
        if _build:
            return _build[0]
        import llvmlite
        import llvmlite.binding as llb
        import numba

        import enzpy
        from ._llvm_check import load_core
        core = load_core()
        pkg = os.path.dirname(os.path.abspath(__file__))
        files = sorted(glob.glob(os.path.join(pkg, "*.py")) + [core.__file__])

        def attr(name):                 # plain values, or what a function returns
            v = getattr(core, name, None)
            try:
                v = v() if callable(v) else v
            except Exception:           # noqa: BLE001
                v = None
            return v if isinstance(v, (str, int, tuple)) else None
        parts = [enzpy.__version__, numba.__version__, llvmlite.__version__,
                 llb.llvm_version_info, attr("llvm_version"), attr("llvm_major"),
                 attr("version"), sys.version_info[:3], sys.implementation.cache_tag]
        parts += [(os.path.basename(p), _file_digest(p)) for p in files]
        _build.append(_sha(*parts))
        return _build[0]


# ----------------------------------------------------------------------------- files
def _atomic_write(path: str, text: str) -> None:
    tmp = f"{path}.tmp.{os.getpid()}.{uuid.uuid4().hex[:12]}"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


def _remove_stale(folder: str, stem: str, pattern_id: str, numba_dir: str | None) -> None:
    """Delete trampolines of `pattern_id` with another fingerprint, and numba's files for them."""
    for old in glob.glob(os.path.join(folder, f"*-{pattern_id}-*.py")):
        old_stem = os.path.basename(old)[:-3]
        if old_stem == stem:
            continue
        victims = [old]
        if numba_dir:
            victims += glob.glob(os.path.join(numba_dir, glob.escape(old_stem) + ".*"))
        for p in victims:
            try:
                os.unlink(p)
                _stats["removed"] += 1
            except OSError:
                pass


_SAFE = re.compile(r"[^A-Za-z0-9_]+")


def _file_text(f, mode, ret_cls, kinds, seeded, src) -> str:
    fn = f.py_func
    names = sorted({k for k in kinds if k != "plain"} | ({ret_cls.__name__} if ret_cls else set()))
    head = [                   # comments: a path may hold characters a string literal would not
        "# enzpy derivative trampoline (generated; deleting it is safe)",
        f"# function: {fn.__module__}.{fn.__qualname__} ({fn.__code__.co_filename})",
        f"# mode: {mode.name}; return annotation: "
        f"{None if ret_cls is None else ret_cls.__name__}; arguments: {', '.join(kinds) or '-'};"
        f" seeded: {seeded}",
        "from enzpy._numba_intrinsic import autodiff_call",
        f"from enzpy.modes import {mode.name} as MODE",
    ]
    if names:
        head.append(f"from enzpy.annotations import {', '.join(names)}")
    head += ["", "F = None   # the differentiated function, set by enzpy._disk_cache on import",
             "", ""]
    return "\n".join(head) + src


def cached_trampoline(f, mode, ret_cls, kinds: tuple, seeded: bool, src: str):
    """The trampoline for `src` compiled with ``njit(cache=True)`` from a file in f's numba cache
    directory, or None when f is not ``cache=True`` or the file cannot be made (the caller then
    builds the in-memory trampoline)."""
    if not caching_enabled(f):
        return None
    try:
        return _cached_trampoline(f, mode, ret_cls, kinds, seeded, src)
    except (_Uncacheable, OSError, RuntimeError):     # unwritable folder, no numba locator, ...
        return None
    except Exception as e:      # noqa: BLE001  a bug here must not break autodiff: say it, go on
        warnings.warn(f"enzpy: the on-disk cache of the derivative trampoline failed "
                      f"({type(e).__name__}: {e}); using the in-memory one", RuntimeWarning,
                      stacklevel=3)
        return None


def _cached_trampoline(f, mode, ret_cls, kinds, seeded, src):
    from numba import njit
    fn = f.py_func
    ident = (fn.__module__, fn.__qualname__, os.path.abspath(fn.__code__.co_filename),
             mode.name, None if ret_cls is None else ret_cls.__name__, kinds, seeded)
    h = hashlib.sha256()
    _function_digest(f, h, set())
    # closures of one source (a factory's products) are different patterns, not stale versions
    pattern_id = _sha("pattern", ident, _closure_digest(fn, set()))[:12]
    # enzpy.api.vector_math changes the derivative numba caches with the trampoline
    options = ("vector_math", api.options()["vector_math"])
    fingerprint = _sha("entry", ident, h.hexdigest(), build_fingerprint(), options, src)[:20]
    stem = f"{_SAFE.sub('_', fn.__qualname__)[:40]}-{pattern_id}-{fingerprint}"

    folder = os.path.join(f._cache.cache_path, "enzpy")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, stem + ".py")
    text = _file_text(f, mode, ret_cls, kinds, seeded, src)
    written = _read(path) != text
    if written:
        _atomic_write(path, text)
        _stats["written"] += 1
    else:
        _stats["loaded"] += 1

    modname = f"_enzpy_trampoline_{pattern_id}_{fingerprint}"
    mod = pytypes.ModuleType(modname)
    mod.__file__ = path
    exec(compile(text, path, "exec"), mod.__dict__)
    mod.F = f                    # numba reads F when it compiles (on a cache miss) the trampoline
    sys.modules[modname] = mod
    t = njit(cache=True)(mod._enzpy_trampoline)
    if written:
        _remove_stale(folder, stem, pattern_id, getattr(t._cache, "cache_path", None))
    return t


__all__ = ["cached_trampoline", "caching_enabled", "build_fingerprint", "stats"]
