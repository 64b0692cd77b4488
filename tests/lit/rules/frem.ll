; Rule row `frem` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:
;   x rem y = x - y trunc(x / y), so d = dx - trunc(x / y) dy
; Spellings: frem <2 x double>, frem double, frem float.
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

define double @f_f64(double %x, double %y) {
  %r = frem double %x, %y
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_f64(
; CHECK: [[FDIV:%.*]] = fdiv double %x, %y
; CHECK: [[TRUNC:%.*]] = {{.*}}call double @llvm.trunc.f64(double [[FDIV]])
; CHECK: [[FSUB:%.*]] = fsub double 0.000000e+00, [[TRUNC]]
; CHECK: [[IV:%.*]] = insertvalue { double, double } { double 1.000000e+00, double 0.000000e+00 }, double [[FSUB]], 1
; CHECK: ret { double, double } [[IV]]
; O0-LABEL: define {{.*}} @grad_f64(
; O0-NEXT: {{%.*}} = call { double, double } @__enzpy_diffe.f_f64.{{[a-z0-9_]+}}(double %x, double %y, double 1.000000e+00)
define { double, double } @grad_f64(double %x, double %y) {
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f_f64, double %x, double %y)
  ret { double, double } %d
}

; CHECK-LABEL: define {{.*}} @tangent_f64(
; CHECK: [[FDIV:%.*]] = fdiv double %x, %y
; CHECK: [[TRUNC:%.*]] = {{.*}}call double @llvm.trunc.f64(double [[FDIV]])
; CHECK: [[FNEG:%.*]] = fneg double [[TRUNC]]
; CHECK: [[FMUL:%.*]] = fmul double %dy, [[FNEG]]
; CHECK: [[FCMP:%.*]] = fcmp oeq double %dy, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], double 0.000000e+00, double [[FMUL]]
; CHECK: [[FADD:%.*]] = fadd double %dx, [[SELECT]]
; CHECK: ret double [[FADD]]
; O0-LABEL: define {{.*}} @tangent_f64(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_f64.{{[a-z0-9_]+}}(double %x, double %dx, double %y, double %dy)
define double @tangent_f64(double %x, double %dx, double %y, double %dy) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_f64, double %x, double %dx, double %y, double %dy)
  ret double %d
}

define float @f_f32(float %x, float %y) {
  %r = frem float %x, %y
  ret float %r
}

; CHECK-LABEL: define {{.*}} @grad_f32(
; CHECK: [[FDIV:%.*]] = fdiv float %x, %y
; CHECK: [[TRUNC:%.*]] = {{.*}}call float @llvm.trunc.f32(float [[FDIV]])
; CHECK: [[FSUB:%.*]] = fsub float 0.000000e+00, [[TRUNC]]
; CHECK: [[IV:%.*]] = insertvalue { float, float } { float 1.000000e+00, float 0.000000e+00 }, float [[FSUB]], 1
; CHECK: ret { float, float } [[IV]]
; O0-LABEL: define {{.*}} @grad_f32(
; O0-NEXT: {{%.*}} = call { float, float } @__enzpy_diffe.f_f32.{{[a-z0-9_]+}}(float %x, float %y, float 1.000000e+00)
define { float, float } @grad_f32(float %x, float %y) {
  %d = call { float, float } (ptr, ...) @__enzyme_autodiff(ptr @f_f32, float %x, float %y)
  ret { float, float } %d
}

; CHECK-LABEL: define {{.*}} @tangent_f32(
; CHECK: [[FDIV:%.*]] = fdiv float %x, %y
; CHECK: [[TRUNC:%.*]] = {{.*}}call float @llvm.trunc.f32(float [[FDIV]])
; CHECK: [[FNEG:%.*]] = fneg float [[TRUNC]]
; CHECK: [[FMUL:%.*]] = fmul float %dy, [[FNEG]]
; CHECK: [[FCMP:%.*]] = fcmp oeq float %dy, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], float 0.000000e+00, float [[FMUL]]
; CHECK: [[FADD:%.*]] = fadd float %dx, [[SELECT]]
; CHECK: ret float [[FADD]]
; O0-LABEL: define {{.*}} @tangent_f32(
; O0-NEXT: {{%.*}} = call { float } @__enzpy_fwddiff.f_f32.{{[a-z0-9_]+}}(float %x, float %dx, float %y, float %dy)
define float @tangent_f32(float %x, float %dx, float %y, float %dy) {
  %d = call float (ptr, ...) @__enzyme_fwddiff(ptr @f_f32, float %x, float %dx, float %y, float %dy)
  ret float %d
}

define <2 x double> @f_vec(<2 x double> %x, <2 x double> %y) {
  %r = frem <2 x double> %x, %y
  ret <2 x double> %r
}

; CHECK-LABEL: define {{.*}} @grad_vec(
; CHECK: [[FDIV:%.*]] = fdiv <2 x double> %x, %y
; CHECK: [[TRUNC:%.*]] = {{.*}}call <2 x double> @llvm.trunc.v2f64(<2 x double> [[FDIV]])
; CHECK: [[FSUB:%.*]] = fsub <2 x double> zeroinitializer, [[TRUNC]]
; CHECK: [[IV:%.*]] = insertvalue { <2 x double>, <2 x double> } { <2 x double> splat (double 1.000000e+00), <2 x double> zeroinitializer }, <2 x double> [[FSUB]], 1
; CHECK: ret { <2 x double>, <2 x double> } [[IV]]
; O0-LABEL: define {{.*}} @grad_vec(
; O0-NEXT: {{%.*}} = call { <2 x double>, <2 x double> } @__enzpy_diffe.f_vec.{{[a-z0-9_]+}}(<2 x double> %x, <2 x double> %y, <2 x double> splat (double 1.000000e+00))
define { <2 x double>, <2 x double> } @grad_vec(<2 x double> %x, <2 x double> %y) {
  %d = call { <2 x double>, <2 x double> } (ptr, ...) @__enzyme_autodiff(ptr @f_vec, <2 x double> %x, <2 x double> %y)
  ret { <2 x double>, <2 x double> } %d
}

; CHECK-LABEL: define {{.*}} @tangent_vec(
; CHECK: [[FDIV:%.*]] = fdiv <2 x double> %x, %y
; CHECK: [[TRUNC:%.*]] = {{.*}}call <2 x double> @llvm.trunc.v2f64(<2 x double> [[FDIV]])
; CHECK: [[FNEG:%.*]] = fneg <2 x double> [[TRUNC]]
; CHECK: [[FMUL:%.*]] = fmul <2 x double> %dy, [[FNEG]]
; CHECK: [[FCMP:%.*]] = fcmp oeq <2 x double> %dy, zeroinitializer
; CHECK: [[SELECT:%.*]] = select <2 x i1> [[FCMP]], <2 x double> zeroinitializer, <2 x double> [[FMUL]]
; CHECK: [[FADD:%.*]] = fadd <2 x double> %dx, [[SELECT]]
; CHECK: [[IV:%.*]] = insertvalue { <2 x double> } poison, <2 x double> [[FADD]], 0
; CHECK: ret { <2 x double> } [[IV]]
; O0-LABEL: define {{.*}} @tangent_vec(
; O0-NEXT: {{%.*}} = call { <2 x double> } @__enzpy_fwddiff.f_vec.{{[a-z0-9_]+}}(<2 x double> %x, <2 x double> %dx, <2 x double> %y, <2 x double> %dy)
define { <2 x double> } @tangent_vec(<2 x double> %x, <2 x double> %dx, <2 x double> %y, <2 x double> %dy) {
  %d = call { <2 x double> } (ptr, ...) @__enzyme_fwddiff(ptr @f_vec, <2 x double> %x, <2 x double> %dx, <2 x double> %y, <2 x double> %dy)
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
