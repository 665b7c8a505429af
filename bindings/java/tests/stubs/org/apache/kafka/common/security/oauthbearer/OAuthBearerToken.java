package org.apache.kafka.common.security.oauthbearer;

import java.util.Set;

/** Stub of kafka-clients' interface (same signatures), see tests/stubs/README.md. */
public interface OAuthBearerToken {
    String value();

    Set<String> scope();

    long lifetimeMs();

    String principalName();

    Long startTimeMs();
}
