/* 36_do_while.c - do-while loops: a fixed count (including a single pass),
 * a data-dependent exit, and Newton's iteration for sqrt(a). */
#include "check.h"

double __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

static double relax(double x, int n) {
  double y = x;
  int i = 0;
  do {
    y = 0.5 * y + 0.1 * x * x + sin(y);
    i++;
  } while (i < n);
  return y;
}

/* multiply by a until the value reaches 100 */
static double grow_until(double a) {
  double y = 1.0;
  do {
    y = y * a;
  } while (y < 100.0);
  return y;
}

static double newton_sqrt(double a) {
  double y = a > 1.0 ? a : 1.0;
  do {
    y = 0.5 * (y + a / y);
  } while (fabs(y * y - a) > 1e-12 * a);
  return y;
}

int main(void) {
  char name[80];
  const int ns[] = {1, 7};
  for (int k = 0; k < 2; k++) {
    double x = 0.6, v = 1.5, w = 1.0;
    int n = ns[k];
    double g = __enzyme_autodiff((void *)relax, x, n);
    snprintf(name, sizeof name, "rev relax' (n=%d) vs FD", n);
    CHECK_CLOSE(name, g, FD(x, relax(x, n)), 1e-5);
    double t = __enzyme_fwddiff((void *)relax, x, v, n);
    snprintf(name, sizeof name, "relax n=%d", n);
    dot_test(name, &v, &g, 1, &w, &t, 1, 1e-9);
  }
  /* a = 1.7: 1.7^9 = 118.6 -> 9 passes; d a^9/da = 9 a^8 */
  double a = 1.7;
  CHECK_CLOSE("rev grow_until' = 9 a^8", __enzyme_autodiff((void *)grow_until, a),
              9.0 * pow(a, 8), 1e-9);
  /* a = 150: a single pass */
  CHECK_CLOSE("rev grow_until' (one pass)", __enzyme_autodiff((void *)grow_until, 150.0),
              1.0, 1e-9);

  const double as[] = {0.25, 2.0, 50.0};
  for (int k = 0; k < 3; k++) {
    double v = 0.5, w = 1.0;
    double g = __enzyme_autodiff((void *)newton_sqrt, as[k]);
    snprintf(name, sizeof name, "rev newton_sqrt'(%g) = 1/(2 sqrt a)", as[k]);
    CHECK_CLOSE(name, g, 0.5 / sqrt(as[k]), 1e-6);
    double t = __enzyme_fwddiff((void *)newton_sqrt, as[k], v);
    snprintf(name, sizeof name, "newton_sqrt %g", as[k]);
    dot_test(name, &v, &g, 1, &w, &t, 1, 1e-9);
  }
  return finish();
}
