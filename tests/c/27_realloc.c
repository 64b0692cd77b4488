/* 27_realloc.c - realloc growing a buffer inside the differentiated
 * function: values are pushed into a doubling buffer, then reduced. */
#include "check.h"

void __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

#define N 11

static double pushes(const double *x, int n) {
  int cap = 2, len = 0;
  double *buf = (double *)malloc(cap * sizeof(double));
  for (int i = 0; i + 1 < n; i++) {
    if (len == cap) {
      cap *= 2;
      buf = (double *)realloc(buf, cap * sizeof(double));
    }
    buf[len++] = x[i] * x[i + 1];
  }
  double s = 0.0;
  for (int k = 0; k < len; k++)
    s += buf[k] * buf[k] * (k % 3 + 1);
  free(buf);
  return s;
}

int main(void) {
  double x[N], dx[N] = {0}, v[N], w = 1.0;
  char name[80];
  for (int i = 0; i < N; i++) {
    x[i] = 0.2 * i - 1.0 + 0.05 * (i % 2);
    v[i] = 1.0 - 0.1 * i;
  }
  __enzyme_autodiff((void *)pushes, x, dx, N);
  /* s = sum_k c_k (x_k x_{k+1})^2 */
  for (int i = 0; i < N; i++) {
    double want = 0.0;
    if (i + 1 < N)
      want += 2.0 * (i % 3 + 1) * x[i] * x[i + 1] * x[i + 1];
    if (i > 0)
      want += 2.0 * ((i - 1) % 3 + 1) * x[i - 1] * x[i - 1] * x[i];
    snprintf(name, sizeof name, "rev dx[%d]", i);
    CHECK_CLOSE(name, dx[i], want, 1e-9);
  }
  CHECK_CLOSE("FD dx[7]", dx[7], FD(x[7], pushes(x, N)), 1e-5);
  double t = __enzyme_fwddiff((void *)pushes, x, v, N);
  dot_test("realloc", v, dx, N, &w, &t, 1, 1e-9);
  return finish();
}
