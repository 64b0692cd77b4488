// Running maxima and minima read again at the end of their loop (the `m = max(m, x[i])` of a logsumexp).
//
// Such a loop keeps its value in a chain of selects: m' = select(c, x[i], m) with c = x[i] > m. Reverse mode
// would tape every c (a byte per element, stored in the serial chain of comparisons) and send the adjoint back
// through the whole chain, adding zero into the shadow of every element it passes. But the chain's result is
// always one of the loaded elements (or its start value), and a loop that writes no memory leaves that element
// where it was: so the loop also keeps the address of the element it picked last (a select of pointers beside
// the select of values), and its result becomes a load from that address after the loop (the start value if it
// picked none). The chain itself then only decides comparisons: it gets no reverse code and nothing is taped;
// the adjoint of the maximum goes to the one element that is the maximum, and forward mode loads one tangent
// instead of one per element. The result is the same bits: the load reads the element the select returned.
#pragma once
#include "Common.h"

namespace enzpy {

/// Rewrites the select chains of F's loops that write no memory as described above; returns how many.
unsigned reloadSelectChains(Function &F);

} // namespace enzpy
