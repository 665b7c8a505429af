/* Tests of the credential chain through the C ABI (iamauth_credentials_provider_*), from C: the
 * container endpoint (tests/container_mock.py on 127.0.0.1, its base URL in
 * IAMAUTH_TEST_CONTAINER_URL, started and stopped by test.sh), the one-buffer copy and its size
 * query, the cache, tokens from the provider equal to those of the same credentials passed by
 * hand, a profile file with static keys, nothing configured, expired credentials, NULL
 * arguments, and 8 threads on one handle. Prints "N passed, N failed" last; exits 1 on any
 * failure.
 *
 * Build: cc -I include tests/test_credentials.c -L LIBDIR -liamauth -lpthread -ldl -lm */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv, mkdtemp */
#include "iamauth.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define CHECK_RESULT(r, want, what)                                           \
    CHECK((r) == (want), "%s: got %s, want %s", (what), iamauth_result_name(r), \
          iamauth_result_name(want))

/* What tests/container_mock.py answers (keep in step with it). */
#define MOCK_AKID "ASIAMOCKEXAMPLE"
#define MOCK_SECRET "mockSecretKey/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define MOCK_TOKEN "IQoJb3JpZ2luX2VjEMockSessionToken+/="
#define MOCK_EXPIRATION INT64_C(4070908800) /* 2099-01-01T00:00:00Z */
#define MOCK_AUTHORIZATION "mock-authorization-token"

#define PROFILE_AKID "AKIDPROFILEEXAMPLE"
#define PROFILE_SECRET "profileSecret/K7MDENG+bPxRfiCYEXAMPLEKEY"

#define S(lit) lit, sizeof(lit) - 1
#define HOST "mydb.123456789012.us-east-1.rds.amazonaws.com"
#define T0 INT64_C(1704164645) /* 2024-01-02T03:04:05Z */

static char url[512];  /* the mock's /creds */
static char dir[256];  /* scratch directory: the shared files */

static bool same(const char *a, size_t an, const char *b, size_t bn) {
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* Nothing from the machine: no keys, no profile, no ~/.aws, no IMDS, no container endpoint. */
static void clean_env(void) {
    const char *unset[] = {"AWS_ACCESS_KEY_ID",
                           "AWS_SECRET_ACCESS_KEY",
                           "AWS_SESSION_TOKEN",
                           "AWS_CREDENTIAL_EXPIRATION",
                           "AWS_PROFILE",
                           "AWS_DEFAULT_PROFILE",
                           "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                           "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                           "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                           "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                           "AWS_WEB_IDENTITY_TOKEN_FILE",
                           "AWS_ROLE_ARN",
                           "AWS_EC2_METADATA_SERVICE_ENDPOINT"};
    for (size_t i = 0; i < COUNT(unset); i++) unsetenv(unset[i]);
    char path[512];
    snprintf(path, sizeof path, "%s/config", dir);
    setenv("AWS_CONFIG_FILE", path, 1);
    snprintf(path, sizeof path, "%s/credentials", dir);
    setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
    setenv("HOME", dir, 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
}

static void use_container(const char *authorization) {
    clean_env();
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", authorization, 1);
}

static iamauth_credentials_provider *provider(const char *profile) {
    iamauth_credentials_provider *p = NULL;
    iamauth_str message = {NULL, 0};
    iamauth_result r = iamauth_credentials_provider_new(profile, profile ? strlen(profile) : 0, &p,
                                                        &message);
    CHECK(r == IAMAUTH_OK && p != NULL, "new: %s %.*s", iamauth_result_name(r), (int)message.len,
          message.data);
    return p;
}

/* The source the provider names, as a C string (static buffer). */
static const char *source_of(const iamauth_credentials_provider *p) {
    static char buf[256];
    size_t len = 0;
    iamauth_result r = iamauth_credentials_provider_source(p, buf, sizeof buf, &len, NULL);
    CHECK_RESULT(r, IAMAUTH_OK, "source");
    return r == IAMAUTH_OK ? buf : "";
}

static void test_new(void) {
    iamauth_credentials_provider *const sentinel = (iamauth_credentials_provider *)&passed;
    iamauth_credentials_provider *p = sentinel;
    iamauth_str message = {NULL, 0};
    iamauth_result r = iamauth_credentials_provider_new(NULL, 0, NULL, &message);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "new: out NULL");
    r = iamauth_credentials_provider_new("", 0, &p, &message);
    CHECK_RESULT(r, IAMAUTH_INVALID_CREDENTIALS, "new: empty profile");
    CHECK(message.len > 0 && strncmp(message.data, "profile:", 8) == 0, "message: %.*s",
          (int)message.len, message.data);
    r = iamauth_credentials_provider_new("\xff", 1, &p, NULL);
    CHECK_RESULT(r, IAMAUTH_INVALID_UTF8, "new: profile not UTF-8");
    r = iamauth_credentials_provider_new(NULL, 3, &p, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "new: (NULL, 3)");
    CHECK(p == sentinel, "new: nothing written on failure");
    iamauth_credentials_provider_free(NULL);
}

static void test_container(void) {
    use_container(MOCK_AUTHORIZATION);
    iamauth_credentials_provider *p = provider(NULL);
    CHECK(strcmp(source_of(p), "") == 0, "no source before the first resolve");

    const size_t want = sizeof MOCK_AKID + sizeof MOCK_SECRET + sizeof MOCK_TOKEN - 1;
    iamauth_credentials k, before;
    memset(&before, 0x5A, sizeof before);
    k = before;
    int64_t expiration = 42;
    size_t len = 0;
    char error[1024] = "";
    /* The size query. */
    iamauth_result r =
        iamauth_credentials_provider_resolve(p, NULL, 0, &len, &k, &expiration, error, sizeof error);
    CHECK_RESULT(r, IAMAUTH_BUFFER_TOO_SMALL, "size query");
    CHECK(len == want, "needed %zu, want %zu", len, want);
    CHECK(memcmp(&k, &before, sizeof k) == 0 && expiration == 42, "nothing else written");
    CHECK(strstr(error, "too small") != NULL, "error: %s", error);
    /* One byte short. */
    char *buf = malloc(want + 1);
    if (buf == NULL) {
        CHECK(0, "malloc");
        return;
    }
    len = 0;
    r = iamauth_credentials_provider_resolve(p, buf, want, &len, &k, &expiration, NULL, 0);
    CHECK(r == IAMAUTH_BUFFER_TOO_SMALL && len == want, "one byte short: %s, %zu",
          iamauth_result_name(r), len);
    /* Exactly enough. */
    r = iamauth_credentials_provider_resolve(p, buf, want + 1, &len, &k, &expiration, error,
                                             sizeof error);
    CHECK(r == IAMAUTH_OK, "resolve: %s: %s", iamauth_result_name(r), error);
    if (r == IAMAUTH_OK) {
        CHECK(len == want, "out_len %zu", len);
        CHECK(same(k.access_key_id, k.access_key_id_len, S(MOCK_AKID)) &&
                  same(k.secret_access_key, k.secret_access_key_len, S(MOCK_SECRET)) &&
                  same(k.session_token, k.session_token_len, S(MOCK_TOKEN)),
              "the mock's credentials");
        CHECK(k.access_key_id == buf && k.secret_access_key == buf + sizeof MOCK_AKID &&
                  k.session_token == buf + sizeof MOCK_AKID + sizeof MOCK_SECRET,
              "back to back in buf");
        CHECK(strcmp(k.access_key_id, MOCK_AKID) == 0 &&
                  strcmp(k.secret_access_key, MOCK_SECRET) == 0 &&
                  strcmp(k.session_token, MOCK_TOKEN) == 0,
              "each NUL-terminated");
        CHECK(expiration == MOCK_EXPIRATION, "expiration %" PRId64, expiration);
        CHECK(strcmp(source_of(p), "container endpoint") == 0, "source: %s", source_of(p));

        /* Tokens from the provider are those of the same credentials passed by hand. */
        char a[4096], b[4096];
        size_t alen = 0, blen = 0;
        iamauth_result ra = iamauth_rds_token_from_provider(
            p, S(HOST), 5432, S("iam_user"), NULL, 0, 900, T0, a, sizeof a, &alen, error,
            sizeof error);
        iamauth_result rb = iamauth_rds_token(S(HOST), 5432, S("iam_user"), NULL, 0, 900, T0, &k,
                                              b, sizeof b, &blen, NULL);
        CHECK(ra == IAMAUTH_OK && rb == IAMAUTH_OK && same(a, alen, b, blen),
              "rds: from the provider %s (%s), by hand %s", iamauth_result_name(ra), error,
              iamauth_result_name(rb));
        CHECK(strstr(a, "X-Amz-Security-Token=") != NULL && strstr(a, MOCK_AKID) != NULL,
              "rds token: %s", a);
        const size_t rds_len = alen;
        ra = iamauth_dsql_token_from_provider(p, S("abc.dsql.us-east-1.on.aws"), NULL, 0, true,
                                              3600, T0, a, sizeof a, &alen, NULL, 0);
        rb = iamauth_dsql_token(S("abc.dsql.us-east-1.on.aws"), NULL, 0, true, 3600, T0, &k, b,
                                sizeof b, &blen, NULL);
        CHECK(ra == IAMAUTH_OK && rb == IAMAUTH_OK && same(a, alen, b, blen), "dsql: %s %s",
              iamauth_result_name(ra), iamauth_result_name(rb));
        ra = iamauth_elasticache_token_from_provider(p, S("my-cache"), S("cache_user"),
                                                     S("us-east-1"), true, NULL, 0, 900, T0, a,
                                                     sizeof a, &alen, NULL, 0);
        rb = iamauth_elasticache_token(S("my-cache"), S("cache_user"), S("us-east-1"), true, NULL,
                                       0, 900, T0, &k, b, sizeof b, &blen, NULL);
        CHECK(ra == IAMAUTH_OK && rb == IAMAUTH_OK && same(a, alen, b, blen),
              "elasticache: %s %s", iamauth_result_name(ra), iamauth_result_name(rb));
        /* IAMAUTH_NOW: signed now, with credentials that expire in 2099. */
        ra = iamauth_rds_token_from_provider(p, S(HOST), 5432, S("iam_user"), NULL, 0, 900,
                                             IAMAUTH_NOW, a, sizeof a, &alen, NULL, 0);
        CHECK_RESULT(ra, IAMAUTH_OK, "rds now");
        /* The token's buffer: size query, too small, the caller's arguments before the chain. */
        ra = iamauth_rds_token_from_provider(p, S(HOST), 5432, S("iam_user"), NULL, 0, 900, T0,
                                             NULL, 0, &alen, NULL, 0);
        CHECK(ra == IAMAUTH_BUFFER_TOO_SMALL && alen == rds_len, "token size query: %s, %zu",
              iamauth_result_name(ra), alen);
        size_t need = alen;
        ra = iamauth_rds_token_from_provider(p, S(HOST), 5432, S("iam_user"), NULL, 0, 900, T0, a,
                                             need, &alen, NULL, 0);
        CHECK(ra == IAMAUTH_BUFFER_TOO_SMALL && alen == need, "token one byte short");
        ra = iamauth_rds_token_from_provider(p, S(HOST), 0, S("iam_user"), NULL, 0, 900, T0, a,
                                             sizeof a, &alen, error, sizeof error);
        CHECK(ra == IAMAUTH_INVALID_PORT && strstr(error, "port") != NULL, "port 0: %s: %s",
              iamauth_result_name(ra), error);
        ra = iamauth_rds_token_from_provider(p, S(HOST), 5432, S("iam_user"), NULL, 0, 900, T0,
                                             NULL, 10, &alen, NULL, 0);
        CHECK_RESULT(ra, IAMAUTH_NULL_ARGUMENT, "token: buf NULL with cap 10");
    }

    /* The cache: the endpoint is no longer configured, the handle still has them. */
    unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    memset(buf, 0, want + 1);
    r = iamauth_credentials_provider_resolve(p, buf, want + 1, &len, &k, &expiration, error,
                                             sizeof error);
    CHECK(r == IAMAUTH_OK && same(k.access_key_id, k.access_key_id_len, S(MOCK_AKID)),
          "from the cache: %s: %s", iamauth_result_name(r), error);
    free(buf);
    iamauth_credentials_provider_free(p);
}

static void test_wrong_authorization(void) {
    use_container("another-token");
    iamauth_credentials_provider *p = provider(NULL);
    char buf[512], error[1024] = "";
    size_t len = 0;
    iamauth_credentials k;
    int64_t expiration = 0;
    iamauth_result r = iamauth_credentials_provider_resolve(p, buf, sizeof buf, &len, &k,
                                                            &expiration, error, sizeof error);
    CHECK_RESULT(r, IAMAUTH_INVALID_CREDENTIALS, "401");
    CHECK(strstr(error, "container endpoint") != NULL && strstr(error, "401") != NULL &&
              strstr(error, "another-token") == NULL,
          "error: %s", error);
    iamauth_credentials_provider_free(p);
}

static void test_nothing_configured(void) {
    clean_env();
    iamauth_credentials_provider *p = provider(NULL);
    char buf[512], error[2048];
    memset(error, 'x', sizeof error);
    size_t len = 77;
    iamauth_credentials k;
    int64_t expiration = 42;
    iamauth_result r = iamauth_credentials_provider_resolve(p, buf, sizeof buf, &len, &k,
                                                            &expiration, error, sizeof error);
    CHECK_RESULT(r, IAMAUTH_INVALID_CREDENTIALS, "nothing configured");
    CHECK(memchr(error, 0, sizeof error) != NULL, "error NUL-terminated");
    error[sizeof error - 1] = 0;
    CHECK(strstr(error, "no credentials found") != NULL && strstr(error, "environment") != NULL &&
              strstr(error, "container endpoint") != NULL && strstr(error, "IMDS") != NULL,
          "the error lists the sources: %s", error);
    CHECK(len == 77 && expiration == 42, "nothing written on failure");
    CHECK(strcmp(source_of(p), "") == 0, "still no source");
    /* The error text cut to the buffer, NUL included; NULL or capacity 0 writes nothing. */
    char small[16];
    memset(small, 'x', sizeof small);
    r = iamauth_credentials_provider_resolve(p, buf, sizeof buf, &len, &k, &expiration, small,
                                             sizeof small);
    CHECK(r == IAMAUTH_INVALID_CREDENTIALS && strlen(small) == sizeof small - 1 &&
              strncmp(small, error, sizeof small - 1) == 0,
          "cut: %s", small);
    memset(small, 'x', sizeof small);
    r = iamauth_credentials_provider_resolve(p, buf, sizeof buf, &len, &k, &expiration, small, 0);
    CHECK(r == IAMAUTH_INVALID_CREDENTIALS && small[0] == 'x', "capacity 0: not written");
    r = iamauth_credentials_provider_resolve(p, buf, sizeof buf, &len, &k, &expiration, NULL, 99);
    CHECK_RESULT(r, IAMAUTH_INVALID_CREDENTIALS, "error NULL");
    /* The token calls say the same. */
    char token[4096];
    r = iamauth_rds_token_from_provider(p, S(HOST), 5432, S("iam_user"), NULL, 0, 900, T0, token,
                                        sizeof token, &len, error, sizeof error);
    CHECK(r == IAMAUTH_INVALID_CREDENTIALS && strstr(error, "IMDS") != NULL, "token: %s: %s",
          iamauth_result_name(r), error);
    iamauth_credentials_provider_free(p);
}

static void write_file(const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL, "open %s", path);
    if (f == NULL) return;
    fputs(text, f);
    fclose(f);
}

static void test_profile_file(void) {
    clean_env();
    write_file("config", "[default]\nregion = us-east-1\n\n[profile static]\naws_access_key_id = " PROFILE_AKID
                         "\naws_secret_access_key = " PROFILE_SECRET "\n");
    /* Keys in the environment are not read for a named profile (the AWS CLI's --profile). */
    setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENVIRONMENT", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "environmentSecret", 1);
    iamauth_credentials_provider *p = provider("static");
    char buf[512], error[1024] = "";
    size_t len = 0;
    iamauth_credentials k;
    int64_t expiration = 0;
    iamauth_result r = iamauth_credentials_provider_resolve(p, buf, sizeof buf, &len, &k,
                                                            &expiration, error, sizeof error);
    CHECK(r == IAMAUTH_OK, "profile static: %s: %s", iamauth_result_name(r), error);
    if (r == IAMAUTH_OK) {
        CHECK(same(k.access_key_id, k.access_key_id_len, S(PROFILE_AKID)) &&
                  same(k.secret_access_key, k.secret_access_key_len, S(PROFILE_SECRET)) &&
                  k.session_token == NULL && k.session_token_len == 0,
              "the profile's keys, no session token");
        CHECK(len == sizeof PROFILE_AKID + sizeof PROFILE_SECRET - 1, "out_len %zu", len);
        CHECK(expiration == IAMAUTH_NO_EXPIRATION, "long-term keys: %" PRId64, expiration);
        CHECK(strstr(source_of(p), "profile static") != NULL, "source: %s", source_of(p));
    }
    iamauth_credentials_provider_free(p);

    /* AWS_PROFILE, without the environment's keys. */
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    setenv("AWS_PROFILE", "static", 1);
    p = provider(NULL);
    r = iamauth_credentials_provider_resolve(p, buf, sizeof buf, &len, &k, &expiration, error,
                                             sizeof error);
    CHECK(r == IAMAUTH_OK && same(k.access_key_id, k.access_key_id_len, S(PROFILE_AKID)),
          "AWS_PROFILE=static: %s: %s", iamauth_result_name(r), error);
    iamauth_credentials_provider_free(p);

    /* A named profile that does not exist. */
    p = provider("missing");
    r = iamauth_credentials_provider_resolve(p, buf, sizeof buf, &len, &k, &expiration, error,
                                             sizeof error);
    CHECK(r == IAMAUTH_INVALID_CREDENTIALS && strstr(error, "profile missing") != NULL,
          "missing profile: %s: %s", iamauth_result_name(r), error);
    iamauth_credentials_provider_free(p);
}

static void test_expired(void) {
    char token[4096], error[1024] = "";
    size_t len = 0;
    /* Already expired when found: refused by the token call. */
    clean_env();
    setenv("AWS_ACCESS_KEY_ID", "ASIAEXPIREDEXAMPLE", 1);
    setenv("AWS_SECRET_ACCESS_KEY", MOCK_SECRET, 1);
    setenv("AWS_SESSION_TOKEN", MOCK_TOKEN, 1);
    setenv("AWS_CREDENTIAL_EXPIRATION", "2020-01-01T00:00:00Z", 1);
    iamauth_credentials_provider *p = provider(NULL);
    iamauth_result r = iamauth_rds_token_from_provider(p, S(HOST), 5432, S("iam_user"), NULL, 0,
                                                       900, IAMAUTH_NOW, token, sizeof token, &len,
                                                       error, sizeof error);
    CHECK(r == IAMAUTH_INVALID_CREDENTIALS && strstr(error, "expired") != NULL,
          "expired in 2020: %s: %s", iamauth_result_name(r), error);
    iamauth_credentials_provider_free(p);

    /* Valid now, expired at the signing time asked for: the core's reuse rule refuses them. */
    setenv("AWS_CREDENTIAL_EXPIRATION", "2099-01-01T00:00:00Z", 1);
    p = provider(NULL);
    r = iamauth_rds_token_from_provider(p, S(HOST), 5432, S("iam_user"), NULL, 0, 900,
                                        MOCK_EXPIRATION, token, sizeof token, &len, error,
                                        sizeof error);
    CHECK(r == IAMAUTH_INVALID_CREDENTIALS && strncmp(error, "credentials: expired", 20) == 0,
          "signed at their expiration: %s: %s", iamauth_result_name(r), error);
    r = iamauth_dsql_token_from_provider(p, S("abc.dsql.us-east-1.on.aws"), NULL, 0, false, 900,
                                         MOCK_EXPIRATION + 1, token, sizeof token, &len, NULL, 0);
    CHECK_RESULT(r, IAMAUTH_INVALID_CREDENTIALS, "dsql signed after their expiration");
    r = iamauth_elasticache_token_from_provider(p, S("c"), S("u"), S("us-east-1"), false, NULL, 0,
                                                900, MOCK_EXPIRATION + 1, token, sizeof token,
                                                &len, NULL, 0);
    CHECK_RESULT(r, IAMAUTH_INVALID_CREDENTIALS, "elasticache signed after their expiration");
    r = iamauth_rds_token_from_provider(p, S(HOST), 5432, S("iam_user"), NULL, 0, 900,
                                        MOCK_EXPIRATION - 1, token, sizeof token, &len, error,
                                        sizeof error);
    CHECK(r == IAMAUTH_OK, "a second before: %s: %s", iamauth_result_name(r), error);
    CHECK(strcmp(source_of(p), "environment") == 0, "source: %s", source_of(p));
    iamauth_credentials_provider_free(p);
    clean_env();
}

static void test_null_arguments(void) {
    clean_env();
    iamauth_credentials_provider *p = provider(NULL);
    char buf[64], error[256] = "";
    size_t len = 0;
    iamauth_credentials k;
    int64_t expiration = 0;
    iamauth_result r = iamauth_credentials_provider_resolve(NULL, buf, sizeof buf, &len, &k,
                                                            &expiration, error, sizeof error);
    CHECK(r == IAMAUTH_NULL_ARGUMENT && strcmp(error, "provider: NULL pointer") == 0,
          "resolve: provider NULL: %s", error);
    r = iamauth_credentials_provider_resolve(p, buf, sizeof buf, NULL, &k, &expiration, NULL, 0);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "resolve: out_len NULL");
    r = iamauth_credentials_provider_resolve(p, NULL, 8, &len, &k, &expiration, NULL, 0);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "resolve: buf NULL with cap 8");
    r = iamauth_credentials_provider_resolve(p, buf, sizeof buf, &len, NULL, &expiration, NULL, 0);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "resolve: out NULL");
    r = iamauth_credentials_provider_resolve(p, buf, sizeof buf, &len, &k, NULL, NULL, 0);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "resolve: expiration NULL");
    r = iamauth_credentials_provider_source(NULL, buf, sizeof buf, &len, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "source: provider NULL");
    r = iamauth_credentials_provider_source(p, buf, sizeof buf, NULL, NULL);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "source: out_len NULL");
    r = iamauth_rds_token_from_provider(NULL, S(HOST), 5432, S("u"), NULL, 0, 900, T0, buf,
                                        sizeof buf, &len, NULL, 0);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "rds: provider NULL");
    r = iamauth_dsql_token_from_provider(NULL, S("abc.dsql.us-east-1.on.aws"), NULL, 0, false, 900,
                                         T0, buf, sizeof buf, &len, NULL, 0);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "dsql: provider NULL");
    r = iamauth_elasticache_token_from_provider(NULL, S("c"), S("u"), S("us-east-1"), false, NULL,
                                                0, 900, T0, buf, sizeof buf, &len, NULL, 0);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "elasticache: provider NULL");
    r = iamauth_rds_token_from_provider(p, S(HOST), 5432, S("u"), NULL, 0, 900, T0, buf,
                                        sizeof buf, NULL, NULL, 0);
    CHECK_RESULT(r, IAMAUTH_NULL_ARGUMENT, "rds: out_len NULL");
    iamauth_credentials_provider_free(p);
}

#define THREADS 8
static int rounds = 20; /* IAMAUTH_TEST_ROUNDS overrides it (fewer under valgrind) */

static void *worker(void *arg) {
    void **args = arg;
    const iamauth_credentials_provider *p = args[0];
    int *bad = args[1];
    for (int round = 0; round < rounds; round++) {
        char buf[512], token[4096];
        size_t len = 0, tlen = 0;
        iamauth_credentials k;
        int64_t expiration = 0;
        if (iamauth_credentials_provider_resolve(p, buf, sizeof buf, &len, &k, &expiration, NULL,
                                                 0) != IAMAUTH_OK ||
            !same(k.access_key_id, k.access_key_id_len, S(MOCK_AKID)) ||
            expiration != MOCK_EXPIRATION ||
            iamauth_rds_token_from_provider(p, S(HOST), 5432, S("iam_user"), NULL, 0, 900, T0,
                                            token, sizeof token, &tlen, NULL, 0) != IAMAUTH_OK) {
            (*bad)++;
        }
    }
    return NULL;
}

static void test_threads(void) {
    use_container(MOCK_AUTHORIZATION);
    iamauth_credentials_provider *p = provider(NULL);
    pthread_t threads[THREADS];
    int bad[THREADS] = {0};
    void *args[THREADS][2];
    int started = 0;
    for (int i = 0; i < THREADS; i++) {
        args[i][0] = p;
        args[i][1] = &bad[i];
        if (pthread_create(&threads[i], NULL, worker, args[i]) == 0) started++;
    }
    CHECK(started == THREADS, "started %d threads", started);
    for (int i = 0; i < started; i++) {
        pthread_join(threads[i], NULL);
        CHECK(bad[i] == 0, "thread %d: %d failures", i, bad[i]);
    }
    iamauth_credentials_provider_free(p);
}

int main(void) {
    const char *base = getenv("IAMAUTH_TEST_CONTAINER_URL");
    if (base == NULL || *base == 0) {
        fprintf(stderr, "IAMAUTH_TEST_CONTAINER_URL is not set (test.sh starts tests/container_mock.py)\n");
        return 1;
    }
    snprintf(url, sizeof url, "%s/creds", base);
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/iamauth-credentials-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    const char *env_rounds = getenv("IAMAUTH_TEST_ROUNDS");
    if (env_rounds != NULL && atoi(env_rounds) > 0) rounds = atoi(env_rounds);
    test_new();
    test_container();
    test_wrong_authorization();
    test_nothing_configured();
    test_profile_file();
    test_expired();
    test_null_arguments();
    test_threads();
    char path[512];
    snprintf(path, sizeof path, "%s/config", dir);
    unlink(path);
    rmdir(dir);
    printf("credential chain: container endpoint %s, threads: %d x %d rounds\n", url, THREADS,
           rounds);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
