package io.phoneotp.keycloak.admin;

import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.services.ui.extend.UiTabProvider;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

import java.util.Map;
import java.util.Optional;

/**
 * A tab of ours under Realm settings in the admin console (Keycloak's declarative UI, feature
 * {@code declarative-ui}). The console keeps what it shows in a realm component of the tab's own;
 * to us that component is only a view: a save through it is checked and stored like a save through
 * the admin REST resource, and {@link ConsoleMirror} rewrites the view from the stored settings
 * whenever they change, by whatever path. Secrets never stay in the view.
 */
abstract class ConsoleTabFactory implements UiTabProvider, UiTabProviderFactory<ComponentModel> {

    /** Realm settings' own route: the tab is one more {@code :tab} there. */
    private static final String REALM_SETTINGS_TAB = "/:realm/realm-settings/:tab";

    /** What the tab shows: the realm's stored settings, secrets masked; {@code current} is the view as it stands (or empty). */
    abstract MultivaluedHashMap<String, String> view(KeycloakSession session, RealmModel realm, MultivaluedHashMap<String, String> current);

    /** What is wrong with the tab's content as a setting to store, the message starting with the field; empty when it can be stored. */
    abstract Optional<String> problem(KeycloakSession session, RealmModel realm, ComponentModel tab);

    /**
     * Stores the tab's content (checked by {@link #problem}) where the settings live, and does what else it asks for.
     *
     * @param before the view as it was before this save (empty when the view is new)
     */
    abstract void save(KeycloakSession session, RealmModel realm, ComponentModel tab, MultivaluedHashMap<String, String> before);

    @Override
    public String getPath() {
        return REALM_SETTINGS_TAB;
    }

    @Override
    public Map<String, String> getParams() {
        return Map.of("tab", getId());
    }

    /**
     * Also who may see and who may change the tab. The 26.7 console does not read these (it shows the tab to
     * every realm administrator, and Keycloak refuses a save without manage-realm); later consoles read them.
     */
    @Override
    public Map<String, Object> getTypeMetadata() {
        Map<String, Object> metadata = new java.util.HashMap<>(UiTabProviderFactory.super.getTypeMetadata());
        metadata.put("requiredViewRoles", java.util.List.of("view-realm"));
        metadata.put("requiredManageRoles", java.util.List.of("manage-realm"));
        return metadata;
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) throws ComponentValidationException {
        if (ConsoleMirror.isWriting(session)) {
            return;
        }
        // one view per realm and tab, the realm's own: another would keep what was typed into it
        if (!realm.getId().equals(model.getParentId())) {
            throw new ComponentValidationException("The " + getId() + " tab belongs to the realm itself (parentId: the realm's id)");
        }
        if (ConsoleMirror.find(realm, getId()).filter(view -> !view.getId().equals(model.getId())).isPresent()) {
            throw new ComponentValidationException("The realm has its " + getId() + " tab already: change that one");
        }
        problem(session, realm, model).ifPresent(problem -> {
            throw new ComponentValidationException(withLabel(problem));
        });
    }

    /**
     * The message as the tab shows it: the checks name the field by its key (as the REST resource
     * does), the tab by the label it shows, followed by the key.
     */
    String withLabel(String problem) {
        for (ProviderConfigProperty field : getConfigProperties()) {
            String key = field.getName();
            if (problem.startsWith(key + " ") || problem.startsWith(key + ":")) {
                return field.getLabel() + " (" + key + ")" + problem.substring(key.length());
            }
            if (problem.startsWith(key + ".") && problem.indexOf(' ') > 0) {
                // an entry of a map field, such as fromByCountry.DE: the label, then the key with the entry
                int end = problem.indexOf(' ');
                return field.getLabel() + " (" + problem.substring(0, end) + ")" + problem.substring(end);
            }
        }
        return problem;
    }

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        saved(session, realm, model, new MultivaluedHashMap<>());
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        saved(session, realm, newModel, oldModel.getConfig());
    }

    private void saved(KeycloakSession session, RealmModel realm, ComponentModel tab, MultivaluedHashMap<String, String> before) {
        if (ConsoleMirror.isWriting(session)) {
            return;
        }
        save(session, realm, tab, before);
        // also when the stored settings did not change: what the administrator typed (a token, say) must not stay in the view
        ConsoleMirror.refresh(session, realm);
    }

    static String first(ComponentModel model, String key) {
        String value = model.get(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
