; An atomic floating-point max (only fadd/fsub are differentiable) of differentiated memory is not supported (reverse mode).
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: unsupported atomic operation on differentiable memory (only atomic fadd/fsub): instruction `%old = atomicrmw fmax ptr %acc, double %x seq_cst, align 8` in function @{{.*}}f{{$}}

declare void @__enzyme_autodiff(ptr, ...)

define void @f(ptr %acc, double %x) {
  %old = atomicrmw fmax ptr %acc, double %x seq_cst
  ret void
}

define void @grad(ptr %acc, ptr %dacc, double %x) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @f, ptr %acc, ptr %dacc, double %x)
  ret void
}
