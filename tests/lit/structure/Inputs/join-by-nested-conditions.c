// Driver for join-by-nested-conditions.ll: d/dx_i sum_k x_k^3 = 3 x_i^2 over 3 rows of n, for n = 0 (no loop), 1-3 (the
// remainder loop alone), 4 (the main loop alone), and larger n (both). The main loop, unrolled by 2, covers
// an even number of elements after the remainder, so n - n mod 4 must be even: it is.
#include <math.h>
#include <stdio.h>

void grad(double *x, double *dx, long n, long m);

int main(void) {
  double x[123], dx[123];
  int bad = 0;
  for (long n = 0; n <= 41; n++) {
    for (long k = 0; k < 123; k++) {
      x[k] = sin(0.9 * k + 0.4);
      dx[k] = 0.0;
    }
    grad(x, dx, n, 3);
    for (long k = 0; k < 123; k++) {
      double want = k < 3 * n ? 3.0 * x[k] * x[k] : 0.0;
      if (fabs(dx[k] - want) > 1e-15 * (1.0 + fabs(want))) {
        printf("n=%ld, dx[%ld] = %.17g, want %.17g\n", n, k, dx[k], want);
        bad = 1;
      }
    }
  }
  return bad;
}
