/* fma_peak.c - the machine's measured fp32 FMA peak, the yardstick for
 * "% of peak" in the benchmarks.
 *
 * Each thread runs independent chains of vector FMAs on the widest vectors
 * the compiler targets (build with -O2 -march=native): enough chains to
 * cover the FMA latency times the number of FMA units, few enough to stay in
 * registers. Prints GFLOP/s of all threads together, best of 5 trials.
 *
 * Usage: fma_peak [THREADS]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
#define LANES 16
#define CHAINS 24
#elif defined(__AVX__)
#define LANES 8
#define CHAINS 12
#else
#define LANES 4
#define CHAINS 12
#endif

typedef float vec __attribute__((vector_size(LANES * sizeof(float))));

static const long kIterations = 20000000;
static volatile float sink;

static void *chains(void *arg) {
  (void)arg;
  vec acc[CHAINS];
  vec a = {0}, b = {0};
  for (int l = 0; l < LANES; ++l) {
    a[l] = 0.999999f;
    b[l] = 1e-6f;
  }
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = a * (float)c;
  for (long i = 0; i < kIterations; ++i) {
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = __builtin_elementwise_fma(acc[c], a, b);
    /* Keeps the chains in registers across iterations without spilling. */
    __asm__ volatile("" : "+x"(a), "+x"(b));
  }
  float total = 0;
  for (int c = 0; c < CHAINS; ++c)
    for (int l = 0; l < LANES; ++l)
      total += acc[c][l];
  sink = total;
  return NULL;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 1024) {
    fprintf(stderr, "fma_peak: THREADS must be 1 to 1024\n");
    return 2;
  }
  pthread_t *ids = malloc(sizeof(pthread_t) * threads);
  double best = 0;
  for (int trial = 0; trial < 5; ++trial) {
    double start = now();
    for (int t = 0; t < threads; ++t)
      pthread_create(&ids[t], NULL, chains, NULL);
    for (int t = 0; t < threads; ++t)
      pthread_join(ids[t], NULL);
    double seconds = now() - start;
    double flops = 2.0 * LANES * CHAINS * (double)kIterations * threads;
    if (flops / seconds > best)
      best = flops / seconds;
  }
  printf("%.1f\n", best / 1e9);
  free(ids);
  return 0;
}
