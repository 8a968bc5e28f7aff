/*
 * A plain C program over the generated header: writes, reads, stats and
 * lists through the memory service, and checks every result. It proves the
 * C API stands on its own, without Deno. `churn` then opens, uses and closes
 * many objects and makes hostile calls, for the valgrind run.
 *
 * Build and run: tests/c/run.sh [--valgrind]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opendal_deno.h"

static int failures = 0;

#define CHECK(cond, ...)                                    \
  do {                                                      \
    if (!(cond)) {                                          \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                         \
      fprintf(stderr, "\n");                                \
      failures++;                                           \
    }                                                       \
  } while (0)

/* A call input: tagged fields [u8 tag][u32 LE length][bytes]. */
typedef struct {
  uint8_t bytes[1024];
  uint32_t len;
} input_t;

static void put_field(input_t *in, uint8_t tag, const void *value, uint32_t n) {
  in->bytes[in->len++] = tag;
  memcpy(in->bytes + in->len, &n, 4); /* x86-64 and arm64 are little-endian */
  in->len += 4;
  memcpy(in->bytes + in->len, value, n);
  in->len += n;
}

static void put_str(input_t *in, uint8_t tag, const char *s) {
  put_field(in, tag, s, (uint32_t)strlen(s));
}

static void put_bool(input_t *in, uint8_t tag, int b) {
  uint8_t v = b ? 1 : 0;
  put_field(in, tag, &v, 1);
}

/* Reads a result record. */
typedef struct {
  const uint8_t *p;
} record_t;

static uint32_t rd_u32(record_t *r) {
  uint32_t v;
  memcpy(&v, r->p, 4);
  r->p += 4;
  return v;
}

static double rd_f64(record_t *r) {
  double v;
  memcpy(&v, r->p, 8);
  r->p += 8;
  return v;
}

/* Copies a string field into buf (empty when absent). */
static void rd_str(record_t *r, char *buf, size_t cap) {
  uint32_t n = rd_u32(r);
  if (n == UINT32_MAX) {
    buf[0] = 0;
    return;
  }
  size_t k = n < cap - 1 ? n : cap - 1;
  memcpy(buf, r->p, k);
  buf[k] = 0;
  r->p += n;
}

/* Metadata record: mode, is_current, is_deleted, length, last_modified,
 * seven optional strings, then user metadata pairs. Returns the length. */
static double rd_metadata(record_t *r, uint8_t *mode) {
  char skip[256];
  *mode = *r->p;
  r->p += 3;
  double length = rd_f64(r);
  rd_f64(r);
  for (int i = 0; i < 7; i++) rd_str(r, skip, sizeof skip);
  uint32_t pairs = rd_u32(r);
  for (uint32_t i = 0; i < 2 * pairs; i++) rd_str(r, skip, sizeof skip);
  return length;
}

static void print_error(const char *what, int32_t status, const uint8_t *out) {
  record_t r = {out + 4};
  char msg[512];
  rd_str(&r, msg, sizeof msg);
  fprintf(stderr, "%s failed with status %d: %s\n", what, status, msg);
}

/* Opens and closes many objects, submits work on tickets and drains it, and
 * makes a few hostile calls: under valgrind (run.sh --valgrind) this is
 * where a leak or a bad access in the C API would show. */
static void churn(opendal_handle q) {
  uint8_t out[4096];
  input_t in = {0};
  record_t r;
  double base = opendal_handle_count();
  for (int i = 0; i < 50; i++) {
    in.len = 0;
    put_str(&in, OPENDAL_TAG_SCHEME, "memory");
    int32_t s = opendal_operator_new(in.bytes, in.len, q, 0, out, sizeof out);
    CHECK(s == OPENDAL_OK, "churn new: %d", s);
    r.p = out;
    opendal_handle op = rd_f64(&r);
    char big[3000];
    memset(big, 'z', sizeof big);
    in.len = 0;
    put_str(&in, OPENDAL_TAG_PATH, "f");
    s = opendal_operator_write(op, in.bytes, in.len, (const uint8_t *)big, sizeof big, q, 0, out, sizeof out);
    CHECK(s == OPENDAL_OK, "churn write: %d", s);

    /* reader, writer and lister, each used then closed */
    s = opendal_operator_reader(op, in.bytes, in.len, q, 0, out, sizeof out);
    CHECK(s == OPENDAL_OK, "churn reader: %d", s);
    r.p = out;
    opendal_handle reader = rd_f64(&r);
    /* 3000 bytes do not fit a 64-byte out: they wait under ticket 3 */
    s = opendal_reader_read(reader, 0, -1, q, 3, out, OPENDAL_MIN_OUT);
    CHECK(s == OPENDAL_OK, "churn reader_read: %d", s);
    r.p = out;
    double n = rd_f64(&r);
    CHECK(n == sizeof big, "churn read length %f", n);
    s = opendal_queue_take(q, 3, (uint8_t *)big, n);
    CHECK(s == OPENDAL_OK, "churn take: %d", s);
    CHECK(opendal_close(reader) == OPENDAL_OK, "churn close reader");

    in.len = 0;
    put_str(&in, OPENDAL_TAG_PATH, "w");
    s = opendal_operator_writer(op, in.bytes, in.len, q, 0, out, sizeof out);
    CHECK(s == OPENDAL_OK, "churn writer: %d", s);
    r.p = out;
    opendal_handle writer = rd_f64(&r);
    s = opendal_writer_write(writer, (const uint8_t *)"abc", 3, q, 0, out, sizeof out);
    CHECK(s == OPENDAL_OK, "churn writer_write: %d", s);
    /* every other writer is abandoned unclosed: closing the handle frees it */
    if (i % 2 == 0) {
      s = opendal_writer_close(writer, q, 0, out, sizeof out);
      CHECK(s == OPENDAL_OK, "churn writer_close: %d", s);
    }
    CHECK(opendal_close(writer) == OPENDAL_OK, "churn close writer");

    in.len = 0;
    put_str(&in, OPENDAL_TAG_PATH, "");
    s = opendal_operator_lister(op, in.bytes, in.len, q, 0, out, sizeof out);
    CHECK(s == OPENDAL_OK, "churn lister: %d", s);
    r.p = out;
    opendal_handle lister = rd_f64(&r);
    s = opendal_lister_next(lister, 1, q, 0, out, sizeof out);
    CHECK(s == OPENDAL_OK, "churn lister_next: %d", s);
    CHECK(opendal_close(lister) == OPENDAL_OK, "churn close lister");

    /* the info record does not fit 64 bytes: HELD, then taken */
    s = opendal_operator_info(op, q, 4, out, OPENDAL_MIN_OUT);
    CHECK(s == OPENDAL_HELD, "churn info: %d", s);
    r.p = out;
    double size = rd_f64(&r);
    uint8_t *info = malloc((size_t)size);
    CHECK(opendal_queue_take(q, 4, info, size) == OPENDAL_OK, "churn info take");
    free(info);

    /* async stats on tickets, some collected, some released, one cancelled */
    in.len = 0;
    put_str(&in, OPENDAL_TAG_PATH, "f");
    for (uint32_t t = 10; t < 20; t++) {
      s = opendal_operator_stat(op, in.bytes, in.len, q, t, out, sizeof out);
      CHECK(s == OPENDAL_OK || s == OPENDAL_PENDING, "churn async stat: %d", s);
    }
    opendal_queue_cancel(q, 19);
    uint8_t tickets[64];
    while (opendal_queue_wait(q, tickets, 16, 0) > 0) {
    }
    for (uint32_t t = 10; t < 20; t++) {
      if (t % 2) opendal_queue_release(q, t);
      else opendal_queue_outcome(q, t, out, sizeof out);
      opendal_queue_release(q, t);
    }

    /* hostile calls: each returns its status and leaks nothing */
    CHECK(opendal_operator_stat(op, NULL, 5, q, 0, out, sizeof out) == OPENDAL_CONFIG_INVALID, "null input");
    CHECK(opendal_operator_stat(op, in.bytes, in.len, q, 0, NULL, 0) == OPENDAL_BAD_OUT, "null out");
    CHECK(opendal_operator_stat(3735928559.0, in.bytes, in.len, q, 0, out, sizeof out) == OPENDAL_CONFIG_INVALID, "forged");
    CHECK(opendal_reader_read(reader, 0, 1, q, 0, out, sizeof out) == OPENDAL_CONFIG_INVALID, "closed reader");
    CHECK(opendal_operator_write(op, in.bytes, in.len, (const uint8_t *)big, 1e300, q, 0, out, sizeof out) ==
              OPENDAL_CONFIG_INVALID, "huge data length");
    CHECK(opendal_queue_take(q, 99, (uint8_t *)big, 4294967295.0) == OPENDAL_CONFIG_INVALID, "take unknown");
    CHECK(opendal_close(op) == OPENDAL_OK, "churn close op");
  }
  CHECK(opendal_handle_count() == base, "handles leaked: %f -> %f", base, opendal_handle_count());
}

int main(void) {
  uint8_t out[4096];
  CHECK(opendal_abi_version() == OPENDAL_ABI_VERSION, "ABI version %u", opendal_abi_version());
  opendal_handle q = opendal_queue_new();
  CHECK(q != 0, "queue_new");
  /* every handle carries this library instance's tag in bits 32..52 */
  CHECK((double)((uint64_t)q >> 32) == opendal_instance(), "queue handle %f of instance %f", q, opendal_instance());

  /* new("memory") */
  input_t in = {0};
  put_str(&in, OPENDAL_TAG_SCHEME, "memory");
  int32_t s = opendal_operator_new(in.bytes, in.len, q, 0, out, sizeof out);
  if (s != OPENDAL_OK) print_error("new", s, out);
  CHECK(s == OPENDAL_OK, "operator_new");
  record_t r = {out};
  opendal_handle op = rd_f64(&r);

  /* write dir/hello.txt */
  const char *text = "hello from C";
  in.len = 0;
  put_str(&in, OPENDAL_TAG_PATH, "dir/hello.txt");
  s = opendal_operator_write(op, in.bytes, in.len, (const uint8_t *)text,
                             (double)strlen(text), q, 0, out, sizeof out);
  CHECK(s == OPENDAL_OK, "write: %d", s);

  /* read it back: the record has the length and an inline flag; small
     results follow in out, larger ones wait under ticket 0 for a take */
  in.len = 0;
  put_str(&in, OPENDAL_TAG_PATH, "dir/hello.txt");
  s = opendal_operator_read(op, in.bytes, in.len, q, 0, out, sizeof out);
  CHECK(s == OPENDAL_OK, "read: %d", s);
  r.p = out;
  double len = rd_f64(&r);
  CHECK(len == (double)strlen(text), "read length %f", len);
  uint32_t inline_bytes = rd_u32(&r);
  char data[64] = {0};
  if (inline_bytes) {
    memcpy(data, r.p, (size_t)len);
  } else {
    s = opendal_queue_take(q, 0, (uint8_t *)data, len);
    CHECK(s == OPENDAL_OK, "take: %d", s);
  }
  CHECK(strcmp(data, text) == 0, "read back '%s'", data);

  /* stat */
  in.len = 0;
  put_str(&in, OPENDAL_TAG_PATH, "dir/hello.txt");
  s = opendal_operator_stat(op, in.bytes, in.len, q, 0, out, sizeof out);
  CHECK(s == OPENDAL_OK, "stat: %d", s);
  r.p = out;
  uint8_t mode;
  double size = rd_metadata(&r, &mode);
  CHECK(mode == 1 && size == (double)strlen(text), "stat mode %d size %f", mode, size);

  /* stat of a missing path: NotFound, with a message */
  in.len = 0;
  put_str(&in, OPENDAL_TAG_PATH, "missing");
  s = opendal_operator_stat(op, in.bytes, in.len, q, 0, out, sizeof out);
  CHECK(s == OPENDAL_NOT_FOUND, "stat missing: %d", s);

  /* list dir/ recursively through a lister */
  in.len = 0;
  put_str(&in, OPENDAL_TAG_PATH, "dir/");
  put_bool(&in, OPENDAL_TAG_RECURSIVE, 1);
  s = opendal_operator_lister(op, in.bytes, in.len, q, 0, out, sizeof out);
  CHECK(s == OPENDAL_OK, "lister: %d", s);
  r.p = out;
  opendal_handle lister = rd_f64(&r);
  int found = 0;
  for (int done = 0; !done;) {
    s = opendal_lister_next(lister, 100, q, 0, out, sizeof out);
    CHECK(s == OPENDAL_OK, "lister_next: %d", s);
    if (s != OPENDAL_OK) break;
    r.p = out;
    uint32_t count = rd_u32(&r);
    done = rd_u32(&r);
    for (uint32_t i = 0; i < count; i++) {
      char path[256];
      rd_str(&r, path, sizeof path);
      rd_metadata(&r, &mode);
      if (strcmp(path, "dir/hello.txt") == 0) found++;
    }
  }
  CHECK(found == 1, "listed dir/hello.txt %d times", found);

  /* an asynchronous stat on ticket 7 through the queue */
  in.len = 0;
  put_str(&in, OPENDAL_TAG_PATH, "dir/hello.txt");
  s = opendal_operator_stat(op, in.bytes, in.len, q, 7, out, sizeof out);
  if (s == OPENDAL_PENDING) {
    uint8_t tickets[16];
    int32_t n = opendal_queue_wait(q, tickets, 4, 5000);
    CHECK(n == 1, "wait returned %d", n);
    s = opendal_queue_outcome(q, 7, out, sizeof out);
  }
  CHECK(s == OPENDAL_OK, "async stat: %d", s);

  /* closed and wrong-kind handles fail cleanly */
  CHECK(opendal_close(lister) == OPENDAL_OK, "close lister");
  s = opendal_lister_next(lister, 1, q, 0, out, sizeof out);
  CHECK(s == OPENDAL_CONFIG_INVALID, "stale lister: %d", s);
  s = opendal_lister_next(op, 1, q, 0, out, sizeof out);
  CHECK(s == OPENDAL_CONFIG_INVALID, "operator as lister: %d", s);
  CHECK(opendal_close(op) == OPENDAL_OK, "close operator");
  CHECK(opendal_close(op) == OPENDAL_CONFIG_INVALID, "double close");
  CHECK(opendal_handle_count() == 1.0, "only the queue is left: %f", opendal_handle_count());
  churn(q);
  CHECK(opendal_close(q) == OPENDAL_OK, "close queue");

  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("C API: all checks passed\n");
  return 0;
}
