; Rule row `pow` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:
;   d pow(x, y) = y pow(x, y - 1) dx + pow(x, y) log(x) dy
; Spellings: llvm.pow.f64, llvm.pow.v2f64, pow, powf.
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
declare double @llvm.pow.f64(double, double)
declare double @pow(double, double)
declare float @powf(float, float)
declare <2 x double> @llvm.pow.v2f64(<2 x double>, <2 x double>)

define double @f_intr(double %x, double %y) {
  %r = call double @llvm.pow.f64(double %x, double %y)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_intr(
; CHECK: [[POW:%.*]] = {{.*}}call double @llvm.pow.f64(double %x, double %y)
; CHECK: [[FADD:%.*]] = fadd double %y, -1.000000e+00
; CHECK: [[POW2:%.*]] = {{.*}}call double @llvm.pow.f64(double %x, double [[FADD]])
; CHECK: [[FMUL:%.*]] = fmul double %y, [[POW2]]
; CHECK: [[LOG:%.*]] = {{.*}}call double @llvm.log.f64(double %x)
; CHECK: [[FMUL2:%.*]] = fmul double [[LOG]], [[POW]]
; CHECK: [[FADD2:%.*]] = fadd double [[FMUL]], 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { double, double } poison, double [[FADD2]], 0
; CHECK: [[FADD3:%.*]] = fadd double [[FMUL2]], 0.000000e+00
; CHECK: [[IV2:%.*]] = insertvalue { double, double } [[IV]], double [[FADD3]], 1
; CHECK: ret { double, double } [[IV2]]
; O0-LABEL: define {{.*}} @grad_intr(
; O0-NEXT: {{%.*}} = call { double, double } @__enzpy_diffe.f_intr.{{[a-z0-9_]+}}(double %x, double %y, double 1.000000e+00)
define { double, double } @grad_intr(double %x, double %y) {
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f_intr, double %x, double %y)
  ret { double, double } %d
}

; CHECK-LABEL: define {{.*}} @tangent_intr(
; CHECK: [[POW:%.*]] = {{.*}}call double @llvm.pow.f64(double %x, double %y)
; CHECK: [[FADD:%.*]] = fadd double %y, -1.000000e+00
; CHECK: [[POW2:%.*]] = {{.*}}call double @llvm.pow.f64(double %x, double [[FADD]])
; CHECK: [[FMUL:%.*]] = fmul double %y, [[POW2]]
; CHECK: [[LOG:%.*]] = {{.*}}call double @llvm.log.f64(double %x)
; CHECK: [[FMUL2:%.*]] = fmul double [[LOG]], [[POW]]
; CHECK: [[FMUL3:%.*]] = fmul double %dx, [[FMUL]]
; CHECK: [[FCMP:%.*]] = fcmp oeq double %dx, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], double 0.000000e+00, double [[FMUL3]]
; CHECK: [[FMUL4:%.*]] = fmul double %dy, [[FMUL2]]
; CHECK: [[FCMP2:%.*]] = fcmp oeq double %dy, 0.000000e+00
; CHECK: [[SELECT2:%.*]] = select i1 [[FCMP2]], double 0.000000e+00, double [[FMUL4]]
; CHECK: [[FADD2:%.*]] = fadd double [[SELECT2]], [[SELECT]]
; CHECK: ret double [[FADD2]]
; O0-LABEL: define {{.*}} @tangent_intr(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_intr.{{[a-z0-9_]+}}(double %x, double %dx, double %y, double %dy)
define double @tangent_intr(double %x, double %dx, double %y, double %dy) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_intr, double %x, double %dx, double %y, double %dy)
  ret double %d
}

define double @f_libm(double %x, double %y) {
  %r = call double @pow(double %x, double %y)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_libm(
; CHECK: [[POW:%.*]] = {{.*}}call double @pow(double %x, double %y)
; CHECK: [[FADD:%.*]] = fadd double %y, -1.000000e+00
; CHECK: [[POW2:%.*]] = {{.*}}call double @llvm.pow.f64(double %x, double [[FADD]])
; CHECK: [[FMUL:%.*]] = fmul double %y, [[POW2]]
; CHECK: [[LOG:%.*]] = {{.*}}call double @llvm.log.f64(double %x)
; CHECK: [[FMUL2:%.*]] = fmul double [[LOG]], [[POW]]
; CHECK: [[FADD2:%.*]] = fadd double [[FMUL]], 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { double, double } poison, double [[FADD2]], 0
; CHECK: [[FADD3:%.*]] = fadd double [[FMUL2]], 0.000000e+00
; CHECK: [[IV2:%.*]] = insertvalue { double, double } [[IV]], double [[FADD3]], 1
; CHECK: ret { double, double } [[IV2]]
; O0-LABEL: define {{.*}} @grad_libm(
; O0-NEXT: {{%.*}} = call { double, double } @__enzpy_diffe.f_libm.{{[a-z0-9_]+}}(double %x, double %y, double 1.000000e+00)
define { double, double } @grad_libm(double %x, double %y) {
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f_libm, double %x, double %y)
  ret { double, double } %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm(
; CHECK: [[POW:%.*]] = {{.*}}call double @pow(double %x, double %y)
; CHECK: [[FADD:%.*]] = fadd double %y, -1.000000e+00
; CHECK: [[POW2:%.*]] = {{.*}}call double @llvm.pow.f64(double %x, double [[FADD]])
; CHECK: [[FMUL:%.*]] = fmul double %y, [[POW2]]
; CHECK: [[LOG:%.*]] = {{.*}}call double @llvm.log.f64(double %x)
; CHECK: [[FMUL2:%.*]] = fmul double [[LOG]], [[POW]]
; CHECK: [[FMUL3:%.*]] = fmul double %dx, [[FMUL]]
; CHECK: [[FCMP:%.*]] = fcmp oeq double %dx, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], double 0.000000e+00, double [[FMUL3]]
; CHECK: [[FMUL4:%.*]] = fmul double %dy, [[FMUL2]]
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
  %r = call float @powf(float %x, float %y)
  ret float %r
}

; CHECK-LABEL: define {{.*}} @grad_libm_f32(
; CHECK: [[POWF:%.*]] = {{.*}}call float @powf(float %x, float %y)
; CHECK: [[FADD:%.*]] = fadd float %y, -1.000000e+00
; CHECK: [[POW:%.*]] = {{.*}}call float @llvm.pow.f32(float %x, float [[FADD]])
; CHECK: [[FMUL:%.*]] = fmul float %y, [[POW]]
; CHECK: [[LOG:%.*]] = {{.*}}call float @llvm.log.f32(float %x)
; CHECK: [[FMUL2:%.*]] = fmul float [[LOG]], [[POWF]]
; CHECK: [[FADD2:%.*]] = fadd float [[FMUL]], 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { float, float } poison, float [[FADD2]], 0
; CHECK: [[FADD3:%.*]] = fadd float [[FMUL2]], 0.000000e+00
; CHECK: [[IV2:%.*]] = insertvalue { float, float } [[IV]], float [[FADD3]], 1
; CHECK: ret { float, float } [[IV2]]
; O0-LABEL: define {{.*}} @grad_libm_f32(
; O0-NEXT: {{%.*}} = call { float, float } @__enzpy_diffe.f_libm_f32.{{[a-z0-9_]+}}(float %x, float %y, float 1.000000e+00)
define { float, float } @grad_libm_f32(float %x, float %y) {
  %d = call { float, float } (ptr, ...) @__enzyme_autodiff(ptr @f_libm_f32, float %x, float %y)
  ret { float, float } %d
}

; CHECK-LABEL: define {{.*}} @tangent_libm_f32(
; CHECK: [[POWF:%.*]] = {{.*}}call float @powf(float %x, float %y)
; CHECK: [[FADD:%.*]] = fadd float %y, -1.000000e+00
; CHECK: [[POW:%.*]] = {{.*}}call float @llvm.pow.f32(float %x, float [[FADD]])
; CHECK: [[FMUL:%.*]] = fmul float %y, [[POW]]
; CHECK: [[LOG:%.*]] = {{.*}}call float @llvm.log.f32(float %x)
; CHECK: [[FMUL2:%.*]] = fmul float [[LOG]], [[POWF]]
; CHECK: [[FMUL3:%.*]] = fmul float %dx, [[FMUL]]
; CHECK: [[FCMP:%.*]] = fcmp oeq float %dx, 0.000000e+00
; CHECK: [[SELECT:%.*]] = select i1 [[FCMP]], float 0.000000e+00, float [[FMUL3]]
; CHECK: [[FMUL4:%.*]] = fmul float %dy, [[FMUL2]]
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

define <2 x double> @f_vec(<2 x double> %x, <2 x double> %y) {
  %r = call <2 x double> @llvm.pow.v2f64(<2 x double> %x, <2 x double> %y)
  ret <2 x double> %r
}

; CHECK-LABEL: define {{.*}} @grad_vec(
; CHECK: [[POW:%.*]] = {{.*}}call <2 x double> @llvm.pow.v2f64(<2 x double> %x, <2 x double> %y)
; CHECK: [[FADD:%.*]] = fadd <2 x double> %y, splat (double -1.000000e+00)
; CHECK: [[POW2:%.*]] = {{.*}}call <2 x double> @llvm.pow.v2f64(<2 x double> %x, <2 x double> [[FADD]])
; CHECK: [[FMUL:%.*]] = fmul <2 x double> %y, [[POW2]]
; CHECK: [[LOG:%.*]] = {{.*}}call <2 x double> @llvm.log.v2f64(<2 x double> %x)
; CHECK: [[FMUL2:%.*]] = fmul <2 x double> [[LOG]], [[POW]]
; CHECK: [[FADD2:%.*]] = fadd <2 x double> [[FMUL]], zeroinitializer
; CHECK: [[IV:%.*]] = insertvalue { <2 x double>, <2 x double> } poison, <2 x double> [[FADD2]], 0
; CHECK: [[FADD3:%.*]] = fadd <2 x double> [[FMUL2]], zeroinitializer
; CHECK: [[IV2:%.*]] = insertvalue { <2 x double>, <2 x double> } [[IV]], <2 x double> [[FADD3]], 1
; CHECK: ret { <2 x double>, <2 x double> } [[IV2]]
; O0-LABEL: define {{.*}} @grad_vec(
; O0-NEXT: {{%.*}} = call { <2 x double>, <2 x double> } @__enzpy_diffe.f_vec.{{[a-z0-9_]+}}(<2 x double> %x, <2 x double> %y, <2 x double> splat (double 1.000000e+00))
define { <2 x double>, <2 x double> } @grad_vec(<2 x double> %x, <2 x double> %y) {
  %d = call { <2 x double>, <2 x double> } (ptr, ...) @__enzyme_autodiff(ptr @f_vec, <2 x double> %x, <2 x double> %y)
  ret { <2 x double>, <2 x double> } %d
}

; CHECK-LABEL: define {{.*}} @tangent_vec(
; CHECK: [[POW:%.*]] = {{.*}}call <2 x double> @llvm.pow.v2f64(<2 x double> %x, <2 x double> %y)
; CHECK: [[FADD:%.*]] = fadd <2 x double> %y, splat (double -1.000000e+00)
; CHECK: [[POW2:%.*]] = {{.*}}call <2 x double> @llvm.pow.v2f64(<2 x double> %x, <2 x double> [[FADD]])
; CHECK: [[FMUL:%.*]] = fmul <2 x double> %y, [[POW2]]
; CHECK: [[LOG:%.*]] = {{.*}}call <2 x double> @llvm.log.v2f64(<2 x double> %x)
; CHECK: [[FMUL2:%.*]] = fmul <2 x double> [[LOG]], [[POW]]
; CHECK: [[FMUL3:%.*]] = fmul <2 x double> %dx, [[FMUL]]
; CHECK: [[FCMP:%.*]] = fcmp oeq <2 x double> %dx, zeroinitializer
; CHECK: [[SELECT:%.*]] = select <2 x i1> [[FCMP]], <2 x double> zeroinitializer, <2 x double> [[FMUL3]]
; CHECK: [[FMUL4:%.*]] = fmul <2 x double> %dy, [[FMUL2]]
; CHECK: [[FCMP2:%.*]] = fcmp oeq <2 x double> %dy, zeroinitializer
; CHECK: [[SELECT2:%.*]] = select <2 x i1> [[FCMP2]], <2 x double> zeroinitializer, <2 x double> [[FMUL4]]
; CHECK: [[FADD2:%.*]] = fadd <2 x double> [[SELECT2]], [[SELECT]]
; CHECK: [[IV:%.*]] = insertvalue { <2 x double> } poison, <2 x double> [[FADD2]], 0
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
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_libm.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_libm.
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_libm_f32.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_libm_f32.
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_vec.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_vec.
