/* 08_dot_product.c - two duplicated arrays (dot product), one of them made
 * constant with enzyme_const; forward mode and dot-product test. */
#include "check.h"

void __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

#define N 7

static double dot(const double *x, const double *y, int n) {
  double s = 0.0;
  for (int i = 0; i < n; i++)
    s += x[i] * y[i];
  return s;
}

int main(void) {
  double x[N], y[N], dx[N] = {0}, dy[N] = {0}, vx[N], vy[N];
  char name[80];
  for (int i = 0; i < N; i++) {
    x[i] = sin(1.0 + i);
    y[i] = 0.5 * i - 1.0;
    vx[i] = cos(0.3 * i);
    vy[i] = 0.1 * i * i - 0.2;
  }
  __enzyme_autodiff((void *)dot, x, dx, y, dy, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "rev dx[%d] = y[%d]", i, i);
    CHECK_CLOSE(name, dx[i], y[i], 1e-9);
    snprintf(name, sizeof name, "rev dy[%d] = x[%d]", i, i);
    CHECK_CLOSE(name, dy[i], x[i], 1e-9);
  }
  CHECK_CLOSE("FD dx[3]", dx[3], FD(x[3], dot(x, y, N)), 1e-5);

  double t = __enzyme_fwddiff((void *)dot, enzyme_dup, x, vx, enzyme_dup, y, vy, N);
  CHECK_CLOSE("fwd x.vy + vx.y", t, dotn(x, vy, N) + dotn(vx, y, N), 1e-9);
  double v[2 * N], jtw[2 * N], w = 1.0;
  for (int i = 0; i < N; i++) {
    v[i] = vx[i], v[N + i] = vy[i];
    jtw[i] = dx[i], jtw[N + i] = dy[i];
  }
  dot_test("dot(x,y)", v, jtw, 2 * N, &w, &t, 1, 1e-9);

  /* y constant: only dx is touched */
  double dx2[N] = {0};
  __enzyme_autodiff((void *)dot, x, dx2, enzyme_const, y, N);
  for (int i = 0; i < N; i += 2) {
    snprintf(name, sizeof name, "rev (y const) dx[%d]", i);
    CHECK_CLOSE(name, dx2[i], y[i], 1e-9);
  }
  double t2 = __enzyme_fwddiff((void *)dot, x, vx, enzyme_const, y, N);
  CHECK_CLOSE("fwd (y const) vx.y", t2, dotn(vx, y, N), 1e-9);
  return finish();
}
