; Enzyme's C ABI markers and how results are delivered.
;   - enzyme_out / enzyme_const / enzyme_dup / enzyme_dupnoneed loaded from the globals and passed
;     by value; unmarked float arguments are active (reverse) and pointers are dup;
;   - several active scalars come back as a struct { d1, d2, ... } (or through an sret pointer, as
;     clang passes a returned struct { double a, b, c; });
;   - float arguments promoted to double by C varargs are converted back, and a float derivative
;     is widened to the double the call site returns.
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s --check-prefix=O0
; RUN: %enzpy-opt %s -S -o - -O2 | FileCheck %s
; RUN: %enzpy-opt %s -S -o %t.ll -O2
; RUN: %clang %t.ll %S/Inputs/markers.c -lm -o %t.exe
; RUN: %t.exe

; the marker globals and their loads are gone
; O0-NOT: @enzyme_
; CHECK-NOT: @enzyme_

@enzyme_dup = external global i32
@enzyme_dupnoneed = external global i32
@enzyme_const = external global i32
@enzyme_out = external global i32

declare { double, double } @__enzyme_autodiff(ptr, ...)
declare void @__enzyme_autodiff_sret(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)

; f(x, c, p, z) = x * c * p[0] * z
define double @f(double %x, double %c, ptr %p, double %z) {
  %v = load double, ptr %p
  %t = fmul double %x, %c
  %u = fmul double %t, %v
  %r = fmul double %u, %z
  ret double %r
}

; x: explicit enzyme_out, c: enzyme_const, p: enzyme_dup with shadow dp, z: active by default.
; The markers disappear; the derivative takes (x, c, p, dp, z, seed) and returns { df/dx, df/dz };
; df/dp[0] = x c z is added to dp[0].
; O0-LABEL: define { double, double } @grad(
; O0-NOT: load i32
; O0: [[D:%.*]] = call { double, double } @__enzpy_diffe.f.{{[a-z0-9_]+}}(double %x, double %c, ptr %p, ptr %dp, double %z, double 1.000000e+00)
; O0: extractvalue { double, double } [[D]], 0
; O0: extractvalue { double, double } [[D]], 1
; O0: ret { double, double }
; CHECK-LABEL: define { double, double } @grad(
; CHECK-DAG: [[V:%.*]] = load double, ptr %p
; CHECK-DAG: [[T:%.*]] = fmul double %x, %c
; CHECK-DAG: [[U:%.*]] = fmul double [[T]], [[V]]
; CHECK-DAG: [[ZV:%.*]] = fmul double %z, [[V]]
; CHECK-DAG: [[TZ:%.*]] = fmul double [[T]], %z
; CHECK-DAG: [[DX:%.*]] = fmul double %c, [[ZV]]
; CHECK-DAG: [[OLD:%.*]] = load double, ptr %dp
; CHECK-DAG: [[NEW:%.*]] = fadd double [[TZ]], [[OLD]]
; CHECK-DAG: store double [[NEW]], ptr %dp
; CHECK-DAG: fadd double [[DX]], 0.000000e+00
; CHECK-DAG: fadd double [[U]], 0.000000e+00
; CHECK: ret { double, double }
define { double, double } @grad(double %x, double %c, ptr %p, ptr %dp, double %z) {
  %out = load i32, ptr @enzyme_out
  %const = load i32, ptr @enzyme_const
  %dup = load i32, ptr @enzyme_dup
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f, i32 %out, double %x, i32 %const, double %c, i32 %dup, ptr %p, ptr %dp, double %z)
  ret { double, double } %d
}

; g(a, b, c) = a * b * c: three active scalars, returned through an sret struct
define double @g(double %a, double %b, double %c) {
  %ab = fmul double %a, %b
  %r = fmul double %ab, %c
  ret double %r
}

; O0-LABEL: define void @grad3(
; O0: [[D:%.*]] = call { double, double, double } @__enzpy_diffe.g.{{[a-z0-9_]+}}(double %a, double %b, double %c, double 1.000000e+00)
; O0: [[P0:%.*]] = getelementptr inbounds { double, double, double }, ptr %res, i32 0, i32 0
; O0-NEXT: [[E0:%.*]] = extractvalue { double, double, double } [[D]], 0
; O0-NEXT: store double [[E0]], ptr [[P0]]
; O0: [[P1:%.*]] = getelementptr inbounds { double, double, double }, ptr %res, i32 0, i32 1
; O0-NEXT: [[E1:%.*]] = extractvalue { double, double, double } [[D]], 1
; O0-NEXT: store double [[E1]], ptr [[P1]]
; O0: [[P2:%.*]] = getelementptr inbounds { double, double, double }, ptr %res, i32 0, i32 2
; O0-NEXT: [[E2:%.*]] = extractvalue { double, double, double } [[D]], 2
; O0-NEXT: store double [[E2]], ptr [[P2]]
; CHECK-LABEL: define void @grad3(
; CHECK-DAG: [[AB:%.*]] = fmul double %a, %b
; CHECK-DAG: [[BC:%.*]] = fmul double %b, %c
; CHECK-DAG: [[AC:%.*]] = fmul double %a, %c
; CHECK-DAG: [[DA:%.*]] = fadd double [[BC]], 0.000000e+00
; CHECK-DAG: [[DB:%.*]] = fadd double [[AC]], 0.000000e+00
; CHECK-DAG: [[DC:%.*]] = fadd double [[AB]], 0.000000e+00
; CHECK-DAG: store double [[DA]], ptr %res
; CHECK-DAG: [[R1:%.*]] = getelementptr inbounds nuw i8, ptr %res, i64 8
; CHECK-DAG: store double [[DB]], ptr [[R1]]
; CHECK-DAG: [[R2:%.*]] = getelementptr inbounds nuw i8, ptr %res, i64 16
; CHECK-DAG: store double [[DC]], ptr [[R2]]
define void @grad3(ptr sret({ double, double, double }) %res, double %a, double %b, double %c) {
  call void (ptr, ...) @__enzyme_autodiff_sret(ptr sret({ double, double, double }) %res, ptr @g, double %a, double %b, double %c)
  ret void
}

; h(x, y) = x * y in float, called through C varargs with doubles; y is enzyme_const
define float @h(float %x, float %y) {
  %r = fmul float %x, %y
  ret float %r
}

; O0-LABEL: define double @tangent_h(
; O0-NEXT: [[X:%.*]] = fptrunc double %x to float
; O0-NEXT: [[DX:%.*]] = fptrunc double %dx to float
; O0-NEXT: [[Y:%.*]] = fptrunc double %y to float
; O0-NEXT: [[D:%.*]] = call { float } @__enzpy_fwddiff.h.{{[a-z0-9_]+}}(float [[X]], float [[DX]], float [[Y]])
; O0-NEXT: [[E:%.*]] = extractvalue { float } [[D]], 0
; O0-NEXT: [[W:%.*]] = fpext float [[E]] to double
; O0-NEXT: ret double [[W]]
; CHECK-LABEL: define double @tangent_h(
; CHECK: [[DX:%.*]] = fptrunc double %dx to float
; CHECK: [[Y:%.*]] = fptrunc double %y to float
; CHECK: [[T:%.*]] = fmul float [[DX]], [[Y]]
; CHECK: [[W:%.*]] = fpext float [[T]] to double
; CHECK: ret double [[W]]
define double @tangent_h(double %x, double %dx, double %y) {
  %const = load i32, ptr @enzyme_const
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @h, double %x, double %dx, i32 %const, double %y)
  ret double %d
}

; enzyme_dupnoneed: out and its shadow, only the shadow matters. sq_store(out, x): *out = x * x
define void @sq_store(ptr %out, double %x) {
  %s = fmul double %x, %x
  store double %s, ptr %out
  ret void
}

; the adjoint seeded in dout[0] flows to x (2 x dout[0]) and dout[0] is zeroed
; O0-LABEL: define double @grad_dupnoneed(
; O0-NEXT: call { double } @__enzpy_diffe.sq_store.{{[a-z0-9_]+}}(ptr %out, ptr %dout, double %x)
; CHECK-LABEL: define double @grad_dupnoneed(
; CHECK: [[SEED:%.*]] = load double, ptr %dout
; CHECK-NEXT: store double 0.000000e+00, ptr %dout
; CHECK-NEXT: [[XS:%.*]] = fmul double %x, [[SEED]]
; CHECK-NEXT: [[G:%.*]] = fadd double [[XS]], [[XS]]
define double @grad_dupnoneed(ptr %out, ptr %dout, double %x) {
  %dnn = load i32, ptr @enzyme_dupnoneed
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @sq_store, i32 %dnn, ptr %out, ptr %dout, double %x)
  %dx = extractvalue { double, double } %d, 0
  ret double %dx
}

; O0-NOT: @enzyme_
; CHECK-NOT: @enzyme_
