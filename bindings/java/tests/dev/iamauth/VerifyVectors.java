package dev.iamauth;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * IamAuth.verify against tests/vectors/verify.json (read in place), one test per case: the token,
 * the keys (as keys-file text, with their {@code users} / {@code hosts} grants), the expectations
 * (the action too) and the clock give the identity or the code.
 * Run from {@link IamAuthTest#main}.
 *
 * <p>A case Java cannot express is skipped by a named rule, and counted: "port 0 is any"
 * ({@link Expectations#withPort(int)} takes 0 as "any port", so an expected port of 0 cannot be
 * asked for).
 */
final class VerifyVectors {
    private VerifyVectors() {}

    /** The case's keys back as keys-file text (strings, lists of strings and null). */
    @SuppressWarnings("unchecked")
    static String json(Object v) {
        if (v == null) return "null";
        if (v instanceof String) {
            StringBuilder b = new StringBuilder("\"");
            for (char ch : ((String) v).toCharArray()) {
                if (ch == '"' || ch == '\\') b.append('\\').append(ch);
                else if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
                else b.append(ch);
            }
            return b.append('"').toString();
        }
        if (v instanceof Map) {
            StringBuilder b = new StringBuilder("{");
            for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
                if (b.length() > 1) b.append(", ");
                b.append(json(e.getKey())).append(": ").append(json(e.getValue()));
            }
            return b.append('}').toString();
        }
        if (v instanceof List) {
            StringBuilder b = new StringBuilder("[");
            for (Object e : (List<Object>) v) {
                if (b.length() > 1) b.append(", ");
                b.append(json(e));
            }
            return b.append(']').toString();
        }
        throw new IllegalArgumentException("keys: unexpected " + v);
    }

    @SuppressWarnings("unchecked")
    static void run(Path dir) throws Exception {
        List<Map<String, Object>> cases = IamAuthTest.cases(dir, "verify.json");
        IamAuthTest.check(!cases.isEmpty(), "verify.json has no cases");
        int skipped = 0;
        for (Map<String, Object> c : cases) {
            String name = (String) c.get("name");
            Map<String, Object> expect = (Map<String, Object>) c.get("expect");
            if (Long.valueOf(0).equals(expect.get("port"))) {
                System.out.println("SKIPPED verify/" + name + ": port 0 is any");
                skipped++;
                continue;
            }
            IamAuthTest.test("verify/" + name, () -> {
                Expectations e = Expectations.any();
                if (expect.containsKey("host")) e = e.withHost((String) expect.get("host"));
                if (expect.containsKey("port")) e = e.withPort(Math.toIntExact((Long) expect.get("port")));
                if (expect.containsKey("user")) e = e.withUser((String) expect.get("user"));
                if (expect.containsKey("action")) e = e.withAction((String) expect.get("action"));
                if (expect.containsKey("region")) e = e.withRegion((String) expect.get("region"));
                if (expect.containsKey("service")) e = e.withService((String) expect.get("service"));
                if (expect.containsKey("skew")) e = e.withSkew((Long) expect.get("skew"));
                if (expect.containsKey("cluster")) e = e.withCluster((String) expect.get("cluster"));
                final Expectations fe = e;
                String token = (String) c.get("token");
                String keys = json(c.get("keys"));
                long now = (Long) c.get("now");
                Map<String, Object> outcome = (Map<String, Object>) c.get("outcome");
                if (outcome.containsKey("code")) {
                    IamAuthTest.eq(outcome.get("code"), IamAuthTest.code(() -> IamAuth.verify(token, keys, fe, now)),
                            name);
                    return;
                }
                Identity id = IamAuth.verify(token, keys, fe, now);
                Map<String, Object> want = (Map<String, Object>) outcome.get("identity");
                IamAuthTest.eq(want.get("kind"), id.kind().name().toLowerCase(java.util.Locale.ROOT), "kind");
                IamAuthTest.eq(want.get("access_key_id"), id.accessKeyId(), "access_key_id");
                IamAuthTest.eq(Optional.ofNullable((String) want.get("user")), id.user(), "user");
                IamAuthTest.eq(want.get("action"), id.action(), "action");
                IamAuthTest.eq(want.get("host"), id.host(), "host");
                Long port = (Long) want.get("port");
                IamAuthTest.eq(port == null ? OptionalInt.empty() : OptionalInt.of(Math.toIntExact(port)), id.port(),
                        "port");
                IamAuthTest.eq(want.get("region"), id.region(), "region");
                IamAuthTest.eq(want.get("service"), id.service(), "service");
                IamAuthTest.eq(Instant.ofEpochSecond((Long) want.get("signed_at")), id.signedAt(), "signed_at");
                IamAuthTest.eq(Instant.ofEpochSecond((Long) want.get("expires_at")), id.expiresAt(), "expires_at");
            });
        }
        System.out.println("verify vectors: " + cases.size() + " (" + skipped + " skipped by a named rule)");
    }
}
