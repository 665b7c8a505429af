package dev.iamauth;

import java.time.Instant;
import java.util.Objects;

/**
 * An MSK token ({@link IamAuth#mskToken(String, Credentials, long, String, long)}) and its expiry
 * in milliseconds, the two things a Kafka OAUTHBEARER callback hands over (as the MSK signers
 * return them). Immutable. {@link #toString()} leaves the token out (it is a bearer credential).
 */
public final class MskToken {
    private final String token;
    private final long expiryMs;

    MskToken(String token, long expiryMs) {
        this.token = token;
        this.expiryMs = expiryMs;
    }

    /** @return the token: URL-safe base64 of the presigned URL (Kafka's {@code OAuthBearerToken.value()}) */
    public String token() {
        return token;
    }

    /**
     * @return the expiry, unix milliseconds: (signing time + expiresIn) * 1000 (Kafka's
     *     {@code OAuthBearerToken.lifetimeMs()})
     */
    public long expiryMs() {
        return expiryMs;
    }

    /** @return {@link #expiryMs()} as an instant */
    public Instant expiry() {
        return Instant.ofEpochMilli(expiryMs);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof MskToken)) return false;
        MskToken t = (MskToken) o;
        return expiryMs == t.expiryMs && token.equals(t.token);
    }

    @Override
    public int hashCode() {
        return Objects.hash(token, expiryMs);
    }

    @Override
    public String toString() {
        return "MskToken[expiry=" + expiry() + ", token=(" + token.length() + " characters)]";
    }
}
