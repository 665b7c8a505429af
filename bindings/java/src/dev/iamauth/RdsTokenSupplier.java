package dev.iamauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Hands out an RDS / Aurora token for a fixed endpoint and user, reusing it until
 * {@code refreshMargin} before it expires and then signing a new one (with fresh credentials from
 * the credentials supplier). Thread-safe. Meant as the password source of a JDBC pool:
 * {@code props.setProperty("password", supplier.get())} before each new connection.
 *
 * <p>Tokens are signed at the clock's time, so a handed-out token always has at least
 * {@code refreshMargin} of life left at the clock's {@code now}, and is never expired.
 */
public final class RdsTokenSupplier implements Supplier<String> {
    private final String host;
    private final long port;
    private final String user;
    private final String region;
    private final Supplier<Credentials> credentials;
    private final Clock clock;
    private final long expiresIn;
    private final long marginSeconds;

    private String token; // guarded by this
    private long refreshAt; // epoch seconds; guarded by this

    private RdsTokenSupplier(Builder b) {
        host = b.host;
        port = b.port;
        user = b.user;
        region = b.region;
        credentials = Objects.requireNonNull(b.credentials, "credentials");
        clock = b.clock;
        expiresIn = b.expiresIn;
        marginSeconds = b.refreshMargin.getSeconds();
        if (marginSeconds < 0 || marginSeconds >= expiresIn) {
            throw new IllegalArgumentException("refreshMargin must be in 0..expiresIn seconds (exclusive)");
        }
    }

    /**
     * Starts a builder.
     *
     * @param host the endpoint
     * @param port the port
     * @param user the database user
     * @param region the region
     * @return a builder (credentials required)
     */
    public static Builder builder(String host, int port, String user, String region) {
        return new Builder(host, port, user, region);
    }

    /**
     * @return a token with more than the refresh margin left at the clock's current time
     * @throws IamAuthException when signing fails (bad arguments or credentials)
     */
    @Override
    public synchronized String get() {
        Instant nowInstant = clock.instant();
        long now = nowInstant.getEpochSecond();
        if (token == null || now >= refreshAt) {
            Credentials c = Objects.requireNonNull(credentials.get(), "credentials supplier returned null");
            token = IamAuth.rdsToken(host, port, user, region, c, expiresIn, now);
            refreshAt = now + expiresIn - marginSeconds;
        }
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
        private Duration refreshMargin = Duration.ofSeconds(60);

        private Builder(String host, int port, String user, String region) {
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            this.user = Objects.requireNonNull(user, "user");
            this.region = Objects.requireNonNull(region, "region");
        }

        /** Fixed credentials. */
        public Builder credentials(Credentials c) {
            Objects.requireNonNull(c, "credentials");
            this.credentials = () -> c;
            return this;
        }

        /** Credentials asked for at each refresh (e.g. {@code Credentials::fromEnvironment}). */
        public Builder credentials(Supplier<Credentials> c) {
            this.credentials = Objects.requireNonNull(c, "credentials");
            return this;
        }

        /** The clock (default {@link Clock#systemUTC()}); inject a fixed one in tests. */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Token lifetime in seconds, 1..900 (default 900). */
        public Builder expiresIn(long seconds) {
            this.expiresIn = seconds;
            return this;
        }

        /** How long before expiry a token is replaced (default 60 s; whole seconds). */
        public Builder refreshMargin(Duration margin) {
            this.refreshMargin = Objects.requireNonNull(margin, "refreshMargin");
            return this;
        }

        /** @return the supplier; no token is made until the first {@link RdsTokenSupplier#get()} */
        public RdsTokenSupplier build() {
            return new RdsTokenSupplier(this);
        }
    }
}
