class EnzpyError(Exception):
    """Raised for anything enzpy cannot differentiate or was asked wrongly: the message names the function,
    the argument and, for IR, the instruction and the source line when debug info has it."""


class EnzpyTypeError(EnzpyError, TypeError):
    """A wrong kind of argument: not an njit function, ``Active`` on an array, a shadow of another dtype.
    Catchable as :class:`EnzpyError` and as :class:`TypeError`."""


class EnzpyValueError(EnzpyError, ValueError):
    """A wrong argument value: a shadow of another shape or strides, the primal as its own shadow, a read-only
    shadow. Catchable as :class:`EnzpyError` and as :class:`ValueError`."""


class EnzpyWarning(UserWarning):
    """What the analyses could not decide statically while building a derivative (Enzyme's type
    warnings): a pointer whose activity is decided at run time. Silence with
    ``enzpy.api.type_warning(False)``."""
