// LLVM pass plugin:  opt-22 -load-pass-plugin=EnzpyPlugin.so -passes=enzpy in.ll
#include "enzpy/Enzpy.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Plugins/PassPlugin.h"

using namespace llvm;

namespace {
struct EnzpyPass : PassInfoMixin<EnzpyPass> {
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    try {
      if (enzpy::lowerEnzymeCalls(M) == 0)
        return PreservedAnalyses::all();
    } catch (const enzpy::Error &E) {
      M.getContext().emitError(std::string("enzpy: ") + E.what());
    }
    return PreservedAnalyses::none();
  }
};
} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "enzpy", "0.1.0", [](PassBuilder &PB) {
            PB.registerPipelineParsingCallback(
                [](StringRef Name, ModulePassManager &MPM, ArrayRef<PassBuilder::PipelineElement>) {
                  if (Name != "enzpy")
                    return false;
                  MPM.addPass(EnzpyPass());
                  return true;
                });
          }};
}
