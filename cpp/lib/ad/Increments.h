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
//
// Which windows lie at constant distances: shadow pointers that are one base plus constant offsets, and, through
// ScalarEvolution on the primal, shadows of primal pointers whose difference is a constant. The second finds
// the windows of loops after loop strength reduction (numba's finalized IR: one pointer induction variable per
// address stream, {base + 8, +, 64} and {base + 16, +, 64}); a shadow mirrors its primal's address arithmetic,
// so the shadows of two pointers of one object differ by what the pointers do.
#pragma once
#include "Common.h"
#include "llvm/Analysis/AssumptionCache.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/Dominators.h"

namespace enzpy {

/// Constant byte distances between pointers of one function (ScalarEvolution), for the function's lifetime
/// unchanged.
class PointerDistance {
public:
  explicit PointerDistance(Function &F);
  /// A - B in bytes, if ScalarEvolution proves it constant.
  std::optional<int64_t> operator()(Value *A, Value *B);

private:
  DominatorTree DT;
  LoopInfo LI;
  TargetLibraryInfoImpl TLII;
  TargetLibraryInfo TLI;
  AssumptionCache AC;
  ScalarEvolution SE;
};

class PendingIncrements {
public:
  /// *Ptr += Delta later (Delta: a float or a vector of floats, stored with alignment A). Ptr is the shadow of
  /// the primal pointer Primal in batch lane Lane (Primal may be null: then only Ptr's own offsets count).
  void add(Value *Ptr, Value *Delta, Align A, Value *Primal, unsigned Lane) {
    Items.push_back({Ptr, Delta, A, Primal, Lane});
  }
  bool empty() const { return Items.empty(); }
  /// Emits every pending increment at B's insertion point; Distance (optional) relates primal pointers.
  void flush(IRBuilder<> &B, const DataLayout &DL, PointerDistance *Distance);

private:
  struct Item {
    Value *Ptr, *Delta;
    Align A;
    Value *Primal;
    unsigned Lane;
  };
  SmallVector<Item, 16> Items;
};

} // namespace enzpy
