// enzpy: the public interface of the differentiation core.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <map>
#include <vector>

namespace llvm {
class Function;
class Module;
class Instruction;
class Value;
} // namespace llvm

namespace enzpy {

/// Every failure the core reports: unsupported IR, bad requests, invalid modules.
/// The message names the culprit (function, argument, instruction, source line).
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// "instruction `%x = frem ...` in function @f (file.py:12)": used by every diagnostic.
std::string describe(const llvm::Value *V);
[[noreturn]] void fail(const std::string &What, const llvm::Value *Where = nullptr);

enum class Mode { Forward, Reverse };

/// How one parameter (or the return value) takes part in differentiation.
enum class Activity {
  Const,     ///< no derivative
  Active,    ///< scalar float: reverse mode returns its adjoint
  Dup,       ///< a shadow (pointers) or tangent (forward-mode floats) is passed beside it
  DupNoNeed, ///< like Dup; the primal result need not be computed
};

/// A user-supplied derivative for calls to one function (EnzymeRules): names of functions in the module.
/// For a callee `T f(A1 a1, ..., An an)` every rule receives each parameter followed by its shadow/tangent
/// (`a1, da1, ..., an, dan`; zero or null where the caller has none):
///  - Forward:   returns `{ T, T }` (primal, tangent), or `{}` when f returns void;
///  - Augmented: returns `{ T, ptr }` (primal, tape: anything the reverse rule needs), or `{ ptr }`;
///  - Reverse:   takes `a1, da1, ..., an, dan, [T d_ret if T is a float], ptr tape` and returns a struct with
///               one adjoint per floating-point parameter, in order (pointer parameters: the rule adds into
///               their shadows itself).
/// Inactive: calls to f carry no derivative (logging, counters, caches).
struct CustomRule {
  std::string Forward, Augmented, Reverse;
  bool Inactive = false;
};

struct DiffRequest {
  llvm::Function *Fn = nullptr;
  Mode M = Mode::Reverse;
  std::vector<Activity> Args; ///< one per parameter of Fn
  Activity Ret = Activity::Const;
  bool WithPrimal = false; ///< also return the primal result
  std::map<std::string, CustomRule> Rules; ///< by callee name
  bool AtomicAdjoints = false; ///< reverse mode: accumulate into shadow memory with atomicrmw fadd (GPU threads)
  unsigned Width = 1;      ///< forward mode: tangents per Dup parameter (batched: Width shadow parameters each,
                           ///< Width tangents of the result returned)
  /// Pointer parameters of Fn the caller promises alias no other memory Fn reaches (strict aliasing): they are
  /// marked noalias, so the reverse sweep may read inputs again instead of taping them, and LLVM may vectorize.
  std::vector<unsigned> NoAliasArgs;
  /// If set, receives one line per place where the analyses could not decide statically and the derivative
  /// checks at run time (runtime activity: a pointer that may or may not have a derivative).
  std::vector<std::string> *Notes = nullptr;
};

/// Synthesizes the derivative of Req.Fn inside Req.Fn's module and returns it.
///  reverse: params = each primal param, then its shadow if Dup/DupNoNeed, then d_ret if Ret==Active;
///           returns { [primal], adjoint of each Active param }.
///  forward: params = each primal param, then its tangent if Dup/DupNoNeed;
///           returns { [primal], [tangent of the result if Ret is Dup/DupNoNeed] }.
/// Throws enzpy::Error.
llvm::Function *synthesize(const DiffRequest &Req);

/// Split reverse mode: the augmented forward function (primal + what the reverse needs, pushed onto a tape it
/// receives as its last parameter, a pointer to a tape created with createTape) and the reverse function
/// (same parameters as the forward, then d_ret if Ret==Active, then the tape; returns the adjoints).
///   augmented returns { [primal], [shadow of the result if Ret is Dup] }.
struct SplitDerivative {
  llvm::Function *Augmented = nullptr, *Reverse = nullptr;
};
SplitDerivative synthesizeSplit(const DiffRequest &Req);

/// Replaces every __enzyme_autodiff/__enzyme_fwddiff call in M (Enzyme's C ABI).
/// Returns the number of calls lowered. Throws enzpy::Error.
unsigned lowerEnzymeCalls(llvm::Module &M);

/// Runs LLVM's default O1/O2/O3 pipeline on M (O0: nothing). ForHost: tune it (vector widths, costs) for this
/// machine's CPU, for code that runs here; otherwise for the module's target triple's generic CPU. VectorMath:
/// loops calling exp, log, sin, cos, pow or tan with the `afn` fast-math flag may call glibc's vector variants
/// (libmvec; whoever runs the code must resolve them).
void optimizeModule(llvm::Module &M, unsigned OptLevel, bool ForHost = false, bool VectorMath = false);

/// Machine code for module text IR, made in this process by a JIT that lives as long as the process (code is
/// never freed). Only the Entries stay visible; Symbols gives the addresses of external symbols the process
/// cannot find by name (e.g. numba's runtime). Returns the address of each entry. Throws enzpy::Error.
std::vector<std::uint64_t> jitCompile(const std::string &IR, const std::vector<std::string> &Entries,
                                      const std::map<std::string, std::uint64_t> &Symbols);

/// Throws enzpy::Error with the verifier's message if M is broken.
void verifyModuleOrThrow(const llvm::Module &M);

/// Routes LLVM fatal errors (report_fatal_error) into enzpy::Error where it is safe,
/// and otherwise into a clean "error: ..." exit. Idempotent.
void installFatalErrorHandler(const char *ToolName);

const char *version();

} // namespace enzpy
