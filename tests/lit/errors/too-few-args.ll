; Fewer arguments after the function than it has parameters.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: too few arguments to __enzyme_autodiff: missing the value for parameter 1 of @f: instruction `%d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, double %x)` in function @grad

declare double @__enzyme_autodiff(ptr, ...)

define double @f(double %x, double %y) {
  %r = fmul double %x, %y
  ret double %r
}

define double @grad(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, double %x)
  ret double %d
}
