; Rule row `fma` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:
;   d fma(x, y, z) = y dx + x dy + dz
; Spellings: llvm.fma.f64, fma, fmaf.
;
; At -O2 the derivatives are inlined: @grad_* (reverse, __enzyme_autodiff, every float
; argument active) and @tangent_* (forward, __enzyme_fwddiff, every float argument with a
; tangent) hold the partial-derivative computation. -O0 keeps the synthesized derivative
; functions and shows the calls that replace the marker calls.
; NOTE: CHECK lines written by tests/lit/utils/update_rule_tests.py (see there).
;
; RUN: %enzpy-opt %s -S -o - -O2 | FileCheck %s
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s --check-prefix=O0
; O0-NOT: __enzyme_

declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)
declare double @llvm.fma.f64(double, double, double)
declare double @fma(double, double, double)
declare float @fmaf(float, float, float)

define double @f_intr(double %x, double %y, double %z) {
  %r = call double @llvm.fma.f64(double %x, double %y, double %z)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_intr(
; CHECK: [[FADD:%.*]] = fadd double %y, 0.000000e+00
; CHECK: [[FADD2:%.*]] = fadd double %x, 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { double, double, double } zeroinitializer, double [[FADD]], 0
; CHECK: [[IV2:%.*]] = insertvalue { double, double, double } [[IV]], double [[FADD2]], 1
; CHECK: [[IV3:%.*]] = insertvalue { double, double, double } [[IV2]], double 1.000000e+00, 2
; CHECK: ret { double, double, double } [[IV3]]
; O0-LABEL: define {{.*}} @grad_intr(
; O0-NEXT: {{%.*}} = call { double, double, double } @__enzpy_diffe.f_intr.{{[a-z0-9_]+}}(double %x, double %y, double %z, double 1.000000e+00)
define { double, double, double } @grad_intr(double %x, double %y, double %z) {
  %d = call { double, double, double } (ptr, ...) @__enzyme_autodiff(ptr @f_intr, double %x, double %y, double %z)
  ret { double, double, double } %d
}

; CHECK-LABEL: define {{.*}} @tangent_intr(
; CHECK: [[FMUL:%.*]] = fmul double %dx, %y
; CHECK: [[FMUL2:%.*]] = fmul double %x, %dy
; CHECK: [[FADD:%.*]] = fadd double [[FMUL]], [[FMUL2]]
; CHECK: [[FADD2:%.*]] = fadd double [[FADD]], %dz
; CHECK: ret double [[FADD2]]
; O0-LABEL: define {{.*}} @tangent_intr(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_intr.{{[a-z0-9_]+}}(double %x, double %dx, double %y, double %dy, double %z, double %dz)
define double @tangent_intr(double %x, double %dx, double %y, double %dy, double %z, double %dz) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_intr, double %x, double %dx, double %y, double %dy, double %z, double %dz)
  ret double %d
}

define double @f_libm(double %x, double %y, double %z) {
  %r = call double @fma(double %x, double %y, double %z)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_libm(
; CHECK: [[FADD:%.*]] = fadd double %y, 0.000000e+00
; CHECK: [[FADD2:%.*]] = fadd double %x, 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { double, double, double } zeroinitializer, double [[FADD]], 0
; CHECK: [[IV2:%.*]] = insertvalue { double, double, double } [[IV]], double [[FADD2]], 1
; CHECK: [[IV3:%.*]] = insertvalue { double, double, double } [[IV2]], double 1.000000e+00, 2
; CHECK: ret { double, double, double } [[IV3]]
; O0-LABEL: define {{.*}} @grad_libm(
; O0-NEXT: {{%.*}} = call { double, double, double } @__enzpy_diffe.f_libm.{{[a-z0-9_]+}}(double %x, double %y, double %z, double 1.000000e+00)
define { double, double, double } @grad_libm(double %x, double %y, double %z) {
  %d = call { double, double, double } (ptr, ...) @__enzyme_autodiff(ptr @f_libm, double %x, double %y, double %z)
  ret { double, double, double } %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm(
; CHECK: [[FMUL:%.*]] = fmul double %dx, %y
; CHECK: [[FMUL2:%.*]] = fmul double %x, %dy
; CHECK: [[FADD:%.*]] = fadd double [[FMUL]], [[FMUL2]]
; CHECK: [[FADD2:%.*]] = fadd double [[FADD]], %dz
; CHECK: ret double [[FADD2]]
; O0-LABEL: define {{.*}} @tangent_libm(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_libm.{{[a-z0-9_]+}}(double %x, double %dx, double %y, double %dy, double %z, double %dz)
define double @tangent_libm(double %x, double %dx, double %y, double %dy, double %z, double %dz) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_libm, double %x, double %dx, double %y, double %dy, double %z, double %dz)
  ret double %d
}

define float @f_libm_f32(float %x, float %y, float %z) {
  %r = call float @fmaf(float %x, float %y, float %z)
  ret float %r
}

; CHECK-LABEL: define {{.*}} @grad_libm_f32(
; CHECK: [[FADD:%.*]] = fadd float %y, 0.000000e+00
; CHECK: [[FADD2:%.*]] = fadd float %x, 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { float, float, float } zeroinitializer, float [[FADD]], 0
; CHECK: [[IV2:%.*]] = insertvalue { float, float, float } [[IV]], float [[FADD2]], 1
; CHECK: [[IV3:%.*]] = insertvalue { float, float, float } [[IV2]], float 1.000000e+00, 2
; CHECK: ret { float, float, float } [[IV3]]
; O0-LABEL: define {{.*}} @grad_libm_f32(
; O0-NEXT: {{%.*}} = call { float, float, float } @__enzpy_diffe.f_libm_f32.{{[a-z0-9_]+}}(float %x, float %y, float %z, float 1.000000e+00)
define { float, float, float } @grad_libm_f32(float %x, float %y, float %z) {
  %d = call { float, float, float } (ptr, ...) @__enzyme_autodiff(ptr @f_libm_f32, float %x, float %y, float %z)
  ret { float, float, float } %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm_f32(
; CHECK: [[FMUL:%.*]] = fmul float %dx, %y
; CHECK: [[FMUL2:%.*]] = fmul float %x, %dy
; CHECK: [[FADD:%.*]] = fadd float [[FMUL]], [[FMUL2]]
; CHECK: [[FADD2:%.*]] = fadd float [[FADD]], %dz
; CHECK: ret float [[FADD2]]
; O0-LABEL: define {{.*}} @tangent_libm_f32(
; O0-NEXT: {{%.*}} = call { float } @__enzpy_fwddiff.f_libm_f32.{{[a-z0-9_]+}}(float %x, float %dx, float %y, float %dy, float %z, float %dz)
define float @tangent_libm_f32(float %x, float %dx, float %y, float %dy, float %z, float %dz) {
  %d = call float (ptr, ...) @__enzyme_fwddiff(ptr @f_libm_f32, float %x, float %dx, float %y, float %dy, float %z, float %dz)
  ret float %d
}

; CHECK-NOT: __enzyme_
;
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_intr.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_intr.
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_libm.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_libm.
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_libm_f32.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_libm_f32.
