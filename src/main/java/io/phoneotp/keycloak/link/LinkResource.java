package io.phoneotp.keycloak.link;

import io.phoneotp.keycloak.delivery.Channel;
import io.phoneotp.keycloak.events.OtpEventDetails;
import io.phoneotp.keycloak.phone.PhoneNumbers;
import io.phoneotp.keycloak.user.PhoneNumberRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.locale.LocaleSelectorProvider;
import org.keycloak.locale.LocaleUpdaterProvider;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.util.AuthenticationFlowURLHelper;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /realms/<realm>/phone-otp/}: the sign-in link of a text message, and the waiting code
 * page's question whether it has been answered.
 * <ul>
 * <li>{@code GET link/<token>} in the browser that is signing in continues that sign-in at once;
 * elsewhere it shows "Is this you signing in?" and consumes nothing (previews and scanners fetch it).</li>
 * <li>{@code POST link/<token>} with {@code confirm} or {@code deny}: the answer, once.</li>
 * <li>{@code GET link-status?tab_id=} answers, for the browser's own authentication session only,
 * {@code waiting}, {@code confirmed} or {@code denied}.</li>
 * </ul>
 * A token that is wrong, used, expired, replaced, of another realm or of a finished sign-in gets
 * one and the same page, and a refused request consumes nothing. No answer of these endpoints is
 * kept by a cache ({@code Cache-Control: no-store}): their URLs hold the token.
 */
public class LinkResource {

    static final String TEMPLATE = "phone-otp-link.ftl";

    private final KeycloakSession session;
    private final RealmModel realm;

    public LinkResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @GET
    @Path("link/{token}")
    @Produces(MediaType.TEXT_HTML)
    public Response open(@PathParam("token") String token) {
        return noStore(opened(token));
    }

    private Response opened(String token) {
        String chosenLanguage = session.getContext().getUri().getQueryParameters().getFirst(LocaleSelectorProvider.KC_LOCALE_PARAM);
        if (chosenLanguage != null) {
            // the page's language menu: outside a flow Keycloak reads the choice from its locale cookie;
            // only a language the realm offers goes into it (the raw value would write the cookie's attributes)
            if (realm.isInternationalizationEnabled() && realm.getSupportedLocalesStream().anyMatch(chosenLanguage::equals)) {
                session.getProvider(LocaleUpdaterProvider.class).updateLocaleCookie(chosenLanguage);
            }
            return Response.seeOther(session.getContext().getUri().getRequestUriBuilder()
                    .replaceQueryParam(LocaleSelectorProvider.KC_LOCALE_PARAM).build()).build();
        }
        Optional<SignInLink.Binding> link = SignInLink.peek(session, realm, token);
        if (link.isEmpty()) {
            return invalid();
        }
        RootAuthenticationSessionModel own = new AuthenticationSessionManager(session).getCurrentRootAuthenticationSession(realm);
        if (own == null || !own.getId().equals(link.get().rootSessionId())) {
            return question(link.get());
        }
        // the browser that is signing in: tapping the link is the confirmation
        Optional<SignInLink.Binding> taken = SignInLink.take(session, realm, token);
        Optional<AuthenticationSessionModel> signIn = taken.flatMap(l -> SignInLink.signIn(session, realm, l));
        if (signIn.isEmpty()) {
            return invalid();
        }
        SignInLink.answer(session, taken.get(), SignInLink.Status.CONFIRMED, SignInLink.Where.SAME_DEVICE);
        return Response.status(Response.Status.FOUND)
                .location(new AuthenticationFlowURLHelper(session, realm, session.getContext().getUri()).getLastExecutionUrl(signIn.get()))
                .build();
    }

    @POST
    @Path("link/{token}")
    @Produces(MediaType.TEXT_HTML)
    public Response answer(@PathParam("token") String token) {
        return noStore(answered(token));
    }

    private Response answered(String token) {
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
        boolean deny = form.containsKey("deny");
        if (!deny && !form.containsKey("confirm")) {
            return invalid();
        }
        Optional<SignInLink.Binding> taken = SignInLink.take(session, realm, token);
        if (taken.isEmpty()) {
            return invalid();
        }
        SignInLink.Binding link = taken.get();
        if (!deny) {
            SignInLink.answer(session, link, SignInLink.Status.CONFIRMED, SignInLink.Where.OTHER_DEVICE);
            return info(link.registration() ? "phoneOtpRegistrationLinkConfirmed" : "phoneOtpLinkConfirmed");
        }
        SignInLink.deny(session, realm, link);
        // told now, on the phone's request: the waiting browser may never ask again
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection());
        if (link.registration()) {
            // as the registration action reports its own failures: Keycloak's required-action error, naming the action
            event.event(EventType.CUSTOM_REQUIRED_ACTION_ERROR).detail("custom_required_action", PhoneNumberRegistry.REGISTRATION_ACTION);
        } else {
            event.event(EventType.LOGIN_ERROR);
        }
        event.client(link.clientId()).user(link.userId()).detail(Details.CODE_ID, link.rootSessionId())
                .detail(OtpEventDetails.CHANNEL, Channel.SMS.id()).detail(OtpEventDetails.PHONE, PhoneNumbers.mask(link.phone()))
                .detail(OtpEventDetails.LINK, SignInLink.Where.OTHER_DEVICE.id())
                .detail(OtpEventDetails.ERROR, OtpEventDetails.LINK_DENIED).error(OtpEventDetails.LINK_DENIED);
        return info(link.registration() ? "phoneOtpRegistrationLinkDenied" : "phoneOtpLinkDeniedHere");
    }

    @GET
    @Path("link-status")
    @Produces(MediaType.APPLICATION_JSON)
    public Response status(@QueryParam("tab_id") String tabId) {
        RootAuthenticationSessionModel own = new AuthenticationSessionManager(session).getCurrentRootAuthenticationSession(realm);
        AuthenticationSessionModel signIn = own == null || tabId == null ? null : own.getAuthenticationSessions().get(tabId);
        if (signIn == null) {
            return Response.status(Response.Status.NOT_FOUND).cacheControl(noStore()).build();
        }
        String status = SignInLink.status(session, signIn).name().toLowerCase(java.util.Locale.ROOT);
        return Response.ok(Map.of("status", status)).cacheControl(noStore()).build();
    }

    private static CacheControl noStore() {
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return noStore;
    }

    private static Response noStore(Response response) {
        return Response.fromResponse(response).cacheControl(noStore()).build();
    }

    private Response question(SignInLink.Binding link) {
        Map<String, Object> model = new HashMap<>();
        if (link.registration()) {
            // the account that gets the number, as the link was issued for it: the holder must see whose it would be
            UserModel user = link.userId() == null ? null : session.users().getUserById(realm, link.userId());
            if (user == null) {
                return invalid();
            }
            model.put("username", user.getUsername());
        }
        model.put("realmName", realm.getDisplayName() == null || realm.getDisplayName().isBlank() ? realm.getName() : realm.getDisplayName());
        model.put("browser", link.browser());
        model.put("os", link.os());
        model.put("minutesAgo", link.minutesAgo());
        model.put("registration", link.registration());
        model.put("action", session.getContext().getUri().getRequestUri().toString());
        return forms().setAttribute("phoneOtpLink", model).createForm(TEMPLATE);
    }

    private Response invalid() {
        return forms().setError("phoneOtpLinkInvalid").setAttribute(Constants.SKIP_LINK, true).createErrorPage(Response.Status.BAD_REQUEST);
    }

    private Response info(String key) {
        return forms().setInfo(key).setAttribute(Constants.SKIP_LINK, true).createInfoPage();
    }

    private LoginFormsProvider forms() {
        return session.getProvider(LoginFormsProvider.class);
    }
}
