; Tape records of a vectorized loop (x <- a x^2 in place, <4 x double> per iteration): they start on a cache line,
; so their vectors are aligned, and the reverse sweep prefetches the records below the one it reads. (Storing
; them non-temporally once the tape outgrew the caches was tried and removed: bench/ISSUES.md, stop 18.)
;
; The reservation on the edge into the loop takes 56 bytes of padding and aligns its start up to 64 bytes.
; CHECK-LABEL: define internal {{.*}}@__enzpy_diffe.square_scale.
; CHECK: loop.records.pushed:
; CHECK: [[PAD:%.*]] = and i64 {{%.*}}, 63
; CHECK: %tape.aligned = getelementptr i8, ptr {{%.*}}, i64 [[PAD]]
; Each iteration's record: 64 bytes, v*v at offset 0 (64-byte aligned) and v at 32, plain stores.
; CHECK: %iter.record = getelementptr i8, ptr %tape.aligned, i64
; CHECK-NOT: nontemporal
; CHECK: store <4 x double> %sq, ptr {{%.*}}, align 64
; CHECK-NEXT: getelementptr
; CHECK-NEXT: store <4 x double> %v, ptr {{%.*}}, align 32
; CHECK-NOT: sfence
; The reverse sweep releases the records and the padding, and reads each record aligned, prefetching 8 kB below.
; CHECK: %tape.aligned{{[0-9]+}} = getelementptr i8
; CHECK-NEXT: store ptr %tape.aligned{{[0-9]+}}, ptr %rev.loop.records
; CHECK: %tape.prefetch = getelementptr i8, ptr %iter.record{{[0-9]+}}, i64 -8192
; CHECK-NEXT: call void @llvm.prefetch.p0(ptr %tape.prefetch, i32 0, i32 3, i32 1)
; CHECK: %sq.taped = load <4 x double>, ptr {{%.*}}, align 64
; CHECK: %v.taped = load <4 x double>, ptr {{%.*}}, align 32
;
; Run: loops of 1, 3, 5 and 1000 iterations (the tape stays small), and one of 2^20 (a 64 MiB tape); the small
; ones after it run on the large parked buffer.
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s
; RUN: %enzpy-opt %s -S -o %t.ll -O2
; RUN: %clang -O2 %t.ll %S/Inputs/aligned-records.c -lm -o %t.exe
; RUN: %t.exe

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare void @__enzyme_autodiff(ptr, ...)

define void @square_scale(ptr %x, ptr %pa, i64 %n) {
entry:
  %a = load double, ptr %pa, align 8
  %ins = insertelement <4 x double> poison, double %a, i64 0
  %as = shufflevector <4 x double> %ins, <4 x double> poison, <4 x i32> zeroinitializer
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %p = getelementptr <4 x double>, ptr %x, i64 %i
  %v = load <4 x double>, ptr %p, align 8
  %sq = fmul <4 x double> %v, %v
  %r = fmul <4 x double> %as, %sq
  store <4 x double> %r, ptr %p, align 8
  %i.next = add i64 %i, 1
  %c = icmp ult i64 %i.next, %n
  br i1 %c, label %loop, label %exit
exit:
  ret void
}

define void @grad(ptr %x, ptr %dx, ptr %pa, ptr %dpa, i64 %n) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @square_scale, ptr %x, ptr %dx, ptr %pa, ptr %dpa, i64 %n)
  ret void
}
