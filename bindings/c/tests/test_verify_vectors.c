/* iamauth_verify2 against every case of tests/vectors/verify.json (turned into
 * verify_vectors.inc by gen_verify_vectors.py): the token, the keys-file text (its keys' `users`
 * and `hosts` grants included), the expectations (the action too) and the clock give the identity
 * or the code. Prints "N passed, N failed" last; exits 1 on any
 * failure.
 *
 * A case C cannot express is skipped by a named rule, and counted:
 *   - "port 0 is any": iamauth_expect.port == 0 means "any port", so an expected port of 0
 *     cannot be asked for (Rust, the CLI, Python, Java and JS pass it and get INVALID_PORT).
 *
 * Build: cc -I include tests/test_verify_vectors.c -I BUILD_DIR -L LIBDIR -liamauth */
/* iamauth_verify (the first function, views into the token) is run on every case too: it must
 * agree with iamauth_verify2 where the token is its own text, and refuse EKS and MSK tokens.
 *
 * Build: see above. */
#include "iamauth.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct vstr {
    const char *p; /* NULL when absent (JSON null or no such expectation) */
    size_t n;
} vstr;

typedef struct vverify {
    vstr name, token, keys;
    vstr host;
    bool has_port;
    int64_t port;
    vstr user, action_e, region, service;
    bool has_skew;
    int64_t skew;
    int64_t now;
    vstr cluster; /* expect.cluster (EKS) */
    const char *code; /* the refusal's code name; NULL: the identity below */
    int kind;
    vstr access_key_id, id_user, action, id_host;
    int64_t id_port; /* 0: none */
    vstr id_region, id_service;
    int64_t signed_at, expires_at;
} vverify;

#include "verify_vectors.inc"

#include "check.h"

static int skipped;

static bool same(const char *a, size_t an, const vstr *b) {
    return b->p != NULL && an == b->n && (an == 0 || memcmp(a, b->p, an) == 0);
}

/* A heap copy of exactly the bytes, so ASan and valgrind see any read past them. */
static char *copy(const vstr *s) {
    if (s->p == NULL) return NULL;
    char *p = malloc(s->n ? s->n : 1);
    if (p != NULL && s->n) memcpy(p, s->p, s->n);
    return p;
}

static void run_case(const vverify *c) {
    const char *name = c->name.p;
    if (c->has_port && c->port == 0) {
        skipped++;
        printf("SKIPPED %s: port 0 is any\n", name);
        return;
    }
    char *token = copy(&c->token);
    char *keys = copy(&c->keys);
    char *host = copy(&c->host);
    char *user_e = copy(&c->user);
    char *action = copy(&c->action_e);
    char *region = copy(&c->region);
    char *service = copy(&c->service);
    iamauth_expect e = {host,          c->host.n,    c->has_port ? c->port : 0,
                        user_e,        c->user.n,    action,
                        c->action_e.n, region,       c->region.n,
                        service,       c->service.n, c->has_skew,
                        c->has_skew ? c->skew : 0};
    char *cluster = copy(&c->cluster);
    iamauth_identity id;
    char user[1024];
    size_t ulen = 0;
    /* The text verified: never longer than the token. */
    char *text = malloc(c->token.n + 1);
    size_t tlen = 0;
    iamauth_str message = {NULL, 0};
    iamauth_result r = iamauth_verify2(token, c->token.n, keys, c->keys.n, &e, cluster,
                                       c->cluster.n, c->now, &id, text, c->token.n + 1, &tlen,
                                       user, sizeof user, &ulen, &message);
    /* iamauth_verify: the same outcome where the token is its own text, else a refusal. */
    char *decoded = malloc(c->token.n + 1);
    size_t dlen = 0;
    iamauth_result dr = iamauth_decode_token(token, c->token.n, decoded, c->token.n + 1, &dlen, NULL);
    bool plain = dr == IAMAUTH_OK && dlen == c->token.n && memcmp(decoded, token, dlen) == 0;
    iamauth_identity id1;
    size_t ulen1 = 0;
    char user1[1024];
    iamauth_result r1 = iamauth_verify(token, c->token.n, keys, c->keys.n, &e, c->now, &id1, user1,
                                       sizeof user1, &ulen1, NULL);
    if (plain || dr != IAMAUTH_OK) {
        CHECK(r1 == r, "%s: iamauth_verify %s, iamauth_verify2 %s", name, iamauth_result_name(r1),
              iamauth_result_name(r));
    } else { /* EKS, MSK: refused (or an earlier check of the keys file failed the same way) */
        CHECK(r1 == IAMAUTH_MALFORMED_TOKEN || r1 == r, "%s: iamauth_verify of an encoded token: %s",
              name, iamauth_result_name(r1));
    }
    free(decoded);
    /* The views point into `text`, not the token: freed before they are read. */
    free(token);
    token = NULL;
    if (c->code != NULL) {
        CHECK(strcmp(iamauth_result_name(r), c->code) == 0, "%s: got %s, want %s", name,
              iamauth_result_name(r), c->code);
        CHECK(message.data != NULL && message.len > 0, "%s: no message", name);
    } else {
        CHECK(r == IAMAUTH_OK, "%s: got %s (%.*s)", name, iamauth_result_name(r),
              message.data ? (int)message.len : 0, message.data ? message.data : "");
        if (r == IAMAUTH_OK) {
            CHECK(tlen <= c->token.n && text[tlen] == '\0', "%s: text length %zu", name, tlen);
            CHECK((int)id.kind == c->kind, "%s: kind %d", name, (int)id.kind);
            CHECK(same(id.access_key_id.data, id.access_key_id.len, &c->access_key_id),
                  "%s: access key id", name);
            if (c->id_user.p == NULL) {
                CHECK(!id.has_user && ulen == 0, "%s: a user where none is", name);
            } else {
                CHECK(id.has_user && same(user, ulen, &c->id_user), "%s: user %.*s", name,
                      (int)ulen, user);
            }
            CHECK(same(id.action.data, id.action.len, &c->action), "%s: action", name);
            CHECK(same(id.host.data, id.host.len, &c->id_host), "%s: host %.*s", name,
                  (int)id.host.len, id.host.data);
            CHECK((int64_t)id.port == c->id_port, "%s: port %u", name, (unsigned)id.port);
            CHECK(same(id.region.data, id.region.len, &c->id_region), "%s: region", name);
            CHECK(same(id.service.data, id.service.len, &c->id_service), "%s: service", name);
            CHECK(id.signed_at == c->signed_at && id.expires_at == c->expires_at,
                  "%s: times %" PRId64 " %" PRId64, name, id.signed_at, id.expires_at);
        }
    }
    free(text);
    free(cluster);
    free(token);
    free(keys);
    free(host);
    free(user_e);
    free(action);
    free(region);
    free(service);
}

int main(void) {
    CHECK(COUNT(VERIFY_CASES) > 0, "verify.json has no cases");
    for (size_t i = 0; i < COUNT(VERIFY_CASES); i++) run_case(&VERIFY_CASES[i]);
    printf("verify vectors: %zu (%d skipped by a named rule)\n", COUNT(VERIFY_CASES), skipped);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
