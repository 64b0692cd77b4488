; ... but the same external call is fine when nothing differentiable flows into it: the call
; is kept as it is in the derivative.
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s
; CHECK-LABEL: define internal { double } @__enzpy_diffe.f.
; CHECK-SAME: (double {{%.*}}, double [[C:%.*]], double {{%.*}})
; CHECK: [[M:%.*]] = call double @mystery(double [[C]])
; CHECK: fmul double [[M]],

@enzyme_const = external global i32
declare double @__enzyme_autodiff(ptr, ...)
declare double @mystery(double)

define double @f(double %x, double %c) {
  %m = call double @mystery(double %c)
  %r = fmul double %x, %m
  ret double %r
}

define double @grad(double %x, double %c) {
  %k = load i32, ptr @enzyme_const
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, double %x, i32 %k, double %c)
  ret double %d
}
