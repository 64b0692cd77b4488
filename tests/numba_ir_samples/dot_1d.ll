; numba 0.68.1: dot_1d(Array(float64, 1, 'C', False, aligned=True), Array(float64, 1, 'C', False, aligned=True)) -> float64
; native: _ZN8__main__6dot_1dB3v33B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dE5ArrayIdLi1E1C7mutable7alignedE5ArrayIdLi1E1C7mutable7alignedE
; ModuleID = '<string>'
source_filename = "<string>"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@_ZN08NumbaEnv8__main__6dot_1dB3v33B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dE5ArrayIdLi1E1C7mutable7alignedE5ArrayIdLi1E1C7mutable7alignedE = common local_unnamed_addr global ptr null
@_ZN08NumbaEnv5numba2np6linalg10dot_2_impl12_3clocals_3e12_3clambda_3eB3v34B42c8tJTIeFIjxB2IKSgI4CrvQClcaMQ5hEEUSJJgA_3dE5ArrayIdLi1E1C7mutable7alignedE5ArrayIdLi1E1C7mutable7alignedE = common local_unnamed_addr global ptr null
@".const.BLAS wrapper returned with an error" = internal constant [36 x i8] c"BLAS wrapper returned with an error\00"
@_ZN08NumbaEnv5numba2np6linalg8dot_2_vv12_3clocals_3e10check_argsB3v35B42c8tJTC_2fWQA93W1AaAIYBPIqRBFCjDSZRVAJmaQIAE5ArrayIdLi1E1C7mutable7alignedE5ArrayIdLi1E1C7mutable7alignedE = common local_unnamed_addr global ptr null
@.const.pickledata.372cf9e6c1ca0da988eb3b2e882c4a9a23f342c3 = internal constant [201 x i8] c"\80\04\95\BE\00\00\00\00\00\00\00\8C\08builtins\94\8C\0AValueError\94\93\94\8C;incompatible array sizes for np.dot(a, b) (vector * vector)\94\85\94\8C\0Acheck_args\94\8CL/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/numba/np/linalg.py\94M=\02\87\94\87\94."
@.const.pickledata.372cf9e6c1ca0da988eb3b2e882c4a9a23f342c3.sha1 = internal constant [20 x i8] c"7,\F9\E6\C1\CA\0D\A9\88\EB;.\88,J\9A#\F3B\C3"
@.const.picklebuf.372cf9e6c1ca0da988eb3b2e882c4a9a23f342c3 = internal constant { ptr, i32, ptr, ptr, i32 } { ptr @.const.pickledata.372cf9e6c1ca0da988eb3b2e882c4a9a23f342c3, i32 201, ptr @.const.pickledata.372cf9e6c1ca0da988eb3b2e882c4a9a23f342c3.sha1, ptr null, i32 0 }
@_ZN08NumbaEnv5numba2np6linalg11check_c_int12_3clocals_3e4implB3v29B42c8tJTC_2fWQA93W1AaAIYBPIqRBFCjDSZRVAJmaQIAEx = common local_unnamed_addr global ptr null
@.const.pickledata.6a5b585e3a5616d9e55546a377c3dd2d50614355 = internal constant [175 x i8] c"\80\04\95\A4\00\00\00\00\00\00\00\8C\08builtins\94\8C\0DOverflowError\94\93\94\8C$array size too large to fit in C int\94\85\94\8C\04impl\94\8CL/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/numba/np/linalg.py\94Ms\01\87\94\87\94."
@.const.pickledata.6a5b585e3a5616d9e55546a377c3dd2d50614355.sha1 = internal constant [20 x i8] c"j[X^:V\16\D9\E5UF\A3w\C3\DD-PaCU"
@.const.picklebuf.6a5b585e3a5616d9e55546a377c3dd2d50614355 = internal constant { ptr, i32, ptr, ptr, i32 } { ptr @.const.pickledata.6a5b585e3a5616d9e55546a377c3dd2d50614355, i32 175, ptr @.const.pickledata.6a5b585e3a5616d9e55546a377c3dd2d50614355.sha1, ptr null, i32 0 }

define range(i32 0, 2) i32 @_ZN8__main__6dot_1dB3v33B38c8tJTIeFIjxB2IKSgI4CrvQClQZ6FczSBAA_3dE5ArrayIdLi1E1C7mutable7alignedE5ArrayIdLi1E1C7mutable7alignedE(ptr noalias writeonly captures(none) %retptr, ptr noalias writeonly captures(none) %excinfo, ptr %arg.a.0, ptr readnone captures(none) %arg.a.1, i64 %arg.a.2, i64 %arg.a.3, ptr %arg.a.4, i64 %arg.a.5.0, i64 %arg.a.6.0, ptr %arg.b.0, ptr readnone captures(none) %arg.b.1, i64 %arg.b.2, i64 %arg.b.3, ptr %arg.b.4, i64 %arg.b.5.0, i64 %arg.b.6.0) local_unnamed_addr {
B0:
  %.95.i = alloca double, align 8
  %.107.i = alloca i32, align 4
  tail call void @NRT_incref(ptr %arg.a.0)
  tail call void @NRT_incref(ptr %arg.b.0)
  call void @llvm.lifetime.start.p0(ptr nonnull %.95.i)
  call void @llvm.lifetime.start.p0(ptr nonnull %.107.i)
  store double 0.000000e+00, ptr %.95.i, align 8, !noalias !0
  store i32 0, ptr %.107.i, align 4, !noalias !0
  tail call void @NRT_incref(ptr %arg.a.0), !noalias !0
  tail call void @NRT_incref(ptr %arg.b.0), !noalias !0
  %.58.not.i.i = icmp eq i64 %arg.a.5.0, %arg.b.5.0
  br i1 %.58.not.i.i, label %B0.endif.i, label %B0.if.if

B0.endif.i:                                       ; preds = %B0
  %.5.i.i = icmp sgt i64 %arg.a.5.0, 2147483647
  br i1 %.5.i.i, label %B0.if.if, label %B0.endif.endif.i

B0.endif.endif.i:                                 ; preds = %B0.endif.i
  %.104.i = call i32 @numba_xxdot(i8 100, i8 0, i64 %arg.a.5.0, ptr %arg.a.4, ptr %arg.b.4, ptr nonnull %.95.i), !noalias !0
  %.105.not.i = icmp eq i32 %.104.i, 0
  br i1 %.105.not.i, label %B0.endif, label %B0.endif.endif.if.i, !prof !4

B0.endif.endif.if.i:                              ; preds = %B0.endif.endif.i
  call void @numba_gil_ensure(ptr nonnull %.107.i), !noalias !0
  call void @Py_FatalError(ptr nonnull @".const.BLAS wrapper returned with an error"), !noalias !0
  unreachable

common.ret:                                       ; preds = %B0.if.if, %B0.endif
  %common.ret.op = phi i32 [ 0, %B0.endif ], [ 1, %B0.if.if ]
  ret i32 %common.ret.op

B0.endif:                                         ; preds = %B0.endif.endif.i
  %.112.i = load double, ptr %.95.i, align 8, !noalias !0
  call void @NRT_decref(ptr %arg.b.0), !noalias !0
  call void @NRT_decref(ptr %arg.a.0), !noalias !0
  call void @llvm.lifetime.end.p0(ptr nonnull %.95.i)
  call void @llvm.lifetime.end.p0(ptr nonnull %.107.i)
  tail call void @NRT_decref(ptr %arg.b.0)
  tail call void @NRT_decref(ptr %arg.a.0)
  store double %.112.i, ptr %retptr, align 8
  br label %common.ret

B0.if.if:                                         ; preds = %B0.endif.i, %B0
  %excinfo.1.0.ph = phi ptr [ @.const.picklebuf.6a5b585e3a5616d9e55546a377c3dd2d50614355, %B0.endif.i ], [ @.const.picklebuf.372cf9e6c1ca0da988eb3b2e882c4a9a23f342c3, %B0 ]
  call void @llvm.lifetime.end.p0(ptr nonnull %.95.i)
  call void @llvm.lifetime.end.p0(ptr nonnull %.107.i)
  store ptr %excinfo.1.0.ph, ptr %excinfo, align 8
  br label %common.ret
}

declare void @numba_gil_ensure(ptr) local_unnamed_addr

; Function Attrs: mustprogress nofree noinline norecurse nounwind willreturn memory(argmem: readwrite)
define linkonce_odr void @NRT_incref(ptr captures(address_is_null) %.1) local_unnamed_addr #0 {
.3:
  %.4 = icmp eq ptr %.1, null
  br i1 %.4, label %common.ret, label %.3.endif, !prof !5

common.ret:                                       ; preds = %.3.endif, %.3
  ret void

.3.endif:                                         ; preds = %.3
  %.4.i = atomicrmw add ptr %.1, i64 1 monotonic, align 8
  br label %common.ret
}

declare i32 @numba_xxdot(i8, i8, i64, ptr, ptr, ptr) local_unnamed_addr

; Function Attrs: noreturn
declare void @Py_FatalError(ptr) local_unnamed_addr #1

; Function Attrs: noinline
define linkonce_odr void @NRT_decref(ptr %.1) local_unnamed_addr #2 {
.3:
  %.4 = icmp eq ptr %.1, null
  br i1 %.4, label %common.ret, label %.3.endif, !prof !5

common.ret:                                       ; preds = %.3.endif, %.3
  ret void

.3.endif:                                         ; preds = %.3
  fence release
  %0 = tail call i8 @llvm.x86.atomic.sub.cc.i64(ptr nonnull %.1, i64 1, i32 4)
  %1 = trunc i8 %0 to i1
  br i1 %1, label %.3.endif.if, label %common.ret, !prof !5

.3.endif.if:                                      ; preds = %.3.endif
  fence acquire
  tail call void @NRT_MemInfo_call_dtor(ptr nonnull %.1)
  ret void
}

; Function Attrs: nounwind
declare i8 @llvm.x86.atomic.sub.cc.i64(ptr, i64, i32 immarg) #3

declare void @NRT_MemInfo_call_dtor(ptr) local_unnamed_addr

; Function Attrs: nocallback nofree nosync nounwind willreturn memory(argmem: readwrite)
declare void @llvm.lifetime.start.p0(ptr captures(none)) #4

; Function Attrs: nocallback nofree nosync nounwind willreturn memory(argmem: readwrite)
declare void @llvm.lifetime.end.p0(ptr captures(none)) #4

attributes #0 = { mustprogress nofree noinline norecurse nounwind willreturn memory(argmem: readwrite) }
attributes #1 = { noreturn }
attributes #2 = { noinline }
attributes #3 = { nounwind }
attributes #4 = { nocallback nofree nosync nounwind willreturn memory(argmem: readwrite) }

!0 = !{!1, !3}
!1 = distinct !{!1, !2, !"_ZN5numba2np6linalg10dot_2_impl12_3clocals_3e12_3clambda_3eB3v34B42c8tJTIeFIjxB2IKSgI4CrvQClcaMQ5hEEUSJJgA_3dE5ArrayIdLi1E1C7mutable7alignedE5ArrayIdLi1E1C7mutable7alignedE: %retptr"}
!2 = distinct !{!2, !"_ZN5numba2np6linalg10dot_2_impl12_3clocals_3e12_3clambda_3eB3v34B42c8tJTIeFIjxB2IKSgI4CrvQClcaMQ5hEEUSJJgA_3dE5ArrayIdLi1E1C7mutable7alignedE5ArrayIdLi1E1C7mutable7alignedE"}
!3 = distinct !{!3, !2, !"_ZN5numba2np6linalg10dot_2_impl12_3clocals_3e12_3clambda_3eB3v34B42c8tJTIeFIjxB2IKSgI4CrvQClcaMQ5hEEUSJJgA_3dE5ArrayIdLi1E1C7mutable7alignedE5ArrayIdLi1E1C7mutable7alignedE: %excinfo"}
!4 = !{!"branch_weights", i32 99, i32 1}
!5 = !{!"branch_weights", i32 1, i32 99}
