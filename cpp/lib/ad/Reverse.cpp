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
// The generator's class is in ReverseGen.h, its set-up in ReverseSetup.cpp, what the reverse sweep recomputes or
// tapes (and the tape records) in ReverseTape.cpp.
#include "ad/ReverseGen.h"

namespace enzpy {
namespace reverse {

// ---------------------------------------------------------------- adjoints

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
  findReloadableTables();
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
      Fwd.remap(Exit->getTerminator(), FB.CreateBr(RB[Exit].Pops));
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
      Fwd.remap(Exit->getTerminator(), FB.CreateRet(Agg));
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
  if (keepTablesRead())
    dropUnusedLookups(); // what the dropped releases looked up
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
    if (Lane == 0 && ReadableTables.count(&CB)) // (keepTablesRead)
      TableReleases[&CB] = callLibc(B, "free", B.getVoidTy(), {lookup(&CB)});
    return;
  }
  case CallKind::NrtAlloc:
    B.CreateCall(nrtReleaseFn(*F.getParent()), {shadowOf(&CB)});
    if (Lane == 0 && ReadableTables.count(&CB)) // (keepTablesRead)
      TableReleases[&CB] = B.CreateCall(nrtReleaseFn(*F.getParent()), {lookup(&CB)});
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

} // namespace reverse

using reverse::ReverseGen;

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
