/* 28_float32.c - float32 arithmetic: float arrays with float shadows,
 * a float active scalar (promoted to double in the varargs, float result)
 * and forward mode with float tangents. */
#include "check.h"

void __enzyme_autodiff(void *, ...);
float __enzyme_autodiff_f(void *, ...);
float __enzyme_fwddiff_f(void *, ...);

#define N 6

/* sum a * x_i^2 + x_i * x_{i+1} / (1 + a^2) */
static float energy(float a, const float *x, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; i++) {
    s += a * x[i] * x[i];
    if (i + 1 < n)
      s += x[i] * x[i + 1] / (1.0f + a * a);
  }
  return s;
}

static float energy_const_a(const float *x, int n) { return energy(1.25f, x, n); }

int main(void) {
  float x[N] = {0.5f, -1.0f, 0.75f, 2.0f, -0.3f, 1.2f}, dx[N] = {0};
  float a = 0.8f, v[N];
  double q = 1.0 + (double)a * a;
  char name[80];
  float da = __enzyme_autodiff_f((void *)energy, a, x, dx, N);
  double want_da = 0.0;
  for (int i = 0; i < N; i++) {
    want_da += (double)x[i] * x[i];
    if (i + 1 < N)
      want_da -= 2.0 * a * x[i] * x[i + 1] / (q * q);
  }
  CHECK_CLOSE("rev d energy/da (float scalar)", da, want_da, 1e-3);
  for (int i = 0; i < N; i++) {
    double want = 2.0 * a * x[i];
    if (i + 1 < N) want += x[i + 1] / q;
    if (i > 0) want += x[i - 1] / q;
    snprintf(name, sizeof name, "rev d energy/dx[%d] (float array)", i);
    CHECK_CLOSE(name, dx[i], want, 1e-3);
    v[i] = 0.1f * i - 0.2f;
  }
  /* forward: tangent of a and of x */
  float va = 0.5f;
  float t = __enzyme_fwddiff_f((void *)energy, a, va, x, v, N);
  double dv[N + 1], jtw[N + 1], w = 1.0, dt = t;
  dv[0] = va, jtw[0] = da;
  for (int i = 0; i < N; i++)
    dv[i + 1] = v[i], jtw[i + 1] = dx[i];
  dot_test("energy (float)", dv, jtw, N + 1, &w, &dt, 1, 1e-3);

  /* no active scalar: void result, float shadow only */
  float dx2[N] = {0};
  __enzyme_autodiff((void *)energy_const_a, x, dx2, N);
  for (int i = 0; i < N; i += 2) {
    double want = 2.5 * x[i];
    if (i + 1 < N) want += x[i + 1] / (1.0 + 1.5625);
    if (i > 0) want += x[i - 1] / (1.0 + 1.5625);
    snprintf(name, sizeof name, "rev energy_const_a dx[%d]", i);
    CHECK_CLOSE(name, dx2[i], want, 1e-3);
  }
  return finish();
}
