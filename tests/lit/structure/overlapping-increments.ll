; The reverse of loads of overlapping windows (a vectorized stencil reads x[0..3], x[1..4], x[2..5]) adds to
; the shadow once per chunk of the span, not once per window: a read-modify-write of a window that partly
; overlaps the one stored just before cannot take its value from the store buffer and waits for it.
; Each contribution is shifted into place with -0.0 lanes (an exact identity) and added in the original order
; (c, b, a: the reverse of the loads), so every element gets the same sums as before. Windows that do not
; overlap (y's) keep their own read-modify-write; pure arithmetic between them does not split the group.
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s

declare void @__enzyme_autodiff(ptr, ...)

define void @stencil(ptr %x, ptr %y) {
  %p1 = getelementptr inbounds i8, ptr %x, i64 8
  %p2 = getelementptr inbounds i8, ptr %x, i64 16
  %a = load <4 x double>, ptr %x, align 8
  %b = load <4 x double>, ptr %p1, align 8
  %c = load <4 x double>, ptr %p2, align 8
  %s = fadd <4 x double> %a, %b
  %t = fsub <4 x double> %s, %c
  %y4 = getelementptr inbounds i8, ptr %y, i64 32
  %w = load <4 x double>, ptr %y4, align 8
  %u = fmul <4 x double> %t, %w
  store <4 x double> %u, ptr %y, align 8
  ret void
}

; CHECK-LABEL: define internal {{.*}} @__enzpy_diffe.stencil
; CHECK: rev..body:
; the store's reverse first: y' is read and zeroed
; CHECK: load <4 x double>, ptr %[[DY:[0-9]+]]
; CHECK-NEXT: store <4 x double> zeroinitializer, ptr %[[DY]]
; the lone window of y keeps its own read-modify-write
; CHECK: %[[OLDW:[0-9]+]] = load <4 x double>, ptr %"y4'"
; CHECK-NEXT: %[[NEWW:[0-9]+]] = fadd <4 x double> %[[OLDW]]
; CHECK-NEXT: store <4 x double> %[[NEWW]], ptr %"y4'"
; x[0..5]: one 4-wide chunk at x' and one 2-wide chunk at x'+32
; CHECK: %[[C0:[0-9]+]] = load <4 x double>, ptr %1, align 8
; CHECK-NEXT: %[[SC:[0-9]+]] = shufflevector <4 x double> %{{[0-9]+}}, <4 x double> splat (double -0.000000e+00), <4 x i32> <i32 4, i32 4, i32 0, i32 1>
; CHECK-NEXT: %[[A1:[0-9]+]] = fadd <4 x double> %[[C0]], %[[SC]]
; CHECK-NEXT: %[[SB:[0-9]+]] = shufflevector <4 x double> %{{[0-9]+}}, <4 x double> splat (double -0.000000e+00), <4 x i32> <i32 4, i32 0, i32 1, i32 2>
; CHECK-NEXT: %[[A2:[0-9]+]] = fadd <4 x double> %[[A1]], %[[SB]]
; CHECK-NEXT: %[[A3:[0-9]+]] = fadd <4 x double> %[[A2]], %{{[0-9]+}}
; CHECK-NEXT: store <4 x double> %[[A3]], ptr %1, align 8
; CHECK-NEXT: %[[P4:[0-9]+]] = getelementptr i8, ptr %1, i64 32
; CHECK-NEXT: %[[C1:[0-9]+]] = load <2 x double>, ptr %[[P4]], align 8
; CHECK-NEXT: shufflevector <4 x double> %{{[0-9]+}}, <4 x double> splat (double -0.000000e+00), <2 x i32> <i32 2, i32 3>
; CHECK-NEXT: fadd <2 x double> %[[C1]]
; CHECK-NEXT: shufflevector <4 x double> %{{[0-9]+}}, <4 x double> splat (double -0.000000e+00), <2 x i32> <i32 3, i32 4>
; CHECK-NEXT: fadd <2 x double>
; CHECK-NEXT: store <2 x double> %{{[0-9]+}}, ptr %[[P4]], align 8
; no other read-modify-write of x'
; CHECK-NOT: ptr %"p1'"
; CHECK-NOT: ptr %"p2'"
; CHECK: ret
define void @grad(ptr %x, ptr %dx, ptr %y, ptr %dy) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @stencil, ptr %x, ptr %dx, ptr %y, ptr %dy)
  ret void
}
