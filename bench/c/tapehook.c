/* tapehook.c - measures enzpy's reverse-mode tape from Python.
 *
 * The tape of a derivative is one growable buffer (cpp/lib/ad/Tape.cpp; capacity doubles, at
 * least 4096 bytes), which CPU code grows with aligned_alloc (cache-line aligned records). bench/run.py
 * compiles this file, loads it with ctypes and registers enzpy_bench_aligned_alloc as the JIT's
 * `aligned_alloc` (llvmlite.binding.add_symbol) before any derivative is linked; only JIT code
 * calls aligned_alloc through that symbol, i.e. only tapes.
 * The peak request during one gradient call is the tape's final capacity (between the bytes
 * pushed and twice that). Tape slots kept in stack memory (fixed-size, outside loops) are not seen.
 */
#include <stddef.h>
#include <stdlib.h>

static size_t peak, calls;

void *enzpy_bench_aligned_alloc(size_t align, size_t n) {
  if (n > peak) peak = n;
  calls++;
  return aligned_alloc(align, n);
}
void enzpy_bench_reset(void) { peak = 0; calls = 0; }
size_t enzpy_bench_peak(void) { return peak; }
size_t enzpy_bench_calls(void) { return calls; }
