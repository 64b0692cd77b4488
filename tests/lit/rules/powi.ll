; Rule row `powi` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:
;   d powi(x, n) = n powi(x, n - 1) dx (the integer exponent is inactive)
; Spellings: llvm.powi.f32.i32, llvm.powi.f64.i32.
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
declare double @llvm.powi.f64.i32(double, i32)
declare float @llvm.powi.f32.i32(float, i32)

define double @f_intr(double %x, i32 %n) {
  %r = call double @llvm.powi.f64.i32(double %x, i32 %n)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_intr(
; CHECK: [[ADD:%.*]] = add i32 %n, -1
; CHECK: [[POWI:%.*]] = {{.*}}call double @llvm.powi.f64.i32(double %x, i32 [[ADD]])
; CHECK: [[SITOFP:%.*]] = sitofp i32 %n to double
; CHECK: [[FMUL:%.*]] = fmul double [[POWI]], [[SITOFP]]
; CHECK: [[FADD:%.*]] = fadd double [[FMUL]], 0.000000e+00
; CHECK: ret double [[FADD]]
; O0-LABEL: define {{.*}} @grad_intr(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_diffe.f_intr.{{[a-z0-9_]+}}(double %x, i32 %n, double 1.000000e+00)
define double @grad_intr(double %x, i32 %n) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f_intr, double %x, i32 %n)
  ret double %d
}

; CHECK-LABEL: define {{.*}} @tangent_intr(
; CHECK: [[ADD:%.*]] = add i32 %n, -1
; CHECK: [[POWI:%.*]] = {{.*}}call double @llvm.powi.f64.i32(double %x, i32 [[ADD]])
; CHECK: [[SITOFP:%.*]] = sitofp i32 %n to double
; CHECK: [[FMUL:%.*]] = fmul double [[POWI]], [[SITOFP]]
; CHECK: [[FMUL2:%.*]] = fmul double %dx, [[FMUL]]
; CHECK: [[FCMP:%.*]] = fcmp oeq double %dx, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], double 0.000000e+00, double [[FMUL2]]
; CHECK: ret double [[SELECT]]
; O0-LABEL: define {{.*}} @tangent_intr(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_intr.{{[a-z0-9_]+}}(double %x, double %dx, i32 %n)
define double @tangent_intr(double %x, double %dx, i32 %n) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_intr, double %x, double %dx, i32 %n)
  ret double %d
}

define float @f_intr_f32(float %x, i32 %n) {
  %r = call float @llvm.powi.f32.i32(float %x, i32 %n)
  ret float %r
}

; CHECK-LABEL: define {{.*}} @grad_intr_f32(
; CHECK: [[ADD:%.*]] = add i32 %n, -1
; CHECK: [[POWI:%.*]] = {{.*}}call float @llvm.powi.f32.i32(float %x, i32 [[ADD]])
; CHECK: [[SITOFP:%.*]] = sitofp i32 %n to float
; CHECK: [[FMUL:%.*]] = fmul float [[POWI]], [[SITOFP]]
; CHECK: [[FADD:%.*]] = fadd float [[FMUL]], 0.000000e+00
; CHECK: ret float [[FADD]]
; O0-LABEL: define {{.*}} @grad_intr_f32(
; O0-NEXT: {{%.*}} = call { float } @__enzpy_diffe.f_intr_f32.{{[a-z0-9_]+}}(float %x, i32 %n, float 1.000000e+00)
define float @grad_intr_f32(float %x, i32 %n) {
  %d = call float (ptr, ...) @__enzyme_autodiff(ptr @f_intr_f32, float %x, i32 %n)
  ret float %d
}

; CHECK-LABEL: define {{.*}} @tangent_intr_f32(
; CHECK: [[ADD:%.*]] = add i32 %n, -1
; CHECK: [[POWI:%.*]] = {{.*}}call float @llvm.powi.f32.i32(float %x, i32 [[ADD]])
; CHECK: [[SITOFP:%.*]] = sitofp i32 %n to float
; CHECK: [[FMUL:%.*]] = fmul float [[POWI]], [[SITOFP]]
; CHECK: [[FMUL2:%.*]] = fmul float %dx, [[FMUL]]
; CHECK: [[FCMP:%.*]] = fcmp oeq float %dx, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], float 0.000000e+00, float [[FMUL2]]
; CHECK: ret float [[SELECT]]
; O0-LABEL: define {{.*}} @tangent_intr_f32(
; O0-NEXT: {{%.*}} = call { float } @__enzpy_fwddiff.f_intr_f32.{{[a-z0-9_]+}}(float %x, float %dx, i32 %n)
define float @tangent_intr_f32(float %x, float %dx, i32 %n) {
  %d = call float (ptr, ...) @__enzyme_fwddiff(ptr @f_intr_f32, float %x, float %dx, i32 %n)
  ret float %d
}

; CHECK-NOT: __enzyme_
;
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_intr.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_intr.
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_intr_f32.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_intr_f32.
