// Derivatives of numba's BLAS/LAPACK helpers (numba_xxdot, numba_xxgemv, numba_xxgemm, numba_xxnrm2, numba_xgesv;
// column-major, real kinds
// 'd' and 's'), written as calls to the same helpers with transposes, so no new BLAS dependency is needed.
#pragma once
#include "Common.h"

namespace enzpy {

bool isNumbaBlas(const CallBase &CB);

/// How the BLAS rules reach the generator's values.
struct BlasEnv {
  IRBuilder<> &B;
  std::function<Value *(Value *)> Primal; ///< an original operand, usable at the builder's position
  std::function<Value *(Value *)> Shadow; ///< the shadow of an original pointer operand (null if it has none)
  std::function<bool(Value *)> Varied;    ///< whether an original operand has a shadow
};

/// Forward mode, after the primal call: the output's tangent.
void blasForward(BlasEnv &E, CallBase &CB);
/// Reverse mode, forward sweep, before the primal call: copies of the inputs and the scalars the reverse needs.
SmallVector<Value *, 4> blasAugment(BlasEnv &E, CallBase &CB);
/// Reverse mode, reverse sweep: adjoints of the inputs from the output's shadow; frees the copies.
void blasReverse(BlasEnv &E, CallBase &CB, ArrayRef<Value *> Saved);

} // namespace enzpy
