// The one table of local partial derivatives: instructions, intrinsics and libm.
// Forward mode emits  t_out = sum_i partial_i * t_i ;  reverse mode emits  adj_i += partial_i * adj_out.
#pragma once
#include "Common.h"

namespace enzpy {

/// One partial derivative d out / d operand. Zero/One/MinusOne keep the generated code clean.
struct Partial {
  enum Kind { Zero, One, MinusOne, Val } K = Zero;
  Value *V = nullptr;
  static Partial zero() { return {Zero, nullptr}; }
  static Partial one() { return {One, nullptr}; }
  static Partial minusOne() { return {MinusOne, nullptr}; }
  static Partial of(Value *V) { return {Val, V}; }
};

/// What a rule sees: the operands and result as values usable where the partials are built.
/// Operands the rule does not declare in UsesOps (and Out unless UsesOut) are null.
struct RuleContext {
  IRBuilder<> &B;
  ArrayRef<Value *> Ops;
  Value *Out;
  Type *Ty; ///< the (float-like) type of the result
  ArrayRef<Type *> OpTys; ///< the operands' types
  Value *op(unsigned I) const { return Ops[I]; }
  Constant *c(double X) const { return ConstantFP::get(Ty, X); }
  /// Calls the LLVM intrinsic `llvm.<Name>` overloaded on the argument's type.
  Value *intr(const char *Name, ArrayRef<Value *> Args) const;
};

using PartialsFn = void (*)(RuleContext &, SmallVectorImpl<Partial> &);

struct Rule {
  const char *Name;
  unsigned NumOps;      ///< operands the rule gives partials for (the first NumOps)
  unsigned UsesOps;     ///< bit i: the partials read operand i
  bool UsesOut;         ///< the partials read the result
  bool ZeroDerivative;  ///< floor, ceil, ...: the result carries no derivative at all
  PartialsFn Partials;
  unsigned ReducedOps = 0; ///< bit i: operand i is a vector reduced to the scalar result (its partial is a vector)
};

/// The rule for an instruction (fadd, fmul, ...), or null.
const Rule *ruleForInstruction(const Instruction &I);
/// The rule for a call to a math function or intrinsic (sin, sinf, llvm.sin.f64, ...), or null.
const Rule *ruleForCall(const CallBase &CB);
/// All rules, for documentation and tests.
ArrayRef<Rule> allRules();

/// Builds partial * x, honouring Zero/One/MinusOne. Null for Zero.
Value *scaleByPartial(IRBuilder<> &B, const Partial &P, Value *X);
/// Forward mode: the contribution of operand K's tangent T to the result's tangent.
Value *forwardTerm(IRBuilder<> &B, const Rule &R, unsigned K, const Partial &P, Value *T);
/// Reverse mode: the contribution of the result's adjoint A to operand K's adjoint (of type OpTy).
Value *reverseTerm(IRBuilder<> &B, const Rule &R, unsigned K, const Partial &P, Value *A, Type *OpTy);

} // namespace enzpy
