/* 07_sum_squares.c - array argument with a shadow (dup): sum of squares.
 * Reverse mode accumulates into the shadow; forward mode gives 2 x.v. */
#include "check.h"

void __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

#define N 10

static double sumsq(const double *x, int n) {
  double s = 0.0;
  for (int i = 0; i < n; i++)
    s += x[i] * x[i];
  return s;
}

int main(void) {
  double x[N], dx[N], v[N], w = 1.0;
  char name[80];
  for (int i = 0; i < N; i++) {
    x[i] = 0.3 * i - 1.1;
    dx[i] = 0.0;
    v[i] = 1.0 / (i + 1);
  }
  __enzyme_autodiff((void *)sumsq, x, dx, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "rev dx[%d]", i);
    CHECK_CLOSE(name, dx[i], 2.0 * x[i], 1e-9);
    snprintf(name, sizeof name, "FD  dx[%d]", i);
    CHECK_CLOSE(name, dx[i], FD(x[i], sumsq(x, N)), 1e-5);
  }
  double t = __enzyme_fwddiff((void *)sumsq, x, v, N);
  CHECK_CLOSE("fwd 2 x.v", t, 2.0 * dotn(x, v, N), 1e-9);
  dot_test("sumsq", v, dx, N, &w, &t, 1, 1e-9);

  /* shadows accumulate: start from 0.5 and differentiate twice */
  for (int i = 0; i < N; i++)
    dx[i] = 0.5;
  __enzyme_autodiff((void *)sumsq, x, dx, N);
  __enzyme_autodiff((void *)sumsq, enzyme_dup, x, dx, N);
  for (int i = 0; i < N; i += 3) {
    snprintf(name, sizeof name, "accumulated dx[%d] = 0.5 + 2*2x", i);
    CHECK_CLOSE(name, dx[i], 0.5 + 4.0 * x[i], 1e-9);
  }
  /* the primal input is unchanged */
  CHECK_EQ("x[4] unchanged", x[4], 0.3 * 4 - 1.1);
  return finish();
}
