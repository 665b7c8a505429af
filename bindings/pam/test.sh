#!/usr/bin/env bash
# Builds pam_iamauth.so and drives it through the real libpam with tests/test_pam.c, one
# attempt per case, with tokens made by the iamauth CLI (fake credentials only). Checks the PAM
# result, the log line's code (in the log= file and in syslog), and that the log never holds a
# secret, a token or a signature; then the file rules (a FIFO at keys= or log= never holds an
# attempt, a symlink at log= is not written through, unsafe keys files are PAM_SERVICE_ERR) and
# the per-key grants.
# Needs root only to install libpam0g-dev / valgrind when they are missing (tests/need.sh).
#
# Syslog: the script runs itself in a private mount namespace (unshare -m as root, unshare -rm
# otherwise) whose /dev holds its own /dev/log, a datagram socket read by a small Python
# listener, so every line the module sends to syslog is checked, with its facility (authpriv),
# whether or not the machine runs a syslog daemon, and nothing reaches the machine's own log.
# Where no namespace can be made, the syslog checks are skipped (and said so).
#
#   bash bindings/pam/test.sh
#   IAMAUTH_PAM_MODULE=DIR/pam_iamauth.so IAMAUTH_CLI=DIR/iamauth bash bindings/pam/test.sh
#       the same checks on a prebuilt module and command (tests/dist/test-c.sh: the release
#       archive's), without cargo
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

if [ -z "${IAMAUTH_PAM_NS:-}" ] && command -v unshare >/dev/null; then
    ns_flags=(-m --propagation private)
    [ "$(id -u)" = 0 ] || ns_flags=(-r "${ns_flags[@]}")
    if unshare "${ns_flags[@]}" true 2>/dev/null; then
        IAMAUTH_PAM_NS=1 exec unshare "${ns_flags[@]}" bash "$0" "$@"
    fi
fi

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
listener=""
dev=""
cleanup() {
    if [ -n "$listener" ]; then
        kill "$listener" 2>/dev/null || true
        wait "$listener" 2>/dev/null || true
    fi
    # Lazily: this shell may still hold a file under the private /dev. (The namespace, and with
    # it every mount here, ends with the script anyway.)
    if [ -n "$dev" ]; then
        umount -l /dev 2>/dev/null || true
        umount -l "$dev" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g -O1 -o "$tmp/test_pam" "$here/tests/test_pam.c" -lpam

# --- syslog: a private /dev/log in this mount namespace ---------------------------------------
syslog="$tmp/syslog.txt"
have_syslog=0
if [ -n "${IAMAUTH_PAM_NS:-}" ]; then
    dev="$tmp/dev"
    mkdir "$dev"
    if mount -t tmpfs -o mode=0755 iamauth-dev "$dev"; then
        for n in null zero full random urandom tty; do
            [ -e "/dev/$n" ] && : >"$dev/$n" && mount --bind "/dev/$n" "$dev/$n"
        done
        ln -s /proc/self/fd "$dev/fd"
        ln -s /proc/self/fd/0 "$dev/stdin"
        ln -s /proc/self/fd/1 "$dev/stdout"
        ln -s /proc/self/fd/2 "$dev/stderr"
        mkdir "$dev/shm" "$dev/pts"
        # Each datagram as one line (glibc's syslog sends `<PRI>TIMESTAMP IDENT[PID]: MESSAGE`).
        python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[3], "w").close()
with open(sys.argv[2], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(65536).rstrip(b"\0\n") + b"\n")
' "$dev/log" "$syslog" "$tmp/syslog.ready" &
        listener=$!
        for _ in $(seq 1 100); do [ -e "$tmp/syslog.ready" ] && break; sleep 0.05; done
        if [ -e "$tmp/syslog.ready" ] && mount --rbind "$dev" /dev; then
            have_syslog=1
        fi
    fi
fi
[ "$have_syslog" = 1 ] || echo "skip syslog checks: no private mount namespace here (unshare -m needs root or user namespaces)"

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

# The file rules and the grants (section "files and grants" below).
limited=AKIDLIMITEDEXAMPLE
limited_secret='LiMiTeD/FAKE+secret+for+the+pam+grant+test'
printf '{"%s": {"secret_access_key": "%s"},\n "%s": {"secret_access_key": "%s", "users": ["app"]}}\n' \
    "$akid" "$secret" "$limited" "$limited_secret" >"$tmp/keys-grants.json"
chmod 600 "$tmp/keys-grants.json"
service_file iamauth-grants "keys=$tmp/keys-grants.json $common"
for mode in 620 602 666 604; do
    cp "$tmp/keys.json" "$tmp/keys-$mode.json"
    chmod "$mode" "$tmp/keys-$mode.json"
    service_file "iamauth-keys-$mode" "keys=$tmp/keys-$mode.json $common"
done
ln -s "$tmp/keys.json" "$tmp/keys-link.json"
service_file iamauth-keys-link "keys=$tmp/keys-link.json $common"
mkfifo "$tmp/keys-fifo.json"
service_file iamauth-keys-fifo "keys=$tmp/keys-fifo.json $common"
mkfifo "$tmp/fifo.log"
service_file iamauth-log-fifo "keys=$tmp/keys.json host=$host port=$port region=$region log=$tmp/fifo.log"
printf 'precious\n' >"$tmp/target.txt"
chmod 600 "$tmp/target.txt"
cp "$tmp/target.txt" "$tmp/target.orig"
ln -s "$tmp/target.txt" "$tmp/link.log"
service_file iamauth-log-link "keys=$tmp/keys.json host=$host port=$port region=$region log=$tmp/link.log"
install -m 0666 /dev/null "$tmp/open.log"
service_file iamauth-log-open "keys=$tmp/keys.json host=$host port=$port region=$region log=$tmp/open.log"
install -m 0600 /dev/null "$tmp/first.log"
ln "$tmp/first.log" "$tmp/second.log"
service_file iamauth-log-hardlink "keys=$tmp/keys.json host=$host port=$port region=$region log=$tmp/second.log"
service_file iamauth-syslog-only "keys=$tmp/keys.json host=$host port=$port region=$region"

# --- tokens -------------------------------------------------------------------------------------
now=$(date +%s)
token() { # NAME AKID SESSION-TOKEN-OR-EMPTY CLI-ARGS... : writes $tmp/token.NAME (TOKEN_SECRET: another secret)
    local file="$tmp/token.$1" id=$2 st=$3 key=${TOKEN_SECRET:-$secret}
    shift 3
    if [ -n "$st" ]; then
        AWS_ACCESS_KEY_ID=$id AWS_SECRET_ACCESS_KEY=$key AWS_SESSION_TOKEN=$st "$cli" rds "$@" >"$file"
    else
        env -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID=$id AWS_SECRET_ACCESS_KEY=$key "$cli" rds "$@" >"$file"
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

# The module's syslog lines (libpam's own, such as "no default config other", are not counted).
module_syslog() { grep -F 'pam_iamauth(' "$syslog" 2>/dev/null || true; }
syslog_lines() { module_syslog | wc -l; }
# syslog_check NAME BEFORE PATTERN: exactly one line came after line BEFORE (the listener writes
# each datagram as it arrives: waited for up to 2 s), at facility authpriv (PRI 80 to 87), and its
# message (after pam_syslog's `pam_iamauth(SERVICE:auth): `) matches PATTERN (grep -E).
syslog_check() {
    local name=$1 before=$2 pattern=$3 lines=""
    [ "$have_syslog" = 1 ] || return 0
    for _ in $(seq 1 40); do
        lines=$(module_syslog | tail -n +"$((before + 1))")
        [ -n "$lines" ] && break
        sleep 0.05
    done
    sleep 0.05
    lines=$(module_syslog | tail -n +"$((before + 1))")
    if [ "$(printf '%s\n' "$lines" | grep -c .)" -ne 1 ]; then
        fail "$name: expected one syslog line, got: $lines"
    elif ! printf '%s\n' "$lines" | grep -Eq "^<8[0-7]>.*pam_iamauth\([^)]*\): $pattern"; then
        fail "$name: syslog line '$lines' does not match '<authpriv>... $pattern'"
    else
        return 0
    fi
    return 1
}

# case NAME SERVICE USER PASSWORD-FILE EXPECT LOG-PATTERN (grep -E on the attempt's new log lines,
# in the log= file and in syslog)
case_() {
    local name=$1 service=$2 who=$3 file=$4 expect=$5 pattern=$6
    local before sbefore
    before=$(wc -l 2>/dev/null <"$log" || echo 0)
    sbefore=$(syslog_lines)
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
    elif syslog_check "$name" "$sbefore" "$pattern"; then
        pass "$name"
    fi
}

# timed NAME SERVICE USER PASSWORD-FILE EXPECT SYSLOG-PATTERN: the attempt returns the expected
# result within 2 s (the FIFO cases: a blocked open would hold it forever; `timeout 10` ends it
# then), and its syslog line matches.
timed() {
    local name=$1 service=$2 who=$3 file=$4 expect=$5 pattern=$6 sbefore start ms rc=0
    sbefore=$(syslog_lines)
    start=$(date +%s%N)
    timeout 10 "$tmp/test_pam" "$conf" "$service" "$who" "$file" "$expect" >/dev/null || rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    if [ "$rc" != 0 ]; then
        fail "$name: PAM result is not $expect (exit $rc after $ms ms)"
    elif [ "$ms" -ge 2000 ]; then
        fail "$name: the attempt took $ms ms"
    elif syslog_check "$name" "$sbefore" "$pattern"; then
        pass "$name ($ms ms)"
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

# --- files and grants ---------------------------------------------------------------------------
# Unsafe keys files: PAM_SERVICE_ERR, INSECURE_KEYS_FILE naming the rule (never the contents).
case_ "group-writable keys file (0620)" iamauth-keys-620 $user "$valid" service_err \
    "error code=INSECURE_KEYS_FILE service=iamauth-keys-620 -- keys file: is writable by group or others\$"
case_ "world-writable keys file (0602)" iamauth-keys-602 $user "$valid" service_err \
    "error code=INSECURE_KEYS_FILE service=iamauth-keys-602 -- keys file: is writable by group or others\$"
case_ "world-writable keys file (0666)" iamauth-keys-666 $user "$valid" service_err \
    "error code=INSECURE_KEYS_FILE service=iamauth-keys-666 -- keys file: is writable by group or others\$"
case_ "keys file readable by others (0604)" iamauth-keys-604 $user "$valid" service_err \
    "error code=INSECURE_KEYS_FILE service=iamauth-keys-604 -- keys file: is readable by others\$"
case_ "keys= is a symbolic link (to a good keys file)" iamauth-keys-link $user "$valid" service_err \
    "error code=INSECURE_KEYS_FILE service=iamauth-keys-link -- keys file: is a symbolic link\$"
# Bounded work: a malformed token is refused before the keys file is touched, so even an unsafe
# keys file answers MALFORMED_TOKEN (PAM_AUTH_ERR), not PAM_SERVICE_ERR.
case_ "malformed token never reads the keys file" iamauth-keys-666 $user "$garbage" auth_err \
    "refused user=app code=MALFORMED_TOKEN key=- service=iamauth-keys-666\$"
cp "$tmp/keys.json" "$tmp/keys-theirs.json"
if chown 65534 "$tmp/keys-theirs.json" 2>/dev/null; then
    service_file iamauth-keys-theirs "keys=$tmp/keys-theirs.json $common"
    case_ "keys file owned by another user (not root, not the reader)" iamauth-keys-theirs $user "$valid" service_err \
        "error code=INSECURE_KEYS_FILE service=iamauth-keys-theirs -- keys file: is owned by another user \\(must be root or the user reading it\\)\$"
else
    echo "skip keys file owned by another user: chown needs root"
fi
timed "FIFO at keys= (no writer): refused at once" iamauth-keys-fifo $user "$valid" service_err \
    "error code=INSECURE_KEYS_FILE service=iamauth-keys-fifo -- keys file: is not a regular file\$"

# The log file: a FIFO, a symlink, a file others can write, a second hard link are not written;
# the result is unchanged and the event is in syslog with the reason.
timed "FIFO at log= (no reader): the valid token still logs in" iamauth-log-fifo $user "$valid" ok \
    "accepted user=app key=AKIDEXAMPLE service=iamauth-log-fifo \\(log= not written: log file: is not a regular file\\)\$"
# A FIFO with a reader waiting: the open succeeds, fstat refuses it, nothing is written.
timeout 10 cat "$tmp/fifo.log" >"$tmp/fifo.read" &
reader=$!
sleep 0.2
timed "FIFO at log= (a reader waiting): nothing written, the token still logs in" iamauth-log-fifo $user "$valid" ok \
    "accepted user=app key=AKIDEXAMPLE service=iamauth-log-fifo \\(log= not written: log file: is not a regular file\\)\$"
wait "$reader" 2>/dev/null
if [ -s "$tmp/fifo.read" ]; then fail "the FIFO reader got: $(cat "$tmp/fifo.read")"; else pass "the FIFO reader got nothing"; fi
timed "symlink at log=: the valid token still logs in" iamauth-log-link $user "$valid" ok \
    "accepted user=app key=AKIDEXAMPLE service=iamauth-log-link \\(log= not written: log file: is a symbolic link\\)\$"
if cmp -s "$tmp/target.txt" "$tmp/target.orig"; then pass "symlink at log=: its target is untouched"; else fail "symlink at log=: its target changed"; fi
timed "world-writable log file (0666): not written" iamauth-log-open $user "$expired" auth_err \
    "refused user=app code=EXPIRED_TOKEN key=AKIDEXAMPLE service=iamauth-log-open \\(log= not written: log file: is writable by group or others\\)\$"
timed "log file with a second hard link: not written" iamauth-log-hardlink $user "$valid" ok \
    "accepted user=app key=AKIDEXAMPLE service=iamauth-log-hardlink \\(log= not written: log file: has more than one hard link\\)\$"
if [ -s "$tmp/open.log" ] || [ -s "$tmp/first.log" ]; then fail "an unsafe log file was written"; else pass "unsafe log files stay empty"; fi
timed "no log=: syslog only" iamauth-syslog-only $user "$valid" ok "accepted user=app key=AKIDEXAMPLE service=iamauth-syslog-only\$"
timed "no log=: a refusal in syslog" iamauth-syslog-only bob "$valid" auth_err "refused user=bob code=WRONG_USER key=AKIDEXAMPLE service=iamauth-syslog-only\$"

# Grants: a key limited to `app` (keys file "users": ["app"]) cannot log in as postgres.
TOKEN_SECRET=$limited_secret token limited_app "$limited" "" "${std[@]}"
TOKEN_SECRET=$limited_secret token limited_pg "$limited" "" --host "$host" --port "$port" --user postgres --region "$region" --time "$now"
case_ "key limited to app, as app" iamauth-grants app "$tmp/token.limited_app" ok \
    "accepted user=app key=$limited service=iamauth-grants\$"
case_ "key limited to app, as postgres" iamauth-grants postgres "$tmp/token.limited_pg" auth_err \
    "refused user=postgres code=USER_NOT_ALLOWED key=$limited service=iamauth-grants\$"
token unlimited_pg "$akid" "" --host "$host" --port "$port" --user postgres --region "$region" --time "$now"
case_ "an unlimited key of the same file, as postgres" iamauth-grants postgres "$tmp/token.unlimited_pg" ok \
    "accepted user=postgres key=AKIDEXAMPLE service=iamauth-grants\$"

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
logs=("$log")
[ "$have_syslog" = 1 ] && logs+=("$syslog")
for needle in "$secret" "$limited_secret" "FwoGZXIvYXdz" "X-Amz-Signature" "X-Amz-Credential" "Action=connect"; do
    if grep -qF -- "$needle" "${logs[@]}"; then leaked=1; echo "  log contains: ${needle:0:30}..."; fi
done
for f in "$tmp"/token.*; do
    sig=$(grep -oE 'X-Amz-Signature=[0-9a-f]{64}' "$f" | cut -d= -f2 || true)
    if [ -n "$sig" ] && grep -qF -- "$sig" "${logs[@]}"; then leaked=1; echo "  log contains a signature"; fi
    if grep -qF -- "$(cat "$f")" "${logs[@]}"; then leaked=1; echo "  log contains a token"; fi
done
if [ "$leaked" = 0 ]; then pass "log and syslog hold no secret, token, session token or signature"; else fail "log leaks"; fi

# One run under valgrind (valid token, the whole libpam path).
rc=0
valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    "$tmp/test_pam" "$conf" $ss $user "$with_session" ok || rc=$?
if [ "$rc" = 0 ]; then pass "valgrind: valid token, no memory errors or definite leaks"; else fail "valgrind (exit $rc)"; fi

[ "${IAMAUTH_PAM_SHOW_LOG:-}" = 1 ] && cat "$log"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
