; memcpy between differentiated buffers. f copies src[0..3] to dst and squares dst in place.
;
; Reverse mode: the forward sweep copies only the primal; the reverse of the memcpy moves the
; adjoint back: dsrc[i] += ddst[i], ddst[i] = 0 (helper __enzpy_memcpy_adjoint_double, run in the
; reverse of the entry block, after the loop's adjoints are in ddst).
; Forward mode copies the tangents with the same size (memmove, the shadows may alias).
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s --check-prefix=O0
; RUN: %enzpy-opt %s -S -o %t.ll -O2
; RUN: %clang %t.ll %S/Inputs/memcpy.c -lm -o %t.exe
; RUN: %t.exe

declare void @__enzyme_autodiff(ptr, ...)
declare void @__enzyme_fwddiff(ptr, ...)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

define void @f(ptr %dst, ptr %src) {
entry:
  call void @llvm.memcpy.p0.p0.i64(ptr %dst, ptr %src, i64 32, i1 false)
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %p = getelementptr inbounds double, ptr %dst, i64 %i
  %v = load double, ptr %p
  %sq = fmul double %v, %v
  store double %sq, ptr %p
  %i.next = add i64 %i, 1
  %c = icmp ult i64 %i.next, 4
  br i1 %c, label %loop, label %exit
exit:
  ret void
}

; O0-LABEL: define void @grad(
; O0-NEXT: call {} @__enzpy_diffe.f.{{[a-z0-9_]+}}(ptr %dst, ptr %ddst, ptr %src, ptr %dsrc)
define void @grad(ptr %dst, ptr %ddst, ptr %src, ptr %dsrc) {
  call void (ptr, ...) @__enzyme_autodiff(ptr @f, ptr %dst, ptr %ddst, ptr %src, ptr %dsrc)
  ret void
}

; O0-LABEL: define void @tangent(
; O0-NEXT: call {} @__enzpy_fwddiff.f.{{[a-z0-9_]+}}(ptr %dst, ptr %ddst, ptr %src, ptr %dsrc)
define void @tangent(ptr %dst, ptr %ddst, ptr %src, ptr %dsrc) {
  call void (ptr, ...) @__enzyme_fwddiff(ptr @f, ptr %dst, ptr %ddst, ptr %src, ptr %dsrc)
  ret void
}

; O0-LABEL: define internal {} @__enzpy_diffe.f.
; O0-SAME: (ptr [[DST:%.*]], ptr [[DDST:%.*]], ptr [[SRC:%.*]], ptr [[DSRC:%.*]])
; O0: entry:
; O0-NEXT: call void @llvm.memcpy.p0.p0.i64(ptr [[DST]], ptr [[SRC]], i64 32, i1 false)
; O0-NEXT: br label %loop
; the loop pushes the loaded value; its reverse recomputes the index from its own iteration count (the
; induction variable is not taped) and the shadow address from the index
; O0: %"p'" = getelementptr inbounds double, ptr [[DDST]], i64 %i
; O0: rev.loop:
; the loaded value is read from this iteration's record (an indexed loop: records at k * stride)
; O0: [[REC:%.*]] = load ptr, ptr %rev.loop.records
; O0: [[K:%.*]] = load i64, ptr %rev.iter
; O0: getelementptr i8, ptr [[REC]], i64
; O0: [[KI:%iter.re]] = load i64, ptr %rev.iter
; O0: [[KS:%.*]] = mul i64 [[KI]], 1
; O0: [[IT:%.*]] = add i64 0, [[KS]]
; O0: [[PT:%.*]] = getelementptr inbounds double, ptr [[DDST]], i64 [[IT]]
; O0: [[VT:%.*]] = load double, ptr {{%.*}}, align 1
; O0: rev.loop.body:
; reverse of the store: take the adjoint out of the shadow and zero it
; O0: [[DSQ:%.*]] = load double, ptr [[PT]]
; O0-NEXT: store double 0.000000e+00, ptr [[PT]]
; reverse of the load: add the adjoint of v back into the shadow
; O0: fmul double [[VT]],
; O0: [[OLD:%.*]] = load double, ptr [[PT]]
; O0-NEXT: [[NEW:%.*]] = fadd double [[OLD]],
; O0-NEXT: store double [[NEW]], ptr [[PT]]
; reverse of the memcpy
; O0: rev.entry.body:
; O0-NEXT: call void @__enzpy_memcpy_adjoint_double(ptr [[DDST]], ptr [[DSRC]], i64 32)
; O0-NEXT: br label %rev.return
;
; the helper: shadow-of-source += shadow-of-destination, destination zeroed, element by element
; O0-LABEL: define internal void @__enzpy_memcpy_adjoint_double(ptr %d, ptr %s, i64 %bytes)
; O0: udiv i64 %bytes, 8
; O0: loop:
; O0: [[VD:%.*]] = load double, ptr [[PD:%.*]], align 1
; O0-NEXT: [[VS:%.*]] = load double, ptr [[PS:%.*]], align 1
; O0-NEXT: [[SUM:%.*]] = fadd double [[VS]], [[VD]]
; O0-NEXT: store double [[SUM]], ptr [[PS]], align 1
; O0-NEXT: store double 0.000000e+00, ptr [[PD]], align 1
;
; O0-LABEL: define internal {} @__enzpy_fwddiff.f.
; O0-SAME: (ptr [[DST:%.*]], ptr [[DDST:%.*]], ptr [[SRC:%.*]], ptr [[DSRC:%.*]])
; O0: call void @llvm.memcpy.p0.p0.i64(ptr [[DST]], ptr [[SRC]], i64 32, i1 false)
; O0-NEXT: call void @llvm.memmove.p0.p0.i64(ptr [[DDST]], ptr [[DSRC]], i64 32, i1 false)
