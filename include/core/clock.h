#ifndef CORE_CLOCK_H
#define CORE_CLOCK_H
/* Injectable wall clock and randomness, so that tests are deterministic. */
#include <stddef.h>
#include <stdint.h>

typedef struct clock_src {
    int64_t (*now_ms)(void *ctx); /* milliseconds since the Unix epoch */
    void *ctx;
} clock_src;

typedef struct rand_src {
    uint64_t (*next)(void *ctx); /* uniformly distributed 64-bit values */
    void *ctx;
} rand_src;

/* The real clock (CLOCK_REALTIME) and randomness (getrandom). */
clock_src clock_system(void);
rand_src rand_system(void);

/* A fixed clock that tests advance by hand. */
typedef struct fake_clock {
    int64_t ms;
} fake_clock;
clock_src clock_fake(fake_clock *fc);

/* A seeded xorshift generator: the same seed gives the same ids. */
typedef struct seeded_rand {
    uint64_t state;
} seeded_rand;
rand_src rand_seeded(seeded_rand *sr, uint64_t seed);

int64_t clock_now_ms(const clock_src *c);
uint64_t rand_u64(const rand_src *r);
/* n random characters from alphabet into out (out gets n+1 bytes). */
void rand_chars(const rand_src *r, const char *alphabet, size_t n, char *out);

/* Monotonic milliseconds, for latencies and timeouts (never injectable). */
int64_t clock_mono_ms(void);
/* The same in microseconds, for measuring short work. */
int64_t clock_mono_us(void);

#endif
