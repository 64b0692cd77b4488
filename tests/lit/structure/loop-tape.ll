; Loops and phis. pow_loop(x, n) = x^n by repeated multiplication, acc_{i+1} = acc_i * x.
;
; Reverse mode (-O0): the forward sweep counts the loop's iterations (an i64 phi). The trip count is
; known on entry (ScalarEvolution: smax(n, 1)), so the loop is indexed: the tape is reserved once for all
; iterations on the edge into the loop, and iteration k writes the value acc that the reverse of
; acc.next = acc * x needs at k * 8 (no tape check inside the loop). Nothing goes on the tape when the loop
; is left: the count's only value, n, is an argument, so the reverse sweep computes the count again (a loop
; whose count depends on a value the reverse sweep does not have pushes it on the exit edge instead, see
; duplicate-edges.ll), releases the loop's records, runs the loop body's reverse that many times (reading
; acc from record k) and leaves the loop at iteration 0.
; Forward mode carries the tangent in a second phi.
;
; RUN: %enzpy-opt %s -S -o - -O0 | FileCheck %s --check-prefix=O0
; RUN: %enzpy-opt %s -S -o - -O2 | FileCheck %s
; RUN: %enzpy-opt %s -S -o %t.ll -O2
; RUN: %clang %t.ll %S/Inputs/loop-tape.c -lm -o %t.exe
; RUN: %t.exe

declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)

define double @pow_loop(double %x, i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ]
  %acc = phi double [ 1.0, %entry ], [ %acc.next, %loop ]
  %acc.next = fmul double %acc, %x
  %i.next = add i32 %i, 1
  %c = icmp slt i32 %i.next, %n
  br i1 %c, label %loop, label %exit
exit:
  ret double %acc.next
}

; O0-LABEL: define double @grad(
; O0-NEXT: call { double } @__enzpy_diffe.pow_loop.{{[a-z0-9_]+}}(double %x, i32 %n, double 1.000000e+00)
define double @grad(double %x, i32 %n) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @pow_loop, double %x, i32 %n)
  ret double %d
}

; CHECK-LABEL: define double @tangent(
; CHECK: [[LOOP:[a-z.]+]]:
; CHECK: [[ACC:%.*]] = phi double [ 1.000000e+00, %{{.*}} ], [ [[ACCNEXT:%.*]], %[[LOOP]] ]
; CHECK: [[DACC:%.*]] = phi double [ 0.000000e+00, %{{.*}} ], [ [[DNEXT:%.*]], %[[LOOP]] ]
; CHECK: [[ACCNEXT]] = fmul double %x, [[ACC]]
; CHECK: [[T1:%.*]] = fmul double %x, [[DACC]]
; CHECK: [[T2:%.*]] = fmul double %dx, [[ACC]]
; CHECK: [[DNEXT]] = fadd double [[T2]], [[T1]]
; CHECK: ret double [[DNEXT]]
; O0-LABEL: define double @tangent(
; O0-NEXT: call { double } @__enzpy_fwddiff.pow_loop.{{[a-z0-9_]+}}(double %x, double %dx, i32 %n)
define double @tangent(double %x, double %dx, i32 %n) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @pow_loop, double %x, double %dx, i32 %n)
  ret double %d
}

; The combined reverse-mode derivative: a tape on the stack. It starts on the buffer the previous call on
; this thread parked in the module (its capacity in the buffer's first word; none: capacity 0, read from a
; constant) and parks its buffer again at the end, so repeated calls do not fault in fresh pages. The slot
; is the thread's: bits 23 and up of a stack address pick one of 8.
; O0-LABEL: define internal { double } @__enzpy_diffe.pow_loop.
; O0-SAME: (double [[X:%.*]], i32 [[N:%.*]], double [[SEED:%.*]])
; O0: %tape.thread = alloca i8
; O0: %tape = alloca %enzpy.tape
; O0: [[ADDR:%.*]] = ptrtoint ptr %tape.thread to i64
; O0: [[HIGH:%.*]] = lshr i64 [[ADDR]], 23
; O0: %tape.slot.index = and i64 [[HIGH]], 7
; O0: [[SLOT:%.*]] = getelementptr inbounds [8 x ptr], ptr @__enzpy_tape_parked, i64 0, i64 %tape.slot.index
; O0: [[PARKED:%.*]] = atomicrmw xchg ptr [[SLOT]], ptr null acquire
; O0: [[NONE:%.*]] = icmp eq ptr [[PARKED]], null
; O0: [[CAPP:%.*]] = select i1 [[NONE]], ptr @__enzpy_tape_zero, ptr [[PARKED]]
; O0: %tape.parked.cap = load i64, ptr [[CAPP]]
;
; Forward sweep: the records of all iterations reserved on the way in
; O0: loop.records:
; O0: %[[FRUNS:header.runs[0-9]*]] = add nuw i64 {{%.*}}, 1
; O0: call { i64, i1 } @llvm.umul.with.overflow.i64(i64 %[[FRUNS]], i64 8)
; O0: call void @__enzpy_tape_grow
; O0: [[RECORDS:%tape.slot[0-9]*]] = getelementptr i8, ptr {{%.*}}, i64 %tape.size
; loop header: count this loop entry's iterations (no predecessor id per iteration)
; O0: loop:
; O0: %iter = phi i64 [ %iter.next, %[[LATCH:.*]] ], [ 0, %[[PRE:.*]] ]
; O0: %acc = phi double [ 1.000000e+00, %[[PRE]] ], [ %acc.next, %[[LATCH]] ]
; O0: %iter.next = add nuw nsw i64 %iter, 1
; O0: %acc.next = fmul double %acc, [[X]]
; ... store acc for the reverse of the fmul in this iteration's record
; O0: [[OFF:%.*]] = mul i64 %iter, 8
; O0: %iter.record = getelementptr i8, ptr [[RECORDS]], i64 [[OFF]]
; O0: store double %acc, ptr {{%.*}}, align 1
; O0: br i1 %c, label %loop, label %loop.exit.count
; ... and nothing on the way out
; O0: loop.exit.count:
; O0-NEXT: br label %exit
;
; The reverse sweep starts at the exit block with the seed, then computes the count of the loop it enters
; from n: smax(n, 1) runs.
; O0: rev.exit.body:
; O0: fadd double {{%.*}}, [[SEED]]
; O0: store double {{%.*}}, ptr %acc.next.adj
; O0: rev.loop.enter:
; O0-NEXT: icmp sgt i32 1, [[N]]
; O0: %header.runs = add nuw i64 {{%.*}}, 1
; O0-NEXT: %iter.last = sub i64 %header.runs, 1
; O0-NEXT: store i64 %iter.last, ptr %rev.iter
; ... and the loop's (count + 1) records at once
; O0: [[RUNS:%.*]] = add i64 %iter.last, 1
; O0: [[BYTES:%.*]] = mul i64 [[RUNS]], 8
; O0: sub i64 {{%.*}}, [[BYTES]]
; O0: store ptr {{%.*}}, ptr %rev.loop.records
;
; Reverse of the loop body: read acc from record k...
; O0: rev.loop:
; O0: [[BASE:%.*]] = load ptr, ptr %rev.loop.records
; O0: [[K0:%.*]] = load i64, ptr %rev.iter
; O0: [[ROFF:%.*]] = mul i64 [[K0]], 8
; O0: getelementptr i8, ptr [[BASE]], i64 [[ROFF]]
; O0: [[ACCT:%.*]] = load double, ptr {{%.*}}, align 1
; O0: rev.loop.body:
; ... d acc += x * d acc.next, d x += acc * d acc.next
; O0: [[DN:%.*]] = load double, ptr %acc.next.adj
; O0: [[DA:%.*]] = fmul double [[X]], [[DN]]
; O0: fadd double {{%.*}}, [[DA]]
; O0: store double {{%.*}}, ptr %acc.adj
; O0: [[DX:%.*]] = fmul double [[ACCT]], [[DN]]
; O0: fadd double {{%.*}}, [[DX]]
; O0: store double {{%.*}}, ptr %x.adj
; ... then iteration 0 leaves the loop, every other goes back around with the count decremented
; O0: [[K:%.*]] = load i64, ptr %rev.iter
; O0: [[FIRST:%.*]] = icmp eq i64 [[K]], 0
; O0: br i1 [[FIRST]], label %rev.loop.entry, label %rev.loop.back
;
; O0: rev.return:
; O0: [[RES:%.*]] = load double, ptr %x.adj
; O0: [[PSLOT:%.*]] = getelementptr inbounds [8 x ptr], ptr @__enzpy_tape_parked, i64 0, i64 %tape.slot.index
; O0: [[OLD:%.*]] = atomicrmw xchg ptr [[PSLOT]], ptr {{%.*}} acq_rel
; O0: call void @free(ptr [[OLD]])
; O0: ret { double }
;
; O0: rev.loop.entry:
; O0-NEXT: br label %rev.entry
; the phi's adjoint flows back into acc.next on the back edge
; O0: rev.loop.back:
; O0: sub i64 [[K]], 1
; O0: load double, ptr %acc.next.adj
; O0: br label %rev.loop
;
; The tape grows into a new cache-line aligned buffer (records of vectorized loops rely on the alignment).
; O0-LABEL: define internal void @__enzpy_tape_grow(
; O0: call ptr @aligned_alloc(i64 64,
; O0: call void @llvm.memcpy.p0.p0.i64(ptr align 64
; O0: call void @free(
