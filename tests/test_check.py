"""narrator check: the figures' own consistency, with the four outcomes of a check."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from narrator.checks.check import check_figures
from narrator.cli import app
from narrator.intake.figures import load_figures_text

from .conftest import EXAMPLE as ATUSHI

runner = CliRunner()


def _check(text: str):
    return check_figures(load_figures_text(text, "figures.yaml"))


def _atushi() -> str:
    return ATUSHI.read_text(encoding="utf-8")


def test_atushi_reports_exactly_the_two_real_rounding_differences(in_root):
    result = runner.invoke(app, ["check", "examples/atushi-2025.yaml"])
    assert result.exit_code == 0  # by default warnings and errors make the exit code 1; notes are printed
    assert runner.invoke(app, ["check", "examples/atushi-2025.yaml", "--fail-on", "note"]).exit_code == 1
    assert result.output.splitlines() == [
        "examples/atushi-2025.yaml:100:3: 提示 class-total 表3 210 卫生健康支出：类合计等于其各项之和（表3）；"
        "尾差：11.53 与分项之和 11.52 相差 0.01 万元（容许 ±0.015，2 个分项）；"
        "同一差额亦见于：表5 210 卫生健康支出、表3 21011 行政事业单位医疗",
        "examples/atushi-2025.yaml:102:3: 提示 basic-total 表3 基本支出：基本支出等于各项基本支出之和（表3）；"
        "尾差：191.20 与分项之和 191.19 相差 0.01 万元（容许 ±0.045，8 个分项）；"
        "同一差额亦见于：表5 基本支出、表6 合计",
    ]


def test_json_lists_every_outcome_and_never_an_unchecked_pass(in_root):
    result = runner.invoke(app, ["check", "examples/atushi-2025.yaml", "--format", "json"])
    data = json.loads(result.output)
    assert [f["level"] for f in data["findings"]] == ["note", "note"]
    statuses = {c["status"] for c in data["checks"]}
    assert statuses <= {"pass", "fail", "n/a", "insufficient"}
    assert data["summary"]["fail"] == 0 and data["summary"]["insufficient"] == 0
    not_applicable = {(c["check"], c["target"]) for c in data["checks"] if c["status"] == "n/a"}
    assert ("project-economic", "表7 2024 年实有资金结余") in not_applicable  # no economic split given
    assert ("reason-direction", "income.fund") in not_applicable               # nothing changed
    assert sum(data["summary"].values()) == len(data["checks"])


def test_fail_on_note_and_ignore(in_root):
    assert runner.invoke(app, ["check", "examples/atushi-2025.yaml", "--fail-on", "note"]).exit_code == 1
    result = runner.invoke(app, ["check", "examples/atushi-2025.yaml", "--fail-on", "note",
                                 "--ignore", "class-total,basic-total"])
    assert result.exit_code == 0 and result.output == ""


def test_difference_beyond_rounding_is_an_error():
    report = _check(_atushi().replace('"210": 11.53        #', '"210": 11.60        #'))
    errors = [f for f in report.findings if f.level == "error"]
    assert [(f.rule, f.location.line) for f in errors] == [("class-total", 100)]
    assert "11.60 与分项之和 11.52 相差 0.08 万元，超出尾差容许范围 ±0.015 万元" in errors[0].message


def test_cross_table_equalities():
    text = _atushi().replace("  sme_reserved: 31.70", "  sme_reserved: 40.00")
    report = _check(text)
    rules = sorted(f.rule for f in report.findings if f.level == "error")
    assert rules == ["sme-within-total"]
    report = _check(_atushi().replace("  micro_reserved: 31.70", "  micro_reserved: 32.00"))
    assert sorted(f.rule for f in report.findings if f.level == "error") == ["micro-within-sme"]
    report = _check(_atushi().replace("  services: 6.45", "  services: 6.45\n  total: 35.00"))
    assert [f.rule for f in report.findings if f.level == "error"] == ["procurement-total"]


def test_carryover_items_must_match_income():
    report = _check(_atushi().replace("    amount: 0.02\n", "    amount: 0.20\n"))
    errors = [f.rule for f in report.findings if f.level == "error"]
    assert errors == ["carryover-equals-income"]


def test_change_without_reason_and_reason_in_the_wrong_direction():
    text = _atushi().replace("    reason: 本年减少联合接访运转项目经费和业务工作项目经费\n  unit:",
                             "  unit:")
    report = _check(text)
    assert [(f.rule, f.level) for f in report.findings if f.level == "warning"] == \
        [("change-without-reason", "warning")]
    assert "income.general" in report.findings[0].message or any(
        "income.general" in f.message for f in report.findings)
    text = _atushi().replace("reason: 本年在职人员减少，住房公积金缴费减少", "reason: 住房公积金缴费基数提高，缴费增加")
    warnings = [f for f in _check(text).findings if f.level == "warning"]
    assert [f.rule for f in warnings] == ["reason-direction"]
    assert "functional[7]" in warnings[0].message


def test_missing_figure_is_not_enough_data_not_a_pass():
    text = _atushi().replace("    prior: 5.86\n", "")
    report = _check(text)
    insufficient = [o for o in report.outcomes if o.status == "insufficient"]
    assert insufficient and all("prior" in o.detail or "无法计算" in o.detail for o in insufficient)
    direction = [o for o in report.outcomes if o.check == "reason-direction" and o.target == "functional[5]"]
    assert [o.status for o in direction] == ["insufficient"]
    assert "functional[5].prior" in direction[0].detail
    notes = [f for f in report.findings if f.rule == "insufficient-data" and f.level == "note"]
    assert [n.message.split("：")[0] for n in notes] == [
        "数据不足，检查 general-prior-total 未能进行", "数据不足，检查 reason-direction 未能进行"]
    assert all(n.location.line == 77 for n in notes)
    assert "缺少上年数 functional[5].prior" in notes[1].message
    assert notes[1].figure == "functional[5].prior" and notes[1].to_dict()["figure"] == "functional[5].prior"


def test_bad_input_exits_2(tmp_path):
    broken = tmp_path / "f.yaml"
    broken.write_text("department: x\nyear: 2025\nincome: {general: {amount: abc}}\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(broken)])
    assert result.exit_code == 2 and "income.general.amount" in result.output


def test_every_check_applies_to_the_budget_rule_set():
    from narrator.checks.check import load_checks

    _, checks = load_checks(("budget",))
    assert [c.name for c in checks if c.unavailable] == []


def test_other_formats_are_checked_where_their_rules_allow(in_root):
    for figures, fmt in (("examples/hebei-2021.yaml", "hebei-2021"),
                         ("examples/final-accounts-2023.yaml", "final-accounts"),
                         ("examples/performance-2020.yaml", "performance-self-evaluation"),
                         ("examples/shanghai-putuo-2024-final-accounts.yaml", "shanghai-final-accounts")):
        result = runner.invoke(app, ["check", figures, "--doc-format", fmt, "--format", "json", "--fail-on", "error"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert [f for f in data["findings"] if f["level"] == "error"] == []
