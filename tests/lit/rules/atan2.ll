; Rule row `atan2` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:
;   d atan2(x, y) = (y dx - x dy) / (x^2 + y^2)   (x is the first operand)
; Spellings: llvm.atan2.f64, atan2, atan2f.
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
declare double @llvm.atan2.f64(double, double)
declare double @atan2(double, double)
declare float @atan2f(float, float)

define double @f_intr(double %x, double %y) {
  %r = call double @llvm.atan2.f64(double %x, double %y)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_intr(
; CHECK: [[FMUL:%.*]] = fmul double %x, %x
; CHECK: [[FMUL2:%.*]] = fmul double %y, %y
; CHECK: [[FADD:%.*]] = fadd double [[FMUL]], [[FMUL2]]
; CHECK: [[FDIV:%.*]] = fdiv double %y, [[FADD]]
; CHECK: [[FADD2:%.*]] = fadd double [[FDIV]], 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { double, double } poison, double [[FADD2]], 0
; CHECK: [[FDIV2:%.*]] = fdiv double %x, [[FADD]]
; CHECK: [[FSUB:%.*]] = fsub double 0.000000e+00, [[FDIV2]]
; CHECK: [[IV2:%.*]] = insertvalue { double, double } [[IV]], double [[FSUB]], 1
; CHECK: ret { double, double } [[IV2]]
; O0-LABEL: define {{.*}} @grad_intr(
; O0-NEXT: {{%.*}} = call { double, double } @__enzpy_diffe.f_intr.{{[a-z0-9_]+}}(double %x, double %y, double 1.000000e+00)
define { double, double } @grad_intr(double %x, double %y) {
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f_intr, double %x, double %y)
  ret { double, double } %d
}

; CHECK-LABEL: define {{.*}} @tangent_intr(
; CHECK: [[FMUL:%.*]] = fmul double %x, %x
; CHECK: [[FMUL2:%.*]] = fmul double %y, %y
; CHECK: [[FADD:%.*]] = fadd double [[FMUL]], [[FMUL2]]
; CHECK: [[FDIV:%.*]] = fdiv double %y, [[FADD]]
; CHECK: [[FNEG:%.*]] = fneg double %x
; CHECK: [[FDIV2:%.*]] = fdiv double [[FNEG]], [[FADD]]
; CHECK: [[FMUL3:%.*]] = fmul double %dx, [[FDIV]]
; CHECK: [[FCMP:%.*]] = fcmp oeq double %dx, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], double 0.000000e+00, double [[FMUL3]]
; CHECK: [[FMUL4:%.*]] = fmul double %dy, [[FDIV2]]
; CHECK: [[FCMP2:%.*]] = fcmp oeq double %dy, 0.000000e+00
; CHECK: [[SELECT2:%.*]] = select i1 [[FCMP2]], double 0.000000e+00, double [[FMUL4]]
; CHECK: [[FADD2:%.*]] = fadd double [[SELECT]], [[SELECT2]]
; CHECK: ret double [[FADD2]]
; O0-LABEL: define {{.*}} @tangent_intr(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_intr.{{[a-z0-9_]+}}(double %x, double %dx, double %y, double %dy)
define double @tangent_intr(double %x, double %dx, double %y, double %dy) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_intr, double %x, double %dx, double %y, double %dy)
  ret double %d
}

define double @f_libm(double %x, double %y) {
  %r = call double @atan2(double %x, double %y)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_libm(
; CHECK: [[FMUL:%.*]] = fmul double %x, %x
; CHECK: [[FMUL2:%.*]] = fmul double %y, %y
; CHECK: [[FADD:%.*]] = fadd double [[FMUL]], [[FMUL2]]
; CHECK: [[FDIV:%.*]] = fdiv double %y, [[FADD]]
; CHECK: [[FADD2:%.*]] = fadd double [[FDIV]], 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { double, double } poison, double [[FADD2]], 0
; CHECK: [[FDIV2:%.*]] = fdiv double %x, [[FADD]]
; CHECK: [[FSUB:%.*]] = fsub double 0.000000e+00, [[FDIV2]]
; CHECK: [[IV2:%.*]] = insertvalue { double, double } [[IV]], double [[FSUB]], 1
; CHECK: ret { double, double } [[IV2]]
; O0-LABEL: define {{.*}} @grad_libm(
; O0-NEXT: {{%.*}} = call { double, double } @__enzpy_diffe.f_libm.{{[a-z0-9_]+}}(double %x, double %y, double 1.000000e+00)
define { double, double } @grad_libm(double %x, double %y) {
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f_libm, double %x, double %y)
  ret { double, double } %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm(
; CHECK: [[FMUL:%.*]] = fmul double %x, %x
; CHECK: [[FMUL2:%.*]] = fmul double %y, %y
; CHECK: [[FADD:%.*]] = fadd double [[FMUL]], [[FMUL2]]
; CHECK: [[FDIV:%.*]] = fdiv double %y, [[FADD]]
; CHECK: [[FNEG:%.*]] = fneg double %x
; CHECK: [[FDIV2:%.*]] = fdiv double [[FNEG]], [[FADD]]
; CHECK: [[FMUL3:%.*]] = fmul double %dx, [[FDIV]]
; CHECK: [[FCMP:%.*]] = fcmp oeq double %dx, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], double 0.000000e+00, double [[FMUL3]]
; CHECK: [[FMUL4:%.*]] = fmul double %dy, [[FDIV2]]
; CHECK: [[FCMP2:%.*]] = fcmp oeq double %dy, 0.000000e+00
; CHECK: [[SELECT2:%.*]] = select i1 [[FCMP2]], double 0.000000e+00, double [[FMUL4]]
; CHECK: [[FADD2:%.*]] = fadd double [[SELECT]], [[SELECT2]]
; CHECK: ret double [[FADD2]]
; O0-LABEL: define {{.*}} @tangent_libm(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_libm.{{[a-z0-9_]+}}(double %x, double %dx, double %y, double %dy)
define double @tangent_libm(double %x, double %dx, double %y, double %dy) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_libm, double %x, double %dx, double %y, double %dy)
  ret double %d
}

define float @f_libm_f32(float %x, float %y) {
  %r = call float @atan2f(float %x, float %y)
  ret float %r
}

; CHECK-LABEL: define {{.*}} @grad_libm_f32(
; CHECK: [[FMUL:%.*]] = fmul float %x, %x
; CHECK: [[FMUL2:%.*]] = fmul float %y, %y
; CHECK: [[FADD:%.*]] = fadd float [[FMUL]], [[FMUL2]]
; CHECK: [[FDIV:%.*]] = fdiv float %y, [[FADD]]
; CHECK: [[FADD2:%.*]] = fadd float [[FDIV]], 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { float, float } poison, float [[FADD2]], 0
; CHECK: [[FDIV2:%.*]] = fdiv float %x, [[FADD]]
; CHECK: [[FSUB:%.*]] = fsub float 0.000000e+00, [[FDIV2]]
; CHECK: [[IV2:%.*]] = insertvalue { float, float } [[IV]], float [[FSUB]], 1
; CHECK: ret { float, float } [[IV2]]
; O0-LABEL: define {{.*}} @grad_libm_f32(
; O0-NEXT: {{%.*}} = call { float, float } @__enzpy_diffe.f_libm_f32.{{[a-z0-9_]+}}(float %x, float %y, float 1.000000e+00)
define { float, float } @grad_libm_f32(float %x, float %y) {
  %d = call { float, float } (ptr, ...) @__enzyme_autodiff(ptr @f_libm_f32, float %x, float %y)
  ret { float, float } %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm_f32(
; CHECK: [[FMUL:%.*]] = fmul float %x, %x
; CHECK: [[FMUL2:%.*]] = fmul float %y, %y
; CHECK: [[FADD:%.*]] = fadd float [[FMUL]], [[FMUL2]]
; CHECK: [[FDIV:%.*]] = fdiv float %y, [[FADD]]
; CHECK: [[FNEG:%.*]] = fneg float %x
; CHECK: [[FDIV2:%.*]] = fdiv float [[FNEG]], [[FADD]]
; CHECK: [[FMUL3:%.*]] = fmul float %dx, [[FDIV]]
; CHECK: [[FCMP:%.*]] = fcmp oeq float %dx, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], float 0.000000e+00, float [[FMUL3]]
; CHECK: [[FMUL4:%.*]] = fmul float %dy, [[FDIV2]]
; CHECK: [[FCMP2:%.*]] = fcmp oeq float %dy, 0.000000e+00
; CHECK: [[SELECT2:%.*]] = select i1 [[FCMP2]], float 0.000000e+00, float [[FMUL4]]
; CHECK: [[FADD2:%.*]] = fadd float [[SELECT]], [[SELECT2]]
; CHECK: ret float [[FADD2]]
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
