/* 03_two_active.c - two active scalars, result returned as a 2-double struct
 * (returned in registers by the x86-64 ABI), plus forward mode. */
#include "check.h"

typedef struct { double dx, dy; } D2;
D2 __enzyme_autodiff2(void *, ...);
double __enzyme_fwddiff(void *, ...);

static double f(double x, double y) { return x * y + sin(x) * y * y; }

int main(void) {
  const double pts[][2] = {{0.5, 1.5}, {-1.2, 0.3}, {2.0, -0.7}};
  char name[80];
  for (int k = 0; k < 3; k++) {
    double x = pts[k][0], y = pts[k][1];
    double wx = y + cos(x) * y * y, wy = x + 2.0 * sin(x) * y;

    D2 g = __enzyme_autodiff2((void *)f, x, y);
    snprintf(name, sizeof name, "rev df/dx at (%g,%g)", x, y);
    CHECK_CLOSE(name, g.dx, wx, 1e-9);
    snprintf(name, sizeof name, "rev df/dy at (%g,%g)", x, y);
    CHECK_CLOSE(name, g.dy, wy, 1e-9);

    snprintf(name, sizeof name, "FD df/dx at (%g,%g)", x, y);
    CHECK_CLOSE(name, g.dx, FD(x, f(x, y)), 1e-5);
    snprintf(name, sizeof name, "FD df/dy at (%g,%g)", x, y);
    CHECK_CLOSE(name, g.dy, FD(y, f(x, y)), 1e-5);

    double v[2] = {0.4, -1.1};
    double t = __enzyme_fwddiff((void *)f, x, v[0], y, v[1]);
    snprintf(name, sizeof name, "fwd J v at (%g,%g)", x, y);
    CHECK_CLOSE(name, t, wx * v[0] + wy * v[1], 1e-9);

    double jtw[2] = {g.dx, g.dy}, w = 1.0;
    snprintf(name, sizeof name, "(%g,%g)", x, y);
    dot_test(name, v, jtw, 2, &w, &t, 1, 1e-9);
  }
  return finish();
}
