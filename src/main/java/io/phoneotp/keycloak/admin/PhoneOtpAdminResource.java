package io.phoneotp.keycloak.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.delivery.SenderSettings;
import io.phoneotp.keycloak.delivery.SenderSettingsStore;
import io.phoneotp.keycloak.delivery.SenderSettingsValidator;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import io.phoneotp.keycloak.policy.PhonePolicy;
import io.phoneotp.keycloak.policy.PhonePolicyStore;
import io.phoneotp.keycloak.policy.PhonePolicyValidator;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.util.JsonSerialization;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /admin/realms/{realm}/phone-otp}: the realm's message providers and phone policy. Reading needs view-realm;
 * writing and test sends need manage-realm. A stored token is never returned.
 */
public class PhoneOtpAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    PhoneOtpAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(ResourceType.COMPONENT);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TestRequest(String to) {
    }

    /** A test send as its admin event shows it: the destination masked, the outcome, the provider's id or error code. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TestSendRecord(String channel, String to, String status, String sid, Integer providerCode, String error) {

        static TestSendRecord of(TestSend send) {
            return send.sent()
                    ? new TestSendRecord(send.channel().id(), send.maskedTo(), "sent", send.sid(), null, null)
                    : new TestSendRecord(send.channel().id(), send.maskedTo(), "error", null, send.error().providerCode(), send.error().getMessage());
        }
    }

    /**
     * Bodies are read strictly, not with Keycloak's lenient reader, which guesses: "", "\u0000" or "5 "
     * for a number, 1.5 for a whole number, 2 for true, a number for text, the last of a key given twice.
     * A body that is not what was asked for is refused with a 400 naming the key.
     */
    private static final ObjectMapper STRICT_JSON = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // text of spaces or control characters is not "no value" either
            .withCoercionConfigDefaults(config -> config.setAcceptBlankAsEmpty(false))
            // and a number or true is not text
            .withCoercionConfig(LogicalType.Textual, config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();
    private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate field '([^']*)'");

    /** The body read as {@code type}, or the 400 that refuses it ({@code required}: what to say when there is no usable body). */
    private record Body<T>(T value, Response refusal) {
        static <T> Body<T> read(String json, Class<T> type, String required) {
            try {
                T value = json == null || json.isBlank() ? null : STRICT_JSON.readValue(json, type);
                return value == null ? new Body<>(null, error(Response.Status.BAD_REQUEST, required)) : new Body<>(value, null);
            } catch (JacksonException e) {
                Matcher duplicate = DUPLICATE_KEY.matcher(Objects.toString(e.getOriginalMessage(), ""));
                String key = e instanceof JsonMappingException m ? m.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                        .filter(Objects::nonNull).findFirst().orElse(null) : null;
                String problem = duplicate.find() ? duplicate.group(1) + " is given twice"
                        : key != null ? key + " has a value of the wrong type or out of range"
                        : "the body is not valid JSON: " + required;
                return new Body<>(null, error(Response.Status.BAD_REQUEST, problem));
            }
        }
    }

    @GET
    @Path("providers/{channel}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response getProvider(@PathParam("channel") String channelId) {
        auth.realm().requireViewRealm();
        Channel channel = channel(channelId);
        return SenderSettingsStore.load(realm, channel)
                .map(s -> Response.ok(s.masked()).build())
                .orElseGet(() -> error(Response.Status.NOT_FOUND, "no " + channel.id() + " provider is configured in this realm"));
    }

    @PUT
    @Path("providers/{channel}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response putProvider(@PathParam("channel") String channelId, String json) {
        auth.realm().requireManageRealm();
        Channel channel = channel(channelId);
        Body<SenderSettings> body = Body.read(json, SenderSettings.class, "a JSON body with the provider settings is required");
        if (body.refusal() != null) {
            return body.refusal();
        }
        SenderSettings settings = SenderSettingsStore.submitted(realm, channel, body.value());
        Optional<String> problem = SenderSettingsValidator.problem(session, channel, settings);
        if (problem.isPresent()) {
            return error(Response.Status.BAD_REQUEST, problem.get());
        }
        SenderSettingsStore.save(realm, channel, settings);
        adminEvent.operation(OperationType.UPDATE).resourcePath(session.getContext().getUri()).representation(settings.masked()).success();
        return Response.ok(settings.masked()).build();
    }

    @POST
    @Path("providers/{channel}/test")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response test(@PathParam("channel") String channelId, String json) {
        auth.realm().requireManageRealm();
        Channel channel = channel(channelId);
        Body<TestRequest> read = Body.read(json, TestRequest.class, "to is required: a JSON body such as {\"to\":\"+14155552671\"}");
        if (read.refusal() != null) {
            return read.refusal();
        }
        TestRequest request = read.value();
        if (!PhoneNumbers.isE164(request.to())) {
            return error(Response.Status.BAD_REQUEST, "to " + TestSend.BAD_DESTINATION);
        }
        TestSend outcome = TestSend.run(session, realm, channel, request.to());
        outcome.record(adminEvent, session);
        if (outcome.sent()) {
            return Response.ok(Map.of("status", "sent", "sid", outcome.sid())).build();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", outcome.error().getMessage());
        body.put("providerCode", outcome.error().providerCode());
        return Response.status(outcome.error().failure().httpStatus()).entity(body).type(MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("policy")
    @Produces(MediaType.APPLICATION_JSON)
    public Response getPolicy() {
        auth.realm().requireViewRealm();
        return Response.ok(withWarnings(PhonePolicyStore.load(realm))).build();
    }

    @PUT
    @Path("policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response putPolicy(String json) {
        auth.realm().requireManageRealm();
        Body<PhonePolicy> body = Body.read(json, PhonePolicy.class, "a JSON body with the phone policy is required");
        if (body.refusal() != null) {
            return body.refusal();
        }
        PhonePolicy policy = body.value().withDefaults();
        Optional<String> problem = PhonePolicyValidator.problem(policy);
        if (problem.isPresent()) {
            return error(Response.Status.BAD_REQUEST, problem.get());
        }
        PhonePolicyStore.save(session, realm, policy);
        adminEvent.operation(OperationType.UPDATE).resourcePath(session.getContext().getUri()).representation(policy).success();
        return Response.ok(withWarnings(policy)).build();
    }

    /** The policy as stored, plus {@code warnings} for what an administrator should know about it (read-only, ignored on PUT). */
    private static Map<String, Object> withWarnings(PhonePolicy policy) {
        Map<String, Object> body = JsonSerialization.mapper.convertValue(policy, new TypeReference<LinkedHashMap<String, Object>>() { });
        if (!policy.warnings().isEmpty()) {
            body.put("warnings", policy.warnings());
        }
        return body;
    }

    private static Channel channel(String id) {
        return Channel.fromId(id).orElseThrow(() -> new jakarta.ws.rs.NotFoundException("channel must be sms or voice"));
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).entity(Map.of("error", message)).type(MediaType.APPLICATION_JSON).build();
    }
}
