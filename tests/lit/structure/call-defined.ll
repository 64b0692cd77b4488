; A call to a function defined in the module. In reverse mode the caller's forward sweep calls the
; callee's augmented forward pass (@__enzpy_augmented.*: the primal plus pushes on the caller's
; tape) and the caller's reverse sweep calls the callee's reverse pass (@__enzpy_revdiffe.*: pops
; and adjoints, returning the adjoints of its active scalars). Forward mode calls the callee's
; tangent function (@__enzpy_fwddiff.*).
;
;   scale_in_place(p, k): *p = sin(*p) * k        f(x, k) = (slot = x; scale_in_place(&slot, k); slot)
;   df/dx = cos(x) k,  df/dk = sin(x)
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s --check-prefix=O0
; RUN: %enzpy-opt %s -S -o - -O2 | FileCheck %s
; RUN: %enzpy-opt %s -S -o %t.ll -O2
; RUN: %clang %t.ll %S/Inputs/call-defined.c -lm -o %t.exe
; RUN: %t.exe

declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)
declare double @llvm.sin.f64(double)

define void @scale_in_place(ptr %p, double %k) {
  %v = load double, ptr %p
  %s = call double @llvm.sin.f64(double %v)
  %w = fmul double %s, %k
  store double %w, ptr %p
  ret void
}

define double @f(double %x, double %k) {
  %slot = alloca double
  store double %x, ptr %slot
  call void @scale_in_place(ptr %slot, double %k)
  %r = load double, ptr %slot
  ret double %r
}

; At -O2 everything is inlined: df/dx = k cos(x), df/dk = sin(x)
; CHECK-LABEL: define { double, double } @grad(
; CHECK-DAG: [[SIN:%.*]] = {{.*}}call double @llvm.sin.f64(double %x)
; CHECK-DAG: [[COS:%.*]] = {{.*}}call double @llvm.cos.f64(double %x)
; CHECK-DAG: fmul double {{(%k, )?}}[[COS]]{{(, %k)?}}
; CHECK: ret { double, double }
define { double, double } @grad(double %x, double %k) {
  %d = call { double, double } (ptr, ...) @__enzyme_autodiff(ptr @f, double %x, double %k)
  ret { double, double } %d
}

define double @tangent(double %x, double %dx, double %k, double %dk) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f, double %x, double %dx, double %k, double %dk)
  ret double %d
}

; O0-LABEL: define internal { double, double } @__enzpy_diffe.f.
; O0-SAME: (double [[X:%.*]], double [[K:%.*]], double {{%.*}})
; O0: %tape = alloca %enzpy.tape
; the stack slot gets a zeroed shadow
; O0: %"slot'" = alloca double
; O0-NEXT: call void @llvm.memset.p0.i64(ptr align 8 %"slot'", i8 0, i64 8, i1 false)
; forward sweep: the augmented callee gets primal and shadow pointer, k, and the tape
; O0: call {} @__enzpy_augmented.scale_in_place.[[SIG:[a-z0-9_]+]](ptr %slot, ptr %"slot'", double [[K]], ptr %tape)
; reverse sweep: the reverse callee, same arguments; it returns the adjoint of k
; O0: [[RES:%.*]] = call { double } @__enzpy_revdiffe.scale_in_place.[[SIG]](ptr %slot, ptr %"slot'", double [[K]], ptr %tape)
; O0-NEXT: [[DK:%.*]] = extractvalue { double } [[RES]], 0
; O0: fadd double {{%.*}}, [[DK]]
; O0-NEXT: store double {{%.*}}, ptr %k.adj
; then the adjoint of x is read back out of the slot's shadow (reverse of the store of x)
; O0: [[DXS:%.*]] = load double, ptr %"slot'"
; O0-NEXT: store double 0.000000e+00, ptr %"slot'"
; O0: fadd double {{%.*}}, [[DXS]]
; O0-NEXT: store double {{%.*}}, ptr %x.adj
;
; The augmented pass: the primal computation plus pushes of what the reverse pass needs
; O0-LABEL: define internal {} @__enzpy_augmented.scale_in_place.
; O0-SAME: [[SIG]](ptr {{%.*}}, ptr {{%.*}}, double {{%.*}}, ptr [[TAPE:%.*]])
; O0: %s = call double @llvm.sin.f64(double %v)
; O0: %w = fmul double %s, {{%.*}}
; O0: call void @__enzpy_tape_grow(ptr [[TAPE]],
; O0: store double %s, ptr
; O0: store double %v, ptr
; O0: ret {} poison
;
; The reverse pass: pop s and v, then d k += s * dw, d v += cos(v) * s' with s' = k * dw
; O0-LABEL: define internal { double } @__enzpy_revdiffe.scale_in_place.
; O0-SAME: [[SIG]](ptr {{%.*}}, ptr [[DP:%.*]], double [[RK:%.*]], ptr {{%.*}})
; O0: [[ST:%.*]] = load double, ptr {{%.*}}, align 1
; O0: [[VT:%.*]] = load double, ptr {{%.*}}, align 1
; O0: [[DW:%.*]] = load double, ptr [[DP]]
; O0-NEXT: store double 0.000000e+00, ptr [[DP]]
; O0: fmul double [[RK]],
; O0: fmul double [[ST]],
; O0: [[COS:%.*]] = call double @llvm.cos.f64(double [[VT]])
; O0: store double %{{[0-9]+}}, ptr %v.adj
; O0-NEXT: [[DV:%.*]] = load double, ptr %v.adj
; O0-NEXT: store double -0.000000e+00, ptr %v.adj
; O0-NEXT: [[OLD:%.*]] = load double, ptr [[DP]]
; O0-NEXT: [[NEW:%.*]] = fadd double [[OLD]], [[DV]]
; O0-NEXT: store double [[NEW]], ptr [[DP]]
; O0: ret { double }
;
; Forward mode: the callee's tangent function takes the shadow pointer and k's tangent
; O0-LABEL: define internal { double } @__enzpy_fwddiff.f.
; O0-SAME: (double {{%.*}}, double [[DX:%.*]], double [[FK:%.*]], double [[DKT:%.*]])
; O0: store double [[DX]], ptr %"slot'"
; O0: call {} @__enzpy_fwddiff.scale_in_place.{{[a-z0-9_]+}}(ptr %slot, ptr %"slot'", double [[FK]], double [[DKT]])
; O0: %"r'" = load double, ptr %"slot'"
; O0-LABEL: define internal {} @__enzpy_fwddiff.scale_in_place.
; O0: %"v'" = load double, ptr
; O0: call double @llvm.cos.f64(double %v)
