// How many times a loop's header runs per entry of the loop, as an expression over values that are known
// before the loop starts: ScalarEvolution's exact backedge-taken count of the loop in the prepared primal,
// kept as a small expression tree (ScalarEvolution does not outlive the analysis) and rebuilt in the
// derivative, where the forward sweep reserves the tape for all of the loop's iterations at once
// (ReverseTape.cpp, "indexed loops").
#pragma once
#include "Common.h"

namespace llvm {
class SCEV;
class Loop;
class ScalarEvolution;
class DominatorTree;
} // namespace llvm

namespace enzpy {

struct TripCount {
  enum Kind { Const, Val, Add, Mul, UDiv, SMax, UMax, SMin, UMin, ZExt, SExt, Trunc, PtrToInt } K = Const;
  unsigned Bits = 64;        ///< width of this node's integer result
  uint64_t C = 0;            ///< Const: the value (Bits wide)
  Value *V = nullptr;        ///< Val: a value of the primal that dominates the loop's preheader
  std::vector<TripCount> Ops;

  /// The backedge-taken count of L, if ScalarEvolution knows it exactly in terms of values available before the
  /// loop; nullopt otherwise.
  static std::optional<TripCount> of(Loop &L, ScalarEvolution &SE, DominatorTree &DT);
  /// Rebuilds the count at B's position as the number of header executions (i64: backedge-taken count + 1);
  /// Map takes a primal value to the derivative's copy.
  Value *expand(IRBuilder<> &B, const std::function<Value *(Value *)> &Map) const;
};

} // namespace enzpy
