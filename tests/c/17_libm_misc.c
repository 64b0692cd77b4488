/* 17_libm_misc.c - f64 hypot erf erfc fabs fma fmin fmax copysign and the
 * piecewise-constant floor ceil trunc round (zero derivative). */
#include "check.h"

typedef struct { double dx, dy; } D2;
typedef struct { double dx, dy, dz; } D3;
double __enzyme_autodiff(void *, ...);
D2 __enzyme_autodiff2(void *, ...);
D3 __enzyme_autodiff3(void *, ...);
double __enzyme_fwddiff(void *, ...);

#define U(name, expr) static double name(double x) { return expr; }
U(f_erf, erf(x))
U(f_erfc, erfc(x))
U(f_fabs, fabs(x))
U(f_floor, floor(x))
U(f_ceil, ceil(x))
U(f_trunc, trunc(x))
U(f_round, round(x))
U(f_xfloor, x * floor(x) + ceil(x) * x + trunc(x) * round(x) * x)
#define B(name, expr) static double name(double x, double y) { return expr; }
B(f_hypot, hypot(x, y))
B(f_fmin, fmin(x, y))
B(f_fmax, fmax(x, y))
B(f_copysign, copysign(x, y))
static double f_fma(double x, double y, double z) { return fma(x, y, z); }

static void check1(const char *fn, double x, double rev, double fwd, double want) {
  char name[80];
  double v = 0.7, w = 1.0;
  snprintf(name, sizeof name, "rev %s'(%g)", fn, x);
  CHECK_CLOSE(name, rev, want, 1e-9);
  snprintf(name, sizeof name, "fwd %s'(%g)*v", fn, x);
  CHECK_CLOSE(name, fwd, want * v, 1e-9);
  snprintf(name, sizeof name, "%s at %g", fn, x);
  dot_test(name, &v, &rev, 1, &w, &fwd, 1, 1e-9);
}
#define T1(f, X, DEXPR)                                                        \
  do {                                                                         \
    double x = (X);                                                            \
    check1(#f, x, __enzyme_autodiff((void *)f, x),                             \
           __enzyme_fwddiff((void *)f, x, 0.7), (DEXPR));                      \
  } while (0)
#define T2(f, X, Y, WX, WY)                                                    \
  do {                                                                         \
    double x = (X), y = (Y);                                                   \
    D2 g = __enzyme_autodiff2((void *)f, x, y);                                \
    double t = __enzyme_fwddiff((void *)f, x, 0.3, y, -0.6);                   \
    check1(#f " d/dx", x, g.dx, __enzyme_fwddiff((void *)f, x, 0.7, y, 0.0), (WX)); \
    check1(#f " d/dy", y, g.dy, __enzyme_fwddiff((void *)f, x, 0.0, y, 0.7), (WY)); \
    CHECK_CLOSE(#f " fwd mixed tangent", t, 0.3 * (WX) - 0.6 * (WY), 1e-9); \
  } while (0)

int main(void) {
  const double ps[] = {0.35, -1.6};
  for (int k = 0; k < 2; k++) {
    double p = ps[k];
    T1(f_erf, p, 2.0 / sqrt(M_PI) * exp(-x * x));
    T1(f_erfc, p, -2.0 / sqrt(M_PI) * exp(-x * x));
    T1(f_fabs, p, p < 0 ? -1.0 : 1.0);
    T1(f_floor, 2 * p, 0.0);
    T1(f_ceil, 2 * p, 0.0);
    T1(f_trunc, 2 * p, 0.0);
    T1(f_round, 2 * p, 0.0);
    T1(f_xfloor, 2 * p, floor(x) + ceil(x) + trunc(x) * round(x));
    T2(f_hypot, p, 0.8, x / hypot(x, y), y / hypot(x, y));
    T2(f_fmin, p, 0.1, x < y ? 1.0 : 0.0, x < y ? 0.0 : 1.0);
    T2(f_fmax, p, 0.1, x > y ? 1.0 : 0.0, x > y ? 0.0 : 1.0);
    T2(f_copysign, p, -2.0, (x < 0) == (y < 0) ? 1.0 : -1.0, 0.0);
    T2(f_copysign, p, 3.0, (x < 0) == (y < 0) ? 1.0 : -1.0, 0.0);
  }
  double x = 1.5, y = -0.4, z = 2.0, v[3] = {0.2, 0.5, -0.9}, w = 1.0;
  D3 g = __enzyme_autodiff3((void *)f_fma, x, y, z);
  CHECK_CLOSE("rev fma d/dx = y", g.dx, y, 1e-9);
  CHECK_CLOSE("rev fma d/dy = x", g.dy, x, 1e-9);
  CHECK_CLOSE("rev fma d/dz = 1", g.dz, 1.0, 1e-9);
  double t = __enzyme_fwddiff((void *)f_fma, x, v[0], y, v[1], z, v[2]);
  double jtw[3] = {g.dx, g.dy, g.dz};
  dot_test("fma", v, jtw, 3, &w, &t, 1, 1e-9);
  return finish();
}
