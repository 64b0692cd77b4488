; Rule row `atanh` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:
;   d atanh(x) = 1 / (1 - x^2) dx
; Spellings: atanh, atanhf.
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
declare double @atanh(double)
declare float @atanhf(float)

define double @f_libm(double %x) {
  %r = call double @atanh(double %x)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_libm(
; CHECK: [[FMUL:%.*]] = fmul double %x, %x
; CHECK: [[FSUB:%.*]] = fsub double 1.000000e+00, [[FMUL]]
; CHECK: [[FDIV:%.*]] = fdiv double 1.000000e+00, [[FSUB]]
; CHECK: [[FADD:%.*]] = fadd double [[FDIV]], 0.000000e+00
; CHECK: ret double [[FADD]]
; O0-LABEL: define {{.*}} @grad_libm(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_diffe.f_libm.{{[a-z0-9_]+}}(double %x, double 1.000000e+00)
define double @grad_libm(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f_libm, double %x)
  ret double %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm(
; CHECK: [[FMUL:%.*]] = fmul double %x, %x
; CHECK: [[FSUB:%.*]] = fsub double 1.000000e+00, [[FMUL]]
; CHECK: [[FDIV:%.*]] = fdiv double 1.000000e+00, [[FSUB]]
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
  %r = call float @atanhf(float %x)
  ret float %r
}

; CHECK-LABEL: define {{.*}} @grad_libm_f32(
; CHECK: [[FMUL:%.*]] = fmul float %x, %x
; CHECK: [[FSUB:%.*]] = fsub float 1.000000e+00, [[FMUL]]
; CHECK: [[FDIV:%.*]] = fdiv float 1.000000e+00, [[FSUB]]
; CHECK: [[FADD:%.*]] = fadd float [[FDIV]], 0.000000e+00
; CHECK: ret float [[FADD]]
; O0-LABEL: define {{.*}} @grad_libm_f32(
; O0-NEXT: {{%.*}} = call { float } @__enzpy_diffe.f_libm_f32.{{[a-z0-9_]+}}(float %x, float 1.000000e+00)
define float @grad_libm_f32(float %x) {
  %d = call float (ptr, ...) @__enzyme_autodiff(ptr @f_libm_f32, float %x)
  ret float %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm_f32(
; CHECK: [[FMUL:%.*]] = fmul float %x, %x
; CHECK: [[FSUB:%.*]] = fsub float 1.000000e+00, [[FMUL]]
; CHECK: [[FDIV:%.*]] = fdiv float 1.000000e+00, [[FSUB]]
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
