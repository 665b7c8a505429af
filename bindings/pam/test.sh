#!/usr/bin/env bash
# Builds pam_iamauth.so and drives it through the real libpam with tests/test_pam.c, one
# attempt per case, with tokens made by the iamauth CLI (fake credentials only). Checks the PAM
# result, the log line's code, and that the log never holds a secret, a token or a signature.
# Needs root only to install libpam0g-dev / valgrind when they are missing (tests/need.sh).
#
#   bash bindings/pam/test.sh
#   IAMAUTH_PAM_MODULE=DIR/pam_iamauth.so IAMAUTH_CLI=DIR/iamauth bash bindings/pam/test.sh
#       the same checks on a prebuilt module and command (tests/dist/test-c.sh: the release
#       archive's), without cargo
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

. "$root/tests/need.sh"
need_apt libpam0g-dev valgrind gcc

if [ -n "${IAMAUTH_PAM_MODULE:-}" ]; then
    module="$IAMAUTH_PAM_MODULE"
    cli="${IAMAUTH_CLI:?IAMAUTH_CLI: the iamauth command that goes with IAMAUTH_PAM_MODULE}"
else
    cargo build --release -p iamauth-pam -p iamauth-cli
    module="$root/target/release/pam_iamauth.so"
    cp "$root/target/release/libpam_iamauth.so" "$module"
    cli="$root/target/release/iamauth"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g -O1 -o "$tmp/test_pam" "$here/tests/test_pam.c" -lpam

# --- fake credentials and keys files ----------------------------------------------------------
akid=AKIDEXAMPLE
secret='wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
# Long, like STS's: the tokens that carry it are ~1.8 KB, far past pam_exec's 511-byte cut.
session="FwoGZXIvYXdzEXAMPLE$(printf 'A%.0s' $(seq 1 1400))"
other_session="FwoGZXIvYXdzEXAMPLE$(printf 'B%.0s' $(seq 1 1400))"
host=db.example.com
port=5432
region=us-east-1
user=app

printf '{"%s": {"secret_access_key": "%s"}}\n' "$akid" "$secret" >"$tmp/keys.json"
printf '{"%s": {"secret_access_key": "%s", "session_token": "%s"}}\n' \
    "$akid" "$secret" "$session" >"$tmp/keys-session.json"
chmod 600 "$tmp"/keys*.json

log="$tmp/iamauth.log"
conf="$tmp/pam.d"
mkdir -p "$conf"
common="host=$host port=$port region=$region log=$log"
service_file() { # NAME MODULE-ARGS
    printf 'auth required %s %s\naccount required pam_permit.so\n' "$module" "$2" >"$conf/$1"
}
service_file iamauth-test "keys=$tmp/keys.json $common"
service_file iamauth-session "keys=$tmp/keys-session.json $common"
service_file iamauth-nokeys "$common"
service_file iamauth-badport "keys=$tmp/keys.json host=$host port=99999 region=$region log=$log"
service_file iamauth-badhost "keys=$tmp/keys.json host=a/b port=$port region=$region log=$log"
service_file iamauth-unknownarg "keys=$tmp/keys.json $common bogus=1"
service_file iamauth-missingkeys "keys=$tmp/absent.json $common"
service_file iamauth-badlog "keys=$tmp/keys.json host=$host port=$port region=$region log=$tmp/no/such/dir.log"

# --- tokens -------------------------------------------------------------------------------------
now=$(date +%s)
token() { # NAME AKID SESSION-TOKEN-OR-EMPTY CLI-ARGS... : writes $tmp/token.NAME
    local file="$tmp/token.$1" id=$2 st=$3
    shift 3
    if [ -n "$st" ]; then
        AWS_ACCESS_KEY_ID=$id AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$st "$cli" rds "$@" >"$file"
    else
        env -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID=$id AWS_SECRET_ACCESS_KEY=$secret "$cli" rds "$@" >"$file"
    fi
    # The CLI ends the token with a newline; the password is the token alone.
    local t
    t=$(cat "$file")
    printf '%s' "$t" >"$file"
}
std=(--host "$host" --port "$port" --user "$user" --region "$region" --time "$now")
token valid "$akid" "" "${std[@]}"
valid=$tmp/token.valid
token with_session "$akid" "$session" "${std[@]}"
with_session=$tmp/token.with_session
token wrong_session "$akid" "$other_session" "${std[@]}"
wrong_session=$tmp/token.wrong_session
token expired "$akid" "" --host "$host" --port "$port" --user "$user" --region "$region" --time $((now - 1200))
expired=$tmp/token.expired
token other_user "$akid" "" --host "$host" --port "$port" --user bob --region "$region" --time "$now"
other_user=$tmp/token.other_user
token other_host "$akid" "" --host other.example.com --port "$port" --user "$user" --region "$region" --time "$now"
other_host=$tmp/token.other_host
token other_port "$akid" "" --host "$host" --port 3306 --user "$user" --region "$region" --time "$now"
other_port=$tmp/token.other_port
token other_region "$akid" "" --host "$host" --port "$port" --user "$user" --region eu-west-1 --time "$now"
other_region=$tmp/token.other_region
token unknown_key AKIDUNKNOWNEXAMPLE "" "${std[@]}"
unknown_key=$tmp/token.unknown_key
tampered="$tmp/token.tampered"
# Change the signature's last hex digit (the CLI writes X-Amz-Signature last).
t=$(cat "$valid")
if [ "${t: -1}" = 0 ]; then printf '%s1' "${t%?}" >"$tampered"; else printf '%s0' "${t%?}" >"$tampered"; fi
garbage="$tmp/garbage"
head -c 2250 /dev/urandom | base64 -w0 >"$garbage" # 3000 characters, and no reader that stops early (SIGPIPE under pipefail)
empty="$tmp/empty"
: >"$empty"
token spaced_user_token "$akid" "" --host "$host" --port "$port" --user "app x" --region "$region" --time "$now"
spaced_user_token=$tmp/token.spaced_user_token

[ "$(wc -c <"$with_session")" -gt 1500 ] || { echo "session token too short to test"; exit 1; }
cmp -s "$valid" "$tampered" && { echo "tampering did not change the token"; exit 1; }

# --- cases --------------------------------------------------------------------------------------
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

# case NAME SERVICE USER PASSWORD-FILE EXPECT LOG-PATTERN (grep -E on the attempt's new log lines)
case_() {
    local name=$1 service=$2 who=$3 file=$4 expect=$5 pattern=$6
    local before
    before=$(wc -l 2>/dev/null <"$log" || echo 0)
    if ! "$tmp/test_pam" "$conf" "$service" "$who" "$file" "$expect"; then
        fail "$name: PAM result is not $expect"
        return
    fi
    local lines
    lines=$(tail -n +"$((before + 1))" "$log" 2>/dev/null || true)
    if [ "$(printf '%s\n' "$lines" | grep -c .)" -ne 1 ]; then
        fail "$name: expected one log line, got: $lines"
    elif ! printf '%s\n' "$lines" | grep -Eq "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z pam_iamauth: $pattern"; then
        fail "$name: log line '$lines' does not match '$pattern'"
    else
        pass "$name"
    fi
}

s=iamauth-test
ss=iamauth-session
case_ "valid token" $s $user "$valid" ok "accepted user=app key=AKIDEXAMPLE service=$s\$"
case_ "token with the key's session token (~1.8 KB)" $ss $user "$with_session" ok "accepted user=app key=AKIDEXAMPLE service=$ss\$"
case_ "expired (signed 20 min ago)" $s $user "$expired" auth_err "refused user=app code=EXPIRED_TOKEN key=AKIDEXAMPLE service=$s\$"
case_ "another user" $s $user "$other_user" auth_err "refused user=app code=WRONG_USER key=AKIDEXAMPLE "
case_ "valid token for app, PAM user bob" $s bob "$valid" auth_err "refused user=bob code=WRONG_USER "
case_ "another host" $s $user "$other_host" auth_err "refused user=app code=WRONG_HOST "
case_ "another port" $s $user "$other_port" auth_err "refused user=app code=WRONG_PORT "
case_ "another region" $s $user "$other_region" auth_err "refused user=app code=WRONG_REGION "
case_ "tampered signature" $s $user "$tampered" auth_err "refused user=app code=SIGNATURE_MISMATCH key=AKIDEXAMPLE "
case_ "unknown access key" $s $user "$unknown_key" auth_err "refused user=app code=UNKNOWN_ACCESS_KEY key=AKIDUNKNOWNEXAMPLE "
case_ "another session token" $ss $user "$wrong_session" auth_err "refused user=app code=SESSION_TOKEN_MISMATCH "
case_ "no session token, key requires one" $ss $user "$valid" auth_err "refused user=app code=SESSION_TOKEN_MISMATCH "
case_ "session token, key has none" $s $user "$with_session" auth_err "refused user=app code=SESSION_TOKEN_MISMATCH "
case_ "3000-byte garbage password" $s $user "$garbage" auth_err "refused user=app code=MALFORMED_TOKEN key=- "
case_ "empty password" $s $user "$empty" auth_err "refused user=app code=MALFORMED_TOKEN key=- "
# A user name with a control character breaks the core's user rule: refused (not a line error).
case_ "user name is escaped in the log" $s $'app x\ncode=OK' "$spaced_user_token" auth_err 'refused user=app\\x20x\\x0acode=OK code=INVALID_USER '
case_ "user with a space, token for it" $s "app x" "$spaced_user_token" ok 'accepted user=app\\x20x key=AKIDEXAMPLE '
case_ "line without keys=" iamauth-nokeys $user "$valid" service_err "error code=BAD_ARGUMENT service=iamauth-nokeys -- keys= is required\$"
case_ "line with port=99999" iamauth-badport $user "$valid" service_err "error code=INVALID_PORT service=iamauth-badport -- port: "
case_ "line with host=a/b" iamauth-badhost $user "$valid" service_err "error code=INVALID_HOST service=iamauth-badhost -- host: "
case_ "line with an unknown argument" iamauth-unknownarg $user "$valid" service_err "error code=BAD_ARGUMENT service=iamauth-unknownarg -- unknown argument bogus= "
case_ "keys file missing" iamauth-missingkeys $user "$valid" service_err "error code=KEYS_UNREADABLE .*keys=: "

# A log that cannot be written changes nothing: the valid token still passes, a bad one fails.
if "$tmp/test_pam" "$conf" iamauth-badlog $user "$valid" ok && "$tmp/test_pam" "$conf" iamauth-badlog $user "$expired" auth_err; then
    pass "unwritable log= does not change the result"
else
    fail "unwritable log= changed the result"
fi

# The log: mode 0600, and none of the secrets or tokens.
mode=$(stat -c %a "$log")
if [ "$mode" = 600 ]; then pass "log file mode is 0600"; else fail "log file mode is $mode"; fi
leaked=0
for needle in "$secret" "FwoGZXIvYXdz" "X-Amz-Signature" "X-Amz-Credential" "Action=connect"; do
    if grep -qF -- "$needle" "$log"; then leaked=1; echo "  log contains: ${needle:0:30}..."; fi
done
for f in "$tmp"/token.*; do
    sig=$(grep -oE 'X-Amz-Signature=[0-9a-f]{64}' "$f" | cut -d= -f2 || true)
    if [ -n "$sig" ] && grep -qF -- "$sig" "$log"; then leaked=1; echo "  log contains a signature"; fi
    if grep -qF -- "$(cat "$f")" "$log"; then leaked=1; echo "  log contains a token"; fi
done
if [ "$leaked" = 0 ]; then pass "log holds no secret, token, session token or signature"; else fail "log leaks"; fi

# One run under valgrind (valid token, the whole libpam path).
rc=0
valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    "$tmp/test_pam" "$conf" $ss $user "$with_session" ok || rc=$?
if [ "$rc" = 0 ]; then pass "valgrind: valid token, no memory errors or definite leaks"; else fail "valgrind (exit $rc)"; fi

[ "${IAMAUTH_PAM_SHOW_LOG:-}" = 1 ] && cat "$log"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
