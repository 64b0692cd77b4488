; A GPU barrier in the primal is mirrored into the reverse sweep (threads meet again in reverse order).
; RUN: %enzpy-opt %s -O0 -S -o - | FileCheck %s

declare void @llvm.nvvm.barrier0()
declare void @__enzyme_autodiff(ptr, ...)

define void @f(ptr %x, ptr %y) {
  %v = load double, ptr %x
  %sq = fmul double %v, %v
  call void @llvm.nvvm.barrier0()
  store double %sq, ptr %y
  ret void
}

; CHECK-LABEL: define internal {{.*}} @__enzpy_diffe.f.
; CHECK: call void @llvm.nvvm.barrier{{.*}}(
; CHECK: rev.
; CHECK: load double, ptr %{{.*}}
; CHECK: call void @llvm.nvvm.barrier{{.*}}(
; CHECK: fmul double
define void @grad(ptr %x, ptr %dx, ptr %y, ptr %dy) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @f, ptr %x, ptr %dx, ptr %y, ptr %dy)
  ret void
}
