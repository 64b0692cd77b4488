// Small helpers shared by the analyses and the AD generators.
#pragma once
#include "pch.h"
#include "enzpy/Enzpy.h"

namespace enzpy {
using namespace llvm;

/// double, float, half, or a vector of them.
bool isFloatLike(Type *T);
/// Any type holding a float somewhere (structs and arrays included).
bool containsFloat(Type *T);
/// Any type holding a pointer somewhere.
bool containsPointer(Type *T);
/// The float type with the same bit width as an integer type (i64 -> double, <2 x i32> -> <2 x float>), or null.
Type *floatTypeForInt(Type *T);

/// The additive identity of adjoints: -0.0 in every float leaf (x + -0.0 == x exactly, so the optimizer can drop
/// it; +0.0 would not be an identity for x = -0.0). Other leaves are null.
Constant *adjointZero(Type *T);
/// Builds a + b for float-like or aggregate adjoints; non-float leaves keep a's value.
Value *addAdjoints(IRBuilder<> &B, Value *A, Value *Bv);
/// Calls Fn(indices, leafType) for every float-like leaf of an aggregate (or the value itself: empty indices).
void forEachFloatLeaf(Type *T, const std::function<void(ArrayRef<unsigned>, Type *)> &Fn);

/// The name a C or LLVM math function goes by in the rule table ("sin" for sin, sinf, llvm.sin.f64...).
std::string mathBaseName(const Function &F);

/// Vector math (VectorMath.cpp): gives calls with the `afn` fast-math flag glibc's vector variants for LLVM's loop
/// vectorizer; returns the number of calls. finishVectorMath, after the optimizer: vector math intrinsics with
/// `afn` call glibc's vector functions, and what the optimizer did not use is removed.
unsigned addVectorMathVariants(Module &M);
void finishVectorMath(Module &M);

/// The builder's fast-math flags for the derivative of I (numba's fastmath=True), those of I's flags that hold
/// for derivatives too: `afn`, so that the calls of I's rule (exp in erf's partial, cos in sin's) may be
/// approximated, i.e. use vector math, like I; `reassoc`, `contract`, `nsz` and `arcp`, so that adjoint sums
/// (a reduction over a loop in the reverse sweep) vectorize like the primal's. Never `nnan`/`ninf`: a
/// derivative may be infinite where the primal is finite (sqrt at 0).
void fastMathLike(IRBuilderBase &B, const Instruction &I);

/// Called function of a direct call, or null.
Function *calledFunction(const CallBase &CB);

} // namespace enzpy
