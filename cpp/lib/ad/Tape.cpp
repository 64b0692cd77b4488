#include "ad/Tape.h"
#include "llvm/TargetParser/Triple.h"

namespace enzpy {
namespace tape {

StructType *type(LLVMContext &C) {
  if (auto *T = StructType::getTypeByName(C, "enzpy.tape"))
    return T;
  return StructType::create(C, {PointerType::getUnqual(C), Type::getInt64Ty(C), Type::getInt64Ty(C)},
                            "enzpy.tape");
}

uint64_t slotSize(const DataLayout &DL, Type *T) { return alignTo(DL.getTypeAllocSize(T).getFixedValue(), 8); }

uint64_t layout(const DataLayout &DL, ArrayRef<Type *> Types, SmallVectorImpl<uint64_t> &Offsets) {
  Offsets.assign(Types.size(), 0);
  uint64_t Size = 0;
  for (bool Narrow : {false, true})
    for (auto [K, T] : enumerate(Types)) {
      uint64_t Bytes = DL.getTypeStoreSize(T).getFixedValue();
      if ((Bytes < 8) != Narrow)
        continue;
      if (Narrow)
        Size = alignTo(Size, DL.getABITypeAlign(T));
      Offsets[K] = Size;
      Size += Narrow ? Bytes : slotSize(DL, T);
    }
  return alignTo(Size, 8);
}

static Function *libc(Module &M, const char *Name, Type *Ret, ArrayRef<Type *> Params) {
  return cast<Function>(M.getOrInsertFunction(Name, FunctionType::get(Ret, Params, false)).getCallee());
}

static bool parksBuffers(const Module &M);

// void __enzpy_tape_grow(ptr tape, i64 needed): capacity = max(2*cap, needed, 4096), abort on OOM. CPU code: the
// capacity rounded up to BufferAlign and a new aligned buffer (aligned_alloc; realloc keeps no alignment) that
// takes the bytes in use. Device code: realloc (the CUDA route supplies it over the device heap).
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
  Value *CapP = B.CreateStructGEP(TT, T, 2), *DataP = B.CreateStructGEP(TT, T, 0);
  Value *Cap = B.CreateLoad(I64, CapP);
  Value *NewCap = B.CreateShl(Cap, 1);
  NewCap = B.CreateSelect(B.CreateICmpUGT(Need, NewCap), Need, NewCap);
  NewCap = B.CreateSelect(B.CreateICmpULT(NewCap, B.getInt64(4096)), B.getInt64(4096), NewCap);
  bool Aligned = alignedBuffer(M);
  Value *Old = B.CreateLoad(Ptr, DataP), *New;
  if (Aligned) {
    NewCap = B.CreateAnd(B.CreateAdd(NewCap, B.getInt64(BufferAlign - 1)), B.getInt64(~(BufferAlign - 1)));
    New = B.CreateCall(libc(M, "aligned_alloc", Ptr, {I64, I64}), {B.getInt64(BufferAlign), NewCap});
  } else {
    New = B.CreateCall(libc(M, "realloc", Ptr, {Ptr, I64}), {Old, NewCap});
  }
  B.CreateCondBr(B.CreateIsNull(New), Oom, Done);
  B.SetInsertPoint(Oom);
  B.CreateCall(libc(M, "abort", Type::getVoidTy(C), {}));
  B.CreateUnreachable();
  B.SetInsertPoint(Done);
  if (Aligned) {
    Value *Used = B.CreateLoad(I64, B.CreateStructGEP(TT, T, 1)); // the size before the reservation that grows it
    B.CreateMemCpy(New, Align(BufferAlign), Old, Align(BufferAlign), Used);
    B.CreateCall(libc(M, "free", Type::getVoidTy(C), {Ptr}), {Old});
  }
  B.CreateStore(New, DataP);
  B.CreateStore(NewCap, CapP);
  B.CreateRetVoid();
  return F;
}

bool alignedBuffer(const Module &M) { return parksBuffers(M); }

// A combined derivative's tape buffer outlives the call: destroy() parks it in one of its module's slots, and
// the next call (of any derivative of that module) takes it back instead of growing a fresh buffer, whose pages
// the kernel would have to fault in and zero again. Slot updates are atomic exchanges, so concurrent calls are
// safe. A call picks its slot from its thread's stack address (threadSlot), so that calls on several threads
// (autodiff inside a prange loop) each find the buffer their thread parked; two threads that pick the same slot
// are still correct, one of them just grows a fresh buffer. Buffers above CacheLimit are freed, and GPU code
// (no realloc) keeps no buffer.
static constexpr uint64_t CacheLimit = uint64_t(256) << 20;

static bool parksBuffers(const Module &M) {
  const Triple &T = M.getTargetTriple();
  return !T.isNVPTX() && !T.isAMDGPU() && !T.isSPIRV();
}

static GlobalVariable *moduleGlobal(Module &M, const char *Name, Type *T, bool Const) {
  if (GlobalVariable *G = M.getNamedGlobal(Name))
    return G;
  return new GlobalVariable(M, T, Const, GlobalValue::InternalLinkage, Constant::getNullValue(T), Name);
}

Value *createLocal(IRBuilder<> &B) {
  LLVMContext &C = B.getContext();
  Value *T = B.CreateAlloca(type(C), nullptr, "tape");
  B.CreateStore(Constant::getNullValue(type(C)), T);
  return T;
}

// The slot of the calling thread: threads' stacks lie at least 8 MiB (2^23 bytes) apart, so the bits of a stack
// address above bit 23 tell the threads of a pool apart, and calls from one thread (also the two halves of a
// split pair) agree. The address is that of a byte the function allocates on its stack.
static Value *threadSlot(IRBuilder<> &B) {
  Module &M = *B.GetInsertBlock()->getModule();
  LLVMContext &C = B.getContext();
  auto *Slots = ArrayType::get(PointerType::getUnqual(C), ParkedSlots);
  BasicBlock &Entry = B.GetInsertBlock()->getParent()->getEntryBlock();
  AllocaInst *Mark = nullptr;
  for (Instruction &I : Entry)
    if (auto *A = dyn_cast<AllocaInst>(&I); A && A->getName() == "tape.thread")
      Mark = A;
  if (!Mark)
    Mark = IRBuilder<>(&Entry, Entry.getFirstInsertionPt()).CreateAlloca(B.getInt8Ty(), nullptr, "tape.thread");
  Value *Bits = B.CreateLShr(B.CreatePtrToInt(Mark, B.getInt64Ty()), 23);
  Value *Index = B.CreateAnd(Bits, B.getInt64(ParkedSlots - 1), "tape.slot.index");
  return B.CreateInBoundsGEP(Slots, moduleGlobal(M, ParkedBufferName, Slots, false), {B.getInt64(0), Index});
}

// Starts tape T on the buffer parked in its thread's slot (its capacity is in its first word), or empty;
// branch-free: a null buffer reads its capacity from a constant zero.
static void startOnParkedBuffer(IRBuilder<> &B, Value *T) {
  Module &M = *B.GetInsertBlock()->getModule();
  LLVMContext &C = B.getContext();
  Type *Ptr = PointerType::getUnqual(C), *I64 = B.getInt64Ty();
  Value *Buf = B.CreateAtomicRMW(AtomicRMWInst::Xchg, threadSlot(B),
                                 ConstantPointerNull::get(cast<PointerType>(Ptr)), MaybeAlign(8),
                                 AtomicOrdering::Acquire);
  Value *CapP = B.CreateSelect(B.CreateIsNull(Buf), moduleGlobal(M, "__enzpy_tape_zero", I64, true), Buf);
  Value *Cap = B.CreateAlignedLoad(I64, CapP, Align(8), "tape.parked.cap");
  B.CreateStore(Buf, B.CreateStructGEP(type(C), T, 0));
  B.CreateStore(B.getInt64(0), B.CreateStructGEP(type(C), T, 1));
  B.CreateStore(Cap, B.CreateStructGEP(type(C), T, 2));
}

Function *shadowOfParkedFn(Module &M) {
  const char *Name = "__enzpy_tape_shadow_of_parked";
  if (Function *F = M.getFunction(Name))
    return F;
  LLVMContext &C = M.getContext();
  Type *Ptr = PointerType::getUnqual(C), *I64 = Type::getInt64Ty(C);
  Function *F = Function::Create(FunctionType::get(Ptr, {Ptr}, false), GlobalValue::InternalLinkage, Name, M);
  BasicBlock *Entry = BasicBlock::Create(C, "entry", F), *Some = BasicBlock::Create(C, "some", F),
             *None = BasicBlock::Create(C, "none", F);
  IRBuilder<> B(Entry);
  Value *Buf = F->getArg(0);
  B.CreateCondBr(B.CreateIsNull(Buf), None, Some);
  B.SetInsertPoint(None);
  B.CreateRet(ConstantPointerNull::get(cast<PointerType>(Ptr)));
  B.SetInsertPoint(Some);
  Value *Cap = B.CreateAlignedLoad(I64, Buf, Align(8), "cap");
  Value *S = B.CreateCall(libc(M, "aligned_alloc", Ptr, {I64, I64}), {B.getInt64(BufferAlign), Cap});
  B.CreateMemSet(S, B.getInt8(0), Cap, MaybeAlign(BufferAlign));
  B.CreateRet(S);
  return F;
}

static void freeBuffer(IRBuilder<> &B, Value *Tape) {
  Module &M = *B.GetInsertBlock()->getModule();
  LLVMContext &C = M.getContext();
  Type *Ptr = PointerType::getUnqual(C);
  Value *Data = B.CreateLoad(Ptr, B.CreateStructGEP(type(C), Tape, 0));
  B.CreateCall(libc(M, "free", Type::getVoidTy(C), {Ptr}), {Data});
}

static void parkBuffer(IRBuilder<> &B, Value *Tape);

void destroy(IRBuilder<> &B, Value *Tape) {
  Module &M = *B.GetInsertBlock()->getModule();
  // a tape nothing was pushed on (no grow call, no callee derivative took it) needs neither buffer nor slot
  auto *A = dyn_cast<AllocaInst>(Tape);
  bool Used = A && any_of(A->users(), [](const User *U) { return isa<CallBase>(U); });
  if (!Used || !parksBuffers(M))
    return freeBuffer(B, Tape);
  for (User *U : A->users())
    if (auto *S = dyn_cast<StoreInst>(U); S && S->getPointerOperand() == A && isa<Constant>(S->getValueOperand())) {
      IRBuilder<> IB(S);
      startOnParkedBuffer(IB, A);
      S->eraseFromParent();
      break;
    }
  parkBuffer(B, Tape);
}

// Parks Tape's buffer in its thread's slot (at most CacheLimit bytes; a buffer parked there before is freed).
static void parkBuffer(IRBuilder<> &B, Value *Tape) {
  Module &M = *B.GetInsertBlock()->getModule();
  LLVMContext &C = M.getContext();
  Type *Ptr = PointerType::getUnqual(C), *I64 = B.getInt64Ty();
  Function *Free = libc(M, "free", Type::getVoidTy(C), {Ptr});
  Value *Data = B.CreateLoad(Ptr, B.CreateStructGEP(type(C), Tape, 0));
  Value *Cap = B.CreateLoad(I64, B.CreateStructGEP(type(C), Tape, 2));
  Value *Keep = B.CreateAnd(B.CreateIsNotNull(Data), B.CreateICmpULE(Cap, B.getInt64(CacheLimit)));
  // the capacity goes into the buffer's first word (or, for a buffer not kept, into a scratch word)
  Value *CapP = B.CreateSelect(Keep, Data, moduleGlobal(M, "__enzpy_tape_scratch", I64, false));
  B.CreateAlignedStore(Cap, CapP, Align(8))->setAtomic(AtomicOrdering::Monotonic);
  Value *Null = ConstantPointerNull::get(cast<PointerType>(Ptr));
  Value *Old = B.CreateAtomicRMW(AtomicRMWInst::Xchg, threadSlot(B),
                                 B.CreateSelect(Keep, Data, Null), MaybeAlign(8), AtomicOrdering::AcquireRelease);
  B.CreateCall(Free, {Old});
  B.CreateCall(Free, {B.CreateSelect(Keep, Null, Data)});
}

Value *createHeap(IRBuilder<> &B) {
  Module &M = *B.GetInsertBlock()->getModule();
  LLVMContext &C = M.getContext();
  Type *Ptr = PointerType::getUnqual(C);
  Value *T = B.CreateCall(libc(M, "calloc", Ptr, {B.getInt64Ty(), B.getInt64Ty()}),
                          {B.getInt64(1), B.getInt64(M.getDataLayout().getTypeAllocSize(type(C)))}, "tape");
  if (parksBuffers(M)) // split mode reuses buffers too: the reverse pass parks the one it is done with
    startOnParkedBuffer(B, T);
  return T;
}

void destroyHeap(IRBuilder<> &B, Value *Tape) {
  Module &M = *B.GetInsertBlock()->getModule();
  if (parksBuffers(M))
    parkBuffer(B, Tape);
  else
    freeBuffer(B, Tape);
  B.CreateCall(libc(M, "free", B.getVoidTy(), {B.getPtrTy()}), {Tape});
}

Value *reserve(IRBuilder<> &B, Value *Tape, uint64_t Bytes) { return reserve(B, Tape, B.getInt64(Bytes)); }

Value *reserve(IRBuilder<> &B, Value *Tape, Value *Bytes) {
  Module &M = *B.GetInsertBlock()->getModule();
  LLVMContext &C = M.getContext();
  StructType *TT = type(C);
  Type *I64 = Type::getInt64Ty(C), *Ptr = PointerType::getUnqual(C);
  Value *SizeP = B.CreateStructGEP(TT, Tape, 1);
  Value *Size = B.CreateLoad(I64, SizeP, "tape.size");
  Value *NewSize = B.CreateAdd(Size, Bytes);
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

Value *release(IRBuilder<> &B, Value *Tape, uint64_t Bytes) { return release(B, Tape, B.getInt64(Bytes)); }

Value *release(IRBuilder<> &B, Value *Tape, Value *Bytes) {
  LLVMContext &C = B.getContext();
  StructType *TT = type(C);
  Type *I64 = Type::getInt64Ty(C), *Ptr = PointerType::getUnqual(C);
  Value *SizeP = B.CreateStructGEP(TT, Tape, 1);
  Value *Size = B.CreateLoad(I64, SizeP, "tape.size");
  Value *NewSize = B.CreateSub(Size, Bytes);
  B.CreateStore(NewSize, SizeP);
  Value *Data = B.CreateLoad(Ptr, B.CreateStructGEP(TT, Tape, 0));
  return B.CreateGEP(B.getInt8Ty(), Data, NewSize, "tape.slot");
}

// The padding is BufferAlign - 8 bytes (sizes are multiples of 8); the record starts at the first aligned address
// at or above where the reservation began, and, as the buffer is aligned, the reverse sweep finds the same
// place from where the released bytes began, even if the buffer has moved in between.
static constexpr uint64_t AlignPadding = BufferAlign - 8;

static Value *alignUp(IRBuilder<> &B, Value *P) {
  Value *Pad = B.CreateAnd(B.CreateNeg(B.CreatePtrToInt(P, B.getInt64Ty())), B.getInt64(BufferAlign - 1));
  return B.CreateGEP(B.getInt8Ty(), P, Pad, "tape.aligned");
}

Value *reserveAligned(IRBuilder<> &B, Value *Tape, Value *Bytes) {
  return alignUp(B, reserve(B, Tape, B.CreateAdd(Bytes, B.getInt64(AlignPadding))));
}

Value *releaseAlignmentPadding(IRBuilder<> &B, Value *Tape) { return alignUp(B, release(B, Tape, AlignPadding)); }

// far enough ahead to cover the memory latency at the reverse sweep's pace, near enough to stay in L1
static constexpr int64_t PrefetchDistance = 8192;

void prefetchBelow(IRBuilder<> &B, Value *P) {
  Value *Ahead = B.CreateGEP(B.getInt8Ty(), P, B.getInt64(-PrefetchDistance), "tape.prefetch");
  // (address, read, highest locality, data cache)
  B.CreateIntrinsic(Intrinsic::prefetch, {B.getPtrTy()}, {Ahead, B.getInt32(0), B.getInt32(3), B.getInt32(1)});
}

} // namespace tape
} // namespace enzpy
