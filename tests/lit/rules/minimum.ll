; Rule row `minimum` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:
;   the derivative follows x when x <= y (ordered), else y
; Spellings: llvm.minimum.f64, llvm.minimum.v2f64.
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
declare double @llvm.minimum.f64(double, double)
declare <2 x double> @llvm.minimum.v2f64(<2 x double>, <2 x double>)

define double @f_intr(double %x, double %y) {
  %r = call double @llvm.minimum.f64(double %x, double %y)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_intr(
; CHECK: [[FCMP:%.*]] = fcmp ugt double %x, %y
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], double 0.000000e+00, double 1.000000e+00
; CHECK: [[SELECT2:%.*]] = select i1 [[FCMP]], double 1.000000e+00, double 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { double, double } poison, double [[SELECT]], 0
; CHECK: [[IV2:%.*]] = insertvalue { double, double } [[IV]], double [[SELECT2]], 1
; CHECK: ret { double, double } [[IV2]]
; O0-LABEL: define {{.*}} @grad_intr(
; O0-NEXT: {{%.*}} = call { double, double } @__enzpy_diffe.f_intr.{{[a-z0-9_]+}}(double %x, double %y, double 1.000000e+00)
define { double, double } @grad_intr(double %x, double %y) {
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f_intr, double %x, double %y)
  ret { double, double } %d
}

; CHECK-LABEL: define {{.*}} @tangent_intr(
; CHECK: [[FCMP:%.*]] = fcmp ugt double %x, %y
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], double 0.000000e+00, double 1.000000e+00
; CHECK: [[SELECT2:%.*]] = select i1 [[FCMP]], double 1.000000e+00, double 0.000000e+00
; CHECK: [[FMUL:%.*]] = fmul double %dx, [[SELECT]]
; CHECK: [[FMUL2:%.*]] = fmul double %dy, [[SELECT2]]
; CHECK: [[FADD:%.*]] = fadd double [[FMUL]], [[FMUL2]]
; CHECK: ret double [[FADD]]
; O0-LABEL: define {{.*}} @tangent_intr(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_intr.{{[a-z0-9_]+}}(double %x, double %dx, double %y, double %dy)
define double @tangent_intr(double %x, double %dx, double %y, double %dy) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_intr, double %x, double %dx, double %y, double %dy)
  ret double %d
}

define <2 x double> @f_vec(<2 x double> %x, <2 x double> %y) {
  %r = call <2 x double> @llvm.minimum.v2f64(<2 x double> %x, <2 x double> %y)
  ret <2 x double> %r
}

; CHECK-LABEL: define {{.*}} @grad_vec(
; CHECK: [[FCMP:%.*]] = fcmp ugt <2 x double> %x, %y
; CHECK: [[SELECT:%.*]] = select <2 x i1> [[FCMP]], <2 x double> zeroinitializer, <2 x double> splat (double 1.000000e+00)
; CHECK: [[SELECT2:%.*]] = select <2 x i1> [[FCMP]], <2 x double> splat (double 1.000000e+00), <2 x double> zeroinitializer
; CHECK: [[IV:%.*]] = insertvalue { <2 x double>, <2 x double> } poison, <2 x double> [[SELECT]], 0
; CHECK: [[IV2:%.*]] = insertvalue { <2 x double>, <2 x double> } [[IV]], <2 x double> [[SELECT2]], 1
; CHECK: ret { <2 x double>, <2 x double> } [[IV2]]
; O0-LABEL: define {{.*}} @grad_vec(
; O0-NEXT: {{%.*}} = call { <2 x double>, <2 x double> } @__enzpy_diffe.f_vec.{{[a-z0-9_]+}}(<2 x double> %x, <2 x double> %y, <2 x double> splat (double 1.000000e+00))
define { <2 x double>, <2 x double> } @grad_vec(<2 x double> %x, <2 x double> %y) {
  %d = call { <2 x double>, <2 x double> } (ptr, ...) @__enzyme_autodiff(ptr @f_vec, <2 x double> %x, <2 x double> %y)
  ret { <2 x double>, <2 x double> } %d
}

; CHECK-LABEL: define {{.*}} @tangent_vec(
; CHECK: [[FCMP:%.*]] = fcmp ugt <2 x double> %x, %y
; CHECK: [[SELECT:%.*]] = select <2 x i1> [[FCMP]], <2 x double> zeroinitializer, <2 x double> splat (double 1.000000e+00)
; CHECK: [[SELECT2:%.*]] = select <2 x i1> [[FCMP]], <2 x double> splat (double 1.000000e+00), <2 x double> zeroinitializer
; CHECK: [[FMUL:%.*]] = fmul <2 x double> %dx, [[SELECT]]
; CHECK: [[FMUL2:%.*]] = fmul <2 x double> %dy, [[SELECT2]]
; CHECK: [[FADD:%.*]] = fadd <2 x double> [[FMUL]], [[FMUL2]]
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
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_intr.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_intr.
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_vec.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_vec.
