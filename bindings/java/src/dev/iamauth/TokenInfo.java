package dev.iamauth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The fields of a token read back by {@link IamAuth#inspect(String, long)}. Immutable;
 * {@link #toString()} leaves out the signature.
 */
public final class TokenInfo {
    /** What a token is for. */
    public enum Kind {
        /** RDS / Aurora ({@code rds-db}). */
        RDS,
        /** Aurora DSQL ({@code dsql}). */
        DSQL,
        /** ElastiCache or MemoryDB. */
        ELASTICACHE,
        /** Amazon EKS ({@code sts}: a presigned STS {@code GetCallerIdentity}). */
        EKS,
        /** Amazon MSK ({@code kafka-cluster}). */
        MSK
    }

    /** Whether a token is usable at the inspection's {@code now}. */
    public enum Validity {
        /** Usable; {@link #validitySeconds()} = seconds left. */
        VALID,
        /** Expired; {@link #validitySeconds()} = seconds since it expired. */
        EXPIRED,
        /** Signed after {@code now} (a clock is wrong); {@link #validitySeconds()} = seconds until valid. */
        NOT_YET_VALID
    }

    private final Kind kind;
    private final String host;
    private final int port;
    private final String user;
    private final String action;
    private final boolean serverless;
    private final String region;
    private final String service;
    private final String accessKeyId;
    private final String signature;
    private final boolean hasSessionToken;
    private final long signedAt;
    private final long expiresIn;
    private final long expiresAt;
    private final long now;
    private final Validity validity;
    private final long seconds;

    /** From Native.inspect: nums and strs as documented in native/iamauth_jni.c. */
    TokenInfo(long[] n, byte[][] s) {
        kind = Kind.values()[(int) n[0] - 1];
        port = (int) n[1];
        serverless = n[3] != 0;
        hasSessionToken = n[4] != 0;
        signedAt = n[5];
        expiresIn = n[6];
        expiresAt = n[7];
        now = n[8];
        validity = Validity.values()[(int) n[9]];
        seconds = n[10];
        host = str(s[0]);
        action = str(s[1]);
        region = str(s[2]);
        service = str(s[3]);
        accessKeyId = str(s[4]);
        signature = str(s[5]);
        user = n[2] != 0 ? str(s[6]) : null;
    }

    private static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** @return what the token is for */
    public Kind kind() { return kind; }

    /** @return host (or cache name) as written in the token */
    public String host() { return host; }

    /** @return the port (RDS tokens only) */
    public OptionalInt port() { return port == 0 ? OptionalInt.empty() : OptionalInt.of(port); }

    /** @return the user, decoded (RDS and cache tokens; DSQL tokens have none) */
    public Optional<String> user() { return Optional.ofNullable(user); }

    /** @return {@code connect}, {@code DbConnect} or {@code DbConnectAdmin} */
    public String action() { return action; }

    /** @return whether it is an ElastiCache Serverless token */
    public boolean serverless() { return serverless; }

    /** @return the region of the credential scope */
    public String region() { return region; }

    /** @return {@code rds-db}, {@code dsql}, {@code elasticache} or {@code memorydb} */
    public String service() { return service; }

    /** @return the signer's access key id */
    public String accessKeyId() { return accessKeyId; }

    /** @return {@code X-Amz-Signature}, 64 lowercase hex digits (not in {@link #toString()}) */
    public String signature() { return signature; }

    /** @return whether the token carries a session token (its value is not exposed) */
    public boolean hasSessionToken() { return hasSessionToken; }

    /** @return the signing time */
    public Instant signedAt() { return Instant.ofEpochSecond(signedAt); }

    /** @return {@code X-Amz-Expires}, seconds */
    public long expiresIn() { return expiresIn; }

    /** @return {@code signedAt + expiresIn} */
    public Instant expiresAt() { return Instant.ofEpochSecond(expiresAt); }

    /** @return the instant {@link #validity()} is relative to */
    public Instant now() { return Instant.ofEpochSecond(now); }

    /** @return valid, expired or not yet valid at {@link #now()} */
    public Validity validity() { return validity; }

    /** @return seconds left (valid), seconds ago (expired) or seconds until valid (not yet valid) */
    public long validitySeconds() { return seconds; }

    /** All fields except the signature. */
    @Override
    public String toString() {
        return "TokenInfo[kind=" + kind + ", host=" + host + ", port=" + (port == 0 ? "none" : port)
                + ", user=" + (user == null ? "none" : user) + ", action=" + action + ", serverless=" + serverless
                + ", region=" + region + ", service=" + service + ", accessKeyId=" + accessKeyId
                + ", hasSessionToken=" + hasSessionToken + ", signedAt=" + signedAt() + ", expiresIn=" + expiresIn
                + ", expiresAt=" + expiresAt() + ", validity=" + validity + ", seconds=" + seconds + "]";
    }
}
