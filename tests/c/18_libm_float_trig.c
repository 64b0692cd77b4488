/* 18_libm_float_trig.c - float32 trigonometric / hyperbolic libm functions:
 * sinf cosf tanf asinf acosf atanf atan2f sinhf coshf tanhf.  Float scalars
 * travel through the varargs promoted to double; results are float. */
#include "check.h"

float __enzyme_autodiff_f(void *, ...);
float __enzyme_fwddiff_f(void *, ...);

#define U(name, expr) static float name(float x) { return expr; }
U(f_sinf, sinf(x))
U(f_cosf, cosf(x))
U(f_tanf, tanf(x))
U(f_asinf, asinf(x))
U(f_acosf, acosf(x))
U(f_atanf, atanf(x))
U(f_sinhf, sinhf(x))
U(f_coshf, coshf(x))
U(f_tanhf, tanhf(x))
static float f_atan2f(float y, float x) { return atan2f(y, x); }

#define RT 1e-4
static void check1(const char *fn, float x, float rev, float fwd, float v,
                   double want) {
  char name[80];
  double dv = v, drev = rev, dfwd = fwd, w = 1.0;
  snprintf(name, sizeof name, "rev %s'(%g)", fn, x);
  CHECK_CLOSE(name, rev, want, RT);
  snprintf(name, sizeof name, "fwd %s'(%g)*v", fn, x);
  CHECK_CLOSE(name, fwd, want * v, RT);
  snprintf(name, sizeof name, "%s at %g", fn, x);
  dot_test(name, &dv, &drev, 1, &w, &dfwd, 1, RT);
}
#define T1(f, X, DEXPR)                                                        \
  do {                                                                         \
    float xf = (X), vf = 0.7f;                                                 \
    double x = xf;                                                             \
    check1(#f, xf, __enzyme_autodiff_f((void *)f, xf),                         \
           __enzyme_fwddiff_f((void *)f, xf, vf), vf, (DEXPR));                \
  } while (0)

int main(void) {
  for (int k = 0; k < 2; k++) {
    float p = k ? -0.65f : 0.4f;
    T1(f_sinf, p, cos(x));
    T1(f_cosf, p, -sin(x));
    T1(f_tanf, p, 1.0 / (cos(x) * cos(x)));
    T1(f_asinf, p, 1.0 / sqrt(1.0 - x * x));
    T1(f_acosf, p, -1.0 / sqrt(1.0 - x * x));
    T1(f_atanf, 3 * p, 1.0 / (1.0 + x * x));
    T1(f_sinhf, 2 * p, cosh(x));
    T1(f_coshf, 2 * p, sinh(x));
    T1(f_tanhf, 2 * p, 1.0 - tanh(x) * tanh(x));
  }
  /* atan2f: one argument active at a time (the other enzyme_const) */
  float y = -0.8f, x = 0.5f;
  double r2 = (double)x * x + (double)y * y;
  float gy = __enzyme_autodiff_f((void *)f_atan2f, y, enzyme_const, x);
  float gx = __enzyme_autodiff_f((void *)f_atan2f, enzyme_const, y, x);
  CHECK_CLOSE("rev atan2f d/dy", gy, x / r2, RT);
  CHECK_CLOSE("rev atan2f d/dx", gx, -y / r2, RT);
  float t = __enzyme_fwddiff_f((void *)f_atan2f, y, 0.25f, x, -0.5f);
  double v[2] = {0.25, -0.5}, jtw[2] = {gy, gx}, w = 1.0, dt = t;
  CHECK_CLOSE("fwd atan2f", t, 0.25 * x / r2 + 0.5 * y / r2, RT);
  dot_test("atan2f", v, jtw, 2, &w, &dt, 1, RT);
  return finish();
}
