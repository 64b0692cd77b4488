// Machine code for derivative modules, made in this process by one ORC JIT that lives as long as the process.
//
// Why: the Python bridge used to hand every derivative to numba, whose MCJIT engine keeps each compiled module
// (its IR and its machine code) for the life of the process: about 1 MB per fresh derivative. ORC frees a
// module's IR and its LLVMContext as soon as its machine code is made, so a derivative costs its code and data
// (a few pages). See docs/how-it-works.md, "Calling derivatives from Python".
#include "Common.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include <mutex>
#include <set>

namespace enzpy {
using namespace llvm::orc;

namespace {

// The process's JIT and the names of the absolute symbols defined in it so far (a name is defined once).
struct Jit {
  std::unique_ptr<LLJIT> J;
  std::set<std::string> Absolute;
  std::string SessionError; // what ORC last reported (e.g. which symbols were not found), not printed
  std::mutex Lock;          // guards Absolute, SessionError and the definition of symbols; ORC is thread-safe
};

std::string message(llvm::Error E) { return toString(std::move(E)); }

Jit &theJit() {
  static Jit *TheJit = [] {
    InitializeNativeTarget();
    InitializeNativeTargetAsmPrinter();
    auto JTMB = JITTargetMachineBuilder::detectHost();
    if (!JTMB)
      throw enzpy::Error("JIT: cannot describe this machine: " + message(JTMB.takeError()));
    JTMB->setCodeGenOptLevel(CodeGenOptLevel::Aggressive);
    auto Built = LLJITBuilder().setJITTargetMachineBuilder(std::move(*JTMB)).create();
    if (!Built)
      throw enzpy::Error("JIT: cannot create the JIT: " + message(Built.takeError()));
    auto *New = new Jit; // never destroyed: the code it made may be called until the process ends
    New->J = std::move(*Built);
    New->J->getExecutionSession().setErrorReporter([New](llvm::Error E) {
      std::lock_guard<std::mutex> Guard(New->Lock);
      New->SessionError = message(std::move(E));
    });
    return New;
  }();
  return *TheJit;
}

// Defines each of Symbols not defined yet as an absolute symbol of the main JITDylib.
void defineAbsolute(Jit &J, const std::map<std::string, std::uint64_t> &Symbols) {
  std::lock_guard<std::mutex> Guard(J.Lock);
  SymbolMap New;
  for (const auto &[Name, Address] : Symbols)
    if (Address != 0 && J.Absolute.insert(Name).second)
      New[J.J->mangleAndIntern(Name)] = {ExecutorAddr(Address), JITSymbolFlags::Exported};
  if (New.empty())
    return;
  if (llvm::Error E = J.J->getMainJITDylib().define(absoluteSymbols(std::move(New))))
    throw enzpy::Error("JIT: " + message(std::move(E)));
}

} // namespace

std::vector<std::uint64_t> jitCompile(const std::string &IR, const std::vector<std::string> &Entries,
                                      const std::map<std::string, std::uint64_t> &Symbols) {
  Jit &J = theJit();
  auto Ctx = std::make_unique<LLVMContext>();
  SMDiagnostic Diag;
  std::unique_ptr<Module> M = parseAssemblyString(IR, Diag, *Ctx);
  if (!M)
    throw enzpy::Error("JIT: cannot parse the IR: " + Diag.getMessage().str());
  // only the entries are seen from outside: two modules may hold definitions of one name (numba's
  // environment globals, helpers), which would otherwise clash in the one JITDylib
  for (GlobalValue &G : M->global_values()) {
    if (G.isDeclaration())
      continue;
    if (is_contained(Entries, G.getName().str()))
      G.setLinkage(GlobalValue::ExternalLinkage);
    else if (!G.hasLocalLinkage())
      G.setLinkage(GlobalValue::InternalLinkage);
  }
  for (const std::string &Name : Entries) {
    Function *F = M->getFunction(Name);
    if (!F || F->isDeclaration())
      throw enzpy::Error("JIT: no function @" + Name + " is defined in the module");
  }
  M->setDataLayout(J.J->getDataLayout());
  defineAbsolute(J, Symbols);
  if (llvm::Error E = J.J->addIRModule(ThreadSafeModule(std::move(M), std::move(Ctx))))
    throw enzpy::Error("JIT: " + message(std::move(E)));
  std::vector<std::uint64_t> Addresses;
  for (const std::string &Name : Entries) {
    Expected<ExecutorAddr> A = J.J->lookup(Name);
    if (!A) {
      std::string Why = message(A.takeError());
      std::lock_guard<std::mutex> Guard(J.Lock);
      if (!J.SessionError.empty())
        Why = std::exchange(J.SessionError, {}) + " (" + Why + ")";
      throw enzpy::Error("JIT: cannot make machine code for @" + Name + ": " + Why);
    }
    Addresses.push_back(A->getValue());
  }
  return Addresses;
}

} // namespace enzpy
