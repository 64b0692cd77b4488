/* 22_helper_calls.c - calls between functions: a scalar helper called twice,
 * and an array helper (noinline) called twice with different arrays. */
#include "check.h"

typedef struct { double dx, dy; } D2;
D2 __enzyme_autodiff2(void *, ...);
void __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

__attribute__((noinline)) static double helper(double a, double b) {
  return a * sin(b) + b * b;
}
static double f(double x, double y) { return helper(x, y) * helper(y, x); }

__attribute__((noinline)) static double norm2(const double *v, int n) {
  double s = 0.0;
  for (int i = 0; i < n; i++)
    s += v[i] * v[i];
  return s;
}
/* cosine similarity */
static double cosim(const double *a, const double *b, int n) {
  double d = 0.0;
  for (int i = 0; i < n; i++)
    d += a[i] * b[i];
  return d / sqrt(norm2(a, n) * norm2(b, n));
}

int main(void) {
  double x = 0.8, y = -1.3;
  double h1 = helper(x, y), h2 = helper(y, x);
  /* d helper(a,b) = (sin b, a cos b + 2b) */
  double fx = sin(y) * h2 + h1 * (y * cos(x) + 2 * x);
  double fy = (x * cos(y) + 2 * y) * h2 + h1 * sin(x);
  D2 g = __enzyme_autodiff2((void *)f, x, y);
  CHECK_CLOSE("rev df/dx (helper twice)", g.dx, fx, 1e-9);
  CHECK_CLOSE("rev df/dy (helper twice)", g.dy, fy, 1e-9);
  double v2[2] = {0.5, 0.25}, jtw2[2] = {g.dx, g.dy}, w = 1.0;
  double t2 = __enzyme_fwddiff((void *)f, x, v2[0], y, v2[1]);
  dot_test("f(x,y)", v2, jtw2, 2, &w, &t2, 1, 1e-9);

  enum { N = 5 };
  double a[N] = {1.0, -0.5, 2.0, 0.3, 0.7}, b[N] = {0.2, 1.1, -0.4, 0.9, 1.5};
  double da[N] = {0}, db[N] = {0}, va[N], vb[N], v[2 * N], jtw[2 * N];
  char name[80];
  __enzyme_autodiff((void *)cosim, a, da, b, db, N);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "FD cosim da[%d]", i);
    CHECK_CLOSE(name, da[i], FD(a[i], cosim(a, b, N)), 1e-5);
    snprintf(name, sizeof name, "FD cosim db[%d]", i);
    CHECK_CLOSE(name, db[i], FD(b[i], cosim(a, b, N)), 1e-5);
    va[i] = v[i] = 0.1 * i, vb[i] = v[N + i] = 1.0 - 0.3 * i;
    jtw[i] = da[i], jtw[N + i] = db[i];
  }
  double t = __enzyme_fwddiff((void *)cosim, a, va, b, vb, N);
  dot_test("cosim", v, jtw, 2 * N, &w, &t, 1, 1e-9);
  return finish();
}
