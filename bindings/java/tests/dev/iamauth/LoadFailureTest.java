package dev.iamauth;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Run in a JVM that cannot load libiamauth_jni.so (test.sh: a build-tree jar without bundled
 * libraries and no -Djava.library.path, or -Ddev.iamauth.library / -Diamauth.library.path naming
 * nothing; tests/dist/test-java.sh: the release jar with an os.arch it bundles nothing for): every
 * public entry point, called twice, must throw the same UnsatisfiedLinkError that names os.name,
 * os.arch, the platforms the jar bundles (-Diamauth.test.bundled, "none" when unset), what was
 * looked for and how to fix it, with the loader's error as its cause (not NoClassDefFoundError
 * from the second call on). Prints the message, then "N passed, N failed" as its last line.
 */
public final class LoadFailureTest {
    public static void main(String[] args) {
        Credentials creds = new Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        String host = "mydb.123456789012.us-east-1.rds.amazonaws.com";
        List<String> names = new ArrayList<>();
        List<Supplier<Object>> calls = new ArrayList<>();
        names.add("rdsToken");
        calls.add(() -> IamAuth.rdsToken(host, 5432, "iam_user", "us-east-1", creds));
        names.add("version");
        calls.add(IamAuth::version);
        names.add("dsqlToken");
        calls.add(() -> IamAuth.dsqlToken("abc.dsql.us-east-1.on.aws", "us-east-1", creds, true));
        names.add("dsqlAdmin");
        calls.add(() -> IamAuth.dsqlAdmin("DbConnect"));
        names.add("elasticacheToken");
        calls.add(() -> IamAuth.elasticacheToken("cache", "user", "us-east-1", creds, false, null));
        names.add("eksToken");
        calls.add(() -> IamAuth.eksToken("my-cluster", "us-east-1", creds));
        names.add("StsEndpoint.parse");
        calls.add(() -> StsEndpoint.parse("global"));
        names.add("mskToken");
        calls.add(() -> IamAuth.mskToken("us-east-1", creds));
        names.add("MskTokenSupplier.get");
        calls.add(() -> MskTokenSupplier.builder("us-east-1").credentials(creds).build().get());
        names.add("inspect");
        calls.add(() -> IamAuth.inspect("x"));
        names.add("verify");
        calls.add(() -> IamAuth.verify("x", "{}", Expectations.any()));
        names.add("refreshAt");
        calls.add(() -> IamAuth.refreshAt(0, 900));
        names.add("reuseUntil");
        calls.add(() -> IamAuth.reuseUntil(0, 900, IamAuth.NO_EXPIRATION));
        names.add("mayReuse");
        calls.add(() -> IamAuth.mayReuse(0, 0, 900));
        names.add("Credentials.fromEnvironment");
        calls.add(Credentials::fromEnvironment);
        names.add("Credentials.defaultChain");
        calls.add(Credentials::defaultChain);
        names.add("Credentials.defaultChain(profile)");
        calls.add(() -> Credentials.defaultChain("dev"));
        names.add("RdsTokenSupplier.get");
        calls.add(() -> RdsTokenSupplier.builder(host, 5432, "iam_user", "us-east-1").credentials(() -> creds)
                .build().get());

        String library = System.getProperty("dev.iamauth.library");
        String dir = System.getProperty("iamauth.library.path");
        String looked = library != null ? "-Ddev.iamauth.library=" + library
                : dir != null ? "-Diamauth.library.path=" + dir
                : "java.library.path=" + System.getProperty("java.library.path");
        String platform = "os.name=" + System.getProperty("os.name") + ", os.arch=" + System.getProperty("os.arch")
                + " (bundled in this jar: " + System.getProperty("iamauth.test.bundled", "none") + ")";
        String first = null;
        int passed = 0;
        int failed = 0;
        for (int round = 1; round <= 2; round++) {
            for (int i = 0; i < calls.size(); i++) {
                String what = names.get(i) + " (call " + round + ")";
                try {
                    calls.get(i).get();
                    throw new AssertionError("no error");
                } catch (UnsatisfiedLinkError e) {
                    String m = e.getMessage();
                    if (first == null) {
                        first = m;
                        System.out.println(m);
                    }
                    List<String> wrong = new ArrayList<>();
                    if (!m.equals(first)) wrong.add("a different message");
                    for (String part : new String[] {"libiamauth_jni.so", "-Diamauth.library.path=DIR",
                            "-Djava.library.path=DIR", "-Ddev.iamauth.library=/abs/path/libiamauth_jni.so",
                            platform, looked}) {
                        if (!m.contains(part)) wrong.add("no '" + part + "'");
                    }
                    if (!(e.getCause() instanceof UnsatisfiedLinkError)) wrong.add("cause " + e.getCause());
                    if (wrong.isEmpty()) {
                        passed++;
                    } else {
                        failed++;
                        System.out.println("FAIL " + what + ": " + wrong + ": " + m);
                    }
                } catch (Throwable t) {
                    failed++;
                    System.out.println("FAIL " + what + ": " + t);
                }
            }
        }
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
