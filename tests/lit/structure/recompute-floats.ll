; Float values the reverse sweep recomputes instead of taping: those it can compute from values it has without
; a tape (here from a[i], reloaded: a is never written), when the instruction costs less than a tape record's
; round trip. f(a, n) = sum_i sin(a[i] * a[i] + 1) + g(a[i] * a[i]) with g = exp.
;
; * sin's partial cos(t) needs t = a[i]^2 + 1: an fmul and an fadd, recomputed (t.re), not taped;
; * exp's partial is exp(u) itself: an exact exp is costly, so it is taped (8 bytes per iteration);
;   one that may be approximated (`afn`, numba's fastmath=True), which vector math makes cheap where the loop
;   vectorizes, is recomputed, and the loop of @approx keeps no record at all.
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s
; RUN: %enzpy-opt %s -S -o %t0.ll -O0
; RUN: %clang %t0.ll %S/Inputs/recompute-floats.c -lm -o %t0.exe
; RUN: %t0.exe
; RUN: %enzpy-opt %s -S -o %t2.ll -O2
; RUN: %clang %t2.ll %S/Inputs/recompute-floats.c -lm -o %t2.exe
; RUN: %t2.exe

declare void @__enzyme_autodiff(ptr, ...)
declare double @llvm.sin.f64(double)
declare double @llvm.exp.f64(double)

define double @exact(ptr %a, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %s = phi double [ 0.0, %entry ], [ %s.next, %loop ]
  %ai = getelementptr double, ptr %a, i64 %i
  %x = load double, ptr %ai
  %u = fmul double %x, %x
  %t = fadd double %u, 1.0
  %st = call double @llvm.sin.f64(double %t)
  %e = call double @llvm.exp.f64(double %u)
  %s1 = fadd double %s, %st
  %s.next = fadd double %s1, %e
  %i.next = add i64 %i, 1
  %c = icmp slt i64 %i.next, %n
  br i1 %c, label %loop, label %exit
exit:
  ret double %s.next
}

define double @approx(ptr %a, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %s = phi double [ 0.0, %entry ], [ %s.next, %loop ]
  %ai = getelementptr double, ptr %a, i64 %i
  %x = load double, ptr %ai
  %u = fmul double %x, %x
  %t = fadd double %u, 1.0
  %st = call double @llvm.sin.f64(double %t)
  %e = call afn double @llvm.exp.f64(double %u)
  %s1 = fadd double %s, %st
  %s.next = fadd double %s1, %e
  %i.next = add i64 %i, 1
  %c = icmp slt i64 %i.next, %n
  br i1 %c, label %loop, label %exit
exit:
  ret double %s.next
}

define void @grad_exact(ptr %a, ptr %da, i64 %n) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @exact, ptr %a, ptr %da, i64 %n)
  ret void
}

define void @grad_approx(ptr %a, ptr %da, i64 %n) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @approx, ptr %a, ptr %da, i64 %n)
  ret void
}

; CHECK-LABEL: define internal {} @__enzpy_diffe.approx.
; CHECK-NOT: store double {{.*}}, ptr %tape.slot
; CHECK-NOT: iter.record
; CHECK: rev.loop:
; CHECK-DAG: %e.re = call afn double @llvm.exp.f64(double %u.re)
; CHECK-DAG: %t.re = fadd double %u.re, 1.000000e+00
; CHECK: ret {}
; CHECK-LABEL: define internal {} @__enzpy_diffe.exact.
; CHECK: store double %e, ptr
; CHECK: rev.loop:
; CHECK-DAG: %e.taped = load double
; CHECK-DAG: %t.re = fadd double %u.re, 1.000000e+00
; CHECK-DAG: %u.re = fmul double %x.re, %x.re
