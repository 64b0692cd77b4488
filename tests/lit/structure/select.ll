; select: the adjoint of the result goes to the chosen operand only; in forward mode the tangent
; is selected the same way.   f(x, y) = x > y ? x * x : 3 * y
;
; RUN: %enzpy-opt %s -S -o - -O2 | FileCheck %s
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s --check-prefix=O0

declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)

define double @f(double %x, double %y) {
  %c = fcmp ogt double %x, %y
  %a = fmul double %x, %x
  %b = fmul double %y, 3.0
  %r = select i1 %c, double %a, double %b
  ret double %r
}

; df/dx = c ? 2x : 0,  df/dy = c ? 0 : 3
; CHECK-LABEL: define { double, double } @grad(
; CHECK: [[C:%.*]] = fcmp ogt double %x, %y
; CHECK: [[S:%.*]] = select i1 [[C]], double 1.000000e+00, double -0.000000e+00
; CHECK: [[XS:%.*]] = fmul double %x, [[S]]
; CHECK: [[DX:%.*]] = fadd double [[XS]], [[XS]]
; CHECK: [[DY:%.*]] = select i1 [[C]], double 0.000000e+00, double 3.000000e+00
; CHECK: insertvalue { double, double } %{{.*}}, double [[DY]], 1
define { double, double } @grad(double %x, double %y) {
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f, double %x, double %y)
  ret { double, double } %d
}

; CHECK-LABEL: define double @tangent(
; CHECK: [[C:%.*]] = fcmp ogt double %x, %y
; CHECK: [[XDX:%.*]] = fmul double %x, %dx
; CHECK: [[DA:%.*]] = fadd double [[XDX]], [[XDX]]
; CHECK: [[DB:%.*]] = fmul double %dy, 3.000000e+00
; CHECK: [[DR:%.*]] = select i1 [[C]], double [[DA]], double [[DB]]
; CHECK: ret double [[DR]]
define double @tangent(double %x, double %dx, double %y, double %dy) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f, double %x, double %dx, double %y, double %dy)
  ret double %d
}

; Reverse sweep at -O0: the adjoint of %r is split by the (primal) condition.
; O0-LABEL: define internal { double, double } @__enzpy_diffe.f.
; O0-SAME: (double {{%.*}}, double {{%.*}}, double [[SEED:%.*]])
; O0: %c = fcmp ogt double
; O0: %r = select i1 %c, double %a, double %b
; O0: fadd double {{%.*}}, [[SEED]]
; O0-NEXT: store double {{%.*}}, ptr %r.adj
; O0-NEXT: [[DR:%.*]] = load double, ptr %r.adj
; O0: [[TOA:%.*]] = select i1 %c, double [[DR]], double -0.000000e+00
; O0: fadd double {{%.*}}, [[TOA]]
; O0: store double {{%.*}}, ptr %a.adj
; O0: [[TOB:%.*]] = select i1 %c, double -0.000000e+00, double [[DR]]
; O0: fadd double {{%.*}}, [[TOB]]
; O0: store double {{%.*}}, ptr %b.adj
;
; Forward mode at -O0: the tangent select mirrors the primal one.
; O0-LABEL: define internal { double } @__enzpy_fwddiff.f.
; O0: %r = select i1 %c, double %a, double %b
; O0-NEXT: %"r'" = select i1 %c, double {{%.*}}, double {{%.*}}
