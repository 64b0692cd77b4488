#include "Common.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/DebugLoc.h"
#include "llvm/IR/Intrinsics.h"

namespace enzpy {

bool isFloatLike(Type *T) { return T->getScalarType()->isFloatingPointTy(); }

bool containsFloat(Type *T) {
  if (isFloatLike(T))
    return true;
  if (auto *ST = dyn_cast<StructType>(T)) {
    for (Type *E : ST->elements())
      if (containsFloat(E))
        return true;
    return false;
  }
  if (auto *AT = dyn_cast<ArrayType>(T))
    return containsFloat(AT->getElementType());
  return false;
}

bool containsPointer(Type *T) {
  if (T->getScalarType()->isPointerTy())
    return true;
  if (auto *ST = dyn_cast<StructType>(T)) {
    for (Type *E : ST->elements())
      if (containsPointer(E))
        return true;
    return false;
  }
  if (auto *AT = dyn_cast<ArrayType>(T))
    return containsPointer(AT->getElementType());
  return false;
}

Type *floatTypeForInt(Type *T) {
  auto *IT = dyn_cast<IntegerType>(T->getScalarType());
  if (!IT)
    return nullptr;
  Type *F = nullptr;
  if (IT->getBitWidth() == 64)
    F = Type::getDoubleTy(T->getContext());
  else if (IT->getBitWidth() == 32)
    F = Type::getFloatTy(T->getContext());
  if (!F)
    return nullptr;
  if (auto *VT = dyn_cast<VectorType>(T))
    return VectorType::get(F, VT->getElementCount());
  return F;
}

void forEachFloatLeaf(Type *T, const std::function<void(ArrayRef<unsigned>, Type *)> &Fn) {
  SmallVector<unsigned, 4> Idx;
  std::function<void(Type *)> Walk = [&](Type *Ty) {
    if (isFloatLike(Ty)) {
      Fn(Idx, Ty);
      return;
    }
    if (auto *ST = dyn_cast<StructType>(Ty)) {
      for (unsigned I = 0; I < ST->getNumElements(); ++I) {
        Idx.push_back(I);
        Walk(ST->getElementType(I));
        Idx.pop_back();
      }
    } else if (auto *AT = dyn_cast<ArrayType>(Ty)) {
      for (unsigned I = 0; I < AT->getNumElements(); ++I) {
        Idx.push_back(I);
        Walk(AT->getElementType());
        Idx.pop_back();
      }
    }
  };
  Walk(T);
}

Constant *adjointZero(Type *T) {
  if (isFloatLike(T))
    return ConstantFP::getNegativeZero(T);
  if (auto *ST = dyn_cast<StructType>(T)) {
    SmallVector<Constant *, 4> Elems;
    for (Type *E : ST->elements())
      Elems.push_back(adjointZero(E));
    return ConstantStruct::get(ST, Elems);
  }
  if (auto *AT = dyn_cast<ArrayType>(T))
    return ConstantArray::get(AT, SmallVector<Constant *, 4>(AT->getNumElements(), adjointZero(AT->getElementType())));
  return Constant::getNullValue(T);
}

Value *addAdjoints(IRBuilder<> &B, Value *A, Value *Bv) {
  Type *T = A->getType();
  if (isFloatLike(T))
    return B.CreateFAdd(A, Bv);
  Value *R = A;
  forEachFloatLeaf(T, [&](ArrayRef<unsigned> Idx, Type *) {
    Value *X = B.CreateExtractValue(A, Idx);
    Value *Y = B.CreateExtractValue(Bv, Idx);
    R = B.CreateInsertValue(R, B.CreateFAdd(X, Y), Idx);
  });
  return R;
}

std::string mathBaseName(const Function &F) {
  StringRef N = F.getName();
  if (F.isIntrinsic()) // llvm.sin.v4f64 -> sin, llvm.vector.reduce.fmax.v2f64 -> vector.reduce.fmax
    return Intrinsic::getBaseName(F.getIntrinsicID()).drop_front(5).str();
  return N.str();
}

void fastMathLike(IRBuilderBase &B, const Instruction &I) {
  FastMathFlags F;
  if (isa<FPMathOperator>(I)) {
    FastMathFlags P = I.getFastMathFlags();
    F.setApproxFunc(P.approxFunc());
    F.setAllowReassoc(P.allowReassoc());
    F.setAllowContract(P.allowContract());
    F.setNoSignedZeros(P.noSignedZeros());
    F.setAllowReciprocal(P.allowReciprocal());
  }
  B.setFastMathFlags(F);
}

Function *calledFunction(const CallBase &CB) {
  return dyn_cast<Function>(CB.getCalledOperand()->stripPointerCasts());
}

// the name the user knows: the prepared clone enzpy.prep.f is f
static StringRef userName(const Function &F) {
  StringRef N = F.getName();
  N.consume_front("enzpy.prep.");
  return N;
}

static std::string sourceLocation(const Instruction *I) {
  const DebugLoc &DL = I->getDebugLoc();
  if (!DL)
    return "";
  auto *Loc = DL.get();
  std::string S;
  raw_string_ostream OS(S);
  OS << Loc->getFilename() << ":" << Loc->getLine();
  return S;
}

std::string describe(const Value *V) {
  if (!V)
    return "";
  std::string S;
  raw_string_ostream OS(S);
  if (auto *I = dyn_cast<Instruction>(V)) {
    std::string Text;
    raw_string_ostream TOS(Text);
    I->print(TOS);
    StringRef T = StringRef(Text).trim();
    if (T.size() > 160)
      T = T.take_front(157), OS << "instruction `" << T << "...`";
    else
      OS << "instruction `" << T << "`";
    OS << " in function @" << userName(*I->getFunction());
    std::string Loc = sourceLocation(I);
    if (!Loc.empty())
      OS << " (" << Loc << ")";
  } else if (auto *F = dyn_cast<Function>(V)) {
    OS << "function @" << userName(*F);
  } else if (auto *A = dyn_cast<Argument>(V)) {
    OS << "argument " << A->getArgNo() << " (%" << A->getName() << ") of function @"
       << userName(*A->getParent());
  } else {
    V->printAsOperand(OS);
  }
  return S;
}

void fail(const std::string &What, const Value *Where) {
  if (Where)
    throw Error(What + ": " + describe(Where));
  throw Error(What);
}

} // namespace enzpy
