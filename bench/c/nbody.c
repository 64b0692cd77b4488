/* nbody.c - softened potential energy of N bodies (bench/kernels/nbody.py in C): dE/dpos. */
#include "bench_c.h"

double __enzyme_autodiff(void *, ...);

double nbody(const double *pos, const double *mass, double eps, long n) {
  double e = 0.0;
  for (long i = 0; i < n; i++)
    for (long j = i + 1; j < n; j++) {
      double dx = pos[3 * i] - pos[3 * j], dy = pos[3 * i + 1] - pos[3 * j + 1],
             dz = pos[3 * i + 2] - pos[3 * j + 2];
      e -= mass[i] * mass[j] / sqrt(dx * dx + dy * dy + dz * dz + eps * eps);
    }
  return e;
}

int main(int argc, char **argv) {
  if (argc < 5) return 2;
  open_files(argv[1], argv[2]);
  int runs = atoi(argv[3]);
  long n = atol(argv[4]);
  double *pos = read_f64(3 * n), *mass = read_f64(n);
  double eps = read_scalar();
  double *dpos = calloc(3 * n, sizeof(double));
  BENCH(runs, nbody(pos, mass, eps, n),
        (memset(dpos, 0, 3 * n * sizeof(double)),
         __enzyme_autodiff((void *)nbody, enzyme_dup, pos, dpos, enzyme_const, mass,
                           enzyme_const, eps, enzyme_const, n)));
  write_f64(dpos, 3 * n);
  fclose(out_file);
  return 0;
}
