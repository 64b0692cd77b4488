// Driver for markers.ll
#include <math.h>
#include <stdio.h>

typedef struct { double dx, dz; } Two;
typedef struct { double da, db, dc; } Three;
Two grad(double x, double c, double *p, double *dp, double z);
Three grad3(double a, double b, double c);
double tangent_h(double x, double dx, double y);
double grad_dupnoneed(double *out, double *dout, double x);

static int bad = 0;
static void expect(const char *what, double got, double want) {
  if (fabs(got - want) > 1e-12 * (1 + fabs(want))) {
    printf("%s: %.17g, want %.17g\n", what, got, want);
    bad = 1;
  }
}

int main(void) {
  double x = 1.5, c = -2.0, p = 0.75, dp = 0.5, z = 3.0;
  Two g = grad(x, c, &p, &dp, z);
  expect("df/dx", g.dx, c * p * z);
  expect("df/dz", g.dz, x * c * p);
  expect("dp", dp, 0.5 + x * c * z);
  Three t = grad3(2.0, 3.0, 5.0);
  expect("dg/da", t.da, 15.0);
  expect("dg/db", t.db, 10.0);
  expect("dg/dc", t.dc, 6.0);
  expect("tangent_h", tangent_h(1.25, 2.0, 0.5), 1.0);
  double out, dout = 1.5;
  expect("dupnoneed dx", grad_dupnoneed(&out, &dout, 3.0), 2 * 3.0 * 1.5);
  expect("dupnoneed dout", dout, 0.0);
  return bad;
}
