// Driver for reload-through-phi.ll: the gradient against central differences of f.
#include <math.h>
#include <stdio.h>

double f(double *a, long n);
void grad(double *a, double *da, long n);

int main(void) {
  enum { N = 7 };
  double a[N], da[N] = {0};
  for (int k = 0; k < N; k++)
    a[k] = 0.3 + 0.17 * k - 0.05 * k * k;
  grad(a, da, N);
  int bad = 0;
  for (int k = 0; k < N; k++) {
    const double h = 1e-6, keep = a[k];
    a[k] = keep + h;
    double up = f(a, N);
    a[k] = keep - h;
    double down = f(a, N);
    a[k] = keep;
    double fd = (up - down) / (2 * h);
    if (fabs(da[k] - fd) > 1e-7 * (1 + fabs(fd))) {
      printf("k=%d: grad %.17g, central difference %.17g\n", k, da[k], fd);
      bad = 1;
    }
  }
  return bad;
}
