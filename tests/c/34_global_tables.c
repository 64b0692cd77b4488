/* 34_global_tables.c - a constant global table read in the function, a
 * table indexed by a computed integer, and a mutable global that the
 * differentiated function only reads. */
#include "check.h"

void __enzyme_autodiff(void *, ...);
double __enzyme_autodiff_d(void *, ...);
double __enzyme_fwddiff(void *, ...);

static const double w[4] = {0.5, -1.25, 2.0, 0.75};
double g_scale = 1.5; /* mutable; main changes it between calls */

/* n is a runtime argument so that -O2 cannot fold the table into constants */
static double weighted_sq(const double *x, int n) {
  double s = 0.0;
  for (int i = 0; i < n; i++)
    s += w[i] * x[i] * x[i];
  return g_scale * s;
}

/* table lookup with an index computed from the (active) value */
static double lookup(double x) {
  int idx = ((int)floor(x)) & 3;
  return w[idx] * x * x * g_scale;
}

int main(void) {
  double x[4] = {0.3, -1.2, 0.8, 2.0}, v[4] = {1.0, 0.5, -0.5, 0.25}, one = 1.0;
  char name[80];
  for (int pass = 0; pass < 2; pass++) {
    g_scale = pass ? -0.75 : 1.5;
    double dx[4] = {0};
    __enzyme_autodiff((void *)weighted_sq, x, dx, 4);
    for (int i = 0; i < 4; i++) {
      snprintf(name, sizeof name, "rev dx[%d] = 2 scale w x (scale=%g)", i, g_scale);
      CHECK_CLOSE(name, dx[i], 2.0 * g_scale * w[i] * x[i], 1e-9);
    }
    double t = __enzyme_fwddiff((void *)weighted_sq, x, v, 4);
    snprintf(name, sizeof name, "weighted_sq scale=%g", g_scale);
    dot_test(name, v, dx, 4, &one, &t, 1, 1e-9);

    const double xs[] = {0.5, 1.5, 2.5, 3.5, 5.25};
    for (int k = 0; k < 5; k++) {
      double xv = xs[k];
      double gl = __enzyme_autodiff_d((void *)lookup, xv);
      snprintf(name, sizeof name, "rev lookup'(%g) (scale=%g)", xv, g_scale);
      CHECK_CLOSE(name, gl, 2.0 * w[(int)floor(xv) & 3] * xv * g_scale, 1e-9);
    }
  }
  CHECK_EQ("global w[2] unchanged", w[2], 2.0);
  return finish();
}
