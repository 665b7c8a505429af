import dev.iamauth.Credentials;
import dev.iamauth.IamAuth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-call cost of a warm IamAuth.rdsToken beside the core making the same token in a Rust loop
 * inside the same JNI library ({@link #benchCore}, built only by {@code test.sh --bench}), in one
 * process: JIT warm-up, then about 31 interleaved rounds (a batch of Java calls, then a batch of
 * the core's loop, each about 2 ms), so drift hits both alike. Overhead = Java median - core
 * median. Inputs: the rds-demo vector. Writes target/bench/java.json ($IAMAUTH_BENCH_DIR; the
 * format is in docs/benchmarks.md). Exits non-zero if the token is wrong.
 * Usage: java -Djava.library.path=DIR -cp iamauth.jar:. Bench [rounds] [calls per batch]
 */
public final class Bench {
    static final String EXPECTED = "mydb.123456789012.us-east-1.rds.amazonaws.com:5432/?Action=connect&DBUser=iam_user"
            + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Frds-db"
            + "%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=6162e47cc792ab818ec4732757b05fbe36dadabd428441ab694b2509461768db";
    static final String HOST = "mydb.123456789012.us-east-1.rds.amazonaws.com";
    static final String USER = "iam_user";
    static final String REGION = "us-east-1";
    static final String AKID = "AKIDEXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final long TIME = 1704164645L;
    static final long TARGET_PLUS_NS = 500; // issue 15: Java at most +0.5 us over the core

    /** The core's loop (native/iamauth_jni.c under IAMAUTH_BENCH): the tokens' total length, or -1. */
    static native long benchCore(byte[] host, long port, byte[] user, byte[] region, long expiresIn, long time,
            byte[] accessKeyId, byte[] secretAccessKey, long n);

    static long sink;

    static void java(Credentials creds, int n) {
        for (int i = 0; i < n; i++) {
            sink += IamAuth.rdsToken(HOST, 5432L, USER, REGION, creds, 900L, TIME).length();
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static final byte[] H = utf8(HOST), U = utf8(USER), R = utf8(REGION), A = utf8(AKID), S = utf8(SECRET);

    static void core(int n) {
        if (benchCore(H, 5432L, U, R, 900L, TIME, A, S, n) != (long) n * EXPECTED.length()) {
            System.err.println("bench: the core's loop failed or made tokens of another length");
            System.exit(1);
        }
    }

    static double[] stats(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return new double[] {quantile(s, 0.5), quantile(s, 0.1), quantile(s, 0.9)};
    }

    static double quantile(double[] s, double q) {
        double i = (s.length - 1) * q;
        int lo = (int) Math.floor(i);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (s[hi] - s[lo]) * (i - lo);
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c >= 0x20) b.append(c);
        }
        return b.append('"').toString();
    }

    static String row(String id, String label, String kind, double[] st, String vs, long plusNs) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("    {\"id\": %s, \"group\": \"java\", \"label\": %s, \"kind\": %s, "
                + "\"ns\": %.1f, \"p10\": %.1f, \"p90\": %.1f", json(id), json(label), json(kind), st[0], st[1], st[2]));
        if (vs != null) b.append(", \"vs\": ").append(json(vs));
        if (plusNs > 0) b.append(", \"target\": {\"plus_ns\": ").append(plusNs).append('}');
        return b.append('}').toString();
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 31;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        Credentials creds = new Credentials(AKID, SECRET);
        if (!EXPECTED.equals(IamAuth.rdsToken(HOST, 5432L, USER, REGION, creds, 900L, TIME))) {
            System.err.println("bench: wrong token");
            System.exit(1);
        }
        boolean withCore;
        try {
            core(1000);
            withCore = true;
        } catch (UnsatisfiedLinkError e) {
            withCore = false; // a library built without IAMAUTH_BENCH
        }
        // JIT warm-up: enough calls for C2 to compile the Java side of the call path
        java(creds, 100_000);
        if (withCore) core(100_000);
        if (calls == 0) { // about 2 ms a batch
            long t0 = System.nanoTime();
            java(creds, 5000);
            double per = (System.nanoTime() - t0) / 5000.0;
            calls = Math.max(100, (int) (2e6 / per));
        }
        double[] javaNs = new double[rounds];
        double[] coreNs = new double[rounds];
        double[] diffNs = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            java(creds, calls);
            long t1 = System.nanoTime();
            javaNs[r] = (t1 - t0) / (double) calls;
            if (withCore) {
                core(calls);
                coreNs[r] = (System.nanoTime() - t1) / (double) calls;
                diffNs[r] = javaNs[r] - coreNs[r];
            }
        }
        double[] j = stats(javaNs);
        System.out.printf("java IamAuth.rdsToken (warm):            median %6.0f ns/token (p10 %.0f, p90 %.0f; %d rounds x %d calls; sink %d)%n",
                j[0], j[1], j[2], rounds, calls, sink % 10);
        List<String> results = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        notes.add(String.format("%d interleaved rounds x %d calls, after 100,000 calls of JIT warm-up", rounds, calls));
        if (withCore) {
            double[] c = stats(coreNs);
            double[] d = stats(diffNs);
            double overhead = j[0] - c[0];
            System.out.printf("core rds_token, Rust loop (same library): median %6.0f ns/token (p10 %.0f, p90 %.0f)%n", c[0], c[1], c[2]);
            System.out.printf("JNI binding overhead: %+.0f ns (medians; per-round differences: median %+.0f, p10 %+.0f, p90 %+.0f); target +%d ns: %s%n",
                    overhead, d[0], d[1], d[2], TARGET_PLUS_NS, overhead <= TARGET_PLUS_NS ? "MET" : "NOT MET");
            results.add(row("java.core", "core rds_token, Rust loop in the same JNI library (warm)", "core", c, null, 0));
            results.add(row("java.rds_token", "IamAuth.rdsToken (warm, JNI, after JIT warm-up)", "ours", j, "java.core", TARGET_PLUS_NS));
            notes.add(String.format("overhead %+.0f ns (Java median - core median; per-round differences: median %+.0f, p10 %+.0f, p90 %+.0f)",
                    overhead, d[0], d[1], d[2]));
        } else {
            System.out.println("core loop: not in this library (build.sh with IAMAUTH_BENCH=1)");
            results.add(row("java.rds_token", "IamAuth.rdsToken (warm, JNI, after JIT warm-up)", "ours", j, null, 0));
            notes.add("the JNI library was built without IAMAUTH_BENCH: no core loop, no overhead");
        }
        notes.add("no peer: the AWS SDK for Java v2 (RdsUtilities.generateAuthenticationToken) is on Maven Central, "
                + "which these machines cannot reach, and Debian does not package it");
        String dir = System.getenv("IAMAUTH_BENCH_DIR");
        Path out = Paths.get(dir == null || dir.isEmpty() ? "target/bench" : dir);
        Files.createDirectories(out);
        StringBuilder b = new StringBuilder("{\n  \"harness\": \"java\",\n");
        b.append("  \"command\": \"bash bindings/java/test.sh --bench\",\n");
        b.append("  \"when\": ").append(json(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())).append(",\n");
        b.append("  \"env\": {\"java\": ").append(json(System.getProperty("java.version")))
                .append(", \"jvm\": ").append(json(System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")))
                .append(", \"iamauth\": ").append(json(IamAuth.version())).append("},\n");
        b.append("  \"results\": [\n").append(String.join(",\n", results)).append("\n  ],\n");
        b.append("  \"notes\": [\n");
        for (int i = 0; i < notes.size(); i++) {
            b.append("    ").append(json(notes.get(i))).append(i + 1 < notes.size() ? ",\n" : "\n");
        }
        b.append("  ]\n}\n");
        Path file = out.resolve("java.json");
        Files.write(file, b.toString().getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + file.toAbsolutePath());
    }
}
