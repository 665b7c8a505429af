package dev.iamauth;

/** The JNI entry points (native/iamauth_jni.c); strings cross as UTF-8 byte[]. Package-private. */
final class Native {
    static {
        // -Ddev.iamauth.library=/abs/path/libiamauth_jni.so overrides the java.library.path lookup.
        String path = System.getProperty("dev.iamauth.library");
        if (path != null && !path.isEmpty()) {
            System.load(path);
        } else {
            System.loadLibrary("iamauth_jni");
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
