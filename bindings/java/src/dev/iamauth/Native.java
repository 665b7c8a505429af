package dev.iamauth;

/**
 * The JNI entry points (native/iamauth_jni.c); strings cross as UTF-8 byte[]. Package-private.
 * Every caller runs {@link #check()} first, so a missing library gives the same clear error on every
 * call instead of one {@link UnsatisfiedLinkError} and then {@code NoClassDefFoundError}s.
 */
final class Native {
    /** Why the library could not be loaded (the message of every later error), or null once it is. */
    private static final String LOAD_FAILURE;
    /** The loader's own error, the cause of every later one. */
    private static final UnsatisfiedLinkError LOAD_ERROR;

    static {
        // -Ddev.iamauth.library=/abs/path/libiamauth_jni.so overrides the java.library.path lookup.
        String path = System.getProperty("dev.iamauth.library");
        String file = System.mapLibraryName("iamauth_jni");
        String failure = null;
        UnsatisfiedLinkError error = null;
        try {
            if (path != null && !path.isEmpty()) {
                System.load(path);
            } else {
                System.loadLibrary("iamauth_jni");
            }
        } catch (UnsatisfiedLinkError e) {
            // Caught, or the class would fail to initialise and every later call would throw
            // "NoClassDefFoundError: Could not initialize class dev.iamauth.Native", hiding why.
            error = e;
            String looked = path != null && !path.isEmpty()
                    ? "the file given by -Ddev.iamauth.library=" + path
                    : file + " in java.library.path=" + System.getProperty("java.library.path", "");
            failure = "iamauth: cannot load its JNI library: looked for " + looked + " (" + e.getMessage()
                    + "). Start java with -Djava.library.path=DIR, DIR being the directory that holds " + file
                    + " (bindings/java/build.sh writes it beside iamauth.jar), or with"
                    + " -Ddev.iamauth.library=/abs/path/" + file + ".";
        }
        LOAD_FAILURE = failure;
        LOAD_ERROR = error;
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

    static native byte[] rdsToken(byte[] host, long port, byte[] user, byte[] region, long expiresIn,
            long time, byte[] accessKeyId, byte[] secretAccessKey, byte[] sessionToken);

    static native byte[] dsqlToken(byte[] host, byte[] region, boolean admin, long expiresIn, long time,
            byte[] accessKeyId, byte[] secretAccessKey, byte[] sessionToken);

    static native byte[] elasticacheToken(byte[] name, byte[] user, byte[] region, boolean serverless,
            byte[] service, long expiresIn, long time, byte[] accessKeyId, byte[] secretAccessKey,
            byte[] sessionToken);

    static native boolean dsqlAction(byte[] action);

    static native byte[][] inspect(byte[] token, long now, long[] nums);

    static native byte[][] verify(byte[] token, byte[] keysJson, byte[] host, long port, byte[] user,
            byte[] region, byte[] service, boolean hasSkew, long skew, long now, long[] nums);

    static native long refreshAt(long signedAt, long expiresIn, long credentialsExpiration);

    static native byte[] version();
}
