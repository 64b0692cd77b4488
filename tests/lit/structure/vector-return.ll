; BUG: a derivative of vector type cannot be returned in a vector. When __enzyme_fwddiff or
; __enzyme_autodiff is called with a return type <2 x double> and the (single) derivative is
; itself a <2 x double> (the tangent of a vector function, or the adjoint of a vector argument),
; deliverResults (cpp/lib/frontend/EnzymeABI.cpp) treats the vector as N scalar slots and emits
;   insertelement <2 x double> zeroinitializer, <2 x double> %d, i64 0
; which the verifier rejects: "enzpy-opt: error: the module is not valid LLVM IR: Invalid
; insertelement operands!". Returning it in a struct { <2 x double> } works (see
; tests/lit/rules/sin.ll). A lone vector derivative should be returned as the vector itself.
;
; RUN: %enzpy-opt %s -S -o - -O2 | FileCheck %s

declare <2 x double> @__enzyme_fwddiff(ptr, ...)
declare <2 x double> @__enzyme_autodiff(ptr, ...)
declare <2 x double> @llvm.sin.v2f64(<2 x double>)
declare double @llvm.vector.reduce.fadd.v2f64(double, <2 x double>)

define <2 x double> @f(<2 x double> %x) {
  %r = call <2 x double> @llvm.sin.v2f64(<2 x double> %x)
  ret <2 x double> %r
}

; CHECK-LABEL: define <2 x double> @tangent(
; CHECK: [[COS:%.*]] = {{.*}}call <2 x double> @llvm.cos.v2f64(<2 x double> %x)
; CHECK: [[T:%.*]] = fmul <2 x double> [[COS]], %dx
; CHECK: ret <2 x double> [[T]]
define <2 x double> @tangent(<2 x double> %x, <2 x double> %dx) {
  %d = call <2 x double> (ptr, ...) @__enzyme_fwddiff(ptr @f, <2 x double> %x, <2 x double> %dx)
  ret <2 x double> %d
}

; g(v) = sin(v[0]) + sin(v[1]): its gradient is the vector cos(v)
define double @g(<2 x double> %v) {
  %s = call <2 x double> @llvm.sin.v2f64(<2 x double> %v)
  %r = call double @llvm.vector.reduce.fadd.v2f64(double -0.0, <2 x double> %s)
  ret double %r
}

; CHECK-LABEL: define <2 x double> @grad(
; CHECK: [[COS:%.*]] = {{.*}}call <2 x double> @llvm.cos.v2f64(<2 x double> %v)
; CHECK: ret <2 x double>
define <2 x double> @grad(<2 x double> %v) {
  %d = call <2 x double> (ptr, ...) @__enzyme_autodiff(ptr @g, <2 x double> %v)
  ret <2 x double> %d
}
