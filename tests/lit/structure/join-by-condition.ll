; A join of two predecessors that the branch ending its immediate dominator tells apart pushes no predecessor
; id: the reverse sweep branches on that condition, looked up like any other value. Here the diamond's
; condition is the parity of the induction variable, recomputed from the reverse index; the triangle's,
; x[i] > 0, is recomputed from x[i], reloaded (x is never written), so the loop tapes nothing (it was an
; 8-byte id of its own, then a byte in the record of the block that joins).
;
; CHECK-LABEL: define internal {{.*}}@__enzpy_diffe.parity_sum.
; CHECK-NOT: %from
; CHECK-NOT: store i1 %pos
; CHECK: %pos.re = fcmp ogt double
; CHECK-NOT: %from
; CHECK: br i1 %pos.re
; CHECK-NOT: %from
; CHECK: %even.re = icmp eq i64
; CHECK: br i1 %even.re
; CHECK-NOT: %from
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s
; RUN: %enzpy-opt %s -S -o %t.ll -O2
; RUN: %clang -O2 %t.ll %S/Inputs/join-by-condition.c -lm -o %t.exe
; RUN: %t.exe

declare void @__enzyme_autodiff(ptr, ...)
declare double @llvm.sin.f64(double)

; sum_i (i even ? x_i^2 : sin x_i) + (x_i > 0 ? 3 x_i : x_i^3)
define double @parity_sum(ptr %x, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %tail ]
  %s = phi double [ 0.0, %entry ], [ %s.next, %tail ]
  %p = getelementptr double, ptr %x, i64 %i
  %v = load double, ptr %p, align 8
  %bit = and i64 %i, 1
  %even = icmp eq i64 %bit, 0
  br i1 %even, label %square, label %sine
square:
  %a = fmul double %v, %v
  br label %join
sine:
  %b = call double @llvm.sin.f64(double %v)
  br label %join
join:
  %t = phi double [ %a, %square ], [ %b, %sine ]
  %v2 = fmul double %v, %v
  %cube = fmul double %v2, %v
  %pos = fcmp ogt double %v, 0.0
  br i1 %pos, label %linear, label %tail
linear:
  %lin = fmul double %v, 3.0
  br label %tail
tail:
  %u = phi double [ %lin, %linear ], [ %cube, %join ]
  %s1 = fadd double %s, %t
  %s.next = fadd double %s1, %u
  %i.next = add i64 %i, 1
  %more = icmp ult i64 %i.next, %n
  br i1 %more, label %loop, label %exit
exit:
  ret double %s.next
}

define void @grad(ptr %x, ptr %dx, i64 %n) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @parity_sum, ptr %x, ptr %dx, i64 %n)
  ret void
}
