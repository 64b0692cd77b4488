/* 32_ode_euler.c - 5,000-step explicit Euler loops.
 * Logistic growth y' = r y (1 - y/K): d y(T) / d(r, y0).
 * Damped oscillator (state in memory, updated in place): derivative w.r.t.
 * the damping c (active scalar) and the initial state (shadow of state). */
#include "check.h"

typedef struct { double dr, dy0; } D2;
D2 __enzyme_autodiff2(void *, ...);
double __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

#define STEPS 5000
#define DT 1e-3

static double logistic(double r, double y0, double K) {
  double y = y0;
  for (int i = 0; i < STEPS; i++)
    y += DT * r * y * (1.0 - y / K);
  return y;
}

/* state = (position, velocity), overwritten with the final state */
static void oscillate(double *state, double c, double k) {
  double x = state[0], v = state[1];
  for (int i = 0; i < STEPS; i++) {
    double a = -c * v - k * x;
    v += DT * a;
    x += DT * v;
  }
  state[0] = x;
  state[1] = v;
}

static double osc_x(double x0, double v0, double c, double k) {
  double s[2] = {x0, v0};
  oscillate(s, c, k);
  return s[0];
}

int main(void) {
  double r = 0.8, y0 = 0.1, K = 1.0;
  printf("     logistic y(5) = %.12f (exact ODE solution %.6f)\n", logistic(r, y0, K),
         K / (1.0 + (K - y0) / y0 * exp(-r * STEPS * DT)));
  D2 g = __enzyme_autodiff2((void *)logistic, r, y0, enzyme_const, K);
  CHECK_CLOSE("rev logistic dy/dr vs FD", g.dr, FD(r, logistic(r, y0, K)), 1e-5);
  CHECK_CLOSE("rev logistic dy/dy0 vs FD", g.dy0, FD(y0, logistic(r, y0, K)), 1e-5);
  double v[2] = {0.3, -2.0}, jtw[2] = {g.dr, g.dy0}, w = 1.0;
  double t = __enzyme_fwddiff((void *)logistic, r, v[0], y0, v[1], enzyme_const, K);
  dot_test("logistic", v, jtw, 2, &w, &t, 1, 1e-9);

  /* oscillator: seed d(final x) = 1; dstate ends as d x(T) / d state(0) */
  double x0 = 1.0, v0 = -0.5, c = 0.4, k = 4.0;
  double s[2] = {x0, v0}, ds[2] = {1.0, 0.0};
  double dc = __enzyme_autodiff((void *)oscillate, s, ds, c, enzyme_const, k);
  CHECK_CLOSE("primal x(T)", s[0], osc_x(x0, v0, c, k), 1e-9);
  CHECK_CLOSE("rev oscillator dx(T)/dc vs FD", dc, FD(c, osc_x(x0, v0, c, k)), 1e-5);
  CHECK_CLOSE("rev oscillator dx(T)/dx0 vs FD", ds[0], FD(x0, osc_x(x0, v0, c, k)), 1e-5);
  CHECK_CLOSE("rev oscillator dx(T)/dv0 vs FD", ds[1], FD(v0, osc_x(x0, v0, c, k)), 1e-5);
  return finish();
}
