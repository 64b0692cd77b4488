/* check.h - tiny self-checking helpers for the enzpy C ABI test programs.
 *
 * Each program compares derivatives obtained through __enzyme_autodiff* /
 * __enzyme_fwddiff* with analytic values or central finite differences,
 * prints one line per comparison and returns finish() from main
 * (0 = all comparisons passed, 1 = at least one failed).
 */
#ifndef ENZPY_TEST_CHECK_H
#define ENZPY_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Enzyme argument markers (their value is irrelevant; the tool recognises
 * the globals by name). */
extern int enzyme_dup, enzyme_dupnoneed, enzyme_const, enzyme_out;

#define CHECK_UNUSED __attribute__((unused))

static int check_failures = 0;
static int check_count = 0;

/* Pass if |got - want| <= rtol * max(|want|, 1e-2) (and got is finite). */
static CHECK_UNUSED int check_close(const char *name, double got, double want,
                                    double rtol) {
  double scale = fabs(want) > 1e-2 ? fabs(want) : 1e-2;
  int ok = isfinite(got) && fabs(got - want) <= rtol * scale;
  check_count++;
  if (!ok)
    check_failures++;
  printf("%-4s %-40s got % .12e  want % .12e\n", ok ? "ok" : "FAIL", name, got,
         want);
  return ok;
}
#define CHECK_CLOSE(name, got, want, rtol)                                     \
  check_close((name), (double)(got), (double)(want), (rtol))

/* Exact check, for integer-valued things (flags, counters, zeros). */
#define CHECK_EQ(name, got, want) check_close((name), (double)(got), (double)(want), 0.0)

static CHECK_UNUSED int finish(void) {
  printf("%s (%d checks, %d failed)\n", check_failures ? "FAIL" : "PASS",
         check_count, check_failures);
  return check_failures ? 1 : 0;
}

/* Central finite difference of a scalar function. */
#define FD_H 1e-5
static CHECK_UNUSED double fd_scalar(double (*f)(double), double x) {
  double h = FD_H * (fabs(x) > 1.0 ? fabs(x) : 1.0);
  volatile double xp = x + h, xm = x - h;
  return (f(xp) - f(xm)) / (xp - xm);
}

/* Central finite difference of the (double) expression EXPR with respect to
 * the double lvalue VAR, which is restored afterwards.  Example:
 *   double g = FD(x[2], f(x, n));                                          */
#define FD(VAR, EXPR)                                                          \
  ({                                                                           \
    double fd_s_ = (VAR);                                                      \
    double fd_h_ = FD_H * (fabs(fd_s_) > 1.0 ? fabs(fd_s_) : 1.0);             \
    volatile double fd_p_ = fd_s_ + fd_h_, fd_m_ = fd_s_ - fd_h_;              \
    (VAR) = fd_p_;                                                             \
    double fd_fp_ = (EXPR);                                                    \
    (VAR) = fd_m_;                                                             \
    double fd_fm_ = (EXPR);                                                    \
    (VAR) = fd_s_;                                                             \
    (fd_fp_ - fd_fm_) / (fd_p_ - fd_m_);                                       \
  })

static CHECK_UNUSED double dotn(const double *a, const double *b, int n) {
  double s = 0.0;
  for (int i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
}

/* Dot-product test: <J v, w> == <v, J^T w>.
 * v, JTw have n entries (inputs); w, Jv have m entries (outputs). */
static CHECK_UNUSED int dot_test(const char *name, const double *v,
                                 const double *JTw, int n, const double *w,
                                 const double *Jv, int m, double rtol) {
  double lhs = dotn(Jv, w, m), rhs = dotn(v, JTw, n);
  char buf[96];
  snprintf(buf, sizeof buf, "dot test %s", name);
  return check_close(buf, lhs, rhs, rtol);
}

#endif
