// Driver for recompute-floats.ll: both gradients against the analytic one,
// d/da_i = 2 a_i (cos(a_i^2 + 1) + exp(a_i^2)).
#include <math.h>
#include <stdio.h>

void grad_exact(double *a, double *da, long n);
void grad_approx(double *a, double *da, long n);

int main(void) {
  enum { N = 9 };
  double a[N], de[N] = {0}, dp[N] = {0};
  for (int k = 0; k < N; k++)
    a[k] = -0.9 + 0.21 * k;
  grad_exact(a, de, N);
  grad_approx(a, dp, N);
  int bad = 0;
  for (int k = 0; k < N; k++) {
    double x = a[k], want = 2 * x * (cos(x * x + 1) + exp(x * x));
    if (fabs(de[k] - want) > 1e-13 * (1 + fabs(want)) || fabs(dp[k] - want) > 1e-13 * (1 + fabs(want))) {
      printf("k=%d: exact %.17g, approx %.17g, analytic %.17g\n", k, de[k], dp[k], want);
      bad = 1;
    }
  }
  return bad;
}
