import dev.iamauth.Credentials;
import dev.iamauth.IamAuth;
import java.util.Arrays;

/**
 * Per-call cost of a warm IamAuth.rdsToken for the core benchmark's inputs (the rds-demo vector):
 * JIT warm-up, then repeated batches; prints the median (and min / max) nanoseconds per token.
 * Usage: java -Djava.library.path=DIR -cp iamauth.jar:. Bench [batches] [calls per batch]
 */
public final class Bench {
    static final String EXPECTED = "mydb.123456789012.us-east-1.rds.amazonaws.com:5432/?Action=connect&DBUser=iam_user"
            + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Frds-db"
            + "%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=6162e47cc792ab818ec4732757b05fbe36dadabd428441ab694b2509461768db";

    public static void main(String[] args) {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 31;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        String host = "mydb.123456789012.us-east-1.rds.amazonaws.com";
        Credentials creds = new Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        if (!EXPECTED.equals(IamAuth.rdsToken(host, 5432, "iam_user", "us-east-1", creds, 900, 1704164645L))) {
            System.err.println("bench: wrong token");
            System.exit(1);
        }
        long sink = 0;
        // JIT warm-up: enough calls for C2 to compile the Java side of the call path
        for (int i = 0; i < 100_000; i++) {
            sink += IamAuth.rdsToken(host, 5432, "iam_user", "us-east-1", creds, 900, 1704164645L).length();
        }
        double[] ns = new double[batches];
        for (int b = 0; b < batches; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                sink += IamAuth.rdsToken(host, 5432, "iam_user", "us-east-1", creds, 900, 1704164645L).length();
            }
            ns[b] = (System.nanoTime() - t0) / (double) calls;
        }
        double[] sorted = ns.clone();
        Arrays.sort(sorted);
        System.out.printf("java rdsToken: median %.0f ns/token (min %.0f, max %.0f; %d batches x %d calls; sink %d)%n",
                sorted[batches / 2], sorted[0], sorted[batches - 1], batches, calls, sink % 10);
    }
}
