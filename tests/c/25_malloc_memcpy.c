/* 25_malloc_memcpy.c - malloc + memcpy + free inside the differentiated
 * function: a temporary copy is updated in place, then reduced. */
#include "check.h"
#include <string.h>

void __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

#define N 6

static double f(const double *x, int n) {
  double *t = (double *)malloc(n * sizeof(double));
  memcpy(t, x, n * sizeof(double));
  for (int i = 1; i < n; i++)
    t[i] = t[i] * t[i - 1] + sin(t[i]);
  double s = 0.0;
  for (int i = 0; i < n; i++)
    s += t[i] * (i + 1);
  free(t);
  return s;
}

/* copy into a caller-provided output with memcpy, then scale the copy */
static void copy_scale(double *out, const double *x, int n) {
  double *tmp = (double *)malloc(n * sizeof(double));
  for (int i = 0; i < n; i++)
    tmp[i] = x[i] * x[i];
  memcpy(out, tmp, n * sizeof(double));
  free(tmp);
  for (int i = 0; i < n; i++)
    out[i] *= 3.0;
}

int main(void) {
  double x[N] = {0.3, -0.8, 1.1, 0.5, -0.2, 0.9}, dx[N] = {0}, v[N], w = 1.0;
  char name[80];
  __enzyme_autodiff((void *)f, x, dx, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "FD dx[%d]", i);
    CHECK_CLOSE(name, dx[i], FD(x[i], f(x, N)), 1e-5);
    v[i] = 0.5 - 0.15 * i;
  }
  double t = __enzyme_fwddiff((void *)f, x, v, N);
  dot_test("malloc/memcpy", v, dx, N, &w, &t, 1, 1e-9);

  double out[N], dout[N], dx2[N] = {0};
  for (int i = 0; i < N; i++)
    dout[i] = 1.0 + i;
  __enzyme_autodiff((void *)copy_scale, out, dout, x, dx2, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "rev copy_scale dx[%d] = 6 x w", i);
    CHECK_CLOSE(name, dx2[i], 6.0 * x[i] * (1.0 + i), 1e-9);
    snprintf(name, sizeof name, "rev copy_scale dout[%d] = 0", i);
    CHECK_EQ(name, dout[i], 0.0);
    snprintf(name, sizeof name, "primal out[%d] = 3 x^2", i);
    CHECK_CLOSE(name, out[i], 3.0 * x[i] * x[i], 1e-9);
  }
  return finish();
}
