; An indexed loop's record packs its narrow fields: the max and min reductions of exp(x_i) need, per iteration,
; exp(x_i) (8 bytes) and the two select conditions (i1, a byte each after it), so the stride is 16 bytes (it
; was 24 with a slot of 8 bytes per field).
;
; CHECK-LABEL: define internal {{.*}}@__enzpy_diffe.range_of_exp.
; CHECK: mul i64 %iter, 16
; CHECK-DAG: store i1 %down, ptr [[DOWN:%.*]], align 1
; CHECK-DAG: store i1 %up, ptr [[UP:%.*]], align 1
; CHECK-DAG: store double %e, ptr [[E:%.*]], align 1
; CHECK-DAG: [[DOWN]] = getelementptr inbounds i8, ptr %iter.record, i64 8
; CHECK-DAG: [[UP]] = getelementptr inbounds i8, ptr %iter.record, i64 9
; CHECK-DAG: [[E]] = getelementptr inbounds i8, ptr %iter.record, i64 0
; CHECK: %down.taped = load i1
; CHECK: %up.taped = load i1
; CHECK: %e.taped = load double
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s
; RUN: %enzpy-opt %s -S -o %t.ll -O2
; RUN: %clang -O2 %t.ll %S/Inputs/packed-conditions.c -lm -o %t.exe
; RUN: %t.exe

declare void @__enzyme_autodiff(ptr, ...)
declare double @llvm.exp.f64(double)

define double @range_of_exp(ptr %x, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %hi = phi double [ 0xFFF0000000000000, %entry ], [ %hi.next, %loop ]
  %lo = phi double [ 0x7FF0000000000000, %entry ], [ %lo.next, %loop ]
  %p = getelementptr double, ptr %x, i64 %i
  %v = load double, ptr %p, align 8
  %e = call double @llvm.exp.f64(double %v)
  %up = fcmp ogt double %e, %hi
  %hi.next = select i1 %up, double %e, double %hi
  %down = fcmp olt double %e, %lo
  %lo.next = select i1 %down, double %e, double %lo
  %i.next = add i64 %i, 1
  %c = icmp ult i64 %i.next, %n
  br i1 %c, label %loop, label %exit
exit:
  %r = fsub double %hi.next, %lo.next
  ret double %r
}

define void @grad(ptr %x, ptr %dx, i64 %n) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @range_of_exp, ptr %x, ptr %dx, i64 %n)
  ret void
}
