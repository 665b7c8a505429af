import dev.iamauth.Credentials;
import dev.iamauth.IamAuth;

/**
 * `java RdsToken N`: one warm-up IamAuth.rdsToken, then N measured calls, for callgrind
 * (benches/counts/check.py). Only the JNI entry is counted (`--toggle-collect` on
 * Java_dev_iamauth_Native_rdsToken: argument copies, the core, the returned String), since the
 * JVM's own instructions (interpreter, JIT) are neither deterministic nor this binding's.
 * Inputs: the rds-demo vector's.
 */
public final class RdsToken {
    static final String SIGNATURE = "6162e47cc792ab818ec4732757b05fbe36dadabd428441ab694b2509461768db";

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        Credentials creds = new Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        String host = "mydb.123456789012.us-east-1.rds.amazonaws.com";
        String token = IamAuth.rdsToken(host, 5432, "iam_user", "us-east-1", creds, 900, 1704164645L);
        if (!token.endsWith(SIGNATURE)) {
            throw new IllegalStateException("RdsToken.java: token differs from the rds-demo vector");
        }
        long sink = 0;
        for (int i = 0; i < n; i++) {
            sink += IamAuth.rdsToken(host, 5432, "iam_user", "us-east-1", creds, 900, 1704164645L).length();
        }
        if (sink != (long) n * token.length()) {
            throw new IllegalStateException("RdsToken.java: a token changed length");
        }
    }
}
