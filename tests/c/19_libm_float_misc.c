/* 19_libm_float_misc.c - float32 exp/log/pow/rounding libm functions:
 * expf exp2f expm1f logf log2f log10f log1pf powf cbrtf sqrtf hypotf erff
 * erfcf fabsf fmaf fminf fmaxf copysignf floorf ceilf truncf roundf. */
#include "check.h"

float __enzyme_autodiff_f(void *, ...);
float __enzyme_fwddiff_f(void *, ...);

#define U(name, expr) static float name(float x) { return expr; }
U(f_expf, expf(x))
U(f_exp2f, exp2f(x))
U(f_expm1f, expm1f(x))
U(f_logf, logf(x))
U(f_log2f, log2f(x))
U(f_log10f, log10f(x))
U(f_log1pf, log1pf(x))
U(f_cbrtf, cbrtf(x))
U(f_sqrtf, sqrtf(x))
U(f_erff, erff(x))
U(f_erfcf, erfcf(x))
U(f_fabsf, fabsf(x))
U(f_roundingf, x * floorf(x) + ceilf(x) * x + truncf(x) * roundf(x) * x)
/* two-argument functions: the second argument is passed enzyme_const */
U(f_powf, powf(x, 2.5f))
U(f_powf_exp, powf(1.7f, x))
U(f_fmaf, fmaf(x, -1.5f, x * x))
U(f_fminf, fminf(x, 0.1f) + fmaxf(x, -1.0f))
static float f_powf2(float x, float y) { return powf(x, y); }
static float f_hypotf(float x, float y) { return hypotf(x, y); }
static float f_copysignf(float x, float y) { return copysignf(x, y); }

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
/* x active, y passed as enzyme_const */
#define T1C(f, X, Y, DEXPR)                                                    \
  do {                                                                         \
    float xf = (X), yf = (Y), vf = 0.7f;                                       \
    double x = xf, y = yf;                                                     \
    check1(#f, xf, __enzyme_autodiff_f((void *)f, xf, enzyme_const, yf),       \
           __enzyme_fwddiff_f((void *)f, xf, vf, enzyme_const, yf), vf,        \
           (DEXPR));                                                           \
  } while (0)

int main(void) {
  for (int k = 0; k < 2; k++) {
    float p = k ? 2.75f : 0.35f;
    T1(f_expf, p - 1, exp(x));
    T1(f_exp2f, p - 1, exp2(x) * M_LN2);
    T1(f_expm1f, p - 1, exp(x));
    T1(f_logf, p, 1.0 / x);
    T1(f_log2f, p, 1.0 / (x * M_LN2));
    T1(f_log10f, p, 1.0 / (x * M_LN10));
    T1(f_log1pf, p - 0.6f, 1.0 / (1.0 + x));
    T1(f_cbrtf, -p, 1.0 / (3.0 * cbrt(x) * cbrt(x)));
    T1(f_sqrtf, p, 0.5 / sqrt(x));
    T1(f_erff, p - 1, 2.0 / sqrt(M_PI) * exp(-x * x));
    T1(f_erfcf, p - 1, -2.0 / sqrt(M_PI) * exp(-x * x));
    T1(f_fabsf, p - 1, x < 0 ? -1.0 : 1.0);
    T1(f_roundingf, p - 1.3f, floor(x) + ceil(x) + trunc(x) * round(x));
    T1(f_powf, p, 2.5 * pow(x, 1.5));
    T1(f_powf_exp, p, pow(1.7, x) * log(1.7));
    T1C(f_hypotf, p - 1, 0.8f, x / hypot(x, y));
    T1(f_fmaf, p, -1.5 + 2.0 * x);
    T1(f_fminf, p - 1, (x < 0.1 ? 1.0 : 0.0) + (x > -1.0 ? 1.0 : 0.0));
    T1C(f_copysignf, p - 1, -2.0f, (x < 0) == (y < 0) ? 1.0 : -1.0);
    T1C(f_copysignf, p - 1, 3.0f, (x < 0) == (y < 0) ? 1.0 : -1.0);
  }
  /* powf with both arguments, one active at a time */
  float x = 1.3f, y = 2.2f;
  float gx = __enzyme_autodiff_f((void *)f_powf2, x, enzyme_const, y);
  float gy = __enzyme_autodiff_f((void *)f_powf2, enzyme_const, x, y);
  CHECK_CLOSE("rev powf d/dx", gx, y * pow(x, y - 1.0), RT);
  CHECK_CLOSE("rev powf d/dy", gy, pow(x, y) * log(x), RT);
  float t = __enzyme_fwddiff_f((void *)f_powf2, x, 0.5f, y, -0.25f);
  double v[2] = {0.5, -0.25}, jtw[2] = {gx, gy}, w = 1.0, dt = t;
  dot_test("powf", v, jtw, 2, &w, &dt, 1, RT);
  return finish();
}
