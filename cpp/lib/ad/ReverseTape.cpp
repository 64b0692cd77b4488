// Reverse mode, what the reverse sweep does with a forward value it needs: use it directly, recompute it
// (isRecomputable), compute it from a loop index, keep it once per loop entry, or tape it; and the tape records
// of blocks, loop exits and indexed loops. See Reverse.cpp.
#include "ad/ReverseGen.h"

namespace enzpy {
namespace reverse {

// the types of the values of (value, placeholder) pairs: what a tape record holds, for tape::layout
template <typename Pairs> SmallVector<Type *, 8> valueTypes(const Pairs &Fields) {
  SmallVector<Type *, 8> Types;
  for (const auto &Field : Fields)
    Types.push_back(Field.first->getType());
  return Types;
}

// ---------------------------------------------------------------- forward values in the reverse sweep

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
           (ReloadableLoads.count(L) ||
            all_of(objectsOf(L->getPointerOperand()), [&](const Value *O) { return Reloadable.count(O) > 0; }));
  // integers and pointers from here on: selects of them are indices wrapped around (numba's negative indexing)
  if (isa<GetElementPtrInst>(I) || isa<ICmpInst>(I) || isa<SelectInst>(I) || isa<CastInst>(I))
    return true;
  if (auto *BO = dyn_cast<BinaryOperator>(I))
    return BO->getOpcode() != Instruction::SDiv && BO->getOpcode() != Instruction::UDiv &&
           BO->getOpcode() != Instruction::SRem && BO->getOpcode() != Instruction::URem;
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
  int Taped = tapedValuesToRecompute(I, 0);
  if (Taped < 0 || Taped > 1)
    return nullptr;
  Instruction *C = I->clone();
  for (unsigned K = 0; K < C->getNumOperands(); ++K)
    if (!isa<BasicBlock>(C->getOperand(K)))
      C->setOperand(K, lookupFwd(C->getOperand(K)));
  C->setName(I->getName() + ".re");
  if (auto It = ReloadableLoads.find(I); It != ReloadableLoads.end())
    for (const Value *Table : It->second)
      TableReads.push_back({WeakVH(C), Table});
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
  // the reverse sweep prefetches the records it reads next
  bool Vectors = tape::alignedBuffer(*F.getParent()) && any_of(Offsets, [&](const auto &E) {
    return any_of(RB[E.first].Needed, [](const auto &N) { return N.first->getType()->isVectorTy(); });
  });
  Value *Base = Vectors ? tape::reserveAligned(EB, Fwd.Tape, Bytes) : tape::reserve(EB, Fwd.Tape, Bytes);
  Align RecordAlign = Vectors ? commonAlignment(Align(tape::BufferAlign), Stride) : Align(1);
  for (auto &[Orig, Offs] : Offsets) {
    RevBlock &R = RB[Orig];
    IRBuilder<> FB(Fwd.clonedExit(Orig)->getTerminator());
    Value *Rec = FB.CreateGEP(FB.getInt8Ty(), Base, FB.CreateMul(L.Counter, FB.getInt64(Stride)), "iter.record");
    for (unsigned K = 0; K < R.Needed.size(); ++K)
      FB.CreateAlignedStore(R.Needed[K].first, FB.CreateConstInBoundsGEP1_64(FB.getInt8Ty(), Rec, Offs[K]),
                            commonAlignment(RecordAlign, Offs[K]));
    IRBuilder<> RBld(R.Pops, R.Pops->begin());
    Value *RBase = RBld.CreateLoad(RBld.getPtrTy(), L.RevBase);
    Value *Idx = RBld.CreateLoad(I64, L.RevSlot);
    Value *RRec = RBld.CreateGEP(RBld.getInt8Ty(), RBase, RBld.CreateMul(Idx, RBld.getInt64(Stride)), "iter.record");
    if (Vectors)
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

} // namespace reverse
} // namespace enzpy
