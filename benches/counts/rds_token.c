/* `rds_token N`: one warm-up iamauth_rds_token (the key gets cached), then N measured calls, for
 * callgrind (benches/counts/check.py runs N and 2N and takes the difference). Inputs and the
 * expected token: bindings/c/bench/bench.c's (the rds-demo vector). */
#include "iamauth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char EXPECTED[] =
    "mydb.123456789012.us-east-1.rds.amazonaws.com:5432/?Action=connect&DBUser=iam_user&"
    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Frds-db"
    "%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&"
    "X-Amz-Signature=6162e47cc792ab818ec4732757b05fbe36dadabd428441ab694b2509461768db";

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : -1;
    if (n < 0) return 2;
    static const char host[] = "mydb.123456789012.us-east-1.rds.amazonaws.com";
    iamauth_credentials creds = {"AKIDEXAMPLE", 11, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", 40,
                                 NULL, 0};
    char buf[1024];
    size_t len = 0;
    for (long i = 0; i <= n; i++) { /* i == 0: the warm-up */
        if (iamauth_rds_token(host, sizeof host - 1, 5432, "iam_user", 8, "us-east-1", 9, 900,
                              1704164645, &creds, buf, sizeof buf, &len, NULL) != IAMAUTH_OK) {
            fprintf(stderr, "rds_token: token failed\n");
            return 1;
        }
    }
    if (len != sizeof EXPECTED - 1 || memcmp(buf, EXPECTED, len) != 0) {
        fprintf(stderr, "rds_token: token differs from the rds-demo vector\n");
        return 1;
    }
    return 0;
}
