/*
 * Prototype for bench/completion/prototype.ts: a thread that waits on the
 * library's completion queue and hands each batch of finished tickets to a
 * JavaScript function through a thread-safe Deno.UnsafeCallback, instead of
 * the one pending `nonblocking` opendal_queue_wait the module keeps today.
 * Not part of the module: it only measures what such a path would save.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>

typedef uint32_t (*wait_fn)(uint32_t queue, uint8_t *tickets, uint32_t cap,
                            int32_t timeout_ms);
typedef void (*batch_fn)(uint32_t count);

static wait_fn queue_wait;
static batch_fn on_batch;
static uint32_t queue;
static uint8_t *tickets;
static uint32_t cap;

static void *run(void *unused) {
  (void)unused;
  for (;;) {
    uint32_t n = queue_wait(queue, tickets, cap, -1);
    if (n == 0) return 0; /* the queue was closed */
    on_batch(n);          /* returns once JavaScript has taken the batch */
  }
}

/* Starts the thread on `q` of the library already loaded from `library`. */
int notifier_start(const char *library, uint32_t q, uint8_t *buffer,
                   uint32_t capacity, void *callback) {
  void *lib = dlopen(library, RTLD_NOW | RTLD_NOLOAD);
  if (!lib) return -1;
  queue_wait = (wait_fn)dlsym(lib, "opendal_queue_wait");
  if (!queue_wait) return -2;
  on_batch = (batch_fn)callback;
  queue = q;
  tickets = buffer;
  cap = capacity;
  pthread_t t;
  if (pthread_create(&t, 0, run, 0) != 0) return -3;
  pthread_detach(t);
  return 0;
}
