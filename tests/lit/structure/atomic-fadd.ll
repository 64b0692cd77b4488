; An atomic accumulation (a GPU-style reduction): acc += x atomically.
; Reverse: x's adjoint is the adjoint of acc (read, not zeroed); forward: the tangent is added atomically.
; RUN: %enzpy-opt %s -S -o - | FileCheck %s

declare double @__enzyme_autodiff(ptr, ...)
declare void @__enzyme_fwddiff(ptr, ...)

define void @f(ptr %acc, double %x) {
  %sq = fmul double %x, %x
  %old = atomicrmw fadd ptr %acc, double %sq monotonic
  ret void
}

; CHECK-LABEL: define {{.*}}double @grad(
; CHECK: %[[D:.*]] = load double, ptr %dacc
; CHECK-NOT: store double 0.0{{.*}}ptr %dacc
; CHECK: fmul double %x, %[[D]]
; CHECK: ret double
define double @grad(ptr %acc, ptr %dacc, double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, ptr %acc, ptr %dacc, double %x)
  ret double %d
}

; CHECK-LABEL: define {{.*}}void @tangent(
; CHECK: atomicrmw fadd ptr %acc, double
; CHECK: atomicrmw fadd ptr %dacc, double
define void @tangent(ptr %acc, ptr %dacc, double %x, double %dx) {
  call void (ptr, ...) @__enzyme_fwddiff(ptr @f, ptr %acc, ptr %dacc, double %x, double %dx)
  ret void
}
