"""Wrong requests raise EnzpyError (or its TypeError/ValueError subclasses) with a message that says
what to do; nothing crashes the interpreter."""
import ctypes
import ctypes.util

import numba
import numpy as np
import pytest
from numba import njit

from enzpy import (Active, BatchDuplicated, Duplicated, EnzpyError, Forward,
                   MixedDuplicated, Reverse, autodiff, gradient, jacobian, shadow_like)


@njit
def sq(x):
    return x * x


@njit
def total(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * a[i]
    return s


def test_plain_python_function():
    def plain(x):
        return x * x

    with pytest.raises(TypeError, match="must be a numba.njit function"):
        autodiff(Reverse, plain, Active, Active(3.0))
    with pytest.raises(EnzpyError, match="must be a numba.njit function"):
        gradient(Reverse, plain, 3.0)


def test_not_a_mode():
    with pytest.raises(TypeError, match="must be a mode"):
        autodiff("reverse", sq, Active, Active(3.0))


@pytest.mark.parametrize("shadow, match", [
    (np.zeros(4), "shape"),
    (np.zeros((3, 1)), "shape"),
    (np.zeros(3, dtype=np.float32), "dtype"),
    (np.zeros(6)[::2], "strides"),
    ([0.0, 0.0, 0.0], "must be an array"),
])
def test_shadow_mismatch(shadow, match):
    with pytest.raises((TypeError, ValueError), match=match) as info:
        autodiff(Reverse, total, Active, Duplicated(np.ones(3), shadow))
    assert isinstance(info.value, EnzpyError)


def test_shadow_is_the_primal():
    a = np.ones(3)
    with pytest.raises(ValueError, match="primal array itself"):
        autodiff(Reverse, total, Active, Duplicated(a, a))
    with pytest.raises(ValueError, match="primal array itself"):
        autodiff(Reverse, total, Active, Duplicated(a, a[:]))


def test_read_only_shadow():
    da = np.zeros(3)
    da.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        autodiff(Reverse, total, Active, Duplicated(np.ones(3), da))


def test_active_on_array():
    with pytest.raises(TypeError, match="Duplicated"):
        autodiff(Reverse, total, Active, Active(np.ones(3)))


def test_duplicated_float_in_reverse_mode():
    with pytest.raises(TypeError, match="in reverse mode pass Active"):
        autodiff(Reverse, sq, Active, Duplicated(3.0, 1.0))


def test_active_in_forward_mode_and_integer_active():
    with pytest.raises(TypeError, match="forward mode"):
        autodiff(Forward, sq, Active(3.0))
    with pytest.raises(TypeError, match="Active"):
        autodiff(Forward, sq, Active, Duplicated(3.0, 1.0))
    with pytest.raises(TypeError, match=r"Active\(3.0\)"):
        autodiff(Reverse, sq, Active, Active(3))


def test_wrong_return_annotations():
    @njit
    def fill(a):
        a[0] = 1.0

    with pytest.raises(TypeError, match="returns None; use Const"):
        autodiff(Reverse, fill, Active, Duplicated(np.ones(2), np.zeros(2)))
    with pytest.raises(TypeError, match="class Active was given where a value"):
        autodiff(Reverse, sq, Active, Active)


def test_batch_annotation_errors_in_njit():
    @njit
    def inside(x):
        return autodiff(Forward, sq, BatchDuplicated(x, 1.0))

    with pytest.raises((TypeError, numba.core.errors.TypingError), match="tuple of shadows"):
        inside(1.0)


def test_wrong_argument_count():
    with pytest.raises(TypeError, match="takes 1 arguments, 2 given"):
        autodiff(Reverse, sq, Active, Active(1.0), Active(2.0))


def test_array_return_in_reverse_mode():
    @njit
    def twice(a):
        return 2.0 * a

    with pytest.raises(EnzpyError, match="returns a 1-d float64 array"):
        autodiff(Reverse, twice, Active, Duplicated(np.ones(2), np.zeros(2)))


_libm = ctypes.CDLL(ctypes.util.find_library("m"))
_cbrt = _libm.cbrt
_cbrt.restype, _cbrt.argtypes = ctypes.c_double, [ctypes.c_double]


@njit
def calls_c(x):
    return _cbrt(x) * x          # a ctypes call: an indirect call the pass cannot see into


def test_unsupported_construct_names_the_operation():
    assert calls_c(8.0) == 16.0
    with pytest.raises(EnzpyError) as info:
        autodiff(Reverse, calls_c, Active, Active(8.0))
    msg = str(info.value)
    assert "cannot differentiate" in msg and "test_numba_errors.calls_c" in msg
    assert "test_numba_errors.py:" in msg                  # the Python file and line
    assert "indirect call" in msg and "instruction" in msg  # the operation
    with pytest.raises(EnzpyError, match="indirect call"):
        autodiff(Forward, calls_c, Duplicated(8.0, 1.0))


def test_errors_in_njit_callers_are_enzpy_errors():
    @njit
    def user(x):
        return autodiff(Reverse, sq, Active, Duplicated(x, 1.0))

    with pytest.raises(TypeError, match="in reverse mode pass Active"):
        user(2.0)

    @njit
    def user2(a, da):
        return autodiff(Reverse, total, Active, Duplicated(a, da))

    ro = np.zeros(3)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        user2(np.ones(3), ro)


def test_jacobian_and_gradient_argument_errors():
    with pytest.raises(TypeError, match="Forward or Reverse"):
        jacobian("reverse", sq, np.ones(2))
    with pytest.raises(TypeError, match="float or a float array"):
        jacobian(Reverse, sq, "x")


def test_shadow_like_matches_strides():
    x = np.arange(24.0).reshape(4, 6)[::-2, 1::3]
    s = shadow_like(x, 2.0)
    assert s.shape == x.shape and s.strides == x.strides and (s == 2.0).all()
    assert not np.shares_memory(s, x)


def test_forward_rule_with_an_array_tangent_for_a_float_result():
    """A forward rule whose pair does not fit its function (an array tangent for a float result)
    is an EnzpyTypeError naming the rule, not numba's TypingError."""
    from enzpy import EnzpyTypeError, rules

    @njit
    def h_bad_rule(x):
        return x[0] * x[1]

    @njit
    def h_bad_rule_fwd(x, dx):
        return h_bad_rule(x), dx * 2.0

    rules.forward(h_bad_rule, h_bad_rule_fwd)

    @njit
    def user(x):
        return h_bad_rule(x) + 1.0

    with pytest.raises(EnzpyTypeError, match="the forward rule for .*h_bad_rule must return "
                       r"\(result, tangent\) as two numbers .* its tangent is array"):
        autodiff(Forward, user, Duplicated(np.ones(2), np.ones(2)))


def test_results_without_a_default_return_annotation():
    """Reverse mode picks Active only for a float result; a tuple or an array result (and in
    forward mode a tuple holding an array) needs an explicit annotation instead of a silent
    Const with zero derivatives; results without a derivative (int) stay Const."""
    import math
    from enzpy import Const, EnzpyTypeError, ForwardWithPrimal, autodiff_thunk

    @njit
    def polar(r, th):
        return r * math.cos(th), r * math.sin(th)

    @njit
    def twice(a):
        return 2.0 * a

    @njit
    def pair(a):
        return a * 2.0, np.sum(a)

    @njit
    def ires(x):
        return int(x * 10.0)

    with pytest.raises(EnzpyTypeError, match=r"polar .*returns UniTuple\(float64 x 2\) and no "
                       "return annotation was given: an Active result is seeded per member"):
        autodiff(Reverse, polar, Active(2.0), Active(0.3))
    with pytest.raises(EnzpyTypeError, match="twice .*returns a 1-d float64 array and no return "
                       "annotation was given: reverse mode cannot seed an array result"):
        autodiff(Reverse, twice, Duplicated(np.ones(2), np.zeros(2)))
    with pytest.raises(EnzpyTypeError, match=r"pair .*returns Tuple\(array\(float64, 1d, C\), "
                       r"float64\) and no return annotation was given: forward mode"):
        autodiff(Forward, pair, Duplicated(np.ones(2), np.ones(2)))
    with pytest.raises(EnzpyTypeError, match="no return annotation was given"):
        autodiff(ForwardWithPrimal, pair, Duplicated(np.ones(2), np.ones(2)))

    @njit
    def polar_in_njit(r, th):
        return autodiff(Reverse, polar, Active(r), Active(th))

    with pytest.raises(EnzpyTypeError, match="no return annotation was given"):
        polar_in_njit(2.0, 0.3)
    # explicit annotations keep working, as do the seeded tuple result and the defaults
    assert autodiff(Reverse, polar, Const, Active(2.0), Active(0.3)) == ((0.0, 0.0),)
    (adj,) = autodiff_thunk(Reverse, polar, Active, Active, Active)(
        Const(polar), Active(2.0), Active(0.3), (0.0, 1.0))
    assert adj == pytest.approx((math.sin(0.3), 2.0 * math.cos(0.3)))
    a, da = np.array([1.0, 2.0]), np.zeros(2)
    assert autodiff(Reverse, twice, Const, Duplicated(a, da)) == ((None,),)
    assert autodiff(ForwardWithPrimal, pair, Const, Duplicated(a, np.ones(2)))[0][1] == 3.0
    assert autodiff(Reverse, ires, Active(2.0)) == ((0.0,),)            # int result: Const
    np.testing.assert_allclose(autodiff(Forward, twice, Duplicated(a, np.ones(2)))[0], [2.0, 2.0])
    assert autodiff(Forward, polar, Duplicated(2.0, 1.0), 0.3)[0] == pytest.approx(
        (math.cos(0.3), math.sin(0.3)))


def test_float16_is_not_supported():
    from enzpy import EnzpyTypeError
    with pytest.raises(EnzpyTypeError, match="argument 'x': float16 is not supported.*float32 "
                       "and float64 are"):
        autodiff(Reverse, sq, Active, Active(np.float16(2)))
    with pytest.raises(EnzpyTypeError, match="argument 'a': float16 is not supported"):
        autodiff(Reverse, sum_cubes_for_errors, Active,
                 Duplicated(np.ones(2, np.float16), np.zeros(2, np.float16)))
    assert autodiff(Reverse, sq, Active, Active(np.float32(2))) == ((4.0,),)


@njit
def sum_cubes_for_errors(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] ** 3
    return s


def test_const_function_is_the_function():
    """autodiff(mode, Const(f), ...), as Enzyme.jl takes it (and thunks already did), from
    Python and inside @njit."""
    from enzpy import Const

    a, da = np.array([1.0, 2.0]), np.zeros(2)
    assert autodiff(Reverse, Const(sum_cubes_for_errors), Active, Duplicated(a, da)) == ((None,),)
    assert da.tolist() == [3.0, 12.0]
    assert autodiff(Forward, Const(sq), Duplicated(3.0, 1.0)) == (6.0,)

    @njit
    def inside(x):
        return autodiff(Reverse, Const(sq), Active, Active(x))

    assert inside(3.0) == ((6.0,),)
