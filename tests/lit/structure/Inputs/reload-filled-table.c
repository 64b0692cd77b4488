// Driver for reload-filled-table.ll: the gradients of f, g and h against central differences.
#include <math.h>
#include <stdio.h>

typedef double (*Fn)(double *, double *, long, long);
typedef void (*Grad)(double *, double *, double *, double *, long, long);
double f(double *a, double *x, long n, long m);
double g(double *a, double *x, long n, long m);
double h(double *a, double *x, long n, long m);
void grad_f(double *a, double *da, double *x, double *dx, long n, long m);
void grad_g(double *a, double *da, double *x, double *dx, long n, long m);
void grad_h(double *a, double *da, double *x, double *dx, long n, long m);

enum { N = 5, M = 3 };

static int check(const char *name, Fn fn, Grad grad) {
  double a[N], x[N * M], da[N] = {0}, dx[N * M] = {0};
  for (int k = 0; k < N; k++)
    a[k] = 0.3 + 0.17 * k - 0.05 * k * k;
  for (int k = 0; k < N * M; k++)
    x[k] = 0.9 - 0.13 * k + 0.01 * k * k;
  grad(a, da, x, dx, N, M);
  int bad = 0;
  for (int k = 0; k < N + N * M; k++) {
    double *v = k < N ? &a[k] : &x[k - N], d = k < N ? da[k] : dx[k - N];
    const double h = 1e-6, keep = *v;
    *v = keep + h;
    double up = fn(a, x, N, M);
    *v = keep - h;
    double down = fn(a, x, N, M);
    *v = keep;
    double fd = (up - down) / (2 * h);
    if (fabs(d - fd) > 1e-7 * (1 + fabs(fd))) {
      printf("%s, k=%d: grad %.17g, central difference %.17g\n", name, k, d, fd);
      bad = 1;
    }
  }
  return bad;
}

int main(void) { return check("f", f, grad_f) | check("g", g, grad_g) | check("h", h, grad_h); }
