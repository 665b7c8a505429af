package dev.iamauth;

/**
 * Run by IamAuthTest in a child JVM whose environment the test controls: calls
 * {@link Credentials#fromEnvironment()} and prints, on success, "OK", the access key id, the
 * session token (or "<none>") and the rds-demo token signed with the credentials (so the secret is
 * checked without printing it); on failure "ERR", the code and the message.
 */
public final class EnvProbe {
    private EnvProbe() {}

    public static void main(String[] args) {
        try {
            Credentials c = Credentials.fromEnvironment();
            System.out.println("OK");
            System.out.println(c.accessKeyId());
            System.out.println(c.sessionToken() == null ? "<none>" : c.sessionToken());
            System.out.println(IamAuth.rdsToken(IamAuthTest.DEMO_HOST, 5432, "iam_user", "us-east-1", c, 900,
                    IamAuthTest.DEMO_TIME));
        } catch (IamAuthException e) {
            System.out.println("ERR");
            System.out.println(e.code());
            System.out.println(e.getMessage());
        }
    }
}
