/* 35_switch.c - switch statements: on a constant mode argument, and inside
 * a loop on the element index (with fall-through). */
#include "check.h"

double __enzyme_autodiff(void *, ...);
void __enzyme_autodiff_v(void *, ...);
double __enzyme_fwddiff(void *, ...);

static double by_mode(double x, int mode) {
  switch (mode) {
  case 0:
    return x * x;
  case 1:
    return sin(x) * x;
  case 2:
    return exp(-x);
  case 7:
    return log(x * x + 1.0);
  default:
    return 3.0 * x;
  }
}

static double mixed(const double *x, int n) {
  double s = 0.0;
  for (int i = 0; i < n; i++) {
    switch (i % 4) {
    case 0:
      s += x[i] * x[i];
      break;
    case 1:
      s += cos(x[i]);
      /* fall through */
    case 2:
      s += 2.0 * x[i];
      break;
    default:
      s -= x[i] * x[i] * x[i];
    }
  }
  return s;
}

int main(void) {
  char name[80];
  const int modes[] = {0, 1, 2, 7, 42};
  double x = 0.9;
  double want[] = {2 * x, cos(x) * x + sin(x), -exp(-x), 2 * x / (x * x + 1), 3.0};
  for (int k = 0; k < 5; k++) {
    double g = __enzyme_autodiff((void *)by_mode, x, modes[k]);
    snprintf(name, sizeof name, "rev by_mode' (mode %d)", modes[k]);
    CHECK_CLOSE(name, g, want[k], 1e-9);
    double v = 0.4, w = 1.0;
    double t = __enzyme_fwddiff((void *)by_mode, x, v, modes[k]);
    snprintf(name, sizeof name, "by_mode %d", modes[k]);
    dot_test(name, &v, &g, 1, &w, &t, 1, 1e-9);
  }

  enum { N = 9 };
  double xa[N], dx[N] = {0}, va[N], one = 1.0;
  for (int i = 0; i < N; i++) {
    xa[i] = 0.3 * i - 1.2;
    va[i] = cos(2.0 * i);
  }
  __enzyme_autodiff_v((void *)mixed, xa, dx, N);
  for (int i = 0; i < N; i++) {
    double d;
    switch (i % 4) {
    case 0: d = 2 * xa[i]; break;
    case 1: d = -sin(xa[i]) + 2.0; break;
    case 2: d = 2.0; break;
    default: d = -3 * xa[i] * xa[i];
    }
    snprintf(name, sizeof name, "rev mixed dx[%d] (case %d)", i, i % 4);
    CHECK_CLOSE(name, dx[i], d, 1e-9);
  }
  double t = __enzyme_fwddiff((void *)mixed, xa, va, N);
  dot_test("mixed", va, dx, N, &one, &t, 1, 1e-9);
  return finish();
}
