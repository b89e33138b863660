#ifndef TEST_CRED_FAKE_H
#define TEST_CRED_FAKE_H
/* A fake of the services behind the credential chain, on 127.0.0.1: STS
 * (POST /: AssumeRole and AssumeRoleWithWebIdentity), the SSO portal
 * (GET /federation/credentials), a container credentials endpoint (/creds)
 * and IMDSv2 (everything else). One request at a time, on its own thread;
 * STS answers can be held back to play a slow service. */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct cred_fake {
    int lfd, port, wake[2];
    pthread_t th;
    pthread_mutex_t mu; /* guards every field below while the fake runs */
    pthread_cond_t cv;
    int count;        /* every request */
    int unauthorized; /* requests answered 401 */
    int sts_calls, sso_calls;
    char last_sts[16384];  /* the last STS request, headers and body */
    char last_sso[4096];   /* the last SSO request */
    char trace[1024];      /* "METHOD path;" of each request */
    const int64_t *now_ms; /* the test's clock, for Expiration */
    const char *container_token;
    bool sts_deny;    /* answer every STS call 403 AccessDenied */
    int idp_failures; /* answer this many web identity calls IDPCommunicationError */
    bool hold;        /* keep STS answers back until released */
    bool held;        /* an STS request is being held */
} cred_fake;

/* 0, or -1 when no loopback socket could be opened. */
int cred_fake_start(cred_fake *f, const int64_t *now_ms);
void cred_fake_stop(cred_fake *f);
int cred_fake_count(cred_fake *f);
int cred_fake_sts_calls(cred_fake *f);
/* Hold STS answers back; wait (up to timeout_ms) until one is held; let go. */
void cred_fake_hold(cred_fake *f);
bool cred_fake_wait_held(cred_fake *f, int timeout_ms);
void cred_fake_release(cred_fake *f);

#endif
