; x / sqrt(s) (normalizing, inverse distances): the partials of the fdiv need 1 / r and those of the sqrt
; 0.5 * (1 / r), so after AD the optimizer keeps one reciprocal for both (divisions are the slow part of
; such kernels: the N-body tangent went from three divisions per pair to two).
;
; RUN: %enzpy-opt %s -S -o - -O2 | FileCheck %s

declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)
declare double @llvm.sqrt.f64(double)

define double @f(double %x, double %s) {
  %r = call double @llvm.sqrt.f64(double %s)
  %q = fdiv double %x, %r
  ret double %q
}

; reverse: x / r for the partial -q / r, and one reciprocal 1 / r
; CHECK-LABEL: define {{.*}} @grad(
; CHECK-COUNT-2: fdiv double
; CHECK-NOT: fdiv
; CHECK: ret { double, double }
define { double, double } @grad(double %x, double %s) {
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f, double %x, double %s)
  ret { double, double } %d
}

; forward: the same two divisions
; CHECK-LABEL: define {{.*}} @tangent(
; CHECK-COUNT-2: fdiv double
; CHECK-NOT: fdiv
; CHECK: ret double
define double @tangent(double %x, double %dx, double %s, double %ds) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f, double %x, double %dx, double %s, double %ds)
  ret double %d
}
