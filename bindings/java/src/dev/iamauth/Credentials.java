package dev.iamauth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * AWS credentials: access key id, secret access key and, for temporary credentials, a session
 * token. Immutable; {@link #toString()} never shows the secret or the session token. The values
 * are not checked here: the library checks them when a token is made ({@code INVALID_CREDENTIALS}).
 */
public final class Credentials {
    private final String accessKeyId;
    private final String secretAccessKey;
    private final String sessionToken;
    private final Instant expiration;
    /**
     * The UTF-8 of the access key id, the secret and the session token, made at the first signing
     * and kept (every token call encoded the same strings again); volatile, so a thread that sees
     * it sees it filled. The native side only reads it.
     */
    private volatile Utf8 utf8;

    /**
     * The access key id, the secret and the session token as UTF-8, one after another in one
     * array (one JNI copy instead of three); {@code sessionTokenLength} is -1 when there is none.
     */
    static final class Utf8 {
        final byte[] bytes;
        final int accessKeyIdLength;
        final int secretAccessKeyLength;
        final int sessionTokenLength;

        private Utf8(byte[] akid, byte[] secret, byte[] session) {
            int n = akid.length + secret.length + (session == null ? 0 : session.length);
            bytes = new byte[n];
            System.arraycopy(akid, 0, bytes, 0, akid.length);
            System.arraycopy(secret, 0, bytes, akid.length, secret.length);
            if (session != null) System.arraycopy(session, 0, bytes, akid.length + secret.length, session.length);
            accessKeyIdLength = akid.length;
            secretAccessKeyLength = secret.length;
            sessionTokenLength = session == null ? -1 : session.length;
        }
    }

    /**
     * Long-term credentials (no session token).
     *
     * @param accessKeyId the access key id, e.g. {@code AKIDEXAMPLE}
     * @param secretAccessKey the secret access key
     */
    public Credentials(String accessKeyId, String secretAccessKey) {
        this(accessKeyId, secretAccessKey, null);
    }

    /**
     * Credentials with an optional session token.
     *
     * @param accessKeyId the access key id
     * @param secretAccessKey the secret access key
     * @param sessionToken the session token of temporary credentials, or null for none (an empty
     *     string is passed on as given, and rejected by the library)
     * @throws NullPointerException if the key id or the secret is null
     */
    public Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        this(accessKeyId, secretAccessKey, sessionToken, null);
    }

    /**
     * Temporary credentials that stop working at {@code expiration}: a token signed with them is
     * refused from then on, so {@link RdsTokenSupplier} never hands one out past it.
     *
     * @param accessKeyId the access key id
     * @param secretAccessKey the secret access key
     * @param sessionToken the session token, or null for none
     * @param expiration when they expire, or null if they do not
     * @throws NullPointerException if the key id or the secret is null
     */
    public Credentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
        this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
        this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        this.sessionToken = sessionToken;
        this.expiration = expiration;
    }

    /**
     * Reads {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}
     * from the process environment, through the library's one reader (the same rule and message as
     * the CLI and Python): a variable that is unset or empty is absent; both keys are required; the
     * three must pass the credential rules. With a profile in ~/.aws or an instance role, export
     * them before starting java ({@code eval "$(aws configure export-credentials --format env)"}),
     * or pass {@code new Credentials(...)} from your SDK's credentials provider.
     *
     * @return the credentials (no expiration)
     * @throws IamAuthException {@code INVALID_CREDENTIALS} if the key id or the secret is unset or
     *     empty, or a value breaks its rule; the message names the variables, never a value
     */
    public static Credentials fromEnvironment() {
        Native.check();
        byte[][] v = Native.envCredentials();
        return new Credentials(utf8(v[0]), utf8(v[1]), v[2] == null ? null : utf8(v[2]));
    }

    /**
     * The standard AWS credential chain (environment, profile, web identity, container endpoint,
     * IMDSv2), run by the library, with a cache; the profile is {@code AWS_PROFILE}, else
     * {@code default}. Nothing is read until the first {@link DefaultCredentialsChain#get() get()}.
     * Close it when done (or let the garbage collector free it).
     * {@code RdsTokenSupplier.builder(host, port, user, region).credentials(Credentials.defaultChain())}
     * signs with what it finds and never hands out a token past the credentials' expiration.
     *
     * @return the chain, a {@code Supplier<Credentials>}
     */
    public static DefaultCredentialsChain defaultChain() {
        return new DefaultCredentialsChain(null);
    }

    /**
     * The standard AWS credential chain for a named profile, as the AWS CLI's {@code --profile}:
     * it wins over {@code AWS_PROFILE}, and the environment's keys are then not read.
     *
     * @param profile the profile name
     * @return the chain, a {@code Supplier<Credentials>}
     * @throws NullPointerException if {@code profile} is null (use {@link #defaultChain()})
     * @throws IamAuthException {@code INVALID_CREDENTIALS} for an empty name
     */
    public static DefaultCredentialsChain defaultChain(String profile) {
        return new DefaultCredentialsChain(Objects.requireNonNull(profile, "profile"));
    }

    /**
     * {@link Utf8} of these credentials, each part checked as {@link IamAuth#utf8} checks it
     * ({@code INVALID_UTF8} for an unpaired surrogate, thrown at each call, never cached). Not to
     * be modified.
     */
    Utf8 utf8() {
        Utf8 u = utf8;
        if (u == null) {
            u = new Utf8(IamAuth.utf8(accessKeyId, "accessKeyId"), IamAuth.utf8(secretAccessKey, "secretAccessKey"),
                    IamAuth.optional(sessionToken, "sessionToken"));
            utf8 = u;
        }
        return u;
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** @return the access key id */
    public String accessKeyId() {
        return accessKeyId;
    }

    /** @return the secret access key */
    public String secretAccessKey() {
        return secretAccessKey;
    }

    /** @return the session token, or null for long-term credentials */
    public String sessionToken() {
        return sessionToken;
    }

    /** @return when the credentials expire, or null if they do not (or it is not known) */
    public Instant expiration() {
        return expiration;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Credentials)) return false;
        Credentials c = (Credentials) o;
        return accessKeyId.equals(c.accessKeyId) && secretAccessKey.equals(c.secretAccessKey)
                && Objects.equals(sessionToken, c.sessionToken) && Objects.equals(expiration, c.expiration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(accessKeyId, secretAccessKey, sessionToken, expiration);
    }

    /** Shows the access key id only; the secret and the session token are redacted. */
    @Override
    public String toString() {
        return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=<redacted>, sessionToken="
                + (sessionToken == null ? "<none>" : "<redacted>")
                + (expiration == null ? "" : ", expiration=" + expiration) + "]";
    }
}
