/* 29_forward_jvp_memory.c - forward-mode JVP of a vector function with
 * output through memory, y = F(x), compared column by column with central
 * finite differences; reverse VJP and the dot-product test. */
#include "check.h"

void __enzyme_fwddiff(void *, ...);
void __enzyme_autodiff(void *, ...);

static void F(double *y, const double *x) {
  y[0] = x[0] * x[1];
  y[1] = sin(x[2]) + x[0] * x[0];
  y[2] = exp(x[1]) * x[2] - x[0] / (1.0 + x[1] * x[1]);
}

int main(void) {
  double x[3] = {0.7, -0.4, 1.3}, y[3], ty[3], yp[3], ym[3];
  char name[80];
  /* column j of the Jacobian: tangent e_j */
  for (int j = 0; j < 3; j++) {
    double e[3] = {0, 0, 0};
    e[j] = 1.0;
    __enzyme_fwddiff((void *)F, enzyme_dup, y, ty, enzyme_dup, x, e);
    double s = x[j], h = 1e-5;
    x[j] = s + h;
    F(yp, x);
    x[j] = s - h;
    F(ym, x);
    x[j] = s;
    for (int i = 0; i < 3; i++) {
      snprintf(name, sizeof name, "fwd J[%d][%d] vs FD", i, j);
      CHECK_CLOSE(name, ty[i], (yp[i] - ym[i]) / (2 * h), 1e-5);
    }
  }
  /* a general tangent against the analytic Jacobian */
  double v[3] = {0.3, -1.2, 0.8}, q = 1.0 + x[1] * x[1];
  double J[3][3] = {{x[1], x[0], 0.0},
                    {2 * x[0], 0.0, cos(x[2])},
                    {-1.0 / q, exp(x[1]) * x[2] + 2 * x[0] * x[1] / (q * q), exp(x[1])}};
  __enzyme_fwddiff((void *)F, y, ty, x, v);
  for (int i = 0; i < 3; i++) {
    snprintf(name, sizeof name, "fwd (J v)[%d] analytic", i);
    CHECK_CLOSE(name, ty[i], dotn(J[i], v, 3), 1e-9);
    yp[i] = y[i];
  }
  F(ym, x);
  for (int i = 0; i < 3; i++) {
    snprintf(name, sizeof name, "fwd primal y[%d]", i);
    CHECK_CLOSE(name, yp[i], ym[i], 1e-9);
  }
  /* reverse with seed w, then <J v, w> == <v, J^T w> */
  double w[3] = {1.5, -0.5, 0.25}, dy[3], dx[3] = {0};
  for (int i = 0; i < 3; i++)
    dy[i] = w[i];
  __enzyme_autodiff((void *)F, y, dy, x, dx);
  for (int j = 0; j < 3; j++) {
    snprintf(name, sizeof name, "rev (J^T w)[%d] analytic", j);
    CHECK_CLOSE(name, dx[j], J[0][j] * w[0] + J[1][j] * w[1] + J[2][j] * w[2], 1e-9);
  }
  dot_test("F", v, dx, 3, w, ty, 3, 1e-9);
  return finish();
}
