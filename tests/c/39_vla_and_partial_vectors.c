/* 39_vla_and_partial_vectors.c - two wrong reverse-mode derivatives the C fuzzer found
 * (tests/fuzz/crun.py, docs/fuzzing.md):
 *  - a variable-length array filled after a data-dependent loop: its shadow lived on the stack
 *    that llvm.stackrestore gives back before the reverse sweep adds adjoints into it (garbage, or a
 *    value that changed from run to run);
 *  - SLP-vectorized code with unused (poison) lanes: <2.0, poison> / <d, d>, and a shuffle that moves
 *    the poison lane next to a used one; the reverse sweep's 0 * poison made the gradient NaN. */
#include "check.h"

double __enzyme_autodiff(void *, ...);

static double vla_after_while(const double *x, int n, double p) {
  int k = 0;
  double u = sin(p);
  while (u < 1.357 && k < 12) {
    u = 1.1 * u + 0.35;
    k++;
  }
  double s = 0.0;
  for (int r = 1; r <= 2; r++) { /* a block: clang saves and restores the stack around the array */
    double a[n];
    for (int i = 0; i < n; i++)
      a[i] = x[i] * u * r;
    for (int i = 0; i < n; i++)
      s += a[i] * a[n - 1 - i];
  }
  return s + sin(u) * p;
}

static double partial_vectors(double p) {
  double d = 1.5 + p * p;
  return (2.413 / d) * (p / d) / 2.404;
}

int main(void) {
  char name[80];
  double x[9] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}, dx[9] = {0};
  double p = 0.3;
  for (int rep = 0; rep < 3; rep++) { /* the same result every time */
    for (int i = 0; i < 9; i++)
      dx[i] = 0.0;
    double g = __enzyme_autodiff((void *)vla_after_while, x, dx, enzyme_const, 9, p);
    snprintf(name, sizeof name, "FD d vla_after_while/dp (run %d)", rep);
    CHECK_CLOSE(name, g, FD(p, vla_after_while(x, 9, p)), 1e-5);
    for (int i = 0; i < 9; i++) {
      double xi = x[i];
      snprintf(name, sizeof name, "FD d vla_after_while/dx[%d] (run %d)", i, rep);
      CHECK_CLOSE(name, dx[i], FD(x[i], vla_after_while(x, 9, p)), 1e-5);
      x[i] = xi;
    }
  }
  const double ps[] = {0.9613860845565796, -0.4, 2.0};
  for (int c = 0; c < 3; c++) {
    double q = ps[c];
    double g = __enzyme_autodiff((void *)partial_vectors, q);
    snprintf(name, sizeof name, "FD d partial_vectors/dp (p=%g)", q);
    CHECK_CLOSE(name, g, FD(q, partial_vectors(q)), 1e-6);
  }
  return finish();
}
