#include "ad/LoopCounters.h"
#include "ad/Tape.h"
#include "llvm/Analysis/AssumptionCache.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/Dominators.h"

namespace enzpy {

std::vector<CountedLoop> findCountedLoops(Function &F,
                                          const DenseMap<const BasicBlock *, SmallVector<BasicBlock *, 2>> &Preds) {
  DominatorTree DT(F);
  LoopInfo LI(DT);
  TargetLibraryInfoImpl TLII(F.getParent()->getTargetTriple());
  TargetLibraryInfo TLI(TLII);
  AssumptionCache AC(F);
  ScalarEvolution SE(F, TLI, AC, DT, LI);
  std::vector<CountedLoop> Out;
  for (Loop *L : LI.getLoopsInPreorder()) {
    BasicBlock *H = L->getHeader();
    auto It = Preds.find(H);
    if (It == Preds.end() || It->second.size() != 2)
      continue;
    BasicBlock *P0 = It->second[0], *P1 = It->second[1];
    CountedLoop C;
    C.Header = H;
    if (!L->contains(P0) && L->contains(P1))
      C.Pre = P0, C.Latch = P1;
    else if (L->contains(P0) && !L->contains(P1))
      C.Pre = P1, C.Latch = P0;
    else
      continue;
    SmallVector<Loop::Edge, 4> Exits;
    L->getExitEdges(Exits);
    bool Simple = !Exits.empty();
    for (auto &[From, To] : Exits) {
      // leaving this loop only (a `break` out of two loops would need two counts on one edge)
      if (LI.getLoopFor(To) != L->getParentLoop()) {
        Simple = false;
        break;
      }
      std::pair<BasicBlock *, BasicBlock *> E{const_cast<BasicBlock *>(From), const_cast<BasicBlock *>(To)};
      if (!is_contained(C.Exits, E))
        C.Exits.push_back(E);
    }
    if (!Simple)
      continue;
    for (BasicBlock *BB : L->blocks())
      C.Blocks.insert(BB);
    for (PHINode &Phi : H->phis()) {
      Value *Start = Phi.getIncomingValueForBlock(C.Pre), *Next = Phi.getIncomingValueForBlock(C.Latch);
      // Start: a constant, an argument, or a value computed before the loop (the reverse sweep reads it once
      // per loop entry, see ReverseTape.cpp's loop invariants)
      auto *StartI = dyn_cast<Instruction>(Start);
      if (!(isa<Constant>(Start) || isa<Argument>(Start) || (StartI && !L->contains(StartI))))
        continue;
      if (Phi.getType()->isPointerTy()) { // p = gep p, constant bytes (strength-reduced array walks)
        auto *G = dyn_cast<GetElementPtrInst>(Next);
        APInt Off(64, 0);
        if (G && G->getPointerOperand() == &Phi && G->accumulateConstantOffset(F.getParent()->getDataLayout(), Off))
          C.Inductions.push_back({&Phi, Start, Off.getSExtValue(), true});
        continue;
      }
      auto *Step = dyn_cast<BinaryOperator>(Next);
      if (!Phi.getType()->isIntegerTy() || Phi.getType()->getIntegerBitWidth() > 64 || !Step)
        continue;
      auto *K = dyn_cast<ConstantInt>(Step->getOperand(1));
      bool Add = Step->getOpcode() == Instruction::Add, Sub = Step->getOpcode() == Instruction::Sub;
      if (Add && !K && Step->getOperand(1) == &Phi) { // c + phi
        K = dyn_cast<ConstantInt>(Step->getOperand(0));
        if (K)
          C.Inductions.push_back({&Phi, Start, K->getSExtValue(), false});
        continue;
      }
      if ((Add || Sub) && K && Step->getOperand(0) == &Phi)
        C.Inductions.push_back({&Phi, Start, Add ? K->getSExtValue() : -K->getSExtValue(), false});
    }
    C.Trips = TripCount::of(*L, SE, DT);
    Out.push_back(std::move(C));
  }
  return Out;
}

BasicBlock *splitEdges(BasicBlock *From, BasicBlock *To, const Twine &Name) {
  BasicBlock *Edge = BasicBlock::Create(To->getContext(), Name, To->getParent(), To);
  From->getTerminator()->replaceSuccessorWith(To, Edge);
  for (PHINode &Phi : To->phis()) {
    bool Seen = false;
    for (unsigned I = Phi.getNumIncomingValues(); I-- > 0;) {
      if (Phi.getIncomingBlock(I) != From)
        continue;
      if (Seen)
        Phi.removeIncomingValue(I, /*DeletePHIIfEmpty=*/false);
      else
        Phi.setIncomingBlock(I, Edge);
      Seen = true;
    }
  }
  BranchInst::Create(To, Edge);
  return Edge;
}

void emitForwardCounter(CountedLoop &L, const std::function<BasicBlock *(const BasicBlock *)> &ClonedHead,
                        const std::function<BasicBlock *(const BasicBlock *)> &ClonedExit) {
  BasicBlock *Head = ClonedHead(L.Header);
  BasicBlock *Pre = ClonedExit(L.Pre), *Latch = ClonedExit(L.Latch);
  IRBuilder<> B(Head, Head->begin());
  Type *I64 = B.getInt64Ty();
  PHINode *Counter = B.CreatePHI(I64, 2, "iter");
  B.SetInsertPoint(Head, Head->getFirstInsertionPt());
  Value *Next = B.CreateAdd(Counter, B.getInt64(1), "iter.next", /*HasNUW=*/true, /*HasNSW=*/true);
  for (BasicBlock *P : predecessors(Head)) { // one entry per edge (a switch may have two into the header)
    if (P == Pre)
      Counter->addIncoming(B.getInt64(0), P);
    else if (P == Latch)
      Counter->addIncoming(Next, P);
    else
      fail("internal: unexpected predecessor of a counted loop header", L.Header);
  }
  L.Counter = Counter;
  // the count goes on the tape on every edge that leaves the loop, in a block of its own on that edge (the reverse
  // generator pushes it there with the loop's invariants, in one record, once it knows them)
  for (auto &[From, To] : L.Exits) {
    BasicBlock *CF = ClonedExit(From), *CT = ClonedHead(To);
    L.ExitBranches.push_back(splitEdges(CF, CT, "loop.exit.count")->getTerminator());
  }
}

} // namespace enzpy
