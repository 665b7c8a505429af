package dev.iamauth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * Finds and loads libiamauth_jni.so for {@link Native}, in this order (the first that applies wins):
 * <ol>
 * <li>{@code -Ddev.iamauth.library=/abs/path/libiamauth_jni.so}: that file, nothing else;
 * <li>{@code -Diamauth.library.path=DIR}: DIR/libiamauth_jni.so, nothing else;
 * <li>the library bundled in the jar for this OS and architecture
 * ({@code /dev/iamauth/native/linux-x86_64/libiamauth_jni.so}, listed with the jar's version in
 * {@code /dev/iamauth/native/index.properties}), extracted once per version and content hash into
 * {@code ${java.io.tmpdir}/iamauth-USER/VERSION-SHA256PREFIX/} (mode 0700), then {@code System.load};
 * <li>{@code System.loadLibrary("iamauth_jni")}, i.e. java.library.path.
 * </ol>
 * The bundled library comes before java.library.path so that the jar always runs the native code
 * it was built with, not an older copy lying in a system directory. Package-private.
 */
final class NativeLoader {
    /** libiamauth_jni.so on Linux. */
    static final String FILE = System.mapLibraryName("iamauth_jni");

    private static final String BUNDLE = "/dev/iamauth/native/";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private NativeLoader() {}

    /**
     * Loads the library, or returns the error every call should throw: its message says what was
     * looked for and how to fix it, its cause is the loader's own error.
     */
    static UnsatisfiedLinkError load() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        String platform = platform(os, arch);
        Properties index = index();
        List<String> bundled = new ArrayList<>();
        for (String p : index.getProperty("platforms", "").split(",")) {
            if (!p.trim().isEmpty()) bundled.add(p.trim());
        }
        String file = property("dev.iamauth.library");
        String dir = property("iamauth.library.path");
        String looked;
        UnsatisfiedLinkError error;
        if (file != null) {
            looked = "the file given by -Ddev.iamauth.library=" + file;
            error = loadFile(file);
        } else if (dir != null) {
            looked = FILE + " in -Diamauth.library.path=" + dir;
            error = loadFile(Paths.get(dir, FILE).toAbsolutePath().toString());
        } else {
            String bundle = BUNDLE + platform + "/" + FILE;
            Throwable bundleError = null;
            if (NativeLoader.class.getResource(bundle) != null) {
                try {
                    System.load(extract(bundle, index.getProperty("version", "dev")).toString());
                    return null;
                } catch (IOException | UnsatisfiedLinkError | RuntimeException e) {
                    // Say why, then still try java.library.path (a noexec java.io.tmpdir, say).
                    bundleError = e;
                }
            }
            try {
                System.loadLibrary("iamauth_jni");
                return null;
            } catch (UnsatisfiedLinkError e) {
                error = e;
            }
            looked = (bundleError == null
                    ? "a bundled library for " + platform + " (this jar has none for it)"
                    : "the bundled " + platform + " library, which failed (" + bundleError
                            + "; if java.io.tmpdir is mounted noexec, start java with -Djava.io.tmpdir=DIR)")
                    + ", then " + FILE + " in java.library.path=" + System.getProperty("java.library.path", "");
            if (bundleError != null) error.addSuppressed(bundleError);
        }
        if (error == null) return null;
        // Caught, or Native would fail to initialise and every later call would throw
        // "NoClassDefFoundError: Could not initialize class dev.iamauth.Native", hiding why.
        UnsatisfiedLinkError failure = new UnsatisfiedLinkError("iamauth: cannot load its JNI library on os.name="
                + os + ", os.arch=" + arch + " (bundled in this jar: "
                + (bundled.isEmpty() ? "none" : String.join(", ", bundled)) + "): looked for " + looked + " ("
                + error.getMessage() + "). The release jar iamauth-VERSION.jar bundles it for Linux x86_64 and"
                + " aarch64 (glibc 2.17 or later); elsewhere, start java with -Diamauth.library.path=DIR (or"
                + " -Djava.library.path=DIR), DIR being the directory that holds " + FILE
                + " (bindings/java/build.sh writes it beside iamauth.jar), or with -Ddev.iamauth.library=/abs/path/"
                + FILE + ".");
        failure.initCause(error);
        return failure;
    }

    private static UnsatisfiedLinkError loadFile(String path) {
        try {
            System.load(path);
            return null;
        } catch (UnsatisfiedLinkError e) {
            return e;
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** The bundle directory for an os.name and os.arch: linux-x86_64, linux-aarch64, ... */
    static String platform(String os, String arch) {
        String o = os.toLowerCase(Locale.ROOT);
        if (o.startsWith("linux")) {
            o = "linux";
        } else if (o.startsWith("mac") || o.startsWith("darwin")) {
            o = "macos";
        } else if (o.startsWith("windows")) {
            o = "windows";
        }
        String a = arch.toLowerCase(Locale.ROOT);
        if (a.equals("amd64") || a.equals("x86-64") || a.equals("x64")) {
            a = "x86_64";
        } else if (a.equals("arm64")) {
            a = "aarch64";
        }
        return (o + "-" + a).replaceAll("[^a-z0-9_.-]", "");
    }

    /**
     * What dist.sh wrote beside the bundled libraries: {@code version} (the jar's, from Cargo) and
     * {@code platforms} (comma-separated). Empty in a build-tree jar, which bundles none. (Not the
     * manifest's Implementation-Version: a class of the same package elsewhere on the classpath,
     * loaded first, defines the package without it.)
     */
    private static Properties index() {
        Properties index = new Properties();
        try (InputStream in = NativeLoader.class.getResourceAsStream(BUNDLE + "index.properties")) {
            if (in != null) index.load(in);
        } catch (IOException e) {
            // an unreadable index is an empty one
        }
        return index;
    }

    /**
     * Writes the bundled library into a private directory named after this jar's version and the
     * library's SHA-256, once: an existing file is used only when its hash matches (sqlite-jdbc and
     * zstd-jni do the same), otherwise it is written to a temp file in that directory and renamed
     * over the target atomically, so concurrent JVMs each see a whole file.
     */
    private static Path extract(String resource, String version) throws IOException {
        byte[] bytes;
        try (InputStream in = NativeLoader.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("no " + resource + " in the jar");
            bytes = in.readAllBytes();
        }
        String hash = sha256(bytes);
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path base = Paths.get(System.getProperty("java.io.tmpdir")).toAbsolutePath().resolve("iamauth-" + user);
        Path dir = base.resolve(version.replaceAll("[^A-Za-z0-9._+-]", "_") + "-" + hash.substring(0, 16));
        privateDirectory(base);
        privateDirectory(dir);
        Path lib = dir.resolve(FILE);
        if (Files.isRegularFile(lib, LinkOption.NOFOLLOW_LINKS) && hash.equals(sha256(Files.readAllBytes(lib)))) {
            return lib;
        }
        Path tmp = Files.createTempFile(dir, FILE + ".", ".tmp"); // 0600, a name no other JVM uses
        try {
            Files.write(tmp, bytes);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-x------"));
            Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return lib;
    }

    /**
     * Creates {@code dir} with mode 0700, or accepts an existing one only if it is a real directory
     * (not a link), mode 0700 and ours: java.io.tmpdir is shared, and a library another user could
     * write would run as us.
     */
    private static void privateDirectory(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            // checked below, like a new one
        }
        PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isDirectory()) throw new IOException(dir + " is not a directory");
        if (!attrs.permissions().equals(OWNER_ONLY)) {
            throw new IOException(dir + " has mode " + PosixFilePermissions.toString(attrs.permissions())
                    + ", not rwx------");
        }
        Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object me;
        try {
            me = Files.getAttribute(Paths.get("/proc/self"), "unix:uid"); // this process's user
        } catch (IOException | UnsupportedOperationException e) {
            me = owner; // no /proc: mode 0700 is the check left
        }
        if (!owner.equals(me)) throw new IOException(dir + " belongs to uid " + owner + ", not to uid " + me);
    }

    private static String sha256(byte[] bytes) {
        try {
            StringBuilder hex = new StringBuilder();
            for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e); // every JVM has it
        }
    }
}
