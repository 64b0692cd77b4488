// GPU shared memory (`__shared__` / `cuda.shared.array`: addrspace(3) globals). Such an array has a shadow
// array of the same type in shared memory; reverse mode clears it cooperatively (every thread of the block a
// share, then a barrier) before the forward sweep, because adjoints accumulate into it.
#pragma once
#include "Common.h"

namespace enzpy {

/// A mutable global in NVPTX shared memory (address space 3).
bool isSharedMemory(const Value *V);

/// Turns the constant expressions over shared-memory globals in F (numba-cuda addresses its arrays as
/// `addrspacecast (ptr addrspace(3) @smem to ptr)`) into instructions, so that the analyses and the generators
/// see them as ordinary values.
void exposeSharedMemory(Function &F);

} // namespace enzpy
