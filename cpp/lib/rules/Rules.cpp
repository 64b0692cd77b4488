// THE rule table. Each row: name, #operands with partials, operands read, result read, zero-derivative flag,
// and the partials as a small IR-building function. Every row is used by forward and reverse mode alike.
#include "rules/Rules.h"
#include "llvm/IR/Intrinsics.h"

namespace enzpy {

Value *RuleContext::intr(const char *Name, ArrayRef<Value *> Args) const {
  Module *M = B.GetInsertBlock()->getModule();
  Intrinsic::ID ID = Intrinsic::lookupIntrinsicID(std::string("llvm.") + Name);
  if (ID == Intrinsic::not_intrinsic)
    throw Error(std::string("internal: no intrinsic llvm.") + Name);
  SmallVector<Type *, 2> Tys{Args[0]->getType()};
  if (ID == Intrinsic::powi)
    Tys.push_back(Args[1]->getType());
  Function *F = Intrinsic::getOrInsertDeclaration(M, ID, Tys);
  return B.CreateCall(F, Args);
}

Value *scaleByPartial(IRBuilder<> &B, const Partial &P, Value *X) {
  switch (P.K) {
  case Partial::Zero:
    return nullptr;
  case Partial::One:
    return X;
  case Partial::MinusOne:
    return B.CreateFNeg(X);
  case Partial::Val:
    return B.CreateFMul(P.V, X);
  }
  return nullptr;
}

// Partials that can be infinite (sqrt'(0), log'(0), 1/b at b = 0, ...): a zero tangent or adjoint must stay
// zero (0 * inf is NaN), as when the branch that used the value did not run.
static bool mayBeInfinite(const Rule &R) {
  static const char *Names[] = {"fdiv", "sqrt", "cbrt", "log", "log2", "log10", "log1p", "pow", "powi",
                                "asin", "acos", "acosh", "atanh", "hypot", "atan2", "tan", "frem", "fmod"};
  for (const char *N : Names)
    if (StringRef(R.Name) == N)
      return true;
  return false;
}

static Value *scaleKeepingZero(IRBuilder<> &B, const Rule &R, const Partial &P, Value *X) {
  Value *Term = scaleByPartial(B, P, X);
  if (!Term || P.K != Partial::Val || !mayBeInfinite(R))
    return Term;
  return B.CreateSelect(B.CreateFCmpOEQ(X, Constant::getNullValue(X->getType())),
                        Constant::getNullValue(Term->getType()), Term);
}

Value *forwardTerm(IRBuilder<> &B, const Rule &R, unsigned K, const Partial &P, Value *T) {
  Value *Term = scaleKeepingZero(B, R, P, T);
  if (Term && ((R.ReducedOps >> K) & 1)) // sum over the lanes of a reduction
    Term = B.CreateFAddReduce(ConstantFP::getNegativeZero(T->getType()->getScalarType()), Term);
  return Term;
}

Value *reverseTerm(IRBuilder<> &B, const Rule &R, unsigned K, const Partial &P, Value *A, Type *OpTy) {
  if ((R.ReducedOps >> K) & 1)
    A = B.CreateVectorSplat(cast<VectorType>(OpTy)->getElementCount(), A);
  return scaleKeepingZero(B, R, P, A);
}

namespace {
using P = Partial;
using Ctx = RuleContext;
using Out = SmallVectorImpl<Partial>;

// 1 / sqrt(1 - a*a)
Value *invSqrtOneMinusSq(Ctx &r, Value *A) {
  auto &B = r.B;
  return B.CreateFDiv(r.c(1.0), r.intr("sqrt", {B.CreateFSub(r.c(1.0), B.CreateFMul(A, A))}));
}

// a == selected ? 1 : 0, as a float of the result type
Value *indicator(Ctx &r, Value *Cond) { return r.B.CreateSelect(Cond, r.c(1.0), r.c(0.0)); }

// min/max reductions: a one-hot vector at the first lane that holds the result
Value *firstLaneEqual(Ctx &r) {
  auto &B = r.B;
  auto *VT = cast<FixedVectorType>(r.OpTys[0]);
  unsigned N = VT->getNumElements();
  Value *Eq = B.CreateFCmpOEQ(r.op(0), B.CreateVectorSplat(N, r.Out));
  Value *Bits = B.CreateBitCast(Eq, B.getIntNTy(N));
  Value *Lane = B.CreateIntrinsic(Intrinsic::cttz, {Bits->getType()}, {Bits, B.getFalse()});
  Lane = B.CreateZExtOrTrunc(Lane, B.getInt32Ty());
  SmallVector<Constant *, 8> Idx;
  for (unsigned I = 0; I < N; ++I)
    Idx.push_back(B.getInt32(I));
  Value *Hot = B.CreateICmpEQ(ConstantVector::get(Idx), B.CreateVectorSplat(N, Lane));
  return B.CreateSelect(Hot, ConstantFP::get(VT, 1.0), ConstantFP::get(VT, 0.0));
}

// product reductions start * v[0] * ... * v[n-1]: the partial for lane i is start times the product of the
// other lanes (prefix times suffix products, no division: a lane may be zero)
Value *otherLanesProduct(Ctx &r) {
  auto &B = r.B;
  Value *V = r.op(1);
  unsigned N = cast<FixedVectorType>(r.OpTys[1])->getNumElements();
  SmallVector<Value *, 16> Lane(N), Prefix(N), Suffix(N);
  for (unsigned I = 0; I < N; ++I)
    Lane[I] = B.CreateExtractElement(V, I);
  Prefix[0] = r.op(0);
  for (unsigned I = 1; I < N; ++I)
    Prefix[I] = B.CreateFMul(Prefix[I - 1], Lane[I - 1]);
  Suffix[N - 1] = nullptr;
  for (unsigned I = N - 1; I-- > 0;)
    Suffix[I] = Suffix[I + 1] ? B.CreateFMul(Suffix[I + 1], Lane[I + 1]) : Lane[I + 1];
  Value *Out = PoisonValue::get(r.OpTys[1]);
  for (unsigned I = 0; I < N; ++I)
    Out = B.CreateInsertElement(Out, Suffix[I] ? B.CreateFMul(Prefix[I], Suffix[I]) : Prefix[I], I);
  return Out;
}

const double Ln2 = 0.69314718055994530942, Ln10 = 2.30258509299404568402;
const double TwoOverSqrtPi = 1.12837916709551257390;

const Rule Table[] = {
    // ---- instructions ----
    {"fadd", 2, 0, false, false, [](Ctx &, Out &d) { d.assign({P::one(), P::one()}); }},
    {"fsub", 2, 0, false, false, [](Ctx &, Out &d) { d.assign({P::one(), P::minusOne()}); }},
    {"fmul", 2, 3, false, false, [](Ctx &r, Out &d) { d.assign({P::of(r.op(1)), P::of(r.op(0))}); }},
    {"fdiv", 2, 2, true, false,
     [](Ctx &r, Out &d) {  // d/da = 1/b, d/db = -out/b
       Value *InvB = r.B.CreateFDiv(r.c(1.0), r.op(1));
       d.assign({P::of(InvB), P::of(r.B.CreateFNeg(r.B.CreateFMul(r.Out, InvB)))});
     }},
    {"fneg", 1, 0, false, false, [](Ctx &, Out &d) { d.assign({P::minusOne()}); }},
    {"frem", 2, 3, false, false,
     [](Ctx &r, Out &d) {  // a - b*trunc(a/b)
       d.assign({P::one(), P::of(r.B.CreateFNeg(r.intr("trunc", {r.B.CreateFDiv(r.op(0), r.op(1))})))});
     }},
    // ---- math functions (libm names; float variants `sinf` and llvm.* intrinsics map here) ----
    {"sqrt", 1, 0, true, false,
     [](Ctx &r, Out &d) { // 0.5 * (1 / out), not 0.5 / out: the same value, and it shares the division with
                          // an fdiv by the root (x / sqrt(s), norms), whose partials need 1 / out too
       d.assign({P::of(r.B.CreateFMul(r.c(0.5), r.B.CreateFDiv(r.c(1.0), r.Out)))});
     }},
    {"sin", 1, 1, false, false, [](Ctx &r, Out &d) { d.assign({P::of(r.intr("cos", {r.op(0)}))}); }},
    {"cos", 1, 1, false, false,
     [](Ctx &r, Out &d) { d.assign({P::of(r.B.CreateFNeg(r.intr("sin", {r.op(0)})))}); }},
    {"tan", 1, 0, true, false,
     [](Ctx &r, Out &d) { d.assign({P::of(r.B.CreateFAdd(r.c(1.0), r.B.CreateFMul(r.Out, r.Out)))}); }},
    {"asin", 1, 1, false, false, [](Ctx &r, Out &d) { d.assign({P::of(invSqrtOneMinusSq(r, r.op(0)))}); }},
    {"acos", 1, 1, false, false,
     [](Ctx &r, Out &d) { d.assign({P::of(r.B.CreateFNeg(invSqrtOneMinusSq(r, r.op(0))))}); }},
    {"atan", 1, 1, false, false,
     [](Ctx &r, Out &d) {
       d.assign({P::of(r.B.CreateFDiv(r.c(1.0), r.B.CreateFAdd(r.c(1.0), r.B.CreateFMul(r.op(0), r.op(0)))))});
     }},
    {"atan2", 2, 3, false, false,
     [](Ctx &r, Out &d) {  // atan2(y, x): (x, -y) / (x^2 + y^2)
       auto &B = r.B;
       Value *Y = r.op(0), *X = r.op(1);
       Value *Den = B.CreateFAdd(B.CreateFMul(X, X), B.CreateFMul(Y, Y));
       d.assign({P::of(B.CreateFDiv(X, Den)), P::of(B.CreateFDiv(B.CreateFNeg(Y), Den))});
     }},
    {"sinh", 1, 1, false, false, [](Ctx &r, Out &d) { d.assign({P::of(r.intr("cosh", {r.op(0)}))}); }},
    {"cosh", 1, 1, false, false, [](Ctx &r, Out &d) { d.assign({P::of(r.intr("sinh", {r.op(0)}))}); }},
    {"asinh", 1, 1, false, false,
     [](Ctx &r, Out &d) {
       auto &B = r.B;
       d.assign({P::of(B.CreateFDiv(r.c(1.0), r.intr("sqrt", {B.CreateFAdd(B.CreateFMul(r.op(0), r.op(0)), r.c(1.0))})))});
     }},
    {"acosh", 1, 1, false, false,
     [](Ctx &r, Out &d) {
       auto &B = r.B;
       d.assign({P::of(B.CreateFDiv(r.c(1.0), r.intr("sqrt", {B.CreateFSub(B.CreateFMul(r.op(0), r.op(0)), r.c(1.0))})))});
     }},
    {"atanh", 1, 1, false, false,
     [](Ctx &r, Out &d) {
       d.assign({P::of(r.B.CreateFDiv(r.c(1.0), r.B.CreateFSub(r.c(1.0), r.B.CreateFMul(r.op(0), r.op(0)))))});
     }},
    {"tanh", 1, 0, true, false,
     [](Ctx &r, Out &d) { d.assign({P::of(r.B.CreateFSub(r.c(1.0), r.B.CreateFMul(r.Out, r.Out)))}); }},
    {"exp", 1, 0, true, false, [](Ctx &r, Out &d) { d.assign({P::of(r.Out)}); }},
    {"exp2", 1, 0, true, false, [](Ctx &r, Out &d) { d.assign({P::of(r.B.CreateFMul(r.Out, r.c(Ln2)))}); }},
    {"exp10", 1, 0, true, false, [](Ctx &r, Out &d) { d.assign({P::of(r.B.CreateFMul(r.Out, r.c(Ln10)))}); }},
    {"expm1", 1, 0, true, false, [](Ctx &r, Out &d) { d.assign({P::of(r.B.CreateFAdd(r.Out, r.c(1.0)))}); }},
    {"log", 1, 1, false, false, [](Ctx &r, Out &d) { d.assign({P::of(r.B.CreateFDiv(r.c(1.0), r.op(0)))}); }},
    {"log2", 1, 1, false, false,
     [](Ctx &r, Out &d) { d.assign({P::of(r.B.CreateFDiv(r.c(1.0), r.B.CreateFMul(r.op(0), r.c(Ln2))))}); }},
    {"log10", 1, 1, false, false,
     [](Ctx &r, Out &d) { d.assign({P::of(r.B.CreateFDiv(r.c(1.0), r.B.CreateFMul(r.op(0), r.c(Ln10))))}); }},
    {"log1p", 1, 1, false, false,
     [](Ctx &r, Out &d) { d.assign({P::of(r.B.CreateFDiv(r.c(1.0), r.B.CreateFAdd(r.op(0), r.c(1.0))))}); }},
    {"pow", 2, 3, true, false,
     [](Ctx &r, Out &d) {  // d/da = b * a^(b-1);  d/db = out * log(a)
       auto &B = r.B;
       Value *A = r.op(0), *E = r.op(1);
       Value *DA = B.CreateFMul(E, r.intr("pow", {A, B.CreateFSub(E, r.c(1.0))}));
       d.assign({P::of(DA), P::of(B.CreateFMul(r.Out, r.intr("log", {A})))});
     }},
    {"powi", 1, 3, false, false,
     [](Ctx &r, Out &d) {  // powi(a, n): n * a^(n-1)
       auto &B = r.B;
       Value *N = r.op(1);
       Value *NM1 = B.CreateSub(N, ConstantInt::get(N->getType(), 1));
       d.assign({P::of(B.CreateFMul(B.CreateSIToFP(N, r.Ty), r.intr("powi", {r.op(0), NM1})))});
     }},
    {"cbrt", 1, 0, true, false,
     [](Ctx &r, Out &d) {  // 1 / (3 out^2)
       d.assign({P::of(r.B.CreateFDiv(r.c(1.0), r.B.CreateFMul(r.c(3.0), r.B.CreateFMul(r.Out, r.Out))))});
     }},
    {"hypot", 2, 3, true, false,
     [](Ctx &r, Out &d) { // x / out, y / out with one division
       Value *Inv = r.B.CreateFDiv(r.c(1.0), r.Out);
       d.assign({P::of(r.B.CreateFMul(r.op(0), Inv)), P::of(r.B.CreateFMul(r.op(1), Inv))});
     }},
    {"erf", 1, 1, false, false,
     [](Ctx &r, Out &d) {
       Value *A = r.op(0);
       Value *E = r.intr("exp", {r.B.CreateFNeg(r.B.CreateFMul(A, A))});
       d.assign({P::of(r.B.CreateFMul(r.c(TwoOverSqrtPi), E))});
     }},
    {"erfc", 1, 1, false, false,
     [](Ctx &r, Out &d) {
       Value *A = r.op(0);
       Value *E = r.intr("exp", {r.B.CreateFNeg(r.B.CreateFMul(A, A))});
       d.assign({P::of(r.B.CreateFMul(r.c(-TwoOverSqrtPi), E))});
     }},
    {"fabs", 1, 1, false, false, [](Ctx &r, Out &d) { d.assign({P::of(r.intr("copysign", {r.c(1.0), r.op(0)}))}); }},
    {"fma", 3, 3, false, false, [](Ctx &r, Out &d) { d.assign({P::of(r.op(1)), P::of(r.op(0)), P::one()}); }},
    {"fmuladd", 3, 3, false, false, [](Ctx &r, Out &d) { d.assign({P::of(r.op(1)), P::of(r.op(0)), P::one()}); }},
    {"copysign", 2, 3, false, false,
     [](Ctx &r, Out &d) {  // |a| with b's sign: d/da = sign(a) * sign(b)
       Value *S = r.B.CreateFMul(r.intr("copysign", {r.c(1.0), r.op(0)}), r.intr("copysign", {r.c(1.0), r.op(1)}));
       d.assign({P::of(S), P::zero()});
     }},
    // min/max: the derivative follows the operand that was selected (ties and NaN pick as LLVM does).
    {"minnum", 2, 3, false, false,
     [](Ctx &r, Out &d) {
       Value *TakeA = r.B.CreateFCmpULE(r.op(0), r.op(1));  // b NaN or a <= b
       TakeA = r.B.CreateAnd(TakeA, r.B.CreateFCmpORD(r.op(0), r.op(0)));
       d.assign({P::of(indicator(r, TakeA)), P::of(indicator(r, r.B.CreateNot(TakeA)))});
     }},
    {"maxnum", 2, 3, false, false,
     [](Ctx &r, Out &d) {
       Value *TakeA = r.B.CreateFCmpUGE(r.op(0), r.op(1));
       TakeA = r.B.CreateAnd(TakeA, r.B.CreateFCmpORD(r.op(0), r.op(0)));
       d.assign({P::of(indicator(r, TakeA)), P::of(indicator(r, r.B.CreateNot(TakeA)))});
     }},
    {"minimum", 2, 3, false, false,
     [](Ctx &r, Out &d) {
       Value *TakeA = r.B.CreateFCmpOLE(r.op(0), r.op(1));
       d.assign({P::of(indicator(r, TakeA)), P::of(indicator(r, r.B.CreateNot(TakeA)))});
     }},
    {"maximum", 2, 3, false, false,
     [](Ctx &r, Out &d) {
       Value *TakeA = r.B.CreateFCmpOGE(r.op(0), r.op(1));
       d.assign({P::of(indicator(r, TakeA)), P::of(indicator(r, r.B.CreateNot(TakeA)))});
     }},
    {"fmin", 2, 3, false, false,
     [](Ctx &r, Out &d) {
       Value *TakeA = r.B.CreateAnd(r.B.CreateFCmpULE(r.op(0), r.op(1)), r.B.CreateFCmpORD(r.op(0), r.op(0)));
       d.assign({P::of(indicator(r, TakeA)), P::of(indicator(r, r.B.CreateNot(TakeA)))});
     }},
    {"fmax", 2, 3, false, false,
     [](Ctx &r, Out &d) {
       Value *TakeA = r.B.CreateAnd(r.B.CreateFCmpUGE(r.op(0), r.op(1)), r.B.CreateFCmpORD(r.op(0), r.op(0)));
       d.assign({P::of(indicator(r, TakeA)), P::of(indicator(r, r.B.CreateNot(TakeA)))});
     }},
    {"fmod", 2, 3, false, false,
     [](Ctx &r, Out &d) {
       d.assign({P::one(), P::of(r.B.CreateFNeg(r.intr("trunc", {r.B.CreateFDiv(r.op(0), r.op(1))})))});
     }},
    // vector reductions (vectorized loops): the partial with respect to the vector is a vector
    {"vector.reduce.fadd", 2, 0, false, false,
     [](Ctx &r, Out &d) { d.assign({P::one(), P::of(ConstantFP::get(r.OpTys[1], 1.0))}); }, 2},
    {"vector.reduce.fmul", 2, 3, false, false,
     [](Ctx &r, Out &d) { // start * prod(v): d/dstart = prod(v), d/dv[i] = start * prod of the other lanes
       d.assign({P::of(r.B.CreateFMulReduce(r.c(1.0), r.op(1))), P::of(otherLanesProduct(r))});
     },
     2},
    {"vector.reduce.fmax", 1, 1, true, false, [](Ctx &r, Out &d) { d.assign({P::of(firstLaneEqual(r))}); }, 1},
    {"vector.reduce.fmin", 1, 1, true, false, [](Ctx &r, Out &d) { d.assign({P::of(firstLaneEqual(r))}); }, 1},
    {"vector.reduce.fmaximum", 1, 1, true, false, [](Ctx &r, Out &d) { d.assign({P::of(firstLaneEqual(r))}); }, 1},
    {"vector.reduce.fminimum", 1, 1, true, false, [](Ctx &r, Out &d) { d.assign({P::of(firstLaneEqual(r))}); }, 1},
    // piecewise constant: no derivative
    {"floor", 1, 0, false, true, nullptr},
    {"ceil", 1, 0, false, true, nullptr},
    {"trunc", 1, 0, false, true, nullptr},
    {"round", 1, 0, false, true, nullptr},
    {"roundeven", 1, 0, false, true, nullptr},
    {"rint", 1, 0, false, true, nullptr},
    {"nearbyint", 1, 0, false, true, nullptr},
};

const Rule *findRule(StringRef Name) {
  for (const Rule &R : Table)
    if (Name == R.Name)
      return &R;
  return nullptr;
}
} // namespace

ArrayRef<Rule> allRules() { return Table; }

const Rule *ruleForInstruction(const Instruction &I) {
  switch (I.getOpcode()) {
  case Instruction::FAdd:
  case Instruction::FSub:
  case Instruction::FMul:
  case Instruction::FDiv:
  case Instruction::FNeg:
  case Instruction::FRem:
    return findRule(I.getOpcodeName());
  default:
    return nullptr;
  }
}

const Rule *ruleForCall(const CallBase &CB) {
  Function *F = calledFunction(CB);
  if (!F || CB.getType()->isVoidTy() || !isFloatLike(CB.getType()))
    return nullptr;
  if (!F->isIntrinsic() && !F->isDeclaration())
    return nullptr; // a defined function is differentiated, not looked up
  std::string Name = mathBaseName(*F);
  if (F->isIntrinsic())
    return findRule(Name);
  // libm: sinf, powf, erff ... are the float versions of sin, pow, erf.
  StringRef N(Name);
  if (CB.getType()->getScalarType()->isFloatTy() && N.ends_with("f"))
    if (const Rule *R = findRule(N.drop_back()))
      return R;
  if (const Rule *R = findRule(N))
    if (R->NumOps <= CB.arg_size())
      return R;
  return nullptr;
}

} // namespace enzpy
