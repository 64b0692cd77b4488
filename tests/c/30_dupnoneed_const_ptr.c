/* 30_dupnoneed_const_ptr.c - enzyme_dupnoneed for an output buffer (its
 * primal value need not be computed) and enzyme_const pointers. */
#include "check.h"

void __enzyme_autodiff(void *, ...);
void __enzyme_fwddiff(void *, ...);
double __enzyme_fwddiff_d(void *, ...);

#define N 5

/* out[i] = c[i] * x[i]^2 */
static void f(double *out, const double *x, const double *c, int n) {
  for (int i = 0; i < n; i++)
    out[i] = c[i] * x[i] * x[i];
}

/* sum c_i exp(x_i) */
static double g(const double *x, const double *c, int n) {
  double s = 0.0;
  for (int i = 0; i < n; i++)
    s += c[i] * exp(x[i]);
  return s;
}

int main(void) {
  double x[N], c[N], out[N], dout[N], w[N], dx[N] = {0}, dc[N] = {0};
  char name[80];
  for (int i = 0; i < N; i++) {
    x[i] = 0.3 * i - 0.5;
    c[i] = 1.0 + 0.5 * i;
    w[i] = dout[i] = 0.25 * (i + 1);
  }
  /* out dupnoneed, x active, c const */
  __enzyme_autodiff((void *)f, enzyme_dupnoneed, out, dout, x, dx, enzyme_const, c, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "rev dupnoneed dx[%d] = 2 c x w", i);
    CHECK_CLOSE(name, dx[i], 2.0 * c[i] * x[i] * w[i], 1e-9);
    snprintf(name, sizeof name, "rev dupnoneed dout[%d] = 0", i);
    CHECK_EQ(name, dout[i], 0.0);
  }
  /* x const, c active */
  for (int i = 0; i < N; i++)
    dout[i] = w[i];
  __enzyme_autodiff((void *)f, out, dout, enzyme_const, x, c, dc, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "rev (x const) dc[%d] = x^2 w", i);
    CHECK_CLOSE(name, dc[i], x[i] * x[i] * w[i], 1e-9);
  }
  /* forward with dupnoneed output: tout = 2 c x vx */
  double vx[N], tout[N];
  for (int i = 0; i < N; i++)
    vx[i] = 1.0 - 0.4 * i;
  __enzyme_fwddiff((void *)f, enzyme_dupnoneed, out, tout, enzyme_dup, x, vx, enzyme_const, c, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "fwd dupnoneed tout[%d]", i);
    CHECK_CLOSE(name, tout[i], 2.0 * c[i] * x[i] * vx[i], 1e-9);
  }
  dot_test("f w.r.t. x", vx, dx, N, w, tout, N, 1e-9);

  /* return-value function with a const pointer */
  double gx[N] = {0}, one = 1.0;
  __enzyme_autodiff((void *)g, x, gx, enzyme_const, c, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "rev g dx[%d] = c exp(x)", i);
    CHECK_CLOSE(name, gx[i], c[i] * exp(x[i]), 1e-9);
  }
  double t = __enzyme_fwddiff_d((void *)g, x, vx, enzyme_const, c, N);
  dot_test("g", vx, gx, N, &one, &t, 1, 1e-9);
  return finish();
}
