; Forward mode: the function is only declared.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: __enzyme_fwddiff names @external_fn, which is not defined in this module: instruction `%d = call double (ptr, ...) @__enzyme_fwddiff(ptr @external_fn, double %x, double %dx)` in function @tangent

declare double @__enzyme_fwddiff(ptr, ...)
declare double @external_fn(double)

define double @tangent(double %x, double %dx) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @external_fn, double %x, double %dx)
  ret double %d
}
