/* 33_int_addresses.c - addresses computed through integers:
 * (double *)((uintptr_t)x + 8*i) for loads and stores. */
#include "check.h"
#include <stdint.h>

void __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);
void __enzyme_fwddiff_v(void *, ...);

#define N 6

static double weighted(const double *x, int n) {
  uintptr_t base = (uintptr_t)x;
  double s = 0.0;
  for (int i = 0; i < n; i++) {
    const double *p = (const double *)(base + 8 * (uintptr_t)i);
    s += (*p) * (*p) * (i + 1);
  }
  return s;
}

/* y[i] = sin(x[n-1-i]), addressing both arrays through integers */
static void rev_sin(double *y, const double *x, int n) {
  for (int i = 0; i < n; i++) {
    double *py = (double *)((uintptr_t)y + sizeof(double) * i);
    *py = sin(*(const double *)((uintptr_t)x + sizeof(double) * (n - 1 - i)));
  }
}

int main(void) {
  double x[N], dx[N] = {0}, v[N], w = 1.0;
  char name[80];
  for (int i = 0; i < N; i++) {
    x[i] = 0.4 * i - 1.1;
    v[i] = 1.0 / (1 + i);
  }
  __enzyme_autodiff((void *)weighted, x, dx, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "rev weighted dx[%d] = 2(i+1)x", i);
    CHECK_CLOSE(name, dx[i], 2.0 * (i + 1) * x[i], 1e-9);
  }
  double t = __enzyme_fwddiff((void *)weighted, x, v, N);
  dot_test("weighted", v, dx, N, &w, &t, 1, 1e-9);

  double y[N], dy[N], wy[N], dx2[N] = {0}, ty[N];
  for (int i = 0; i < N; i++)
    wy[i] = dy[i] = 0.5 + 0.1 * i;
  __enzyme_autodiff((void *)rev_sin, y, dy, x, dx2, N);
  for (int j = 0; j < N; j++) {
    snprintf(name, sizeof name, "rev rev_sin dx[%d]", j);
    CHECK_CLOSE(name, dx2[j], cos(x[j]) * wy[N - 1 - j], 1e-9);
  }
  __enzyme_fwddiff_v((void *)rev_sin, y, ty, x, v, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "fwd rev_sin ty[%d]", i);
    CHECK_CLOSE(name, ty[i], cos(x[N - 1 - i]) * v[N - 1 - i], 1e-9);
  }
  dot_test("rev_sin", v, dx2, N, wy, ty, N, 1e-9);
  return finish();
}
