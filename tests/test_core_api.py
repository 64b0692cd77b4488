"""enzpy._core on textual IR, run with llvmlite's JIT: batched forward mode against scalar sweeps, the
dot-product test between forward and reverse, and errors as exceptions (the interpreter survives)."""
import ctypes
import math

import numpy as np
import pytest

core = pytest.importorskip("enzpy._core")
llvm = pytest.importorskip("llvmlite.binding")

# f: R^3 -> R^2 through memory, with a call, a loop and libm
IR = r"""
declare double @llvm.sin.f64(double)
declare double @llvm.exp.f64(double)
define double @h(double %a, double %b) {
  %s = call double @llvm.sin.f64(double %a)
  %m = fmul double %s, %b
  ret double %m
}
define void @f(ptr %y, ptr %x, i64 %n) {
entry:
  %x0 = load double, ptr %x
  %p1 = getelementptr double, ptr %x, i64 1
  %x1 = load double, ptr %p1
  %p2 = getelementptr double, ptr %x, i64 2
  %x2 = load double, ptr %p2
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %acc = phi double [ %x0, %entry ], [ %acc1, %loop ]
  %t = call double @h(double %acc, double %x1)
  %e = call double @llvm.exp.f64(double %x2)
  %u = fmul double %t, %e
  %acc1 = fadd double %u, %acc
  %i1 = add i64 %i, 1
  %c = icmp slt i64 %i1, %n
  br i1 %c, label %loop, label %done
done:
  store double %acc1, ptr %y
  %q = getelementptr double, ptr %y, i64 1
  %z = fmul double %acc1, %x1
  store double %z, ptr %q
  ret void
}
"""

_engines = []  # keep JIT engines alive


def jit(module_text, wrapper_text, name):
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    mod = llvm.parse_assembly(module_text + wrapper_text)
    tm = llvm.Target.from_default_triple().create_target_machine()
    ee = llvm.create_mcjit_compiler(mod, tm)
    ee.finalize_object()
    _engines.append(ee)
    return ee.get_function_address(name)


def ptr(a):
    return a.ctypes.data_as(ctypes.c_void_p)


def primal(x, n=4):
    y = np.zeros(2)
    addr = jit(IR, "", "f")
    ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64)(addr)(ptr(y), ptr(x), n)
    return y


def forward(x, vs, n=4):
    """Batched JVPs: one sweep, len(vs) directions."""
    w = len(vs)
    out, name = core.differentiate(IR, "f", "forward", ["dup", "dup", "const"], "const", False, 2, w)
    params = ", ".join(["ptr %y"] + [f"ptr %dy{i}" for i in range(w)] + ["ptr %x"] +
                       [f"ptr %dx{i}" for i in range(w)] + ["i64 %n"])
    wrapper = f"""
define void @wrap({params}) {{
  call {{}} @{name}({params})
  ret void
}}
"""
    addr = jit(out, wrapper, "wrap")
    fn = ctypes.CFUNCTYPE(None, *([ctypes.c_void_p] * (2 + 2 * w)), ctypes.c_int64)(addr)
    y = np.zeros(2)
    dys = [np.zeros(2) for _ in range(w)]
    dxs = [np.array(v, dtype=float) for v in vs]
    fn(ptr(y), *[ptr(d) for d in dys], ptr(x.copy()), *[ptr(d) for d in dxs], n)
    return np.array(dys)


def reverse(x, w_seed, n=4):
    out, name = core.differentiate(IR, "f", "reverse", ["dup", "dup", "const"], "const", False, 2)
    wrapper = f"""
define void @wrap(ptr %y, ptr %dy, ptr %x, ptr %dx, i64 %n) {{
  call {{}} @{name}(ptr %y, ptr %dy, ptr %x, ptr %dx, i64 %n)
  ret void
}}
"""
    addr = jit(out, wrapper, "wrap")
    fn = ctypes.CFUNCTYPE(None, *([ctypes.c_void_p] * 4), ctypes.c_int64)(addr)
    y, dy, dx = np.zeros(2), np.array(w_seed, dtype=float), np.zeros(3)
    fn(ptr(y), ptr(dy), ptr(x.copy()), ptr(dx), n)
    return dx, dy


X = np.array([0.3, -0.8, 0.25])


def fd_jacobian(x, h=1e-6):
    J = np.zeros((2, 3))
    for j in range(3):
        e = np.zeros(3)
        e[j] = h
        J[:, j] = (primal(x + e) - primal(x - e)) / (2 * h)
    return J


@pytest.mark.parametrize("width", [1, 2, 3, 8])
def test_batched_forward_matches_scalar_sweeps(width):
    rng = np.random.default_rng(width)
    vs = rng.standard_normal((width, 3))
    batched = forward(X, vs)
    scalar = np.array([forward(X, [v])[0] for v in vs])
    np.testing.assert_allclose(batched, scalar, rtol=0, atol=0)  # the same arithmetic, bit for bit
    np.testing.assert_allclose(batched, (fd_jacobian(X) @ vs.T).T, rtol=1e-6, atol=1e-8)


def test_reverse_vjp_and_dot_product_test():
    rng = np.random.default_rng(7)
    v, w = rng.standard_normal(3), rng.standard_normal(2)
    jv = forward(X, [v])[0]
    jtw, dy_after = reverse(X, w)
    assert math.isclose(jv @ w, v @ jtw, rel_tol=1e-12)
    np.testing.assert_allclose(jtw, fd_jacobian(X).T @ w, rtol=1e-6)
    np.testing.assert_array_equal(dy_after, 0.0)  # y was overwritten: its old value had no influence


def test_errors_are_exceptions_not_crashes():
    with pytest.raises(core.CoreError, match="cannot parse"):
        core.differentiate("define double @f(", "f", "reverse", ["active"], "active")
    with pytest.raises(core.CoreError, match="no function @g"):
        core.differentiate(IR, "g", "reverse", [], "const")
    with pytest.raises(core.CoreError, match="3 parameters but 1"):
        core.differentiate(IR, "f", "reverse", ["dup"], "const")
    bad = "declare double @mystery(double)\ndefine double @f(double %x) {\n" \
          "  %y = call double @mystery(double %x)\n  ret double %y\n}\n"
    with pytest.raises(core.CoreError, match="no derivative rule for external function @mystery"):
        core.differentiate(bad, "f", "reverse", ["active"], "active")
    with pytest.raises(core.CoreError, match="between 1 and 64"):
        core.differentiate(IR, "f", "reverse", ["dup", "dup", "const"], "const", False, 2, 0)
