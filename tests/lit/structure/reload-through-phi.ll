; Loads the reverse sweep redoes instead of taping. f(a, n) = sum_i a[i] * a[w(i)], w(i) = i - 1 wrapped
; around to n - 1 (numba's negative indexing: a select), with every product also stored into a fresh
; buffer through a pointer induction (numba's strength-reduced array walks).
;
; Reverse mode (-O0): a is never written (the only stores go into the malloc'd buffer, which the pointer
; phi walks), so loads from a are redone in the reverse sweep, and the wrapped index (a select of integers)
; is recomputed: the loop keeps no record per iteration, and the derivative needs no tape at all.
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s --check-prefix=O0
; RUN: %enzpy-opt %s -S -o %t0.ll -O0
; RUN: %clang %t0.ll %S/Inputs/reload-through-phi.c -lm -o %t0.exe
; RUN: %t0.exe
; RUN: %enzpy-opt %s -S -o %t2.ll -O2
; RUN: %clang %t2.ll %S/Inputs/reload-through-phi.c -lm -o %t2.exe
; RUN: %t2.exe

declare void @__enzyme_autodiff(ptr, ...)
declare ptr @malloc(i64)
declare void @free(ptr)

define double @f(ptr %a, i64 %n) {
entry:
  %bytes = shl i64 %n, 3
  %buf = call ptr @malloc(i64 %bytes)
  %last = add i64 %n, -1
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %p = phi ptr [ %buf, %entry ], [ %p.next, %loop ]
  %s = phi double [ 0.0, %entry ], [ %s.next, %loop ]
  %ai = getelementptr double, ptr %a, i64 %i
  %x = load double, ptr %ai
  %j = add i64 %i, -1
  %neg = icmp slt i64 %j, 0
  %w = select i1 %neg, i64 %last, i64 %j
  %aw = getelementptr double, ptr %a, i64 %w
  %y = load double, ptr %aw
  %xy = fmul double %x, %y
  store double %xy, ptr %p
  %s.next = fadd double %s, %xy
  %p.next = getelementptr i8, ptr %p, i64 8
  %i.next = add i64 %i, 1
  %c = icmp slt i64 %i.next, %n
  br i1 %c, label %loop, label %exit
exit:
  call void @free(ptr %buf)
  ret double %s.next
}

define void @grad(ptr %a, ptr %da, i64 %n) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @f, ptr %a, ptr %da, i64 %n)
  ret void
}

; O0-LABEL: define internal {} @__enzpy_diffe.f.
; O0-NOT: iter.record
; O0-NOT: {{^}}loop.records:
; O0-NOT: store double {{.*}}, ptr %tape.slot
; O0: rev.loop:
; O0: %x.re = load double
; O0: %w.re = select i1
; O0: %y.re = load double
; ... and nothing else needs a tape: the module has no tape growth function
; O0-NOT: define internal void @__enzpy_tape_grow(
