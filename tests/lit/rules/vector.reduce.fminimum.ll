; Rule row `vector.reduce.fminimum` of cpp/lib/rules/Rules.cpp, in forward and reverse mode:
;   the derivative flows to the first lane equal to the result (a one-hot vector)
; Spellings: llvm.vector.reduce.fminimum.v2f64, llvm.vector.reduce.fminimum.v4f32.
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
declare double @llvm.vector.reduce.fminimum.v2f64(<2 x double>)
declare float @llvm.vector.reduce.fminimum.v4f32(<4 x float>)

define double @f_v2f64(<2 x double> %v) {
  %r = call double @llvm.vector.reduce.fminimum.v2f64(<2 x double> %v)
  ret double %r
}

; CHECK-LABEL: define {{.*}} @grad_v2f64(
; CHECK: [[REDUCE_FMINIMUM:%.*]] = {{.*}}call double @llvm.vector.reduce.fminimum.v2f64(<2 x double> %v)
; CHECK: [[IE:%.*]] = insertelement <2 x double> poison, double [[REDUCE_FMINIMUM]], i64 0
; CHECK: [[SPLAT:%.*]] = shufflevector <2 x double> [[IE]], <2 x double> poison, <2 x i32> zeroinitializer
; CHECK: [[FCMP:%.*]] = fcmp oeq <2 x double> %v, [[SPLAT]]
; CHECK: [[BITCAST:%.*]] = bitcast <2 x i1> [[FCMP]] to i2
; CHECK: [[CTTZ:%.*]] = {{.*}}call {{.*}}i2 @llvm.cttz.i2(i2 [[BITCAST]], i1 false)
; CHECK: [[ZEXT:%.*]] = zext i2 [[CTTZ]] to i32
; CHECK: [[IE2:%.*]] = insertelement <2 x i32> poison, i32 [[ZEXT]], i64 0
; CHECK: [[SPLAT2:%.*]] = shufflevector <2 x i32> [[IE2]], <2 x i32> poison, <2 x i32> zeroinitializer
; CHECK: [[ICMP:%.*]] = icmp eq <2 x i32> [[SPLAT2]], <i32 0, i32 1>
; CHECK: [[SELECT:%.*]] = select <2 x i1> [[ICMP]], <2 x double> splat (double 1.000000e+00), <2 x double> zeroinitializer
; CHECK: [[IV:%.*]] = insertvalue { <2 x double> } poison, <2 x double> [[SELECT]], 0
; CHECK: ret { <2 x double> } [[IV]]
; O0-LABEL: define {{.*}} @grad_v2f64(
; O0-NEXT: {{%.*}} = call { <2 x double> } @__enzpy_diffe.f_v2f64.{{[a-z0-9_]+}}(<2 x double> %v, double 1.000000e+00)
define { <2 x double> } @grad_v2f64(<2 x double> %v) {
  %d = call { <2 x double> } (ptr, ...) @__enzyme_autodiff(ptr @f_v2f64, <2 x double> %v)
  ret { <2 x double> } %d
}

; CHECK-LABEL: define {{.*}} @tangent_v2f64(
; CHECK: [[REDUCE_FMINIMUM:%.*]] = {{.*}}call double @llvm.vector.reduce.fminimum.v2f64(<2 x double> %v)
; CHECK: [[IE:%.*]] = insertelement <2 x double> poison, double [[REDUCE_FMINIMUM]], i64 0
; CHECK: [[SPLAT:%.*]] = shufflevector <2 x double> [[IE]], <2 x double> poison, <2 x i32> zeroinitializer
; CHECK: [[FCMP:%.*]] = fcmp oeq <2 x double> %v, [[SPLAT]]
; CHECK: [[BITCAST:%.*]] = bitcast <2 x i1> [[FCMP]] to i2
; CHECK: [[CTTZ:%.*]] = {{.*}}call {{.*}}i2 @llvm.cttz.i2(i2 [[BITCAST]], i1 false)
; CHECK: [[ZEXT:%.*]] = zext i2 [[CTTZ]] to i32
; CHECK: [[IE2:%.*]] = insertelement <2 x i32> poison, i32 [[ZEXT]], i64 0
; CHECK: [[SPLAT2:%.*]] = shufflevector <2 x i32> [[IE2]], <2 x i32> poison, <2 x i32> zeroinitializer
; CHECK: [[ICMP:%.*]] = icmp eq <2 x i32> [[SPLAT2]], <i32 0, i32 1>
; CHECK: [[SELECT:%.*]] = select <2 x i1> [[ICMP]], <2 x double> splat (double 1.000000e+00), <2 x double> zeroinitializer
; CHECK: [[FMUL:%.*]] = fmul <2 x double> %dv, [[SELECT]]
; CHECK: [[REDUCE_FADD:%.*]] = {{.*}}call double @llvm.vector.reduce.fadd.v2f64(double -0.000000e+00, <2 x double> [[FMUL]])
; CHECK: ret double [[REDUCE_FADD]]
; O0-LABEL: define {{.*}} @tangent_v2f64(
; O0-NEXT: {{%.*}} = call { double } @__enzpy_fwddiff.f_v2f64.{{[a-z0-9_]+}}(<2 x double> %v, <2 x double> %dv)
define double @tangent_v2f64(<2 x double> %v, <2 x double> %dv) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f_v2f64, <2 x double> %v, <2 x double> %dv)
  ret double %d
}

define float @f_v4f32(<4 x float> %v) {
  %r = call float @llvm.vector.reduce.fminimum.v4f32(<4 x float> %v)
  ret float %r
}

; CHECK-LABEL: define {{.*}} @grad_v4f32(
; CHECK: [[REDUCE_FMINIMUM:%.*]] = {{.*}}call float @llvm.vector.reduce.fminimum.v4f32(<4 x float> %v)
; CHECK: [[IE:%.*]] = insertelement <4 x float> poison, float [[REDUCE_FMINIMUM]], i64 0
; CHECK: [[SPLAT:%.*]] = shufflevector <4 x float> [[IE]], <4 x float> poison, <4 x i32> zeroinitializer
; CHECK: [[FCMP:%.*]] = fcmp oeq <4 x float> %v, [[SPLAT]]
; CHECK: [[BITCAST:%.*]] = bitcast <4 x i1> [[FCMP]] to i4
; CHECK: [[CTTZ:%.*]] = {{.*}}call {{.*}}i4 @llvm.cttz.i4(i4 [[BITCAST]], i1 false)
; CHECK: [[ZEXT:%.*]] = zext nneg i4 [[CTTZ]] to i32
; CHECK: [[IE2:%.*]] = insertelement <4 x i32> poison, i32 [[ZEXT]], i64 0
; CHECK: [[SPLAT2:%.*]] = shufflevector <4 x i32> [[IE2]], <4 x i32> poison, <4 x i32> zeroinitializer
; CHECK: [[ICMP:%.*]] = icmp eq <4 x i32> [[SPLAT2]], <i32 0, i32 1, i32 2, i32 3>
; CHECK: [[SELECT:%.*]] = select <4 x i1> [[ICMP]], <4 x float> splat (float 1.000000e+00), <4 x float> zeroinitializer
; CHECK: [[IV:%.*]] = insertvalue { <4 x float> } poison, <4 x float> [[SELECT]], 0
; CHECK: ret { <4 x float> } [[IV]]
; O0-LABEL: define {{.*}} @grad_v4f32(
; O0-NEXT: {{%.*}} = call { <4 x float> } @__enzpy_diffe.f_v4f32.{{[a-z0-9_]+}}(<4 x float> %v, float 1.000000e+00)
define { <4 x float> } @grad_v4f32(<4 x float> %v) {
  %d = call { <4 x float> } (ptr, ...) @__enzyme_autodiff(ptr @f_v4f32, <4 x float> %v)
  ret { <4 x float> } %d
}

; CHECK-LABEL: define {{.*}} @tangent_v4f32(
; CHECK: [[REDUCE_FMINIMUM:%.*]] = {{.*}}call float @llvm.vector.reduce.fminimum.v4f32(<4 x float> %v)
; CHECK: [[IE:%.*]] = insertelement <4 x float> poison, float [[REDUCE_FMINIMUM]], i64 0
; CHECK: [[SPLAT:%.*]] = shufflevector <4 x float> [[IE]], <4 x float> poison, <4 x i32> zeroinitializer
; CHECK: [[FCMP:%.*]] = fcmp oeq <4 x float> %v, [[SPLAT]]
; CHECK: [[BITCAST:%.*]] = bitcast <4 x i1> [[FCMP]] to i4
; CHECK: [[CTTZ:%.*]] = {{.*}}call {{.*}}i4 @llvm.cttz.i4(i4 [[BITCAST]], i1 false)
; CHECK: [[ZEXT:%.*]] = zext nneg i4 [[CTTZ]] to i32
; CHECK: [[IE2:%.*]] = insertelement <4 x i32> poison, i32 [[ZEXT]], i64 0
; CHECK: [[SPLAT2:%.*]] = shufflevector <4 x i32> [[IE2]], <4 x i32> poison, <4 x i32> zeroinitializer
; CHECK: [[ICMP:%.*]] = icmp eq <4 x i32> [[SPLAT2]], <i32 0, i32 1, i32 2, i32 3>
; CHECK: [[SELECT:%.*]] = select <4 x i1> [[ICMP]], <4 x float> splat (float 1.000000e+00), <4 x float> zeroinitializer
; CHECK: [[FMUL:%.*]] = fmul <4 x float> %dv, [[SELECT]]
; CHECK: [[REDUCE_FADD:%.*]] = {{.*}}call float @llvm.vector.reduce.fadd.v4f32(float -0.000000e+00, <4 x float> [[FMUL]])
; CHECK: ret float [[REDUCE_FADD]]
; O0-LABEL: define {{.*}} @tangent_v4f32(
; O0-NEXT: {{%.*}} = call { float } @__enzpy_fwddiff.f_v4f32.{{[a-z0-9_]+}}(<4 x float> %v, <4 x float> %dv)
define float @tangent_v4f32(<4 x float> %v, <4 x float> %dv) {
  %d = call float (ptr, ...) @__enzyme_fwddiff(ptr @f_v4f32, <4 x float> %v, <4 x float> %dv)
  ret float %d
}

; CHECK-NOT: __enzyme_
;
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_v2f64.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_v2f64.
; O0-DAG: define internal {{.*}} @__enzpy_diffe.f_v4f32.
; O0-DAG: define internal {{.*}} @__enzpy_fwddiff.f_v4f32.
