package dev.iamauth;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The standard AWS credential chain, as the AWS CLI runs it, in the library (no AWS SDK): the
 * environment's keys ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY},
 * {@code AWS_SESSION_TOKEN}, {@code AWS_CREDENTIAL_EXPIRATION}), the profile ({@code AWS_PROFILE},
 * {@code AWS_CONFIG_FILE}, {@code AWS_SHARED_CREDENTIALS_FILE}: keys, {@code credential_process}, SSO,
 * assumed roles, web identity), web identity ({@code AWS_WEB_IDENTITY_TOKEN_FILE}), the container
 * endpoint (ECS, EKS Pod Identity) and EC2 instance metadata (IMDSv2). Made by
 * {@link Credentials#defaultChain()}; pass it to
 * {@link RdsTokenSupplier.Builder#credentials(Supplier)}.
 *
 * <p>What the chain finds is kept until 15 minutes before it expires; threads asking at the same
 * moment share one fetch. The settings are the process environment's, read at each fetch (Java
 * cannot change its own environment: set them before starting java). Thread-safe.
 *
 * <p>Holds a native handle: {@link #close()} frees it (a {@link Cleaner} does if you never do).
 */
public final class DefaultCredentialsChain implements Supplier<Credentials>, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    /** The handle and its lock; what the Cleaner runs, so it must not refer to the chain. */
    private static final class Handle implements Runnable {
        /** Readers use the handle; the writer frees it: never freed while in use. */
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private long handle; // guarded by lock; 0 once freed

        Handle(long handle) {
            this.handle = handle;
        }

        /** The live handle, under the read lock; throws once closed. */
        long live() {
            if (handle == 0) throw new IllegalStateException("iamauth: the credential chain is closed");
            return handle;
        }

        @Override
        public void run() {
            lock.writeLock().lock();
            try {
                Native.providerFree(handle);
                handle = 0;
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    private final Handle handle;
    private final Cleaner.Cleanable cleanable;

    /** @param profile the profile, or null for {@code AWS_PROFILE} (else {@code default}) */
    DefaultCredentialsChain(String profile) {
        Native.check();
        handle = new Handle(Native.providerNew(profile == null ? null : profile.getBytes(StandardCharsets.UTF_8)));
        cleanable = CLEANER.register(this, handle);
    }

    /**
     * The credentials: the cached ones, or those the chain finds now (which may take seconds: files,
     * a {@code credential_process}, STS, SSO, the container endpoint or IMDS).
     *
     * @return the credentials, with their {@link Credentials#expiration() expiration} (null for
     *     long-term keys)
     * @throws IamAuthException {@code INVALID_CREDENTIALS} when no source has credentials (the message
     *     lists each source and why it was skipped), a configured source fails, or its credentials
     *     have already expired; never a secret in the message
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public Credentials get() {
        long[] expiration = new long[1];
        byte[][] v;
        handle.lock.readLock().lock();
        try {
            v = Native.providerResolve(handle.live(), expiration);
        } finally {
            handle.lock.readLock().unlock();
            Reference.reachabilityFence(this);
        }
        return new Credentials(utf8(v[0]), utf8(v[1]), v[2] == null ? null : utf8(v[2]),
                expiration[0] == IamAuth.NO_EXPIRATION ? null : Instant.ofEpochSecond(expiration[0]));
    }

    /**
     * @return which source answered last ({@code environment}, {@code container endpoint},
     *     {@code IMDS}, a profile, ...), or "" before the first {@link #get()}
     * @throws IllegalStateException after {@link #close()}
     */
    public String source() {
        handle.lock.readLock().lock();
        try {
            return utf8(Native.providerSource(handle.live()));
        } finally {
            handle.lock.readLock().unlock();
            Reference.reachabilityFence(this);
        }
    }

    /** Frees the native handle (and the library's copy of the secret); later calls throw. Idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DefaultCredentialsChain";
    }
}
