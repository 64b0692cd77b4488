// synthesize(): the one entry point of the AD core.
#include "ad/Synth.h"
#include "analysis/Activity.h"
#include "analysis/CustomRules.h"

namespace enzpy {

static Config configOf(const DiffRequest &Req) {
  if (!Req.Fn)
    throw Error("no function to differentiate");
  Config C;
  C.Args = Req.Args;
  C.Ret = Req.Ret;
  C.WithPrimal = Req.WithPrimal;
  C.Width = Req.Width;
  C.Atomic = Req.AtomicAdjoints;
  if (C.Width < 1 || C.Width > 64)
    throw Error("batch width must be between 1 and 64");
  if (C.Args.size() != Req.Fn->arg_size())
    throw Error("function @" + Req.Fn->getName().str() + " has " + std::to_string(Req.Fn->arg_size()) +
                " parameters but " + std::to_string(C.Args.size()) + " activities were given");
  return C;
}

// Runs a generator, always dropping the prepared clones it made.
template <typename Fn> static auto withCleanup(Module &M, Fn &&Body) {
  try {
    auto R = Body();
    releasePreparedClones(M);
    return R;
  } catch (...) {
    releasePreparedClones(M);
    throw;
  }
}

// Marks the caller's strict-aliasing promises on Req.Fn.
static void applyNoAlias(const DiffRequest &Req) {
  for (unsigned K : Req.NoAliasArgs) {
    if (K >= Req.Fn->arg_size() || !Req.Fn->getArg(K)->getType()->isPointerTy())
      throw Error("noalias parameter " + std::to_string(K) + " of @" + Req.Fn->getName().str() +
                  " is not a pointer parameter");
    Req.Fn->addParamAttr(K, Attribute::NoAlias);
  }
}

Function *synthesize(const DiffRequest &Req) {
  Config C = configOf(Req);
  CustomRuleScope Scope(Req.Rules);
  NotesScope Notes(Req.Notes);
  applyNoAlias(Req);
  return withCleanup(*Req.Fn->getParent(), [&] {
    return getDerivative(*Req.Fn, C, Req.M == Mode::Forward ? Variant::Forward : Variant::ReverseCombined);
  });
}

SplitDerivative synthesizeSplit(const DiffRequest &Req) {
  if (Req.M != Mode::Reverse)
    throw Error("split mode is a reverse mode");
  Config C = configOf(Req);
  CustomRuleScope Scope(Req.Rules);
  NotesScope Notes(Req.Notes);
  applyNoAlias(Req);
  C.WithPrimal = false; // the augmented function always returns the primal
  return withCleanup(*Req.Fn->getParent(), [&] {
    SplitDerivative S;
    S.Augmented = getDerivative(*Req.Fn, C, Variant::Augmented);
    S.Reverse = getDerivative(*Req.Fn, C, Variant::ReverseSplit);
    return S;
  });
}

const char *version() { return "0.1.0"; }

} // namespace enzpy
