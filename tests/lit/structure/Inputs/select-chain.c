// Driver for select-chain.ll: gradients of running maxima and minima against the element each one picked.
#include <math.h>
#include <stdio.h>
#include <string.h>

double d_runmax(double *x, double *dx, long n, double m0);
void d_runmin(double *x, double *dx, long n);
void d_twochains(double *x, double *dx, long n);
void d_kept(double *x, double *dx, long n);
double t_runmax(double *x, double *dx, long n, double m0, double dm0);

static int bad = 0;
static void expect(const char *what, int k, double got, double want) {
  if (got != want) {
    printf("%s[%d]: %.17g, expected %.17g\n", what, k, got, want);
    bad = 1;
  }
}

int main(void) {
  enum { N = 10 };
  double x[N] = {0.5, -1.0, 2.5, 0.25, 2.5, -3.0, 1.0, 2.0, -0.5, 0.0}; // max 2.5 first at 2, min -3 at 5
  double dx[N], want[N];
  // runmax: 3 * max(m0, x): the first 2.5 (x[2]) when m0 is smaller, m0 when it is larger
  memset(dx, 0, sizeof dx);
  double dm0 = d_runmax(x, dx, N, 0.0);
  for (int k = 0; k < N; k++)
    expect("runmax dx", k, dx[k], k == 2 ? 3.0 : 0.0);
  expect("runmax dm0", 0, dm0, 0.0);
  memset(dx, 0, sizeof dx);
  dm0 = d_runmax(x, dx, N, 7.0);
  for (int k = 0; k < N; k++)
    expect("runmax dx (m0 wins)", k, dx[k], 0.0);
  expect("runmax dm0 (m0 wins)", 0, dm0, 3.0);
  // runmin: min^2, start value x[0]; x[5] = -3 picked: 2 * -3
  memset(dx, 0, sizeof dx);
  d_runmin(x, dx, N);
  for (int k = 0; k < N; k++)
    expect("runmin dx", k, dx[k], k == 5 ? -6.0 : 0.0);
  // runmin where x[0] stays the minimum: the adjoint goes to the start value, a load of x[0]
  double y[4] = {-5.0, 1.0, 0.0, 2.0};
  double dy[4] = {0};
  d_runmin(y, dy, 4);
  for (int k = 0; k < 4; k++)
    expect("runmin dy", k, dy[k], k == 0 ? -10.0 : 0.0);
  // twochains: max - min
  memset(dx, 0, sizeof dx);
  d_twochains(x, dx, N);
  for (int k = 0; k < N; k++)
    expect("twochains dx", k, dx[k], k == 2 ? 1.0 : k == 5 ? -1.0 : 0.0);
  // kept: sum of the running maxima 0.5 0.5 2.5 2.5 ... : x[0] twice, x[2] eight times
  memset(dx, 0, sizeof dx);
  d_kept(x, dx, N);
  for (int k = 0; k < N; k++)
    expect("kept dx", k, dx[k], k == 0 ? 2.0 : k == 2 ? 8.0 : 0.0);
  // forward: the tangent of the element picked, times 3
  double tx[N];
  for (int k = 0; k < N; k++)
    tx[k] = k + 1.0;
  expect("t_runmax", 0, t_runmax(x, tx, N, 0.0, 100.0), 9.0);
  expect("t_runmax (m0 wins)", 0, t_runmax(x, tx, N, 7.0, 100.0), 300.0);
  if (!bad)
    printf("ok\n");
  (void)want;
  return bad;
}
