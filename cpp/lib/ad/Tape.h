// The tape: a growable byte stack that the forward sweep pushes the values the reverse sweep needs onto,
// and the reverse sweep pops them from, in LIFO order. One tape serves a whole call tree: derivatives of
// callees receive the caller's tape, so recursion needs nothing special. Values are grouped per basic block
// into one record (one bounds check per block execution).
#pragma once
#include "Common.h"

namespace enzpy {
namespace tape {

/// The module global where CPU code parks tape buffers between calls (see destroy): ParkedSlots pointers, one
/// per thread as far as the threads' stack addresses tell them apart.
constexpr const char *ParkedBufferName = "__enzpy_tape_parked";
constexpr unsigned ParkedSlots = 8;
/// I takes the parked buffer (an exchange of the slot with null) or parks one (an exchange with a buffer): what
/// a derivative differentiated again (forward over reverse: Hessian-vector products) must give shadows to.
/// (After optimization the exchange may be of the pointer's bits, an i64.)
inline bool exchangesParkedSlot(const AtomicRMWInst &I) {
  return I.getOperation() == AtomicRMWInst::Xchg &&
         I.getPointerOperand()->stripInBoundsOffsets()->getName().starts_with(ParkedBufferName);
}
inline bool takesParkedBuffer(const AtomicRMWInst &I) {
  auto *V = dyn_cast<Constant>(I.getValOperand());
  return exchangesParkedSlot(I) && V && V->isNullValue();
}
/// The shadow of a buffer taken from the slot: a zeroed buffer of its capacity (its first word), or null.
Function *shadowOfParkedFn(Module &M);
/// { ptr data, i64 size, i64 capacity }
StructType *type(LLVMContext &C);
/// An empty tape in an alloca at the builder's position.
Value *createLocal(IRBuilder<> &B);
/// Releases a local tape at the end of the derivative; emit it after everything else that uses the tape. A tape
/// that was used starts (CPU code) on the buffer the module's last call parked, and parks its buffer for the
/// next call on the same thread (at most 256 MiB; one parked before is freed); other tapes just free theirs.
void destroy(IRBuilder<> &B, Value *Tape);
/// A tape on the heap (split mode: it outlives the augmented call), started (CPU code) on the buffer the
/// module's last reverse pass parked, or empty.
Value *createHeap(IRBuilder<> &B);
/// Frees a heap tape at the end of the reverse pass; its buffer is parked for the next augmented call (CPU code,
/// at most 256 MiB) or freed. (A tape collected without a reverse pass is freed by the Python bridge.)
void destroyHeap(IRBuilder<> &B, Value *Tape);
/// Reserves Bytes on top of the tape and returns where to write them.
Value *reserve(IRBuilder<> &B, Value *Tape, uint64_t Bytes);
/// The same for a number of bytes known at run time (an i64, at most 2^62).
Value *reserve(IRBuilder<> &B, Value *Tape, Value *Bytes);
/// Drops Bytes from the top of the tape and returns where they were.
Value *release(IRBuilder<> &B, Value *Tape, uint64_t Bytes);
Value *release(IRBuilder<> &B, Value *Tape, Value *Bytes);
/// In CPU code the tape's buffer is aligned to a cache line (alignedBuffer), so records reserved with
/// reserveAligned are too. (Device code grows the buffer with realloc, which keeps no alignment.)
constexpr uint64_t BufferAlign = 64;
bool alignedBuffer(const Module &M);
/// Reserves Bytes (a multiple of 8) at the next BufferAlign-aligned address of the tape (with up to
/// BufferAlign - 8 bytes of padding) and returns that address. Only where alignedBuffer(M).
Value *reserveAligned(IRBuilder<> &B, Value *Tape, Value *Bytes);
/// After release(Bytes) of a reservation made with reserveAligned: drops its padding and returns the aligned
/// address where the Bytes were.
Value *releaseAlignmentPadding(IRBuilder<> &B, Value *Tape);

/// Hints that the tape bytes below P (which the reverse sweep reads next, downwards) will be read soon.
void prefetchBelow(IRBuilder<> &B, Value *P);
/// The bytes a value of type T takes on the tape (a multiple of 8).
uint64_t slotSize(const DataLayout &DL, Type *T);
/// The layout of one record holding values of Types, in this order: fields of 8 bytes and more in slots of
/// slotSize, then the narrower ones (loop conditions: i1) packed at their natural alignment. Sets Offsets and
/// returns the record's size (a multiple of 8).
uint64_t layout(const DataLayout &DL, ArrayRef<Type *> Types, SmallVectorImpl<uint64_t> &Offsets);

} // namespace tape
} // namespace enzpy
