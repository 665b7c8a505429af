package dev.iamauth;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that logs in with an IAM token: every {@link #getConnection()} (a new
 * physical connection, when a pool such as HikariCP or DBCP2 sits on top) asks its token supplier
 * for a password, a {@link RdsTokenSupplier} by default, so a token is reused only while the
 * core's reuse rule allows and a fresh one is signed after that. Pools keep working past the first
 * token's expiry: only the login needs a valid token, and each new connection gets one.
 *
 * <p>It wraps the driver's own {@code DataSource} (e.g. pgjdbc's {@code PGSimpleDataSource},
 * MariaDB Connector/J's {@code MariaDbDataSource}: TLS and the database are configured there) and
 * calls its {@code getConnection(user, token)}, or a JDBC URL and properties, to which it adds
 * {@code user} and {@code password}:
 *
 * <pre>{@code
 * DataSource ds = IamAuthDataSource.builder(host, 5432, "iam_user", "us-east-1")
 *         .credentials(Credentials.defaultChain())
 *         .wrap(pgSimpleDataSource);
 * }</pre>
 *
 * <p>The other {@code DataSource} methods (login timeout, log writer, parent logger) are the
 * wrapped one's; {@link #unwrap(Class)} answers this object or what it wraps. Thread-safe as far as
 * the wrapped {@code DataSource} is.
 */
public final class IamAuthDataSource implements DataSource {
    /** Where connections come from: the wrapped DataSource, or a driver and URL. */
    private interface Target {
        Connection connect(String user, String password) throws SQLException;
    }

    private final Target target;
    private final DataSource wrapped; // null for a URL target
    private final String user;
    private final Supplier<String> passwords;
    private volatile int loginTimeout; // URL target only
    private volatile PrintWriter logWriter; // URL target only

    private IamAuthDataSource(Target target, DataSource wrapped, String user, Supplier<String> passwords) {
        this.target = target;
        this.wrapped = wrapped;
        this.user = Objects.requireNonNull(user, "user");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
    }

    /**
     * Starts a builder whose token supplier is a {@link RdsTokenSupplier} for this endpoint and
     * user (see {@link RdsTokenSupplier#builder(String, int, String, String)}).
     *
     * @param host the database endpoint, as the token names it
     * @param port the port
     * @param user the database user (the login user and the token's)
     * @param region the region, or null for the one the host names
     * @return a builder (credentials required)
     */
    public static Builder builder(String host, int port, String user, String region) {
        return new Builder(RdsTokenSupplier.builder(host, port, user, region), user);
    }

    /**
     * A data source on {@code dataSource} whose passwords come from {@code passwords}, e.g. a
     * {@link RdsTokenSupplier} shared with other code.
     *
     * @param dataSource the driver's data source
     * @param user the login user
     * @param passwords asked once per {@link #getConnection()}
     * @return the data source
     */
    public static IamAuthDataSource wrap(DataSource dataSource, String user, Supplier<String> passwords) {
        Objects.requireNonNull(dataSource, "dataSource");
        return new IamAuthDataSource(dataSource::getConnection, dataSource, user, passwords);
    }

    /**
     * A new connection as the configured user, with the password (token) the supplier hands out
     * now: the wrapped {@code DataSource}'s {@code getConnection(user, token)}, or the driver's
     * {@code connect(url, properties + user + password)}.
     *
     * @throws SQLException from the driver (a refused token among them), or wrapping the
     *     {@link IamAuthException} of a token that could not be made (its {@code code()} in the
     *     message, the exception as the cause)
     */
    @Override
    public Connection getConnection() throws SQLException {
        String password;
        try {
            password = passwords.get();
        } catch (IamAuthException e) {
            // Pools handle SQLException (retry, report); an unchecked one would escape them.
            throw new SQLException("iamauth: cannot make a token: " + e.getMessage(), "28000", e);
        }
        return target.connect(user, password);
    }

    /**
     * Refused: the password of each connection is a token made here, for the user given to the
     * builder. Passing a password through would silently log in without IAM, and a different user
     * would not match the token. Configure no user or password on the pool (HikariCP, DBCP2 then
     * call {@link #getConnection()}).
     *
     * @throws SQLFeatureNotSupportedException always (a {@code SQLException}, so a pool reports it
     *     as a failed login with this message)
     */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("IamAuthDataSource: getConnection(user, password) is not supported:"
                + " each connection logs in as " + user + " with a fresh IAM token; call getConnection()"
                + " (configure no user or password on the pool)");
    }

    /** @return the login user */
    public String user() {
        return user;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return wrapped != null ? wrapped.getLogWriter() : logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        if (wrapped != null) {
            wrapped.setLogWriter(out);
        } else {
            logWriter = out;
        }
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        if (wrapped != null) {
            wrapped.setLoginTimeout(seconds);
        } else {
            // Kept only: DriverManager's timeout is process-wide. Give the driver's own property
            // (pgjdbc loginTimeout, Connector/J connectTimeout) in the URL or properties.
            loginTimeout = seconds;
        }
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return wrapped != null ? wrapped.getLoginTimeout() : loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        if (wrapped != null) return wrapped.getParentLogger();
        throw new SQLFeatureNotSupportedException("IamAuthDataSource on a JDBC URL has no parent logger");
    }

    /**
     * @return this object if it is an {@code iface}, else the wrapped {@code DataSource} if it is
     *     one, else what the wrapped one unwraps to
     * @throws SQLException when neither is an {@code iface}
     */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) return iface.cast(this);
        if (wrapped != null) {
            if (iface.isInstance(wrapped)) return iface.cast(wrapped);
            return wrapped.unwrap(iface);
        }
        throw new SQLException("IamAuthDataSource is not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        if (iface.isInstance(this)) return true;
        if (wrapped != null) return iface.isInstance(wrapped) || wrapped.isWrapperFor(iface);
        return false;
    }

    @Override
    public String toString() {
        return "IamAuthDataSource[user=" + user + ", "
                + (wrapped != null ? "wrapping " + wrapped.getClass().getName() : "on a JDBC URL") + "]";
    }

    /**
     * Configures the token supplier ({@link RdsTokenSupplier.Builder}'s settings), then names where
     * connections come from: {@link #wrap(DataSource)} or {@link #driver(String, Properties)}.
     */
    public static final class Builder {
        private final RdsTokenSupplier.Builder tokens;
        private final String user;

        private Builder(RdsTokenSupplier.Builder tokens, String user) {
            this.tokens = tokens;
            this.user = user;
        }

        /** Fixed credentials. */
        public Builder credentials(Credentials c) {
            tokens.credentials(c);
            return this;
        }

        /** Credentials asked for at each token refresh, e.g. {@link Credentials#defaultChain()}. */
        public Builder credentials(Supplier<Credentials> c) {
            tokens.credentials(c);
            return this;
        }

        /** Token lifetime in seconds, 1..900 (default {@link IamAuth#DEFAULT_EXPIRES_IN}). */
        public Builder expiresIn(long seconds) {
            tokens.expiresIn(seconds);
            return this;
        }

        /** The clock (default {@link Clock#systemUTC()}); inject a fixed one in tests. */
        public Builder clock(Clock c) {
            tokens.clock(c);
            return this;
        }

        /**
         * @param dataSource the driver's data source (TLS, database and options set on it; its own
         *     user and password are not used)
         * @return the data source; no token is made until the first connection
         */
        public IamAuthDataSource wrap(DataSource dataSource) {
            return IamAuthDataSource.wrap(dataSource, user, tokens.build());
        }

        /**
         * Connections from {@link DriverManager#getConnection(String, Properties)}.
         *
         * @param url the JDBC URL
         * @param properties the driver's properties (copied; {@code user} and {@code password} are
         *     set per connection), or null for none
         * @return the data source
         */
        public IamAuthDataSource driver(String url, Properties properties) {
            return driver(null, url, properties);
        }

        /**
         * Connections from {@code driver.connect(url, properties)}, for a driver not registered
         * with {@link DriverManager} (or null: through {@code DriverManager}).
         *
         * @param driver the driver, or null for {@link DriverManager}
         * @param url the JDBC URL
         * @param properties the driver's properties (copied), or null for none
         * @return the data source
         */
        public IamAuthDataSource driver(Driver driver, String url, Properties properties) {
            Objects.requireNonNull(url, "url");
            Properties base = new Properties();
            if (properties != null) base.putAll(properties);
            Target t = (u, password) -> {
                Properties p = new Properties();
                p.putAll(base);
                p.setProperty("user", u);
                p.setProperty("password", password);
                if (driver == null) return DriverManager.getConnection(url, p);
                Connection c = driver.connect(url, p);
                if (c == null) throw new SQLException("the driver does not accept " + url, "08001");
                return c;
            };
            return new IamAuthDataSource(t, null, user, tokens.build());
        }
    }
}
