"""The reference tables: printed names resolve, the data is whole, official lists import."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from narrator.classification import load_classification, reference_entry
from narrator.classification.audit import audit_table, bundled_paths
from narrator.classification.edition import import_edition
from narrator.classification.table import parse_table
from narrator.loading.yamlload import load_yaml_text

from .conftest import TESTS, run

# Codes and names as printed in the tables of official published 部门预算/决算 documents of
# 2023–2026 (facts only: code, name, budget year).
OBSERVED = list(csv.DictReader((TESTS / "data" / "classification-observed.csv").open(encoding="utf-8")))


def test_every_observed_code_resolves_to_its_printed_name_for_its_year() -> None:
    wrong = []
    for fact in OBSERVED:
        found = reference_entry(fact["code"])
        year = int(fact["year"])
        if found is None or found[1].name_in(year) != fact["name"] or not found[1].exists_in(year):
            wrong.append((fact["code"], fact["year"], fact["name"], found and found[1].name_in(year)))
    assert wrong == []
    assert len(OBSERVED) > 250


@pytest.mark.parametrize(("code", "year", "name"), [
    ("2100206", 2025, "妇产医院"),
    ("2100403", 2025, "妇幼保健机构"),
    ("2210101", 2025, "廉租住房"),
    ("2210102", 2025, "沉陷区治理"),
    ("2210103", 2025, "棚户区改造"),
    ("2210104", 2025, "少数民族地区游牧民定居工程"),
    ("2210105", 2025, "农村危房改造"),
    ("2210106", 2025, "公共租赁住房"),
    ("2210107", 2025, "保障性住房租金补贴"),
    ("2210108", 2025, "老旧小区改造"),
    ("22960", 2025, "彩票公益金安排的支出"),
    ("20707", 2025, "旅游发展基金支出"),
    ("22006", 2024, "耕地保护考核奖惩基金支出"),
    ("21301", 2018, "农业"),
    ("21301", 2019, "农业农村"),
    ("21302", 2019, "林业和草原"),
    ("215", 2025, "资源勘探工业信息等支出"),
    ("20125", 2025, "港澳台事务"),
    ("210", 2017, "医疗卫生与计划生育支出"),
    ("210", 2024, "卫生健康支出"),
    ("501", 2025, "机关工资福利支出"),
    ("50101", 2025, "工资奖金津补贴"),
])
def test_the_corrected_and_added_entries(code: str, year: int, name: str) -> None:
    found = reference_entry(code)
    assert found is not None and found[1].name_in(year) == name


def test_new_and_retired_codes_know_their_years() -> None:
    assert not reference_entry("22006")[1].exists_in(2023)
    assert not reference_entry("20140")[1].exists_in(2023) and reference_entry("20140")[1].exists_in(2024)
    assert not reference_entry("2010308")[1].exists_in(2024)


def test_the_bundled_tables_are_whole_and_count_entries_by_sureness() -> None:
    for path in bundled_paths():
        audit = audit_table(path)
        assert audit.findings == [], path
        assert sum(len(v) for v in audit.by_sureness.values()) == len(audit.table.entries)
    assert load_classification("government-economic").title == "政府预算支出经济分类科目"


def test_classification_check_reports_the_memory_entries(runner) -> None:
    result = run(runner, "classification", "check")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("rules/classification/functional.yaml: 支出功能分类科目 ")
    assert lines[-1].startswith("共 ") and lines[-1].endswith("条（加 --list 逐条列出）")
    listed = run(runner, "classification", "check", "--list")
    memory = [line for line in listed.stdout.splitlines() if " 提示 memory-only " in line]
    assert len(memory) == int(lines[-1].split("仅凭记忆 ")[1].split(" 条")[0])


def test_classification_check_finds_a_missing_parent(runner, tmp_path) -> None:
    table = tmp_path / "t.yaml"
    table.write_text('name: 测试\nkind: functional\ncodes:\n  "201": 一般公共服务支出\n  "2010101": 行政运行\n',
                     encoding="utf-8")
    result = run(runner, "classification", "check", str(table))
    assert result.exit_code == 1
    assert f"{table}:5:3: 错误 missing-parent 科目 2010101 行政运行 的上级科目 20101 不在表中" in result.stdout


def _official_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_import_reads_code_and_name_columns(runner, tmp_path) -> None:
    source = _official_xlsx(tmp_path / "科目.xlsx", [
        ["2026年政府收支分类科目"], [], ["科目编码", "科目名称", "说明"],
        [101, "税收收入", ""], [210, "卫生健康支出", ""], ["21002", "公立医院", ""],
        ["2100206", "妇产医院", ""], ["30101", "基本工资", ""], ["50101", "工资奖金津补贴", ""]])
    output = tmp_path / "科目表2026.yaml"
    result = run(runner, "classification", "import", str(source), "--year", "2026", "-o", str(output))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().endswith(f"收入分类等）1 行未收，已写入 {output}")
    table = parse_table(load_yaml_text(output.read_text(encoding="utf-8"), "e"), "e")
    assert table.names == {"210": "卫生健康支出", "21002": "公立医院", "2100206": "妇产医院",
                           "30101": "基本工资", "50101": "工资奖金津补贴"}
    assert (table.valid_from, table.valid_to, table.entries["210"].sureness) == (2026, 2026, "official")


def test_import_reads_split_class_kuan_item_columns(tmp_path) -> None:
    source = tmp_path / "科目.csv"
    source.write_text("类,款,项,科目名称\n210,,,卫生健康支出\n,02,,公立医院\n,,06,妇产医院\n,04,,公共卫生\n"
                      ",,03,妇幼保健机构\n", encoding="gb18030")
    edition = import_edition(source, 2025)
    assert edition.codes == {"210": "卫生健康支出", "21002": "公立医院", "2100206": "妇产医院",
                             "21004": "公共卫生", "2100403": "妇幼保健机构"}


def test_import_without_a_header_is_bad_input(runner, tmp_path) -> None:
    source = tmp_path / "x.csv"
    source.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run(runner, "classification", "import", str(source), "--year", "2025", "-o", str(tmp_path / "o.yaml"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{source}:1:1: 错误 edition-columns 没有找到表头")
    assert not (tmp_path / "o.yaml").exists()


def test_an_imported_edition_in_use_wins_for_its_year(runner, tmp_path) -> None:
    source = _official_xlsx(tmp_path / "科目.xlsx", [["科目编码", "科目名称"], ["2014004", "信访业务工作"]])
    edition = tmp_path / "e.yaml"
    assert run(runner, "classification", "import", str(source), "--year", "2025", "-o", str(edition)).exit_code == 0
    from narrator.classification import editions_in_use

    with editions_in_use([edition]):
        assert reference_entry("2014004")[1].name_in(2025) == "信访业务工作"
        assert reference_entry("2014004")[1].name_in(2024) == "信访业务"
    assert reference_entry("2014004")[1].name_in(2025) == "信访业务"


def test_import_does_not_overwrite_without_force(runner, tmp_path) -> None:
    source = _official_xlsx(tmp_path / "科目.xlsx", [["科目编码", "科目名称"], ["2014004", "信访业务"]])
    output = tmp_path / "e.yaml"
    output.write_text("已有的文件\n", encoding="utf-8")
    result = run(runner, "classification", "import", str(source), "--year", "2025", "-o", str(output))
    assert (result.exit_code, result.stderr) == (2, f"{output}:0:0: 错误 file-exists 文件已存在；要覆盖请加 --force\n")
    assert output.read_text(encoding="utf-8") == "已有的文件\n"
    forced = run(runner, "classification", "import", str(source), "--year", "2025", "-o", str(output), "--force")
    assert forced.exit_code == 0 and '"2014004": "信访业务"' in output.read_text(encoding="utf-8")
