#!/usr/bin/env bash
# kubectl itself runs `iamauth eks` as its exec credential plugin (issue 16): for the exec API
# versions client.authentication.k8s.io/v1beta1 and v1, a kubeconfig whose user has
# `exec:` entry is the README's ```yaml block as written (its `command: iamauth` pointed at the
# binary under test, its apiVersion set per run; the fake keys in kubectl's environment, which the
# plugin inherits) and points at a loopback HTTPS server (tests/eks/record_server.py, 127.0.0.1 only, self-signed
# certificate) that records the Authorization header; kubectl must accept the ExecCredential
# (it refuses one of another apiVersion or shape) and send `Bearer k8s-aws-v1.<token>`, and
# `iamauth verify --cluster my-cluster --service sts` must accept that token (and refuse it for
# another cluster: SIGNATURE_MISMATCH). Exec API v1 needs kubectl 1.22 or newer: with an older
# one (Debian 12's kubernetes-client is 1.20) v1 is skipped with a message.
#
#   bash tests/eks/kubectl.sh            (IAMAUTH=path/to/iamauth to test a given binary)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/tests/need.sh"

# kubectl: Debian's kubernetes-client when no kubectl is installed (this machine's comes from
# the Google Cloud SDK's kubectl package).
command -v kubectl >/dev/null || need_apt kubernetes-client
need_apt openssl
kubectl version --client 2>/dev/null | head -1

if [ -z "${IAMAUTH:-}" ]; then
    step "build iamauth"
    (cd "$root" && cargo build --quiet -p iamauth-cli)
    IAMAUTH="$(cargo_target)/debug/iamauth"
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

step "loopback HTTPS API server"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 1 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
python3 "$here/record_server.py" "$work/auth.log" "$work/port" "$work/cert.pem" "$work/key.pem" &
server_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
port="$(cat "$work/port")"

secret=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
printf '{"AKIDEXAMPLE": {"secret_access_key": "%s"}}\n' "$secret" >"$work/keys.json"
chmod 600 "$work/keys.json"

fail() { echo "FAIL: $*" >&2; exit 1; }

# The README's kubeconfig user, with our binary as its command.
readme_user="$(awk '/^```yaml$/ {on=1; next} /^```$/ {on=0} on' "$root/README.md")"
[[ "$readme_user" == *"command: iamauth"* ]] || fail "README.md has no \`\`\`yaml block with command: iamauth"
readme_user="${readme_user//command: iamauth/command: $IAMAUTH}"

apis=(client.authentication.k8s.io/v1beta1)
minor="$(kubectl version --client -o json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["clientVersion"]["minor"].rstrip("+"))')"
if [ "$minor" -ge 22 ]; then
    apis+=(client.authentication.k8s.io/v1)
else
    echo "SKIPPED: exec API client.authentication.k8s.io/v1 (kubectl 1.$minor predates it; 1.22+ has it)"
fi
checked=0
for api in "${apis[@]}"; do
    step "kubectl with exec apiVersion $api"
    cat >"$work/kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: demo
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority: $work/cert.pem
contexts:
- name: demo
  context: {cluster: demo, user: my-cluster}
current-context: demo
${readme_user//client.authentication.k8s.io\/v1beta1/$api}
YAML
    : >"$work/auth.log"
    # No cache of ours or kubectl's in the way: a fresh HOME, nothing else from this shell.
    out="$(env -i PATH="$PATH" HOME="$work" AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY="$secret" \
        AWS_EC2_METADATA_DISABLED=true kubectl --kubeconfig "$work/kubeconfig" get --raw /version 2>"$work/stderr")" \
        || fail "kubectl refused the ExecCredential ($api): $(cat "$work/stderr")"
    [ ! -s "$work/stderr" ] || fail "kubectl said: $(cat "$work/stderr")"
    [[ "$out" == *v1.32.0-iamauth-test* ]] || fail "unexpected answer: $out"
    grep -q '^Bearer k8s-aws-v1\.' "$work/auth.log" || fail "no k8s-aws-v1. bearer token sent ($api)"
    while read -r header; do
        [ -n "$header" ] || continue   # a request without credentials (discovery) may come first
        [[ "$header" == "Bearer k8s-aws-v1."* ]] || fail "Authorization: ${header:0:30}..."
        token="${header#Bearer }"
        who="$("$IAMAUTH" verify "$token" --keys "$work/keys.json" --cluster my-cluster --service sts \
            --region us-east-1 --host sts.us-east-1.amazonaws.com --json)" || fail "verify refused kubectl's token"
        [[ "$who" == *'"kind":"eks"'*'"access_key_id":"AKIDEXAMPLE"'* ]] || fail "identity: $who"
        if "$IAMAUTH" verify "$token" --keys "$work/keys.json" --cluster other --service sts \
            >/dev/null 2>"$work/verr"; then fail "verify accepted another cluster"; fi
        grep -q '^error: SIGNATURE_MISMATCH: ' "$work/verr" || fail "another cluster: $(cat "$work/verr")"
        checked=$((checked + 1))
    done <"$work/auth.log"
done
[ "$checked" -ge "${#apis[@]}" ] || fail "only $checked tokens checked"
echo "kubectl exec plugin: $checked bearer tokens from iamauth eks (${apis[*]##*/}) sent by kubectl and verified"
