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
/// void @__enzpy_nrt_retain(ptr meminfo): takes one more reference of a numba MemInfo (none when null).
Function *nrtRetainFn(Module &M);
/// ptr @__enzpy_nrt_resize_shadow(ptr shadow_mi, ptr old, i64 old_size, i64 size, i1 free_old): the shadow of
///   NRT_MemInfo_varsize_realloc (numba lists). A new block of size bytes (NRT_Allocate) takes the shadow
///   MemInfo's place, holding the first bytes of the old block (its shadow pointers, tangents or adjoints), the
///   rest zeroed; the old block is freed when free_old (forward mode), else kept for the reverse sweep with
///   those bytes zeroed: they moved (so the reverse's s' += d' of the memcpy adjoint gives shadow pointers back
///   bit for bit: in the forward sweep of reverse mode shadow memory holds only pointers and zeros).
Function *nrtResizeShadowFn(Module &M);
/// void @__enzpy_nrt_unresize_shadow(ptr shadow_mi, ptr old, i64 old_size, ptr new): its reverse, after the
///   adjoints of the kept bytes went back to the old block: the shadow MemInfo takes the old block back and the
///   new one is freed.
Function *nrtUnresizeShadowFn(Module &M);
/// Byte offsets of the data pointer and the size in numba's NRT MemInfo {refct, dtor, dtor_info, data, size, ...}.
constexpr uint64_t NrtDataOffset = 24;
constexpr uint64_t NrtSizeOffset = 32;
} // namespace enzpy
