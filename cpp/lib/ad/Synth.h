// Shared machinery of the AD generators: derivative naming/caching, preparation of the primal,
// and the forward sweep (the primal clone plus shadows) that both modes build on.
#pragma once
#include "Common.h"
#include "analysis/Activity.h"
#include "llvm/Transforms/Utils/ValueMapper.h"

namespace enzpy {

/// Which function of a derivative family is wanted.
enum class Variant { Forward, ReverseCombined, Augmented, ReverseSplit };

struct Config {
  std::vector<Activity> Args;
  Activity Ret = Activity::Const;
  bool WithPrimal = false;
  std::string signature() const; ///< e.g. "adc_a1": one letter per argument, return, primal flag
  bool argVaried(unsigned I) const { return Args[I] != Activity::Const; }
  bool argHasShadowParam(unsigned I) const { return Args[I] == Activity::Dup || Args[I] == Activity::DupNoNeed; }
  unsigned Width = 1; ///< batched forward mode: tangents per varied value
  bool Atomic = false; ///< reverse mode: shadow accumulation by atomicrmw (GPU kernels)
  bool Internal = false; ///< a callee's derivative: its argument memory may hold runtime-inactive shadows
};

/// The derivative function for (F, config, variant): found by name in the module (so derivatives are
/// generated once and reused, recursion included) or generated now.
Function *getDerivative(Function &F, const Config &C, Variant V);

/// A clone of F ready for AD: unreachable blocks removed, one return block. Cached per module; call
/// releasePreparedClones() when a request is done.
Function &preparedClone(Function &F);
void releasePreparedClones(Module &M);

/// Checks F (prepared) for constructs the generators cannot differentiate; throws Error naming them.
void checkSupported(Function &F, const ActivityInfo &AI, const Config &C, bool Reverse);

/// The forward sweep: F's body cloned into NF, with shadows (pointers; in forward mode also tangents).
class ForwardSweep {
public:
  ForwardSweep(Function &F, const ActivityInfo &AI, const Config &C, Function *NF, bool Tangents);
  virtual ~ForwardSweep() = default;

  /// Clones the body. ArgMap[i] = NF's value for F's parameter i; ShadowArgs[L * #params + i] its shadow in
  /// lane L (or null).
  void cloneBody(ArrayRef<Value *> ArgMap, ArrayRef<Value *> ShadowArgs);
  /// Visits every instruction (blocks in reverse post-order) and fills the shadows.
  void run();

  Value *primal(Value *V) const;
  /// The shadow/tangent of an original value (zero/null for values without one).
  Value *shadowOf(Value *V, Type *T = nullptr) const;
  /// The shadow a pointer operand contributes where shadows flow together (stores, phis, selects): a constant
  /// pointer stands for itself (shadow == primal: inactive at run time).
  Value *shadowOrSelf(Value *V, Type *T = nullptr) const;
  /// The shadow of V in lane L (batched forward mode).
  Value *shadowOf(Value *V, unsigned L) {
    unsigned Saved = Lane;
    Lane = L;
    Value *S = shadowOf(V);
    Lane = Saved;
    return S;
  }
  bool hasShadowValue(const Value *V) const;
  BasicBlock *clonedBlock(const BasicBlock *B) const { return cast<BasicBlock>(VMap.lookup(B)); }
  /// The NF block that currently ends the clone of B (blocks may be split by tape pushes).
  BasicBlock *clonedExit(const BasicBlock *B) const;
  /// Records that the primal clone of Orig is now New (e.g. a replaced terminator).
  void remap(const Value *Orig, Value *New) { VMap[Orig] = New; }

protected:
  Function &F;
  const ActivityInfo &AI;
  const Config &C;
  Function *NF;
  bool Tangents;
  const DataLayout &DL;
  ValueToValueMapTy VMap;
  /// Shadows per lane (batched forward mode has C.Width lanes; everything else one). Lane is the one being built.
  std::vector<DenseMap<const Value *, Value *>> Lanes;
  unsigned Lane = 0;
  DenseMap<const Value *, Value *> &shadows() { return Lanes[Lane]; }
  const DenseMap<const Value *, Value *> &shadows() const { return Lanes[Lane]; }
  BasicBlock *Prologue = nullptr;
  struct PendingPhi {
    PHINode *Orig, *Shadow;
    unsigned Lane;
  };
  std::vector<PendingPhi> PendingPhis;

  virtual void visit(Instruction &I);
  virtual void visitCall(CallBase &CB, Instruction *P);
  /// The same instruction applied to the shadows of its data operands, placed right after the primal clone.
  Value *mirror(Instruction &I);
  /// Shadow allocation for malloc/calloc/realloc (zeroed).
  Value *shadowAllocation(CallBase &CB, IRBuilder<> &B);
  /// NRT_MemInfo_varsize_realloc: the shadow MemInfo gets a new block too (Runtime.h nrtResizeShadowFn).
  Value *resizeShadowBlock(CallBase &CB, IRBuilder<> &B);

public:
  /// The shadow block and size each NRT_MemInfo_varsize_realloc replaced, per call and lane: the reverse sweep
  /// moves the adjoints back there and restores them.
  using CallLane = std::pair<const CallBase *, unsigned>;
  DenseMap<CallLane, std::pair<Value *, Value *>> ResizedFrom;

protected:
  /// Shadow of an alloca, zeroed; HeapShadow: calloc'ed (it must outlive the function).
  Value *shadowAlloca(AllocaInst &AI, bool HeapShadow);
  void finishPhis();
  /// Shadows of the GPU shared-memory arrays F uses (ad/SharedMemory.cpp).
  void shadowSharedMemory();
  /// DupNoNeed: stores into such an argument's memory that F never reads back are dropped (the caller does not
  /// need the primal result), so the optimizer deletes the work that only fed them.
  void dropUnneededStores();
};

/// The function implementing one part of the custom rule for the call CB ("forward", "augmented", "reverse"),
/// checked against the signature the rule convention requires (see CustomRule); throws Error otherwise.
Function *customRulePart(const CallBase &CB, const char *Part);
/// Element K of a custom rule's result (a struct, or the one value itself when it returns a single value).
Value *customRuleResult(IRBuilder<> &B, Value *Res, unsigned K);
/// Arguments of a custom rule: each argument of CB followed by its shadow.
SmallVector<Value *, 8> customRuleArgs(const CallBase &CB, const std::function<Value *(Value *)> &Primal,
                                        const std::function<Value *(Value *)> &Shadow);

/// Emits a call to a C library function (declared on demand).
CallInst *callLibc(IRBuilder<> &B, const char *Name, Type *Ret, ArrayRef<Value *> Args);

} // namespace enzpy
