/* black_scholes.c - summed Black-Scholes call prices (bench/kernels/black_scholes.py in C):
 * gradient with respect to S, K, T, sigma (arrays) and r (returned). */
#include "bench_c.h"

double __enzyme_autodiff(void *, ...);

double black_scholes(const double *S, const double *K, const double *T, const double *sigma,
                     double r, long n) {
  double total = 0.0;
  for (long i = 0; i < n; i++) {
    double sq = sigma[i] * sqrt(T[i]);
    double d1 = (log(S[i] / K[i]) + (r + 0.5 * sigma[i] * sigma[i]) * T[i]) / sq;
    double d2 = d1 - sq;
    double nd1 = 0.5 * (1.0 + erf(d1 / sqrt(2.0)));
    double nd2 = 0.5 * (1.0 + erf(d2 / sqrt(2.0)));
    total += S[i] * nd1 - K[i] * exp(-r * T[i]) * nd2;
  }
  return total;
}

int main(int argc, char **argv) {
  if (argc < 5) return 2;
  open_files(argv[1], argv[2]);
  int runs = atoi(argv[3]);
  long n = atol(argv[4]);
  double *S = read_f64(n), *K = read_f64(n), *T = read_f64(n), *sigma = read_f64(n);
  double r = read_scalar();
  double *dS = calloc(n, sizeof(double)), *dK = calloc(n, sizeof(double)),
         *dT = calloc(n, sizeof(double)), *dsigma = calloc(n, sizeof(double));
  double dr = 0.0;
  BENCH(runs, black_scholes(S, K, T, sigma, r, n),
        (memset(dS, 0, n * sizeof(double)), memset(dK, 0, n * sizeof(double)),
         memset(dT, 0, n * sizeof(double)), memset(dsigma, 0, n * sizeof(double)),
         dr = __enzyme_autodiff((void *)black_scholes, enzyme_dup, S, dS, enzyme_dup, K, dK,
                                enzyme_dup, T, dT, enzyme_dup, sigma, dsigma, enzyme_out, r,
                                enzyme_const, n)));
  write_f64(dS, n);
  write_f64(dK, n);
  write_f64(dT, n);
  write_f64(dsigma, n);
  write_f64(&dr, 1);
  fclose(out_file);
  return 0;
}
