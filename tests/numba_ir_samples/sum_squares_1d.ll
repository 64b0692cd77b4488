; numba 0.68.1: sum_squares_1d(Array(float64, 1, 'C', False, aligned=True),) -> float64
; native: _ZN8__main__14sum_squares_1dB2v2B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dE5ArrayIdLi1E1C7mutable7alignedE
; ModuleID = '<string>'
source_filename = "<string>"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@_ZN08NumbaEnv8__main__14sum_squares_1dB2v2B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dE5ArrayIdLi1E1C7mutable7alignedE = common local_unnamed_addr global ptr null

; Function Attrs: nofree norecurse nosync nounwind memory(argmem: readwrite)
define noundef i32 @_ZN8__main__14sum_squares_1dB2v2B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dE5ArrayIdLi1E1C7mutable7alignedE(ptr noalias writeonly captures(none) %retptr, ptr noalias readnone captures(none) %excinfo, ptr readnone captures(none) %arg.a.0, ptr readnone captures(none) %arg.a.1, i64 %arg.a.2, i64 %arg.a.3, ptr readonly captures(none) %arg.a.4, i64 %arg.a.5.0, i64 %arg.a.6.0) local_unnamed_addr #0 {
B0.endif:
  %.11384.not = icmp slt i64 %arg.a.5.0, 1
  br i1 %.11384.not, label %B106, label %B62.preheader

B62.preheader:                                    ; preds = %B0.endif
  %xtraiter = and i64 %arg.a.5.0, 7
  %0 = icmp ult i64 %arg.a.5.0, 8
  br i1 %0, label %B62.epil.preheader, label %B62.preheader.new

B62.preheader.new:                                ; preds = %B62.preheader
  %unroll_iter = and i64 %arg.a.5.0, 9223372036854775800
  br label %B62

B62:                                              ; preds = %B62, %B62.preheader.new
  %s.2.087 = phi double [ 0.000000e+00, %B62.preheader.new ], [ %.213.7, %B62 ]
  %.1198385 = phi i64 [ 0, %B62.preheader.new ], [ %.126.7, %B62 ]
  %sunkaddr = mul i64 %.1198385, 8
  %sunkaddr20 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr
  %.180 = load double, ptr %sunkaddr20, align 8
  %.211 = fmul double %.180, %.180
  %.213 = fadd double %s.2.087, %.211
  %sunkaddr21 = mul i64 %.1198385, 8
  %sunkaddr22 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr21
  %sunkaddr23 = getelementptr i8, ptr %sunkaddr22, i64 8
  %.180.1 = load double, ptr %sunkaddr23, align 8
  %.211.1 = fmul double %.180.1, %.180.1
  %.213.1 = fadd double %.213, %.211.1
  %sunkaddr24 = mul i64 %.1198385, 8
  %sunkaddr25 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr24
  %sunkaddr26 = getelementptr i8, ptr %sunkaddr25, i64 16
  %.180.2 = load double, ptr %sunkaddr26, align 8
  %.211.2 = fmul double %.180.2, %.180.2
  %.213.2 = fadd double %.213.1, %.211.2
  %sunkaddr27 = mul i64 %.1198385, 8
  %sunkaddr28 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr27
  %sunkaddr29 = getelementptr i8, ptr %sunkaddr28, i64 24
  %.180.3 = load double, ptr %sunkaddr29, align 8
  %.211.3 = fmul double %.180.3, %.180.3
  %.213.3 = fadd double %.213.2, %.211.3
  %sunkaddr30 = mul i64 %.1198385, 8
  %sunkaddr31 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr30
  %sunkaddr32 = getelementptr i8, ptr %sunkaddr31, i64 32
  %.180.4 = load double, ptr %sunkaddr32, align 8
  %.211.4 = fmul double %.180.4, %.180.4
  %.213.4 = fadd double %.213.3, %.211.4
  %sunkaddr33 = mul i64 %.1198385, 8
  %sunkaddr34 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr33
  %sunkaddr35 = getelementptr i8, ptr %sunkaddr34, i64 40
  %.180.5 = load double, ptr %sunkaddr35, align 8
  %.211.5 = fmul double %.180.5, %.180.5
  %.213.5 = fadd double %.213.4, %.211.5
  %sunkaddr36 = mul i64 %.1198385, 8
  %sunkaddr37 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr36
  %sunkaddr38 = getelementptr i8, ptr %sunkaddr37, i64 48
  %.180.6 = load double, ptr %sunkaddr38, align 8
  %.211.6 = fmul double %.180.6, %.180.6
  %.213.6 = fadd double %.213.5, %.211.6
  %.126.7 = add nuw nsw i64 %.1198385, 8
  %sunkaddr39 = mul i64 %.1198385, 8
  %sunkaddr40 = getelementptr i8, ptr %arg.a.4, i64 %sunkaddr39
  %sunkaddr41 = getelementptr i8, ptr %sunkaddr40, i64 56
  %.180.7 = load double, ptr %sunkaddr41, align 8
  %.211.7 = fmul double %.180.7, %.180.7
  %.213.7 = fadd double %.213.6, %.211.7
  %niter.ncmp.7 = icmp eq i64 %unroll_iter, %.126.7
  br i1 %niter.ncmp.7, label %B106.loopexit.unr-lcssa, label %B62

B106.loopexit.unr-lcssa:                          ; preds = %B62
  %lcmp.mod.not = icmp eq i64 %xtraiter, 0
  br i1 %lcmp.mod.not, label %B106, label %B62.epil.preheader

B62.epil.preheader:                               ; preds = %B106.loopexit.unr-lcssa, %B62.preheader
  %s.2.087.epil.init = phi double [ 0.000000e+00, %B62.preheader ], [ %.213.7, %B106.loopexit.unr-lcssa ]
  %.1198385.epil.init = phi i64 [ 0, %B62.preheader ], [ %.126.7, %B106.loopexit.unr-lcssa ]
  %1 = shl i64 %.1198385.epil.init, 3
  %scevgep = getelementptr i8, ptr %arg.a.4, i64 %1
  br label %B62.epil

B62.epil:                                         ; preds = %B62.epil, %B62.epil.preheader
  %s.2.087.epil = phi double [ %.213.epil, %B62.epil ], [ %s.2.087.epil.init, %B62.epil.preheader ]
  %epil.iter = phi i64 [ %epil.iter.next, %B62.epil ], [ 0, %B62.epil.preheader ]
  %2 = shl nuw nsw i64 %epil.iter, 3
  %scevgep3 = getelementptr i8, ptr %scevgep, i64 %2
  %.180.epil = load double, ptr %scevgep3, align 8
  %.211.epil = fmul double %.180.epil, %.180.epil
  %.213.epil = fadd double %s.2.087.epil, %.211.epil
  %epil.iter.next = add i64 %epil.iter, 1
  %epil.iter.cmp.not = icmp eq i64 %xtraiter, %epil.iter.next
  br i1 %epil.iter.cmp.not, label %B106, label %B62.epil, !llvm.loop !0

B106:                                             ; preds = %B62.epil, %B106.loopexit.unr-lcssa, %B0.endif
  %s.2.0.lcssa = phi double [ 0.000000e+00, %B0.endif ], [ %.213.7, %B106.loopexit.unr-lcssa ], [ %.213.epil, %B62.epil ]
  store double %s.2.0.lcssa, ptr %retptr, align 8
  ret i32 0
}

attributes #0 = { nofree norecurse nosync nounwind memory(argmem: readwrite) }

!0 = distinct !{!0, !1}
!1 = !{!"llvm.loop.unroll.disable"}
