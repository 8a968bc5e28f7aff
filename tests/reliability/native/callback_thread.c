/*
 * A thread that calls a function pointer `n` times, waiting a pseudo-random
 * 0..max_ns (busy, for precision) before each call: what a library's
 * notifier thread does, without the library. Built by
 * missed_wakeup_test.ts.
 */
#include <pthread.h>
#include <stdint.h>
#include <time.h>

static struct {
  void (*call)(void);
  uint32_t n, max_ns, late;
  uint64_t state;
  pthread_t thread;
} job;

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void *run(void *unused) {
  (void)unused;
  for (uint32_t i = 0; i < job.n; i++) {
    /* xorshift64: a fixed sequence of waits per seed. */
    job.state ^= job.state << 13;
    job.state ^= job.state >> 7;
    job.state ^= job.state << 17;
    uint64_t until = now_ns() + (job.max_ns ? job.state % job.max_ns : 0);
    while (now_ns() < until) {
    }
    uint64_t called = now_ns();
    job.call();
    if (now_ns() - called > 5000000u) job.late++;
  }
  return NULL;
}

/* Starts the thread (one per process); 0 when it runs. */
int callback_thread_start(void (*call)(void), uint32_t n, uint32_t max_ns,
                          uint32_t seed) {
  job.call = call;
  job.n = n;
  job.max_ns = max_ns;
  job.late = 0;
  job.state = (uint64_t)seed | 1;
  return pthread_create(&job.thread, NULL, run, NULL);
}

/* Waits for the thread to end (its last call returned, and it left the
 * caller's code); returns how many calls took over 5 ms to return. */
uint32_t callback_thread_join(void) {
  pthread_join(job.thread, NULL);
  return job.late;
}
