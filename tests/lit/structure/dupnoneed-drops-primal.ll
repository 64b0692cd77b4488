; DuplicatedNoNeed: the primal result written to y is not needed, so its store is dropped and the work that
; only fed it (x*x and the sum; exp stays, the tangent needs it) disappears; with enzyme_dup it stays.
; RUN: %enzpy-opt %s -S -o - | FileCheck %s

@enzyme_dup = external global i32
@enzyme_dupnoneed = external global i32
declare void @__enzyme_fwddiff(ptr, ...)
declare double @llvm.exp.f64(double)

define void @f(ptr %y, double %x) {
  %e = call double @llvm.exp.f64(double %x)
  %s = fmul double %x, %x
  %r = fadd double %e, %s
  store double %r, ptr %y
  ret void
}

; CHECK-LABEL: define {{.*}}void @tangent_noneed(
; CHECK-NOT: fmul double %x, %x
; CHECK-NOT: store double {{.*}}, ptr %y
; CHECK: store double {{.*}}, ptr %dy
; CHECK-NOT: store double {{.*}}, ptr %y
; CHECK: ret void
define void @tangent_noneed(ptr %y, ptr %dy, double %x, double %dx) {
  %m = load i32, ptr @enzyme_dupnoneed
  call void (ptr, ...) @__enzyme_fwddiff(ptr @f, i32 %m, ptr %y, ptr %dy, double %x, double %dx)
  ret void
}

; CHECK-LABEL: define {{.*}}void @tangent_dup(
; CHECK: fmul double %x, %x
; CHECK: store double {{.*}}, ptr %y
; CHECK: ret void
define void @tangent_dup(ptr %y, ptr %dy, double %x, double %dx) {
  %m = load i32, ptr @enzyme_dup
  call void (ptr, ...) @__enzyme_fwddiff(ptr @f, i32 %m, ptr %y, ptr %dy, double %x, double %dx)
  ret void
}
