// Driver for join-by-condition.ll: d/dx_i of the sum is (i even ? 2 x_i : cos x_i) + (x_i > 0 ? 3 : 3 x_i^2).
#include <math.h>
#include <stdio.h>

void grad(double *x, double *dx, long n);

int main(void) {
  double x[29], dx[29];
  int bad = 0;
  for (long n = 1; n <= 29; n += 7) {
    for (long k = 0; k < n; k++) {
      x[k] = sin(1.3 * k + 0.2);
      dx[k] = 0.0;
    }
    grad(x, dx, n);
    for (long k = 0; k < n; k++) {
      double want = (k % 2 == 0 ? 2.0 * x[k] : cos(x[k])) + (x[k] > 0.0 ? 3.0 : 3.0 * x[k] * x[k]);
      if (fabs(dx[k] - want) > 1e-15 * (1.0 + fabs(want))) {
        printf("n=%ld, dx[%ld] = %.17g, want %.17g\n", n, k, dx[k], want);
        bad = 1;
      }
    }
  }
  return bad;
}
