#include "ad/TripCount.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ScalarEvolutionExpressions.h"
#include "llvm/IR/Dominators.h"

namespace enzpy {

static std::optional<TripCount> fromSCEV(const SCEV *S, Loop &L, DominatorTree &DT, unsigned Depth) {
  if (Depth > 12 || !S->getType()->isIntegerTy() || S->getType()->getIntegerBitWidth() > 64)
    return std::nullopt;
  TripCount T;
  T.Bits = S->getType()->getIntegerBitWidth();
  auto Operands = [&](ArrayRef<const SCEV *> Ops) {
    for (const SCEV *Op : Ops) {
      std::optional<TripCount> O = fromSCEV(Op, L, DT, Depth + 1);
      if (!O)
        return false;
      T.Ops.push_back(std::move(*O));
    }
    return true;
  };
  switch (S->getSCEVType()) {
  case scConstant:
    T.K = TripCount::Const;
    T.C = cast<SCEVConstant>(S)->getAPInt().getZExtValue();
    return T;
  case scUnknown: {
    Value *V = cast<SCEVUnknown>(S)->getValue();
    if (auto *I = dyn_cast<Instruction>(V)) // must be computed before the loop is entered
      if (L.contains(I) || !DT.dominates(I->getParent(), L.getLoopPreheader() ? L.getLoopPreheader() : L.getHeader()))
        return std::nullopt;
    if (!isa<Instruction>(V) && !isa<Argument>(V) && !isa<ConstantInt>(V))
      return std::nullopt;
    T.K = TripCount::Val;
    T.V = V;
    return T;
  }
  case scAddExpr: T.K = TripCount::Add; break;
  case scMulExpr: T.K = TripCount::Mul; break;
  case scUDivExpr: T.K = TripCount::UDiv; break;
  case scSMaxExpr: T.K = TripCount::SMax; break;
  case scUMaxExpr: T.K = TripCount::UMax; break;
  case scSMinExpr: T.K = TripCount::SMin; break;
  case scUMinExpr:
  case scSequentialUMinExpr: T.K = TripCount::UMin; break; // equal values when nothing is poison
  case scZeroExtend: T.K = TripCount::ZExt; break;
  case scSignExtend: T.K = TripCount::SExt; break;
  case scTruncate: T.K = TripCount::Trunc; break;
  case scPtrToInt: T.K = TripCount::PtrToInt; break;
  default:
    return std::nullopt;
  }
  if (!Operands(S->operands()))
    return std::nullopt;
  return T;
}

std::optional<TripCount> TripCount::of(Loop &L, ScalarEvolution &SE, DominatorTree &DT) {
  const SCEV *BTC = SE.getBackedgeTakenCount(&L);
  if (isa<SCEVCouldNotCompute>(BTC))
    return std::nullopt;
  return fromSCEV(BTC, L, DT, 0);
}

static Value *build(IRBuilder<> &B, const TripCount &T, const std::function<Value *(Value *)> &Map) {
  Type *Ty = B.getIntNTy(T.Bits);
  if (T.K == TripCount::Const)
    return ConstantInt::get(Ty, T.C);
  if (T.K == TripCount::Val)
    return Map(T.V);
  SmallVector<Value *, 3> Ops;
  for (const TripCount &O : T.Ops)
    Ops.push_back(build(B, O, Map));
  switch (T.K) {
  case TripCount::ZExt: return B.CreateZExt(Ops[0], Ty);
  case TripCount::SExt: return B.CreateSExt(Ops[0], Ty);
  case TripCount::Trunc: return B.CreateTrunc(Ops[0], Ty);
  case TripCount::PtrToInt: return B.CreatePtrToInt(Ops[0], Ty);
  case TripCount::UDiv: return B.CreateUDiv(Ops[0], Ops[1]);
  default: break;
  }
  Value *R = Ops[0];
  for (unsigned K = 1; K < Ops.size(); ++K) {
    Value *O = Ops[K];
    switch (T.K) {
    case TripCount::Add: R = B.CreateAdd(R, O); break;
    case TripCount::Mul: R = B.CreateMul(R, O); break;
    case TripCount::SMax: R = B.CreateSelect(B.CreateICmpSGT(R, O), R, O); break;
    case TripCount::UMax: R = B.CreateSelect(B.CreateICmpUGT(R, O), R, O); break;
    case TripCount::SMin: R = B.CreateSelect(B.CreateICmpSLT(R, O), R, O); break;
    case TripCount::UMin: R = B.CreateSelect(B.CreateICmpULT(R, O), R, O); break;
    default: fail("internal: malformed trip count", nullptr);
    }
  }
  return R;
}

Value *TripCount::expand(IRBuilder<> &B, const std::function<Value *(Value *)> &Map) const {
  Value *BTC = B.CreateZExtOrTrunc(build(B, *this, Map), B.getInt64Ty());
  return B.CreateAdd(BTC, B.getInt64(1), "header.runs", /*HasNUW=*/true);
}

} // namespace enzpy
