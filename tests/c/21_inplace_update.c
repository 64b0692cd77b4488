/* 21_inplace_update.c - in-place update with output through memory:
 * y[i] = y[i] * x[i] overwrites y.  Reverse with seed dy = w gives
 * dx += w*y_old and leaves dy = w*x (the adjoint of the OLD y). */
#include "check.h"

void __enzyme_autodiff(void *, ...);
void __enzyme_fwddiff(void *, ...);

#define N 5

static void scale_inplace(double *y, double *x, int n) {
  for (int i = 0; i < n; i++)
    y[i] = y[i] * x[i];
}

/* nonlinear in the old value: y <- sin(y) * y * x */
static void sin_inplace(double *y, double *x, int n) {
  for (int i = 0; i < n; i++)
    y[i] = sin(y[i]) * y[i] * x[i];
}

int main(void) {
  double y0[N], x[N], w[N], y[N], dy[N], dx[N] = {0};
  char name[80];
  for (int i = 0; i < N; i++) {
    y0[i] = y[i] = 1.0 + 0.5 * i;
    x[i] = 0.3 - 0.2 * i;
    w[i] = dy[i] = 0.5 + i;
  }
  __enzyme_autodiff((void *)scale_inplace, y, dy, x, dx, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "primal y[%d] = y0*x", i);
    CHECK_CLOSE(name, y[i], y0[i] * x[i], 1e-9);
    snprintf(name, sizeof name, "rev dx[%d] = w*y_old", i);
    CHECK_CLOSE(name, dx[i], w[i] * y0[i], 1e-9);
    snprintf(name, sizeof name, "rev dy[%d] = w*x (adjoint of old y)", i);
    CHECK_CLOSE(name, dy[i], w[i] * x[i], 1e-9);
  }
  /* forward: tangent (vy, vx) -> ty = vy*x + y_old*vx; dot test */
  double vy[N], vx[N], ty[N], v[2 * N], jtw[2 * N];
  for (int i = 0; i < N; i++) {
    y[i] = y0[i];
    ty[i] = vy[i] = cos(i + 0.5);
    vx[i] = 0.1 * i - 0.3;
  }
  __enzyme_fwddiff((void *)scale_inplace, y, ty, x, vx, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "fwd ty[%d]", i);
    CHECK_CLOSE(name, ty[i], vy[i] * x[i] + y0[i] * vx[i], 1e-9);
    v[i] = vy[i], v[N + i] = vx[i];
    jtw[i] = dy[i], jtw[N + i] = dx[i];
  }
  dot_test("scale_inplace", v, jtw, 2 * N, w, ty, N, 1e-9);

  /* nonlinear in-place update */
  for (int i = 0; i < N; i++) {
    y[i] = y0[i];
    dy[i] = w[i];
    dx[i] = 0.0;
  }
  __enzyme_autodiff((void *)sin_inplace, y, dy, x, dx, N);
  for (int i = 0; i < N; i++) {
    double s = sin(y0[i]), c = cos(y0[i]);
    snprintf(name, sizeof name, "rev sin_inplace dy[%d]", i);
    CHECK_CLOSE(name, dy[i], w[i] * x[i] * (c * y0[i] + s), 1e-9);
    snprintf(name, sizeof name, "rev sin_inplace dx[%d]", i);
    CHECK_CLOSE(name, dx[i], w[i] * s * y0[i], 1e-9);
  }
  return finish();
}
