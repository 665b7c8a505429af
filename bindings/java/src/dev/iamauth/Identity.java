package dev.iamauth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** Who signed a token verified by {@link IamAuth#verify(String, String, Expectations, long)}, and what it grants. Immutable. */
public final class Identity {
    private final TokenInfo.Kind kind;
    private final String accessKeyId;
    private final String user;
    private final String action;
    private final String host;
    private final int port;
    private final String region;
    private final String service;
    private final long signedAt;
    private final long expiresAt;

    /** From Native.verify: nums and strs as documented in native/iamauth_jni.c. */
    Identity(long[] n, byte[][] s) {
        kind = TokenInfo.Kind.values()[(int) n[0] - 1];
        port = (int) n[1];
        signedAt = n[3];
        expiresAt = n[4];
        accessKeyId = text(s[0]);
        action = text(s[1]);
        host = text(s[2]);
        region = text(s[3]);
        service = text(s[4]);
        user = n[2] != 0 && s[5] != null ? text(s[5]) : null;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** @return what the token is for */
    public TokenInfo.Kind kind() {
        return kind;
    }

    /** @return the signer's access key id (a key of the keys file) */
    public String accessKeyId() {
        return accessKeyId;
    }

    /** @return the database or cache user, percent-decoded (empty for DSQL) */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** @return {@code connect}, {@code DbConnect} or {@code DbConnectAdmin} */
    public String action() {
        return action;
    }

    /** @return the host as written in the token */
    public String host() {
        return host;
    }

    /** @return the port (empty for DSQL and cache tokens) */
    public OptionalInt port() {
        return port == 0 ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** @return the credential scope's region */
    public String region() {
        return region;
    }

    /** @return the credential scope's service */
    public String service() {
        return service;
    }

    /** @return when it was signed */
    public Instant signedAt() {
        return Instant.ofEpochSecond(signedAt);
    }

    /** @return when it expires */
    public Instant expiresAt() {
        return Instant.ofEpochSecond(expiresAt);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Identity)) return false;
        Identity i = (Identity) o;
        return kind == i.kind && port == i.port && signedAt == i.signedAt && expiresAt == i.expiresAt
                && accessKeyId.equals(i.accessKeyId) && Objects.equals(user, i.user) && action.equals(i.action)
                && host.equals(i.host) && region.equals(i.region) && service.equals(i.service);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, accessKeyId, user, action, host, port, region, service, signedAt, expiresAt);
    }

    @Override
    public String toString() {
        return "Identity[kind=" + kind + ", accessKeyId=" + accessKeyId + ", user=" + user + ", action=" + action
                + ", host=" + host + ", port=" + port + ", region=" + region + ", service=" + service
                + ", signedAt=" + signedAt() + ", expiresAt=" + expiresAt() + "]";
    }
}
