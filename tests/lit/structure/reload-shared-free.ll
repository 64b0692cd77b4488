; malloc'd tables that one free gives back (free of a phi of two blocks, as clang makes of a block allocated
; on two paths): the free moves to the reverse sweep for all of them or for none.
;
; both: two blocks, filled and read through the phi, one free. In split mode (split_both) the reverse pass
; reads the taped pointer again and frees each block where it passes that block's malloc; the augmented pass
; frees nothing. (The free used to be erased once per table: "internal: no primal clone for value".)
; one: only p is read; q is freed by the same call, so q's free moves too (else q would leak).
; mixed: the free also gives back a block the caller passed, which no table is: p is taped, the free stays.
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s
; RUN: %enzpy-opt %s -S -o %t0.ll -O0
; RUN: %clang %t0.ll %S/Inputs/reload-shared-free.c -o %t0.exe
; RUN: %t0.exe
; RUN: %enzpy-opt %s -S -o %t2.ll -O2
; RUN: %clang %t2.ll %S/Inputs/reload-shared-free.c -o %t2.exe
; RUN: %t2.exe

@enzyme_const = external global i32
@enzyme_tape = external global i32
declare double @__enzyme_autodiff(ptr, ...)
declare ptr @__enzyme_augmentfwd(ptr, ...)
declare double @__enzyme_reverse(ptr, ...)
declare ptr @malloc(i64)
declare void @free(ptr)

define double @both(double %x, i1 %c) {
entry:
  br i1 %c, label %a, label %b
a:
  %p = call ptr @malloc(i64 8)
  br label %join
b:
  %q = call ptr @malloc(i64 8)
  br label %join
join:
  %t = phi ptr [ %p, %a ], [ %q, %b ]
  %s = fmul double %x, 3.0
  store double %s, ptr %t
  %v = load double, ptr %t
  %r = fmul double %v, %v
  call void @free(ptr %t)
  ret double %r
}

define double @one(double %x, i1 %c) {
entry:
  br i1 %c, label %a, label %b
a:
  %p = call ptr @malloc(i64 8)
  %s = fmul double %x, 3.0
  store double %s, ptr %p
  %v = load double, ptr %p
  %r1 = fmul double %v, %v
  br label %join
b:
  %q = call ptr @malloc(i64 8)
  %r2 = fmul double %x, %x
  br label %join
join:
  %t = phi ptr [ %p, %a ], [ %q, %b ]
  %r = phi double [ %r1, %a ], [ %r2, %b ]
  call void @free(ptr %t)
  ret double %r
}

define double @mixed(double %x, i1 %c, ptr %ext) {
entry:
  %p = call ptr @malloc(i64 8)
  %s = fmul double %x, 3.0
  store double %s, ptr %p
  %v = load double, ptr %p
  %r = fmul double %v, %v
  br i1 %c, label %a, label %b
a:
  br label %join
b:
  br label %join
join:
  %t = phi ptr [ %p, %a ], [ %ext, %b ]
  call void @free(ptr %t)
  ret double %r
}

define double @d_both(double %x, i1 %c) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @both, double %x, i1 %c)
  ret double %d
}

define double @d_one(double %x, i1 %c) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @one, double %x, i1 %c)
  ret double %d
}

define double @d_mixed(double %x, i1 %c, ptr %ext) {
  %k = load i32, ptr @enzyme_const
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @mixed, double %x, i1 %c, i32 %k, ptr %ext)
  ret double %d
}

define double @split_both(double %x, i1 %c) {
  %k = load i32, ptr @enzyme_const
  %kt = load i32, ptr @enzyme_tape
  %tape = call ptr (ptr, ...) @__enzyme_augmentfwd(ptr @both, double %x, i32 %k, i1 %c)
  %d = call double (ptr, ...) @__enzyme_reverse(ptr @both, double %x, i32 %k, i1 %c, double 1.0, i32 %kt, ptr %tape)
  ret double %d
}

; CHECK-LABEL: define internal { double } @__enzpy_diffe.mixed.
; CHECK: %p = call ptr @malloc(i64 8)
; CHECK: call void @free(ptr %t)
; CHECK-NOT: .re = load
; CHECK: ret { double }

; CHECK-LABEL: define internal { double } @__enzpy_diffe.one.
; CHECK: %p = call ptr @malloc(i64 8)
; CHECK: %q = call ptr @malloc(i64 8)
; CHECK-NOT: call void @free(ptr %t)
; CHECK: %v.re = load double, ptr %p.reload
; CHECK-DAG: call void @free(ptr %p.reload)
; CHECK-DAG: call void @free(ptr %q.reload)
; CHECK: ret { double }

; CHECK-LABEL: define internal { double } @__enzpy_augmented.both.
; CHECK-NOT: call void @free(ptr %t)
; CHECK: ret { double }
; CHECK-LABEL: define internal { double } @__enzpy_revdiffe.both.
; CHECK: %v.re = load double, ptr %t.taped
; CHECK-DAG: call void @free(ptr %p.taped)
; CHECK-DAG: call void @free(ptr %q.taped)
; CHECK: ret { double }
