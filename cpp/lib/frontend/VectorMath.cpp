// Vector math for derivatives of fast-math code: calls of exp, log, sin, cos, pow, erf... (libmvecFunctions) that
// the primal allows to be approximated (the `afn` fast-math flag, which numba's fastmath=True sets) may become calls of glibc's vector
// variants (libmvec, `_ZGVdN4v_exp`...), so that LLVM's loop vectorizer can vectorize loops that call them. Calls
// without `afn` keep the scalar libm: their results stay exactly those of the primal's.
//
// How: the call sites get the "vector-function-abi-variant" attribute naming their variants (what LLVM's
// InjectTLIMappings does for every call when a vector library is set; here only for `afn` calls, with glibc's
// AVX-512 variants too, which LLVM's table lacks, and for the widths this CPU runs), and the variants
// are declared and kept alive in @llvm.compiler.used until the optimizer is done (removeUnusedVectorMath).
#include "Common.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/VFABIDemangler.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"
#include <numeric>

namespace enzpy {

static constexpr const char *VariantAttr = "vector-function-abi-variant";

// glibc's vector math functions (libmvec, glibc >= 2.35 on x86-64), by the double-precision name; "vv": two
// arguments. Every one exists for double and float (name + "f") in the SSE, AVX2 and AVX-512 variants.
static const std::map<std::string, const char *> &libmvecFunctions() {
  static const std::map<std::string, const char *> Table = {
      {"exp", "v"},   {"exp2", "v"},  {"exp10", "v"}, {"expm1", "v"}, {"log", "v"},    {"log2", "v"},
      {"log10", "v"}, {"log1p", "v"}, {"sin", "v"},   {"cos", "v"},   {"tan", "v"},    {"asin", "v"},
      {"acos", "v"},  {"atan", "v"},  {"sinh", "v"},  {"cosh", "v"},  {"tanh", "v"},   {"asinh", "v"},
      {"acosh", "v"}, {"atanh", "v"}, {"erf", "v"},   {"erfc", "v"},  {"cbrt", "v"},   {"pow", "vv"},
      {"atan2", "vv"}, {"hypot", "vv"}};
  return Table;
}

// The vector widths (ISA letter, lanes for double) this CPU runs: SSE always, AVX2 and AVX-512 if present.
static SmallVector<std::pair<char, unsigned>> hostVariants() {
  SmallVector<std::pair<char, unsigned>> V = {{'b', 2}};
  StringMap<bool> Features = sys::getHostCPUFeatures();
  if (Features.lookup("avx2"))
    V.push_back({'d', 4});
  if (Features.lookup("avx512f"))
    V.push_back({'e', 8});
  return V;
}

unsigned addVectorMathVariants(Module &M) {
  const Triple &T = M.getTargetTriple();
  if (T.getArch() != Triple::x86_64 || !T.isOSLinux())
    return 0;
  static const SmallVector<std::pair<char, unsigned>> Widths = hostVariants();
  SmallVector<GlobalValue *> Declared;
  unsigned Calls = 0;
  for (Function &F : M) {
    for (Instruction &I : instructions(F)) {
      auto *CI = dyn_cast<CallInst>(&I);
      Function *Callee = CI ? CI->getCalledFunction() : nullptr;
      if (!Callee || !isa<FPMathOperator>(CI) || !CI->hasApproxFunc() || CI->getFnAttr(VariantAttr).isValid())
        continue;
      Type *Ty = CI->getType();
      bool IsFloat = Ty->isFloatTy();
      if (!Ty->isDoubleTy() && !IsFloat)
        continue;
      std::string Base = mathBaseName(*Callee);
      if (!Callee->isIntrinsic() && IsFloat && StringRef(Base).ends_with("f"))
        Base.pop_back(); // expf -> exp
      auto It = libmvecFunctions().find(Base);
      if (It == libmvecFunctions().end() || CI->arg_size() != strlen(It->second) ||
          any_of(CI->args(), [&](const Use &A) { return A->getType() != Ty; }))
        continue;
      SmallVector<std::string, 3> Variants;
      for (auto [Isa, Lanes] : Widths) {
        unsigned VF = IsFloat ? 2 * Lanes : Lanes;
        std::string VecName = formatv("_ZGV{0}N{1}{2}_{3}{4}", Isa, VF, It->second, Base, IsFloat ? "f" : "").str();
        std::string Mangled =
            formatv("_ZGV_LLVM_N{0}{1}_{2}({3})", VF, It->second, Callee->getName(), VecName).str();
        std::optional<VFInfo> Info = VFABI::tryDemangleForVFABI(Mangled, CI->getFunctionType());
        if (!Info)
          continue;
        if (!M.getFunction(VecName)) {
          FunctionType *VTy = VFABI::createFunctionType(*Info, CI->getFunctionType());
          Declared.push_back(Function::Create(VTy, GlobalValue::ExternalLinkage, VecName, M));
        }
        Variants.push_back(Mangled);
      }
      if (Variants.empty())
        continue;
      VFABI::setVectorVariantNames(CI, Variants);
      ++Calls;
    }
  }
  if (!Declared.empty())
    appendToCompilerUsed(M, Declared);
  return Calls;
}

// The function of `Base` with `Arity` arguments of vector type VTy (a width this CPU runs), declared in M.
static FunctionCallee vectorVariant(Module &M, const std::string &Base, const char *Arity, FixedVectorType *VTy) {
  bool IsFloat = VTy->getElementType()->isFloatTy();
  unsigned Lanes = VTy->getNumElements() / (IsFloat ? 2 : 1);
  char Isa = Lanes == 2 ? 'b' : Lanes == 4 ? 'd' : 'e';
  std::string Name =
      formatv("_ZGV{0}N{1}{2}_{3}{4}", Isa, VTy->getNumElements(), Arity, Base, IsFloat ? "f" : "").str();
  SmallVector<Type *, 2> Params(strlen(Arity), VTy);
  return M.getOrInsertFunction(Name, FunctionType::get(VTy, Params, false));
}

// Calls of vector math intrinsics with `afn` (llvm.exp.v8f64: from the primal, vectorized by numba, or from the
// vectorizer), which the backend would split into one libm call per lane, call glibc's vector functions: in pieces
// of the widest width this CPU runs.
static void callVectorFunctions(Module &M) {
  static const SmallVector<std::pair<char, unsigned>> Widths = hostVariants();
  SmallVector<CallInst *> Calls;
  for (Function &F : M)
    for (Instruction &I : instructions(F))
      if (auto *CI = dyn_cast<CallInst>(&I))
        if (Function *Callee = CI->getCalledFunction())
          if (Callee->isIntrinsic() && isa<FixedVectorType>(CI->getType()) && isa<FPMathOperator>(CI) &&
              CI->hasApproxFunc())
            Calls.push_back(CI);
  for (CallInst *CI : Calls) {
    auto *VTy = cast<FixedVectorType>(CI->getType());
    Type *Elt = VTy->getElementType();
    auto It = libmvecFunctions().find(mathBaseName(*CI->getCalledFunction()));
    if ((!Elt->isDoubleTy() && !Elt->isFloatTy()) || It == libmvecFunctions().end() ||
        CI->arg_size() != strlen(It->second) || any_of(CI->args(), [&](const Use &A) { return A->getType() != VTy; }))
      continue;
    unsigned N = VTy->getNumElements(), Piece = 0;
    for (auto [Isa, Lanes] : Widths) {
      unsigned W = Elt->isFloatTy() ? 2 * Lanes : Lanes;
      if (N % W == 0)
        Piece = W;
    }
    if (!Piece)
      continue;
    IRBuilder<> B(CI);
    B.setFastMathFlags(CI->getFastMathFlags());
    auto *PieceTy = FixedVectorType::get(Elt, Piece);
    FunctionCallee Fn = vectorVariant(M, It->first, It->second, PieceTy);
    Value *Result = PoisonValue::get(VTy);
    for (unsigned Start = 0; Start < N; Start += Piece) {
      SmallVector<int> Lanes(Piece);
      std::iota(Lanes.begin(), Lanes.end(), Start);
      SmallVector<Value *, 2> Args;
      for (Value *A : CI->args())
        Args.push_back(Piece == N ? A : B.CreateShuffleVector(A, Lanes));
      Value *Part = B.CreateCall(Fn, Args);
      if (Piece == N) {
        Result = Part;
        break;
      }
      SmallVector<int> Widen(N, -1), Insert(N);
      std::iota(Widen.begin(), Widen.begin() + Piece, 0);
      for (unsigned L = 0; L < N; ++L)
        Insert[L] = L >= Start && L < Start + Piece ? N + (L - Start) : L;
      Result = B.CreateShuffleVector(Result, B.CreateShuffleVector(Part, Widen), Insert);
    }
    CI->replaceAllUsesWith(Result);
    CI->eraseFromParent();
  }
}

void finishVectorMath(Module &M) {
  callVectorFunctions(M);
  SmallVector<Function *> Unused;
  removeFromUsedLists(M, [&](Constant *C) {
    auto *F = dyn_cast<Function>(C->stripPointerCasts());
    if (!F || !F->isDeclaration() || !F->getName().starts_with("_ZGV"))
      return false;
    Unused.push_back(F);
    return true;
  });
  for (Function *F : Unused)
    if (F->use_empty())
      F->eraseFromParent();
  for (Function &F : M)
    for (Instruction &I : instructions(F))
      if (auto *CI = dyn_cast<CallInst>(&I))
        CI->removeFnAttr(VariantAttr);
}

} // namespace enzpy
