// Driver for memcpy.ll: dst = src; dst[i] = dst[i]^2.
#include <math.h>
#include <stdio.h>

void grad(double *dst, double *ddst, double *src, double *dsrc);
void tangent(double *dst, double *ddst, double *src, double *dsrc);

int main(void) {
  double src[4] = {1, 2, 3, 4}, dst[4];
  double seed[4] = {1, 2, 0.5, -1}, ddst[4], dsrc[4] = {0.25, 0.25, 0.25, 0.25};
  for (int i = 0; i < 4; i++) ddst[i] = seed[i];
  grad(dst, ddst, src, dsrc);
  int bad = 0;
  for (int i = 0; i < 4; i++) {
    double want = 0.25 + 2 * src[i] * seed[i];
    if (fabs(dsrc[i] - want) > 1e-14 || ddst[i] != 0 || dst[i] != src[i] * src[i]) {
      printf("reverse [%d]: dsrc %g (want %g), ddst %g (want 0), dst %g\n", i, dsrc[i], want, ddst[i], dst[i]);
      bad = 1;
    }
  }
  double t[4] = {1, -1, 0.5, 2}, dt[4];
  tangent(dst, dt, src, t);
  for (int i = 0; i < 4; i++)
    if (fabs(dt[i] - 2 * src[i] * t[i]) > 1e-14) {
      printf("forward [%d]: %g, want %g\n", i, dt[i], 2 * src[i] * t[i]);
      bad = 1;
    }
  return bad;
}
