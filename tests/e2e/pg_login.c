/* Logs in to PostgreSQL with libpq, the password an IAM token made by iamauth_rds_token (the
 * static library) at the current time, TLS verified against the test CA. Prints one `ok` or
 * `FAIL` line. Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (fake ones), or with
 * --chain from the credential chain (iamauth_credentials_provider_new: the container or IMDS mock).
 *   pg_login HOST PORT USER REGION CA.pem [--chain] */
#include <iamauth.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int login(const char *name, const char *host, const char *port, const char *user,
                 const char *ca, const char *token);

/* A token from the credential chain: iamauth_rds_token_from_provider. */
static int chain_token(const char *name, const char *host, const char *port, const char *user,
                       const char *region, char *token, size_t cap) {
    iamauth_credentials_provider *provider = NULL;
    iamauth_str message = {0};
    iamauth_result r = iamauth_credentials_provider_new(NULL, 0, &provider, &message);
    if (r != IAMAUTH_OK) {
        printf("FAIL %s: %s: %.*s\n", name, iamauth_result_name(r), (int)message.len, message.data);
        return 1;
    }
    char error[1024];
    size_t len = 0;
    r = iamauth_rds_token_from_provider(provider, host, strlen(host), atoi(port), user, strlen(user),
                                        region, strlen(region), 900, IAMAUTH_NOW, token, cap, &len,
                                        error, sizeof error);
    iamauth_credentials_provider_free(provider);
    if (r != IAMAUTH_OK) {
        printf("FAIL %s: %s: %s\n", name, iamauth_result_name(r), error);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    int chain = argc == 7 && strcmp(argv[6], "--chain") == 0;
    const char *name = !chain ? "C: libpq, token from iamauth_rds_token (libiamauth.a), verify-full"
                       : getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != NULL
                           ? "C: libpq, token from iamauth_rds_token_from_provider (container mock)"
                           : "C: libpq, token from iamauth_rds_token_from_provider (IMDS mock)";
    if (argc != 6 && !chain) {
        fprintf(stderr, "usage: pg_login HOST PORT USER REGION CA [--chain]\n");
        return 2;
    }
    const char *host = argv[1], *port = argv[2], *user = argv[3], *region = argv[4], *ca = argv[5];
    char token[4096];
    if (chain) {
        if (chain_token(name, host, port, user, region, token, sizeof token) != 0) {
            return 1;
        }
        return login(name, host, port, user, ca, token);
    }
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
    size_t len = 0;
    iamauth_str message = {0};
    iamauth_result r = iamauth_rds_token(host, strlen(host), atoi(port), user, strlen(user), region,
                                         strlen(region), 900, IAMAUTH_NOW, &creds, token,
                                         sizeof token, &len, &message);
    if (r != IAMAUTH_OK) {
        printf("FAIL %s: %s: %.*s\n", name, iamauth_result_name(r), (int)message.len, message.data);
        return 1;
    }
    return login(name, host, port, user, ca, token);
}

/* Logs in with `token` as the password; prints ok / FAIL. */
static int login(const char *name, const char *host, const char *port, const char *user,
                 const char *ca, const char *token) {
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
