; enzyme_out on a non-float parameter.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: enzyme_out needs a floating-point parameter; parameter 0 of @g is not: instruction `{{.*}}` in function @grad

@enzyme_out = external global i32
@enzyme_dup = external global i32
@enzyme_const = external global i32
declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)

define double @f(double %x, double %y) {
  %r = fmul double %x, %y
  ret double %r
}

define double @g(i32 %n, double %x) {
  %f = sitofp i32 %n to double
  %r = fmul double %f, %x
  ret double %r
}

define double @grad(i32 %n, double %x) {
  %o = load i32, ptr @enzyme_out
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @g, i32 %o, i32 %n, double %x)
  ret double %d
}
