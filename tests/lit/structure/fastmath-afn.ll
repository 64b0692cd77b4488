; A primal call that may be approximated (fast-math `afn`, numba's fastmath=True) passes that permission on to
; the calls its rule makes, in both modes: erf's partial 2/sqrt(pi) exp(-x^2) calls exp with `afn`, so that vector
; math may replace it where the loop vectorizes (python bridge: enzpy.api.vector_math). Without `afn` on the
; primal call, the rule's exp has no flag. The other flags that hold for derivatives pass on too (`reassoc`,
; `contract`, `nsz`, `arcp`: adjoint sums over a loop may then vectorize like the primal's sum), never `nnan` or
; `ninf` (a derivative may be infinite where the primal is finite: sqrt at 0).
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s

declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)
declare double @erf(double)
declare double @llvm.sqrt.f64(double)

define double @approx(double %x) {
  %r = call afn double @erf(double %x)
  ret double %r
}

define double @fast_root(double %x) {
  %r = call fast double @llvm.sqrt.f64(double %x)
  ret double %r
}

define double @exact(double %x) {
  %r = call double @erf(double %x)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @__enzpy_diffe.exact
; CHECK: call double @llvm.exp.f64(
; CHECK-LABEL: define {{.*}} @__enzpy_diffe.approx
; CHECK: call afn double @llvm.exp.f64(
; CHECK-LABEL: define {{.*}} @__enzpy_diffe.fast_root
; CHECK-NOT: nnan
; CHECK-NOT: ninf
; CHECK: fdiv reassoc nsz arcp contract afn double
; CHECK-LABEL: define {{.*}} @__enzpy_fwddiff.exact
; CHECK: call double @llvm.exp.f64(
; CHECK-LABEL: define {{.*}} @__enzpy_fwddiff.approx
; CHECK: call afn double @llvm.exp.f64(
; CHECK-LABEL: define {{.*}} @__enzpy_fwddiff.fast_root
; CHECK-NOT: nnan
; CHECK-NOT: ninf
; CHECK: fdiv reassoc nsz arcp contract afn double
define double @grad_fast_root(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @fast_root, double %x)
  ret double %d
}

define double @tangent_fast_root(double %x, double %dx) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @fast_root, double %x, double %dx)
  ret double %d
}

define double @grad_approx(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @approx, double %x)
  ret double %d
}

define double @grad_exact(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @exact, double %x)
  ret double %d
}

define double @tangent_approx(double %x, double %dx) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @approx, double %x, double %dx)
  ret double %d
}

define double @tangent_exact(double %x, double %dx) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @exact, double %x, double %dx)
  ret double %d
}
