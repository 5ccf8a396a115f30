# shellcheck shell=bash
# What scripts/demo-service and scripts/bench-serve share: a `qujat serve`
# on loopback with the test PKI and an SQLite store, EDS login with
# `qujat sign --format cms` over the nonce, and the applicant's signed
# submission. Sourced; the caller sets:
#   qujat          the qujat binary
#   root           the checkout
#   work           a folder of its own (configuration, store, tokens, log)
#   pki            the test PKI (qujat pki make-test-pki)
#   password_file  the PKI's password, in a 0600 file
# Secrets stay in 0600 files: never in argv or curl's environment.

field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" | head -n 1; }
iin_of() { "$qujat" pki show "$1" --password-file "$password_file" | sed -n 's/^ *iin: //p' | head -n 1; }
bin_of() { "$qujat" pki show "$1" --password-file "$password_file" | sed -n 's/^ *bin: //p' | head -n 1; }

# The configuration names files by these paths: absolute, whatever the caller gave.
pki=$(cd "$pki" && pwd)
work=$(cd "$work" && pwd)
password_file=$(realpath "$password_file")

officer_key="$pki/rsa/officer.p12"
company_key="$pki/rsa/first_head.p12"

# Writes $work/qujat.toml: the RSA officer key signs, the officer's IIN is
# an officer, the MFA gateway is a closed port (no check is sent).
service_config() {
  umask 077
  head -c 48 /dev/urandom > "$work/token.secret"
  umask 022
  cat > "$work/qujat.toml" <<TOML
[server]
listen = "127.0.0.1:0"
[store]
url = "sqlite:$work/qujat.db"
[trust]
anchors = ["$pki/trust"]
intermediates = ["$pki/rsa/ca.cer", "$pki/gost/ca.cer"]
crls = ["$pki/rsa/ca.crl", "$pki/gost/ca.crl"]
revocation = "none"
[issuer]
key = "$officer_key"
password_file = "$password_file"
body = { kk = "Қазақстан Республикасы Өнеркәсіп және құрылыс министрлігінің Өнеркәсіп комитеті", ru = "Комитет промышленности Министерства промышленности и строительства Республики Казахстан" }
position = { kk = "Төрағаның орынбасары", ru = "Заместитель председателя" }
full_name = "Министрліков Е. Т."
[officers]
"$(iin_of "$officer_key")" = ["officer", "head"]
[mfa]
endpoint = "http://127.0.0.1:9/mfa"
[auth]
token_secret_file = "$work/token.secret"
[procedure]
calendar_dir = "$root/calendar"
TOML
}

# Starts `qujat serve --config $work/qujat.toml`: $server (pid), $url.
service_start() {
  "$qujat" serve --config "$work/qujat.toml" > "$work/serve.out" 2> "$work/serve.log" &
  server=$!
  url=
  for _ in $(seq 100); do
    url=$(sed -n 's/^listening on //p' "$work/serve.out" | head -n 1)
    [ -n "$url" ] && return 0
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; return 1; }
    sleep 0.2
  done
  echo "qujat serve printed no 'listening on URL'" >&2
  return 1
}

# SIGTERM; $stop_status is the server's exit status.
service_stop() {
  kill -TERM "$server"
  stop_status=0
  wait "$server" || stop_status=$?
}

# service_login KEY NAME: the token in $work/NAME.token and the header
# line in $work/NAME.header (both 0600).
service_login() {
  curl -sf -X POST "$url/api/v1/auth/challenge" | field nonce > "$work/$2.nonce"
  printf '%s' "$(cat "$work/$2.nonce")" > "$work/$2.nonce.txt"
  "$qujat" sign --format cms --key "$1" --password-file "$password_file" -o "$work/$2.nonce.cms" "$work/$2.nonce.txt"
  printf '{"cms":"%s"}' "$(base64 -w0 "$work/$2.nonce.cms")" > "$work/$2.login.json"
  umask 077
  curl -sf -X POST -H 'Content-Type: application/json' --data-binary "@$work/$2.login.json" \
    "$url/api/v1/auth/token" | field token > "$work/$2.token"
  printf 'Authorization: Bearer %s\n' "$(cat "$work/$2.token")" > "$work/$2.header"
  umask 022
}

# service_api WHO METHOD PATH [BODY_FILE]
service_api() {
  local args=(-sS -X "$2" -H "@$work/$1.header")
  [ $# -ge 4 ] && args+=(-H 'Content-Type: application/json' --data-binary "@$4")
  curl "${args[@]}" "$url$3"
}

# The applicant's export licence application (samples/export-licence.json
# for the company key's BIN, with made-up scans named by SHA-256), signed
# as NCALayer signs it: $work/submit.json is the body of
# POST /api/v1/applications.
service_submission() {
  python3 - "$root/samples/export-licence.json" "$(bin_of "$company_key")" "$work" <<'PY'
import base64, hashlib, json, sys
app = json.load(open(sys.argv[1]))
app.pop("licence", None)
app["applicant"]["bin"] = sys.argv[2]
app.setdefault("flags", {})["first_export_to_counterparty"] = False
files = {}
for i, a in enumerate(app.get("attachments", [])):
    content = ("%PDF-1.4 scan of " + a.get("type", "") + " #" + str(i)).encode()
    h = hashlib.sha256(content).hexdigest()
    a["sha256"] = h
    files[h] = base64.b64encode(content).decode()
open(sys.argv[3] + "/application.json", "w").write(json.dumps(app, ensure_ascii=False))
json.dump(files, open(sys.argv[3] + "/files.json", "w"))
PY
  "$qujat" sign --format cms --key "$company_key" --password-file "$password_file" -o "$work/application.cms" \
    "$work/application.json"
  printf '{"cms":"%s","files":%s}' "$(base64 -w0 "$work/application.cms")" "$(cat "$work/files.json")" \
    > "$work/submit.json"
}

# The officer's three steps to a licence, as request bodies in $work:
# accept.json, approval.json (dated today in Almaty), issue.json.
service_action_bodies() {
  local today
  today=$(TZ=Asia/Almaty date +%F)
  printf '{"action":"accept"}' > "$work/accept.json"
  printf '{"action":"record_approval","body":{"kk":"ҚР ҰҚК","ru":"КНБ РК"},"letter_number":"27/4-1182","letter_date":"%s"}' \
    "$today" > "$work/approval.json"
  printf '{"action":"issue"}' > "$work/issue.json"
}
