/* 20_integer_powers.c - integer powers: x*x*x, pow(x, 3.0), pow(x, -2.0),
 * __builtin_powi with constant and runtime exponents. */
#include "check.h"

double __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

static double cube_mul(double x) { return x * x * x; }
static double cube_pow(double x) { return pow(x, 3.0); }
static double inv_sq(double x) { return pow(x, -2.0); }
static double powi5(double x) { return __builtin_powi(x, 5); }
static double powi_neg3(double x) { return __builtin_powi(x, -3); }
static double powi_n(double x, int n) { return __builtin_powi(x, n); }
static double pow_n(double x, int n) { return pow(x, (double)n); }

static void check(const char *fn, double x, double rev, double fwd, double want) {
  char name[80];
  double v = -0.4, w = 1.0;
  snprintf(name, sizeof name, "rev %s at %g", fn, x);
  CHECK_CLOSE(name, rev, want, 1e-9);
  snprintf(name, sizeof name, "fwd %s at %g", fn, x);
  CHECK_CLOSE(name, fwd, want * v, 1e-9);
  snprintf(name, sizeof name, "%s at %g", fn, x);
  dot_test(name, &v, &rev, 1, &w, &fwd, 1, 1e-9);
}
#define T(f, X, WANT)                                                          \
  do {                                                                         \
    double x = (X);                                                            \
    check(#f, x, __enzyme_autodiff((void *)f, x),                              \
          __enzyme_fwddiff((void *)f, x, -0.4), (WANT));                       \
  } while (0)
#define TN(f, X, N, WANT)                                                      \
  do {                                                                         \
    double x = (X);                                                            \
    int n = (N);                                                               \
    check(#f, x, __enzyme_autodiff((void *)f, x, n),                           \
          __enzyme_fwddiff((void *)f, x, -0.4, n), (WANT));                    \
  } while (0)

int main(void) {
  const double xs[] = {1.3, -0.7, 2.0};
  for (int k = 0; k < 3; k++) {
    T(cube_mul, xs[k], 3 * x * x);
    T(cube_pow, xs[k], 3 * x * x);
    T(inv_sq, xs[k], -2.0 / (x * x * x));
    T(powi5, xs[k], 5 * x * x * x * x);
    T(powi_neg3, xs[k], -3.0 / (x * x * x * x));
    TN(powi_n, xs[k], 4, 4 * x * x * x);
    TN(powi_n, xs[k], 1, 1.0);
    TN(powi_n, xs[k], 0, 0.0);
    TN(powi_n, xs[k], -2, -2.0 / (x * x * x));
    TN(pow_n, xs[k], 3, 3 * x * x);
    TN(pow_n, xs[k], 2, 2 * x);
  }
  /* pow(x, 3.0) at x = 0: derivative 0 (not NaN) */
  CHECK_EQ("rev pow(x,3) at 0", __enzyme_autodiff((void *)cube_pow, 0.0), 0.0);
  CHECK_EQ("rev powi(x,5) at 0", __enzyme_autodiff((void *)powi5, 0.0), 0.0);
  return finish();
}
