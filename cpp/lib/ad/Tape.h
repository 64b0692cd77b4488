// The tape: a growable byte stack that the forward sweep pushes the values the reverse sweep needs onto,
// and the reverse sweep pops them from, in LIFO order. One tape serves a whole call tree: derivatives of
// callees receive the caller's tape, so recursion needs nothing special. Values are grouped per basic block
// into one record (one bounds check per block execution).
#pragma once
#include "Common.h"

namespace enzpy {
namespace tape {

/// { ptr data, i64 size, i64 capacity }
StructType *type(LLVMContext &C);
/// An empty tape in an alloca at the builder's position.
Value *createLocal(IRBuilder<> &B);
/// Releases a local tape at the end of the derivative; emit it after everything else that uses the tape. A tape
/// that was used starts (CPU code) on the buffer the module's last call parked, and parks its buffer for the
/// next call (at most 256 MiB; a previously parked one is freed); other tapes just free their buffer.
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
/// The bytes a value of type T takes on the tape (a multiple of 8).
uint64_t slotSize(const DataLayout &DL, Type *T);

} // namespace tape
} // namespace enzpy
