package dev.iamauth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * AWS IAM authentication tokens for RDS / Aurora, Aurora DSQL and ElastiCache / MemoryDB (byte for
 * byte what botocore makes), Amazon EKS ({@code aws eks get-token}'s) and Amazon MSK (the Kafka
 * SASL/OAUTHBEARER token of aws-msk-iam-sasl-signer), and reading a token back. Every method is thread-safe.
 *
 * <p>Conventions: a null argument that is required throws {@link NullPointerException} (naming the
 * parameter); every rule the library checks throws {@link IamAuthException} with its code. A time
 * of {@code null} (the {@link Instant} overloads) or {@link #NOW} (the epoch-seconds overloads)
 * means the current time, read by the library. If the JNI library cannot be loaded, every method
 * throws the same {@link UnsatisfiedLinkError}, naming what was looked for and how to fix it.
 */
public final class IamAuth {
    /** Passed as an epoch-seconds time: use the current time ({@code IAMAUTH_NOW} of iamauth.h). */
    public static final long NOW = Long.MIN_VALUE + 1;

    /**
     * The usual expiry, seconds: the core's default (the most RDS and cache tokens allow; DSQL allows
     * more), read from the native library once. -1 when the library cannot be loaded (every method
     * then throws the load error).
     */
    public static final long DEFAULT_EXPIRES_IN = Native.DEFAULT_EXPIRY;

    /**
     * The clock skew {@link #verify(String, String, Expectations, long)} allows when the expectations
     * set none, seconds: the core's default, read from the native library once (-1 without it).
     */
    public static final long DEFAULT_SKEW = Native.DEFAULT_SKEW;

    /**
     * The service {@link #verify(String, String, Expectations, long)} expects when the expectations
     * name none ({@code rds-db}): the core's default, read from the native library once (null
     * without it).
     */
    public static final String DEFAULT_SERVICE = Native.DEFAULT_SERVICE;

    private IamAuth() {}

    /** @return the native library's version, e.g. {@code 0.1.0} */
    public static String version() {
        Native.check();
        return new String(Native.version(), StandardCharsets.UTF_8);
    }

    // ---- RDS ----------------------------------------------------------------------------------

    /** An RDS / Aurora token, signed now, valid {@link #DEFAULT_EXPIRES_IN}. See {@link #rdsToken(String, long, String, String, Credentials, long, long)}. */
    public static String rdsToken(String host, int port, String user, String region, Credentials credentials) {
        return rdsToken(host, (long) port, user, region, credentials, DEFAULT_EXPIRES_IN, NOW);
    }

    /** An RDS / Aurora token signed at {@code time} (null = now). */
    public static String rdsToken(String host, int port, String user, String region, Credentials credentials,
            long expiresIn, Instant time) {
        return rdsToken(host, (long) port, user, region, credentials, expiresIn, seconds(time));
    }

    /**
     * An RDS / Aurora IAM token ({@code aws rds generate-db-auth-token}).
     *
     * @param host the endpoint
     * @param port 1..65535 (a {@code long} so that any number reaches the library's check)
     * @param user the database user
     * @param region e.g. {@code us-east-1}; null: the one the host names
     *     ({@code *.REGION.rds.amazonaws.com} and the other RDS partitions), else
     *     {@code INVALID_REGION}
     * @param credentials the signer
     * @param expiresIn seconds, 1..900
     * @param time unix seconds, or {@link #NOW}
     * @return the token (the database password)
     * @throws IamAuthException on an invalid argument
     */
    public static String rdsToken(String host, long port, String user, String region, Credentials credentials,
            long expiresIn, long time) {
        Objects.requireNonNull(credentials, "credentials");
        Native.check();
        byte[] h = utf8(host, "host");
        byte[] u = utf8(user, "user");
        byte[] r = optional(region, "region");
        Credentials.Utf8 c = credentials.utf8();
        return Native.rdsToken(h, port, u, r, expiresIn, time, c.bytes, c.accessKeyIdLength,
                c.secretAccessKeyLength, c.sessionTokenLength);
    }

    // ---- DSQL ---------------------------------------------------------------------------------

    /**
     * An Aurora DSQL token, signed now, valid {@link #DEFAULT_EXPIRES_IN}; {@code admin} =
     * {@code DbConnectAdmin}.
     */
    public static String dsqlToken(String host, String region, Credentials credentials, boolean admin) {
        return dsqlToken(host, region, credentials, admin, DEFAULT_EXPIRES_IN, NOW);
    }

    /** An Aurora DSQL token signed at {@code time} (null = now). */
    public static String dsqlToken(String host, String region, Credentials credentials, boolean admin,
            long expiresIn, Instant time) {
        return dsqlToken(host, region, credentials, admin, expiresIn, seconds(time));
    }

    /**
     * An Aurora DSQL token.
     *
     * @param host the cluster endpoint
     * @param region the region; null: the one the endpoint names ({@code *.dsql.REGION.on.aws}),
     *     else {@code INVALID_REGION}
     * @param credentials the signer
     * @param admin action {@code DbConnectAdmin} when true, else {@code DbConnect}
     * @param expiresIn seconds, 1..604800
     * @param time unix seconds, or {@link #NOW}
     * @return the token
     */
    public static String dsqlToken(String host, String region, Credentials credentials, boolean admin,
            long expiresIn, long time) {
        Objects.requireNonNull(credentials, "credentials");
        Native.check();
        byte[] h = utf8(host, "host");
        byte[] r = optional(region, "region");
        Credentials.Utf8 c = credentials.utf8();
        return Native.dsqlToken(h, r, admin, expiresIn, time, c.bytes, c.accessKeyIdLength,
                c.secretAccessKeyLength, c.sessionTokenLength);
    }

    /**
     * Reads a DSQL action name into the {@code admin} flag.
     *
     * @param action {@code DbConnect} or {@code DbConnectAdmin} (exact case)
     * @return true for {@code DbConnectAdmin}
     * @throws IamAuthException {@code INVALID_ACTION} otherwise
     */
    public static boolean dsqlAdmin(String action) {
        Native.check();
        return Native.dsqlAction(utf8(action, "action"));
    }

    // ---- ElastiCache / MemoryDB ---------------------------------------------------------------

    /** An ElastiCache / MemoryDB token, signed now, valid {@link #DEFAULT_EXPIRES_IN}. */
    public static String elasticacheToken(String name, String user, String region, Credentials credentials,
            boolean serverless, String service) {
        return elasticacheToken(name, user, region, credentials, serverless, service, DEFAULT_EXPIRES_IN, NOW);
    }

    /** An ElastiCache / MemoryDB token signed at {@code time} (null = now). */
    public static String elasticacheToken(String name, String user, String region, Credentials credentials,
            boolean serverless, String service, long expiresIn, Instant time) {
        return elasticacheToken(name, user, region, credentials, serverless, service, expiresIn, seconds(time));
    }

    /**
     * An ElastiCache / MemoryDB IAM token.
     *
     * @param name replication group id, serverless cache name or MemoryDB cluster name
     * @param user the cache user id
     * @param region the region
     * @param credentials the signer
     * @param serverless adds {@code ResourceType=ServerlessCache}
     * @param service {@code elasticache} or {@code memorydb}; null means {@code elasticache}
     * @param expiresIn seconds, 1..900
     * @param time unix seconds, or {@link #NOW}
     * @return the token
     */
    public static String elasticacheToken(String name, String user, String region, Credentials credentials,
            boolean serverless, String service, long expiresIn, long time) {
        Objects.requireNonNull(credentials, "credentials");
        Native.check();
        byte[] n = utf8(name, "name");
        byte[] u = utf8(user, "user");
        byte[] r = utf8(region, "region");
        byte[] s = optional(service, "service");
        Credentials.Utf8 c = credentials.utf8();
        return Native.elasticacheToken(n, u, r, serverless, s, expiresIn, time, c.bytes, c.accessKeyIdLength,
                c.secretAccessKeyLength, c.sessionTokenLength);
    }

    // ---- EKS ----------------------------------------------------------------------------------

    /** An EKS token for the regional STS endpoint, signed now. See {@link #eksToken(String, String, Credentials, StsEndpoint, long)}. */
    public static EksToken eksToken(String cluster, String region, Credentials credentials) {
        return eksToken(cluster, region, credentials, StsEndpoint.REGIONAL, NOW);
    }

    /** An EKS token signed at {@code time} (null = now). */
    public static EksToken eksToken(String cluster, String region, Credentials credentials, StsEndpoint stsEndpoint,
            Instant time) {
        return eksToken(cluster, region, credentials, stsEndpoint, seconds(time));
    }

    /**
     * An Amazon EKS authentication token, as {@code aws eks get-token} makes it (the bearer token
     * {@code kubectl} sends): {@code k8s-aws-v1.} + URL-safe base64 of a presigned STS
     * {@code GetCallerIdentity} URL that signs the header {@code x-k8s-aws-id: cluster}.
     *
     * @param cluster the cluster name (or Outposts cluster id)
     * @param region the region whose STS endpoint signs, e.g. {@code us-east-1}
     * @param credentials the signer
     * @param stsEndpoint {@link StsEndpoint#REGIONAL} (awscli's default) or {@link StsEndpoint#GLOBAL}
     * @param time unix seconds, or {@link #NOW}
     * @return the token and its {@code ExecCredential} expiration
     * @throws IamAuthException {@code INVALID_CLUSTER}, {@code INVALID_REGION}, {@code INVALID_CREDENTIALS},
     *     {@code INVALID_TIME}
     */
    public static EksToken eksToken(String cluster, String region, Credentials credentials, StsEndpoint stsEndpoint,
            long time) {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(stsEndpoint, "stsEndpoint");
        Native.check();
        byte[] k = utf8(cluster, "cluster");
        byte[] r = utf8(region, "region");
        Credentials.Utf8 c = credentials.utf8();
        long[] expiration = new long[1];
        String token = Native.eksToken(k, r, stsEndpoint.value, time, c.bytes, c.accessKeyIdLength,
                c.secretAccessKeyLength, c.sessionTokenLength, expiration);
        return new EksToken(token, expiration[0]);
    }

    // ---- MSK ----------------------------------------------------------------------------------

    /** An MSK token signed now, valid {@link #DEFAULT_EXPIRES_IN}, with this library's User-Agent. */
    public static MskToken mskToken(String region, Credentials credentials) {
        return mskToken(region, credentials, DEFAULT_EXPIRES_IN, null, NOW);
    }

    /** An MSK token signed at {@code time} (null = now). */
    public static MskToken mskToken(String region, Credentials credentials, long expiresIn, String userAgent,
            Instant time) {
        return mskToken(region, credentials, expiresIn, userAgent, seconds(time));
    }

    /**
     * An Amazon MSK IAM token, the SASL/OAUTHBEARER token Kafka clients send, as
     * aws-msk-iam-sasl-signer makes it: URL-safe base64 of the presigned
     * {@code https://kafka.REGION.amazonaws.com/?Action=kafka-cluster%3AConnect&...} with an unsigned
     * {@code User-Agent} parameter.
     *
     * @param region the cluster's region
     * @param credentials the signer
     * @param expiresIn seconds, 1..900
     * @param userAgent the {@code User-Agent} parameter; null: this library's ({@code iamauth/VERSION})
     * @param time unix seconds, or {@link #NOW}
     * @return the token and its expiry in milliseconds
     * @throws IamAuthException {@code INVALID_REGION}, {@code INVALID_EXPIRY}, {@code INVALID_TIME},
     *     {@code INVALID_USER_AGENT}, {@code INVALID_CREDENTIALS}
     */
    public static MskToken mskToken(String region, Credentials credentials, long expiresIn, String userAgent,
            long time) {
        Objects.requireNonNull(credentials, "credentials");
        Native.check();
        byte[] r = utf8(region, "region");
        byte[] ua = optional(userAgent, "userAgent");
        Credentials.Utf8 c = credentials.utf8();
        long[] expiry = new long[1];
        String token = Native.mskToken(r, expiresIn, ua, time, c.bytes, c.accessKeyIdLength,
                c.secretAccessKeyLength, c.sessionTokenLength, expiry);
        return new MskToken(token, expiry[0]);
    }

    // ---- inspect ------------------------------------------------------------------------------

    /** Reads a token back; validity relative to the current time. */
    public static TokenInfo inspect(String token) {
        return inspect(token, NOW);
    }

    /** Reads a token back; validity relative to {@code now} (null = the current time). */
    public static TokenInfo inspect(String token, Instant now) {
        return inspect(token, seconds(now));
    }

    /**
     * Reads a token back (no secret needed) and tells whether it is usable at {@code now}.
     *
     * @param token a token made by this library or botocore (EKS and MSK tokens are read from the URL
     *     inside them)
     * @param now unix seconds, or {@link #NOW}
     * @return the fields
     * @throws IamAuthException {@code MALFORMED_TOKEN} for text that is not a token
     */
    public static TokenInfo inspect(String token, long now) {
        long[] nums = new long[11];
        Native.check();
        byte[][] strs = Native.inspect(utf8(token, "token"), now, nums);
        return new TokenInfo(nums, strs);
    }

    // ---- verify -------------------------------------------------------------------------------

    /** Verifies a token at the current time. See {@link #verify(String, String, Expectations, long)}. */
    public static Identity verify(String token, String keysJson, Expectations expect) {
        return verify(token, keysJson, expect, NOW);
    }

    /** Verifies a token at {@code now} (null = the current time). */
    public static Identity verify(String token, String keysJson, Expectations expect, Instant now) {
        return verify(token, keysJson, expect, seconds(now));
    }

    /**
     * Verifies a token as the database does: finds its signer's key in {@code keysJson}, recomputes
     * the signature, then checks the session token, what it grants and its time.
     *
     * @param token the token (the password a client sent)
     * @param keysJson the keys file's text, {@code {"AKID": {"secret_access_key": "...", "session_token": "..." | null,
     *     "users": [...], "hosts": [...]}}}; {@code users} and {@code hosts} are optional grants (exact names, a prefix
     *     ending in {@code *}, or {@code "*"}): a key with them signs only for those users and hosts
     * @param expect what the token must grant ({@link Expectations#any()} for nothing)
     * @param now unix seconds, or {@link #NOW}
     * @return who signed it and what it grants
     * @throws IamAuthException first, for a malformed expectation, the code of its rule:
     *     {@code INVALID_CLUSTER} (an EKS token without {@link Expectations#withCluster(String)}), {@code INVALID_HOST}, {@code INVALID_PORT}, {@code INVALID_USER}, {@code INVALID_ACTION},
     *     {@code INVALID_REGION}, {@code INVALID_SERVICE}, {@code INVALID_TIME} (the skew); then the first failed check's
     *     code: {@code MALFORMED_TOKEN},
     *     {@code WRONG_SERVICE}, {@code EXPIRES_TOO_LONG}, {@code UNKNOWN_ACCESS_KEY},
     *     {@code SIGNATURE_MISMATCH}, {@code SESSION_TOKEN_MISMATCH}, {@code WRONG_REGION},
     *     {@code WRONG_HOST}, {@code WRONG_PORT}, {@code WRONG_USER}, {@code WRONG_ACTION},
     *     {@code USER_NOT_ALLOWED}, {@code HOST_NOT_ALLOWED} (the key's grants), {@code NOT_YET_VALID},
     *     {@code EXPIRED_TOKEN}; or {@code INVALID_CREDENTIALS} (keys file), {@code INVALID_PORT},
     *     {@code INVALID_TIME} ({@code now} or the skew)
     */
    public static Identity verify(String token, String keysJson, Expectations expect, long now) {
        Objects.requireNonNull(expect, "expect");
        long[] nums = new long[5];
        Native.check();
        byte[][] strs = Native.verify(utf8(token, "token"), utf8(keysJson, "keysJson"),
                optional(expect.host(), "host"), expect.port(), optional(expect.user(), "user"),
                optional(expect.action(), "action"), optional(expect.region(), "region"),
                optional(expect.service(), "service"), expect.hasSkew(), expect.skew(),
                optional(expect.cluster(), "cluster"), now, nums);
        return new Identity(nums, strs);
    }

    // ---- refresh ------------------------------------------------------------------------------

    /** Passed as {@code credentialsExpiration} of {@link #refreshAt(long, long, long)}: they do not expire. */
    public static final long NO_EXPIRATION = Long.MAX_VALUE;

    /**
     * The unix second from which a cached token must no longer be handed out: the one refresh rule
     * of every token provider (the core's). Refresh when less than a third of the usable lifetime or
     * a minute is left, whichever comes first; half-way for lifetimes under two minutes; never past
     * the credentials' expiration. A result {@code <= signedAt} means the token is unusable from the
     * start (the credentials have expired).
     *
     * @param signedAt when the token was signed, unix seconds
     * @param expiresIn its lifetime, seconds
     * @param credentialsExpiration when its credentials expire, unix seconds, or {@link #NO_EXPIRATION}
     * @return the refresh point, unix seconds
     */
    public static long refreshAt(long signedAt, long expiresIn, long credentialsExpiration) {
        Native.check();
        return Native.refreshAt(signedAt, expiresIn, credentialsExpiration);
    }

    /** {@link #refreshAt(long, long, long)} for credentials that do not expire. */
    public static long refreshAt(long signedAt, long expiresIn) {
        return refreshAt(signedAt, expiresIn, NO_EXPIRATION);
    }

    /**
     * The token providers' rule, whole (the core's): until when a token just signed at
     * {@code signedAt} may be handed out again. It is {@link #refreshAt(long, long, long)}, except
     * that credentials already expired at {@code signedAt} are refused.
     * @param signedAt when the token was signed, unix seconds
     * @param expiresIn its lifetime, seconds
     * @param credentialsExpiration when its credentials expire, unix seconds, or {@link #NO_EXPIRATION}
     * @return the unix second from which it must no longer be handed out
     * @throws IamAuthException {@code INVALID_CREDENTIALS} when the credentials have already expired
     *     (no token made with them would be accepted)
     */
    public static long reuseUntil(long signedAt, long expiresIn, long credentialsExpiration) {
        Native.check();
        return Native.reuseUntil(signedAt, expiresIn, credentialsExpiration);
    }

    /**
     * Whether a token cached at {@code signedAt}, reusable until {@code reuseUntil} (from
     * {@link #reuseUntil(long, long, long)}), may be handed out at {@code now} (the core's rule: not
     * after the reuse point, and never when the clock went back before the signing).
     * @param now unix seconds
     * @param signedAt when the token was signed, unix seconds
     * @param reuseUntil its reuse point, unix seconds
     * @return true to hand the cached token out, false to make a new one
     */
    public static boolean mayReuse(long now, long signedAt, long reuseUntil) {
        Native.check();
        return Native.mayReuse(now, signedAt, reuseUntil);
    }

    // ---- conversion ---------------------------------------------------------------------------

    private static long seconds(Instant time) {
        return time == null ? NOW : time.getEpochSecond();
    }

    /** The UTF-8 bytes of an optional argument: null stays null (absent, NULL for the library). */
    static byte[] optional(String s, String what) {
        return s == null ? null : utf8(s, what);
    }

    /**
     * UTF-8 bytes of {@code s}. {@code String.getBytes} would silently turn an unpaired surrogate
     * into '?', signing a different name: such a string is {@code INVALID_UTF8} instead.
     */
    static byte[] utf8(String s, String what) {
        Objects.requireNonNull(s, what);
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                try {
                    ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .encode(CharBuffer.wrap(s));
                    byte[] out = new byte[b.remaining()];
                    b.get(out);
                    return out;
                } catch (CharacterCodingException e) {
                    throw new IamAuthException("INVALID_UTF8", what + ": not valid Unicode (unpaired surrogate)");
                }
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
