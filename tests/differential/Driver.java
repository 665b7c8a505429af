import dev.iamauth.Credentials;
import dev.iamauth.IamAuth;
import dev.iamauth.IamAuthException;
import dev.iamauth.StsEndpoint;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * The differential's Java surface: reads the cases (tab-separated, see cases.py) from the file
 * named by args[0], makes each token and compares it with botocore's: `DIFF id token` for the
 * first ten that differ (the reference is awscli's for eks, the MSK signer's for msk), then one count
 * line; exit status 1 on any. One JVM for the whole file,
 * streamed (users hold no CR or LF, the only line ends BufferedReader knows besides CRLF).
 */
public final class Driver {
    public static void main(String[] args) throws Exception {
        long cases = 0;
        long equal = 0;
        BufferedReader in = Files.newBufferedReader(Paths.get(args[0]), StandardCharsets.UTF_8);
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] f = line.split("\t", -1);
            Credentials creds = new Credentials(f[11], f[12], f[13].isEmpty() ? null : f[13]);
            long time = Long.parseLong(f[9]);
            long expiresIn = Long.parseLong(f[10]);
            String token;
            try {
                if (f[1].equals("rds")) {
                    token = IamAuth.rdsToken(f[2], Long.parseLong(f[3]), f[4], f[5], creds, expiresIn, time);
                } else if (f[1].equals("eks")) {
                    // host: the cluster name; action: the STS endpoint (expires_in is awscli's fixed 60)
                    token = IamAuth.eksToken(f[2], f[5], creds, StsEndpoint.parse(f[6]), time).token();
                } else if (f[1].equals("msk")) {
                    // user: the User-Agent; the host is the region's
                    token = IamAuth.mskToken(f[5], creds, expiresIn, f[4], time).token();
                } else if (f[1].equals("dsql")) {
                    token = IamAuth.dsqlToken(f[2], f[5], creds, f[6].equals("DbConnectAdmin"), expiresIn, time);
                } else {
                    token = IamAuth.elasticacheToken(f[2], f[4], f[5], creds, f[8].equals("1"), f[7], expiresIn, time);
                }
            } catch (IamAuthException e) {
                token = "ERROR " + e.code();
            }
            cases++;
            if (token.equals(f[15])) {
                equal++;
            } else if (cases - equal <= 10) {
                System.out.println("DIFF " + f[0] + "\t" + token);
            }
        }
        System.out.println("java: " + cases + " tokens, " + equal + " equal to botocore's");
        System.exit(cases == equal ? 0 : 1);
    }
}
