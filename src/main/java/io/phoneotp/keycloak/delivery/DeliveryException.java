package io.phoneotp.keycloak.delivery;

/** A message that was not accepted by the provider. Carries no code and no full number. */
public class DeliveryException extends Exception {

    private final DeliveryFailure failure;
    private final Integer providerCode;
    private final boolean providerDown;

    /**
     * @param providerDown the provider itself failed (unreachable, timed out, a server error, overloaded), as opposed to
     *                     answering that it will not send this message: only such failures open the circuit
     */
    public DeliveryException(DeliveryFailure failure, Integer providerCode, boolean providerDown, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
        this.providerCode = providerCode;
        this.providerDown = providerDown;
    }

    public DeliveryException(DeliveryFailure failure, Integer providerCode, String message, Throwable cause) {
        this(failure, providerCode, false, message, cause);
    }

    public DeliveryException(DeliveryFailure failure, String message) {
        this(failure, null, message, null);
    }

    public DeliveryFailure failure() {
        return failure;
    }

    public boolean providerDown() {
        return providerDown;
    }

    /** The provider's error code (Twilio's 21211, say), or null for network failures and our own checks. */
    public Integer providerCode() {
        return providerCode;
    }
}
