package dev.iamauth;

import java.nio.charset.StandardCharsets;

/**
 * A token could not be made or read. {@link #code()} is the library's stable code name, the same
 * in every language ({@code INVALID_PORT}, {@code INVALID_USER}, {@code MALFORMED_TOKEN}, ...), plus
 * the C binding's {@code INVALID_UTF8} for a Java string with an unpaired surrogate.
 */
public final class IamAuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    /**
     * Creates an exception.
     *
     * @param code the code name, e.g. {@code INVALID_PORT}
     * @param message the description
     */
    public IamAuthException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /** Called from native code: both arguments are UTF-8. */
    IamAuthException(byte[] code, byte[] message) {
        this(new String(code, StandardCharsets.UTF_8), new String(message, StandardCharsets.UTF_8));
    }

    /** @return the stable code name, e.g. {@code INVALID_PORT} */
    public String code() {
        return code;
    }
}
