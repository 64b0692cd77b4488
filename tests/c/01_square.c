/* 01_square.c - one active scalar: f(x) = x*x, reverse and forward mode. */
#include "check.h"

double __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

static double square(double x) { return x * x; }

int main(void) {
  const double xs[] = {-2.5, 0.0, 0.75, 3.0};
  char name[80];
  for (int k = 0; k < 4; k++) {
    double x = xs[k], v = 0.7;
    double g = __enzyme_autodiff((void *)square, x);
    snprintf(name, sizeof name, "rev d(x*x)/dx at x=%g", x);
    CHECK_CLOSE(name, g, 2.0 * x, 1e-9);

    double t = __enzyme_fwddiff((void *)square, x, v);
    snprintf(name, sizeof name, "fwd d(x*x) at x=%g, dx=%g", x, v);
    CHECK_CLOSE(name, t, 2.0 * x * v, 1e-9);

    snprintf(name, sizeof name, "rev vs FD at x=%g", x);
    CHECK_CLOSE(name, g, fd_scalar(square, x), 1e-5);

    /* scalar output: reverse seed w = 1 */
    double w = 1.0;
    snprintf(name, sizeof name, "x=%g", x);
    dot_test(name, &v, &g, 1, &w, &t, 1, 1e-9);
  }
  return finish();
}
