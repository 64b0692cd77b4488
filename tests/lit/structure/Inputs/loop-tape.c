// Driver for loop-tape.ll: d/dx x^n = n x^(n-1), in both modes.
#include <math.h>
#include <stdio.h>

double grad(double x, int n);
double tangent(double x, double dx, int n);

int main(void) {
  int bad = 0;
  for (int n = 1; n <= 6; n++) {
    double x = 1.3, want = n * pow(x, n - 1);
    double g = grad(x, n), t = tangent(x, 0.5, n);
    if (fabs(g - want) > 1e-12 * fabs(want) || fabs(t - 0.5 * want) > 1e-12 * fabs(want)) {
      printf("n=%d: grad %.17g tangent %.17g, want %.17g and %.17g\n", n, g, t, want, 0.5 * want);
      bad = 1;
    }
  }
  return bad;
}
