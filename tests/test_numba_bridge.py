"""The numba bridge's internals: numba ABI facts it relies on, the activity mapping, the request it
sends to the core, isolation of the derivative module, and a numba pitfall that motivates it."""
import glob
import os

import llvmlite.binding as llb
import llvmlite.ir as lir
import numba
import numpy as np
import pytest
from numba import njit, types
from numba.core import cgutils
from numba.core.extending import intrinsic
from numba.core.registry import cpu_target

import enzpy
from enzpy import Active, Duplicated, Reverse, autodiff
from enzpy import _core, _numba_derivative
from enzpy._numba_plan import ArgSpec, lltype_str, plan_call
from enzpy._numba_primal import get_primal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CTX = cpu_target.target_context


def test_llvm_major_is_the_cores():
    assert llb.llvm_version_info[0] == enzpy.LLVM_MAJOR == _core.llvm_major == 22
    enzpy.check_llvm_version()


def _llvm_params(disp, *args):
    disp(*args)
    pr = get_primal(disp, disp.signatures[-1])
    fn = llb.parse_assembly(pr.ir).get_function(pr.name)
    return str(fn.global_value_type.get_function_return()), [str(a.type) for a in fn.arguments]


@pytest.mark.parametrize("arg,expanded", [
    (1.5, ["double"]),
    (np.float32(1.5), ["float"]),
    (3, ["i64"]),
    ((1.0, 2.0), ["double", "double"]),
    (np.ones(3), ["ptr", "ptr", "i64", "i64", "ptr", "i64", "i64"]),
    (np.ones((2, 3), order="F"), ["ptr", "ptr", "i64", "i64", "ptr"] + ["i64"] * 4),
    (np.ones((4, 6))[::2, ::3], ["ptr", "ptr", "i64", "i64", "ptr"] + ["i64"] * 4),
    (np.ones((2, 2, 2)), ["ptr", "ptr", "i64", "i64", "ptr"] + ["i64"] * 6),
])
def test_native_signature_expansion(arg, expanded):
    @njit
    def ident(v):
        return v

    ret, params = _llvm_params(ident, arg)
    assert ret == "i32"                              # status code
    assert params == ["ptr", "ptr"] + expanded       # retptr, excinfo, args...


def test_plan_maps_annotations_to_llvm_params():
    arr2 = types.Array(types.float64, 2, "F")
    plan = plan_call(CTX, "reverse", False, "Active",
                     [ArgSpec("Duplicated", arr2, arr2, "a"), ArgSpec("Active", types.float64),
                      ArgSpec("Const", types.int64)], types.float64)
    assert plan.core_args == ("dup", "const",                            # retptr, excinfo
                              "const", "const", "const", "const", "dup",  # meminfo..data
                              "const", "const", "const", "const",        # shape, strides
                              "active", "const")
    assert lltype_str(plan.deriv_fnty) == (
        "{ i32, double } (ptr, ptr, ptr, ptr, ptr, i64, i64, ptr, ptr, i64, i64, i64, i64,"
        " double, i64)")
    assert str(plan.out_type) == "UniTuple(Tuple(none, float64, none) x 1)"
    fwd = plan_call(CTX, "forward", True, None,
                    [ArgSpec("Duplicated", types.float64, types.float64),
                     ArgSpec("Duplicated", types.UniTuple(types.float32, 2),
                             types.UniTuple(types.float32, 2))], types.float64)
    assert fwd.core_args == ("dup", "const", "dup", "dup", "dup")
    assert lltype_str(fwd.deriv_fnty) == ("{ i32 } (ptr, ptr, ptr, double, double, float, float,"
                                          " float, float)")
    assert str(fwd.out_type) == "UniTuple(float64 x 2)"
    noneed = plan_call(CTX, "reverse", False, "Const",
                       [ArgSpec("DuplicatedNoNeed", types.float32[:], types.float32[:])],
                       types.none)
    assert noneed.core_args == ("const", "const", "const", "const", "const", "const",
                                "dupnoneed", "const", "const")


def test_bridge_sends_core_request(monkeypatch):
    seen = []

    class Spy:
        CoreError = _core.CoreError
        jit_compile = staticmethod(_core.jit_compile)

        @staticmethod
        def differentiate(ir, fn, mode, args, ret, with_primal, opt_level, *rest):
            seen.append((fn, mode, args, ret, with_primal, opt_level))
            assert "_ZN7cpython" not in ir and "@cfunc." not in ir     # wrappers stripped
            return _core.differentiate(ir, fn, mode, args, ret, with_primal, opt_level)

    monkeypatch.setattr(_numba_derivative, "load_core", lambda: Spy)

    @njit
    def fresh(a):
        return (a * a).sum()

    a = np.ones((2, 3), order="F")
    da = np.zeros_like(a)
    assert autodiff(Reverse, fresh, Active, Duplicated(a, da)) == ((None,),)
    fn, mode, args, ret, with_primal, opt = seen[0]
    # the IR is compiled for enzpy alone (numba's mangled name of fresh, with its own abi tags):
    # numba's dispatcher has no overload, no machine code, until fresh itself is called
    assert fn.startswith("_ZN") and "freshB" in fn and fn.endswith("E5ArrayIdLi2E1F7mutable7alignedE")
    assert not fresh.overloads
    assert (mode, ret, with_primal, opt) == ("reverse", "const", True, 2)
    assert args == ["dup", "const", "const", "const", "const", "const", "dup"] + ["const"] * 4
    np.testing.assert_array_equal(da, 2 * a)


def test_core_signature_mismatch_is_reported(monkeypatch):
    class Bad:
        CoreError = _core.CoreError

        @staticmethod
        def differentiate(ir, fn, mode, args, ret, with_primal, opt_level, *rest):
            return _core.differentiate(ir, fn, mode, args[:-1] + ["const"], ret, with_primal,
                                       opt_level)

    monkeypatch.setattr(_numba_derivative, "load_core", lambda: Bad)

    @njit
    def fresh_square(x):
        return x * x

    with pytest.raises(enzpy.EnzpyError, match="bridge expects"):
        autodiff(Reverse, fresh_square, Active, Active(1.0))


def test_isolated_module_has_one_external_definition():
    @njit
    def helper(a):
        return (a * a).sum()

    @njit
    def via_callee(a):
        return helper(a) + a[0]

    arr = types.Array(types.float64, 1, "C")
    primal = get_primal(via_callee, (arr,))
    plan = plan_call(CTX, "reverse", False, None, [ArgSpec("Duplicated", arr, arr, "a")],
                     primal.restype)
    d = _numba_derivative.get_derivative(primal, plan)
    assert d.name.startswith("__enzpy_reverse_")
    mod = llb.parse_assembly(d.text)
    defined = [f for f in mod.functions if not f.is_declaration]
    assert [f.name for f in defined if f.linkage == llb.Linkage.external] == [d.name]


def test_numba_pitfall_same_symbol_two_bodies_is_silently_merged():
    """Why derivatives are renamed per request: numba links libraries as linkonce_odr, and the
    first body of a symbol wins."""
    def make(factor):
        text = (f"define double @enzpy_test_same_name(double %x) {{\n"
                f"  %r = fmul double %x, {factor}\n  ret double %r\n}}\n")

        @intrinsic
        def call(typingctx, x):
            def codegen(context, builder, sig, args):
                lib = context.codegen().create_library("pitfall")
                lib.add_llvm_module(llb.parse_assembly(text))
                context.active_code_library.add_linking_library(lib)
                f = cgutils.get_or_insert_function(
                    builder.module, lir.FunctionType(lir.DoubleType(), [lir.DoubleType()]),
                    "enzpy_test_same_name")
                return builder.call(f, args)
            return types.float64(x), codegen
        return call

    c2, c3 = make("2.0"), make("3.0")

    @njit
    def both(x):
        return c2(x), c3(x)

    assert both(1.0) == (2.0, 2.0)      # NOT (2.0, 3.0): the second body is dropped


def test_ir_samples_parse_and_define_native_function():
    files = sorted(glob.glob(os.path.join(ROOT, "tests", "numba_ir_samples", "*.ll")))
    assert {"scalar_square.ll", "sum_squares_1d.ll", "alloc_expr.ll", "matmul.ll"} <= {
        os.path.basename(f) for f in files}
    for f in files:
        text = open(f).read()
        native = text.splitlines()[1].split("native: ")[1].strip()
        mod = llb.parse_assembly(text)
        mod.verify()
        assert not mod.get_function(native).is_declaration


def test_core_errors_become_enzpy_errors():
    with pytest.raises(_core.CoreError):
        _core.differentiate("define double @f(double %x) {\n  ret double %x\n}\n", "g",
                            "reverse", ["active"])

    from test_numba_errors import calls_c          # a ctypes call: the core cannot see into it

    with pytest.raises(enzpy.EnzpyError) as info:
        autodiff(Reverse, calls_c, Active, Active(2.0))
    assert not isinstance(info.value, _core.CoreError)


@njit
def _stencil_called_first(u, v):
    for i in range(1, u.shape[0] - 1):
        v[i] = u[i - 1] - 2.0 * u[i] + u[i + 1]
    return v[1]


def test_called_primal_is_differentiated_from_ir_before_codegen():
    """numba's code generation runs CodeGenPrepare and loop strength reduction on the module in
    place; an overload compiled before differentiation is taken from the snapshot enzpy keeps of
    the module before that (docs/internals-numba.md, section 1), so its IR is the one a fresh
    compile for enzpy gives, and so is the derivative."""
    from enzpy import _numba_primal
    u, v = np.linspace(0.0, 1.0, 50) ** 2, np.zeros(50)
    _stencil_called_first(u, v)
    argtypes = (numba.typeof(u), numba.typeof(v))
    lib = _stencil_called_first.overloads[argtypes].library
    assert "sunkaddr" in lib.get_llvm_str()          # CodeGenPrepare's sunk addresses
    assert getattr(lib, _numba_primal._SNAPSHOT_ATTR, None) is not None
    ir = get_primal(_stencil_called_first, argtypes).ir
    assert "sunkaddr" not in ir
    fn = _stencil_called_first.overloads[argtypes].fndesc.mangled_name
    body = ir[ir.index(f"@{fn}("):]
    body = body[:body.index("\n}\n")]
    assert "lsr.iv" not in body                       # the function's own loops: not strength-reduced
    du, dv = np.zeros(50), np.zeros(50)
    dv[1:-1] = np.arange(1.0, 49.0)
    autodiff(Reverse, _stencil_called_first, Active, Duplicated(u, du), Duplicated(v, dv))
    want = np.zeros(50)
    for i in range(1, 49):
        g = i + (1.0 if i == 1 else 0.0)             # v[i]'s seed; v[1] also gets the return's 1
        want[i - 1] += g
        want[i] -= 2.0 * g
        want[i + 1] += g
    np.testing.assert_allclose(du, want, rtol=0, atol=1e-12)


def test_external_function_without_rule_says_how_to_give_it_one():
    """enzpy.rules takes njit functions, so for a C function numba calls (math.gamma: numba_gamma) the
    message says to put the rule on an njit function around the call."""
    import math

    from enzpy import EnzpyError

    @numba.njit
    def f(x):
        return math.gamma(x) * x

    with pytest.raises(EnzpyError, match=r"@numba_gamma \(call it from an @njit function of your own and "
                                         r"give that one a rule with enzpy.rules"):
        autodiff(Reverse, f, Active, Active(2.5))
