// Driver for packed-conditions.ll: d/dx (max_i exp(x_i) - min_i exp(x_i)) is exp(x_i) at the (first) largest
// x_i, -exp(x_i) at the (first) smallest, zero elsewhere.
#include <math.h>
#include <stdio.h>

void grad(double *x, double *dx, long n);

int main(void) {
  double x[37], dx[37];
  int bad = 0;
  for (long n = 1; n <= 37; n += 4) {
    long hi = 0, lo = 0;
    for (long k = 0; k < n; k++) {
      x[k] = sin(1.7 * k + 0.3);
      dx[k] = 0.0;
      if (x[k] > x[hi]) hi = k;
      if (x[k] < x[lo]) lo = k;
    }
    grad(x, dx, n);
    for (long k = 0; k < n; k++) {
      double want = (k == hi ? exp(x[k]) : 0.0) - (k == lo ? exp(x[k]) : 0.0);
      if (fabs(dx[k] - want) > 1e-15 * (1.0 + fabs(want))) {
        printf("n=%ld, dx[%ld] = %.17g, want %.17g\n", n, k, dx[k], want);
        bad = 1;
      }
    }
  }
  return bad;
}
