package io.phoneotp.keycloak.it;

/** Compares login pages of different visits: what belongs to one visit (session codes, ids, what was typed) is blanked out. */
final class SamePage {

    private SamePage() {
    }

    /** The page without the codes and ids in its URLs and without the identifier shown back. */
    static String comparable(String html) {
        return html.replaceAll("(session_code|tab_id|client_data|execution|auth_session_id)=[A-Za-z0-9_\\-.%]+", "$1=*")
                .replaceAll("(id=\"kc-attempted-username\" value=\")[^\"]*", "$1*");
    }
}
