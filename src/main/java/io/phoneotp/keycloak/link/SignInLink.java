package io.phoneotp.keycloak.link;

import org.keycloak.Config;
import org.keycloak.common.util.Time;
import org.keycloak.device.DeviceRepresentationProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;
import org.keycloak.representations.account.DeviceRepresentation;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The sign-in link of a text message: a token of 128 random bits in the URL, of which only the
 * SHA-256 hash is kept, in Keycloak's cluster-wide single-use store, with what it is bound to (the
 * realm, the authentication session and its tab, the number, the waiting browser). A link is used
 * once (taken from the store, which has one winner), dies with the code's lifetime, and is replaced
 * by the next send. The answer given on the phone waits in the store for the sign-in to take it.
 * A link is also bound to its purpose: signing in, or confirming the new number of the registration
 * action; an answer counts only for the page of that purpose.
 */
public final class SignInLink {

    /** The hash of the sign-in's current link: only that link's answer counts for the sign-in. */
    public static final String NOTE = "phone-otp.sign-in.link";
    /** On a sign-in whose link was denied on the phone: it ends there, whichever step it reaches. */
    public static final String DENIED_NOTE = "phone-otp.sign-in.link-denied";
    /** When the sign-in's current link dies (Keycloak's clock, in milliseconds): the waiting page is told, not left waiting. */
    private static final String EXPIRES_NOTE = "phone-otp.sign-in.link-expires";
    /** The realm resource's id: the links live under {@code /realms/<realm>/phone-otp/}. */
    public static final String RESOURCE = "phone-otp";
    /** The purposes of a link: it signs in, or it confirms the number being registered. */
    public static final String SIGN_IN = "sign-in";
    public static final String REGISTRATION = "registration";

    private static final String LINK_KEY = "phone-otp:link:";
    private static final String ANSWER_KEY = "phone-otp:link-answer:";
    private static final int TOKEN_BYTES = 16;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The store keeps entries a little longer than they are valid; validity is checked against Keycloak's clock. */
    private static final long STORE_MARGIN_SECONDS = 60;

    /** What the waiting page learns: no answer yet, the phone's answer, or no answer ever (the link's lifetime is over). */
    public enum Status { WAITING, CONFIRMED, DENIED, EXPIRED }

    /** Where a link was answered: in the browser that is signing in, or on another device. */
    public enum Where {
        SAME_DEVICE, OTHER_DEVICE;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What a link is bound to. */
    public record Binding(String hash, String realmId, String rootSessionId, String tabId, String clientId, String userId,
                          String phone, String browser, String os, long sentAt, long expiresAt, String purpose) {

        private Map<String, String> toMap() {
            Map<String, String> map = new HashMap<>();
            map.put("realm", realmId);
            map.put("root", rootSessionId);
            map.put("tab", tabId);
            map.put("client", clientId);
            map.put("user", userId == null ? "" : userId);
            map.put("phone", phone);
            map.put("browser", browser);
            map.put("os", os);
            map.put("sent", Long.toString(sentAt));
            map.put("expires", Long.toString(expiresAt));
            map.put("purpose", purpose);
            return map;
        }

        private static Binding of(String hash, Map<String, String> map) {
            return new Binding(hash, map.get("realm"), map.get("root"), map.get("tab"), map.get("client"),
                    map.get("user") == null || map.get("user").isEmpty() ? null : map.get("user"), map.get("phone"),
                    map.get("browser"), map.get("os"), Long.parseLong(map.get("sent")), Long.parseLong(map.get("expires")),
                    map.get("purpose") == null ? SIGN_IN : map.get("purpose"));
        }

        /** The link confirms the number of the registration action, not a sign-in. */
        public boolean registration() {
            return REGISTRATION.equals(purpose);
        }

        /** Whole minutes since the link was sent, at least 1: the page says "about N min. ago". */
        public long minutesAgo() {
            return Math.max(1, (Time.currentTimeMillis() - sentAt + 30_000) / 60_000);
        }
    }

    /** The answer a sign-in takes: how, and for which number, the link was confirmed or denied. */
    public record Answer(Status status, String phone, Where where) {
    }

    private SignInLink() {
    }

    /**
     * Issues the sign-in's link for {@code phone}, valid {@code ttlSeconds}; the previous link of
     * this sign-in stops working.
     *
     * @return the URL for the text message
     */
    public static String issue(KeycloakSession session, AuthenticationSessionModel authSession, UserModel user, String phone, int ttlSeconds,
                               String purpose) {
        forget(session, authSession);
        String token = newToken();
        String hash = hash(token);
        long now = Time.currentTimeMillis();
        DeviceRepresentation device = device(session);
        Binding binding = new Binding(hash, authSession.getRealm().getId(), authSession.getParentSession().getId(), authSession.getTabId(),
                authSession.getClient().getClientId(), user == null ? null : user.getId(), phone,
                family(device == null ? null : device.getBrowser()), family(device == null ? null : device.getOs()),
                now, now + ttlSeconds * 1000L, purpose);
        store(session).put(LINK_KEY + hash, ttlSeconds + STORE_MARGIN_SECONDS, binding.toMap());
        authSession.setAuthNote(NOTE, hash);
        authSession.setAuthNote(EXPIRES_NOTE, Long.toString(binding.expiresAt()));
        return url(session, authSession.getRealm(), token);
    }

    /**
     * A URL like a link's, stored nowhere: for a text that is composed and dropped (it must cost
     * what a real one costs). The waiting page still learns when such a link would have expired,
     * as for a real one: its status must not tell an unknown account from a real one.
     */
    public static String unstored(KeycloakSession session, AuthenticationSessionModel authSession, int ttlSeconds) {
        forget(session, authSession);
        String token = newToken();
        String hash = hash(token);
        device(session); // the User-Agent is read as for a real link,
        store(session).contains(LINK_KEY + hash); // and the cluster-wide store is asked, though not written
        authSession.setAuthNote(EXPIRES_NOTE, Long.toString(Time.currentTimeMillis() + ttlSeconds * 1000L));
        return url(session, authSession.getRealm(), token);
    }

    /**
     * The link's binding, left in place (a page shown for it consumes nothing). Empty for a token
     * that is malformed, unknown, used, expired, of another realm, or whose sign-in is over or has
     * sent a newer link: all alike.
     */
    public static Optional<Binding> peek(KeycloakSession session, RealmModel realm, String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        String hash = hash(token);
        return valid(session, realm, hash, store(session).get(LINK_KEY + hash));
    }

    /**
     * The link's binding, taken from the store: of requests that take one link at once, one gets it. Empty as for {@link #peek}.
     * A request refused (another realm's path, a dead sign-in) takes nothing: it is checked before the link is taken.
     */
    public static Optional<Binding> take(KeycloakSession session, RealmModel realm, String token) {
        if (peek(session, realm, token).isEmpty()) {
            return Optional.empty();
        }
        String hash = hash(token);
        return valid(session, realm, hash, store(session).remove(LINK_KEY + hash));
    }

    /**
     * The phone's "No": the answer for the waiting page, and a sign-in marked denied at once, so
     * no step of it (the call, "Try another way") goes on without ever taking the answer.
     */
    public static void deny(KeycloakSession session, RealmModel realm, Binding link) {
        answer(session, link, Status.DENIED, Where.OTHER_DEVICE);
        if (!link.registration()) { // a denied number goes back to the number field: the registration itself goes on
            signIn(session, realm, link).ifPresent(tab -> tab.setAuthNote(DENIED_NOTE, "true"));
        }
    }

    /** Leaves the answer given for a taken link where its sign-in will find it. */
    public static void answer(KeycloakSession session, Binding link, Status status, Where where) {
        long seconds = Math.max(1, (link.expiresAt() - Time.currentTimeMillis()) / 1000) + STORE_MARGIN_SECONDS;
        store(session).put(ANSWER_KEY + link.hash(), seconds,
                Map.of("status", status.name(), "phone", link.phone(), "where", where.name(), "purpose", link.purpose()));
    }

    /**
     * What the phone has answered for this sign-in's current link, without taking it; {@code EXPIRED}
     * once the link's lifetime is over without an answer (an answer given in time still counts).
     */
    public static Status status(KeycloakSession session, AuthenticationSessionModel authSession) {
        String hash = authSession.getAuthNote(NOTE);
        Map<String, String> answer = hash == null ? null : store(session).get(ANSWER_KEY + hash);
        if (answer != null) {
            return Status.valueOf(answer.get("status"));
        }
        String expires = authSession.getAuthNote(EXPIRES_NOTE);
        return expires != null && Time.currentTimeMillis() >= Long.parseLong(expires) ? Status.EXPIRED : Status.WAITING;
    }

    /** Takes the phone's answer for this sign-in's current link of {@code purpose}, once; an answer for another purpose stays. */
    public static Optional<Answer> takeAnswer(KeycloakSession session, AuthenticationSessionModel authSession, String purpose) {
        String hash = authSession.getAuthNote(NOTE);
        Map<String, String> found = hash == null ? null : store(session).get(ANSWER_KEY + hash);
        if (found == null || !purpose.equals(found.getOrDefault("purpose", SIGN_IN))) {
            return Optional.empty();
        }
        Map<String, String> answer = store(session).remove(ANSWER_KEY + hash);
        if (answer == null) {
            return Optional.empty(); // a parallel request took it
        }
        authSession.removeAuthNote(NOTE);
        authSession.removeAuthNote(EXPIRES_NOTE);
        return Optional.of(new Answer(Status.valueOf(answer.get("status")), answer.get("phone"), Where.valueOf(answer.get("where"))));
    }

    /** Ends this sign-in's current link, if any: a new send replaces it, a forgotten code takes it along. */
    public static void forget(KeycloakSession session, AuthenticationSessionModel authSession) {
        String hash = authSession.getAuthNote(NOTE);
        if (hash != null) {
            store(session).remove(LINK_KEY + hash);
            authSession.removeAuthNote(NOTE);
        }
        authSession.removeAuthNote(EXPIRES_NOTE);
    }

    /** The sign-in (authentication session tab) a link belongs to, while it still waits for that link. */
    public static Optional<AuthenticationSessionModel> signIn(KeycloakSession session, RealmModel realm, Binding link) {
        RootAuthenticationSessionModel root = session.authenticationSessions().getRootAuthenticationSession(realm, link.rootSessionId());
        AuthenticationSessionModel tab = root == null ? null : root.getAuthenticationSessions().get(link.tabId());
        return tab != null && link.hash().equals(tab.getAuthNote(NOTE)) ? Optional.of(tab) : Optional.empty();
    }

    private static Optional<Binding> valid(KeycloakSession session, RealmModel realm, String hash, Map<String, String> stored) {
        if (stored == null || !realm.getId().equals(stored.get("realm"))) {
            return Optional.empty();
        }
        Binding link = Binding.of(hash, stored);
        if (Time.currentTimeMillis() >= link.expiresAt() || signIn(session, realm, link).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(link);
    }

    /** Where the waiting code page asks whether its link has been answered. */
    public static String statusUrl(KeycloakSession session, AuthenticationSessionModel authSession) {
        return session.getContext().getUri().getBaseUriBuilder().path("realms").path(authSession.getRealm().getName()).path(RESOURCE)
                .path("link-status").queryParam("tab_id", authSession.getTabId()).build().toString();
    }

    /**
     * Whether the host in a link is the server's own: the realm's Frontend URL, or the server's
     * {@code hostname} option. Without either, Keycloak takes the host from the request (its Host or
     * a forwarded header), and whoever starts a sign-in could have the victim's text point at a site
     * of theirs, which would then hold the token and confirm its own waiting sign-in. Then no link
     * is sent, only a code.
     */
    public static boolean hostIsFixed(RealmModel realm) {
        String frontend = realm.getAttribute("frontendUrl");
        String hostname = Config.scope("hostname", "v2").get("hostname");
        return (frontend != null && !frontend.isBlank()) || (hostname != null && !hostname.isBlank());
    }

    private static String url(KeycloakSession session, RealmModel realm, String token) {
        return session.getContext().getUri().getBaseUriBuilder().path("realms").path(realm.getName()).path(RESOURCE)
                .path("link").path(token).build().toString();
    }

    private static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DeviceRepresentation device(KeycloakSession session) {
        DeviceRepresentationProvider provider = session.getProvider(DeviceRepresentationProvider.class);
        return provider == null ? null : provider.deviceRepresentation();
    }

    /** "Chrome/120.0.0" is shown as "Chrome": the page names the browser, not its build. */
    private static String family(String name) {
        if (name == null || name.isBlank()) {
            return "Other";
        }
        int slash = name.indexOf('/');
        return (slash > 0 ? name.substring(0, slash) : name).trim();
    }

    private static SingleUseObjectProvider store(KeycloakSession session) {
        return session.singleUseObjects();
    }
}
