package dev.iamauth;

/** Which STS endpoint an EKS token is presigned for ({@link IamAuth#eksToken(String, String, Credentials, StsEndpoint, long)}). */
public enum StsEndpoint {
    /** {@code sts.REGION.<partition's DNS suffix>}, signed for the region (awscli's default). */
    REGIONAL(0),
    /**
     * The legacy global endpoint {@code sts.amazonaws.com}, signed for {@code us-east-1}, for the
     * regions botocore's {@code sts_regional_endpoints = legacy} sends there (the regional one elsewhere).
     */
    GLOBAL(1);

    /** The C ABI's value ({@code IAMAUTH_STS_REGIONAL} / {@code IAMAUTH_STS_GLOBAL}). */
    final int value;

    StsEndpoint(int value) {
        this.value = value;
    }

    /**
     * Reads an endpoint name, as configuration files and awscli write it.
     *
     * @param name {@code regional} or {@code global} (exact case)
     * @return the endpoint
     * @throws IamAuthException {@code INVALID_REQUEST} otherwise
     */
    public static StsEndpoint parse(String name) {
        Native.check();
        int v = Native.stsEndpoint(IamAuth.utf8(name, "stsEndpoint"));
        for (StsEndpoint e : values()) {
            if (e.value == v) {
                return e;
            }
        }
        throw new IamAuthException("INVALID_REQUEST", "sts_endpoint: unknown value " + v);
    }
}
