/* 13_early_exit.c - early exit: break out of a search loop.
 * f = (sum_{j<=i} x_j^2) * x_i for the first i with x_i > t, else the sum. */
#include "check.h"

void __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

#define N 6

static double search(const double *x, int n, double t) {
  double s = 0.0;
  int i;
  for (i = 0; i < n; i++) {
    s += x[i] * x[i];
    if (x[i] > t)
      break;
  }
  return i < n ? s * x[i] : s;
}

int main(void) {
  double x[N] = {0.4, -1.2, 0.9, 2.5, 3.0, -0.7}, v[N], w = 1.0;
  char name[80];
  const double ts[] = {2.0, 0.0, 5.0}; /* hit at i=3, i=0, never */
  for (int c = 0; c < 3; c++) {
    double t = ts[c], dx[N] = {0};
    int hit = 0;
    while (hit < N && !(x[hit] > t))
      hit++;
    double s = 0.0;
    for (int j = 0; j <= hit && j < N; j++)
      s += x[j] * x[j];
    __enzyme_autodiff((void *)search, x, dx, N, enzyme_const, t);
    for (int j = 0; j < N; j++) {
      double want;
      if (hit == N)
        want = 2.0 * x[j];
      else if (j < hit)
        want = 2.0 * x[j] * x[hit];
      else if (j == hit)
        want = 2.0 * x[j] * x[j] + s;
      else
        want = 0.0;
      snprintf(name, sizeof name, "rev t=%g (exit at %d) dx[%d]", t, hit, j);
      CHECK_CLOSE(name, dx[j], want, 1e-9);
    }
    snprintf(name, sizeof name, "FD t=%g dx[0]", t);
    CHECK_CLOSE(name, dx[0], FD(x[0], search(x, N, t)), 1e-5);
    for (int j = 0; j < N; j++)
      v[j] = 0.3 * j - 0.5;
    double tg = __enzyme_fwddiff((void *)search, x, v, N, enzyme_const, t);
    snprintf(name, sizeof name, "t=%g", t);
    dot_test(name, v, dx, N, &w, &tg, 1, 1e-9);
  }
  return finish();
}
