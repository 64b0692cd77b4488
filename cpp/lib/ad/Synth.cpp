#include "ad/Synth.h"
#include "ad/Generators.h"
#include "ad/Runtime.h"
#include "ad/SelectChains.h"
#include "ad/SharedMemory.h"
#include "ad/Tape.h"
#include "analysis/CustomRules.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/Local.h"

namespace enzpy {

std::string Config::signature() const {
  auto Letter = [](Activity A) {
    switch (A) {
    case Activity::Const: return 'c';
    case Activity::Active: return 'a';
    case Activity::Dup: return 'd';
    case Activity::DupNoNeed: return 'n';
    }
    return '?';
  };
  std::string S;
  for (Activity A : Args)
    S += Letter(A);
  S += '_';
  S += Letter(Ret);
  S += WithPrimal ? '1' : '0';
  if (Width > 1)
    S += "_w" + std::to_string(Width);
  if (Atomic)
    S += "_atomic";
  if (Internal)
    S += "_i";
  return S;
}

CallInst *callLibc(IRBuilder<> &B, const char *Name, Type *Ret, ArrayRef<Value *> Args) {
  Module &M = *B.GetInsertBlock()->getModule();
  SmallVector<Type *, 4> Tys;
  for (Value *A : Args)
    Tys.push_back(A->getType());
  FunctionCallee FC = M.getOrInsertFunction(Name, FunctionType::get(Ret, Tys, false));
  return B.CreateCall(FC, Args);
}

// ---------------------------------------------------------------- custom rules

Value *customRuleResult(IRBuilder<> &B, Value *Res, unsigned K) {
  return Res->getType()->isStructTy() ? B.CreateExtractValue(Res, K) : Res;
}

SmallVector<Value *, 8> customRuleArgs(const CallBase &CB, const std::function<Value *(Value *)> &Primal,
                                        const std::function<Value *(Value *)> &Shadow) {
  SmallVector<Value *, 8> Args;
  for (const Use &U : CB.args()) {
    Args.push_back(Primal(U.get()));
    Args.push_back(Shadow(U.get()));
  }
  return Args;
}

Function *customRulePart(const CallBase &CB, const char *Part) {
  Function *Callee = calledFunction(CB);
  const CustomRule *R = customRuleFor(*Callee);
  StringRef Want = StringRef(Part) == "forward" ? R->Forward : StringRef(Part) == "augmented" ? R->Augmented : R->Reverse;
  std::string What = std::string("the custom rule for @") + Callee->getName().str();
  if (Want.empty())
    fail(What + " has no " + Part + " function (forward mode needs a forward rule; reverse mode an augmented "
         "and a reverse rule)", &CB);
  Function *F = CB.getModule()->getFunction(Want);
  if (!F)
    fail(What + ": its " + Part + " function @" + Want.str() + " is not in the module", &CB);
  // the expected type
  LLVMContext &Ctx = CB.getContext();
  Type *RT = CB.getType(), *Ptr = PointerType::getUnqual(Ctx);
  SmallVector<Type *, 8> Params;
  for (const Use &U : CB.args())
    Params.append(2, U->getType());
  SmallVector<Type *, 4> Results;
  if (StringRef(Part) == "forward") {
    if (!RT->isVoidTy())
      Results.append(2, RT);
  } else if (StringRef(Part) == "augmented") {
    if (!RT->isVoidTy())
      Results.push_back(RT);
    Results.push_back(Ptr);
  } else {
    if (isFloatLike(RT))
      Params.push_back(RT);
    Params.push_back(Ptr);
    for (const Use &U : CB.args())
      if (isFloatLike(U->getType()))
        Results.push_back(U->getType());
  }
  FunctionType *Expected = FunctionType::get(StructType::get(Ctx, Results), Params, false);
  // C returns a one-member struct as the member itself
  bool SingleOk = Results.size() == 1 && F->getReturnType() == Results[0] && !F->isVarArg() &&
                  F->getFunctionType()->params() == ArrayRef<Type *>(Params);
  if (F->getFunctionType() != Expected && !SingleOk) {
    std::string S;
    raw_string_ostream OS(S);
    OS << What << ": its " << Part << " function @" << F->getName() << " has type " << *F->getFunctionType()
       << " but must have type " << *Expected;
    fail(OS.str(), &CB);
  }
  return F;
}

// ---------------------------------------------------------------- preparation

static thread_local std::map<Module *, std::vector<Function *>> PreparedByModule;

// A float vector with undefined lanes (SLP's constants <2.0, poison>, insertelement into poison, shuffle masks with
// poison elements) is fine in the primal, which never reads those lanes; but the reverse sweep multiplies them by
// their adjoint, 0 * poison is poison (at run time anything, NaN too), and shuffles move such lanes into the
// adjoints of lanes that are used (a NaN gradient, found by the C fuzzer). So they are made 0.0 here.
static Constant *withZeroLanes(Constant *C) {
  auto *VT = dyn_cast<FixedVectorType>(C->getType());
  if (!VT || !VT->getElementType()->isFloatingPointTy() || !C->containsUndefOrPoisonElement())
    return C;
  SmallVector<Constant *, 8> Elems;
  for (unsigned K = 0; K < VT->getNumElements(); ++K) {
    Constant *E = C->getAggregateElement(K);
    Elems.push_back(!E || isa<UndefValue>(E) ? Constant::getNullValue(VT->getElementType()) : E);
  }
  return ConstantVector::get(Elems);
}

static void defineUnusedLanes(Function &P) {
  for (BasicBlock &BB : P)
    for (Instruction &I : make_early_inc_range(BB)) {
      if (isa<PHINode>(I) || isa<CallBase>(I) || isa<StoreInst>(I) || isa<ShuffleVectorInst>(I) ||
          isa<InsertElementInst>(I) || isa<SelectInst>(I) || I.isBinaryOp() || I.isUnaryOp())
        for (Use &U : I.operands())
          if (auto *C = dyn_cast<Constant>(U.get()); C && !isa<GlobalValue>(C))
            if (Constant *Z = withZeroLanes(C); Z != C)
              U.set(Z);
      auto *SV = dyn_cast<ShuffleVectorInst>(&I);
      auto *VT = SV ? dyn_cast<FixedVectorType>(SV->getType()) : nullptr;
      if (!VT || !VT->getElementType()->isFloatingPointTy())
        continue;
      ArrayRef<int> Mask = SV->getShuffleMask();
      if (none_of(Mask, [](int M) { return M < 0; }))
        continue;
      // the undefined lanes take lane 0 of a zero vector in a second shuffle (LLVM merges the two again)
      unsigned N = VT->getNumElements();
      SmallVector<int, 16> Defined(Mask.begin(), Mask.end()), Pick(N);
      for (unsigned K = 0; K < N; ++K) {
        Pick[K] = Mask[K] < 0 ? int(N) : int(K);
        if (Defined[K] < 0)
          Defined[K] = 0;
      }
      IRBuilder<> B(SV->getNextNode());
      auto *New = cast<Instruction>(B.CreateShuffleVector(SV->getOperand(0), SV->getOperand(1), Defined));
      Value *Zeroed = B.CreateShuffleVector(New, Constant::getNullValue(VT), Pick, SV->getName());
      SV->replaceAllUsesWith(Zeroed);
      SV->eraseFromParent();
    }
}

Function &preparedClone(Function &F) {
  std::string Name = ("enzpy.prep." + F.getName()).str();
  if (Function *P = F.getParent()->getFunction(Name))
    return *P;
  ValueToValueMapTy VM;
  Function *P = CloneFunction(&F, VM);
  P->setName(Name);
  P->setLinkage(GlobalValue::InternalLinkage);
  PreparedByModule[F.getParent()].push_back(P);
  removeUnreachableBlocks(*P);
  exposeSharedMemory(*P);
  defineUnusedLanes(*P);
  reloadSelectChains(*P);
  // a stack table stays valid until the function returns: the reverse sweep may read it again after the
  // forward sweep's last use (findReloadableTables)
  for (Instruction &I : make_early_inc_range(instructions(*P)))
    if (auto *II = dyn_cast<IntrinsicInst>(&I); II && II->isLifetimeStartOrEnd())
      II->eraseFromParent();
  // one return block
  SmallVector<ReturnInst *, 4> Rets;
  for (BasicBlock &BB : *P)
    if (auto *R = dyn_cast<ReturnInst>(BB.getTerminator()))
      Rets.push_back(R);
  if (Rets.size() > 1) {
    LLVMContext &C = P->getContext();
    auto *Exit = BasicBlock::Create(C, "unified.return", P);
    PHINode *Phi = nullptr;
    if (!P->getReturnType()->isVoidTy())
      Phi = PHINode::Create(P->getReturnType(), Rets.size(), "retval", Exit);
    ReturnInst::Create(C, Phi, Exit);
    for (ReturnInst *R : Rets) {
      if (Phi)
        Phi->addIncoming(R->getReturnValue(), R->getParent());
      BranchInst::Create(Exit, R->getParent());
      R->eraseFromParent();
    }
  }
  return *P;
}

void releasePreparedClones(Module &M) {
  auto It = PreparedByModule.find(&M);
  if (It == PreparedByModule.end())
    return;
  for (Function *P : It->second) {
    P->replaceAllUsesWith(PoisonValue::get(P->getType()));
    P->eraseFromParent();
  }
  PreparedByModule.erase(It);
}

// ---------------------------------------------------------------- support check

static bool storesToGlobal(const Value *Ptr) {
  return isa<GlobalVariable>(getUnderlyingObject(Ptr));
}

void checkSupported(Function &F, const ActivityInfo &AI, const Config &C, bool Reverse) {
  for (unsigned I = 0; I < C.Args.size(); ++I) {
    Type *T = F.getArg(I)->getType();
    Activity A = C.Args[I];
    if (A == Activity::Active && !containsFloat(T))
      fail("an Active argument must be a floating-point scalar", F.getArg(I));
    if (A == Activity::Active && !Reverse)
      fail("Active arguments exist only in reverse mode (use Dup for a tangent)", F.getArg(I));
    if ((A == Activity::Dup || A == Activity::DupNoNeed) && Reverse && !containsPointer(T) &&
        !T->isIntegerTy())
      fail("in reverse mode a float argument is Active or Const, not Dup", F.getArg(I));
  }
  for (BasicBlock &BB : F)
    for (Instruction &I : BB) {
      bool AnyVariedOp = any_of(I.operands(), [&](const Use &U) { return AI.varied(U.get()); });
      switch (I.getOpcode()) {
      case Instruction::Invoke:
      case Instruction::CallBr:
      case Instruction::IndirectBr:
      case Instruction::VAArg:
      case Instruction::LandingPad:
      case Instruction::Resume:
        if (AnyVariedOp || AI.varied(&I))
          fail("unsupported instruction", &I);
        continue;
      case Instruction::AtomicRMW: {
        auto Op = cast<AtomicRMWInst>(I).getOperation();
        if (Reverse && tape::exchangesParkedSlot(cast<AtomicRMWInst>(I)))
          fail("reverse mode over a reverse-mode derivative that records a tape (autodiff(Reverse, ...) called "
               "inside the function, on a function with loops) is not supported: its tape has no shadow. For "
               "second derivatives use Forward over Reverse (Hessian-vector products) or Reverse over Forward",
               &I);
        if (AnyVariedOp && containsFloat(I.getType()) && Op != AtomicRMWInst::FAdd && Op != AtomicRMWInst::FSub)
          fail("unsupported atomic operation on differentiable memory (only atomic fadd/fsub)", &I);
        continue;
      }
      case Instruction::AtomicCmpXchg:
        if (AnyVariedOp && containsFloat(I.getOperand(1)->getType()))
          fail("unsupported atomic operation on differentiable memory", &I);
        continue;
      case Instruction::Store: {
        // a derivative must not vanish silently: storing a differentiable value is fine into shadowed memory
        // and into memory reached from a Const argument (the caller declared it constant), nowhere else
        auto &S = cast<StoreInst>(I);
        if (!AI.hasDerivative(S.getValueOperand()) || AI.varied(S.getPointerOperand()))
          continue;
        if (storesToGlobal(S.getPointerOperand()))
          fail("a differentiable value is stored to a global variable, which has no shadow", &I);
        if (!isa<Argument>(getUnderlyingObject(S.getPointerOperand(), 0)))
          fail("a differentiable value is stored to memory that has no shadow (allocated by an external "
               "function enzpy has no rule for, or reached through an inactive pointer)",
               &I);
        continue;
      }
      case Instruction::Call: {
        auto &CB = cast<CallBase>(I);
        CallKind K = classifyCall(CB);
        bool VariedArg = any_of(CB.args(), [&](const Use &U) { return AI.varied(U.get()); });
        if (CB.isInlineAsm() && VariedArg)
          fail("cannot differentiate inline assembly", &I);
        if (K == CallKind::UnknownExtern && VariedArg) {
          Function *Callee = calledFunction(CB);
          if (!Callee)
            fail("cannot differentiate an indirect call", &I);
          fail("no derivative rule for external function @" + Callee->getName().str() +
                   " (register a rule, or mark it inactive)",
               &I);
        }
        if (K == CallKind::Custom && VariedArg) {
          if (Reverse)
            customRulePart(CB, "augmented"), customRulePart(CB, "reverse");
          else
            customRulePart(CB, "forward");
        }
        if (K == CallKind::Defined && VariedArg)
          for (const Use &U : CB.args())
            if (AI.varied(U.get()) && (U->getType()->isAggregateType()))
              fail("passing a differentiable aggregate by value to a call is not supported yet", &I);
        continue;
      }
      default:
        continue;
      }
    }
}

// ---------------------------------------------------------------- derivative lookup / generation

static FunctionType *derivativeType(Function &F, const Config &C, Variant V) {
  LLVMContext &Ctx = F.getContext();
  Type *RT = F.getReturnType();
  SmallVector<Type *, 8> Params;
  SmallVector<Type *, 4> Results;
  unsigned Width = C.Width; // batched: every shadow, seed and adjoint once per lane
  for (unsigned I = 0; I < F.arg_size(); ++I) {
    Type *T = F.getArg(I)->getType();
    Params.push_back(T);
    if (C.argHasShadowParam(I))
      Params.append(Width, T);
  }
  switch (V) {
  case Variant::Forward:
    if (C.WithPrimal && !RT->isVoidTy())
      Results.push_back(RT);
    if ((C.Ret == Activity::Dup || C.Ret == Activity::DupNoNeed) && !RT->isVoidTy())
      Results.append(Width, RT);
    break;
  case Variant::ReverseCombined:
  case Variant::ReverseSplit:
    if (C.Ret == Activity::Active)
      Params.append(Width, RT);
    if (V == Variant::ReverseSplit)
      Params.push_back(PointerType::getUnqual(Ctx));
    if (C.WithPrimal && !RT->isVoidTy() && V == Variant::ReverseCombined)
      Results.push_back(RT);
    for (unsigned I = 0; I < F.arg_size(); ++I)
      if (C.Args[I] == Activity::Active)
        Results.append(Width, F.getArg(I)->getType());
    break;
  case Variant::Augmented:
    Params.push_back(PointerType::getUnqual(Ctx));
    if (!RT->isVoidTy())
      Results.push_back(RT);
    if (C.Ret == Activity::Dup || C.Ret == Activity::DupNoNeed)
      Results.append(Width, RT);
    break;
  }
  return FunctionType::get(StructType::get(Ctx, Results), Params, false);
}

static const char *variantPrefix(Variant V) {
  switch (V) {
  case Variant::Forward: return "fwddiff";
  case Variant::ReverseCombined: return "diffe";
  case Variant::Augmented: return "augmented";
  case Variant::ReverseSplit: return "revdiffe";
  }
  return "";
}

Function *getDerivative(Function &F, const Config &C, Variant V) {
  if (F.isDeclaration())
    fail("cannot differentiate a function with no body", &F);
  if (C.Args.size() != F.arg_size())
    fail("internal: activity list does not match the parameters", &F);
  std::string Name = std::string("__enzpy_") + variantPrefix(V) + "." + F.getName().str() + "." + C.signature();
  Module &M = *F.getParent();
  if (Function *D = M.getFunction(Name))
    return D;
  FunctionType *FT = derivativeType(F, C, V);
  Function *D = Function::Create(FT, GlobalValue::InternalLinkage, Name, M);
  D->addFnAttr(Attribute::NoUnwind);
  if (V == Variant::Augmented || V == Variant::ReverseSplit) {
    // both halves of a pair are generated together
    Variant Other = V == Variant::Augmented ? Variant::ReverseSplit : Variant::Augmented;
    std::string OtherName =
        std::string("__enzpy_") + variantPrefix(Other) + "." + F.getName().str() + "." + C.signature();
    Function *O = Function::Create(derivativeType(F, C, Other), GlobalValue::InternalLinkage, OtherName, M);
    O->addFnAttr(Attribute::NoUnwind);
    Function *Aug = V == Variant::Augmented ? D : O;
    Function *Rev = V == Variant::Augmented ? O : D;
    generateReverse(F, C, Aug, Rev);
    return D;
  }
  if (V == Variant::Forward)
    generateForward(F, C, D);
  else
    generateReverse(F, C, D, D);
  return D;
}

// ---------------------------------------------------------------- the forward sweep

ForwardSweep::ForwardSweep(Function &F, const ActivityInfo &AI, const Config &C, Function *NF, bool Tangents)
    : F(F), AI(AI), C(C), NF(NF), Tangents(Tangents), DL(F.getParent()->getDataLayout()), Lanes(C.Width) {}

// Does the memory Ptr points into hold pointers (whose shadows a copy must carry along), as far as F shows?
// A plain float buffer (numba's a.copy()) does not: copying its shadow in the forward sweep would copy the
// caller's adjoint seeds, which reverse mode then counts twice.
static bool holdsPointers(const Value *Ptr, unsigned Depth = 0) {
  SmallVector<const Value *, 8> Work{getUnderlyingObject(Ptr)};
  DenseSet<const Value *> Seen;
  while (!Work.empty()) {
    const Value *V = Work.pop_back_val();
    if (!Seen.insert(V).second)
      continue;
    for (const Use &Use : V->uses()) {
      const User *U = Use.getUser();
      if (auto *L = dyn_cast<LoadInst>(U)) {
        if (containsPointer(L->getType()))
          return true;
      } else if (auto *S = dyn_cast<StoreInst>(U)) {
        if (S->getPointerOperand() == V && containsPointer(S->getValueOperand()->getType()))
          return true;
      } else if (isa<GetElementPtrInst>(U) || isa<CastInst>(U) || isa<PHINode>(U) || isa<SelectInst>(U)) {
        Work.push_back(U);
      } else if (auto *CB = dyn_cast<CallBase>(U)) {
        CallKind K = classifyCall(*CB);
        if (K == CallKind::Defined && Depth < 3 && CB->isArgOperand(&Use)) {
          // look at how the callee uses this argument
          Function *Callee = calledFunction(*CB);
          if (holdsPointers(Callee->getArg(CB->getArgOperandNo(&Use)), Depth + 1))
            return true;
        } else if (K == CallKind::Defined || K == CallKind::UnknownExtern || K == CallKind::Custom) {
          return true;
        }
      }
    }
  }
  return false;
}

void ForwardSweep::cloneBody(ArrayRef<Value *> ArgMap, ArrayRef<Value *> ShadowArgs) {
  for (Argument &A : F.args()) {
    VMap[&A] = ArgMap[A.getArgNo()];
    for (unsigned L = 0; L < Lanes.size(); ++L)
      if (Value *S = ShadowArgs[L * F.arg_size() + A.getArgNo()])
        Lanes[L][&A] = S;
  }
  SmallVector<ReturnInst *, 2> Returns;
  CloneFunctionInto(NF, &F, VMap, CloneFunctionChangeType::LocalChangesOnly, Returns);
  // the derivative has its own signature: none of the primal's attributes or calling convention apply
  NF->setAttributes(AttributeList());
  NF->setCallingConv(CallingConv::C);
  NF->addFnAttr(Attribute::NoUnwind);
  NF->setSubprogram(nullptr);
  stripDebugInfo(*NF);
  LLVMContext &Ctx = NF->getContext();
  BasicBlock *Entry = &NF->getEntryBlock();
  Prologue = BasicBlock::Create(Ctx, "prologue", NF, Entry);
  BranchInst::Create(Entry, Prologue);
  shadowSharedMemory();
  // every primal float argument that is varied but has no shadow parameter gets a zero tangent
}

Value *ForwardSweep::primal(Value *V) const {
  if (isa<Constant>(V) || isa<MetadataAsValue>(V) || isa<InlineAsm>(V))
    return V;
  Value *P = VMap.lookup(V);
  if (!P)
    fail("internal: no primal clone for value", V);
  return P;
}

bool ForwardSweep::hasShadowValue(const Value *V) const {
  return Tangents ? AI.varied(V) : AI.hasShadow(V);
}

Value *ForwardSweep::shadowOf(Value *V, Type *T) const {
  if (auto It = shadows().find(V); It != shadows().end())
    return It->second;
  if (hasShadowValue(V) && !isa<Constant>(V))
    fail("internal: shadow used before it was computed", V);
  return Constant::getNullValue(T ? T : V->getType());
}

Value *ForwardSweep::shadowOrSelf(Value *V, Type *T) const {
  if (V->getType()->isPtrOrPtrVectorTy() && !AI.varied(V) && !isa<ConstantPointerNull>(V) && !isa<UndefValue>(V))
    return primal(V);
  return shadowOf(V, T);
}

BasicBlock *ForwardSweep::clonedExit(const BasicBlock *B) const {
  return cast<Instruction>(VMap.lookup(B->getTerminator()))->getParent();
}

void ForwardSweep::run() {
  ReversePostOrderTraversal<Function *> RPO(&F);
  for (BasicBlock *BB : RPO)
    for (Instruction &I : make_early_inc_range(*BB))
      for (Lane = 0; Lane < Lanes.size(); ++Lane)
        visit(I);
  Lane = 0;
  finishPhis();
  dropUnneededStores();
}

void ForwardSweep::dropUnneededStores() {
  DenseSet<const Value *> NoNeed;
  for (Argument &A : F.args())
    if (C.Args[A.getArgNo()] == Activity::DupNoNeed && A.getType()->isPointerTy())
      NoNeed.insert(&A);
  if (NoNeed.empty())
    return;
  // objects read anywhere in F (loads, calls taking the pointer) keep their stores; a read whose objects
  // cannot all be identified (through phis, selects, memory) keeps every store
  auto Read = [&](const Value *Ptr) {
    SmallVector<const Value *, 4> Objs;
    getUnderlyingObjects(Ptr, Objs, nullptr, /*MaxLookup=*/0);
    for (const Value *O : Objs) {
      if (!isa<Argument>(O) && !isa<AllocaInst>(O) && !isa<CallBase>(O) && !isa<GlobalValue>(O)) {
        NoNeed.clear();
        return;
      }
      NoNeed.erase(O);
    }
  };
  for (BasicBlock &BB : F)
    for (Instruction &I : BB) {
      if (auto *L = dyn_cast<LoadInst>(&I)) {
        Read(L->getPointerOperand());
      } else if (auto *CB = dyn_cast<CallBase>(&I)) {
        for (const Use &U : CB->args())
          if (U->getType()->isPtrOrPtrVectorTy())
            Read(U.get());
      } else if (I.mayReadFromMemory() && !isa<StoreInst>(I)) {
        NoNeed.clear(); // atomics and other reads: be safe
      }
      if (NoNeed.empty())
        return;
    }
  for (BasicBlock &BB : F)
    for (Instruction &I : BB)
      if (auto *S = dyn_cast<StoreInst>(&I))
        if (S->isSimple() && NoNeed.count(getUnderlyingObject(S->getPointerOperand())))
          cast<Instruction>(primal(S))->eraseFromParent();
}

void ForwardSweep::finishPhis() {
  for (PendingPhi &P : PendingPhis) {
    Lane = P.Lane;
    for (unsigned K = 0; K < P.Orig->getNumIncomingValues(); ++K)
      P.Shadow->addIncoming(shadowOrSelf(P.Orig->getIncomingValue(K), P.Orig->getType()),
                            clonedExit(P.Orig->getIncomingBlock(K)));
  }
  Lane = 0;
}

// Which operands of I carry data (and so are replaced by their shadows when mirroring).
static bool isDataOperand(const Instruction &I, unsigned K, const ActivityInfo &AI) {
  switch (I.getOpcode()) {
  case Instruction::GetElementPtr:
    return K == 0;
  case Instruction::Select:
    return K != 0;
  case Instruction::ExtractElement:
    return K == 0;
  case Instruction::InsertElement:
    return K != 2;
  case Instruction::Add:
  case Instruction::Sub:
  case Instruction::And:
  case Instruction::Or:
  case Instruction::Xor:
    return AI.isAddrInt(I.getOperand(K));
  default:
    return true;
  }
}

Value *ForwardSweep::mirror(Instruction &I) {
  auto *P = cast<Instruction>(primal(&I));
  Instruction *S = P->clone();
  if (!S->getType()->isVoidTy())
    S->setName(I.getName() + "'");
  if (auto *Phi = dyn_cast<PHINode>(S)) {
    // incoming values are filled once every block is done
    while (Phi->getNumIncomingValues())
      Phi->removeIncomingValue(Phi->getNumIncomingValues() - 1, false);
    Phi->insertBefore(P->getParent()->getFirstNonPHIIt());
    PendingPhis.push_back({cast<PHINode>(&I), Phi, Lane});
    return Phi;
  }
  for (unsigned K = 0; K < I.getNumOperands(); ++K)
    if (isDataOperand(I, K, AI))
      S->setOperand(K, shadowOrSelf(I.getOperand(K), I.getOperand(K)->getType()));
  S->insertAfter(P->getIterator());
  // runtime activity: through a pointer whose shadow may be the primal itself, tangents read 0 and the
  // shadow store rewrites the primal value (so primal memory keeps the primal)
  auto Guard = [&](Value *Ptr) {
    IRBuilder<> B(S->getNextNode());
    return B.CreateICmpEQ(shadowOf(Ptr), primal(Ptr), "shadow.is.primal");
  };
  if (auto *L = dyn_cast<LoadInst>(&I); L && AI.maybeInactive(L->getPointerOperand()) && !L->getType()->isPtrOrPtrVectorTy()) {
    IRBuilder<> B(S->getNextNode());
    Value *Inactive = Guard(L->getPointerOperand());
    Value *Sel = B.CreateSelect(Inactive, Constant::getNullValue(S->getType()), S);
    return Sel;
  }
  if (auto *St = dyn_cast<StoreInst>(&I); St && AI.maybeInactive(St->getPointerOperand())) {
    IRBuilder<> B(S);
    Value *Inactive = B.CreateICmpEQ(shadowOf(St->getPointerOperand()), primal(St->getPointerOperand()));
    S->setOperand(0, B.CreateSelect(Inactive, primal(St->getValueOperand()), S->getOperand(0)));
  }
  return S;
}

Value *ForwardSweep::shadowAllocation(CallBase &CB, IRBuilder<> &B) {
  Function *Callee = calledFunction(CB);
  StringRef N = Callee->getName();
  Type *Ptr = CB.getType(), *I64 = B.getInt64Ty();
  auto Arg = [&](unsigned K) { return B.CreateZExtOrTrunc(primal(CB.getArgOperand(K)), I64); };
  if (N == "calloc")
    return callLibc(B, "calloc", Ptr, {Arg(0), Arg(1)});
  if (N == "realloc") {
    // new zeroed shadow; the old shadow's contents (pointers, adjoints of the kept prefix) are carried over
    Value *OldShadow = shadowOf(CB.getArgOperand(0), Ptr);
    Value *NewSize = Arg(1);
    Value *NewShadow = callLibc(B, "calloc", Ptr, {NewSize, B.getInt64(1)});
    Value *OldSize = callLibc(B, "malloc_usable_size", I64, {OldShadow});
    Value *Keep = B.CreateSelect(B.CreateICmpULT(OldSize, NewSize), OldSize, NewSize);
    B.CreateMemCpy(NewShadow, MaybeAlign(), OldShadow, MaybeAlign(), Keep);
    return NewShadow;
  }
  if (N == "aligned_alloc") {
    Value *S = callLibc(B, "aligned_alloc", Ptr, {Arg(0), Arg(1)});
    B.CreateMemSet(S, B.getInt8(0), Arg(1), MaybeAlign());
    return S;
  }
  // malloc, operator new
  return callLibc(B, "calloc", Ptr, {Arg(0), B.getInt64(1)});
}

// P points into the data block of a varsize MemInfo made in its function (a numba list's payload). Forward mode
// copies the integers stored there (the list's counts) into the shadow block, so that the shadow's destructor
// releases as many items (tangents of arrays) as the primal's. (In reverse mode they stay zero, so the
// destructor releases none: reverse mode does not mirror reference counts.)
static bool inVarsizeBlock(const Value *P) {
  auto *L = dyn_cast<LoadInst>(getUnderlyingObject(P));
  if (!L)
    return false;
  auto *CB = dyn_cast<CallBase>(getUnderlyingObject(L->getPointerOperand()));
  return CB && classifyCall(*CB) == CallKind::NrtAlloc && calledFunction(*CB)->getName().contains("_varsize");
}

Value *ForwardSweep::resizeShadowBlock(CallBase &CB, IRBuilder<> &B) {
  Value *SMI = shadowOf(CB.getArgOperand(0));
  Type *Ptr = B.getPtrTy(), *I64 = B.getInt64Ty();
  Value *Old = B.CreateAlignedLoad(Ptr, B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), SMI, NrtDataOffset), Align(8),
                                   "shadow.block.old");
  Value *OldSize = B.CreateAlignedLoad(I64, B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), SMI, NrtSizeOffset),
                                       Align(8), "shadow.size.old");
  ResizedFrom[{&CB, Lane}] = {Old, OldSize};
  Value *Size = B.CreateZExtOrTrunc(primal(CB.getArgOperand(1)), I64);
  // forward mode frees the old block now; reverse mode keeps it for the reverse sweep (which frees the new one)
  return B.CreateCall(nrtResizeShadowFn(*NF->getParent()), {SMI, Old, OldSize, Size, B.getInt1(Tangents)},
                      CB.getName() + "'");
}

Value *ForwardSweep::shadowAlloca(AllocaInst &A, bool HeapShadow) {
  auto *P = cast<AllocaInst>(primal(&A));
  bool Static = A.isStaticAlloca() && A.getParent() == &F.getEntryBlock();
  IRBuilder<> B(NF->getContext());
  if (Static)
    B.SetInsertPoint(Prologue->getTerminator());
  else
    B.SetInsertPoint(P->getNextNode());
  Value *Count = Static ? A.getArraySize() : primal(A.getArraySize());
  Value *Bytes = B.CreateMul(B.CreateZExtOrTrunc(Count, B.getInt64Ty()),
                             B.getInt64(DL.getTypeAllocSize(A.getAllocatedType()).getFixedValue()));
  if (HeapShadow)
    return callLibc(B, "calloc", P->getType(), {Bytes, B.getInt64(1)});
  AllocaInst *S = B.CreateAlloca(A.getAllocatedType(), A.getAddressSpace(), Count, A.getName() + "'");
  S->setAlignment(A.getAlign());
  B.CreateMemSet(S, B.getInt8(0), Bytes, A.getAlign());
  return S;
}

void ForwardSweep::visit(Instruction &I) {
  if (auto *CB = dyn_cast<CallBase>(&I)) {
    // a differentiated call serves every lane at once (lane 0 made it)
    if (Lane > 0 && (classifyCall(*CB) == CallKind::Defined || classifyCall(*CB) == CallKind::Custom))
      return;
    visitCall(*CB, cast<Instruction>(primal(&I)));
    return;
  }
  if (auto *A = dyn_cast<AllocaInst>(&I)) {
    shadows()[&I] = shadowAlloca(*A, false);
    return;
  }
  if (auto *RMW = dyn_cast<AtomicRMWInst>(&I); RMW && Tangents && tape::exchangesParkedSlot(*RMW)) {
    // a derivative's tape (forward over reverse): the buffer it takes from its slot gets a zeroed shadow, which
    // is freed where the buffer is parked again (reverse over reverse is refused in checkSupported)
    IRBuilder<> B(cast<Instruction>(primal(&I))->getNextNode());
    auto AsPointer = [&](Value *V) { return V->getType()->isPointerTy() ? V : B.CreateIntToPtr(V, B.getPtrTy()); };
    if (tape::takesParkedBuffer(*RMW)) {
      Value *S = B.CreateCall(tape::shadowOfParkedFn(*NF->getParent()), {AsPointer(primal(&I))}, "tape.parked'");
      shadows()[&I] = I.getType()->isPointerTy() ? S : B.CreatePtrToInt(S, I.getType());
    } else if (AI.varied(RMW->getValOperand())) {
      callLibc(B, "free", B.getVoidTy(), {AsPointer(shadowOf(RMW->getValOperand()))});
    }
    return;
  }
  if (auto *RMW = dyn_cast<AtomicRMWInst>(&I)) { // forward mode: the tangent is added atomically too
    if (Tangents && AI.varied(RMW->getPointerOperand()) && containsFloat(RMW->getType())) {
      Value *S = mirror(I);
      if (AI.varied(&I))
        shadows()[&I] = S;
    }
    return;
  }
  if (auto *S = dyn_cast<StoreInst>(&I)) {
    if (!AI.varied(S->getPointerOperand()))
      return;
    Value *V = S->getValueOperand();
    if (Tangents && V->getType()->isIntegerTy() && !AI.varied(V) && inVarsizeBlock(S->getPointerOperand())) {
      IRBuilder<> B(cast<Instruction>(primal(&I))->getNextNode());
      B.CreateAlignedStore(primal(V), shadowOf(S->getPointerOperand()), S->getAlign());
      return;
    }
    if (Tangents || AI.hasShadow(V) ||
        (!AI.hasDerivative(V) && containsPointer(V->getType())))
      mirror(I);
    return;
  }
  if (hasShadowValue(&I))
    shadows()[&I] = mirror(I);
}

void ForwardSweep::visitCall(CallBase &CB, Instruction *P) {
  IRBuilder<> B(P->getNextNode());
  switch (classifyCall(CB)) {
  case CallKind::Alloc:
    shadows()[&CB] = shadowAllocation(CB, B);
    return;
  case CallKind::MemTransfer: {
    Value *Dst = CB.getArgOperand(0), *Src = CB.getArgOperand(1);
    if (!AI.varied(Dst) || !(Tangents || holdsPointers(Dst) || holdsPointers(Src)))
      return;
    Value *N = primal(CB.getArgOperand(2));
    Value *Zero = ConstantInt::get(N->getType(), 0);
    // runtime activity: an inactive destination is left alone; an inactive source copies zeros
    if (AI.maybeInactive(Dst))
      N = B.CreateSelect(B.CreateICmpEQ(shadowOf(Dst), primal(Dst)), Zero, N);
    if (AI.varied(Src)) {
      Value *Copy = N, *Clear = Zero;
      if (AI.maybeInactive(Src)) {
        Value *SrcInactive = B.CreateICmpEQ(shadowOf(Src), primal(Src));
        Copy = B.CreateSelect(SrcInactive, Zero, N);
        Clear = B.CreateSelect(SrcInactive, N, Zero);
      }
      B.CreateMemMove(shadowOf(Dst), MaybeAlign(), shadowOf(Src), MaybeAlign(), Copy);
      if (Tangents && Clear != Zero)
        B.CreateMemSet(shadowOf(Dst), B.getInt8(0), Clear, MaybeAlign());
    } else if (Tangents) {
      B.CreateMemSet(shadowOf(Dst), B.getInt8(0), N, MaybeAlign());
    }
    return;
  }
  case CallKind::NrtAlloc: {
    // a second MemInfo of the same size, zeroed. Forward mode mirrors the primal's reference counting on it.
    // Reverse mode does not: the shadow holds its one reference until the reverse sweep has passed the
    // allocation (__enzpy_nrt_release), whatever the primal did with the primal (so shadows stored in a list
    // need nothing from the list's destructor)
    auto *S = cast<CallInst>(P->clone());
    S->setName(CB.getName() + "'");
    B.Insert(S);
    Value *Data = B.CreateAlignedLoad(B.getPtrTy(), B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), S, NrtDataOffset),
                                      Align(8));
    B.CreateMemSet(Data, B.getInt8(0), B.CreateZExtOrTrunc(primal(CB.getArgOperand(0)), B.getInt64Ty()),
                   MaybeAlign());
    shadows()[&CB] = S;
    return;
  }
  case CallKind::NrtResize:
    if (AI.varied(CB.getArgOperand(0)))
      shadows()[&CB] = resizeShadowBlock(CB, B);
    return;
  case CallKind::MaskedMem: {
    // load/gather(ptr, mask, passthru) and store/scatter(value, ptr, mask): the same on the shadows
    bool IsLoad = !CB.getType()->isVoidTy();
    Value *Ptr = CB.getArgOperand(IsLoad ? 0 : 1);
    if (!AI.varied(Ptr) || (IsLoad && !hasShadowValue(&CB)) || (!IsLoad && !Tangents &&
                                                               !AI.hasShadow(CB.getArgOperand(0))))
      return;
    auto *S = cast<CallInst>(P->clone());
    S->setArgOperand(IsLoad ? 0 : 1, shadowOf(Ptr));
    unsigned DataArg = IsLoad ? 2 : 0;
    S->setArgOperand(DataArg, shadowOf(CB.getArgOperand(DataArg)));
    B.Insert(S);
    if (IsLoad)
      shadows()[&CB] = S;
    return;
  }
  case CallKind::NrtRefcount: // forward mode only (see NrtAlloc)
    if (Tangents && AI.varied(CB.getArgOperand(0))) {
      Value *MI = CB.getArgOperand(0), *S = shadowOf(MI);
      if (AI.maybeInactive(MI)) // shadow == primal (a constant MemInfo merged in): its count is the primal's
        S = B.CreateSelect(B.CreateICmpEQ(S, primal(MI)), Constant::getNullValue(S->getType()), S);
      B.CreateCall(CB.getFunctionType(), CB.getCalledOperand(), {S}); // NRT_incref/decref ignore null
    }
    return;
  case CallKind::MemSet:
    if (Tangents && AI.varied(CB.getArgOperand(0))) {
      Value *Dst = CB.getArgOperand(0), *N = primal(CB.getArgOperand(2));
      if (AI.maybeInactive(Dst))
        N = B.CreateSelect(B.CreateICmpEQ(shadowOf(Dst), primal(Dst)), ConstantInt::get(N->getType(), 0), N);
      B.CreateMemSet(shadowOf(Dst), B.getInt8(0), N, MaybeAlign());
    }
    return;
  default:
    return;
  }
}

} // namespace enzpy
