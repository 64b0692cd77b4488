# lit configuration for enzpy's FileCheck tests.
#
#   ENZPY_OPT=build/dev/cpp/enzpy-opt lit -v tests/lit
#
# Substitutions:
#   %enzpy-opt  the tool under test: $ENZPY_OPT, else `enzpy-opt` on PATH,
#               else build/*/cpp/enzpy-opt in this repository
#   FileCheck, not   from LLVM 22 (/usr/lib/llvm-22/bin, or $LLVM_TOOLS_DIR); a plain
#               `FileCheck` on PATH may belong to an older LLVM
#   %clang      clang-22
import glob
import os
import shutil

import lit.formats

config.name = "enzpy"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".ll"]
config.excludes = ["Inputs", "utils"]
config.test_source_root = os.path.dirname(__file__)

repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# temporary files (%t) go to build/lit (ignored by git), or to $ENZPY_LIT_OUTPUT
config.test_exec_root = os.environ.get("ENZPY_LIT_OUTPUT") or os.path.join(repo, "build", "lit")


def find_enzpy_opt():
    env = os.environ.get("ENZPY_OPT")
    if env:
        if not (os.path.isfile(env) and os.access(env, os.X_OK)):
            lit_config.fatal("ENZPY_OPT=%s is not an executable file" % env)
        return os.path.abspath(env)
    found = shutil.which("enzpy-opt")
    if found:
        return found
    for c in sorted(glob.glob(os.path.join(repo, "build", "*", "cpp", "enzpy-opt"))):
        if os.access(c, os.X_OK):
            return c
    lit_config.fatal("enzpy-opt not found: set ENZPY_OPT, put it on PATH, or build the project")


def llvm_tool(name):
    for d in (os.environ.get("LLVM_TOOLS_DIR"), "/usr/lib/llvm-22/bin"):
        if d and os.access(os.path.join(d, name), os.X_OK):
            return os.path.join(d, name)
    found = shutil.which(name + "-22")
    if found:
        return found
    lit_config.fatal("LLVM 22 %s not found (looked in $LLVM_TOOLS_DIR and /usr/lib/llvm-22/bin)" % name)


enzpy_opt = find_enzpy_opt()
filecheck = llvm_tool("FileCheck")
not_tool = llvm_tool("not")
clang = shutil.which("clang-22") or llvm_tool("clang")

lit_config.note("enzpy-opt: " + enzpy_opt)
config.substitutions.append(("%enzpy-opt", enzpy_opt))
config.substitutions.append(("%clang", clang))
# whole words only, so that e.g. --check-prefix or a file name containing "not" is left alone
config.substitutions.append((r"(?<![-\w/.])FileCheck\b", filecheck))
config.substitutions.append((r"(?<![-\w/.%])not(?=\s)", not_tool))

config.environment["PATH"] = os.pathsep.join(
    [os.path.dirname(filecheck), config.environment.get("PATH", os.environ.get("PATH", ""))]
)
