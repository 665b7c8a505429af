package dev.iamauth;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Run by IamAuthTest in a child JVM whose environment the test controls (Java cannot change its
 * own): {@link Credentials#defaultChain()} (or {@code defaultChain(args[0])}) and prints, on
 * success, "OK", the access key id, the session token (or "<none>"), the expiration in unix seconds
 * (or "<none>"), the source, whether a second get() gave the same credentials, and an RDS token
 * made by an {@link RdsTokenSupplier} built on the chain (signed at IamAuthTest.DEMO_TIME, so the
 * parent can verify it against the keys it expects without the secret being printed); on failure
 * "ERR", the code and the message. Then "CLOSED" once get() after close() throws
 * IllegalStateException.
 */
public final class ChainProbe {
    private ChainProbe() {}

    public static void main(String[] args) {
        DefaultCredentialsChain chain = args.length > 0 ? Credentials.defaultChain(args[0]) : Credentials.defaultChain();
        try (DefaultCredentialsChain c = chain) {
            Credentials first = c.get();
            System.out.println("OK");
            System.out.println(first.accessKeyId());
            System.out.println(first.sessionToken() == null ? "<none>" : first.sessionToken());
            System.out.println(first.expiration() == null ? "<none>" : Long.toString(first.expiration().getEpochSecond()));
            System.out.println(c.source());
            System.out.println(first.equals(c.get()) ? "same" : "different");
            RdsTokenSupplier tokens = RdsTokenSupplier.builder(IamAuthTest.DEMO_HOST, 5432, "iam_user", null)
                    .credentials(c)
                    .clock(Clock.fixed(Instant.ofEpochSecond(IamAuthTest.DEMO_TIME), ZoneOffset.UTC))
                    .build();
            System.out.println(tokens.get());
        } catch (IamAuthException e) {
            System.out.println("ERR");
            System.out.println(e.code());
            System.out.println(e.getMessage());
        }
        try {
            chain.get();
            System.out.println("get() after close() did not throw");
        } catch (IllegalStateException e) {
            System.out.println("CLOSED");
        }
    }
}
