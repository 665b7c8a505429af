import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.iamauth.Credentials;
import dev.iamauth.IamAuth;
import dev.iamauth.IamAuthDataSource;
import dev.iamauth.TokenInfo;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.DataSourceConnectionFactory;
import org.apache.commons.dbcp2.PoolableConnection;
import org.apache.commons.dbcp2.PoolableConnectionFactory;
import org.apache.commons.dbcp2.PoolingDataSource;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * dev.iamauth.IamAuthDataSource under HikariCP and Apache DBCP2, over pgjdbc and MariaDB
 * Connector/J (run by tests/e2e/run; jars from drivers/java.txt). Each pool: a login, and unless
 * E2E_SKIP_POOLS=1, across token expiry: 3 s tokens, the pool's connection retired after the first
 * token expired (HikariCP: softEvictConnections, as its maxLifetime cannot go below 30 s; DBCP2:
 * maxConnLifetimeMillis), the next physical connection logs in with a fresh token, and the first
 * token is then refused by the server (the PAM log's last line: code=EXPIRED_TOKEN). The pools are
 * set up as the README's HikariExample / Dbcp2Example (bindings/java/README.md), with the
 * endpoint, CA and token lifetime of this test. Prints `ok   NAME` / `FAIL NAME: why`.
 */
public final class JavaPools {
    static final String HOST = System.getenv("E2E_HOST");
    static final int PG_PORT = Integer.parseInt(System.getenv("E2E_PG_PORT"));
    static final int MY_PORT = Integer.parseInt(System.getenv("E2E_MY_PORT"));
    static final String REGION = System.getenv("E2E_REGION");
    static final String CA = System.getenv("E2E_CA");
    static final boolean SKIP_POOLS = "1".equals(System.getenv("E2E_SKIP_POOLS"));
    static final String USER = "iam_user";
    static final Credentials CREDS = Credentials.fromEnvironment();
    static int failures = 0;

    interface Check {
        void run() throws Exception;
    }

    static void check(String name, Check c) {
        try {
            c.run();
            System.out.println("ok   " + name);
        } catch (Exception | AssertionError e) {
            failures++;
            String m = String.valueOf(e.getMessage()).split("\n")[0];
            System.out.println("FAIL " + name + ": " + e.getClass().getSimpleName() + ": " + m);
        }
    }

    /** The driver's DataSource, TLS verified against the test CA (host name checked). */
    interface Server {
        DataSource dataSource() throws SQLException;
    }

    static final Server PG = () -> {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL("jdbc:postgresql://" + HOST + ":" + PG_PORT + "/postgres?sslmode=verify-full&sslrootcert=" + CA);
        return pg;
    };

    static final Server MARIADB = () -> {
        // Connector/J 2.7: TLS verified against the CA file; the token goes as a cleartext password over it.
        MariaDbDataSource mariadb = new MariaDbDataSource();
        mariadb.setUrl("jdbc:mariadb://" + HOST + ":" + MY_PORT + "/?useSsl=true&serverSslCert=" + CA);
        return mariadb;
    };

    /** A pool on an IamAuthDataSource; `retire` makes it drop its idle connections. */
    interface Pool {
        Connection connection() throws SQLException;

        void retire();

        void close() throws SQLException;
    }

    interface PoolMaker {
        Pool make(IamAuthDataSource iam) throws Exception;
    }

    static final PoolMaker HIKARI = iam -> {
        HikariConfig config = new HikariConfig();
        config.setDataSource(iam); // no username / password: HikariCP calls getConnection()
        config.setMaximumPoolSize(1);
        HikariDataSource pool = new HikariDataSource(config);
        return new Pool() {
            public Connection connection() throws SQLException {
                return pool.getConnection();
            }

            public void retire() {
                pool.getHikariPoolMXBean().softEvictConnections(); // maxLifetime's floor is 30 s
            }

            public void close() {
                pool.close();
            }
        };
    };

    static final PoolMaker DBCP2 = iam -> {
        PoolableConnectionFactory factory = new PoolableConnectionFactory(new DataSourceConnectionFactory(iam), null);
        factory.setMaxConnLifetimeMillis(3000);
        GenericObjectPool<PoolableConnection> objects = new GenericObjectPool<>(factory);
        factory.setPool(objects);
        PoolingDataSource<PoolableConnection> pool = new PoolingDataSource<>(objects);
        return new Pool() {
            public Connection connection() throws SQLException {
                return pool.getConnection();
            }

            public void retire() {
                // maxConnLifetimeMillis=3000: the next borrow destroys the idle connection
            }

            public void close() throws SQLException {
                pool.close();
            }
        };
    };

    /** `real`, recording the password of each getConnection(user, password) in `used`. */
    static DataSource recording(DataSource real, List<String> used) {
        return (DataSource) Proxy.newProxyInstance(JavaPools.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, m, a) -> {
                    if (m.getName().equals("getConnection") && a != null && a.length == 2) used.add((String) a[1]);
                    try {
                        return m.invoke(real, a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static String current(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select current_user")) {
            r.next();
            return r.getString(1);
        }
    }

    static void poolChecks(String name, Server server, String log, String want, PoolMaker maker) throws Exception {
        List<String> used = Collections.synchronizedList(new ArrayList<>());
        IamAuthDataSource iam = IamAuthDataSource.builder(HOST, server == PG ? PG_PORT : MY_PORT, USER, REGION)
                .credentials(CREDS).expiresIn(3).wrap(recording(server.dataSource(), used));
        Pool pool = maker.make(iam);
        try {
            check("Java: " + name + " with IamAuthDataSource: a login", () -> {
                try (Connection c = pool.connection()) {
                    String got = current(c);
                    if (!want.equals(got)) throw new AssertionError("current user " + got);
                }
                if (used.isEmpty()) throw new AssertionError("the pool did not go through IamAuthDataSource");
            });
            if (SKIP_POOLS || used.isEmpty()) return;
            check("Java: " + name + " across token expiry (3 s tokens; connection retired, a fresh token, the first refused: EXPIRED_TOKEN)", () -> {
                String first = used.get(0);
                int before = used.size();
                Thread.sleep(4500);
                if (IamAuth.inspect(first).validity() != TokenInfo.Validity.EXPIRED) {
                    throw new AssertionError("first token not expired after 4.5 s");
                }
                pool.retire();
                try (Connection c = pool.connection()) {
                    String got = current(c);
                    if (!want.equals(got)) throw new AssertionError("after expiry: current user " + got);
                }
                if (used.size() == before) throw new AssertionError("no new physical connection after expiry");
                String fresh = used.get(used.size() - 1);
                if (fresh.equals(first)) throw new AssertionError("the new connection reused the first token");
                long age = IamAuth.inspect(fresh).signedAt().getEpochSecond() - IamAuth.inspect(first).signedAt().getEpochSecond();
                if (age < 4) throw new AssertionError("the fresh token was signed only " + age + " s after the first");
                pool.close(); // no background connection attempt from here on: the log's last line is ours
                boolean refused = false;
                try {
                    server.dataSource().getConnection(USER, first).close();
                } catch (SQLException expected) {
                    refused = true;
                }
                if (!refused) throw new AssertionError("the expired first token still logs in");
                List<String> lines = Files.readAllLines(Paths.get(log));
                String last = lines.get(lines.size() - 1);
                if (!last.contains(" code=EXPIRED_TOKEN ")) throw new AssertionError("PAM log's last line: " + last);
            });
        } finally {
            pool.close();
        }
    }

    public static void main(String[] args) throws Exception {
        String pgLog = System.getenv("E2E_PG_LOG");
        String myLog = System.getenv("E2E_MY_LOG");
        poolChecks("HikariCP over pgjdbc", PG, pgLog, USER, HIKARI);
        poolChecks("HikariCP over MariaDB Connector/J", MARIADB, myLog, "iam_user@%", HIKARI);
        poolChecks("DBCP2 over pgjdbc", PG, pgLog, USER, DBCP2);
        poolChecks("DBCP2 over MariaDB Connector/J", MARIADB, myLog, "iam_user@%", DBCP2);
        System.exit(failures == 0 ? 0 : 1);
    }
}
