package org.apache.kafka.common.security.oauthbearer;

import javax.security.auth.callback.Callback;

/** Stub of kafka-clients' class (same public signatures), see tests/stubs/README.md. */
public class OAuthBearerTokenCallback implements Callback {
    private OAuthBearerToken token;
    private String errorCode;

    public OAuthBearerToken token() {
        return token;
    }

    public String errorCode() {
        return errorCode;
    }

    public void token(OAuthBearerToken token) {
        this.token = token;
        this.errorCode = null;
    }

    public void error(String errorCode, String errorDescription, String errorUri) {
        this.errorCode = errorCode;
        this.token = null;
    }
}
