; A load that reads the same value in every iteration of a loop: f(a, n) = sum_j t a[j] with
; t = sin(a[0]) kept in a scratch buffer xc and loaded again on every iteration of the j loop (twice, as in
; an unrolled body: (t a[j] + t a[j]) / 2), which writes another scratch buffer q (numba does this: it cannot
; tell two allocations apart, so it does not hoist the load; the GMM kernel's `qxc[j] += icf[ik, li] * xc[i]`).
; xc is cleared after the loop (as GMM's next point overwrites it), so the reverse sweep cannot read the
; load again from xc (tests/lit/structure/reload-filled-table.ll).
;
; Reverse mode (-O0): the address of the load is invariant, it points into memory f allocated, and the loop
; writes only another allocation, so the loaded value is taped once per loop entry (with the loop's other
; invariants, on the exit edge) instead of once per iteration; a is never written, so a[j] is loaded again.
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
declare double @llvm.sin.f64(double)

define double @f(ptr %a, i64 %n) {
entry:
  %bytes = shl i64 %n, 3
  %xc = call ptr @malloc(i64 8)
  %q = call ptr @malloc(i64 %bytes)
  %a0 = load double, ptr %a
  %t = call double @llvm.sin.f64(double %a0)
  store double %t, ptr %xc
  br label %loop
loop:
  %j = phi i64 [ 0, %entry ], [ %j.next, %loop ]
  %s = phi double [ 0.0, %entry ], [ %s.next, %loop ]
  %xi = load double, ptr %xc
  %aj.p = getelementptr double, ptr %a, i64 %j
  %aj = load double, ptr %aj.p
  %v = fmul double %xi, %aj
  %qj = getelementptr double, ptr %q, i64 %j
  store double %v, ptr %qj
  %xi2 = load double, ptr %xc
  %u = fmul double %xi2, %aj
  %hv = fmul double %v, 0.5
  %hu = fmul double %u, 0.5
  %vu = fadd double %hv, %hu
  %s.next = fadd double %s, %vu
  %j.next = add i64 %j, 1
  %c = icmp slt i64 %j.next, %n
  br i1 %c, label %loop, label %exit
exit:
  store double 0.0, ptr %xc
  call void @free(ptr %q)
  call void @free(ptr %xc)
  ret double %s.next
}

define void @grad(ptr %a, ptr %da, i64 %n) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @f, ptr %a, ptr %da, i64 %n)
  ret void
}

; O0-LABEL: define internal {} @__enzpy_diffe.f.
; the loop keeps no record per iteration
; O0-NOT: iter.record
; O0: br i1 %c, label %loop, label %loop.exit.count
; ... xi goes on the tape once, on the way out; xi2 loads the same address, so it is not taped apart
; O0: loop.exit.count:
; O0: store double %xi, ptr
; O0-NOT: store double %xi2
; O0: rev.loop.invariants:
; O0: %xi.popped = load double
; O0-NEXT: store double %xi.popped, ptr %xi.inv
; O0: rev.loop:
; O0: %xi.inv.load = load double, ptr %xi.inv
; O0: %aj.re = load double
