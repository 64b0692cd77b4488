/* 02_poly.c - one active scalar: p(x) = 3x^2 + 2x + 1, default activity,
 * explicit enzyme_out, forward mode, and a dot-product test. */
#include "check.h"

double __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

static double poly(double x) { return 3.0 * x * x + 2.0 * x + 1.0; }

int main(void) {
  const double xs[] = {-1.5, -1.0 / 3.0, 0.0, 2.0, 10.0};
  char name[80];
  for (int k = 0; k < 5; k++) {
    double x = xs[k], want = 6.0 * x + 2.0;

    double g = __enzyme_autodiff((void *)poly, x);
    snprintf(name, sizeof name, "rev p'(x) at x=%g", x);
    CHECK_CLOSE(name, g, want, 1e-9);

    double g2 = __enzyme_autodiff((void *)poly, enzyme_out, x);
    snprintf(name, sizeof name, "rev enzyme_out p'(x) at x=%g", x);
    CHECK_CLOSE(name, g2, want, 1e-9);

    double v = -1.25;
    double t = __enzyme_fwddiff((void *)poly, x, v);
    snprintf(name, sizeof name, "fwd p'(x)*v at x=%g", x);
    CHECK_CLOSE(name, t, want * v, 1e-9);

    snprintf(name, sizeof name, "rev vs FD at x=%g", x);
    CHECK_CLOSE(name, g, fd_scalar(poly, x), 1e-5);

    double w = 1.0;
    snprintf(name, sizeof name, "x=%g", x);
    dot_test(name, &v, &g, 1, &w, &t, 1, 1e-9);
  }
  return finish();
}
