; Rule row `hypot` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:
;   d hypot(x, y) = (x dx + y dy) / hypot(x, y)
; Spellings: hypot, hypotf.
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
declare double @hypot(double, double)
declare float @hypotf(float, float)

define double @f_libm(double %x, double %y) {
  %r = call double @hypot(double %x, double %y)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_libm(
; CHECK: [[HYPOT:%.*]] = {{.*}}call double @hypot(double %x, double %y)
; CHECK: [[FDIV:%.*]] = fdiv double 1.000000e+00, [[HYPOT]]
; CHECK: [[FMUL:%.*]] = fmul double %x, [[FDIV]]
; CHECK: [[FMUL2:%.*]] = fmul double %y, [[FDIV]]
; CHECK: [[FADD:%.*]] = fadd double [[FMUL]], 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { double, double } poison, double [[FADD]], 0
; CHECK: [[FADD2:%.*]] = fadd double [[FMUL2]], 0.000000e+00
; CHECK: [[IV2:%.*]] = insertvalue { double, double } [[IV]], double [[FADD2]], 1
; CHECK: ret { double, double } [[IV2]]
; O0-LABEL: define {{.*}} @grad_libm(
; O0-NEXT: {{%.*}} = call { double, double } @__enzpy_diffe.f_libm.{{[a-z0-9_]+}}(double %x, double %y, double 1.000000e+00)
define { double, double } @grad_libm(double %x, double %y) {
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f_libm, double %x, double %y)
  ret { double, double } %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm(
; CHECK: [[HYPOT:%.*]] = {{.*}}call double @hypot(double %x, double %y)
; CHECK: [[FDIV:%.*]] = fdiv double 1.000000e+00, [[HYPOT]]
; CHECK: [[FMUL:%.*]] = fmul double %x, [[FDIV]]
; CHECK: [[FMUL2:%.*]] = fmul double %y, [[FDIV]]
; CHECK: [[FMUL3:%.*]] = fmul double %dx, [[FMUL]]
; CHECK: [[FCMP:%.*]] = fcmp oeq double %dx, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], double 0.000000e+00, double [[FMUL3]]
; CHECK: [[FMUL4:%.*]] = fmul double %dy, [[FMUL2]]
; CHECK: [[FCMP2:%.*]] = fcmp oeq double %dy, 0.000000e+00
; CHECK: [[SELECT2:%.*]] = select i1 [[FCMP2]], double 0.000000e+00, double [[FMUL4]]
; CHECK: [[FADD:%.*]] = fadd double [[SELECT]], [[SELECT2]]
; CHECK: ret double [[FADD]]
; O0-LABEL: define {{.*}} @tangent_libm(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_libm.{{[a-z0-9_]+}}(double %x, double %dx, double %y, double %dy)
define double @tangent_libm(double %x, double %dx, double %y, double %dy) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_libm, double %x, double %dx, double %y, double %dy)
  ret double %d
}

define float @f_libm_f32(float %x, float %y) {
  %r = call float @hypotf(float %x, float %y)
  ret float %r
}

; CHECK-LABEL: define {{.*}} @grad_libm_f32(
; CHECK: [[HYPOTF:%.*]] = {{.*}}call float @hypotf(float %x, float %y)
; CHECK: [[FDIV:%.*]] = fdiv float 1.000000e+00, [[HYPOTF]]
; CHECK: [[FMUL:%.*]] = fmul float %x, [[FDIV]]
; CHECK: [[FMUL2:%.*]] = fmul float %y, [[FDIV]]
; CHECK: [[FADD:%.*]] = fadd float [[FMUL]], 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { float, float } poison, float [[FADD]], 0
; CHECK: [[FADD2:%.*]] = fadd float [[FMUL2]], 0.000000e+00
; CHECK: [[IV2:%.*]] = insertvalue { float, float } [[IV]], float [[FADD2]], 1
; CHECK: ret { float, float } [[IV2]]
; O0-LABEL: define {{.*}} @grad_libm_f32(
; O0-NEXT: {{%.*}} = call { float, float } @__enzpy_diffe.f_libm_f32.{{[a-z0-9_]+}}(float %x, float %y, float 1.000000e+00)
define { float, float } @grad_libm_f32(float %x, float %y) {
  %d = call { float, float } (ptr, ...) @__enzyme_autodiff(ptr @f_libm_f32, float %x, float %y)
  ret { float, float } %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm_f32(
; CHECK: [[HYPOTF:%.*]] = {{.*}}call float @hypotf(float %x, float %y)
; CHECK: [[FDIV:%.*]] = fdiv float 1.000000e+00, [[HYPOTF]]
; CHECK: [[FMUL:%.*]] = fmul float %x, [[FDIV]]
; CHECK: [[FMUL2:%.*]] = fmul float %y, [[FDIV]]
; CHECK: [[FMUL3:%.*]] = fmul float %dx, [[FMUL]]
; CHECK: [[FCMP:%.*]] = fcmp oeq float %dx, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], float 0.000000e+00, float [[FMUL3]]
; CHECK: [[FMUL4:%.*]] = fmul float %dy, [[FMUL2]]
; CHECK: [[FCMP2:%.*]] = fcmp oeq float %dy, 0.000000e+00
; CHECK: [[SELECT2:%.*]] = select i1 [[FCMP2]], float 0.000000e+00, float [[FMUL4]]
; CHECK: [[FADD:%.*]] = fadd float [[SELECT]], [[SELECT2]]
; CHECK: ret float [[FADD]]
; O0-LABEL: define {{.*}} @tangent_libm_f32(
; O0-NEXT: {{%.*}} = call { float } @__enzpy_fwddiff.f_libm_f32.{{[a-z0-9_]+}}(float %x, float %dx, float %y, float %dy)
define float @tangent_libm_f32(float %x, float %dx, float %y, float %dy) {
  %d = call float (ptr, ...) @__enzyme_fwddiff(ptr @f_libm_f32, float %x, float %dx, float %y, float %dy)
  ret float %d
}

; CHECK-NOT: __enzyme_
;
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_libm.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_libm.
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_libm_f32.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_libm_f32.
