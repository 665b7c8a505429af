# The Java suite against a given jar, sourced by bindings/java/test.sh (the build-tree jar, with
# -Djava.library.path) and tests/dist/test-java.sh (the release jar alone). One copy of how the
# tests are compiled, run and judged. `suite_java` runs the JVM; a caller may redefine it (the
# aarch64 JVM under qemu, say).
#
#   . bindings/java/suite.sh
#   suite_compile JAR WORK                 tests -> WORK/test-classes, README blocks -> WORK/readme
#                                          (blocks importing a pool or driver: compiled with their
#                                          jars from /usr/share/java; skipped when one is missing,
#                                          unless SUITE_README_JARS=required)
#   suite_run JAR WORK [JAVA-FLAG...]      IamAuthTest under -Xcheck:jni, with the container
#                                          endpoint mock (bindings/c/tests/container_mock.py)
#                                          running for the credential chain tests; sets SUITE_LAST
#   suite_load_failure JAR WORK NAME [JAVA-FLAG...]   LoadFailureTest; its log is WORK/load-NAME.log
#   suite_readme_example JAR WORK [JAVA-FLAG...]      ReadmeExample, its output checked
suite_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
suite_root="$(cd "$suite_here/../.." && pwd)"
suite_version="$(sed -n 's/^#define IAMAUTH_VERSION "\(.*\)"$/\1/p' "$suite_root/bindings/c/include/iamauth.h")"

suite_java() { java "$@"; }

suite_compile() { # JAR WORK
    local jar="$1" work="$2"
    rm -rf "$work/test-classes" "$work/readme"
    mkdir -p "$work/readme"
    javac -Xlint:all -Werror -d "$work/test-classes" -cp "$jar" "$suite_here"/tests/dev/iamauth/*.java || return 1
    # The example is in the top-level README.md; the JDBC one in bindings/java/README.md.
    rm -rf "$work/readme-jars" "$work/kafka-stubs"
    mkdir -p "$work/readme-jars"
    # kafka-clients is not packaged in Debian: its API's three types as stubs (tests/stubs).
    javac -Xlint:all -Werror -d "$work/kafka-stubs" $(find "$suite_here/tests/stubs" -name '*.java') || return 1
    python3 - "$suite_root/README.md" "$suite_here/README.md" "$work/readme" "$work/readme-jars" "$work/kafka-stubs" <<'PY' || return 1
import os, re, sys
*readmes, out, out_jars, kafka_stubs = sys.argv[1:]
# The jars (Debian's, /usr/share/java) a block needs for what it imports beyond the JDK and dev.iamauth.
JARS = {"com.zaxxer.hikari": ["HikariCP.jar"], "org.postgresql": ["postgresql.jar"],
        "org.mariadb.jdbc": ["mariadb-java-client.jar"], "org.apache.commons.dbcp2": ["commons-dbcp2.jar"],
        "org.apache.commons.pool2": ["commons-pool2.jar"], "org.apache.kafka": ["kafka-clients.jar"]}
# Jars Debian does not package, compiled against stubs of their API instead (tests/stubs/README.md).
STUBS = {"kafka-clients.jar": kafka_stubs}
for readme in readmes:
    text = open(readme, encoding="utf-8").read()
    blocks = re.findall(r"```java\n(.*?)```", text, re.S)
    assert blocks, f"no java blocks in {readme}"
    for b in blocks:
        name = re.search(r"public (?:final )?class (\w+)", b).group(1)
        jars = []
        for imp in re.findall(r"^import (?:static )?([\w.]+)", b, re.M):
            if imp.startswith(("java.", "javax.", "dev.iamauth.")):
                continue
            pkg = next((p for p in JARS if imp.startswith(p + ".")), None)
            assert pkg, f"{readme}: {name} imports {imp}: add its jar to suite.sh"
            jars += [j for j in JARS[pkg] if j not in jars]
        if jars:
            paths = {j: "/usr/share/java/" + j for j in jars}
            for j in jars:
                if not os.path.exists(paths[j]) and j in STUBS:
                    paths[j] = STUBS[j]
                    print(f"README block: {name} against the API stubs of {j} (tests/stubs: not packaged in Debian)")
            missing = [j for j in jars if not os.path.exists(paths[j])]
            if missing:
                assert os.environ.get("SUITE_README_JARS") != "required", f"{name}: no /usr/share/java/{missing[0]}"
                print(f"README block: {name} skipped (no /usr/share/java/{missing[0]}; bindings/java/test.sh installs it)")
                continue
            open(f"{out_jars}/{name}.java", "w", encoding="utf-8").write(b)
            with open(f"{out_jars}/classpath", "a", encoding="utf-8") as cp:
                cp.write("".join(f"{paths[j]}\n" for j in jars))
            print("README block:", name, "(with " + ", ".join(os.path.basename(paths[j]) if paths[j].endswith(".jar") else j + " stubs" for j in jars) + ")")
        else:
            open(f"{out}/{name}.java", "w", encoding="utf-8").write(b)
            print("README block:", name)
        # verify-full checks the server against sslrootcert: an example without it cannot connect.
        assert "verify-full" not in b or "sslrootcert" in b, f"{readme}: {name} uses verify-full without sslrootcert"
    for url in re.findall(r"jdbc:[a-z]+://[^\s`\"')]+", text):
        assert "verify-full" not in url or "sslrootcert=" in url, f"{readme}: {url}: verify-full without sslrootcert"
print("README: verify-full with sslrootcert")
PY
    javac -Xlint:all -Werror -d "$work/readme" -cp "$jar" "$work/readme"/*.java || return 1
    if [ -s "$work/readme-jars/classpath" ]; then
        # -path: Debian's jars name optional ones in their manifests' Class-Path.
        javac -Xlint:all,-path -Werror -d "$work/readme-jars" \
            -cp "$jar:$(sort -u "$work/readme-jars/classpath" | paste -sd:)" "$work/readme-jars"/*.java
    fi
}

# Runs from WORK (not the checkout): the jar plus the flags given must be enough. The shared
# vectors are read in place.
# The credential chain tests start child JVMs whose environment points at a container endpoint
# mock on 127.0.0.1 (the C binding's, bindings/c/tests/container_mock.py), started here and
# stopped by its PID.
suite_run() { # JAR WORK [JAVA-FLAG...]
    local jar="$1" work="$2" rc=0 mock_pid port
    shift 2
    rm -f "$work/mock.port"
    python3 "$suite_root/bindings/c/tests/container_mock.py" >"$work/mock.port" &
    mock_pid=$!
    for _ in $(seq 50); do [ -s "$work/mock.port" ] && break; sleep 0.1; done
    port="$(head -n 1 "$work/mock.port")"
    if [ -z "$port" ]; then
        kill "$mock_pid" 2>/dev/null || true
        echo "container_mock.py did not start" >&2
        return 1
    fi
    (cd "$work" && suite_java -Xcheck:jni "$@" -Diamauth.vectors="$suite_root/tests/vectors" \
        -Diamauth.version="$suite_version" -Diamauth.test.container="http://127.0.0.1:$port" \
        -cp "$jar:$work/test-classes" dev.iamauth.IamAuthTest) \
        >"$work/test.log" 2>&1 || rc=$?
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
    grep -v '^[0-9]* passed' "$work/test.log" | head -n 50 || true
    SUITE_LAST="$(tail -n 1 "$work/test.log")"
    echo "$SUITE_LAST"
    # -Xcheck:jni reports misuse as warnings, not failures: any warning fails the run.
    if [ $rc -ne 0 ] || ! [[ "$SUITE_LAST" =~ ^[0-9]+\ passed,\ 0\ failed$ ]] || grep -q "WARNING" "$work/test.log"; then
        echo "tests: FAILED (exit $rc)" >&2
        return 1
    fi
}

# No LD_LIBRARY_PATH: the JVM's default java.library.path includes it.
suite_load_failure() { # JAR WORK NAME [JAVA-FLAG...]
    local jar="$1" work="$2" name="$3" rc=0 last
    shift 3
    (cd "$work" && unset LD_LIBRARY_PATH && suite_java "$@" -cp "$jar:$work/test-classes" dev.iamauth.LoadFailureTest) \
        >"$work/load-$name.log" 2>&1 || rc=$?
    head -n 1 "$work/load-$name.log"
    last="$(tail -n 1 "$work/load-$name.log")"
    echo "$name: $last"
    if [ $rc -ne 0 ] || ! [[ "$last" =~ ^[0-9]+\ passed,\ 0\ failed$ ]]; then
        cat "$work/load-$name.log" >&2
        echo "load failure ($name): FAILED (exit $rc)" >&2
        return 1
    fi
}

suite_readme_example() { # JAR WORK [JAVA-FLAG...]
    local jar="$1" work="$2" want got
    shift 2
    got="$(mktemp "$work/readme.XXXXXX")" # one file per run: callers may run several at once
    (cd "$work" && suite_java "$@" -cp "$jar:$work/readme" ReadmeExample) >"$got" || return 1
    want="$(python3 -c 'import json,sys; print(next(c["expected"]["token"] for c in json.load(open(sys.argv[1]))["cases"] if c["id"]=="rds-demo"))' "$suite_root/tests/vectors/tokens.json")"
    if [ "$(sed -n 1p "$got")" != "$want" ] ||
        [ "$(sed -n 2p "$got")" != "iam_user at mydb.123456789012.us-east-1.rds.amazonaws.com: VALID for 840 more seconds" ] ||
        [ "$(sed -n 3p "$got")" != "INVALID_PORT" ]; then
        cat "$got" >&2
        echo "README example: unexpected output" >&2
        return 1
    fi
    echo "README example: OK"
}
