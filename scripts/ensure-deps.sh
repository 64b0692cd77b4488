#!/usr/bin/env bash
# Installs what enzpy needs on a fresh Debian 12 machine, skipping whatever is already there:
# Debian's LLVM 22 (llvm-22-dev, clang-22, llvm-22-tools for FileCheck/lit), ccache, then enzpy itself
# (pip install ., which builds the C++ core, the CLI `enzpy-opt` and the opt plugin) with its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for p in llvm-22-dev clang-22 llvm-22-tools ccache ninja-build; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "[enzpy] apt-get install ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
# rebuild when the sources changed since the last install
stamp=build/.installed-stamp
if [ ! -f "$stamp" ] || [ -n "$(find cpp python CMakeLists.txt pyproject.toml -newer "$stamp" -print -quit)" ] \
   || ! command -v enzpy-opt >/dev/null || ! "$PY" -c "import enzpy._core" 2>/dev/null; then
  echo "[enzpy] pip install .[test]"
  "$PY" -m pip install -q --upgrade-strategy only-if-needed ".[test]"
  mkdir -p build && touch "$stamp"
fi
