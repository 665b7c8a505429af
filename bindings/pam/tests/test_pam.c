/*
 * Drives pam_iamauth.so through libpam the way a database server does: pam_start with the
 * service and user, a conversation that answers the password prompt with the token, then
 * pam_authenticate and pam_acct_mgmt. One attempt per run; test.sh runs the cases.
 *
 *   test_pam CONFDIR SERVICE USER PASSWORD_FILE EXPECT
 *
 * PASSWORD_FILE's whole content is the password (it may be empty). EXPECT is `ok` (both calls
 * succeed), `auth_err` (pam_authenticate returns PAM_AUTH_ERR) or `service_err`
 * (PAM_SERVICE_ERR). Exit 0 when the result is the expected one, 1 when not, 2 on a usage or
 * setup error.
 */
#include <security/pam_appl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The password read from the file, NUL-terminated. */
static char *password;

/* Answers the echo-off prompt (the password) with the token; nothing else is expected. */
static int conversation(int n, const struct pam_message **msg, struct pam_response **resp,
                        void *data) {
    (void)data;
    if (n <= 0 || n > PAM_MAX_NUM_MSG) return PAM_CONV_ERR;
    struct pam_response *out = calloc((size_t)n, sizeof *out);
    if (out == NULL) return PAM_BUF_ERR;
    for (int i = 0; i < n; i++) {
        if (msg[i]->msg_style == PAM_PROMPT_ECHO_OFF) {
            out[i].resp = strdup(password);
            if (out[i].resp == NULL) {
                for (int j = 0; j < i; j++) free(out[j].resp);
                free(out);
                return PAM_BUF_ERR;
            }
        } else if (msg[i]->msg_style == PAM_ERROR_MSG || msg[i]->msg_style == PAM_TEXT_INFO) {
            fprintf(stderr, "  pam says: %s\n", msg[i]->msg);
        } else {
            for (int j = 0; j < i; j++) free(out[j].resp);
            free(out);
            return PAM_CONV_ERR;
        }
    }
    *resp = out; /* libpam frees the array and the answers */
    return PAM_SUCCESS;
}

/* The whole file as a NUL-terminated string, or NULL. */
static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) break;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (buf == NULL || failed) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s CONFDIR SERVICE USER PASSWORD_FILE ok|auth_err|service_err\n",
                argv[0]);
        return 2;
    }
    const char *confdir = argv[1], *service = argv[2], *user = argv[3], *expect = argv[5];
    int want;
    if (strcmp(expect, "ok") == 0) want = PAM_SUCCESS;
    else if (strcmp(expect, "auth_err") == 0) want = PAM_AUTH_ERR;
    else if (strcmp(expect, "service_err") == 0) want = PAM_SERVICE_ERR;
    else {
        fprintf(stderr, "unknown expectation %s\n", expect);
        return 2;
    }
    password = read_file(argv[4]);
    if (password == NULL) {
        fprintf(stderr, "cannot read %s\n", argv[4]);
        return 2;
    }

    struct pam_conv conv = {conversation, NULL};
    pam_handle_t *pamh = NULL;
    int rc = pam_start_confdir(service, user, &conv, confdir, &pamh);
    if (rc != PAM_SUCCESS) {
        fprintf(stderr, "pam_start_confdir: %d\n", rc);
        free(password);
        return 2;
    }
    int auth = pam_authenticate(pamh, 0);
    int acct = auth == PAM_SUCCESS ? pam_acct_mgmt(pamh, 0) : -1;
    printf("  pam_authenticate=%d (%s)", auth, pam_strerror(pamh, auth));
    if (acct != -1) printf(" pam_acct_mgmt=%d (%s)", acct, pam_strerror(pamh, acct));
    printf(" password_bytes=%zu\n", strlen(password));
    pam_end(pamh, auth);
    free(password);

    int ok = want == PAM_SUCCESS ? (auth == PAM_SUCCESS && acct == PAM_SUCCESS) : auth == want;
    return ok ? 0 : 1;
}
