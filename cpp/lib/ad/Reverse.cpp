// Reverse mode. The forward sweep (primal clone + pointer shadows) runs first; the reverse sweep walks the
// executed path backwards:
//  - every original block B gets a reverse block rev(B) that undoes B's instructions in reverse order;
//  - control flow: a block with several predecessors records, in the forward sweep, which one it came from
//    (an i32 on the tape); rev(B) pops it and continues in rev(pred). Single-predecessor blocks need nothing;
//    nor does a join whose predecessors the branches that lead to them tell apart: rev(B) branches on those
//    conditions, looked up like values (predecessorTests);
//  - values rev(B) needs are pushed on the tape at the end of B and popped at the start of rev(B), once per
//    execution of B (so loops cache per iteration), except, in the combined form, values of blocks that run
//    at most once and dominate the return: those are used directly;
//  - adjoints of SSA values live in stack slots (promoted to registers by the optimizer); shadow memory
//    accumulates adjoints: the reverse of a load adds to the shadow, the reverse of a store reads and zeroes it.
#include "ad/Generators.h"
#include "ad/Blas.h"
#include "ad/Increments.h"
#include "ad/LoopCounters.h"
#include "ad/Runtime.h"
#include "ad/Tape.h"
#include "rules/Rules.h"
#include "llvm/ADT/SCCIterator.h"
#include "llvm/Analysis/CFG.h"
#include "llvm/IR/Dominators.h"
#include "llvm/Transforms/Utils/Local.h"

namespace enzpy {
namespace {

// the types of the values of (value, placeholder) pairs: what a tape record holds, for tape::layout
template <typename Pairs> SmallVector<Type *, 8> valueTypes(const Pairs &Fields) {
  SmallVector<Type *, 8> Types;
  for (const auto &Field : Fields)
    Types.push_back(Field.first->getType());
  return Types;
}

// The forward sweep of reverse mode: pointer shadows, allocation shadows, augmented calls.
class AugSweep : public ForwardSweep {
public:
  AugSweep(Function &F, const ActivityInfo &AI, const Config &C, Function *NF, bool Combined)
      : ForwardSweep(F, AI, C, NF, false), Combined(Combined) {}
  Value *Tape = nullptr;
  bool Combined;
  DenseSet<const AllocaInst *> HeapShadows;
  DenseMap<CallLane, SmallVector<Value *, 4>> BlasSaved; ///< what BLAS reverses need, per call and lane
  DenseMap<CallLane, Value *> CustomTape; ///< the tape a custom augmented rule returned, per call and lane
  BasicBlock *prologue() const { return Prologue; }

protected:
  void visit(Instruction &I) override {
    if (auto *A = dyn_cast<AllocaInst>(&I)) {
      // split mode: the shadow outlives the augmented call; a dynamic alloca (C's variable-length arrays): its
      // stack is given back by llvm.stackrestore before the reverse sweep adds adjoints into the shadow
      bool Heap = !Combined || !A->isStaticAlloca();
      if (Heap)
        HeapShadows.insert(A);
      shadows()[&I] = shadowAlloca(*A, Heap);
      return;
    }
    ForwardSweep::visit(I);
  }

  void visitCall(CallBase &CB, Instruction *P) override {
    if (classifyCall(CB) == CallKind::Custom) {
      if (none_of(CB.args(), [&](const Use &U) { return AI.varied(U.get()); }))
        return;
      // batched: the augmented rule once per lane (each lane's reverse consumes its own tape); primal of lane 0
      IRBuilder<> B(P);
      Value *Primal = nullptr;
      for (Lane = 0; Lane < Lanes.size(); ++Lane) {
        CallInst *Call = B.CreateCall(
            customRulePart(CB, "augmented"),
            customRuleArgs(CB, [&](Value *V) { return primal(V); }, [&](Value *V) { return shadowOf(V); }));
        if (!Primal)
          Primal = CB.getType()->isVoidTy() ? Call : customRuleResult(B, Call, 0);
        CustomTape[{&CB, Lane}] = customRuleResult(B, Call, CB.getType()->isVoidTy() ? 0 : 1);
      }
      Lane = 0;
      if (!CB.getType()->isVoidTy())
        P->replaceAllUsesWith(Primal);
      else
        VMap[&CB] = Primal;
      P->eraseFromParent();
      return;
    }
    if (classifyCall(CB) == CallKind::Blas) {
      IRBuilder<> B(P);
      BlasEnv E{B, [&](Value *V) { return primal(V); }, [&](Value *V) { return shadowOf(V); },
                [&](Value *V) { return AI.varied(V); }};
      BlasSaved[{&CB, Lane}] = blasAugment(E, CB); // per lane: each lane's reverse releases its copies
      return;
    }
    if (classifyCall(CB) == CallKind::Defined &&
        any_of(CB.args(), [&](const Use &U) { return AI.varied(U.get()); })) {
      Config CC = calleeConfig(CB, AI, C, true);
      Function *Aug = getDerivative(*calledFunction(CB), CC, Variant::Augmented);
      IRBuilder<> B(P);
      SmallVector<Value *, 8> Args;
      for (unsigned K = 0; K < CB.arg_size(); ++K) {
        Args.push_back(primal(CB.getArgOperand(K)));
        if (CC.argHasShadowParam(K)) // one call serves every lane (visit() skips lanes > 0)
          for (unsigned L = 0; L < Lanes.size(); ++L)
            Args.push_back(shadowOf(CB.getArgOperand(K), L));
      }
      Args.push_back(Tape);
      CallInst *Call = B.CreateCall(Aug, Args);
      if (!CB.getType()->isVoidTy()) {
        P->replaceAllUsesWith(B.CreateExtractValue(Call, 0));
        if (CC.Ret == Activity::Dup)
          for (unsigned L = 0; L < Lanes.size(); ++L)
            Lanes[L][&CB] = B.CreateExtractValue(Call, 1 + L);
      } else {
        VMap[&CB] = Call;
      }
      P->eraseFromParent();
      return;
    }
    ForwardSweep::visitCall(CB, P);
  }
};

class ReverseGen {
public:
  ReverseGen(Function &F, const ActivityInfo &AI, const Config &C, Function *Aug, Function *Rev)
      : F(F), AI(AI), C(C), Aug(Aug), Rev(Rev), Combined(Aug == Rev), Fwd(F, AI, C, Aug, Aug == Rev),
        B(F.getContext()), DL(F.getParent()->getDataLayout()), Adj(C.Width) {}

  void run();

private:
  struct RevBlock {
    BasicBlock *Pops = nullptr, *Body = nullptr;
    SmallVector<std::pair<Value *, LoadInst *>, 4> Needed; // forward value, its placeholder load
    DenseMap<Value *, Value *> Cache;
  };

  Function &F;
  const ActivityInfo &AI;
  const Config &C;
  Function *Aug, *Rev;
  bool Combined;
  AugSweep Fwd;
  IRBuilder<> B;
  const DataLayout &DL;

  SmallVector<Value *, 8> RevPrimalArgs;
  SmallVector<Value *, 8> RevShadowArgs; ///< [Lane * #params + i]: parameter i's shadow in that lane (or null)
  SmallVector<Value *, 4> DRet;          ///< the seed of an Active return, per lane
  Value *RevTape = nullptr;
  BasicBlock *RevPrologue = nullptr, *RevReturn = nullptr;
  DenseMap<const BasicBlock *, RevBlock> RB;
  /// Batched reverse mode (C.Width lanes): every adjoint, shadow and seed exists once per lane; the sweep
  /// reverses each instruction once per lane (Lane is the one being built), except calls of differentiated
  /// functions, whose batched derivative serves all lanes at once.
  std::vector<DenseMap<const Value *, AllocaInst *>> Adj; ///< adjoint slots, per lane
  unsigned Lane = 0;
  template <typename Fn> void forEachLane(Fn &&Body) {
    for (Lane = 0; Lane < C.Width; ++Lane)
      Body();
    Lane = 0;
  }
  bool servesAllLanes(const Instruction &I) const {
    auto *CB = dyn_cast<CallBase>(&I);
    return CB && (classifyCall(*CB) == CallKind::Defined || classifyCall(*CB) == CallKind::Barrier);
  }
  DenseSet<const BasicBlock *> Reusable;
  DenseSet<const BasicBlock *> InCycle; ///< blocks that may run more than once
  DenseMap<const BasicBlock *, AllocaInst *> FromSlot; ///< where once-run blocks keep their predecessor id
  /// One test of a join's predecessor (see predecessorTests): the condition of the branch ending Branching, and
  /// on each side (true, false) either predecessor Preds[B][Next] (Next >= 0) or test -Next - 1.
  struct PredecessorTest {
    BasicBlock *Branching;
    int Next[2];
  };
  DenseMap<const BasicBlock *, SmallVector<PredecessorTest, 2>> PredTests; ///< the first is the root
  bool predecessorTests(BasicBlock &BB, ArrayRef<BasicBlock *> P, SmallVectorImpl<PredecessorTest> &Tests);
  int addPredecessorTest(BasicBlock &BB, ArrayRef<BasicBlock *> P, BasicBlock *D, ArrayRef<unsigned> Which,
                         SmallVectorImpl<PredecessorTest> &Tests);
  /// The condition of test T's branch, in the reverse of the join (the root's is looked up; a nested one is
  /// computed again from its operands).
  Value *predecessorCondition(const PredecessorTest &T, BasicBlock &Join);
  DenseMap<const Value *, AllocaInst *> OnceSlots;       ///< values of once-run blocks needed elsewhere
  /// In the combined form, a block that runs at most once keeps what its reverse needs in stack slots instead
  /// of on the tape (loop-free code then needs no tape at all: GPU device code has no realloc).
  bool usesStackSlots(const BasicBlock *B) const { return Combined && !InCycle.count(B); }
  AllocaInst *stackSlot(Type *T, const Twine &Name) {
    return IRBuilder<>(Fwd.prologue(), Fwd.prologue()->begin()).CreateAlloca(T, nullptr, Name);
  }
  DenseSet<const Value *> FreedObjects;
  /// Values whose adjoint can be nonzero: they reach memory, the result, or a call. A value that only decides
  /// branches (sqrt(r) in `if r == 0`) gets no reverse code: its partials may be infinite there (0 * inf).
  DenseSet<const Value *> Useful;
  void findUsefulValues();
  DenseMap<const BasicBlock *, SmallVector<BasicBlock *, 2>> Preds;
  std::vector<CountedLoop> Counted; ///< loops whose control flow is taped as one count per entry
  /// A forward-sweep header phi (an induction variable of a counted loop, or the shadow of a pointer one):
  /// FwdStart (forward-sweep value on entry) + Step * index.
  struct Induction {
    const CountedLoop *L;
    Value *FwdStart;
    int64_t Step;
    bool Pointer;
  };
  DenseMap<const Value *, Induction> CountedIVs;
  void registerInductions(const CountedLoop &L);
  /// The induction variable FwdV stands for, if the block being reversed lies in its loop.
  const Induction *inductionHere(const Value *FwdV) const {
    auto It = CountedIVs.find(FwdV);
    if (It == CountedIVs.end() || !It->second.L->Blocks.count(Cur))
      return nullptr;
    return &It->second;
  }
  DenseMap<const BasicBlock *, const CountedLoop *> CountedByHeader;
  DenseMap<const BasicBlock *, CountedLoop *> IndexedLoopOf; ///< blocks of indexed loops (see emitTapeRecords)
  bool canIndex(const CountedLoop &L);
  bool countFreeAt(const TripCount &T, const BasicBlock *At);
  /// Loads (forward sweep) that read the same value in every iteration of a counted loop: an invariant address
  /// into fresh memory the loop does not write. Taped once per loop entry, like values defined before the loop.
  DenseMap<const Value *, CountedLoop *> InvariantLoads;
  /// Invariant loads of one address in one loop read one value (numba's unrolled loops reload xc[i] in each
  /// copy of the body): each maps to the first of them, which alone is taped.
  DenseMap<const Value *, Value *> SameInvariantLoad;
  void findInvariantLoads();
  /// The adjoint of an invariant load goes to the same shadow location in every iteration, and nothing in the
  /// loop reads that shadow (the loop does not write the load's object): the reverse sweep sums it in a slot
  /// (a register after mem2reg) and adds the sum to the shadow once, where it leaves the loop, instead of a
  /// read-modify-write per iteration, each waiting for the previous one's store.
  struct DeferredIncrement {
    const CountedLoop *Loop;
    AllocaInst *Sum, *Ptr;
    Align A;
  };
  SmallVector<DeferredIncrement, 4> Deferred;
  DenseMap<std::pair<const Value *, unsigned>, unsigned> DeferredOf; ///< (load, lane) -> index in Deferred
  bool deferIncrement(LoadInst &L, Value *SP, Value *A);
  SmallVector<std::pair<const CountedLoop *, BasicBlock *>, 4> LoopLeaves; ///< where the reverse leaves a loop
  void flushDeferredIncrements();
  bool valueFreeAt(Value *V, const BasicBlock *At);
  void emitIndexedLoopRecords(CountedLoop &L);
  DenseMap<std::pair<const BasicBlock *, const BasicBlock *>, CountedLoop *> CountedByExit; ///< (exit, exiting)
  DominatorTree DomTree; ///< of F
  /// The outermost counted loop around the block being reversed that does not contain the definition of FwdV
  /// (whose definition dominates it): FwdV is then taped once per entry of that loop, not per iteration.
  CountedLoop *invariantLoopFor(const Instruction *FwdV);
  /// Values the reverse of the current block reads from a stack slot filled once (per loop entry, or once):
  /// as cheap as values used directly when deciding what to recompute.
  bool keptOncePerEntry(const Instruction *FwdV) {
    const BasicBlock *Def = OwnerOf.lookup(FwdV->getParent());
    return Def && (usesStackSlots(Def) || invariantLoopFor(FwdV));
  }
  DenseMap<std::pair<const CountedLoop *, const Value *>, AllocaInst *> InvariantSlots;
  void emitLoopExitRecords(CountedLoop &L);
  BasicBlock *Cur = nullptr; // original block being reversed
  Type *MemElemTy = nullptr; ///< fallback element type of memcpy'd adjoints: the function's float type
  /// The float type a memcpy moves: what is loaded or stored through the objects it copies between.
  Type *copiedElemType(CallBase &CB);
  /// The float type the memory reached from Starts is accessed as (through GEPs, phis, selects; with
  /// ThroughLoadedPointers also through the pointers loaded from it); MemElemTy when not one type.
  Type *accessedFloatType(SmallVector<const Value *, 8> Work, bool ThroughLoadedPointers);

  void setUpFunctions();
  void findReusableBlocks();
  void recordPredecessors();
  void recordPredecessorIds();
  void reverseBlock(BasicBlock &BB);
  void reverseInstruction(Instruction &I);
  void reverseCall(CallBase &CB);
  void applyRule(const Rule &R, Instruction &I, Value *A, unsigned NumOps);
  void reverseMasked(CallBase &CB);
  /// For each lane L of Mask that is set, calls Body(L) in a block of its own (lanes from last to first).
  void forEachActiveLane(Value *Mask, unsigned N, const std::function<void(unsigned)> &Body);
  void reverseLoad(LoadInst &L);
  void reverseStore(StoreInst &S);
  void buildReturn();
  void emitTapeRecords();
  Instruction *FwdEnd = nullptr; ///< where the forward sweep ends (its return, or the branch into the reverse)
  bool Streams = false;          ///< some tape records may be stored non-temporally (tape::storeFields)
  void dropUnusedLookups();
  DenseSet<const BasicBlock *> ForwardBlocks; ///< combined form: the blocks of the forward sweep

  enum class Want { Primal, Shadow };
  Value *lookup(Value *V, Want W = Want::Primal);
  /// A forward-sweep value, usable in the current reverse block: used directly, recomputed, or taped.
  Value *lookupFwd(Value *FwdV);
  /// Recomputes a cheap forward instruction in the current reverse block when that needs at most one taped
  /// value (so a pointer and its shadow share one taped index, and inputs are reloaded); null otherwise.
  Value *recompute(Instruction *I);
  int tapedValuesToRecompute(Instruction *I, unsigned Depth);
  bool availableDirectly(Instruction *I) const;
  bool isRecomputable(Instruction *I) const;
  void findReloadableMemory(ArrayRef<Value *> ArgMap);
  DenseMap<const BasicBlock *, const BasicBlock *> OwnerOf; ///< forward-sweep block -> original block
  DenseSet<const Value *> Reloadable; ///< (forward-sweep) objects F never writes: loads from them are redone
  DenseMap<const Argument *, Argument *> AugToRevArg;
  Value *shadowOf(Value *V) { return lookup(V, Want::Shadow); }
  Type *adjType(const Value *V) const {
    return AI.isFloatBits(V) ? floatTypeForInt(V->getType()) : V->getType();
  }
  AllocaInst *adjSlot(const Value *V);
  /// A stack slot of type T that stores through an inactive pointer (runtime activity) go to instead.
  DenseMap<Type *, AllocaInst *> ScratchSlots;
  AllocaInst *scratchSlot(Type *T) {
    AllocaInst *&S = ScratchSlots[T];
    if (!S)
      S = IRBuilder<>(RevPrologue, RevPrologue->begin()).CreateAlloca(T, nullptr, "inactive.scratch");
    return S;
  }
  Value *takeAdj(Value *V);
  void addAdj(Value *V, Value *Delta);
  void accumulateInto(Value *Ptr, Value *Delta, Type *MemTy, Align A, Value *Primal);
  /// Float increments of shadow memory in the reverse block being built, emitted together (merged where their
  /// windows overlap) before anything else in the block touches memory, and at its end.
  PendingIncrements Pending;
  std::unique_ptr<PointerDistance> Distances; ///< between the primal's pointers (ScalarEvolution on F)
  /// Pointer to and alignment of the float leaf Idx of an aggregate of type T at P (aligned A).
  std::pair<Value *, Align> leaf(Type *T, Value *P, ArrayRef<unsigned> Idx, Align A);
};

// ---------------------------------------------------------------- set-up

void ReverseGen::setUpFunctions() {
  // Aug's arguments: primal (+ shadow) per parameter, then (split) the tape
  unsigned N = F.arg_size();
  SmallVector<Value *, 8> ArgMap, ShadowArgs(N * C.Width, nullptr);
  unsigned K = 0;
  for (unsigned I = 0; I < N; ++I) {
    ArgMap.push_back(Aug->getArg(K++));
    if (C.argHasShadowParam(I))
      for (unsigned L = 0; L < C.Width; ++L)
        ShadowArgs[L * N + I] = Aug->getArg(K++);
  }
  Fwd.cloneBody(ArgMap, ShadowArgs);
  if (Combined) {
    IRBuilder<> PB(Fwd.prologue()->getTerminator());
    Fwd.Tape = tape::createLocal(PB);
    if (C.Ret == Activity::Active)
      for (unsigned L = 0; L < C.Width; ++L)
        DRet.push_back(Aug->getArg(K++));
  } else {
    Fwd.Tape = Aug->getArg(Aug->arg_size() - 1);
  }
  RevPrimalArgs.assign(N, nullptr);
  RevShadowArgs.assign(N * C.Width, nullptr);
  if (Combined) {
    RevPrimalArgs.assign(ArgMap.begin(), ArgMap.end());
    RevShadowArgs.assign(ShadowArgs.begin(), ShadowArgs.end());
    RevPrologue = Fwd.prologue();
    RevTape = Fwd.Tape;
    findReloadableMemory(ArgMap);
    return;
  }
  K = 0;
  for (unsigned I = 0; I < N; ++I) {
    RevPrimalArgs[I] = Rev->getArg(K);
    AugToRevArg[cast<Argument>(ArgMap[I])] = Rev->getArg(K++);
    if (C.argHasShadowParam(I))
      for (unsigned L = 0; L < C.Width; ++L) {
        RevShadowArgs[L * N + I] = Rev->getArg(K);
        AugToRevArg[cast<Argument>(ShadowArgs[L * N + I])] = Rev->getArg(K++);
      }
  }
  if (C.Ret == Activity::Active)
    for (unsigned L = 0; L < C.Width; ++L)
      DRet.push_back(Rev->getArg(K++));
  RevTape = Rev->getArg(K++);
  RevPrologue = BasicBlock::Create(F.getContext(), "rev.prologue", Rev);
  BranchInst::Create(RevPrologue, RevPrologue); // placeholder terminator, retargeted in run()
}

// Memory F never writes can be read again in the reverse sweep instead of taping what was loaded. Only in the
// combined form (split mode: the caller may change memory between the two halves), and only when every write
// in F goes to fresh memory (stack slots, allocations) or to noalias arguments.
// The objects P may point into, through phis and selects (numba's strength-reduced pointer walks, swapped
// buffers); P itself where the search gives up.
static SmallVector<const Value *, 4> objectsOf(const Value *P) {
  SmallVector<const Value *, 4> Objs;
  getUnderlyingObjects(P, Objs, /*LI=*/nullptr, /*MaxLookup=*/12);
  return Objs;
}

static bool isFreshMemory(const Value *O) {
  if (isa<AllocaInst>(O))
    return true;
  if (auto *CB = dyn_cast<CallBase>(O)) {
    CallKind K = classifyCall(*CB);
    return K == CallKind::Alloc || K == CallKind::NrtAlloc;
  }
  if (auto *L = dyn_cast<LoadInst>(O)) // the data pointer of a fresh numba MemInfo
    if (auto *CB = dyn_cast<CallBase>(getUnderlyingObject(L->getPointerOperand())))
      return classifyCall(*CB) == CallKind::NrtAlloc;
  return false;
}

void ReverseGen::findUsefulValues() {
  auto MakesUseful = [&](const Use &U) {
    const User *Usr = U.getUser();
    if (isa<StoreInst>(Usr))
      return U.getOperandNo() == 0;
    if (isa<ReturnInst>(Usr) || isa<AtomicRMWInst>(Usr) || isa<AtomicCmpXchgInst>(Usr))
      return true;
    if (isa<CmpInst>(Usr) || isa<FPToSIInst>(Usr) || isa<FPToUIInst>(Usr) || isa<BranchInst>(Usr) ||
        isa<SwitchInst>(Usr))
      return false;
    if (auto *Sel = dyn_cast<SelectInst>(Usr))
      return U.getOperandNo() != 0 && Useful.count(Sel);
    if (auto *CB = dyn_cast<CallBase>(Usr))
      return classifyCall(*CB) != CallKind::Rule || Useful.count(CB);
    if (auto *I = dyn_cast<Instruction>(Usr))
      return Useful.count(I) > 0;
    return true;
  };
  bool Changed = true;
  while (Changed) {
    Changed = false;
    for (BasicBlock &BB : F)
      for (Instruction &I : BB)
        if (!Useful.count(&I) && any_of(I.uses(), MakesUseful)) {
          Useful.insert(&I);
          Changed = true;
        }
  }
}

void ReverseGen::findReloadableMemory(ArrayRef<Value *> ArgMap) {
  DenseSet<const Value *> Written;
  auto Write = [&](const Value *P) {
    for (const Value *O : objectsOf(P))
      Written.insert(O);
  };
  for (BasicBlock &BB : F)
    for (Instruction &I : BB) {
      if (auto *S = dyn_cast<StoreInst>(&I))
        Write(S->getPointerOperand());
      else if (auto *RMW = dyn_cast<AtomicRMWInst>(&I))
        Write(RMW->getPointerOperand());
      else if (auto *X = dyn_cast<AtomicCmpXchgInst>(&I))
        Write(X->getPointerOperand());
      else if (auto *CB = dyn_cast<CallBase>(&I)) {
        CallKind K = classifyCall(*CB);
        if (K == CallKind::Ignored || K == CallKind::Rule || K == CallKind::Alloc || K == CallKind::NrtAlloc ||
            K == CallKind::NrtRefcount || K == CallKind::Free || CB->onlyReadsMemory())
          continue; // (a masked gather reads only, though its pointer operands carry no readonly attribute)
        for (const Use &U : CB->args())
          if (U->getType()->isPtrOrPtrVectorTy() && !CB->onlyReadsMemory(U.getOperandNo()))
            Write(U.get());
      }
    }
  for (const Value *O : Written) {
    auto *A = dyn_cast<Argument>(O);
    if (!isFreshMemory(O) && !(A && A->hasNoAliasAttr()))
      return; // something may write anywhere
  }
  for (Argument &A : F.args())
    if (A.getType()->isPointerTy() && !Written.count(&A))
      Reloadable.insert(ArgMap[A.getArgNo()]);
}

void ReverseGen::findReusableBlocks() {
  for (auto It = scc_begin(&F); !It.isAtEnd(); ++It)
    if (It.hasCycle())
      for (BasicBlock *BB : *It)
        InCycle.insert(BB);
  if (!Combined)
    return;
  BasicBlock *Exit = nullptr;
  for (BasicBlock &BB : F)
    if (isa<ReturnInst>(BB.getTerminator()))
      Exit = &BB;
  if (!Exit)
    return;
  DominatorTree DT(F);
  for (BasicBlock &BB : F)
    if (!InCycle.count(&BB) && DT.dominates(&BB, Exit))
      Reusable.insert(&BB);
}

void ReverseGen::recordPredecessors() {
  for (BasicBlock &BB : F) {
    SmallVector<BasicBlock *, 2> &P = Preds[&BB];
    for (BasicBlock *Pred : predecessors(&BB))
      if (!is_contained(P, Pred))
        P.push_back(Pred);
  }
  // loop headers: an iteration count per loop entry instead of a predecessor id per iteration
  Counted = findCountedLoops(F, Preds);
  for (CountedLoop &L : Counted) {
    CountedByHeader[L.Header] = &L;
    for (auto &[From, To] : L.Exits)
      CountedByExit[{To, From}] = &L;
    registerInductions(L);
    if (canIndex(L)) {
      L.Indexed = true;
      for (const BasicBlock *BB : L.Blocks)
        IndexedLoopOf[BB] = &L;
      Type *I64 = Type::getInt64Ty(F.getContext());
      L.StridePlaceholder = BinaryOperator::CreateAdd(ConstantInt::get(I64, 0), ConstantInt::get(I64, 0),
                                                      "stride", RevPrologue->getTerminator()->getIterator());
      L.RevBase = IRBuilder<>(RevPrologue, RevPrologue->begin()).CreateAlloca(PointerType::getUnqual(F.getContext()),
                                                                          nullptr, "rev.loop.records");
    }
  }
  recordPredecessorIds();
  for (CountedLoop &L : Counted)
    L.CountRecomputed = L.Trips && all_of(L.Exits, [&](const auto &E) { return countFreeAt(*L.Trips, E.second); });
  // after the ids: the pushes of the counts go on blocks of their own on the exit edges
  for (CountedLoop &L : Counted) {
    emitForwardCounter(
        L, [&](const BasicBlock *BB) { return Fwd.clonedBlock(BB); },
        [&](const BasicBlock *BB) { return Fwd.clonedExit(BB); });
    L.RevSlot = IRBuilder<>(RevPrologue, RevPrologue->begin()).CreateAlloca(Type::getInt64Ty(F.getContext()),
                                                                         nullptr, "rev.iter");
  }
}

// Whether the reverse of block At can compute T from values it has for free: constants, arguments, values used
// directly, and induction variables of counted loops around At (from their reverse index) that start from such.
bool ReverseGen::countFreeAt(const TripCount &T, const BasicBlock *At) {
  for (const TripCount &O : T.Ops)
    if (!countFreeAt(O, At))
      return false;
  return T.K != TripCount::Val || valueFreeAt(T.V, At);
}

bool ReverseGen::valueFreeAt(Value *V, const BasicBlock *At) {
  if (isa<Constant>(V) || isa<Argument>(V))
    return true;
  auto *I = dyn_cast<Instruction>(V);
  if (!I)
    return false;
  auto *FwdI = cast<Instruction>(Fwd.primal(I));
  if (availableDirectly(FwdI))
    return true;
  auto It = CountedIVs.find(FwdI);
  if (It == CountedIVs.end() || It->second.Pointer || !It->second.L->Blocks.count(At))
    return false;
  Value *Start = It->second.FwdStart; // a forward-sweep value, as lookupFwd takes it
  return isa<Constant>(Start) || isa<Argument>(Start) ||
         (isa<Instruction>(Start) && availableDirectly(cast<Instruction>(Start)));
}

// An address computed from values defined outside L (no loads, no phis inside L).
static bool invariantAddress(const Value *V, const CountedLoop &L, unsigned Depth = 0) {
  auto *I = dyn_cast<Instruction>(V);
  if (!I || !L.Blocks.count(I->getParent()))
    return true;
  if (Depth > 6 || !(isa<GetElementPtrInst>(I) || isa<CastInst>(I) || (isa<BinaryOperator>(I) && I->getType()->isIntegerTy())))
    return false;
  return all_of(I->operands(), [&](const Value *Op) { return invariantAddress(Op, L, Depth + 1); });
}

// numba keeps loading an element of one scratch array inside a loop that writes another (it cannot tell that
// two allocations do not overlap): the gmm kernel's `qxc[j] += icf[ik, li] * xc[i]` reloads xc[i] on every
// iteration of j. Such a load reads the same value in every iteration when its address is invariant, it points
// into memory F allocated, and no instruction of the loop writes that allocation (every object the loop writes
// is another allocation or an argument, which cannot point into memory allocated after entry).
void ReverseGen::findInvariantLoads() {
  for (CountedLoop &L : Counted) {
    DenseSet<const Value *> Written;
    bool Known = true;
    for (const BasicBlock *BB : L.Blocks)
      for (const Instruction &I : *BB) {
        SmallVector<const Value *, 2> Ptrs;
        if (auto *S = dyn_cast<StoreInst>(&I))
          Ptrs.push_back(S->getPointerOperand());
        else if (auto *RMW = dyn_cast<AtomicRMWInst>(&I))
          Ptrs.push_back(RMW->getPointerOperand());
        else if (auto *X = dyn_cast<AtomicCmpXchgInst>(&I))
          Ptrs.push_back(X->getPointerOperand());
        else if (auto *CB = dyn_cast<CallBase>(&I)) {
          CallKind K = classifyCall(*CB);
          if (K == CallKind::Ignored || K == CallKind::Rule || K == CallKind::NrtRefcount || CB->onlyReadsMemory())
            continue;
          if (K != CallKind::Defined && K != CallKind::Blas && K != CallKind::Custom && K != CallKind::MemTransfer &&
              K != CallKind::MaskedMem) { // an allocation or a free in the loop, say
            Known = false;
            break;
          }
          for (const Use &U : CB->args())
            if (U->getType()->isPtrOrPtrVectorTy() && !CB->onlyReadsMemory(U.getOperandNo()))
              Ptrs.push_back(U.get());
        }
        for (const Value *P : Ptrs)
          for (const Value *O : objectsOf(P)) {
            Known &= isFreshMemory(O) || isa<Argument>(O);
            Written.insert(O);
          }
      }
    if (!Known)
      continue;
    DenseMap<std::pair<const Value *, Type *>, Value *> FirstLoadOf; // (address, type) -> first such load
    for (const BasicBlock *BB : L.Blocks) {
      // in the innermost counted loop only, and in a block that runs in every iteration that can leave the loop
      if (any_of(Counted, [&](const CountedLoop &In) {
            return &In != &L && In.Blocks.count(BB) && In.Blocks.size() < L.Blocks.size();
          }) ||
          !all_of(L.Exits, [&](const auto &E) { return DomTree.dominates(BB, E.first); }))
        continue;
      for (const Instruction &I : *BB) {
        auto *Ld = dyn_cast<LoadInst>(&I);
        if (!Ld || !Ld->isSimple() || !invariantAddress(Ld->getPointerOperand(), L))
          continue;
        SmallVector<const Value *, 4> Objs = objectsOf(Ld->getPointerOperand());
        if (all_of(Objs, [&](const Value *O) { return isFreshMemory(O) && !Written.count(O); })) {
          Value *FwdLd = Fwd.primal(const_cast<LoadInst *>(Ld));
          InvariantLoads[FwdLd] = &L;
          Value *&First = FirstLoadOf[{Ld->getPointerOperand(), Ld->getType()}];
          SameInvariantLoad[FwdLd] = First ? First : (First = FwdLd);
        }
      }
    }
  }
}

// A loop whose iterations push nothing on the tape but their blocks' records, each block at most once per
// iteration, and whose trip count is known on entry: its records are indexed by iteration instead of pushed.
bool ReverseGen::canIndex(const CountedLoop &L) {
  if (!L.Trips)
    return false;
  for (const BasicBlock *BB : L.Blocks) {
    if (BB != L.Header && Preds.lookup(BB).size() != 1) // a join inside the loop (or a nested loop): ids pushed
      return false;
    for (const Instruction &I : *BB)
      if (auto *CB = dyn_cast<CallBase>(&I))
        if (classifyCall(*CB) == CallKind::Defined && any_of(CB->args(), [&](const Use &U) { return AI.varied(U.get()); }))
          return false; // the callee's derivative pushes on the same tape
  }
  return true;
}

// The forward-sweep phis of L's induction variables, and of the shadows of its pointer inductions (mirrored
// phis that step the same way), read from their values on entry instead of taped.
void ReverseGen::registerInductions(const CountedLoop &L) {
  BasicBlock *Pre = Fwd.clonedExit(L.Pre), *Latch = Fwd.clonedExit(L.Latch);
  for (const CountedLoop::Induction &IV : L.Inductions) {
    auto *P = cast<PHINode>(Fwd.primal(IV.Phi));
    CountedIVs[P] = {&L, P->getIncomingValueForBlock(Pre), IV.Step, IV.Pointer};
    if (!IV.Pointer || !AI.hasShadow(IV.Phi))
      continue;
    for (unsigned Ln = 0; Ln < C.Width; ++Ln) {
      auto *S = dyn_cast<PHINode>(Fwd.shadowOf(IV.Phi, Ln));
      if (!S || S->getParent() != P->getParent() || S->getBasicBlockIndex(Pre) < 0 || S->getBasicBlockIndex(Latch) < 0)
        continue;
      auto *G = dyn_cast<GetElementPtrInst>(S->getIncomingValueForBlock(Latch));
      APInt Off(64, 0);
      if (G && G->getPointerOperand() == S && G->accumulateConstantOffset(DL, Off) && Off.getSExtValue() == IV.Step)
        CountedIVs[S] = {&L, S->getIncomingValueForBlock(Pre), IV.Step, true};
    }
  }
}

// Which predecessor a join B came from, told by the branches on the way: its immediate dominator D ends in
// `br c, S0, S1`, and each predecessor is reached only through one of D's edges (it is D itself on an edge to B,
// or the edge dominates it); B came from the side c took the last time D ran (D dominates B, so it ran before B,
// and a path from B back to a predecessor passes that predecessor's edge out of D, i.e. runs D again). A side
// with several predecessors is told apart the same way by their nearest common dominator D', which that edge
// dominates (so D' ran after D's last run). The reverse sweep looks c up, which recomputes it when it can (a loop
// bound compared with an induction variable, say), and computes the condition of a nested D' again from its
// operands, which must be values of blocks that dominate D (they keep the values they had when D' ran). Numba's
// unrolled loops end in such joins: the remainder loop ran, or the main loop, or neither.
bool ReverseGen::predecessorTests(BasicBlock &BB, ArrayRef<BasicBlock *> P, SmallVectorImpl<PredecessorTest> &Tests) {
  DomTreeNode *N = DomTree.getNode(&BB);
  if (!N || !N->getIDom())
    return false;
  SmallVector<unsigned, 4> All;
  for (unsigned K = 0; K < P.size(); ++K)
    All.push_back(K);
  return addPredecessorTest(BB, P, N->getIDom()->getBlock(), All, Tests) == -1;
}

// Adds the test at D for predecessors Which (and the tests below it); returns its Next encoding, or 0 if D cannot
// tell them apart.
int ReverseGen::addPredecessorTest(BasicBlock &BB, ArrayRef<BasicBlock *> P, BasicBlock *D, ArrayRef<unsigned> Which,
                                   SmallVectorImpl<PredecessorTest> &Tests) {
  auto *Br = dyn_cast<BranchInst>(D->getTerminator());
  if (!Br || !Br->isConditional() || Br->getSuccessor(0) == Br->getSuccessor(1) || Tests.size() >= 8)
    return 0;
  if (!Tests.empty()) { // nested: the condition is computed again in the reverse of BB, from values older than D'
    BasicBlock *Root = Tests.front().Branching;
    auto OlderThanRoot = [&](Value *V) {
      auto *I = dyn_cast<Instruction>(V);
      return !I || DomTree.dominates(I->getParent(), Root);
    };
    auto *C = dyn_cast<CmpInst>(Br->getCondition());
    if (!OlderThanRoot(Br->getCondition()) && !(C && all_of(C->operands(), OlderThanRoot)))
      return 0;
  }
  SmallVector<unsigned, 4> Side[2];
  for (unsigned K : Which) {
    int S = -1;
    for (unsigned J = 0; J < 2; ++J) {
      BasicBlock *Succ = Br->getSuccessor(J);
      if (P[K] == D ? Succ == &BB : DomTree.dominates(BasicBlockEdge(D, Succ), P[K])) {
        if (S >= 0)
          return 0;
        S = int(J);
      }
    }
    if (S < 0)
      return 0;
    Side[S].push_back(K);
  }
  if (Side[0].empty() || Side[1].empty())
    return 0;
  unsigned Idx = Tests.size();
  Tests.push_back({D, {0, 0}});
  for (unsigned J = 0; J < 2; ++J) {
    if (Side[J].size() == 1) {
      Tests[Idx].Next[J] = int(Side[J][0]);
      continue;
    }
    BasicBlock *Common = P[Side[J][0]];
    for (unsigned K : Side[J])
      Common = DomTree.findNearestCommonDominator(Common, P[K]);
    if (!Common || Common == D || !DomTree.dominates(BasicBlockEdge(D, Br->getSuccessor(J)), Common))
      return 0;
    int Sub = addPredecessorTest(BB, P, Common, Side[J], Tests);
    if (Sub == 0)
      return 0;
    Tests[Idx].Next[J] = Sub;
  }
  return -int(Idx) - 1;
}

Value *ReverseGen::predecessorCondition(const PredecessorTest &T, BasicBlock &Join) {
  Value *Cond = cast<BranchInst>(T.Branching->getTerminator())->getCondition();
  auto *I = dyn_cast<Instruction>(Cond);
  if (!I || DomTree.dominates(I->getParent(), &Join))
    return lookup(Cond, Want::Primal);
  Instruction *Again = I->clone();
  for (Use &Op : Again->operands())
    Op.set(lookup(Op.get(), Want::Primal));
  return B.Insert(Again, I->getName() + ".again");
}

void ReverseGen::recordPredecessorIds() {
  for (BasicBlock &BB : F) {
    SmallVector<BasicBlock *, 2> &P = Preds[&BB];
    if (P.size() < 2 || CountedByHeader.count(&BB))
      continue;
    if (!usesStackSlots(&BB))
      if (SmallVector<PredecessorTest, 2> Tests; predecessorTests(BB, P, Tests)) {
        PredTests[&BB] = std::move(Tests);
        continue;
      }
    // forward: remember which predecessor we came from
    BasicBlock *Head = Fwd.clonedBlock(&BB);
    IRBuilder<> FB(Head, Head->getFirstInsertionPt());
    PHINode *Id = FB.CreatePHI(FB.getInt32Ty(), P.size(), "from");
    // one entry per edge: a switch with two cases into this block is one predecessor with two edges
    for (BasicBlock *ClonedPred : predecessors(Head))
      for (unsigned K = 0; K < P.size(); ++K) // map the cloned predecessor back to its original block
        if (Fwd.clonedExit(P[K]) == ClonedPred) {
          Id->addIncoming(FB.getInt32(K), ClonedPred);
          break;
        }
    FB.SetInsertPoint(Head, std::next(Id->getIterator()));
    while (isa<PHINode>(*FB.GetInsertPoint()))
      FB.SetInsertPoint(Head, std::next(FB.GetInsertPoint()));
    if (usesStackSlots(&BB)) {
      AllocaInst *Slot = stackSlot(FB.getInt32Ty(), "from.slot");
      FB.CreateStore(Id, Slot);
      FromSlot[&BB] = Slot;
      continue;
    }
    Value *Slot = tape::reserve(FB, Fwd.Tape, 8);
    FB.CreateStore(Id, Slot);
    // the block's body now lives in the block after the tape check (and the check's grow block)
    OwnerOf[FB.GetInsertBlock()] = &BB;
    for (BasicBlock *P : predecessors(FB.GetInsertBlock()))
      OwnerOf[P] = &BB;
  }
}

// ---------------------------------------------------------------- values and adjoints

Value *ReverseGen::lookup(Value *V, Want W) {
  if (isa<Constant>(V) || isa<MetadataAsValue>(V))
    return W == Want::Primal ? V : Constant::getNullValue(V->getType());
  if (auto *A = dyn_cast<Argument>(V)) {
    if (W == Want::Primal)
      return RevPrimalArgs[A->getArgNo()];
    Value *S = RevShadowArgs[Lane * F.arg_size() + A->getArgNo()];
    return S ? S : Constant::getNullValue(V->getType());
  }
  return lookupFwd(W == Want::Primal ? Fwd.primal(V) : Fwd.shadowOf(V, Lane));
}

bool ReverseGen::availableDirectly(Instruction *I) const {
  if (!Combined)
    return false;
  const BasicBlock *Def = OwnerOf.lookup(I->getParent());
  return !Def || Reusable.count(Def); // the prologue, or a block that ran once and dominates the return
}

// An instruction that computes with floating-point values (not a load).
static bool computesWithFloats(const Instruction *I) {
  if (isa<LoadInst>(I))
    return false;
  auto IsFloat = [](const Value *V) { return V->getType()->isFPOrFPVectorTy(); };
  return IsFloat(I) || any_of(I->operands(), IsFloat);
}

// Float instructions that cost less than the round trip of a tape record (8 bytes stored, loaded again later):
// arithmetic, comparisons, selects, conversions, shuffles and the cheap intrinsics; divisions and math
// functions only where fastmath allows approximating them (afn), so that they vectorize.
static bool isCheapFloatOp(const Instruction *I) {
  if (isa<FCmpInst>(I) || isa<SelectInst>(I) || isa<CastInst>(I) || isa<ExtractElementInst>(I) ||
      isa<InsertElementInst>(I) || isa<ShuffleVectorInst>(I))
    return true;
  bool Approx = isa<FPMathOperator>(I) && I->hasApproxFunc();
  if (auto *U = dyn_cast<UnaryOperator>(I))
    return U->getOpcode() == Instruction::FNeg;
  if (auto *BO = dyn_cast<BinaryOperator>(I))
    return BO->getOpcode() == Instruction::FAdd || BO->getOpcode() == Instruction::FSub ||
           BO->getOpcode() == Instruction::FMul || (BO->getOpcode() == Instruction::FDiv && Approx);
  auto *II = dyn_cast<IntrinsicInst>(I);
  if (!II || !II->doesNotAccessMemory())
    return false;
  switch (II->getIntrinsicID()) {
  case Intrinsic::fabs: case Intrinsic::copysign: case Intrinsic::minnum: case Intrinsic::maxnum:
  case Intrinsic::minimum: case Intrinsic::maximum: case Intrinsic::fma: case Intrinsic::fmuladd:
  case Intrinsic::floor: case Intrinsic::ceil: case Intrinsic::trunc: case Intrinsic::rint:
  case Intrinsic::nearbyint: case Intrinsic::round: case Intrinsic::roundeven:
    return true;
  case Intrinsic::sqrt: case Intrinsic::exp: case Intrinsic::exp2: case Intrinsic::log: case Intrinsic::log2:
  case Intrinsic::log10: case Intrinsic::sin: case Intrinsic::cos: case Intrinsic::tan: case Intrinsic::pow:
    return Approx;
  default:
    return false;
  }
}

bool ReverseGen::isRecomputable(Instruction *I) const {
  if (computesWithFloats(I))
    return isCheapFloatOp(I);
  if (auto *L = dyn_cast<LoadInst>(I))
    return L->isSimple() &&
           all_of(objectsOf(L->getPointerOperand()), [&](const Value *O) { return Reloadable.count(O) > 0; });
  if (isa<GetElementPtrInst>(I) || isa<ICmpInst>(I))
    return true;
  if (isa<SelectInst>(I)) // of integers or pointers: an index wrapped around (numba's negative indexing)
    return !I->getType()->isFPOrFPVectorTy();
  if (auto *C = dyn_cast<CastInst>(I))
    return !C->getType()->isFPOrFPVectorTy() && !C->getOperand(0)->getType()->isFPOrFPVectorTy();
  if (auto *BO = dyn_cast<BinaryOperator>(I))
    return BO->getType()->isIntOrIntVectorTy() && BO->getOpcode() != Instruction::SDiv &&
           BO->getOpcode() != Instruction::UDiv && BO->getOpcode() != Instruction::SRem &&
           BO->getOpcode() != Instruction::URem;
  return false;
}

// How many values must be taped to recompute I here (-1: not recomputable).
int ReverseGen::tapedValuesToRecompute(Instruction *I, unsigned Depth) {
  if (Depth > 4 || !isRecomputable(I))
    return -1;
  int N = 0;
  for (Value *Op : I->operands()) {
    auto *OI = dyn_cast<Instruction>(Op);
    if (!OI) {
      if (auto *A = dyn_cast<Argument>(Op); A && !Combined && !AugToRevArg.count(A))
        return -1;
      continue;
    }
    if (availableDirectly(OI) || RB[Cur].Cache.count(OI) || inductionHere(OI) || keptOncePerEntry(OI))
      continue;
    int Sub = tapedValuesToRecompute(OI, Depth + 1);
    N += (Sub < 0 || Sub > 1) ? 1 : Sub;
  }
  // a float value is recomputed only where that saves tape: when nothing has to be taped for it
  return N > 0 && computesWithFloats(I) ? -1 : N;
}

Value *ReverseGen::recompute(Instruction *I) {
  if (tapedValuesToRecompute(I, 0) < 0 || tapedValuesToRecompute(I, 0) > 1)
    return nullptr;
  Instruction *C = I->clone();
  for (unsigned K = 0; K < C->getNumOperands(); ++K)
    if (!isa<BasicBlock>(C->getOperand(K)))
      C->setOperand(K, lookupFwd(C->getOperand(K)));
  C->setName(I->getName() + ".re");
  C->insertBefore(RB[Cur].Pops->getTerminator()->getIterator());
  return C;
}

Value *ReverseGen::lookupFwd(Value *FwdV) {
  if (isa<Constant>(FwdV) || isa<MetadataAsValue>(FwdV))
    return FwdV;
  if (auto *A = dyn_cast<Argument>(FwdV)) {
    if (Combined)
      return A;
    if (Argument *RA = AugToRevArg.lookup(A))
      return RA;
    fail("internal: the reverse sweep needs an argument it does not receive", A);
  }
  auto *I = cast<Instruction>(FwdV);
  if (availableDirectly(I))
    return FwdV;
  // cached per execution of the current block
  RevBlock &R = RB[Cur];
  if (Value *P = R.Cache.lookup(FwdV))
    return P;
  if (const Induction *IV = inductionHere(I)) { // start + step * (the reverse sweep's iteration index)
    Value *Start = lookupFwd(IV->FwdStart);
    IRBuilder<> RBld(R.Pops->getTerminator());
    Value *K = RBld.CreateLoad(RBld.getInt64Ty(), IV->L->RevSlot, "iter.re");
    Value *V;
    if (IV->Pointer) {
      V = RBld.CreateGEP(RBld.getInt8Ty(), Start, RBld.CreateMul(K, RBld.getInt64(IV->Step)), FwdV->getName() + ".re");
    } else {
      K = RBld.CreateSExtOrTrunc(K, FwdV->getType());
      V = RBld.CreateAdd(Start, RBld.CreateMul(K, ConstantInt::get(FwdV->getType(), IV->Step, true)),
                         FwdV->getName() + ".re");
    }
    R.Cache[FwdV] = V;
    return V;
  }
  if (Value *Re = recompute(I)) {
    R.Cache[FwdV] = Re;
    return Re;
  }
  // defined in a block that runs at most once (a loop-invariant, say): kept once in a stack slot, not taped on
  // every iteration of the block that needs it
  if (const BasicBlock *Def = OwnerOf.lookup(I->getParent()); Def && usesStackSlots(Def)) {
    AllocaInst *&Slot = OnceSlots[FwdV];
    if (!Slot) {
      Slot = stackSlot(FwdV->getType(), FwdV->getName() + ".once");
      new StoreInst(FwdV, Slot, Fwd.clonedExit(Def)->getTerminator()->getIterator());
    }
    auto *L = new LoadInst(FwdV->getType(), Slot, FwdV->getName() + ".reload", R.Pops->getTerminator()->getIterator());
    R.Cache[FwdV] = L;
    return L;
  }
  CountedLoop *L = invariantLoopFor(I);
  if (auto It = InvariantLoads.find(I); !L && It != InvariantLoads.end() && It->second->Blocks.count(Cur))
    L = It->second;
  if (L) {
    Value *Kept = L == InvariantLoads.lookup(I) ? SameInvariantLoad.lookup(I) : FwdV;
    AllocaInst *&Slot = InvariantSlots[{L, Kept}];
    if (!Slot) {
      Slot = IRBuilder<>(RevPrologue, RevPrologue->begin()).CreateAlloca(Kept->getType(), nullptr, Kept->getName() + ".inv");
      L->Invariants.push_back({Kept, Slot});
    }
    auto *Ld = new LoadInst(Kept->getType(), Slot, Kept->getName() + ".inv.load", R.Pops->getTerminator()->getIterator());
    R.Cache[FwdV] = Ld;
    return Ld;
  }
  auto *PH = new LoadInst(FwdV->getType(), PoisonValue::get(PointerType::getUnqual(F.getContext())),
                          FwdV->getName() + ".taped", false, Align(1), R.Pops->getTerminator()->getIterator());
  R.Needed.push_back({FwdV, PH});
  R.Cache[FwdV] = PH;
  return PH;
}

CountedLoop *ReverseGen::invariantLoopFor(const Instruction *FwdV) {
  const BasicBlock *Def = OwnerOf.lookup(FwdV->getParent());
  if (!Def)
    return nullptr;
  CountedLoop *Best = nullptr;
  for (CountedLoop &L : Counted)
    if (L.Blocks.count(Cur) && !L.Blocks.count(Def) && DomTree.dominates(Def, L.Header) &&
        (!Best || L.Blocks.size() > Best->Blocks.size()))
      Best = &L;
  return Best;
}

AllocaInst *ReverseGen::adjSlot(const Value *V) {
  if (AllocaInst *S = Adj[Lane].lookup(V))
    return S;
  IRBuilder<> PB(RevPrologue, RevPrologue->begin());
  Type *T = adjType(V);
  AllocaInst *S = PB.CreateAlloca(T, nullptr, V->getName() + ".adj");
  PB.SetInsertPoint(RevPrologue->getTerminator());
  PB.CreateStore(adjointZero(T), S);
  Adj[Lane][V] = S;
  return S;
}

Value *ReverseGen::takeAdj(Value *V) {
  AllocaInst *S = adjSlot(V);
  Value *A = B.CreateLoad(S->getAllocatedType(), S);
  B.CreateStore(adjointZero(S->getAllocatedType()), S);
  return A;
}

void ReverseGen::addAdj(Value *V, Value *Delta) {
  if (!Delta || isa<Constant>(V) || !AI.hasDerivative(V))
    return;
  AllocaInst *S = adjSlot(V);
  Value *Old = B.CreateLoad(S->getAllocatedType(), S);
  B.CreateStore(addAdjoints(B, Old, Delta), S);
}

std::pair<Value *, Align> ReverseGen::leaf(Type *T, Value *P, ArrayRef<unsigned> Idx, Align A) {
  SmallVector<Value *, 4> GepIdx{B.getInt32(0)};
  for (unsigned I : Idx)
    GepIdx.push_back(B.getInt32(I));
  uint64_t Off = DL.getIndexedOffsetInType(T, ArrayRef<Value *>(GepIdx));
  return {B.CreateInBoundsGEP(T, P, GepIdx), commonAlignment(A, Off)};
}

// *Ptr += Delta for a float-like or aggregate Delta stored as MemTy (the shadow of Primal, with its alignment).
void ReverseGen::accumulateInto(Value *Ptr, Value *Delta, Type *MemTy, Align A, Value *Primal) {
  if (C.Atomic) { // threads of a GPU kernel may share the location: one atomic add per float
    forEachFloatLeaf(MemTy, [&](ArrayRef<unsigned> Idx, Type *LeafTy) {
      auto [P, LA] = Idx.empty() ? std::pair<Value *, Align>{Ptr, A} : leaf(MemTy, Ptr, Idx, A);
      Value *D = Idx.empty() ? Delta : B.CreateExtractValue(Delta, Idx);
      if (auto *VT = dyn_cast<FixedVectorType>(LeafTy)) {
        for (unsigned L = 0; L < VT->getNumElements(); ++L)
          B.CreateAtomicRMW(AtomicRMWInst::FAdd, B.CreateConstInBoundsGEP1_64(VT->getElementType(), P, L),
                            B.CreateExtractElement(D, L), commonAlignment(LA, L * DL.getTypeStoreSize(VT->getElementType())),
                            AtomicOrdering::Monotonic);
      } else {
        B.CreateAtomicRMW(AtomicRMWInst::FAdd, P, D, LA, AtomicOrdering::Monotonic);
      }
    });
    return;
  }
  if (isFloatLike(Delta->getType())) {
    Pending.add(Ptr, Delta, A, Primal, Lane);
    return;
  }
  forEachFloatLeaf(MemTy, [&](ArrayRef<unsigned> Idx, Type *LeafTy) {
    auto [P, LA] = leaf(MemTy, Ptr, Idx, A);
    Value *Old = B.CreateAlignedLoad(LeafTy, P, LA);
    B.CreateAlignedStore(B.CreateFAdd(Old, B.CreateExtractValue(Delta, Idx)), P, LA);
  });
}

// ---------------------------------------------------------------- the reverse sweep

void ReverseGen::run() {
  setUpFunctions();
  for (BasicBlock &BB : F)
    for (Instruction &I : BB)
      if (auto *CB = dyn_cast<CallBase>(&I)) {
        CallKind K = classifyCall(*CB);
        if (K == CallKind::Free || (K == CallKind::Alloc && calledFunction(*CB)->getName() == "realloc"))
          FreedObjects.insert(getUnderlyingObject(CB->getArgOperand(0)));
      }
  // element type of adjoints moved by memcpy/memmove: double unless the function only uses float
  bool Doubles = false, Floats = false;
  auto Note = [&](Type *T) {
    Doubles |= T->getScalarType()->isDoubleTy();
    Floats |= T->getScalarType()->isFloatTy();
  };
  for (Argument &A : F.args())
    Note(A.getType());
  for (BasicBlock &BB : F)
    for (Instruction &I : BB)
      Note(I.getType());
  MemElemTy = (Floats && !Doubles) ? Type::getFloatTy(F.getContext()) : Type::getDoubleTy(F.getContext());

  findUsefulValues();
  DomTree.recalculate(F);
  Fwd.run();
  for (BasicBlock &BB : F)
    OwnerOf[Fwd.clonedBlock(&BB)] = &BB;
  findReusableBlocks();
  recordPredecessors();
  findInvariantLoads();

  LLVMContext &Ctx = F.getContext();
  if (Combined)
    for (BasicBlock &BB : *Aug)
      ForwardBlocks.insert(&BB);
  ReversePostOrderTraversal<Function *> RPO(&F);
  std::vector<BasicBlock *> Order(RPO.begin(), RPO.end());
  for (auto It = Order.rbegin(); It != Order.rend(); ++It) {
    RevBlock &R = RB[*It];
    R.Pops = BasicBlock::Create(Ctx, "rev." + (*It)->getName(), Rev);
    R.Body = BasicBlock::Create(Ctx, "rev." + (*It)->getName() + ".body", Rev);
    BranchInst::Create(R.Body, R.Pops);
  }
  RevReturn = BasicBlock::Create(Ctx, "rev.return", Rev);

  // where the reverse sweep starts: after the forward sweep's return
  BasicBlock *Exit = nullptr;
  for (BasicBlock &BB : F)
    if (isa<ReturnInst>(BB.getTerminator()))
      Exit = &BB;
  if (Exit) {
    auto *FwdRet = cast<ReturnInst>(Fwd.primal(Exit->getTerminator()));
    IRBuilder<> FB(FwdRet);
    if (Combined) {
      FwdEnd = FB.CreateBr(RB[Exit].Pops);
      Fwd.remap(Exit->getTerminator(), FwdEnd);
      FwdRet->eraseFromParent();
    } else {
      // augmented: return { primal, shadow } and let the caller run the reverse half later
      Value *Agg = PoisonValue::get(Aug->getReturnType());
      if (Value *RV = cast<ReturnInst>(Exit->getTerminator())->getReturnValue()) {
        Agg = FB.CreateInsertValue(Agg, Fwd.primal(RV), 0);
        if (C.Ret == Activity::Dup)
          for (unsigned L = 0; L < C.Width; ++L)
            Agg = FB.CreateInsertValue(Agg, Fwd.shadowOf(RV, L), 1 + L);
      }
      FwdEnd = FB.CreateRet(Agg);
      Fwd.remap(Exit->getTerminator(), FwdEnd);
      FwdRet->eraseFromParent();
      RevPrologue->getTerminator()->setSuccessor(0, RB[Exit].Pops);
    }
  } else if (!Combined) {
    RevPrologue->getTerminator()->setSuccessor(0, RevReturn);
  }

  Distances = std::make_unique<PointerDistance>(F);
  for (BasicBlock *BB : Order)
    reverseBlock(*BB);
  flushDeferredIncrements();
  dropUnusedLookups();
  emitTapeRecords();
  buildReturn(); // last: whether the tape was used decides how it is released (tape::destroy)
}

void ReverseGen::reverseBlock(BasicBlock &BB) {
  Cur = &BB;
  RevBlock &R = RB[&BB];
  B.SetInsertPoint(R.Body);
  if (auto *Ret = dyn_cast<ReturnInst>(BB.getTerminator()))
    if (Value *RV = Ret->getReturnValue(); RV && !DRet.empty())
      forEachLane([&] { addAdj(RV, DRet[Lane]); });
  for (auto It = BB.rbegin(); It != BB.rend(); ++It) {
    Instruction &I = *It;
    if (I.isTerminator() || isa<PHINode>(I))
      continue;
    // its reverse may read what the increments write (an alloca's frees a heap shadow)
    if ((!isa<LoadInst>(I) && I.mayReadOrWriteMemory()) || isa<AllocaInst>(I))
      Pending.flush(B, DL, Distances.get());
    if (servesAllLanes(I))
      reverseInstruction(I);
    else
      forEachLane([&] { reverseInstruction(I); });
  }
  Pending.flush(B, DL, Distances.get());
  // phis: their adjoints go to the incoming value of the edge that was taken
  struct PhiAdjoint {
    PHINode *Phi;
    unsigned Lane;
    Value *A;
  };
  SmallVector<PhiAdjoint, 4> PhiAdj;
  for (PHINode &Phi : BB.phis())
    if (AI.hasDerivative(&Phi))
      forEachLane([&] { PhiAdj.push_back({&Phi, Lane, takeAdj(&Phi)}); });
  auto EdgeTo = [&](BasicBlock *Pred) {
    for (auto &P : PhiAdj) {
      Lane = P.Lane;
      addAdj(P.Phi->getIncomingValueForBlock(Pred), P.A);
    }
    Lane = 0;
    if (auto It = CountedByExit.find({&BB, Pred}); It != CountedByExit.end()) {
      // entering a counted loop backwards: the index of its last iteration
      Type *I64 = B.getInt64Ty();
      CountedLoop *L = It->second;
      // the loop's invariants were pushed after its count: popped first (filled in by emitLoopExitRecords)
      BasicBlock *After = B.GetInsertBlock()->getNextNode(); // keep the layout in reverse-sweep order
      BasicBlock *Inv = BasicBlock::Create(F.getContext(), "rev.loop.invariants", Rev, After);
      BasicBlock *Enter = BasicBlock::Create(F.getContext(), "rev.loop.enter", Rev, After);
      B.CreateBr(Inv);
      BranchInst::Create(Enter, Inv);
      L->RevInvariantBlocks.push_back(Inv);
      B.SetInsertPoint(Enter);
      Value *Last = L->CountRecomputed
                        ? B.CreateSub(L->Trips->expand(B, [&](Value *V) { return lookup(V, Want::Primal); }),
                                      B.getInt64(1), "iter.last")
                        : B.CreateLoad(I64, tape::release(B, RevTape, 8), "iter.last");
      B.CreateStore(Last, L->RevSlot);
      if (L->Indexed) // the loop's records: one per header execution, released at once (nothing else is popped)
        B.CreateStore(tape::release(B, RevTape, B.CreateMul(B.CreateAdd(Last, B.getInt64(1)), L->StridePlaceholder)),
                      L->RevBase);
    }
    B.CreateBr(RB[Pred].Pops);
  };
  SmallVector<BasicBlock *, 2> &P = Preds[&BB];
  if (P.empty()) {
    B.CreateBr(RevReturn);
  } else if (P.size() == 1) {
    EdgeTo(P[0]);
  } else if (const CountedLoop *L = CountedByHeader.lookup(&BB)) {
    // iteration 0 came from outside the loop, every later one from the latch
    Value *K = B.CreateLoad(B.getInt64Ty(), L->RevSlot, "iter");
    BasicBlock *Entry = BasicBlock::Create(F.getContext(), "rev.loop.entry", Rev);
    BasicBlock *Back = BasicBlock::Create(F.getContext(), "rev.loop.back", Rev);
    B.CreateCondBr(B.CreateICmpEQ(K, B.getInt64(0)), Entry, Back);
    B.SetInsertPoint(Back);
    B.CreateStore(B.CreateSub(K, B.getInt64(1)), L->RevSlot);
    EdgeTo(L->Latch);
    B.SetInsertPoint(Entry);
    LoopLeaves.push_back({L, Entry}); // the deferred increments go here (flushDeferredIncrements, at the end)
    EdgeTo(L->Pre);
  } else if (auto It = PredTests.find(&BB); It != PredTests.end()) {
    SmallVector<PredecessorTest, 2> Tests = It->second;
    std::function<void(unsigned)> Branch = [&](unsigned T) {
      Value *Cond = predecessorCondition(Tests[T], BB);
      BasicBlock *Sides[2];
      for (BasicBlock *&S : Sides)
        S = BasicBlock::Create(F.getContext(), "rev.edge", Rev);
      B.CreateCondBr(Cond, Sides[0], Sides[1]);
      for (unsigned J = 0; J < 2; ++J) {
        B.SetInsertPoint(Sides[J]);
        int Next = Tests[T].Next[J];
        if (Next >= 0)
          EdgeTo(P[Next]);
        else
          Branch(unsigned(-Next - 1));
      }
    };
    Branch(0);
  } else {
    Value *Slot = FromSlot.count(&BB) ? FromSlot[&BB] : tape::release(B, RevTape, 8);
    Value *Id = B.CreateLoad(B.getInt32Ty(), Slot, "from");
    BasicBlock *Bad = BasicBlock::Create(F.getContext(), "rev.unreachable", Rev);
    SwitchInst *Sw = B.CreateSwitch(Id, Bad, P.size());
    for (unsigned K = 0; K < P.size(); ++K) {
      BasicBlock *Edge = BasicBlock::Create(F.getContext(), "rev.edge", Rev);
      Sw->addCase(B.getInt32(K), Edge);
      B.SetInsertPoint(Edge);
      EdgeTo(P[K]);
    }
    B.SetInsertPoint(Bad);
    B.CreateUnreachable();
  }
}

void ReverseGen::reverseInstruction(Instruction &I) {
  // nothing flows back from a value that only decides control flow (its adjoint is zero)
  if (!I.getType()->isVoidTy() && !Useful.count(&I) &&
      (!isa<CallBase>(I) || classifyCall(cast<CallBase>(I)) == CallKind::Rule) && !isa<AllocaInst>(I) &&
      !isa<AtomicRMWInst>(I))
    return;
  if (auto *CB = dyn_cast<CallBase>(&I))
    return reverseCall(*CB);
  if (auto *L = dyn_cast<LoadInst>(&I))
    return reverseLoad(*L);
  if (auto *S = dyn_cast<StoreInst>(&I))
    return reverseStore(*S);
  if (auto *RMW = dyn_cast<AtomicRMWInst>(&I)) {
    // p += v atomically: v's adjoint is p's adjoint (unchanged); the old value's adjoint flows into p'
    Value *P = RMW->getPointerOperand(), *V = RMW->getValOperand();
    if (!AI.varied(P) || !containsFloat(V->getType()))
      return;
    Value *SP = shadowOf(P);
    if (AI.hasDerivative(V)) {
      Value *D = B.CreateAlignedLoad(V->getType(), SP, RMW->getAlign());
      addAdj(V, RMW->getOperation() == AtomicRMWInst::FSub ? B.CreateFNeg(D) : D);
    }
    if (AI.hasDerivative(RMW) && !RMW->use_empty()) // the old value was used: its adjoint flows into p'
      accumulateInto(SP, takeAdj(RMW), V->getType(), RMW->getAlign(), P);
    return;
  }
  if (auto *A = dyn_cast<AllocaInst>(&I)) {
    if (Fwd.HeapShadows.count(A))
      callLibc(B, "free", B.getVoidTy(), {shadowOf(A)});
    return;
  }
  if (!AI.hasDerivative(&I))
    return;
  if (const Rule *R = ruleForInstruction(I)) {
    Value *A = takeAdj(&I);
    applyRule(*R, I, A, I.getNumOperands());
    return;
  }
  switch (I.getOpcode()) {
  case Instruction::FPExt:
  case Instruction::FPTrunc: {
    Value *A = takeAdj(&I);
    auto Back = I.getOpcode() == Instruction::FPExt ? Instruction::FPTrunc : Instruction::FPExt;
    addAdj(I.getOperand(0), B.CreateCast(Back, A, I.getOperand(0)->getType()));
    return;
  }
  case Instruction::BitCast:
  case Instruction::Freeze: {
    Value *A = takeAdj(&I);
    Type *To = adjType(I.getOperand(0));
    addAdj(I.getOperand(0), A->getType() == To ? A : B.CreateBitCast(A, To));
    return;
  }
  case Instruction::Select: {
    Value *A = takeAdj(&I);
    Value *Cond = lookup(I.getOperand(0));
    Value *Zero = adjointZero(A->getType());
    addAdj(I.getOperand(1), B.CreateSelect(Cond, A, Zero));
    addAdj(I.getOperand(2), B.CreateSelect(Cond, Zero, A));
    return;
  }
  case Instruction::ExtractValue: {
    auto &EV = cast<ExtractValueInst>(I);
    Value *A = takeAdj(&I);
    Value *Agg = EV.getAggregateOperand();
    if (AI.hasDerivative(Agg)) {
      Value *Delta = B.CreateInsertValue(adjointZero(Agg->getType()), A, EV.getIndices());
      addAdj(Agg, Delta);
    }
    return;
  }
  case Instruction::InsertValue: {
    auto &IV = cast<InsertValueInst>(I);
    Value *A = takeAdj(&I);
    Value *Elt = IV.getInsertedValueOperand();
    if (AI.hasDerivative(Elt))
      addAdj(Elt, B.CreateExtractValue(A, IV.getIndices()));
    Value *Agg = IV.getAggregateOperand();
    if (AI.hasDerivative(Agg))
      addAdj(Agg, B.CreateInsertValue(A, adjointZero(Elt->getType()), IV.getIndices()));
    return;
  }
  case Instruction::ExtractElement: {
    Value *A = takeAdj(&I);
    Value *Vec = I.getOperand(0);
    Value *Delta = B.CreateInsertElement(adjointZero(Vec->getType()), A, lookup(I.getOperand(1)));
    addAdj(Vec, Delta);
    return;
  }
  case Instruction::InsertElement: {
    Value *A = takeAdj(&I);
    Value *Idx = lookup(I.getOperand(2));
    addAdj(I.getOperand(1), B.CreateExtractElement(A, Idx));
    addAdj(I.getOperand(0), B.CreateInsertElement(A, adjointZero(I.getOperand(1)->getType()), Idx));
    return;
  }
  case Instruction::ShuffleVector: {
    auto &SV = cast<ShuffleVectorInst>(I);
    Value *A = takeAdj(&I);
    auto *InTy = cast<FixedVectorType>(SV.getOperand(0)->getType());
    unsigned N = InTy->getNumElements();
    Value *D0 = adjointZero(InTy), *D1 = adjointZero(InTy);
    for (unsigned J = 0; J < SV.getShuffleMask().size(); ++J) {
      int M = SV.getMaskValue(J);
      if (M < 0)
        continue;
      Value *&D = (unsigned)M < N ? D0 : D1;
      unsigned Lane = (unsigned)M % N;
      Value *Old = B.CreateExtractElement(D, Lane);
      D = B.CreateInsertElement(D, B.CreateFAdd(Old, B.CreateExtractElement(A, J)), Lane);
    }
    addAdj(SV.getOperand(0), D0);
    addAdj(SV.getOperand(1), D1);
    return;
  }
  default:
    return; // phis are handled per block; other varied values (pointers, integers) have no adjoint
  }
}

// adj(op_k) += partial_k * A for the rule of I (an instruction or a call with NumOps operands)
void ReverseGen::applyRule(const Rule &R, Instruction &I, Value *A, unsigned NumOps) {
  IRBuilderBase::FastMathFlagGuard KeepFlags(B);
  fastMathLike(B, I);
  SmallVector<Value *, 3> Ops;
  SmallVector<Type *, 3> Tys;
  for (unsigned K = 0; K < NumOps; ++K) {
    Ops.push_back((R.UsesOps >> K) & 1 ? lookup(I.getOperand(K)) : nullptr);
    Tys.push_back(I.getOperand(K)->getType());
  }
  RuleContext RC{B, Ops, R.UsesOut ? lookup(&I) : nullptr, I.getType(), Tys};
  SmallVector<Partial, 3> D;
  R.Partials(RC, D);
  for (unsigned K = 0; K < R.NumOps; ++K)
    if (AI.hasDerivative(I.getOperand(K)))
      addAdj(I.getOperand(K), reverseTerm(B, R, K, D[K], A, I.getOperand(K)->getType()));
}

void ReverseGen::forEachActiveLane(Value *Mask, unsigned N, const std::function<void(unsigned)> &Body) {
  for (unsigned L = N; L-- > 0;) {
    BasicBlock *Do = BasicBlock::Create(F.getContext(), "rev.lane", Rev);
    BasicBlock *Next = BasicBlock::Create(F.getContext(), "rev.lane.next", Rev);
    B.CreateCondBr(B.CreateExtractElement(Mask, L), Do, Next);
    B.SetInsertPoint(Do);
    Body(L);
    B.CreateBr(Next);
    B.SetInsertPoint(Next);
  }
}

// Masked vector memory (vectorized loops). Gathers and scatters go lane by lane: lanes may share an address.
void ReverseGen::reverseMasked(CallBase &CB) {
  Intrinsic::ID ID = calledFunction(CB)->getIntrinsicID();
  bool IsLoad = ID == Intrinsic::masked_load || ID == Intrinsic::masked_gather;
  Value *Ptr = CB.getArgOperand(IsLoad ? 0 : 1), *Data = IsLoad ? (Value *)&CB : CB.getArgOperand(0);
  if (!AI.varied(Ptr) || !containsFloat(Data->getType()))
    return;
  auto *VT = cast<FixedVectorType>(Data->getType());
  Type *ET = VT->getElementType();
  Align A = CB.getParamAlign(IsLoad ? 0 : 1).valueOrOne();
  Align EA = commonAlignment(A, DL.getTypeStoreSize(ET));
  Value *SP = shadowOf(Ptr), *Mask = lookup(CB.getArgOperand(IsLoad ? 1 : 2));
  Value *Zero = Constant::getNullValue(VT);
  if (IsLoad) {
    if (!AI.hasDerivative(&CB))
      return;
    Value *Adj = takeAdj(&CB);
    if (ID == Intrinsic::masked_load) {
      Value *Old = B.CreateMaskedLoad(VT, SP, A, Mask, Zero);
      B.CreateMaskedStore(B.CreateFAdd(Old, Adj), SP, A, Mask);
    } else {
      forEachActiveLane(Mask, VT->getNumElements(), [&](unsigned L) {
        Value *P = B.CreateExtractElement(SP, L);
        Value *Old = B.CreateAlignedLoad(ET, P, EA);
        B.CreateAlignedStore(B.CreateFAdd(Old, B.CreateExtractElement(Adj, L)), P, EA);
      });
    }
    addAdj(CB.getArgOperand(2), B.CreateSelect(Mask, adjointZero(VT), Adj)); // passthru lanes
    return;
  }
  // stores: the stored lanes take the shadow's adjoint, which is zeroed
  Value *Old;
  if (ID == Intrinsic::masked_store) {
    Old = B.CreateMaskedLoad(VT, SP, A, Mask, Zero);
    B.CreateMaskedStore(Zero, SP, A, Mask);
  } else { // highest lane first: with repeated addresses the last writer takes the adjoint
    AllocaInst *Tmp = IRBuilder<>(RevPrologue, RevPrologue->begin()).CreateAlloca(VT, nullptr, "scatter.adj");
    B.CreateStore(Zero, Tmp);
    forEachActiveLane(Mask, VT->getNumElements(), [&](unsigned L) {
      Value *P = B.CreateExtractElement(SP, L);
      Value *V = B.CreateAlignedLoad(ET, P, EA);
      B.CreateAlignedStore(ConstantFP::get(ET, 0.0), P, EA);
      B.CreateStore(V, B.CreateConstInBoundsGEP2_32(VT, Tmp, 0, L));
    });
    Old = B.CreateLoad(VT, Tmp);
  }
  addAdj(CB.getArgOperand(0), Old);
}

void ReverseGen::reverseLoad(LoadInst &L) {
  if (!AI.hasDerivative(&L) || !AI.varied(L.getPointerOperand()))
    return;
  Value *A = takeAdj(&L);
  Value *Ptr = L.getPointerOperand(), *SP = shadowOf(Ptr);
  if (AI.maybeInactive(Ptr) && isFloatLike(A->getType())) { // shadow == primal: the adjoint goes nowhere
    Value *Old = B.CreateAlignedLoad(A->getType(), SP, L.getAlign());
    Value *Inactive = B.CreateICmpEQ(SP, lookup(Ptr));
    // never write through an inactive pointer, not even its own value back: it may be read-only memory
    B.CreateAlignedStore(B.CreateFAdd(Old, A), B.CreateSelect(Inactive, scratchSlot(A->getType()), SP),
                         L.getAlign());
    return;
  }
  if (AI.maybeInactive(Ptr))
    fail("cannot differentiate an aggregate load through a pointer that may be constant at run time", &L);
  if (deferIncrement(L, SP, A))
    return;
  accumulateInto(SP, A, adjType(&L), L.getAlign(), Ptr);
}

bool ReverseGen::deferIncrement(LoadInst &L, Value *SP, Value *A) {
  auto It = InvariantLoads.find(Fwd.primal(&L));
  if (C.Atomic || It == InvariantLoads.end() || !It->second->Blocks.count(Cur) || !isFloatLike(A->getType()))
    return false;
  auto [Pos, New] = DeferredOf.try_emplace({&L, Lane}, Deferred.size());
  if (New) {
    IRBuilder<> PB(RevPrologue, RevPrologue->begin());
    AllocaInst *Sum = PB.CreateAlloca(A->getType(), nullptr, L.getName() + ".adj.sum");
    AllocaInst *P = PB.CreateAlloca(SP->getType(), nullptr, L.getName() + ".adj.at");
    PB.SetInsertPoint(RevPrologue->getTerminator());
    PB.CreateStore(adjointZero(A->getType()), Sum);
    Deferred.push_back({It->second, Sum, P, L.getAlign()});
  }
  const DeferredIncrement &D = Deferred[Pos->second];
  B.CreateStore(B.CreateFAdd(B.CreateLoad(A->getType(), D.Sum), A), D.Sum);
  B.CreateStore(SP, D.Ptr);
  return true;
}

// where the reverse sweep leaves a loop (after its iteration 0): the sums go to their shadows, and start again
void ReverseGen::flushDeferredIncrements() {
  for (auto &[L, Leave] : LoopLeaves) {
    IRBuilder<> FB(Leave, Leave->begin());
    for (const DeferredIncrement &D : Deferred) {
      if (D.Loop != L)
        continue;
      Type *T = D.Sum->getAllocatedType();
      Value *P = FB.CreateLoad(D.Ptr->getAllocatedType(), D.Ptr);
      FB.CreateAlignedStore(FB.CreateFAdd(FB.CreateAlignedLoad(T, P, D.A), FB.CreateLoad(T, D.Sum)), P, D.A);
      FB.CreateStore(adjointZero(T), D.Sum);
    }
  }
}

void ReverseGen::reverseStore(StoreInst &S) {
  Value *Ptr = S.getPointerOperand(), *V = S.getValueOperand();
  if (!AI.varied(Ptr))
    return;
  Type *T = V->getType();
  Type *MemTy = AI.isFloatBits(V) ? floatTypeForInt(T) : T;
  if (!containsFloat(MemTy)) {
    // an integer overwriting what may have been a float: its adjoint is gone
    if (AI.hasShadow(V) || T->isPtrOrPtrVectorTy() || !floatTypeForInt(T))
      return;
    MemTy = floatTypeForInt(T);
  }
  Value *SP = shadowOf(Ptr);
  Align A = S.getAlign();
  if (isFloatLike(MemTy)) {
    Value *Old = B.CreateAlignedLoad(MemTy, SP, A);
    if (AI.maybeInactive(Ptr)) { // shadow == primal: leave the primal alone (it may be read-only), no adjoint
      Value *Inactive = B.CreateICmpEQ(SP, lookup(Ptr));
      B.CreateAlignedStore(Constant::getNullValue(MemTy), B.CreateSelect(Inactive, scratchSlot(MemTy), SP), A);
      addAdj(V, B.CreateSelect(Inactive, adjointZero(MemTy), Old));
      return;
    }
    B.CreateAlignedStore(Constant::getNullValue(MemTy), SP, A);
    addAdj(V, Old);
    return;
  }
  if (AI.maybeInactive(Ptr))
    fail("cannot differentiate an aggregate store through a pointer that may be constant at run time", &S);
  // aggregate: move every float leaf's adjoint, leaving pointer fields of the shadow alone
  Value *Delta = adjointZero(MemTy);
  forEachFloatLeaf(MemTy, [&](ArrayRef<unsigned> Idx, Type *LeafTy) {
    auto [P, LA] = leaf(MemTy, SP, Idx, A);
    Delta = B.CreateInsertValue(Delta, B.CreateAlignedLoad(LeafTy, P, LA), Idx);
    B.CreateAlignedStore(Constant::getNullValue(LeafTy), P, LA);
  });
  addAdj(V, Delta);
}

void ReverseGen::reverseCall(CallBase &CB) {
  switch (classifyCall(CB)) {
  case CallKind::Rule: {
    if (!AI.hasDerivative(&CB))
      return;
    applyRule(*ruleForCall(CB), CB, takeAdj(&CB), CB.arg_size());
    return;
  }
  case CallKind::Defined: {
    if (none_of(CB.args(), [&](const Use &U) { return AI.varied(U.get()); }))
      return;
    Config CC = calleeConfig(CB, AI, C, true);
    Function *RevFn = getDerivative(*calledFunction(CB), CC, Variant::ReverseSplit);
    // one call of the callee's (batched) reverse for all lanes: shadows, seeds and adjoints lane by lane
    SmallVector<Value *, 8> Args;
    for (unsigned K = 0; K < CB.arg_size(); ++K) {
      Args.push_back(lookup(CB.getArgOperand(K)));
      if (CC.argHasShadowParam(K))
        forEachLane([&] { Args.push_back(shadowOf(CB.getArgOperand(K))); });
    }
    if (CC.Ret == Activity::Active)
      forEachLane([&] { Args.push_back(takeAdj(&CB)); });
    Args.push_back(RevTape);
    CallInst *Res = B.CreateCall(RevFn, Args);
    unsigned Slot = 0;
    for (unsigned K = 0; K < CB.arg_size(); ++K)
      if (CC.Args[K] == Activity::Active)
        forEachLane([&] { addAdj(CB.getArgOperand(K), B.CreateExtractValue(Res, Slot++)); });
    return;
  }
  case CallKind::Alloc: {
    StringRef N = calledFunction(CB)->getName();
    if (N == "realloc" && AI.varied(CB.getArgOperand(0))) {
      // adjoints of the kept prefix flow back to the old block's shadow
      Value *OldS = shadowOf(CB.getArgOperand(0)), *NewS = shadowOf(&CB);
      Value *NewSize = B.CreateZExtOrTrunc(lookup(CB.getArgOperand(1)), B.getInt64Ty());
      Value *OldSize = callLibc(B, "malloc_usable_size", B.getInt64Ty(), {OldS});
      Value *Keep = B.CreateSelect(B.CreateICmpULT(OldSize, NewSize), OldSize, NewSize);
      B.CreateCall(memcpyAdjointFn(*F.getParent(), copiedElemType(CB)), {NewS, OldS, Keep});
    }
    if (FreedObjects.count(&CB))
      callLibc(B, "free", B.getVoidTy(), {shadowOf(&CB)});
    return;
  }
  case CallKind::NrtAlloc:
    B.CreateCall(nrtReleaseFn(*F.getParent()), {shadowOf(&CB)});
    return;
  case CallKind::NrtResize: {
    // the adjoints of the kept bytes go back to the block the call replaced, which the shadow MemInfo takes back
    if (!AI.varied(CB.getArgOperand(0)))
      return;
    auto [OldFwd, OldSizeFwd] = Fwd.ResizedFrom.lookup({&CB, Lane});
    Value *Old = lookupFwd(OldFwd), *OldSize = lookupFwd(OldSizeFwd), *New = shadowOf(&CB);
    Value *Size = B.CreateZExtOrTrunc(lookup(CB.getArgOperand(1)), B.getInt64Ty());
    Value *Keep = B.CreateSelect(B.CreateICmpULT(OldSize, Size), OldSize, Size);
    Type *ElemTy = accessedFloatType({getUnderlyingObject(CB.getArgOperand(0)), &CB}, true);
    B.CreateCall(memcpyAdjointFn(*F.getParent(), ElemTy), {New, Old, Keep});
    B.CreateCall(nrtUnresizeShadowFn(*F.getParent()), {shadowOf(CB.getArgOperand(0)), Old, OldSize, New});
    return;
  }
  case CallKind::MaskedMem:
    return reverseMasked(CB);
  case CallKind::Barrier: // threads meet again in the reverse sweep, in mirrored order
    B.CreateCall(CB.getFunctionType(), CB.getCalledOperand(), SmallVector<Value *, 2>(CB.args()));
    return;
  case CallKind::Custom: {
    if (none_of(CB.args(), [&](const Use &U) { return AI.varied(U.get()); }))
      return;
    SmallVector<Value *, 8> Args =
        customRuleArgs(CB, [&](Value *V) { return lookup(V); }, [&](Value *V) { return shadowOf(V); });
    if (isFloatLike(CB.getType()))
      Args.push_back(AI.hasDerivative(&CB) ? takeAdj(&CB) : Constant::getNullValue(CB.getType()));
    Args.push_back(lookupFwd(Fwd.CustomTape[{&CB, Lane}]));
    CallInst *Res = B.CreateCall(customRulePart(CB, "reverse"), Args);
    unsigned Slot = 0;
    for (const Use &U : CB.args())
      if (isFloatLike(U->getType()))
        addAdj(U.get(), customRuleResult(B, Res, Slot++));
    return;
  }
  case CallKind::Blas: {
    SmallVector<Value *, 4> Saved;
    for (Value *S : Fwd.BlasSaved[{&CB, Lane}])
      Saved.push_back(lookupFwd(S));
    BlasEnv E{B, [&](Value *V) { return lookup(V); }, [&](Value *V) { return shadowOf(V); },
              [&](Value *V) { return AI.varied(V); }};
    blasReverse(E, CB, Saved);
    return;
  }
  case CallKind::MemTransfer: {
    Value *Dst = CB.getArgOperand(0), *Src = CB.getArgOperand(1);
    if (!AI.varied(Dst))
      return;
    Value *N = B.CreateZExtOrTrunc(lookup(CB.getArgOperand(2)), B.getInt64Ty());
    Value *Zero = B.getInt64(0);
    // runtime activity: an inactive destination has no adjoint; an inactive source receives none
    if (AI.maybeInactive(Dst))
      N = B.CreateSelect(B.CreateICmpEQ(shadowOf(Dst), lookup(Dst)), Zero, N);
    Value *Move = N, *Clear = Zero;
    if (!AI.varied(Src)) {
      Move = Zero, Clear = N;
    } else if (AI.maybeInactive(Src)) {
      Value *SrcInactive = B.CreateICmpEQ(shadowOf(Src), lookup(Src));
      Move = B.CreateSelect(SrcInactive, Zero, N);
      Clear = B.CreateSelect(SrcInactive, N, Zero);
    }
    if (AI.varied(Src))
      B.CreateCall(memcpyAdjointFn(*F.getParent(), copiedElemType(CB)), {shadowOf(Dst), shadowOf(Src), Move});
    if (Clear != Zero)
      B.CreateMemSet(shadowOf(Dst), B.getInt8(0), Clear, MaybeAlign());
    return;
  }
  case CallKind::MemSet:
    if (AI.varied(CB.getArgOperand(0))) {
      Value *Dst = CB.getArgOperand(0), *N = lookup(CB.getArgOperand(2));
      if (AI.maybeInactive(Dst))
        N = B.CreateSelect(B.CreateICmpEQ(shadowOf(Dst), lookup(Dst)), ConstantInt::get(N->getType(), 0), N);
      B.CreateMemSet(shadowOf(Dst), B.getInt8(0), N, MaybeAlign());
    }
    return;
  default:
    return;
  }
}

Type *ReverseGen::copiedElemType(CallBase &CB) {
  return accessedFloatType({getUnderlyingObject(CB.getArgOperand(0)), getUnderlyingObject(CB.getArgOperand(1))},
                           false);
}

Type *ReverseGen::accessedFloatType(SmallVector<const Value *, 8> Work, bool ThroughLoadedPointers) {
  bool Doubles = false, Floats = false;
  DenseSet<const Value *> Seen;
  while (!Work.empty()) {
    const Value *V = Work.pop_back_val();
    if (!Seen.insert(V).second)
      continue;
    for (const User *U : V->users()) {
      Type *T = nullptr;
      if (auto *L = dyn_cast<LoadInst>(U)) {
        T = L->getType();
        if (ThroughLoadedPointers && T->isPointerTy())
          Work.push_back(L);
      } else if (auto *S = dyn_cast<StoreInst>(U); S && S->getPointerOperand() == V) {
        T = S->getValueOperand()->getType();
      } else if (isa<GetElementPtrInst>(U) || isa<BitCastInst>(U) || isa<PHINode>(U) || isa<SelectInst>(U)) {
        Work.push_back(U);
      }
      if (T) {
        Doubles |= T->getScalarType()->isDoubleTy();
        Floats |= T->getScalarType()->isFloatTy();
      }
    }
  }
  if (Doubles != Floats)
    return Doubles ? Type::getDoubleTy(F.getContext()) : Type::getFloatTy(F.getContext());
  return MemElemTy;
}

void ReverseGen::buildReturn() {
  B.SetInsertPoint(RevReturn);
  Value *Agg = PoisonValue::get(Rev->getReturnType());
  unsigned Slot = 0;
  if (Combined && C.WithPrimal && !F.getReturnType()->isVoidTy()) {
    Value *RV = nullptr;
    for (BasicBlock &BB : F)
      if (auto *R = dyn_cast<ReturnInst>(BB.getTerminator()))
        RV = R->getReturnValue();
    Agg = B.CreateInsertValue(Agg, RV ? Fwd.primal(RV) : PoisonValue::get(F.getReturnType()), Slot++);
  }
  for (Argument &A : F.args())
    if (C.Args[A.getArgNo()] == Activity::Active)
      forEachLane([&] {
        AllocaInst *S = adjSlot(&A);
        Value *Adj = B.CreateLoad(S->getAllocatedType(), S);
        if (isFloatLike(Adj->getType())) // an adjoint nothing flowed into is -0.0: report +0.0
          Adj = B.CreateFAdd(Adj, ConstantFP::get(Adj->getType(), 0.0));
        Agg = B.CreateInsertValue(Agg, Adj, Slot++);
      });
  if (Combined)
    tape::destroy(B, RevTape);
  B.CreateRet(Agg);
}

// Drops what the reverse sweep looked up but did not use. A rule computes the partials of all its operands,
// also of operands without a derivative, and looking up a value the primal overwrites tapes it even when the
// partial it feeds is then discarded (4.0 * u would tape u). Dead instructions of the reverse blocks go first
// (never allocas, the reverse prologue or the placeholders still to be filled), then the records and loop
// invariants nothing reads any more.
void ReverseGen::dropUnusedLookups() {
  DenseSet<const Instruction *> Keep;
  for (auto &[Orig, R] : RB)
    for (auto &[V, PH] : R.Needed)
      Keep.insert(PH);
  for (CountedLoop &L : Counted)
    if (L.StridePlaceholder)
      Keep.insert(L.StridePlaceholder);
  SmallSetVector<Instruction *, 32> Work;
  auto Consider = [&](Instruction *I) {
    if (!Keep.count(I) && !isa<AllocaInst>(I) && I->getParent() != RevPrologue &&
        !ForwardBlocks.count(I->getParent()) && isInstructionTriviallyDead(I))
      Work.insert(I);
  };
  for (BasicBlock &BB : *Rev)
    for (Instruction &I : BB)
      Consider(&I);
  while (!Work.empty()) {
    Instruction *I = Work.pop_back_val();
    SmallVector<Instruction *, 4> Ops;
    for (Value *Op : I->operands())
      if (auto *OI = dyn_cast<Instruction>(Op))
        Ops.push_back(OI);
    I->eraseFromParent();
    for (Instruction *OI : Ops)
      Consider(OI);
  }
  for (auto &[Orig, R] : RB) {
    SmallVector<std::pair<Value *, LoadInst *>, 4> Used;
    for (auto &[V, PH] : R.Needed) {
      if (PH->use_empty())
        PH->eraseFromParent();
      else
        Used.push_back({V, PH});
    }
    R.Needed = std::move(Used);
  }
  for (CountedLoop &L : Counted)
    erase_if(L.Invariants, [](const std::pair<Value *, AllocaInst *> &E) { return E.second->use_empty(); });
}

// Pushes at the end of each forward block, pops at the start of its reverse block: one record per block.
void ReverseGen::emitTapeRecords() {
  for (CountedLoop &L : Counted) {
    emitLoopExitRecords(L);
    if (L.Indexed)
      emitIndexedLoopRecords(L);
  }
  if (Streams && FwdEnd) {
    IRBuilder<> FB(FwdEnd);
    tape::fenceStreams(FB);
  }
  for (auto &[Orig, R] : RB) {
    if (R.Needed.empty() || IndexedLoopOf.count(Orig))
      continue;
    SmallVector<uint64_t, 4> Offsets;
    uint64_t Total = tape::layout(DL, valueTypes(R.Needed), Offsets);
    IRBuilder<> FB(Fwd.clonedExit(Orig)->getTerminator());
    if (usesStackSlots(Orig)) {
      for (auto &[V, PH] : R.Needed) {
        AllocaInst *Slot = stackSlot(V->getType(), V->getName() + ".slot");
        FB.CreateStore(V, Slot);
        PH->setOperand(0, Slot);
      }
      continue;
    }
    Value *Base = tape::reserve(FB, Fwd.Tape, Total);
    for (unsigned K = 0; K < R.Needed.size(); ++K)
      FB.CreateAlignedStore(R.Needed[K].first, FB.CreateConstInBoundsGEP1_64(FB.getInt8Ty(), Base, Offsets[K]),
                            Align(1));
    IRBuilder<> RBld(R.Pops, R.Pops->begin());
    Value *RBase = tape::release(RBld, RevTape, Total);
    for (unsigned K = 0; K < R.Needed.size(); ++K) {
      LoadInst *PH = R.Needed[K].second;
      IRBuilder<> GB(PH);
      PH->setOperand(0, GB.CreateConstInBoundsGEP1_64(GB.getInt8Ty(), RBase, Offsets[K]));
    }
  }
}

// On each edge that leaves a counted loop, one record: the loop's count (unless the reverse sweep computes it
// again), then the values defined before the loop that its reverse needs (its invariants). The reverse sweep pops
// the invariants into their stack slots on its way into the loop's reverse, then the count, from the record's
// start.
void ReverseGen::emitLoopExitRecords(CountedLoop &L) {
  SmallVector<uint64_t, 4> Offsets;
  uint64_t Total = tape::layout(DL, valueTypes(L.Invariants), Offsets);
  uint64_t CountBytes = L.CountRecomputed ? 0 : 8;
  if (CountBytes + Total == 0)
    return;
  for (Instruction *Br : L.ExitBranches) {
    IRBuilder<> FB(Br);
    Value *Base = tape::reserve(FB, Fwd.Tape, CountBytes + Total);
    if (CountBytes)
      FB.CreateStore(L.Counter, Base);
    for (unsigned K = 0; K < L.Invariants.size(); ++K)
      FB.CreateAlignedStore(L.Invariants[K].first,
                            FB.CreateConstInBoundsGEP1_64(FB.getInt8Ty(), Base, CountBytes + Offsets[K]), Align(1));
  }
  if (Total == 0)
    return;
  for (BasicBlock *Inv : L.RevInvariantBlocks) {
    IRBuilder<> RBld(Inv->getTerminator());
    Value *Base = tape::release(RBld, RevTape, Total);
    for (unsigned K = 0; K < L.Invariants.size(); ++K) {
      auto &[V, Slot] = L.Invariants[K];
      RBld.CreateStore(RBld.CreateAlignedLoad(V->getType(),
                                              RBld.CreateConstInBoundsGEP1_64(RBld.getInt8Ty(), Base, Offsets[K]),
                                              Align(1), V->getName() + ".popped"),
                       Slot);
    }
  }
}

// An indexed loop: on entry the forward sweep reserves (header executions) x Stride bytes, where Stride is the
// size of all the loop's block records; block B of iteration k writes its record at k * Stride + offset(B), and
// the reverse sweep reads it there (k: the reverse iteration index).
void ReverseGen::emitIndexedLoopRecords(CountedLoop &L) {
  // one record for all the loop's blocks, in function order (the layout does not depend on pointer values)
  SmallVector<BasicBlock *, 8> Blocks;
  SmallVector<Type *, 16> Types;
  for (BasicBlock &BB : F)
    if (L.Blocks.count(&BB) && RB.count(&BB)) {
      Blocks.push_back(&BB);
      append_range(Types, valueTypes(RB[&BB].Needed));
    }
  SmallVector<uint64_t, 16> All;
  uint64_t Stride = tape::layout(DL, Types, All);
  DenseMap<const BasicBlock *, SmallVector<uint64_t, 4>> Offsets;
  unsigned Next = 0;
  for (BasicBlock *BB : Blocks)
    for (unsigned K = 0; K < RB[BB].Needed.size(); ++K)
      Offsets[BB].push_back(All[Next++]);
  Type *I64 = Type::getInt64Ty(F.getContext());
  L.StridePlaceholder->replaceAllUsesWith(ConstantInt::get(I64, Stride));
  L.StridePlaceholder->eraseFromParent();
  if (Stride == 0)
    return;
  // forward: the reservation on the edge that enters the loop
  BasicBlock *Pre = Fwd.clonedExit(L.Pre), *Head = Fwd.clonedBlock(L.Header);
  IRBuilder<> EB(splitEdges(Pre, Head, "loop.records")->getTerminator());
  Value *Runs = L.Trips->expand(EB, [&](Value *V) { return Fwd.primal(V); });
  // saturate: a count this large cannot be allocated (the tape's growth aborts) and must not wrap around
  Value *Prod = EB.CreateBinaryIntrinsic(Intrinsic::umul_with_overflow, Runs, EB.getInt64(Stride));
  Value *Limit = EB.getInt64(uint64_t(1) << 62), *Bytes = EB.CreateExtractValue(Prod, 0);
  Bytes = EB.CreateSelect(EB.CreateOr(EB.CreateExtractValue(Prod, 1), EB.CreateICmpUGT(Bytes, Limit)), Limit, Bytes);
  // records that hold vectors (of a vectorized loop) start on a cache line: the vectors in them are aligned, and
  // can be streamed past the caches when the tape is large (see tape::StreamingCapacity)
  bool Vectors = tape::alignedBuffer(*F.getParent()) && any_of(Offsets, [&](const auto &E) {
    return any_of(RB[E.first].Needed, [](const auto &N) { return N.first->getType()->isVectorTy(); });
  });
  Value *Base = Vectors ? tape::reserveAligned(EB, Fwd.Tape, Bytes) : tape::reserve(EB, Fwd.Tape, Bytes);
  Value *Streaming = nullptr;
  if (Vectors && tape::canStream(*F.getParent())) {
    Streaming = EB.CreateICmpUGE(tape::capacity(EB, Fwd.Tape), EB.getInt64(tape::StreamingCapacity), "streaming");
    Streams = true;
  }
  Align RecordAlign = Vectors ? commonAlignment(Align(tape::BufferAlign), Stride) : Align(1);
  for (auto &[Orig, Offs] : Offsets) {
    RevBlock &R = RB[Orig];
    IRBuilder<> FB(Fwd.clonedExit(Orig)->getTerminator());
    Value *Rec = FB.CreateGEP(FB.getInt8Ty(), Base, FB.CreateMul(L.Counter, FB.getInt64(Stride)), "iter.record");
    SmallVector<std::tuple<Value *, Value *, Align>, 4> Fields;
    for (unsigned K = 0; K < R.Needed.size(); ++K)
      Fields.push_back({R.Needed[K].first, FB.CreateConstInBoundsGEP1_64(FB.getInt8Ty(), Rec, Offs[K]),
                        commonAlignment(RecordAlign, Offs[K])});
    tape::storeFields(FB, Fields, Streaming);
    IRBuilder<> RBld(R.Pops, R.Pops->begin());
    Value *RBase = RBld.CreateLoad(RBld.getPtrTy(), L.RevBase);
    Value *Idx = RBld.CreateLoad(I64, L.RevSlot);
    Value *RRec = RBld.CreateGEP(RBld.getInt8Ty(), RBase, RBld.CreateMul(Idx, RBld.getInt64(Stride)), "iter.record");
    if (Streaming)
      tape::prefetchBelow(RBld, RRec);
    for (unsigned K = 0; K < R.Needed.size(); ++K) {
      LoadInst *PH = R.Needed[K].second;
      IRBuilder<> GB(PH);
      PH->setOperand(0, GB.CreateConstInBoundsGEP1_64(GB.getInt8Ty(), RRec, Offs[K]));
      PH->setAlignment(commonAlignment(RecordAlign, Offs[K]));
    }
  }
  if (Vectors) // the reverse sweep skips the padding after the records, wherever it takes their base from
    for (User *U : make_early_inc_range(L.RevBase->users()))
      if (auto *S = dyn_cast<StoreInst>(U); S && S->getPointerOperand() == L.RevBase) {
        IRBuilder<> RB2(S);
        S->setOperand(0, tape::releaseAlignmentPadding(RB2, RevTape));
      }
}

} // namespace

void generateReverse(Function &Orig, const Config &C, Function *Aug, Function *Rev) {
  Function &F = preparedClone(Orig);
  SmallVector<bool, 8> Varied;
  for (unsigned I = 0; I < C.Args.size(); ++I)
    Varied.push_back(C.argVaried(I));
  ActivityInfo AI = analyzeActivity(F, Varied, C.Internal);
  noteAssumptions(F, AI);
  checkSupported(F, AI, C, true);
  if (C.Ret == Activity::Active && !containsFloat(F.getReturnType()))
    fail("an Active return needs a floating-point result", &Orig);
  ReverseGen(F, AI, C, Aug, Rev).run();
}

} // namespace enzpy
