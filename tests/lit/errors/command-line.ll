; Command-line errors.
; RUN: not %enzpy-opt 2>&1 | FileCheck %s --check-prefix=NOINPUT
; NOINPUT: enzpy-opt: error: no input file (see --help)
; RUN: not %enzpy-opt %s --frobnicate 2>&1 | FileCheck %s --check-prefix=BADOPT
; BADOPT: enzpy-opt: error: unknown option '--frobnicate' (see --help)
; RUN: not %enzpy-opt %s %s 2>&1 | FileCheck %s --check-prefix=TWO
; TWO: enzpy-opt: error: more than one input file
; RUN: not %enzpy-opt %s.does-not-exist 2>&1 | FileCheck %s --check-prefix=MISSING
; MISSING: enzpy-opt: error: cannot read '{{.*}}command-line.ll.does-not-exist':
; RUN: not %enzpy-opt %s -o 2>&1 | FileCheck %s --check-prefix=NOOUT
; NOOUT: enzpy-opt: error: -o needs a file name
;
; and the good cases: --help, --version, a module without marker calls goes through unchanged
; RUN: %enzpy-opt --help | FileCheck %s --check-prefix=HELP
; HELP: usage: enzpy-opt IN.ll|IN.bc|- [-o OUT|-] [-S] [-O0|-O1|-O2|-O3]
; RUN: %enzpy-opt --version | FileCheck %s --check-prefix=VERSION
; VERSION: enzpy-opt {{.*}}(LLVM 22
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s --check-prefix=PLAIN
; PLAIN: define double @sq(double %x)
; PLAIN-NEXT: %r = fmul double %x, %x
; RUN: %enzpy-opt - -S -o - -O0 < %s | FileCheck %s --check-prefix=PLAIN
; bitcode output without -S
; RUN: %enzpy-opt %s -o %t.bc
; RUN: %enzpy-opt %t.bc -S -o - -O0 | FileCheck %s --check-prefix=PLAIN

define double @sq(double %x) {
  %r = fmul double %x, %x
  ret double %r
}
