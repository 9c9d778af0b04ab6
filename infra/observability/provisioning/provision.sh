#!/bin/sh
# Installs the observability objects inside the cluster, where Elasticsearch and Kibana are
# reachable on a fresh `pulumi up`. Idempotent: every step is a PUT, an import with
# overwrite, or a create that falls back to an update when the object exists (409).
#
# Env: ES_URL, KIBANA_URL, ELASTIC_PASSWORD (from the ECK elastic-user Secret), CONFIG_DIR
# (the rendered files), DATA_STREAMS (space-separated), optional ES_CA_FILE, KIBANA_CA_FILE,
# PAGERDUTY_ROUTING_KEY, WAIT_ATTEMPTS (default 120), WAIT_SECONDS (default 5).
set -eu

: "${ES_URL:?}" "${KIBANA_URL:?}" "${ELASTIC_PASSWORD:?}" "${CONFIG_DIR:?}"
WAIT_ATTEMPTS="${WAIT_ATTEMPTS:-120}"
WAIT_SECONDS="${WAIT_SECONDS:-5}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# call NAME METHOD URL [curl args...]: sets STATUS (000 when unreachable), body in $WORK/body.
call() {
  ca=""
  case "$1" in
    es) ca="${ES_CA_FILE:-}" ;;
    kibana) ca="${KIBANA_CA_FILE:-}" ;;
  esac
  method="$2"; url="$3"; shift 3
  STATUS="$(curl -sS -o "$WORK/body" -w '%{http_code}' --max-time 30 \
    -u "elastic:${ELASTIC_PASSWORD}" ${ca:+--cacert "$ca"} \
    -H 'kbn-xsrf: provisioning' -X "$method" "$@" "$url")" || STATUS=000
}

expect() {
  case " $2 " in
    *" $STATUS "*) ;;
    *) echo "FAILED $1: HTTP $STATUS"; cat "$WORK/body" 2>/dev/null; echo; exit 1 ;;
  esac
  echo "ok $1 (HTTP $STATUS)"
}

wait_until_ready() {
  name="$1"; target="$2"; url="$3"
  attempt=1
  while :; do
    call "$target" GET "$url"
    [ "$STATUS" = 200 ] && { echo "ready $name"; return 0; }
    if [ "$attempt" -ge "$WAIT_ATTEMPTS" ]; then
      echo "FAILED $name not ready after $attempt attempts (last HTTP $STATUS)"; exit 1
    fi
    echo "waiting for $name (HTTP $STATUS, attempt $attempt/$WAIT_ATTEMPTS)"
    attempt=$((attempt + 1))
    sleep "$WAIT_SECONDS"
  done
}

# upsert API ID CREATE_FILE UPDATE_FILE: POST creates with a fixed id; 409 means it exists, so PUT.
upsert() {
  api="$1"; id="$2"
  call kibana POST "$KIBANA_URL/$api/$id" -H 'Content-Type: application/json' --data-binary "@$3"
  if [ "$STATUS" = 409 ]; then
    call kibana PUT "$KIBANA_URL/$api/$id" -H 'Content-Type: application/json' --data-binary "@$4"
  fi
  expect "$api/$id" "200"
}

# Substitutes the routing key (validated as letters and digits by config) into connector bodies.
render() {
  sed "s/__PAGERDUTY_ROUTING_KEY__/${PAGERDUTY_ROUTING_KEY:-}/" "$1" > "$WORK/rendered.json"
  echo "$WORK/rendered.json"
}

wait_until_ready elasticsearch es "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=5s"

call es PUT "$ES_URL/_ilm/policy/nlp-pipeline-logs" -H 'Content-Type: application/json' --data-binary "@$CONFIG_DIR/ilm-policy.json"
expect "ILM policy" "200"
call es PUT "$ES_URL/_index_template/nlp-pipeline-logs" -H 'Content-Type: application/json' --data-binary "@$CONFIG_DIR/index-template.json"
expect "index template" "200"
# A data stream created before this template (or by an older one) picks it up at its next
# write after a lazy rollover; 404 = the stream does not exist yet, nothing to do.
for stream in ${DATA_STREAMS:-}; do
  call es POST "$ES_URL/$stream/_rollover?lazy=true"
  expect "lazy rollover $stream" "200 404"
done

wait_until_ready kibana kibana "$KIBANA_URL/api/status"

call kibana POST "$KIBANA_URL/api/saved_objects/_import?overwrite=true" -F "file=@$CONFIG_DIR/kibana-objects.ndjson"
expect "saved objects import" "200"
if ! grep -q '"success":true' "$WORK/body"; then
  echo "FAILED saved objects import reported errors:"; cat "$WORK/body"; echo; exit 1
fi

for create in "$CONFIG_DIR"/connector.*.create.json; do
  [ -e "$create" ] || continue
  id="$(basename "$create" .create.json)"; id="${id#connector.}"
  create_body="$(render "$create")"; mv "$create_body" "$WORK/create.json"
  update_body="$(render "$CONFIG_DIR/connector.$id.update.json")"
  upsert api/actions/connector "$id" "$WORK/create.json" "$update_body"
done

for create in "$CONFIG_DIR"/rule.*.create.json; do
  [ -e "$create" ] || continue
  id="$(basename "$create" .create.json)"; id="${id#rule.}"
  upsert api/alerting/rule "$id" "$create" "$CONFIG_DIR/rule.$id.update.json"
done

echo "provisioning complete"
