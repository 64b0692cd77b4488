/* 12_while_threshold.c - data-dependent trip counts: while loops that run
 * until a value exceeds a threshold.  The trip count is locally constant,
 * so derivatives are those of the executed iterations. */
#include "check.h"

typedef struct { double da, dx; } D2;
D2 __enzyme_autodiff2(void *, ...);
void __enzyme_autodiff(void *, ...);

/* s <- s*a + x until s >= thr; returns s * (number of steps) */
static double grow(double a, double x, double thr) {
  double s = x;
  int k = 0;
  while (s < thr) {
    s = s * a + x;
    k++;
  }
  return s * k;
}

/* accumulates x[i]^2 while the sum stays below limit */
static double sum_until(const double *x, int n, double limit) {
  double acc = 0.0;
  int i = 0;
  while (i < n && acc < limit) {
    acc += x[i] * x[i];
    i++;
  }
  return acc;
}

static int grow_steps(double a, double x, double thr) {
  int k = 0;
  for (double s = x; s < thr; k++)
    s = s * a + x;
  return k;
}

int main(void) {
  char name[80];
  const double as[] = {1.3, 1.05, 2.2};
  for (int c = 0; c < 3; c++) {
    double a = as[c], x = 0.7, thr = 10.0;
    D2 g = __enzyme_autodiff2((void *)grow, a, x, enzyme_const, thr);
    printf("     a=%g: %d loop iterations\n", a, grow_steps(a, x, thr));
    snprintf(name, sizeof name, "FD d grow/da (a=%g)", a);
    CHECK_CLOSE(name, g.da, FD(a, grow(a, x, thr)), 1e-5);
    snprintf(name, sizeof name, "FD d grow/dx (a=%g)", a);
    CHECK_CLOSE(name, g.dx, FD(x, grow(a, x, thr)), 1e-5);
  }

  /* x^2 partial sums: 0.25, 1.25, 3.5, 7.5 -> stops after 4 of 6 entries */
  double x[6] = {0.5, -1.0, 1.5, 2.0, 3.0, -4.0}, dx[6] = {0};
  __enzyme_autodiff((void *)sum_until, x, dx, 6, enzyme_const, 5.0);
  for (int i = 0; i < 6; i++) {
    snprintf(name, sizeof name, "rev sum_until dx[%d]", i);
    CHECK_CLOSE(name, dx[i], i < 4 ? 2.0 * x[i] : 0.0, 1e-9);
  }
  return finish();
}
