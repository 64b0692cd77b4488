/* rk4.c - RK4 on the Lotka-Volterra ODE (bench/kernels/rk4.py in C): d(x*y + x)/d(p, y0). */
#include "bench_c.h"

double __enzyme_autodiff(void *, ...);

static double fx(double x, double y, const double *p) { return p[0] * x - p[1] * x * y; }
static double fy(double x, double y, const double *p) { return p[2] * x * y - p[3] * y; }

double rk4(const double *p, const double *y0, double dt, long nsteps) {
  double x = y0[0], y = y0[1];
  for (long s = 0; s < nsteps; s++) {
    double k1x = fx(x, y, p), k1y = fy(x, y, p);
    double k2x = fx(x + 0.5 * dt * k1x, y + 0.5 * dt * k1y, p);
    double k2y = fy(x + 0.5 * dt * k1x, y + 0.5 * dt * k1y, p);
    double k3x = fx(x + 0.5 * dt * k2x, y + 0.5 * dt * k2y, p);
    double k3y = fy(x + 0.5 * dt * k2x, y + 0.5 * dt * k2y, p);
    double k4x = fx(x + dt * k3x, y + dt * k3y, p), k4y = fy(x + dt * k3x, y + dt * k3y, p);
    x = x + dt / 6.0 * (k1x + 2.0 * k2x + 2.0 * k3x + k4x);
    y = y + dt / 6.0 * (k1y + 2.0 * k2y + 2.0 * k3y + k4y);
  }
  return x * y + x;
}

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  open_files(argv[1], argv[2]);
  int runs = atoi(argv[3]);
  double *p = read_f64(4), *y0 = read_f64(2);
  double dt = read_scalar();
  long nsteps = (long)read_scalar();
  double dp[4], dy0[2];
  BENCH(runs, rk4(p, y0, dt, nsteps),
        (memset(dp, 0, sizeof dp), memset(dy0, 0, sizeof dy0),
         __enzyme_autodiff((void *)rk4, enzyme_dup, p, dp, enzyme_dup, y0, dy0, enzyme_const, dt,
                           enzyme_const, nsteps)));
  write_f64(dp, 4);
  write_f64(dy0, 2);
  fclose(out_file);
  return 0;
}
