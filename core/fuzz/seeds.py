#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpus from tests/vectors (read in place), one file per seed,
into core/fuzz/corpus/<target>/ (cargo-fuzz's corpus directory, not committed: the corpus grows
there as the fuzzer runs, and these seeds are cheap to write again).

    python3 core/fuzz/seeds.py            # writes (or rewrites) the seeds; prints their counts

Each target's input format is in the comment at the top of core/fuzz/fuzz_targets/<target>.rs.
"""

import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "..", "tests", "vectors")


def load(name):
    with open(os.path.join(VECTORS, name), encoding="utf-8") as f:
        return json.load(f)["cases"]


def write(target, seeds):
    out = os.path.join(HERE, "corpus", target)
    os.makedirs(out, exist_ok=True)
    names = set()
    for seed in seeds:
        data = seed.encode("utf-8")
        name = "seed-" + hashlib.sha1(data).hexdigest()
        names.add(name)
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{target}: {len(names)} seeds")


def main():
    tokens = load("tokens.json")
    verify = load("verify.json")
    errors = load("errors.json")

    eks, msk = load("eks.json"), load("msk.json")
    write("inspect", [c["expected"]["token"] for c in tokens + eks + msk] + [c["token"] for c in verify]
          + [c["expected"]["url"] for c in eks + msk])

    letters = {"host": "h", "port": "p", "user": "u", "action": "a", "region": "r", "service": "s"}
    verify_seeds = []
    for c in verify:
        which = "".join(letters[k] for k in c["expect"] if k in letters)
        cluster = c["expect"].get("cluster")
        if cluster is not None:
            which += "C"
        verify_seeds.append("\n".join([c["token"], json.dumps(c["keys"]), which, cluster or "", "",
                                       str(c["now"])]))
    for c in eks + msk:
        i = c["input"]
        keys = {i["access_key_id"]: {"secret_access_key": i["secret_access_key"],
                                     "session_token": i["session_token"]}}
        which, value = ("sC", i["cluster"]) if "cluster" in i else ("s", "")
        verify_seeds.append("\n".join([c["expected"]["token"], json.dumps(keys), which, value, "460", ""]))
    for c in tokens:
        i = c["input"]
        keys = {i["access_key_id"]: {"secret_access_key": i["secret_access_key"],
                                     "session_token": i["session_token"]}}
        service = {"rds": "rds-db", "dsql": "dsql"}.get(c["kind"], i.get("service"))
        which = "hpuars" if service == "rds-db" else "S"
        verify_seeds.append("\n".join([c["expected"]["token"], json.dumps(keys), which, service, "460", ""]))
    write("verify", verify_seeds)

    keys_seeds = []
    for c in verify:
        for akid in list(c["keys"])[:1] + ["AKIDMISSING"]:
            keys_seeds.append(akid + "\n" + json.dumps(c["keys"]))
            keys_seeds.append(akid + "\n" + json.dumps(c["keys"], indent=2, ensure_ascii=True))
    keys_seeds.append("AKIDEXAMPLE\n" + json.dumps({
        "AKIDEXAMPLE": {"secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session_token": None,
                        "users": ["app", "report_*"], "hosts": ["db.example.com", "*"]},
        "AKIDOTHER": {"secret_access_key": "s\\u00e9cret\"\\n", "users": None, "hosts": []},
    }))
    write("keys", keys_seeds)

    base = ["keys=/etc/iamauth/keys.json", "host=db.example.com", "port=5432", "region=us-east-1"]
    pam = [base, base + ["skew=60", "log=/var/log/iamauth/pam.log", "service=rds-db"],
           base + ["action=DbConnectAdmin", "service=dsql"], base + ["port=5433"], base[:3],
           ["keys=/k", "host=[2001:db8::1]", "port=65535", "region=cn-north-1", "log=rel"],
           base + ["nope=1"], base + ["use_first_pass"], base + ["service=memorydb", "skew=86400"]]
    write("pam_args", ["\n".join(words) for words in pam])

    presign_seeds = []
    for c in tokens + [e for e in errors if e["kind"] == "rds"]:
        i = c["input"]
        kind = c["kind"]
        host = i.get("host") or i.get("name", "")
        user = i.get("user", "")
        flags = ("d" if i.get("action") == "DbConnectAdmin" else "") + ("s" if i.get("serverless") else "") + (
            "m" if i.get("service") == "memorydb" else "")
        service = {"rds": "rds-db", "dsql": "dsql"}.get(kind, i.get("service", "elasticache"))
        query = "Action=connect&DBUser=" + user if kind == "rds" else "Action=" + i.get("action", "connect")
        presign_seeds.append("\n".join([
            "GET", host, str(i.get("port", "")), "/", "n" + flags, query, "", i["region"], service,
            str(i["time"]), str(i["expires_in"]), "", i["access_key_id"], i["secret_access_key"],
            i["session_token"] or "", user,
        ]))
    presign_seeds.append("\n".join([
        "POST", "example.amazonaws.com", "", "/example/../a b//c/", "na", "Param2=value2&Param1=value1",
        "X-Amz-Meta-A:  b  c \tmy-header:x", "us-east-1", "service", "1440938160", "86400",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "AQoDYXdzEPT//////////wEXAMPLE", "",
    ]))
    write("presign", presign_seeds)


if __name__ == "__main__":
    main()
