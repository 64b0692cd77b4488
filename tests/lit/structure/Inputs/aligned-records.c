// Driver for aligned-records.ll: the gradient of x <- a x^2 (in place, 4 doubles per iteration) with respect to
// x and a, for loops whose records stay in the cache and for one whose tape outgrows it, then the small loop
// again on the large parked tape buffer.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void grad(double *x, double *dx, double *a, double *da, long n);

static int check(long n) {
  double *x = malloc(32 * n), *dx = malloc(32 * n), a = 0.75, da = 0.0, want_da = 0.0;
  for (long k = 0; k < 4 * n; k++) {
    x[k] = 0.5 + (k % 97) / 97.0;
    dx[k] = 1.0 + (k % 5);
  }
  grad(x, dx, &a, &da, n);
  int bad = 0;
  for (long k = 0; k < 4 * n && !bad; k++) {
    double v = 0.5 + (k % 97) / 97.0, seed = 1.0 + (k % 5);
    want_da += v * v * seed;
    if (x[k] != a * (v * v) || fabs(dx[k] - 2.0 * a * v * seed) > 1e-14 * fabs(2.0 * a * v * seed)) {
      printf("n=%ld, element %ld: x %.17g dx %.17g, want %.17g and %.17g\n", n, k, x[k], dx[k], a * v * v,
             2.0 * a * v * seed);
      bad = 1;
    }
  }
  if (fabs(da - want_da) > 1e-12 * want_da) {
    printf("n=%ld: da %.17g, want %.17g\n", n, da, want_da);
    bad = 1;
  }
  free(x);
  free(dx);
  return bad;
}

int main(void) {
  return check(1) | check(3) | check(1 << 20) | check(5) | check(1000);
}
