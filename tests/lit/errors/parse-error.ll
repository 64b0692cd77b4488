; Malformed IR that does not parse: the parser's diagnostic, with file, line and column.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: cannot parse '{{.*}}parse-error.ll': {{.*}}parse-error.ll:[[@LINE+3]]:24: error: use of undefined value '%undefined_value'

define double @f(double %x) {
  %r = fmul double %x, %undefined_value
  ret double %r
}
