package org.apache.kafka.common.security.auth;

import java.util.List;
import java.util.Map;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.login.AppConfigurationEntry;

/** Stub of kafka-clients' interface (same signatures), see tests/stubs/README.md. */
public interface AuthenticateCallbackHandler extends CallbackHandler {
    void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries);

    void close();
}
