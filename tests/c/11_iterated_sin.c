/* 11_iterated_sin.c - x = sin(x) iterated n times: the reverse sweep needs
 * every intermediate x.  d/dx0 = prod_k cos(x_k). */
#include "check.h"

double __enzyme_autodiff(void *, ...);
void __enzyme_autodiff_v(void *, ...);
double __enzyme_fwddiff(void *, ...);

static double itsin(double x, int n) {
  for (int i = 0; i < n; i++)
    x = sin(x);
  return x;
}

/* the same on an array, in place: x[i] <- sin^n(x[i]) scaled by (i+1) */
static void itsin_arr(double *x, int len, int n) {
  for (int i = 0; i < len; i++) {
    double t = x[i];
    for (int k = 0; k < n; k++)
      t = sin(t);
    x[i] = (i + 1) * t;
  }
}

int main(void) {
  char name[80];
  const int ns[] = {0, 1, 5, 40};
  for (int k = 0; k < 4; k++) {
    int n = ns[k];
    double x0 = 1.2, x = x0, want = 1.0;
    for (int i = 0; i < n; i++) {
      want *= cos(x);
      x = sin(x);
    }
    double g = __enzyme_autodiff((void *)itsin, x0, n);
    snprintf(name, sizeof name, "rev d sin^%d(x)/dx", n);
    CHECK_CLOSE(name, g, want, 1e-9);
    snprintf(name, sizeof name, "FD  d sin^%d(x)/dx", n);
    CHECK_CLOSE(name, g, FD(x0, itsin(x0, n)), 1e-5);
    double v = 0.6, w = 1.0;
    double t = __enzyme_fwddiff((void *)itsin, x0, v, n);
    snprintf(name, sizeof name, "fwd d sin^%d(x)", n);
    CHECK_CLOSE(name, t, want * v, 1e-9);
    snprintf(name, sizeof name, "n=%d", n);
    dot_test(name, &v, &g, 1, &w, &t, 1, 1e-9);
  }

  /* array version: seed dx = 1; afterwards dx[i] = (i+1) * prod cos */
  double xa[3] = {0.3, -0.9, 2.0}, dxa[3] = {1.0, 1.0, 1.0};
  __enzyme_autodiff_v((void *)itsin_arr, xa, dxa, 3, 6);
  for (int i = 0; i < 3; i++) {
    double x = (i == 0 ? 0.3 : i == 1 ? -0.9 : 2.0), want = i + 1.0;
    for (int k = 0; k < 6; k++) {
      want *= cos(x);
      x = sin(x);
    }
    snprintf(name, sizeof name, "rev in-place array dx[%d]", i);
    CHECK_CLOSE(name, dxa[i], want, 1e-9);
  }
  return finish();
}
