package dev.iamauth;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Hands out an RDS / Aurora token for a fixed endpoint and user, reusing it until the library's
 * reuse point ({@link IamAuth#reuseUntil(long, long, long)}: the refresh point of
 * {@link IamAuth#refreshAt(long, long, long)}, when less than a third of its usable life or a
 * minute is left, whichever comes first) as {@link IamAuth#mayReuse(long, long, long)} decides, and
 * then signing a new one with fresh credentials from the credentials supplier. The rule and its
 * errors are the core's; this class keeps only the cache and the lock. Thread-safe: concurrent callers share one refresh.
 * Meant as the password source of a JDBC pool: {@code props.setProperty("password", supplier.get())}
 * before each new connection.
 *
 * <p>Tokens are signed at the clock's time, so a handed-out token is never expired at the clock's
 * {@code now}, and never past its credentials' {@link Credentials#expiration() expiration}.
 */
public final class RdsTokenSupplier implements Supplier<String> {
    private final String host;
    private final long port;
    private final String user;
    private final String region;
    private final Supplier<Credentials> credentials;
    private final Clock clock;
    private final long expiresIn;

    private String token; // guarded by this
    private long signedAt; // epoch seconds; guarded by this
    private long reuseUntil; // epoch seconds; guarded by this

    private RdsTokenSupplier(Builder b) {
        host = b.host;
        port = b.port;
        user = b.user;
        region = b.region;
        credentials = Objects.requireNonNull(b.credentials, "credentials");
        clock = b.clock;
        expiresIn = b.expiresIn;
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
    public synchronized String get() {
        long now = clock.instant().getEpochSecond();
        if (token != null && IamAuth.mayReuse(now, signedAt, reuseUntil)) {
            return token;
        }
        Credentials c = Objects.requireNonNull(credentials.get(), "credentials supplier returned null");
        String fresh = IamAuth.rdsToken(host, port, user, region, c, expiresIn, now);
        Instant expiration = c.expiration();
        // INVALID_CREDENTIALS (the core's message) when they have already expired: nothing cached.
        long until = IamAuth.reuseUntil(now, expiresIn,
                expiration == null ? IamAuth.NO_EXPIRATION : expiration.getEpochSecond());
        token = fresh;
        signedAt = now;
        reuseUntil = until;
        return token;
    }

    /** Forgets the cached token, e.g. after the database refused it. */
    public synchronized void invalidate() {
        token = null;
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
