; The marker call names a function that is only declared: there is no body to differentiate.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: __enzyme_autodiff names @external_fn, which is not defined in this module: instruction `%d = call double (ptr, ...) @__enzyme_autodiff(ptr @external_fn, double %x)` in function @grad

declare double @__enzyme_autodiff(ptr, ...)
declare double @external_fn(double)

define double @grad(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @external_fn, double %x)
  ret double %d
}
