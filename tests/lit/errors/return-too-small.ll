; Two active arguments but the call returns a single double.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: the call's return type holds 1 values but there are 2 derivatives to return: instruction `%d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, double %x, double %y)` in function @grad

@enzyme_out = external global i32
@enzyme_dup = external global i32
@enzyme_const = external global i32
declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)

define double @f(double %x, double %y) {
  %r = fmul double %x, %y
  ret double %r
}

define double @grad(double %x, double %y) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, double %x, double %y)
  ret double %d
}
