/* The differential's C surface: reads the cases (tab-separated, see cases.py) on stdin, makes
 * libiamauth's token for each ("ERROR NAME" when refused) and compares it with botocore's:
 * `DIFF id token` for the first ten that differ, then one count line; exit status 1 on any.
 * (The reference is awscli's for eks, the MSK signer's for msk.)
 * Built against the staticlib: gcc -I bindings/c/include driver.c libiamauth.a -lpthread -ldl -lm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iamauth.h"

#define FIELDS 16

int main(void) {
    static char buf[8192];
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long long cases = 0, equal = 0;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        if (line[n - 1] == '\n') line[--n] = '\0';
        char *f[FIELDS];
        size_t len[FIELDS];
        char *p = line;
        for (int i = 0; i < FIELDS; i++) {
            f[i] = p;
            char *tab = strchr(p, '\t');
            if (tab == NULL && i != FIELDS - 1) {
                fprintf(stderr, "c: a case has %d fields\n", FIELDS);
                return 2;
            }
            len[i] = tab ? (size_t)(tab - p) : strlen(p);
            if (tab) *tab = '\0', p = tab + 1;
        }
        iamauth_credentials creds = {
            f[11], len[11], f[12], len[12], len[13] ? f[13] : NULL, len[13],
        };
        int64_t port = atoll(f[3]), time = atoll(f[9]), expires_in = atoll(f[10]);
        size_t out = 0;
        iamauth_result r;
        if (strcmp(f[1], "rds") == 0) {
            r = iamauth_rds_token(f[2], len[2], port, f[4], len[4], f[5], len[5], expires_in, time,
                                  &creds, buf, sizeof buf, &out, NULL);
        } else if (strcmp(f[1], "eks") == 0) {
            /* host: the cluster name; action: the STS endpoint (expires_in is awscli's fixed 60) */
            uint32_t endpoint = 0;
            r = iamauth_sts_endpoint_parse(f[6], len[6], &endpoint, NULL);
            if (r == IAMAUTH_OK)
                r = iamauth_eks_token(f[2], len[2], f[5], len[5], endpoint, time, &creds, buf,
                                      sizeof buf, &out, NULL, NULL);
        } else if (strcmp(f[1], "msk") == 0) {
            /* user: the User-Agent; the host is the region's */
            r = iamauth_msk_token(f[5], len[5], expires_in, f[4], len[4], time, &creds, buf,
                                  sizeof buf, &out, NULL, NULL);
        } else if (strcmp(f[1], "dsql") == 0) {
            bool admin = false;
            r = iamauth_dsql_action(f[6], len[6], &admin, NULL);
            if (r == IAMAUTH_OK)
                r = iamauth_dsql_token(f[2], len[2], f[5], len[5], admin, expires_in, time, &creds,
                                       buf, sizeof buf, &out, NULL);
        } else {
            r = iamauth_elasticache_token(f[2], len[2], f[4], len[4], f[5], len[5], f[8][0] == '1',
                                          f[7], len[7], expires_in, time, &creds, buf, sizeof buf,
                                          &out, NULL);
        }
        static char err[64];
        const char *token = buf;
        if (r == IAMAUTH_OK)
            buf[out] = '\0';
        else
            snprintf(err, sizeof err, "ERROR %s", iamauth_result_name(r)), token = err;
        cases++;
        if (strcmp(token, f[15]) == 0)
            equal++;
        else if (cases - equal <= 10)
            printf("DIFF %.*s\t%s\n", (int)len[0], f[0], token);
    }
    free(line);
    printf("c: %llu tokens, %llu equal to botocore's\n", cases, equal);
    return cases == equal ? 0 : 1;
}
