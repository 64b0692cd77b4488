#include "analysis/Activity.h"
#include "rules/Rules.h"
#include "ad/Blas.h"
#include "ad/SharedMemory.h"
#include "ad/Tape.h"
#include "analysis/CustomRules.h"

namespace enzpy {

bool ActivityInfo::hasShadow(const Value *V) const {
  return Varied.count(V) && (containsPointer(V->getType()) || AddrInts.count(V));
}

bool ActivityInfo::hasDerivative(const Value *V) const {
  return Varied.count(V) && (containsFloat(V->getType()) || FloatBits.count(V));
}

static bool inList(StringRef N, std::initializer_list<const char *> L) {
  for (const char *S : L)
    if (N == S)
      return true;
  return false;
}

CallKind classifyCall(const CallBase &CB) {
  Function *F = calledFunction(CB);
  if (!F)
    return CallKind::UnknownExtern;
  if (const CustomRule *R = customRuleFor(*F))
    return R->Inactive ? CallKind::InactiveExtern : CallKind::Custom;
  if (F->isIntrinsic()) {
    StringRef IN = F->getName();
    if (IN.starts_with("llvm.nvvm.barrier") || IN.starts_with("llvm.nvvm.bar."))
      return CallKind::Barrier;
    switch (F->getIntrinsicID()) {
    case Intrinsic::memcpy:
    case Intrinsic::memcpy_inline:
    case Intrinsic::memmove:
      return CallKind::MemTransfer;
    case Intrinsic::memset:
    case Intrinsic::memset_inline:
      return CallKind::MemSet;
    case Intrinsic::masked_load:
    case Intrinsic::masked_store:
    case Intrinsic::masked_gather:
    case Intrinsic::masked_scatter:
      return CallKind::MaskedMem;
    default:
      break;
    }
    if (ruleForCall(CB))
      return CallKind::Rule;
    bool Floats = containsFloat(CB.getType());
    for (const Use &U : CB.args())
      Floats |= containsFloat(U->getType());
    return Floats ? CallKind::UnknownExtern : CallKind::Ignored;
  }
  StringRef N = F->getName();
  if (N == "NRT_incref" || N == "NRT_decref")
    return CallKind::NrtRefcount;
  if (!F->isDeclaration())
    return CallKind::Defined;
  if (isNumbaBlas(CB))
    return CallKind::Blas;
  if (inList(N, {"malloc", "calloc", "realloc", "_Znwm", "_Znam", "aligned_alloc"}))
    return CallKind::Alloc;
  if (inList(N, {"NRT_MemInfo_alloc_aligned", "NRT_MemInfo_alloc_safe_aligned", "NRT_MemInfo_alloc",
                 "NRT_MemInfo_alloc_safe", "NRT_MemInfo_new_varsize", "NRT_MemInfo_new_varsize_dtor"}))
    return CallKind::NrtAlloc;
  if (N == "NRT_MemInfo_varsize_realloc")
    return CallKind::NrtResize;
  if (inList(N, {"NRT_Allocate", "NRT_Allocate_External"}))
    return CallKind::Alloc;
  if (N == "NRT_Free")
    return CallKind::Free;
  if (inList(N, {"NRT_incref", "NRT_decref"}))
    return CallKind::NrtRefcount;
  if (inList(N, {"free", "_ZdlPv", "_ZdaPv", "_ZdlPvm", "_ZdaPvm"}))
    return CallKind::Free;
  if (inList(N, {"memcpy", "memmove"}))
    return CallKind::MemTransfer;
  if (N == "memset")
    return CallKind::MemSet;
  if (ruleForCall(CB))
    return CallKind::Rule;
  if (inList(N, {"printf", "fprintf", "puts", "putchar", "fputs", "fputc", "fflush", "fwrite", "exit", "abort",
                 "__assert_fail", "rand", "srand", "time", "clock", "malloc_usable_size", "perror", "strlen",
                 "strcmp", "snprintf", "sprintf", "__stack_chk_fail", "clock_gettime", "getenv",
                 "NRT_MemInfo_call_dtor", "numba_gil_ensure", "numba_gil_release",
                 "numba_attempt_nocopy_reshape"}) ||
      N.starts_with("Py"))
    return CallKind::InactiveExtern;
  return CallKind::UnknownExtern;
}

namespace {

// Stack slots of narrow integers (flags, GIL states, counters) never hold floats or pointers.
bool mayHoldDerivatives(Type *T) {
  if (auto *IT = dyn_cast<IntegerType>(T))
    return IT->getBitWidth() >= 32;
  if (auto *AT = dyn_cast<ArrayType>(T)) // byte buffers ([N x i8]) hold anything
    return AT->getElementType()->isIntegerTy(8) || mayHoldDerivatives(AT->getElementType());
  if (auto *ST = dyn_cast<StructType>(T))
    return any_of(ST->elements(), [](Type *E) { return mayHoldDerivatives(E); });
  return true;
}

bool isIntAddrArith(const Instruction &I) {
  switch (I.getOpcode()) {
  case Instruction::Add:
  case Instruction::Sub:
  case Instruction::And:
  case Instruction::Or:
  case Instruction::Xor:
    return true;
  default:
    return false;
  }
}

class Analysis {
public:
  Analysis(Function &F, ArrayRef<bool> ArgVaried, bool CallerShadows) : F(F), CallerShadows(CallerShadows) {
    for (Argument &A : F.args())
      if (A.getArgNo() < ArgVaried.size() && ArgVaried[A.getArgNo()]) {
        R.Varied.insert(&A);
        if (A.getType()->isIntegerTy())
          R.AddrInts.insert(&A);
      }
    // GPU shared-memory arrays that may hold derivatives have shadows (ad/SharedMemory.cpp)
    for (BasicBlock &BB : F)
      for (Instruction &I : BB)
        for (const Use &U : I.operands())
          if (isSharedMemory(U.get()) && mayHoldDerivatives(cast<GlobalVariable>(U.get())->getValueType()))
            R.Varied.insert(U.get());
    findAddressUses();
  }

  ActivityInfo run() {
    findEscapedObjects();
    bool Changed = true;
    while (Changed) {
      Changed = false;
      for (BasicBlock &BB : F)
        for (Instruction &I : BB) {
          if (auto *S = dyn_cast<StoreInst>(&I))
            Changed |= noteStore(*S);
          if (!R.Varied.count(&I) && visit(I)) {
            R.Varied.insert(&I);
            Changed = true;
          }
        }
    }
    findMaybeInactive();
    return std::move(R);
  }

  // a constant (non-null) pointer where shadows are expected
  bool constantPointer(const Value *V) const {
    return V->getType()->isPtrOrPtrVectorTy() && !v(V) && !isa<ConstantPointerNull>(V) && !isa<UndefValue>(V);
  }

  void findMaybeInactive() {
    // slots (object, offset) that received a constant pointer (or a value carrying one): filled as we go
    DenseMap<const Value *, SmallVector<int64_t, 4>> ConstantSlots;
    auto NoteStores = [&] {
      bool Changed = false;
      for (BasicBlock &BB : F)
        for (Instruction &I : BB)
          if (auto *S = dyn_cast<StoreInst>(&I)) {
            Value *V = S->getValueOperand();
            if (!v(S->getPointerOperand()) || !(constantPointer(V) || R.MaybeInactive.count(V)))
              continue;
            auto [Obj, Off] = slotOf(S->getPointerOperand());
            if (V->getType()->isAggregateType())
              Off = -1;
            auto &Offs = ConstantSlots[Obj];
            if (!is_contained(Offs, Off)) {
              Offs.push_back(Off);
              Changed = true;
            }
          }
      return Changed;
    };
    NoteStores();
    auto Addressy = [&](const Instruction &I) { return containsPointer(I.getType()) || R.AddrInts.count(&I); };
    auto Seed = [&](Instruction &I) {
      if (!v(&I) || !Addressy(I))
        return false;
      if (auto *L = dyn_cast<LoadInst>(&I)) {
        auto [Obj, Off] = slotOf(L->getPointerOperand());
        if (CallerShadows && isa<Argument>(Obj))
          return true;
        auto It = ConstantSlots.find(Obj);
        return It != ConstantSlots.end() &&
               any_of(It->second, [&](int64_t O) { return O == -1 || Off == -1 || O == Off; });
      }
      if (auto *Phi = dyn_cast<PHINode>(&I))
        return any_of(Phi->incoming_values(), [&](const Use &U) { return constantPointer(U.get()); });
      if (auto *Sel = dyn_cast<SelectInst>(&I))
        return constantPointer(Sel->getTrueValue()) || constantPointer(Sel->getFalseValue());
      if (auto *IV = dyn_cast<InsertValueInst>(&I))
        return constantPointer(IV->getInsertedValueOperand());
      return false;
    };
    bool Changed = true;
    while (Changed) {
      Changed = false;
      for (BasicBlock &BB : F)
        for (Instruction &I : BB) {
          if (R.MaybeInactive.count(&I) || !v(&I) || !Addressy(I))
            continue;
          bool From = Seed(I);
          if (!From && (isa<GetElementPtrInst>(I) || isa<CastInst>(I) || isa<PHINode>(I) || isa<SelectInst>(I) ||
                        isa<BinaryOperator>(I) || isa<FreezeInst>(I) || isa<ExtractValueInst>(I) ||
                        isa<InsertValueInst>(I) || isa<ExtractElementInst>(I) || isa<InsertElementInst>(I)))
            From = any_of(I.operands(), [&](const Use &U) { return R.MaybeInactive.count(U.get()); });
          if (From) {
            R.MaybeInactive.insert(&I);
            Changed = true;
          }
        }
      Changed |= NoteStores();
    }
  }

private:
  Function &F;
  bool CallerShadows;
  ActivityInfo R;
  DenseSet<const Value *> UsedAsAddress;
  // Pointers in fresh memory (stack slots, allocations), tracked per (object, byte offset; -1: unknown): a
  // pointer loaded back is varied only if a varied pointer was stored there. A constant array's data pointer
  // kept in a stack slot (numba's array structs) so stays without a shadow.
  DenseMap<const Value *, SmallVector<int64_t, 4>> VariedPointerSlots;
  DenseSet<const Value *> Escaped; ///< fresh objects whose contents we cannot follow

  // memory whose pointer contents come only from F's own stores (numba's MemInfos are not: the runtime
  // stores their data pointer)
  static bool isFresh(const Value *O) {
    if (isa<AllocaInst>(O))
      return true;
    if (auto *CB = dyn_cast<CallBase>(O))
      return classifyCall(*CB) == CallKind::Alloc;
    return false;
  }

  std::pair<const Value *, int64_t> slotOf(const Value *Ptr) const {
    const DataLayout &DL = F.getParent()->getDataLayout();
    APInt Off(DL.getIndexTypeSizeInBits(Ptr->getType()), 0);
    const Value *Base = Ptr->stripAndAccumulateConstantOffsets(DL, Off, true);
    const Value *Obj = getUnderlyingObject(Base);
    return {Obj, Obj == Base ? Off.getSExtValue() : -1};
  }

  void findEscapedObjects() {
    for (BasicBlock &BB : F)
      for (Instruction &I : BB) {
        if (auto *S = dyn_cast<StoreInst>(&I)) {
          if (S->getValueOperand()->getType()->isPointerTy()) // the object's address is stored somewhere
            Escaped.insert(getUnderlyingObject(S->getValueOperand()));
        } else if (auto *CB = dyn_cast<CallBase>(&I)) {
          CallKind K = classifyCall(*CB);
          // these never store pointers into memory they are given
          if (K == CallKind::Ignored || K == CallKind::Rule || K == CallKind::Free || K == CallKind::NrtRefcount ||
              K == CallKind::InactiveExtern || K == CallKind::MemSet || K == CallKind::Blas ||
              K == CallKind::Barrier)
            continue;
          for (const Use &U : CB->args())
            if (U->getType()->isPtrOrPtrVectorTy())
              Escaped.insert(getUnderlyingObject(U.get()));
        } else if (isa<PtrToIntInst>(I)) {
          Escaped.insert(getUnderlyingObject(I.getOperand(0)));
        }
      }
  }

  bool noteStore(StoreInst &S) {
    Value *V = S.getValueOperand();
    if (!containsPointer(V->getType()) && !R.AddrInts.count(V))
      return false;
    if (!v(V))
      return false;
    auto [Obj, Off] = slotOf(S.getPointerOperand());
    if (V->getType()->isAggregateType())
      Off = -1;
    auto &Offs = VariedPointerSlots[Obj];
    if (is_contained(Offs, Off))
      return false;
    Offs.push_back(Off);
    return true;
  }

  // may the pointer loaded through Ptr have a shadow?
  bool loadsVariedPointer(const Value *Ptr) const {
    auto [Obj, Off] = slotOf(Ptr);
    if (!isFresh(Obj) || Escaped.count(Obj))
      return true; // memory we do not follow: the caller's shadow structure
    auto It = VariedPointerSlots.find(Obj);
    if (It == VariedPointerSlots.end())
      return false;
    return any_of(It->second, [&](int64_t O) { return O == -1 || Off == -1 || O == Off; });
  }

  bool v(const Value *X) const { return R.Varied.count(X); }
  bool addr(const Value *X) const { return R.AddrInts.count(X); }
  bool bits(const Value *X) const { return R.FloatBits.count(X); }

  // Integers that flow (through integer arithmetic, phis and selects) into inttoptr.
  void findAddressUses() {
    SmallVector<const Value *, 16> Work;
    for (BasicBlock &BB : F)
      for (Instruction &I : BB)
        if (isa<IntToPtrInst>(I))
          Work.push_back(I.getOperand(0));
    while (!Work.empty()) {
      const Value *X = Work.pop_back_val();
      if (!UsedAsAddress.insert(X).second)
        continue;
      if (auto *I = dyn_cast<Instruction>(X)) {
        if (isIntAddrArith(*I) || isa<PHINode>(I))
          for (const Use &U : I->operands())
            Work.push_back(U.get());
        else if (auto *S = dyn_cast<SelectInst>(I))
          Work.push_back(S->getTrueValue()), Work.push_back(S->getFalseValue());
      }
    }
  }

  // An integer whose every (transitive) use just moves its bits: a float copied through memory as an integer.
  bool onlyMovesBits(const Instruction &I) {
    SmallVector<const Value *, 8> Work{&I};
    DenseSet<const Value *> Seen;
    while (!Work.empty()) {
      const Value *X = Work.pop_back_val();
      if (!Seen.insert(X).second)
        continue;
      for (const User *U : X->users()) {
        if (auto *S = dyn_cast<StoreInst>(U)) {
          if (S->getValueOperand() != X)
            return false;
        } else if (isa<PHINode>(U) || isa<SelectInst>(U)) {
          if (auto *S = dyn_cast<SelectInst>(U); S && S->getCondition() == X)
            return false;
          Work.push_back(U);
        } else if (auto *BC = dyn_cast<BitCastInst>(U)) {
          if (!isFloatLike(BC->getType()))
            return false;
        } else {
          return false;
        }
      }
    }
    return true;
  }

  // An integer result: mark it as an address or as float bits. Returns whether it is varied.
  bool classifyInt(const Instruction &I, bool FromVariedMemory) {
    if (UsedAsAddress.count(&I)) {
      R.AddrInts.insert(&I);
      return true;
    }
    if (FromVariedMemory && floatTypeForInt(I.getType()) && onlyMovesBits(I)) {
      R.FloatBits.insert(&I);
      return true;
    }
    return false;
  }

  bool visit(Instruction &I) {
    Type *T = I.getType();
    switch (I.getOpcode()) {
    case Instruction::Alloca:
      return mayHoldDerivatives(cast<AllocaInst>(I).getAllocatedType());
    case Instruction::Load: {
      const Value *Ptr = cast<LoadInst>(I).getPointerOperand();
      if (!v(Ptr))
        return false;
      if (containsFloat(T))
        return true;
      if (containsPointer(T) || (T->isIntOrIntVectorTy() && UsedAsAddress.count(&I)))
        if (!loadsVariedPointer(Ptr))
          return false;
      if (containsPointer(T))
        return true;
      return T->isIntOrIntVectorTy() && classifyInt(I, true);
    }
    case Instruction::GetElementPtr:
      return v(I.getOperand(0));
    case Instruction::BitCast: {
      Value *Op = I.getOperand(0);
      if (T->isIntOrIntVectorTy()) { // float -> int bits
        if (v(Op) && isFloatLike(Op->getType())) {
          R.FloatBits.insert(&I);
          return true;
        }
        return false;
      }
      if (isFloatLike(T) && Op->getType()->isIntOrIntVectorTy())
        return bits(Op);
      return v(Op);
    }
    case Instruction::AddrSpaceCast:
    case Instruction::FPExt:
    case Instruction::FPTrunc:
      return v(I.getOperand(0));
    case Instruction::Freeze:
      return mergeOf(I, {I.getOperand(0)});
    case Instruction::PtrToInt:
      if (v(I.getOperand(0))) {
        R.AddrInts.insert(&I);
        return true;
      }
      return false;
    case Instruction::IntToPtr:
      return addr(I.getOperand(0));
    case Instruction::Add:
    case Instruction::And:
    case Instruction::Or:
    case Instruction::Xor:
    case Instruction::Shl:
    case Instruction::Mul:
      if (addr(I.getOperand(0)) != addr(I.getOperand(1)) && I.getOpcode() != Instruction::Shl &&
          I.getOpcode() != Instruction::Mul) {
        R.AddrInts.insert(&I);
        return true;
      }
      return false;
    case Instruction::Sub:
      if (addr(I.getOperand(0)) && !addr(I.getOperand(1))) {
        R.AddrInts.insert(&I);
        return true;
      }
      return false;
    case Instruction::FAdd:
    case Instruction::FSub:
    case Instruction::FMul:
    case Instruction::FDiv:
    case Instruction::FRem:
    case Instruction::FNeg:
      return any_of(I.operands(), [&](const Use &U) { return v(U.get()); });
    case Instruction::Select: {
      Value *A = I.getOperand(1), *B = I.getOperand(2);
      return mergeOf(I, {A, B});
    }
    case Instruction::PHI: {
      SmallVector<Value *, 4> In(cast<PHINode>(I).incoming_values());
      return mergeOf(I, In);
    }
    case Instruction::ExtractValue:
      return v(I.getOperand(0)) && (containsFloat(T) || containsPointer(T));
    case Instruction::InsertValue:
      return v(I.getOperand(0)) || v(I.getOperand(1));
    case Instruction::ExtractElement:
      return v(I.getOperand(0));
    case Instruction::InsertElement:
      return v(I.getOperand(0)) || v(I.getOperand(1));
    case Instruction::ShuffleVector:
      return v(I.getOperand(0)) || v(I.getOperand(1));
    case Instruction::Call:
    case Instruction::Invoke:
      return visitCall(cast<CallBase>(I));
    case Instruction::AtomicRMW: // atomic fadd returns the old value; a tape buffer taken from its slot is fresh
      if (tape::takesParkedBuffer(cast<AtomicRMWInst>(I))) {
        if (T->isIntegerTy())
          R.AddrInts.insert(&I);
        return true;
      }
      return containsFloat(T) && (v(I.getOperand(0)) || v(I.getOperand(1)));
    default:
      return false;
    }
  }

  // phi/select: varied if any input is; integers keep the input's class.
  bool mergeOf(Instruction &I, ArrayRef<Value *> Ins) {
    bool Any = false, Addr = false, Bits = false;
    for (Value *X : Ins) {
      Any |= v(X);
      Addr |= addr(X);
      Bits |= bits(X);
    }
    if (!Any)
      return false;
    if (I.getType()->isIntOrIntVectorTy()) {
      if (Addr)
        R.AddrInts.insert(&I);
      else if (Bits)
        R.FloatBits.insert(&I);
      else
        return false;
    }
    return true;
  }

  bool visitCall(CallBase &CB) {
    Type *T = CB.getType();
    bool AnyArg = any_of(CB.args(), [&](const Use &U) { return v(U.get()); });
    switch (classifyCall(CB)) {
    case CallKind::Rule:
      return AnyArg && !ruleForCall(CB)->ZeroDerivative;
    case CallKind::Defined:
    case CallKind::Custom:
      return AnyArg && (containsFloat(T) || containsPointer(T));
    case CallKind::Alloc:
    case CallKind::NrtAlloc:
      return true;
    case CallKind::NrtResize: // the new data block of a MemInfo that holds derivatives
      return AnyArg;
    case CallKind::MaskedMem: // loads: like a load through the pointer operand
      return !T->isVoidTy() && v(CB.getArgOperand(0)) && (containsFloat(T) || containsPointer(T));
    default:
      return false;
    }
  }
};

} // namespace

static thread_local std::vector<std::string> *CurrentNotes = nullptr;

NotesScope::NotesScope(std::vector<std::string> *Notes) : Saved(CurrentNotes) { CurrentNotes = Notes; }
NotesScope::~NotesScope() { CurrentNotes = Saved; }

void noteAssumptions(const Function &F, const ActivityInfo &AI) {
  StringRef Name = F.getName();
  Name.consume_front("enzpy.prep."); // (a prepared clone)
  if (!CurrentNotes || Name.starts_with("__enzpy_")) // enzpy's own derivatives and helpers are not the user's code
    return;
  auto Add = [&](std::string Line) {
    if (std::find(CurrentNotes->begin(), CurrentNotes->end(), Line) == CurrentNotes->end())
      CurrentNotes->push_back(std::move(Line));
  };
  for (const BasicBlock &BB : F)
    for (const Instruction &I : BB) {
      if (AI.MaybeInactive.count(&I))
        Add("runtime activity: whether this pointer has a derivative is decided at run time (its accesses "
            "are guarded): " + describe(&I));
    }
}

ActivityInfo analyzeActivity(Function &F, ArrayRef<bool> ArgVaried, bool CallerShadows) {
  return Analysis(F, ArgVaried, CallerShadows).run();
}

} // namespace enzpy
