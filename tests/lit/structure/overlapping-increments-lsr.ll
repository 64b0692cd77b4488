; After loop strength reduction (numba's finalized IR) every address stream of a loop has its own pointer
; induction variable: %pa walks x from x+0, %pb from x+8. Their shadows are different phis, so the shadow
; pointers alone show no common base; ScalarEvolution on the primal proves %pb - %pa == 8 in every iteration,
; and a shadow mirrors its primal's address arithmetic, so the two windows of x' are merged all the same
; (one chunk read-modify-write at pb' - 8, i.e. pa', and the last element at pb' + 24).
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s

declare void @__enzyme_autodiff(ptr, ...)

define void @walk(ptr %x, ptr %y, i64 %n) {
entry:
  %x1 = getelementptr inbounds i8, ptr %x, i64 8
  br label %loop

loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %pa = phi ptr [ %x, %entry ], [ %pa.next, %loop ]
  %pb = phi ptr [ %x1, %entry ], [ %pb.next, %loop ]
  %py = phi ptr [ %y, %entry ], [ %py.next, %loop ]
  %a = load <4 x double>, ptr %pa, align 8
  %b = load <4 x double>, ptr %pb, align 8
  %s = fadd <4 x double> %a, %b
  store <4 x double> %s, ptr %py, align 8
  %pa.next = getelementptr inbounds i8, ptr %pa, i64 32
  %pb.next = getelementptr inbounds i8, ptr %pb, i64 32
  %py.next = getelementptr inbounds i8, ptr %py, i64 32
  %i.next = add nuw i64 %i, 1
  %c = icmp ult i64 %i.next, %n
  br i1 %c, label %loop, label %exit

exit:
  ret void
}

define void @grad(ptr %x, ptr %dx, ptr %y, ptr %dy, i64 %n) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @walk, ptr %x, ptr %dx, ptr %y, ptr %dy, i64 %n)
  ret void
}

; CHECK-LABEL: define internal {{.*}} @__enzpy_diffe.walk
; CHECK: rev.loop.body:
; CHECK: %[[P0:[0-9]+]] = getelementptr i8, ptr %"pb'.re", i64 -8
; CHECK-NEXT: %[[C0:[0-9]+]] = load <4 x double>, ptr %[[P0]], align 8
; CHECK-NEXT: shufflevector <4 x double> %{{[0-9]+}}, <4 x double> splat (double -0.000000e+00), <4 x i32> <i32 4, i32 0, i32 1, i32 2>
; CHECK-NEXT: fadd <4 x double> %[[C0]]
; CHECK-NEXT: fadd <4 x double>
; CHECK-NEXT: store <4 x double> %{{[0-9]+}}, ptr %[[P0]], align 8
; CHECK-NEXT: %[[P1:[0-9]+]] = getelementptr i8, ptr %"pb'.re", i64 24
; CHECK-NEXT: load <1 x double>, ptr %[[P1]], align 8
; CHECK-NOT: load <4 x double>, ptr %"pa'.re"
; CHECK: rev.loop.entry:
