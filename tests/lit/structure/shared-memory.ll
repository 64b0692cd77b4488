; GPU shared memory (addrspace(3), addressed through an addrspacecast constant as numba-cuda does): the
; derivative gets a shadow array in shared memory, cleared by the block's threads (a strided loop over the
; linear thread id) and a barrier before the forward sweep; out[t] = x[t ^ 1] reverses to dx[t ^ 1] += dout[t].
; RUN: %enzpy-opt %s -O0 -S -o - | FileCheck %s

target triple = "nvptx64-nvidia-cuda"
@smem = internal addrspace(3) global [64 x double] undef, align 8
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare void @llvm.nvvm.barrier.cta.sync.aligned.all(i32)
declare void @__enzyme_autodiff(ptr, ...)

define void @f(ptr %x, ptr %out) {
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %t64 = zext i32 %t to i64
  %px = getelementptr double, ptr %x, i64 %t64
  %v = load double, ptr %px
  %ps = getelementptr double, ptr addrspacecast (ptr addrspace(3) @smem to ptr), i64 %t64
  store double %v, ptr %ps
  call void @llvm.nvvm.barrier.cta.sync.aligned.all(i32 0)
  %u = xor i64 %t64, 1
  %pu = getelementptr double, ptr addrspacecast (ptr addrspace(3) @smem to ptr), i64 %u
  %w = load double, ptr %pu
  %po = getelementptr double, ptr %out, i64 %t64
  store double %w, ptr %po
  ret void
}

; CHECK: @smem.shadow = internal addrspace(3) global [64 x double] undef, align 8
; CHECK-LABEL: define internal {{.*}} @__enzpy_diffe.f.
; CHECK: call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
; CHECK: shared.zero:
; CHECK: store i64 0, ptr addrspace(3) %{{.*}}
; CHECK: shared.zeroed:
; CHECK-NEXT: call void @llvm.nvvm.barrier.cta.sync.aligned.all(i32 0)
; CHECK: addrspacecast ptr addrspace(3) @smem.shadow to ptr
define void @grad(ptr %x, ptr %dx, ptr %out, ptr %dout) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @f, ptr %x, ptr %dx, ptr %out, ptr %dout)
  ret void
}
