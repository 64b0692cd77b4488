"""The on-disk cache of the derivatives Python calls use (enzpy._disk_cache): an @njit(cache=True)
function differentiated from Python is not sent to the core again in a new process, and editing it
(or an njit function it calls) invalidates the entry."""
import glob
import os
import subprocess
import sys
import textwrap

import numba
import numpy as np

import enzpy
from enzpy import _disk_cache

# a module whose f (and its callee g) are @njit(cache=True); it prints the results bitwise (hex)
# and how often the core was asked
SCRIPT = """
import numba, numpy as np
from enzpy import (autodiff, Reverse, ReverseWithPrimal, Forward, Active, Duplicated, Const,
                   _numba_derivative)
from helper import g

@numba.njit(cache=True)
def f(x, a):
    return BODY

a = np.array([0.5, -1.25, 2.0])
da = np.zeros(3)
(dx, _), = autodiff(Reverse, f, Active, Active(1.5), Duplicated(a, da))
p, (dx2, _) = autodiff(ReverseWithPrimal, f, Active, Active(1.5), Const(a))
tx, = autodiff(Forward, f, Duplicated(1.5, 1.0), Const(a))
ta, = autodiff(Forward, f, Const(1.5), Duplicated(a, np.array([1.0, 0.0, 0.0])))
print(float(dx).hex(), da.tobytes().hex(), float(p).hex(), float(dx2).hex(), float(tx).hex(),
      float(ta).hex(), _numba_derivative.cache_info()["core_calls"])
"""
HELPER = """
import numba

@numba.njit(cache=True)
def g(x):
    return GBODY
"""


def _write(folder, body, gbody="x * x"):
    (folder / "user_mod.py").write_text(textwrap.dedent(SCRIPT).replace("BODY", body))
    (folder / "helper.py").write_text(textwrap.dedent(HELPER).replace("GBODY", gbody))


def _run(folder, **extra_env):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(folder / "numba_cache"),
               PYTHONPATH=os.pathsep.join([
                   os.path.dirname(os.path.dirname(enzpy.__file__)),    # the enzpy under test
                   str(folder), os.environ.get("PYTHONPATH", "")]), **extra_env)
    proc = subprocess.run([sys.executable, str(folder / "user_mod.py")], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout.split()
    assert len(out) == 7, proc.stdout
    return out[:6], int(out[6])


def _decode(out):
    h = float.fromhex
    return h(out[0]), np.frombuffer(bytes.fromhex(out[1])), h(out[2]), h(out[3]), h(out[4]), \
        h(out[5])


def _trampoline_files(folder):
    return sorted(glob.glob(str(folder / "numba_cache" / "**" / "enzpy" / "*.py"),
                            recursive=True))


def test_second_process_reuses_derivatives_and_edits_invalidate(tmp_path):
    a = np.array([0.5, -1.25, 2.0])
    _write(tmp_path, "np.sin(x) * x * x + (a ** 2).sum() * x")
    first, calls1 = _run(tmp_path)
    assert calls1 > 0
    dx, da, p, dx2, tx, ta = _decode(first)
    assert np.isclose(dx, np.cos(1.5) * 2.25 + 2 * 1.5 * np.sin(1.5) + (a ** 2).sum())
    assert np.allclose(da, 2 * a * 1.5)
    assert np.isclose(p, np.sin(1.5) * 2.25 + (a ** 2).sum() * 1.5)
    assert np.isclose(dx2, dx) and np.isclose(tx, dx)
    assert np.isclose(ta, 2 * a[0] * 1.5)
    files = _trampoline_files(tmp_path)
    assert len(files) == 4            # one per (mode, annotation pattern)

    second, calls2 = _run(tmp_path)
    assert calls2 == 0                # every derivative came from numba's cache
    assert second == first            # bitwise identical

    # edit f: every entry is recomputed, with the new derivative; the stale files are removed
    _write(tmp_path, "np.cos(x) * x + (a ** 3).sum() * x * x")
    third, calls3 = _run(tmp_path)
    assert calls3 > 0
    dx, da, p, dx2, tx, ta = _decode(third)
    assert np.isclose(dx, -np.sin(1.5) * 1.5 + np.cos(1.5) + 2 * 1.5 * (a ** 3).sum())
    assert np.allclose(da, 3 * a ** 2 * 2.25)
    assert np.isclose(dx2, dx) and np.isclose(tx, dx)
    assert np.isclose(ta, 3 * a[0] ** 2 * 2.25)
    new_files = _trampoline_files(tmp_path)
    assert len(new_files) == 4 and not set(new_files) & set(files)

    fourth, calls4 = _run(tmp_path)
    assert (fourth, calls4) == (third, 0)


def test_editing_a_callee_in_another_module_invalidates(tmp_path):
    _write(tmp_path, "g(x) + a[0] * x")
    first, calls1 = _run(tmp_path)
    assert calls1 > 0 and _decode(first)[0] == 2 * 1.5 + 0.5
    assert _run(tmp_path) == (first, 0)
    _write(tmp_path, "g(x) + a[0] * x", gbody="x * x * x")
    third, calls3 = _run(tmp_path)
    assert calls3 > 0
    assert _decode(third)[0] == 3 * 1.5 ** 2 + 0.5


def test_without_cache_true_nothing_is_written(tmp_path):
    _write(tmp_path, "np.sin(x) * x + a[1] * x")
    src = (tmp_path / "user_mod.py").read_text().replace("cache=True", "cache=False")
    (tmp_path / "user_mod.py").write_text(src)
    first, calls1 = _run(tmp_path)
    second, calls2 = _run(tmp_path)
    assert calls1 > 0 and calls2 == calls1 and first == second     # in memory only
    assert _trampoline_files(tmp_path) == []


def test_disable_switch(tmp_path):
    _write(tmp_path, "x * x + a[2]")
    _, calls1 = _run(tmp_path, ENZPY_DISABLE_DISK_CACHE="1")
    _, calls2 = _run(tmp_path, ENZPY_DISABLE_DISK_CACHE="1")
    assert calls1 == calls2 > 0 and _trampoline_files(tmp_path) == []


def test_closures_of_one_source_are_separate_entries(tmp_path):
    """Two @njit(cache=True) closures made by one factory differ only by the closed-over value:
    each keeps its own derivative on disk (neither one's is reused for, or deletes, the other)."""
    (tmp_path / "user_mod.py").write_text(textwrap.dedent("""
        import numba
        from enzpy import autodiff, Reverse, Active, _numba_derivative

        def make(c):
            @numba.njit(cache=True)
            def h(x):
                return c * x * x
            return h

        h2, h3 = make(2.0), make(3.0)
        r2 = autodiff(Reverse, h2, Active, Active(1.0))[0][0]
        r3 = autodiff(Reverse, h3, Active, Active(1.0))[0][0]
        print(r2, r3, 0, 0, 0, 0, _numba_derivative.cache_info()["core_calls"])
    """))
    first, calls1 = _run(tmp_path)
    assert first[:2] == ["4.0", "6.0"] and calls1 == 2
    assert _run(tmp_path) == (first, 0)
    assert len(_trampoline_files(tmp_path)) == 2


def test_caching_enabled_and_fingerprints():
    plain = numba.njit(lambda x: x)
    assert not _disk_cache.caching_enabled(plain)
    assert not _disk_cache.caching_enabled(lambda x: x)
    assert _disk_cache.caching_enabled(numba.njit(cache=True)(_cached_here))
    assert _disk_cache.build_fingerprint() == _disk_cache.build_fingerprint()
    assert _disk_cache._value_digest(np.arange(3.0)) != _disk_cache._value_digest(np.arange(4.0))
    assert _disk_cache._value_digest(object()) is None


def _cached_here(x):
    return x


def test_vector_math_option_is_part_of_the_entry(tmp_path):
    """A trampoline cached with enzpy.api.vector_math on is not reused with it off (its derivative
    may call glibc's vector math), and the other way round."""
    _write(tmp_path, "np.exp(x) * a[0] + x")
    src = (tmp_path / "user_mod.py").read_text().replace(
        "from helper import g",
        "from helper import g\nimport os\nfrom enzpy import api\n"
        "api.vector_math(os.environ['VECTOR_MATH'] == '1')")
    (tmp_path / "user_mod.py").write_text(src)
    on, calls1 = _run(tmp_path, VECTOR_MATH="1")
    again, calls2 = _run(tmp_path, VECTOR_MATH="1")
    off, calls3 = _run(tmp_path, VECTOR_MATH="0")
    assert calls1 > 0 and calls2 == 0           # reused with the same option
    assert calls3 > 0                           # not reused with the other
    assert on == again
    np.testing.assert_allclose(np.array(_decode(off)[2:], dtype=float),
                               np.array(_decode(on)[2:], dtype=float), rtol=1e-14)
