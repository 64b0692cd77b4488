# The two commands of README.md. Each installs what it needs first (scripts/ensure-deps.sh).
PY ?= python3
.PHONY: demo test deps

deps:
	@PYTHON=$(PY) ./scripts/ensure-deps.sh

demo: deps
	$(PY) examples/demo.py

test: deps
	$(PY) -m pytest -q tests
