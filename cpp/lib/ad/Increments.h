// Shadow increments of one reverse block, merged where they overlap.
//
// The reverse of a load adds the load's adjoint to its shadow: load, fadd, store. A vectorized stencil loads
// u[j-1..j+6], u[j..j+7] and u[j+1..j+8] in one iteration; its reverse then does three read-modify-writes of
// partially overlapping windows of u', and every load of a window waits until the store of the previous
// window has left the store buffer (a failed store-to-load forward costs more than the arithmetic). Here the
// increments of a block are collected and emitted together: those whose windows overlap (same base pointer,
// constant offsets) become one read-modify-write of each whole vector-wide chunk of their span, each
// contribution shifted into place by a shuffle padded with -0.0 (x + -0.0 == x exactly). Every element still
// receives its contributions in the original order, so the result is bitwise the same.
//
// Increments commute with increments (each is a whole load-add-store), so collecting them across other
// increments and pure arithmetic is exact; the caller flushes before anything else that touches memory.
#pragma once
#include "Common.h"

namespace enzpy {

class PendingIncrements {
public:
  /// *Ptr += Delta later (Delta: a float or a vector of floats, stored with alignment A).
  void add(Value *Ptr, Value *Delta, Align A) { Items.push_back({Ptr, Delta, A}); }
  bool empty() const { return Items.empty(); }
  /// Emits every pending increment at B's insertion point.
  void flush(IRBuilder<> &B, const DataLayout &DL);

private:
  struct Item {
    Value *Ptr, *Delta;
    Align A;
  };
  SmallVector<Item, 16> Items;
};

} // namespace enzpy
