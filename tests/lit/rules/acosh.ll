; Rule row `acosh` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:
;   d acosh(x) = 1 / sqrt(x^2 - 1) dx   (tested at 1 + x)
; Spellings: acosh, acoshf.
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
declare double @acosh(double)
declare float @acoshf(float)

define double @f_libm(double %x) {
  %t = fadd double %x, 1.0
  %r = call double @acosh(double %t)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_libm(
; CHECK: [[FADD:%.*]] = fadd double %x, 1.000000e+00
; CHECK: [[FMUL:%.*]] = fmul double [[FADD]], [[FADD]]
; CHECK: [[FADD2:%.*]] = fadd double [[FMUL]], -1.000000e+00
; CHECK: [[SQRT:%.*]] = {{.*}}call double @llvm.sqrt.f64(double [[FADD2]])
; CHECK: [[FDIV:%.*]] = fdiv double 1.000000e+00, [[SQRT]]
; CHECK: ret double [[FDIV]]
; O0-LABEL: define {{.*}} @grad_libm(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_diffe.f_libm.{{[a-z0-9_]+}}(double %x, double 1.000000e+00)
define double @grad_libm(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f_libm, double %x)
  ret double %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm(
; CHECK: [[FADD:%.*]] = fadd double %x, 1.000000e+00
; CHECK: [[FMUL:%.*]] = fmul double [[FADD]], [[FADD]]
; CHECK: [[FADD2:%.*]] = fadd double [[FMUL]], -1.000000e+00
; CHECK: [[SQRT:%.*]] = {{.*}}call double @llvm.sqrt.f64(double [[FADD2]])
; CHECK: [[FDIV:%.*]] = fdiv double 1.000000e+00, [[SQRT]]
; CHECK: [[FMUL2:%.*]] = fmul double %dx, [[FDIV]]
; CHECK: [[FCMP:%.*]] = fcmp oeq double %dx, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], double 0.000000e+00, double [[FMUL2]]
; CHECK: ret double [[SELECT]]
; O0-LABEL: define {{.*}} @tangent_libm(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_libm.{{[a-z0-9_]+}}(double %x, double %dx)
define double @tangent_libm(double %x, double %dx) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_libm, double %x, double %dx)
  ret double %d
}

define float @f_libm_f32(float %x) {
  %t = fadd float %x, 1.0
  %r = call float @acoshf(float %t)
  ret float %r
}

; CHECK-LABEL: define {{.*}} @grad_libm_f32(
; CHECK: [[FADD:%.*]] = fadd float %x, 1.000000e+00
; CHECK: [[FMUL:%.*]] = fmul float [[FADD]], [[FADD]]
; CHECK: [[FADD2:%.*]] = fadd float [[FMUL]], -1.000000e+00
; CHECK: [[SQRT:%.*]] = {{.*}}call float @llvm.sqrt.f32(float [[FADD2]])
; CHECK: [[FDIV:%.*]] = fdiv float 1.000000e+00, [[SQRT]]
; CHECK: ret float [[FDIV]]
; O0-LABEL: define {{.*}} @grad_libm_f32(
; O0-NEXT: {{%.*}} = call { float } @__enzpy_diffe.f_libm_f32.{{[a-z0-9_]+}}(float %x, float 1.000000e+00)
define float @grad_libm_f32(float %x) {
  %d = call float (ptr, ...) @__enzyme_autodiff(ptr @f_libm_f32, float %x)
  ret float %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm_f32(
; CHECK: [[FADD:%.*]] = fadd float %x, 1.000000e+00
; CHECK: [[FMUL:%.*]] = fmul float [[FADD]], [[FADD]]
; CHECK: [[FADD2:%.*]] = fadd float [[FMUL]], -1.000000e+00
; CHECK: [[SQRT:%.*]] = {{.*}}call float @llvm.sqrt.f32(float [[FADD2]])
; CHECK: [[FDIV:%.*]] = fdiv float 1.000000e+00, [[SQRT]]
; CHECK: [[FMUL2:%.*]] = fmul float %dx, [[FDIV]]
; CHECK: [[FCMP:%.*]] = fcmp oeq float %dx, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], float 0.000000e+00, float [[FMUL2]]
; CHECK: ret float [[SELECT]]
; O0-LABEL: define {{.*}} @tangent_libm_f32(
; O0-NEXT: {{%.*}} = call { float } @__enzpy_fwddiff.f_libm_f32.{{[a-z0-9_]+}}(float %x, float %dx)
define float @tangent_libm_f32(float %x, float %dx) {
  %d = call float (ptr, ...) @__enzyme_fwddiff(ptr @f_libm_f32, float %x, float %dx)
  ret float %d
}

; CHECK-NOT: __enzyme_
;
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_libm.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_libm.
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_libm_f32.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_libm_f32.
