/* 10_running_product.c - a loop whose values the reverse sweep needs:
 * p *= x[i] (gradient p / x[i]), plus a nonlinear running recurrence. */
#include "check.h"

void __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

#define N 8

static double prod(const double *x, int n) {
  double p = 1.0;
  for (int i = 0; i < n; i++)
    p *= x[i];
  return p;
}

/* p_{i+1} = p_i * x_i + 0.1 * sin(p_i): every step needs the old p */
static double recur(const double *x, int n) {
  double p = 1.0;
  for (int i = 0; i < n; i++)
    p = p * x[i] + 0.1 * sin(p);
  return p;
}

int main(void) {
  double x[N], dx[N] = {0}, v[N], w = 1.0;
  char name[80];
  for (int i = 0; i < N; i++) {
    x[i] = 0.8 + 0.1 * i * (i % 2 ? -1 : 1);
    v[i] = 0.5 - 0.1 * i;
  }
  double p = prod(x, N);
  __enzyme_autodiff((void *)prod, x, dx, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "rev d prod/dx[%d] = p/x[%d]", i, i);
    CHECK_CLOSE(name, dx[i], p / x[i], 1e-9);
  }
  double t = __enzyme_fwddiff((void *)prod, x, v, N);
  double want = 0.0;
  for (int i = 0; i < N; i++)
    want += p / x[i] * v[i];
  CHECK_CLOSE("fwd prod J v", t, want, 1e-9);
  dot_test("prod", v, dx, N, &w, &t, 1, 1e-9);

  double dr[N] = {0};
  __enzyme_autodiff((void *)recur, x, dr, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "rev recur vs FD dx[%d]", i);
    CHECK_CLOSE(name, dr[i], FD(x[i], recur(x, N)), 1e-5);
  }
  double tr = __enzyme_fwddiff((void *)recur, x, v, N);
  dot_test("recur", v, dr, N, &w, &tr, 1, 1e-9);
  return finish();
}
