; The same in forward mode.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: unsupported atomic operation on differentiable memory (only atomic fadd/fsub): instruction `%old = atomicrmw fmax ptr %acc, double %x seq_cst, align 8` in function @{{.*}}f{{$}}

declare void @__enzyme_fwddiff(ptr, ...)

define void @f(ptr %acc, double %x) {
  %old = atomicrmw fmax ptr %acc, double %x seq_cst
  ret void
}

define void @tangent(ptr %acc, ptr %dacc, double %x, double %dx) {
  call void (ptr, ...) @__enzyme_fwddiff(ptr @f, ptr %acc, ptr %dacc, double %x, double %dx)
  ret void
}
