; The exit of an unrolled loop (in a loop over rows) joins three predecessors: the loop was skipped, only its remainder ran, or its
; main part ran too. The branches on the way tell them apart: n > 0 (ending the join's immediate dominator) and
; then, among the two that passed it, n < 4, ending their nearest common dominator. The reverse sweep tests
; n > 0, then computes n < 4 again from n: no predecessor id on the tape, and the only tape records left are
; the two loops' counts.
;
; CHECK-LABEL: define internal {{.*}}@__enzpy_diffe.cubes.
; CHECK-NOT: %from
; CHECK: rev.exit:
; CHECK: %has.re = icmp sgt i64
; CHECK: br i1 %has.re
; CHECK: %few.again = icmp ult i64
; CHECK: br i1 %few.again
; CHECK-NOT: %from
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s
; RUN: %enzpy-opt %s -S -o %t.ll -O2
; RUN: %clang -O2 %t.ll %S/Inputs/join-by-nested-conditions.c -lm -o %t.exe
; RUN: %t.exe

declare void @__enzyme_autodiff(ptr, ...)

; sum over m rows of n elements of x_i^3; in each row, the first n mod 4 terms in a remainder loop, the rest
; in a loop unrolled by 2
define double @cubes(ptr %x, i64 %n, i64 %m) {
entry:
  br label %row
row:
  %r = phi i64 [ 0, %entry ], [ %r.next, %exit ]
  %total = phi double [ 0.0, %entry ], [ %total.next, %exit ]
  %off = mul i64 %r, %n
  %xr = getelementptr double, ptr %x, i64 %off
  %has = icmp sgt i64 %n, 0
  br i1 %has, label %pre, label %exit
pre:
  %rem = and i64 %n, 3
  %none = icmp eq i64 %rem, 0
  br i1 %none, label %mid, label %prol
prol:
  %pi = phi i64 [ 0, %pre ], [ %pi.next, %prol ]
  %ps = phi double [ 0.0, %pre ], [ %ps.next, %prol ]
  %pp = getelementptr double, ptr %xr, i64 %pi
  %pv = load double, ptr %pp, align 8
  %pv2 = fmul double %pv, %pv
  %pv3 = fmul double %pv2, %pv
  %ps.next = fadd double %ps, %pv3
  %pi.next = add i64 %pi, 1
  %pdone = icmp eq i64 %pi.next, %rem
  br i1 %pdone, label %mid, label %prol
mid:
  %s1 = phi double [ 0.0, %pre ], [ %ps.next, %prol ]
  %i0 = phi i64 [ 0, %pre ], [ %rem, %prol ]
  %few = icmp ult i64 %n, 4
  br i1 %few, label %exit, label %main
main:
  %mi = phi i64 [ %i0, %mid ], [ %mi.next, %main ]
  %ms = phi double [ %s1, %mid ], [ %ms.next, %main ]
  %mp = getelementptr double, ptr %xr, i64 %mi
  %mv = load double, ptr %mp, align 8
  %mv2 = fmul double %mv, %mv
  %mv3 = fmul double %mv2, %mv
  %ms.a = fadd double %ms, %mv3
  %mi.1 = add i64 %mi, 1
  %mp.1 = getelementptr double, ptr %xr, i64 %mi.1
  %mw = load double, ptr %mp.1, align 8
  %mw2 = fmul double %mw, %mw
  %mw3 = fmul double %mw2, %mw
  %ms.next = fadd double %ms.a, %mw3
  %mi.next = add i64 %mi, 2
  %mdone = icmp sge i64 %mi.next, %n
  br i1 %mdone, label %exit, label %main
exit:
  %s = phi double [ 0.0, %row ], [ %s1, %mid ], [ %ms.next, %main ]
  %total.next = fadd double %total, %s
  %r.next = add i64 %r, 1
  %more = icmp slt i64 %r.next, %m
  br i1 %more, label %row, label %done
done:
  ret double %total.next
}

define void @grad(ptr %x, ptr %dx, i64 %n, i64 %m) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @cubes, ptr %x, ptr %dx, i64 %n, i64 %m)
  ret void
}
