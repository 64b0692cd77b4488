; Loads from a table the function fills before reading it. f(a, x, n, m) = sum_i sum_j q[j] x[i n + j]^2 with
; q[j] = exp(a[j]) in a stack array (n <= 16) that f fills in one loop and reads in a loop nest after it
; (GMM's exp'd diagonals; numba's np.empty tables behave the same way, see tests/test_reloaded_tables.py).
; h is f with the table malloc'd and freed. g is f with the table updated in the reading loop (q[j] += x),
; so what a load read is gone by the end.
;
; Reverse mode (-O0): every write to f's table comes before the loads of the nest, and its address goes
; nowhere else, so the loads are redone in the reverse sweep (%qj.re) and the nest keeps no record per
; iteration: the only taped values are the exp's of the filling loop. The lifetime markers are dropped so
; the stack array stays valid until the reverse sweep has read it. h's block is freed where the reverse sweep
; passes its malloc, not by the forward sweep. g's load is taped (no %gqj.re).
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s --check-prefix=O0
; RUN: %enzpy-opt %s -S -o %t0.ll -O0
; RUN: %clang %t0.ll %S/Inputs/reload-filled-table.c -lm -o %t0.exe
; RUN: %t0.exe
; RUN: %enzpy-opt %s -S -o %t2.ll -O2
; RUN: %clang %t2.ll %S/Inputs/reload-filled-table.c -lm -o %t2.exe
; RUN: %t2.exe

declare void @__enzyme_autodiff(ptr, ...)
declare double @llvm.exp.f64(double)
declare void @llvm.lifetime.start.p0(ptr)
declare void @llvm.lifetime.end.p0(ptr)
declare ptr @malloc(i64)
declare void @free(ptr)

define double @f(ptr %a, ptr %x, i64 %n, i64 %m) {
entry:
  %q = alloca [16 x double]
  call void @llvm.lifetime.start.p0(ptr %q)
  br label %fill
fill:
  %j0 = phi i64 [ 0, %entry ], [ %j0.next, %fill ]
  %aj.p = getelementptr double, ptr %a, i64 %j0
  %aj = load double, ptr %aj.p
  %e = call double @llvm.exp.f64(double %aj)
  %qw = getelementptr double, ptr %q, i64 %j0
  store double %e, ptr %qw
  %j0.next = add i64 %j0, 1
  %c0 = icmp slt i64 %j0.next, %n
  br i1 %c0, label %fill, label %outer
outer:
  %i = phi i64 [ 0, %fill ], [ %i.next, %outer.latch ]
  %s.o = phi double [ 0.0, %fill ], [ %s.next, %outer.latch ]
  %row = mul i64 %i, %n
  br label %inner
inner:
  %j = phi i64 [ 0, %outer ], [ %j.next, %inner ]
  %s = phi double [ %s.o, %outer ], [ %s.next, %inner ]
  %qr = getelementptr double, ptr %q, i64 %j
  %qj = load double, ptr %qr
  %k = add i64 %row, %j
  %xk.p = getelementptr double, ptr %x, i64 %k
  %xk = load double, ptr %xk.p
  %xx = fmul double %xk, %xk
  %t = fmul double %qj, %xx
  %s.next = fadd double %s, %t
  %j.next = add i64 %j, 1
  %c1 = icmp slt i64 %j.next, %n
  br i1 %c1, label %inner, label %outer.latch
outer.latch:
  %i.next = add i64 %i, 1
  %c2 = icmp slt i64 %i.next, %m
  br i1 %c2, label %outer, label %exit
exit:
  call void @llvm.lifetime.end.p0(ptr %q)
  ret double %s.next
}

define double @h(ptr %a, ptr %x, i64 %n, i64 %m) {
entry:
  %bytes = shl i64 %n, 3
  %q = call ptr @malloc(i64 %bytes)
  br label %fill
fill:
  %j0 = phi i64 [ 0, %entry ], [ %j0.next, %fill ]
  %aj.p = getelementptr double, ptr %a, i64 %j0
  %aj = load double, ptr %aj.p
  %e = call double @llvm.exp.f64(double %aj)
  %qw = getelementptr double, ptr %q, i64 %j0
  store double %e, ptr %qw
  %j0.next = add i64 %j0, 1
  %c0 = icmp slt i64 %j0.next, %n
  br i1 %c0, label %fill, label %outer
outer:
  %i = phi i64 [ 0, %fill ], [ %i.next, %outer.latch ]
  %s.o = phi double [ 0.0, %fill ], [ %s.next, %outer.latch ]
  %row = mul i64 %i, %n
  br label %inner
inner:
  %j = phi i64 [ 0, %outer ], [ %j.next, %inner ]
  %s = phi double [ %s.o, %outer ], [ %s.next, %inner ]
  %qr = getelementptr double, ptr %q, i64 %j
  %hqj = load double, ptr %qr
  %k = add i64 %row, %j
  %xk.p = getelementptr double, ptr %x, i64 %k
  %xk = load double, ptr %xk.p
  %xx = fmul double %xk, %xk
  %t = fmul double %hqj, %xx
  %s.next = fadd double %s, %t
  %j.next = add i64 %j, 1
  %c1 = icmp slt i64 %j.next, %n
  br i1 %c1, label %inner, label %outer.latch
outer.latch:
  %i.next = add i64 %i, 1
  %c2 = icmp slt i64 %i.next, %m
  br i1 %c2, label %outer, label %exit
exit:
  call void @free(ptr %q)
  ret double %s.next
}

define double @g(ptr %a, ptr %x, i64 %n, i64 %m) {
entry:
  %q = alloca [16 x double]
  br label %fill
fill:
  %j0 = phi i64 [ 0, %entry ], [ %j0.next, %fill ]
  %aj.p = getelementptr double, ptr %a, i64 %j0
  %aj = load double, ptr %aj.p
  %e = call double @llvm.exp.f64(double %aj)
  %qw = getelementptr double, ptr %q, i64 %j0
  store double %e, ptr %qw
  %j0.next = add i64 %j0, 1
  %c0 = icmp slt i64 %j0.next, %n
  br i1 %c0, label %fill, label %outer
outer:
  %i = phi i64 [ 0, %fill ], [ %i.next, %outer.latch ]
  %s.o = phi double [ 0.0, %fill ], [ %s.next, %outer.latch ]
  %row = mul i64 %i, %n
  br label %inner
inner:
  %j = phi i64 [ 0, %outer ], [ %j.next, %inner ]
  %s = phi double [ %s.o, %outer ], [ %s.next, %inner ]
  %qr = getelementptr double, ptr %q, i64 %j
  %gqj = load double, ptr %qr
  %k = add i64 %row, %j
  %xk.p = getelementptr double, ptr %x, i64 %k
  %xk = load double, ptr %xk.p
  %xx = fmul double %xk, %xk
  %t = fmul double %gqj, %xx
  %s.next = fadd double %s, %t
  %upd = fadd double %gqj, %xk
  store double %upd, ptr %qr
  %j.next = add i64 %j, 1
  %c1 = icmp slt i64 %j.next, %n
  br i1 %c1, label %inner, label %outer.latch
outer.latch:
  %i.next = add i64 %i, 1
  %c2 = icmp slt i64 %i.next, %m
  br i1 %c2, label %outer, label %exit
exit:
  ret double %s.next
}

define void @grad_f(ptr %a, ptr %da, ptr %x, ptr %dx, i64 %n, i64 %m) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @f, ptr %a, ptr %da, ptr %x, ptr %dx, i64 %n, i64 %m)
  ret void
}

define void @grad_h(ptr %a, ptr %da, ptr %x, ptr %dx, i64 %n, i64 %m) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @h, ptr %a, ptr %da, ptr %x, ptr %dx, i64 %n, i64 %m)
  ret void
}

define void @grad_g(ptr %a, ptr %da, ptr %x, ptr %dx, i64 %n, i64 %m) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @g, ptr %a, ptr %da, ptr %x, ptr %dx, i64 %n, i64 %m)
  ret void
}

; (the derivatives come out in the order g, h, f)
; O0-LABEL: define internal {} @__enzpy_diffe.g.
; O0-NOT: %gqj.re = load
; O0-LABEL: define internal {} @__enzpy_diffe.h.
; O0: %q = call ptr @malloc
; O0-NOT: call void @free(ptr %q)
; O0: %hqj.re = load double
; O0: rev.entry.body:
; O0: call void @free(ptr %q)
; O0-LABEL: define internal {} @__enzpy_diffe.f.
; O0-NOT: llvm.lifetime
; O0: rev.inner:
; O0-NOT: tape
; O0: %qj.re = load double
; O0: rev.fill:
