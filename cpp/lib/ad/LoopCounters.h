// Reverse mode, control flow of loops: which way the reverse sweep leaves a loop header (back to the
// previous iteration, or out to the loop's entry) is recorded as one iteration count per loop entry, pushed
// on the tape when the loop is left, instead of one predecessor id per iteration (8 bytes and a tape check
// per iteration of every loop).
#pragma once
#include "Common.h"
#include "ad/TripCount.h"

namespace enzpy {

/// A loop whose header has exactly two predecessors: one outside (Pre), one inside (Latch), and whose exits all
/// lead into the enclosing loop (or out of all loops).
struct CountedLoop {
  BasicBlock *Header = nullptr, *Pre = nullptr, *Latch = nullptr;
  SmallVector<std::pair<BasicBlock *, BasicBlock *>, 2> Exits; ///< (exiting block, exit block) edges
  DenseSet<const BasicBlock *> Blocks;                         ///< the loop's blocks (nested loops included)
  /// Header phis that are affine in the iteration index: phi = Start + Step * index, Start a constant, an
  /// argument or a value from before the loop. The reverse sweep computes them from its own index instead of
  /// taping them.
  struct Induction {
    PHINode *Phi;
    Value *Start;
    int64_t Step;  ///< per iteration; for a pointer, in bytes (phi = gep i8 Start, Step * index)
    bool Pointer;
  };
  SmallVector<Induction, 2> Inductions;
  PHINode *Counter = nullptr;  ///< forward sweep: this header execution's index since the loop was entered
  AllocaInst *RevSlot = nullptr; ///< reverse sweep: index of the iteration being reversed
  std::optional<TripCount> Trips; ///< the exact backedge-taken count, when known before the loop starts
  /// The reverse sweep computes the count from Trips (its values are free there: constants, arguments, induction
  /// variables of enclosing loops): nothing is pushed on the exit edges for it.
  bool CountRecomputed = false;
  /// Indexed loop (ReverseTape.cpp): the tape records of all iterations are reserved at once on entry, iteration k's
  /// at k * Stride; no tape check inside the loop, so both sweeps of the loop can be vectorized.
  bool Indexed = false;
  Instruction *StridePlaceholder = nullptr; ///< reverse sweep: stands for Stride until the records are known
  AllocaInst *RevBase = nullptr;            ///< reverse sweep: where the loop's records start
  /// Values defined before the loop that its reverse needs: taped once per loop entry, with the count, and kept
  /// in a stack slot of the reverse sweep while it runs the loop (instead of once per iteration).
  SmallVector<std::pair<Value *, AllocaInst *>, 4> Invariants;
  SmallVector<Instruction *, 2> ExitBranches;      ///< forward sweep: the branch that ends each exit edge's block
  SmallVector<BasicBlock *, 2> RevInvariantBlocks; ///< reverse sweep: where the invariants are popped
};

/// The loops of F (the prepared clone) that qualify; Preds lists each block's distinct predecessors.
std::vector<CountedLoop> findCountedLoops(Function &F,
                                          const DenseMap<const BasicBlock *, SmallVector<BasicBlock *, 2>> &Preds);

/// A new block Name on the edges From -> To (all of them: a switch may have two cases into To), branching to To;
/// To's phis take From's value from it, once.
BasicBlock *splitEdges(BasicBlock *From, BasicBlock *To, const Twine &Name);

/// Forward sweep: the counter phi in the cloned header, and a block on every exit edge (ExitBranches: its
/// branch), where the reverse generator pushes the count. ClonedHead / ClonedExit map an original block to the
/// cloned block that starts / ends it.
void emitForwardCounter(CountedLoop &L, const std::function<BasicBlock *(const BasicBlock *)> &ClonedHead,
                        const std::function<BasicBlock *(const BasicBlock *)> &ClonedExit);

} // namespace enzpy
