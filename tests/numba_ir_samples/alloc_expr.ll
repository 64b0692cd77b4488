; numba 0.68.1: alloc_expr(Array(float64, 1, 'C', False, aligned=True), Array(float64, 1, 'C', False, aligned=True)) -> float64
; native: _ZN8__main__10alloc_exprB2v3B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dE5ArrayIdLi1E1C7mutable7alignedE5ArrayIdLi1E1C7mutable7alignedE
; ModuleID = '<string>'
source_filename = "<string>"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@.const.pickledata.488f1c58155f0ecf3d19722ec61c1e372888d9c7 = internal constant [189 x i8] c"\80\04\95\B2\00\00\00\00\00\00\00\8C\08builtins\94\8C\0AValueError\94\93\94\8C\8Funable to broadcast argument 1 to output array\0AFile \22/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/numba/np/npyimpl.py\22, line 373, \94\85\94N\87\94."
@.const.pickledata.488f1c58155f0ecf3d19722ec61c1e372888d9c7.sha1 = internal constant [20 x i8] c"H\8F\1CX\15_\0E\CF=\19r.\C6\1C\1E7(\88\D9\C7"
@.const.picklebuf.488f1c58155f0ecf3d19722ec61c1e372888d9c7 = internal constant { ptr, i32, ptr, ptr, i32 } { ptr @.const.pickledata.488f1c58155f0ecf3d19722ec61c1e372888d9c7, i32 189, ptr @.const.pickledata.488f1c58155f0ecf3d19722ec61c1e372888d9c7.sha1, ptr null, i32 0 }
@.const.pickledata.58e14eccb507b1e0206981740223e685cb8c3c57 = internal constant [137 x i8] c"\80\04\95~\00\00\00\00\00\00\00\8C\08builtins\94\8C\0AValueError\94\93\94\8C[array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.\94\85\94N\87\94."
@.const.pickledata.58e14eccb507b1e0206981740223e685cb8c3c57.sha1 = internal constant [20 x i8] c"X\E1N\CC\B5\07\B1\E0 i\81t\02#\E6\85\CB\8C<W"
@.const.picklebuf.58e14eccb507b1e0206981740223e685cb8c3c57 = internal constant { ptr, i32, ptr, ptr, i32 } { ptr @.const.pickledata.58e14eccb507b1e0206981740223e685cb8c3c57, i32 137, ptr @.const.pickledata.58e14eccb507b1e0206981740223e685cb8c3c57.sha1, ptr null, i32 0 }
@_ZN08NumbaEnv8__main__10alloc_exprB2v3B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dE5ArrayIdLi1E1C7mutable7alignedE5ArrayIdLi1E1C7mutable7alignedE = common local_unnamed_addr global ptr null
@_ZN08NumbaEnv13_3cdynamic_3e33__numba_array_expr_0x7f253d068b90B2v7B72c8tJTIeFIjxB2IKSgI4CrvQCk0Z4yRYcWsBAQ4s_2fqEpEUkESQI1_2bmEQRxHRNAA_3d_3dEdd = common local_unnamed_addr global ptr null
@_ZN08NumbaEnv5numba2np7npyimpl15_broadcast_ontoB2v8B42c8tJTC_2fWQA93W1AaAIYBPIqRBFCjDSZRVAJmaQIAEx8int64_2ax8int64_2a = common local_unnamed_addr global ptr null
@_ZN08NumbaEnv5numba2np8arrayobj15_call_allocatorB2v9B42c8tJTC_2fWQA93W1AaAIYBPIqRBFCjDSZRVAJmaQIAEN29typeref_5b_3cclass_20_27numba4core5types8npytypes14Array_27_3e_5dExj = common local_unnamed_addr global ptr null
@_ZN08NumbaEnv5numba2np8arrayobj18_ol_array_allocate12_3clocals_3e4implB3v10B42c8tJTIeFIjxB2IKSgI4CrvQClcaMQ5hEEUSJJgA_3dEN29typeref_5b_3cclass_20_27numba4core5types8npytypes14Array_27_3e_5dExj = common local_unnamed_addr global ptr null
@.const.pickledata.ba289d81f05c7020f3477c15734804df65abe209 = internal constant [86 x i8] c"\80\04\95K\00\00\00\00\00\00\00\8C\08builtins\94\8C\0BMemoryError\94\93\94\8C'Allocation failed (probably too large).\94\85\94N\87\94."
@.const.pickledata.ba289d81f05c7020f3477c15734804df65abe209.sha1 = internal constant [20 x i8] c"\BA(\9D\81\F0\\p \F3G|\15sH\04\DFe\AB\E2\09"
@.const.picklebuf.ba289d81f05c7020f3477c15734804df65abe209 = internal constant { ptr, i32, ptr, ptr, i32 } { ptr @.const.pickledata.ba289d81f05c7020f3477c15734804df65abe209, i32 86, ptr @.const.pickledata.ba289d81f05c7020f3477c15734804df65abe209.sha1, ptr null, i32 0 }
@_ZN08NumbaEnv5numba2np9arraymath9array_sum12_3clocals_3e14array_sum_implB2v4B42c8tJTIeFIjxB2IKSgI4CrvQClcaMQ5hEEUSJJgA_3dE5ArrayIdLi1E1C7mutable7alignedE27omitted_28default_3dNone_2927omitted_28default_3dNone_29 = common local_unnamed_addr global ptr null
@_ZN08NumbaEnv5numba2np9arraymath17check_axis_boundsB2v5B42c8tJTIeFIjxB2IKSgI4CrvQClcaMQ5hEEUSJJgA_3dE5ArrayIdLi1E1C7mutable7alignedEv = common local_unnamed_addr global ptr null
@_ZN08NumbaEnv5numba2np9arraymath16check_duplicatesB2v6B42c8tJTIeFIjxB2IKSgI4CrvQClcaMQ5hEEUSJJgA_3dEvx = common local_unnamed_addr global ptr null

define range(i32 0, 2) i32 @_ZN8__main__10alloc_exprB2v3B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dE5ArrayIdLi1E1C7mutable7alignedE5ArrayIdLi1E1C7mutable7alignedE(ptr noalias writeonly captures(none) %retptr, ptr noalias writeonly captures(none) %excinfo, ptr %arg.x.0, ptr readnone captures(none) %arg.x.1, i64 %arg.x.2, i64 %arg.x.3, ptr readonly captures(none) %arg.x.4, i64 %arg.x.5.0, i64 %arg.x.6.0, ptr %arg.y.0, ptr readnone captures(none) %arg.y.1, i64 %arg.y.2, i64 %arg.y.3, ptr readonly captures(none) %arg.y.4, i64 %arg.y.5.0, i64 %arg.y.6.0) local_unnamed_addr {
B128.i:
  %arg.y.5.0.fr = freeze i64 %arg.y.5.0
  %arg.x.5.0.fr = freeze i64 %arg.x.5.0
  tail call void @NRT_incref(ptr %arg.x.0)
  tail call void @NRT_incref(ptr %arg.y.0)
  %.101.not.i = icmp eq i64 %arg.x.5.0.fr, 1
  br i1 %.101.not.i, label %B128.i27, label %B90.i18

common.ret:                                       ; preds = %for.end.endif, %B0.endif.endif.endif.endif.endif.if.if, %B0.endif.endif.endif.endif.if, %B0.endif.endif.endif.if
  %common.ret.op = phi i32 [ 1, %B0.endif.endif.endif.endif.endif.if.if ], [ 1, %B0.endif.endif.endif.endif.if ], [ 0, %for.end.endif ], [ 1, %B0.endif.endif.endif.if ]
  ret i32 %common.ret.op

B90.i18:                                          ; preds = %B128.i
  %.71.i19 = icmp ne i64 %arg.y.5.0.fr, %arg.x.5.0.fr
  %.76.i20 = icmp ne i64 %arg.y.5.0.fr, 1
  %or.cond.i21 = and i1 %.76.i20, %.71.i19
  br i1 %or.cond.i21, label %B0.endif.endif.endif.if, label %B150.i22

B128.i27:                                         ; preds = %B128.i
  %.101.not.i28 = icmp eq i64 %arg.y.5.0.fr, 1
  br i1 %.101.not.i28, label %B0.endif.endif.endif.endif.endif, label %B150.i22

B150.i22:                                         ; preds = %B128.i27, %B90.i18
  %dest_shape.1 = phi i64 [ %arg.x.5.0.fr, %B90.i18 ], [ %arg.y.5.0.fr, %B128.i27 ]
  %0 = add i64 %dest_shape.1, -1152921504606846976
  %.138 = icmp ult i64 %0, -2305843009213693952
  br i1 %.138, label %B0.endif.endif.endif.endif.if, label %B0.endif.endif.endif.endif.endif, !prof !0

B0.endif.endif.endif.if:                          ; preds = %B90.i18
  store ptr @.const.picklebuf.488f1c58155f0ecf3d19722ec61c1e372888d9c7, ptr %excinfo, align 8, !numba_exception_output !1
  br label %common.ret

B0.endif.endif.endif.endif.if:                    ; preds = %B150.i22
  store ptr @.const.picklebuf.58e14eccb507b1e0206981740223e685cb8c3c57, ptr %excinfo, align 8, !numba_exception_output !1
  br label %common.ret

B0.endif.endif.endif.endif.endif:                 ; preds = %B150.i22, %B128.i27
  %dest_shape.161 = phi i64 [ %dest_shape.1, %B150.i22 ], [ 1, %B128.i27 ]
  %.137 = shl nsw i64 %dest_shape.161, 3
  %.7.i.i = tail call ptr @NRT_MemInfo_alloc_aligned(i64 %.137, i32 32), !noalias !2
  %.8.i.i = icmp eq ptr %.7.i.i, null
  br i1 %.8.i.i, label %B0.endif.endif.endif.endif.endif.if.if, label %B0.endif.endif.endif.endif.endif.endif, !prof !9

B0.endif.endif.endif.endif.endif.endif:           ; preds = %B0.endif.endif.endif.endif.endif
  %.5.i = getelementptr i8, ptr %.7.i.i, i64 24
  %.6.i = load ptr, ptr %.5.i, align 8
  %.20832 = icmp sgt i64 %dest_shape.161, 0
  br i1 %.20832, label %for.body.lr.ph, label %for.end.endif.critedge

for.body.lr.ph:                                   ; preds = %B0.endif.endif.endif.endif.endif.endif
  %const = bitcast i64 9223372036854775800 to i64
  %.210 = icmp ugt i64 %arg.x.5.0.fr, 1
  br i1 %.210, label %for.body.lr.ph.split.us, label %for.body.lr.ph.split

for.body.lr.ph.split.us:                          ; preds = %for.body.lr.ph
  %1 = icmp ugt i64 %arg.y.5.0.fr, 1
  br i1 %1, label %for.body.endif.endif.endif.us.us.preheader, label %for.body.endif.endif.endif.us.preheader

for.body.endif.endif.endif.us.preheader:          ; preds = %for.body.lr.ph.split.us
  %2 = icmp ult i64 %dest_shape.161, 8
  br i1 %2, label %for.body.endif.endif.endif.us.preheader175, label %vector.memcheck130

vector.memcheck130:                               ; preds = %for.body.endif.endif.endif.us.preheader
  %3 = shl i64 %dest_shape.161, 3
  %scevgep131 = getelementptr i8, ptr %.6.i, i64 %3
  %scevgep132 = getelementptr i8, ptr %arg.x.4, i64 %3
  %scevgep133 = getelementptr i8, ptr %arg.y.4, i64 8
  %bound0134 = icmp ult ptr %.6.i, %scevgep132
  %bound1135 = icmp ult ptr %arg.x.4, %scevgep131
  %found.conflict136 = and i1 %bound0134, %bound1135
  %bound0137 = icmp ult ptr %.6.i, %scevgep133
  %bound1138 = icmp ult ptr %arg.y.4, %scevgep131
  %found.conflict139 = and i1 %bound0137, %bound1138
  %conflict.rdx140 = or i1 %found.conflict136, %found.conflict139
  br i1 %conflict.rdx140, label %for.body.endif.endif.endif.us.preheader175, label %vector.ph142

vector.ph142:                                     ; preds = %vector.memcheck130
  %n.vec144 = and i64 %dest_shape.161, %const
  %4 = load double, ptr %arg.y.4, align 8, !alias.scope !10
  %broadcast.splatinsert148 = insertelement <8 x double> poison, double %4, i64 0
  %broadcast.splat149 = shufflevector <8 x double> %broadcast.splatinsert148, <8 x double> poison, <8 x i32> zeroinitializer
  br label %vector.body145

vector.body145:                                   ; preds = %vector.body145, %vector.ph142
  %index146 = phi i64 [ 0, %vector.ph142 ], [ %index.next150, %vector.body145 ]
  %5 = shl i64 %index146, 3
  %scevgep292 = getelementptr i8, ptr %arg.x.4, i64 %5
  %wide.load147 = load <8 x double>, ptr %scevgep292, align 8, !alias.scope !13
  %6 = tail call <8 x double> @llvm.exp.v8f64(<8 x double> %wide.load147)
  %7 = fmul <8 x double> %broadcast.splat149, %6
  %8 = shl i64 %index146, 3
  %scevgep291 = getelementptr i8, ptr %.6.i, i64 %8
  store <8 x double> %7, ptr %scevgep291, align 8, !alias.scope !15, !noalias !17
  %index.next150 = add nuw i64 %index146, 8
  %9 = icmp eq i64 %n.vec144, %index.next150
  br i1 %9, label %middle.block151, label %vector.body145, !llvm.loop !18

middle.block151:                                  ; preds = %vector.body145
  %cmp.n152 = icmp eq i64 %dest_shape.161, %n.vec144
  br i1 %cmp.n152, label %for.end, label %for.body.endif.endif.endif.us.preheader175

for.body.endif.endif.endif.us.preheader175:       ; preds = %middle.block151, %vector.memcheck130, %for.body.endif.endif.endif.us.preheader
  %loop.index35.us.ph = phi i64 [ 0, %vector.memcheck130 ], [ 0, %for.body.endif.endif.endif.us.preheader ], [ %n.vec144, %middle.block151 ]
  %xtraiter182 = and i64 %dest_shape.161, 7
  %lcmp.mod183.not = icmp eq i64 %xtraiter182, 0
  br i1 %lcmp.mod183.not, label %for.body.endif.endif.endif.us.prol.loopexit, label %for.body.endif.endif.endif.us.prol.preheader

for.body.endif.endif.endif.us.prol.preheader:     ; preds = %for.body.endif.endif.endif.us.preheader175
  br label %for.body.endif.endif.endif.us.prol

for.body.endif.endif.endif.us.prol:               ; preds = %for.body.endif.endif.endif.us.prol, %for.body.endif.endif.endif.us.prol.preheader
  %lsr.iv289 = phi i64 [ %xtraiter182, %for.body.endif.endif.endif.us.prol.preheader ], [ %lsr.iv.next290, %for.body.endif.endif.endif.us.prol ]
  %loop.index35.us.prol = phi i64 [ %.256.us.prol, %for.body.endif.endif.endif.us.prol ], [ %loop.index35.us.ph, %for.body.endif.endif.endif.us.prol.preheader ]
  %10 = shl i64 %loop.index35.us.prol, 3
  %scevgep288 = getelementptr i8, ptr %arg.x.4, i64 %10
  %.218.us.prol = load double, ptr %scevgep288, align 8
  %.227.us.prol = load double, ptr %arg.y.4, align 8
  %.13.le.i31.prol = tail call double @llvm.exp.f64(double %.218.us.prol)
  %.18.i32.prol = fmul double %.227.us.prol, %.13.le.i31.prol
  %11 = shl i64 %loop.index35.us.prol, 3
  %scevgep287 = getelementptr i8, ptr %.6.i, i64 %11
  store double %.18.i32.prol, ptr %scevgep287, align 8
  %.256.us.prol = add nuw nsw i64 %loop.index35.us.prol, 1
  %lsr.iv.next290 = add nsw i64 %lsr.iv289, -1
  %prol.iter184.cmp.not = icmp eq i64 %lsr.iv.next290, 0
  br i1 %prol.iter184.cmp.not, label %for.body.endif.endif.endif.us.prol.loopexit, label %for.body.endif.endif.endif.us.prol, !llvm.loop !21

for.body.endif.endif.endif.us.prol.loopexit:      ; preds = %for.body.endif.endif.endif.us.prol, %for.body.endif.endif.endif.us.preheader175
  %loop.index35.us.unr = phi i64 [ %loop.index35.us.ph, %for.body.endif.endif.endif.us.preheader175 ], [ %.256.us.prol, %for.body.endif.endif.endif.us.prol ]
  %12 = sub nsw i64 %loop.index35.us.ph, %dest_shape.161
  %13 = icmp ugt i64 %12, -8
  br i1 %13, label %for.end, label %for.body.endif.endif.endif.us.preheader192

for.body.endif.endif.endif.us.preheader192:       ; preds = %for.body.endif.endif.endif.us.prol.loopexit
  br label %for.body.endif.endif.endif.us

for.body.endif.endif.endif.us.us.preheader:       ; preds = %for.body.lr.ph.split.us
  %14 = icmp ult i64 %dest_shape.161, 8
  br i1 %14, label %for.body.endif.endif.endif.us.us.preheader174, label %vector.memcheck154

vector.memcheck154:                               ; preds = %for.body.endif.endif.endif.us.us.preheader
  %15 = ptrtoint ptr %.6.i to i64
  %16 = ptrtoint ptr %arg.x.4 to i64
  %17 = ptrtoint ptr %arg.y.4 to i64
  %18 = sub i64 %15, %16
  %diff.check = icmp ult i64 %18, 64
  %19 = sub i64 %15, %17
  %diff.check158 = icmp ult i64 %19, 64
  %conflict.rdx159 = or i1 %diff.check, %diff.check158
  br i1 %conflict.rdx159, label %for.body.endif.endif.endif.us.us.preheader174, label %vector.ph162

vector.ph162:                                     ; preds = %vector.memcheck154
  %n.vec164 = and i64 %dest_shape.161, %const
  br label %vector.body165

vector.body165:                                   ; preds = %vector.body165, %vector.ph162
  %index166 = phi i64 [ 0, %vector.ph162 ], [ %index.next169, %vector.body165 ]
  %20 = shl i64 %index166, 3
  %scevgep254 = getelementptr i8, ptr %arg.x.4, i64 %20
  %wide.load167 = load <8 x double>, ptr %scevgep254, align 8
  %21 = shl i64 %index166, 3
  %scevgep253 = getelementptr i8, ptr %arg.y.4, i64 %21
  %wide.load168 = load <8 x double>, ptr %scevgep253, align 8
  %22 = tail call <8 x double> @llvm.exp.v8f64(<8 x double> %wide.load167)
  %23 = fmul <8 x double> %wide.load168, %22
  %24 = shl i64 %index166, 3
  %scevgep252 = getelementptr i8, ptr %.6.i, i64 %24
  store <8 x double> %23, ptr %scevgep252, align 8
  %index.next169 = add nuw i64 %index166, 8
  %25 = icmp eq i64 %n.vec164, %index.next169
  br i1 %25, label %middle.block170, label %vector.body165, !llvm.loop !23

middle.block170:                                  ; preds = %vector.body165
  %cmp.n171 = icmp eq i64 %dest_shape.161, %n.vec164
  br i1 %cmp.n171, label %for.end, label %for.body.endif.endif.endif.us.us.preheader174

for.body.endif.endif.endif.us.us.preheader174:    ; preds = %middle.block170, %vector.memcheck154, %for.body.endif.endif.endif.us.us.preheader
  %loop.index35.us.us.ph = phi i64 [ 0, %vector.memcheck154 ], [ 0, %for.body.endif.endif.endif.us.us.preheader ], [ %n.vec164, %middle.block170 ]
  %xtraiter185 = and i64 %dest_shape.161, 7
  %lcmp.mod186.not = icmp eq i64 %xtraiter185, 0
  br i1 %lcmp.mod186.not, label %for.body.endif.endif.endif.us.us.prol.loopexit, label %for.body.endif.endif.endif.us.us.prol.preheader

for.body.endif.endif.endif.us.us.prol.preheader:  ; preds = %for.body.endif.endif.endif.us.us.preheader174
  br label %for.body.endif.endif.endif.us.us.prol

for.body.endif.endif.endif.us.us.prol:            ; preds = %for.body.endif.endif.endif.us.us.prol, %for.body.endif.endif.endif.us.us.prol.preheader
  %lsr.iv250 = phi i64 [ %xtraiter185, %for.body.endif.endif.endif.us.us.prol.preheader ], [ %lsr.iv.next251, %for.body.endif.endif.endif.us.us.prol ]
  %loop.index35.us.us.prol = phi i64 [ %.256.us.us.prol, %for.body.endif.endif.endif.us.us.prol ], [ %loop.index35.us.us.ph, %for.body.endif.endif.endif.us.us.prol.preheader ]
  %26 = shl i64 %loop.index35.us.us.prol, 3
  %scevgep249 = getelementptr i8, ptr %arg.x.4, i64 %26
  %.218.us.us.prol = load double, ptr %scevgep249, align 8
  %27 = shl i64 %loop.index35.us.us.prol, 3
  %scevgep248 = getelementptr i8, ptr %arg.y.4, i64 %27
  %.227.us.us.prol = load double, ptr %scevgep248, align 8
  %.13.le.i.prol = tail call double @llvm.exp.f64(double %.218.us.us.prol)
  %.18.i.prol = fmul double %.227.us.us.prol, %.13.le.i.prol
  %28 = shl i64 %loop.index35.us.us.prol, 3
  %scevgep247 = getelementptr i8, ptr %.6.i, i64 %28
  store double %.18.i.prol, ptr %scevgep247, align 8
  %.256.us.us.prol = add nuw nsw i64 %loop.index35.us.us.prol, 1
  %lsr.iv.next251 = add nsw i64 %lsr.iv250, -1
  %prol.iter187.cmp.not = icmp eq i64 %lsr.iv.next251, 0
  br i1 %prol.iter187.cmp.not, label %for.body.endif.endif.endif.us.us.prol.loopexit, label %for.body.endif.endif.endif.us.us.prol, !llvm.loop !24

for.body.endif.endif.endif.us.us.prol.loopexit:   ; preds = %for.body.endif.endif.endif.us.us.prol, %for.body.endif.endif.endif.us.us.preheader174
  %loop.index35.us.us.unr = phi i64 [ %loop.index35.us.us.ph, %for.body.endif.endif.endif.us.us.preheader174 ], [ %.256.us.us.prol, %for.body.endif.endif.endif.us.us.prol ]
  %29 = sub nsw i64 %loop.index35.us.us.ph, %dest_shape.161
  %30 = icmp ugt i64 %29, -8
  br i1 %30, label %for.end, label %for.body.endif.endif.endif.us.us.preheader191

for.body.endif.endif.endif.us.us.preheader191:    ; preds = %for.body.endif.endif.endif.us.us.prol.loopexit
  br label %for.body.endif.endif.endif.us.us

for.body.endif.endif.endif.us.us:                 ; preds = %for.body.endif.endif.endif.us.us, %for.body.endif.endif.endif.us.us.preheader191
  %loop.index35.us.us = phi i64 [ %.256.us.us.7, %for.body.endif.endif.endif.us.us ], [ %loop.index35.us.us.unr, %for.body.endif.endif.endif.us.us.preheader191 ]
  %sunkaddr = mul i64 %loop.index35.us.us, 8
  %sunkaddr378 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr
  %.218.us.us = load double, ptr %sunkaddr378, align 8
  %sunkaddr379 = mul i64 %loop.index35.us.us, 8
  %sunkaddr380 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr379
  %.227.us.us = load double, ptr %sunkaddr380, align 8
  %.13.le.i = tail call double @llvm.exp.f64(double %.218.us.us)
  %.18.i = fmul double %.227.us.us, %.13.le.i
  %sunkaddr381 = mul i64 %loop.index35.us.us, 8
  %sunkaddr382 = getelementptr i8, ptr %.6.i, i64 %sunkaddr381
  store double %.18.i, ptr %sunkaddr382, align 8
  %sunkaddr383 = mul i64 %loop.index35.us.us, 8
  %sunkaddr384 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr383
  %sunkaddr385 = getelementptr i8, ptr %sunkaddr384, i64 8
  %.218.us.us.1 = load double, ptr %sunkaddr385, align 8
  %sunkaddr386 = mul i64 %loop.index35.us.us, 8
  %sunkaddr387 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr386
  %sunkaddr388 = getelementptr i8, ptr %sunkaddr387, i64 8
  %.227.us.us.1 = load double, ptr %sunkaddr388, align 8
  %.13.le.i.1 = tail call double @llvm.exp.f64(double %.218.us.us.1)
  %.18.i.1 = fmul double %.227.us.us.1, %.13.le.i.1
  %sunkaddr389 = mul i64 %loop.index35.us.us, 8
  %sunkaddr390 = getelementptr i8, ptr %.6.i, i64 %sunkaddr389
  %sunkaddr391 = getelementptr i8, ptr %sunkaddr390, i64 8
  store double %.18.i.1, ptr %sunkaddr391, align 8
  %sunkaddr392 = mul i64 %loop.index35.us.us, 8
  %sunkaddr393 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr392
  %sunkaddr394 = getelementptr i8, ptr %sunkaddr393, i64 16
  %.218.us.us.2 = load double, ptr %sunkaddr394, align 8
  %sunkaddr395 = mul i64 %loop.index35.us.us, 8
  %sunkaddr396 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr395
  %sunkaddr397 = getelementptr i8, ptr %sunkaddr396, i64 16
  %.227.us.us.2 = load double, ptr %sunkaddr397, align 8
  %.13.le.i.2 = tail call double @llvm.exp.f64(double %.218.us.us.2)
  %.18.i.2 = fmul double %.227.us.us.2, %.13.le.i.2
  %sunkaddr398 = mul i64 %loop.index35.us.us, 8
  %sunkaddr399 = getelementptr i8, ptr %.6.i, i64 %sunkaddr398
  %sunkaddr400 = getelementptr i8, ptr %sunkaddr399, i64 16
  store double %.18.i.2, ptr %sunkaddr400, align 8
  %sunkaddr401 = mul i64 %loop.index35.us.us, 8
  %sunkaddr402 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr401
  %sunkaddr403 = getelementptr i8, ptr %sunkaddr402, i64 24
  %.218.us.us.3 = load double, ptr %sunkaddr403, align 8
  %sunkaddr404 = mul i64 %loop.index35.us.us, 8
  %sunkaddr405 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr404
  %sunkaddr406 = getelementptr i8, ptr %sunkaddr405, i64 24
  %.227.us.us.3 = load double, ptr %sunkaddr406, align 8
  %.13.le.i.3 = tail call double @llvm.exp.f64(double %.218.us.us.3)
  %.18.i.3 = fmul double %.227.us.us.3, %.13.le.i.3
  %sunkaddr407 = mul i64 %loop.index35.us.us, 8
  %sunkaddr408 = getelementptr i8, ptr %.6.i, i64 %sunkaddr407
  %sunkaddr409 = getelementptr i8, ptr %sunkaddr408, i64 24
  store double %.18.i.3, ptr %sunkaddr409, align 8
  %sunkaddr410 = mul i64 %loop.index35.us.us, 8
  %sunkaddr411 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr410
  %sunkaddr412 = getelementptr i8, ptr %sunkaddr411, i64 32
  %.218.us.us.4 = load double, ptr %sunkaddr412, align 8
  %sunkaddr413 = mul i64 %loop.index35.us.us, 8
  %sunkaddr414 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr413
  %sunkaddr415 = getelementptr i8, ptr %sunkaddr414, i64 32
  %.227.us.us.4 = load double, ptr %sunkaddr415, align 8
  %.13.le.i.4 = tail call double @llvm.exp.f64(double %.218.us.us.4)
  %.18.i.4 = fmul double %.227.us.us.4, %.13.le.i.4
  %sunkaddr416 = mul i64 %loop.index35.us.us, 8
  %sunkaddr417 = getelementptr i8, ptr %.6.i, i64 %sunkaddr416
  %sunkaddr418 = getelementptr i8, ptr %sunkaddr417, i64 32
  store double %.18.i.4, ptr %sunkaddr418, align 8
  %sunkaddr419 = mul i64 %loop.index35.us.us, 8
  %sunkaddr420 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr419
  %sunkaddr421 = getelementptr i8, ptr %sunkaddr420, i64 40
  %.218.us.us.5 = load double, ptr %sunkaddr421, align 8
  %sunkaddr422 = mul i64 %loop.index35.us.us, 8
  %sunkaddr423 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr422
  %sunkaddr424 = getelementptr i8, ptr %sunkaddr423, i64 40
  %.227.us.us.5 = load double, ptr %sunkaddr424, align 8
  %.13.le.i.5 = tail call double @llvm.exp.f64(double %.218.us.us.5)
  %.18.i.5 = fmul double %.227.us.us.5, %.13.le.i.5
  %sunkaddr425 = mul i64 %loop.index35.us.us, 8
  %sunkaddr426 = getelementptr i8, ptr %.6.i, i64 %sunkaddr425
  %sunkaddr427 = getelementptr i8, ptr %sunkaddr426, i64 40
  store double %.18.i.5, ptr %sunkaddr427, align 8
  %sunkaddr428 = mul i64 %loop.index35.us.us, 8
  %sunkaddr429 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr428
  %sunkaddr430 = getelementptr i8, ptr %sunkaddr429, i64 48
  %.218.us.us.6 = load double, ptr %sunkaddr430, align 8
  %sunkaddr431 = mul i64 %loop.index35.us.us, 8
  %sunkaddr432 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr431
  %sunkaddr433 = getelementptr i8, ptr %sunkaddr432, i64 48
  %.227.us.us.6 = load double, ptr %sunkaddr433, align 8
  %.13.le.i.6 = tail call double @llvm.exp.f64(double %.218.us.us.6)
  %.18.i.6 = fmul double %.227.us.us.6, %.13.le.i.6
  %sunkaddr434 = mul i64 %loop.index35.us.us, 8
  %sunkaddr435 = getelementptr i8, ptr %.6.i, i64 %sunkaddr434
  %sunkaddr436 = getelementptr i8, ptr %sunkaddr435, i64 48
  store double %.18.i.6, ptr %sunkaddr436, align 8
  %sunkaddr437 = mul i64 %loop.index35.us.us, 8
  %sunkaddr438 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr437
  %sunkaddr439 = getelementptr i8, ptr %sunkaddr438, i64 56
  %.218.us.us.7 = load double, ptr %sunkaddr439, align 8
  %sunkaddr440 = mul i64 %loop.index35.us.us, 8
  %sunkaddr441 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr440
  %sunkaddr442 = getelementptr i8, ptr %sunkaddr441, i64 56
  %.227.us.us.7 = load double, ptr %sunkaddr442, align 8
  %.13.le.i.7 = tail call double @llvm.exp.f64(double %.218.us.us.7)
  %.18.i.7 = fmul double %.227.us.us.7, %.13.le.i.7
  %sunkaddr443 = mul i64 %loop.index35.us.us, 8
  %sunkaddr444 = getelementptr i8, ptr %.6.i, i64 %sunkaddr443
  %sunkaddr445 = getelementptr i8, ptr %sunkaddr444, i64 56
  store double %.18.i.7, ptr %sunkaddr445, align 8
  %.256.us.us.7 = add nuw nsw i64 %loop.index35.us.us, 8
  %exitcond65.not.7 = icmp eq i64 %dest_shape.161, %.256.us.us.7
  br i1 %exitcond65.not.7, label %for.end, label %for.body.endif.endif.endif.us.us, !llvm.loop !25

for.body.endif.endif.endif.us:                    ; preds = %for.body.endif.endif.endif.us, %for.body.endif.endif.endif.us.preheader192
  %loop.index35.us = phi i64 [ %.256.us.7, %for.body.endif.endif.endif.us ], [ %loop.index35.us.unr, %for.body.endif.endif.endif.us.preheader192 ]
  %sunkaddr446 = mul i64 %loop.index35.us, 8
  %sunkaddr447 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr446
  %.218.us = load double, ptr %sunkaddr447, align 8
  %.227.us = load double, ptr %arg.y.4, align 8
  %.13.le.i31 = tail call double @llvm.exp.f64(double %.218.us)
  %.18.i32 = fmul double %.227.us, %.13.le.i31
  %sunkaddr448 = mul i64 %loop.index35.us, 8
  %sunkaddr449 = getelementptr i8, ptr %.6.i, i64 %sunkaddr448
  store double %.18.i32, ptr %sunkaddr449, align 8
  %sunkaddr450 = mul i64 %loop.index35.us, 8
  %sunkaddr451 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr450
  %sunkaddr452 = getelementptr i8, ptr %sunkaddr451, i64 8
  %.218.us.1 = load double, ptr %sunkaddr452, align 8
  %.227.us.1 = load double, ptr %arg.y.4, align 8
  %.13.le.i31.1 = tail call double @llvm.exp.f64(double %.218.us.1)
  %.18.i32.1 = fmul double %.227.us.1, %.13.le.i31.1
  %sunkaddr453 = mul i64 %loop.index35.us, 8
  %sunkaddr454 = getelementptr i8, ptr %.6.i, i64 %sunkaddr453
  %sunkaddr455 = getelementptr i8, ptr %sunkaddr454, i64 8
  store double %.18.i32.1, ptr %sunkaddr455, align 8
  %sunkaddr456 = mul i64 %loop.index35.us, 8
  %sunkaddr457 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr456
  %sunkaddr458 = getelementptr i8, ptr %sunkaddr457, i64 16
  %.218.us.2 = load double, ptr %sunkaddr458, align 8
  %.227.us.2 = load double, ptr %arg.y.4, align 8
  %.13.le.i31.2 = tail call double @llvm.exp.f64(double %.218.us.2)
  %.18.i32.2 = fmul double %.227.us.2, %.13.le.i31.2
  %sunkaddr459 = mul i64 %loop.index35.us, 8
  %sunkaddr460 = getelementptr i8, ptr %.6.i, i64 %sunkaddr459
  %sunkaddr461 = getelementptr i8, ptr %sunkaddr460, i64 16
  store double %.18.i32.2, ptr %sunkaddr461, align 8
  %sunkaddr462 = mul i64 %loop.index35.us, 8
  %sunkaddr463 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr462
  %sunkaddr464 = getelementptr i8, ptr %sunkaddr463, i64 24
  %.218.us.3 = load double, ptr %sunkaddr464, align 8
  %.227.us.3 = load double, ptr %arg.y.4, align 8
  %.13.le.i31.3 = tail call double @llvm.exp.f64(double %.218.us.3)
  %.18.i32.3 = fmul double %.227.us.3, %.13.le.i31.3
  %sunkaddr465 = mul i64 %loop.index35.us, 8
  %sunkaddr466 = getelementptr i8, ptr %.6.i, i64 %sunkaddr465
  %sunkaddr467 = getelementptr i8, ptr %sunkaddr466, i64 24
  store double %.18.i32.3, ptr %sunkaddr467, align 8
  %sunkaddr468 = mul i64 %loop.index35.us, 8
  %sunkaddr469 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr468
  %sunkaddr470 = getelementptr i8, ptr %sunkaddr469, i64 32
  %.218.us.4 = load double, ptr %sunkaddr470, align 8
  %.227.us.4 = load double, ptr %arg.y.4, align 8
  %.13.le.i31.4 = tail call double @llvm.exp.f64(double %.218.us.4)
  %.18.i32.4 = fmul double %.227.us.4, %.13.le.i31.4
  %sunkaddr471 = mul i64 %loop.index35.us, 8
  %sunkaddr472 = getelementptr i8, ptr %.6.i, i64 %sunkaddr471
  %sunkaddr473 = getelementptr i8, ptr %sunkaddr472, i64 32
  store double %.18.i32.4, ptr %sunkaddr473, align 8
  %sunkaddr474 = mul i64 %loop.index35.us, 8
  %sunkaddr475 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr474
  %sunkaddr476 = getelementptr i8, ptr %sunkaddr475, i64 40
  %.218.us.5 = load double, ptr %sunkaddr476, align 8
  %.227.us.5 = load double, ptr %arg.y.4, align 8
  %.13.le.i31.5 = tail call double @llvm.exp.f64(double %.218.us.5)
  %.18.i32.5 = fmul double %.227.us.5, %.13.le.i31.5
  %sunkaddr477 = mul i64 %loop.index35.us, 8
  %sunkaddr478 = getelementptr i8, ptr %.6.i, i64 %sunkaddr477
  %sunkaddr479 = getelementptr i8, ptr %sunkaddr478, i64 40
  store double %.18.i32.5, ptr %sunkaddr479, align 8
  %sunkaddr480 = mul i64 %loop.index35.us, 8
  %sunkaddr481 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr480
  %sunkaddr482 = getelementptr i8, ptr %sunkaddr481, i64 48
  %.218.us.6 = load double, ptr %sunkaddr482, align 8
  %.227.us.6 = load double, ptr %arg.y.4, align 8
  %.13.le.i31.6 = tail call double @llvm.exp.f64(double %.218.us.6)
  %.18.i32.6 = fmul double %.227.us.6, %.13.le.i31.6
  %sunkaddr483 = mul i64 %loop.index35.us, 8
  %sunkaddr484 = getelementptr i8, ptr %.6.i, i64 %sunkaddr483
  %sunkaddr485 = getelementptr i8, ptr %sunkaddr484, i64 48
  store double %.18.i32.6, ptr %sunkaddr485, align 8
  %sunkaddr486 = mul i64 %loop.index35.us, 8
  %sunkaddr487 = getelementptr i8, ptr %arg.x.4, i64 %sunkaddr486
  %sunkaddr488 = getelementptr i8, ptr %sunkaddr487, i64 56
  %.218.us.7 = load double, ptr %sunkaddr488, align 8
  %.227.us.7 = load double, ptr %arg.y.4, align 8
  %.13.le.i31.7 = tail call double @llvm.exp.f64(double %.218.us.7)
  %.18.i32.7 = fmul double %.227.us.7, %.13.le.i31.7
  %sunkaddr489 = mul i64 %loop.index35.us, 8
  %sunkaddr490 = getelementptr i8, ptr %.6.i, i64 %sunkaddr489
  %sunkaddr491 = getelementptr i8, ptr %sunkaddr490, i64 56
  store double %.18.i32.7, ptr %sunkaddr491, align 8
  %.256.us.7 = add nuw nsw i64 %loop.index35.us, 8
  %exitcond64.not.7 = icmp eq i64 %dest_shape.161, %.256.us.7
  br i1 %exitcond64.not.7, label %for.end, label %for.body.endif.endif.endif.us, !llvm.loop !26

for.body.lr.ph.split:                             ; preds = %for.body.lr.ph
  %31 = icmp ugt i64 %arg.y.5.0.fr, 1
  br i1 %31, label %iter.check98, label %iter.check

iter.check:                                       ; preds = %for.body.lr.ph.split
  %min.iters.check = icmp eq i64 %dest_shape.161, 1
  br i1 %min.iters.check, label %for.body.endif.endif.endif.preheader, label %vector.memcheck

vector.memcheck:                                  ; preds = %iter.check
  %32 = shl i64 %dest_shape.161, 3
  %scevgep = getelementptr i8, ptr %.6.i, i64 %32
  %scevgep68 = getelementptr i8, ptr %arg.x.4, i64 8
  %scevgep69 = getelementptr i8, ptr %arg.y.4, i64 8
  %bound0 = icmp ult ptr %.6.i, %scevgep68
  %bound1 = icmp ult ptr %arg.x.4, %scevgep
  %found.conflict = and i1 %bound0, %bound1
  %bound070 = icmp ult ptr %.6.i, %scevgep69
  %bound171 = icmp ult ptr %arg.y.4, %scevgep
  %found.conflict72 = and i1 %bound070, %bound171
  %conflict.rdx = or i1 %found.conflict, %found.conflict72
  br i1 %conflict.rdx, label %for.body.endif.endif.endif.preheader, label %vector.main.loop.iter.check

vector.main.loop.iter.check:                      ; preds = %vector.memcheck
  %min.iters.check73 = icmp ult i64 %dest_shape.161, 32
  br i1 %min.iters.check73, label %vec.epilog.ph, label %vector.ph

vector.ph:                                        ; preds = %vector.main.loop.iter.check
  %const_mat = add i64 %const, -24
  %n.vec = and i64 %dest_shape.161, %const_mat
  %33 = load double, ptr %arg.y.4, align 8, !alias.scope !27
  %34 = load double, ptr %arg.x.4, align 8, !alias.scope !30
  %35 = tail call double @llvm.exp.f64(double %34)
  %.scalar = fmul double %33, %35
  %36 = insertelement <8 x double> poison, double %.scalar, i64 0
  %37 = shufflevector <8 x double> %36, <8 x double> poison, <8 x i32> zeroinitializer
  br label %vector.body

vector.body:                                      ; preds = %vector.body, %vector.ph
  %index = phi i64 [ 0, %vector.ph ], [ %index.next, %vector.body ]
  %sunkaddr492 = mul i64 %index, 8
  %sunkaddr493 = getelementptr i8, ptr %.6.i, i64 %sunkaddr492
  store <8 x double> %37, ptr %sunkaddr493, align 8, !alias.scope !32, !noalias !34
  %sunkaddr494 = mul i64 %index, 8
  %sunkaddr495 = getelementptr i8, ptr %.6.i, i64 %sunkaddr494
  %sunkaddr496 = getelementptr i8, ptr %sunkaddr495, i64 64
  store <8 x double> %37, ptr %sunkaddr496, align 8, !alias.scope !32, !noalias !34
  %sunkaddr497 = mul i64 %index, 8
  %sunkaddr498 = getelementptr i8, ptr %.6.i, i64 %sunkaddr497
  %sunkaddr499 = getelementptr i8, ptr %sunkaddr498, i64 128
  store <8 x double> %37, ptr %sunkaddr499, align 8, !alias.scope !32, !noalias !34
  %sunkaddr500 = mul i64 %index, 8
  %sunkaddr501 = getelementptr i8, ptr %.6.i, i64 %sunkaddr500
  %sunkaddr502 = getelementptr i8, ptr %sunkaddr501, i64 192
  store <8 x double> %37, ptr %sunkaddr502, align 8, !alias.scope !32, !noalias !34
  %index.next = add nuw i64 %index, 32
  %38 = icmp eq i64 %n.vec, %index.next
  br i1 %38, label %middle.block, label %vector.body, !llvm.loop !35

middle.block:                                     ; preds = %vector.body
  %cmp.n = icmp eq i64 %dest_shape.161, %n.vec
  br i1 %cmp.n, label %for.end, label %vec.epilog.iter.check

vec.epilog.iter.check:                            ; preds = %middle.block
  %39 = and i64 %dest_shape.161, 30
  %min.epilog.iters.check = icmp eq i64 %39, 0
  br i1 %min.epilog.iters.check, label %for.body.endif.endif.endif.preheader, label %vec.epilog.ph, !prof !36

vec.epilog.ph:                                    ; preds = %vec.epilog.iter.check, %vector.main.loop.iter.check
  %vec.epilog.resume.val = phi i64 [ %n.vec, %vec.epilog.iter.check ], [ 0, %vector.main.loop.iter.check ]
  %const_mat377 = add i64 %const, 6
  %n.vec77 = and i64 %dest_shape.161, %const_mat377
  %40 = load double, ptr %arg.y.4, align 8, !alias.scope !27
  %41 = load double, ptr %arg.x.4, align 8, !alias.scope !30
  %42 = tail call double @llvm.exp.f64(double %41)
  %.scalar173 = fmul double %40, %42
  %43 = insertelement <2 x double> poison, double %.scalar173, i64 0
  %44 = shufflevector <2 x double> %43, <2 x double> poison, <2 x i32> zeroinitializer
  br label %vec.epilog.vector.body

vec.epilog.vector.body:                           ; preds = %vec.epilog.vector.body, %vec.epilog.ph
  %index82 = phi i64 [ %vec.epilog.resume.val, %vec.epilog.ph ], [ %index.next83, %vec.epilog.vector.body ]
  %45 = shl i64 %index82, 3
  %scevgep366 = getelementptr i8, ptr %.6.i, i64 %45
  store <2 x double> %44, ptr %scevgep366, align 8, !alias.scope !32, !noalias !34
  %index.next83 = add nuw i64 %index82, 2
  %46 = icmp eq i64 %n.vec77, %index.next83
  br i1 %46, label %vec.epilog.middle.block, label %vec.epilog.vector.body, !llvm.loop !37

vec.epilog.middle.block:                          ; preds = %vec.epilog.vector.body
  %cmp.n84 = icmp eq i64 %dest_shape.161, %n.vec77
  br i1 %cmp.n84, label %for.end, label %for.body.endif.endif.endif.preheader

for.body.endif.endif.endif.preheader:             ; preds = %vec.epilog.middle.block, %vec.epilog.iter.check, %vector.memcheck, %iter.check
  %loop.index35.ph = phi i64 [ 0, %iter.check ], [ 0, %vector.memcheck ], [ %n.vec, %vec.epilog.iter.check ], [ %n.vec77, %vec.epilog.middle.block ]
  %47 = sub nsw i64 %dest_shape.161, %loop.index35.ph
  %xtraiter = and i64 %47, 7
  %lcmp.mod.not = icmp eq i64 %xtraiter, 0
  br i1 %lcmp.mod.not, label %for.body.endif.endif.endif.prol.loopexit, label %for.body.endif.endif.endif.prol.preheader

for.body.endif.endif.endif.prol.preheader:        ; preds = %for.body.endif.endif.endif.preheader
  br label %for.body.endif.endif.endif.prol

for.body.endif.endif.endif.prol:                  ; preds = %for.body.endif.endif.endif.prol, %for.body.endif.endif.endif.prol.preheader
  %lsr.iv364 = phi i64 [ %xtraiter, %for.body.endif.endif.endif.prol.preheader ], [ %lsr.iv.next365, %for.body.endif.endif.endif.prol ]
  %loop.index35.prol = phi i64 [ %.256.prol, %for.body.endif.endif.endif.prol ], [ %loop.index35.ph, %for.body.endif.endif.endif.prol.preheader ]
  %.218.prol = load double, ptr %arg.x.4, align 8
  %.227.prol = load double, ptr %arg.y.4, align 8
  %.13.le.i35.prol = tail call double @llvm.exp.f64(double %.218.prol)
  %.18.i36.prol = fmul double %.227.prol, %.13.le.i35.prol
  %48 = shl i64 %loop.index35.prol, 3
  %scevgep363 = getelementptr i8, ptr %.6.i, i64 %48
  store double %.18.i36.prol, ptr %scevgep363, align 8
  %.256.prol = add nuw i64 %loop.index35.prol, 1
  %lsr.iv.next365 = add nsw i64 %lsr.iv364, -1
  %prol.iter.cmp.not = icmp eq i64 %lsr.iv.next365, 0
  br i1 %prol.iter.cmp.not, label %for.body.endif.endif.endif.prol.loopexit, label %for.body.endif.endif.endif.prol, !llvm.loop !38

for.body.endif.endif.endif.prol.loopexit:         ; preds = %for.body.endif.endif.endif.prol, %for.body.endif.endif.endif.preheader
  %loop.index35.unr = phi i64 [ %loop.index35.ph, %for.body.endif.endif.endif.preheader ], [ %.256.prol, %for.body.endif.endif.endif.prol ]
  %49 = sub nsw i64 %loop.index35.ph, %dest_shape.161
  %50 = icmp ugt i64 %49, -8
  br i1 %50, label %for.end, label %for.body.endif.endif.endif.preheader196

for.body.endif.endif.endif.preheader196:          ; preds = %for.body.endif.endif.endif.prol.loopexit
  br label %for.body.endif.endif.endif

iter.check98:                                     ; preds = %for.body.lr.ph.split
  %min.iters.check96 = icmp ult i64 %dest_shape.161, 4
  br i1 %min.iters.check96, label %for.body.endif.endif.endif.us40.preheader, label %vector.memcheck85

vector.memcheck85:                                ; preds = %iter.check98
  %51 = shl i64 %dest_shape.161, 3
  %scevgep86 = getelementptr i8, ptr %.6.i, i64 %51
  %scevgep87 = getelementptr i8, ptr %arg.x.4, i64 8
  %scevgep88 = getelementptr i8, ptr %arg.y.4, i64 %51
  %bound089 = icmp ult ptr %.6.i, %scevgep87
  %bound190 = icmp ult ptr %arg.x.4, %scevgep86
  %found.conflict91 = and i1 %bound089, %bound190
  %bound092 = icmp ult ptr %.6.i, %scevgep88
  %bound193 = icmp ult ptr %arg.y.4, %scevgep86
  %found.conflict94 = and i1 %bound092, %bound193
  %conflict.rdx95 = or i1 %found.conflict91, %found.conflict94
  br i1 %conflict.rdx95, label %for.body.endif.endif.endif.us40.preheader, label %vector.main.loop.iter.check100

vector.main.loop.iter.check100:                   ; preds = %vector.memcheck85
  %min.iters.check99 = icmp ult i64 %dest_shape.161, 32
  br i1 %min.iters.check99, label %vec.epilog.ph118, label %vector.ph101

vector.ph101:                                     ; preds = %vector.main.loop.iter.check100
  %const_mat375 = add i64 %const, -24
  %n.vec103 = and i64 %dest_shape.161, %const_mat375
  %52 = load double, ptr %arg.x.4, align 8, !alias.scope !39
  %53 = tail call double @llvm.exp.f64(double %52)
  %broadcast.splatinsert104 = insertelement <8 x double> poison, double %53, i64 0
  %broadcast.splat105 = shufflevector <8 x double> %broadcast.splatinsert104, <8 x double> poison, <8 x i32> zeroinitializer
  br label %vector.body106

vector.body106:                                   ; preds = %vector.body106, %vector.ph101
  %index107 = phi i64 [ 0, %vector.ph101 ], [ %index.next111, %vector.body106 ]
  %sunkaddr503 = mul i64 %index107, 8
  %sunkaddr504 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr503
  %wide.load = load <8 x double>, ptr %sunkaddr504, align 8, !alias.scope !42
  %sunkaddr505 = mul i64 %index107, 8
  %sunkaddr506 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr505
  %sunkaddr507 = getelementptr i8, ptr %sunkaddr506, i64 64
  %wide.load108 = load <8 x double>, ptr %sunkaddr507, align 8, !alias.scope !42
  %sunkaddr508 = mul i64 %index107, 8
  %sunkaddr509 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr508
  %sunkaddr510 = getelementptr i8, ptr %sunkaddr509, i64 128
  %wide.load109 = load <8 x double>, ptr %sunkaddr510, align 8, !alias.scope !42
  %sunkaddr511 = mul i64 %index107, 8
  %sunkaddr512 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr511
  %sunkaddr513 = getelementptr i8, ptr %sunkaddr512, i64 192
  %wide.load110 = load <8 x double>, ptr %sunkaddr513, align 8, !alias.scope !42
  %54 = fmul <8 x double> %wide.load, %broadcast.splat105
  %55 = fmul <8 x double> %wide.load108, %broadcast.splat105
  %56 = fmul <8 x double> %wide.load109, %broadcast.splat105
  %57 = fmul <8 x double> %wide.load110, %broadcast.splat105
  %sunkaddr514 = mul i64 %index107, 8
  %sunkaddr515 = getelementptr i8, ptr %.6.i, i64 %sunkaddr514
  store <8 x double> %54, ptr %sunkaddr515, align 8, !alias.scope !44, !noalias !46
  %sunkaddr516 = mul i64 %index107, 8
  %sunkaddr517 = getelementptr i8, ptr %.6.i, i64 %sunkaddr516
  %sunkaddr518 = getelementptr i8, ptr %sunkaddr517, i64 64
  store <8 x double> %55, ptr %sunkaddr518, align 8, !alias.scope !44, !noalias !46
  %sunkaddr519 = mul i64 %index107, 8
  %sunkaddr520 = getelementptr i8, ptr %.6.i, i64 %sunkaddr519
  %sunkaddr521 = getelementptr i8, ptr %sunkaddr520, i64 128
  store <8 x double> %56, ptr %sunkaddr521, align 8, !alias.scope !44, !noalias !46
  %sunkaddr522 = mul i64 %index107, 8
  %sunkaddr523 = getelementptr i8, ptr %.6.i, i64 %sunkaddr522
  %sunkaddr524 = getelementptr i8, ptr %sunkaddr523, i64 192
  store <8 x double> %57, ptr %sunkaddr524, align 8, !alias.scope !44, !noalias !46
  %index.next111 = add nuw i64 %index107, 32
  %58 = icmp eq i64 %n.vec103, %index.next111
  br i1 %58, label %middle.block112, label %vector.body106, !llvm.loop !47

middle.block112:                                  ; preds = %vector.body106
  %cmp.n113 = icmp eq i64 %dest_shape.161, %n.vec103
  br i1 %cmp.n113, label %for.end, label %vec.epilog.iter.check116

vec.epilog.iter.check116:                         ; preds = %middle.block112
  %59 = and i64 %dest_shape.161, 28
  %min.epilog.iters.check117 = icmp eq i64 %59, 0
  br i1 %min.epilog.iters.check117, label %for.body.endif.endif.endif.us40.preheader, label %vec.epilog.ph118, !prof !48

vec.epilog.ph118:                                 ; preds = %vec.epilog.iter.check116, %vector.main.loop.iter.check100
  %vec.epilog.resume.val114 = phi i64 [ %n.vec103, %vec.epilog.iter.check116 ], [ 0, %vector.main.loop.iter.check100 ]
  %const_mat376 = add i64 %const, 4
  %n.vec120 = and i64 %dest_shape.161, %const_mat376
  %60 = load double, ptr %arg.x.4, align 8, !alias.scope !39
  %61 = tail call double @llvm.exp.f64(double %60)
  %broadcast.splatinsert121 = insertelement <4 x double> poison, double %61, i64 0
  %broadcast.splat122 = shufflevector <4 x double> %broadcast.splatinsert121, <4 x double> poison, <4 x i32> zeroinitializer
  br label %vec.epilog.vector.body123

vec.epilog.vector.body123:                        ; preds = %vec.epilog.vector.body123, %vec.epilog.ph118
  %index124 = phi i64 [ %vec.epilog.resume.val114, %vec.epilog.ph118 ], [ %index.next126, %vec.epilog.vector.body123 ]
  %62 = shl i64 %index124, 3
  %scevgep330 = getelementptr i8, ptr %arg.y.4, i64 %62
  %wide.load125 = load <4 x double>, ptr %scevgep330, align 8, !alias.scope !42
  %63 = fmul <4 x double> %wide.load125, %broadcast.splat122
  %64 = shl i64 %index124, 3
  %scevgep329 = getelementptr i8, ptr %.6.i, i64 %64
  store <4 x double> %63, ptr %scevgep329, align 8, !alias.scope !44, !noalias !46
  %index.next126 = add nuw i64 %index124, 4
  %65 = icmp eq i64 %n.vec120, %index.next126
  br i1 %65, label %vec.epilog.middle.block127, label %vec.epilog.vector.body123, !llvm.loop !49

vec.epilog.middle.block127:                       ; preds = %vec.epilog.vector.body123
  %cmp.n128 = icmp eq i64 %dest_shape.161, %n.vec120
  br i1 %cmp.n128, label %for.end, label %for.body.endif.endif.endif.us40.preheader

for.body.endif.endif.endif.us40.preheader:        ; preds = %vec.epilog.middle.block127, %vec.epilog.iter.check116, %vector.memcheck85, %iter.check98
  %loop.index35.us37.ph = phi i64 [ 0, %iter.check98 ], [ 0, %vector.memcheck85 ], [ %n.vec103, %vec.epilog.iter.check116 ], [ %n.vec120, %vec.epilog.middle.block127 ]
  %66 = sub nsw i64 %dest_shape.161, %loop.index35.us37.ph
  %xtraiter179 = and i64 %66, 7
  %lcmp.mod180.not = icmp eq i64 %xtraiter179, 0
  br i1 %lcmp.mod180.not, label %for.body.endif.endif.endif.us40.prol.loopexit, label %for.body.endif.endif.endif.us40.prol.preheader

for.body.endif.endif.endif.us40.prol.preheader:   ; preds = %for.body.endif.endif.endif.us40.preheader
  br label %for.body.endif.endif.endif.us40.prol

for.body.endif.endif.endif.us40.prol:             ; preds = %for.body.endif.endif.endif.us40.prol, %for.body.endif.endif.endif.us40.prol.preheader
  %lsr.iv327 = phi i64 [ %xtraiter179, %for.body.endif.endif.endif.us40.prol.preheader ], [ %lsr.iv.next328, %for.body.endif.endif.endif.us40.prol ]
  %loop.index35.us37.prol = phi i64 [ %.256.us43.prol, %for.body.endif.endif.endif.us40.prol ], [ %loop.index35.us37.ph, %for.body.endif.endif.endif.us40.prol.preheader ]
  %.218.us39.prol = load double, ptr %arg.x.4, align 8
  %67 = shl i64 %loop.index35.us37.prol, 3
  %scevgep326 = getelementptr i8, ptr %arg.y.4, i64 %67
  %.227.us47.prol = load double, ptr %scevgep326, align 8
  %.13.le.i33.prol = tail call double @llvm.exp.f64(double %.218.us39.prol)
  %.18.i34.prol = fmul double %.227.us47.prol, %.13.le.i33.prol
  %68 = shl i64 %loop.index35.us37.prol, 3
  %scevgep325 = getelementptr i8, ptr %.6.i, i64 %68
  store double %.18.i34.prol, ptr %scevgep325, align 8
  %.256.us43.prol = add nuw i64 %loop.index35.us37.prol, 1
  %lsr.iv.next328 = add nsw i64 %lsr.iv327, -1
  %prol.iter181.cmp.not = icmp eq i64 %lsr.iv.next328, 0
  br i1 %prol.iter181.cmp.not, label %for.body.endif.endif.endif.us40.prol.loopexit, label %for.body.endif.endif.endif.us40.prol, !llvm.loop !50

for.body.endif.endif.endif.us40.prol.loopexit:    ; preds = %for.body.endif.endif.endif.us40.prol, %for.body.endif.endif.endif.us40.preheader
  %loop.index35.us37.unr = phi i64 [ %loop.index35.us37.ph, %for.body.endif.endif.endif.us40.preheader ], [ %.256.us43.prol, %for.body.endif.endif.endif.us40.prol ]
  %69 = sub nsw i64 %loop.index35.us37.ph, %dest_shape.161
  %70 = icmp ugt i64 %69, -8
  br i1 %70, label %for.end, label %for.body.endif.endif.endif.us40.preheader194

for.body.endif.endif.endif.us40.preheader194:     ; preds = %for.body.endif.endif.endif.us40.prol.loopexit
  br label %for.body.endif.endif.endif.us40

for.body.endif.endif.endif.us40:                  ; preds = %for.body.endif.endif.endif.us40, %for.body.endif.endif.endif.us40.preheader194
  %loop.index35.us37 = phi i64 [ %.256.us43.7, %for.body.endif.endif.endif.us40 ], [ %loop.index35.us37.unr, %for.body.endif.endif.endif.us40.preheader194 ]
  %.218.us39 = load double, ptr %arg.x.4, align 8
  %sunkaddr525 = mul i64 %loop.index35.us37, 8
  %sunkaddr526 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr525
  %.227.us47 = load double, ptr %sunkaddr526, align 8
  %.13.le.i33 = tail call double @llvm.exp.f64(double %.218.us39)
  %.18.i34 = fmul double %.227.us47, %.13.le.i33
  %sunkaddr527 = mul i64 %loop.index35.us37, 8
  %sunkaddr528 = getelementptr i8, ptr %.6.i, i64 %sunkaddr527
  store double %.18.i34, ptr %sunkaddr528, align 8
  %.218.us39.1 = load double, ptr %arg.x.4, align 8
  %sunkaddr529 = mul i64 %loop.index35.us37, 8
  %sunkaddr530 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr529
  %sunkaddr531 = getelementptr i8, ptr %sunkaddr530, i64 8
  %.227.us47.1 = load double, ptr %sunkaddr531, align 8
  %.13.le.i33.1 = tail call double @llvm.exp.f64(double %.218.us39.1)
  %.18.i34.1 = fmul double %.227.us47.1, %.13.le.i33.1
  %sunkaddr532 = mul i64 %loop.index35.us37, 8
  %sunkaddr533 = getelementptr i8, ptr %.6.i, i64 %sunkaddr532
  %sunkaddr534 = getelementptr i8, ptr %sunkaddr533, i64 8
  store double %.18.i34.1, ptr %sunkaddr534, align 8
  %.218.us39.2 = load double, ptr %arg.x.4, align 8
  %sunkaddr535 = mul i64 %loop.index35.us37, 8
  %sunkaddr536 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr535
  %sunkaddr537 = getelementptr i8, ptr %sunkaddr536, i64 16
  %.227.us47.2 = load double, ptr %sunkaddr537, align 8
  %.13.le.i33.2 = tail call double @llvm.exp.f64(double %.218.us39.2)
  %.18.i34.2 = fmul double %.227.us47.2, %.13.le.i33.2
  %sunkaddr538 = mul i64 %loop.index35.us37, 8
  %sunkaddr539 = getelementptr i8, ptr %.6.i, i64 %sunkaddr538
  %sunkaddr540 = getelementptr i8, ptr %sunkaddr539, i64 16
  store double %.18.i34.2, ptr %sunkaddr540, align 8
  %.218.us39.3 = load double, ptr %arg.x.4, align 8
  %sunkaddr541 = mul i64 %loop.index35.us37, 8
  %sunkaddr542 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr541
  %sunkaddr543 = getelementptr i8, ptr %sunkaddr542, i64 24
  %.227.us47.3 = load double, ptr %sunkaddr543, align 8
  %.13.le.i33.3 = tail call double @llvm.exp.f64(double %.218.us39.3)
  %.18.i34.3 = fmul double %.227.us47.3, %.13.le.i33.3
  %sunkaddr544 = mul i64 %loop.index35.us37, 8
  %sunkaddr545 = getelementptr i8, ptr %.6.i, i64 %sunkaddr544
  %sunkaddr546 = getelementptr i8, ptr %sunkaddr545, i64 24
  store double %.18.i34.3, ptr %sunkaddr546, align 8
  %.218.us39.4 = load double, ptr %arg.x.4, align 8
  %sunkaddr547 = mul i64 %loop.index35.us37, 8
  %sunkaddr548 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr547
  %sunkaddr549 = getelementptr i8, ptr %sunkaddr548, i64 32
  %.227.us47.4 = load double, ptr %sunkaddr549, align 8
  %.13.le.i33.4 = tail call double @llvm.exp.f64(double %.218.us39.4)
  %.18.i34.4 = fmul double %.227.us47.4, %.13.le.i33.4
  %sunkaddr550 = mul i64 %loop.index35.us37, 8
  %sunkaddr551 = getelementptr i8, ptr %.6.i, i64 %sunkaddr550
  %sunkaddr552 = getelementptr i8, ptr %sunkaddr551, i64 32
  store double %.18.i34.4, ptr %sunkaddr552, align 8
  %.218.us39.5 = load double, ptr %arg.x.4, align 8
  %sunkaddr553 = mul i64 %loop.index35.us37, 8
  %sunkaddr554 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr553
  %sunkaddr555 = getelementptr i8, ptr %sunkaddr554, i64 40
  %.227.us47.5 = load double, ptr %sunkaddr555, align 8
  %.13.le.i33.5 = tail call double @llvm.exp.f64(double %.218.us39.5)
  %.18.i34.5 = fmul double %.227.us47.5, %.13.le.i33.5
  %sunkaddr556 = mul i64 %loop.index35.us37, 8
  %sunkaddr557 = getelementptr i8, ptr %.6.i, i64 %sunkaddr556
  %sunkaddr558 = getelementptr i8, ptr %sunkaddr557, i64 40
  store double %.18.i34.5, ptr %sunkaddr558, align 8
  %.218.us39.6 = load double, ptr %arg.x.4, align 8
  %sunkaddr559 = mul i64 %loop.index35.us37, 8
  %sunkaddr560 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr559
  %sunkaddr561 = getelementptr i8, ptr %sunkaddr560, i64 48
  %.227.us47.6 = load double, ptr %sunkaddr561, align 8
  %.13.le.i33.6 = tail call double @llvm.exp.f64(double %.218.us39.6)
  %.18.i34.6 = fmul double %.227.us47.6, %.13.le.i33.6
  %sunkaddr562 = mul i64 %loop.index35.us37, 8
  %sunkaddr563 = getelementptr i8, ptr %.6.i, i64 %sunkaddr562
  %sunkaddr564 = getelementptr i8, ptr %sunkaddr563, i64 48
  store double %.18.i34.6, ptr %sunkaddr564, align 8
  %.218.us39.7 = load double, ptr %arg.x.4, align 8
  %sunkaddr565 = mul i64 %loop.index35.us37, 8
  %sunkaddr566 = getelementptr i8, ptr %arg.y.4, i64 %sunkaddr565
  %sunkaddr567 = getelementptr i8, ptr %sunkaddr566, i64 56
  %.227.us47.7 = load double, ptr %sunkaddr567, align 8
  %.13.le.i33.7 = tail call double @llvm.exp.f64(double %.218.us39.7)
  %.18.i34.7 = fmul double %.227.us47.7, %.13.le.i33.7
  %sunkaddr568 = mul i64 %loop.index35.us37, 8
  %sunkaddr569 = getelementptr i8, ptr %.6.i, i64 %sunkaddr568
  %sunkaddr570 = getelementptr i8, ptr %sunkaddr569, i64 56
  store double %.18.i34.7, ptr %sunkaddr570, align 8
  %.256.us43.7 = add nuw nsw i64 %loop.index35.us37, 8
  %exitcond63.not.7 = icmp eq i64 %dest_shape.161, %.256.us43.7
  br i1 %exitcond63.not.7, label %for.end, label %for.body.endif.endif.endif.us40, !llvm.loop !51

B0.endif.endif.endif.endif.endif.if.if:           ; preds = %B0.endif.endif.endif.endif.endif
  store ptr @.const.picklebuf.ba289d81f05c7020f3477c15734804df65abe209, ptr %excinfo, align 8
  br label %common.ret

for.end:                                          ; preds = %for.body.endif.endif.endif, %for.body.endif.endif.endif.us40, %for.body.endif.endif.endif.us40.prol.loopexit, %vec.epilog.middle.block127, %middle.block112, %for.body.endif.endif.endif.prol.loopexit, %vec.epilog.middle.block, %middle.block, %for.body.endif.endif.endif.us, %for.body.endif.endif.endif.us.us, %for.body.endif.endif.endif.us.us.prol.loopexit, %middle.block170, %for.body.endif.endif.endif.us.prol.loopexit, %middle.block151
  tail call void @NRT_decref(ptr %arg.y.0)
  tail call void @NRT_decref(ptr %arg.x.0)
  %xtraiter.i = and i64 %dest_shape.161, 7
  %71 = icmp samesign ult i64 %dest_shape.161, 8
  br i1 %71, label %.89.endif.epil.preheader.i, label %.89.endif.preheader.new.i, !prof !52

.89.endif.preheader.new.i:                        ; preds = %for.end
  %unroll_iter.i = and i64 %dest_shape.161, %const
  %72 = add nsw i64 %dest_shape.161, -8
  %73 = lshr i64 %72, 3
  %74 = add nuw nsw i64 %73, 1
  %xtraiter188 = and i64 %74, 3
  %75 = and i64 %72, 24
  %lcmp.mod189.not = icmp eq i64 %75, 24
  br i1 %lcmp.mod189.not, label %.89.endif.i.prol.loopexit, label %.89.endif.i.prol.preheader, !prof !53

.89.endif.i.prol.preheader:                       ; preds = %.89.endif.preheader.new.i
  br label %.89.endif.i.prol

.89.endif.i.prol:                                 ; preds = %.89.endif.i.prol, %.89.endif.i.prol.preheader
  %lsr.iv = phi i64 [ %xtraiter188, %.89.endif.i.prol.preheader ], [ %lsr.iv.next, %.89.endif.i.prol ]
  %lsr.iv.i.prol = phi i64 [ %lsr.iv.next.i.prol, %.89.endif.i.prol ], [ %unroll_iter.i, %.89.endif.i.prol.preheader ]
  %.77.013.i.prol = phi ptr [ %.114.7.i.prol, %.89.endif.i.prol ], [ %.6.i, %.89.endif.i.prol.preheader ]
  %.72.012.i.prol = phi double [ %.108.7.i.prol, %.89.endif.i.prol ], [ 0.000000e+00, %.89.endif.i.prol.preheader ]
  %.106.i.prol = load double, ptr %.77.013.i.prol, align 8, !noalias !54
  %.108.i.prol = fadd double %.72.012.i.prol, %.106.i.prol
  %.114.i37.prol = getelementptr i8, ptr %.77.013.i.prol, i64 8
  %.106.1.i.prol = load double, ptr %.114.i37.prol, align 8, !noalias !54
  %.108.1.i.prol = fadd double %.108.i.prol, %.106.1.i.prol
  %.114.1.i.prol = getelementptr i8, ptr %.77.013.i.prol, i64 16
  %.106.2.i.prol = load double, ptr %.114.1.i.prol, align 8, !noalias !54
  %.108.2.i.prol = fadd double %.108.1.i.prol, %.106.2.i.prol
  %.114.2.i.prol = getelementptr i8, ptr %.77.013.i.prol, i64 24
  %.106.3.i.prol = load double, ptr %.114.2.i.prol, align 8, !noalias !54
  %.108.3.i.prol = fadd double %.108.2.i.prol, %.106.3.i.prol
  %.114.3.i.prol = getelementptr i8, ptr %.77.013.i.prol, i64 32
  %.106.4.i.prol = load double, ptr %.114.3.i.prol, align 8, !noalias !54
  %.108.4.i.prol = fadd double %.108.3.i.prol, %.106.4.i.prol
  %.114.4.i.prol = getelementptr i8, ptr %.77.013.i.prol, i64 40
  %.106.5.i.prol = load double, ptr %.114.4.i.prol, align 8, !noalias !54
  %.108.5.i.prol = fadd double %.108.4.i.prol, %.106.5.i.prol
  %.114.5.i.prol = getelementptr i8, ptr %.77.013.i.prol, i64 48
  %.106.6.i.prol = load double, ptr %.114.5.i.prol, align 8, !noalias !54
  %.108.6.i.prol = fadd double %.108.5.i.prol, %.106.6.i.prol
  %.114.6.i.prol = getelementptr i8, ptr %.77.013.i.prol, i64 56
  %.106.7.i.prol = load double, ptr %.114.6.i.prol, align 8, !noalias !54
  %.108.7.i.prol = fadd double %.108.6.i.prol, %.106.7.i.prol
  %.114.7.i.prol = getelementptr i8, ptr %.77.013.i.prol, i64 64
  %lsr.iv.next.i.prol = add i64 %lsr.iv.i.prol, -8
  %lsr.iv.next = add i64 %lsr.iv, -1
  %prol.iter190.cmp.not = icmp eq i64 %lsr.iv.next, 0
  br i1 %prol.iter190.cmp.not, label %.89.endif.i.prol.loopexit, label %.89.endif.i.prol, !prof !57, !llvm.loop !58

.89.endif.i.prol.loopexit:                        ; preds = %.89.endif.i.prol, %.89.endif.preheader.new.i
  %.108.7.i.lcssa.unr = phi double [ poison, %.89.endif.preheader.new.i ], [ %.108.7.i.prol, %.89.endif.i.prol ]
  %.114.7.i.lcssa.unr = phi ptr [ poison, %.89.endif.preheader.new.i ], [ %.114.7.i.prol, %.89.endif.i.prol ]
  %lsr.iv.i.unr = phi i64 [ %unroll_iter.i, %.89.endif.preheader.new.i ], [ %lsr.iv.next.i.prol, %.89.endif.i.prol ]
  %.77.013.i.unr = phi ptr [ %.6.i, %.89.endif.preheader.new.i ], [ %.114.7.i.prol, %.89.endif.i.prol ]
  %.72.012.i.unr = phi double [ 0.000000e+00, %.89.endif.preheader.new.i ], [ %.108.7.i.prol, %.89.endif.i.prol ]
  %76 = icmp ult i64 %72, 24
  br i1 %76, label %common.ret.loopexit.unr-lcssa.i, label %.89.endif.i.preheader, !prof !59

.89.endif.i.preheader:                            ; preds = %.89.endif.i.prol.loopexit
  br label %.89.endif.i

common.ret.loopexit.unr-lcssa.i:                  ; preds = %.89.endif.i, %.89.endif.i.prol.loopexit
  %.108.7.i.lcssa = phi double [ %.108.7.i.lcssa.unr, %.89.endif.i.prol.loopexit ], [ %.108.7.i.3, %.89.endif.i ]
  %.114.7.i.lcssa = phi ptr [ %.114.7.i.lcssa.unr, %.89.endif.i.prol.loopexit ], [ %.114.7.i.3, %.89.endif.i ]
  %lcmp.mod.not.i = icmp eq i64 %xtraiter.i, 0
  br i1 %lcmp.mod.not.i, label %for.end.endif, label %.89.endif.epil.preheader.i, !prof !60

.89.endif.epil.preheader.i:                       ; preds = %common.ret.loopexit.unr-lcssa.i, %for.end
  %.77.013.epil.init.i = phi ptr [ %.6.i, %for.end ], [ %.114.7.i.lcssa, %common.ret.loopexit.unr-lcssa.i ]
  %.72.012.epil.init.i = phi double [ 0.000000e+00, %for.end ], [ %.108.7.i.lcssa, %common.ret.loopexit.unr-lcssa.i ]
  br label %.89.endif.epil.i

.89.endif.epil.i:                                 ; preds = %.89.endif.epil.i, %.89.endif.epil.preheader.i
  %.72.012.epil.i = phi double [ %.108.epil.i, %.89.endif.epil.i ], [ %.72.012.epil.init.i, %.89.endif.epil.preheader.i ]
  %epil.iter.i = phi i64 [ %epil.iter.next.i, %.89.endif.epil.i ], [ 0, %.89.endif.epil.preheader.i ]
  %77 = shl i64 %epil.iter.i, 3
  %scevgep198 = getelementptr i8, ptr %.77.013.epil.init.i, i64 %77
  %.106.epil.i = load double, ptr %scevgep198, align 8, !noalias !54
  %.108.epil.i = fadd double %.72.012.epil.i, %.106.epil.i
  %epil.iter.next.i = add i64 %epil.iter.i, 1
  %epil.iter.cmp.not.i = icmp eq i64 %xtraiter.i, %epil.iter.next.i
  br i1 %epil.iter.cmp.not.i, label %for.end.endif, label %.89.endif.epil.i, !prof !61, !llvm.loop !62

.89.endif.i:                                      ; preds = %.89.endif.i, %.89.endif.i.preheader
  %lsr.iv.i = phi i64 [ %lsr.iv.next.i.3, %.89.endif.i ], [ %lsr.iv.i.unr, %.89.endif.i.preheader ]
  %.77.013.i = phi ptr [ %.114.7.i.3, %.89.endif.i ], [ %.77.013.i.unr, %.89.endif.i.preheader ]
  %.72.012.i = phi double [ %.108.7.i.3, %.89.endif.i ], [ %.72.012.i.unr, %.89.endif.i.preheader ]
  %.106.i = load double, ptr %.77.013.i, align 8, !noalias !54
  %.108.i = fadd double %.72.012.i, %.106.i
  %.114.i37 = getelementptr i8, ptr %.77.013.i, i64 8
  %.106.1.i = load double, ptr %.114.i37, align 8, !noalias !54
  %.108.1.i = fadd double %.108.i, %.106.1.i
  %.114.1.i = getelementptr i8, ptr %.77.013.i, i64 16
  %.106.2.i = load double, ptr %.114.1.i, align 8, !noalias !54
  %.108.2.i = fadd double %.108.1.i, %.106.2.i
  %.114.2.i = getelementptr i8, ptr %.77.013.i, i64 24
  %.106.3.i = load double, ptr %.114.2.i, align 8, !noalias !54
  %.108.3.i = fadd double %.108.2.i, %.106.3.i
  %.114.3.i = getelementptr i8, ptr %.77.013.i, i64 32
  %.106.4.i = load double, ptr %.114.3.i, align 8, !noalias !54
  %.108.4.i = fadd double %.108.3.i, %.106.4.i
  %.114.4.i = getelementptr i8, ptr %.77.013.i, i64 40
  %.106.5.i = load double, ptr %.114.4.i, align 8, !noalias !54
  %.108.5.i = fadd double %.108.4.i, %.106.5.i
  %.114.5.i = getelementptr i8, ptr %.77.013.i, i64 48
  %.106.6.i = load double, ptr %.114.5.i, align 8, !noalias !54
  %.108.6.i = fadd double %.108.5.i, %.106.6.i
  %.114.6.i = getelementptr i8, ptr %.77.013.i, i64 56
  %.106.7.i = load double, ptr %.114.6.i, align 8, !noalias !54
  %.108.7.i = fadd double %.108.6.i, %.106.7.i
  %.114.7.i = getelementptr i8, ptr %.77.013.i, i64 64
  %.106.i.1 = load double, ptr %.114.7.i, align 8, !noalias !54
  %.108.i.1 = fadd double %.108.7.i, %.106.i.1
  %.114.i37.1 = getelementptr i8, ptr %.77.013.i, i64 72
  %.106.1.i.1 = load double, ptr %.114.i37.1, align 8, !noalias !54
  %.108.1.i.1 = fadd double %.108.i.1, %.106.1.i.1
  %.114.1.i.1 = getelementptr i8, ptr %.77.013.i, i64 80
  %.106.2.i.1 = load double, ptr %.114.1.i.1, align 8, !noalias !54
  %.108.2.i.1 = fadd double %.108.1.i.1, %.106.2.i.1
  %.114.2.i.1 = getelementptr i8, ptr %.77.013.i, i64 88
  %.106.3.i.1 = load double, ptr %.114.2.i.1, align 8, !noalias !54
  %.108.3.i.1 = fadd double %.108.2.i.1, %.106.3.i.1
  %.114.3.i.1 = getelementptr i8, ptr %.77.013.i, i64 96
  %.106.4.i.1 = load double, ptr %.114.3.i.1, align 8, !noalias !54
  %.108.4.i.1 = fadd double %.108.3.i.1, %.106.4.i.1
  %.114.4.i.1 = getelementptr i8, ptr %.77.013.i, i64 104
  %.106.5.i.1 = load double, ptr %.114.4.i.1, align 8, !noalias !54
  %.108.5.i.1 = fadd double %.108.4.i.1, %.106.5.i.1
  %.114.5.i.1 = getelementptr i8, ptr %.77.013.i, i64 112
  %.106.6.i.1 = load double, ptr %.114.5.i.1, align 8, !noalias !54
  %.108.6.i.1 = fadd double %.108.5.i.1, %.106.6.i.1
  %.114.6.i.1 = getelementptr i8, ptr %.77.013.i, i64 120
  %.106.7.i.1 = load double, ptr %.114.6.i.1, align 8, !noalias !54
  %.108.7.i.1 = fadd double %.108.6.i.1, %.106.7.i.1
  %.114.7.i.1 = getelementptr i8, ptr %.77.013.i, i64 128
  %.106.i.2 = load double, ptr %.114.7.i.1, align 8, !noalias !54
  %.108.i.2 = fadd double %.108.7.i.1, %.106.i.2
  %.114.i37.2 = getelementptr i8, ptr %.77.013.i, i64 136
  %.106.1.i.2 = load double, ptr %.114.i37.2, align 8, !noalias !54
  %.108.1.i.2 = fadd double %.108.i.2, %.106.1.i.2
  %.114.1.i.2 = getelementptr i8, ptr %.77.013.i, i64 144
  %.106.2.i.2 = load double, ptr %.114.1.i.2, align 8, !noalias !54
  %.108.2.i.2 = fadd double %.108.1.i.2, %.106.2.i.2
  %.114.2.i.2 = getelementptr i8, ptr %.77.013.i, i64 152
  %.106.3.i.2 = load double, ptr %.114.2.i.2, align 8, !noalias !54
  %.108.3.i.2 = fadd double %.108.2.i.2, %.106.3.i.2
  %.114.3.i.2 = getelementptr i8, ptr %.77.013.i, i64 160
  %.106.4.i.2 = load double, ptr %.114.3.i.2, align 8, !noalias !54
  %.108.4.i.2 = fadd double %.108.3.i.2, %.106.4.i.2
  %.114.4.i.2 = getelementptr i8, ptr %.77.013.i, i64 168
  %.106.5.i.2 = load double, ptr %.114.4.i.2, align 8, !noalias !54
  %.108.5.i.2 = fadd double %.108.4.i.2, %.106.5.i.2
  %.114.5.i.2 = getelementptr i8, ptr %.77.013.i, i64 176
  %.106.6.i.2 = load double, ptr %.114.5.i.2, align 8, !noalias !54
  %.108.6.i.2 = fadd double %.108.5.i.2, %.106.6.i.2
  %.114.6.i.2 = getelementptr i8, ptr %.77.013.i, i64 184
  %.106.7.i.2 = load double, ptr %.114.6.i.2, align 8, !noalias !54
  %.108.7.i.2 = fadd double %.108.6.i.2, %.106.7.i.2
  %.114.7.i.2 = getelementptr i8, ptr %.77.013.i, i64 192
  %.106.i.3 = load double, ptr %.114.7.i.2, align 8, !noalias !54
  %.108.i.3 = fadd double %.108.7.i.2, %.106.i.3
  %.114.i37.3 = getelementptr i8, ptr %.77.013.i, i64 200
  %.106.1.i.3 = load double, ptr %.114.i37.3, align 8, !noalias !54
  %.108.1.i.3 = fadd double %.108.i.3, %.106.1.i.3
  %.114.1.i.3 = getelementptr i8, ptr %.77.013.i, i64 208
  %.106.2.i.3 = load double, ptr %.114.1.i.3, align 8, !noalias !54
  %.108.2.i.3 = fadd double %.108.1.i.3, %.106.2.i.3
  %.114.2.i.3 = getelementptr i8, ptr %.77.013.i, i64 216
  %.106.3.i.3 = load double, ptr %.114.2.i.3, align 8, !noalias !54
  %.108.3.i.3 = fadd double %.108.2.i.3, %.106.3.i.3
  %.114.3.i.3 = getelementptr i8, ptr %.77.013.i, i64 224
  %.106.4.i.3 = load double, ptr %.114.3.i.3, align 8, !noalias !54
  %.108.4.i.3 = fadd double %.108.3.i.3, %.106.4.i.3
  %.114.4.i.3 = getelementptr i8, ptr %.77.013.i, i64 232
  %.106.5.i.3 = load double, ptr %.114.4.i.3, align 8, !noalias !54
  %.108.5.i.3 = fadd double %.108.4.i.3, %.106.5.i.3
  %.114.5.i.3 = getelementptr i8, ptr %.77.013.i, i64 240
  %.106.6.i.3 = load double, ptr %.114.5.i.3, align 8, !noalias !54
  %.108.6.i.3 = fadd double %.108.5.i.3, %.106.6.i.3
  %.114.6.i.3 = getelementptr i8, ptr %.77.013.i, i64 248
  %.106.7.i.3 = load double, ptr %.114.6.i.3, align 8, !noalias !54
  %.108.7.i.3 = fadd double %.108.6.i.3, %.106.7.i.3
  %.114.7.i.3 = getelementptr i8, ptr %.77.013.i, i64 256
  %lsr.iv.next.i.3 = add nsw i64 %lsr.iv.i, -32
  %niter.ncmp.7.i.3 = icmp eq i64 %lsr.iv.next.i.3, 0
  br i1 %niter.ncmp.7.i.3, label %common.ret.loopexit.unr-lcssa.i, label %.89.endif.i, !prof !64, !llvm.loop !65

for.body.endif.endif.endif:                       ; preds = %for.body.endif.endif.endif, %for.body.endif.endif.endif.preheader196
  %loop.index35 = phi i64 [ %.256.7, %for.body.endif.endif.endif ], [ %loop.index35.unr, %for.body.endif.endif.endif.preheader196 ]
  %.218 = load double, ptr %arg.x.4, align 8
  %.227 = load double, ptr %arg.y.4, align 8
  %.13.le.i35 = tail call double @llvm.exp.f64(double %.218)
  %.18.i36 = fmul double %.227, %.13.le.i35
  %sunkaddr571 = mul i64 %loop.index35, 8
  %sunkaddr572 = getelementptr i8, ptr %.6.i, i64 %sunkaddr571
  store double %.18.i36, ptr %sunkaddr572, align 8
  %.218.1 = load double, ptr %arg.x.4, align 8
  %.227.1 = load double, ptr %arg.y.4, align 8
  %.13.le.i35.1 = tail call double @llvm.exp.f64(double %.218.1)
  %.18.i36.1 = fmul double %.227.1, %.13.le.i35.1
  %sunkaddr573 = mul i64 %loop.index35, 8
  %sunkaddr574 = getelementptr i8, ptr %.6.i, i64 %sunkaddr573
  %sunkaddr575 = getelementptr i8, ptr %sunkaddr574, i64 8
  store double %.18.i36.1, ptr %sunkaddr575, align 8
  %.218.2 = load double, ptr %arg.x.4, align 8
  %.227.2 = load double, ptr %arg.y.4, align 8
  %.13.le.i35.2 = tail call double @llvm.exp.f64(double %.218.2)
  %.18.i36.2 = fmul double %.227.2, %.13.le.i35.2
  %sunkaddr576 = mul i64 %loop.index35, 8
  %sunkaddr577 = getelementptr i8, ptr %.6.i, i64 %sunkaddr576
  %sunkaddr578 = getelementptr i8, ptr %sunkaddr577, i64 16
  store double %.18.i36.2, ptr %sunkaddr578, align 8
  %.218.3 = load double, ptr %arg.x.4, align 8
  %.227.3 = load double, ptr %arg.y.4, align 8
  %.13.le.i35.3 = tail call double @llvm.exp.f64(double %.218.3)
  %.18.i36.3 = fmul double %.227.3, %.13.le.i35.3
  %sunkaddr579 = mul i64 %loop.index35, 8
  %sunkaddr580 = getelementptr i8, ptr %.6.i, i64 %sunkaddr579
  %sunkaddr581 = getelementptr i8, ptr %sunkaddr580, i64 24
  store double %.18.i36.3, ptr %sunkaddr581, align 8
  %.218.4 = load double, ptr %arg.x.4, align 8
  %.227.4 = load double, ptr %arg.y.4, align 8
  %.13.le.i35.4 = tail call double @llvm.exp.f64(double %.218.4)
  %.18.i36.4 = fmul double %.227.4, %.13.le.i35.4
  %sunkaddr582 = mul i64 %loop.index35, 8
  %sunkaddr583 = getelementptr i8, ptr %.6.i, i64 %sunkaddr582
  %sunkaddr584 = getelementptr i8, ptr %sunkaddr583, i64 32
  store double %.18.i36.4, ptr %sunkaddr584, align 8
  %.218.5 = load double, ptr %arg.x.4, align 8
  %.227.5 = load double, ptr %arg.y.4, align 8
  %.13.le.i35.5 = tail call double @llvm.exp.f64(double %.218.5)
  %.18.i36.5 = fmul double %.227.5, %.13.le.i35.5
  %sunkaddr585 = mul i64 %loop.index35, 8
  %sunkaddr586 = getelementptr i8, ptr %.6.i, i64 %sunkaddr585
  %sunkaddr587 = getelementptr i8, ptr %sunkaddr586, i64 40
  store double %.18.i36.5, ptr %sunkaddr587, align 8
  %.218.6 = load double, ptr %arg.x.4, align 8
  %.227.6 = load double, ptr %arg.y.4, align 8
  %.13.le.i35.6 = tail call double @llvm.exp.f64(double %.218.6)
  %.18.i36.6 = fmul double %.227.6, %.13.le.i35.6
  %sunkaddr588 = mul i64 %loop.index35, 8
  %sunkaddr589 = getelementptr i8, ptr %.6.i, i64 %sunkaddr588
  %sunkaddr590 = getelementptr i8, ptr %sunkaddr589, i64 48
  store double %.18.i36.6, ptr %sunkaddr590, align 8
  %.218.7 = load double, ptr %arg.x.4, align 8
  %.227.7 = load double, ptr %arg.y.4, align 8
  %.13.le.i35.7 = tail call double @llvm.exp.f64(double %.218.7)
  %.18.i36.7 = fmul double %.227.7, %.13.le.i35.7
  %sunkaddr591 = mul i64 %loop.index35, 8
  %sunkaddr592 = getelementptr i8, ptr %.6.i, i64 %sunkaddr591
  %sunkaddr593 = getelementptr i8, ptr %sunkaddr592, i64 56
  store double %.18.i36.7, ptr %sunkaddr593, align 8
  %.256.7 = add nuw nsw i64 %loop.index35, 8
  %exitcond.not.7 = icmp eq i64 %dest_shape.161, %.256.7
  br i1 %exitcond.not.7, label %for.end, label %for.body.endif.endif.endif, !llvm.loop !67

for.end.endif.critedge:                           ; preds = %B0.endif.endif.endif.endif.endif.endif
  tail call void @NRT_decref(ptr %arg.y.0)
  tail call void @NRT_decref(ptr %arg.x.0)
  br label %for.end.endif

for.end.endif:                                    ; preds = %for.end.endif.critedge, %.89.endif.epil.i, %common.ret.loopexit.unr-lcssa.i
  %.72.0.lcssa.i = phi double [ 0.000000e+00, %for.end.endif.critedge ], [ %.108.7.i.lcssa, %common.ret.loopexit.unr-lcssa.i ], [ %.108.epil.i, %.89.endif.epil.i ]
  tail call void @NRT_decref(ptr nonnull %.7.i.i)
  store double %.72.0.lcssa.i, ptr %retptr, align 8
  br label %common.ret
}

; Function Attrs: nocallback nocreateundeforpoison nofree nosync nounwind speculatable willreturn memory(none)
declare double @llvm.exp.f64(double) #0

declare noalias ptr @NRT_MemInfo_alloc_aligned(i64, i32) local_unnamed_addr

; Function Attrs: mustprogress nofree noinline norecurse nounwind willreturn memory(argmem: readwrite)
define linkonce_odr void @NRT_incref(ptr captures(address_is_null) %.1) local_unnamed_addr #1 {
.3:
  %.4 = icmp eq ptr %.1, null
  br i1 %.4, label %common.ret, label %.3.endif, !prof !9

common.ret:                                       ; preds = %.3.endif, %.3
  ret void

.3.endif:                                         ; preds = %.3
  %.4.i = atomicrmw add ptr %.1, i64 1 monotonic, align 8
  br label %common.ret
}

; Function Attrs: noinline
define linkonce_odr void @NRT_decref(ptr %.1) local_unnamed_addr #2 {
.3:
  %.4 = icmp eq ptr %.1, null
  br i1 %.4, label %common.ret, label %.3.endif, !prof !9

common.ret:                                       ; preds = %.3.endif, %.3
  ret void

.3.endif:                                         ; preds = %.3
  fence release
  %0 = tail call i8 @llvm.x86.atomic.sub.cc.i64(ptr nonnull %.1, i64 1, i32 4)
  %1 = trunc i8 %0 to i1
  br i1 %1, label %.3.endif.if, label %common.ret, !prof !9

.3.endif.if:                                      ; preds = %.3.endif
  fence acquire
  tail call void @NRT_MemInfo_call_dtor(ptr nonnull %.1)
  ret void
}

; Function Attrs: nounwind
declare i8 @llvm.x86.atomic.sub.cc.i64(ptr, i64, i32 immarg) #3

declare void @NRT_MemInfo_call_dtor(ptr) local_unnamed_addr

; Function Attrs: nocallback nocreateundeforpoison nofree nosync nounwind speculatable willreturn memory(none)
declare <8 x double> @llvm.exp.v8f64(<8 x double>) #0

attributes #0 = { nocallback nocreateundeforpoison nofree nosync nounwind speculatable willreturn memory(none) }
attributes #1 = { mustprogress nofree noinline norecurse nounwind willreturn memory(argmem: readwrite) }
attributes #2 = { noinline }
attributes #3 = { nounwind }

!0 = !{!"branch_weights", i32 32212253, i32 2115271395}
!1 = !{i1 true}
!2 = !{!3, !5, !6, !8}
!3 = distinct !{!3, !4, !"_ZN5numba2np8arrayobj18_ol_array_allocate12_3clocals_3e4implB3v10B42c8tJTIeFIjxB2IKSgI4CrvQClcaMQ5hEEUSJJgA_3dEN29typeref_5b_3cclass_20_27numba4core5types8npytypes14Array_27_3e_5dExj: %retptr"}
!4 = distinct !{!4, !"_ZN5numba2np8arrayobj18_ol_array_allocate12_3clocals_3e4implB3v10B42c8tJTIeFIjxB2IKSgI4CrvQClcaMQ5hEEUSJJgA_3dEN29typeref_5b_3cclass_20_27numba4core5types8npytypes14Array_27_3e_5dExj"}
!5 = distinct !{!5, !4, !"_ZN5numba2np8arrayobj18_ol_array_allocate12_3clocals_3e4implB3v10B42c8tJTIeFIjxB2IKSgI4CrvQClcaMQ5hEEUSJJgA_3dEN29typeref_5b_3cclass_20_27numba4core5types8npytypes14Array_27_3e_5dExj: %excinfo"}
!6 = distinct !{!6, !7, !"_ZN5numba2np8arrayobj15_call_allocatorB2v9B42c8tJTC_2fWQA93W1AaAIYBPIqRBFCjDSZRVAJmaQIAEN29typeref_5b_3cclass_20_27numba4core5types8npytypes14Array_27_3e_5dExj: %retptr"}
!7 = distinct !{!7, !"_ZN5numba2np8arrayobj15_call_allocatorB2v9B42c8tJTC_2fWQA93W1AaAIYBPIqRBFCjDSZRVAJmaQIAEN29typeref_5b_3cclass_20_27numba4core5types8npytypes14Array_27_3e_5dExj"}
!8 = distinct !{!8, !7, !"_ZN5numba2np8arrayobj15_call_allocatorB2v9B42c8tJTC_2fWQA93W1AaAIYBPIqRBFCjDSZRVAJmaQIAEN29typeref_5b_3cclass_20_27numba4core5types8npytypes14Array_27_3e_5dExj: %excinfo"}
!9 = !{!"branch_weights", i32 1, i32 99}
!10 = !{!11}
!11 = distinct !{!11, !12}
!12 = distinct !{!12, !"LVerDomain"}
!13 = !{!14}
!14 = distinct !{!14, !12}
!15 = !{!16}
!16 = distinct !{!16, !12}
!17 = !{!14, !11}
!18 = distinct !{!18, !19, !20}
!19 = !{!"llvm.loop.isvectorized", i32 1}
!20 = !{!"llvm.loop.unroll.runtime.disable"}
!21 = distinct !{!21, !22}
!22 = !{!"llvm.loop.unroll.disable"}
!23 = distinct !{!23, !19, !20}
!24 = distinct !{!24, !22}
!25 = distinct !{!25, !19}
!26 = distinct !{!26, !19}
!27 = !{!28}
!28 = distinct !{!28, !29}
!29 = distinct !{!29, !"LVerDomain"}
!30 = !{!31}
!31 = distinct !{!31, !29}
!32 = !{!33}
!33 = distinct !{!33, !29}
!34 = !{!31, !28}
!35 = distinct !{!35, !19, !20}
!36 = !{!"branch_weights", i32 2, i32 30}
!37 = distinct !{!37, !19, !20}
!38 = distinct !{!38, !22}
!39 = !{!40}
!40 = distinct !{!40, !41}
!41 = distinct !{!41, !"LVerDomain"}
!42 = !{!43}
!43 = distinct !{!43, !41}
!44 = !{!45}
!45 = distinct !{!45, !41}
!46 = !{!40, !43}
!47 = distinct !{!47, !19, !20}
!48 = !{!"branch_weights", i32 4, i32 28}
!49 = distinct !{!49, !19, !20}
!50 = distinct !{!50, !22}
!51 = distinct !{!51, !19}
!52 = !{!"branch_weights", i32 146201250, i32 2001282398}
!53 = !{!"branch_weights", i32 127, i32 1}
!54 = !{!55}
!55 = distinct !{!55, !56, !"_ZN5numba2np9arraymath9array_sum12_3clocals_3e14array_sum_implB2v4B42c8tJTIeFIjxB2IKSgI4CrvQClcaMQ5hEEUSJJgA_3dE5ArrayIdLi1E1C7mutable7alignedE27omitted_28default_3dNone_2927omitted_28default_3dNone_29: %retptr"}
!56 = distinct !{!56, !"_ZN5numba2np9arraymath9array_sum12_3clocals_3e14array_sum_implB2v4B42c8tJTIeFIjxB2IKSgI4CrvQClcaMQ5hEEUSJJgA_3dE5ArrayIdLi1E1C7mutable7alignedE27omitted_28default_3dNone_2927omitted_28default_3dNone_29"}
!57 = !{!"branch_weights", i32 1, i32 1}
!58 = distinct !{!58, !22}
!59 = !{!"branch_weights", i32 1, i32 127}
!60 = !{!"branch_weights", i32 277993707, i32 1869489941}
!61 = !{!"branch_weights", i32 542333185, i32 1605150463}
!62 = distinct !{!62, !63, !22}
!63 = !{!"llvm.loop.estimated_trip_count", i32 4}
!64 = !{!"branch_weights", i32 166258294, i32 1981225354}
!65 = distinct !{!65, !66}
!66 = !{!"llvm.loop.estimated_trip_count", i32 3}
!67 = distinct !{!67, !19}
