; numba 0.68.1: loop_2d_f(Array(float64, 2, 'F', False, aligned=True),) -> float64
; native: _ZN8__main__9loop_2d_fB3v17B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dE5ArrayIdLi2E1F7mutable7alignedE
; ModuleID = '<string>'
source_filename = "<string>"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@_ZN08NumbaEnv8__main__9loop_2d_fB3v17B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dE5ArrayIdLi2E1F7mutable7alignedE = common local_unnamed_addr global ptr null

; Function Attrs: nofree norecurse nosync nounwind memory(argmem: readwrite)
define noundef i32 @_ZN8__main__9loop_2d_fB3v17B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dE5ArrayIdLi2E1F7mutable7alignedE(ptr noalias writeonly captures(none) %retptr, ptr noalias readnone captures(none) %excinfo, ptr readnone captures(none) %arg.a.0, ptr readnone captures(none) %arg.a.1, i64 %arg.a.2, i64 %arg.a.3, ptr readonly captures(none) %arg.a.4, i64 %arg.a.5.0, i64 %arg.a.5.1, i64 %arg.a.6.0, i64 %arg.a.6.1) local_unnamed_addr #0 {
B0.endif:
  %.123171.not = icmp slt i64 %arg.a.5.1, 1
  %.264159.not = icmp slt i64 %arg.a.5.0, 1
  %or.cond = select i1 %.123171.not, i1 true, i1 %.264159.not
  br i1 %or.cond, label %B172, label %B62.endif.us.preheader

B62.endif.us.preheader:                           ; preds = %B0.endif
  %0 = add nsw i64 %arg.a.5.0, -1
  %xtraiter = and i64 %arg.a.5.0, 7
  %unroll_iter = and i64 %arg.a.5.0, 9223372036854775800
  %scevgep = getelementptr i8, ptr %arg.a.4, i64 56
  %1 = shl i64 %arg.a.5.0, 3
  br label %B62.endif.us

B62.endif.us:                                     ; preds = %B116.B60.loopexit_crit_edge.us, %B62.endif.us.preheader
  %lsr.iv19 = phi ptr [ %arg.a.4, %B62.endif.us.preheader ], [ %scevgep20, %B116.B60.loopexit_crit_edge.us ]
  %lsr.iv = phi ptr [ %scevgep, %B62.endif.us.preheader ], [ %scevgep3, %B116.B60.loopexit_crit_edge.us ]
  %s.3.0174.us = phi double [ %.414.us.lcssa, %B116.B60.loopexit_crit_edge.us ], [ 0.000000e+00, %B62.endif.us.preheader ]
  %.129166172.us = phi i64 [ %.136.us, %B116.B60.loopexit_crit_edge.us ], [ 0, %B62.endif.us.preheader ]
  %2 = icmp ult i64 %0, 7
  br i1 %2, label %B118.us.epil.preheader, label %B118.us.preheader

B118.us.preheader:                                ; preds = %B62.endif.us
  br label %B118.us

B118.us:                                          ; preds = %B118.us, %B118.us.preheader
  %s.2.1162.us = phi double [ %.414.us.7, %B118.us ], [ %s.3.0174.us, %B118.us.preheader ]
  %.270158160.us = phi i64 [ %.277.us.7, %B118.us ], [ 0, %B118.us.preheader ]
  %3 = shl i64 %.270158160.us, 3
  %scevgep17 = getelementptr i8, ptr %lsr.iv, i64 %3
  %scevgep18 = getelementptr i8, ptr %scevgep17, i64 -56
  %.354.us = load double, ptr %scevgep18, align 8
  %.412.us = fmul double %.354.us, %.354.us
  %.414.us = fadd double %s.2.1162.us, %.412.us
  %4 = shl i64 %.270158160.us, 3
  %scevgep15 = getelementptr i8, ptr %lsr.iv, i64 %4
  %scevgep16 = getelementptr i8, ptr %scevgep15, i64 -48
  %.354.us.1 = load double, ptr %scevgep16, align 8
  %.412.us.1 = fmul double %.354.us.1, %.354.us.1
  %.414.us.1 = fadd double %.414.us, %.412.us.1
  %5 = shl i64 %.270158160.us, 3
  %scevgep13 = getelementptr i8, ptr %lsr.iv, i64 %5
  %scevgep14 = getelementptr i8, ptr %scevgep13, i64 -40
  %.354.us.2 = load double, ptr %scevgep14, align 8
  %.412.us.2 = fmul double %.354.us.2, %.354.us.2
  %.414.us.2 = fadd double %.414.us.1, %.412.us.2
  %6 = shl i64 %.270158160.us, 3
  %scevgep11 = getelementptr i8, ptr %lsr.iv, i64 %6
  %scevgep12 = getelementptr i8, ptr %scevgep11, i64 -32
  %.354.us.3 = load double, ptr %scevgep12, align 8
  %.412.us.3 = fmul double %.354.us.3, %.354.us.3
  %.414.us.3 = fadd double %.414.us.2, %.412.us.3
  %7 = shl i64 %.270158160.us, 3
  %scevgep9 = getelementptr i8, ptr %lsr.iv, i64 %7
  %scevgep10 = getelementptr i8, ptr %scevgep9, i64 -24
  %.354.us.4 = load double, ptr %scevgep10, align 8
  %.412.us.4 = fmul double %.354.us.4, %.354.us.4
  %.414.us.4 = fadd double %.414.us.3, %.412.us.4
  %8 = shl i64 %.270158160.us, 3
  %scevgep7 = getelementptr i8, ptr %lsr.iv, i64 %8
  %scevgep8 = getelementptr i8, ptr %scevgep7, i64 -16
  %.354.us.5 = load double, ptr %scevgep8, align 8
  %.412.us.5 = fmul double %.354.us.5, %.354.us.5
  %.414.us.5 = fadd double %.414.us.4, %.412.us.5
  %9 = shl i64 %.270158160.us, 3
  %scevgep5 = getelementptr i8, ptr %lsr.iv, i64 %9
  %scevgep6 = getelementptr i8, ptr %scevgep5, i64 -8
  %.354.us.6 = load double, ptr %scevgep6, align 8
  %.412.us.6 = fmul double %.354.us.6, %.354.us.6
  %.414.us.6 = fadd double %.414.us.5, %.412.us.6
  %.277.us.7 = add nuw i64 %.270158160.us, 8
  %10 = shl i64 %.270158160.us, 3
  %scevgep4 = getelementptr i8, ptr %lsr.iv, i64 %10
  %.354.us.7 = load double, ptr %scevgep4, align 8
  %.412.us.7 = fmul double %.354.us.7, %.354.us.7
  %.414.us.7 = fadd double %.414.us.6, %.412.us.7
  %niter.ncmp.7 = icmp eq i64 %unroll_iter, %.277.us.7
  br i1 %niter.ncmp.7, label %B116.B60.loopexit_crit_edge.us.unr-lcssa, label %B118.us

B116.B60.loopexit_crit_edge.us.unr-lcssa:         ; preds = %B118.us
  %11 = icmp eq i64 %xtraiter, 0
  br i1 %11, label %B116.B60.loopexit_crit_edge.us, label %B118.us.epil.preheader

B118.us.epil.preheader:                           ; preds = %B116.B60.loopexit_crit_edge.us.unr-lcssa, %B62.endif.us
  %s.2.1162.us.epil.init = phi double [ %s.3.0174.us, %B62.endif.us ], [ %.414.us.7, %B116.B60.loopexit_crit_edge.us.unr-lcssa ]
  %.270158160.us.epil.init = phi i64 [ 0, %B62.endif.us ], [ %.277.us.7, %B116.B60.loopexit_crit_edge.us.unr-lcssa ]
  %12 = shl i64 %.270158160.us.epil.init, 3
  %scevgep21 = getelementptr i8, ptr %lsr.iv19, i64 %12
  br label %B118.us.epil

B118.us.epil:                                     ; preds = %B118.us.epil, %B118.us.epil.preheader
  %s.2.1162.us.epil = phi double [ %s.2.1162.us.epil.init, %B118.us.epil.preheader ], [ %.414.us.epil, %B118.us.epil ]
  %epil.iter = phi i64 [ 0, %B118.us.epil.preheader ], [ %epil.iter.next, %B118.us.epil ]
  %13 = shl nuw nsw i64 %epil.iter, 3
  %scevgep22 = getelementptr i8, ptr %scevgep21, i64 %13
  %.354.us.epil = load double, ptr %scevgep22, align 8
  %.412.us.epil = fmul double %.354.us.epil, %.354.us.epil
  %.414.us.epil = fadd double %s.2.1162.us.epil, %.412.us.epil
  %epil.iter.next = add i64 %epil.iter, 1
  %epil.iter.cmp.not = icmp eq i64 %xtraiter, %epil.iter.next
  br i1 %epil.iter.cmp.not, label %B116.B60.loopexit_crit_edge.us, label %B118.us.epil, !llvm.loop !0

B116.B60.loopexit_crit_edge.us:                   ; preds = %B118.us.epil, %B116.B60.loopexit_crit_edge.us.unr-lcssa
  %.414.us.lcssa = phi double [ %.414.us.7, %B116.B60.loopexit_crit_edge.us.unr-lcssa ], [ %.414.us.epil, %B118.us.epil ]
  %.136.us = add nuw nsw i64 %.129166172.us, 1
  %scevgep3 = getelementptr i8, ptr %lsr.iv, i64 %1
  %scevgep20 = getelementptr i8, ptr %lsr.iv19, i64 %1
  %exitcond185.not = icmp eq i64 %.136.us, %arg.a.5.1
  br i1 %exitcond185.not, label %B172, label %B62.endif.us

B172:                                             ; preds = %B116.B60.loopexit_crit_edge.us, %B0.endif
  %s.3.0.lcssa = phi double [ 0.000000e+00, %B0.endif ], [ %.414.us.lcssa, %B116.B60.loopexit_crit_edge.us ]
  store double %s.3.0.lcssa, ptr %retptr, align 8
  ret i32 0
}

attributes #0 = { nofree norecurse nosync nounwind memory(argmem: readwrite) }

!0 = distinct !{!0, !1}
!1 = !{!"llvm.loop.unroll.disable"}
