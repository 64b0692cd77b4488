// Reverse mode's generator, shared by its three parts: ReverseSetup.cpp (what the forward function's loops,
// joins and memory allow), ReverseTape.cpp (what the reverse sweep uses directly, recomputes, reloads or keeps on
// the tape, and the tape records), Reverse.cpp (the reverse sweep itself and the adjoints). See Reverse.cpp.
#pragma once

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
namespace reverse {

// The objects P may point into, through phis and selects (numba's strength-reduced pointer walks, swapped
// buffers); P itself where the search gives up.
inline SmallVector<const Value *, 4> objectsOf(const Value *P) {
  SmallVector<const Value *, 4> Objs;
  getUnderlyingObjects(P, Objs, /*LI=*/nullptr, /*MaxLookup=*/12);
  return Objs;
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
  /// Loads (forward sweep) from a table F fills before reading it, that no write to it can
  /// follow: redone by the reverse sweep, like loads from Reloadable objects; with the tables they read (the
  /// original allocations). See findReloadableTables.
  DenseMap<const Value *, SmallVector<const Value *, 2>> ReloadableLoads;
  /// The tables such loads read, with their frees (a malloc'd block's): candidates for keepTablesRead
  DenseMap<const Value *, SmallVector<CallBase *, 2>> ReadableTables;
  /// malloc'd tables freed by one call with other malloc'd tables (free of a phi of two blocks): moving that
  /// free moves it for all of them, so they are candidates together and kept together
  DenseMap<const Value *, SmallVector<const Value *, 2>> FreePartners;
  SmallVector<std::pair<WeakVH, const Value *>, 8> TableReads; ///< loads the reverse sweep redid, and their table
  DenseMap<const Value *, Instruction *> TableReleases; ///< where the reverse sweep gives a table back
  void findReloadableTables();
  /// Tables the reverse sweep reads live until it passes their allocation: a MemInfo takes one more reference
  /// after its allocation, a malloc'd block's frees move there; the other candidates' releases are dropped
  /// (returns whether there were any).
  bool keepTablesRead();
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

} // namespace reverse
} // namespace enzpy
