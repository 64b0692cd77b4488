// Forward mode: the primal clone carries, beside every varied value, its tangent (floats) or shadow
// (pointers, addresses). Structural instructions are mirrored; math uses the rule table.
#include "ad/Generators.h"
#include "rules/Rules.h"
#include "ad/Blas.h"

namespace enzpy {

Config calleeConfig(const CallBase &CB, const ActivityInfo &AI, bool Reverse) {
  Config C;
  for (const Use &U : CB.args()) {
    Value *V = U.get();
    if (!AI.varied(V))
      C.Args.push_back(Activity::Const);
    else if (Reverse && AI.hasDerivative(V) && !AI.hasShadow(V))
      C.Args.push_back(Activity::Active);
    else
      C.Args.push_back(Activity::Dup);
  }
  if (AI.varied(&CB))
    C.Ret = (Reverse && AI.hasDerivative(&CB) && !AI.hasShadow(&CB)) ? Activity::Active : Activity::Dup;
  return C;
}

Config calleeConfig(const CallBase &CB, const ActivityInfo &AI, const Config &Caller, bool Reverse) {
  Config C = calleeConfig(CB, AI, Reverse);
  C.Atomic = Caller.Atomic;
  C.Width = Caller.Width; // a batched derivative calls batched derivatives of its callees
  C.Internal = true;
  return C;
}

namespace {

class ForwardGen : public ForwardSweep {
public:
  using ForwardSweep::ForwardSweep;

protected:
  void visit(Instruction &I) override {
    if (!isa<CallBase>(I) && AI.varied(&I))
      if (const Rule *R = ruleForInstruction(I)) {
        shadows()[&I] = tangentByRule(I, *R, I.getNumOperands());
        return;
      }
    if (isa<FPExtInst>(I) || isa<FPTruncInst>(I)) {
      if (AI.varied(&I)) {
        IRBuilder<> B(cast<Instruction>(primal(&I))->getNextNode());
        shadows()[&I] = B.CreateCast(cast<CastInst>(I).getOpcode(), shadowOf(I.getOperand(0)), I.getType());
      }
      return;
    }
    ForwardSweep::visit(I);
  }

  // t = sum_i partial_i * t_i over the varied operands
  Value *tangentByRule(Instruction &I, const Rule &R, unsigned NumOps) {
    auto *P = cast<Instruction>(primal(&I));
    IRBuilder<> B(P->getNextNode());
    fastMathLike(B, I);
    SmallVector<Value *, 3> Ops;
    SmallVector<Type *, 3> Tys;
    for (unsigned K = 0; K < NumOps; ++K) {
      Ops.push_back(primal(I.getOperand(K)));
      Tys.push_back(I.getOperand(K)->getType());
    }
    RuleContext RC{B, Ops, P, I.getType(), Tys};
    SmallVector<Partial, 3> D;
    R.Partials(RC, D);
    Value *T = nullptr;
    for (unsigned K = 0; K < R.NumOps; ++K) {
      if (!AI.varied(I.getOperand(K)))
        continue;
      Value *Term = forwardTerm(B, R, K, D[K], shadowOf(I.getOperand(K)));
      if (Term)
        T = T ? B.CreateFAdd(T, Term) : Term;
    }
    return T ? T : Constant::getNullValue(I.getType());
  }

  void visitCall(CallBase &CB, Instruction *P) override {
    switch (classifyCall(CB)) {
    case CallKind::Rule:
      if (AI.varied(&CB))
        shadows()[&CB] = tangentByRule(CB, *ruleForCall(CB), CB.arg_size());
      return;
    case CallKind::Defined:
      if (any_of(CB.args(), [&](const Use &U) { return AI.varied(U.get()); }))
        callDerivative(CB, P);
      return;
    case CallKind::Custom:
      if (any_of(CB.args(), [&](const Use &U) { return AI.varied(U.get()); }))
        callCustomForward(CB, P);
      return;
    case CallKind::Blas: {
      IRBuilder<> B(P->getNextNode());
      BlasEnv E{B, [&](Value *V) { return primal(V); }, [&](Value *V) { return shadowOf(V); },
                [&](Value *V) { return AI.varied(V); }};
      blasForward(E, CB);
      return;
    }
    case CallKind::Free:
      if (AI.varied(CB.getArgOperand(0))) {
        IRBuilder<> B(P->getNextNode());
        callLibc(B, "free", B.getVoidTy(), {shadowOf(CB.getArgOperand(0))});
      }
      return;
    default:
      ForwardSweep::visitCall(CB, P);
    }
  }

  // the user's forward rule, once per lane; the primal comes from lane 0
  void callCustomForward(CallBase &CB, Instruction *P) {
    Function *Rule = customRulePart(CB, "forward");
    IRBuilder<> B(P);
    Value *Primal = nullptr;
    for (Lane = 0; Lane < Lanes.size(); ++Lane) {
      CallInst *Call = B.CreateCall(
          Rule, customRuleArgs(CB, [&](Value *V) { return primal(V); }, [&](Value *V) { return shadowOf(V); }));
      if (!CB.getType()->isVoidTy()) {
        if (!Primal)
          Primal = customRuleResult(B, Call, 0);
        shadows()[&CB] = customRuleResult(B, Call, 1);
      }
    }
    Lane = 0;
    if (Primal)
      P->replaceAllUsesWith(Primal);
    P->eraseFromParent();
  }

  void callDerivative(CallBase &CB, Instruction *P) {
    Config CC = calleeConfig(CB, AI, C, false);
    CC.WithPrimal = true;
    Function *Callee = calledFunction(CB);
    Function *D = getDerivative(*Callee, CC, Variant::Forward);
    IRBuilder<> B(P);
    SmallVector<Value *, 8> Args;
    for (unsigned K = 0; K < CB.arg_size(); ++K) {
      Args.push_back(primal(CB.getArgOperand(K)));
      if (CC.argHasShadowParam(K))
        for (Lane = 0; Lane < Lanes.size(); ++Lane)
          Args.push_back(shadowOf(CB.getArgOperand(K)));
      Lane = 0;
    }
    CallInst *Call = B.CreateCall(D, Args);
    if (!CB.getType()->isVoidTy()) {
      P->replaceAllUsesWith(B.CreateExtractValue(Call, 0));
      if (AI.varied(&CB))
        for (unsigned L = 0; L < Lanes.size(); ++L)
          Lanes[L][&CB] = B.CreateExtractValue(Call, 1 + L);
    }
    P->eraseFromParent();
  }
};

} // namespace

void generateForward(Function &Orig, const Config &C, Function *D) {
  Function &F = preparedClone(Orig);
  SmallVector<bool, 8> Varied;
  for (unsigned I = 0; I < C.Args.size(); ++I)
    Varied.push_back(C.argVaried(I));
  ActivityInfo AI = analyzeActivity(F, Varied, C.Internal);
  noteAssumptions(F, AI);
  checkSupported(F, AI, C, false);
  ForwardGen G(F, AI, C, D, true);
  SmallVector<Value *, 8> ArgMap;
  SmallVector<Value *, 8> ShadowArgs(F.arg_size() * C.Width, nullptr);
  unsigned K = 0;
  for (unsigned I = 0; I < F.arg_size(); ++I) {
    ArgMap.push_back(D->getArg(K++));
    if (C.argHasShadowParam(I))
      for (unsigned L = 0; L < C.Width; ++L)
        ShadowArgs[L * F.arg_size() + I] = D->getArg(K++);
  }
  G.cloneBody(ArgMap, ShadowArgs);
  G.run();
  // return { [primal], [tangent] }
  ReturnInst *Ret = nullptr;
  for (BasicBlock &BB : F)
    if (auto *R = dyn_cast<ReturnInst>(BB.getTerminator()))
      Ret = R;
  if (!Ret)
    return; // never returns: nothing to build
  auto *NewRet = cast<ReturnInst>(G.primal(Ret));
  IRBuilder<> B(NewRet);
  Value *Agg = PoisonValue::get(D->getReturnType());
  unsigned Slot = 0;
  if (Value *RV = Ret->getReturnValue()) {
    if (C.WithPrimal)
      Agg = B.CreateInsertValue(Agg, G.primal(RV), Slot++);
    if (C.Ret == Activity::Dup || C.Ret == Activity::DupNoNeed)
      for (unsigned L = 0; L < C.Width; ++L)
        Agg = B.CreateInsertValue(Agg, G.shadowOf(RV, L), Slot++);
  }
  B.CreateRet(Agg);
  NewRet->eraseFromParent();
}

} // namespace enzpy
