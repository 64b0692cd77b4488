/* 16_libm_exp_log.c - f64 exponentials, logarithms and roots:
 * exp exp2 expm1 log log2 log10 log1p pow cbrt sqrt. */
#include "check.h"

typedef struct { double dx, dy; } D2;
double __enzyme_autodiff(void *, ...);
D2 __enzyme_autodiff2(void *, ...);
double __enzyme_fwddiff(void *, ...);

#define U(name, expr) static double name(double x) { return expr; }
U(f_exp, exp(x))
U(f_exp2, exp2(x))
U(f_expm1, expm1(x))
U(f_log, log(x))
U(f_log2, log2(x))
U(f_log10, log10(x))
U(f_log1p, log1p(x))
U(f_cbrt, cbrt(x))
U(f_sqrt, sqrt(x))
static double f_pow(double x, double y) { return pow(x, y); }

#define V 0.7 /* forward tangent */
static void check1(const char *fn, double (*f)(double), double x, double rev,
                   double fwd, double want) {
  char name[80];
  double v = V, w = 1.0;
  snprintf(name, sizeof name, "rev %s'(%g)", fn, x);
  CHECK_CLOSE(name, rev, want, 1e-9);
  snprintf(name, sizeof name, "FD  %s'(%g)", fn, x);
  CHECK_CLOSE(name, rev, fd_scalar(f, x), 1e-5);
  snprintf(name, sizeof name, "fwd %s'(%g)*v", fn, x);
  CHECK_CLOSE(name, fwd, want * V, 1e-9);
  snprintf(name, sizeof name, "%s at %g", fn, x);
  dot_test(name, &v, &rev, 1, &w, &fwd, 1, 1e-9);
}
#define T1(f, X, DEXPR)                                                        \
  do {                                                                         \
    double x = (X);                                                            \
    check1(#f, f, x, __enzyme_autodiff((void *)f, x),                          \
           __enzyme_fwddiff((void *)f, x, V), (DEXPR));                        \
  } while (0)

int main(void) {
  for (int k = 0; k < 2; k++) {
    double p = k ? 2.75 : 0.35;
    T1(f_exp, p - 1.0, exp(x));
    T1(f_exp2, p - 1.0, exp2(x) * M_LN2);
    T1(f_expm1, p - 1.0, exp(x));
    T1(f_log, p, 1.0 / x);
    T1(f_log2, p, 1.0 / (x * M_LN2));
    T1(f_log10, p, 1.0 / (x * M_LN10));
    T1(f_log1p, p - 0.6, 1.0 / (1.0 + x));
    T1(f_cbrt, p, 1.0 / (3.0 * cbrt(x) * cbrt(x)));
    T1(f_cbrt, -p, 1.0 / (3.0 * cbrt(x) * cbrt(x)));
    T1(f_sqrt, p, 0.5 / sqrt(x));
  }
  const double pts[][2] = {{1.7, 2.5}, {0.4, -1.3}, {3.0, 0.5}};
  char name[80];
  for (int k = 0; k < 3; k++) {
    double x = pts[k][0], y = pts[k][1];
    D2 g = __enzyme_autodiff2((void *)f_pow, x, y);
    snprintf(name, sizeof name, "rev pow d/dx (%g,%g)", x, y);
    CHECK_CLOSE(name, g.dx, y * pow(x, y - 1.0), 1e-9);
    snprintf(name, sizeof name, "rev pow d/dy (%g,%g)", x, y);
    CHECK_CLOSE(name, g.dy, pow(x, y) * log(x), 1e-9);
    snprintf(name, sizeof name, "FD  pow d/dy (%g,%g)", x, y);
    CHECK_CLOSE(name, g.dy, FD(y, f_pow(x, y)), 1e-5);
    double v[2] = {0.3, -0.6}, jtw[2] = {g.dx, g.dy}, w = 1.0;
    double t = __enzyme_fwddiff((void *)f_pow, x, v[0], y, v[1]);
    snprintf(name, sizeof name, "pow (%g,%g)", x, y);
    dot_test(name, v, jtw, 2, &w, &t, 1, 1e-9);
  }
  /* pow with a constant base: d/dy only */
  double gy = __enzyme_autodiff((void *)f_pow, enzyme_const, 2.0, 1.5);
  CHECK_CLOSE("rev pow(2, y) d/dy at 1.5", gy, pow(2.0, 1.5) * M_LN2, 1e-9);
  return finish();
}
