package io.phoneotp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Creates a variant's realm through the admin REST API, as an administrator would. */
final class Setup {

    static final String CLIENT = "bench-app";
    static final String CALLBACK = "http://127.0.0.1/bench/callback";
    static final String FLOW = "bench browser";

    private final AdminApi admin;
    private final Users users;

    Setup(AdminApi admin, Users users) {
        this.admin = admin;
        this.users = users;
    }

    void realm(Variant v) throws Exception {
        String r = "/admin/realms/" + v.realm;
        Map<String, Object> realm = new LinkedHashMap<>();
        realm.put("realm", v.realm);
        realm.put("enabled", true);
        realm.put("sslRequired", "none");
        // cheap hashing, so that the second step shows against the password check
        realm.put("passwordPolicy", "hashAlgorithm(pbkdf2-sha256) and hashIterations(1)");
        // the same user signs in again within 30 s: the OTP form must accept the same code again
        // (Keycloak takes the OTP policy fields only together with otpPolicyType)
        realm.put("otpPolicyType", "totp");
        realm.put("otpPolicyAlgorithm", "HmacSHA1");
        realm.put("otpPolicyDigits", 6);
        realm.put("otpPolicyPeriod", 30);
        realm.put("otpPolicyLookAheadWindow", 1);
        realm.put("otpPolicyInitialCounter", 0);
        realm.put("otpPolicyCodeReusable", true);
        realm.put("clients", List.of(Map.of("clientId", CLIENT, "enabled", true, "publicClient", true, "standardFlowEnabled", true,
                "directAccessGrantsEnabled", false, "redirectUris", List.of(CALLBACK))));
        admin.post("/admin/realms", realm);

        userProfile(r);
        flow(r, v);
        admin.put(r, Map.of("browserFlow", FLOW));
        if (v.sms()) {
            Map<String, Object> policy = new LinkedHashMap<>();
            policy.put("allowedCountries", List.of("US"));
            for (String limit : List.of("maxSendsPerNumberPerHour", "maxSendsPerUserPerHour", "maxSendsPerIpPerHour",
                    "maxSendsPerRealmPerHour", "maxSendsPerPrefixPerHour")) {
                policy.put(limit, 1_000_000);
            }
            admin.put(r + "/phone-otp/policy", policy);
            Map<String, Object> sender = new LinkedHashMap<>();
            if (v.kind == Variant.Kind.SMS_LOG) {
                sender.put("type", "log");
            } else {
                sender.put("type", "twilio");
                sender.put("accountSid", v.accountSid);
                sender.put("authToken", "bench-token");
                sender.put("from", "+15005550006");
                sender.put("messagingServiceSid", null);
            }
            admin.put(r + "/phone-otp/providers/sms", sender);
        }
        importUsers(r, v);
        check(r, v);
    }

    /** Declares the phone attributes as the README says (admin-edit only, the extension's validator). */
    private void userProfile(String r) throws Exception {
        ObjectNode profile = (ObjectNode) admin.get(r + "/users/profile");
        ArrayNode attributes = (ArrayNode) profile.get("attributes");
        attributes.add(AdminApi.JSON.valueToTree(Map.of("name", "phoneNumber", "displayName", "${phoneNumber}",
                "validations", Map.of("phone-otp-number", Map.of()), "annotations", Map.of("inputType", "html5-tel"),
                "permissions", Map.of("view", List.of("admin", "user"), "edit", List.of("admin")))));
        attributes.add(AdminApi.JSON.valueToTree(Map.of("name", "phoneNumberVerified", "displayName", "${phoneNumberVerified}",
                "permissions", Map.of("view", List.of("admin"), "edit", List.of("admin")))));
        admin.put(r + "/users/profile", profile);
    }

    /** A top-level flow: username and password, then the variant's second step, both REQUIRED. */
    private void flow(String r, Variant v) throws Exception {
        admin.post(r + "/authentication/flows", Map.of("alias", FLOW, "providerId", "basic-flow", "topLevel", true, "builtIn", false,
                "description", "benchmark: " + v.label));
        String executions = r + "/authentication/flows/" + AdminApi.encode(FLOW) + "/executions";
        admin.post(executions + "/execution", Map.of("provider", "auth-username-password-form"));
        switch (v.kind) {
            case TOTP -> admin.post(executions + "/execution", Map.of("provider", "auth-otp-form"));
            case SMS_LOG, SMS_TWILIO -> admin.post(executions + "/execution", Map.of("provider", "phone-otp-sms"));
            default -> {
            }
        }
        for (JsonNode execution : admin.get(executions)) {
            ObjectNode e = (ObjectNode) execution;
            e.put("requirement", "REQUIRED");
            admin.put(executions, e);
            if ("phone-otp-sms".equals(e.path("providerId").asText())) {
                admin.post(r + "/authentication/executions/" + e.get("id").asText() + "/config", Map.of("alias", "bench-sms",
                        "config", Map.of("codeLength", "6", "allowRegistrationDuringLogin", "false", "showInfoBeforeRegistration", "false")));
            }
        }
    }

    /** The users by partial import: a cheap password, the phone number (verified), and for the TOTP realm an OTP credential. */
    private void importUsers(String r, Variant v) throws Exception {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < Users.COUNT; i++) {
            List<Map<String, Object>> credentials = new ArrayList<>();
            credentials.add(Map.of("type", "password", "value", Users.password(i), "temporary", false));
            if (v.kind == Variant.Kind.TOTP) {
                credentials.add(Map.of("type", "otp", "userLabel", "bench",
                        "secretData", AdminApi.JSON.writeValueAsString(Map.of("value", Users.totpSecret(i))),
                        "credentialData", "{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,\"algorithm\":\"HmacSHA1\"}"));
            }
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("username", Users.username(i));
            user.put("enabled", true);
            user.put("email", Users.username(i) + "@bench.example.org");
            user.put("emailVerified", true);
            user.put("firstName", "Bench");
            user.put("lastName", Users.username(i));
            user.put("credentials", credentials);
            if (v.sms()) {
                user.put("attributes", Map.of("phoneNumber", List.of(users.phone(i)), "phoneNumberVerified", List.of("true")));
            }
            list.add(user);
        }
        admin.post(r + "/partialImport", Map.of("ifResourceExists", "FAIL", "users", list));
    }

    /** Fails early when the realm is not what the benchmark assumes. */
    private void check(String r, Variant v) throws Exception {
        if (!admin.get(r).path("otpPolicyCodeReusable").asBoolean()) {
            throw new IllegalStateException(v.realm + ": the OTP policy does not allow reusing a code");
        }
        JsonNode found = admin.get(r + "/users?exact=true&username=" + Users.username(0));
        if (found.size() != 1) {
            throw new IllegalStateException(v.realm + ": user " + Users.username(0) + " was not imported");
        }
        if (v.sms() && !users.phone(0).equals(found.get(0).path("attributes").path("phoneNumber").path(0).asText())) {
            throw new IllegalStateException(v.realm + ": the phone number was not stored: " + found.get(0));
        }
        JsonNode credentials = admin.get(r + "/users/" + found.get(0).get("id").asText() + "/credentials");
        for (JsonNode c : credentials) {
            if ("password".equals(c.path("type").asText())) {
                JsonNode data = AdminApi.JSON.readTree(c.path("credentialData").asText("{}"));
                if (data.path("hashIterations").asInt(-1) != 1) {
                    throw new IllegalStateException(v.realm + ": the password is not hashed cheaply: " + c.path("credentialData").asText());
                }
            }
        }
    }
}
