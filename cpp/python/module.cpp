// enzpy._core: textual IR and a request in, textual IR out. No logic beyond argument conversion.
#include "enzpy/Enzpy.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <map>
#include <utility>

namespace py = pybind11;
using namespace llvm;

static std::unique_ptr<Module> parse(const std::string &Text, LLVMContext &Ctx) {
  SMDiagnostic Diag;
  std::unique_ptr<Module> M = parseAssemblyString(Text, Diag, Ctx);
  if (!M) {
    std::string Msg;
    raw_string_ostream OS(Msg);
    Diag.print("ir", OS, false);
    throw enzpy::Error("cannot parse the IR: " + OS.str());
  }
  enzpy::verifyModuleOrThrow(*M);
  return M;
}

static std::string print(const Module &M) {
  std::string S;
  raw_string_ostream OS(S);
  M.print(OS, nullptr);
  return OS.str();
}

static enzpy::Activity activityOf(const std::string &S) {
  if (S == "const") return enzpy::Activity::Const;
  if (S == "active") return enzpy::Activity::Active;
  if (S == "dup") return enzpy::Activity::Dup;
  if (S == "dupnoneed") return enzpy::Activity::DupNoNeed;
  throw enzpy::Error("unknown activity '" + S + "' (const, active, dup, dupnoneed)");
}

using RuleMap = std::map<std::string, std::vector<std::string>>;

// the analyses' assumptions during this thread's last request (take_notes())
static thread_local std::vector<std::string> LastNotes;

// The request as the Python bridge spells it, resolved against module M.
static enzpy::DiffRequest makeRequest(Module &M, const std::string &Fn, const std::string &Mode,
                                      const std::vector<std::string> &Args, const std::string &Ret,
                                      bool WithPrimal, unsigned Width, bool Atomic, const RuleMap &Rules,
                                      const std::vector<std::string> &Inactive,
                                      const std::vector<unsigned> &NoAlias) {
  enzpy::DiffRequest Req;
  Req.NoAliasArgs = NoAlias;
  LastNotes.clear();
  Req.Notes = &LastNotes;
  Req.Fn = M.getFunction(Fn);
  if (!Req.Fn)
    throw enzpy::Error("no function @" + Fn + " in the module");
  if (Mode != "forward" && Mode != "reverse")
    throw enzpy::Error("mode must be 'forward' or 'reverse', not '" + Mode + "'");
  Req.M = Mode == "forward" ? enzpy::Mode::Forward : enzpy::Mode::Reverse;
  for (const std::string &A : Args)
    Req.Args.push_back(activityOf(A));
  Req.Ret = activityOf(Ret);
  Req.WithPrimal = WithPrimal;
  Req.Width = Width;
  Req.AtomicAdjoints = Atomic;
  for (const auto &[Callee, Parts] : Rules) { // name -> [forward, augmented, reverse] ("" where absent)
    if (Parts.size() != 3)
      throw enzpy::Error("rules['" + Callee + "'] must be [forward, augmented, reverse] function names");
    Req.Rules[Callee].Forward = Parts[0];
    Req.Rules[Callee].Augmented = Parts[1];
    Req.Rules[Callee].Reverse = Parts[2];
  }
  for (const std::string &Name : Inactive)
    Req.Rules[Name].Inactive = true;
  return Req;
}

// Verifies, optimizes and prints M after synthesis. Every function but the Entries becomes internal first (the
// bridge links the module into numba code under new names, where nothing else may be seen), so that the optimizer
// drops what the derivative does not call, e.g. the primal itself.
// The derivative runs on this machine (numba's code or the core's JIT), so the optimizer is tuned for its CPU.
static std::string finish(Module &M, unsigned OptLevel, std::initializer_list<Function *> Entries, bool VectorMath) {
  for (Function &F : M)
    if (!F.isDeclaration() && !is_contained(Entries, &F))
      F.setLinkage(GlobalValue::InternalLinkage);
  enzpy::verifyModuleOrThrow(M);
  enzpy::optimizeModule(M, OptLevel, /*ForHost=*/true, VectorMath);
  enzpy::verifyModuleOrThrow(M);
  return print(M);
}

static py::tuple differentiate(const std::string &IR, const std::string &Fn, const std::string &Mode,
                               const std::vector<std::string> &Args, const std::string &Ret, bool WithPrimal,
                               unsigned OptLevel, unsigned Width, bool Atomic, const RuleMap &Rules,
                               const std::vector<std::string> &Inactive, const std::vector<unsigned> &NoAlias,
                               bool VectorMath) {
  std::string Out, Name;
  {
    py::gil_scoped_release NoGil;
    LLVMContext Ctx;
    std::unique_ptr<Module> M = parse(IR, Ctx);
    enzpy::DiffRequest Req =
        makeRequest(*M, Fn, Mode, Args, Ret, WithPrimal, Width, Atomic, Rules, Inactive, NoAlias);
    Function *D = enzpy::synthesize(Req);
    D->setLinkage(GlobalValue::ExternalLinkage);
    Name = D->getName().str();
    Out = finish(*M, OptLevel, {D}, VectorMath);
  }
  return py::make_tuple(Out, Name);
}

static py::tuple differentiateSplit(const std::string &IR, const std::string &Fn, const std::vector<std::string> &Args,
                                    const std::string &Ret, unsigned OptLevel, const RuleMap &Rules,
                                    const std::vector<std::string> &Inactive,
                                    const std::vector<unsigned> &NoAlias, bool VectorMath) {
  std::string Out, Aug, Rev;
  {
    py::gil_scoped_release NoGil;
    LLVMContext Ctx;
    std::unique_ptr<Module> M = parse(IR, Ctx);
    enzpy::DiffRequest Req = makeRequest(*M, Fn, "reverse", Args, Ret, true, 1, false, Rules, Inactive, NoAlias);
    enzpy::SplitDerivative S = enzpy::synthesizeSplit(Req);
    S.Augmented->setLinkage(GlobalValue::ExternalLinkage);
    S.Reverse->setLinkage(GlobalValue::ExternalLinkage);
    Aug = S.Augmented->getName().str();
    Rev = S.Reverse->getName().str();
    Out = finish(*M, OptLevel, {S.Augmented, S.Reverse}, VectorMath);
  }
  return py::make_tuple(Out, Aug, Rev);
}

static std::string lowerEnzymeCalls(const std::string &IR, unsigned OptLevel) {
  py::gil_scoped_release NoGil;
  LLVMContext Ctx;
  std::unique_ptr<Module> M = parse(IR, Ctx);
  enzpy::lowerEnzymeCalls(*M);
  enzpy::verifyModuleOrThrow(*M);
  enzpy::optimizeModule(*M, OptLevel);
  enzpy::verifyModuleOrThrow(*M);
  return print(*M);
}

static std::vector<std::uint64_t> jitCompile(const std::string &IR, const std::vector<std::string> &Entries,
                                             const std::map<std::string, std::uint64_t> &Symbols) {
  py::gil_scoped_release NoGil;
  return enzpy::jitCompile(IR, Entries, Symbols);
}

PYBIND11_MODULE(_core, m) {
  m.doc() = "enzpy's C++ differentiation core (LLVM " LLVM_VERSION_STRING ")";
  enzpy::installFatalErrorHandler(nullptr);
  py::register_exception<enzpy::Error>(m, "CoreError", PyExc_RuntimeError);
  m.def("differentiate", &differentiate, py::arg("ir"), py::arg("fn"), py::arg("mode"), py::arg("args"),
        py::arg("ret") = "const", py::arg("with_primal") = false, py::arg("opt_level") = 2, py::arg("width") = 1, py::arg("atomic") = false,
        py::arg("rules") = RuleMap(), py::arg("inactive") = std::vector<std::string>(),
        py::arg("noalias") = std::vector<unsigned>(), py::arg("vector_math") = false,
        "Synthesize the derivative of function `fn` in textual module `ir`; returns (module text, name). "
        "`noalias`: pointer parameters promised not to alias (strict aliasing). `vector_math`: loops may call "
        "glibc's vector math (libmvec) where the primal's calls allow approximation (fast-math `afn`).");
  m.def("differentiate_split", &differentiateSplit, py::arg("ir"), py::arg("fn"), py::arg("args"),
        py::arg("ret") = "const", py::arg("opt_level") = 2, py::arg("rules") = RuleMap(),
        py::arg("inactive") = std::vector<std::string>(), py::arg("noalias") = std::vector<unsigned>(),
        py::arg("vector_math") = false,
        "Split reverse mode of `fn`: returns (module text, augmented forward name, reverse name). The augmented "
        "function takes the arguments (shadows after their primals) and a heap tape { ptr, i64, i64 } last; the "
        "reverse takes the same, with d_ret before the tape when ret is 'dup' / 'active'.");
  m.def("lower_enzyme_calls", &lowerEnzymeCalls, py::arg("ir"), py::arg("opt_level") = 2,
        "Replace __enzyme_autodiff/__enzyme_fwddiff calls in `ir` (Enzyme's C ABI); returns module text.");
  m.def("jit_compile", &jitCompile, py::arg("ir"), py::arg("entries"), py::arg("symbols") = std::map<std::string, std::uint64_t>(),
        "Machine code for the functions `entries` of module text `ir`, made by the process's JIT (kept until the "
        "process ends); `symbols`: addresses of external symbols the process cannot find by name. Returns the "
        "entries' addresses.");
  m.def("version", [] { return std::string(enzpy::version()); });
  m.def("take_notes", [] { return std::exchange(LastNotes, {}); },
        "The analyses' assumptions (type warnings) of this thread's last differentiate call, once.");
  m.attr("llvm_version") = LLVM_VERSION_STRING;
  m.attr("llvm_major") = LLVM_VERSION_MAJOR;
}
