package dev.iamauth;

/**
 * The JNI entry points (native/iamauth_jni.c); strings cross as UTF-8 byte[] (a token comes back as a
 * String: it is ASCII, which JNI's NewStringUTF reads exactly). Package-private.
 * Every caller runs {@link #check()} first, so a missing library gives the same clear error on every
 * call instead of one {@link UnsatisfiedLinkError} and then {@code NoClassDefFoundError}s.
 */
final class Native {
    /** Why the library could not be loaded (the message of every later error), or null once it is. */
    private static final String LOAD_FAILURE;
    /** The loader's own error, the cause of every later one. */
    private static final UnsatisfiedLinkError LOAD_ERROR;

    /** The core's default token lifetime, seconds; -1 while the library is not loaded. */
    static final long DEFAULT_EXPIRY;
    /** The core's default clock skew of verify, seconds; -1 while the library is not loaded. */
    static final long DEFAULT_SKEW;
    /** The core's default service of verify; null while the library is not loaded. */
    static final String DEFAULT_SERVICE;

    static {
        // NativeLoader says the order: -Ddev.iamauth.library, -Diamauth.library.path, the library
        // bundled in the jar, java.library.path.
        UnsatisfiedLinkError failure = NativeLoader.load();
        LOAD_FAILURE = failure == null ? null : failure.getMessage();
        LOAD_ERROR = failure == null ? null : (UnsatisfiedLinkError) failure.getCause();
        // Read once from the core, never restated here. Without the library every method throws
        // the load error before any of these is used.
        DEFAULT_EXPIRY = failure == null ? defaultExpiry() : -1;
        DEFAULT_SKEW = failure == null ? defaultSkew() : -1;
        DEFAULT_SERVICE = failure == null
                ? new String(defaultService(), java.nio.charset.StandardCharsets.UTF_8) : null;
    }

    /**
     * Throws, on every call while the library is not loaded, a new {@link UnsatisfiedLinkError}
     * saying what was looked for and how to fix it, with the loader's error as its cause.
     */
    static void check() {
        if (LOAD_FAILURE != null) {
            UnsatisfiedLinkError e = new UnsatisfiedLinkError(LOAD_FAILURE);
            e.initCause(LOAD_ERROR);
            throw e;
        }
    }

    private Native() {}

    /*
     * The token functions take the credentials as Credentials.Utf8 gives them: the access key id,
     * the secret and the session token one after another in `credentials`, with their lengths
     * (sessionTokenLength -1: none).
     */

    static native String rdsToken(byte[] host, long port, byte[] user, byte[] region, long expiresIn,
            long time, byte[] credentials, int accessKeyIdLength, int secretAccessKeyLength,
            int sessionTokenLength);

    static native String dsqlToken(byte[] host, byte[] region, boolean admin, long expiresIn, long time,
            byte[] credentials, int accessKeyIdLength, int secretAccessKeyLength, int sessionTokenLength);

    static native String elasticacheToken(byte[] name, byte[] user, byte[] region, boolean serverless,
            byte[] service, long expiresIn, long time, byte[] credentials, int accessKeyIdLength,
            int secretAccessKeyLength, int sessionTokenLength);

    /** expiry[0] gets the ExecCredential expiration, unix seconds. */
    static native String eksToken(byte[] cluster, byte[] region, int stsEndpoint, long time,
            byte[] credentials, int accessKeyIdLength, int secretAccessKeyLength, int sessionTokenLength,
            long[] expiry);

    /** expiry[0] gets the token's expiry, unix milliseconds; userAgent null: the library's own. */
    static native String mskToken(byte[] region, long expiresIn, byte[] userAgent, long time,
            byte[] credentials, int accessKeyIdLength, int secretAccessKeyLength, int sessionTokenLength,
            long[] expiry);

    /** IAMAUTH_STS_REGIONAL (0) or IAMAUTH_STS_GLOBAL (1) for a name, or INVALID_REQUEST. */
    static native int stsEndpoint(byte[] name);

    static native boolean dsqlAction(byte[] action);

    static native byte[][] inspect(byte[] token, long now, long[] nums);

    static native byte[][] verify(byte[] token, byte[] keysJson, byte[] host, long port, byte[] user,
            byte[] action, byte[] region, byte[] service, boolean hasSkew, long skew, byte[] cluster, long now,
            long[] nums);

    static native long refreshAt(long signedAt, long expiresIn, long credentialsExpiration);

    static native long reuseUntil(long signedAt, long expiresIn, long credentialsExpiration);

    static native boolean mayReuse(long now, long signedAt, long reuseUntil);

    /** {access key id, secret, session token or null}, read from the environment by the core. */
    static native byte[][] envCredentials();

    /** A new credential chain handle (profile null: AWS_PROFILE or default); never 0. */
    static native long providerNew(byte[] profile);

    /** Frees a handle from {@link #providerNew}; 0 is a no-op. */
    static native void providerFree(long handle);

    /**
     * {access key id, secret, session token or null} from the chain (cached); expiration[0] gets
     * unix seconds or {@link IamAuth#NO_EXPIRATION}.
     */
    static native byte[][] providerResolve(long handle, long[] expiration);

    /** The source that answered last, "" before the first resolve. */
    static native byte[] providerSource(long handle);

    static native long defaultExpiry();

    static native long defaultSkew();

    static native byte[] defaultService();

    static native byte[] version();
}
