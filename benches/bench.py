#!/usr/bin/env python3
"""`make bench`: every language and every peer in one sitting, then docs/bench/results.json
and its rendering (benches/render.py: docs/bench/*.svg and the generated part of
docs/benchmarks.md).

    python3 benches/bench.py                        # every stage of STAGES below, then render
    python3 benches/bench.py --stages core,python   # a subset (or BENCH_STAGES=core,python)

Each stage is a subprocess with its log in target/bench/logs/<stage>.log and one progress line.
A failing stage fails the sitting at the end, after the others ran. A group whose stage did not
run is taken from an earlier sitting only if that sitting was at the same commit (and its file
is unchanged since); otherwise the docs say it was not measured in this sitting.

The bench JSON contract (every harness, whatever its language)
--------------------------------------------------------------
Each harness writes ONE file, `<bench dir>/<harness>.json`: $IAMAUTH_BENCH_DIR if set (this
script sets it), else <repo>/target/bench. Shape:

    {
      "harness": "python",            // the file's stem
      "command": "bash bindings/python/test.sh --bench",
      "when": "2026-12-01T09:30:00Z",
      "env": {"python": "3.11.7"},    // versions that matter (rustc, node, java, peers' versions)
      "results": [
        {
          "id": "python.rds_token",   // unique across all files: "<group>.<case>"
          "group": "python",          // core | c | java | python | node | wasm | rust
          "label": "pyiamauth.rds_token (warm)",
          "kind": "ours",             // ours | peer | floor | core (the core beside a binding)
          "ns": 1234.5,               // median ns per call (or per token for throughput cases)
          "p10": 1200.0, "p90": 1300.0,
          "vs": "python.core",        // optional: the result (same file) this one is judged against
          "target": {"plus_ns": 700}  // optional: {"plus_ns": N}: ns - vs.ns <= N;
                                      // {"ratio": R}: ns / vs.ns <= R; {"speedup": S}: vs.ns / ns >= S
        }
      ],
      "notes": ["free text lines shown under the group's table"]
    }

A peer (botocore, @aws-sdk/rds-signer, aws-sigv4, the AWS SDK for Java) has "kind": "peer", "vs":
the id of our result it races, and no target. A result may carry its own "ratio" (or "speedup"),
e.g. the median of per-round ratios; the docs then show and judge that instead of ns / vs.ns.
Every harness checks its tokens before timing, and times the compared cases interleaved in one
process (about 31 rounds of ~2 ms batches, A then B in each round), medians over the rounds.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import render  # noqa: E402

# The sitting, one stage a line: (name, command run from the repo root, the files it writes).
# Fix a command here and nowhere else.
STAGES = [
    ("core", "cargo bench -p iamauth-benches --bench ratios", ["core.json"]),
    ("rust", "cargo bench -p iamauth-benches --bench peers", ["rust.json"]),
    ("c", "bash bindings/c/bench/run.sh", ["c.json"]),
    ("java", "bash bindings/java/test.sh --bench", ["java.json"]),
    ("python", "bash bindings/python/test.sh --bench", ["python.json"]),
    ("node", "bash tests/js/test.sh --bench", ["node.json"]),
    ("wasm", "bash wasm/bench/run.sh", ["wasm.json"]),
    ("counts", "bash benches/counts/check.sh --all --json", ["counts.json"]),
]
STAGE_TIMEOUT = 30 * 60  # seconds; a stage still running then is stopped and fails
LEDGER = "sittings.json"  # in the bench dir: which sitting (commit, content hash) wrote each file


def bench_dir():
    return os.environ.get("IAMAUTH_BENCH_DIR") or os.path.join(ROOT, "target", "bench")


def utc(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def output(cmd):
    """A command's first line of output (stdout, else stderr), or "?"."""
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30, cwd=ROOT)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    text = (r.stdout.strip() or r.stderr.strip()).splitlines()
    return text[0].strip() if text and r.returncode == 0 else "?"


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# ---- the machine and the sitting --------------------------------------------------------

def commit():
    head = output(["git", "rev-parse", "--short=7", "HEAD"])
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip() != ""
    return head, dirty


def machine():
    info = {"nproc": os.cpu_count(), "kernel": platform.release()}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpuinfo = f.read()
        model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        info["cpu"] = model.group(1).strip() if model else "?"
        info["sha_ni"] = bool(re.search(r"^flags\s*:.*\bsha_ni\b", cpuinfo, re.M))
    except OSError:
        info["cpu"] = platform.processor() or "?"
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            kb = int(re.search(r"MemTotal:\s*(\d+)", f.read()).group(1))
        info["memory"] = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, AttributeError):
        pass
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            name = re.search(r'^PRETTY_NAME="?([^"\n]*)', f.read(), re.M)
        info["os"] = name.group(1) if name else "?"
    except OSError:
        pass
    return info


def versions():
    found = {
        "rustc": output(["rustc", "--version"]).split(" (")[0].removeprefix("rustc "),
        "python": platform.python_version(),
        "node": output(["node", "--version"]).lstrip("v"),
        "gcc": output(["gcc", "-dumpfullversion"]),
        "java": re.sub(r'^\S+ version "([^"]+)".*', r"\1", output(["java", "-version"])),
        "valgrind": output(["valgrind", "--version"]).removeprefix("valgrind-"),
    }
    return {k: v for k, v in found.items() if v != "?"}


def load():
    return [round(x, 2) for x in os.getloadavg()]


# ---- running the stages -----------------------------------------------------------------

def run_stage(index, total, name, command, files, out_dir):
    """Runs one stage; returns its record for the sitting."""
    logs = os.path.join(out_dir, "logs")
    os.makedirs(logs, exist_ok=True)
    log = os.path.join(logs, f"{name}.log")
    print(f"[{index}/{total}] {name}: {command} ...", end="", flush=True)
    started = time.time()
    env = dict(os.environ, IAMAUTH_BENCH_DIR=out_dir)
    with open(log, "w", encoding="utf-8") as f:
        # Its own process group, so that a stage over its time is stopped with all its children.
        proc = subprocess.Popen(shlex.split(command), cwd=ROOT, env=env, stdout=f, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            rc = proc.wait(timeout=STAGE_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            rc = "timeout"
        except KeyboardInterrupt:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    seconds = time.time() - started
    # Every JSON file the stage wrote (its own, and any other it was given to write).
    fresh = [n for n in sorted(os.listdir(out_dir)) if n.endswith(".json") and n != LEDGER
             and os.path.getmtime(os.path.join(out_dir, n)) >= started - 1]
    missing = [n for n in files if n not in fresh]
    if rc == "timeout":
        status = f"failed (stopped after {STAGE_TIMEOUT // 60} min)"
    elif rc != 0:
        status = f"failed (exit {rc})"
    elif missing:
        status = f"failed (no {', '.join(missing)} written)"
    else:
        status = "ok"
    rel = os.path.relpath(log, ROOT)
    print(f" {seconds:.0f} s, {status}" + ("" if status == "ok" else f": see {rel}"), flush=True)
    return {"stage": name, "command": command, "seconds": round(seconds), "status": status, "log": rel,
            "fresh": fresh}


def validate(doc, name):
    """(the results that keep to the contract, its problems with the file). A result without
    its fields is left out; a `vs` naming no result of the file is reported and kept."""
    if name == "counts":
        return [], ([] if isinstance(doc.get("counts"), list) else ["no counts list"])
    results = doc.get("results")
    if not isinstance(results, list) or not results:
        return [], ["no results"]
    kept, problems = [], []
    ids = [r.get("id") for r in results]
    for r in results:
        lacking = [k for k in ("id", "group", "label", "kind", "ns") if k not in r]
        if lacking:
            problems.append(f"{r.get('id', '?')}: no {', '.join(lacking)} (left out)")
        elif not isinstance(r["ns"], (int, float)) or r["ns"] <= 0:
            problems.append(f"{r['id']}: ns is not a positive number (left out)")
        elif ids.count(r["id"]) > 1:
            problems.append(f"{r['id']}: the id repeats (left out)")
        else:
            if r.get("vs") is not None and r["vs"] not in ids:
                problems.append(f"{r['id']}: vs {r['vs']} is not in the file")
            kept.append(r)
    return kept, problems


def merge(out_dir, fresh, head, meta):
    """The sitting's results: every harness file written in it, plus those of an earlier sitting
    at the same commit whose content is unchanged. Returns (results, problems)."""
    ledger = read_json(os.path.join(out_dir, LEDGER)) or {}
    harnesses, problems, counts = {}, [], None
    seen_ids = set()
    for name in sorted(os.listdir(out_dir)) if os.path.isdir(out_dir) else []:
        path = os.path.join(out_dir, name)
        if not name.endswith(".json") or name == LEDGER:
            continue
        if name in fresh:
            origin = "this"
        else:
            entry = ledger.get(name, {})
            if entry.get("commit") != head or entry.get("sha256") != sha256(path):
                continue
            origin = "earlier"
        stem = name[:-len(".json")]
        doc = read_json(path)
        if not isinstance(doc, dict):
            problems.append(f"{name}: not a JSON object")
            continue
        kept, bad = validate(doc, stem)
        twice = sorted({r["id"] for r in kept} & seen_ids)
        if twice:
            bad.append("ids also in another file (left out): " + ", ".join(twice))
            kept = [r for r in kept if r["id"] not in twice]
        problems += [f"{name}: {p}" for p in bad]
        seen_ids |= {r["id"] for r in kept}
        doc["sitting"] = origin
        if stem == "counts":
            if not bad:
                counts = doc
        elif kept:
            harnesses[stem] = dict(doc, results=kept)
    results = {"sitting": meta, "harnesses": harnesses}
    if counts:
        results["counts"] = counts
    return results, problems


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def write_json(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")


def selected(arg):
    names = [s for s in (arg or os.environ.get("BENCH_STAGES") or "").replace(" ", ",").split(",") if s]
    known = [name for name, _, _ in STAGES]
    unknown = [n for n in names if n not in known]
    if unknown:
        sys.exit(f"unknown stage {', '.join(unknown)}; the stages: {', '.join(known)}")
    return [s for s in STAGES if not names or s[0] in names]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stages", help="comma-separated subset of: " + ", ".join(s[0] for s in STAGES))
    args = ap.parse_args()
    todo = selected(args.stages)
    out_dir = bench_dir()
    os.makedirs(out_dir, exist_ok=True)
    head, dirty = commit()
    started = time.time()
    info = machine()
    info["load_before"] = load()
    total = len(todo) + 1
    print(f"bench: {len(todo)} stages at commit {head}{' (with uncommitted changes)' if dirty else ''}, "
          f"logs in {os.path.relpath(os.path.join(out_dir, 'logs'), ROOT)}", flush=True)

    records = []
    ledger_path = os.path.join(out_dir, LEDGER)
    for i, (name, command, files) in enumerate(todo, 1):
        rec = run_stage(i, total, name, command, files, out_dir)
        ledger = read_json(ledger_path) or {}
        for n in rec["fresh"]:
            ledger[n] = {"commit": head, "sha256": sha256(os.path.join(out_dir, n)),
                         "when": utc(os.path.getmtime(os.path.join(out_dir, n)))}
        write_json(ledger_path, ledger)
        records.append(rec)
    info["load_after"] = load()

    print(f"[{total}/{total}] render: docs/bench/results.json, docs/bench/*.svg, docs/benchmarks.md ...",
          end="", flush=True)
    fresh = {n for rec in records for n in rec.pop("fresh")}
    ran = {rec["stage"] for rec in records}
    ledger = read_json(ledger_path) or {}
    for name, command, files in STAGES:
        if name in ran:
            continue
        reused = [ledger[n]["when"] for n in files if n in ledger and ledger[n].get("commit") == head
                  and os.path.exists(os.path.join(out_dir, n))
                  and ledger[n].get("sha256") == sha256(os.path.join(out_dir, n))]
        status = f"from an earlier sitting at the same commit ({reused[0]})" if reused else "not run"
        records.append({"stage": name, "command": command, "seconds": None, "status": status})
    order = [s[0] for s in STAGES]
    records.sort(key=lambda r: order.index(r["stage"]))
    logs = {r["stage"]: r.pop("log", None) for r in records}
    meta = {"started": utc(started), "seconds": round(time.time() - started), "commit": head, "dirty": dirty,
            "machine": info, "versions": versions(), "stages": records}
    results, problems = merge(out_dir, fresh, head, meta)
    write_json(render.RESULTS, results)
    files = render.planned(render.RESULTS, render.OUT_DIR, render.DOC)
    render.write(files, render.OUT_DIR)
    print(" ok", flush=True)

    failed = [r for r in records if r["status"].startswith("failed")]
    for p in problems:
        print(f"bench: {p}")
    for r in failed:
        print(f"bench: stage {r['stage']} {r['status']}: {logs[r['stage']]}")
    print(f"bench: {fmt(time.time() - started)} in all; {len(todo) - len(failed)} of {len(todo)} stages ok")
    return 1 if failed or problems else 0


def fmt(seconds):
    return render.fmt_duration(seconds)


if __name__ == "__main__":
    sys.exit(main())
