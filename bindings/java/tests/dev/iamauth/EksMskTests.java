package dev.iamauth;

import static dev.iamauth.IamAuthTest.check;
import static dev.iamauth.IamAuthTest.code;
import static dev.iamauth.IamAuthTest.eq;
import static dev.iamauth.IamAuthTest.test;
import static dev.iamauth.IamAuthTest.throwsNpe;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * EKS and MSK: every case and error of tests/vectors/eks.json and msk.json (read in place), the js
 * signer's MSK cases (another parameter order: the signature and expiry compared), inspect and
 * verify of both kinds, and MskTokenSupplier with a fake clock. Run from {@link IamAuthTest#main}.
 */
final class EksMskTests {
    private EksMskTests() {}

    static final String KEYS = "{\"AKIDEXAMPLE\": {\"secret_access_key\": \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"}}";

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(Path dir, String file) throws Exception {
        return (Map<String, Object>) Json.parse(new String(Files.readAllBytes(dir.resolve(file)), StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> doc, String key) {
        Object v = doc.get(key);
        return v == null ? new ArrayList<>() : (List<Map<String, Object>>) v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> c, String key) {
        return (Map<String, Object>) c.get(key);
    }

    static Credentials creds(Map<String, Object> in) {
        return new Credentials((String) in.get("access_key_id"), (String) in.get("secret_access_key"),
                (String) in.get("session_token"));
    }

    /** An EKS vector through the public API (the endpoint name through StsEndpoint.parse). */
    static EksToken eks(Map<String, Object> c) {
        Map<String, Object> in = map(c, "input");
        return IamAuth.eksToken((String) in.get("cluster"), (String) in.get("region"), creds(in),
                StsEndpoint.parse((String) in.get("sts_endpoint")), (Long) in.get("time"));
    }

    static MskToken msk(Map<String, Object> c) {
        Map<String, Object> in = map(c, "input");
        return IamAuth.mskToken((String) in.get("region"), creds(in), (Long) in.get("expires_in"),
                (String) in.get("user_agent"), (Long) in.get("time"));
    }

    static void run(Path dir) throws Exception {
        Map<String, Object> eksDoc = load(dir, "eks.json");
        Map<String, Object> mskDoc = load(dir, "msk.json");
        List<Map<String, Object>> eksCases = list(eksDoc, "cases");
        List<Map<String, Object>> mskCases = list(mskDoc, "cases");
        check(eksCases.size() > 10 && list(eksDoc, "errors").size() > 10, "eks vector counts");
        check(mskCases.size() > 5 && list(mskDoc, "errors").size() > 10, "msk vector counts");
        for (Map<String, Object> c : eksCases) {
            test("eks/" + c.get("id"), () -> {
                Map<String, Object> want = map(c, "expected");
                EksToken t = eks(c);
                eq(want.get("token"), t.token(), "token");
                eq(want.get("expiration_timestamp"), DateTimeFormatter.ISO_INSTANT.format(t.expiration()), "expiration");
                check(!t.toString().contains(t.token().substring(11, 40)), "toString leaves the token out");
            });
        }
        for (Map<String, Object> c : list(eksDoc, "errors")) {
            test("eks-errors/" + c.get("id"), () -> eq(c.get("error"), code(() -> eks(c)), "code"));
        }
        for (Map<String, Object> c : mskCases) {
            test("msk/" + c.get("id"), () -> {
                Map<String, Object> want = map(c, "expected");
                MskToken t = msk(c);
                eq(want.get("token"), t.token(), "token");
                eq(want.get("expiry_ms"), t.expiryMs(), "expiry_ms");
                check(!t.toString().contains(t.token().substring(0, 40)), "toString leaves the token out");
            });
        }
        // The js signer sorts every parameter (User-Agent second): same signature and expiry.
        for (Map<String, Object> c : list(mskDoc, "js_cases")) {
            test("msk-js/" + c.get("id"), () -> {
                Map<String, Object> want = map(c, "expected");
                MskToken t = msk(c);
                eq(want.get("expiry_ms"), t.expiryMs(), "expiry_ms");
                eq(want.get("signature"), IamAuth.inspect(t.token(), Instant.EPOCH).signature(), "signature");
                eq(want.get("signature"), IamAuth.inspect((String) want.get("token"), Instant.EPOCH).signature(),
                        "the js token reads back");
            });
        }
        for (Map<String, Object> c : list(mskDoc, "errors")) {
            test("msk-errors/" + c.get("id"), () -> eq(c.get("error"), code(() -> msk(c)), "code"));
        }

        Map<String, Object> eksDemo = eksCases.get(0);
        Map<String, Object> mskDemo = mskCases.get(0);
        long time = (Long) map(eksDemo, "input").get("time");
        Credentials demo = IamAuthTest.DEMO;
        test("eks overloads and defaults", () -> {
            EksToken t = eks(eksDemo);
            eq(t, IamAuth.eksToken("my-cluster", "us-east-1", demo, StsEndpoint.REGIONAL, Instant.ofEpochSecond(time)),
                    "Instant");
            eq(time + 14 * 60, t.expirationEpochSecond(), "expiration = signing + 14 min");
            long before = Instant.now().getEpochSecond();
            EksToken now = IamAuth.eksToken("my-cluster", "us-east-1", demo);
            long after = Instant.now().getEpochSecond();
            check(now.expirationEpochSecond() >= before + 840 && now.expirationEpochSecond() <= after + 840, "now");
            eq(StsEndpoint.GLOBAL, StsEndpoint.parse("global"), "parse global");
            eq("INVALID_REQUEST", code(() -> StsEndpoint.parse("Global")), "parse Global");
            throwsNpe(() -> IamAuth.eksToken(null, "us-east-1", demo));
            throwsNpe(() -> IamAuth.eksToken("c", null, demo));
            throwsNpe(() -> IamAuth.eksToken("c", "us-east-1", null));
            throwsNpe(() -> IamAuth.eksToken("c", "us-east-1", demo, null, time));
            throwsNpe(() -> StsEndpoint.parse(null));
            eq("INVALID_REQUEST", code(() -> Native.eksToken("c".getBytes(StandardCharsets.UTF_8),
                    "us-east-1".getBytes(StandardCharsets.UTF_8), 7, time,
                    "AKIDs".getBytes(StandardCharsets.UTF_8), 4, 1, -1, new long[1])), "endpoint 7");
        });
        test("msk overloads and defaults", () -> {
            MskToken t = msk(mskDemo);
            Map<String, Object> in = map(mskDemo, "input");
            String ua = (String) in.get("user_agent");
            eq(t, IamAuth.mskToken("us-east-1", demo, 900, ua, Instant.ofEpochSecond(time)), "Instant");
            MskToken mine = IamAuth.mskToken("us-east-1", demo, 900, null, time);
            eq(t.expiryMs(), mine.expiryMs(), "expiry");
            eq(IamAuth.inspect(t.token(), time).signature(), IamAuth.inspect(mine.token(), time).signature(),
                    "our User-Agent is not signed");
            String url = new String(java.util.Base64.getUrlDecoder().decode(mine.token()), StandardCharsets.UTF_8);
            check(url.endsWith("&User-Agent=iamauth%2F" + IamAuth.version()), url);
            eq((time + 60) * 1000, IamAuth.mskToken("us-east-1", demo, 60, null, time).expiryMs(), "60 s");
            long before = Instant.now().getEpochSecond();
            MskToken now = IamAuth.mskToken("us-east-1", demo);
            check(now.expiryMs() >= (before + 900) * 1000, "now");
            eq("INVALID_USER_AGENT", code(() -> IamAuth.mskToken("us-east-1", demo, 900, "", time)), "empty UA");
            throwsNpe(() -> IamAuth.mskToken(null, demo));
            throwsNpe(() -> IamAuth.mskToken("us-east-1", null));
        });
        test("inspect and verify of EKS and MSK tokens", () -> {
            String e = eks(eksDemo).token();
            TokenInfo i = IamAuth.inspect(e, time + 10);
            eq(TokenInfo.Kind.EKS, i.kind(), "eks kind");
            eq("sts.us-east-1.amazonaws.com", i.host(), "eks host");
            eq("GetCallerIdentity", i.action(), "eks action");
            eq("sts", i.service(), "eks service");
            eq(60L, i.expiresIn(), "eks X-Amz-Expires");
            eq(Instant.ofEpochSecond(time + 900), i.expiresAt(), "eks accepted 15 min");
            Expectations sts = Expectations.any().withService("sts").withCluster("my-cluster");
            Identity id = IamAuth.verify(e, KEYS, sts, time + 10);
            eq(TokenInfo.Kind.EKS, id.kind(), "verify eks");
            eq("SIGNATURE_MISMATCH", code(() -> IamAuth.verify(e, KEYS, sts.withCluster("other"), time + 10)),
                    "another cluster");
            eq("INVALID_CLUSTER", code(() -> IamAuth.verify(e, KEYS, sts.withCluster(null), time + 10)), "no cluster");
            eq("WRONG_SERVICE", code(() -> IamAuth.verify(e, KEYS, Expectations.any().withCluster("my-cluster"),
                    time + 10)), "default service");
            String m = msk(mskDemo).token();
            TokenInfo j = IamAuth.inspect(m, time);
            eq(TokenInfo.Kind.MSK, j.kind(), "msk kind");
            eq("kafka.us-east-1.amazonaws.com", j.host(), "msk host");
            eq("kafka-cluster:Connect", j.action(), "msk action");
            Expectations kafka = Expectations.any().withService("kafka-cluster").withRegion("us-east-1");
            eq(TokenInfo.Kind.MSK, IamAuth.verify(m, KEYS, kafka, time + 10).kind(), "verify msk");
            eq("EXPIRED_TOKEN", code(() -> IamAuth.verify(m, KEYS, kafka, time + 901)), "msk expired");
            check(kafka.withCluster("c").toString().contains("cluster=c"), "Expectations.toString");
            check(!kafka.equals(kafka.withCluster("c")), "Expectations.equals");
        });

        // ---- MskTokenSupplier
        test("MskTokenSupplier with a fake clock: reuse, refresh, expiry", () -> {
            IamAuthTest.FakeClock clock = new IamAuthTest.FakeClock(Instant.ofEpochSecond(time));
            AtomicInteger asked = new AtomicInteger();
            String ua = (String) map(mskDemo, "input").get("user_agent");
            MskTokenSupplier s = MskTokenSupplier.builder("us-east-1")
                    .credentials(() -> { asked.incrementAndGet(); return demo; }).clock(clock).userAgent(ua).build();
            eq(0, asked.get(), "lazy");
            MskToken first = s.get();
            eq(map(mskDemo, "expected").get("token"), first.token(), "the reference's token at the clock's time");
            eq(map(mskDemo, "expected").get("expiry_ms"), first.expiryMs(), "its expiry");
            clock.now = Instant.ofEpochSecond(time + 599);
            check(s.get() == first, "reused before the refresh point");
            eq(1, asked.get(), "credentials asked once");
            clock.now = Instant.ofEpochSecond(time + 600);
            MskToken second = s.get();
            check(second != first, "refreshed with a third of the lifetime left");
            eq((time + 600 + 900) * 1000, second.expiryMs(), "new expiry");
            int signings = 0;
            MskToken last = null;
            for (long t = time + 601; t < time + 600 + 3600; t++) {
                clock.now = Instant.ofEpochSecond(t, 250_000_000);
                MskToken tok = s.get();
                if (tok != last) signings++;
                last = tok;
                if (tok.expiryMs() - t * 1000 < 300_000) throw new AssertionError("at " + t + ": " + tok);
            }
            eq(6, signings, "one signing per 600 s");
            s.invalidate();
            int before = asked.get();
            s.get();
            eq(before + 1, asked.get(), "invalidate forces a refresh");
            // 120 s tokens, then credentials that expire.
            MskTokenSupplier shortLived = MskTokenSupplier.builder("us-east-1").credentials(demo)
                    .clock(clock).expiresIn(120).build();
            MskToken a = shortLived.get();
            eq(clock.now.getEpochSecond() * 1000 + 120_000, a.expiryMs(), "120 s");
            Instant exp = Instant.ofEpochSecond(time + 300);
            Credentials temp = new Credentials("ASIAEXAMPLE", demo.secretAccessKey(), "FwoGZXIvYXdzEXAMPLE", exp);
            IamAuthTest.FakeClock c2 = new IamAuthTest.FakeClock(Instant.ofEpochSecond(time));
            MskTokenSupplier t = MskTokenSupplier.builder("us-east-1").credentials(() -> temp).clock(c2).build();
            MskToken f = t.get();
            c2.now = Instant.ofEpochSecond(time + 199);
            check(t.get() == f, "reused until 100 s before the credentials expire");
            c2.now = Instant.ofEpochSecond(time + 200);
            check(t.get() != f, "refreshed 100 s before the credentials expire");
            c2.now = Instant.ofEpochSecond(time + 300);
            eq("INVALID_CREDENTIALS", code(t::get), "expired credentials");
            throwsNpe(() -> MskTokenSupplier.builder(null));
            throwsNpe(() -> MskTokenSupplier.builder("us-east-1").build());
            eq("INVALID_REGION", code(() -> MskTokenSupplier.builder("US").credentials(demo).build().get()),
                    "errors surface on get()");
        });
        test("MskTokenSupplier from 8 threads signs once", () -> {
            IamAuthTest.FakeClock clock = new IamAuthTest.FakeClock(Instant.ofEpochSecond(time));
            AtomicInteger asked = new AtomicInteger();
            MskTokenSupplier s = MskTokenSupplier.builder("us-east-1")
                    .credentials(() -> { asked.incrementAndGet(); return demo; }).clock(clock).build();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<MskToken>> all = new ArrayList<>();
                for (int i = 0; i < 64; i++) all.add(pool.submit(s::get));
                MskToken one = all.get(0).get();
                for (Future<MskToken> f : all) check(f.get() == one, "one token");
            } finally {
                pool.shutdown();
            }
            eq(1, asked.get(), "signed once");
        });
    }
}
