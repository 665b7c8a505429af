package dev.iamauth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java binding's tests, with a tiny runner (no JUnit needed): every shared vector
 * (tests/vectors/*.json, read in place; dir from -Diamauth.vectors), bad inputs, inspect, the
 * credentials, the credential chain (Credentials.defaultChain, in child JVMs, against the container
 * endpoint mock whose URL is -Diamauth.test.container), verify (tests/vectors/verify.json:
 * VerifyVectors), refreshAt, the token supplier with a fake clock, IamAuthDataSource (DataSourceTests), and threads. Last line: "N passed, N failed".
 */
public final class IamAuthTest {
    private static int passed;
    private static int failed;

    static final Credentials DEMO = new Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    static final String DEMO_HOST = "mydb.123456789012.us-east-1.rds.amazonaws.com";
    static final long DEMO_TIME = 1704164645L;
    static final String DEMO_TOKEN = "mydb.123456789012.us-east-1.rds.amazonaws.com:5432/?Action=connect&DBUser=iam_user"
            + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Frds-db"
            + "%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=6162e47cc792ab818ec4732757b05fbe36dadabd428441ab694b2509461768db";

    interface Body {
        void run() throws Exception;
    }

    static void test(String name, Body body) {
        try {
            body.run();
            passed++;
        } catch (Throwable t) {
            failed++;
            System.out.println("FAIL " + name + ": " + t);
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }

    static void eq(Object want, Object got, String what) {
        if (!Objects.equals(want, got)) throw new AssertionError(what + ": want <" + want + "> got <" + got + ">");
    }

    static String code(Body body) throws Exception {
        try {
            body.run();
        } catch (IamAuthException e) {
            check(e.code() != null && !e.code().isEmpty(), "code");
            check(e.getMessage().startsWith(e.code() + ": ") && e.getMessage().length() > e.code().length() + 2,
                    "message");
            return e.code();
        }
        throw new AssertionError("no IamAuthException");
    }

    /**
     * Runs EnvProbe (Credentials.fromEnvironment()) in a child JVM with the AWS_* variables of
     * {@code env} only (null values stay unset), the same class path and library flags; returns
     * its output lines. The child is java.home's java, or the command in -Diamauth.test.java
     * (space-separated, e.g. an emulator and its java).
     */
    static List<String> fromEnvironment(Map<String, String> env) throws Exception {
        return child("dev.iamauth.EnvProbe", env);
    }

    /**
     * Runs {@code main} (EnvProbe, ChainProbe) in a child JVM with the AWS_* variables of {@code env}
     * only (and any other variable {@code env} names, e.g. HOME), as {@link #fromEnvironment(Map)}.
     */
    static List<String> child(String main, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        String childJava = System.getProperty("iamauth.test.java");
        if (childJava != null) {
            cmd.addAll(java.util.Arrays.asList(childJava.trim().split(" +")));
        } else {
            cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        }
        cmd.add("-Xcheck:jni");
        for (String p : new String[] {"java.library.path", "dev.iamauth.library", "iamauth.library.path",
                "java.io.tmpdir"}) {
            if (System.getProperty(p) != null) cmd.add("-D" + p + "=" + System.getProperty(p));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main);
        cmd.addAll(java.util.Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> childEnv = pb.environment();
        childEnv.keySet().removeIf(k -> k.startsWith("AWS_"));
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue() != null) childEnv.put(e.getKey(), e.getValue());
        }
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        eq(0, proc.waitFor(), main + " exit: " + out);
        check(!out.contains("WARNING"), main + " -Xcheck:jni: " + out);
        return java.util.Arrays.asList(out.split("\n"));
    }

    /** Credentials.fromEnvironment() in a child JVM must fail with INVALID_CREDENTIALS; returns the message. */
    static String missing(Map<String, String> env) throws Exception {
        List<String> out = fromEnvironment(env);
        eq("ERR", out.get(0), "fails: " + out);
        eq("INVALID_CREDENTIALS", out.get(1), "code");
        return out.get(2);
    }

    // What bindings/c/tests/container_mock.py answers (keep in step with it).
    static final String MOCK_AKID = "ASIAMOCKEXAMPLE";
    static final String MOCK_SECRET = "mockSecretKey/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final String MOCK_TOKEN = "IQoJb3JpZ2luX2VjEMockSessionToken+/=";
    static final String MOCK_EXPIRATION = "4070908800"; // 2099-01-01T00:00:00Z
    static final String MOCK_AUTHORIZATION = "mock-authorization-token";

    /** The mock's base URL: suite.sh starts it and passes -Diamauth.test.container. */
    static String container() {
        String url = System.getProperty("iamauth.test.container");
        if (url == null || url.isEmpty()) {
            throw new AssertionError("-Diamauth.test.container is not set (suite.sh starts bindings/c/tests/container_mock.py)");
        }
        return url;
    }

    /** An environment with nothing of the machine's: HOME and the shared files in {@code home}, IMDS off. */
    static Map<String, String> chainEnv(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return env;
    }

    /** ChainProbe's token (line 7) verified with these keys, for the demo endpoint and user, at DEMO_TIME. */
    static Identity verifyProbeToken(List<String> out, String akid, String secret, String session) {
        String keys = "{\"" + akid + "\": {\"secret_access_key\": \"" + secret + "\""
                + (session == null ? "" : ", \"session_token\": \"" + session + "\"") + "}}";
        return IamAuth.verify(out.get(6), keys,
                Expectations.any().withHost(DEMO_HOST).withPort(5432).withUser("iam_user"), DEMO_TIME);
    }

    static void deleteTree(Path dir) throws Exception {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static void throwsNpe(Body body) throws Exception {
        try {
            body.run();
        } catch (NullPointerException e) {
            return;
        }
        throw new AssertionError("no NullPointerException");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases(Path dir, String file) throws Exception {
        String text = new String(Files.readAllBytes(dir.resolve(file)), StandardCharsets.UTF_8);
        return (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(text)).get("cases");
    }

    /** Makes the token a vector case describes, through the public API. */
    @SuppressWarnings("unchecked")
    static String make(Map<String, Object> c) {
        Map<String, Object> in = (Map<String, Object>) c.get("input");
        Credentials cr = new Credentials((String) in.get("access_key_id"), (String) in.get("secret_access_key"),
                (String) in.get("session_token"));
        String region = (String) in.get("region");
        long expires = (Long) in.get("expires_in");
        long time = (Long) in.get("time");
        switch ((String) c.get("kind")) {
            case "rds":
                return IamAuth.rdsToken((String) in.get("host"), (long) (Long) in.get("port"), (String) in.get("user"),
                        region, cr, expires, time);
            case "dsql":
                return IamAuth.dsqlToken((String) in.get("host"), region, cr,
                        IamAuth.dsqlAdmin((String) in.get("action")), expires, time);
            case "elasticache":
                return IamAuth.elasticacheToken((String) in.get("name"), (String) in.get("user"), region, cr,
                        (Boolean) in.get("serverless"), (String) in.get("service"), expires, time);
            default:
                throw new AssertionError("kind " + c.get("kind"));
        }
    }

    @SuppressWarnings("unchecked")
    static String expected(Map<String, Object> c) {
        return (String) ((Map<String, Object>) c.get("expected")).get("token");
    }

    /** A clock the test moves by hand. */
    static final class FakeClock extends Clock {
        volatile Instant now;

        FakeClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(System.getProperty("iamauth.vectors", "tests/vectors"));
        List<Map<String, Object>> tokens = cases(dir, "tokens.json");
        List<Map<String, Object>> errors = cases(dir, "errors.json");
        check(tokens.size() > 50 && errors.size() > 100, "vector counts");

        // ---- shared vectors: one test per case
        for (Map<String, Object> c : tokens) {
            test("tokens/" + c.get("id"), () -> {
                String got = make(c);
                eq(expected(c), got, "token");
                check(java.util.Arrays.equals(expected(c).getBytes(StandardCharsets.UTF_8),
                        got.getBytes(StandardCharsets.UTF_8)), "bytes");
            });
        }
        for (Map<String, Object> c : errors) {
            test("errors/" + c.get("id"), () -> eq(c.get("error"), code(() -> make(c)), "code"));
        }

        // ---- the basics
        test("version", () -> {
            check(IamAuth.version().matches("\\d+\\.\\d+\\.\\d+.*"), IamAuth.version());
            String header = System.getProperty("iamauth.version"); // the header's IAMAUTH_VERSION, from test.sh
            if (header != null) eq(header, IamAuth.version(), "library version = header version");
        });
        test("rds demo, int port and Instant time", () -> eq(DEMO_TOKEN,
                IamAuth.rdsToken(DEMO_HOST, 5432, "iam_user", "us-east-1", DEMO, 900, Instant.ofEpochSecond(DEMO_TIME)),
                "token"));
        test("Instant with nanos signs its whole second", () -> eq(DEMO_TOKEN,
                IamAuth.rdsToken(DEMO_HOST, 5432, "iam_user", "us-east-1", DEMO, 900,
                        Instant.ofEpochSecond(DEMO_TIME, 999_999_999)), "token"));
        test("default time is now", () -> {
            long before = Instant.now().getEpochSecond();
            TokenInfo i = IamAuth.inspect(IamAuth.rdsToken(DEMO_HOST, 5432, "iam_user", "us-east-1", DEMO));
            long after = Instant.now().getEpochSecond();
            check(i.signedAt().getEpochSecond() >= before && i.signedAt().getEpochSecond() <= after, "signedAt");
            eq(900L, i.expiresIn(), "expiresIn");
            eq(TokenInfo.Validity.VALID, i.validity(), "validity");
            TokenInfo j = IamAuth.inspect(IamAuth.rdsToken(DEMO_HOST, 5432, "iam_user", "us-east-1", DEMO, 900,
                    (Instant) null));
            check(Math.abs(j.signedAt().getEpochSecond() - before) <= 5, "null Instant = now");
            TokenInfo d = IamAuth.inspect(IamAuth.dsqlToken("abc.dsql.us-east-1.on.aws", "us-east-1", DEMO, true));
            eq("DbConnectAdmin", d.action(), "dsql admin");
            check(Math.abs(d.signedAt().getEpochSecond() - before) <= 5, "dsql now");
            TokenInfo e = IamAuth.inspect(IamAuth.elasticacheToken("my-cache", "u", "us-east-1", DEMO, true, null));
            check(e.serverless() && e.service().equals("elasticache"), "cache defaults");
        });
        test("dsqlAdmin", () -> {
            check(IamAuth.dsqlAdmin("DbConnectAdmin"), "admin");
            check(!IamAuth.dsqlAdmin("DbConnect"), "connect");
            eq("INVALID_ACTION", code(() -> IamAuth.dsqlAdmin("dbconnect")), "code");
        });
        test("null service = elasticache", () -> eq(
                IamAuth.elasticacheToken("my-cache", "u", "us-east-1", DEMO, false, "elasticache", 900, DEMO_TIME),
                IamAuth.elasticacheToken("my-cache", "u", "us-east-1", DEMO, false, null, 900, DEMO_TIME), "token"));

        // ---- bad inputs: never a crash
        test("null arguments throw NullPointerException", () -> {
            throwsNpe(() -> IamAuth.rdsToken(null, 5432, "u", "us-east-1", DEMO));
            throwsNpe(() -> IamAuth.rdsToken(DEMO_HOST, 5432, null, "us-east-1", DEMO));
            // (a null region is omitted: read from the host; see "a null region is read from the host")
            throwsNpe(() -> IamAuth.elasticacheToken("c", "u", null, DEMO, false, null));
            throwsNpe(() -> IamAuth.rdsToken(DEMO_HOST, 5432, "u", "us-east-1", null));
            throwsNpe(() -> IamAuth.dsqlToken(null, "us-east-1", DEMO, false));
            throwsNpe(() -> IamAuth.dsqlToken("h", "us-east-1", null, false));
            throwsNpe(() -> IamAuth.elasticacheToken(null, "u", "us-east-1", DEMO, false, null));
            throwsNpe(() -> IamAuth.elasticacheToken("c", null, "us-east-1", DEMO, false, null));
            throwsNpe(() -> IamAuth.dsqlAdmin(null));
            throwsNpe(() -> IamAuth.inspect(null));
            throwsNpe(() -> new Credentials(null, "s"));
            throwsNpe(() -> new Credentials("a", null, "t"));
        });
        test("native layer rejects null arrays without crashing", () -> {
            throwsNpe(() -> Native.rdsToken(null, 5432, null, null, 900, DEMO_TIME, null, 0, 0, -1));
            throwsNpe(() -> Native.dsqlToken(new byte[0], null, false, 900, DEMO_TIME, null, 0, 0, -1));
            throwsNpe(() -> Native.elasticacheToken(new byte[] {'c'}, new byte[] {'u'}, new byte[0], false, null,
                    900, DEMO_TIME, null, 0, 0, -1));
            throwsNpe(() -> Native.inspect(null, 0, new long[11]));
        });
        test("native layer: invalid UTF-8 bytes", () -> eq("INVALID_UTF8", code(() -> Native.rdsToken(
                new byte[] {'a', (byte) 0xff}, 5432, new byte[] {'u'}, "us-east-1".getBytes(StandardCharsets.UTF_8),
                900, DEMO_TIME, "AKIDs".getBytes(StandardCharsets.UTF_8), 4, 1, -1)),
                "code"));
        test("empty strings are the library's errors", () -> {
            eq("INVALID_HOST", code(() -> IamAuth.rdsToken("", 5432, "u", "us-east-1", DEMO)), "host");
            eq("INVALID_USER", code(() -> IamAuth.rdsToken(DEMO_HOST, 5432, "", "us-east-1", DEMO)), "user");
            eq("INVALID_REGION", code(() -> IamAuth.rdsToken(DEMO_HOST, 5432, "u", "", DEMO)), "region");
            eq("INVALID_CREDENTIALS", code(() -> IamAuth.rdsToken(DEMO_HOST, 5432, "u", "us-east-1",
                    new Credentials("", "s"))), "akid");
            eq("INVALID_CREDENTIALS", code(() -> IamAuth.rdsToken(DEMO_HOST, 5432, "u", "us-east-1",
                    new Credentials("AKID", "s", ""))), "empty session token");
            eq("INVALID_SERVICE", code(() -> IamAuth.elasticacheToken("c", "u", "us-east-1", DEMO, false, "")),
                    "service");
            eq("MALFORMED_TOKEN", code(() -> IamAuth.inspect("")), "inspect empty");
            eq("MALFORMED_TOKEN", code(() -> IamAuth.inspect("not a token")), "inspect text");
        });
        test("int port overload reaches the port check", () -> {
            eq("INVALID_PORT", code(() -> IamAuth.rdsToken(DEMO_HOST, 0, "u", "us-east-1", DEMO)), "0");
            eq("INVALID_PORT", code(() -> IamAuth.rdsToken(DEMO_HOST, Integer.MAX_VALUE, "u", "us-east-1", DEMO)), "max");
            eq("INVALID_PORT", code(() -> IamAuth.rdsToken(DEMO_HOST, 99999999999L, "u", "us-east-1", DEMO, 900,
                    DEMO_TIME)), "long");
        });
        test("time and expiry limits", () -> {
            eq("INVALID_TIME", code(() -> IamAuth.rdsToken(DEMO_HOST, 5432, "u", "us-east-1", DEMO, 900,
                    Long.MIN_VALUE)), "MIN_VALUE is a time, not NOW");
            eq("INVALID_TIME", code(() -> IamAuth.rdsToken(DEMO_HOST, 5432, "u", "us-east-1", DEMO, 900,
                    Instant.parse("1969-12-31T23:59:59Z"))), "before 1970");
            eq("INVALID_EXPIRY", code(() -> IamAuth.rdsToken(DEMO_HOST, 5432, "u", "us-east-1", DEMO, 901,
                    DEMO_TIME)), "901");
            eq("INVALID_TIME", code(() -> IamAuth.inspect(DEMO_TOKEN, -1)), "inspect now");
        });
        test("non-BMP user name: the core's encoding, and back", () -> {
            String user = "user\uD83D\uDC18";
            String t = IamAuth.rdsToken(DEMO_HOST, 5432, user, "us-east-1", DEMO, 900, DEMO_TIME);
            check(t.contains("DBUser=user%F0%9F%90%98&"), t);
            eq(user, IamAuth.inspect(t, DEMO_TIME).user().orElse(null), "inspected user");
            String c = IamAuth.elasticacheToken("my-cache", user, "us-east-1", DEMO, false, null, 900, DEMO_TIME);
            eq(user, IamAuth.inspect(c, DEMO_TIME).user().orElse(null), "cache user");
        });
        test("unpaired surrogate is INVALID_UTF8, not '?'", () -> {
            eq("INVALID_UTF8", code(() -> IamAuth.rdsToken(DEMO_HOST, 5432, "user\uD83D", "us-east-1", DEMO)), "high");
            eq("INVALID_UTF8", code(() -> IamAuth.rdsToken(DEMO_HOST, 5432, "\uDC18x", "us-east-1", DEMO)), "low");
            eq("INVALID_UTF8", code(() -> IamAuth.inspect("\uD800")), "inspect");
        });
        test("long session token (retry past the first buffer)", () -> {
            StringBuilder b = new StringBuilder();
            while (b.length() < 6000) b.append("FwoGZXIvYXdzEJr//////////wEaDK+/=");
            String t = IamAuth.rdsToken(DEMO_HOST, 5432, "iam_user", "us-east-1",
                    new Credentials("ASIAEXAMPLE", "secret", b.toString()), 900, DEMO_TIME);
            check(t.length() > 6000, "length " + t.length());
            check(IamAuth.inspect(t, DEMO_TIME).hasSessionToken(), "hasSessionToken");
        });
        test("longest user name: through inspect's user buffer retry", () -> {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 256; i++) b.append('\u00e9');
            String user = b.toString(); // 512 UTF-8 bytes, the core's limit; 1536 percent-encoded
            String t = IamAuth.rdsToken(DEMO_HOST, 5432, user, "us-east-1", DEMO, 900, DEMO_TIME);
            eq(user, IamAuth.inspect(t, DEMO_TIME).user().orElse(null), "user");
            eq("INVALID_USER", code(() -> IamAuth.rdsToken(DEMO_HOST, 5432, user + "x", "us-east-1", DEMO)), "513");
        });
        test("random input never crashes, only IamAuthException", () -> {
            java.util.Random r = new java.util.Random(42);
            char[] alphabet = ("abcXYZ09:/?&=%.-_[]@ \t\n\0\u00e9\u4e2d\uD83D\uDC18\uD800\uDFFF" + DEMO_TOKEN).toCharArray();
            for (int n = 0; n < 3000; n++) {
                StringBuilder b = new StringBuilder();
                int len = r.nextInt(n % 10 == 0 ? 3000 : 80);
                for (int i = 0; i < len; i++) b.append(alphabet[r.nextInt(alphabet.length)]);
                String s = b.toString();
                String mutated = DEMO_TOKEN.substring(0, r.nextInt(DEMO_TOKEN.length())) + s;
                for (Body body : new Body[] {
                        () -> IamAuth.inspect(s, DEMO_TIME),
                        () -> IamAuth.inspect(mutated, DEMO_TIME),
                        () -> IamAuth.rdsToken(s, r.nextLong(), s, s, new Credentials(s, s, s), r.nextLong(), r.nextLong()),
                        () -> IamAuth.elasticacheToken(s, s, "us-east-1", DEMO, true, s, 900, DEMO_TIME),
                        () -> IamAuth.dsqlToken(s, s, DEMO, r.nextBoolean(), r.nextLong(), DEMO_TIME)}) {
                    try {
                        body.run();
                    } catch (IamAuthException e) {
                        check(!e.code().isEmpty(), "code");
                    }
                }
            }
        });

        // ---- inspect
        test("inspect fields and validity", () -> {
            TokenInfo i = IamAuth.inspect(DEMO_TOKEN, DEMO_TIME + 60);
            eq(TokenInfo.Kind.RDS, i.kind(), "kind");
            eq(DEMO_HOST, i.host(), "host");
            eq(5432, i.port().getAsInt(), "port");
            eq("iam_user", i.user().get(), "user");
            eq("connect", i.action(), "action");
            eq(false, i.serverless(), "serverless");
            eq("us-east-1", i.region(), "region");
            eq("rds-db", i.service(), "service");
            eq("AKIDEXAMPLE", i.accessKeyId(), "akid");
            eq(false, i.hasSessionToken(), "session");
            eq(Instant.parse("2024-01-02T03:04:05Z"), i.signedAt(), "signedAt");
            eq(900L, i.expiresIn(), "expiresIn");
            eq(Instant.parse("2024-01-02T03:19:05Z"), i.expiresAt(), "expiresAt");
            eq(Instant.ofEpochSecond(DEMO_TIME + 60), i.now(), "now");
            eq("6162e47cc792ab818ec4732757b05fbe36dadabd428441ab694b2509461768db", i.signature(), "signature");
            eq(TokenInfo.Validity.VALID, i.validity(), "validity");
            eq(840L, i.validitySeconds(), "seconds");
            check(!i.toString().contains(i.signature()), "toString leaks the signature: " + i);
            check(i.toString().contains("iam_user") && i.toString().contains("VALID"), i.toString());
            TokenInfo x = IamAuth.inspect(DEMO_TOKEN, Instant.ofEpochSecond(DEMO_TIME + 1000));
            eq(TokenInfo.Validity.EXPIRED, x.validity(), "expired");
            eq(100L, x.validitySeconds(), "expired seconds");
            TokenInfo y = IamAuth.inspect(DEMO_TOKEN, DEMO_TIME - 5);
            eq(TokenInfo.Validity.NOT_YET_VALID, y.validity(), "not yet");
            eq(5L, y.validitySeconds(), "not yet seconds");
            eq(TokenInfo.Validity.EXPIRED, IamAuth.inspect(DEMO_TOKEN).validity(), "against the real clock");
        });
        test("inspect dsql and cache tokens", () -> {
            Credentials st = new Credentials("ASIAEXAMPLE", "secret", "token/with+chars=");
            TokenInfo d = IamAuth.inspect(IamAuth.dsqlToken("abc.dsql.us-east-1.on.aws", "us-east-1", st, false,
                    3600, DEMO_TIME), DEMO_TIME);
            eq(TokenInfo.Kind.DSQL, d.kind(), "kind");
            check(!d.port().isPresent() && !d.user().isPresent(), "no port, no user");
            eq("DbConnect", d.action(), "action");
            eq("dsql", d.service(), "service");
            eq(true, d.hasSessionToken(), "session");
            eq(3600L, d.expiresIn(), "expiresIn");
            TokenInfo e = IamAuth.inspect(IamAuth.elasticacheToken("my-cache", "iam-user", "eu-west-1", DEMO, true,
                    "memorydb", 300, DEMO_TIME), DEMO_TIME);
            eq(TokenInfo.Kind.ELASTICACHE, e.kind(), "kind");
            eq("my-cache", e.host(), "name");
            eq("iam-user", e.user().get(), "user");
            eq(true, e.serverless(), "serverless");
            eq("memorydb", e.service(), "service");
            eq("eu-west-1", e.region(), "region");
            eq(300L, e.validitySeconds(), "seconds");
        });

        // ---- credentials
        test("Credentials: equals, hashCode, redacted toString", () -> {
            Credentials a = new Credentials("AKID1", "topsecretvalue", "sessiontokenvalue");
            Credentials b = new Credentials("AKID1", "topsecretvalue", "sessiontokenvalue");
            eq(a, b, "equals");
            eq(a.hashCode(), b.hashCode(), "hashCode");
            check(!a.equals(new Credentials("AKID1", "topsecretvalue")), "token matters");
            check(!a.equals(new Credentials("AKID1", "other", "sessiontokenvalue")), "secret matters");
            String s = a.toString();
            check(s.contains("AKID1") && !s.contains("topsecretvalue") && !s.contains("sessiontokenvalue"), s);
            check(!DEMO.toString().contains(DEMO.secretAccessKey()), DEMO.toString());
            eq(null, DEMO.sessionToken(), "no token");
        });
        test("Credentials.fromEnvironment: the core's reader, in a child JVM", () -> {
            Map<String, String> env = new HashMap<>();
            env.put("AWS_ACCESS_KEY_ID", DEMO.accessKeyId());
            env.put("AWS_SECRET_ACCESS_KEY", DEMO.secretAccessKey());
            env.put("AWS_SESSION_TOKEN", "");
            List<String> out = fromEnvironment(env);
            eq(java.util.Arrays.asList("OK", "AKIDEXAMPLE", "<none>", DEMO_TOKEN), out, "empty token = none");
            env.put("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLE");
            out = fromEnvironment(env);
            eq("OK", out.get(0), "with a session token: " + out);
            eq("FwoGZXIvYXdzEXAMPLE", out.get(2), "session token");
            env.remove("AWS_SECRET_ACCESS_KEY");
            String message = missing(env);
            // The core's one message: names the variables, never a value.
            eq("INVALID_CREDENTIALS: credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set and not"
                    + " empty (and AWS_SESSION_TOKEN for temporary credentials)", message, "message");
            check(!message.contains("FwoG") && !message.contains("AKIDEXAMPLE"), message);
            env.put("AWS_SECRET_ACCESS_KEY", "");
            eq(message, missing(env), "empty secret");
            env.clear();
            eq(message, missing(env), "nothing set");
            env.put("AWS_ACCESS_KEY_ID", "AKID EXAMPLE");
            env.put("AWS_SECRET_ACCESS_KEY", DEMO.secretAccessKey());
            check(!missing(env).contains("AKID EXAMPLE"), "a key id that breaks the rule");
        });

        // ---- the credential chain (Credentials.defaultChain), in child JVMs whose environment we set
        final Path home = Files.createTempDirectory("iamauth-chain");
        test("Credentials.defaultChain: the container endpoint, an RdsTokenSupplier on it, verify", () -> {
            Map<String, String> env = chainEnv(home);
            env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", container() + "/creds");
            env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", MOCK_AUTHORIZATION);
            List<String> out = child("dev.iamauth.ChainProbe", env);
            eq("OK", out.get(0), "resolves: " + out);
            eq(java.util.Arrays.asList(MOCK_AKID, MOCK_TOKEN, MOCK_EXPIRATION, "container endpoint", "same"),
                    out.subList(1, 6), "the mock's credentials, their expiration and source, cached");
            Identity id = verifyProbeToken(out, MOCK_AKID, MOCK_SECRET, MOCK_TOKEN);
            eq(MOCK_AKID, id.accessKeyId(), "signed with the mock's keys");
            eq("iam_user", id.user().orElse(null), "user");
            eq("CLOSED", out.get(7), "get() after close()");
        });
        test("Credentials.defaultChain: nothing configured is INVALID_CREDENTIALS listing every source", () -> {
            List<String> out = child("dev.iamauth.ChainProbe", chainEnv(home));
            eq("ERR", out.get(0), "fails: " + out);
            eq("INVALID_CREDENTIALS", out.get(1), "code");
            String m = out.get(2);
            check(m.startsWith("INVALID_CREDENTIALS: no credentials found") && m.contains("environment")
                    && m.contains("container endpoint") && m.contains("IMDS"), m);
            eq("CLOSED", out.get(3), "closed by try-with-resources");
        });
        test("Credentials.defaultChain: the endpoint refuses the authorization (HTTP 401)", () -> {
            Map<String, String> env = chainEnv(home);
            env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", container() + "/creds");
            env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "another-token");
            List<String> out = child("dev.iamauth.ChainProbe", env);
            eq(java.util.Arrays.asList("ERR", "INVALID_CREDENTIALS"), out.subList(0, 2), "fails: " + out);
            check(out.get(2).contains("container endpoint") && out.get(2).contains("401")
                    && !out.get(2).contains("another-token"), out.get(2));
        });
        test("Credentials.defaultChain(profile): static keys in AWS_CONFIG_FILE, not the environment's", () -> {
            String secret = "profileSecret/K7MDENG+bPxRfiCYEXAMPLEKEY";
            Files.write(home.resolve("config"), ("[profile static]\naws_access_key_id = AKIDPROFILEEXAMPLE\n"
                    + "aws_secret_access_key = " + secret + "\n").getBytes(StandardCharsets.UTF_8));
            Map<String, String> env = chainEnv(home);
            env.put("AWS_ACCESS_KEY_ID", "AKIDFROMENVIRONMENT");
            env.put("AWS_SECRET_ACCESS_KEY", "environmentSecret");
            List<String> out = child("dev.iamauth.ChainProbe", env, "static");
            eq("OK", out.get(0), "resolves: " + out);
            eq(java.util.Arrays.asList("AKIDPROFILEEXAMPLE", "<none>", "<none>"), out.subList(1, 4), "long-term keys");
            check(out.get(4).contains("profile static"), "source: " + out.get(4));
            eq("AKIDPROFILEEXAMPLE", verifyProbeToken(out, "AKIDPROFILEEXAMPLE", secret, null).accessKeyId(), "verify");
            out = child("dev.iamauth.ChainProbe", env, "missing");
            eq("ERR", out.get(0), "a missing profile: " + out);
            check(out.get(2).contains("profile missing"), out.get(2));
            Files.delete(home.resolve("config"));
        });
        test("Credentials.defaultChain: expired credentials are refused", () -> {
            Map<String, String> env = chainEnv(home);
            env.put("AWS_ACCESS_KEY_ID", "ASIAEXPIREDEXAMPLE");
            env.put("AWS_SECRET_ACCESS_KEY", MOCK_SECRET);
            env.put("AWS_SESSION_TOKEN", MOCK_TOKEN);
            env.put("AWS_CREDENTIAL_EXPIRATION", "2020-01-01T00:00:00Z");
            List<String> out = child("dev.iamauth.ChainProbe", env);
            eq(java.util.Arrays.asList("ERR", "INVALID_CREDENTIALS"), out.subList(0, 2), "fails: " + out);
            check(out.get(2).contains("expired"), out.get(2));
        });
        test("Credentials.defaultChain: arguments, close(), source()", () -> {
            eq("INVALID_CREDENTIALS", code(() -> Credentials.defaultChain("")), "empty profile");
            throwsNpe(() -> Credentials.defaultChain(null));
            DefaultCredentialsChain chain = Credentials.defaultChain("some-profile");
            eq("", chain.source(), "no source before get()");
            chain.close();
            chain.close();
            for (Body b : new Body[] {chain::get, chain::source}) {
                try {
                    b.run();
                    check(false, "no exception after close()");
                } catch (IllegalStateException e) {
                    check(e.getMessage().contains("closed"), e.getMessage());
                }
            }
            // Never closed: the Cleaner frees it (no crash, nothing to observe but that).
            Credentials.defaultChain();
            System.gc();
        });
        deleteTree(home);

        // ---- verify
        final String keys = "{\"AKIDEXAMPLE\": {\"secret_access_key\": \"" + DEMO.secretAccessKey() + "\"}}";
        test("verify: success fields", () -> {
            Expectations e = Expectations.any().withHost(DEMO_HOST.toUpperCase(java.util.Locale.ROOT)).withPort(5432)
                    .withUser("iam_user").withRegion("us-east-1").withService("rds-db").withSkew(0);
            Identity id = IamAuth.verify(DEMO_TOKEN, keys, e, DEMO_TIME + 60);
            eq(TokenInfo.Kind.RDS, id.kind(), "kind");
            eq("AKIDEXAMPLE", id.accessKeyId(), "akid");
            eq(java.util.Optional.of("iam_user"), id.user(), "user");
            eq("connect", id.action(), "action");
            eq(DEMO_HOST, id.host(), "host as in the token");
            eq(java.util.OptionalInt.of(5432), id.port(), "port");
            eq("us-east-1", id.region(), "region");
            eq("rds-db", id.service(), "service");
            eq(Instant.ofEpochSecond(DEMO_TIME), id.signedAt(), "signedAt");
            eq(Instant.ofEpochSecond(DEMO_TIME + 900), id.expiresAt(), "expiresAt");
            eq(id, IamAuth.verify(DEMO_TOKEN, keys, Expectations.any(), Instant.ofEpochSecond(DEMO_TIME + 899)), "equals");
            check(id.toString().contains("iam_user") && !id.toString().contains(DEMO.secretAccessKey()), id.toString());
            eq("EXPIRED_TOKEN", code(() -> IamAuth.verify(DEMO_TOKEN, keys, Expectations.any())), "now is long after 2024");
            // A user that needs encoding (non-BMP) comes back decoded; DSQL has no user or port.
            String t = IamAuth.rdsToken(DEMO_HOST, 5432, "user \uD83D\uDC18", "us-east-1", DEMO, 900, DEMO_TIME);
            eq(java.util.Optional.of("user \uD83D\uDC18"),
                    IamAuth.verify(t, keys, Expectations.any().withUser("user \uD83D\uDC18"), DEMO_TIME).user(), "decoded user");
            String d = IamAuth.dsqlToken("abc.dsql.us-east-1.on.aws", "us-east-1", DEMO, false, 3600, DEMO_TIME);
            Identity di = IamAuth.verify(d, keys, Expectations.any().withService("dsql"), DEMO_TIME + 3000);
            check(di.kind() == TokenInfo.Kind.DSQL && !di.user().isPresent() && !di.port().isPresent(), di.toString());
            // Temporary credentials: the key's session token must be carried.
            Credentials temp = new Credentials("ASIAEXAMPLE", DEMO.secretAccessKey(), "FwoGZXIvYXdzEXAMPLE");
            String st = IamAuth.rdsToken(DEMO_HOST, 5432, "iam_user", "us-east-1", temp, 900, DEMO_TIME);
            String tempKeys = "{\"ASIAEXAMPLE\": {\"secret_access_key\": \"" + DEMO.secretAccessKey()
                    + "\", \"session_token\": \"FwoGZXIvYXdzEXAMPLE\"}}";
            eq("ASIAEXAMPLE", IamAuth.verify(st, tempKeys, Expectations.any(), DEMO_TIME).accessKeyId(), "temp");
            eq("SESSION_TOKEN_MISMATCH", code(() -> IamAuth.verify(st,
                    "{\"ASIAEXAMPLE\": {\"secret_access_key\": \"" + DEMO.secretAccessKey() + "\"}}",
                    Expectations.any(), DEMO_TIME)), "session token the key lacks");
        });
        // Each check's refusal, the check order and malformed expectations: VerifyVectors
        // (tests/vectors/verify.json). Here only what the Java surface adds.
        VerifyVectors.run(dir);
        EksMskTests.run(dir);
        test("verify: Java-side mistakes have their codes", () -> {
            Expectations any = Expectations.any();
            String[][] cases = {
                {DEMO_TOKEN, "not json", null, "INVALID_CREDENTIALS"},
                {DEMO_TOKEN, keys, "badport", "INVALID_PORT"},
                {DEMO_TOKEN, keys, "surrogate", "INVALID_UTF8"},
            };
            for (String[] c : cases) {
                Expectations e = any;
                long now = DEMO_TIME;
                String what = c[2] == null ? "" : c[2];
                switch (what) {
                    case "badport": e = any.withPort(70000); break;
                    case "surrogate": e = any.withUser("x\uD800"); break;
                    default: break;
                }
                final Expectations fe = e;
                final long fnow = now;
                eq(c[3], code(() -> IamAuth.verify(c[0], c[1], fe, fnow)), c[3] + " (" + what + ")");
            }
            throwsNpe(() -> IamAuth.verify(null, keys, any, DEMO_TIME));
            throwsNpe(() -> IamAuth.verify(DEMO_TOKEN, null, any, DEMO_TIME));
            throwsNpe(() -> IamAuth.verify(DEMO_TOKEN, keys, null, DEMO_TIME));
            throwsNpe(() -> Native.verify(null, new byte[0], null, 0, null, null, null, null, false, 0, null, 0, new long[5]));
            eq(-1L, any.skew(), "default skew");
            eq(any.withSkew(5), any.withSkew(5), "Expectations equals");
            eq(any.withAction("DbConnect"), any.withAction("DbConnect"), "Expectations equals, action");
            check(!any.withAction("DbConnect").equals(any.withAction("DbConnectAdmin")), "action in equals");
            eq(null, any.action(), "no action expected");
        });
        // The codes themselves are VerifyVectors' (tests/vectors/verify.json); here that the action
        // and the keys text's grants cross JNI.
        test("verify: the action and the keys' grants reach the core", () -> {
            String admin = IamAuth.dsqlToken("abc.dsql.us-east-1.on.aws", "us-east-1", DEMO, true, 900, DEMO_TIME);
            Expectations dsql = Expectations.any().withService("dsql");
            eq("DbConnectAdmin", IamAuth.verify(admin, keys, dsql.withAction("DbConnectAdmin"), DEMO_TIME).action(),
                    "admin expected");
            eq("WRONG_ACTION", code(() -> IamAuth.verify(admin, keys, dsql.withAction("DbConnect"), DEMO_TIME)),
                    "DbConnect expected");
            eq("INVALID_ACTION", code(() -> IamAuth.verify(admin, keys, dsql.withAction("dbconnect"), DEMO_TIME)),
                    "malformed action");
            String granted = "{\"AKIDEXAMPLE\": {\"secret_access_key\": \"" + DEMO.secretAccessKey()
                    + "\", \"users\": [\"app\", \"report_*\"], \"hosts\": [\"mydb.*\"]}}";
            try {
                IamAuth.verify(DEMO_TOKEN, granted, Expectations.any(), DEMO_TIME);
                check(false, "no exception");
            } catch (IamAuthException e) {
                eq("USER_NOT_ALLOWED", e.code(), "user not granted");
                check(e.getMessage().contains("not granted this user"), e.getMessage());
            }
            String hosts = granted.replace("\"app\"", "\"iam_user\"").replace("mydb.*", "other.*");
            eq("HOST_NOT_ALLOWED", code(() -> IamAuth.verify(DEMO_TOKEN, hosts, Expectations.any(), DEMO_TIME)),
                    "host not granted");
            eq("AKIDEXAMPLE", IamAuth.verify(DEMO_TOKEN, granted.replace("\"app\"", "\"iam_user\""),
                    Expectations.any(), DEMO_TIME).accessKeyId(), "granted");
        });
        test("refreshAt is the core's rule", () -> {
            eq(1600L, IamAuth.refreshAt(1000, 900), "900 s");
            eq(1060L, IamAuth.refreshAt(1000, 120), "120 s");
            eq(1030L, IamAuth.refreshAt(1000, 60), "60 s");
            eq(1200L, IamAuth.refreshAt(1000, 900, 1300), "credentials expire first");
            eq(1600L, IamAuth.refreshAt(1000, 900, IamAuth.NO_EXPIRATION), "no expiration");
            check(IamAuth.refreshAt(1000, 900, 1000) <= 1000, "expired credentials");
        });
        test("reuseUntil / mayReuse are the core's providers' rule", () -> {
            eq(1600L, IamAuth.reuseUntil(1000, 900, IamAuth.NO_EXPIRATION), "900 s");
            eq(1200L, IamAuth.reuseUntil(1000, 900, 1300), "credentials expire first");
            eq(IamAuth.refreshAt(1000, 900, 1300), IamAuth.reuseUntil(1000, 900, 1300), "= refreshAt");
            eq("INVALID_CREDENTIALS", code(() -> IamAuth.reuseUntil(1000, 900, 1000)), "expired credentials");
            try {
                IamAuth.reuseUntil(1000, 900, 10);
                check(false, "no exception");
            } catch (IamAuthException e) {
                check(e.getMessage().startsWith("INVALID_CREDENTIALS: credentials: expired"), e.getMessage());
            }
            check(IamAuth.mayReuse(1000, 1000, 1600), "at signing");
            check(IamAuth.mayReuse(1599, 1000, 1600), "a second before");
            check(!IamAuth.mayReuse(1600, 1000, 1600), "at the reuse point");
            check(!IamAuth.mayReuse(999, 1000, 1600), "clock went back");
        });
        test("defaults come from the core", () -> {
            eq(900L, IamAuth.DEFAULT_EXPIRES_IN, "expiry");
            eq(300L, IamAuth.DEFAULT_SKEW, "skew");
            eq("rds-db", IamAuth.DEFAULT_SERVICE, "service");
            eq(900L, IamAuth.inspect(IamAuth.rdsToken(DEMO_HOST, 5432, "u", "us-east-1", DEMO)).expiresIn(),
                    "the default expiry is used");
            eq("AKIDEXAMPLE", IamAuth.verify(DEMO_TOKEN, keys, Expectations.any(), DEMO_TIME - IamAuth.DEFAULT_SKEW)
                    .accessKeyId(), "the default skew");
            eq("NOT_YET_VALID", code(() -> IamAuth.verify(DEMO_TOKEN, keys, Expectations.any(),
                    DEMO_TIME - IamAuth.DEFAULT_SKEW - 1)), "past the default skew");
            eq("WRONG_SERVICE", code(() -> IamAuth.verify(IamAuth.dsqlToken("abc.dsql.us-east-1.on.aws",
                    "us-east-1", DEMO, false, 900, DEMO_TIME), keys, Expectations.any().withService(null), DEMO_TIME)),
                    "null service = the default");
            eq("INVALID_HOST", code(() -> IamAuth.verify(DEMO_TOKEN, keys, Expectations.any().withHost("bad host"),
                    DEMO_TIME)), "a malformed expected host is the core's INVALID_HOST");
        });
        test("a null region is read from the host", () -> {
            eq(DEMO_TOKEN, IamAuth.rdsToken(DEMO_HOST, 5432, "iam_user", null, DEMO, 900, DEMO_TIME), "rds");
            String dsqlHost = "abcdefghijklmnopqrst123456.dsql.us-east-1.on.aws";
            eq(IamAuth.dsqlToken(dsqlHost, "us-east-1", DEMO, false, 900, DEMO_TIME),
                    IamAuth.dsqlToken(dsqlHost, null, DEMO, false, 900, DEMO_TIME), "dsql");
            eq("INVALID_REGION", code(() -> IamAuth.rdsToken("db.example.com", 5432, "u", null, DEMO)), "rds: none");
            eq("INVALID_REGION", code(() -> IamAuth.dsqlToken("db.example.com", null, DEMO, false)), "dsql: none");
            eq("INVALID_REGION", code(() -> IamAuth.rdsToken(DEMO_HOST, 5432, "u", "", DEMO)), "empty is not null");
            RdsTokenSupplier s = RdsTokenSupplier.builder(DEMO_HOST, 5432, "iam_user", null).credentials(DEMO)
                    .clock(new FakeClock(Instant.ofEpochSecond(DEMO_TIME))).build();
            eq(DEMO_TOKEN, s.get(), "the supplier too");
        });

        // ---- the supplier
        test("RdsTokenSupplier with a fake clock: every second of an hour", () -> {
            FakeClock clock = new FakeClock(Instant.ofEpochSecond(DEMO_TIME));
            AtomicInteger asked = new AtomicInteger();
            RdsTokenSupplier s = RdsTokenSupplier.builder(DEMO_HOST, 5432, "iam_user", "us-east-1")
                    .credentials(() -> { asked.incrementAndGet(); return DEMO; })
                    .clock(clock).build();
            eq(0, asked.get(), "lazy");
            String first = s.get();
            eq(DEMO_TOKEN, first, "signed at the clock's time");
            clock.now = Instant.ofEpochSecond(DEMO_TIME + 599);
            check(s.get() == first, "reused before the refresh point");
            eq(1, asked.get(), "credentials asked once");
            clock.now = Instant.ofEpochSecond(DEMO_TIME + 600);
            String second = s.get();
            check(!second.equals(first), "refreshed at a third of the lifetime before expiry");
            eq(Instant.ofEpochSecond(DEMO_TIME + 600), IamAuth.inspect(second).signedAt(), "new signing time");
            eq(2, asked.get(), "credentials asked again");
            int signings = 0;
            String last = null;
            for (long t = DEMO_TIME + 601; t < DEMO_TIME + 600 + 3600; t++) {
                clock.now = Instant.ofEpochSecond(t, 500_000_000);
                String tok = s.get();
                if (!tok.equals(last)) signings++;
                last = tok;
                TokenInfo i = IamAuth.inspect(tok, t);
                if (i.validity() != TokenInfo.Validity.VALID || i.validitySeconds() < 300) {
                    throw new AssertionError("at " + t + ": " + i.validity() + " " + i.validitySeconds());
                }
            }
            eq(6, signings, "one signing per 600 s");
            clock.now = Instant.ofEpochSecond(DEMO_TIME + 100_000);
            eq(TokenInfo.Validity.VALID, IamAuth.inspect(s.get(), DEMO_TIME + 100_000).validity(), "after a jump");
            clock.now = Instant.ofEpochSecond(DEMO_TIME);
            eq(DEMO_TOKEN, s.get(), "the clock went back: no token from the future");
            s.invalidate();
            int before = asked.get();
            s.get();
            eq(before + 1, asked.get(), "invalidate forces a refresh");
        });
        test("RdsTokenSupplier: 120 s tokens, expiring credentials, errors", () -> {
            FakeClock clock = new FakeClock(Instant.ofEpochSecond(DEMO_TIME));
            RdsTokenSupplier s = RdsTokenSupplier.builder(DEMO_HOST, 5432, "iam_user", "us-east-1")
                    .credentials(DEMO).clock(clock).expiresIn(120).build();
            String a = s.get();
            eq(120L, IamAuth.inspect(a).expiresIn(), "expiresIn");
            clock.now = Instant.ofEpochSecond(DEMO_TIME + 59);
            check(s.get() == a, "reuse");
            clock.now = Instant.ofEpochSecond(DEMO_TIME + 60);
            check(s.get() != a, "refresh with a minute left");
            // Credentials expiring 300 s after the first signing: never handed out past them.
            Instant exp = Instant.ofEpochSecond(DEMO_TIME + 300);
            Credentials temp = new Credentials("ASIAEXAMPLE", DEMO.secretAccessKey(), "FwoGZXIvYXdzEXAMPLE", exp);
            eq(exp, temp.expiration(), "expiration");
            check(temp.toString().contains("expiration=") && !temp.toString().contains("FwoG"), temp.toString());
            FakeClock c2 = new FakeClock(Instant.ofEpochSecond(DEMO_TIME));
            AtomicInteger asked = new AtomicInteger();
            RdsTokenSupplier t = RdsTokenSupplier.builder(DEMO_HOST, 5432, "iam_user", "us-east-1")
                    .credentials(() -> { asked.incrementAndGet(); return temp; }).clock(c2).build();
            String first = t.get();
            c2.now = Instant.ofEpochSecond(DEMO_TIME + 199);
            check(t.get() == first, "reused until 100 s before the credentials expire");
            c2.now = Instant.ofEpochSecond(DEMO_TIME + 200);
            check(t.get() != first, "refreshed 100 s before the credentials expire");
            c2.now = Instant.ofEpochSecond(DEMO_TIME + 300);
            eq("INVALID_CREDENTIALS", code(t::get), "expired credentials");
            try {
                t.get();
                check(false, "no exception");
            } catch (IamAuthException e) {
                check(e.getMessage().startsWith("INVALID_CREDENTIALS: credentials: expired"), "the core's message: "
                        + e.getMessage());
            }
            throwsNpe(() -> RdsTokenSupplier.builder(DEMO_HOST, 5432, "u", "us-east-1").build());
            RdsTokenSupplier bad = RdsTokenSupplier.builder(DEMO_HOST, 0, "u", "us-east-1").credentials(DEMO).build();
            eq("INVALID_PORT", code(bad::get), "errors surface on get()");
        });
        test("RdsTokenSupplier from 8 threads signs once", () -> {
            FakeClock clock = new FakeClock(Instant.ofEpochSecond(DEMO_TIME));
            AtomicInteger asked = new AtomicInteger();
            RdsTokenSupplier s = RdsTokenSupplier.builder(DEMO_HOST, 5432, "iam_user", "us-east-1")
                    .credentials(() -> { asked.incrementAndGet(); return DEMO; }).clock(clock).build();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> fs = new ArrayList<>();
                for (int i = 0; i < 64; i++) fs.add(pool.submit(s::get));
                for (Future<String> f : fs) eq(DEMO_TOKEN, f.get(), "token");
            } finally {
                pool.shutdown();
            }
            eq(1, asked.get(), "one signing");
        });

        // ---- IamAuthDataSource (DataSourceTests: a fake DataSource and Driver)
        DataSourceTests.run();

        // ---- threads
        test("8 threads at once produce vector-identical tokens", () -> {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> fs = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    final int offset = t;
                    Callable<Integer> job = () -> {
                        int n = 0;
                        for (int round = 0; round < 50; round++) {
                            for (int k = 0; k < tokens.size(); k++) {
                                Map<String, Object> c = tokens.get((k + offset * 7) % tokens.size());
                                eq(expected(c), make(c), "token " + c.get("id"));
                                n++;
                            }
                        }
                        return n;
                    };
                    fs.add(pool.submit(job));
                }
                int total = 0;
                for (Future<Integer> f : fs) total += f.get();
                eq(8 * 50 * tokens.size(), total, "count");
            } finally {
                pool.shutdown();
            }
        });

        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
