#!/usr/bin/env python3
"""Checks every intra-repo link of the project's Markdown files (python3 stdlib only).

    python3 tests/check-links.py [FILE.md ...]     (default: every *.md of the repository)

A link `[text](path)`, `[text](path#anchor)`, `[text](#anchor)` or `[label]: path` must name a file
or directory that exists (relative to the Markdown file), and an anchor must be a heading of the
target Markdown file, spelled as GitHub spells it (lowercase, punctuation dropped, spaces to `-`,
`-1`, `-2` ... for repeats) or an explicit `<a id="...">` / `<a name="...">`. External links
(http, https, mailto) are not fetched. Code blocks and inline code are skipped. Prints one line
per broken link (file:line: target: why) and exits 1 if there is any.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIP_DIRS = {".git", "target", "node_modules", "pkg", ".venv", "venv", "__pycache__"}

FENCE = re.compile(r"^ {0,3}(```|~~~)")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
# [text](target "title") -- text may hold one level of brackets, e.g. [`a[0]`](x).
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\".*\")?\s*$")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
HTML_ANCHOR = re.compile(r"<a\s[^>]*(?:id|name)=\"([^\"]+)\"", re.I)


def lines_outside_code(text):
    """(line number, line) of every line not inside a fenced code block."""
    fence = None
    for n, line in enumerate(text.splitlines(), 1):
        m = FENCE.match(line)
        if m:
            if fence is None:
                fence = m.group(1)
            elif m.group(1) == fence:
                fence = None
            continue
        if fence is None:
            yield n, line


def slug(heading):
    """GitHub's anchor for a heading's text."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text only
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)  # keeps letters, digits, _, - and spaces
    return text.replace(" ", "-")


_anchors = {}


def anchors(path):
    """Every anchor a Markdown file defines."""
    if path not in _anchors:
        found, seen = set(), {}
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for _, line in lines_outside_code(text):
            m = HEADING.match(line)
            if m:
                base = slug(m.group(2))
                count = seen.get(base, 0)
                seen[base] = count + 1
                found.add(base if count == 0 else f"{base}-{count}")
            found.update(HTML_ANCHOR.findall(line))
        _anchors[path] = found
    return _anchors[path]


def targets(text):
    """(line number, link target) of every link outside code (a link's text may span lines)."""
    kept = dict(lines_outside_code(text))
    lines = [kept.get(n, "") for n in range(1, len(text.splitlines()) + 1)]
    found = []
    for n, line in enumerate(lines, 1):
        m = REF_DEF.match(line)
        if m:
            found.append((n, m.group(1)))
            lines[n - 1] = ""
    # Inline code blanked to spaces of the same length, so offsets still give line numbers.
    prose = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), "\n".join(lines))
    for m in INLINE_LINK.finditer(prose):
        found.append((prose.count("\n", 0, m.start(1)) + 1, m.group(1)))
    return sorted(found)


def check(md):
    """Broken links of one Markdown file, as messages."""
    with open(md, encoding="utf-8") as f:
        text = f.read()
    rel = os.path.relpath(md, ROOT)
    problems = []
    for n, target in targets(text):
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            continue  # external (http:, https:, mailto:, ...)
        path, _, anchor = target.partition("#")
        dest = md if not path else os.path.normpath(os.path.join(os.path.dirname(md), path))
        if not os.path.exists(dest):
            problems.append(f"{rel}:{n}: {target}: no such file {os.path.relpath(dest, ROOT)}")
        elif not os.path.abspath(dest).startswith(ROOT + os.sep) and os.path.abspath(dest) != ROOT:
            problems.append(f"{rel}:{n}: {target}: outside the repository")
        elif anchor and dest.endswith(".md") and anchor not in anchors(dest):
            near = sorted(a for a in anchors(dest) if a[:3] == anchor[:3])
            hint = f" (headings there: {', '.join('#' + a for a in near)})" if near else ""
            problems.append(f"{rel}:{n}: {target}: no heading #{anchor} in "
                            f"{os.path.relpath(dest, ROOT)}{hint}")
    return problems


def markdown_files():
    """Every *.md of the repository, outside build output and dependencies."""
    for top, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            if name.endswith(".md"):
                yield os.path.join(top, name)


def main(argv):
    files = [os.path.abspath(a) for a in argv] or list(markdown_files())
    problems = [p for md in files for p in check(md)]
    for p in problems:
        print(p)
    links = sum(1 for md in files for _ in targets(open(md, encoding="utf-8").read()))
    print(f"check-links: {len(files)} files, {links} links, {len(problems)} broken")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
