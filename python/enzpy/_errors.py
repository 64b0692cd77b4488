class EnzpyError(Exception):
    """Raised for anything enzpy cannot differentiate or was asked wrongly: the message names the function,
    the argument and, for IR, the instruction and the source line when debug info has it."""
