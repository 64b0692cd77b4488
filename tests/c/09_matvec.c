/* 09_matvec.c - nested loops, output through memory: y = A x (hand-written
 * matrix-vector product).  Reverse: VJP w.r.t. A and x with seed dy = w;
 * forward: JVP; dot-product test <J v, w> == <v, J^T w>. */
#include "check.h"

void __enzyme_autodiff(void *, ...);
void __enzyme_fwddiff(void *, ...);

#define M 3
#define N 4

static void matvec(double *y, const double *A, const double *x, int m, int n) {
  for (int i = 0; i < m; i++) {
    double s = 0.0;
    for (int j = 0; j < n; j++)
      s += A[i * n + j] * x[j];
    y[i] = s;
  }
}

int main(void) {
  double A[M * N], x[N], y[M], w[M], dA[M * N] = {0}, dx[N] = {0}, dy[M];
  char name[80];
  for (int k = 0; k < M * N; k++)
    A[k] = sin(0.7 * k + 0.1);
  for (int j = 0; j < N; j++)
    x[j] = 0.5 * j - 0.6;
  for (int i = 0; i < M; i++)
    w[i] = dy[i] = 1.0 + 0.25 * i;

  __enzyme_autodiff((void *)matvec, y, dy, A, dA, x, dx, M, N);
  for (int i = 0; i < M; i++)
    for (int j = 0; j < N; j++) {
      snprintf(name, sizeof name, "rev dA[%d][%d] = w_i x_j", i, j);
      CHECK_CLOSE(name, dA[i * N + j], w[i] * x[j], 1e-9);
    }
  for (int j = 0; j < N; j++) {
    double s = 0.0;
    for (int i = 0; i < M; i++)
      s += A[i * N + j] * w[i];
    snprintf(name, sizeof name, "rev dx[%d] = (A^T w)_j", j);
    CHECK_CLOSE(name, dx[j], s, 1e-9);
  }
  for (int i = 0; i < M; i++) {
    snprintf(name, sizeof name, "dy[%d] zeroed (y overwritten)", i);
    CHECK_EQ(name, dy[i], 0.0);
  }

  /* forward: tangent (vA, vx) -> ty = vA x + A vx */
  double vA[M * N], vx[N], ty[M], yy[M];
  for (int k = 0; k < M * N; k++)
    vA[k] = 0.1 * (k % 5) - 0.2;
  for (int j = 0; j < N; j++)
    vx[j] = cos(1.0 + j);
  __enzyme_fwddiff((void *)matvec, enzyme_dup, yy, ty, enzyme_dup, A, vA, enzyme_dup, x, vx, M, N);
  for (int i = 0; i < M; i++) {
    double s = 0.0;
    for (int j = 0; j < N; j++)
      s += vA[i * N + j] * x[j] + A[i * N + j] * vx[j];
    snprintf(name, sizeof name, "fwd ty[%d]", i);
    CHECK_CLOSE(name, ty[i], s, 1e-9);
  }
  matvec(y, A, x, M, N);
  for (int i = 0; i < M; i++) {
    snprintf(name, sizeof name, "fwd primal y[%d]", i);
    CHECK_CLOSE(name, yy[i], y[i], 1e-9);
  }
  double v[M * N + N], jtw[M * N + N];
  for (int k = 0; k < M * N; k++)
    v[k] = vA[k], jtw[k] = dA[k];
  for (int j = 0; j < N; j++)
    v[M * N + j] = vx[j], jtw[M * N + j] = dx[j];
  dot_test("matvec", v, jtw, M * N + N, w, ty, M, 1e-9);
  return finish();
}
