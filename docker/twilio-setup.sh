#!/bin/sh
# Switches the demo realm's SMS and voice providers from `log` to Twilio, through the extension's
# admin REST resource. Run by docker/compose.yaml's `twilio` profile (service twilio-setup).
# The account SID and the sender come from the environment; the auth token never does: the
# settings name the vault key `twilio-token`, which Keycloak reads from the file
# docker/vault/demo_twilio-token at each send.
set -eu

: "${TWILIO_ACCOUNT_SID:?set TWILIO_ACCOUNT_SID (AC...)}"
if [ -z "${TWILIO_FROM:-}" ] && [ -z "${TWILIO_MESSAGING_SERVICE_SID:-}" ]; then
    echo "set TWILIO_FROM (E.164) or TWILIO_MESSAGING_SERVICE_SID (MG...)" >&2
    exit 1
fi

token=$(curl -fsS \
    --data-urlencode "client_id=admin-cli" \
    --data-urlencode "grant_type=password" \
    --data-urlencode "username=${KC_BOOTSTRAP_ADMIN_USERNAME}" \
    --data-urlencode "password=${KC_BOOTSTRAP_ADMIN_PASSWORD}" \
    "${KEYCLOAK_URL}/realms/master/protocol/openid-connect/token" \
    | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "no admin token" >&2; exit 1; }

json_or_null() { if [ -n "$1" ]; then printf '"%s"' "$1"; else printf 'null'; fi; }
from=$(json_or_null "${TWILIO_FROM:-}")
service=$(json_or_null "${TWILIO_MESSAGING_SERVICE_SID:-}")
vault_ref='${vault.twilio-token}'

put() {
    curl -fsS -X PUT -H "Authorization: Bearer ${token}" -H 'Content-Type: application/json' \
        "${KEYCLOAK_URL}/admin/realms/demo/phone-otp/providers/$1" -d "$2"
    echo "demo realm: $1 now sent through Twilio"
}

put sms "{\"type\":\"twilio\",\"accountSid\":\"${TWILIO_ACCOUNT_SID}\",\"authToken\":\"${vault_ref}\",\"from\":${from},\"messagingServiceSid\":${service}}"
if [ -n "${TWILIO_FROM:-}" ]; then
    put voice "{\"type\":\"twilio\",\"accountSid\":\"${TWILIO_ACCOUNT_SID}\",\"authToken\":\"${vault_ref}\",\"from\":${from}}"
else
    echo "demo realm: voice stays on 'log' (a call needs TWILIO_FROM)"
fi
