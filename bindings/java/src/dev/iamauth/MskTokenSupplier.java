package dev.iamauth;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Hands out an Amazon MSK token (and its expiry) for one region, reusing it until the library's
 * reuse point ({@link IamAuth#reuseUntil(long, long, long)}, the same rule as
 * {@link RdsTokenSupplier}: when less than a third of its usable life or a minute is left, whichever
 * comes first, and never past the credentials' expiration) as {@link IamAuth#mayReuse(long, long, long)}
 * decides, then signing a new one with fresh credentials from the credentials supplier. The rule and
 * its errors are the core's; this class keeps only the cache and the lock (TokenCache, shared by the suppliers). Thread-safe: concurrent
 * callers share one refresh.
 *
 * <p>Meant for a Kafka client's SASL/OAUTHBEARER login callback handler: its
 * {@code OAuthBearerTokenCallback} takes {@link MskToken#token()} as the token value and
 * {@link MskToken#expiryMs()} as its lifetime (see the README).
 */
public final class MskTokenSupplier implements Supplier<MskToken> {
    private final TokenCache<MskToken> cache;

    private MskTokenSupplier(Builder b) {
        String region = b.region;
        long expiresIn = b.expiresIn;
        String userAgent = b.userAgent;
        cache = new TokenCache<>((c, now) -> IamAuth.mskToken(region, c, expiresIn, userAgent, now),
                b.credentials, b.clock, expiresIn);
    }

    /**
     * Starts a builder.
     *
     * @param region the MSK cluster's region
     * @return a builder (credentials required)
     */
    public static Builder builder(String region) {
        return new Builder(region);
    }

    /**
     * @return the cached token while the clock is before its refresh point, else a new one
     * @throws IamAuthException when signing fails (bad arguments or credentials), or
     *     {@code INVALID_CREDENTIALS} when the supplied credentials have already expired
     */
    @Override
    public MskToken get() {
        return cache.get();
    }

    /** Forgets the cached token, e.g. after the broker refused it. */
    public void invalidate() {
        cache.invalidate();
    }

    /** Configures a {@link MskTokenSupplier}. */
    public static final class Builder {
        private final String region;
        private Supplier<Credentials> credentials;
        private Clock clock = Clock.systemUTC();
        private long expiresIn = IamAuth.DEFAULT_EXPIRES_IN;
        private String userAgent;

        private Builder(String region) {
            this.region = Objects.requireNonNull(region, "region");
        }

        /** Fixed credentials. */
        public Builder credentials(Credentials c) {
            Objects.requireNonNull(c, "credentials");
            this.credentials = () -> c;
            return this;
        }

        /**
         * Credentials asked for at each refresh (e.g. {@link Credentials#defaultChain()}); give
         * temporary ones their {@link Credentials#expiration() expiration} so that no token outlives them.
         */
        public Builder credentials(Supplier<Credentials> c) {
            this.credentials = Objects.requireNonNull(c, "credentials");
            return this;
        }

        /** The clock (default {@link Clock#systemUTC()}); inject a fixed one in tests. */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Token lifetime in seconds, 1..900 (default {@link IamAuth#DEFAULT_EXPIRES_IN}). */
        public Builder expiresIn(long seconds) {
            this.expiresIn = seconds;
            return this;
        }

        /** The token's {@code User-Agent} parameter (default: null, this library's own). */
        public Builder userAgent(String ua) {
            this.userAgent = ua;
            return this;
        }

        /** @return the supplier; no token is made until the first {@link MskTokenSupplier#get()} */
        public MskTokenSupplier build() {
            return new MskTokenSupplier(this);
        }
    }
}
