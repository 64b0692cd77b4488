/* 14_branches.c - branches and ternary selects: a piecewise function,
 * abs through a branch, a two-argument select and a clamp. */
#include "check.h"

typedef struct { double dx, dy; } D2;
double __enzyme_autodiff(void *, ...);
D2 __enzyme_autodiff2(void *, ...);
double __enzyme_fwddiff(void *, ...);

static double piecewise(double x) {
  if (x < -1.0)
    return -x * x;
  else if (x < 1.0)
    return sin(x);
  return log(x) + x;
}

static double absb(double x) {
  if (x < 0.0)
    return -x;
  return x;
}

static double sel(double x, double y) { return x > y ? x * y : x + y * y; }

static double clampsq(double x) {
  double c = x < 0.0 ? 0.0 : (x > 2.0 ? 2.0 : x);
  return c * c + x;
}

int main(void) {
  char name[80];
  const double xs[] = {-2.0, -0.5, 0.3, 1.5, 3.0};
  for (int k = 0; k < 5; k++) {
    double x = xs[k], v = 1.3, w = 1.0;
    double wp = x < -1.0 ? -2.0 * x : (x < 1.0 ? cos(x) : 1.0 / x + 1.0);
    double g = __enzyme_autodiff((void *)piecewise, x);
    snprintf(name, sizeof name, "rev piecewise' at %g", x);
    CHECK_CLOSE(name, g, wp, 1e-9);
    double t = __enzyme_fwddiff((void *)piecewise, x, v);
    snprintf(name, sizeof name, "x=%g", x);
    dot_test(name, &v, &g, 1, &w, &t, 1, 1e-9);

    snprintf(name, sizeof name, "rev abs' at %g", x);
    CHECK_CLOSE(name, __enzyme_autodiff((void *)absb, x), x < 0 ? -1.0 : 1.0, 0);
    double wc = (x > 0.0 && x < 2.0) ? 2.0 * x + 1.0 : 1.0;
    double gc = __enzyme_autodiff((void *)clampsq, x);
    double tc = __enzyme_fwddiff((void *)clampsq, x, v);
    snprintf(name, sizeof name, "rev clampsq' at %g", x);
    CHECK_CLOSE(name, gc, wc, 1e-9);
    snprintf(name, sizeof name, "fwd clampsq' at %g", x);
    CHECK_CLOSE(name, tc, v * wc, 1e-9);
    snprintf(name, sizeof name, "clampsq x=%g", x);
    dot_test(name, &v, &gc, 1, &w, &tc, 1, 1e-9);

    double y = 0.25;
    D2 s = __enzyme_autodiff2((void *)sel, x, y);
    snprintf(name, sizeof name, "rev sel d/dx at (%g,%g)", x, y);
    CHECK_CLOSE(name, s.dx, x > y ? y : 1.0, 1e-9);
    snprintf(name, sizeof name, "rev sel d/dy at (%g,%g)", x, y);
    CHECK_CLOSE(name, s.dy, x > y ? x : 2.0 * y, 1e-9);
  }
  return finish();
}
