// Driver for switch.ll
#include <math.h>
#include <stdio.h>

double grad(double x, int k);
double tangent(double x, double dx, int k);

int main(void) {
  double x = 0.7;
  double want[3] = {cos(x), exp(x), 2 * x};
  int bad = 0;
  for (int k = 0; k < 3; k++) {
    double g = grad(x, k), t = tangent(x, 2.0, k);
    if (fabs(g - want[k]) > 1e-14 || fabs(t - 2 * want[k]) > 1e-14) {
      printf("k=%d: grad %.17g tangent %.17g, want %.17g\n", k, g, t, want[k]);
      bad = 1;
    }
  }
  return bad;
}
