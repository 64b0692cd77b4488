// Small runtime helpers the generated derivatives call, written in LLVM IR and linked into the module on
// demand (internal linkage), so a differentiated module links with nothing from enzpy.
#pragma once
#include "Common.h"

namespace enzpy {
/// void @__enzpy_memcpy_adjoint_<f64|f32>(ptr dshadow, ptr sshadow, i64 bytes):
///   the reverse of memcpy/memmove on adjoints: s' += d' elementwise, then d' = 0 (overlap-safe).
Function *memcpyAdjointFn(Module &M, Type *ElemTy);
/// void @__enzpy_nrt_release(ptr meminfo): drops one reference of a numba MemInfo (frees it at zero).
Function *nrtReleaseFn(Module &M);
/// Byte offset of the data pointer in numba's NRT MemInfo {refct, dtor, dtor_info, data, size, ...}.
constexpr uint64_t NrtDataOffset = 24;
} // namespace enzpy
