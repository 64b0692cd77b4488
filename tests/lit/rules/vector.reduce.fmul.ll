; Rule row `vector.reduce.fmul` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:
;   d reduce.fmul(s, v) = prod(v) ds + sum_i s prod_(j != i) v_j dv_i (products of the other lanes, no division: a lane may be zero)
; Spellings: llvm.vector.reduce.fmul.v2f64, llvm.vector.reduce.fmul.v4f32.
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
declare double @llvm.vector.reduce.fmul.v2f64(double, <2 x double>)
declare float @llvm.vector.reduce.fmul.v4f32(float, <4 x float>)

define double @f_v2f64(double %s, <2 x double> %v) {
  %r = call double @llvm.vector.reduce.fmul.v2f64(double %s, <2 x double> %v)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_v2f64(
; CHECK: [[REDUCE_FMUL:%.*]] = {{.*}}call double @llvm.vector.reduce.fmul.v2f64(double 1.000000e+00, <2 x double> %v)
; CHECK: [[EXTRACTELEMENT:%.*]] = extractelement <2 x double> %v, i64 0
; CHECK: [[EXTRACTELEMENT2:%.*]] = extractelement <2 x double> %v, i64 1
; CHECK: [[FMUL:%.*]] = fmul double %s, [[EXTRACTELEMENT]]
; CHECK: [[FMUL2:%.*]] = fmul double %s, [[EXTRACTELEMENT2]]
; CHECK: [[IE:%.*]] = insertelement <2 x double> poison, double [[FMUL2]], i64 0
; CHECK: [[IE2:%.*]] = insertelement <2 x double> [[IE]], double [[FMUL]], i64 1
; CHECK: [[FADD:%.*]] = fadd double [[REDUCE_FMUL]], 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { double, <2 x double> } poison, double [[FADD]], 0
; CHECK: [[FADD2:%.*]] = fadd <2 x double> [[IE2]], zeroinitializer
; CHECK: [[IV2:%.*]] = insertvalue { double, <2 x double> } [[IV]], <2 x double> [[FADD2]], 1
; CHECK: ret { double, <2 x double> } [[IV2]]
; O0-LABEL: define {{.*}} @grad_v2f64(
; O0-NEXT: {{%.*}} = call { double, <2 x double> } @__enzpy_diffe.f_v2f64.{{[a-z0-9_]+}}(double %s, <2 x double> %v, double 1.000000e+00)
define { double, <2 x double> } @grad_v2f64(double %s, <2 x double> %v) {
  %d = call { double, <2 x double> } (ptr, ...) @__enzyme_autodiff(ptr @f_v2f64, double %s, <2 x double> %v)
  ret { double, <2 x double> } %d
}

; CHECK-LABEL: define {{.*}} @tangent_v2f64(
; CHECK: [[REDUCE_FMUL:%.*]] = {{.*}}call double @llvm.vector.reduce.fmul.v2f64(double 1.000000e+00, <2 x double> %v)
; CHECK: [[EXTRACTELEMENT:%.*]] = extractelement <2 x double> %v, i64 0
; CHECK: [[EXTRACTELEMENT2:%.*]] = extractelement <2 x double> %v, i64 1
; CHECK: [[FMUL:%.*]] = fmul double %s, [[EXTRACTELEMENT]]
; CHECK: [[FMUL2:%.*]] = fmul double %s, [[EXTRACTELEMENT2]]
; CHECK: [[IE:%.*]] = insertelement <2 x double> poison, double [[FMUL2]], i64 0
; CHECK: [[IE2:%.*]] = insertelement <2 x double> [[IE]], double [[FMUL]], i64 1
; CHECK: [[FMUL3:%.*]] = fmul double %ds, [[REDUCE_FMUL]]
; CHECK: [[FMUL4:%.*]] = fmul <2 x double> %dv, [[IE2]]
; CHECK: [[REDUCE_FADD:%.*]] = {{.*}}call double @llvm.vector.reduce.fadd.v2f64(double -0.000000e+00, <2 x double> [[FMUL4]])
; CHECK: [[FADD:%.*]] = fadd double [[FMUL3]], [[REDUCE_FADD]]
; CHECK: ret double [[FADD]]
; O0-LABEL: define {{.*}} @tangent_v2f64(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_v2f64.{{[a-z0-9_]+}}(double %s, double %ds, <2 x double> %v, <2 x double> %dv)
define double @tangent_v2f64(double %s, double %ds, <2 x double> %v, <2 x double> %dv) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_v2f64, double %s, double %ds, <2 x double> %v, <2 x double> %dv)
  ret double %d
}

define float @f_v4f32(float %s, <4 x float> %v) {
  %r = call float @llvm.vector.reduce.fmul.v4f32(float %s, <4 x float> %v)
  ret float %r
}

; CHECK-LABEL: define {{.*}} @grad_v4f32(
; CHECK: [[REDUCE_FMUL:%.*]] = {{.*}}call float @llvm.vector.reduce.fmul.v4f32(float 1.000000e+00, <4 x float> %v)
; CHECK: [[EXTRACTELEMENT:%.*]] = extractelement <4 x float> %v, i64 0
; CHECK: [[EXTRACTELEMENT2:%.*]] = extractelement <4 x float> %v, i64 1
; CHECK: [[EXTRACTELEMENT3:%.*]] = extractelement <4 x float> %v, i64 2
; CHECK: [[EXTRACTELEMENT4:%.*]] = extractelement <4 x float> %v, i64 3
; CHECK: [[FMUL:%.*]] = fmul float %s, [[EXTRACTELEMENT]]
; CHECK: [[FMUL2:%.*]] = fmul float [[EXTRACTELEMENT2]], [[FMUL]]
; CHECK: [[FMUL3:%.*]] = fmul float [[EXTRACTELEMENT3]], [[FMUL2]]
; CHECK: [[FMUL4:%.*]] = fmul float [[EXTRACTELEMENT4]], [[EXTRACTELEMENT3]]
; CHECK: [[FMUL5:%.*]] = fmul float [[EXTRACTELEMENT2]], [[FMUL4]]
; CHECK: [[FMUL6:%.*]] = fmul float %s, [[FMUL5]]
; CHECK: [[IE:%.*]] = insertelement <4 x float> poison, float [[FMUL6]], i64 0
; CHECK: [[FMUL7:%.*]] = fmul float [[FMUL]], [[FMUL4]]
; CHECK: [[IE2:%.*]] = insertelement <4 x float> [[IE]], float [[FMUL7]], i64 1
; CHECK: [[FMUL8:%.*]] = fmul float [[EXTRACTELEMENT4]], [[FMUL2]]
; CHECK: [[IE3:%.*]] = insertelement <4 x float> [[IE2]], float [[FMUL8]], i64 2
; CHECK: [[IE4:%.*]] = insertelement <4 x float> [[IE3]], float [[FMUL3]], i64 3
; CHECK: [[FADD:%.*]] = fadd float [[REDUCE_FMUL]], 0.000000e+00
; CHECK: [[IV:%.*]] = insertvalue { float, <4 x float> } poison, float [[FADD]], 0
; CHECK: [[FADD2:%.*]] = fadd <4 x float> [[IE4]], zeroinitializer
; CHECK: [[IV2:%.*]] = insertvalue { float, <4 x float> } [[IV]], <4 x float> [[FADD2]], 1
; CHECK: ret { float, <4 x float> } [[IV2]]
; O0-LABEL: define {{.*}} @grad_v4f32(
; O0-NEXT: {{%.*}} = call { float, <4 x float> } @__enzpy_diffe.f_v4f32.{{[a-z0-9_]+}}(float %s, <4 x float> %v, float 1.000000e+00)
define { float, <4 x float> } @grad_v4f32(float %s, <4 x float> %v) {
  %d = call { float, <4 x float> } (ptr, ...) @__enzyme_autodiff(ptr @f_v4f32, float %s, <4 x float> %v)
  ret { float, <4 x float> } %d
}

; CHECK-LABEL: define {{.*}} @tangent_v4f32(
; CHECK: [[REDUCE_FMUL:%.*]] = {{.*}}call float @llvm.vector.reduce.fmul.v4f32(float 1.000000e+00, <4 x float> %v)
; CHECK: [[EXTRACTELEMENT:%.*]] = extractelement <4 x float> %v, i64 0
; CHECK: [[EXTRACTELEMENT2:%.*]] = extractelement <4 x float> %v, i64 1
; CHECK: [[EXTRACTELEMENT3:%.*]] = extractelement <4 x float> %v, i64 2
; CHECK: [[EXTRACTELEMENT4:%.*]] = extractelement <4 x float> %v, i64 3
; CHECK: [[FMUL:%.*]] = fmul float %s, [[EXTRACTELEMENT]]
; CHECK: [[FMUL2:%.*]] = fmul float [[EXTRACTELEMENT2]], [[FMUL]]
; CHECK: [[FMUL3:%.*]] = fmul float [[EXTRACTELEMENT3]], [[FMUL2]]
; CHECK: [[FMUL4:%.*]] = fmul float [[EXTRACTELEMENT4]], [[EXTRACTELEMENT3]]
; CHECK: [[FMUL5:%.*]] = fmul float [[EXTRACTELEMENT2]], [[FMUL4]]
; CHECK: [[FMUL6:%.*]] = fmul float %s, [[FMUL5]]
; CHECK: [[IE:%.*]] = insertelement <4 x float> poison, float [[FMUL6]], i64 0
; CHECK: [[FMUL7:%.*]] = fmul float [[FMUL]], [[FMUL4]]
; CHECK: [[IE2:%.*]] = insertelement <4 x float> [[IE]], float [[FMUL7]], i64 1
; CHECK: [[FMUL8:%.*]] = fmul float [[EXTRACTELEMENT4]], [[FMUL2]]
; CHECK: [[IE3:%.*]] = insertelement <4 x float> [[IE2]], float [[FMUL8]], i64 2
; CHECK: [[IE4:%.*]] = insertelement <4 x float> [[IE3]], float [[FMUL3]], i64 3
; CHECK: [[FMUL9:%.*]] = fmul float %ds, [[REDUCE_FMUL]]
; CHECK: [[FMUL10:%.*]] = fmul <4 x float> %dv, [[IE4]]
; CHECK: [[REDUCE_FADD:%.*]] = {{.*}}call float @llvm.vector.reduce.fadd.v4f32(float -0.000000e+00, <4 x float> [[FMUL10]])
; CHECK: [[FADD:%.*]] = fadd float [[FMUL9]], [[REDUCE_FADD]]
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
