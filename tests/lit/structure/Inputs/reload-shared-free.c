// Driver for reload-shared-free.ll: the derivatives on both paths against d(9 x^2)/dx = 18 x (and 2 x).
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

double d_both(double x, _Bool c);
double d_one(double x, _Bool c);
double d_mixed(double x, _Bool c, double *ext);
double split_both(double x, _Bool c);

static int expect(const char *what, double got, double want) {
  if (fabs(got - want) <= 1e-14 * fabs(want))
    return 0;
  printf("%s: %.17g, expected %.17g\n", what, got, want);
  return 1;
}

int main(void) {
  int bad = 0;
  for (int rep = 0; rep < 3; rep++)
    for (int c = 0; c < 2; c++) {
      double x = 0.7 + 0.1 * rep;
      bad |= expect("d_both", d_both(x, c), 18 * x);
      bad |= expect("d_one", d_one(x, c), c ? 18 * x : 2 * x);
      bad |= expect("d_mixed", d_mixed(x, c, c ? NULL : malloc(8)), 18 * x);
      bad |= expect("split_both", split_both(x, c), 18 * x);
    }
  if (!bad)
    printf("ok\n");
  return bad;
}
