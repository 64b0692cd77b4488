; A marker where a value is expected (two markers in a row).
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: a marker stands where the value for parameter 1 of @f was expected: instruction `{{.*}}` in function @grad

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
  %c = load i32, ptr @enzyme_const
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, double %x, i32 %c, i32 %c, double %y)
  ret double %d
}
