; Rule row `fneg` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:
;   d(-x) = -dx
; Spellings: fneg <2 x double>, fneg double, fneg float.
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

define double @f_f64(double %x) {
  %r = fneg double %x
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_f64(
; CHECK: ret double -1.000000e+00
; O0-LABEL: define {{.*}} @grad_f64(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_diffe.f_f64.{{[a-z0-9_]+}}(double %x, double 1.000000e+00)
define double @grad_f64(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f_f64, double %x)
  ret double %d
}

; CHECK-LABEL: define {{.*}} @tangent_f64(
; CHECK: [[FNEG:%.*]] = fneg double %dx
; CHECK: ret double [[FNEG]]
; O0-LABEL: define {{.*}} @tangent_f64(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_f64.{{[a-z0-9_]+}}(double %x, double %dx)
define double @tangent_f64(double %x, double %dx) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_f64, double %x, double %dx)
  ret double %d
}

define float @f_f32(float %x) {
  %r = fneg float %x
  ret float %r
}

; CHECK-LABEL: define {{.*}} @grad_f32(
; CHECK: ret float -1.000000e+00
; O0-LABEL: define {{.*}} @grad_f32(
; O0-NEXT: {{%.*}} = call { float } @__enzpy_diffe.f_f32.{{[a-z0-9_]+}}(float %x, float 1.000000e+00)
define float @grad_f32(float %x) {
  %d = call float (ptr, ...) @__enzyme_autodiff(ptr @f_f32, float %x)
  ret float %d
}

; CHECK-LABEL: define {{.*}} @tangent_f32(
; CHECK: [[FNEG:%.*]] = fneg float %dx
; CHECK: ret float [[FNEG]]
; O0-LABEL: define {{.*}} @tangent_f32(
; O0-NEXT: {{%.*}} = call { float } @__enzpy_fwddiff.f_f32.{{[a-z0-9_]+}}(float %x, float %dx)
define float @tangent_f32(float %x, float %dx) {
  %d = call float (ptr, ...) @__enzyme_fwddiff(ptr @f_f32, float %x, float %dx)
  ret float %d
}

define <2 x double> @f_vec(<2 x double> %x) {
  %r = fneg <2 x double> %x
  ret <2 x double> %r
}

; CHECK-LABEL: define {{.*}} @grad_vec(
; CHECK: ret { <2 x double> } { <2 x double> splat (double -1.000000e+00) }
; O0-LABEL: define {{.*}} @grad_vec(
; O0-NEXT: {{%.*}} = call { <2 x double> } @__enzpy_diffe.f_vec.{{[a-z0-9_]+}}(<2 x double> %x, <2 x double> splat (double 1.000000e+00))
define { <2 x double> } @grad_vec(<2 x double> %x) {
  %d = call { <2 x double> } (ptr, ...) @__enzyme_autodiff(ptr @f_vec, <2 x double> %x)
  ret { <2 x double> } %d
}

; CHECK-LABEL: define {{.*}} @tangent_vec(
; CHECK: [[FNEG:%.*]] = fneg <2 x double> %dx
; CHECK: [[IV:%.*]] = insertvalue { <2 x double> } poison, <2 x double> [[FNEG]], 0
; CHECK: ret { <2 x double> } [[IV]]
; O0-LABEL: define {{.*}} @tangent_vec(
; O0-NEXT: {{%.*}} = call { <2 x double> } @__enzpy_fwddiff.f_vec.{{[a-z0-9_]+}}(<2 x double> %x, <2 x double> %dx)
define { <2 x double> } @tangent_vec(<2 x double> %x, <2 x double> %dx) {
  %d = call { <2 x double> } (ptr, ...) @__enzyme_fwddiff(ptr @f_vec, <2 x double> %x, <2 x double> %dx)
  ret { <2 x double> } %d
}

; CHECK-NOT: __enzyme_
;
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_f64.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_f64.
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_f32.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_f32.
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_vec.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_vec.
