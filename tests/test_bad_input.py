"""Every kind of bad figures file gets a Chinese message naming file, line and field, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import EXAMPLE, run

ORIGINAL = EXAMPLE.read_text(encoding="utf-8")


def write_variant(tmp_path: Path, old: str, new: str, name: str = "figures.yaml") -> Path:
    assert ORIGINAL.count(old) == 1, old
    path = tmp_path / name
    path.write_text(ORIGINAL.replace(old, new), encoding="utf-8")
    return path


def render_errors(runner, path: Path) -> list[str]:
    """The errors render refuses ``path`` with (the notes of the checks it could still make aside)."""
    result = run(runner, "render", str(path))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    return [line for line in result.stderr.splitlines() if ": 错误 " in line]


def test_unknown_key_gets_a_did_you_mean(runner, tmp_path) -> None:
    path = write_variant(tmp_path, "  unit:\n    amount: 5.00", "  unti:\n    amount: 5.00")
    assert render_errors(runner, path) == [
        f"{path}:26:3: 错误 unknown-key income.unti：未知字段 “unti”，是否想写 “unit”？"]


def test_unknown_top_level_key(runner, tmp_path) -> None:
    path = write_variant(tmp_path, "department: ", "departmnet: ")
    errors = render_errors(runner, path)
    assert f"{path}:10:1: 错误 unknown-key departmnet：未知字段 “departmnet”，是否想写 “department”？" in errors
    assert any("missing-field department：缺少必填字段" in e for e in errors)


def test_non_numeric_amount(runner, tmp_path) -> None:
    path = write_variant(tmp_path, "    amount: 214.20", "    amount: 二百一十四")
    assert render_errors(runner, path) == [
        f"{path}:23:5: 错误 amount-format income.general.amount：“二百一十四” 不是金额数字"
        "（可写 1095.72、“1,095.72”，空白或“—”表示 0）"]


def test_amount_with_letters_inside_a_by_source_mapping(runner, tmp_path) -> None:
    path = write_variant(tmp_path, "basic: {general: 6.55}", "basic: {general: 6.5x}")
    [error] = render_errors(runner, path)
    assert error.startswith(f"{path}:70:13: 错误 amount-format functional[3].basic.general：“6.5x” 不是金额数字")


def test_code_not_in_the_classification(runner, tmp_path) -> None:
    path = write_variant(tmp_path, 'code: "2014004"          #', 'code: "2014005"          #')
    assert render_errors(runner, path) == [
        f"{path}:61:5: 错误 unknown-code “2014005” 不是支出功能分类科目中的项级科目；"
        "是否想写 “2014050 事业运行”、“2014004 信访业务”、“2014003 机关服务”？"
        "若确有此科目，请在 names: 中写明其名称（按本部门表格所印）"]


def test_code_of_the_wrong_shape(runner, tmp_path) -> None:
    path = write_variant(tmp_path, 'code: "2014004"          #', 'code: "201404"          #')
    [error] = render_errors(runner, path)
    assert error == f"{path}:61:5: 错误 unknown-code functional[1].code：“201404” 不是 7 位的功能分类项级科目编码"


def test_economic_code_not_in_the_classification(runner, tmp_path) -> None:
    path = write_variant(tmp_path, '"30201": 1.10', '"30250": 1.10')
    [error] = render_errors(runner, path)
    assert error.startswith(f"{path}:114:3: 错误 unknown-code “30250” 不是部门预算支出经济分类科目中的款级科目")


def test_negative_amount(runner, tmp_path) -> None:
    path = write_variant(tmp_path, "    prior: 254.85", "    prior: -254.85")
    assert render_errors(runner, path) == [
        f"{path}:24:5: 错误 negative-amount income.general.prior：金额不能为负数：-254.85"]


def test_missing_prior_where_the_text_needs_one(runner, tmp_path) -> None:
    path = write_variant(tmp_path, "    prior: 2.74\n", "")
    assert render_errors(runner, path) == [
        f"{path}:69:5: 错误 missing-prior 缺少上年数 functional[3].prior（2080501 行政单位离退休）："
        "说明文字要与上年比较（规则 functional.*.change），请填写 prior；上年没有则填 0"]


def test_missing_priors_are_all_reported_at_once(runner, tmp_path) -> None:
    path = tmp_path / "figures.yaml"
    path.write_text(ORIGINAL.replace("    prior: 2.74\n", "").replace("    prior: 1.99\n", ""), encoding="utf-8")
    errors = render_errors(runner, path)
    assert [e.split(" ")[2] for e in errors] == ["missing-prior", "missing-prior"]
    assert "income.unit.prior" in errors[0] and "functional[3].prior" in errors[1]


def test_missing_prior_is_an_error_of_check_too(runner, tmp_path) -> None:
    path = write_variant(tmp_path, "    prior: 2.74\n", "")
    result = run(runner, "check", str(path))
    assert result.exit_code == 2
    assert [line for line in result.stdout.splitlines() if ": 错误 " in line] == render_errors(runner, path)


def test_no_prior_needed_for_an_item_the_text_does_not_compare(runner, tmp_path) -> None:
    """2013299 has only carry-over money and no prior: it is not compared, so that is fine."""
    result = run(runner, "render", str(EXAMPLE), "--fail-on", "warning")
    assert result.exit_code == 0


def test_unknown_declared_total(runner, tmp_path) -> None:
    path = write_variant(tmp_path, '  basic: 191.20 ', '  basci: 191.20 ')
    [error] = render_errors(runner, path)
    assert error == (f"{path}:102:3: 错误 unknown-key declared 中的 “basci” 既不是功能分类编码也不是合计名；"
                     "是否想写 “basic”？")


def test_yaml_syntax_error(runner, tmp_path) -> None:
    path = tmp_path / "figures.yaml"
    path.write_text("department: 某局\nyear: 2025\nincome: [1\n", encoding="utf-8")
    assert render_errors(runner, path) == [f"{path}:4:1: 错误 yaml-syntax YAML 格式错误：方括号 [ ] 列表没有闭合"]


def test_tab_indentation(runner, tmp_path) -> None:
    path = tmp_path / "figures.yaml"
    path.write_text("department: 某局\nyear: 2025\nincome:\n\tgeneral: 1\n", encoding="utf-8")
    [error] = render_errors(runner, path)
    assert error.startswith(f"{path}:4:1: 错误 yaml-syntax YAML 格式错误：不能用制表符缩进")


def test_duplicate_key(runner, tmp_path) -> None:
    path = tmp_path / "figures.yaml"
    path.write_text("department: 某局\nyear: 2025\nyear: 2026\n", encoding="utf-8")
    [error] = render_errors(runner, path)
    assert error == f"{path}:3:1: 错误 yaml-syntax YAML 格式错误：键 “year” 重复出现"


def test_missing_file(runner, tmp_path) -> None:
    assert render_errors(runner, tmp_path / "nope.yaml") == [f"{tmp_path / 'nope.yaml'}:0:0: 错误 file-unreadable 找不到文件"]


def test_not_a_mapping(runner, tmp_path) -> None:
    path = tmp_path / "figures.yaml"
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    [error] = render_errors(runner, path)
    assert error.startswith(f"{path}:1:1: 错误 not-a-mapping")


@pytest.mark.parametrize(("written", "expected"), [
    ('"1,095.72"', "一般公共预算1,095.72万元"),
    ('"—"', "一般公共预算0.00万元，占0.00%，比上年预算减少254.85万元，下降100.00%"),
    ('""', "一般公共预算0.00万元，占0.00%，比上年预算减少254.85万元，下降100.00%"),
    ("1095.72", "一般公共预算1,095.72万元"),
    ('"１０９５．７２"', "一般公共预算1,095.72万元"),
])
def test_amount_spellings_that_are_accepted(runner, tmp_path, written: str, expected: str) -> None:
    path = write_variant(tmp_path, "    amount: 214.20", f"    amount: {written}")
    result = run(runner, "render", str(path))
    # rendered; the income no longer adds up to 表1's total, which the checks report
    assert result.exit_code == 1, result.output
    assert expected in result.stdout
    assert "错误 income-equals-expenditure" in result.stderr


def test_unknown_format_is_refused_with_the_formats_there_are(runner) -> None:
    result = run(runner, "render", str(EXAMPLE), "--doc-format", "xinjiang2025")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].endswith(
        "'--doc-format' / '-f': “xinjiang2025” 不是可用的文档格式；"
        "可选：final-accounts、hebei-2021、performance-self-evaluation、shanghai-budget、shanghai-final-accounts、xinjiang-2025")


def test_unknown_format_named_in_the_figures_is_refused_at_its_line(runner, tmp_path) -> None:
    path = write_variant(tmp_path, "basis: 上年预算 ", "format: xinjiang2025\nbasis: 上年预算 ")
    for command in ("render", "check"):
        result = run(runner, command, str(path))
        assert result.exit_code == 2
        assert result.stderr == (f"{path}:13:1: 错误 unknown-format 没有名为 “xinjiang2025” 的格式，是否想用 “xinjiang-2025”？"
                                 "可选：final-accounts、hebei-2021、performance-self-evaluation、shanghai-budget、shanghai-final-accounts、xinjiang-2025\n")
