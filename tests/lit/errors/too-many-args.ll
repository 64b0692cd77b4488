; More arguments than parameters.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: too many arguments to __enzyme_autodiff for @f (1 left over): instruction `%d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f, double %x, double %y, double 1.000000e+00)` in function @grad

declare { double, double } @__enzyme_autodiff(ptr, ...)

define double @f(double %x, double %y) {
  %r = fmul double %x, %y
  ret double %r
}

define { double, double } @grad(double %x, double %y) {
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f, double %x, double %y, double 1.0)
  ret { double, double } %d
}
