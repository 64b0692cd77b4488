/* 37_split_mode.c - split reverse mode: __enzyme_augmentfwd runs the primal and records a tape,
 * __enzyme_reverse (seed, then enzyme_tape + tape last) runs the reverse sweep and releases the tape (its
 * buffer is parked for the next augmented call of the module). */
#include "check.h"

extern int enzyme_tape;
void *__enzyme_augmentfwd(void *, ...);
typedef struct { void *tape; double primal; } Aug;
Aug __enzyme_augmentfwd2(void *, ...);
double __enzyme_reverse(void *, ...);
double __enzyme_autodiff(void *, ...);

static double f(double *x, int n, double a) {
  double s = 0.0;
  for (int i = 0; i < n; i++)
    s += a * sin(x[i]) * x[i];
  return s;
}

int main(void) {
  enum { N = 4 };
  double x[N] = {0.5, 1.0, 2.0, -0.7}, dx[N] = {0}, dx_comb[N] = {0};
  double a = 1.5;
  Aug t = __enzyme_augmentfwd2((void *)f, enzyme_dup, x, dx, enzyme_const, N, a);
  CHECK_CLOSE("augmented primal", t.primal, f(x, N, a), 1e-12);
  double da = __enzyme_reverse((void *)f, enzyme_dup, x, dx, enzyme_const, N, a, 1.0, enzyme_tape, t.tape);
  double da_comb = __enzyme_autodiff((void *)f, enzyme_dup, x, dx_comb, enzyme_const, N, a);
  CHECK_CLOSE("split da == combined da", da, da_comb, 1e-12);
  double wa = 0.0;
  for (int i = 0; i < N; i++)
    wa += sin(x[i]) * x[i];
  CHECK_CLOSE("split da analytic", da, wa, 1e-12);
  char name[64];
  for (int i = 0; i < N; i++) {
    snprintf(name, sizeof name, "split dx[%d]", i);
    CHECK_CLOSE(name, dx[i], a * (cos(x[i]) * x[i] + sin(x[i])), 1e-12);
    snprintf(name, sizeof name, "split dx[%d] == combined", i);
    CHECK_CLOSE(name, dx[i], dx_comb[i], 1e-12);
  }
  /* a seed other than 1, and the plain tape-pointer form of the augmented call */
  double dx2[N] = {0};
  void *tp = __enzyme_augmentfwd((void *)f, enzyme_dup, x, dx2, enzyme_const, N, a);
  double da2 = __enzyme_reverse((void *)f, enzyme_dup, x, dx2, enzyme_const, N, a, 2.5, tp);
  CHECK_CLOSE("seeded da", da2, 2.5 * wa, 1e-12);
  CHECK_CLOSE("seeded dx[2]", dx2[2], 2.5 * dx[2], 1e-12);
  /* a reverse pass parks its tape buffer and the next augmented call starts on it: repeated pairs, and two
   * tapes alive at once (reversed in the other order), give the same results */
  for (int rep = 0; rep < 3; rep++) {
    double d1[N] = {0}, d2[N] = {0};
    double y[N] = {0.5 + rep, 1.0, 2.0, -0.7};
    void *t1 = __enzyme_augmentfwd((void *)f, enzyme_dup, x, d1, enzyme_const, N, a);
    void *t2 = __enzyme_augmentfwd((void *)f, enzyme_dup, y, d2, enzyme_const, N, a);
    double db2 = __enzyme_reverse((void *)f, enzyme_dup, y, d2, enzyme_const, N, a, 1.0, t2);
    double db1 = __enzyme_reverse((void *)f, enzyme_dup, x, d1, enzyme_const, N, a, 1.0, t1);
    snprintf(name, sizeof name, "repeat %d: da", rep);
    CHECK_CLOSE(name, db1, wa, 1e-12);
    snprintf(name, sizeof name, "repeat %d: dy[0]", rep);
    CHECK_CLOSE(name, d2[0], a * (cos(y[0]) * y[0] + sin(y[0])), 1e-12);
    snprintf(name, sizeof name, "repeat %d: dx[3]", rep);
    CHECK_CLOSE(name, d1[3], dx[3], 1e-12);
    (void)db2;
  }
  return finish();
}
