import dev.iamauth.Credentials;
import dev.iamauth.DefaultCredentialsChain;
import dev.iamauth.IamAuth;
import dev.iamauth.RdsTokenSupplier;
import dev.iamauth.TokenInfo;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * JDBC logins with tokens from the JNI binding (run by tests/e2e/run): pgjdbc and, when on the
 * class path, MariaDB Connector/J; a fresh token per connection. `JdbcLogin logins|pools`; prints
 * `ok   NAME` / `FAIL NAME: why` lines.
 */
public final class JdbcLogin {
    static final String HOST = System.getenv("E2E_HOST");
    static final int PG_PORT = Integer.parseInt(System.getenv("E2E_PG_PORT"));
    static final int MY_PORT = Integer.parseInt(System.getenv("E2E_MY_PORT"));
    static final String REGION = System.getenv("E2E_REGION");
    static final String CA = System.getenv("E2E_CA");
    static final String USER = "iam_user";
    static int failures = 0;

    interface Check { void run() throws Exception; }

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

    static Connection pg(String token) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", token);
        p.setProperty("ssl", "true");
        p.setProperty("sslmode", "verify-full");
        p.setProperty("sslrootcert", CA);
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PG_PORT + "/postgres", p);
    }

    static Connection mariadb(String token) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", token);
        // Connector/J 2.x: TLS verified against the CA file, host name checked (the default).
        p.setProperty("useSsl", "true");
        p.setProperty("serverSslCert", CA);
        return DriverManager.getConnection("jdbc:mariadb://" + HOST + ":" + MY_PORT + "/", p);
    }

    static String current(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select current_user")) {
            r.next();
            return r.getString(1);
        }
    }

    static void expect(String got, String want) {
        if (!want.equals(got)) throw new AssertionError("current user is " + got + ", not " + want);
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("chain")) {
            // Run with the container or IMDS mock set and no keys in the environment.
            String mock = System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null ? "container" : "IMDS";
            check("Java: pgjdbc with RdsTokenSupplier on Credentials.defaultChain() (" + mock + " mock)", () -> {
                try (DefaultCredentialsChain chain = Credentials.defaultChain()) {
                    RdsTokenSupplier s = RdsTokenSupplier.builder(HOST, PG_PORT, USER, REGION).credentials(chain).build();
                    try (Connection c = pg(s.get())) {
                        expect(current(c), USER);
                    }
                    if (!chain.source().equals("container endpoint") && !chain.source().equals("IMDS")) {
                        throw new AssertionError("source " + chain.source());
                    }
                }
            });
            System.exit(failures == 0 ? 0 : 1);
        }
        Credentials creds = Credentials.fromEnvironment();
        if (args[0].equals("logins")) {
            check("Java: pgjdbc, token from IamAuth.rdsToken (JNI), sslmode=verify-full, a fresh token per connection", () -> {
                for (int i = 0; i < 2; i++) {
                    try (Connection c = pg(IamAuth.rdsToken(HOST, PG_PORT, USER, REGION, creds))) {
                        expect(current(c), USER);
                    }
                }
            });
            check("Java: pgjdbc with RdsTokenSupplier", () -> {
                RdsTokenSupplier s = RdsTokenSupplier.builder(HOST, PG_PORT, USER, REGION).credentials(creds).build();
                try (Connection c = pg(s.get())) {
                    expect(current(c), USER);
                }
            });
            // tests/e2e/run installs libmariadb-java: a missing driver is a broken setup, not a skip.
            check("Java: MariaDB Connector/J, token from IamAuth.rdsToken, TLS verified", () -> {
                try (Connection c = mariadb(IamAuth.rdsToken(HOST, MY_PORT, USER, REGION, creds))) {
                    expect(current(c), "iam_user@%");
                }
            });
        } else if (args[0].equals("pools")) {
            check("Java: pgjdbc connections past the first token's expiry (RdsTokenSupplier, expiresIn 3; old token refused)", () -> {
                RdsTokenSupplier s = RdsTokenSupplier.builder(HOST, PG_PORT, USER, REGION)
                        .credentials(creds).expiresIn(3).build();
                String first = s.get();
                try (Connection c = pg(first)) {
                    expect(current(c), USER);
                }
                Thread.sleep(4500);
                if (IamAuth.inspect(first).validity() != TokenInfo.Validity.EXPIRED) {
                    throw new AssertionError("first token not expired after 4.5 s");
                }
                for (int i = 0; i < 3; i++) {
                    String t = s.get();
                    if (IamAuth.inspect(t).validity() != TokenInfo.Validity.VALID) throw new AssertionError("supplier gave a non-valid token");
                    try (Connection c = pg(t)) {
                        expect(current(c), USER);
                    }
                    Thread.sleep(700);
                }
                boolean refused = false;
                try {
                    pg(first).close();
                } catch (SQLException expected) {
                    refused = true;
                }
                if (!refused) throw new AssertionError("the expired first token still logs in");
                java.util.List<String> log = java.nio.file.Files.readAllLines(java.nio.file.Paths.get(System.getenv("E2E_PG_LOG")));
                String last = log.get(log.size() - 1);
                if (!last.contains(" code=EXPIRED_TOKEN ")) throw new AssertionError("PAM log's last line: " + last);
            });
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
