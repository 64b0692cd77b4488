; Rule row `sqrt` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:
;   d sqrt(x) = 0.5 / sqrt(x) dx (the partial reads the result)
; Spellings: llvm.sqrt.f64, llvm.sqrt.v2f64, sqrt, sqrtf.
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
declare double @llvm.sqrt.f64(double)
declare double @sqrt(double)
declare float @sqrtf(float)
declare <2 x double> @llvm.sqrt.v2f64(<2 x double>)

define double @f_intr(double %x) {
  %r = call double @llvm.sqrt.f64(double %x)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_intr(
; CHECK: [[SQRT:%.*]] = {{.*}}call double @llvm.sqrt.f64(double %x)
; CHECK: [[FDIV:%.*]] = fdiv double 1.000000e+00, [[SQRT]]
; CHECK: [[FMUL:%.*]] = fmul double [[FDIV]], 5.000000e-01
; CHECK: [[FADD:%.*]] = fadd double [[FMUL]], 0.000000e+00
; CHECK: ret double [[FADD]]
; O0-LABEL: define {{.*}} @grad_intr(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_diffe.f_intr.{{[a-z0-9_]+}}(double %x, double 1.000000e+00)
define double @grad_intr(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f_intr, double %x)
  ret double %d
}

; CHECK-LABEL: define {{.*}} @tangent_intr(
; CHECK: [[SQRT:%.*]] = {{.*}}call double @llvm.sqrt.f64(double %x)
; CHECK: [[FDIV:%.*]] = fdiv double 1.000000e+00, [[SQRT]]
; CHECK: [[FMUL:%.*]] = fmul double [[FDIV]], 5.000000e-01
; CHECK: [[FMUL2:%.*]] = fmul double %dx, [[FMUL]]
; CHECK: [[FCMP:%.*]] = fcmp oeq double %dx, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], double 0.000000e+00, double [[FMUL2]]
; CHECK: ret double [[SELECT]]
; O0-LABEL: define {{.*}} @tangent_intr(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_intr.{{[a-z0-9_]+}}(double %x, double %dx)
define double @tangent_intr(double %x, double %dx) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_intr, double %x, double %dx)
  ret double %d
}

define double @f_libm(double %x) {
  %r = call double @sqrt(double %x)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_libm(
; CHECK: [[SQRT:%.*]] = {{.*}}call double @sqrt(double %x)
; CHECK: [[FDIV:%.*]] = fdiv double 1.000000e+00, [[SQRT]]
; CHECK: [[FMUL:%.*]] = fmul double [[FDIV]], 5.000000e-01
; CHECK: [[FADD:%.*]] = fadd double [[FMUL]], 0.000000e+00
; CHECK: ret double [[FADD]]
; O0-LABEL: define {{.*}} @grad_libm(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_diffe.f_libm.{{[a-z0-9_]+}}(double %x, double 1.000000e+00)
define double @grad_libm(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f_libm, double %x)
  ret double %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm(
; CHECK: [[SQRT:%.*]] = {{.*}}call double @sqrt(double %x)
; CHECK: [[FDIV:%.*]] = fdiv double 1.000000e+00, [[SQRT]]
; CHECK: [[FMUL:%.*]] = fmul double [[FDIV]], 5.000000e-01
; CHECK: [[FMUL2:%.*]] = fmul double %dx, [[FMUL]]
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
  %r = call float @sqrtf(float %x)
  ret float %r
}

; CHECK-LABEL: define {{.*}} @grad_libm_f32(
; CHECK: [[SQRTF:%.*]] = {{.*}}call float @sqrtf(float %x)
; CHECK: [[FDIV:%.*]] = fdiv float 1.000000e+00, [[SQRTF]]
; CHECK: [[FMUL:%.*]] = fmul float [[FDIV]], 5.000000e-01
; CHECK: [[FADD:%.*]] = fadd float [[FMUL]], 0.000000e+00
; CHECK: ret float [[FADD]]
; O0-LABEL: define {{.*}} @grad_libm_f32(
; O0-NEXT: {{%.*}} = call { float } @__enzpy_diffe.f_libm_f32.{{[a-z0-9_]+}}(float %x, float 1.000000e+00)
define float @grad_libm_f32(float %x) {
  %d = call float (ptr, ...) @__enzyme_autodiff(ptr @f_libm_f32, float %x)
  ret float %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm_f32(
; CHECK: [[SQRTF:%.*]] = {{.*}}call float @sqrtf(float %x)
; CHECK: [[FDIV:%.*]] = fdiv float 1.000000e+00, [[SQRTF]]
; CHECK: [[FMUL:%.*]] = fmul float [[FDIV]], 5.000000e-01
; CHECK: [[FMUL2:%.*]] = fmul float %dx, [[FMUL]]
; CHECK: [[FCMP:%.*]] = fcmp oeq float %dx, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], float 0.000000e+00, float [[FMUL2]]
; CHECK: ret float [[SELECT]]
; O0-LABEL: define {{.*}} @tangent_libm_f32(
; O0-NEXT: {{%.*}} = call { float } @__enzpy_fwddiff.f_libm_f32.{{[a-z0-9_]+}}(float %x, float %dx)
define float @tangent_libm_f32(float %x, float %dx) {
  %d = call float (ptr, ...) @__enzyme_fwddiff(ptr @f_libm_f32, float %x, float %dx)
  ret float %d
}

define <2 x double> @f_vec(<2 x double> %x) {
  %r = call <2 x double> @llvm.sqrt.v2f64(<2 x double> %x)
  ret <2 x double> %r
}

; CHECK-LABEL: define {{.*}} @grad_vec(
; CHECK: [[SQRT:%.*]] = {{.*}}call <2 x double> @llvm.sqrt.v2f64(<2 x double> %x)
; CHECK: [[FDIV:%.*]] = fdiv <2 x double> splat (double 1.000000e+00), [[SQRT]]
; CHECK: [[FMUL:%.*]] = fmul <2 x double> [[FDIV]], splat (double 5.000000e-01)
; CHECK: [[FADD:%.*]] = fadd <2 x double> [[FMUL]], zeroinitializer
; CHECK: [[IV:%.*]] = insertvalue { <2 x double> } poison, <2 x double> [[FADD]], 0
; CHECK: ret { <2 x double> } [[IV]]
; O0-LABEL: define {{.*}} @grad_vec(
; O0-NEXT: {{%.*}} = call { <2 x double> } @__enzpy_diffe.f_vec.{{[a-z0-9_]+}}(<2 x double> %x, <2 x double> splat (double 1.000000e+00))
define { <2 x double> } @grad_vec(<2 x double> %x) {
  %d = call { <2 x double> } (ptr, ...) @__enzyme_autodiff(ptr @f_vec, <2 x double> %x)
  ret { <2 x double> } %d
}

; CHECK-LABEL: define {{.*}} @tangent_vec(
; CHECK: [[SQRT:%.*]] = {{.*}}call <2 x double> @llvm.sqrt.v2f64(<2 x double> %x)
; CHECK: [[FDIV:%.*]] = fdiv <2 x double> splat (double 1.000000e+00), [[SQRT]]
; CHECK: [[FMUL:%.*]] = fmul <2 x double> [[FDIV]], splat (double 5.000000e-01)
; CHECK: [[FMUL2:%.*]] = fmul <2 x double> %dx, [[FMUL]]
; CHECK: [[FCMP:%.*]] = fcmp oeq <2 x double> %dx, zeroinitializer
; CHECK: [[SELECT:%.*]] = select <2 x i1> [[FCMP]], <2 x double> zeroinitializer, <2 x double> [[FMUL2]]
; CHECK: [[IV:%.*]] = insertvalue { <2 x double> } poison, <2 x double> [[SELECT]], 0
; CHECK: ret { <2 x double> } [[IV]]
; O0-LABEL: define {{.*}} @tangent_vec(
; O0-NEXT: {{%.*}} = call { <2 x double> } @__enzpy_fwddiff.f_vec.{{[a-z0-9_]+}}(<2 x double> %x, <2 x double> %dx)
define { <2 x double> } @tangent_vec(<2 x double> %x, <2 x double> %dx) {
  %d = call { <2 x double> } (ptr, ...) @__enzyme_fwddiff(ptr @f_vec, <2 x double> %x, <2 x double> %dx)
  ret { <2 x double> } %d
}

; CHECK-NOT: __enzyme_
;
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_intr.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_intr.
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_libm.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_libm.
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_libm_f32.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_libm_f32.
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_vec.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_vec.
