package io.phoneotp.keycloak.delivery;

/** A message that was not accepted by the provider. Carries no code and no full number. */
public class DeliveryException extends Exception {

    private final DeliveryFailure failure;
    private final Integer providerCode;

    public DeliveryException(DeliveryFailure failure, Integer providerCode, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
        this.providerCode = providerCode;
    }

    public DeliveryException(DeliveryFailure failure, String message) {
        this(failure, null, message, null);
    }

    public DeliveryFailure failure() {
        return failure;
    }

    /** The provider's error code (Twilio's 21211, say), or null for network failures and our own checks. */
    public Integer providerCode() {
        return providerCode;
    }
}
