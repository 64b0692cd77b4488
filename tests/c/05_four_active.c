/* 05_four_active.c - four active scalars (4-double sret struct) with an
 * integer argument (constant by default) in the middle of the list. */
#include "check.h"

typedef struct { double da, db, dc, dd; } D4;
D4 __enzyme_autodiff4(void *, ...);
double __enzyme_fwddiff(void *, ...);

static double f(double a, double b, int n, double c, double d) {
  return n * (a * b + c * d) + a / d;
}

int main(void) {
  double a = 1.25, b = -0.5, c = 2.0, d = 0.8;
  char name[80];
  for (int n = 1; n <= 3; n += 2) {
    double want[4] = {n * b + 1.0 / d, n * a, n * d, n * c - a / (d * d)};
    D4 g = __enzyme_autodiff4((void *)f, a, b, n, c, d);
    double got[4] = {g.da, g.db, g.dc, g.dd};
    double fd[4] = {FD(a, f(a, b, n, c, d)), FD(b, f(a, b, n, c, d)),
                    FD(c, f(a, b, n, c, d)), FD(d, f(a, b, n, c, d))};
    for (int i = 0; i < 4; i++) {
      snprintf(name, sizeof name, "rev df/d%c (n=%d)", "abcd"[i], n);
      CHECK_CLOSE(name, got[i], want[i], 1e-9);
      snprintf(name, sizeof name, "FD  df/d%c (n=%d)", "abcd"[i], n);
      CHECK_CLOSE(name, got[i], fd[i], 1e-5);
    }
    double v[4] = {0.1, 0.2, -0.3, 0.4}, w = 1.0;
    double t = __enzyme_fwddiff((void *)f, a, v[0], b, v[1], n, c, v[2], d, v[3]);
    snprintf(name, sizeof name, "fwd J v (n=%d)", n);
    CHECK_CLOSE(name, t, dotn(want, v, 4), 1e-9);
    snprintf(name, sizeof name, "n=%d", n);
    dot_test(name, v, got, 4, &w, &t, 1, 1e-9);
  }
  return finish();
}
