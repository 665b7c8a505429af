#!/usr/bin/env python3
"""The rendering of benches/fixtures/*.json (a sitting's harness files, made up): the merge of
benches/bench.py, the tables' numbers and ratio math, "met" and "not met" for each kind of
target, the charts as XML, and the same bytes from the same JSON.

    python3 benches/test_render.py      (`make bench-docs-check` runs it)
"""

import json
import os
import re
import shutil
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402
import render  # noqa: E402

FIXTURES = os.path.join(HERE, "fixtures")
META = {"started": "2026-12-01T09:30:00Z", "seconds": 372, "commit": "abc1234", "dirty": False,
        "machine": {"nproc": 2, "cpu": "Test CPU", "sha_ni": True, "kernel": "6.1.0", "os": "Debian",
                    "memory": "24 GiB", "load_before": [0.5, 0.4, 0.3], "load_after": [1.5, 1.0, 0.5]},
        "versions": {"rustc": "1.95.0"},
        "stages": [{"stage": "core", "command": "cargo bench -p iamauth-benches --bench ratios",
                    "seconds": 40, "status": "ok"},
                   {"stage": "java", "command": "bash bindings/java/test.sh --bench", "seconds": None,
                    "status": "not run"}]}
DOC = "# Benchmarks\n\nIntro.\n\n<!-- bench:begin -->\nold\n<!-- bench:end -->\n\n## History\n\nkept\n"


def fixture_results():
    fresh = {n for n in os.listdir(FIXTURES) if n.endswith(".json")}
    results, problems = bench.merge(FIXTURES, fresh, "abc1234", META)
    assert not problems, problems
    return results


def row(md, label):
    """The cells of the table row whose first cell starts with LABEL."""
    for line in md.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("|") and cells[0].startswith(label):
            return cells
    raise AssertionError(f"no row {label!r}")


class Render(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.out = os.path.join(self.tmp, "bench")
        self.doc = os.path.join(self.tmp, "benchmarks.md")
        self.results = os.path.join(self.out, "results.json")
        bench.write_json(self.results, fixture_results())
        with open(self.doc, "w", encoding="utf-8") as f:
            f.write(DOC)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def rendered(self):
        files = render.planned(self.results, self.out, self.doc)
        render.write(files, self.out)
        with open(self.doc, encoding="utf-8") as f:
            return f.read()

    def test_tables_and_targets(self):
        md = self.rendered()
        # ratio target, exactly at the line: 650 / 500 = 1.30x <= 1.3x
        self.assertEqual(row(md, "RDS token, key cached"),
                         ["RDS token, key cached", "650 ns", "640-700 ns",
                          "SHA-256 of its canonical request + pre-keyed HMAC of its string to sign",
                          "1.30x", "at most 1.30x", "**met**"])
        # ratio target with the harness's own ratio (1.62), not ns / vs.ns (1.60)
        self.assertEqual(row(md, "RDS token, cold")[4:], ["1.62x", "at most 1.50x", "**not met**"])
        # speedup: 700 / 400 = 1.75x < 1.8x
        self.assertEqual(row(md, "RDS tokens on Signer::shared() from 2")[4:],
                         ["1.75x faster", "at least 1.80x", "**not met**"])
        # plus_ns: 1500 - 1000 = +500 ns <= 700 ns; Node 1600 - 1000 = +600 ns > 400 ns
        self.assertEqual(row(md, "pyiamauth.rds_token")[1:],
                         ["1.50 us", "1.45-1.60 us", "the core's loop in the same library", "+500 ns",
                          "at most +700 ns", "**met**"])
        self.assertEqual(row(md, "iamauth addon rdsToken")[4:], ["+600 ns", "at most +400 ns", "**not met**"])
        # a peer: its time over ours, no target
        self.assertEqual(row(md, "botocore")[1:],
                         ["250 us", "240-260 us", "pyiamauth.rds_token (warm)", "167x ours", "", ""])
        self.assertEqual(row(md, "aws-sigv4")[4], "10.0x ours")
        # wasm: 6000 / 5000 = 1.2x <= 1.3x; the JS call over the wasm core, no target
        self.assertEqual(row(md, "core's warm RDS token inside wasm")[4:], ["1.20x", "at most 1.30x", "**met**"])
        self.assertEqual(row(md, "iamauth-wasm rdsToken from JS")[4:], ["+1.00 us", "", ""])
        self.assertIn("Not measured in this sitting: `c`, `java`.", md)
        self.assertEqual(row(md, "Python: pyiamauth.rds_token")[1:], ["44,657", "40,000", "+11.6%", "+5,134 over `rds_warm`"])
        # the hand-written parts stay
        self.assertTrue(md.startswith("# Benchmarks\n\nIntro.\n\n<!-- bench:begin -->\n"))
        self.assertTrue(md.endswith("<!-- bench:end -->\n\n## History\n\nkept\n"))
        self.assertNotIn("\nold\n", md)

    def test_speedup_met(self):
        with open(self.results, encoding="utf-8") as f:
            results = json.load(f)
        for r in results["harnesses"]["core"]["results"]:
            if r["id"] == "core.threads_2":
                r["ns"] = 350.0
        svgs, md = render.render(results)
        self.assertEqual(row(md, "RDS tokens on Signer::shared() from 2")[4:],
                         ["2.00x faster", "at least 1.80x", "**met**"])

    def test_charts(self):
        md = self.rendered()
        names = sorted(n for n in os.listdir(self.out) if n.endswith(".svg"))
        self.assertEqual(names, ["floors.svg", "overheads.svg", "peers.svg"])
        for name in names:
            self.assertIn(f"](bench/{name})", md)
            with open(os.path.join(self.out, name), encoding="utf-8") as f:
                svg = f.read()
            root = ET.fromstring(svg)
            self.assertTrue(root.tag.endswith("svg"))
            self.assertIn('fill="#ffffff"', svg)  # explicit background for dark themes
        with open(os.path.join(self.out, "peers.svg"), encoding="utf-8") as f:
            peers = f.read()
        # value labels in us, ratios annotated, log-scale decades as ticks
        for text in ("1.00 us", "10.0 us", "10.0x faster", "167x faster", "62.5x faster", "100 ns", "1 ms"):
            self.assertIn(f">{text}<", peers)
        with open(os.path.join(self.out, "floors.svg"), encoding="utf-8") as f:
            floors = f.read()
        self.assertIn(">1.30x (0.650 us vs 0.500 us), target 1.30x<", floors)
        self.assertEqual(len(re.findall('stroke-dasharray', floors)), 4)  # a target line per row + legend

    def test_deterministic_and_check(self):
        self.rendered()
        files = render.planned(self.results, self.out, self.doc)
        self.assertEqual(render.differing(files, self.out), [])
        again = render.planned(self.results, self.out, self.doc)
        self.assertEqual(files, again)
        with open(os.path.join(self.out, "stale.svg"), "w", encoding="utf-8") as f:
            f.write("<svg/>")
        self.assertEqual([os.path.basename(p) for p in render.differing(files, self.out)], ["stale.svg"])

    def test_contract_problems(self):
        doc = {"results": [{"id": "x.a", "group": "x", "label": "a", "kind": "ours", "ns": 1, "vs": "x.b"},
                           {"id": "x.c", "group": "x", "label": "c", "kind": "ours", "ns": 0}]}
        kept, problems = bench.validate(doc, "x")
        self.assertEqual([r["id"] for r in kept], ["x.a"])
        self.assertEqual(problems, ["x.a: vs x.b is not in the file",
                                    "x.c: ns is not a positive number (left out)"])
        self.assertEqual(bench.validate({"results": []}, "x"), ([], ["no results"]))

if __name__ == "__main__":
    unittest.main()
