#!/usr/bin/env python3
"""Instructions per call of each hot path, by callgrind, against benches/counts/baseline.json.

    python3 benches/counts/check.py --target DIR [--all] [--bless] [--python VENV_PYTHON] [--json FILE]

Run by check.sh (`make counts`, `make counts-bless`), which builds what it names first. Each case
runs twice under `valgrind --tool=callgrind`, with N and 2N measured calls after one warm-up call;
(total(2N) - total(N)) / N is one call's instructions, start-up, the warm-up and exit cancelled.
Exit status 1 when a case is more than 10% above its baseline; `--bless` rewrites the baseline
with this run's counts (cases not run keep theirs).
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BASELINE = os.path.join(HERE, "baseline.json")
LIMIT = 10.0  # percent over the baseline that fails

CORE = [  # (case, what it measures); one program, iamauth-counts CASE N
    ("rds_warm", "core: RDS token, key cached"),
    ("rds_warm_session_720", "core: RDS token, 720-char session token"),
    ("rds_cold", "core: RDS token, key cache cleared each call"),
    ("dsql_warm", "core: DSQL token, key cached"),
    ("elasticache_warm", "core: ElastiCache token, key cached"),
    ("inspect_session_720", "core: inspect, 720-char session token"),
    ("verify_rds", "core: verify an RDS token"),
    ("floor_rds_warm", "floor of rds_warm: SHA-256 + pre-keyed HMAC"),
]
# Ratios printed beside the table (deterministic, unlike timed ratios).
RATIOS = [("rds_warm", "floor_rds_warm")]
OVER = [("c_rds_token", "rds_warm"), ("python_rds_token", "rds_warm"), ("node_rds_token", "rds_warm"),
        ("java_rds_token", "rds_warm")]
BINDINGS = ["c_rds_token", "python_rds_token", "node_rds_token", "java_rds_token", "wasm_rds_token"]


def cases(target, run_all, python, java_dir):
    counts = os.path.join(target, "release", "iamauth-counts")
    out = [(name, what, [counts, name], 1000) for name, what in CORE]
    out.append(("c_rds_token", "C: iamauth_rds_token (libiamauth.a)",
                [os.path.join(target, "counts", "rds_token")], 1000))
    if run_all:
        out.append(("python_rds_token", "Python: pyiamauth.rds_token",
                    [python, os.path.join(HERE, "rds_token.py")], 1000))
        # --predictable --single-threaded: no background compiler or GC threads racing the main
        # one, so V8's counts repeat to a few instructions.
        out.append(("node_rds_token", "Node addon: rdsToken",
                    ["node", "--predictable", "--single-threaded", os.path.join(HERE, "rds_token.cjs")],
                    2000))
        # The JNI entry only (argument copies, the core, the returned String): the JVM around it
        # (interpreter, JIT, GC) is neither deterministic nor this binding's code.
        out.append(("java_rds_token", "Java: IamAuth.rdsToken, its JNI entry",
                    ["--toggle-collect=Java_dev_iamauth_Native_rdsToken", "java", "-Xint",
                     "-XX:-UsePerfData", f"-Djava.library.path={java_dir}",
                     "-cp", f"{java_dir}/iamauth.jar:{java_dir}", "RdsToken"],
                    200))
        # The whole process, as for the addon; TurboFan only (no Liftoff, no tier-up), so V8
        # compiles the module once, the same way each run. Valgrind runs sha2's portable wasm
        # code here: the count is a guard, far above the SIMD/JIT wall time's share.
        out.append(("wasm_rds_token", "wasm in Node: rdsToken (the whole process)",
                    ["node", "--predictable", "--single-threaded", "--no-liftoff", "--no-wasm-tier-up",
                     os.path.join(HERE, "rds_token.cjs"), "wasm"],
                    200))
    return out


def collected(cmd, n):
    """Callgrind's total instructions for one run of CMD N."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd, str(n)],
                       capture_output=True, text=True, env=env)
    m = re.search(r"Collected : (\d+)", r.stderr)
    if r.returncode != 0 or not m:
        sys.exit(f"counts: {' '.join(cmd)} {n} failed (exit {r.returncode}):\n{r.stderr[-2000:]}")
    return int(m.group(1))


def per_call(cmd, n):
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        once, twice = pool.map(lambda k: collected(cmd, k), (n, 2 * n))
    return round((twice - once) / n)


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", required=True, help="cargo's target dir (tests/need.sh cargo_target)")
    ap.add_argument("--all", action="store_true", help="Python, Node, Java and wasm too")
    ap.add_argument("--python", default="python3", help="a Python with pyiamauth installed (--all)")
    ap.add_argument("--java-dir", default="", help="iamauth.jar, its JNI library and RdsToken.class (--all)")
    ap.add_argument("--bless", action="store_true", help="rewrite baseline.json with this run")
    ap.add_argument("--json", help="also write this run's counts there (benches/bench.py reads it)")
    args = ap.parse_args()

    started = time.monotonic()
    todo = cases(args.target, args.all, args.python, args.java_dir)
    # The two runs of a case go in parallel (2 cores); counts do not depend on the load.
    now = {}
    for name, _, cmd, n in todo:
        now[name] = per_call(cmd, n)

    tools = {"rustc": version(["rustc", "--version"]), "valgrind": version(["valgrind", "--version"])}
    if args.all:
        tools["python"] = version([args.python, "-c", "import sys; print(sys.version.split()[0])"])
        tools["node"] = version(["node", "--version"])
        tools["java"] = version(["javac", "-version"])
    base = {"cases": {}, "toolchain": {}}
    if os.path.exists(BASELINE):
        with open(BASELINE, encoding="utf-8") as f:
            base = json.load(f)
    old = base.get("cases", {})

    print(f"{'case':<22} {'baseline':>9} {'now':>9} {'change':>8}       what")
    failed, faster = [], []
    for name, what, _, _ in todo:
        b = old.get(name)
        if b is None:
            change = "new"
        else:
            pct = (now[name] - b) / b * 100
            change = f"{pct:+.1f}%"
            if pct > LIMIT:
                failed.append(name)
            elif pct < -LIMIT:
                faster.append(name)
        flag = "FAIL" if name in failed else "    "
        print(f"{name:<22} {b if b is not None else '-':>9} {now[name]:>9} {change:>8} {flag}  {what}")
    for a, b in RATIOS:
        print(f"ratio {a} / {b}: {now[a] / now[b]:.2f}x")
    for a, b in OVER:
        if a in now:
            print(f"{a} over {b}: {now[a] - now[b]:+d} instructions per call")
    for tool, was in base.get("toolchain", {}).items():
        if tool in tools and tools[tool] != was:
            print(f"note: the baseline was counted with {was}, this run with {tools[tool]}; "
                  "compared anyway (a compiler or valgrind change moves counts: re-bless if that is all)")
    print(f"counts: {len(todo)} cases in {time.monotonic() - started:.0f} s")
    if args.json:
        write_json(args.json, todo, now, old, tools)

    if args.bless:
        merged = dict(old)
        merged.update(now)
        toolchain = dict(base.get("toolchain", {}))
        toolchain.update(tools)
        out = {
            "about": "Instructions per call by callgrind (benches/counts/README.md); "
                     "`make counts` fails above +10%, `make counts-bless` rewrites this file.",
            "toolchain": toolchain,
            "cases": {name: merged[name] for name in sorted(merged, key=order(todo, merged))},
        }
        with open(BASELINE, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=2)
            f.write("\n")
        print(f"counts: blessed {len(now)} cases into {os.path.relpath(BASELINE)}")
        return 0
    if faster:
        print(f"counts: {', '.join(faster)} more than {LIMIT:.0f}% below the baseline: "
              "if that is an improvement, `make counts-bless` (or `make counts-all-bless`) and commit")
    if failed:
        print(f"counts: FAILED, more than {LIMIT:.0f}% over the baseline: {', '.join(failed)}")
        return 1
    return 0


def write_json(path, todo, now, old, tools):
    """The run's counts beside the baseline, for docs/benchmarks.md (benches/bench.py)."""
    doc = {
        "harness": "counts",
        "command": "bash benches/counts/check.sh" + (" --all" if "node_rds_token" in now else ""),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "env": tools,
        "counts": [dict({"case": name, "what": what, "instructions": now[name], "baseline": old.get(name)},
                        **({"over": dict(OVER)[name]} if name in dict(OVER) else {}))
                   for name, what, _, _ in todo],
    }
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def order(todo, merged):
    """The table's order, then any other case of the old baseline."""
    known = [name for name, _, _, _ in todo]
    known += [n for n, _ in CORE if n not in known] + BINDINGS
    return lambda name: known.index(name) if name in known else len(known)


if __name__ == "__main__":
    sys.exit(main())
