/* 26_calloc.c - calloc inside the differentiated function: buckets start
 * at zero and accumulate x_i^2; the result is the sum of squared buckets. */
#include "check.h"

void __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

#define N 9

static double buckets(const double *x, int n, int m) {
  double *acc = (double *)calloc(m, sizeof(double));
  for (int i = 0; i < n; i++)
    acc[i % m] += x[i] * x[i];
  double s = 0.0;
  for (int j = 0; j < m; j++)
    s += acc[j] * acc[j];
  free(acc);
  return s;
}

int main(void) {
  double x[N], dx[N] = {0}, v[N], w = 1.0, acc[4] = {0};
  char name[80];
  const int m = 4;
  for (int i = 0; i < N; i++) {
    x[i] = 0.25 * i - 0.9;
    v[i] = sin(i + 1.0);
    acc[i % m] += x[i] * x[i];
  }
  __enzyme_autodiff((void *)buckets, x, dx, N, m);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "rev dx[%d] = 4 acc[i%%m] x_i", i);
    CHECK_CLOSE(name, dx[i], 4.0 * acc[i % m] * x[i], 1e-9);
  }
  CHECK_CLOSE("FD dx[5]", dx[5], FD(x[5], buckets(x, N, m)), 1e-5);
  double t = __enzyme_fwddiff((void *)buckets, x, v, N, m);
  double want = 0.0;
  for (int i = 0; i < N; i++)
    want += 4.0 * acc[i % m] * x[i] * v[i];
  CHECK_CLOSE("fwd J v", t, want, 1e-9);
  dot_test("calloc buckets", v, dx, N, &w, &t, 1, 1e-9);
  return finish();
}
