; enzyme_out names an adjoint output, which forward mode does not have.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: enzyme_out is for reverse mode; parameter 0 of @f: instruction `{{.*}}@__enzyme_fwddiff(ptr @f, i32 %o, double %x, double %y, double %dy)` in function @tangent

@enzyme_out = external global i32
@enzyme_dup = external global i32
@enzyme_const = external global i32
declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)

define double @f(double %x, double %y) {
  %r = fmul double %x, %y
  ret double %r
}

define double @tangent(double %x, double %y, double %dy) {
  %o = load i32, ptr @enzyme_out
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f, i32 %o, double %x, double %y, double %dy)
  ret double %d
}
