#include "ad/Tape.h"

namespace enzpy {
namespace tape {

StructType *type(LLVMContext &C) {
  if (auto *T = StructType::getTypeByName(C, "enzpy.tape"))
    return T;
  return StructType::create(C, {PointerType::getUnqual(C), Type::getInt64Ty(C), Type::getInt64Ty(C)},
                            "enzpy.tape");
}

uint64_t slotSize(const DataLayout &DL, Type *T) { return alignTo(DL.getTypeAllocSize(T).getFixedValue(), 8); }

static Function *libc(Module &M, const char *Name, Type *Ret, ArrayRef<Type *> Params) {
  return cast<Function>(M.getOrInsertFunction(Name, FunctionType::get(Ret, Params, false)).getCallee());
}

// void __enzpy_tape_grow(ptr tape, i64 needed): capacity = max(2*cap, needed, 4096); realloc; abort on OOM.
static Function *growFn(Module &M) {
  if (Function *F = M.getFunction("__enzpy_tape_grow"))
    return F;
  LLVMContext &C = M.getContext();
  Type *I64 = Type::getInt64Ty(C), *Ptr = PointerType::getUnqual(C);
  Function *F = Function::Create(FunctionType::get(Type::getVoidTy(C), {Ptr, I64}, false),
                                 GlobalValue::InternalLinkage, "__enzpy_tape_grow", M);
  F->addFnAttr(Attribute::NoInline);
  F->addFnAttr(Attribute::Cold);
  auto *Entry = BasicBlock::Create(C, "entry", F);
  auto *Oom = BasicBlock::Create(C, "oom", F);
  auto *Done = BasicBlock::Create(C, "done", F);
  IRBuilder<> B(Entry);
  StructType *TT = type(C);
  Value *T = F->getArg(0), *Need = F->getArg(1);
  Value *CapP = B.CreateStructGEP(TT, T, 2);
  Value *Cap = B.CreateLoad(I64, CapP);
  Value *NewCap = B.CreateShl(Cap, 1);
  NewCap = B.CreateSelect(B.CreateICmpUGT(Need, NewCap), Need, NewCap);
  NewCap = B.CreateSelect(B.CreateICmpULT(NewCap, B.getInt64(4096)), B.getInt64(4096), NewCap);
  Value *DataP = B.CreateStructGEP(TT, T, 0);
  Value *Old = B.CreateLoad(Ptr, DataP);
  Value *New = B.CreateCall(libc(M, "realloc", Ptr, {Ptr, I64}), {Old, NewCap});
  B.CreateCondBr(B.CreateIsNull(New), Oom, Done);
  B.SetInsertPoint(Oom);
  B.CreateCall(libc(M, "abort", Type::getVoidTy(C), {}));
  B.CreateUnreachable();
  B.SetInsertPoint(Done);
  B.CreateStore(New, DataP);
  B.CreateStore(NewCap, CapP);
  B.CreateRetVoid();
  return F;
}

Value *createLocal(IRBuilder<> &B) {
  LLVMContext &C = B.getContext();
  Value *T = B.CreateAlloca(type(C), nullptr, "tape");
  B.CreateStore(Constant::getNullValue(type(C)), T);
  return T;
}

void destroy(IRBuilder<> &B, Value *Tape) {
  Module &M = *B.GetInsertBlock()->getModule();
  LLVMContext &C = M.getContext();
  Type *Ptr = PointerType::getUnqual(C);
  Value *Data = B.CreateLoad(Ptr, B.CreateStructGEP(type(C), Tape, 0));
  B.CreateCall(libc(M, "free", Type::getVoidTy(C), {Ptr}), {Data});
}

Value *createHeap(IRBuilder<> &B) {
  Module &M = *B.GetInsertBlock()->getModule();
  LLVMContext &C = M.getContext();
  Type *Ptr = PointerType::getUnqual(C);
  Value *T = B.CreateCall(libc(M, "calloc", Ptr, {B.getInt64Ty(), B.getInt64Ty()}),
                          {B.getInt64(1), B.getInt64(M.getDataLayout().getTypeAllocSize(type(C)))}, "tape");
  return T;
}

void destroyHeap(IRBuilder<> &B, Value *Tape) {
  Module &M = *B.GetInsertBlock()->getModule();
  destroy(B, Tape);
  B.CreateCall(libc(M, "free", B.getVoidTy(), {B.getPtrTy()}), {Tape});
}

Value *reserve(IRBuilder<> &B, Value *Tape, uint64_t Bytes) {
  Module &M = *B.GetInsertBlock()->getModule();
  LLVMContext &C = M.getContext();
  StructType *TT = type(C);
  Type *I64 = Type::getInt64Ty(C), *Ptr = PointerType::getUnqual(C);
  Value *SizeP = B.CreateStructGEP(TT, Tape, 1);
  Value *Size = B.CreateLoad(I64, SizeP, "tape.size");
  Value *NewSize = B.CreateAdd(Size, B.getInt64(Bytes));
  Value *Cap = B.CreateLoad(I64, B.CreateStructGEP(TT, Tape, 2), "tape.cap");
  // grow out of line when full; the common path is a compare and a store
  Function *Cur = B.GetInsertBlock()->getParent();
  BasicBlock *Here = B.GetInsertBlock();
  BasicBlock *Rest = Here->splitBasicBlock(B.GetInsertPoint(), Here->getName() + ".pushed");
  BasicBlock *Grow = BasicBlock::Create(C, "tape.grow", Cur, Rest);
  Here->getTerminator()->eraseFromParent();
  B.SetInsertPoint(Here);
  B.CreateCondBr(B.CreateICmpUGT(NewSize, Cap), Grow, Rest);
  B.SetInsertPoint(Grow);
  B.CreateCall(growFn(M), {Tape, NewSize});
  B.CreateBr(Rest);
  B.SetInsertPoint(Rest, Rest->begin());
  Value *Data = B.CreateLoad(Ptr, B.CreateStructGEP(TT, Tape, 0));
  B.CreateStore(NewSize, SizeP);
  return B.CreateGEP(B.getInt8Ty(), Data, Size, "tape.slot");
}

Value *release(IRBuilder<> &B, Value *Tape, uint64_t Bytes) {
  LLVMContext &C = B.getContext();
  StructType *TT = type(C);
  Type *I64 = Type::getInt64Ty(C), *Ptr = PointerType::getUnqual(C);
  Value *SizeP = B.CreateStructGEP(TT, Tape, 1);
  Value *Size = B.CreateLoad(I64, SizeP, "tape.size");
  Value *NewSize = B.CreateSub(Size, B.getInt64(Bytes));
  B.CreateStore(NewSize, SizeP);
  Value *Data = B.CreateLoad(Ptr, B.CreateStructGEP(TT, Tape, 0));
  return B.CreateGEP(B.getInt8Ty(), Data, NewSize, "tape.slot");
}

} // namespace tape
} // namespace enzpy
