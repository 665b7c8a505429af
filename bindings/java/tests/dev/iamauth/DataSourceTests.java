package dev.iamauth;

import static dev.iamauth.IamAuthTest.DEMO;
import static dev.iamauth.IamAuthTest.DEMO_HOST;
import static dev.iamauth.IamAuthTest.DEMO_TIME;
import static dev.iamauth.IamAuthTest.DEMO_TOKEN;
import static dev.iamauth.IamAuthTest.check;
import static dev.iamauth.IamAuthTest.eq;
import static dev.iamauth.IamAuthTest.test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * IamAuthDataSource without a server: a fake DataSource and a fake Driver record what they are
 * given. Run from IamAuthTest's runner.
 */
final class DataSourceTests {
    private DataSourceTests() {}

    static Connection fakeConnection() {
        return (Connection) Proxy.newProxyInstance(DataSourceTests.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (p, m, a) -> m.getName().equals("toString") ? "fake" : null);
    }

    /** Records each getConnection's user and password; every other call is recorded too. */
    static final class FakeDataSource implements DataSource {
        final List<String> users = new ArrayList<>();
        final List<String> passwords = new ArrayList<>();
        int loginTimeout = 7;
        PrintWriter log;
        final Logger logger = Logger.getLogger("fake");

        @Override
        public Connection getConnection() {
            throw new AssertionError("getConnection() without a password");
        }

        @Override
        public Connection getConnection(String user, String password) {
            users.add(user);
            passwords.add(password);
            return fakeConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return log;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            log = out;
        }

        @Override
        public void setLoginTimeout(int seconds) {
            loginTimeout = seconds;
        }

        @Override
        public int getLoginTimeout() {
            return loginTimeout;
        }

        @Override
        public Logger getParentLogger() {
            return logger;
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface == CharSequence.class) return iface.cast("inner"); // as a driver's inner object
            throw new SQLException("not a wrapper for " + iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface == CharSequence.class;
        }
    }

    static void run() {
        test("IamAuthDataSource: a token per getConnection(), reused while the core allows, fresh after", () -> {
            IamAuthTest.FakeClock clock = new IamAuthTest.FakeClock(Instant.ofEpochSecond(DEMO_TIME));
            FakeDataSource fake = new FakeDataSource();
            IamAuthDataSource ds = IamAuthDataSource.builder(DEMO_HOST, 5432, "iam_user", "us-east-1")
                    .credentials(DEMO).clock(clock).wrap(fake);
            eq(0, fake.passwords.size(), "no token before the first connection");
            eq("fake", ds.getConnection().toString(), "the wrapped DataSource's connection");
            eq(List.of(DEMO_TOKEN), fake.passwords, "the token as the password");
            eq(List.of("iam_user"), fake.users, "the builder's user");
            clock.now = Instant.ofEpochSecond(DEMO_TIME + 599);
            ds.getConnection();
            eq(DEMO_TOKEN, fake.passwords.get(1), "reused before the reuse point");
            clock.now = Instant.ofEpochSecond(DEMO_TIME + 600);
            ds.getConnection();
            String fresh = fake.passwords.get(2);
            check(!fresh.equals(DEMO_TOKEN), "a fresh token past the reuse point");
            eq(Instant.ofEpochSecond(DEMO_TIME + 600), IamAuth.inspect(fresh).signedAt(), "signed now");
            eq("iam_user", ds.user(), "user()");
        });
        test("IamAuthDataSource: 3 s tokens, a new one once the first expired", () -> {
            IamAuthTest.FakeClock clock = new IamAuthTest.FakeClock(Instant.ofEpochSecond(DEMO_TIME));
            FakeDataSource fake = new FakeDataSource();
            IamAuthDataSource ds = IamAuthDataSource.builder(DEMO_HOST, 5432, "iam_user", "us-east-1")
                    .credentials(DEMO).clock(clock).expiresIn(3).wrap(fake);
            for (long t = DEMO_TIME; t < DEMO_TIME + 30; t++) {
                clock.now = Instant.ofEpochSecond(t);
                ds.getConnection();
                String tok = fake.passwords.get(fake.passwords.size() - 1);
                TokenInfo i = IamAuth.inspect(tok, t);
                eq(TokenInfo.Validity.VALID, i.validity(), "at " + t);
                eq(3L, i.expiresIn(), "expiresIn");
            }
            check(fake.passwords.stream().distinct().count() >= 10, "fresh tokens: " + fake.passwords.stream().distinct().count());
        });
        test("IamAuthDataSource: getConnection(user, password) refused, nothing sent", () -> {
            FakeDataSource fake = new FakeDataSource();
            IamAuthDataSource ds = IamAuthDataSource.builder(DEMO_HOST, 5432, "iam_user", "us-east-1")
                    .credentials(DEMO).wrap(fake);
            try {
                ds.getConnection("iam_user", "secret");
                check(false, "no exception");
            } catch (SQLFeatureNotSupportedException e) {
                check(e.getMessage().contains("getConnection()") && !e.getMessage().contains("secret"), e.getMessage());
            }
            eq(0, fake.passwords.size(), "the wrapped DataSource not called");
        });
        test("IamAuthDataSource: a token that cannot be made is a SQLException with the code", () -> {
            FakeDataSource fake = new FakeDataSource();
            IamAuthDataSource ds = IamAuthDataSource.builder(DEMO_HOST, 0, "iam_user", "us-east-1")
                    .credentials(DEMO).wrap(fake);
            try {
                ds.getConnection();
                check(false, "no exception");
            } catch (SQLException e) {
                check(e.getCause() instanceof IamAuthException, "cause " + e.getCause());
                eq("INVALID_PORT", ((IamAuthException) e.getCause()).code(), "code");
                check(e.getMessage().contains("INVALID_PORT"), e.getMessage());
            }
            eq(0, fake.passwords.size(), "nothing sent");
            IamAuthTest.throwsNpe(() -> IamAuthDataSource.builder(DEMO_HOST, 5432, "u", "us-east-1").wrap(fake));
            IamAuthTest.throwsNpe(() -> IamAuthDataSource.builder(DEMO_HOST, 5432, "u", "us-east-1").credentials(DEMO)
                    .wrap(null));
            IamAuthTest.throwsNpe(() -> IamAuthDataSource.wrap(fake, null, () -> "t"));
        });
        test("IamAuthDataSource: the other DataSource methods are the wrapped one's; unwrap", () -> {
            FakeDataSource fake = new FakeDataSource();
            IamAuthDataSource ds = IamAuthDataSource.wrap(fake, "u", () -> "pw");
            eq(7, ds.getLoginTimeout(), "getLoginTimeout");
            ds.setLoginTimeout(11);
            eq(11, fake.loginTimeout, "setLoginTimeout");
            PrintWriter w = new PrintWriter(new StringWriter());
            ds.setLogWriter(w);
            check(fake.log == w && ds.getLogWriter() == w, "log writer");
            check(ds.getParentLogger() == fake.logger, "parent logger");
            check(ds.unwrap(IamAuthDataSource.class) == ds && ds.unwrap(DataSource.class) == ds, "unwrap to itself");
            check(ds.unwrap(FakeDataSource.class) == fake, "unwrap to the wrapped one");
            eq("inner", ds.unwrap(CharSequence.class), "unwrap through the wrapped one");
            check(ds.isWrapperFor(IamAuthDataSource.class) && ds.isWrapperFor(FakeDataSource.class)
                    && ds.isWrapperFor(CharSequence.class) && !ds.isWrapperFor(Integer.class), "isWrapperFor");
            try {
                ds.unwrap(Integer.class);
                check(false, "no exception");
            } catch (SQLException expected) {
                // the wrapped one's refusal
            }
            ds.getConnection();
            eq(List.of("pw"), fake.passwords, "any Supplier<String>");
        });
        test("IamAuthDataSource on a JDBC URL and Driver: properties copied, user and password per connection", () -> {
            IamAuthTest.FakeClock clock = new IamAuthTest.FakeClock(Instant.ofEpochSecond(DEMO_TIME));
            List<Properties> seen = new ArrayList<>();
            Driver driver = new Driver() {
                @Override
                public Connection connect(String url, Properties info) {
                    if (!url.startsWith("jdbc:fake:")) return null;
                    seen.add(info);
                    return fakeConnection();
                }

                @Override
                public boolean acceptsURL(String url) {
                    return url.startsWith("jdbc:fake:");
                }

                @Override
                public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
                    return new DriverPropertyInfo[0];
                }

                @Override
                public int getMajorVersion() {
                    return 1;
                }

                @Override
                public int getMinorVersion() {
                    return 0;
                }

                @Override
                public boolean jdbcCompliant() {
                    return false;
                }

                @Override
                public Logger getParentLogger() {
                    return Logger.getLogger("fake");
                }
            };
            Properties props = new Properties();
            props.setProperty("sslmode", "verify-full");
            props.setProperty("password", "ignored");
            IamAuthDataSource ds = IamAuthDataSource.builder(DEMO_HOST, 5432, "iam_user", "us-east-1")
                    .credentials(DEMO).clock(clock).driver(driver, "jdbc:fake://db/postgres", props);
            ds.getConnection();
            eq(1, seen.size(), "one connect");
            eq("verify-full", seen.get(0).getProperty("sslmode"), "properties passed on");
            eq("iam_user", seen.get(0).getProperty("user"), "user");
            eq(DEMO_TOKEN, seen.get(0).getProperty("password"), "token");
            eq("ignored", props.getProperty("password"), "the caller's properties untouched");
            check(props.getProperty("user") == null, "no user added to the caller's properties");
            ds.setLoginTimeout(5);
            eq(5, ds.getLoginTimeout(), "login timeout kept");
            check(ds.isWrapperFor(DataSource.class) && !ds.isWrapperFor(FakeDataSource.class), "isWrapperFor");
            IamAuthDataSource other = IamAuthDataSource.builder(DEMO_HOST, 5432, "iam_user", "us-east-1")
                    .credentials(DEMO).driver(driver, "jdbc:other://db", null);
            try {
                other.getConnection();
                check(false, "no exception");
            } catch (SQLException e) {
                check(e.getMessage().contains("jdbc:other://db"), e.getMessage());
            }
        });
    }
}
