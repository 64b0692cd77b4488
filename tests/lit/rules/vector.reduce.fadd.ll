; Rule row `vector.reduce.fadd` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:
;   d reduce.fadd(s, v) = ds + sum(dv); the adjoint of v is the splat of the result's
; Spellings: llvm.vector.reduce.fadd.v2f64, llvm.vector.reduce.fadd.v4f32.
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
declare double @llvm.vector.reduce.fadd.v2f64(double, <2 x double>)
declare float @llvm.vector.reduce.fadd.v4f32(float, <4 x float>)

define double @f_v2f64(double %s, <2 x double> %v) {
  %r = call double @llvm.vector.reduce.fadd.v2f64(double %s, <2 x double> %v)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_v2f64(
; CHECK: ret { double, <2 x double> } { double 1.000000e+00, <2 x double> splat (double 1.000000e+00) }
; O0-LABEL: define {{.*}} @grad_v2f64(
; O0-NEXT: {{%.*}} = call { double, <2 x double> } @__enzpy_diffe.f_v2f64.{{[a-z0-9_]+}}(double %s, <2 x double> %v, double 1.000000e+00)
define { double, <2 x double> } @grad_v2f64(double %s, <2 x double> %v) {
  %d = call { double, <2 x double> } (ptr, ...) @__enzyme_autodiff(ptr @f_v2f64, double %s, <2 x double> %v)
  ret { double, <2 x double> } %d
}

; CHECK-LABEL: define {{.*}} @tangent_v2f64(
; CHECK: [[REDUCE_FADD:%.*]] = {{.*}}call double @llvm.vector.reduce.fadd.v2f64(double -0.000000e+00, <2 x double> %dv)
; CHECK: [[FADD:%.*]] = fadd double %ds, [[REDUCE_FADD]]
; CHECK: ret double [[FADD]]
; O0-LABEL: define {{.*}} @tangent_v2f64(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_v2f64.{{[a-z0-9_]+}}(double %s, double %ds, <2 x double> %v, <2 x double> %dv)
define double @tangent_v2f64(double %s, double %ds, <2 x double> %v, <2 x double> %dv) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_v2f64, double %s, double %ds, <2 x double> %v, <2 x double> %dv)
  ret double %d
}

define float @f_v4f32(float %s, <4 x float> %v) {
  %r = call float @llvm.vector.reduce.fadd.v4f32(float %s, <4 x float> %v)
  ret float %r
}

; CHECK-LABEL: define {{.*}} @grad_v4f32(
; CHECK: ret { float, <4 x float> } { float 1.000000e+00, <4 x float> splat (float 1.000000e+00) }
; O0-LABEL: define {{.*}} @grad_v4f32(
; O0-NEXT: {{%.*}} = call { float, <4 x float> } @__enzpy_diffe.f_v4f32.{{[a-z0-9_]+}}(float %s, <4 x float> %v, float 1.000000e+00)
define { float, <4 x float> } @grad_v4f32(float %s, <4 x float> %v) {
  %d = call { float, <4 x float> } (ptr, ...) @__enzyme_autodiff(ptr @f_v4f32, float %s, <4 x float> %v)
  ret { float, <4 x float> } %d
}

; CHECK-LABEL: define {{.*}} @tangent_v4f32(
; CHECK: [[REDUCE_FADD:%.*]] = {{.*}}call float @llvm.vector.reduce.fadd.v4f32(float -0.000000e+00, <4 x float> %dv)
; CHECK: [[FADD:%.*]] = fadd float %ds, [[REDUCE_FADD]]
; CHECK: ret float [[FADD]]
; O0-LABEL: define {{.*}} @tangent_v4f32(
; O0-NEXT: {{%.*}} = call { float } @__enzpy_fwddiff.f_v4f32.{{[a-z0-9_]+}}(float %s, float %ds, <4 x float> %v, <4 x float> %dv)
define float @tangent_v4f32(float %s, float %ds, <4 x float> %v, <4 x float> %dv) {
  %d = call float (ptr, ...) @__enzyme_fwddiff(ptr @f_v4f32, float %s, float %ds, <4 x float> %v, <4 x float> %dv)
  ret float %d
}

; CHECK-NOT: __enzyme_
;
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_v2f64.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_v2f64.
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_v4f32.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_v4f32.
