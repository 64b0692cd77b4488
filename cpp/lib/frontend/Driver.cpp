// Optimization after AD, verification, and LLVM fatal errors turned into enzpy errors.
#include "Common.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace enzpy {

static std::unique_ptr<TargetMachine> targetMachineFor(const Module &M, bool ForHost) {
  static std::once_flag Once;
  std::call_once(Once, [] {
    InitializeAllTargetInfos();
    InitializeAllTargets();
    InitializeAllTargetMCs();
  });
  const Triple &T = M.getTargetTriple();
  if (T.str().empty())
    return nullptr;
  std::string Err;
  const Target *Tgt = TargetRegistry::lookupTarget(T, Err);
  if (!Tgt)
    return nullptr;
  std::string CPU, Features;
  if (ForHost && T.getArch() == Triple(sys::getProcessTriple()).getArch()) {
    CPU = sys::getHostCPUName().str();
    SubtargetFeatures F;
    for (const auto &[Name, On] : sys::getHostCPUFeatures())
      F.AddFeature(Name, On);
    Features = F.getString();
  }
  return std::unique_ptr<TargetMachine>(
      Tgt->createTargetMachine(T, CPU, Features, TargetOptions(), std::nullopt, std::nullopt, CodeGenOptLevel::Default));
}

void optimizeModule(Module &M, unsigned OptLevel, bool ForHost, bool VectorMath) {
  if (OptLevel == 0)
    return;
  if (VectorMath)
    addVectorMathVariants(M);
  std::unique_ptr<TargetMachine> TM = targetMachineFor(M, ForHost);
  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  PassBuilder PB(TM.get());
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  OptimizationLevel L = OptLevel == 1 ? OptimizationLevel::O1
                        : OptLevel == 2 ? OptimizationLevel::O2
                                        : OptimizationLevel::O3;
  ModulePassManager MPM = PB.buildPerModuleDefaultPipeline(L);
  MPM.run(M, MAM);
  if (VectorMath)
    finishVectorMath(M);
}

void verifyModuleOrThrow(const Module &M) {
  std::string Msg;
  raw_string_ostream OS(Msg);
  if (verifyModule(M, &OS)) {
    OS.flush();
    if (Msg.size() > 2000)
      Msg = Msg.substr(0, 2000) + "...";
    throw Error("the module is not valid LLVM IR: " + Msg);
  }
}

static const char *FatalTool = nullptr;

static void onFatal(void *, const char *Reason, bool) {
  if (FatalTool) {
    std::fprintf(stderr, "%s: error: LLVM: %s\n", FatalTool, Reason);
    std::fflush(stderr);
    std::_Exit(1);
  }
  // in a library (Python): unwind back to the API boundary
  throw Error(std::string("LLVM error: ") + Reason);
}

void installFatalErrorHandler(const char *ToolName) {
  static bool Installed = false;
  FatalTool = ToolName;
  if (Installed)
    return;
  Installed = true;
  install_fatal_error_handler(onFatal, nullptr);
}

} // namespace enzpy
