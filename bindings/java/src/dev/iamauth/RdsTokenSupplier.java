package dev.iamauth;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Hands out an RDS / Aurora token for a fixed endpoint and user, reusing it until the library's
 * reuse point ({@link IamAuth#reuseUntil(long, long, long)}: the refresh point of
 * {@link IamAuth#refreshAt(long, long, long)}, when less than a third of its usable life or a
 * minute is left, whichever comes first) as {@link IamAuth#mayReuse(long, long, long)} decides, and
 * then signing a new one with fresh credentials from the credentials supplier. The rule and its
 * errors are the core's; this class keeps only the cache and the lock (TokenCache, shared by the suppliers). Thread-safe: concurrent callers share one refresh.
 * Meant as the password source of a JDBC pool: {@code props.setProperty("password", supplier.get())}
 * before each new connection.
 *
 * <p>Tokens are signed at the clock's time, so a handed-out token is never expired at the clock's
 * {@code now}, and never past its credentials' {@link Credentials#expiration() expiration}.
 */
public final class RdsTokenSupplier implements Supplier<String> {
    private final TokenCache<String> cache;

    private RdsTokenSupplier(Builder b) {
        String host = b.host;
        long port = b.port;
        String user = b.user;
        String region = b.region;
        long expiresIn = b.expiresIn;
        cache = new TokenCache<>((c, now) -> IamAuth.rdsToken(host, port, user, region, c, expiresIn, now),
                b.credentials, b.clock, expiresIn);
    }

    /**
     * Starts a builder.
     *
     * @param host the endpoint
     * @param port the port
     * @param user the database user
     * @param region the region, or null for the one the host names (see
     *     {@link IamAuth#rdsToken(String, long, String, String, Credentials, long, long)})
     * @return a builder (credentials required)
     */
    public static Builder builder(String host, int port, String user, String region) {
        return new Builder(host, port, user, region);
    }

    /**
     * @return the cached token while the clock is before its refresh point, else a new one
     * @throws IamAuthException when signing fails (bad arguments or credentials), or
     *     {@code INVALID_CREDENTIALS} when the supplied credentials have already expired
     */
    @Override
    public String get() {
        return cache.get();
    }

    /** Forgets the cached token, e.g. after the database refused it. */
    public void invalidate() {
        cache.invalidate();
    }

    /** Configures a {@link RdsTokenSupplier}. */
    public static final class Builder {
        private final String host;
        private final long port;
        private final String user;
        private final String region;
        private Supplier<Credentials> credentials;
        private Clock clock = Clock.systemUTC();
        private long expiresIn = IamAuth.DEFAULT_EXPIRES_IN;

        private Builder(String host, int port, String user, String region) {
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            this.user = Objects.requireNonNull(user, "user");
            this.region = region; // null: read from the host by the library
        }

        /** Fixed credentials. */
        public Builder credentials(Credentials c) {
            Objects.requireNonNull(c, "credentials");
            this.credentials = () -> c;
            return this;
        }

        /**
         * Credentials asked for at each refresh (e.g. {@link Credentials#defaultChain()}, the AWS
         * credential chain with its expirations, or {@code Credentials::fromEnvironment}); give
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

        /** @return the supplier; no token is made until the first {@link RdsTokenSupplier#get()} */
        public RdsTokenSupplier build() {
            return new RdsTokenSupplier(this);
        }
    }
}
