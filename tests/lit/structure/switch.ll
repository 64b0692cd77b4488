; switch and a three-way join phi. f(x, k) = k == 0 ? sin(x) : k == 1 ? exp(x) : x * x
;
; Reverse mode (-O0): the join block records which of its three predecessors ran (an i32; the join runs
; at most once, so in a stack slot rather than on the tape); the reverse of the join reads it, switches on
; it and sends the adjoint of the phi to the matching incoming value. exp's partial is its result, so case1
; keeps %e in a slot and rev.case1 reads it back.
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s --check-prefix=O0
; RUN: %enzpy-opt %s -S -o - -O2 | FileCheck %s
; RUN: %enzpy-opt %s -S -o %t.ll -O2
; RUN: %clang %t.ll %S/Inputs/switch.c -lm -o %t.exe
; RUN: %t.exe

declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)
declare double @llvm.sin.f64(double)
declare double @llvm.exp.f64(double)

define double @f(double %x, i32 %k) {
entry:
  switch i32 %k, label %other [
    i32 0, label %case0
    i32 1, label %case1
  ]
case0:
  %s = call double @llvm.sin.f64(double %x)
  br label %join
case1:
  %e = call double @llvm.exp.f64(double %x)
  br label %join
other:
  %q = fmul double %x, %x
  br label %join
join:
  %r = phi double [ %s, %case0 ], [ %e, %case1 ], [ %q, %other ]
  ret double %r
}

define double @grad(double %x, i32 %k) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, double %x, i32 %k)
  ret double %d
}

; Forward mode keeps the switch and joins the tangents with a phi.
; CHECK-LABEL: define double @tangent(
; CHECK: switch i32 %k, label %[[OTHER:.*]] [
; CHECK-NEXT: i32 0, label %[[C0:.*]]
; CHECK-NEXT: i32 1, label %[[C1:.*]]
; CHECK: [[C0]]:
; CHECK-NEXT: [[COS:%.*]] = {{.*}}call double @llvm.cos.f64(double %x)
; CHECK-NEXT: [[T0:%.*]] = fmul double [[COS]], %dx
; CHECK: [[C1]]:
; CHECK-NEXT: [[E:%.*]] = {{.*}}call double @llvm.exp.f64(double %x)
; CHECK-NEXT: [[T1:%.*]] = fmul double [[E]], %dx
; CHECK: [[OTHER]]:
; CHECK-NEXT: [[XDX:%.*]] = fmul double %x, %dx
; CHECK-NEXT: [[T2:%.*]] = fadd double [[XDX]], [[XDX]]
; CHECK: [[DR:%.*]] = phi double [ [[T0]], %[[C0]] ], [ [[T1]], %[[C1]] ], [ [[T2]], %[[OTHER]] ]
; CHECK-NEXT: ret double [[DR]]
define double @tangent(double %x, double %dx, i32 %k) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f, double %x, double %dx, i32 %k)
  ret double %d
}

; O0-LABEL: define internal { double } @__enzpy_diffe.f.
; O0-SAME: (double [[X:%.*]], i32 {{%.*}}, double [[SEED:%.*]])
; blocks that run at most once keep what the reverse needs in stack slots, not on the tape
; O0: case1:
; O0: %e = call double @llvm.exp.f64(double [[X]])
; O0: store double %e, ptr %e.once
; O0: join:
; O0: %r = phi double [ %s, %case0 ], [ %e, %[[C1P:.*]] ], [ %q, %other ]
; O0-NEXT: %from = phi i32 [ 0, %other ], [ 1, %[[C1P]] ], [ 2, %case0 ]
; O0: store i32 %from, ptr %from.slot
;
; O0: rev.join.body:
; O0: fadd double {{%.*}}, [[SEED]]
; O0-NEXT: store double {{%.*}}, ptr %r.adj
; O0-NEXT: [[DR:%.*]] = load double, ptr %r.adj
; O0-NEXT: store double -0.000000e+00, ptr %r.adj
; O0: [[FROM:%.*]] = load i32, ptr
; O0-NEXT: switch i32 [[FROM]], label %rev.unreachable [
; O0-NEXT: i32 0, label %[[E0:.*]]
; O0-NEXT: i32 1, label %[[E1:.*]]
; O0-NEXT: i32 2, label %[[E2:.*]]
; O0-NEXT: ]
;
; reverse of x * x
; O0: rev.other.body:
; O0: [[DQ:%.*]] = load double, ptr %q.adj
; O0: fmul double [[X]], [[DQ]]
; O0: fmul double [[X]], [[DQ]]
; reverse of sin: cos(x) * adjoint
; O0: rev.case0.body:
; O0: [[DS:%.*]] = load double, ptr %s.adj
; O0: [[COS:%.*]] = call double @llvm.cos.f64(double [[X]])
; O0-NEXT: fmul double [[COS]], [[DS]]
; reverse of exp: reload e from its slot, then e * adjoint
; O0: rev.case1:
; O0: [[ET:%.*]] = load double, ptr %e.once
; O0: rev.case1.body:
; O0: [[DE:%.*]] = load double, ptr %e.adj
; O0: fmul double [[ET]], [[DE]]
;
; each edge of the switch gives the phi's adjoint to its incoming value
; O0: [[E0]]:
; O0: fadd double {{%.*}}, [[DR]]
; O0-NEXT: store double {{%.*}}, ptr %q.adj
; O0-NEXT: br label %rev.other
; O0: [[E1]]:
; O0: fadd double {{%.*}}, [[DR]]
; O0-NEXT: store double {{%.*}}, ptr %e.adj
; O0-NEXT: br label %rev.case1
; O0: [[E2]]:
; O0: fadd double {{%.*}}, [[DR]]
; O0-NEXT: store double {{%.*}}, ptr %s.adj
; O0-NEXT: br label %rev.case0
