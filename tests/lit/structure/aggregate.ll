; insertvalue / extractvalue. f builds the pair {x*y, x+y} and returns its product:
;   f = (x y)(x + y),  df/dx = xy + y(x + y),  df/dy = xy + x(x + y)
; Forward mode builds a shadow aggregate next to the primal one; reverse mode keeps an aggregate
; adjoint: the reverse of extractvalue adds into one field of it, the reverse of insertvalue
; takes that field back out (and passes the rest on to the source aggregate).
;
; RUN: %enzpy-opt %s -S -o - -O2 | FileCheck %s
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s --check-prefix=O0

declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)

%pair = type { double, double }

define double @f(double %x, double %y) {
  %p = fmul double %x, %y
  %s = fadd double %x, %y
  %a0 = insertvalue %pair poison, double %p, 0
  %a1 = insertvalue %pair %a0, double %s, 1
  %e0 = extractvalue %pair %a1, 0
  %e1 = extractvalue %pair %a1, 1
  %r = fmul double %e0, %e1
  ret double %r
}

; CHECK-LABEL: define { double, double } @grad(
; CHECK-DAG: [[P:%.*]] = fmul double %x, %y
; CHECK-DAG: [[S:%.*]] = fadd double %x, %y
; CHECK-DAG: [[YS:%.*]] = fmul double %y, [[S]]
; CHECK-DAG: [[GX:%.*]] = fadd double [[P]], [[YS]]
; CHECK-DAG: [[XS:%.*]] = fmul double %x, [[S]]
; CHECK-DAG: [[GY:%.*]] = fadd double [[P]], [[XS]]
; CHECK: ret { double, double }
define { double, double } @grad(double %x, double %y) {
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f, double %x, double %y)
  ret { double, double } %d
}

; df = (x + y) d(xy) + xy (dx + dy)
; CHECK-LABEL: define double @tangent(
; CHECK: [[P:%.*]] = fmul double %x, %y
; CHECK: [[A:%.*]] = fmul double %dx, %y
; CHECK: [[B:%.*]] = fmul double %x, %dy
; CHECK: [[DP:%.*]] = fadd double [[A]], [[B]]
; CHECK: [[S:%.*]] = fadd double %x, %y
; CHECK: [[DS:%.*]] = fadd double %dx, %dy
; CHECK: [[T1:%.*]] = fmul double [[S]], [[DP]]
; CHECK: [[T2:%.*]] = fmul double [[P]], [[DS]]
; CHECK: [[DR:%.*]] = fadd double [[T2]], [[T1]]
; CHECK: ret double [[DR]]
define double @tangent(double %x, double %dx, double %y, double %dy) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f, double %x, double %dx, double %y, double %dy)
  ret double %d
}

; O0-LABEL: define internal { double, double } @__enzpy_diffe.f.
; O0-SAME: (double {{%.*}}, double {{%.*}}, double [[SEED:%.*]])
; O0: %a0.adj = alloca %pair
; O0: %a1.adj = alloca %pair
; O0: store %pair { double -0.000000e+00, double -0.000000e+00 }, ptr %a1.adj
; reverse of %r = fmul %e0, %e1
; O0: fadd double {{%.*}}, [[SEED]]
; O0-NEXT: store double {{%.*}}, ptr %r.adj
; O0-NEXT: [[DR:%.*]] = load double, ptr %r.adj
; O0-NEXT: store double -0.000000e+00, ptr %r.adj
; O0-NEXT: fmul double %e1, [[DR]]
; reverse of %e1 = extractvalue %a1, 1: the adjoint goes into field 1 of a1's adjoint
; O0: store double %{{[0-9]+}}, ptr %e1.adj
; O0-NEXT: [[DE1:%.*]] = load double, ptr %e1.adj
; O0-NEXT: store double -0.000000e+00, ptr %e1.adj
; O0-NEXT: [[AGG1:%.*]] = insertvalue %pair { double -0.000000e+00, double -0.000000e+00 }, double [[DE1]], 1
; reverse of %e0 = extractvalue %a1, 0 (after the field-1 adjoint was added to a1's)
; O0: store %pair {{%.*}}, ptr %a1.adj
; O0-NEXT: [[DE0:%.*]] = load double, ptr %e0.adj
; O0-NEXT: store double -0.000000e+00, ptr %e0.adj
; O0-NEXT: [[AGG0:%.*]] = insertvalue %pair { double -0.000000e+00, double -0.000000e+00 }, double [[DE0]], 0
; O0: store %pair {{%.*}}, ptr %a1.adj
; reverse of %a1 = insertvalue %a0, %s, 1: field 1 to %s, the rest (field 1 zeroed) to %a0
; O0: [[DA1:%.*]] = load %pair, ptr %a1.adj
; O0-NEXT: store %pair { double -0.000000e+00, double -0.000000e+00 }, ptr %a1.adj
; O0-NEXT: [[F1:%.*]] = extractvalue %pair [[DA1]], 1
; O0: fadd double {{%.*}}, [[F1]]
; O0-NEXT: store double {{%.*}}, ptr %s.adj
; O0-NEXT: insertvalue %pair [[DA1]], double -0.000000e+00, 1
; O0: store %pair {{%.*}}, ptr %a0.adj
; reverse of %a0 = insertvalue poison, %p, 0
; O0: [[DA0:%.*]] = load %pair, ptr %a0.adj
; O0: [[F0:%.*]] = extractvalue %pair [[DA0]], 0
; O0: fadd double {{%.*}}, [[F0]]
; O0-NEXT: store double {{%.*}}, ptr %p.adj
;
; forward mode: shadow aggregates built and read alongside the primal ones
; O0-LABEL: define internal { double } @__enzpy_fwddiff.f.
; O0: %a0 = insertvalue %pair poison, double %p, 0
; O0-NEXT: %"a0'" = insertvalue %pair zeroinitializer, double [[DP:%.*]], 0
; O0-NEXT: %a1 = insertvalue %pair %a0, double %s, 1
; O0-NEXT: %"a1'" = insertvalue %pair %"a0'", double [[DS:%.*]], 1
; O0-NEXT: %e0 = extractvalue %pair %a1, 0
; O0-NEXT: %"e0'" = extractvalue %pair %"a1'", 0
; O0-NEXT: %e1 = extractvalue %pair %a1, 1
; O0-NEXT: %"e1'" = extractvalue %pair %"a1'", 1
