package dev.iamauth;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The token suppliers' cache and lock ({@link RdsTokenSupplier}, {@link MskTokenSupplier}): a
 * token signed at the clock's time with fresh credentials, reused while
 * {@link IamAuth#mayReuse(long, long, long)} says so, up to {@link IamAuth#reuseUntil(long, long,
 * long)} (the core's rule, never past the credentials' expiration). Thread-safe: concurrent
 * callers share one refresh.
 *
 * @param <T> the token (a {@code String}, or a value with its expiry)
 */
final class TokenCache<T> {
    /** Signs a token with these credentials at {@code now} (epoch seconds). */
    interface Signer<T> {
        T sign(Credentials credentials, long now);
    }

    private final Signer<T> signer;
    private final Supplier<Credentials> credentials;
    private final Clock clock;
    private final long expiresIn;

    private T token; // guarded by this
    private long signedAt; // epoch seconds; guarded by this
    private long reuseUntil; // epoch seconds; guarded by this

    TokenCache(Signer<T> signer, Supplier<Credentials> credentials, Clock clock, long expiresIn) {
        this.signer = signer;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = clock;
        this.expiresIn = expiresIn;
    }

    /** The cached token while the clock is before its refresh point, else a new one. */
    synchronized T get() {
        long now = clock.instant().getEpochSecond();
        if (token != null && IamAuth.mayReuse(now, signedAt, reuseUntil)) {
            return token;
        }
        Credentials c = Objects.requireNonNull(credentials.get(), "credentials supplier returned null");
        T fresh = signer.sign(c, now);
        Instant expiration = c.expiration();
        // INVALID_CREDENTIALS (the core's message) when they have already expired: nothing cached.
        long until = IamAuth.reuseUntil(now, expiresIn,
                expiration == null ? IamAuth.NO_EXPIRATION : expiration.getEpochSecond());
        token = fresh;
        signedAt = now;
        reuseUntil = until;
        return token;
    }

    /** Forgets the cached token. */
    synchronized void invalidate() {
        token = null;
    }
}
