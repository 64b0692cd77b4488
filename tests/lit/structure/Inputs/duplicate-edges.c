// Driver for duplicate-edges.ll: both modes against central differences of f, on every path.
#include <math.h>
#include <stdio.h>

double f(double x, int k, int n);
double grad(double x, int k, int n);
double tangent(double x, double dx, int k, int n);

int main(void) {
  int bad = 0;
  const double h = 1e-6;
  for (int k = 0; k <= 6; k++)
    for (int n = 1; n <= 5; n++) {
      double x = 0.3, fd = (f(x + h, k, n) - f(x - h, k, n)) / (2 * h);
      double g = grad(x, k, n), t = tangent(x, 0.5, k, n);
      if (fabs(g - fd) > 1e-7 * (1 + fabs(fd)) || fabs(t - 0.5 * g) > 1e-14 * (1 + fabs(g))) {
        printf("k=%d n=%d: grad %.17g tangent %.17g, central difference %.17g\n", k, n, g, t, fd);
        bad = 1;
      }
    }
  return bad;
}
