; Duplicate CFG edges: a switch with two cases into the same block is one predecessor with two edges, and
; every phi in that block has one entry per edge (numba emits such switches after calls: the status codes
; -2 and 0 both continue; LLVM drops a case that goes where the default goes, not two cases that go to
; the same other block). Here they enter a loop whose trip count is known (entry -> loop twice), leave
; another loop (loop2 -> done twice) and join (join has the predecessors mid, mid and side).
;
; f(x, k, n): k == 1: exp(x); otherwise m = (k == 0 or 3 ? acc_n : x) with acc_0 = x, acc_{i+1} =
; sin(acc_i) exp(x), mm = (k == 5 or 6 ? m : m^2), then n steps of b += cos(b) / 2 from b = mm.
;
; Reverse mode (-O0): the phis the forward sweep adds (the loop's iteration counter, the join's
; predecessor id) have an entry for each edge, and the blocks it puts on edges (the loop's records on the
; way in, the count on the way out) take both edges of a pair and give the phis behind them one entry.
; Found by the differential fuzzer (seeds 1003163 and 1003996: "PHINode should have one entry for each
; predecessor of its parent basic block").
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s --check-prefix=O0
; RUN: %enzpy-opt %s -S -o %t0.ll -O0
; RUN: %clang %t0.ll %S/Inputs/duplicate-edges.c -lm -o %t0.exe
; RUN: %t0.exe
; RUN: %enzpy-opt %s -S -o %t2.ll -O2
; RUN: %clang %t2.ll %S/Inputs/duplicate-edges.c -lm -o %t2.exe
; RUN: %t2.exe

declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)
declare double @llvm.sin.f64(double)
declare double @llvm.exp.f64(double)
declare double @llvm.cos.f64(double)

define double @f(double %x, i32 %k, i32 %n) {
entry:
  %e = call double @llvm.exp.f64(double %x)
  switch i32 %k, label %mid [
    i32 0, label %loop
    i32 3, label %loop
    i32 1, label %skip
  ]
loop:
  %i = phi i32 [ 0, %entry ], [ 0, %entry ], [ %i.next, %loop ]
  %acc = phi double [ %x, %entry ], [ %x, %entry ], [ %acc.next, %loop ]
  %s = call double @llvm.sin.f64(double %acc)
  %acc.next = fmul double %s, %e
  %i.next = add i32 %i, 1
  %c = icmp slt i32 %i.next, %n
  br i1 %c, label %loop, label %mid
mid:
  %m = phi double [ %acc.next, %loop ], [ %x, %entry ]
  switch i32 %k, label %side [
    i32 5, label %join
    i32 6, label %join
  ]
side:
  %sq = fmul double %m, %m
  br label %join
join:
  %mm = phi double [ %m, %mid ], [ %m, %mid ], [ %sq, %side ]
  br label %loop2
loop2:
  %j = phi i32 [ 0, %join ], [ %j.next, %loop2 ]
  %b = phi double [ %mm, %join ], [ %b.next, %loop2 ]
  %t = call double @llvm.cos.f64(double %b)
  %th = fmul double %t, 5.000000e-01
  %b.next = fadd double %b, %th
  %j.next = add i32 %j, 1
  %c2 = icmp slt i32 %j.next, %n
  %sel = zext i1 %c2 to i32
  switch i32 %sel, label %skip [
    i32 1, label %loop2
    i32 0, label %done
    i32 7, label %done
  ]
skip:
  %q = phi double [ %e, %entry ], [ %b.next, %loop2 ]
  br label %done
done:
  %r = phi double [ %b.next, %loop2 ], [ %b.next, %loop2 ], [ %q, %skip ]
  ret double %r
}

; The combined derivative's forward sweep: the records of loop reserved on both edges from entry, loop2's
; count pushed on both edges to done, and join's predecessor id with an entry per edge.
; O0-LABEL: define internal { double } @__enzpy_diffe.f.
; O0: switch i32 {{%.*}}, label %mid [
; O0-NEXT: i32 0, label %loop.records
; O0-NEXT: i32 3, label %loop.records
; O0: loop.records:{{ *}}; preds = %entry, %entry
; O0: %iter = phi i64 [ %iter.next, %loop ], [ 0, %loop.records.pushed ]
; O0: join:{{ *}}; preds = %side, %mid, %mid
; O0: phi i32 [ {{[01]}}, %side ], [ [[MID:[01]]], %mid ], [ [[MID]], %mid ]
; O0: switch i32 %sel, label %[[SKIP:loop.exit.count[0-9]*]] [
; O0-NEXT: i32 1, label %loop2
; O0-NEXT: i32 0, label %[[DONE:loop.exit.count[0-9]+]]
; O0-NEXT: i32 7, label %[[DONE]]
; O0: [[DONE]]:{{ *}}; preds = %loop2.pushed, %loop2.pushed
; loop2 leaves through a switch, so its count is not known on entry: it is pushed on its exits
; O0: store i64 %iter{{[0-9]*}}, ptr %tape.slot
; O0: done:{{ *}}; preds = %[[DONE]].pushed, %skip
define double @grad(double %x, i32 %k, i32 %n) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, double %x, i32 %k, i32 %n)
  ret double %d
}

define double @tangent(double %x, double %dx, i32 %k, i32 %n) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f, double %x, double %dx, i32 %k, i32 %n)
  ret double %d
}
