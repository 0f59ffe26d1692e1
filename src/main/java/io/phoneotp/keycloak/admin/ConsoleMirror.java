package io.phoneotp.keycloak.admin;

import io.phoneotp.keycloak.delivery.PhoneOtpSender;
import io.phoneotp.keycloak.delivery.SenderSettingsChanged;
import io.phoneotp.keycloak.policy.PhonePolicyChanged;
import io.phoneotp.keycloak.policy.PhonePolicyStore;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiTabProvider;

import java.util.List;
import java.util.Optional;

/**
 * Keeps the admin console's tabs showing the realm's stored settings. The settings live in one
 * place (the sender components, the policy attribute); the tabs' own components are rewritten from
 * there after every change: a save through the admin REST resource, the console or (for the
 * senders) Keycloak's component API, and a realm import. A policy attribute edited by hand in the
 * realm's attributes is not seen until the next save. Without the {@code declarative-ui} feature there are no tabs
 * and nothing to do.
 */
final class ConsoleMirror {

    /** Set on the session while we write a view, so that the tabs' hooks do not take our write for an administrator's. */
    private static final String WRITING = ConsoleMirror.class.getName() + ".writing";
    /** Set on the session while a sender component that is about to be removed must not be shown. */
    private static final String REMOVING = ConsoleMirror.class.getName() + ".removing";

    private ConsoleMirror() {
    }

    static void registerOn(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof SenderSettingsChanged changed) {
                with(changed.session(), REMOVING, changed.removedComponentId(), () -> refresh(changed.session(), changed.realm()));
            } else if (event instanceof PhonePolicyChanged changed) {
                refresh(changed.session(), changed.realm());
            } else if (event instanceof RealmModel.RealmPostCreateEvent created && hasSettings(created.getCreatedRealm())) {
                // an imported realm: its components arrive without the hooks that follow a save
                refresh(created.getKeycloakSession(), created.getCreatedRealm());
            }
        });
    }

    /** Whether a stored component is on its way out (its removal is being announced) and no longer counts. */
    static boolean isRemoving(KeycloakSession session, ComponentModel component) {
        return component.getId() != null && component.getId().equals(session.getAttribute(REMOVING));
    }

    static boolean isWriting(KeycloakSession session) {
        return session.getAttribute(WRITING) != null;
    }

    /** Rewrites every tab's view of the realm that differs from the stored settings. */
    static void refresh(KeycloakSession session, RealmModel realm) {
        if (isWriting(session)) {
            return;
        }
        List<ConsoleTabFactory> tabs = session.getKeycloakSessionFactory().getProviderFactoriesStream(UiTabProvider.class)
                .filter(ConsoleTabFactory.class::isInstance).map(ConsoleTabFactory.class::cast).toList();
        if (tabs.isEmpty()) {
            return;
        }
        with(session, WRITING, Boolean.TRUE, () -> {
            for (ConsoleTabFactory tab : tabs) {
                Optional<ComponentModel> current = find(realm, tab.getId());
                MultivaluedHashMap<String, String> view = tab.view(session, realm,
                        current.map(ComponentModel::getConfig).orElseGet(MultivaluedHashMap::new));
                write(realm, tab.getId(), current, view);
            }
        });
    }

    /** Changes one entry of a tab's view (a test send's outcome; null removes it), leaving the rest as it is. */
    static void note(KeycloakSession session, RealmModel realm, String tabId, String key, String value) {
        Optional<ComponentModel> current = find(realm, tabId);
        MultivaluedHashMap<String, String> view = new MultivaluedHashMap<>(current.map(ComponentModel::getConfig).orElseGet(MultivaluedHashMap::new));
        if (value == null) {
            view.remove(key);
        } else {
            view.putSingle(key, value);
        }
        with(session, WRITING, Boolean.TRUE, () -> write(realm, tabId, current, view));
    }

    /** Runs {@code work} with the session attribute set (when {@code value} is not null), and removes it after. */
    private static void with(KeycloakSession session, String attribute, Object value, Runnable work) {
        if (value == null) {
            work.run();
            return;
        }
        session.setAttribute(attribute, value);
        try {
            work.run();
        } finally {
            session.removeAttribute(attribute);
        }
    }

    static Optional<ComponentModel> find(RealmModel realm, String tabId) {
        return realm.getComponentsStream(realm.getId(), UiTabProvider.class.getName())
                .filter(c -> tabId.equals(c.getProviderId()))
                .findFirst();
    }

    private static void write(RealmModel realm, String tabId, Optional<ComponentModel> current, MultivaluedHashMap<String, String> view) {
        if (current.isPresent()) {
            if (!view.equals(current.get().getConfig())) {
                ComponentModel model = new ComponentModel(current.get());
                model.setConfig(view);
                realm.updateComponent(model);
            }
            return;
        }
        ComponentModel model = new ComponentModel();
        model.setName(tabId);
        model.setParentId(realm.getId());
        model.setProviderType(UiTabProvider.class.getName());
        model.setProviderId(tabId);
        model.setConfig(view);
        realm.addComponentModel(model);
    }

    private static boolean hasSettings(RealmModel realm) {
        return PhonePolicyStore.isStored(realm) || realm.getComponentsStream(realm.getId(), PhoneOtpSender.class.getName()).findAny().isPresent();
    }
}
