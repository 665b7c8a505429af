/* Per-call cost of a warm iamauth_rds_token (the C ABI) beside the core making the same token in
 * a Rust loop inside the same library (iamauth_bench_core_rds_token, feature `bench`), in one
 * process: about 31 interleaved rounds (a batch of C calls, then a batch of the core's loop, each
 * batch about 2 ms), so drift hits both alike. Overhead = C median - core median. Inputs: the
 * rds-demo vector (the core benchmark's). Prints the medians and writes target/bench/c.json
 * (docs/benchmarks.md has the format; $IAMAUTH_BENCH_DIR overrides the directory).
 * Run: bash bindings/c/bench/run.sh (builds the library with the `bench` feature, then this).
 * Built against a library without that feature, the core rows are left out (a weak symbol).
 * Usage: bench [rounds] [calls per batch]   (defaults 31, sized to ~2 ms) */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#include "iamauth.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The core's loop (bindings/c/src/bench.rs): not in the header, present only with `bench`. */
extern int64_t iamauth_bench_core_rds_token(const char *host, size_t host_len, int64_t port,
                                            const char *user, size_t user_len, const char *region,
                                            size_t region_len, int64_t expires_in, int64_t time,
                                            const iamauth_credentials *credentials, uint64_t n)
    __attribute__((weak));

static const char EXPECTED[] =
    "mydb.123456789012.us-east-1.rds.amazonaws.com:5432/?Action=connect&DBUser=iam_user&"
    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Frds-db"
    "%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&"
    "X-Amz-Signature=6162e47cc792ab818ec4732757b05fbe36dadabd428441ab694b2509461768db";

static const char HOST[] = "mydb.123456789012.us-east-1.rds.amazonaws.com";
static const iamauth_credentials CREDS = {"AKIDEXAMPLE", 11,
                                          "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", 40, NULL, 0};
#define TIME 1704164645

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct {
    double median, p10, p90;
} stats;

static stats stats_of(const double *xs, int n) {
    double *s = malloc(sizeof(double) * (size_t)n);
    stats r = {0, 0, 0};
    if (s == NULL) return r;
    memcpy(s, xs, sizeof(double) * (size_t)n);
    qsort(s, (size_t)n, sizeof(double), cmp);
    r.median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    r.p10 = s[(n - 1) / 10];
    r.p90 = s[(n - 1) - (n - 1) / 10];
    free(s);
    return r;
}

static char buf[1024];
static size_t len;

/* One batch of `calls` C ABI calls; false if a call failed. */
static int c_batch(int calls, unsigned long *sink) {
    for (int i = 0; i < calls; i++) {
        if (iamauth_rds_token(HOST, sizeof HOST - 1, 5432, "iam_user", 8, "us-east-1", 9, 900, TIME,
                              &CREDS, buf, sizeof buf, &len, NULL) != IAMAUTH_OK)
            return 0;
        *sink += (unsigned char)buf[len - 1];
    }
    return 1;
}

static int core_batch(int calls) {
    int64_t total = iamauth_bench_core_rds_token(HOST, sizeof HOST - 1, 5432, "iam_user", 8,
                                                 "us-east-1", 9, 900, TIME, &CREDS, (uint64_t)calls);
    return total == (int64_t)calls * (int64_t)(sizeof EXPECTED - 1);
}

/* A JSON string from the environment (or `fallback`), for the env block; no escaping needed for
 * version strings, but quotes and backslashes are dropped to stay valid JSON. */
static void json_env(FILE *f, const char *key, const char *value, int *first) {
    if (value == NULL || *value == '\0') return;
    fprintf(f, "%s\"%s\": \"", *first ? "" : ", ", key);
    for (const char *p = value; *p; p++)
        if (*p != '"' && *p != '\\' && (unsigned char)*p >= 0x20) fputc(*p, f);
    fputc('"', f);
    *first = 0;
}

static void json_result(FILE *f, const char *id, const char *label, const char *kind, stats s,
                        const char *vs, int target_plus_ns, int last) {
    fprintf(f, "    {\"id\": \"%s\", \"group\": \"c\", \"label\": \"%s\", \"kind\": \"%s\", "
               "\"ns\": %.1f, \"p10\": %.1f, \"p90\": %.1f",
            id, label, kind, s.median, s.p10, s.p90);
    if (vs != NULL) fprintf(f, ", \"vs\": \"%s\"", vs);
    if (target_plus_ns > 0) fprintf(f, ", \"target\": {\"plus_ns\": %d}", target_plus_ns);
    fprintf(f, "}%s\n", last ? "" : ",");
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 31;
    int calls = argc > 2 ? atoi(argv[2]) : 0;
    if (rounds < 1 || calls < 0) return 2;
    int with_core = iamauth_bench_core_rds_token != NULL;
    unsigned long sink = 0;

    /* warm: the signing key is derived once and cached; the token checked before any timing */
    if (!c_batch(1000, &sink)) {
        fprintf(stderr, "bench: token failed\n");
        return 1;
    }
    if (len != sizeof EXPECTED - 1 || memcmp(buf, EXPECTED, len) != 0) {
        fprintf(stderr, "bench: token differs from the rds-demo vector\n");
        return 1;
    }
    if (with_core && !core_batch(1000)) {
        fprintf(stderr, "bench: the core's loop failed or made tokens of another length\n");
        return 1;
    }
    if (calls == 0) { /* a batch of about 2 ms */
        double t0 = now_ns();
        c_batch(2000, &sink);
        double per = (now_ns() - t0) / 2000;
        calls = per > 0 ? (int)(2e6 / per) : 2000;
        if (calls < 100) calls = 100;
    }
    double *c_ns = malloc(sizeof(double) * (size_t)rounds);
    double *core_ns = malloc(sizeof(double) * (size_t)rounds);
    double *diff_ns = malloc(sizeof(double) * (size_t)rounds);
    if (c_ns == NULL || core_ns == NULL || diff_ns == NULL) return 1;
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        if (!c_batch(calls, &sink)) return 1;
        double t1 = now_ns();
        c_ns[r] = (t1 - t0) / calls;
        if (with_core) {
            if (!core_batch(calls)) return 1;
            core_ns[r] = (now_ns() - t1) / calls;
            diff_ns[r] = c_ns[r] - core_ns[r];
        }
    }
    stats c = stats_of(c_ns, rounds);
    printf("iamauth_rds_token (warm, C ABI):       median %6.0f ns/token (p10 %.0f, p90 %.0f; %d "
           "rounds x %d calls)%s\n",
           c.median, c.p10, c.p90, rounds, calls, sink == 0 ? " " : "");
    stats core = {0, 0, 0}, diff = {0, 0, 0};
    if (with_core) {
        core = stats_of(core_ns, rounds);
        diff = stats_of(diff_ns, rounds);
        printf("core rds_token, Rust loop (same lib):  median %6.0f ns/token (p10 %.0f, p90 %.0f)\n",
               core.median, core.p10, core.p90);
        printf("C ABI overhead: %+.0f ns (medians; per-round differences: median %+.0f, p10 %+.0f, "
               "p90 %+.0f); target +100 ns: %s\n",
               c.median - core.median, diff.median, diff.p10, diff.p90,
               c.median - core.median <= 100 ? "MET" : "NOT MET");
    } else {
        printf("core loop: not in this library (build iamauth-c with --features bench)\n");
    }

    const char *dir = getenv("IAMAUTH_BENCH_DIR");
    if (dir == NULL || *dir == '\0') dir = "target/bench";
    mkdir(dir, 0755);
    char path[4096];
    snprintf(path, sizeof path, "%s/c.json", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        return 1;
    }
    char when[32];
    time_t t = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    const char *command = getenv("IAMAUTH_BENCH_COMMAND");
    fprintf(f, "{\n  \"harness\": \"c\",\n  \"command\": \"%s\",\n  \"when\": \"%s\",\n  \"env\": {",
            command ? command : "bash bindings/c/bench/run.sh", when);
    int first = 1;
    json_env(f, "cc", __VERSION__, &first);
    json_env(f, "rustc", getenv("IAMAUTH_BENCH_RUSTC"), &first);
    json_env(f, "iamauth", IAMAUTH_VERSION, &first);
    fprintf(f, "},\n  \"results\": [\n");
    if (with_core) json_result(f, "c.core", "core rds_token, Rust loop in the same library (warm)",
                               "core", core, NULL, 0, 0);
    json_result(f, "c.rds_token", "iamauth_rds_token, C ABI (warm)", "ours", c,
                with_core ? "c.core" : NULL, with_core ? 100 : 0, 1);
    fprintf(f, "  ],\n  \"notes\": [\n");
    if (with_core)
        fprintf(f, "    \"%d interleaved rounds x %d calls; overhead %+.0f ns (C median - core median; "
                   "per-round differences: median %+.0f, p10 %+.0f, p90 %+.0f)\",\n",
                rounds, calls, c.median - core.median, diff.median, diff.p10, diff.p90);
    else
        fprintf(f, "    \"%d rounds x %d calls; the core's loop was not in this library (feature "
                   "bench), so no overhead\",\n", rounds, calls);
    fprintf(f, "    \"the core loop validates the credentials once and reuses one request; the C "
               "call reads and validates every argument and copies the token out\"\n  ]\n}\n");
    if (fclose(f) != 0) {
        perror(path);
        return 1;
    }
    printf("wrote %s\n", path);
    free(c_ns);
    free(core_ns);
    free(diff_ns);
    return 0;
}
