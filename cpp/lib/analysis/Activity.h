// Activity and type analysis: which values of a function carry derivative information.
//
// One set, interpreted by type:
//  - float-like values (and aggregates holding floats): may have a nonzero derivative;
//  - pointers: have a shadow pointer (memory that holds derivatives);
//  - integers: either carry an address of shadowed memory (ptrtoint/inttoptr arithmetic, "address ints"),
//    or carry float bits moved through memory as integers ("float-bit ints": i64 loads/stores of doubles).
#pragma once
#include "Common.h"

namespace enzpy {

struct ActivityInfo {
  DenseSet<const Value *> Varied;     ///< values with a derivative or a shadow
  DenseSet<const Value *> AddrInts;   ///< integers holding shadowed addresses
  DenseSet<const Value *> FloatBits;  ///< integers holding float bits
  /// Pointers whose shadow may, at run time, be the primal pointer itself: a constant pointer flowed into a
  /// place where differentiable pointers also flow (a phi, a slot of a stack struct). Memory accesses through
  /// their shadows are guarded (shadow == primal: no derivative), like Enzyme's runtime activity.
  DenseSet<const Value *> MaybeInactive;
  bool maybeInactive(const Value *V) const { return MaybeInactive.count(V); }

  bool varied(const Value *V) const { return Varied.count(V); }
  bool isAddrInt(const Value *V) const { return AddrInts.count(V); }
  bool isFloatBits(const Value *V) const { return FloatBits.count(V); }
  /// Has a pointer/address shadow computed in the forward sweep (pointers, address ints, pointer aggregates).
  bool hasShadow(const Value *V) const;
  /// Has a float derivative (tangent/adjoint): float-like values, float aggregates, float-bit ints.
  bool hasDerivative(const Value *V) const;
};

/// Collects the analyses' assumptions (see DiffRequest::Notes) for the current thread while it lives.
class NotesScope {
public:
  explicit NotesScope(std::vector<std::string> *Notes);
  ~NotesScope();

private:
  std::vector<std::string> *Saved;
};
/// Adds to the current notes (if any) the assumptions behind AI for F: pointers whose activity is decided at run
/// time (Enzyme's runtime activity).
void noteAssumptions(const Function &F, const ActivityInfo &AI);

/// What kind of call an instruction is, for the analyses and generators.
enum class CallKind {
  NotACall,
  Rule,          ///< math function or intrinsic with a rule
  Custom,        ///< a function with a user-supplied (custom) derivative
  Defined,       ///< call to a function with a body: differentiated recursively
  Alloc,         ///< malloc / calloc / realloc
  NrtAlloc,      ///< numba's NRT_MemInfo_alloc*: a refcounted block; data pointer at offset 24
  NrtResize,     ///< NRT_MemInfo_varsize_realloc: a new data block for a varsize MemInfo (numba lists grow)
  NrtRefcount,   ///< NRT_incref / NRT_decref
  Blas,          ///< numba_xxdot / numba_xxgemv / numba_xxgemm
  MaskedMem,     ///< llvm.masked.load/store/gather/scatter (vectorized loops)
  Barrier,       ///< GPU thread barriers (llvm.nvvm.barrier*): mirrored into the reverse sweep
  Free,          ///< free
  MemTransfer,   ///< memcpy / memmove
  MemSet,        ///< memset
  Ignored,       ///< intrinsics without derivative meaning (lifetime, assume, dbg, ...)
  InactiveExtern,///< known external functions that never carry derivatives (printf, ...)
  UnknownExtern, ///< anything else
};
CallKind classifyCall(const CallBase &CB);

/// Analyses F given the activity of its parameters. ArgVaried[i]: parameter i has a shadow/derivative.
/// CallerShadows: F is a callee inside differentiated code, whose argument memory may hold shadows the caller
/// set to the primal pointer (constant pointers): pointers loaded from argument memory are then MaybeInactive.
ActivityInfo analyzeActivity(Function &F, ArrayRef<bool> ArgVaried, bool CallerShadows = false);

} // namespace enzpy
