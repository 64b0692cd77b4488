#include "ad/SharedMemory.h"
#include "ad/Synth.h"
#include "llvm/IR/ReplaceConstant.h"

namespace enzpy {

bool isSharedMemory(const Value *V) {
  auto *G = dyn_cast<GlobalVariable>(V);
  return G && G->getAddressSpace() == 3 && !G->isConstant();
}

void exposeSharedMemory(Function &F) {
  SmallVector<Constant *, 4> Shared;
  for (GlobalVariable &G : F.getParent()->globals())
    if (isSharedMemory(&G))
      Shared.push_back(&G);
  if (!Shared.empty())
    convertUsersOfConstantsToInstructions(Shared, &F);
}

namespace {
// the linear id of this thread in its block and the block's thread count
std::pair<Value *, Value *> threadInBlock(IRBuilder<> &B) {
  Module &M = *B.GetInsertBlock()->getModule();
  auto Sreg = [&](const char *Name) {
    FunctionCallee F = M.getOrInsertFunction(std::string("llvm.nvvm.read.ptx.sreg.") + Name, B.getInt32Ty());
    return B.CreateZExt(B.CreateCall(F), B.getInt64Ty());
  };
  Value *TX = Sreg("tid.x"), *TY = Sreg("tid.y"), *TZ = Sreg("tid.z");
  Value *NX = Sreg("ntid.x"), *NY = Sreg("ntid.y"), *NZ = Sreg("ntid.z");
  Value *Id = B.CreateAdd(TX, B.CreateMul(NX, B.CreateAdd(TY, B.CreateMul(NY, TZ))));
  return {Id, B.CreateMul(NX, B.CreateMul(NY, NZ))};
}
} // namespace

void ForwardSweep::shadowSharedMemory() {
  SmallVector<GlobalVariable *, 2> Shared;
  for (const Value *V : AI.Varied)
    if (isSharedMemory(V))
      Shared.push_back(const_cast<GlobalVariable *>(cast<GlobalVariable>(V)));
  if (Shared.empty())
    return;
  llvm::sort(Shared, [](GlobalVariable *A, GlobalVariable *B) { return A->getName() < B->getName(); });
  Module &M = *NF->getParent();
  for (unsigned L = 0; L < Lanes.size(); ++L)
    for (GlobalVariable *G : Shared) {
      std::string Name = (G->getName() + ".shadow" + (L ? "." + std::to_string(L) : "")).str();
      GlobalVariable *S = M.getNamedGlobal(Name);
      if (!S) {
        S = new GlobalVariable(M, G->getValueType(), false, GlobalValue::InternalLinkage,
                               UndefValue::get(G->getValueType()), Name, nullptr, GlobalValue::NotThreadLocal, 3);
        S->setAlignment(G->getAlign());
      }
      Lanes[L][G] = S;
    }
  if (Tangents)
    return; // forward mode: a tangent is written wherever its primal is, before it is read
  // reverse mode: the shadows must start at zero; the block's threads clear them together, then meet at a
  // barrier (the function has barriers, so every thread of the block runs it)
  CallBase *Barrier = nullptr;
  for (BasicBlock &BB : F)
    for (Instruction &I : BB)
      if (auto *CB = dyn_cast<CallBase>(&I); CB && !Barrier && classifyCall(*CB) == CallKind::Barrier &&
                                              all_of(CB->args(), [](const Use &U) { return isa<Constant>(U); }))
        Barrier = CB;
  if (!Barrier)
    fail("a differentiable value is kept in GPU shared memory by a function without a barrier "
         "(cuda.syncthreads()); enzpy clears the shadow of shared memory cooperatively and needs one",
         Shared.front());
  LLVMContext &Ctx = NF->getContext();
  const DataLayout &DL = M.getDataLayout();
  BasicBlock *Entry = Prologue->getSingleSuccessor();
  IRBuilder<> B(Prologue->getTerminator());
  auto [Id, Count] = threadInBlock(B);
  for (GlobalVariable *G : Shared) {
    uint64_t Bytes = DL.getTypeAllocSize(G->getValueType());
    Type *Word = Bytes % 8 == 0 ? B.getInt64Ty() : B.getInt8Ty();
    Value *Words = B.getInt64(Bytes / DL.getTypeAllocSize(Word));
    BasicBlock *From = B.GetInsertBlock();
    BasicBlock *Loop = BasicBlock::Create(Ctx, "shared.zero", NF, Entry);
    BasicBlock *Next = BasicBlock::Create(Ctx, "shared.zeroed", NF, Entry);
    From->getTerminator()->eraseFromParent();
    B.SetInsertPoint(From);
    B.CreateCondBr(B.CreateICmpULT(Id, Words), Loop, Next);
    B.SetInsertPoint(Loop);
    PHINode *I = B.CreatePHI(B.getInt64Ty(), 2);
    I->addIncoming(Id, From);
    for (unsigned L = 0; L < Lanes.size(); ++L)
      B.CreateStore(Constant::getNullValue(Word), B.CreateGEP(Word, Lanes[L][G], I));
    Value *I1 = B.CreateAdd(I, Count);
    I->addIncoming(I1, Loop);
    B.CreateCondBr(B.CreateICmpULT(I1, Words), Loop, Next);
    B.SetInsertPoint(Next);
    B.CreateBr(Entry);
    B.SetInsertPoint(Next->getTerminator());
  }
  B.CreateCall(Barrier->getFunctionType(), Barrier->getCalledOperand(), SmallVector<Value *, 2>(Barrier->args()));
}

} // namespace enzpy
