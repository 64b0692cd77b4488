// Driver for recursion.ll: d/dx x^n = n x^(n-1).
#include <math.h>
#include <stdio.h>

double grad(double x, int n);
double tangent(double x, double dx, int n);

int main(void) {
  int bad = 0;
  for (int n = 0; n <= 7; n++) {
    double x = 1.1, want = n ? n * pow(x, n - 1) : 0;
    double g = grad(x, n), t = tangent(x, -2.0, n);
    if (fabs(g - want) > 1e-12 * (1 + fabs(want)) || fabs(t + 2 * want) > 1e-12 * (1 + fabs(want))) {
      printf("n=%d: grad %.17g tangent %.17g; want %.17g, %.17g\n", n, g, t, want, -2 * want);
      bad = 1;
    }
  }
  return bad;
}
