; numba 0.68.1: calls_njit(Array(float64, 1, 'C', False, aligned=True),) -> float64
; native: _ZN8__main__10calls_njitB3v18B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dE5ArrayIdLi1E1C7mutable7alignedE
; ModuleID = '<string>'
source_filename = "<string>"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@_ZN08NumbaEnv8__main__10calls_njitB3v18B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dE5ArrayIdLi1E1C7mutable7alignedE = common local_unnamed_addr global ptr null
@_ZN08NumbaEnv8__main__5innerB3v19B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dEdd = common local_unnamed_addr global ptr null

define noundef range(i32 -1, -2) i32 @_ZN8__main__10calls_njitB3v18B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dE5ArrayIdLi1E1C7mutable7alignedE(ptr noalias writeonly captures(none) %retptr, ptr noalias readnone captures(none) %excinfo, ptr %arg.a.0, ptr readnone captures(none) %arg.a.1, i64 %arg.a.2, i64 %arg.a.3, ptr readonly captures(none) %arg.a.4, i64 %arg.a.5.0, i64 %arg.a.6.0) local_unnamed_addr {
B0.endif:
  %.11373.not = icmp slt i64 %arg.a.5.0, 1
  br i1 %.11373.not, label %common.ret, label %B62.endif.preheader

B62.endif.preheader:                              ; preds = %B0.endif
  %xtraiter = and i64 %arg.a.5.0, 7
  %0 = icmp ult i64 %arg.a.5.0, 8
  br i1 %0, label %B62.endif.epil.preheader, label %B62.endif.preheader.new

B62.endif.preheader.new:                          ; preds = %B62.endif.preheader
  %unroll_iter = and i64 %arg.a.5.0, 9223372036854775800
  br label %B62.endif

common.ret.loopexit.unr-lcssa:                    ; preds = %B62.endif
  %lcmp.mod.not = icmp eq i64 %xtraiter, 0
  br i1 %lcmp.mod.not, label %common.ret, label %B62.endif.epil.preheader

B62.endif.epil.preheader:                         ; preds = %common.ret.loopexit.unr-lcssa, %B62.endif.preheader
  %s.2.076.epil.init = phi double [ 0.000000e+00, %B62.endif.preheader ], [ %.207.7, %common.ret.loopexit.unr-lcssa ]
  %.1197274.epil.init = phi i64 [ 0, %B62.endif.preheader ], [ %.126.7, %common.ret.loopexit.unr-lcssa ]
  %1 = shl i64 %.1197274.epil.init, 3
  %scevgep = getelementptr i8, ptr %arg.a.4, i64 %1
  br label %B62.endif.epil

B62.endif.epil:                                   ; preds = %B62.endif.epil, %B62.endif.epil.preheader
  %s.2.076.epil = phi double [ %.207.epil, %B62.endif.epil ], [ %s.2.076.epil.init, %B62.endif.epil.preheader ]
  %epil.iter = phi i64 [ %epil.iter.next, %B62.endif.epil ], [ 0, %B62.endif.epil.preheader ]
  %2 = shl nuw nsw i64 %epil.iter, 3
  %scevgep4 = getelementptr i8, ptr %scevgep, i64 %2
  %.181.epil = load double, ptr %scevgep4, align 8
  %.13.le.i.epil = tail call double @llvm.sin.f64(double %.181.epil)
  %.18.i.epil = fmul double %.13.le.i.epil, 2.000000e+00
  %.207.epil = fadd double %s.2.076.epil, %.18.i.epil
  %epil.iter.next = add i64 %epil.iter, 1
  %epil.iter.cmp.not = icmp eq i64 %xtraiter, %epil.iter.next
  br i1 %epil.iter.cmp.not, label %common.ret, label %B62.endif.epil, !llvm.loop !0

common.ret:                                       ; preds = %B62.endif.epil, %common.ret.loopexit.unr-lcssa, %B0.endif
  %s.2.0.lcssa = phi double [ 0.000000e+00, %B0.endif ], [ %.207.7, %common.ret.loopexit.unr-lcssa ], [ %.207.epil, %B62.endif.epil ]
  store double %s.2.0.lcssa, ptr %retptr, align 8
  ret i32 0

B62.endif:                                        ; preds = %B62.endif, %B62.endif.preheader.new
  %s.2.076 = phi double [ 0.000000e+00, %B62.endif.preheader.new ], [ %.207.7, %B62.endif ]
  %.1197274 = phi i64 [ 0, %B62.endif.preheader.new ], [ %.126.7, %B62.endif ]
  %sunkaddr = mul i64 %.1197274, 8
  %sunkaddr21 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr
  %.181 = load double, ptr %sunkaddr21, align 8
  %.13.le.i = tail call double @llvm.sin.f64(double %.181)
  %.18.i = fmul double %.13.le.i, 2.000000e+00
  %.207 = fadd double %s.2.076, %.18.i
  %sunkaddr22 = mul i64 %.1197274, 8
  %sunkaddr23 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr22
  %sunkaddr24 = getelementptr i8, ptr %sunkaddr23, i64 8
  %.181.1 = load double, ptr %sunkaddr24, align 8
  %.13.le.i.1 = tail call double @llvm.sin.f64(double %.181.1)
  %.18.i.1 = fmul double %.13.le.i.1, 2.000000e+00
  %.207.1 = fadd double %.207, %.18.i.1
  %sunkaddr25 = mul i64 %.1197274, 8
  %sunkaddr26 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr25
  %sunkaddr27 = getelementptr i8, ptr %sunkaddr26, i64 16
  %.181.2 = load double, ptr %sunkaddr27, align 8
  %.13.le.i.2 = tail call double @llvm.sin.f64(double %.181.2)
  %.18.i.2 = fmul double %.13.le.i.2, 2.000000e+00
  %.207.2 = fadd double %.207.1, %.18.i.2
  %sunkaddr28 = mul i64 %.1197274, 8
  %sunkaddr29 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr28
  %sunkaddr30 = getelementptr i8, ptr %sunkaddr29, i64 24
  %.181.3 = load double, ptr %sunkaddr30, align 8
  %.13.le.i.3 = tail call double @llvm.sin.f64(double %.181.3)
  %.18.i.3 = fmul double %.13.le.i.3, 2.000000e+00
  %.207.3 = fadd double %.207.2, %.18.i.3
  %sunkaddr31 = mul i64 %.1197274, 8
  %sunkaddr32 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr31
  %sunkaddr33 = getelementptr i8, ptr %sunkaddr32, i64 32
  %.181.4 = load double, ptr %sunkaddr33, align 8
  %.13.le.i.4 = tail call double @llvm.sin.f64(double %.181.4)
  %.18.i.4 = fmul double %.13.le.i.4, 2.000000e+00
  %.207.4 = fadd double %.207.3, %.18.i.4
  %sunkaddr34 = mul i64 %.1197274, 8
  %sunkaddr35 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr34
  %sunkaddr36 = getelementptr i8, ptr %sunkaddr35, i64 40
  %.181.5 = load double, ptr %sunkaddr36, align 8
  %.13.le.i.5 = tail call double @llvm.sin.f64(double %.181.5)
  %.18.i.5 = fmul double %.13.le.i.5, 2.000000e+00
  %.207.5 = fadd double %.207.4, %.18.i.5
  %sunkaddr37 = mul i64 %.1197274, 8
  %sunkaddr38 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr37
  %sunkaddr39 = getelementptr i8, ptr %sunkaddr38, i64 48
  %.181.6 = load double, ptr %sunkaddr39, align 8
  %.13.le.i.6 = tail call double @llvm.sin.f64(double %.181.6)
  %.18.i.6 = fmul double %.13.le.i.6, 2.000000e+00
  %.207.6 = fadd double %.207.5, %.18.i.6
  %sunkaddr40 = mul i64 %.1197274, 8
  %sunkaddr41 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr40
  %sunkaddr42 = getelementptr i8, ptr %sunkaddr41, i64 56
  %.181.7 = load double, ptr %sunkaddr42, align 8
  %.13.le.i.7 = tail call double @llvm.sin.f64(double %.181.7)
  %.18.i.7 = fmul double %.13.le.i.7, 2.000000e+00
  %.126.7 = add nuw nsw i64 %.1197274, 8
  %.207.7 = fadd double %.207.6, %.18.i.7
  %niter.ncmp.7 = icmp eq i64 %unroll_iter, %.126.7
  br i1 %niter.ncmp.7, label %common.ret.loopexit.unr-lcssa, label %B62.endif
}

; Function Attrs: nocallback nocreateundeforpoison nofree nosync nounwind speculatable willreturn memory(none)
declare double @llvm.sin.f64(double) #0

attributes #0 = { nocallback nocreateundeforpoison nofree nosync nounwind speculatable willreturn memory(none) }

!0 = distinct !{!0, !1}
!1 = !{!"llvm.loop.unroll.disable"}
