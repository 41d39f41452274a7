"""The test suite keeps its own rules: one way to skip, no fixed sleeps, no empty asserts."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SKIP_HOME = TESTS / "conftest.py"  # skip_unless_ci: skips on a laptop, fails in CI

RULES = {
    # A test of something POSIX may skip on another platform (CI runs Linux, where it runs);
    # anything else that may be missing goes through skip_unless_ci, which fails in CI.
    "skips go through tests.conftest.skip_unless_ci": re.compile(
        r"pytest\.skip\(|pytest\.mark\.skip\b(?!if)|skipif\((?!\s*(not\s+)?(sys\.platform|os\.name))"
        r"|importorskip|environ\.get\(\s*[\"']CI[\"']"
    ),
    "tests poll for a state (wait_until, kill_when), never sleep a fixed time": re.compile(
        r"time\.sleep\(|\bsleep\("
    ),
    "an assert says something": re.compile(r"assert\s+(True|1)\b"),
}


def _sources() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if p != Path(__file__).resolve())


def test_the_rules_see_the_test_files() -> None:
    assert len([p for p in _sources() if p.name.startswith("test_")]) >= 40


def test_every_test_file_keeps_the_rules() -> None:
    broken = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for rule, pattern in RULES.items():
            if path == SKIP_HOME and rule.startswith("skips"):
                continue
            if not path.name.startswith("test_") and rule.startswith("tests poll"):
                continue  # the polling helpers themselves sleep between looks
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                broken.append(f"{path.relative_to(TESTS)}:{line}: {rule}")
    assert broken == []
