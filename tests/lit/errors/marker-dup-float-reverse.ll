; enzyme_dup on a float in reverse mode (a float is active or const there, only pointers are dup).
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: enzyme_dup in reverse mode needs a pointer; parameter 0 of @f is not: instruction `{{.*}}` in function @grad

@enzyme_out = external global i32
@enzyme_dup = external global i32
@enzyme_const = external global i32
declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)

define double @f(double %x, double %y) {
  %r = fmul double %x, %y
  ret double %r
}

define double @grad(double %x, double %dx, double %y) {
  %m = load i32, ptr @enzyme_dup
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, i32 %m, double %x, double %dx, double %y)
  ret double %d
}
