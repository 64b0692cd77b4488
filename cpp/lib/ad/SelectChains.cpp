#include "ad/SelectChains.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Dominators.h"

namespace enzpy {
namespace {

// m = phi [start, preheader], [S_n, latch]; S_1 = select(c_1, x_1, m) ... S_n = select(c_n, x_n, S_n-1) (or
// with the arms swapped), each x_k a load in the loop.
struct SelectChain {
  PHINode *Running;
  SmallVector<SelectInst *, 8> Selects; ///< first (reads the phi) to last (the latch's incoming value)
  SmallVector<LoadInst *, 8> Elements;  ///< what each select picks when it does not keep the running value
  SmallVector<Use *, 4> Outside;        ///< uses of the last select after the loop
};

struct ChainLoop {
  BasicBlock *Entering, *Latch, *Exit; ///< the one block outside the loop that enters it; its latch, its exit
  SmallVector<SelectChain, 2> Chains;
};

bool writesMemory(const Loop &L) {
  for (BasicBlock *BB : L.blocks())
    for (Instruction &I : *BB)
      if (I.mayWriteToMemory() && // llvm.assume and alias-scope declarations touch no memory a load reads
          !(isa<IntrinsicInst>(I) && cast<IntrinsicInst>(I).onlyAccessesInaccessibleMemory()))
        return true;
  return false;
}

// V's users are comparisons in the loop and Next (the chain's next link), and for the last link also users after
// the loop: nothing else reads the running value, so it needs no adjoint once its result is read again there.
bool onlyComparedOrLinked(const Value *V, const Value *Next, const Loop &L, bool Last) {
  return all_of(V->users(), [&](const User *U) {
    auto *I = cast<Instruction>(U);
    return U == Next || (L.contains(I) ? isa<CmpInst>(I) : Last);
  });
}

bool isElement(const Value *V, const Loop &L) {
  auto *LI = dyn_cast<LoadInst>(V);
  return LI && LI->isSimple() && L.contains(LI);
}

std::optional<SelectChain> findChain(const Loop &L, PHINode &P, BasicBlock *Latch) {
  SelectChain C{&P, {}, {}, {}};
  Value *V = P.getIncomingValueForBlock(Latch);
  while (V != &P) {
    auto *S = dyn_cast<SelectInst>(V);
    if (!S || !L.contains(S) || S->getCondition()->getType()->isVectorTy() || C.Selects.size() == 64)
      return std::nullopt;
    bool PicksTrue = isElement(S->getTrueValue(), L), PicksFalse = isElement(S->getFalseValue(), L);
    if (PicksTrue == PicksFalse)
      return std::nullopt;
    auto *X = cast<LoadInst>(PicksTrue ? S->getTrueValue() : S->getFalseValue());
    if (X->getPointerOperandType() != (C.Elements.empty() ? X : C.Elements[0])->getPointerOperandType())
      return std::nullopt;
    C.Selects.push_back(S);
    C.Elements.push_back(X);
    V = PicksTrue ? S->getFalseValue() : S->getTrueValue();
  }
  if (C.Selects.empty())
    return std::nullopt;
  std::reverse(C.Selects.begin(), C.Selects.end());
  std::reverse(C.Elements.begin(), C.Elements.end());
  if (!onlyComparedOrLinked(&P, C.Selects.front(), L, false))
    return std::nullopt;
  for (size_t K = 0; K + 1 < C.Selects.size(); ++K)
    if (!onlyComparedOrLinked(C.Selects[K], C.Selects[K + 1], L, false))
      return std::nullopt;
  SelectInst *Last = C.Selects.back();
  if (!onlyComparedOrLinked(Last, &P, L, true))
    return std::nullopt;
  for (Use &U : Last->uses())
    if (!L.contains(cast<Instruction>(U.getUser())))
      C.Outside.push_back(&U);
  if (C.Outside.empty()) // nothing reads the result
    return std::nullopt;
  return C;
}

// The loop's chains, if it is one whose result can be read again: a preheader, one latch that is its only exit
// (so a run of the loop always ends after a whole pass of the chain) and no write to memory.
std::optional<ChainLoop> findChainLoop(const Loop &L) {
  BasicBlock *Pre = L.getLoopPredecessor(), *Latch = L.getLoopLatch(), *Exit = L.getExitBlock();
  if (!Pre || !Latch || !Exit || L.getExitingBlock() != Latch || !isa<BranchInst>(Latch->getTerminator()) ||
      writesMemory(L))
    return std::nullopt;
  ChainLoop CL{Pre, Latch, Exit, {}};
  for (PHINode &P : L.getHeader()->phis())
    if (P.getType()->isFloatingPointTy() && P.getNumIncomingValues() == 2 && P.getBasicBlockIndex(Pre) >= 0 &&
        P.getBasicBlockIndex(Latch) >= 0)
      if (auto C = findChain(L, P, Latch))
        CL.Chains.push_back(std::move(*C));
  if (CL.Chains.empty())
    return std::nullopt;
  return CL;
}

// A block on the edge latch -> exit, whose only predecessor is the latch.
BasicBlock *splitExitEdge(ChainLoop &CL) {
  Function *F = CL.Latch->getParent();
  BasicBlock *Edge = BasicBlock::Create(F->getContext(), "pick.exit", F, CL.Exit);
  BranchInst::Create(CL.Exit, Edge);
  CL.Latch->getTerminator()->replaceSuccessorWith(CL.Exit, Edge);
  for (PHINode &Phi : CL.Exit->phis())
    for (int Idx; (Idx = Phi.getBasicBlockIndex(CL.Latch)) >= 0;)
      Phi.setIncomingBlock(Idx, Edge);
  return Edge;
}

void rewriteLoop(ChainLoop &CL) {
  LLVMContext &Ctx = CL.Latch->getContext();
  Function *F = CL.Latch->getParent();
  BasicBlock *Edge = splitExitEdge(CL), *Here = Edge;
  for (SelectChain &C : CL.Chains) {
    // the address of the element picked last (null: none), kept beside the running value
    auto *PtrTy = C.Elements[0]->getPointerOperandType();
    PHINode *Addr = PHINode::Create(PtrTy, 2, C.Running->getName() + ".addr", C.Running->getIterator());
    Addr->addIncoming(ConstantPointerNull::get(cast<PointerType>(PtrTy)), CL.Entering);
    Value *Prev = Addr;
    Align A = C.Elements[0]->getAlign();
    for (size_t K = 0; K < C.Selects.size(); ++K) {
      SelectInst *S = C.Selects[K];
      IRBuilder<> B(S->getNextNode());
      Value *X = C.Elements[K]->getPointerOperand();
      bool PicksTrue = S->getTrueValue() == C.Elements[K];
      Prev = B.CreateSelect(S->getCondition(), PicksTrue ? X : Prev, PicksTrue ? Prev : X, S->getName() + ".addr");
      A = std::min(A, C.Elements[K]->getAlign());
    }
    Addr->addIncoming(Prev, CL.Latch);
    // after the loop: the result is the element at that address, or the start value
    auto *Last = PHINode::Create(PtrTy, 1, C.Running->getName() + ".addr.last", Edge->begin());
    Last->addIncoming(Prev, CL.Latch);
    BasicBlock *Done = Here->splitBasicBlock(Here->getTerminator(), "pick.done");
    BasicBlock *Load = BasicBlock::Create(Ctx, "pick.load", F, Done);
    Here->getTerminator()->eraseFromParent();
    IRBuilder<> B(Here);
    B.CreateCondBr(B.CreateIsNull(Last, "picked.none"), Done, Load);
    B.SetInsertPoint(Load);
    LoadInst *Picked = B.CreateAlignedLoad(C.Running->getType(), Last, A, C.Running->getName() + ".picked");
    Picked->setDebugLoc(C.Selects.back()->getDebugLoc());
    B.CreateBr(Done);
    PHINode *Result = PHINode::Create(C.Running->getType(), 2, C.Running->getName() + ".result", Done->begin());
    Result->addIncoming(C.Running->getIncomingValueForBlock(CL.Entering), Here);
    Result->addIncoming(Picked, Load);
    for (Use *U : C.Outside)
      U->set(Result);
    Here = Done;
  }
}

} // namespace

unsigned reloadSelectChains(Function &F) {
  if (F.isDeclaration())
    return 0;
  DominatorTree DT(F);
  LoopInfo LI(DT);
  SmallVector<ChainLoop, 4> Found;
  for (Loop *L : LI.getLoopsInPreorder())
    if (auto CL = findChainLoop(*L))
      Found.push_back(std::move(*CL));
  unsigned N = 0;
  for (ChainLoop &CL : Found) {
    rewriteLoop(CL);
    N += CL.Chains.size();
  }
  return N;
}

} // namespace enzpy
