package io.phoneotp.keycloak.flow;

import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import java.util.List;
import java.util.Map;

/** A flow step's settings beyond the code itself: registering another number from the code page, and where the number comes from. */
record StepOptions(boolean allowRegistrationDuringLogin, boolean showInfoBeforeRegistration, String phoneNumberNote) {

    static final String ALLOW_REGISTRATION_DURING_LOGIN = "allowRegistrationDuringLogin";
    static final String SHOW_INFO_BEFORE_REGISTRATION = "showInfoBeforeRegistration";
    static final String PHONE_NUMBER_NOTE = "phoneNumberNote";

    static StepOptions of(AuthenticatorConfigModel model) {
        Map<String, String> c = model == null || model.getConfig() == null ? Map.of() : model.getConfig();
        String note = c.get(PHONE_NUMBER_NOTE);
        return new StepOptions(flag(c, ALLOW_REGISTRATION_DURING_LOGIN), flag(c, SHOW_INFO_BEFORE_REGISTRATION),
                note == null || note.isBlank() ? null : note.trim());
    }

    /** Both switches default to on. */
    private static boolean flag(Map<String, String> config, String key) {
        String value = config.get(key);
        return value == null || value.isBlank() || Boolean.parseBoolean(value.trim());
    }

    static List<ProviderConfigProperty> properties() {
        return ProviderConfigurationBuilder.create()
                .property().name(ALLOW_REGISTRATION_DURING_LOGIN).label("Offer another phone number")
                .helpText("Show \"Use another phone number\" on the code page. The new number is registered right after the sign-in,"
                        + " which still needs this code or another second factor.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true").add()
                .property().name(SHOW_INFO_BEFORE_REGISTRATION).label("Explain before registering")
                .helpText("Show a page that explains how changing the number works before the user goes on.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true").add()
                .property().name(PHONE_NUMBER_NOTE).label("Phone number from session note")
                .helpText("Send to the number an earlier step put into this authentication-session note instead of the user's"
                        + " phoneNumber attribute. Leave empty to use the attribute.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .build();
    }
}
