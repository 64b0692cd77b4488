/* 15_libm_trig.c - f64 trigonometric and hyperbolic libm functions:
 * sin cos tan asin acos atan atan2 sinh cosh tanh (reverse, forward, FD). */
#include "check.h"

typedef struct { double dx, dy; } D2;
double __enzyme_autodiff(void *, ...);
D2 __enzyme_autodiff2(void *, ...);
double __enzyme_fwddiff(void *, ...);

#define U(name, expr) static double name(double x) { return expr; }
U(f_sin, sin(x))
U(f_cos, cos(x))
U(f_tan, tan(x))
U(f_asin, asin(x))
U(f_acos, acos(x))
U(f_atan, atan(x))
U(f_sinh, sinh(x))
U(f_cosh, cosh(x))
U(f_tanh, tanh(x))
static double f_atan2(double y, double x) { return atan2(y, x); }

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
    double p = k ? -0.65 : 0.4;
    T1(f_sin, p, cos(x));
    T1(f_cos, p, -sin(x));
    T1(f_tan, p, 1.0 / (cos(x) * cos(x)));
    T1(f_asin, p, 1.0 / sqrt(1.0 - x * x));
    T1(f_acos, p, -1.0 / sqrt(1.0 - x * x));
    T1(f_atan, 3 * p, 1.0 / (1.0 + x * x));
    T1(f_sinh, 2 * p, cosh(x));
    T1(f_cosh, 2 * p, sinh(x));
    T1(f_tanh, 2 * p, 1.0 - tanh(x) * tanh(x));
  }
  /* atan2(y, x) in all four quadrants */
  const double pts[][2] = {{0.5, 1.5}, {0.8, -0.3}, {-1.0, -2.0}, {-0.2, 0.9}};
  char name[80];
  for (int k = 0; k < 4; k++) {
    double y = pts[k][0], x = pts[k][1], r2 = x * x + y * y;
    D2 g = __enzyme_autodiff2((void *)f_atan2, y, x);
    snprintf(name, sizeof name, "rev atan2 d/dy (%g,%g)", y, x);
    CHECK_CLOSE(name, g.dx, x / r2, 1e-9);
    snprintf(name, sizeof name, "rev atan2 d/dx (%g,%g)", y, x);
    CHECK_CLOSE(name, g.dy, -y / r2, 1e-9);
    double v[2] = {0.3, -0.6}, jtw[2] = {g.dx, g.dy}, w = 1.0;
    double t = __enzyme_fwddiff((void *)f_atan2, y, v[0], x, v[1]);
    snprintf(name, sizeof name, "fwd atan2 (%g,%g)", y, x);
    CHECK_CLOSE(name, t, FD(y, f_atan2(y, x)) * v[0] + FD(x, f_atan2(y, x)) * v[1], 1e-5);
    snprintf(name, sizeof name, "atan2 (%g,%g)", y, x);
    dot_test(name, v, jtw, 2, &w, &t, 1, 1e-9);
  }
  return finish();
}
