/* 24_struct_pointers.c - a struct holding pointers, passed by pointer; its
 * shadow is a struct whose fields point to the shadow arrays. */
#include "check.h"

void __enzyme_autodiff(void *, ...);
double __enzyme_fwddiff(void *, ...);

struct S {
  double *a;
  double *b;
  int n;
};

/* sum_i a_i b_i + a_i^2, and b <- b * a in place (output through the struct) */
static double f(struct S *s) {
  double acc = 0.0;
  for (int i = 0; i < s->n; i++) {
    acc += s->a[i] * s->b[i] + s->a[i] * s->a[i];
    s->b[i] = s->b[i] * 0.5;
  }
  return acc;
}

#define N 4
int main(void) {
  double a[N] = {0.5, -1.0, 2.0, 0.25}, b[N] = {1.5, 0.3, -0.7, 2.0};
  double b0[N], da[N] = {0}, db[N] = {0};
  char name[80];
  for (int i = 0; i < N; i++)
    b0[i] = b[i];
  struct S s = {a, b, N}, ds = {da, db, N};
  __enzyme_autodiff((void *)f, &s, &ds);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "rev da[%d] = b + 2a", i);
    CHECK_CLOSE(name, da[i], b0[i] + 2 * a[i], 1e-9);
    snprintf(name, sizeof name, "rev db[%d] = a", i);
    CHECK_CLOSE(name, db[i], a[i], 1e-9);
    snprintf(name, sizeof name, "primal b[%d] halved", i);
    CHECK_CLOSE(name, b[i], 0.5 * b0[i], 1e-9);
  }
  /* forward: tangent struct; b restored first */
  double va[N], vb[N], tvb[N], v[2 * N], jtw[2 * N], w = 1.0, want = 0.0;
  for (int i = 0; i < N; i++) {
    b[i] = b0[i];
    va[i] = 0.2 * i - 0.1;
    vb[i] = tvb[i] = 1.0 / (i + 2);
    want += va[i] * b0[i] + a[i] * vb[i] + 2 * a[i] * va[i];
    v[i] = va[i], v[N + i] = vb[i];
    jtw[i] = da[i], jtw[N + i] = db[i];
  }
  struct S ts = {va, tvb, N};
  double t = __enzyme_fwddiff((void *)f, enzyme_dup, &s, &ts);
  CHECK_CLOSE("fwd tangent of the sum", t, want, 1e-9);
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "fwd tangent of b[%d] = vb/2", i);
    CHECK_CLOSE(name, tvb[i], 0.5 * vb[i], 1e-9);
  }
  dot_test("struct S", v, jtw, 2 * N, &w, &t, 1, 1e-9);
  return finish();
}
