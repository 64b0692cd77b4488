// Enzyme's C ABI: calls to __enzyme_autodiff* / __enzyme_fwddiff* with enzyme_dup/dupnoneed/const/out
// markers are replaced by calls to synthesized derivatives.
#include "Common.h"
#include "ad/Tape.h"

namespace enzpy {
namespace {

enum class Marker { None, Dup, DupNoNeed, Const, Out, Tape };

/// What a call asks for: __enzyme_fwddiff, __enzyme_autodiff, __enzyme_augmentfwd, __enzyme_reverse.
enum class Kind { Forward, Reverse, Augment, ReverseSplit };

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
  if (N == "enzyme_tape")
    return Marker::Tape;
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
  if (N == 1 && ST->getElementType(0) == RT) { // one derivative of exactly the declared type (also vectors)
    CI.replaceAllUsesWith(B.CreateExtractValue(Res, 0));
    return;
  }
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

[[noreturn]] void tooMany(CallBase &CI, StringRef Name, Function &Fn, unsigned Next) {
  fail("too many arguments to " + Name.str() + " for @" + Fn.getName().str() + " (" +
           std::to_string(CI.arg_size() - Next) + " left over)",
       &CI);
}

// __enzyme_augmentfwd returns the tape, or { tape, primal } when declared with a struct return.
void deliverAugmented(IRBuilder<> &B, CallBase &CI, Value *Tape, CallInst *Res) {
  Type *RT = CI.getType();
  if (RT->isVoidTy())
    fail("__enzyme_augmentfwd must return the tape (declare it as returning void *)", &CI);
  if (RT->isPointerTy()) {
    CI.replaceAllUsesWith(Tape);
    return;
  }
  auto *ST = dyn_cast<StructType>(RT);
  if (!ST || ST->getNumElements() < 1 || !ST->getElementType(0)->isPointerTy())
    fail("__enzyme_augmentfwd must return void * or a struct { void *tape; T primal; }", &CI);
  Value *Out = B.CreateInsertValue(Constant::getNullValue(RT), Tape, 0);
  auto *RST = cast<StructType>(Res->getType());
  for (unsigned K = 0; K < RST->getNumElements() && K + 1 < ST->getNumElements(); ++K) {
    Value *E = B.CreateExtractValue(Res, K);
    Type *To = ST->getElementType(K + 1);
    if (E->getType() != To && E->getType()->isFloatingPointTy() && To->isFloatingPointTy())
      E = B.CreateFPCast(E, To);
    if (E->getType() != To)
      fail("the primal returned by __enzyme_augmentfwd does not fit the declared struct", &CI);
    Out = B.CreateInsertValue(Out, E, K + 1);
  }
  CI.replaceAllUsesWith(Out);
}

// Enzyme's registration globals: __enzyme_register_derivative_<x> = { f, forward },
// __enzyme_register_gradient_<x> = { f, augmented, reverse }, __enzyme_inactivefn = { f, g, ... }.
std::map<std::string, CustomRule> registeredRules(Module &M) {
  std::map<std::string, CustomRule> Rules;
  auto Functions = [](GlobalVariable &G) {
    SmallVector<Function *, 4> Fs;
    if (G.hasInitializer())
      if (auto *A = dyn_cast<ConstantArray>(G.getInitializer()))
        for (Value *Op : A->operands())
          Fs.push_back(dyn_cast<Function>(Op->stripPointerCasts()));
    return Fs;
  };
  for (GlobalVariable &G : M.globals()) {
    StringRef N = G.getName();
    auto Fs = Functions(G);
    auto Bad = [&](const char *Shape) {
      throw Error("@" + N.str() + " must be initialized with " + Shape + " (function pointers)");
    };
    if (N.starts_with("__enzyme_register_derivative")) {
      if (Fs.size() != 2 || !Fs[0] || !Fs[1])
        Bad("{ function, forward rule }");
      Rules[Fs[0]->getName().str()].Forward = Fs[1]->getName().str();
    } else if (N.starts_with("__enzyme_register_gradient")) {
      if (Fs.size() != 3 || !Fs[0] || !Fs[1] || !Fs[2])
        Bad("{ function, augmented rule, reverse rule }");
      CustomRule &R = Rules[Fs[0]->getName().str()];
      R.Augmented = Fs[1]->getName().str();
      R.Reverse = Fs[2]->getName().str();
    } else if (N.starts_with("__enzyme_inactivefn")) {
      for (Function *F : Fs) {
        if (!F)
          Bad("{ function, ... }");
        Rules[F->getName().str()].Inactive = true;
      }
    }
  }
  return Rules;
}

void lowerCall(CallBase &CI, Kind K, const std::map<std::string, CustomRule> &Rules) {
  Mode M = K == Kind::Forward ? Mode::Forward : Mode::Reverse;
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
  Req.Rules = Rules;
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
  Type *RT = Fn->getReturnType();
  if (isFloatLike(RT))
    Req.Ret = M == Mode::Reverse ? Activity::Active : Activity::Dup;
  switch (K) {
  case Kind::Forward:
  case Kind::Reverse: {
    if (Req.Ret == Activity::Active)
      Args.push_back(ConstantFP::get(RT, 1.0));
    if (Next != CI.arg_size())
      tooMany(CI, Name, *Fn, Next);
    CallInst *Res = B.CreateCall(synthesize(Req), Args);
    deliverResults(B, CI, Res, HasSRet);
    break;
  }
  case Kind::Augment: {
    if (Next != CI.arg_size())
      tooMany(CI, Name, *Fn, Next);
    SplitDerivative SD = synthesizeSplit(Req);
    Value *Tape = tape::createHeap(B);
    Args.push_back(Tape);
    CallInst *Res = B.CreateCall(SD.Augmented, Args);
    deliverAugmented(B, CI, Tape, Res);
    break;
  }
  case Kind::ReverseSplit: {
    if (Req.Ret == Activity::Active)
      Args.push_back(coerce(B, Take(Fn->arg_size(), "the adjoint of the result"), RT, CI, Fn->arg_size(), *Fn));
    if (Next < CI.arg_size() && markerOf(CI.getArgOperand(Next)) == Marker::Tape)
      ++Next;
    if (Next >= CI.arg_size())
      fail("too few arguments to " + Name.str() + ": the tape from __enzyme_augmentfwd must come last", &CI);
    Value *Tape = CI.getArgOperand(Next++);
    if (!Tape->getType()->isPointerTy())
      fail("the tape passed to " + Name.str() + " must be the pointer __enzyme_augmentfwd returned", &CI);
    if (Next != CI.arg_size())
      tooMany(CI, Name, *Fn, Next);
    SplitDerivative SD = synthesizeSplit(Req);
    Args.push_back(Tape);
    CallInst *Res = B.CreateCall(SD.Reverse, Args);
    tape::destroyHeap(B, Tape);
    deliverResults(B, CI, Res, HasSRet);
    break;
  }
  }
  CI.eraseFromParent();
}

} // namespace

unsigned lowerEnzymeCalls(Module &M) {
  unsigned Count = 0;
  std::map<std::string, CustomRule> Rules = registeredRules(M);
  SmallVector<std::pair<Function *, Kind>, 4> Entry;
  for (Function &F : M) {
    if (!F.isDeclaration())
      continue;
    StringRef N = F.getName();
    if (N.starts_with("__enzyme_autodiff"))
      Entry.push_back({&F, Kind::Reverse});
    else if (N.starts_with("__enzyme_fwddiff"))
      Entry.push_back({&F, Kind::Forward});
    else if (N.starts_with("__enzyme_augmentfwd"))
      Entry.push_back({&F, Kind::Augment});
    else if (N.starts_with("__enzyme_reverse"))
      Entry.push_back({&F, Kind::ReverseSplit});
  }
  for (auto [F, Md] : Entry) {
    SmallVector<CallBase *, 4> Calls;
    for (User *U : F->users()) {
      auto *CB = dyn_cast<CallBase>(U);
      if (!CB || CB->getCalledOperand() != F)
        fail("@" + F->getName().str() + " may only be called directly", isa<Instruction>(U) ? U : nullptr);
      Calls.push_back(CB);
    }
    for (CallBase *CB : Calls) {
      lowerCall(*CB, Md, Rules);
      ++Count;
    }
    F->eraseFromParent();
  }
  // registrations are consumed
  SmallVector<GlobalVariable *, 4> Registrations;
  for (GlobalVariable &G : M.globals())
    if (G.getName().starts_with("__enzyme_register_") || G.getName().starts_with("__enzyme_inactivefn"))
      Registrations.push_back(&G);
  for (GlobalVariable *G : Registrations)
    if (G->use_empty())
      G->eraseFromParent();
  // the markers are gone: drop their loads and (external) declarations
  for (const char *N : {"enzyme_dup", "enzyme_dupnoneed", "enzyme_const", "enzyme_out", "enzyme_tape"}) {
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
