"""Wording profiles: rules off, levels changed, phrasings accepted; unknown names listed."""

from __future__ import annotations

import pytest

from narrator.errors import NarratorError, RuleError
from narrator.lint import lint_text, load_profile, profile_names
from narrator.lint.profiles import Profile

ZERO = "公务用车运行费增加 0.00 万元，增长 0.00%，比上年减少 0 万元。"


def _found(report):
    return [(f.rule, f.level, f.location.line, f.location.column) for f in report.findings]


def test_profiles_are_listed_and_national_changes_nothing(in_root):
    assert {"national", "xinjiang-2025", "shanghai"} <= set(profile_names())
    plain = lint_text(ZERO, "a.txt", format_name="hebei-2021")
    national = lint_text(ZERO, "a.txt", format_name="hebei-2021", profile="national")
    assert _found(plain) == _found(national) == [
        ("zero-change", "warning", 1, 8), ("zero-change", "warning", 1, 19), ("zero-change", "warning", 1, 31)]


def test_xinjiang_accepts_its_no_change_phrasing_only(in_root):
    report = lint_text(ZERO, "a.txt", format_name="hebei-2021", profile="xinjiang-2025")
    assert _found(report) == [("zero-change", "warning", 1, 31)]


def test_profile_changes_a_level(in_root):
    text = "项目支出比上年预算执行数增加 46.19%。"
    assert _found(lint_text(text, "a.txt")) == [("percent-direction-word", "warning", 1, 13)]
    assert _found(lint_text(text, "a.txt", profile="shanghai")) == [("percent-direction-word", "note", 1, 13)]


def test_profile_turns_a_rule_off(in_root):
    profile = Profile("test", off=frozenset({"doubled-word"}))
    report = lint_text("主要用于主要用于办公。", "a.txt", profile=profile)
    assert _found(report) == [] and report.rules["doubled-word"] == "off"
    assert _found(lint_text("主要用于主要用于办公。", "a.txt")) == [("doubled-word", "error", 1, 1)]


def test_unknown_profile_lists_the_names(in_root):
    with pytest.raises(NarratorError) as caught:
        load_profile("nowhere")
    message = caught.value.findings[0].message
    assert caught.value.findings[0].rule == "unknown-profile"
    assert message == f"没有名为“nowhere”的措辞规范。可选：{'、'.join(profile_names())}"


def test_profile_naming_an_unknown_rule_is_reported(tmp_path, monkeypatch, in_root):
    import narrator.lint.profiles as profiles

    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "bad.yaml").write_text("name: bad\nrules:\n  no-such-rule: {off: true}\n",
                                                   encoding="utf-8")
    monkeypatch.setattr(profiles, "rules_dir", lambda: tmp_path)
    load_profile.cache_clear()
    try:
        with pytest.raises(RuleError) as caught:
            load_profile("bad")
        assert caught.value.findings[0].message == "没有名为“no-such-rule”的规则"
    finally:
        load_profile.cache_clear()


def test_lint_file_takes_a_profile(tmp_path, in_root):
    from narrator.lint import lint_file

    path = tmp_path / "a.txt"
    path.write_text("项目支出比上年预算执行数增加 46.19%。\n", encoding="utf-8")
    assert _found(lint_file(path, profile="shanghai")) == [("percent-direction-word", "note", 1, 13)]
    assert _found(lint_file(path)) == [("percent-direction-word", "warning", 1, 13)]
