/* 31_max_reduction.c - max reductions over an array: fmax, and a branch-
 * based max.  The gradient flows only to the (unique) maximum. */
#include "check.h"

void __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

#define N 8

static double fmax_red(const double *x, int n) {
  double m = x[0];
  for (int i = 1; i < n; i++)
    m = fmax(m, x[i]);
  return m * m;
}

static double branch_max(const double *x, int n) {
  double m = -INFINITY;
  for (int i = 0; i < n; i++)
    if (x[i] > m)
      m = x[i];
  return 3.0 * m + x[0];
}

int main(void) {
  double x[N] = {0.3, -1.0, 2.5, 0.7, 2.4, -3.0, 1.9, 0.0}, v[N], w = 1.0;
  char name[80];
  int am = 2;
  for (int i = 0; i < N; i++)
    v[i] = 0.5 * i - 1.0;

  double dx[N] = {0};
  __enzyme_autodiff((void *)fmax_red, x, dx, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "rev fmax_red dx[%d]", i);
    CHECK_CLOSE(name, dx[i], i == am ? 2.0 * x[am] : 0.0, 1e-9);
  }
  double t = __enzyme_fwddiff((void *)fmax_red, x, v, N);
  CHECK_CLOSE("fwd fmax_red", t, 2.0 * x[am] * v[am], 1e-9);
  dot_test("fmax_red", v, dx, N, &w, &t, 1, 1e-9);

  double db[N] = {0};
  __enzyme_autodiff((void *)branch_max, x, db, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "rev branch_max dx[%d]", i);
    CHECK_CLOSE(name, db[i], (i == am ? 3.0 : 0.0) + (i == 0 ? 1.0 : 0.0), 1e-9);
  }
  double tb = __enzyme_fwddiff((void *)branch_max, x, v, N);
  dot_test("branch_max", v, db, N, &w, &tb, 1, 1e-9);

  /* move the maximum to the first element */
  x[0] = 5.0;
  double d0[N] = {0};
  __enzyme_autodiff((void *)fmax_red, x, d0, N);
  CHECK_CLOSE("rev fmax_red dx[0] (max first)", d0[0], 10.0, 1e-9);
  CHECK_EQ("rev fmax_red dx[2] (max first)", d0[2], 0.0);
  return finish();
}
