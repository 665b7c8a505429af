"""The differential's Python surface: reads the cases (tab-separated, see cases.py) from the file
named by argv[1], makes each token with pyiamauth and compares it with the reference's (botocore; awscli for eks,
the MSK signer for msk): `DIFF id
token` for the first ten that differ, then one count line; exit status 1 on any. Run with the
interpreter that has the wheel installed."""

import sys

import pyiamauth


def token(f):
    creds = pyiamauth.Credentials(f[11], f[12], f[13] or None)
    time, expires_in = int(f[9]), int(f[10])
    try:
        if f[1] == "rds":
            return pyiamauth.rds_token(f[2], int(f[3]), f[4], f[5], creds, expires_in=expires_in, time=time)
        if f[1] == "eks":  # host: the cluster name; action: the STS endpoint
            return pyiamauth.eks_token(f[2], f[5], creds, sts_endpoint=f[6], time=time)
        if f[1] == "msk":  # user: the User-Agent; the host is the region's
            return pyiamauth.msk_token(f[5], creds, expires_in=expires_in, user_agent=f[4], time=time)[0]
        if f[1] == "dsql":
            return pyiamauth.dsql_token(f[2], f[5], creds, admin=f[6] == "DbConnectAdmin", expires_in=expires_in,
                                        time=time)
        return pyiamauth.elasticache_token(f[2], f[4], f[5], creds, serverless=f[8] == "1", service=f[7],
                                           expires_in=expires_in, time=time)
    except pyiamauth.IamAuthError as e:
        return f"ERROR {e.code}"


def main():
    cases = equal = 0
    with open(sys.argv[1], "rb") as f:
        for raw in f:  # binary lines end at b"\n" only (users may hold U+2028)
            fields = raw.rstrip(b"\n").decode("utf-8").split("\t")
            t = token(fields)
            cases += 1
            if t == fields[15]:
                equal += 1
            elif cases - equal <= 10:
                print(f"DIFF {fields[0]}\t{t}")
    print(f"python: {cases} tokens, {equal} equal to botocore's")
    sys.exit(0 if cases == equal else 1)


if __name__ == "__main__":
    main()
