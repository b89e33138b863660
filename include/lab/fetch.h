#ifndef LAB_FETCH_H
#define LAB_FETCH_H
/* The lab's snapshot of an account, read through the client on any
 * transport: the account's lists, then ItemsAPI's, CloudAcademyPlan's and
 * ItemsFunction's details, then (when asked) the lab's own requests: the
 * Lambda console's test events run with Invoke, and GET requests to the
 * dev and prod stages through the execute-api data plane. Requests of one
 * round are sent together, so a round costs one round trip. */
#include <cjson/cJSON.h>
#include <stdbool.h>

#include "client/client.h"
#include "core/err.h"
#include "lab/checks.h"
#include "transport/http.h"

/* A snapshot with the JSON it points into. */
typedef struct lab_data {
    lab_snapshot s;
    cJSON *root; /* owns every part, under the snapshot's member names */
} lab_data;

typedef struct lab_fetch_opts {
    /* Run the test events and call the stages. Off for backends without a
     * data plane or a Lambda runtime (moto_server): those checks skip. */
    bool probes;
    /* Stage requests as /restapis/{id}/{stage}/_user_request_/{path} (the
     * emulator, or an endpoint override); else to the stage's invoke URL
     * host, {id}.execute-api.{region}.amazonaws.com/{stage}/{path}. */
    bool path_style;
} lab_fetch_opts;

/* Returns 0 with *out filled (free with lab_data_free), or -1 with e set
 * when the account could not be read; *out then holds what was read (not
 * connected when the account's lists failed), still to be freed. Drives
 * the client's transport until done: for command-line use. */
int lab_fetch(client *cl, const lab_fetch_opts *o, lab_data *out, err *e);

/* The same without waiting, for the console's loop: done runs from
 * transport_process() once the last round is in, with the snapshot (d:
 * done takes what it holds and frees it with lab_data_free) and e set when
 * a read failed. Each round sends all its requests at once. */
typedef void (*lab_fetch_fn)(void *ud, lab_data *d, const err *e);
void lab_fetch_start(client *cl, const lab_fetch_opts *o, lab_fetch_fn done, void *ud);
void lab_data_free(lab_data *d);

/* --- the lab's own requests, for whoever sends them (also the guide) ------------ */
/* Probe p's request to stage p->stage of api_id, with LabKey's value key
 * (NULL: none) where the lab sends it; path_style as lab_fetch_opts. */
http_request *lab_probe_request(const lab_probe *p, const char *api_id, const char *region,
                                const char *key, bool path_style);
/* The answers as the snapshot keeps them (lab_snapshot's requests and
 * invokes): {"status", "body"} of a stage, {"StatusCode", "FunctionError",
 * "Payload"} of a test event, {"status", "error"} when none came. */
cJSON *lab_request_answer(const http_response *resp, const err *e);
cJSON *lab_invoke_answer(const cJSON *result, const err *e);

/* The account part of a snapshot (without invokes and requests), to
 * compare two states: a new JSON object the caller frees. */
cJSON *lab_data_state(const lab_data *d);

#endif
