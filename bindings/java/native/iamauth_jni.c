/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/* JNI glue for dev.iamauth.Native over the C ABI (iamauth.h). It only converts:
 * strings cross as UTF-8 byte[] (never GetStringUTFChars: modified UTF-8 would change the bytes
 * of non-BMP characters and NUL), results other than IAMAUTH_OK become a thrown
 * dev.iamauth.IamAuthException(code name, message), and a missing required array becomes a
 * NullPointerException (the Java layer checks first; this is the backstop: never a crash). */
#include <jni.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iamauth.h"

/* Inputs up to this many bytes are copied to the stack; longer ones to the heap. */
#define SMALL 512
/* Tokens are ~350 bytes plus the percent-encoded session token; the retry covers the rest. */
#define TOKEN_CAP 4096

/* A Java byte[] copied into C memory for one call. `ptr` is never NULL for a present array
 * (an empty array is a present, empty value); NULL only for an absent (null) optional one. */
typedef struct {
    char stack[SMALL];
    char *ptr;
    size_t len;
    bool heap;
} bytes;

static void throw_class(JNIEnv *env, const char *cls, const char *msg) {
    jclass c = (*env)->FindClass(env, cls);
    if (c != NULL) (*env)->ThrowNew(env, c, msg);
}

static jbyteArray new_bytes(JNIEnv *env, const char *data, size_t len) {
    if (len > (size_t)INT32_MAX) {
        throw_class(env, "java/lang/OutOfMemoryError", "iamauth: result too large");
        return NULL;
    }
    jbyteArray a = (*env)->NewByteArray(env, (jsize)len);
    if (a != NULL && len > 0) (*env)->SetByteArrayRegion(env, a, 0, (jsize)len, (const jbyte *)data);
    return a;
}

/* Throws dev.iamauth.IamAuthException(byte[] code, byte[] message); decoding stays in Java. */
static void throw_result(JNIEnv *env, iamauth_result r, iamauth_str message) {
    if ((*env)->ExceptionCheck(env)) return;
    jclass c = (*env)->FindClass(env, "dev/iamauth/IamAuthException");
    if (c == NULL) return;
    jmethodID ctor = (*env)->GetMethodID(env, c, "<init>", "([B[B)V");
    if (ctor == NULL) return;
    const char *name = iamauth_result_name(r);
    const char *text = message.len > 0 ? message.data : iamauth_result_message(r);
    size_t text_len = message.len > 0 ? message.len : strlen(text);
    jbyteArray jname = new_bytes(env, name, strlen(name));
    if (jname == NULL) return;
    jbyteArray jtext = new_bytes(env, text, text_len);
    if (jtext == NULL) return;
    jobject e = (*env)->NewObject(env, c, ctor, jname, jtext);
    if (e != NULL) (*env)->Throw(env, (jthrowable)e);
}

static void free_bytes(bytes *b) {
    if (b->heap) free(b->ptr);
    b->heap = false;
    b->ptr = NULL;
}

/* Copies `a` into `b`. Returns false (with a pending exception) on failure. A null `a` is an
 * error (NullPointerException naming `what`) unless `optional`, when b->ptr stays NULL. */
static bool get_bytes(JNIEnv *env, jbyteArray a, bytes *b, bool optional, const char *what) {
    b->ptr = NULL;
    b->len = 0;
    b->heap = false;
    if (a == NULL) {
        if (optional) return true;
        throw_class(env, "java/lang/NullPointerException", what);
        return false;
    }
    jsize n = (*env)->GetArrayLength(env, a);
    if (n < 0) n = 0;
    if ((size_t)n <= SMALL) {
        b->ptr = b->stack;
    } else {
        b->ptr = malloc((size_t)n);
        if (b->ptr == NULL) {
            throw_class(env, "java/lang/OutOfMemoryError", "iamauth: input too large");
            return false;
        }
        b->heap = true;
    }
    b->len = (size_t)n;
    /* [0, n) of an array of length n: GetByteArrayRegion cannot throw, so no ExceptionCheck (a
     * JNI call per argument). */
    if (n > 0) (*env)->GetByteArrayRegion(env, a, 0, n, (jbyte *)b->ptr);
    return true;
}

/* The arguments shared by the token functions. */
typedef struct {
    int kind; /* 1 rds, 2 dsql, 3 elasticache, 4 eks (host: the cluster), 5 msk (service: the
                 User-Agent, NULL for the library's own) */
    bytes host, user, region, service, akid, secret, session;
    int64_t port, expires_in, time;
    bool admin, serverless;
    uint32_t sts_endpoint;
    int64_t expiry; /* out: eks, the ExecCredential expiration (unix s); msk, the expiry in ms */
} request;

/* An empty request: every field but the inputs' stack buffers, which get_bytes fills (a memset
 * of the whole struct cleared 3.5 KB a call). */
static void init_request(request *q, int kind) {
    bytes *all[] = {&q->host, &q->user, &q->region, &q->service, &q->akid, &q->secret, &q->session};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        all[i]->ptr = NULL;
        all[i]->len = 0;
        all[i]->heap = false;
    }
    q->kind = kind;
    q->port = q->expires_in = q->time = q->expiry = 0;
    q->admin = q->serverless = false;
    q->sts_endpoint = 0;
}

static iamauth_result call(request *q, char *buf, size_t cap, size_t *out_len, iamauth_str *msg) {
    iamauth_credentials creds = {q->akid.ptr,   q->akid.len,    q->secret.ptr,
                                 q->secret.len, q->session.ptr, q->session.len};
    switch (q->kind) {
    case 1:
        return iamauth_rds_token(q->host.ptr, q->host.len, q->port, q->user.ptr, q->user.len,
                                 q->region.ptr, q->region.len, q->expires_in, q->time, &creds, buf,
                                 cap, out_len, msg);
    case 2:
        return iamauth_dsql_token(q->host.ptr, q->host.len, q->region.ptr, q->region.len, q->admin,
                                  q->expires_in, q->time, &creds, buf, cap, out_len, msg);
    case 4:
        return iamauth_eks_token(q->host.ptr, q->host.len, q->region.ptr, q->region.len,
                                 q->sts_endpoint, q->time, &creds, buf, cap, out_len, &q->expiry,
                                 msg);
    case 5:
        return iamauth_msk_token(q->region.ptr, q->region.len, q->expires_in, q->service.ptr,
                                 q->service.len, q->time, &creds, buf, cap, out_len, &q->expiry,
                                 msg);
    default:
        return iamauth_elasticache_token(q->host.ptr, q->host.len, q->user.ptr, q->user.len,
                                         q->region.ptr, q->region.len, q->serverless,
                                         q->service.ptr, q->service.len, q->expires_in, q->time,
                                         &creds, buf, cap, out_len, msg);
    }
}

/* Whether `len` bytes are all ASCII, 8 at a time. */
static bool is_ascii(const char *p, size_t len) {
    uint64_t any = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        any |= w;
    }
    for (; i < len; i++) any |= (unsigned char)p[i];
    return (any & UINT64_C(0x8080808080808080)) == 0;
}

/* A token (`len` bytes of UTF-8 followed by the library's NUL) as a java.lang.String. A token is
 * ASCII (the library percent-encodes everything else), and ASCII reads the same as modified
 * UTF-8: NewStringUTF makes the String in one JNI call (a byte[] from NewByteArray +
 * SetByteArrayRegion, decoded in Java, took two allocations and two copies). Anything else, never
 * seen, goes through `new String(byte[], "UTF-8")`, so the characters are always the token's. */
static jstring new_token(JNIEnv *env, const char *token, size_t len) {
    if (is_ascii(token, len)) return (*env)->NewStringUTF(env, token);
    jbyteArray bytes = new_bytes(env, token, len);
    if (bytes == NULL) return NULL;
    jclass string = (*env)->FindClass(env, "java/lang/String");
    if (string == NULL) return NULL;
    jmethodID ctor = (*env)->GetMethodID(env, string, "<init>", "([BLjava/lang/String;)V");
    jstring charset = ctor == NULL ? NULL : (*env)->NewStringUTF(env, "UTF-8");
    if (charset == NULL) return NULL;
    return (jstring)(*env)->NewObject(env, string, ctor, bytes, charset);
}

/* Signs with a stack buffer first and, on IAMAUTH_BUFFER_TOO_SMALL, once more with a heap buffer
 * of the length the library asked for. */
static jstring sign(JNIEnv *env, request *q) {
    char stack[TOKEN_CAP];
    size_t len = 0;
    iamauth_str msg = {0};
    iamauth_result r = call(q, stack, sizeof stack, &len, &msg);
    if (r == IAMAUTH_OK) return new_token(env, stack, len);
    if (r != IAMAUTH_BUFFER_TOO_SMALL) {
        throw_result(env, r, msg);
        return NULL;
    }
    size_t cap = len + 1;
    char *heap = malloc(cap);
    if (heap == NULL) {
        throw_class(env, "java/lang/OutOfMemoryError", "iamauth: token too large");
        return NULL;
    }
    r = call(q, heap, cap, &len, &msg);
    jstring out = NULL;
    if (r == IAMAUTH_OK)
        out = new_token(env, heap, len);
    else
        throw_result(env, r, msg);
    free(heap);
    return out;
}

static void free_request(request *q) {
    free_bytes(&q->host);
    free_bytes(&q->user);
    free_bytes(&q->region);
    free_bytes(&q->service);
    free_bytes(&q->akid);
    free_bytes(&q->secret);
    free_bytes(&q->session);
}

/* Reads the credentials (Credentials.Utf8: the access key id, the secret and the session token
 * one after another in one array, copied with one JNI call; session_len -1: none) into q->akid,
 * with q->secret and q->session pointing into it (never freed on their own). False with a pending
 * exception on failure. */
static bool get_creds(JNIEnv *env, request *q, jbyteArray creds, jint akid_len, jint secret_len,
                      jint session_len) {
    if (!get_bytes(env, creds, &q->akid, false, "credentials")) return false;
    size_t total = q->akid.len;
    if (akid_len < 0 || secret_len < 0 || session_len < -1 ||
        (size_t)akid_len + (size_t)secret_len + (size_t)(session_len < 0 ? 0 : session_len) != total) {
        throw_class(env, "java/lang/IllegalArgumentException", "iamauth: credential lengths");
        return false;
    }
    char *base = q->akid.ptr;
    q->akid.len = (size_t)akid_len;
    q->secret.ptr = base + akid_len;
    q->secret.len = (size_t)secret_len;
    if (session_len >= 0) {
        q->session.ptr = base + akid_len + secret_len;
        q->session.len = (size_t)session_len;
    }
    return true;
}

JNIEXPORT jstring JNICALL Java_dev_iamauth_Native_rdsToken(
    JNIEnv *env, jclass cls, jbyteArray host, jlong port, jbyteArray user, jbyteArray region,
    jlong expires_in, jlong time, jbyteArray creds, jint akid_len, jint secret_len,
    jint session_len) {
    (void)cls;
    request q;
    init_request(&q, 1);
    q.port = port;
    q.expires_in = expires_in;
    q.time = time;
    jstring out = NULL;
    /* region null: omitted (NULL, 0), the library reads it from the host */
    if (get_bytes(env, host, &q.host, false, "host") && get_bytes(env, user, &q.user, false, "user") &&
        get_bytes(env, region, &q.region, true, "region") &&
        get_creds(env, &q, creds, akid_len, secret_len, session_len))
        out = sign(env, &q);
    free_request(&q);
    return out;
}

#ifdef IAMAUTH_BENCH
/* Bench-only (build.sh with IAMAUTH_BENCH=1, as `test.sh --bench` builds it; never in a shipped
 * library): Bench.benchCore(...), the core making `n` warm RDS tokens in a Rust loop inside this
 * library (iamauth_bench_core_rds_token, iamauth-c's `bench` feature; not in the header), so
 * bench/Bench.java can time IamAuth.rdsToken beside it in one process. The arrays are copied once.
 * Returns the tokens' total length, or -1 (with nothing thrown) when a copy or the core failed. */
extern int64_t iamauth_bench_core_rds_token(const char *host, size_t host_len, int64_t port,
                                            const char *user, size_t user_len, const char *region,
                                            size_t region_len, int64_t expires_in, int64_t time,
                                            const iamauth_credentials *credentials, uint64_t n);

JNIEXPORT jlong JNICALL Java_Bench_benchCore(JNIEnv *env, jclass cls, jbyteArray host, jlong port,
                                             jbyteArray user, jbyteArray region, jlong expires_in,
                                             jlong time, jbyteArray akid, jbyteArray secret,
                                             jlong n) {
    (void)cls;
    request q;
    init_request(&q, 1);
    jlong total = -1;
    if (n >= 0 && get_bytes(env, host, &q.host, false, "host") &&
        get_bytes(env, user, &q.user, false, "user") &&
        get_bytes(env, region, &q.region, false, "region") &&
        get_bytes(env, akid, &q.akid, false, "accessKeyId") &&
        get_bytes(env, secret, &q.secret, false, "secretAccessKey")) {
        iamauth_credentials creds = {q.akid.ptr, q.akid.len, q.secret.ptr, q.secret.len, NULL, 0};
        total = iamauth_bench_core_rds_token(q.host.ptr, q.host.len, port, q.user.ptr, q.user.len,
                                             q.region.ptr, q.region.len, expires_in, time, &creds,
                                             (uint64_t)n);
    }
    free_request(&q);
    return total;
}
#endif

JNIEXPORT jstring JNICALL Java_dev_iamauth_Native_dsqlToken(
    JNIEnv *env, jclass cls, jbyteArray host, jbyteArray region, jboolean admin, jlong expires_in,
    jlong time, jbyteArray creds, jint akid_len, jint secret_len, jint session_len) {
    (void)cls;
    request q;
    init_request(&q, 2);
    q.admin = admin == JNI_TRUE;
    q.expires_in = expires_in;
    q.time = time;
    jstring out = NULL;
    /* region null: omitted (NULL, 0), the library reads it from the host */
    if (get_bytes(env, host, &q.host, false, "host") &&
        get_bytes(env, region, &q.region, true, "region") &&
        get_creds(env, &q, creds, akid_len, secret_len, session_len))
        out = sign(env, &q);
    free_request(&q);
    return out;
}

JNIEXPORT jstring JNICALL Java_dev_iamauth_Native_elasticacheToken(
    JNIEnv *env, jclass cls, jbyteArray name, jbyteArray user, jbyteArray region,
    jboolean serverless, jbyteArray service, jlong expires_in, jlong time, jbyteArray creds,
    jint akid_len, jint secret_len, jint session_len) {
    (void)cls;
    request q;
    init_request(&q, 3);
    q.serverless = serverless == JNI_TRUE;
    q.expires_in = expires_in;
    q.time = time;
    jstring out = NULL;
    if (get_bytes(env, name, &q.host, false, "name") && get_bytes(env, user, &q.user, false, "user") &&
        get_bytes(env, region, &q.region, false, "region") &&
        get_bytes(env, service, &q.service, true, "service") &&
        get_creds(env, &q, creds, akid_len, secret_len, session_len))
        out = sign(env, &q);
    free_request(&q);
    return out;
}

/* Writes q->expiry to expiry[0] after a token was made (an array of at least one element). */
static jstring sign_with_expiry(JNIEnv *env, request *q, jlongArray expiry) {
    if (expiry == NULL || (*env)->GetArrayLength(env, expiry) < 1) {
        throw_class(env, "java/lang/IllegalArgumentException", "expiry");
        return NULL;
    }
    jstring out = sign(env, q);
    if (out != NULL) {
        jlong e = q->expiry;
        (*env)->SetLongArrayRegion(env, expiry, 0, 1, &e);
    }
    return out;
}

/* expiry[0] gets the ExecCredential expiration, unix seconds. */
JNIEXPORT jstring JNICALL Java_dev_iamauth_Native_eksToken(
    JNIEnv *env, jclass cls, jbyteArray cluster, jbyteArray region, jint sts_endpoint, jlong time,
    jbyteArray creds, jint akid_len, jint secret_len, jint session_len, jlongArray expiry) {
    (void)cls;
    request q;
    init_request(&q, 4);
    /* A negative jint becomes a large uint32_t, which the library refuses like any other. */
    q.sts_endpoint = (uint32_t)sts_endpoint;
    q.time = time;
    jstring out = NULL;
    if (get_bytes(env, cluster, &q.host, false, "cluster") &&
        get_bytes(env, region, &q.region, false, "region") &&
        get_creds(env, &q, creds, akid_len, secret_len, session_len))
        out = sign_with_expiry(env, &q, expiry);
    free_request(&q);
    return out;
}

/* expiry[0] gets the token's expiry, unix milliseconds. user_agent null: the library's own. */
JNIEXPORT jstring JNICALL Java_dev_iamauth_Native_mskToken(
    JNIEnv *env, jclass cls, jbyteArray region, jlong expires_in, jbyteArray user_agent,
    jlong time, jbyteArray creds, jint akid_len, jint secret_len, jint session_len,
    jlongArray expiry) {
    (void)cls;
    request q;
    init_request(&q, 5);
    q.expires_in = expires_in;
    q.time = time;
    jstring out = NULL;
    if (get_bytes(env, region, &q.region, false, "region") &&
        get_bytes(env, user_agent, &q.service, true, "userAgent") &&
        get_creds(env, &q, creds, akid_len, secret_len, session_len))
        out = sign_with_expiry(env, &q, expiry);
    free_request(&q);
    return out;
}

/* The value of an STS endpoint name (IAMAUTH_STS_REGIONAL / IAMAUTH_STS_GLOBAL). */
JNIEXPORT jint JNICALL Java_dev_iamauth_Native_stsEndpoint(JNIEnv *env, jclass cls,
                                                           jbyteArray name) {
    (void)cls;
    bytes a;
    if (!get_bytes(env, name, &a, false, "stsEndpoint")) return -1;
    uint32_t value = 0;
    iamauth_str msg = {0};
    iamauth_result r = iamauth_sts_endpoint_parse(a.ptr, a.len, &value, &msg);
    free_bytes(&a);
    if (r != IAMAUTH_OK) {
        throw_result(env, r, msg);
        return -1;
    }
    return (jint)value;
}

JNIEXPORT jboolean JNICALL Java_dev_iamauth_Native_dsqlAction(JNIEnv *env, jclass cls,
                                                              jbyteArray action) {
    (void)cls;
    bytes a;
    if (!get_bytes(env, action, &a, false, "action")) return JNI_FALSE;
    bool admin = false;
    iamauth_str msg = {0};
    iamauth_result r = iamauth_dsql_action(a.ptr, a.len, &admin, &msg);
    free_bytes(&a);
    if (r != IAMAUTH_OK) {
        throw_result(env, r, msg);
        return JNI_FALSE;
    }
    return admin ? JNI_TRUE : JNI_FALSE;
}

/* Fills nums[0..11) = kind, port, has_user, serverless, has_session_token, signed_at,
 * expires_in, expires_at, now, validity, seconds; returns byte[][] {host, action, region,
 * service, access_key_id, signature, user (null when the token has none)}. */
JNIEXPORT jobjectArray JNICALL Java_dev_iamauth_Native_inspect(JNIEnv *env, jclass cls,
                                                               jbyteArray token, jlong now,
                                                               jlongArray nums) {
    (void)cls;
    if (nums == NULL || (*env)->GetArrayLength(env, nums) < 11) {
        throw_class(env, "java/lang/IllegalArgumentException", "nums");
        return NULL;
    }
    bytes t;
    if (!get_bytes(env, token, &t, false, "token")) return NULL;
    iamauth_token_info info;
    char user_stack[SMALL];
    char *user = user_stack;
    size_t user_len = 0, text_len = 0;
    iamauth_str msg = {0};
    jobjectArray out = NULL;
    /* The text read (an EKS or MSK token decoded), which the views point into: never longer than
     * the token. */
    char *text = malloc(t.len + 1);
    if (text == NULL) {
        throw_class(env, "java/lang/OutOfMemoryError", "iamauth: token too large");
        goto done;
    }
    iamauth_result r = iamauth_inspect2(t.ptr, t.len, now, &info, text, t.len + 1, &text_len,
                                        user_stack, sizeof user_stack, &user_len, &msg);
    if (r == IAMAUTH_BUFFER_TOO_SMALL) {
        size_t cap = user_len + 1;
        user = malloc(cap);
        if (user == NULL) {
            throw_class(env, "java/lang/OutOfMemoryError", "iamauth: user too large");
            goto done;
        }
        r = iamauth_inspect2(t.ptr, t.len, now, &info, text, t.len + 1, &text_len, user, cap,
                             &user_len, &msg);
    }
    if (r != IAMAUTH_OK) {
        throw_result(env, r, msg);
        goto done;
    }
    jlong n[11] = {(jlong)info.kind,       (jlong)info.port,       info.has_user ? 1 : 0,
                   info.serverless ? 1 : 0, info.has_session_token ? 1 : 0,
                   info.signed_at,          info.expires_in,        info.expires_at,
                   info.now,                (jlong)info.validity,   info.seconds};
    (*env)->SetLongArrayRegion(env, nums, 0, 11, n);
    jclass bytes_class = (*env)->FindClass(env, "[B");
    if (bytes_class == NULL) goto done;
    out = (*env)->NewObjectArray(env, 7, bytes_class, NULL);
    if (out == NULL) goto done;
    iamauth_str views[6] = {info.host,    info.action,        info.region,
                            info.service, info.access_key_id, info.signature};
    for (int i = 0; i < 6; i++) {
        jbyteArray s = new_bytes(env, views[i].data, views[i].len);
        if (s == NULL) {
            out = NULL;
            goto done;
        }
        (*env)->SetObjectArrayElement(env, out, i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    if (info.has_user) {
        jbyteArray s = new_bytes(env, user, user_len);
        if (s == NULL) {
            out = NULL;
            goto done;
        }
        (*env)->SetObjectArrayElement(env, out, 6, s);
    }
done:
    if (user != user_stack) free(user);
    free(text);
    free_bytes(&t);
    return out;
}

JNIEXPORT jbyteArray JNICALL Java_dev_iamauth_Native_version(JNIEnv *env, jclass cls) {
    (void)cls;
    const char *v = iamauth_version();
    return new_bytes(env, v, strlen(v));
}

/* Fills nums[0..5) = kind, port, has_user, signed_at, expires_at; returns byte[][] {access_key_id,
 * action, host, region, service, user (null when the token has none)}. Empty expected strings
 * (and port 0) accept any value; has_skew false is the default skew; cluster null: none. */
JNIEXPORT jobjectArray JNICALL Java_dev_iamauth_Native_verify(
    JNIEnv *env, jclass cls, jbyteArray token, jbyteArray keys, jbyteArray host, jlong port,
    jbyteArray user, jbyteArray action, jbyteArray region, jbyteArray service, jboolean has_skew,
    jlong skew, jbyteArray cluster, jlong now, jlongArray nums) {
    (void)cls;
    if (nums == NULL || (*env)->GetArrayLength(env, nums) < 5) {
        throw_class(env, "java/lang/IllegalArgumentException", "nums");
        return NULL;
    }
    bytes t, k, h, u, a, r, s, c;
    memset(&c, 0, sizeof c);
    memset(&t, 0, sizeof t);
    memset(&k, 0, sizeof k);
    memset(&h, 0, sizeof h);
    memset(&u, 0, sizeof u);
    memset(&a, 0, sizeof a);
    memset(&r, 0, sizeof r);
    memset(&s, 0, sizeof s);
    jobjectArray out = NULL;
    char user_stack[SMALL];
    char *user_buf = user_stack;
    char *text = NULL;
    if (!get_bytes(env, token, &t, false, "token") || !get_bytes(env, keys, &k, false, "keysJson") ||
        !get_bytes(env, host, &h, true, "host") || !get_bytes(env, user, &u, true, "user") ||
        !get_bytes(env, action, &a, true, "action") || !get_bytes(env, region, &r, true, "region") ||
        !get_bytes(env, service, &s, true, "service") ||
        !get_bytes(env, cluster, &c, true, "cluster"))
        goto done;
    /* The text verified, which the views point into: never longer than the token. */
    text = malloc(t.len + 1);
    if (text == NULL) {
        throw_class(env, "java/lang/OutOfMemoryError", "iamauth: token too large");
        goto done;
    }
    iamauth_expect e = {h.ptr, h.len, port, u.ptr, u.len, a.ptr, a.len, r.ptr, r.len,
                        s.ptr, s.len, has_skew == JNI_TRUE, skew};
    iamauth_identity id;
    size_t user_len = 0, text_len = 0;
    iamauth_str msg = {0};
    iamauth_result res =
        iamauth_verify2(t.ptr, t.len, k.ptr, k.len, &e, c.ptr, c.len, now, &id, text, t.len + 1,
                        &text_len, user_stack, sizeof user_stack, &user_len, &msg);
    if (res == IAMAUTH_BUFFER_TOO_SMALL) {
        size_t cap = user_len + 1;
        user_buf = malloc(cap);
        if (user_buf == NULL) {
            throw_class(env, "java/lang/OutOfMemoryError", "iamauth: user too large");
            goto done;
        }
        res = iamauth_verify2(t.ptr, t.len, k.ptr, k.len, &e, c.ptr, c.len, now, &id, text,
                              t.len + 1, &text_len, user_buf, cap, &user_len, &msg);
    }
    if (res != IAMAUTH_OK) {
        throw_result(env, res, msg);
        goto done;
    }
    jlong n[5] = {(jlong)id.kind, (jlong)id.port, id.has_user ? 1 : 0, id.signed_at, id.expires_at};
    (*env)->SetLongArrayRegion(env, nums, 0, 5, n);
    jclass bytes_class = (*env)->FindClass(env, "[B");
    if (bytes_class == NULL) goto done;
    out = (*env)->NewObjectArray(env, 6, bytes_class, NULL);
    if (out == NULL) goto done;
    /* The views point into text (the text verified), alive until it is freed below. */
    iamauth_str views[5] = {id.access_key_id, id.action, id.host, id.region, id.service};
    for (int i = 0; i < 5; i++) {
        jbyteArray v = new_bytes(env, views[i].data, views[i].len);
        if (v == NULL) {
            out = NULL;
            goto done;
        }
        (*env)->SetObjectArrayElement(env, out, i, v);
        (*env)->DeleteLocalRef(env, v);
    }
    if (id.has_user) {
        jbyteArray v = new_bytes(env, user_buf, user_len);
        if (v == NULL) {
            out = NULL;
            goto done;
        }
        (*env)->SetObjectArrayElement(env, out, 5, v);
    }
done:
    if (user_buf != user_stack) free(user_buf);
    free(text);
    free_bytes(&c);
    free_bytes(&t);
    free_bytes(&k);
    free_bytes(&h);
    free_bytes(&u);
    free_bytes(&a);
    free_bytes(&r);
    free_bytes(&s);
    return out;
}

JNIEXPORT jlong JNICALL Java_dev_iamauth_Native_refreshAt(JNIEnv *env, jclass cls, jlong signed_at,
                                                          jlong expires_in,
                                                          jlong credentials_expiration) {
    (void)env;
    (void)cls;
    return iamauth_refresh_at(signed_at, expires_in, credentials_expiration);
}

/* The core's providers' rule: the reuse point, or a thrown INVALID_CREDENTIALS (with the core's
 * message) when the credentials have already expired. */
JNIEXPORT jlong JNICALL Java_dev_iamauth_Native_reuseUntil(JNIEnv *env, jclass cls,
                                                           jlong signed_at, jlong expires_in,
                                                           jlong credentials_expiration) {
    (void)cls;
    int64_t until = 0;
    iamauth_str msg = {0};
    iamauth_result r =
        iamauth_reuse_until(signed_at, expires_in, credentials_expiration, &until, &msg);
    if (r != IAMAUTH_OK) {
        throw_result(env, r, msg);
        return 0;
    }
    return until;
}

JNIEXPORT jboolean JNICALL Java_dev_iamauth_Native_mayReuse(JNIEnv *env, jclass cls, jlong now,
                                                            jlong signed_at, jlong reuse_until) {
    (void)env;
    (void)cls;
    return iamauth_may_reuse(now, signed_at, reuse_until) ? JNI_TRUE : JNI_FALSE;
}

/* Credentials from the environment, read by the core: byte[][] {access key id, secret, session
 * token (null for none)}, or a thrown INVALID_CREDENTIALS with the core's message. The handle
 * (and so the library's copy of the secret, wiped by it) is freed before returning. */
JNIEXPORT jobjectArray JNICALL Java_dev_iamauth_Native_envCredentials(JNIEnv *env, jclass cls) {
    (void)cls;
    iamauth_env_credentials *handle = NULL;
    iamauth_str msg = {0};
    iamauth_result r = iamauth_env_credentials_read(&handle, &msg);
    if (r != IAMAUTH_OK) {
        throw_result(env, r, msg);
        return NULL;
    }
    jobjectArray out = NULL;
    iamauth_credentials c;
    r = iamauth_env_credentials_get(handle, &c, &msg);
    if (r != IAMAUTH_OK) {
        throw_result(env, r, msg);
        goto done;
    }
    jclass bytes_class = (*env)->FindClass(env, "[B");
    if (bytes_class == NULL) goto done;
    out = (*env)->NewObjectArray(env, 3, bytes_class, NULL);
    if (out == NULL) goto done;
    iamauth_str parts[3] = {{c.access_key_id, c.access_key_id_len},
                            {c.secret_access_key, c.secret_access_key_len},
                            {c.session_token, c.session_token_len}};
    for (int i = 0; i < 3; i++) {
        if (parts[i].data == NULL) continue; /* no session token: stays null */
        jbyteArray v = new_bytes(env, parts[i].data, parts[i].len);
        if (v == NULL) {
            out = NULL;
            goto done;
        }
        (*env)->SetObjectArrayElement(env, out, i, v);
        (*env)->DeleteLocalRef(env, v);
    }
done:
    iamauth_env_credentials_free(handle);
    return out;
}

/* ---- The credential chain (iamauth_credentials_provider_*): the handle lives in a Java long,
 * owned by dev.iamauth.DefaultCredentialsChain (freed by close() or its Cleaner). */

/* The chain's messages are made at run time; longer ones are cut (at a character boundary). */
#define ERROR_CAP 2048

/* Zeroes memory the compiler may not skip (a plain memset before free can be elided). */
static void wipe(void *p, size_t n) {
    volatile unsigned char *v = p;
    while (n--) *v++ = 0;
}

/* Throws the chain's error: its code and the message the library copied into `error`. */
static void throw_chain(JNIEnv *env, iamauth_result r, const char *error) {
    iamauth_str msg = {error, strlen(error)};
    throw_result(env, r, msg);
}

/* A new provider; profile null: AWS_PROFILE or `default`. */
JNIEXPORT jlong JNICALL Java_dev_iamauth_Native_providerNew(JNIEnv *env, jclass cls,
                                                            jbyteArray profile) {
    (void)cls;
    bytes p;
    if (!get_bytes(env, profile, &p, true, "profile")) return 0;
    iamauth_credentials_provider *handle = NULL;
    iamauth_str msg = {0};
    iamauth_result r = iamauth_credentials_provider_new(p.ptr, p.len, &handle, &msg);
    free_bytes(&p);
    if (r != IAMAUTH_OK) {
        throw_result(env, r, msg);
        return 0;
    }
    return (jlong)(intptr_t)handle;
}

JNIEXPORT void JNICALL Java_dev_iamauth_Native_providerFree(JNIEnv *env, jclass cls,
                                                            jlong handle) {
    (void)env;
    (void)cls;
    iamauth_credentials_provider_free((iamauth_credentials_provider *)(intptr_t)handle);
}

/* Resolves (cached): byte[][] {access key id, secret, session token (null for none)} and
 * expiration[0] = unix seconds or IAMAUTH_NO_EXPIRATION; or a thrown IamAuthException with the
 * chain's message. The credentials pass through one buffer of ours, wiped before returning. */
JNIEXPORT jobjectArray JNICALL Java_dev_iamauth_Native_providerResolve(JNIEnv *env, jclass cls,
                                                                       jlong handle,
                                                                       jlongArray expiration) {
    (void)cls;
    if (expiration == NULL || (*env)->GetArrayLength(env, expiration) < 1) {
        throw_class(env, "java/lang/IllegalArgumentException", "expiration");
        return NULL;
    }
    const iamauth_credentials_provider *p = (const iamauth_credentials_provider *)(intptr_t)handle;
    char stack[TOKEN_CAP];
    char *buf = stack;
    size_t cap = sizeof stack, len = 0;
    char error[ERROR_CAP] = "";
    iamauth_credentials c;
    int64_t expires = 0;
    jobjectArray out = NULL;
    iamauth_result r =
        iamauth_credentials_provider_resolve(p, buf, cap, &len, &c, &expires, error, sizeof error);
    /* Credentials refreshed between the two calls may need more again: ask until they fit. */
    for (int tries = 0; r == IAMAUTH_BUFFER_TOO_SMALL && tries < 3; tries++) {
        if (buf != stack) {
            wipe(buf, cap);
            free(buf);
        }
        cap = len + 1;
        buf = malloc(cap);
        if (buf == NULL) {
            throw_class(env, "java/lang/OutOfMemoryError", "iamauth: credentials too large");
            return NULL;
        }
        r = iamauth_credentials_provider_resolve(p, buf, cap, &len, &c, &expires, error,
                                                 sizeof error);
    }
    if (r != IAMAUTH_OK) {
        throw_chain(env, r, error);
        goto done;
    }
    jclass bytes_class = (*env)->FindClass(env, "[B");
    if (bytes_class == NULL) goto done;
    out = (*env)->NewObjectArray(env, 3, bytes_class, NULL);
    if (out == NULL) goto done;
    iamauth_str parts[3] = {{c.access_key_id, c.access_key_id_len},
                            {c.secret_access_key, c.secret_access_key_len},
                            {c.session_token, c.session_token_len}};
    for (int i = 0; i < 3; i++) {
        if (parts[i].data == NULL) continue; /* no session token: stays null */
        jbyteArray v = new_bytes(env, parts[i].data, parts[i].len);
        if (v == NULL) {
            out = NULL;
            goto done;
        }
        (*env)->SetObjectArrayElement(env, out, i, v);
        (*env)->DeleteLocalRef(env, v);
    }
    jlong e = expires;
    (*env)->SetLongArrayRegion(env, expiration, 0, 1, &e);
done:
    wipe(buf, cap);
    if (buf != stack) free(buf);
    return out;
}

/* The source that answered last ("" before the first resolve). */
JNIEXPORT jbyteArray JNICALL Java_dev_iamauth_Native_providerSource(JNIEnv *env, jclass cls,
                                                                    jlong handle) {
    (void)cls;
    const iamauth_credentials_provider *p = (const iamauth_credentials_provider *)(intptr_t)handle;
    char buf[SMALL];
    size_t len = 0;
    iamauth_str msg = {0};
    iamauth_result r = iamauth_credentials_provider_source(p, buf, sizeof buf, &len, &msg);
    if (r == IAMAUTH_BUFFER_TOO_SMALL) {
        char *heap = malloc(len + 1);
        if (heap == NULL) {
            throw_class(env, "java/lang/OutOfMemoryError", "iamauth: source too long");
            return NULL;
        }
        r = iamauth_credentials_provider_source(p, heap, len + 1, &len, &msg);
        jbyteArray out = r == IAMAUTH_OK ? new_bytes(env, heap, len) : NULL;
        if (r != IAMAUTH_OK) throw_result(env, r, msg);
        free(heap);
        return out;
    }
    if (r != IAMAUTH_OK) {
        throw_result(env, r, msg);
        return NULL;
    }
    return new_bytes(env, buf, len);
}

/* The core's defaults, read once by dev.iamauth.Native at class initialisation. */
JNIEXPORT jlong JNICALL Java_dev_iamauth_Native_defaultExpiry(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return iamauth_default_expiry();
}

JNIEXPORT jlong JNICALL Java_dev_iamauth_Native_defaultSkew(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return iamauth_default_skew();
}

JNIEXPORT jbyteArray JNICALL Java_dev_iamauth_Native_defaultService(JNIEnv *env, jclass cls) {
    (void)cls;
    iamauth_str s = iamauth_default_service();
    return new_bytes(env, s.data, s.len);
}
