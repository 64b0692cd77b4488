; Heap memory. f(x) computes x^3 through a malloc'ed buffer and frees it.
; Both modes allocate a zeroed shadow buffer (calloc) next to the malloc. In reverse mode the
; primal buffer is freed where the program frees it, but the shadow must live until the reverse
; sweep is done with it: it is freed in the reverse of the malloc. Forward mode frees the shadow
; next to the primal.
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s --check-prefix=O0
; RUN: %enzpy-opt %s -S -o - -O2 | FileCheck %s
; RUN: %enzpy-opt %s -S -o %t.ll -O2
; RUN: %clang %t.ll %S/Inputs/malloc-free.c -lm -o %t.exe
; RUN: %t.exe

declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)
declare ptr @malloc(i64)
declare void @free(ptr)

define double @f(double %x) {
  %buf = call ptr @malloc(i64 16)
  %sq = fmul double %x, %x
  store double %sq, ptr %buf
  %p1 = getelementptr inbounds double, ptr %buf, i64 1
  %a = load double, ptr %buf
  %cube = fmul double %a, %x
  store double %cube, ptr %p1
  %r = load double, ptr %p1
  call void @free(ptr %buf)
  ret double %r
}

; after optimization no memory is left, only 3x^2 = x*x + 2*x*x
; CHECK-LABEL: define double @grad(
; CHECK-NOT: call
; CHECK: [[SQ:%.*]] = fmul double %x, %x
; CHECK-NOT: call
; CHECK: ret double
define double @grad(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, double %x)
  ret double %d
}

; CHECK-LABEL: define double @tangent(
; CHECK-NOT: call
; CHECK: ret double
define double @tangent(double %x, double %dx) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f, double %x, double %dx)
  ret double %d
}

; O0-LABEL: define internal { double } @__enzpy_diffe.f.
; O0: %buf = call ptr @malloc(i64 16)
; O0-NEXT: [[SH:%.*]] = call ptr @calloc(i64 16, i64 1)
; O0: %"p1'" = getelementptr inbounds double, ptr [[SH]], i64 1
; O0: call void @free(ptr %buf)
; O0-NOT: call void @free(ptr [[SH]])
; O0: rev..body:
; reverse of the load of %r from p1: r's adjoint is added into the shadow of p1 ...
; O0: [[OLD1:%.*]] = load double, ptr %"p1'"
; O0-NEXT: [[NEW1:%.*]] = fadd double [[OLD1]],
; O0-NEXT: store double [[NEW1]], ptr %"p1'"
; ... and the reverse of the store of %cube takes it out again and zeroes the shadow
; O0-NEXT: [[DC:%.*]] = load double, ptr %"p1'"
; O0-NEXT: store double 0.000000e+00, ptr %"p1'"
; O0-NEXT: load double, ptr %cube.adj
; the same for the load of %a from and the store of %sq to buf[0]
; O0: [[OLD0:%.*]] = load double, ptr [[SH]]
; O0-NEXT: [[NEW0:%.*]] = fadd double [[OLD0]],
; O0-NEXT: store double [[NEW0]], ptr [[SH]]
; O0-NEXT: [[DS:%.*]] = load double, ptr [[SH]]
; O0-NEXT: store double 0.000000e+00, ptr [[SH]]
; O0-NEXT: load double, ptr %sq.adj
; the reverse of the malloc frees the shadow, at the end of the reverse sweep
; O0: call void @free(ptr [[SH]])
; O0-NEXT: br label %rev.return
;
; O0-LABEL: define internal { double } @__enzpy_fwddiff.f.
; O0: %buf = call ptr @malloc(i64 16)
; O0-NEXT: [[FSH:%.*]] = call ptr @calloc(i64 16, i64 1)
; O0: store double %sq, ptr %buf
; O0-NEXT: store double {{%.*}}, ptr [[FSH]]
; O0: call void @free(ptr %buf)
; O0-NEXT: call void @free(ptr [[FSH]])
