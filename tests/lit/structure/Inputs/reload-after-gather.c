// Driver for reload-after-gather.ll: f = b0 b1 sum_i sin(a_i); df/da_i = b0 b1 cos(a_i),
// df/db0 = b1 sum sin(a_i), df/db1 = b0 sum sin(a_i).
#include <math.h>
#include <stdio.h>

void grad(double *a, double *da, double *b, double *db, long n);

static int close(double got, double want) { return fabs(got - want) <= 1e-14 * (1.0 + fabs(want)); }

int main(void) {
  double a[17], da[17], b[2] = {0.7, -1.3}, db[2];
  int bad = 0;
  for (long n = 1; n <= 17; n += 4) {
    double sum = 0.0;
    for (long k = 0; k < n; k++) {
      a[k] = cos(0.8 * k + 0.1);
      da[k] = 0.0;
      sum += sin(a[k]);
    }
    db[0] = db[1] = 0.0;
    grad(a, da, b, db, n);
    for (long k = 0; k < n; k++)
      if (!close(da[k], b[0] * b[1] * cos(a[k]))) {
        printf("n=%ld, da[%ld] = %.17g\n", n, k, da[k]);
        bad = 1;
      }
    if (!close(db[0], b[1] * sum) || !close(db[1], b[0] * sum)) {
      printf("n=%ld, db = %.17g %.17g\n", n, db[0], db[1]);
      bad = 1;
    }
  }
  return bad;
}
