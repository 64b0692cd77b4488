/* 04_three_active_sret.c - three active scalars; the 3-double result struct
 * is returned through sret memory by clang. */
#include "check.h"

typedef struct { double dx, dy, dz; } D3;
D3 __enzyme_autodiff3(void *, ...);
double __enzyme_fwddiff(void *, ...);

static double f(double x, double y, double z) {
  return x * y * z + exp(x - y) + z * z / (1.0 + x * x);
}

int main(void) {
  const double pts[][3] = {{0.5, 1.5, -0.25}, {-1.0, 0.2, 2.0}};
  char name[80];
  for (int k = 0; k < 2; k++) {
    double x = pts[k][0], y = pts[k][1], z = pts[k][2];
    double q = 1.0 + x * x;
    double want[3] = {y * z + exp(x - y) - 2.0 * x * z * z / (q * q),
                      x * z - exp(x - y), x * y + 2.0 * z / q};
    double fd[3] = {FD(x, f(x, y, z)), FD(y, f(x, y, z)), FD(z, f(x, y, z))};

    D3 g = __enzyme_autodiff3((void *)f, x, y, z);
    double got[3] = {g.dx, g.dy, g.dz};
    for (int i = 0; i < 3; i++) {
      snprintf(name, sizeof name, "rev df/d%c at point %d", "xyz"[i], k);
      CHECK_CLOSE(name, got[i], want[i], 1e-9);
      snprintf(name, sizeof name, "FD  df/d%c at point %d", "xyz"[i], k);
      CHECK_CLOSE(name, got[i], fd[i], 1e-5);
    }

    double v[3] = {0.3, -0.8, 1.7}, w = 1.0;
    double t = __enzyme_fwddiff((void *)f, x, v[0], y, v[1], z, v[2]);
    snprintf(name, sizeof name, "fwd J v at point %d", k);
    CHECK_CLOSE(name, t, dotn(want, v, 3), 1e-9);
    snprintf(name, sizeof name, "point %d", k);
    dot_test(name, v, got, 3, &w, &t, 1, 1e-9);
  }
  return finish();
}
