; The function to differentiate must be a known function, not a pointer computed at run time.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: the first argument of __enzyme_autodiff must be a function (not a computed pointer): instruction `%d = call double (ptr, ...) @__enzyme_autodiff(ptr %fp, double %x, double %y)` in function @grad

@enzyme_out = external global i32
@enzyme_dup = external global i32
@enzyme_const = external global i32
declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)

define double @f(double %x, double %y) {
  %r = fmul double %x, %y
  ret double %r
}

define double @grad(ptr %fp, double %x, double %y) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr %fp, double %x, double %y)
  ret double %d
}
