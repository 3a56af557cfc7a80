"""Every claim check of review has YAML cases: text in, exactly that check's findings out.

A case with ``file: true`` is read as a text file is (its tables read from their lines).
The cases are sentences written for these tests in the wordings of many regions (比上年/较上年/
与上年相比，增幅/下降/括号里的百分比 …); each file has cases that must fire and cases that must pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from narrator.review import review_file, review_text
from narrator.review.claimcheck import review_rules

CASES = Path(__file__).resolve().parent / "review_cases"


def _cases():
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for index, case in enumerate(data["cases"]):
            yield pytest.param(data["rule"], case, id=f"{path.stem}-{index}")


@pytest.mark.parametrize(("rule", "case"), list(_cases()))
def test_check_case(rule, case, tmp_path):
    if case.get("file"):
        # read as a file is: tables taken out of the text and read into rows
        (tmp_path / "case.txt").write_text(case["text"], encoding="utf-8")
        report = review_file(tmp_path / "case.txt", shown="case.txt")
    else:
        report = review_text(case["text"], "case.txt")
    found = [f for f in report.findings if f.rule == rule]
    assert [(f.location.line, f.location.column, f.level) for f in found] == \
        [(e["line"], e["column"], e["level"] if "level" in e else review_rules()[rule].level) for e in case["expect"]], \
        [f.format() for f in found]
    for finding, expected in zip(found, case["expect"]):
        if "message" in expected:
            assert finding.message == expected["message"]


def test_every_check_has_cases_that_fire_and_cases_that_pass():
    files = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in CASES.glob("*.yaml")}
    for name in review_rules():
        assert name in files, f"no cases for {name}"
        assert files[name]["rule"] == name
        cases = files[name]["cases"]
        assert any(c["expect"] for c in cases), name
        assert any(not c["expect"] for c in cases), name
