"""A figures file names its format (``format:``); every command uses it, an option may only agree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import CASES, EXAMPLE, ROOT, run

HEBEI = ROOT / "examples" / "hebei-2021.yaml"
HEBEI_TEXT = (CASES / "hebei-2021" / "expected.md").read_text(encoding="utf-8")
ATUSHI_TEXT = (CASES / "atushi-2025" / "expected.md").read_text(encoding="utf-8")


def test_the_hebei_example_renders_in_its_format_without_an_option(runner) -> None:
    result = run(runner, "render", str(HEBEI))
    assert result.exit_code == 0, result.stderr  # written; the checks it cannot make are notes, which do not fail
    assert result.stdout == HEBEI_TEXT
    assert run(runner, "render", str(HEBEI), "-f", "hebei-2021").stdout == HEBEI_TEXT  # the same format: fine


def test_an_option_naming_another_format_is_an_error_naming_the_files_format(runner) -> None:
    for command in ("render", "check", "explain"):
        result = run(runner, command, str(HEBEI), "--doc-format", "xinjiang-2025")
        assert result.exit_code == 2, command
        assert result.stderr == (
            f"{HEBEI}:11:1: 错误 format-mismatch 数据文件写明其格式为 hebei-2021（format: hebei-2021），"
            "与所给的 xinjiang-2025 不同；请去掉 --doc-format，或改为 --doc-format hebei-2021\n")
        assert result.stdout == ""


def test_without_format_the_default_stays_xinjiang(runner) -> None:
    assert "format" not in EXAMPLE.read_text(encoding="utf-8").split("department:")[1].split("income:")[0]
    assert run(runner, "render", str(EXAMPLE)).stdout == ATUSHI_TEXT


def test_check_with_doc_format_really_uses_that_formats_rules_and_templates(runner, in_root) -> None:
    default = json.loads(run(runner, "check", "examples/atushi-2025.yaml", "--format", "json").stdout)
    hebei = json.loads(run(runner, "check", "examples/atushi-2025.yaml", "-f", "hebei-2021", "--format", "json").stdout)
    rules = {f["rule"] for f in hebei["findings"]} - {f["rule"] for f in default["findings"]}
    assert rules == {"missing-profile", "missing-overall_target"}  # what Hebei's text wants and Xinjiang's not
    assert hebei["findings"][0] == {
        "path": "examples/atushi-2025.yaml", "line": 0, "column": 0, "level": "warning", "rule": "missing-profile",
        "message": "profile：缺少部门职责及机构设置（profile）（由人填写，工具不代写），文中已略去"}


def test_one_batch_mixes_formats(runner, tmp_path) -> None:
    region = tmp_path / "区域"
    region.mkdir()
    shutil.copy(EXAMPLE, region / "阿图什.yaml")
    shutil.copy(HEBEI, region / "长安.yaml")
    out, report = tmp_path / "输出", tmp_path / "r.json"
    result = run(runner, "batch", str(region), "-o", str(out), "-r", str(report), "--no-progress")
    assert result.exit_code == 0, result.output  # notes only: below the batch's --fail-on warning
    assert (out / "阿图什.md").read_text(encoding="utf-8") == ATUSHI_TEXT
    assert (out / "长安.md").read_text(encoding="utf-8") == HEBEI_TEXT
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["format"] is None
    assert [(f["source"], f["format"], f["status"]) for f in data["files"]] == [
        ("长安.yaml", "hebei-2021", "ok"), ("阿图什.yaml", "xinjiang-2025", "ok")]
    # a format asked for must be every file's: the Hebei file is refused, the other rendered
    result = run(runner, "batch", str(region), "-o", str(tmp_path / "o2"), "-f", "xinjiang-2025", "--no-progress")
    assert result.exit_code == 2
    assert "错误 format-mismatch 数据文件写明其格式为 hebei-2021" in result.stderr
    assert [p.name for p in (tmp_path / "o2").iterdir()] == ["阿图什.md"]


def test_explain_diff_update_lint_and_review_use_the_files_format(runner, tmp_path) -> None:
    explained = run(runner, "explain", str(HEBEI))
    assert explained.exit_code == 0 and "templates/hebei-2021/" in explained.stdout
    figures = tmp_path / "figures.yaml"
    shutil.copy(HEBEI, figures)
    document = tmp_path / "说明.md"
    assert run(runner, "render", str(figures), "-o", str(document), "--fail-on", "warning").exit_code == 0
    changed = tmp_path / "new.yaml"
    changed.write_text(figures.read_text(encoding="utf-8").replace("vehicle_operation: {amount: 2.5, prior: 2.5}",
                                                                   "vehicle_operation: {amount: 3.5, prior: 2.5}"),
                       encoding="utf-8")
    diff = run(runner, "diff", str(figures), str(changed))
    assert diff.exit_code == 0 and "three_public.vehicle_operation.amount 2.5 → 3.5" in diff.stdout
    assert "预算比上年增加1万元，增长40.00%" in diff.stdout  # Hebei's wording
    updated = run(runner, "update", str(document), "--figures", str(changed))
    assert updated.exit_code in (0, 1), updated.output
    assert "公务用车运行及维护费3.5万元" in document.read_text(encoding="utf-8")
    mismatch = run(runner, "update", str(document), "--figures", str(changed), "-f", "xinjiang-2025")
    assert mismatch.exit_code == 2 and "format-mismatch" in mismatch.stderr
    for command in ("lint", "review"):
        result = run(runner, command, str(document), "--figures", str(changed), "-f", "xinjiang-2025")
        assert result.exit_code == 2 and "format-mismatch" in result.stderr, command


def test_init_and_the_schema_know_the_field(runner, tmp_path) -> None:
    text = run(runner, "init", "-f", "hebei-2021").stdout
    assert "\nformat: hebei-2021   # 文档格式（见 narrator formats）\n" in text
    schema = json.loads((ROOT / "schema" / "figures.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["format"]["anyOf"][0] == {"type": "string"}
    assert run(runner, "schema").stdout == (ROOT / "schema" / "figures.schema.json").read_text(encoding="utf-8")


def test_option_values_are_checked_with_the_allowed_list(runner) -> None:
    for args, allowed in (
        (["check", str(EXAMPLE), "--format", "xml"], "“xml” 不是可用的输出形式；可选：text、json"),
        (["review", str(EXAMPLE), "--format", "csv"], "“csv” 不是可用的输出形式；可选：text、json、html"),
        (["check", str(EXAMPLE), "--fail-on", "fatal"], "“fatal” 不是可用的级别；可选：note、warning、error"),
        (["lint", str(EXAMPLE), "--profile", "beijing"], "“beijing” 不是可用的措辞规范；可选：national、shanghai、xinjiang-2025"),
        (["render", str(EXAMPLE), "--to", "pdf"], "“pdf” 不是可用的输出类型；可选：md、txt、html、docx"),
        (["explain", str(EXAMPLE), "-f", "hebei"], "“hebei” 不是可用的文档格式；可选：final-accounts、hebei-2021、"
                                                    "performance-self-evaluation、shanghai-budget、shanghai-final-accounts、xinjiang-2025"),
    ):
        result = run(runner, *args)
        assert result.exit_code == 2, args
        assert result.stderr.splitlines()[-1].endswith(allowed), result.stderr


def test_the_old_spelling_of_the_document_format_is_refused_with_a_hint(runner) -> None:
    result = run(runner, "render", str(EXAMPLE), "--format", "hebei-2021")
    assert result.exit_code == 2 and "--doc-format" in result.stderr
