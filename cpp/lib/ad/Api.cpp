// synthesize(): the one entry point of the AD core.
#include "ad/Synth.h"

namespace enzpy {

Function *synthesize(const DiffRequest &Req) {
  if (!Req.Fn)
    throw Error("no function to differentiate");
  Config C;
  C.Args = Req.Args;
  C.Ret = Req.Ret;
  C.WithPrimal = Req.WithPrimal;
  if (C.Args.size() != Req.Fn->arg_size())
    throw Error("function @" + Req.Fn->getName().str() + " has " + std::to_string(Req.Fn->arg_size()) +
                " parameters but " + std::to_string(C.Args.size()) + " activities were given");
  Module &M = *Req.Fn->getParent();
  try {
    Function *D = getDerivative(*Req.Fn, C, Req.M == Mode::Forward ? Variant::Forward : Variant::ReverseCombined);
    releasePreparedClones(M);
    return D;
  } catch (...) {
    releasePreparedClones(M);
    throw;
  }
}

const char *version() { return "0.1.0"; }

} // namespace enzpy
