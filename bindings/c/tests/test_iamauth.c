/* Tests of the iamauth C ABI, from C: every shared vector (tests/vectors, turned into
 * vectors.inc by gen_vectors.py), NULL arguments, invalid UTF-8, buffer sizes, IAMAUTH_NOW,
 * inspection, verification (every refusal, malformed expectations, borrowed views), the core's
 * defaults, the region read from the host, the refresh and reuse rules, credentials from the
 * environment, and 8 threads at once. Prints "N passed, N failed" last; exits 1 on any failure.
 *
 * Build: cc -I include tests/test_iamauth.c -I BUILD_DIR -L LIBDIR -liamauth -lpthread -ldl -lm */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */
#include "iamauth.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct vstr {
    const char *p; /* NULL for JSON null */
    size_t n;
} vstr;

enum { V_RDS, V_DSQL, V_ELASTICACHE };

typedef struct vcase {
    const char *id;
    int kind;
    vstr access_key_id, secret_access_key, session_token, region, host, user, action, name, service;
    int64_t time, expires_in, port;
    bool serverless;
    vstr token;        /* expected token (token cases) */
    const char *error; /* expected error code name (error cases) */
} vcase;

/* tests/vectors/eks.json: a token case (token, expiration) or an error case (error). */
typedef struct ekscase {
    const char *id;
    vstr access_key_id, secret_access_key, session_token, cluster, region, sts_endpoint;
    int64_t time;
    vstr token, expiration; /* expiration: RFC 3339, as awscli writes it */
    const char *error;
} ekscase;

/* tests/vectors/msk.json: cases, errors, js_cases (signature and expiry only). */
typedef struct mskcase {
    const char *id;
    vstr access_key_id, secret_access_key, session_token, region, user_agent;
    int64_t time, expires_in;
    vstr token, signature;
    int64_t expiry_ms;
    const char *error;
} mskcase;

#include "vectors.inc"

#include "check.h"


#define CHECK_RESULT(r, want, what)                                           \
    CHECK((r) == (want), "%s: got %s, want %s", (what), iamauth_result_name(r), \
          iamauth_result_name(want))

static iamauth_credentials creds_of(const vcase *c) {
    iamauth_credentials k = {c->access_key_id.p,     c->access_key_id.n, c->secret_access_key.p,
                             c->secret_access_key.n, c->session_token.p, c->session_token.n};
    return k;
}

/* One vector through the C API (dsql: the action text through iamauth_dsql_action first). */
static iamauth_result make(const vcase *c, int64_t time, char *buf, size_t cap, size_t *len,
                           iamauth_str *message) {
    iamauth_credentials k = creds_of(c);
    switch (c->kind) {
    case V_RDS:
        return iamauth_rds_token(c->host.p, c->host.n, c->port, c->user.p, c->user.n, c->region.p,
                                 c->region.n, c->expires_in, time, &k, buf, cap, len, message);
    case V_DSQL: {
        bool admin = false;
        iamauth_result r = iamauth_dsql_action(c->action.p, c->action.n, &admin, message);
        if (r != IAMAUTH_OK) return r;
        return iamauth_dsql_token(c->host.p, c->host.n, c->region.p, c->region.n, admin,
                                  c->expires_in, time, &k, buf, cap, len, message);
    }
    default:
        return iamauth_elasticache_token(c->name.p, c->name.n, c->user.p, c->user.n, c->region.p,
                                         c->region.n, c->serverless, c->service.p, c->service.n,
                                         c->expires_in, time, &k, buf, cap, len, message);
    }
}

static bool same(const char *a, size_t an, const char *b, size_t bn) {
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static void test_token_vectors(void) {
    char buf[16384];
    for (size_t i = 0; i < COUNT(TOKEN_CASES); i++) {
        const vcase *c = &TOKEN_CASES[i];
        size_t len = 0;
        iamauth_str message = {NULL, 0};
        iamauth_result r = make(c, c->time, buf, sizeof buf, &len, &message);
        CHECK_RESULT(r, IAMAUTH_OK, c->id);
        if (r != IAMAUTH_OK) {
            fprintf(stderr, "  message: %.*s\n", (int)message.len, message.data);
            continue;
        }
        CHECK(same(buf, len, c->token.p, c->token.n), "%s: token differs:\n got  %.*s\n want %s",
              c->id, (int)len, buf, c->token.p);
        CHECK(buf[len] == '\0', "%s: no NUL after the token", c->id);
        CHECK(message.data == NULL, "%s: message written on success", c->id);
    }
}

static void test_error_vectors(void) {
    char buf[16384];
    for (size_t i = 0; i < COUNT(ERROR_CASES); i++) {
        const vcase *c = &ERROR_CASES[i];
        size_t len = 12345;
        iamauth_str message = {NULL, 0};
        memset(buf, 'Z', 8);
        iamauth_result r = make(c, c->time, buf, sizeof buf, &len, &message);
        CHECK(strcmp(iamauth_result_name(r), c->error) == 0, "%s: got %s, want %s", c->id,
              iamauth_result_name(r), c->error);
        CHECK(message.data != NULL && message.len > 0, "%s: no message", c->id);
        CHECK(len == 12345 && buf[0] == 'Z', "%s: output written on failure", c->id);
    }
}

/* The enumerator IAMAUTH_<NAME> is named "<NAME>" at run time. */
#define NAME_IS(code)                                                                      \
    CHECK(strcmp(iamauth_result_name(IAMAUTH_##code), #code) == 0, "name of %s: %s", #code, \
          iamauth_result_name(IAMAUTH_##code))

/* The table itself is the core's (src/result.rs is generated from ErrorCode::ALL and checked by
 * cargo test): here, that every number the library names has a name made of A-Z and _ and a
 * message, that the enumerators and the names agree, and how many there are. */
static void test_codes_and_version(void) {
    int known = 0;
    for (uint32_t n = 0; n < 1000; n++) {
        const char *name = iamauth_result_name(n);
        if (strcmp(name, "UNKNOWN_ERROR") == 0 && n != IAMAUTH_UNKNOWN_ERROR) continue;
        known++;
        CHECK(strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") == strlen(name) && name[0],
              "name of %u: %s", n, name);
        CHECK(strlen(iamauth_result_message(n)) > 0, "message of %u", n);
    }
    /* OK, the core's 29 codes (1 to 28 and 101) and the binding's 100, 102, 103, 104. */
    CHECK(known == 34, "%d numbers have a name", known);
    NAME_IS(OK);
    NAME_IS(INVALID_HOST);
    NAME_IS(SESSION_TOKEN_MISMATCH);
    NAME_IS(INVALID_UTF8);
    NAME_IS(NULL_ARGUMENT);
    NAME_IS(PANIC);
    NAME_IS(INVALID_CLUSTER);
    NAME_IS(INVALID_USER_AGENT);
    CHECK(IAMAUTH_INVALID_HOST == 1 && IAMAUTH_SESSION_TOKEN_MISMATCH == 22 &&
              IAMAUTH_INVALID_CLUSTER == 27 && IAMAUTH_INVALID_USER_AGENT == 28,
          "core numbers");
    CHECK(IAMAUTH_NULL_ARGUMENT == 100 && IAMAUTH_INVALID_UTF8 == 101 &&
              IAMAUTH_BUFFER_TOO_SMALL == 102 && IAMAUTH_PANIC == 103,
          "binding numbers");
    CHECK(strcmp(iamauth_result_message(9999), iamauth_result_message(IAMAUTH_UNKNOWN_ERROR)) == 0,
          "unknown number's message");
    CHECK(strcmp(iamauth_result_name(IAMAUTH_BUFFER_TOO_SMALL), "BUFFER_TOO_SMALL") == 0, "name");
    CHECK(strcmp(iamauth_result_name(9999), "UNKNOWN_ERROR") == 0, "unknown number");
    CHECK(strcmp(iamauth_version(), IAMAUTH_VERSION) == 0, "version %s vs header %s",
          iamauth_version(), IAMAUTH_VERSION);
    char v[64];
    snprintf(v, sizeof v, "%d.%d.%d", IAMAUTH_VERSION_MAJOR, IAMAUTH_VERSION_MINOR,
             IAMAUTH_VERSION_PATCH);
    CHECK(strcmp(v, IAMAUTH_VERSION) == 0, "version macros %s vs %s", v, IAMAUTH_VERSION);
}

#define DEMO (&TOKEN_CASES[0]) /* rds-demo */
#define MAX_TIME INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

static void test_null_arguments(void) {
    const vcase *c = DEMO;
    iamauth_credentials k = creds_of(c);
    char buf[1024];
    size_t len = 7;
    iamauth_str message = {NULL, 0};
    iamauth_result r;

    r = iamauth_rds_token(c->host.p, c->host.n, c->port, c->user.p, c->user.n, c->region.p,
                          c->region.n, 900, c->time, NULL, buf, sizeof buf, &len, &message);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "credentials NULL");
    CHECK(message.data != NULL, "message for NULL credentials");
    r = iamauth_rds_token(c->host.p, c->host.n, c->port, c->user.p, c->user.n, c->region.p,
                          c->region.n, 900, c->time, &k, buf, sizeof buf, NULL, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "out_len NULL");
    r = iamauth_rds_token(c->host.p, c->host.n, c->port, c->user.p, c->user.n, c->region.p,
                          c->region.n, 900, c->time, &k, NULL, 10, &len, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "buf NULL with cap 10");
    r = iamauth_rds_token(NULL, 5, c->port, c->user.p, c->user.n, c->region.p, c->region.n, 900,
                          c->time, &k, buf, sizeof buf, &len, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "host NULL with length 5");
    r = iamauth_rds_token(NULL, 0, c->port, c->user.p, c->user.n, c->region.p, c->region.n, 900,
                          c->time, &k, buf, sizeof buf, &len, NULL);
    CHECK_RESULT(r, IAMAUTH_INVALID_HOST, "host NULL with length 0 is the empty host");
    CHECK(len == 7, "out_len written on failure");

    iamauth_credentials bad = k;
    bad.session_token = NULL;
    bad.session_token_len = 3;
    r = iamauth_dsql_token("a.dsql.us-east-1.on.aws", 23, "us-east-1", 9, false, 900, c->time,
                           &bad, buf, sizeof buf, &len, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "session_token NULL with length 3");
    bad = k;
    bad.access_key_id = NULL;
    bad.access_key_id_len = 0;
    r = iamauth_dsql_token("a.dsql.us-east-1.on.aws", 23, "us-east-1", 9, false, 900, c->time,
                           &bad, buf, sizeof buf, &len, NULL);
    CHECK_RESULT(r, IAMAUTH_INVALID_CREDENTIALS, "access key id NULL/0 is empty");
    bad = k;
    bad.secret_access_key_len = (size_t)PTRDIFF_MAX + 1;
    r = iamauth_dsql_token("a.dsql.us-east-1.on.aws", 23, "us-east-1", 9, false, 900, c->time,
                           &bad, buf, sizeof buf, &len, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "length above PTRDIFF_MAX");
    r = iamauth_elasticache_token("cache", 5, "u", 1, "us-east-1", 9, false, NULL, 4, 900,
                                  c->time, &k, buf, sizeof buf, &len, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "service NULL with length 4");

    /* service NULL/0 = elasticache; "memorydb" differs */
    char a[1024], b[1024];
    size_t an = 0, bn = 0;
    r = iamauth_elasticache_token("cache", 5, "u", 1, "us-east-1", 9, false, NULL, 0, 900,
                                  c->time, &k, a, sizeof a, &an, NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "service absent");
    r = iamauth_elasticache_token("cache", 5, "u", 1, "us-east-1", 9, false, "elasticache", 11,
                                  900, c->time, &k, b, sizeof b, &bn, NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "service elasticache");
    CHECK(same(a, an, b, bn), "absent service is elasticache");
    r = iamauth_elasticache_token("cache", 5, "u", 1, "us-east-1", 9, false, "memorydb", 8, 900,
                                  c->time, &k, b, sizeof b, &bn, NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "service memorydb");
    CHECK(strstr(b, "%2Fmemorydb%2F") != NULL, "memorydb scope");

    bool admin = true;
    r = iamauth_dsql_action("DbConnect", 9, NULL, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "admin NULL");
    r = iamauth_dsql_action("DbConnect", 9, &admin, NULL);
    CHECK(r == IAMAUTH_OK && admin == false, "DbConnect");
    r = iamauth_dsql_action("DbConnectAdmin", 14, &admin, NULL);
    CHECK(r == IAMAUTH_OK && admin == true, "DbConnectAdmin");

    iamauth_token_info info;
    r = iamauth_inspect(c->token.p, c->token.n, c->time, NULL, NULL, 0, NULL, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "inspect out NULL");
    r = iamauth_inspect(NULL, 1, c->time, &info, NULL, 0, NULL, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "inspect token NULL with length 1");
    r = iamauth_inspect(NULL, 0, c->time, &info, NULL, 0, NULL, NULL);
    CHECK_RESULT(r, IAMAUTH_MALFORMED_TOKEN, "inspect of the empty token");
    size_t ulen = 0;
    r = iamauth_inspect(c->token.p, c->token.n, c->time, &info, NULL, 5, &ulen, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "inspect user_buf NULL with cap 5");
}

static void test_invalid_utf8(void) {
    const vcase *c = DEMO;
    iamauth_credentials k = creds_of(c);
    char buf[1024];
    size_t len = 0;
    iamauth_str message = {NULL, 0};
    static const char *bad[] = {"\xff", "db\xc3", "\xc0\xaf", "\xed\xa0\x80", "a\xf8\x88\x80\x80\x80"};
    for (size_t i = 0; i < COUNT(bad); i++) {
        size_t n = strlen(bad[i]);
        iamauth_result r =
            iamauth_rds_token(bad[i], n, c->port, c->user.p, c->user.n, c->region.p, c->region.n,
                              900, c->time, &k, buf, sizeof buf, &len, &message);
        CHECK_RESULT(r, IAMAUTH_INVALID_UTF8, "host bytes");
        r = iamauth_rds_token(c->host.p, c->host.n, c->port, bad[i], n, c->region.p, c->region.n,
                              900, c->time, &k, buf, sizeof buf, &len, NULL);
        CHECK_RESULT(r, IAMAUTH_INVALID_UTF8, "user bytes");
        iamauth_credentials kk = k;
        kk.secret_access_key = bad[i];
        kk.secret_access_key_len = n;
        r = iamauth_rds_token(c->host.p, c->host.n, c->port, c->user.p, c->user.n, c->region.p,
                              c->region.n, 900, c->time, &kk, buf, sizeof buf, &len, NULL);
        CHECK_RESULT(r, IAMAUTH_INVALID_UTF8, "secret bytes");
        iamauth_token_info info;
        r = iamauth_inspect(bad[i], n, c->time, &info, NULL, 0, NULL, NULL);
        CHECK_RESULT(r, IAMAUTH_INVALID_UTF8, "token bytes");
        bool admin;
        r = iamauth_dsql_action(bad[i], n, &admin, NULL);
        CHECK_RESULT(r, IAMAUTH_INVALID_UTF8, "action bytes");
    }
    CHECK(message.data != NULL && strncmp(message.data, "host:", 5) == 0, "message names the host");
}

static void test_buffer_sizes(void) {
    const vcase *c = DEMO;
    size_t need = 0;
    iamauth_result r = make(c, c->time, NULL, 0, &need, NULL);
    CHECK_RESULT(r, IAMAUTH_BUFFER_TOO_SMALL, "size query");
    CHECK(need == c->token.n, "size query length %zu, want %zu", need, c->token.n);

    char *buf = malloc(need + 1);
    memset(buf, 'Z', need + 1);
    size_t len = 0;
    iamauth_str message = {NULL, 0};
    r = make(c, c->time, buf, need, &len, &message); /* no room for the NUL */
    CHECK_RESULT(r, IAMAUTH_BUFFER_TOO_SMALL, "cap = length");
    CHECK(len == need, "too-small length %zu", len);
    bool untouched = true;
    for (size_t i = 0; i < need + 1; i++) untouched = untouched && buf[i] == 'Z';
    CHECK(untouched, "buffer written on BUFFER_TOO_SMALL");
    CHECK(message.data != NULL, "message on BUFFER_TOO_SMALL");

    r = make(c, c->time, buf, len + 1, &len, NULL); /* the retry */
    CHECK_RESULT(r, IAMAUTH_OK, "retry with length + 1");
    CHECK(same(buf, len, c->token.p, c->token.n) && buf[len] == '\0', "retry token");
    free(buf);
}

static void test_now(void) {
    const vcase *c = DEMO;
    char buf[1024];
    size_t len = 0;
    int64_t before = (int64_t)time(NULL);
    iamauth_result r = make(c, IAMAUTH_NOW, buf, sizeof buf, &len, NULL);
    int64_t after = (int64_t)time(NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "IAMAUTH_NOW");
    iamauth_token_info info;
    r = iamauth_inspect(buf, len, IAMAUTH_NOW, &info, NULL, 0, NULL, NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "inspect at IAMAUTH_NOW");
    /* (+1: glibc's time() reads the coarse clock, which can trail the library's clock by a
     * tick across a second boundary) */
    CHECK(info.signed_at >= before && info.signed_at <= after + 1, "signed now: %" PRId64,
          info.signed_at);
    CHECK(info.now >= before && info.now <= (int64_t)time(NULL) + 1, "inspect now: %" PRId64,
          info.now);
    CHECK(info.validity == IAMAUTH_STATUS_VALID && info.seconds > 890 && info.seconds <= 900,
          "fresh token valid, %" PRId64 " s left", info.seconds);
    r = make(c, INT64_MIN, buf, sizeof buf, &len, NULL);
    CHECK_RESULT(r, IAMAUTH_INVALID_TIME, "INT64_MIN is not IAMAUTH_NOW");
    r = iamauth_inspect(c->token.p, c->token.n, -1, &info, NULL, 0, NULL, NULL);
    CHECK_RESULT(r, IAMAUTH_INVALID_TIME, "inspect now -1");
}

static void test_inspect_vectors(void) {
    char user[4096];
    for (size_t i = 0; i < COUNT(TOKEN_CASES); i++) {
        const vcase *c = &TOKEN_CASES[i];
        iamauth_token_info info;
        size_t ulen = 0;
        iamauth_str message = {NULL, 0};
        iamauth_result r = iamauth_inspect(c->token.p, c->token.n, c->time, &info, user,
                                           sizeof user, &ulen, &message);
        CHECK_RESULT(r, IAMAUTH_OK, c->id);
        if (r != IAMAUTH_OK) {
            fprintf(stderr, "  message: %.*s\n", (int)message.len, message.data);
            continue;
        }
        const char *end = c->token.p + c->token.n;
#define IN_TOKEN(s) ((s).data >= c->token.p && (s).data + (s).len <= end)
        CHECK(IN_TOKEN(info.host) && IN_TOKEN(info.region) && IN_TOKEN(info.service) &&
                  IN_TOKEN(info.access_key_id) && IN_TOKEN(info.signature) &&
                  IN_TOKEN(info.action),
              "%s: views point into the token", c->id);
        int kind = c->kind == V_RDS ? IAMAUTH_KIND_RDS
                   : c->kind == V_DSQL ? IAMAUTH_KIND_DSQL
                                       : IAMAUTH_KIND_ELASTICACHE;
        CHECK((int)info.kind == kind, "%s: kind %u", c->id, info.kind);
        const vstr *host = c->kind == V_ELASTICACHE ? &c->name : &c->host;
        CHECK(same(info.host.data, info.host.len, host->p, host->n), "%s: host", c->id);
        CHECK(info.port == (c->kind == V_RDS ? c->port : 0), "%s: port %u", c->id, info.port);
        CHECK(same(info.region.data, info.region.len, c->region.p, c->region.n), "%s: region",
              c->id);
        CHECK(same(info.access_key_id.data, info.access_key_id.len, c->access_key_id.p,
                   c->access_key_id.n),
              "%s: access key id", c->id);
        CHECK(info.signature.len == 64 &&
                  memcmp(info.signature.data, end - 64, 64) == 0,
              "%s: signature", c->id);
        CHECK(info.has_session_token == (c->session_token.p != NULL), "%s: session token",
              c->id);
        CHECK(info.signed_at == c->time && info.expires_in == c->expires_in &&
                  info.expires_at == c->time + c->expires_in,
              "%s: times", c->id);
        CHECK(info.validity == IAMAUTH_STATUS_VALID && info.seconds == c->expires_in && info.now == c->time,
              "%s: valid at its signing time", c->id);
        if (c->kind == V_DSQL) {
            CHECK(!info.has_user && ulen == 0 && user[0] == '\0', "%s: no user", c->id);
            CHECK(same(info.service.data, info.service.len, "dsql", 4), "%s: service", c->id);
            CHECK(same(info.action.data, info.action.len, c->action.p, c->action.n), "%s: action",
                  c->id);
        } else {
            CHECK(info.has_user && same(user, ulen, c->user.p, c->user.n) && user[ulen] == '\0',
                  "%s: user %s", c->id, user);
        }
        if (c->kind == V_ELASTICACHE) {
            const char *svc = c->service.p ? c->service.p : "elasticache";
            CHECK(same(info.service.data, info.service.len, svc, strlen(svc)), "%s: service",
                  c->id);
            CHECK(info.serverless == c->serverless, "%s: serverless", c->id);
        }

        /* (now must stay inside 1970..=9999: the epoch and year-9999 vectors skip one side) */
        if (c->time + c->expires_in <= MAX_TIME) {
            r = iamauth_inspect(c->token.p, c->token.n, c->time + c->expires_in, &info, NULL, 0,
                                NULL, NULL);
            CHECK(r == IAMAUTH_OK && info.validity == IAMAUTH_STATUS_EXPIRED && info.seconds == 0,
                  "%s: expired at expires_at", c->id);
        }
        if (c->time >= 5) {
            r = iamauth_inspect(c->token.p, c->token.n, c->time - 5, &info, NULL, 0, NULL, NULL);
            CHECK(r == IAMAUTH_OK && info.validity == IAMAUTH_STATUS_NOT_YET_VALID && info.seconds == 5,
                  "%s: not yet valid", c->id);
        }

        if (c->kind != V_DSQL) {
            /* user buffer too small: only the length, then the retry works */
            char small[2] = {'Z', 'Z'};
            size_t need = 0;
            iamauth_token_info before;
            memset(&before, 0xAB, sizeof before);
            info = before;
            r = iamauth_inspect(c->token.p, c->token.n, c->time, &info, small, 1, &need, NULL);
            CHECK(r == IAMAUTH_BUFFER_TOO_SMALL && need == c->user.n && small[0] == 'Z' &&
                      memcmp(&info, &before, sizeof info) == 0,
                  "%s: small user buffer (%s, %zu)", c->id, iamauth_result_name(r), need);
            char *exact = malloc(need + 1);
            r = iamauth_inspect(c->token.p, c->token.n, c->time, &info, exact, need + 1, &need,
                                NULL);
            CHECK(r == IAMAUTH_OK && same(exact, need, c->user.p, c->user.n), "%s: user retry",
                  c->id);
            free(exact);
        }
    }
}

static void test_inspect_malformed(void) {
    const vcase *c = DEMO;
    char cut[1024];
    memcpy(cut, c->token.p, c->token.n);
    static const char *bad[] = {
        "garbage",
        "https://mydb.example.com:5432/?Action=connect",
        "mydb.example.com:5432/?Action=connect&DBUser=u",
        "mydb.example.com:99999/?Action=connect",
        "?",
    };
    iamauth_token_info info, before;
    memset(&before, 0xCD, sizeof before);
    for (size_t i = 0; i < COUNT(bad) + 2; i++) {
        const char *t;
        size_t n;
        if (i < COUNT(bad)) {
            t = bad[i];
            n = strlen(t);
        } else if (i == COUNT(bad)) {
            t = cut; /* signature cut short */
            n = c->token.n - 1;
        } else {
            cut[c->token.n - 1] = 'G'; /* not hex */
            t = cut;
            n = c->token.n;
        }
        info = before;
        iamauth_str message = {NULL, 0};
        char user[64] = "Z";
        size_t ulen = 99;
        iamauth_result r = iamauth_inspect(t, n, c->time, &info, user, sizeof user, &ulen, &message);
        CHECK_RESULT(r, IAMAUTH_MALFORMED_TOKEN, t);
        CHECK(memcmp(&info, &before, sizeof info) == 0 && ulen == 99 && user[0] == 'Z',
              "output written for a malformed token");
        CHECK(message.data != NULL && message.len > 6 && strncmp(message.data, "token:", 6) == 0,
              "message for a malformed token");
    }
}

/* ---- iamauth_verify ------------------------------------------------------------------------ */

#define V_AKID "AKIDEXAMPLE"
#define V_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define V_HOST "mydb.123456789012.us-east-1.rds.amazonaws.com"
#define V_TIME INT64_C(1704164645)
#define V_KEYS "{\"" V_AKID "\": {\"secret_access_key\": \"" V_SECRET "\"}}"
#define V_SESSION "FwoGZXIvYXdzEBYaDExampleSessionToken"
#define V_KEYS_SESSION                                                                         \
    "{\"ASIAEXAMPLE\": {\"secret_access_key\": \"" V_SECRET "\", \"session_token\": \"" V_SESSION \
    "\"}}"
#define S(lit) lit, sizeof(lit) - 1

/* A heap copy (strdup is not C11). */
static char *dup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p != NULL) memcpy(p, s, n);
    return p;
}

/* An RDS token for `user` at V_HOST:5432 signed at V_TIME; the caller frees it. */
static char *v_rds(const char *akid, const char *session, const char *user, size_t *len) {
    iamauth_credentials k = {akid, strlen(akid), S(V_SECRET), session,
                             session ? strlen(session) : 0};
    char *buf = malloc(4096);
    iamauth_result r = iamauth_rds_token(S(V_HOST), 5432, user, strlen(user), S("us-east-1"), 900,
                                         V_TIME, &k, buf, 4096, len, NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "v_rds");
    return buf;
}

static iamauth_result v_call(const char *token, size_t token_len, const char *keys,
                             const iamauth_expect *e, int64_t now, iamauth_identity *out) {
    char user[256];
    size_t ulen = 0;
    return iamauth_verify(token, token_len, keys, keys ? strlen(keys) : 0, e, now, out, user,
                          sizeof user, &ulen, NULL);
}

/* A refusal: the code, a message, and nothing written. */
static void v_refused(const char *what, const char *token, size_t token_len, const char *keys,
                      const iamauth_expect *e, int64_t now, iamauth_result want) {
    iamauth_identity out, before;
    memset(&before, 0x5A, sizeof before);
    out = before;
    char user[64] = "Z";
    size_t ulen = 4321;
    iamauth_str message = {NULL, 0};
    iamauth_result r = iamauth_verify(token, token_len, keys, keys ? strlen(keys) : 0, e, now,
                                      &out, user, sizeof user, &ulen, &message);
    CHECK_RESULT(r, want, what);
    CHECK(memcmp(&out, &before, sizeof out) == 0 && ulen == 4321 && user[0] == 'Z',
          "%s: output written on failure", what);
    CHECK(message.data != NULL && message.len > 0, "%s: no message", what);
}

static void test_verify_success(void) {
    size_t n = 0;
    char *token = v_rds(V_AKID, NULL, "iam_user", &n);
    /* Everything set, the host in another case (botocore compares it lowercased). */
    char *host = dup("MYDB.123456789012.US-EAST-1.RDS.AMAZONAWS.COM");
    char *keys = dup(V_KEYS);
    char *user_e = dup("iam_user");
    iamauth_expect e = {host,    strlen(host), 5432, user_e, strlen(user_e), NULL, 0,
                        S("us-east-1"), S("rds-db"), true, 0};
    iamauth_identity id;
    char user[64];
    size_t ulen = 0;
    iamauth_str message = {NULL, 0};
    iamauth_result r = iamauth_verify(token, n, keys, strlen(keys), &e, V_TIME + 60, &id, user,
                                      sizeof user, &ulen, &message);
    CHECK_RESULT(r, IAMAUTH_OK, "verify");
    CHECK(message.data == NULL, "message written on success");
    /* The identity borrows nothing but the token: the keys and expected strings can go now. */
    free(keys);
    free(host);
    free(user_e);
    const char *end = token + n;
#define IN_V(s) ((s).data >= token && (s).data + (s).len <= end)
    CHECK(IN_V(id.access_key_id) && IN_V(id.action) && IN_V(id.host) && IN_V(id.region) &&
              IN_V(id.service),
          "identity views point into the token");
    CHECK(id.kind == IAMAUTH_KIND_RDS, "kind %u", id.kind);
    CHECK(same(id.access_key_id.data, id.access_key_id.len, S(V_AKID)), "access key id");
    CHECK(same(id.action.data, id.action.len, S("connect")), "action");
    CHECK(same(id.host.data, id.host.len, S(V_HOST)), "host as written in the token");
    CHECK(same(id.region.data, id.region.len, S("us-east-1")), "region");
    CHECK(same(id.service.data, id.service.len, S("rds-db")), "service");
    CHECK(id.port == 5432, "port %u", id.port);
    CHECK(id.has_user && same(user, ulen, S("iam_user")) && user[ulen] == '\0', "user %s", user);
    CHECK(id.signed_at == V_TIME && id.expires_at == V_TIME + 900, "times");

    /* All-zero expectations: any host, port, user, region; rds-db; skew 300. */
    iamauth_expect any;
    memset(&any, 0, sizeof any);
    r = iamauth_verify(token, n, S(V_KEYS), &any, V_TIME - 300, &id, NULL, 0, NULL, NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "zero expectations, 300 s early (default skew), user skipped");
    /* Empty but non-NULL strings are "any" too. */
    iamauth_expect empty = {"", 0, 0, "", 0, "", 0, "", 0, "", 0, false, 0};
    r = v_call(token, n, V_KEYS, &empty, V_TIME + 899, &id);
    CHECK_RESULT(r, IAMAUTH_OK, "empty expectations, last valid second");
    r = v_call(token, n, V_KEYS, &any, IAMAUTH_NOW, &id);
    CHECK_RESULT(r, IAMAUTH_EXPIRED_TOKEN, "IAMAUTH_NOW is today, long after 2024");
    free(token);

    /* A user that needs percent-encoding comes back decoded, copied; size query first. */
    token = v_rds(V_AKID, NULL, "app user/\xc3\xa9", &n);
    iamauth_expect eu = {NULL, 0, 0, S("app user/\xc3\xa9"), NULL, 0, NULL, 0, NULL, 0, false, 0};
    size_t need = 0;
    r = iamauth_verify(token, n, S(V_KEYS), &eu, V_TIME, &id, NULL, 0, &need, NULL);
    CHECK(r == IAMAUTH_BUFFER_TOO_SMALL && need == strlen("app user/\xc3\xa9"),
          "user size query: %s %zu", iamauth_result_name(r), need);
    char *ubuf = malloc(need + 1);
    r = iamauth_verify(token, n, S(V_KEYS), &eu, V_TIME, &id, ubuf, need + 1, &ulen, NULL);
    CHECK(r == IAMAUTH_OK && same(ubuf, ulen, S("app user/\xc3\xa9")), "decoded user");
    free(ubuf);
    free(token);

    /* Temporary credentials: the key's session token must be carried. */
    token = v_rds("ASIAEXAMPLE", V_SESSION, "iam_user", &n);
    r = v_call(token, n, V_KEYS_SESSION, &any, V_TIME, &id);
    CHECK_RESULT(r, IAMAUTH_OK, "session token carried");
    free(token);

    /* DSQL: no user, no port; the service must be asked for; the action may be. */
    iamauth_credentials k = {S(V_AKID), S(V_SECRET), NULL, 0};
    char dsql[2048];
    r = iamauth_dsql_token(S("abc.dsql.us-east-1.on.aws"), S("us-east-1"), true, 3600, V_TIME, &k,
                           dsql, sizeof dsql, &n, NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "dsql token");
    iamauth_expect ed = {NULL, 0, 0, NULL, 0, S("DbConnectAdmin"), NULL, 0, S("dsql"), false, 0};
    ulen = 77;
    r = iamauth_verify(dsql, n, S(V_KEYS), &ed, V_TIME + 3000, &id, user, sizeof user, &ulen,
                       NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "dsql verify");
    CHECK(id.kind == IAMAUTH_KIND_DSQL && !id.has_user && ulen == 0 && user[0] == '\0' &&
              id.port == 0 && same(id.action.data, id.action.len, S("DbConnectAdmin")),
          "dsql identity");
    v_refused("dsql as rds-db", dsql, n, V_KEYS, &any, V_TIME, IAMAUTH_WRONG_SERVICE);
    ed.action = "DbConnect";
    ed.action_len = strlen(ed.action);
    v_refused("dsql admin token, DbConnect expected", dsql, n, V_KEYS, &ed, V_TIME + 3000,
              IAMAUTH_WRONG_ACTION);
}

static void test_verify_refusals(void) {
    size_t n = 0;
    iamauth_expect any;
    memset(&any, 0, sizeof any);
    iamauth_expect e;

    /* Each check's refusal, the check order and malformed expectations: test_verify_vectors.c
     * (tests/vectors/verify.json). Here what only the C ABI has. */
    v_refused("empty token (NULL, 0)", NULL, 0, V_KEYS, &any, V_TIME, IAMAUTH_MALFORMED_TOKEN);

    /* Caller mistakes. */
    char *token = v_rds(V_AKID, NULL, "iam_user", &n);
    v_refused("keys not JSON", token, n, "nope", &any, V_TIME, IAMAUTH_INVALID_CREDENTIALS);
    v_refused("keys NULL/0 (empty text)", token, n, NULL, &any, V_TIME,
              IAMAUTH_INVALID_CREDENTIALS);
    e = any;
    e.port = 70000;
    v_refused("port 70000", token, n, V_KEYS, &e, V_TIME, IAMAUTH_INVALID_PORT);
    e.port = -1;
    v_refused("port -1", token, n, V_KEYS, &e, V_TIME, IAMAUTH_INVALID_PORT);
    v_refused("now INT64_MIN", token, n, V_KEYS, &any, INT64_MIN, IAMAUTH_INVALID_TIME);

    /* NULLs. */
    iamauth_identity id;
    size_t ulen = 0;
    char user[8];
    iamauth_result r =
        iamauth_verify(token, n, S(V_KEYS), &any, V_TIME, NULL, NULL, 0, NULL, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "out NULL");
    v_refused("expect NULL", token, n, V_KEYS, NULL, V_TIME, IAMAUTH_NULL_ARGUMENT);
    v_refused("token NULL with a length", NULL, 5, V_KEYS, &any, V_TIME, IAMAUTH_NULL_ARGUMENT);
    r = iamauth_verify(token, n, NULL, 3, &any, V_TIME, &id, NULL, 0, NULL, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "keys NULL with a length");
    e = any;
    e.host_len = 4;
    v_refused("expect.host NULL with a length", token, n, V_KEYS, &e, V_TIME,
              IAMAUTH_NULL_ARGUMENT);
    e = any;
    e.service_len = 2;
    v_refused("expect.service NULL with a length", token, n, V_KEYS, &e, V_TIME,
              IAMAUTH_NULL_ARGUMENT);
    e = any;
    e.action_len = 9;
    v_refused("expect.action NULL with a length", token, n, V_KEYS, &e, V_TIME,
              IAMAUTH_NULL_ARGUMENT);
    r = iamauth_verify(token, n, S(V_KEYS), &any, V_TIME, &id, NULL, 5, &ulen, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "user_buf NULL with cap 5");
    r = iamauth_verify(token, n, S(V_KEYS), &any, V_TIME, &id, user, 4, &ulen, NULL);
    CHECK(r == IAMAUTH_BUFFER_TOO_SMALL && ulen == 8, "small user buffer: %s %zu",
          iamauth_result_name(r), ulen);

    /* Invalid UTF-8 in each kind of input. */
    iamauth_str message = {NULL, 0};
    r = iamauth_verify("\xff\xfe", 2, S(V_KEYS), &any, V_TIME, &id, NULL, 0, NULL, &message);
    CHECK(r == IAMAUTH_INVALID_UTF8 && strncmp(message.data, "token:", 6) == 0, "token bytes");
    r = iamauth_verify(token, n, "{\xc3", 2, &any, V_TIME, &id, NULL, 0, NULL, &message);
    CHECK(r == IAMAUTH_INVALID_UTF8 && strncmp(message.data, "keys_json:", 10) == 0,
          "keys bytes");
    e = any;
    e.user = "\xc0\xaf";
    e.user_len = 2;
    r = iamauth_verify(token, n, S(V_KEYS), &e, V_TIME, &id, NULL, 0, NULL, &message);
    CHECK(r == IAMAUTH_INVALID_UTF8 && strncmp(message.data, "expect.user:", 12) == 0,
          "expect.user bytes");
    e = any;
    e.action = "Db\xff";
    e.action_len = 3;
    r = iamauth_verify(token, n, S(V_KEYS), &e, V_TIME, &id, NULL, 0, NULL, &message);
    CHECK(r == IAMAUTH_INVALID_UTF8 && strncmp(message.data, "expect.action:", 14) == 0,
          "expect.action bytes");
    free(token);
}

/* Whether the (not NUL-terminated) message contains `needle`. */
static bool has(iamauth_str m, const char *needle) {
    size_t k = strlen(needle);
    for (size_t i = 0; m.data != NULL && i + k <= m.len; i++) {
        if (memcmp(m.data + i, needle, k) == 0) return true;
    }
    return false;
}

/* The core checks every given expectation by the signing rules before anything else: a malformed
 * expectation is the INVALID_* code of its rule, never a WRONG_* refusal. */
/* Malformed expectations: the codes are in tests/vectors/verify.json (test_verify_vectors.c);
 * here, that the message out-param carries the core's rule. */
static void test_verify_malformed_expectations(void) {
    size_t n = 0;
    char *token = v_rds(V_AKID, NULL, "iam_user", &n);
    iamauth_expect e;
    memset(&e, 0, sizeof e);
    e.host = "bad host";
    e.host_len = strlen(e.host);
    iamauth_identity id;
    iamauth_str message = {NULL, 0};
    iamauth_result r =
        iamauth_verify(token, n, S(V_KEYS), &e, V_TIME, &id, NULL, 0, NULL, &message);
    CHECK_RESULT(r, IAMAUTH_INVALID_HOST, "malformed host message");
    CHECK(message.len > 5 && strncmp(message.data, "host:", 5) == 0, "host message: %.*s",
          (int)message.len, message.data);
    free(token);
}

/* The keys text's grants reach the core through iamauth_verify: a key limited to other users
 * (or hosts) is refused after its signature checks out, with the core's message; the cases
 * themselves are in tests/vectors/verify.json. */
static void test_verify_grants(void) {
    size_t n = 0;
    char *token = v_rds(V_AKID, NULL, "iam_user", &n);
    iamauth_expect any;
    memset(&any, 0, sizeof any);
    iamauth_identity id;
    iamauth_str message = {NULL, 0};
    const char *users = "{\"" V_AKID "\": {\"secret_access_key\": \"" V_SECRET
                        "\", \"users\": [\"app\", \"report_*\"]}}";
    iamauth_result r =
        iamauth_verify(token, n, users, strlen(users), &any, V_TIME, &id, NULL, 0, NULL, &message);
    CHECK_RESULT(r, IAMAUTH_USER_NOT_ALLOWED, "a key granted app and report_* signing iam_user");
    CHECK(has(message, "not granted this user"), "user grant message: %.*s", (int)message.len,
          message.data);
    v_refused("users grant", token, n, users, &any, V_TIME, IAMAUTH_USER_NOT_ALLOWED);
    const char *hosts = "{\"" V_AKID "\": {\"secret_access_key\": \"" V_SECRET
                        "\", \"users\": [\"iam_*\"], \"hosts\": [\"other.example.com\"]}}";
    r = iamauth_verify(token, n, hosts, strlen(hosts), &any, V_TIME, &id, NULL, 0, NULL, &message);
    CHECK_RESULT(r, IAMAUTH_HOST_NOT_ALLOWED, "a key granted another host");
    CHECK(has(message, "not granted this host"), "host grant message: %.*s", (int)message.len,
          message.data);
    const char *both = "{\"" V_AKID "\": {\"secret_access_key\": \"" V_SECRET
                       "\", \"users\": [\"iam_user\"], \"hosts\": [\"MYDB.*\"]}}";
    r = iamauth_verify(token, n, both, strlen(both), &any, V_TIME, &id, NULL, 0, NULL, NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "a key granted the user and the host (prefix, any case)");
    /* A malformed grant is the keys text's mistake, named by its rule. */
    const char *bad = "{\"" V_AKID "\": {\"secret_access_key\": \"" V_SECRET
                      "\", \"users\": \"app\"}}";
    r = iamauth_verify(token, n, bad, strlen(bad), &any, V_TIME, &id, NULL, 0, NULL, &message);
    CHECK_RESULT(r, IAMAUTH_INVALID_CREDENTIALS, "users not a list");
    CHECK(has(message, "users must be a list"), "grant rule message: %.*s", (int)message.len,
          message.data);
    /* A malformed expected action: INVALID_ACTION with the core's rule, before anything else. */
    iamauth_expect e = any;
    e.action = "dbconnect";
    e.action_len = strlen(e.action);
    r = iamauth_verify(token, n, S(V_KEYS), &e, V_TIME, &id, NULL, 0, NULL, &message);
    CHECK_RESULT(r, IAMAUTH_INVALID_ACTION, "malformed expected action");
    CHECK(has(message, "DbConnect or DbConnectAdmin"), "action message: %.*s", (int)message.len,
          message.data);
    free(token);
}

/* The defaults are the core's: all-zero expectations use them. */
static void test_defaults(void) {
    CHECK(iamauth_default_expiry() == 900, "default expiry %" PRId64, iamauth_default_expiry());
    CHECK(iamauth_default_skew() == 300, "default skew %" PRId64, iamauth_default_skew());
    iamauth_str service = iamauth_default_service();
    CHECK(same(service.data, service.len, S("rds-db")), "default service %.*s", (int)service.len,
          service.data);
    size_t n = 0;
    char *token = v_rds(V_AKID, NULL, "iam_user", &n);
    iamauth_expect any;
    memset(&any, 0, sizeof any);
    iamauth_identity id;
    iamauth_result r = iamauth_verify(token, n, S(V_KEYS), &any, V_TIME - iamauth_default_skew(),
                                      &id, NULL, 0, NULL, NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "signed the default skew ahead");
    v_refused("signed the default skew + 1 ahead", token, n, V_KEYS, &any,
              V_TIME - iamauth_default_skew() - 1, IAMAUTH_NOT_YET_VALID);
    /* An explicit default service is the same as none. */
    iamauth_expect e = any;
    e.service = service.data;
    e.service_len = service.len;
    r = iamauth_verify(token, n, S(V_KEYS), &e, V_TIME, &id, NULL, 0, NULL, NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "explicit default service");
    free(token);
}

static const vcase *token_case(const char *id) {
    for (size_t i = 0; i < COUNT(TOKEN_CASES); i++) {
        if (strcmp(TOKEN_CASES[i].id, id) == 0) return &TOKEN_CASES[i];
    }
    return NULL;
}

/* The region may be omitted (NULL, 0): the one the endpoint host names, else INVALID_REGION. */
static void test_region_from_host(void) {
    const vcase *c = DEMO;
    iamauth_credentials k = creds_of(c);
    char buf[4096];
    size_t len = 7;
    iamauth_str message = {NULL, 0};
    iamauth_result r = iamauth_rds_token(c->host.p, c->host.n, c->port, c->user.p, c->user.n, NULL,
                                         0, c->expires_in, c->time, &k, buf, sizeof buf, &len,
                                         &message);
    CHECK_RESULT(r, IAMAUTH_OK, "rds: region from the host");
    CHECK(r == IAMAUTH_OK && same(buf, len, c->token.p, c->token.n), "rds: the vector's token");
    r = iamauth_rds_token(S("mydb.123456789012.eu-west-1.rds.amazonaws.com"), 5432, S("u"), NULL,
                          0, 900, V_TIME, &k, buf, sizeof buf, &len, NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "rds: another region");
    CHECK(r == IAMAUTH_OK && strstr(buf, "%2Feu-west-1%2Frds-db%2F") != NULL, "eu-west-1 scope");
    len = 7;
    r = iamauth_rds_token(S("db.example.com"), 5432, S("u"), NULL, 0, 900, V_TIME, &k, buf,
                          sizeof buf, &len, &message);
    CHECK_RESULT(r, IAMAUTH_INVALID_REGION, "rds: a host that names no region");
    CHECK(r == IAMAUTH_INVALID_REGION && strncmp(message.data, "region:", 7) == 0 && len == 7,
          "region message, nothing written: %.*s", (int)message.len, message.data);
    r = iamauth_rds_token(c->host.p, c->host.n, 5432, S("u"), "", 0, 900, V_TIME, &k, buf,
                          sizeof buf, &len, NULL);
    CHECK_RESULT(r, IAMAUTH_INVALID_REGION, "rds: a non-NULL empty region is not omitted");
    r = iamauth_rds_token(c->host.p, c->host.n, 5432, S("u"), NULL, 3, 900, V_TIME, &k, buf,
                          sizeof buf, &len, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "rds: region NULL with a length");
    r = iamauth_rds_token(c->host.p, c->host.n, 5432, S("u"), S("eu-west-2"), 900, V_TIME, &k, buf,
                          sizeof buf, &len, NULL);
    CHECK(r == IAMAUTH_OK && strstr(buf, "%2Feu-west-2%2Frds-db%2F") != NULL,
          "rds: a given region wins over the host's");

    const vcase *d = token_case("dsql-connect");
    CHECK(d != NULL, "dsql-connect vector");
    if (d != NULL) {
        iamauth_credentials dk = creds_of(d);
        r = iamauth_dsql_token(d->host.p, d->host.n, NULL, 0, false, d->expires_in, d->time, &dk,
                               buf, sizeof buf, &len, NULL);
        CHECK_RESULT(r, IAMAUTH_OK, "dsql: region from the host");
        CHECK(r == IAMAUTH_OK && same(buf, len, d->token.p, d->token.n), "dsql: the vector's token");
    }
    r = iamauth_dsql_token(S("cluster.example.com"), NULL, 0, false, 900, V_TIME, &k, buf,
                           sizeof buf, &len, NULL);
    CHECK_RESULT(r, IAMAUTH_INVALID_REGION, "dsql: a host that names no region");
}

/* The providers' rule: iamauth_reuse_until / iamauth_may_reuse. */
static void test_reuse(void) {
    int64_t until = 7;
    iamauth_str message = {NULL, 0};
    iamauth_result r = iamauth_reuse_until(1000, 900, IAMAUTH_NO_EXPIRATION, &until, &message);
    CHECK(r == IAMAUTH_OK && until == 1600, "900 s: %s %" PRId64, iamauth_result_name(r), until);
    r = iamauth_reuse_until(1000, 900, 1300, &until, NULL);
    CHECK(r == IAMAUTH_OK && until == 1200, "credentials expire in 300 s: %" PRId64, until);
    CHECK(until == iamauth_refresh_at(1000, 900, 1300), "the refresh point");
    until = 7;
    r = iamauth_reuse_until(1000, 900, 1000, &until, &message);
    CHECK_RESULT(r, IAMAUTH_INVALID_CREDENTIALS, "credentials expired at signing");
    CHECK(until == 7, "nothing written on failure");
    CHECK(message.len > 0 && strncmp(message.data, "credentials: expired", 20) == 0,
          "expired message: %.*s", (int)message.len, message.data);
    r = iamauth_reuse_until(1000, 900, 10, &until, NULL);
    CHECK_RESULT(r, IAMAUTH_INVALID_CREDENTIALS, "credentials expired long ago");
    r = iamauth_reuse_until(1000, 900, IAMAUTH_NO_EXPIRATION, NULL, &message);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "out NULL");
    CHECK(iamauth_may_reuse(1000, 1000, 1600), "at signing");
    CHECK(iamauth_may_reuse(1599, 1000, 1600), "a second before");
    CHECK(!iamauth_may_reuse(1600, 1000, 1600), "at the refresh point");
    CHECK(!iamauth_may_reuse(999, 1000, 1600), "clock went back");
}

/* Credentials from the environment, through the core's reader. */
static void env_set(const char *akid, const char *secret, const char *session) {
    const char *names[3] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"};
    const char *values[3] = {akid, secret, session};
    for (int i = 0; i < 3; i++) {
        if (values[i] == NULL)
            unsetenv(names[i]);
        else
            setenv(names[i], values[i], 1);
    }
}

static void test_env_credentials(void) {
    iamauth_env_credentials *const sentinel = (iamauth_env_credentials *)&passed;
    iamauth_env_credentials *env = sentinel;
    iamauth_str message = {NULL, 0};

    env_set(NULL, NULL, NULL);
    iamauth_result r = iamauth_env_credentials_read(&env, &message);
    CHECK_RESULT(r, IAMAUTH_INVALID_CREDENTIALS, "nothing set");
    CHECK(env == sentinel, "nothing written on failure");
    CHECK(message.len > 0 && strncmp(message.data, "credentials:", 12) == 0 &&
              has(message, "AWS_ACCESS_KEY_ID") && has(message, "AWS_SECRET_ACCESS_KEY"),
          "message names the variables: %.*s", (int)message.len, message.data);
    env_set("", V_SECRET, NULL);
    r = iamauth_env_credentials_read(&env, NULL);
    CHECK_RESULT(r, IAMAUTH_INVALID_CREDENTIALS, "empty access key id");
    env_set(V_AKID, "", NULL);
    r = iamauth_env_credentials_read(&env, NULL);
    CHECK_RESULT(r, IAMAUTH_INVALID_CREDENTIALS, "empty secret");
    env_set(V_AKID, "\xff\xfe", NULL);
    r = iamauth_env_credentials_read(&env, &message);
    CHECK_RESULT(r, IAMAUTH_INVALID_CREDENTIALS, "secret not UTF-8");
    CHECK(has(message, "UTF-8") && !has(message, "\xff"),
          "UTF-8 message without the value");
    env_set("AKID EXAMPLE", V_SECRET, NULL);
    r = iamauth_env_credentials_read(&env, NULL);
    CHECK_RESULT(r, IAMAUTH_INVALID_CREDENTIALS, "access key id breaks the rule");
    CHECK(env == sentinel, "still nothing written");
    r = iamauth_env_credentials_read(NULL, &message);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "out NULL");

    /* Long-term keys (an empty session token is no session token): the rds-demo token. */
    env_set(V_AKID, V_SECRET, "");
    env = NULL;
    r = iamauth_env_credentials_read(&env, &message);
    CHECK_RESULT(r, IAMAUTH_OK, "long-term keys");
    CHECK(env != NULL, "a handle");
    iamauth_credentials k;
    memset(&k, 0x5A, sizeof k);
    r = iamauth_env_credentials_get(env, &k, NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "get");
    CHECK(same(k.access_key_id, k.access_key_id_len, S(V_AKID)) &&
              same(k.secret_access_key, k.secret_access_key_len, S(V_SECRET)) &&
              k.session_token == NULL && k.session_token_len == 0,
          "the long-term credentials");
    /* Borrowed from the handle, not from the environment: changing it changes nothing. */
    env_set(NULL, NULL, NULL);
    const vcase *c = DEMO;
    char buf[4096];
    size_t len = 0;
    r = iamauth_rds_token(c->host.p, c->host.n, c->port, c->user.p, c->user.n, c->region.p,
                          c->region.n, c->expires_in, c->time, &k, buf, sizeof buf, &len, NULL);
    CHECK(r == IAMAUTH_OK && same(buf, len, c->token.p, c->token.n), "rds-demo from the env: %s",
          iamauth_result_name(r));
    iamauth_credentials before;
    memset(&before, 0x5A, sizeof before);
    k = before;
    r = iamauth_env_credentials_get(NULL, &k, &message);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "get: env NULL");
    CHECK(memcmp(&k, &before, sizeof k) == 0, "get: nothing written on failure");
    r = iamauth_env_credentials_get(env, NULL, &message);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "get: out NULL");
    iamauth_env_credentials_free(env);
    iamauth_env_credentials_free(NULL);

    /* Temporary credentials. */
    env_set("ASIAEXAMPLE", V_SECRET, V_SESSION);
    env = NULL;
    r = iamauth_env_credentials_read(&env, NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "temporary credentials");
    r = iamauth_env_credentials_get(env, &k, NULL);
    CHECK(r == IAMAUTH_OK && same(k.access_key_id, k.access_key_id_len, S("ASIAEXAMPLE")) &&
              same(k.session_token, k.session_token_len, S(V_SESSION)),
          "the session token");
    iamauth_env_credentials_free(env);
    env_set(NULL, NULL, NULL);
}

static void test_refresh_at(void) {
    CHECK(iamauth_refresh_at(1000, 900, IAMAUTH_NO_EXPIRATION) == 1600, "900 s: 600 s in");
    CHECK(iamauth_refresh_at(1000, 120, IAMAUTH_NO_EXPIRATION) == 1060, "120 s: 60 s in");
    CHECK(iamauth_refresh_at(1000, 60, IAMAUTH_NO_EXPIRATION) == 1030, "60 s: half-way");
    CHECK(iamauth_refresh_at(1000, 900, 1300) == 1200, "credentials expire in 300 s");
    CHECK(iamauth_refresh_at(1000, 900, 10000) == 1600, "later credentials change nothing");
    CHECK(iamauth_refresh_at(1000, 900, 900) <= 1000, "expired credentials: unusable");
    CHECK(iamauth_refresh_at(INT64_MAX, INT64_MAX, IAMAUTH_NO_EXPIRATION) == INT64_MAX,
          "saturates");
    CHECK(iamauth_refresh_at(INT64_MIN, INT64_MAX, INT64_MIN) <= INT64_MIN + 1, "saturates low");
    for (int64_t life = 1; life <= 900; life++) {
        int64_t at = iamauth_refresh_at(V_TIME, life, IAMAUTH_NO_EXPIRATION);
        if (at > V_TIME + life || at < V_TIME) {
            CHECK(0, "refresh at %" PRId64 " for %" PRId64 " s", at, life);
            break;
        }
    }
}

#define THREADS 8
static int rounds = 25; /* IAMAUTH_TEST_ROUNDS overrides it (fewer under valgrind) */

static void *worker(void *arg) {
    int *bad = arg;
    char buf[16384];
    for (int round = 0; round < rounds; round++) {
        for (size_t i = 0; i < COUNT(TOKEN_CASES); i++) {
            const vcase *c = &TOKEN_CASES[i];
            size_t len = 0;
            if (make(c, c->time, buf, sizeof buf, &len, NULL) != IAMAUTH_OK ||
                !same(buf, len, c->token.p, c->token.n)) {
                (*bad)++;
            }
        }
    }
    return NULL;
}

static void test_threads(void) {
    pthread_t threads[THREADS];
    int bad[THREADS] = {0};
    int started = 0;
    for (int i = 0; i < THREADS; i++) {
        if (pthread_create(&threads[i], NULL, worker, &bad[i]) == 0) started++;
    }
    CHECK(started == THREADS, "started %d threads", started);
    for (int i = 0; i < started; i++) {
        pthread_join(threads[i], NULL);
        CHECK(bad[i] == 0, "thread %d: %d tokens differ from the vectors", i, bad[i]);
    }
}


/* ---- EKS and MSK -------------------------------------------------------------------------- */

static bool contains(const char *hay, size_t n, const char *needle) {
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0) return true;
    return false;
}

static iamauth_result make_eks(const ekscase *c, char *buf, size_t cap, size_t *len,
                               int64_t *expiration, iamauth_str *message) {
    iamauth_credentials k = {c->access_key_id.p,     c->access_key_id.n, c->secret_access_key.p,
                             c->secret_access_key.n, c->session_token.p, c->session_token.n};
    uint32_t endpoint = 0;
    iamauth_result r = iamauth_sts_endpoint_parse(c->sts_endpoint.p, c->sts_endpoint.n, &endpoint,
                                                  message);
    if (r != IAMAUTH_OK) return r;
    return iamauth_eks_token(c->cluster.p, c->cluster.n, c->region.p, c->region.n, endpoint,
                             c->time, &k, buf, cap, len, expiration, message);
}

static iamauth_result make_msk(const mskcase *c, char *buf, size_t cap, size_t *len,
                               int64_t *expiry_ms, iamauth_str *message) {
    iamauth_credentials k = {c->access_key_id.p,     c->access_key_id.n, c->secret_access_key.p,
                             c->secret_access_key.n, c->session_token.p, c->session_token.n};
    return iamauth_msk_token(c->region.p, c->region.n, c->expires_in, c->user_agent.p,
                             c->user_agent.n, c->time, &k, buf, cap, len, expiry_ms, message);
}

static void test_eks_vectors(void) {
    char buf[16384];
    for (size_t i = 0; i < COUNT(EKS_CASES); i++) {
        const ekscase *c = &EKS_CASES[i];
        size_t len = 0;
        int64_t expiration = 0;
        iamauth_str message = {NULL, 0};
        iamauth_result r = make_eks(c, buf, sizeof buf, &len, &expiration, &message);
        CHECK_RESULT(r, IAMAUTH_OK, c->id);
        if (r != IAMAUTH_OK) {
            fprintf(stderr, "  message: %.*s\n", (int)message.len, message.data);
            continue;
        }
        CHECK(same(buf, len, c->token.p, c->token.n), "%s: token differs:\n got  %.*s\n want %s",
              c->id, (int)len, buf, c->token.p);
        CHECK(buf[len] == '\0', "%s: no NUL after the token", c->id);
        /* The ExecCredential expiry, formatted here as awscli writes it. */
        time_t t = (time_t)expiration;
        struct tm tm;
        char stamp[64] = "";
        if (gmtime_r(&t, &tm) != NULL) strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
        CHECK(same(stamp, strlen(stamp), c->expiration.p, c->expiration.n),
              "%s: expiration %s, want %s", c->id, stamp, c->expiration.p);
        /* The expiration out-parameter is optional. */
        size_t len2 = 0;
        r = make_eks(c, buf, sizeof buf, &len2, NULL, NULL);
        CHECK(r == IAMAUTH_OK && len2 == len, "%s: without out_expiration", c->id);
    }
    for (size_t i = 0; i < COUNT(EKS_ERRORS); i++) {
        const ekscase *c = &EKS_ERRORS[i];
        size_t len = 12345;
        int64_t expiration = 777;
        iamauth_str message = {NULL, 0};
        memset(buf, 'Z', 8);
        iamauth_result r = make_eks(c, buf, sizeof buf, &len, &expiration, &message);
        CHECK(strcmp(iamauth_result_name(r), c->error) == 0, "%s: got %s, want %s", c->id,
              iamauth_result_name(r), c->error);
        CHECK(message.data != NULL && message.len > 0, "%s: no message", c->id);
        CHECK(len == 12345 && expiration == 777 && buf[0] == 'Z', "%s: output written on failure",
              c->id);
    }
    /* The endpoint as a number: only the two enumerators. */
    const ekscase *demo = &EKS_CASES[0];
    iamauth_credentials k = {demo->access_key_id.p, demo->access_key_id.n,
                             demo->secret_access_key.p, demo->secret_access_key.n, NULL, 0};
    size_t len = 0;
    CHECK_RESULT(iamauth_eks_token(demo->cluster.p, demo->cluster.n, demo->region.p,
                                   demo->region.n, 2, demo->time, &k, buf, sizeof buf, &len, NULL,
                                   NULL),
                 IAMAUTH_INVALID_REQUEST, "sts_endpoint 2");
    CHECK_RESULT(iamauth_eks_token(demo->cluster.p, demo->cluster.n, demo->region.p,
                                   demo->region.n, IAMAUTH_STS_REGIONAL, demo->time, &k, buf,
                                   sizeof buf, &len, NULL, NULL),
                 IAMAUTH_OK, "IAMAUTH_STS_REGIONAL");
    CHECK(same(buf, len, demo->token.p, demo->token.n), "IAMAUTH_STS_REGIONAL token");
    /* A size query, then the token. */
    len = 0;
    CHECK_RESULT(iamauth_eks_token(demo->cluster.p, demo->cluster.n, demo->region.p,
                                   demo->region.n, IAMAUTH_STS_REGIONAL, demo->time, &k, NULL, 0,
                                   &len, NULL, NULL),
                 IAMAUTH_BUFFER_TOO_SMALL, "eks size query");
    CHECK(len == demo->token.n, "eks size query: %zu", len);
    /* NULL cluster with a length; NULL out_len. */
    CHECK_RESULT(iamauth_eks_token(NULL, 3, demo->region.p, demo->region.n, 0, demo->time, &k,
                                   buf, sizeof buf, &len, NULL, NULL),
                 IAMAUTH_NULL_ARGUMENT, "eks NULL cluster");
    CHECK_RESULT(iamauth_eks_token(demo->cluster.p, demo->cluster.n, demo->region.p,
                                   demo->region.n, 0, demo->time, &k, buf, sizeof buf, NULL, NULL,
                                   NULL),
                 IAMAUTH_NULL_ARGUMENT, "eks NULL out_len");
    uint32_t endpoint = 99;
    CHECK_RESULT(iamauth_sts_endpoint_parse("global", 6, &endpoint, NULL), IAMAUTH_OK, "global");
    CHECK(endpoint == IAMAUTH_STS_GLOBAL, "global is %u", endpoint);
    CHECK_RESULT(iamauth_sts_endpoint_parse("Global", 6, &endpoint, NULL), IAMAUTH_INVALID_REQUEST,
                 "Global");
    CHECK_RESULT(iamauth_sts_endpoint_parse("regional", 8, NULL, NULL), IAMAUTH_NULL_ARGUMENT,
                 "parse NULL out");
    /* IAMAUTH_NOW: the expiration is the signing time + 14 minutes, now. */
    int64_t expiration = 0;
    int64_t before = (int64_t)time(NULL);
    CHECK_RESULT(iamauth_eks_token(demo->cluster.p, demo->cluster.n, demo->region.p,
                                   demo->region.n, 0, IAMAUTH_NOW, &k, buf, sizeof buf, &len,
                                   &expiration, NULL),
                 IAMAUTH_OK, "eks now");
    int64_t after = (int64_t)time(NULL);
    CHECK(expiration >= before + 840 && expiration <= after + 840, "eks now: expiration %" PRId64,
          expiration);
}

static void test_msk_vectors(void) {
    char buf[16384];
    for (size_t i = 0; i < COUNT(MSK_CASES); i++) {
        const mskcase *c = &MSK_CASES[i];
        size_t len = 0;
        int64_t expiry = 0;
        iamauth_str message = {NULL, 0};
        iamauth_result r = make_msk(c, buf, sizeof buf, &len, &expiry, &message);
        CHECK_RESULT(r, IAMAUTH_OK, c->id);
        if (r != IAMAUTH_OK) {
            fprintf(stderr, "  message: %.*s\n", (int)message.len, message.data);
            continue;
        }
        CHECK(same(buf, len, c->token.p, c->token.n), "%s: token differs:\n got  %.*s\n want %s",
              c->id, (int)len, buf, c->token.p);
        CHECK(buf[len] == '\0', "%s: no NUL after the token", c->id);
        CHECK(expiry == c->expiry_ms, "%s: expiry %" PRId64 ", want %" PRId64, c->id, expiry,
              c->expiry_ms);
    }
    /* The js signer's tokens list the parameters in another order: the signature (read back
     * with iamauth_inspect2) and the expiry are the same. */
    for (size_t i = 0; i < COUNT(MSK_JS_CASES); i++) {
        const mskcase *c = &MSK_JS_CASES[i];
        size_t len = 0, tlen = 0;
        int64_t expiry = 0;
        iamauth_result r = make_msk(c, buf, sizeof buf, &len, &expiry, NULL);
        CHECK_RESULT(r, IAMAUTH_OK, c->id);
        CHECK(expiry == c->expiry_ms, "%s: expiry %" PRId64, c->id, expiry);
        iamauth_token_info info;
        char text[16384];
        r = iamauth_inspect2(buf, len, c->time, &info, text, sizeof text, &tlen, NULL, 0, NULL,
                             NULL);
        CHECK_RESULT(r, IAMAUTH_OK, c->id);
        if (r != IAMAUTH_OK) continue;
        CHECK(same(info.signature.data, info.signature.len, c->signature.p, c->signature.n),
              "%s: signature %.*s", c->id, (int)info.signature.len, info.signature.data);
        CHECK(info.kind == IAMAUTH_KIND_MSK && info.expires_at * 1000 == c->expiry_ms,
              "%s: kind %d, expires_at %" PRId64, c->id, (int)info.kind, info.expires_at);
    }
    for (size_t i = 0; i < COUNT(MSK_ERRORS); i++) {
        const mskcase *c = &MSK_ERRORS[i];
        size_t len = 12345;
        int64_t expiry = 777;
        iamauth_str message = {NULL, 0};
        memset(buf, 'Z', 8);
        iamauth_result r = make_msk(c, buf, sizeof buf, &len, &expiry, &message);
        CHECK(strcmp(iamauth_result_name(r), c->error) == 0, "%s: got %s, want %s", c->id,
              iamauth_result_name(r), c->error);
        CHECK(message.data != NULL && message.len > 0, "%s: no message", c->id);
        CHECK(len == 12345 && expiry == 777 && buf[0] == 'Z', "%s: output written on failure",
              c->id);
    }
    /* The User-Agent: NULL is the library's own ("iamauth/VERSION"); an empty one is refused. */
    const mskcase *demo = &MSK_CASES[0];
    iamauth_credentials k = {demo->access_key_id.p, demo->access_key_id.n,
                             demo->secret_access_key.p, demo->secret_access_key.n, NULL, 0};
    size_t len = 0, tlen = 0;
    int64_t expiry = 0;
    CHECK_RESULT(iamauth_msk_token(demo->region.p, demo->region.n, 900, NULL, 0, demo->time, &k,
                                   buf, sizeof buf, &len, &expiry, NULL),
                 IAMAUTH_OK, "msk default user agent");
    char text[16384];
    CHECK_RESULT(iamauth_decode_token(buf, len, text, sizeof text, &tlen, NULL), IAMAUTH_OK,
                 "decode msk");
    char want[128];
    snprintf(want, sizeof want, "&User-Agent=iamauth%%2F%s", IAMAUTH_VERSION);
    CHECK(tlen > strlen(want) && strcmp(text + tlen - strlen(want), want) == 0,
          "msk default user agent: %s", text);
    /* The same signature as the reference's token (the User-Agent is not signed). */
    iamauth_token_info mine, ref;
    char t1[16384], t2[16384];
    size_t l1 = 0, l2 = 0;
    CHECK_RESULT(iamauth_inspect2(buf, len, demo->time, &mine, t1, sizeof t1, &l1, NULL, 0, NULL,
                                  NULL),
                 IAMAUTH_OK, "inspect2 msk");
    CHECK_RESULT(iamauth_inspect2(demo->token.p, demo->token.n, demo->time, &ref, t2, sizeof t2,
                                  &l2, NULL, 0, NULL, NULL),
                 IAMAUTH_OK, "inspect2 msk reference");
    CHECK(same(mine.signature.data, mine.signature.len, ref.signature.data, ref.signature.len),
          "msk signature with the default user agent");
    CHECK_RESULT(iamauth_msk_token(demo->region.p, demo->region.n, 900, "", 0, demo->time, &k, buf,
                                   sizeof buf, &len, NULL, NULL),
                 IAMAUTH_INVALID_USER_AGENT, "msk empty user agent");
    CHECK_RESULT(iamauth_msk_token(demo->region.p, demo->region.n, 900, NULL, 0, demo->time, NULL,
                                   buf, sizeof buf, &len, NULL, NULL),
                 IAMAUTH_NULL_ARGUMENT, "msk NULL credentials");
    /* expires_in shortens the expiry */
    CHECK_RESULT(iamauth_msk_token(demo->region.p, demo->region.n, 60, NULL, 0, demo->time, &k,
                                   buf, sizeof buf, &len, &expiry, NULL),
                 IAMAUTH_OK, "msk 60 s");
    CHECK(expiry == (demo->time + 60) * 1000, "msk 60 s: expiry %" PRId64, expiry);
}

/* iamauth_inspect2 and iamauth_decode_token on EKS and MSK tokens; iamauth_inspect refuses them
 * (its views would point into a decoded copy). */
static void test_inspect_encoded(void) {
    const ekscase *e = &EKS_CASES[0];
    const mskcase *m = &MSK_CASES[0];
    for (int which = 0; which < 2; which++) {
        const vstr *tok = which == 0 ? &e->token : &m->token;
        int64_t signed_at = which == 0 ? e->time : m->time;
        const char *id = which == 0 ? e->id : m->id;
        /* A heap copy, freed before the views are read: they point into text, not the token. */
        char *token = malloc(tok->n);
        memcpy(token, tok->p, tok->n);
        size_t need = 0;
        iamauth_token_info info, before;
        memset(&before, 0xCD, sizeof before);
        memcpy(&info, &before, sizeof info);
        CHECK_RESULT(iamauth_inspect2(token, tok->n, signed_at, &info, NULL, 0, &need, NULL, 0,
                                      NULL, NULL),
                     IAMAUTH_BUFFER_TOO_SMALL, id);
        CHECK(need > 0 && need < tok->n && memcmp(&info, &before, sizeof info) == 0,
              "%s: size query (%zu) wrote *out", id, need);
        char *text = malloc(need + 1);
        size_t tlen = 0, ulen = 99;
        char user[8];
        iamauth_str message = {NULL, 0};
        iamauth_result r = iamauth_inspect2(token, tok->n, signed_at + 30, &info, text, need + 1,
                                            &tlen, user, sizeof user, &ulen, &message);
        CHECK_RESULT(r, IAMAUTH_OK, id);
        /* iamauth_inspect: refused with a message naming iamauth_inspect2. */
        iamauth_token_info old;
        iamauth_str why = {NULL, 0};
        CHECK_RESULT(iamauth_inspect(token, tok->n, signed_at, &old, NULL, 0, NULL, &why),
                     IAMAUTH_MALFORMED_TOKEN, id);
        CHECK(why.data != NULL && contains(why.data, why.len, "iamauth_inspect2"),
              "%s: message %.*s", id, (int)why.len, why.data);
        /* iamauth_decode_token gives the same text. */
        char *text2 = malloc(need + 1);
        size_t t2 = 0;
        CHECK_RESULT(iamauth_decode_token(token, tok->n, text2, need + 1, &t2, NULL), IAMAUTH_OK,
                     id);
        CHECK(t2 == tlen && memcmp(text, text2, tlen) == 0 && text2[t2] == '\0', "%s: decode", id);
        free(text2);
        free(token);
        if (r != IAMAUTH_OK) {
            free(text);
            continue;
        }
        CHECK(tlen == need && text[tlen] == '\0' && strncmp(text, "https://", 8) == 0,
              "%s: text %s", id, text);
        CHECK(!info.has_user && ulen == 0 && user[0] == '\0', "%s: user", id);
        CHECK(info.signed_at == signed_at && info.validity == IAMAUTH_STATUS_VALID, "%s: times",
              id);
#define VIEW_IS(v, s) same((v).data, (v).len, (s), strlen(s))
        if (which == 0) {
            CHECK(info.kind == IAMAUTH_KIND_EKS, "eks kind %d", (int)info.kind);
            CHECK(VIEW_IS(info.host, "sts.us-east-1.amazonaws.com"), "eks host");
            CHECK(VIEW_IS(info.action, "GetCallerIdentity"), "eks action");
            CHECK(VIEW_IS(info.service, "sts") && VIEW_IS(info.region, "us-east-1"), "eks scope");
            CHECK(info.expires_in == 60 && info.expires_at == signed_at + 900,
                  "eks expires_in %" PRId64 " expires_at %" PRId64, info.expires_in,
                  info.expires_at);
        } else {
            CHECK(info.kind == IAMAUTH_KIND_MSK, "msk kind %d", (int)info.kind);
            CHECK(VIEW_IS(info.host, "kafka.us-east-1.amazonaws.com"), "msk host");
            CHECK(VIEW_IS(info.action, "kafka-cluster:Connect"), "msk action %.*s",
                  (int)info.action.len, info.action.data);
            CHECK(VIEW_IS(info.service, "kafka-cluster"), "msk service");
            CHECK(info.expires_in == 900 && info.expires_at == signed_at + 900, "msk expiry");
        }
        CHECK(VIEW_IS(info.access_key_id, "AKIDEXAMPLE"), "%s: access key id", id);
        CHECK(info.signature.len == 64 && info.signature.data >= text &&
                  info.signature.data + 64 <= text + tlen,
              "%s: the signature is a view into text_buf", id);
#undef VIEW_IS
        free(text);
    }
    /* A plain token through iamauth_inspect2: text is the token, views into text. */
    const vcase *c = DEMO;
    char text[2048];
    size_t tlen = 0, ulen = 0;
    char user[64];
    iamauth_token_info info;
    CHECK_RESULT(iamauth_inspect2(c->token.p, c->token.n, c->time, &info, text, sizeof text, &tlen,
                                  user, sizeof user, &ulen, NULL),
                 IAMAUTH_OK, "inspect2 rds");
    CHECK(same(text, tlen, c->token.p, c->token.n) && info.kind == IAMAUTH_KIND_RDS &&
              info.host.data == text && same(user, ulen, c->user.p, c->user.n),
          "inspect2 rds: views into text");
    /* Both buffers too small: both lengths, nothing else. */
    size_t t0 = 0, u0 = 0;
    CHECK_RESULT(iamauth_inspect2(c->token.p, c->token.n, c->time, &info, text, 4, &t0, user, 1,
                                  &u0, NULL),
                 IAMAUTH_BUFFER_TOO_SMALL, "inspect2 small");
    CHECK(t0 == c->token.n && u0 == c->user.n, "inspect2 small: %zu %zu", t0, u0);
    CHECK_RESULT(iamauth_inspect2(c->token.p, c->token.n, c->time, &info, NULL, 0, NULL, NULL, 0,
                                  NULL, NULL),
                 IAMAUTH_NULL_ARGUMENT, "inspect2 NULL text_len");
    /* Base64 that is not of an https URL comes back as it is; inspect refuses it. */
    CHECK_RESULT(iamauth_decode_token("k8s-aws-v1.aGVsbG8", 18, text, sizeof text, &tlen, NULL),
                 IAMAUTH_OK, "decode hello");
    CHECK(tlen == 18 && strcmp(text, "k8s-aws-v1.aGVsbG8") == 0, "decode hello: %s", text);
    CHECK_RESULT(iamauth_inspect2("k8s-aws-v1.aGVsbG8", 18, 0, &info, text, sizeof text, &tlen,
                                  NULL, 0, NULL, NULL),
                 IAMAUTH_MALFORMED_TOKEN, "inspect2 hello");
}

/* iamauth_verify2 on EKS and MSK tokens made here (verify.json's cases run in
 * test_verify_vectors.c): the cluster expectation, the service. */
static void test_verify_encoded(void) {
    const ekscase *e = &EKS_CASES[0];
    const mskcase *m = &MSK_CASES[0];
    const char *keys =
        "{\"AKIDEXAMPLE\": {\"secret_access_key\": \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"}}";
    iamauth_identity id;
    char text[16384];
    size_t tlen = 0;
    iamauth_expect sts = {0};
    sts.service = "sts";
    sts.service_len = 3;
    iamauth_result r =
        iamauth_verify2(e->token.p, e->token.n, keys, strlen(keys), &sts, "my-cluster", 10,
                        e->time + 10, &id, text, sizeof text, &tlen, NULL, 0, NULL, NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "verify2 eks");
    CHECK(id.kind == IAMAUTH_KIND_EKS && id.signed_at == e->time && id.expires_at == e->time + 900,
          "verify2 eks identity");
    CHECK_RESULT(iamauth_verify2(e->token.p, e->token.n, keys, strlen(keys), &sts, "other", 5,
                                 e->time + 10, &id, text, sizeof text, &tlen, NULL, 0, NULL, NULL),
                 IAMAUTH_SIGNATURE_MISMATCH, "verify2 eks other cluster");
    CHECK_RESULT(iamauth_verify2(e->token.p, e->token.n, keys, strlen(keys), &sts, NULL, 0,
                                 e->time + 10, &id, text, sizeof text, &tlen, NULL, 0, NULL, NULL),
                 IAMAUTH_INVALID_CLUSTER, "verify2 eks no cluster");
    CHECK_RESULT(iamauth_verify(e->token.p, e->token.n, keys, strlen(keys), &sts, e->time + 10,
                                &id, NULL, 0, NULL, NULL),
                 IAMAUTH_MALFORMED_TOKEN, "verify eks");
    iamauth_expect any = {0};
    CHECK_RESULT(iamauth_verify2(e->token.p, e->token.n, keys, strlen(keys), &any, "my-cluster",
                                 10, e->time + 10, &id, text, sizeof text, &tlen, NULL, 0, NULL,
                                 NULL),
                 IAMAUTH_WRONG_SERVICE, "verify2 eks default service");
    iamauth_expect kafka = {0};
    kafka.service = "kafka-cluster";
    kafka.service_len = 13;
    kafka.region = "us-east-1";
    kafka.region_len = 9;
    CHECK_RESULT(iamauth_verify2(m->token.p, m->token.n, keys, strlen(keys), &kafka, NULL, 0,
                                 m->time + 10, &id, text, sizeof text, &tlen, NULL, 0, NULL, NULL),
                 IAMAUTH_OK, "verify2 msk");
    CHECK(id.kind == IAMAUTH_KIND_MSK && id.service.data >= text &&
              id.service.data + id.service.len <= text + tlen,
          "verify2 msk: service a view into text");
    CHECK_RESULT(iamauth_verify2(m->token.p, m->token.n, keys, strlen(keys), &kafka, NULL, 0,
                                 m->time + 901, &id, text, sizeof text, &tlen, NULL, 0, NULL,
                                 NULL),
                 IAMAUTH_EXPIRED_TOKEN, "verify2 msk expired");
}

int main(void) {
    if (strcmp(DEMO->id, "rds-demo") != 0) {
        fprintf(stderr, "the first token vector is %s, not rds-demo\n", DEMO->id);
        return 1;
    }
    const char *env_rounds = getenv("IAMAUTH_TEST_ROUNDS");
    if (env_rounds != NULL && atoi(env_rounds) > 0) rounds = atoi(env_rounds);
    test_codes_and_version();
    test_token_vectors();
    test_error_vectors();
    test_null_arguments();
    test_invalid_utf8();
    test_buffer_sizes();
    test_now();
    test_inspect_vectors();
    test_inspect_malformed();
    test_verify_success();
    test_verify_refusals();
    test_verify_malformed_expectations();
    test_verify_grants();
    test_defaults();
    test_region_from_host();
    test_refresh_at();
    test_reuse();
    test_env_credentials();
    test_eks_vectors();
    test_msk_vectors();
    test_inspect_encoded();
    test_verify_encoded();
    test_threads();
    printf("token vectors: %zu, error vectors: %zu, eks: %zu + %zu errors, msk: %zu + %zu errors "
           "+ %zu js, threads: %d x %d rounds\n",
           COUNT(TOKEN_CASES), COUNT(ERROR_CASES), COUNT(EKS_CASES), COUNT(EKS_ERRORS),
           COUNT(MSK_CASES), COUNT(MSK_ERRORS), COUNT(MSK_JS_CASES), THREADS, rounds);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
