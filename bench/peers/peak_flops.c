// peak_flops.c - the machine's float32 multiply-add peak: independent chains of 256-bit (AVX2 + FMA)
// fused multiply-adds in registers, on 1 or 2 threads (OpenMP), as many flops as asked.
// usage: peak_flops THREADS REPS FLOPS   → prints one line per rep: milliseconds
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

static double now_ms(void) { return omp_get_wtime() * 1e3; }

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  int threads = atoi(argv[1]), reps = atoi(argv[2]);
  double flops = atof(argv[3]);
  // per iteration: 12 chains × 8 lanes × 2 flops; 12 independent accumulators cover FMA latency × 2 ports
  long iters = (long)(flops / (12.0 * 16.0) / threads);
  volatile float sink = 0;
  omp_set_num_threads(threads);
  for (int r = 0; r < reps; r++) {
    double t0 = now_ms();
#pragma omp parallel reduction(+ : sink)
    {
      __m256 a[12];
      __m256 x = _mm256_set1_ps(1.0000001f), y = _mm256_set1_ps(0.9999999f);
      for (int i = 0; i < 12; i++) a[i] = _mm256_set1_ps((float)i);
      for (long k = 0; k < iters; k++) {
        for (int i = 0; i < 12; i++) a[i] = _mm256_fmadd_ps(a[i], x, y);
      }
      __m256 s = a[0];
      for (int i = 1; i < 12; i++) s = _mm256_add_ps(s, a[i]);
      float out[8];
      _mm256_storeu_ps(out, s);
      sink += out[0];
    }
    printf("%.4f\n", now_ms() - t0);
    fflush(stdout);
  }
  return sink == 12345.0f;
}
