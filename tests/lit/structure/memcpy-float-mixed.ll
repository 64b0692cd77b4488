; BUG: the reverse of a memcpy moves adjoints element by element with a single element type per
; function (cpp/lib/ad/Reverse.cpp, MemElemTy): double, unless the function uses only float.
; Here a float buffer is copied in a function that also computes in double (fpext), so the
; float shadows are added as if they were doubles: pairs of floats are reinterpreted as one
; double, summed, and written back, which corrupts dsrc as soon as it is not all zeros (with
; dsrc = {1, 1, 1, 1} the driver gets about {2.004, 4.00001, 2.6e10, 8} instead of {3, 5, 7, 9}).
; The element type should follow the copied memory (here float), e.g. the pointee type seen in
; the loads/stores of the buffers, not the whole function.
;
; f(src, dst) = memcpy(dst, src, 4 floats); sum_i (double)dst[i]^2  =>  df/dsrc[i] = 2 src[i]
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s
; RUN: %enzpy-opt %s -S -o %t.ll -O2
; RUN: %clang %t.ll %S/Inputs/memcpy-float-mixed.c -lm -o %t.exe
; RUN: %t.exe

declare double @__enzyme_autodiff(ptr, ...)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

define double @f(ptr %src, ptr %dst) {
entry:
  call void @llvm.memcpy.p0.p0.i64(ptr %dst, ptr %src, i64 16, i1 false)
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %acc = phi double [ 0.0, %entry ], [ %acc.next, %loop ]
  %p = getelementptr inbounds float, ptr %dst, i64 %i
  %v = load float, ptr %p
  %w = fpext float %v to double
  %sq = fmul double %w, %w
  %acc.next = fadd double %acc, %sq
  %i.next = add i64 %i, 1
  %c = icmp ult i64 %i.next, 4
  br i1 %c, label %loop, label %exit
exit:
  ret double %acc.next
}

define double @grad(ptr %src, ptr %dsrc, ptr %dst, ptr %ddst) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, ptr %src, ptr %dsrc, ptr %dst, ptr %ddst)
  ret double %d
}

; CHECK-LABEL: define internal {{.*}} @__enzpy_diffe.f.
; CHECK-SAME: (ptr {{%.*}}, ptr [[DSRC:%.*]], ptr {{%.*}}, ptr [[DDST:%.*]], double {{%.*}})
; CHECK: rev.entry.body:
; CHECK-NEXT: call void @__enzpy_memcpy_adjoint_float(ptr [[DDST]], ptr [[DSRC]], i64 16)
