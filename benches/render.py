#!/usr/bin/env python3
"""Renders docs/bench/results.json (written by benches/bench.py, `make bench`) into the charts
docs/bench/*.svg and the generated part of docs/benchmarks.md, between its
`<!-- bench:begin -->` and `<!-- bench:end -->` markers. The same JSON gives the same bytes.

    python3 benches/render.py            # `make bench-render`: re-render without measuring
    python3 benches/render.py --check    # `make bench-docs-check`: exit 1 if the committed docs differ

The charts are hand-written SVG (no plotting library): a white background and dark text, so
they read the same in a repository browser's light and dark themes.
"""

import argparse
import json
import math
import os
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "docs", "bench", "results.json")
OUT_DIR = os.path.join(ROOT, "docs", "bench")
DOC = os.path.join(ROOT, "docs", "benchmarks.md")
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

# Groups in the order the docs show them (any other group follows, sorted).
GROUPS = [
    ("core", "Core (Rust), against its floors"),
    ("rust", "Rust: iamauth against aws-sigv4"),
    ("c", "C ABI"),
    ("java", "Java (JNI)"),
    ("python", "Python"),
    ("node", "Node addon"),
    ("wasm", "wasm"),
]
# The peer chart's sections: a language and the groups whose bars it shows.
LANGUAGES = [
    ("Rust", ["rust"]),
    ("C", ["c"]),
    ("Java", ["java"]),
    ("Python", ["python"]),
    ("JavaScript", ["node", "wasm"]),
]

# Chart look: GitHub's light palette on an explicit white background.
FONT = "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
TEXT, MUTED, GRID = "#1f2328", "#59636e", "#d1d9e0"
OURS, PEER, MET, NOT_MET = "#0969da", "#8c959f", "#1a7f37", "#cf222e"
CHAR_W = 6.8  # an upper estimate of a 12 px character's width, for the label column
ROW, BAR = 22, 14


# ---- numbers ----------------------------------------------------------------------------

def sig3(x):
    """Three significant digits, no exponent."""
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def unit(ns):
    """The unit a value is best shown in: (divisor, suffix)."""
    if ns >= 1e6:
        return 1e6, "ms"
    if ns >= 1e3:
        return 1e3, "us"
    return 1.0, "ns"


def fmt_time(ns):
    div, suffix = unit(abs(ns))
    return f"{sig3(abs(ns) / div)} {suffix}" if ns >= 0 else f"-{sig3(-ns / div)} {suffix}"


def fmt_range(lo, hi):
    div, suffix = unit(hi)
    return f"{sig3(lo / div)}-{sig3(hi / div)} {suffix}"


def fmt_us(ns):
    """Chart labels are in microseconds, whatever the magnitude."""
    us = ns / 1000
    return f"{us:.3f} us" if us < 1 else f"{sig3(us)} us"


def fmt_plus(ns):
    return ("+" if ns >= 0 else "-") + fmt_time(abs(ns))


def fmt_x(r):
    return f"{r:.2f}x" if r < 10 else f"{r:.1f}x" if r < 100 else f"{r:.0f}x"


# ---- judging a result against what it is measured against ------------------------------

def judge(r, by_id):
    """What a result is judged against, as a dict: kind (overhead, ratio, speedup, peer),
    value, shown, and with a target: target (text) and met (bool). None without a `vs`."""
    vs = by_id.get(r.get("vs"))
    if vs is None:
        return None
    target = r.get("target") or {}
    out = {"vs": vs}
    if "plus_ns" in target:
        value = r["ns"] - vs["ns"]
        out.update(kind="overhead", value=value, shown=fmt_plus(value),
                   target=f"at most {fmt_plus(target['plus_ns'])}", limit=target["plus_ns"],
                   met=value <= target["plus_ns"])
    elif "ratio" in target:
        # A harness may give its own measure (e.g. the median of per-round ratios).
        value = r.get("ratio", r["ns"] / vs["ns"])
        out.update(kind="ratio", value=value, shown=fmt_x(value), limit=target["ratio"],
                   target=f"at most {fmt_x(target['ratio'])}", met=value <= target["ratio"])
    elif "speedup" in target:
        value = r.get("speedup", vs["ns"] / r["ns"])
        out.update(kind="speedup", value=value, shown=f"{fmt_x(value)} faster", limit=target["speedup"],
                   target=f"at least {fmt_x(target['speedup'])}", met=value >= target["speedup"])
    elif r.get("kind") == "peer":
        value = r["ns"] / vs["ns"]
        out.update(kind="peer", value=value, shown=f"{fmt_x(value)} ours")
    elif vs.get("kind") == "floor":
        value = r.get("ratio", r["ns"] / vs["ns"])
        out.update(kind="ratio", value=value, shown=fmt_x(value))
    else:
        value = r["ns"] - vs["ns"]
        out.update(kind="overhead", value=value, shown=fmt_plus(value))
    return out


def all_results(results):
    """Every result of every harness, in harness-name then file order, with its harness."""
    out = []
    for name in sorted(results.get("harnesses", {})):
        h = results["harnesses"][name]
        for r in h.get("results", []):
            out.append(dict(r, harness=name))
    return out


def group_order(rows):
    known = [g for g, _ in GROUPS]
    extra = sorted({r["group"] for r in rows} - set(known))
    return known + extra


def group_title(group):
    return dict(GROUPS).get(group, group)


# ---- SVG ---------------------------------------------------------------------------------

class Svg:
    """A list of elements; `text()` closes it with the header sized to what was drawn."""

    def __init__(self, width, title):
        self.width, self.title, self.parts, self.y = width, title, [], 0

    def add(self, s):
        self.parts.append(s)

    def label(self, x, y, s, anchor="start", weight="normal", color=TEXT, size=12):
        self.add(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-weight="{weight}" '
                 f'fill="{color}" font-size="{size}">{escape(s)}</text>')

    def line(self, x1, y1, x2, y2, color=GRID, width=1, dash=None):
        d = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                 f'stroke="{color}" stroke-width="{width}"{d}/>')

    def rect(self, x, y, w, h, color, title=None):
        t = f"<title>{escape(title)}</title>" if title else ""
        self.add(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" fill="{color}">{t}</rect>')

    def text(self):
        height = self.y + 12
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{height}" '
                f'viewBox="0 0 {self.width} {height}" font-family="{FONT}" font-size="12">\n'
                f'<title>{escape(self.title)}</title>\n'
                f'<rect width="100%" height="100%" fill="#ffffff"/>\n')
        return head + "\n".join(self.parts) + "\n</svg>\n"


def label_width(labels):
    return int(max([len(s) for s in labels] + [20]) * CHAR_W + 16)


def heading(svg, title, subtitle):
    svg.label(12, 22, title, weight="bold", size=14)
    svg.label(12, 40, subtitle, color=MUTED)
    svg.y = 52


def legend(svg, x, items):
    """Colour swatches with their meaning, on one line."""
    for color, text, dashed in items:
        if dashed:
            svg.line(x + 5, svg.y, x + 5, svg.y + 12, color=TEXT, width=2, dash="3,2")
        else:
            svg.rect(x, svg.y + 1, 10, 10, color)
        svg.label(x + 16, svg.y + 10, text, color=MUTED)
        x += 16 + len(text) * CHAR_W + 18
    svg.y += 22


def chart_peers(rows, by_id):
    """Ours against the peer of each language, on a log scale."""
    sections = []
    for language, groups in LANGUAGES:
        inside = [r for r in rows if r["group"] in groups]
        peers = [r for r in inside if r.get("kind") == "peer"]
        if not peers:
            continue
        ours = [r for r in inside if r.get("kind") == "ours" and "speedup" not in (r.get("target") or {})]
        sections.append((language, ours, peers))
    if not sections:
        return None
    bars = [r for _, ours, peers in sections for r in ours + peers]
    # A decade under the fastest bar's third, so the shortest bar still has a length.
    lo = 10 ** math.floor(math.log10(min(r["ns"] for r in bars) / 3))
    hi = 10 ** math.ceil(math.log10(max(r["ns"] for r in bars)))
    if hi / lo < 100:
        hi = lo * 100
    lw, plot = label_width([r["label"] for r in bars]), 380
    svg = Svg(lw + plot + 190, "Ours against each language's peer (log scale)")
    heading(svg, svg.title, "median time per token, log scale, whiskers p10 to p90; shorter is faster")
    legend(svg, 12, [(OURS, "iamauth", False), (PEER, "peer (the AWS SDK or signer)", False)])
    x0 = lw

    def x(ns):
        return x0 + plot * math.log10(ns / lo) / math.log10(hi / lo)

    top, under = svg.y, len(svg.parts)
    for language, ours, peers in sections:
        svg.label(12, svg.y + 15, language, weight="bold")
        svg.y += ROW
        for r in ours + peers:
            y = svg.y + (ROW - BAR) / 2
            svg.label(x0 - 8, svg.y + 15, r["label"], anchor="end")
            peer = r.get("kind") == "peer"
            svg.rect(x0, y, x(r["ns"]) - x0, BAR, PEER if peer else OURS,
                     f"{r['label']}: {fmt_us(r['ns'])} (p10 {fmt_us(r['p10'])}, p90 {fmt_us(r['p90'])})")
            # The spread over the rounds, p10 to p90, as a whisker across the bar's end.
            p10, p90 = x(r.get("p10", r["ns"])), x(r.get("p90", r["ns"]))
            mid = svg.y + ROW / 2
            svg.line(p10, mid, p90, mid, color=TEXT)
            svg.line(p10, mid - 3, p10, mid + 3, color=TEXT)
            svg.line(p90, mid - 3, p90, mid + 3, color=TEXT)
            end = max(x(r["ns"]), p90) + 6
            svg.label(end, svg.y + 15, fmt_us(r["ns"]))
            if not peer:
                # The first peer racing this result, else the language's first peer.
                against = next((p for p in peers if p.get("vs") == r["id"]), peers[0])
                note = f"{fmt_x(against['ns'] / r['ns'])} faster"
                svg.label(end + len(fmt_us(r["ns"])) * CHAR_W + 6, svg.y + 15, note, weight="bold")
            svg.y += ROW
        svg.y += 6
    decade, grid = lo, Svg(0, "")
    while decade <= hi * 1.0001:
        grid.line(x(decade), top, x(decade), svg.y)
        div, suffix = unit(decade)
        grid.label(x(decade), svg.y + 14, f"{decade / div:g} {suffix}", anchor="middle", color=MUTED)
        decade *= 10
    svg.parts[under:under] = grid.parts  # drawn first, under the bars
    svg.y += 18
    return svg.text()


def ratio_rows(rows, by_id):
    """Ours as a multiple of its floor: results whose `vs` is a floor."""
    out = []
    for r in rows:
        j = judge(r, by_id)
        if j and j["kind"] == "ratio" and r.get("kind") != "peer":
            out.append((r, j))
    return out


def overhead_rows(rows, by_id):
    """Bindings over the core: results judged by what they add (plus_ns), ours only."""
    out = []
    for r in rows:
        j = judge(r, by_id)
        if j and j["kind"] == "overhead" and r.get("kind") == "ours":
            out.append((r, j))
    return out


def chart_linear(title, subtitle, pairs, value_label, scale_step, tick_label, floor_line):
    """Horizontal bars from zero, each with its own target tick; green met, red not met."""
    if not pairs:
        return None
    order = group_order([r for r, _ in pairs])
    pairs = sorted(pairs, key=lambda p: order.index(p[0]["group"]))
    groups = []
    for r, j in pairs:
        if not groups or groups[-1][0] != r["group"]:
            groups.append((r["group"], []))
        groups[-1][1].append((r, j))
    top_value = max([max(j["value"], 0) for _, j in pairs] + [j.get("limit", 0) for _, j in pairs])
    top_value = max(scale_step, math.ceil(top_value * 1.1 / scale_step) * scale_step)
    step = scale_step
    while top_value / step > 8:
        step *= 2
    lw, plot = label_width([r["label"] for r, _ in pairs]), 360
    svg = Svg(lw + plot + 230, title)
    heading(svg, title, subtitle)
    legend(svg, 12, [(MET, "target met", False), (NOT_MET, "target not met", False)]
           + ([(OURS, "no target", False)] if any("met" not in j for _, j in pairs) else [])
           + [(TEXT, "target", True)])
    x0 = lw

    def x(v):
        return x0 + plot * max(v, 0) / top_value

    top, under = svg.y, len(svg.parts)
    for group, members in groups:
        svg.label(12, svg.y + 15, group_title(group), weight="bold")
        svg.y += ROW
        for r, j in members:
            y = svg.y + (ROW - BAR) / 2
            svg.label(x0 - 8, svg.y + 15, r["label"], anchor="end")
            color = OURS if "met" not in j else MET if j["met"] else NOT_MET
            svg.rect(x0, y, x(j["value"]) - x0, BAR, color, f"{r['label']}: {value_label(r, j)}")
            if "limit" in j:
                svg.line(x(j["limit"]), svg.y + 1, x(j["limit"]), svg.y + ROW - 1, color=TEXT, width=2,
                         dash="3,2")
            svg.label(max(x(j["value"]), x(j.get("limit", 0))) + 6, svg.y + 15, value_label(r, j))
            svg.y += ROW
        svg.y += 6
    i, grid = 0, Svg(0, "")
    while i * step <= top_value + 1e-9:
        v, i = i * step, i + 1
        strong = floor_line and abs(v - 1) < 1e-9
        grid.line(x(v), top, x(v), svg.y, color=TEXT if strong else GRID, width=1)
        grid.label(x(v), svg.y + 14, tick_label(v), anchor="middle", color=MUTED)
    svg.parts[under:under] = grid.parts  # drawn first, under the bars
    svg.y += 18
    return svg.text()


def chart_floors(rows, by_id):
    def value(r, j):
        t = f"{fmt_x(j['value'])} ({fmt_us(r['ns'])} vs {fmt_us(j['vs']['ns'])})"
        return t + (f", target {fmt_x(j['limit'])}" if "limit" in j else "")

    return chart_linear("Each of ours as a multiple of its floor",
                        "median time / the hashing it cannot avoid (1x = the floor); dashed: the target",
                        ratio_rows(rows, by_id), value, 0.5, lambda v: f"{v:g}x", True)


def chart_overheads(rows, by_id):
    def value(r, j):
        t = fmt_plus(j["value"])
        return t + (f" (target {fmt_plus(j['limit'])})" if "limit" in j else "")

    def tick(v):
        div, suffix = unit(v)
        return f"+{v / div:g} {suffix}" if v else "0"

    pairs = overhead_rows(rows, by_id)
    top = max([abs(j["value"]) for _, j in pairs] + [j.get("limit", 0) for _, j in pairs] + [1])
    # Ticks at 1, 2 or 5 times a power of ten, about five of them.
    step = 10 ** math.floor(math.log10(top / 5))
    step *= next(k for k in (1, 2, 5, 10) if top / (step * k) <= 6)
    return chart_linear("Binding overheads over the core",
                        "the binding's call minus the core's, measured in the same process; dashed: the target",
                        pairs, value, step, tick, False)


# ---- Markdown --------------------------------------------------------------------------

def cell(s):
    return str(s).replace("|", "\\|")


def versioned(name, value):
    """`rustc 1.95.0` from either ("rustc", "1.95.0") or ("rustc", "rustc 1.95.0 (...)")."""
    value = str(value)
    return value if value.lower().startswith(name.lower()) else f"{name} {value}"


def sitting_text(results):
    s = results.get("sitting", {})
    m = s.get("machine", {})
    v = s.get("versions", {})
    load = lambda key: " / ".join(f"{x:.2f}" for x in m.get(key, [])) or "?"  # noqa: E731
    when = s.get("started", "?").replace("T", " ").replace(":00Z", "").rstrip("Z")
    when = when[:16] + " UTC" if len(when) >= 16 else when
    commit = f"`{s.get('commit', '?')}`" + (" with uncommitted changes" if s.get("dirty") else "")
    out = [
        f"- **When**: {when}, at commit {commit}; the sitting took {fmt_duration(s.get('seconds', 0))}.",
        f"- **Machine**: {m.get('nproc', '?')} CPUs, {m.get('cpu', '?')}{' with SHA-NI' if m.get('sha_ni') else ''}, "
        f"{m.get('memory', '?')}, {m.get('os', '?')}, Linux {m.get('kernel', '?')}; load average (1, 5, 15 min) "
        f"{load('load_before')} before, {load('load_after')} after.",
    ]
    if v:
        out.append("- **Versions**: " + ", ".join(versioned(k, v[k]) for k in sorted(v)) + ".")
    return "\n".join(out)


def fmt_duration(seconds):
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


def stages_table(results):
    stages = results.get("sitting", {}).get("stages", [])
    if not stages:
        return []
    out = ["| stage | command | time | result |", "|---|---|---:|---|"]
    for st in stages:
        secs = fmt_duration(st["seconds"]) if st.get("seconds") is not None else ""
        out.append(f"| {cell(st['stage'])} | `{cell(st['command'])}` | {secs} | {cell(st['status'])} |")
    return out


def group_table(members, by_id):
    out = ["| case | median | p10-p90 | against | ratio or overhead | target | met? |",
           "|---|---:|---:|---|---:|---:|---|"]
    for r in members:
        j = judge(r, by_id)
        kind = "" if r.get("kind") == "ours" else f" ({r.get('kind')})"
        row = [cell(r["label"]) + kind, fmt_time(r["ns"]), fmt_range(r.get("p10", r["ns"]), r.get("p90", r["ns"]))]
        if j:
            row += [cell(j["vs"]["label"]), j["shown"], j.get("target", ""),
                    ("**met**" if j["met"] else "**not met**") if "met" in j else ""]
        else:
            row += ["", "", "", ""]
        out.append("| " + " | ".join(row) + " |")
    return out


def counts_table(counts):
    found = {c["case"]: c["instructions"] for c in counts.get("counts", [])}
    out = ["| case | instructions per call | baseline | change | over the core |",
           "|---|---:|---:|---:|---:|"]
    for c in counts.get("counts", []):
        base = c.get("baseline")
        change = f"{(c['instructions'] - base) / base * 100:+.1f}%" if base else "new"
        over = c.get("over")
        extra = f"{c['instructions'] - found[over]:+,} over `{over}`" if over in found else ""
        out.append(f"| {cell(c['what'])} (`{c['case']}`) | {c['instructions']:,} | "
                   f"{f'{base:,}' if base else ''} | {change} | {extra} |")
    return out


def render(results, link_dir="bench"):
    """(the SVG files as {name: text}, the Markdown between the markers)."""
    rows = all_results(results)
    by_id = {r["id"]: r for r in rows}
    charts = {
        "peers.svg": (chart_peers(rows, by_id), "ours against each language's peer, log scale"),
        "floors.svg": (chart_floors(rows, by_id), "each of ours as a multiple of its floor"),
        "overheads.svg": (chart_overheads(rows, by_id), "binding overheads over the core"),
    }
    svgs = {name: text for name, (text, _) in charts.items() if text}
    md = [BEGIN,
          "<!-- Generated by benches/render.py from bench/results.json (`make bench`, `make bench-render`): "
          "edit those, not this. -->",
          "",
          "## The latest sitting (generated)",
          "",
          sitting_text(results),
          ""]
    md += stages_table(results) + [""]
    for name, (text, alt) in charts.items():
        if text:
            md += [f"![{alt}]({link_dir}/{name})", ""]
    harness_of = {}
    for r in rows:
        harness_of.setdefault(r["group"], [])
        if r["harness"] not in harness_of[r["group"]]:
            harness_of[r["group"]].append(r["harness"])
    missing = []
    for group in group_order(rows):
        members = [r for r in rows if r["group"] == group]
        if not members:
            missing.append(group)
            continue
        md += [f"### {group_title(group)}", ""]
        for name in harness_of[group]:
            h = results["harnesses"][name]
            origin = "" if h.get("sitting", "this") == "this" else \
                f" (from an earlier sitting at the same commit, {h.get('when', '?')})"
            env = ", ".join(versioned(k, h["env"][k]) for k in sorted(h.get("env", {})))
            md.append(f"`{cell(h.get('command', name))}`{origin}" + (f": {env}" if env else "") + ".")
        md += [""] + group_table(members, by_id) + [""]
        notes = [n for name in harness_of[group] for n in results["harnesses"][name].get("notes", [])]
        if notes:
            md += [f"- {n}" for n in notes] + [""]
    if missing:
        md += ["Not measured in this sitting: " + ", ".join(f"`{g}`" for g in missing) + ".", ""]
    counts = results.get("counts")
    if counts:
        md += ["### Instruction counts (callgrind)", "",
               f"`{cell(counts.get('command', ''))}`; against benches/counts/baseline.json.", ""]
        md += counts_table(counts) + [""]
    md.append(END)
    return svgs, "\n".join(md)


def splice(doc_text, section):
    """The document with its generated part replaced (markers included)."""
    start, end = doc_text.find(BEGIN), doc_text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"the markers {BEGIN} and {END} are missing from the document")
    return doc_text[:start] + section + doc_text[end + len(END):]


def planned(results_path, out_dir, doc):
    """{path: text} of every file the results render to."""
    with open(results_path, encoding="utf-8") as f:
        results = json.load(f)
    link_dir = os.path.relpath(out_dir, os.path.dirname(os.path.abspath(doc))).replace(os.sep, "/")
    svgs, section = render(results, link_dir)
    with open(doc, encoding="utf-8") as f:
        files = {doc: splice(f.read(), section)}
    for name, text in svgs.items():
        ET.fromstring(text)  # a chart that is not well-formed XML fails here, not in a browser
        files[os.path.join(out_dir, name)] = text
    return files


def stale(files, out_dir):
    """SVGs in the output directory that the results no longer render."""
    if not os.path.isdir(out_dir):
        return []
    return sorted(os.path.join(out_dir, n) for n in os.listdir(out_dir)
                  if n.endswith(".svg") and os.path.join(out_dir, n) not in files)


def write(files, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for path in stale(files, out_dir):
        os.remove(path)
    for path, text in sorted(files.items()):
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def differing(files, out_dir):
    """The files on disk that are not what the results render (missing, changed or stale)."""
    bad = []
    for path, text in sorted(files.items()):
        try:
            with open(path, encoding="utf-8") as f:
                if f.read() == text:
                    continue
        except FileNotFoundError:
            pass
        bad.append(path)
    return bad + stale(files, out_dir)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the files on disk differ")
    ap.add_argument("--results", default=RESULTS)
    ap.add_argument("--out-dir", default=OUT_DIR, help="where the SVGs go")
    ap.add_argument("--doc", default=DOC, help="the Markdown with the markers")
    args = ap.parse_args()
    if not os.path.exists(args.results):
        sys.exit(f"{os.path.relpath(args.results)} is missing: run `make bench`")
    files = planned(args.results, args.out_dir, args.doc)
    if args.check:
        bad = differing(files, args.out_dir)
        if bad:
            print("not what " + os.path.relpath(args.results) + " renders: "
                  + ", ".join(os.path.relpath(p) for p in bad)
                  + "\nrun `make bench-render` (or `python3 benches/render.py`) and commit the result")
            return 1
        print(f"bench docs: the {len(files)} files are what {os.path.relpath(args.results)} renders "
              "(the SVGs parse as XML)")
        return 0
    write(files, args.out_dir)
    print(f"rendered {os.path.relpath(args.results)} into " + ", ".join(os.path.relpath(p) for p in sorted(files)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
