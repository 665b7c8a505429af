/*
 * The PAM module's cost per attempt as a database server pays it: every attempt in a new
 * process (PostgreSQL forks a backend per connection; the backend runs PAM once), so nothing is
 * cached between attempts. The parent forks a child per attempt; the child runs
 * pam_start_confdir (libpam reads the service file and dlopens pam_iamauth.so), pam_authenticate
 * and pam_end, and exits with 0 when the result is the expected one. Two times per attempt:
 * wall (the parent's, fork to wait4) and CPU (the child's user + system time from wait4's
 * rusage: less disturbed by other load on a shared machine). Cases are interleaved (attempt i of every case, then i + 1), so
 * drift on a shared machine lands on all of them alike.
 *
 *   bench_pam CONFDIR USER N NAME:SERVICE:PASSWORD_FILE:ok|auth_err ...
 *
 * Prints one line per case: `NAME median_us=... p10_us=... p90_us=... cpu_median_us=... n=N`
 * (wall-clock median, 10th and 90th percentiles; the CPU time's median). Exit 1 if any
 * attempt had an unexpected result.
 */
#define _GNU_SOURCE
#include <security/pam_appl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct bench_case {
    char *name, *service, *password;
    int want;
    double *us, *cpu;
};

static const char *answer;

static int conversation(int n, const struct pam_message **msg, struct pam_response **resp,
                        void *data) {
    (void)data;
    struct pam_response *out = calloc((size_t)n, sizeof *out);
    if (out == NULL) return PAM_BUF_ERR;
    for (int i = 0; i < n; i++)
        if (msg[i]->msg_style == PAM_PROMPT_ECHO_OFF) out[i].resp = strdup(answer);
    *resp = out;
    return PAM_SUCCESS;
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    static char buf[65536];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = '\0';
    return strdup(buf);
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: %s CONFDIR USER N NAME:SERVICE:PASSWORD_FILE:ok|auth_err ...\n",
                argv[0]);
        return 2;
    }
    const char *confdir = argv[1], *user = argv[2];
    int n = atoi(argv[3]), ncases = argc - 4, bad = 0;
    struct bench_case *cases = calloc((size_t)ncases, sizeof *cases);
    for (int c = 0; c < ncases; c++) {
        char *spec = argv[4 + c];
        cases[c].name = strtok(spec, ":");
        cases[c].service = strtok(NULL, ":");
        char *file = strtok(NULL, ":"), *expect = strtok(NULL, ":");
        if (file == NULL || expect == NULL || (cases[c].password = slurp(file)) == NULL) {
            fprintf(stderr, "bad case %s\n", argv[4 + c]);
            return 2;
        }
        cases[c].want = strcmp(expect, "ok") == 0 ? PAM_SUCCESS : PAM_AUTH_ERR;
        cases[c].us = calloc((size_t)n, sizeof(double));
        cases[c].cpu = calloc((size_t)n, sizeof(double));
    }
    for (int i = 0; i < n; i++) {
        for (int c = 0; c < ncases; c++) {
            double t0 = now_us();
            pid_t pid = fork();
            if (pid == 0) {
                answer = cases[c].password;
                struct pam_conv conv = {conversation, NULL};
                pam_handle_t *pamh = NULL;
                if (pam_start_confdir(cases[c].service, user, &conv, confdir, &pamh) != PAM_SUCCESS)
                    _exit(3);
                int rc = pam_authenticate(pamh, 0);
                pam_end(pamh, rc);
                _exit(rc == cases[c].want ? 0 : 1);
            }
            int status = 0;
            struct rusage ru;
            wait4(pid, &status, 0, &ru);
            cases[c].us[i] = now_us() - t0;
            cases[c].cpu[i] = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
                              (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) bad++;
        }
    }
    for (int c = 0; c < ncases; c++) {
        qsort(cases[c].us, (size_t)n, sizeof(double), by_value);
        qsort(cases[c].cpu, (size_t)n, sizeof(double), by_value);
        printf("%s median_us=%.1f p10_us=%.1f p90_us=%.1f cpu_median_us=%.1f n=%d\n",
               cases[c].name, cases[c].us[n / 2], cases[c].us[n / 10], cases[c].us[n * 9 / 10],
               cases[c].cpu[n / 2], n);
    }
    if (bad) fprintf(stderr, "%d attempts had an unexpected result\n", bad);
    return bad ? 1 : 0;
}
