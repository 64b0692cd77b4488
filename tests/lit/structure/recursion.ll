; Recursion. p(x, n) = n == 0 ? 1 : x * p(x, n - 1) = x^n.
; Reverse mode: the top-level derivative calls the augmented pass and the reverse pass of p,
; and each of those calls itself: the augmented pass recursively pushes onto the one tape that
; the reverse pass pops in the opposite order. Forward mode: the top-level tangent function calls
; a variant that also returns the primal (the caller needs p(x, n - 1) for its own partial),
; which calls itself.
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s --check-prefix=O0
; RUN: %enzpy-opt %s -S -o %t.ll -O2
; RUN: %clang %t.ll %S/Inputs/recursion.c -lm -o %t.exe
; RUN: %t.exe

declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)

define double @p(double %x, i32 %n) {
entry:
  %z = icmp eq i32 %n, 0
  br i1 %z, label %base, label %rec
base:
  ret double 1.0
rec:
  %m = sub i32 %n, 1
  %t = call double @p(double %x, i32 %m)
  %r = fmul double %x, %t
  ret double %r
}

define double @grad(double %x, i32 %n) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @p, double %x, i32 %n)
  ret double %d
}

define double @tangent(double %x, double %dx, i32 %n) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @p, double %x, double %dx, i32 %n)
  ret double %d
}

; O0-LABEL: define internal { double } @__enzpy_diffe.p.
; O0-SAME: (double [[X:%.*]], i32 {{%.*}}, double {{%.*}})
; O0: rec:
; O0: [[AUG:%.*]] = call { double } @__enzpy_augmented.p.[[SIG:[a-z0-9_]+]](double [[X]], i32 %m, ptr %tape)
; O0-NEXT: [[T:%.*]] = extractvalue { double } [[AUG]], 0
; O0-NEXT: %r = fmul double [[X]], [[T]]
; t is kept for the reverse pass (rec runs at most once per call: a stack slot); m = n - 1 is recomputed
; O0: store double [[T]], ptr
; O0: rev.rec:
; O0: [[TT:%.*]] = load double, ptr {{%.*}}
; O0: [[MT:%.*]] = sub i32 %{{.*}}, 1
; O0: rev.rec.body:
; d x += t * d r, d t = x * d r, then the recursive reverse pass turns d t into more of d x
; O0: fmul double [[TT]],
; O0: fmul double [[X]],
; O0: store double %{{[0-9]+}}, ptr %t.adj
; O0-NEXT: [[DT:%.*]] = load double, ptr %t.adj
; O0-NEXT: store double -0.000000e+00, ptr %t.adj
; O0-NEXT: [[REV:%.*]] = call { double } @__enzpy_revdiffe.p.[[SIG]](double [[X]], i32 [[MT]], double [[DT]], ptr %tape)
; O0-NEXT: [[DX:%.*]] = extractvalue { double } [[REV]], 0
; O0: fadd double {{%.*}}, [[DX]]
; O0-NEXT: store double {{%.*}}, ptr %x.adj
;
; O0-LABEL: define internal { double } @__enzpy_augmented.p.
; O0-SAME: (double [[AX:%.*]], i32 {{%.*}}, ptr [[ATAPE:%.*]])
; O0: call { double } @__enzpy_augmented.p.[[SIG]](double [[AX]], i32 %m, ptr [[ATAPE]])
; O0: ret { double }
;
; O0-LABEL: define internal { double } @__enzpy_revdiffe.p.
; O0-SAME: (double [[RX:%.*]], i32 {{%.*}}, double {{%.*}}, ptr [[RTAPE:%.*]])
; O0: call { double } @__enzpy_revdiffe.p.[[SIG]](double [[RX]], i32 {{%.*}}, double {{%.*}}, ptr [[RTAPE]])
; O0: ret { double }
;
; O0-LABEL: define internal { double } @__enzpy_fwddiff.p.
; O0: [[PT:%.*]] = call { double, double } @__enzpy_fwddiff.p.[[FSIG:[a-z0-9_]+]](double {{%.*}}, double {{%.*}}, i32 %m)
; O0-LABEL: define internal { double, double } @__enzpy_fwddiff.p.
; O0: call { double, double } @__enzpy_fwddiff.p.[[FSIG]](double {{%.*}}, double {{%.*}}, i32 %m)
; O0: %"retval'" = phi double [ 0.000000e+00, %base ], [ {{%.*}}, %rec ]
; O0: insertvalue { double, double } poison, double %retval, 0
; O0: insertvalue { double, double } {{%.*}}, double %"retval'", 1
