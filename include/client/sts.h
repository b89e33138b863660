#ifndef CLIENT_STS_H
#define CLIENT_STS_H
/* AWS STS GetCallerIdentity: the account and identity the credentials
 * belong to, for the console's status line. STS speaks the query protocol
 * (a form-encoded POST, XML answers), not rest-json, so the request goes
 * straight to the client's transport rather than through client_call; the
 * transport signs it for "sts" and picks the endpoint
 * aws_endpoint_resolve("sts", ...) gives. */
#include <cjson/cJSON.h>
#include <stddef.h>

#include "client/client.h"
#include "core/err.h"
#include "transport/http.h"

/* done gets {"Account", "Arn", "UserId"} (all strings), or the error STS
 * sent (code and message from its <ErrorResponse>) or a transport failure
 * (status 0). Returns ud, as the typed operations do. */
void *sts_get_caller_identity(client *c, client_done_fn done, void *ud);

/* sts_get_caller_identity, waiting for the answer: 0 with *out (caller
 * frees) or -1 with e set. */
int sts_get_caller_identity_sync(client *c, cJSON **out, err *e);

/* --- the pieces, for tests -------------------------------------------------- */

/* The text of the first element named tag in xml[0..len) (attributes
 * allowed, no nesting of the same name), with the five predefined entities
 * and numeric character references unescaped: malloc'd, or NULL when there
 * is no such element. */
char *sts_xml_text(const char *xml, size_t len, const char *tag);

/* An STS answer → 0 with *out = {"Account", "Arn", "UserId"}, or -1 with e:
 * the <Error> of an error answer (status, Code, Message; a JSON error body
 * is understood too), or MalformedResponse for a 2xx without an Account. */
int sts_parse_identity(const http_response *resp, cJSON **out, err *e);

#endif
