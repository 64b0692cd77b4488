// Driver for memcpy-float-mixed.ll: dsrc accumulates 2 src[i] onto its initial value.
#include <math.h>
#include <stdio.h>

double grad(float *src, float *dsrc, float *dst, float *ddst);

int main(void) {
  float src[4] = {1, 2, 3, 4}, dsrc[4] = {1, 1, 1, 1}, dst[4], ddst[4] = {0, 0, 0, 0};
  grad(src, dsrc, dst, ddst);
  int bad = 0;
  for (int i = 0; i < 4; i++)
    if (fabsf(dsrc[i] - (1 + 2 * src[i])) > 1e-5f) {
      printf("dsrc[%d] = %g, want %g\n", i, dsrc[i], 1 + 2 * src[i]);
      bad = 1;
    }
  return bad;
}
