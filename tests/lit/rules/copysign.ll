; Rule row `copysign` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:
;   d copysign(x, y) = copysign(1, x) copysign(1, y) dx   (y gets no derivative)
; Spellings: llvm.copysign.f64, copysign, copysignf.
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
declare double @llvm.copysign.f64(double, double)
declare double @copysign(double, double)
declare float @copysignf(float, float)

define double @f_intr(double %x, double %y) {
  %r = call double @llvm.copysign.f64(double %x, double %y)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_intr(
; CHECK: [[COPYSIGN:%.*]] = {{.*}}call double @llvm.copysign.f64(double 1.000000e+00, double %y)
; CHECK: [[COPYSIGN2:%.*]] = {{.*}}call double @llvm.copysign.f64(double 1.000000e+00, double %x)
; CHECK: [[FMUL:%.*]] = fmul double [[COPYSIGN2]], [[COPYSIGN]]
; CHECK: [[FADD:%.*]] = fadd double [[FMUL]], 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { double, double } zeroinitializer, double [[FADD]], 0
; CHECK: [[IV2:%.*]] = insertvalue { double, double } [[IV]], double 0.000000e+00, 1
; CHECK: ret { double, double } [[IV2]]
; O0-LABEL: define {{.*}} @grad_intr(
; O0-NEXT: {{%.*}} = call { double, double } @__enzpy_diffe.f_intr.{{[a-z0-9_]+}}(double %x, double %y, double 1.000000e+00)
define { double, double } @grad_intr(double %x, double %y) {
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f_intr, double %x, double %y)
  ret { double, double } %d
}

; CHECK-LABEL: define {{.*}} @tangent_intr(
; CHECK: [[COPYSIGN:%.*]] = {{.*}}call double @llvm.copysign.f64(double 1.000000e+00, double %y)
; CHECK: [[COPYSIGN2:%.*]] = {{.*}}call double @llvm.copysign.f64(double 1.000000e+00, double %x)
; CHECK: [[FMUL:%.*]] = fmul double [[COPYSIGN2]], [[COPYSIGN]]
; CHECK: [[FMUL2:%.*]] = fmul double %dx, [[FMUL]]
; CHECK: ret double [[FMUL2]]
; O0-LABEL: define {{.*}} @tangent_intr(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_intr.{{[a-z0-9_]+}}(double %x, double %dx, double %y, double %dy)
define double @tangent_intr(double %x, double %dx, double %y, double %dy) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_intr, double %x, double %dx, double %y, double %dy)
  ret double %d
}

define double @f_libm(double %x, double %y) {
  %r = call double @copysign(double %x, double %y)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_libm(
; CHECK: [[COPYSIGN:%.*]] = {{.*}}call double @llvm.copysign.f64(double 1.000000e+00, double %y)
; CHECK: [[COPYSIGN2:%.*]] = {{.*}}call double @llvm.copysign.f64(double 1.000000e+00, double %x)
; CHECK: [[FMUL:%.*]] = fmul double [[COPYSIGN2]], [[COPYSIGN]]
; CHECK: [[FADD:%.*]] = fadd double [[FMUL]], 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { double, double } zeroinitializer, double [[FADD]], 0
; CHECK: [[IV2:%.*]] = insertvalue { double, double } [[IV]], double 0.000000e+00, 1
; CHECK: ret { double, double } [[IV2]]
; O0-LABEL: define {{.*}} @grad_libm(
; O0-NEXT: {{%.*}} = call { double, double } @__enzpy_diffe.f_libm.{{[a-z0-9_]+}}(double %x, double %y, double 1.000000e+00)
define { double, double } @grad_libm(double %x, double %y) {
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f_libm, double %x, double %y)
  ret { double, double } %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm(
; CHECK: [[COPYSIGN:%.*]] = {{.*}}call double @llvm.copysign.f64(double 1.000000e+00, double %y)
; CHECK: [[COPYSIGN2:%.*]] = {{.*}}call double @llvm.copysign.f64(double 1.000000e+00, double %x)
; CHECK: [[FMUL:%.*]] = fmul double [[COPYSIGN2]], [[COPYSIGN]]
; CHECK: [[FMUL2:%.*]] = fmul double %dx, [[FMUL]]
; CHECK: ret double [[FMUL2]]
; O0-LABEL: define {{.*}} @tangent_libm(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_libm.{{[a-z0-9_]+}}(double %x, double %dx, double %y, double %dy)
define double @tangent_libm(double %x, double %dx, double %y, double %dy) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_libm, double %x, double %dx, double %y, double %dy)
  ret double %d
}

define float @f_libm_f32(float %x, float %y) {
  %r = call float @copysignf(float %x, float %y)
  ret float %r
}

; CHECK-LABEL: define {{.*}} @grad_libm_f32(
; CHECK: [[COPYSIGN:%.*]] = {{.*}}call float @llvm.copysign.f32(float 1.000000e+00, float %y)
; CHECK: [[COPYSIGN2:%.*]] = {{.*}}call float @llvm.copysign.f32(float 1.000000e+00, float %x)
; CHECK: [[FMUL:%.*]] = fmul float [[COPYSIGN2]], [[COPYSIGN]]
; CHECK: [[FADD:%.*]] = fadd float [[FMUL]], 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { float, float } zeroinitializer, float [[FADD]], 0
; CHECK: [[IV2:%.*]] = insertvalue { float, float } [[IV]], float 0.000000e+00, 1
; CHECK: ret { float, float } [[IV2]]
; O0-LABEL: define {{.*}} @grad_libm_f32(
; O0-NEXT: {{%.*}} = call { float, float } @__enzpy_diffe.f_libm_f32.{{[a-z0-9_]+}}(float %x, float %y, float 1.000000e+00)
define { float, float } @grad_libm_f32(float %x, float %y) {
  %d = call { float, float } (ptr, ...) @__enzyme_autodiff(ptr @f_libm_f32, float %x, float %y)
  ret { float, float } %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm_f32(
; CHECK: [[COPYSIGN:%.*]] = {{.*}}call float @llvm.copysign.f32(float 1.000000e+00, float %y)
; CHECK: [[COPYSIGN2:%.*]] = {{.*}}call float @llvm.copysign.f32(float 1.000000e+00, float %x)
; CHECK: [[FMUL:%.*]] = fmul float [[COPYSIGN2]], [[COPYSIGN]]
; CHECK: [[FMUL2:%.*]] = fmul float %dx, [[FMUL]]
; CHECK: ret float [[FMUL2]]
; O0-LABEL: define {{.*}} @tangent_libm_f32(
; O0-NEXT: {{%.*}} = call { float } @__enzpy_fwddiff.f_libm_f32.{{[a-z0-9_]+}}(float %x, float %dx, float %y, float %dy)
define float @tangent_libm_f32(float %x, float %dx, float %y, float %dy) {
  %d = call float (ptr, ...) @__enzyme_fwddiff(ptr @f_libm_f32, float %x, float %dx, float %y, float %dy)
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
