#include "ad/Blas.h"
#include "ad/Synth.h"

namespace enzpy {

namespace {
enum class Op { Dot, Gemv, Gemm, Nrm2, Gesv };

Op opOf(const CallBase &CB) {
  StringRef N = calledFunction(CB)->getName();
  return N == "numba_xxdot"    ? Op::Dot
         : N == "numba_xxgemv" ? Op::Gemv
         : N == "numba_xxnrm2" ? Op::Nrm2
         : N == "numba_xgesv"  ? Op::Gesv
                               : Op::Gemm;
}

// element type from the constant kind argument ('d' double, 's' float)
Type *elemType(const CallBase &CB) {
  auto *K = dyn_cast<ConstantInt>(CB.getArgOperand(0));
  if (K && K->getZExtValue() == 'd')
    return Type::getDoubleTy(CB.getContext());
  if (K && K->getZExtValue() == 's')
    return Type::getFloatTy(CB.getContext());
  fail("only real float64/float32 BLAS calls can be differentiated (complex or unknown kind)", &CB);
}

struct Ctx {
  BlasEnv &E;
  CallBase &CB;
  Type *T;
  IRBuilder<> &B;
  Module &M;
  Ctx(BlasEnv &E, CallBase &CB) : E(E), CB(CB), T(elemType(CB)), B(E.B), M(*E.B.GetInsertBlock()->getModule()) {}

  Value *arg(unsigned I) { return E.Primal(CB.getArgOperand(I)); }
  Value *i8(char C) { return B.getInt8(C); }
  Value *bytes(Value *Count) { return B.CreateMul(Count, B.getInt64(T->getPrimitiveSizeInBits() / 8)); }
  // a scalar in a scratch slot of the function's entry block
  Value *scalar(Value *V) {
    BasicBlock &Entry = B.GetInsertBlock()->getParent()->getEntryBlock();
    IRBuilder<> EB(&Entry, Entry.getFirstInsertionPt());
    Value *Slot = EB.CreateAlloca(T);
    B.CreateStore(V, Slot);
    return Slot;
  }
  Value *one() { return scalar(ConstantFP::get(T, 1.0)); }
  Value *flip(Value *Trans) { // 'n' <-> 't'
    return B.CreateSelect(B.CreateICmpEQ(Trans, i8('n')), i8('t'), i8('n'));
  }
  Value *isN(Value *Trans) { return B.CreateICmpEQ(Trans, i8('n')); }
  // a heap copy of Count elements at P
  Value *copy(Value *P, Value *Count) {
    Value *N = bytes(Count);
    Value *C = callLibc(B, "malloc", B.getPtrTy(), {N});
    B.CreateMemCpy(C, MaybeAlign(), P, MaybeAlign(), N);
    return C;
  }
  void release(Value *P) { callLibc(B, "free", B.getVoidTy(), {P}); }

  CallInst *dot(Value *N, Value *X, Value *Y, Value *Out) {
    return call("numba_xxdot", {B.getInt8Ty(), B.getInt8Ty(), B.getInt64Ty(), B.getPtrTy(), B.getPtrTy(),
                                B.getPtrTy()},
                {CB.getArgOperand(0), i8('n'), N, X, Y, Out});
  }
  CallInst *gemv(Value *Trans, Value *Mr, Value *Nc, Value *Alpha, Value *A, Value *Lda, Value *X, Value *Beta,
                 Value *Y) {
    Type *I8 = B.getInt8Ty(), *I64 = B.getInt64Ty(), *P = B.getPtrTy();
    return call("numba_xxgemv", {I8, I8, I64, I64, P, P, I64, P, P, P},
                {CB.getArgOperand(0), Trans, Mr, Nc, Alpha, A, Lda, X, Beta, Y});
  }
  CallInst *gemm(Value *TA, Value *TB, Value *Mr, Value *Nc, Value *K, Value *Alpha, Value *A, Value *Lda, Value *Bm,
                 Value *Ldb, Value *Beta, Value *C, Value *Ldc) {
    Type *I8 = B.getInt8Ty(), *I64 = B.getInt64Ty(), *P = B.getPtrTy();
    return call("numba_xxgemm", {I8, I8, I8, I64, I64, I64, P, P, I64, P, I64, P, P, I64},
                {CB.getArgOperand(0), TA, TB, Mr, Nc, K, Alpha, A, Lda, Bm, Ldb, Beta, C, Ldc});
  }
  CallInst *nrm2(Value *N, Value *X, Value *Inc, Value *Out) {
    return call("numba_xxnrm2", {B.getInt8Ty(), B.getInt64Ty(), B.getPtrTy(), B.getInt64Ty(), B.getPtrTy()},
                {CB.getArgOperand(0), N, X, Inc, Out});
  }
  // numba_xgesv(kind, n, nrhs, a, lda, ipiv, b, ldb): solves A X = B in place (a: LU, b: X); a fresh pivot buffer
  void gesv(Value *N, Value *Nrhs, Value *A, Value *Lda, Value *Bm, Value *Ldb) {
    Value *Ipiv = callLibc(B, "malloc", B.getPtrTy(), {B.CreateMul(N, B.getInt64(8))});
    Type *I8 = B.getInt8Ty(), *I64 = B.getInt64Ty(), *P = B.getPtrTy();
    call("numba_xgesv", {I8, I64, I64, P, I64, P, P, I64}, {CB.getArgOperand(0), N, Nrhs, A, Lda, Ipiv, Bm, Ldb});
    release(Ipiv);
  }
  // for (I = 0; I < N; ++I) Body(I), emitted at the builder's position
  void loop(Value *N, const std::function<void(Value *)> &Body) {
    Function *Fn = B.GetInsertBlock()->getParent();
    LLVMContext &Cx = Fn->getContext();
    BasicBlock *Head = B.GetInsertBlock();
    BasicBlock *Loop = BasicBlock::Create(Cx, "blas.loop", Fn);
    BasicBlock *Done;
    if (Head->getTerminator()) { // in the middle of a finished block: split it
      Done = Head->splitBasicBlock(B.GetInsertPoint(), "blas.done");
      Head->getTerminator()->eraseFromParent();
      B.SetInsertPoint(Head);
    } else {
      Done = BasicBlock::Create(Cx, "blas.done", Fn);
    }
    B.CreateCondBr(B.CreateICmpSGT(N, B.getInt64(0)), Loop, Done);
    B.SetInsertPoint(Loop);
    PHINode *I = B.CreatePHI(B.getInt64Ty(), 2);
    I->addIncoming(B.getInt64(0), Head);
    Body(I);
    Value *I1 = B.CreateAdd(I, B.getInt64(1));
    I->addIncoming(I1, B.GetInsertBlock());
    B.CreateCondBr(B.CreateICmpSLT(I1, N), Loop, Done);
    if (Done->empty())
      B.SetInsertPoint(Done);
    else
      B.SetInsertPoint(Done, Done->begin());
  }
  // a heap N x N (leading dimension N) copy of A^T, A being N x N with leading dimension Lda
  Value *transposed(Value *A, Value *N, Value *Lda) {
    Value *AT = callLibc(B, "malloc", B.getPtrTy(), {bytes(B.CreateMul(N, N))});
    loop(N, [&](Value *J) {
      loop(N, [&](Value *I) {
        Value *From = B.CreateGEP(T, A, B.CreateAdd(I, B.CreateMul(J, Lda)));
        B.CreateStore(B.CreateLoad(T, From), B.CreateGEP(T, AT, B.CreateAdd(J, B.CreateMul(I, N))));
      });
    });
    return AT;
  }
  // elements spanned by a strided vector of N entries
  Value *span(Value *N, Value *Inc) {
    return B.CreateAdd(B.CreateMul(B.CreateSub(N, B.getInt64(1)), Inc), B.getInt64(1));
  }
  CallInst *call(const char *Name, ArrayRef<Type *> Params, ArrayRef<Value *> Args) {
    FunctionCallee F = M.getOrInsertFunction(Name, FunctionType::get(B.getInt32Ty(), Params, false));
    return B.CreateCall(F, Args);
  }
  // y[0..n) += a * x[0..n) (a a value), as a 1-column gemm: y += x * [a]
  void axpy(Value *N, Value *A, Value *X, Value *Y) {
    gemm(i8('n'), i8('n'), N, B.getInt64(1), B.getInt64(1), scalar(A), X, N, one(), B.getInt64(1), one(), Y, N);
  }
  // C (m x n, leading dimension ldc) *= beta, as beta == 0 ? zero : gemm with a scaled identity is overkill:
  // a simple loop over columns with memset / a 1x1 gemm per column
  void scaleColumns(Value *Mr, Value *Nc, Value *Beta, Value *C, Value *Ldc) {
    loop(Nc, [&](Value *J) {
      // column *= beta: copy then col = beta * copy (gemm with k = 1)
      Value *Col = B.CreateGEP(T, C, B.CreateMul(J, Ldc));
      Value *Tmp = copy(Col, Mr);
      B.CreateMemSet(Col, B.getInt8(0), bytes(Mr), MaybeAlign());
      gemm(i8('n'), i8('n'), Mr, B.getInt64(1), B.getInt64(1), Beta, Tmp, Mr, one(), B.getInt64(1), one(), Col, Mr);
      release(Tmp);
    });
  }
};
} // namespace

bool isNumbaBlas(const CallBase &CB) {
  Function *F = calledFunction(CB);
  if (!F)
    return false;
  StringRef N = F->getName();
  return N == "numba_xxdot" || N == "numba_xxgemv" || N == "numba_xxgemm" || N == "numba_xxnrm2" ||
         N == "numba_xgesv";
}

void blasForward(BlasEnv &E, CallBase &CB) {
  Ctx C(E, CB);
  auto V = [&](unsigned I) { return E.Varied(CB.getArgOperand(I)); };
  auto S = [&](unsigned I) { return E.Shadow(CB.getArgOperand(I)); };
  switch (opOf(CB)) {
  case Op::Dot: { // out' = x'.y + x.y'
    if (!V(5))
      return;
    Value *Acc = ConstantFP::get(C.T, 0.0);
    Value *Tmp = C.scalar(ConstantFP::get(C.T, 0.0));
    if (V(3)) {
      C.dot(C.arg(2), S(3), C.arg(4), Tmp);
      Acc = C.B.CreateFAdd(Acc, C.B.CreateLoad(C.T, Tmp));
    }
    if (V(4)) {
      C.dot(C.arg(2), C.arg(3), S(4), Tmp);
      Acc = C.B.CreateFAdd(Acc, C.B.CreateLoad(C.T, Tmp));
    }
    C.B.CreateStore(Acc, S(5));
    return;
  }
  case Op::Gemv: { // y' = alpha op(A) x' + alpha op(A') x + beta y'
    if (!V(9))
      return;
    Value *Trans = C.arg(1), *Mr = C.arg(2), *Nc = C.arg(3), *Alpha = C.arg(4), *A = C.arg(5), *Lda = C.arg(6);
    Value *Beta = C.arg(8);
    Value *First = Beta;
    if (V(7)) {
      C.gemv(Trans, Mr, Nc, Alpha, A, Lda, S(7), First, S(9));
      First = C.one();
    }
    if (V(5)) {
      C.gemv(Trans, Mr, Nc, Alpha, S(5), Lda, C.arg(7), First, S(9));
      First = C.one();
    }
    if (First == Beta) // neither input varied: y' = beta y' (the call computed y from constants)
      C.scaleColumns(C.B.CreateSelect(C.isN(Trans), Mr, Nc), C.B.getInt64(1), Beta, S(9), Mr);
    return;
  }
  case Op::Nrm2: { // r' = x . x' / r, a 1 x 1 gemm over the strided vectors
    if (!V(4))
      return;
    Value *N = C.arg(1), *X = C.arg(2), *Inc = C.arg(3);
    if (!V(2)) {
      C.B.CreateStore(ConstantFP::get(C.T, 0.0), S(4));
      return;
    }
    Value *R = C.B.CreateLoad(C.T, C.arg(4));
    Value *Alpha = C.scalar(C.B.CreateFDiv(ConstantFP::get(C.T, 1.0), R));
    Value *Zero = C.scalar(ConstantFP::get(C.T, 0.0));
    C.gemm(C.i8('n'), C.i8('t'), C.B.getInt64(1), C.B.getInt64(1), N, Alpha, X, Inc, S(2), Inc, Zero, S(4),
           C.B.getInt64(1));
    return;
  }
  case Op::Gesv: { // X' = A^-1 (B' - A' X); A is copied before the call (the call leaves its LU factors)
    if (!V(6))
      return;
    Value *N = C.arg(1), *Nrhs = C.arg(2), *Lda = C.arg(4), *Ldb = C.arg(7);
    Value *ACopy;
    {
      IRBuilder<>::InsertPointGuard Guard(C.B);
      C.B.SetInsertPoint(&*std::prev(C.B.GetInsertPoint())); // before the primal call
      ACopy = C.copy(C.arg(3), C.B.CreateMul(Lda, N));
    }
    if (V(3)) {
      Value *MinusOne = C.scalar(ConstantFP::get(C.T, -1.0));
      C.gemm(C.i8('n'), C.i8('n'), N, Nrhs, N, MinusOne, S(3), Lda, C.arg(6), Ldb, C.one(), S(6), Ldb);
    }
    C.gesv(N, Nrhs, ACopy, Lda, S(6), Ldb);
    C.release(ACopy);
    return;
  }
  case Op::Gemm: { // C' = alpha op(A') op(B) + alpha op(A) op(B') + beta C'
    if (!V(12))
      return;
    Value *TA = C.arg(1), *TB = C.arg(2), *Mr = C.arg(3), *Nc = C.arg(4), *K = C.arg(5), *Alpha = C.arg(6);
    Value *A = C.arg(7), *Lda = C.arg(8), *Bm = C.arg(9), *Ldb = C.arg(10), *Beta = C.arg(11), *Ldc = C.arg(13);
    Value *First = Beta;
    if (V(7)) {
      C.gemm(TA, TB, Mr, Nc, K, Alpha, S(7), Lda, Bm, Ldb, First, S(12), Ldc);
      First = C.one();
    }
    if (V(9)) {
      C.gemm(TA, TB, Mr, Nc, K, Alpha, A, Lda, S(9), Ldb, First, S(12), Ldc);
      First = C.one();
    }
    if (First == Beta)
      C.scaleColumns(Mr, Nc, Beta, S(12), Ldc);
    return;
  }
  }
}

SmallVector<Value *, 4> blasAugment(BlasEnv &E, CallBase &CB) {
  Ctx C(E, CB);
  switch (opOf(CB)) {
  case Op::Dot: // copies of x and y
    return {C.copy(C.arg(3), C.arg(2)), C.copy(C.arg(4), C.arg(2))};
  case Op::Gemv: { // copies of A (lda x n) and x, the scalars alpha and beta
    Value *Trans = C.arg(1), *Mr = C.arg(2), *Nc = C.arg(3);
    Value *XLen = C.B.CreateSelect(C.isN(Trans), Nc, Mr);
    return {C.copy(C.arg(5), C.B.CreateMul(C.arg(6), Nc)), C.copy(C.arg(7), XLen), C.B.CreateLoad(C.T, C.arg(4)),
            C.B.CreateLoad(C.T, C.arg(8))};
  }
  case Op::Nrm2: // a copy of x (the norm is recomputed from it)
    return {C.copy(C.arg(2), C.span(C.arg(1), C.arg(3)))};
  case Op::Gesv: { // copies of A and B as they are before the call overwrites them
    Value *N = C.arg(1), *Nrhs = C.arg(2);
    return {C.copy(C.arg(3), C.B.CreateMul(C.arg(4), N)), C.copy(C.arg(6), C.B.CreateMul(C.arg(7), Nrhs))};
  }
  case Op::Gemm: { // copies of A and B as stored, alpha, beta
    Value *TA = C.arg(1), *TB = C.arg(2), *Mr = C.arg(3), *Nc = C.arg(4), *K = C.arg(5);
    Value *ACols = C.B.CreateSelect(C.isN(TA), K, Mr), *BCols = C.B.CreateSelect(C.isN(TB), Nc, K);
    return {C.copy(C.arg(7), C.B.CreateMul(C.arg(8), ACols)), C.copy(C.arg(9), C.B.CreateMul(C.arg(10), BCols)),
            C.B.CreateLoad(C.T, C.arg(6)), C.B.CreateLoad(C.T, C.arg(11))};
  }
  }
  return {};
}

void blasReverse(BlasEnv &E, CallBase &CB, ArrayRef<Value *> Saved) {
  Ctx C(E, CB);
  auto V = [&](unsigned I) { return E.Varied(CB.getArgOperand(I)); };
  auto S = [&](unsigned I) { return E.Shadow(CB.getArgOperand(I)); };
  IRBuilder<> &B = C.B;
  switch (opOf(CB)) {
  case Op::Dot: { // x' += out' y ; y' += out' x ; out' = 0
    Value *N = C.arg(2);
    if (V(5)) {
      Value *A = B.CreateLoad(C.T, S(5));
      B.CreateStore(ConstantFP::get(C.T, 0.0), S(5));
      if (V(3))
        C.axpy(N, A, Saved[1], S(3));
      if (V(4))
        C.axpy(N, A, Saved[0], S(4));
    }
    C.release(Saved[0]);
    C.release(Saved[1]);
    return;
  }
  case Op::Gemv: {
    Value *Trans = C.arg(1), *Mr = C.arg(2), *Nc = C.arg(3), *Lda = C.arg(6);
    Value *ACopy = Saved[0], *XCopy = Saved[1], *Alpha = C.scalar(Saved[2]), *Beta = Saved[3];
    if (V(9)) {
      Value *DY = S(9);
      Value *YLen = B.CreateSelect(C.isN(Trans), Mr, Nc), *XLen = B.CreateSelect(C.isN(Trans), Nc, Mr);
      if (V(7)) // x' += alpha op(A)^T y'
        C.gemv(C.flip(Trans), Mr, Nc, Alpha, ACopy, Lda, DY, C.one(), S(7));
      if (V(5)) { // A' += alpha (n: y' x^T, t: x y'^T), a rank-1 update as a k = 1 gemm
        Value *U = B.CreateSelect(C.isN(Trans), DY, XCopy), *W = B.CreateSelect(C.isN(Trans), XCopy, DY);
        (void)YLen;
        (void)XLen;
        C.gemm(C.i8('n'), C.i8('t'), Mr, Nc, B.getInt64(1), Alpha, U, Mr, W, Nc, C.one(), S(5), Lda);
      }
      C.scaleColumns(YLen, B.getInt64(1), C.scalar(Beta), DY, YLen);
    }
    C.release(ACopy);
    C.release(XCopy);
    return;
  }
  case Op::Nrm2: { // x' += (r' / r) x ; r' = 0
    Value *N = C.arg(1), *Inc = C.arg(3), *XCopy = Saved[0];
    if (V(4) && V(2)) {
      Value *A = B.CreateLoad(C.T, S(4));
      B.CreateStore(ConstantFP::get(C.T, 0.0), S(4));
      Value *RSlot = C.scalar(ConstantFP::get(C.T, 0.0));
      C.nrm2(N, XCopy, Inc, RSlot);
      Value *Alpha = C.scalar(B.CreateFDiv(A, B.CreateLoad(C.T, RSlot)));
      C.gemm(C.i8('n'), C.i8('n'), B.getInt64(1), N, B.getInt64(1), Alpha, C.one(), B.getInt64(1), XCopy, Inc,
             C.one(), S(2), Inc);
    } else if (V(4)) {
      B.CreateStore(ConstantFP::get(C.T, 0.0), S(4));
    }
    C.release(XCopy);
    return;
  }
  case Op::Gesv: {
    // Z = A^-T X' ; B' = Z (B was overwritten by X) ; A' = -Z X^T (A was overwritten by its LU factors, whose
    // adjoint is dropped: numba's solve never reads them). X is solved again from the copies.
    Value *N = C.arg(1), *Nrhs = C.arg(2), *Lda = C.arg(4), *Ldb = C.arg(7);
    Value *ACopy = Saved[0], *BCopy = Saved[1];
    if (V(6)) {
      Value *BElems = B.CreateMul(Ldb, Nrhs);
      Value *AT = C.transposed(ACopy, N, Lda);
      Value *Z = C.copy(S(6), BElems);
      C.gesv(N, Nrhs, AT, N, Z, Ldb);
      C.release(AT);
      if (V(3)) {
        Value *X = BCopy; // solved in place: B's copy becomes X
        C.gesv(N, Nrhs, ACopy, Lda, X, Ldb);
        Value *MinusOne = C.scalar(ConstantFP::get(C.T, -1.0));
        Value *Zero = C.scalar(ConstantFP::get(C.T, 0.0));
        C.gemm(C.i8('n'), C.i8('t'), N, N, Nrhs, MinusOne, Z, Ldb, X, Ldb, Zero, S(3), Lda);
      }
      B.CreateMemCpy(S(6), MaybeAlign(), Z, MaybeAlign(), C.bytes(BElems));
      C.release(Z);
    }
    C.release(ACopy);
    C.release(BCopy);
    return;
  }
  case Op::Gemm: {
    Value *TA = C.arg(1), *TB = C.arg(2), *Mr = C.arg(3), *Nc = C.arg(4), *K = C.arg(5);
    Value *Lda = C.arg(8), *Ldb = C.arg(10), *Ldc = C.arg(13);
    Value *ACopy = Saved[0], *BCopy = Saved[1], *Alpha = C.scalar(Saved[2]), *Beta = C.scalar(Saved[3]);
    if (V(12)) {
      Value *DC = S(12);
      if (V(7)) {
        // transa n: A' (m x k) += alpha C' op(B)^T ; transa t: A' (k x m) += alpha op(B) C'^T
        Value *N = C.isN(TA);
        Value *T1 = B.CreateSelect(N, C.i8('n'), TB), *T2 = B.CreateSelect(N, C.flip(TB), C.i8('t'));
        Value *R = B.CreateSelect(N, Mr, K), *Cc = B.CreateSelect(N, K, Mr);
        Value *X = B.CreateSelect(N, DC, BCopy), *LdX = B.CreateSelect(N, Ldc, Ldb);
        Value *Y = B.CreateSelect(N, BCopy, DC), *LdY = B.CreateSelect(N, Ldb, Ldc);
        C.gemm(T1, T2, R, Cc, Nc, Alpha, X, LdX, Y, LdY, C.one(), S(7), Lda);
      }
      if (V(9)) {
        // transb n: B' (k x n) += alpha op(A)^T C' ; transb t: B' (n x k) += alpha C'^T op(A)
        Value *N = C.isN(TB);
        Value *T1 = B.CreateSelect(N, C.flip(TA), C.i8('t')), *T2 = B.CreateSelect(N, C.i8('n'), TA);
        Value *R = B.CreateSelect(N, K, Nc), *Cc = B.CreateSelect(N, Nc, K);
        Value *X = B.CreateSelect(N, ACopy, DC), *LdX = B.CreateSelect(N, Lda, Ldc);
        Value *Y = B.CreateSelect(N, DC, ACopy), *LdY = B.CreateSelect(N, Ldc, Lda);
        C.gemm(T1, T2, R, Cc, Mr, Alpha, X, LdX, Y, LdY, C.one(), S(9), Ldb);
      }
      C.scaleColumns(Mr, Nc, Beta, DC, Ldc);
    }
    C.release(ACopy);
    C.release(BCopy);
    return;
  }
  }
}

} // namespace enzpy
