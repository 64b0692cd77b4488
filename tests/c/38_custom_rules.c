/* 38_custom_rules.c - custom derivatives (Enzyme's registration globals) and inactive functions:
 * mysqrt is a Newton iteration the rules replace by the analytic derivative; log_call is marked inactive. */
#include "check.h"

double __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

static int calls = 0;
__attribute__((noinline)) double mysqrt(double x) {
  double r = x > 1 ? x : 1.0;
  for (int i = 0; i < 60; i++)
    r = 0.5 * (r + x / r);
  return r;
}
__attribute__((noinline)) void log_call(double x) { calls += x > 0; }

/* enzpy's rule convention: every parameter followed by its shadow/tangent */
typedef struct { double primal, tangent; } Dual;
Dual mysqrt_fwd(double x, double dx) {
  double r = sqrt(x);
  Dual d = {r, dx * 0.5 / r};
  return d;
}
typedef struct { double primal; void *tape; } Aug;
Aug mysqrt_aug(double x, double dx) {
  (void)dx;
  Aug a = {sqrt(x), 0};
  return a;
}
typedef struct { double dx; } Rev;
Rev mysqrt_rev(double x, double dx, double dret, void *tape) {
  (void)dx, (void)tape;
  Rev r = {dret * 0.5 / sqrt(x)};
  return r;
}
void *__enzyme_register_derivative_mysqrt[] = {(void *)mysqrt, (void *)mysqrt_fwd};
void *__enzyme_register_gradient_mysqrt[] = {(void *)mysqrt, (void *)mysqrt_aug, (void *)mysqrt_rev};
void *__enzyme_inactivefn[] = {(void *)log_call};

static double f(double x) {
  log_call(x);
  return mysqrt(x * x + 1.0) * x;
}

int main(void) {
  double x = 1.5, s = sqrt(x * x + 1);
  double want = s + x * x / s;
  CHECK_CLOSE("reverse through the custom gradient", __enzyme_autodiff((void *)f, x), want, 1e-12);
  CHECK_CLOSE("forward through the custom derivative", __enzyme_fwddiff((void *)f, x, 1.0), want, 1e-12);
  CHECK_EQ("inactive function still runs in the primal", calls, 2);
  return finish();
}
