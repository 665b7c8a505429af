package dev.iamauth;

import java.time.Instant;
import java.util.Objects;

/**
 * An EKS token ({@link IamAuth#eksToken(String, String, Credentials, StsEndpoint, long)}) and its
 * {@code ExecCredential} expiration. Immutable. {@link #toString()} leaves the token out (it is a
 * bearer credential).
 */
public final class EksToken {
    private final String token;
    private final long expiration;

    EksToken(String token, long expiration) {
        this.token = token;
        this.expiration = expiration;
    }

    /** @return the token, {@code k8s-aws-v1.} + base64: the bearer token {@code kubectl} sends */
    public String token() {
        return token;
    }

    /**
     * @return the {@code ExecCredential}'s {@code status.expirationTimestamp} as unix seconds: the
     *     signing time + 14 minutes, as awscli writes it (the server accepts the token for 15)
     */
    public long expirationEpochSecond() {
        return expiration;
    }

    /** @return {@link #expirationEpochSecond()} as an instant */
    public Instant expiration() {
        return Instant.ofEpochSecond(expiration);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof EksToken)) return false;
        EksToken t = (EksToken) o;
        return expiration == t.expiration && token.equals(t.token);
    }

    @Override
    public int hashCode() {
        return Objects.hash(token, expiration);
    }

    @Override
    public String toString() {
        return "EksToken[expiration=" + expiration() + ", token=(" + token.length() + " characters)]";
    }
}
