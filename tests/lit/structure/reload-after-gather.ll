; A masked gather only reads memory (its pointer operands carry no readonly attribute; the call's memory
; effects say so): it must not count as a write, or the arguments of a function that gathers (numba's
; fastmath GMM does) are no longer known to be unwritten, and every load from them is taped instead of
; loaded again in the reverse sweep. Here a[i], needed for cos(a[i]), is reloaded, not taped.
;
; CHECK-LABEL: define internal {{.*}}@__enzpy_diffe.f.
; CHECK-NOT: store double %v, ptr
; CHECK: %v.re = load double
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s
; RUN: %enzpy-opt %s -S -o %t.ll -O2
; RUN: %clang -O2 %t.ll %S/Inputs/reload-after-gather.c -lm -o %t.exe
; RUN: %t.exe

declare void @__enzyme_autodiff(ptr, ...)
declare double @llvm.sin.f64(double)
declare <2 x double> @llvm.masked.gather.v2f64.v2p0(<2 x ptr>, <2 x i1>, <2 x double>)

; f(a, b, n) = b[0] b[1] sum_i sin(a[i]), with b[0] and b[1] read by one gather
define double @f(ptr %a, ptr %b, i64 %n) {
entry:
  %p0 = insertelement <2 x ptr> poison, ptr %b, i64 0
  %ps = shufflevector <2 x ptr> %p0, <2 x ptr> poison, <2 x i32> zeroinitializer
  %gp = getelementptr double, <2 x ptr> %ps, <2 x i64> <i64 0, i64 1>
  %g = call <2 x double> @llvm.masked.gather.v2f64.v2p0(<2 x ptr> align 8 %gp, <2 x i1> splat (i1 true), <2 x double> poison)
  %g0 = extractelement <2 x double> %g, i64 0
  %g1 = extractelement <2 x double> %g, i64 1
  %w = fmul double %g0, %g1
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %s = phi double [ 0.0, %entry ], [ %s.next, %loop ]
  %p = getelementptr double, ptr %a, i64 %i
  %v = load double, ptr %p, align 8
  %e = call double @llvm.sin.f64(double %v)
  %t = fmul double %e, %w
  %s.next = fadd double %s, %t
  %i.next = add i64 %i, 1
  %more = icmp ult i64 %i.next, %n
  br i1 %more, label %loop, label %exit
exit:
  ret double %s.next
}

define void @grad(ptr %a, ptr %da, ptr %b, ptr %db, i64 %n) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @f, ptr %a, ptr %da, ptr %b, ptr %db, i64 %n)
  ret void
}
