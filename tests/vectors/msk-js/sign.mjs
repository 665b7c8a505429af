// Signs MSK cases with aws-msk-iam-sasl-signer-js (pinned in package-lock.json), each with the
// clock frozen at its time. For tests/vectors/generate.py: reads a JSON array of cases
// {id, region, access_key_id, secret_access_key, session_token, time (unix seconds)} on stdin,
// prints a JSON array of {id, token, expiry_ms, url (the token decoded)} on stdout.
import signer from 'aws-msk-iam-sasl-signer-js';

const RealDate = globalThis.Date;
let frozenMs = 0;

// Date with the clock stopped at frozenMs: `new Date()` and `Date.now()` see the frozen instant
// (the signer's Date.now() for the TTL, @smithy/signature-v4's `new Date()` for X-Amz-Date);
// every other use of Date behaves as usual.
class FrozenDate extends RealDate {
  constructor(...args) {
    super(...(args.length === 0 ? [frozenMs] : args));
  }
  static now() {
    return frozenMs;
  }
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const out = [];
globalThis.Date = FrozenDate;
try {
  for (const c of cases) {
    frozenMs = c.time * 1000;
    const credentials = { accessKeyId: c.access_key_id, secretAccessKey: c.secret_access_key };
    if (c.session_token !== null) credentials.sessionToken = c.session_token;
    const { token, expiryTime } = await signer.generateAuthTokenFromCredentialsProvider({
      region: c.region,
      awsCredentialsProvider: async () => credentials,
    });
    out.push({ id: c.id, token, expiry_ms: expiryTime, url: Buffer.from(token, 'base64url').toString('utf8') });
  }
} finally {
  globalThis.Date = RealDate;
}
process.stdout.write(JSON.stringify(out) + '\n');
