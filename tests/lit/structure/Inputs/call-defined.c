// Driver for call-defined.ll: f(x, k) = sin(x) k.
#include <math.h>
#include <stdio.h>

typedef struct { double dx, dk; } Grad;
Grad grad(double x, double k);
double tangent(double x, double dx, double k, double dk);

int main(void) {
  double x = 0.6, k = -1.7;
  Grad g = grad(x, k);
  double t = tangent(x, 0.3, k, 2.0);
  double tw = 0.3 * cos(x) * k + 2.0 * sin(x);
  if (fabs(g.dx - cos(x) * k) > 1e-14 || fabs(g.dk - sin(x)) > 1e-14 || fabs(t - tw) > 1e-14) {
    printf("grad (%.17g, %.17g) tangent %.17g; want (%.17g, %.17g) %.17g\n", g.dx, g.dk, t, cos(x) * k, sin(x), tw);
    return 1;
  }
  return 0;
}
