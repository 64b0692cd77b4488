# The two commands of README.md. Each installs what it needs first (scripts/ensure-deps.sh).
PY ?= python3
.PHONY: demo test deps sanitize

deps:
	@PYTHON=$(PY) ./scripts/ensure-deps.sh

demo: deps
	$(PY) examples/demo.py

test: deps
	$(PY) -m pytest -q tests

# The core built with AddressSanitizer + UBSan (errors abort), then the C-ABI, CLI and lit tests against it.
sanitize: deps
	cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DENZPY_SANITIZE=ON -DENZPY_PYTHON=OFF
	cmake --build build/asan --target enzpy-opt
	ENZPY_OPT=$(CURDIR)/build/asan/cpp/enzpy-opt ASAN_OPTIONS=detect_leaks=0 \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 $(PY) -m pytest -q tests/test_c_programs.py tests/test_cli.py
