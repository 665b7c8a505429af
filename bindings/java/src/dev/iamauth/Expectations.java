package dev.iamauth;

import java.util.Objects;

/**
 * What {@link IamAuth#verify(String, String, Expectations, long)} requires of a token. Immutable;
 * each {@code with...} returns a copy. {@link #any()} accepts any host, port, user, action and
 * region, for the core's default service and clock skew ({@link IamAuth#DEFAULT_SERVICE},
 * {@link IamAuth#DEFAULT_SKEW}). The library checks each expectation given by the signing rules
 * first ({@code INVALID_HOST}, {@code INVALID_PORT}, {@code INVALID_USER}, {@code INVALID_ACTION},
 * {@code INVALID_REGION}, {@code INVALID_SERVICE}, {@code INVALID_TIME} for the skew).
 */
public final class Expectations {
    private static final Expectations ANY = new Expectations(null, 0, null, null, null, null, false, 0, null);

    private final String host;
    private final int port;
    private final String user;
    private final String action;
    private final String region;
    private final String service;
    private final boolean hasSkew;
    private final long skew;
    private final String cluster;

    private Expectations(String host, int port, String user, String action, String region, String service,
            boolean hasSkew, long skew, String cluster) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.action = action;
        this.region = region;
        this.service = service;
        this.hasSkew = hasSkew;
        this.skew = skew;
        this.cluster = cluster;
    }

    /** @return expectations that accept any host, port, user, action and region (the default service and skew) */
    public static Expectations any() {
        return ANY;
    }

    /** @param h the endpoint, compared case-insensitively; null or empty = any @return a copy */
    public Expectations withHost(String h) {
        return new Expectations(h, port, user, action, region, service, hasSkew, skew, cluster);
    }

    /** @param p 1..65535; 0 = any (other values: {@code INVALID_PORT} at verification) @return a copy */
    public Expectations withPort(int p) {
        return new Expectations(host, p, user, action, region, service, hasSkew, skew, cluster);
    }

    /** @param u the database user, exactly; null or empty = any @return a copy */
    public Expectations withUser(String u) {
        return new Expectations(host, port, u, action, region, service, hasSkew, skew, cluster);
    }

    /**
     * @param a {@code DbConnect} or {@code DbConnectAdmin} (DSQL; RDS and cache tokens carry
     *     {@code connect}, so expecting either refuses them with {@code WRONG_ACTION}); null or
     *     empty = any (other values: {@code INVALID_ACTION} at verification)
     * @return a copy
     */
    public Expectations withAction(String a) {
        return new Expectations(host, port, user, a, region, service, hasSkew, skew, cluster);
    }

    /** @param r the credential scope's region; null or empty = any @return a copy */
    public Expectations withRegion(String r) {
        return new Expectations(host, port, user, action, r, service, hasSkew, skew, cluster);
    }

    /**
     * @param s {@code rds-db}, {@code dsql}, {@code elasticache} or {@code memorydb}; null or empty:
     *     the core's default, {@link IamAuth#DEFAULT_SERVICE}
     * @return a copy
     */
    public Expectations withService(String s) {
        return new Expectations(host, port, user, action, region, s, hasSkew, skew, cluster);
    }

    /** @param seconds how far in the future of {@code now} a token may be signed, 0..86400 @return a copy */
    public Expectations withSkew(long seconds) {
        return new Expectations(host, port, user, action, region, service, true, seconds, cluster);
    }

    /**
     * The EKS cluster ({@code x-k8s-aws-id}). An EKS token signs its cluster without writing it
     * down, so verifying one needs it ({@code INVALID_CLUSTER} without); a token for another cluster
     * is {@code SIGNATURE_MISMATCH}. Other kinds ignore it. (EKS tokens also need
     * {@code withService("sts")}, MSK tokens {@code withService("kafka-cluster")}.)
     *
     * @param c the cluster name; null or empty: none
     * @return a copy with the cluster
     */
    public Expectations withCluster(String c) {
        return new Expectations(host, port, user, action, region, service, hasSkew, skew, c);
    }

    /** @return the expected host, or null for any */
    public String host() {
        return host;
    }

    /** @return the expected port, or 0 for any */
    public int port() {
        return port;
    }

    /** @return the expected user, or null for any */
    public String user() {
        return user;
    }

    /** @return the expected action, or null for any */
    public String action() {
        return action;
    }

    /** @return the expected region, or null for any */
    public String region() {
        return region;
    }

    /** @return the expected service, or null for the default ({@link IamAuth#DEFAULT_SERVICE}) */
    public String service() {
        return service;
    }

    /** @return the allowed skew in seconds, or -1 when the library's default ({@link IamAuth#DEFAULT_SKEW}) applies */
    /** @return the expected EKS cluster, or null */
    public String cluster() {
        return cluster;
    }

    public long skew() {
        return hasSkew ? skew : -1;
    }

    boolean hasSkew() {
        return hasSkew;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Expectations)) return false;
        Expectations e = (Expectations) o;
        return port == e.port && hasSkew == e.hasSkew && skew == e.skew && Objects.equals(host, e.host)
                && Objects.equals(user, e.user) && Objects.equals(action, e.action) && Objects.equals(region, e.region)
                && Objects.equals(service, e.service) && Objects.equals(cluster, e.cluster);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, user, action, region, service, hasSkew, skew, cluster);
    }

    @Override
    public String toString() {
        return "Expectations[host=" + host + ", port=" + port + ", user=" + user + ", action=" + action + ", region=" + region
                + ", service=" + service + ", skew=" + (hasSkew ? Long.toString(skew) : "default")
                + ", cluster=" + cluster + "]";
    }
}
