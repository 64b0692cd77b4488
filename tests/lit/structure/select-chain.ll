; Running maxima and minima (the m = max(m, x[i]) of a logsumexp): a loop that writes no memory and keeps its
; value in a chain of selects also keeps the address of the element it picked last, and its result is read
; again from there after the loop (ad/SelectChains.h). The chain then gets no reverse code: no condition is
; taped per element and no zero is added into the shadow of every element it passes; the adjoint of the
; result goes to the one element picked (or to the start value when none was).
;
; runmax: start value m0 (an argument), select(x > m, x, m); the body unrolled twice, as numba's loops are.
; runmin: start value x[0], the arms swapped: select(m <= x, m, x).
; twochains: a maximum and a minimum in one loop.
; kept: the running value also feeds a sum in the loop, so the chain keeps its reverse code (and its taped
; conditions); the gradient is right either way.
;
; RUN: %enzpy-opt %s -S -o - -O2 | FileCheck %s
; RUN: %enzpy-opt %s -S -o %t0.ll -O0
; RUN: %clang %t0.ll %S/Inputs/select-chain.c -o %t0.exe
; RUN: %t0.exe
; RUN: %enzpy-opt %s -S -o %t2.ll -O2
; RUN: %clang %t2.ll %S/Inputs/select-chain.c -o %t2.exe
; RUN: %t2.exe

@enzyme_const = external global i32
declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)

define double @runmax(ptr %x, i64 %n, double %m0) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %m = phi double [ %m0, %entry ], [ %m2, %loop ]
  %p1 = getelementptr double, ptr %x, i64 %i
  %x1 = load double, ptr %p1
  %c1 = fcmp ogt double %x1, %m
  %m1 = select i1 %c1, double %x1, double %m
  %i1 = add i64 %i, 1
  %p2 = getelementptr double, ptr %x, i64 %i1
  %x2 = load double, ptr %p2
  %c2 = fcmp ogt double %x2, %m1
  %m2 = select i1 %c2, double %x2, double %m1
  %i.next = add i64 %i, 2
  %done = icmp uge i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  %r = fmul double %m2, 3.0
  ret double %r
}

define double @runmin(ptr %x, i64 %n) {
entry:
  %m0 = load double, ptr %x
  br label %loop
loop:
  %i = phi i64 [ 1, %entry ], [ %i.next, %loop ]
  %m = phi double [ %m0, %entry ], [ %m1, %loop ]
  %p = getelementptr double, ptr %x, i64 %i
  %xi = load double, ptr %p
  %c = fcmp ole double %m, %xi
  %m1 = select i1 %c, double %m, double %xi
  %i.next = add i64 %i, 1
  %done = icmp uge i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  %r = fmul double %m1, %m1
  ret double %r
}

define double @twochains(ptr %x, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %hi = phi double [ -1.0e300, %entry ], [ %hi1, %loop ]
  %lo = phi double [ 1.0e300, %entry ], [ %lo1, %loop ]
  %p = getelementptr double, ptr %x, i64 %i
  %xi = load double, ptr %p
  %ch = fcmp ogt double %xi, %hi
  %hi1 = select i1 %ch, double %xi, double %hi
  %cl = fcmp olt double %xi, %lo
  %lo1 = select i1 %cl, double %xi, double %lo
  %i.next = add i64 %i, 1
  %done = icmp uge i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  %r = fsub double %hi1, %lo1
  ret double %r
}

define double @kept(ptr %x, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %m = phi double [ -1.0e300, %entry ], [ %m1, %loop ]
  %s = phi double [ 0.0, %entry ], [ %s1, %loop ]
  %p = getelementptr double, ptr %x, i64 %i
  %xi = load double, ptr %p
  %c = fcmp ogt double %xi, %m
  %m1 = select i1 %c, double %xi, double %m
  %s1 = fadd double %s, %m1
  %i.next = add i64 %i, 1
  %done = icmp uge i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret double %s1
}

; CHECK-LABEL: define {{.*}} @d_runmax(
; CHECK-NOT: store i1
; CHECK: ret double
define double @d_runmax(ptr %x, ptr %dx, i64 %n, double %m0) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @runmax, ptr %x, ptr %dx, ptr @enzyme_const, i64 %n, double %m0)
  ret double %d
}

; CHECK-LABEL: define {{.*}} @d_runmin(
; CHECK-NOT: store i1
; CHECK: ret void
define void @d_runmin(ptr %x, ptr %dx, i64 %n) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @runmin, ptr %x, ptr %dx, ptr @enzyme_const, i64 %n)
  ret void
}

; CHECK-LABEL: define {{.*}} @d_twochains(
; CHECK-NOT: store i1
; CHECK: ret void
define void @d_twochains(ptr %x, ptr %dx, i64 %n) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @twochains, ptr %x, ptr %dx, ptr @enzyme_const, i64 %n)
  ret void
}

; CHECK-LABEL: define {{.*}} @d_kept(
; CHECK: store i1
; CHECK: ret void
define void @d_kept(ptr %x, ptr %dx, i64 %n) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @kept, ptr %x, ptr %dx, ptr @enzyme_const, i64 %n)
  ret void
}

; forward mode: one tangent loaded after the loop
define double @t_runmax(ptr %x, ptr %dx, i64 %n, double %m0, double %dm0) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @runmax, ptr %x, ptr %dx, ptr @enzyme_const, i64 %n, double %m0, double %dm0)
  ret double %d
}
