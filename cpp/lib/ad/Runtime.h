// Small runtime helpers the generated derivatives call, written in LLVM IR and linked into the module on
// demand (internal linkage), so a differentiated module links with nothing from enzpy.
#pragma once
#include "Common.h"

namespace enzpy {
/// void @__enzpy_memcpy_adjoint_<f64|f32>(ptr dshadow, ptr sshadow, i64 bytes):
///   the reverse of memcpy/memmove on adjoints: s' += d' elementwise, then d' = 0 (overlap-safe).
Function *memcpyAdjointFn(Module &M, Type *ElemTy);
} // namespace enzpy
