// Reverse mode, control flow of loops: which way the reverse sweep leaves a loop header (back to the
// previous iteration, or out to the loop's entry) is recorded as one iteration count per loop entry, pushed
// on the tape when the loop is left, instead of one predecessor id per iteration (8 bytes and a tape check
// per iteration of every loop).
#pragma once
#include "Common.h"

namespace enzpy {

/// A loop whose header has exactly two predecessors: one outside (Pre), one inside (Latch), and whose exits all
/// lead into the enclosing loop (or out of all loops).
struct CountedLoop {
  BasicBlock *Header = nullptr, *Pre = nullptr, *Latch = nullptr;
  SmallVector<std::pair<BasicBlock *, BasicBlock *>, 2> Exits; ///< (exiting block, exit block) edges
  DenseSet<const BasicBlock *> Blocks;                         ///< the loop's blocks (nested loops included)
  /// Header phis that are affine in the iteration index: phi = Start + Step * index, Start a constant or an
  /// argument. The reverse sweep computes them from its own index instead of taping them.
  struct Induction {
    PHINode *Phi;
    Value *Start;
    int64_t Step;
  };
  SmallVector<Induction, 2> Inductions;
  PHINode *Counter = nullptr;  ///< forward sweep: this header execution's index since the loop was entered
  AllocaInst *RevSlot = nullptr; ///< reverse sweep: index of the iteration being reversed
};

/// The loops of F (the prepared clone) that qualify; Preds lists each block's distinct predecessors.
std::vector<CountedLoop> findCountedLoops(Function &F,
                                          const DenseMap<const BasicBlock *, SmallVector<BasicBlock *, 2>> &Preds);

/// Forward sweep: the counter phi in the cloned header, and a push of the counter on every exit edge.
/// ClonedHead / ClonedExit map an original block to the cloned block that starts / ends it.
void emitForwardCounter(CountedLoop &L, const std::function<BasicBlock *(const BasicBlock *)> &ClonedHead,
                        const std::function<BasicBlock *(const BasicBlock *)> &ClonedExit, Value *Tape);

} // namespace enzpy
