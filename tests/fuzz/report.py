"""docs/fuzzing.md is shared by the fuzzers: each writes its own section, between
``<!-- BEGIN name -->`` and ``<!-- END name -->``, and leaves the rest of the file as it is."""
from __future__ import annotations

from pathlib import Path

TITLE = """# Fuzzing

Two fuzzers, both under tests/fuzz: a differential one for derivatives of random `@njit` programs
(tests/fuzz/run.py; 300 programs in the test suite, tests/test_fuzz.py) and one for malformed
input to the `enzpy-opt` CLI (tests/fuzz/malformed.py; 150 inputs in tests/test_cli.py). The
sections below are written by the tools themselves (`--out` / `--md`).
"""


def update_section(path, name: str, text: str, title: str = TITLE):
    """Replace (or append) the block of section `name` in the markdown file `path`."""
    path = Path(path)
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    block = f"{begin}\n{text.strip()}\n{end}"
    old = path.read_text() if path.exists() else title
    if begin in old and end in old:
        a, b = old.index(begin), old.index(end) + len(end)
        new = old[:a] + block + old[b:]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new)
