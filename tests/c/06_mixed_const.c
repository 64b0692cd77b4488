/* 06_mixed_const.c - mixing enzyme_const and active scalars (and an int,
 * constant by default): only the non-constant doubles get derivatives. */
#include "check.h"

typedef struct { double dx, dy; } D2;
D2 __enzyme_autodiff2(void *, ...);
double __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

static double f(double a, double x, int n, double b, double y) {
  return a * x * x + b * sin(y) + n * a * b * x * y;
}

int main(void) {
  double a = 1.5, x = -0.75, b = 0.6, y = 1.1;
  int n = 3;
  double fx = 2.0 * a * x + n * a * b * y;
  double fy = b * cos(y) + n * a * b * x;
  double fa = x * x + n * b * x * y;

  /* a and b constant: result struct holds (df/dx, df/dy) */
  D2 g = __enzyme_autodiff2((void *)f, enzyme_const, a, x, n, enzyme_const, b, y);
  CHECK_CLOSE("rev df/dx (a,b const)", g.dx, fx, 1e-9);
  CHECK_CLOSE("rev df/dy (a,b const)", g.dy, fy, 1e-9);
  CHECK_CLOSE("FD  df/dx", g.dx, FD(x, f(a, x, n, b, y)), 1e-5);
  CHECK_CLOSE("FD  df/dy", g.dy, FD(y, f(a, x, n, b, y)), 1e-5);

  /* only x active */
  double gx = __enzyme_autodiff((void *)f, enzyme_const, a, x, n, enzyme_const,
                                b, enzyme_const, y);
  CHECK_CLOSE("rev df/dx (only x active)", gx, fx, 1e-9);

  /* only a active (a is the first argument) */
  double ga = __enzyme_autodiff((void *)f, a, enzyme_const, x, n, enzyme_const,
                                b, enzyme_const, y);
  CHECK_CLOSE("rev df/da (only a active)", ga, fa, 1e-9);
  CHECK_CLOSE("FD  df/da", ga, FD(a, f(a, x, n, b, y)), 1e-5);

  /* forward: tangents for x and y only */
  double v[2] = {0.9, -0.4}, w = 1.0, jtw[2] = {g.dx, g.dy};
  double t = __enzyme_fwddiff((void *)f, enzyme_const, a, x, v[0], n,
                              enzyme_const, b, y, v[1]);
  CHECK_CLOSE("fwd J v (a,b const)", t, fx * v[0] + fy * v[1], 1e-9);
  dot_test("(x,y)", v, jtw, 2, &w, &t, 1, 1e-9);
  return finish();
}
