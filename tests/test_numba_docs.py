"""The examples of docs/user-guide.md and the docstrings of the enzpy modules run as written."""
import doctest
import os
import re

import pytest

import enzpy
from enzpy import _autodiff, _gradient, _llvm_check, annotations, modes

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_user_guide_examples_run():
    text = open(os.path.join(ROOT, "docs", "user-guide.md")).read()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 10
    ns = {"__name__": "__main__"}
    for i, block in enumerate(blocks):
        try:
            exec(compile(block, f"user-guide.md block {i}", "exec"), ns)
        except Exception as e:                      # pragma: no cover - shows which block failed
            pytest.fail(f"user-guide.md block {i} failed: {type(e).__name__}: {e}\n{block}")


@pytest.mark.parametrize("module", [enzpy, _autodiff, _gradient, _llvm_check, annotations, modes],
                         ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
