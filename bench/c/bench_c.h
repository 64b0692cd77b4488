/* bench_c.h - helpers shared by the C benchmark programs (bench/c/NAME.c).
 *
 * Each program is compiled with clang-22 -O2 to LLVM IR, run through enzpy-opt (which replaces
 * the __enzyme_autodiff calls by the synthesized gradients) and linked:
 *
 *   clang-22 -O2 -S -emit-llvm prog.c -o prog.ll && enzpy-opt prog.ll -o out.ll
 *   clang-22 -O2 out.ll -lm -o prog
 *   ./prog IN.bin OUT.bin RUNS SIZE...
 *
 * IN.bin holds the inputs written by bench/run.py (raw float64 / int64, in argument order);
 * the program writes the gradient (float64, in argument order) to OUT.bin, so that run.py can
 * compare it with the other implementations, and prints one line:
 *   primal_s=<median seconds> grad_s=<median seconds> runs=<n> value=<primal value>
 */
#ifndef ENZPY_BENCH_C_H
#define ENZPY_BENCH_C_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern int enzyme_dup, enzyme_const, enzyme_out;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *t, int n) {
  qsort(t, n, sizeof *t, cmp_double);
  return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

static FILE *in_file, *out_file;

static void open_files(const char *in, const char *out) {
  in_file = fopen(in, "rb");
  out_file = fopen(out, "wb");
  if (!in_file || !out_file) {
    fprintf(stderr, "cannot open %s or %s\n", in, out);
    exit(2);
  }
}

static double *read_f64(long n) {
  double *p = malloc(n * sizeof *p);
  if ((long)fread(p, sizeof *p, n, in_file) != n) {
    fprintf(stderr, "short input\n");
    exit(2);
  }
  return p;
}

static double read_scalar(void) {
  double v;
  if (fread(&v, sizeof v, 1, in_file) != 1) {
    fprintf(stderr, "short input\n");
    exit(2);
  }
  return v;
}

static void write_f64(const double *p, long n) { fwrite(p, sizeof *p, n, out_file); }

/* Times RUNS calls of PRIMAL_EXPR and GRAD_STMT (after one warm-up call of each). */
volatile double bench_sink;
#define BENCH(RUNS, PRIMAL_EXPR, GRAD_STMT)                                                  \
  do {                                                                                       \
    double *tp_ = malloc((RUNS) * sizeof(double)), *tg_ = malloc((RUNS) * sizeof(double));   \
    double value_ = (PRIMAL_EXPR);                                                           \
    GRAD_STMT;                                                                               \
    for (int r_ = 0; r_ < (RUNS); r_++) {                                                    \
      double t0_ = now_s();                                                                  \
      bench_sink = (PRIMAL_EXPR);                                                            \
      tp_[r_] = now_s() - t0_;                                                               \
    }                                                                                        \
    for (int r_ = 0; r_ < (RUNS); r_++) {                                                    \
      double t0_ = now_s();                                                                  \
      GRAD_STMT;                                                                             \
      tg_[r_] = now_s() - t0_;                                                               \
    }                                                                                        \
    printf("primal_s=%.9g grad_s=%.9g runs=%d value=%.17g\n", median(tp_, (RUNS)),           \
           median(tg_, (RUNS)), (RUNS), value_);                                             \
  } while (0)

#endif
