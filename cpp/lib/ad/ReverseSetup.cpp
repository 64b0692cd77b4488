// Reverse mode, set-up: the reverse function's arguments, which values can have a nonzero adjoint, the memory
// the reverse sweep may read again, blocks that run once, how joins find their predecessor, counted loops and
// their inductions, loads invariant in a loop. See Reverse.cpp.
#include "ad/ReverseGen.h"
#include "llvm/IR/InstIterator.h"

namespace enzpy {
namespace reverse {

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

// ---------------------------------------------------------------- tables filled before they are read

namespace {
/// What F does with one table: a static alloca, a malloc'd block or the data of a numba MemInfo, allocated
/// outside loops.
struct TableUse {
  SmallVector<const Instruction *, 8> Writes;
  SmallVector<CallBase *, 2> Frees; ///< calls that free it (a malloc'd block)
  bool Escapes = false; ///< its address may be kept where F's other writes could reach the table through it
  DenseSet<const BasicBlock *> BeforeWrite; ///< blocks with a path of at least one edge to a write
};
} // namespace

// Whether the integer address I (a ptrtoint) is only compared: the loop vectorizer's overlap checks.
static bool onlyComparesAddress(const Instruction *I) {
  SmallVector<const Instruction *, 8> Work{I};
  SmallPtrSet<const Instruction *, 8> Seen{I};
  while (!Work.empty())
    for (const User *U : Work.pop_back_val()->users()) {
      auto *UI = cast<Instruction>(U);
      if (isa<ICmpInst>(UI))
        continue;
      if (!isa<BinaryOperator>(UI) && !isa<SelectInst>(UI) && !isa<PHINode>(UI) &&
          !(isa<CastInst>(UI) && !isa<IntToPtrInst>(UI)))
        return false;
      if (Seen.insert(UI).second)
        Work.push_back(UI);
    }
  return true;
}

// Follows the pointers derived from Start: the writes through them, and whether the address escapes.
static void walkTable(Value *Start, TableUse &T) {
  SmallVector<Value *, 16> Work{Start};
  SmallPtrSet<Value *, 16> Seen{Start};
  while (!Work.empty() && !T.Escapes)
    for (Use &U : Work.pop_back_val()->uses()) {
      auto *I = dyn_cast<Instruction>(U.getUser());
      if (!I) {
        T.Escapes = true;
      } else if (isa<GetElementPtrInst>(I) || isa<BitCastInst>(I) || isa<AddrSpaceCastInst>(I) || isa<PHINode>(I) ||
                 isa<InsertElementInst>(I) || isa<ShuffleVectorInst>(I) || isa<ExtractElementInst>(I) ||
                 (isa<SelectInst>(I) && U.getOperandNo() != 0)) {
        if (Seen.insert(I).second)
          Work.push_back(I);
      } else if (isa<LoadInst>(I) || isa<ICmpInst>(I)) {
        continue;
      } else if (isa<StoreInst>(I) || isa<AtomicRMWInst>(I) || isa<AtomicCmpXchgInst>(I)) {
        if (U.getOperandNo() != (isa<StoreInst>(I) ? StoreInst::getPointerOperandIndex() : 0))
          T.Escapes = true; // the address itself is stored
        else
          T.Writes.push_back(I);
      } else if (auto *CB = dyn_cast<CallBase>(I)) {
        if (classifyCall(*CB) == CallKind::Free && CB->isArgOperand(&U)) {
          T.Frees.push_back(CB);
          continue;
        }
        Type *RetTy = CB->getType();
        if (CB->onlyReadsMemory() && !RetTy->isPtrOrPtrVectorTy() &&
            (isa<IntrinsicInst>(CB) || !RetTy->isIntOrIntVectorTy()))
          continue; // (a masked gather) reads, and keeps the address nowhere (nor returns it as an integer)
        if (!CB->isArgOperand(&U) || !CB->doesNotCapture(CB->getArgOperandNo(&U)))
          T.Escapes = true;
        else if (!CB->onlyReadsMemory(CB->getArgOperandNo(&U)))
          T.Writes.push_back(I);
      } else if (!(isa<PtrToIntInst>(I) && onlyComparesAddress(I))) {
        T.Escapes = true;
      }
    }
}

// Whether the MemInfo value V (MI, or a phi or select of it: an array variable that names one of two arrays) is
// only null-tested and reference-counted.
static bool onlyCounted(const Value *V, SmallPtrSetImpl<const Value *> &Seen) {
  for (const User *U : V->users()) {
    if (isa<ICmpInst>(U))
      continue;
    if (auto *CB = dyn_cast<CallBase>(U); CB && classifyCall(*CB) == CallKind::NrtRefcount)
      continue;
    if (auto *Sel = dyn_cast<SelectInst>(U); Sel && Sel->getCondition() == V)
      return false;
    if (!isa<PHINode>(U) && !isa<SelectInst>(U))
      return false;
    if (Seen.insert(U).second && !onlyCounted(U, Seen))
      return false;
  }
  return true;
}

// The data pointers of numba's MemInfo MI (loads of its field at NrtDataOffset); false when MI is used
// otherwise than through them, NRT_incref/NRT_decref and null tests (put in an array struct, passed on).
static bool dataPointersOf(CallBase &MI, SmallVectorImpl<LoadInst *> &Data) {
  const DataLayout &DL = MI.getDataLayout();
  SmallPtrSet<const Value *, 8> Seen;
  for (User *U : MI.users()) {
    if (isa<PHINode>(U) || isa<SelectInst>(U)) {
      if (Seen.insert(U).second && !onlyCounted(U, Seen))
        return false;
      continue;
    }
    if (isa<ICmpInst>(U))
      continue;
    if (auto *CB = dyn_cast<CallBase>(U); CB && classifyCall(*CB) == CallKind::NrtRefcount)
      continue;
    auto *G = dyn_cast<GetElementPtrInst>(U);
    APInt Off(DL.getIndexTypeSizeInBits(MI.getType()), 0);
    if (!G || G->getPointerOperand() != &MI || !G->accumulateConstantOffset(DL, Off) || Off != NrtDataOffset)
      return false;
    for (User *GU : G->users()) {
      auto *L = dyn_cast<LoadInst>(GU);
      if (!L || L->getPointerOperand() != G || !L->getType()->isPointerTy())
        return false;
      Data.push_back(L);
    }
  }
  return true;
}

// malloc, calloc, aligned_alloc: blocks free gives back
static bool isMallocLike(const Value *V) {
  auto *CB = dyn_cast<CallBase>(V);
  if (!CB || classifyCall(*CB) != CallKind::Alloc)
    return false;
  StringRef N = calledFunction(*CB)->getName();
  return N == "malloc" || N == "calloc" || N == "aligned_alloc";
}

// A table F fills and then only reads (numba's np.empty filled in a loop, a C array on the stack): a load
// from it that no write to it can follow reads in the reverse sweep what it read in the forward sweep, so it
// is redone instead of taped. The table is allocated once (a static alloca, or a malloc or MemInfo outside
// loops), its address goes only to loads, stores, calls that keep it nowhere, comparisons and free, so no other
// write reaches it. It must live until the reverse sweep passes its allocation: a MemInfo gets one more
// reference (numba's own decref frees it at the end of the forward sweep), a malloc'd block is freed there
// instead of by the forward sweep's free; the stack's lifetime markers are gone (preparedClone). In split mode
// the heap tables outlive the augmented call the same way; a stack table does not, so it is not read again.
void ReverseGen::findReloadableTables() {
  MapVector<const Value *, TableUse> Tables; // by root: the alloca or the MemInfo
  DenseMap<const Value *, const Value *> RootOf; // underlying object of a table pointer -> its root
  for (Instruction &I : instructions(F)) {
    if (auto *A = dyn_cast<AllocaInst>(&I); A && A->isStaticAlloca() && Combined) { // (gone after split's first half)
      RootOf[A] = A;
      walkTable(A, Tables[A]);
    } else if (isMallocLike(&I) && !InCycle.count(I.getParent())) {
      RootOf[&I] = &I;
      walkTable(&I, Tables[&I]);
    } else if (auto *CB = dyn_cast<CallBase>(&I);
               CB && classifyCall(*CB) == CallKind::NrtAlloc && !InCycle.count(CB->getParent())) {
      SmallVector<LoadInst *, 2> Data;
      TableUse &T = Tables[CB];
      T.Escapes = !dataPointersOf(*CB, Data);
      for (LoadInst *D : Data) {
        RootOf[D] = CB;
        walkTable(D, T);
      }
    }
  }
  for (auto &[Root, T] : Tables) {
    if (!T.Frees.empty() && !(isMallocLike(Root) && all_of(T.Frees, [](CallBase *CB) {
                                return calledFunction(*CB)->getName() == "free";
                              })))
      T.Escapes = true;
    SmallVector<const BasicBlock *, 8> Work;
    for (const Instruction *W : T.Writes)
      Work.push_back(W->getParent());
    while (!Work.empty())
      for (const BasicBlock *P : predecessors(Work.pop_back_val()))
        if (T.BeforeWrite.insert(P).second)
          Work.push_back(P);
  }
  // A malloc'd table's frees move to the reverse sweep only if they free nothing but such tables (free of a phi
  // of two blocks): the tables one free gives back are candidates together, and all of them must qualify.
  for (auto &[Root, T] : Tables)
    if (isMallocLike(Root))
      for (CallBase *Free : T.Frees) {
        SmallVector<const Value *, 4> Objs = objectsOf(Free->getArgOperand(0));
        if (Objs.empty())
          T.Escapes = true;
        for (const Value *O : Objs)
          if (RootOf.lookup(O) != O || !isMallocLike(O))
            T.Escapes = true; // it also frees a block that is no table
          else if (O != Root && !is_contained(FreePartners[Root], O))
            FreePartners[Root].push_back(O);
      }
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (auto &[Root, Partners] : FreePartners)
      if (Tables.find(Root)->second.Escapes)
        for (const Value *P : Partners)
          if (TableUse &PT = Tables.find(P)->second; !PT.Escapes)
            PT.Escapes = Changed = true;
  }
  auto Candidate = [&](const Value *Root) { // with the tables freed together with it
    SmallVector<const Value *, 4> Work{Root};
    while (!Work.empty()) {
      const Value *R = Work.pop_back_val();
      if (ReadableTables.try_emplace(R, Tables.find(R)->second.Frees).second)
        append_range(Work, FreePartners.lookup(R));
    }
  };
  auto WriteCanFollow = [](const LoadInst &L, const TableUse &T) {
    return T.BeforeWrite.count(L.getParent()) || any_of(T.Writes, [&](const Instruction *W) {
             return W->getParent() == L.getParent() && L.comesBefore(W);
           });
  };
  for (Instruction &I : instructions(F)) {
    auto *L = dyn_cast<LoadInst>(&I);
    if (!L || !L->isSimple())
      continue;
    SmallVector<const Value *, 4> Objs = objectsOf(L->getPointerOperand());
    bool Redone = !Objs.empty() && all_of(Objs, [&](const Value *O) {
      const Value *Root = RootOf.lookup(O);
      if (!Root)
        return false;
      const TableUse &T = Tables.find(Root)->second;
      return !T.Escapes && !WriteCanFollow(*L, T);
    });
    if (!Redone)
      continue;
    SmallVector<const Value *, 2> &Read = ReloadableLoads[Fwd.primal(L)];
    for (const Value *O : Objs) {
      const Value *Root = RootOf.lookup(O);
      if (!is_contained(Read, Root))
        Read.push_back(Root);
      if (!isa<AllocaInst>(Root))
        Candidate(Root);
    }
  }
}

bool ReverseGen::keepTablesRead() {
  bool Dropped = false;
  DenseSet<const Value *> Read;
  for (auto &[Load, Table] : TableReads)
    if (Load) // (not dropped as unused)
      Read.insert(Table);
  for (bool Grew = true; Grew;) { // tables freed together are kept together
    Grew = false;
    for (auto &[Table, Partners] : FreePartners)
      if (Read.count(Table))
        for (const Value *P : Partners)
          Grew |= Read.insert(P).second;
  }
  SmallPtrSet<CallBase *, 4> Moved; // forward frees erased (one may free several tables)
  for (auto &[Table, Frees] : ReadableTables) {
    if (!Read.count(Table)) {
      if (Instruction *Release = TableReleases.lookup(Table)) {
        Release->eraseFromParent();
        Dropped = true;
      }
      continue;
    }
    if (!TableReleases.count(Table))
      fail("internal: a table read in the reverse sweep is never given back", Table);
    auto *FwdTable = cast<Instruction>(Fwd.primal(const_cast<Value *>(Table)));
    if (isMallocLike(Table)) {
      for (CallBase *Free : Frees)
        if (Moved.insert(Free).second)
          cast<Instruction>(Fwd.primal(Free))->eraseFromParent();
    } else {
      IRBuilder<>(FwdTable->getNextNode()).CreateCall(nrtRetainFn(*F.getParent()), {FwdTable});
    }
  }
  return Dropped;
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


} // namespace reverse
} // namespace enzpy
