"""Docs are tested code: every ```python block of the repository's README runs here, against
the installed wheel, and must not raise."""

import re

from conftest import ROOT


def readme_blocks():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.S | re.M)


def test_the_readme_has_python_examples():
    assert readme_blocks(), "README.md has no ```python block"


def test_every_readme_python_block_runs():
    for block in readme_blocks():
        exec(compile(block, "README.md", "exec"), {})
