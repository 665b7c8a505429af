/* Logs in to PostgreSQL with libpq, the password an IAM token made by iamauth_rds_token (the
 * static library) at the current time, TLS verified against the test CA. Prints one `ok` or
 * `FAIL` line. Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (fake ones).
 *   pg_login HOST PORT USER REGION CA.pem */
#include <iamauth.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *name = "C: libpq, token from iamauth_rds_token (libiamauth.a), verify-full";
    if (argc != 6) {
        fprintf(stderr, "usage: pg_login HOST PORT USER REGION CA\n");
        return 2;
    }
    const char *host = argv[1], *port = argv[2], *user = argv[3], *region = argv[4], *ca = argv[5];
    const char *akid = getenv("AWS_ACCESS_KEY_ID"), *secret = getenv("AWS_SECRET_ACCESS_KEY");
    if (akid == NULL || secret == NULL) {
        printf("FAIL %s: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY unset\n", name);
        return 1;
    }
    iamauth_credentials creds = {
        .access_key_id = akid, .access_key_id_len = strlen(akid),
        .secret_access_key = secret, .secret_access_key_len = strlen(secret),
        .session_token = NULL, .session_token_len = 0,
    };
    char token[4096];
    size_t len = 0;
    iamauth_str message = {0};
    iamauth_result r = iamauth_rds_token(host, strlen(host), atoi(port), user, strlen(user), region,
                                         strlen(region), 900, IAMAUTH_NOW, &creds, token,
                                         sizeof token, &len, &message);
    if (r != IAMAUTH_OK) {
        printf("FAIL %s: %s: %.*s\n", name, iamauth_result_name(r), (int)message.len, message.data);
        return 1;
    }
    const char *keys[] = {"host", "port", "user", "password", "dbname", "sslmode", "sslrootcert",
                          "connect_timeout", NULL};
    const char *values[] = {host, port, user, token, "postgres", "verify-full", ca, "10", NULL};
    PGconn *conn = PQconnectdbParams(keys, values, 0);
    if (PQstatus(conn) != CONNECTION_OK) {
        printf("FAIL %s: %s\n", name, strtok(PQerrorMessage(conn), "\n"));
        PQfinish(conn);
        return 1;
    }
    PGresult *res = PQexec(conn, "select current_user");
    int good = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
               strcmp(PQgetvalue(res, 0, 0), user) == 0 && PQsslInUse(conn);
    if (good) {
        printf("ok   %s\n", name);
    } else {
        printf("FAIL %s: current_user is '%s' (ssl %d)\n", name,
               PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "?", PQsslInUse(conn));
    }
    PQclear(res);
    PQfinish(conn);
    return good ? 0 : 1;
}
