/* 23_recursion.c - recursion: recursive integer power, a recursive sum over
 * an array and a divide-and-conquer recursive sum of sin(x_i). */
#include "check.h"

double __enzyme_autodiff(void *, ...);
void __enzyme_autodiff_v(void *, ...);
double __enzyme_fwddiff(void *, ...);

__attribute__((noinline)) static double rpow(double x, int n) {
  return n == 0 ? 1.0 : x * rpow(x, n - 1);
}

__attribute__((noinline)) static double rsum(const double *x, int n) {
  return n == 0 ? 0.0 : x[0] * x[0] + rsum(x + 1, n - 1);
}

__attribute__((noinline)) static double dcsum(const double *x, int lo, int hi) {
  if (hi - lo == 1)
    return sin(x[lo]);
  int mid = (lo + hi) / 2;
  return dcsum(x, lo, mid) * 1.5 + dcsum(x, mid, hi);
}

int main(void) {
  char name[80];
  for (int n = 0; n <= 6; n += 3) {
    double x = 1.1, v = 0.3, w = 1.0;
    double g = __enzyme_autodiff((void *)rpow, x, n);
    snprintf(name, sizeof name, "rev rpow(x,%d)' = n x^(n-1)", n);
    CHECK_CLOSE(name, g, n ? n * pow(x, n - 1) : 0.0, 1e-9);
    double t = __enzyme_fwddiff((void *)rpow, x, v, n);
    snprintf(name, sizeof name, "rpow n=%d", n);
    dot_test(name, &v, &g, 1, &w, &t, 1, 1e-9);
  }

  enum { N = 7 };
  double x[N], dx[N] = {0}, dd[N] = {0}, v[N], w = 1.0;
  for (int i = 0; i < N; i++) {
    x[i] = 0.4 * i - 1.0;
    v[i] = 1.0 - 0.2 * i;
  }
  __enzyme_autodiff_v((void *)rsum, x, dx, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "rev rsum dx[%d] = 2x", i);
    CHECK_CLOSE(name, dx[i], 2 * x[i], 1e-9);
  }
  double t = __enzyme_fwddiff((void *)rsum, x, v, N);
  dot_test("rsum", v, dx, N, &w, &t, 1, 1e-9);

  __enzyme_autodiff_v((void *)dcsum, x, dd, 0, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "FD  dcsum dx[%d]", i);
    CHECK_CLOSE(name, dd[i], FD(x[i], dcsum(x, 0, N)), 1e-5);
  }
  double t2 = __enzyme_fwddiff((void *)dcsum, x, v, 0, N);
  dot_test("dcsum", v, dd, N, &w, &t2, 1, 1e-9);
  return finish();
}
