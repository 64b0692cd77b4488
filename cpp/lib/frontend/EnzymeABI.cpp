// Enzyme's C ABI: calls to __enzyme_autodiff* / __enzyme_fwddiff* with enzyme_dup/dupnoneed/const/out
// markers are replaced by calls to synthesized derivatives.
#include "Common.h"

namespace enzpy {
namespace {

enum class Marker { None, Dup, DupNoNeed, Const, Out };

Marker markerOf(Value *V) {
  auto *L = dyn_cast<LoadInst>(V);
  auto *G = L ? dyn_cast<GlobalVariable>(L->getPointerOperand()) : dyn_cast<GlobalVariable>(V);
  if (!G)
    return Marker::None;
  StringRef N = G->getName();
  if (N == "enzyme_dup")
    return Marker::Dup;
  if (N == "enzyme_dupnoneed")
    return Marker::DupNoNeed;
  if (N == "enzyme_const")
    return Marker::Const;
  if (N == "enzyme_out")
    return Marker::Out;
  return Marker::None;
}

// C varargs promote float to double and small integers to int: convert back to the parameter's type.
Value *coerce(IRBuilder<> &B, Value *V, Type *To, CallBase &Site, unsigned ParamNo, Function &Fn) {
  Type *From = V->getType();
  if (From == To)
    return V;
  if (From->isFloatingPointTy() && To->isFloatingPointTy())
    return B.CreateFPCast(V, To);
  if (From->isIntegerTy() && To->isIntegerTy())
    return B.CreateSExtOrTrunc(V, To);
  if (From->isPointerTy() && To->isPointerTy())
    return B.CreatePointerCast(V, To);
  if (From->isIntegerTy() && To->isPointerTy())
    return B.CreateIntToPtr(V, To);
  if (From->isPointerTy() && To->isIntegerTy())
    return B.CreatePtrToInt(V, To);
  std::string S;
  raw_string_ostream OS(S);
  OS << "argument for parameter " << ParamNo << " of @" << Fn.getName() << " has type " << *From
     << " but the parameter is " << *To;
  fail(OS.str(), &Site);
}

// Puts the derivative results (a literal struct) into whatever the call site declared as its return.
void deliverResults(IRBuilder<> &B, CallBase &CI, Value *Res, bool HasSRet) {
  auto *ST = cast<StructType>(Res->getType());
  unsigned N = ST->getNumElements();
  auto Elem = [&](unsigned K, Type *To) -> Value * {
    Value *E = B.CreateExtractValue(Res, K);
    if (E->getType() != To && E->getType()->isFloatingPointTy() && To->isFloatingPointTy())
      E = B.CreateFPCast(E, To);
    return E;
  };
  auto TooSmall = [&](unsigned Have) {
    fail("the call's return type holds " + std::to_string(Have) + " values but there are " + std::to_string(N) +
             " derivatives to return",
         &CI);
  };
  if (HasSRet) {
    Type *T = CI.getParamStructRetType(0);
    Value *Dst = CI.getArgOperand(0);
    unsigned Have = T->isStructTy() ? T->getStructNumElements() : T->isArrayTy() ? T->getArrayNumElements() : 1;
    if (Have < N)
      TooSmall(Have);
    for (unsigned K = 0; K < N; ++K) {
      Type *ET = T->isStructTy() ? T->getStructElementType(K) : T->isArrayTy() ? T->getArrayElementType() : T;
      Value *P = (T->isStructTy() || T->isArrayTy()) ? B.CreateConstInBoundsGEP2_32(T, Dst, 0, K) : Dst;
      B.CreateStore(Elem(K, ET), P);
    }
    return;
  }
  Type *RT = CI.getType();
  if (RT->isVoidTy())
    return;
  Value *Out = nullptr;
  if (RT->isFloatingPointTy()) {
    if (N > 1)
      TooSmall(1);
    Out = N ? Elem(0, RT) : ConstantFP::get(RT, 0.0);
  } else if (auto *VT = dyn_cast<FixedVectorType>(RT)) {
    if (VT->getNumElements() < N)
      TooSmall(VT->getNumElements());
    Out = Constant::getNullValue(RT);
    for (unsigned K = 0; K < N; ++K)
      Out = B.CreateInsertElement(Out, Elem(K, VT->getElementType()), K);
  } else if (RT->isStructTy() || RT->isArrayTy()) {
    unsigned Have = RT->isStructTy() ? RT->getStructNumElements() : RT->getArrayNumElements();
    if (Have < N)
      TooSmall(Have);
    Out = Constant::getNullValue(RT);
    for (unsigned K = 0; K < N; ++K) {
      Type *ET = RT->isStructTy() ? RT->getStructElementType(K) : RT->getArrayElementType();
      Out = B.CreateInsertValue(Out, Elem(K, ET), K);
    }
  } else {
    std::string S;
    raw_string_ostream OS(S);
    OS << "unsupported return type " << *RT << " for a derivative call";
    fail(OS.str(), &CI);
  }
  CI.replaceAllUsesWith(Out);
}

void lowerCall(CallBase &CI, Mode M) {
  StringRef Name = calledFunction(CI)->getName();
  bool HasSRet = CI.arg_size() > 0 && CI.paramHasAttr(0, Attribute::StructRet);
  unsigned Next = HasSRet ? 1 : 0;
  if (CI.arg_size() <= Next)
    fail(Name.str() + " needs the function to differentiate as its first argument", &CI);
  Function *Fn = dyn_cast<Function>(CI.getArgOperand(Next++)->stripPointerCasts());
  if (!Fn)
    fail("the first argument of " + Name.str() + " must be a function (not a computed pointer)", &CI);
  if (Fn->isDeclaration())
    fail(Name.str() + " names @" + Fn->getName().str() + ", which is not defined in this module", &CI);
  if (Fn->isVarArg())
    fail("cannot differentiate variadic function @" + Fn->getName().str(), &CI);

  IRBuilder<> B(&CI);
  DiffRequest Req;
  Req.Fn = Fn;
  Req.M = M;
  SmallVector<Value *, 8> Args;
  auto Take = [&](unsigned ParamNo, const char *What) -> Value * {
    if (Next >= CI.arg_size())
      fail("too few arguments to " + Name.str() + ": missing " + What + " for parameter " +
               std::to_string(ParamNo) + " of @" + Fn->getName().str(),
           &CI);
    Value *V = CI.getArgOperand(Next++);
    if (markerOf(V) != Marker::None)
      fail(std::string("a marker stands where ") + What + " for parameter " + std::to_string(ParamNo) + " of @" +
               Fn->getName().str() + " was expected",
           &CI);
    return V;
  };
  for (Argument &P : Fn->args()) {
    unsigned No = P.getArgNo();
    Type *T = P.getType();
    Marker Mk = Next < CI.arg_size() ? markerOf(CI.getArgOperand(Next)) : Marker::None;
    if (Mk != Marker::None)
      ++Next;
    if (Mk == Marker::None) {
      if (T->isFloatingPointTy() || (T->isVectorTy() && isFloatLike(T)))
        Mk = M == Mode::Reverse ? Marker::Out : Marker::Dup;
      else if (T->isPointerTy())
        Mk = Marker::Dup;
      else
        Mk = Marker::Const;
    }
    Activity A = Activity::Const;
    Args.push_back(coerce(B, Take(No, "the value"), T, CI, No, *Fn));
    switch (Mk) {
    case Marker::Out:
      if (M == Mode::Forward)
        fail("enzyme_out is for reverse mode; parameter " + std::to_string(No) + " of @" + Fn->getName().str(),
             &CI);
      if (!isFloatLike(T))
        fail("enzyme_out needs a floating-point parameter; parameter " + std::to_string(No) + " of @" +
                 Fn->getName().str() + " is not",
             &CI);
      A = Activity::Active;
      break;
    case Marker::Dup:
    case Marker::DupNoNeed:
      A = Mk == Marker::Dup ? Activity::Dup : Activity::DupNoNeed;
      if (M == Mode::Reverse && !T->isPointerTy())
        fail("enzyme_dup in reverse mode needs a pointer; parameter " + std::to_string(No) + " of @" +
                 Fn->getName().str() + " is not",
             &CI);
      Args.push_back(coerce(B, Take(No, "the shadow"), T, CI, No, *Fn));
      break;
    default:
      break;
    }
    Req.Args.push_back(A);
  }
  if (Next != CI.arg_size())
    fail("too many arguments to " + Name.str() + " for @" + Fn->getName().str() + " (" +
             std::to_string(CI.arg_size() - Next) + " left over)",
         &CI);
  Type *RT = Fn->getReturnType();
  if (isFloatLike(RT))
    Req.Ret = M == Mode::Reverse ? Activity::Active : Activity::Dup;
  if (Req.Ret == Activity::Active)
    Args.push_back(ConstantFP::get(RT, 1.0));
  Function *D = synthesize(Req);
  CallInst *Res = B.CreateCall(D, Args);
  deliverResults(B, CI, Res, HasSRet);
  CI.eraseFromParent();
}

} // namespace

unsigned lowerEnzymeCalls(Module &M) {
  unsigned Count = 0;
  SmallVector<Function *, 4> Entry;
  for (Function &F : M)
    if (F.isDeclaration() &&
        (F.getName().starts_with("__enzyme_autodiff") || F.getName().starts_with("__enzyme_fwddiff")))
      Entry.push_back(&F);
  for (Function *F : Entry) {
    Mode Md = F->getName().starts_with("__enzyme_fwddiff") ? Mode::Forward : Mode::Reverse;
    SmallVector<CallBase *, 4> Calls;
    for (User *U : F->users()) {
      auto *CB = dyn_cast<CallBase>(U);
      if (!CB || CB->getCalledOperand() != F)
        fail("@" + F->getName().str() + " may only be called directly", isa<Instruction>(U) ? U : nullptr);
      Calls.push_back(CB);
    }
    for (CallBase *CB : Calls) {
      lowerCall(*CB, Md);
      ++Count;
    }
    F->eraseFromParent();
  }
  // the markers are gone: drop their loads and (external) declarations
  for (const char *N : {"enzyme_dup", "enzyme_dupnoneed", "enzyme_const", "enzyme_out"}) {
    GlobalVariable *G = M.getGlobalVariable(N);
    if (!G)
      continue;
    SmallVector<User *, 4> Users(G->users());
    for (User *U : Users)
      if (auto *L = dyn_cast<LoadInst>(U); L && L->use_empty())
        L->eraseFromParent();
    if (G->use_empty() && G->isDeclaration())
      G->eraseFromParent();
  }
  return Count;
}

} // namespace enzpy
