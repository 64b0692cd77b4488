// Driver for malloc-free.ll: d/dx x^3 = 3 x^2.
#include <math.h>
#include <stdio.h>

double grad(double x);
double tangent(double x, double dx);

int main(void) {
  double x = -1.25, want = 3 * x * x;
  double g = grad(x), t = tangent(x, 0.5);
  if (fabs(g - want) > 1e-14 || fabs(t - 0.5 * want) > 1e-14) {
    printf("grad %.17g tangent %.17g; want %.17g, %.17g\n", g, t, want, 0.5 * want);
    return 1;
  }
  return 0;
}
