#include "core/clock.h"

#include <string.h>
#include <sys/random.h>
#include <time.h>

static int64_t system_now(void *ctx) {
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t system_rand(void *ctx) {
    (void)ctx;
    uint64_t v = 0;
    if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v) {
        /* getrandom on Linux does not fail for 8 bytes once the pool is
         * initialised; fall back to time mixing rather than stopping. */
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        v = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)ts.tv_sec;
    }
    return v;
}

clock_src clock_system(void) { return (clock_src){system_now, NULL}; }
rand_src rand_system(void) { return (rand_src){system_rand, NULL}; }

static int64_t fake_now(void *ctx) { return ((fake_clock *)ctx)->ms; }
clock_src clock_fake(fake_clock *fc) { return (clock_src){fake_now, fc}; }

static uint64_t seeded_next(void *ctx) {
    seeded_rand *sr = ctx;
    /* xorshift64* */
    uint64_t x = sr->state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    sr->state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

rand_src rand_seeded(seeded_rand *sr, uint64_t seed) {
    sr->state = seed ? seed : 0x853c49e6748fea9bull;
    return (rand_src){seeded_next, sr};
}

int64_t clock_now_ms(const clock_src *c) { return c->now_ms(c->ctx); }
uint64_t rand_u64(const rand_src *r) { return r->next(r->ctx); }

void rand_chars(const rand_src *r, const char *alphabet, size_t n, char *out) {
    size_t k = strlen(alphabet);
    for (size_t i = 0; i < n; i++) out[i] = alphabet[rand_u64(r) % k];
    out[n] = '\0';
}

int64_t clock_mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_mono_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
