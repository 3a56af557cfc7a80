"""Fund (income) sources as data: a format's fields.yaml adds sources to the core list of
rules/classification/budget-items.yaml, and figures, rules and templates take them like the core ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrator.cli import app
from narrator.errors import FiguresError
from narrator.intake.figures import load_figures_text
from narrator.text.formatfields import fund_sources
from narrator.text.formats import templates_added

from .conftest import EXAMPLE, ROOT

SOURCES = """\
fund_sources:
  - {key: business, name: 事业收入, kind: business, fiscal: false}
add:
  - to: [income.*]
    fields:
      plan_note: {type: text, doc: 与计划的差异说明}
"""


@pytest.fixture
def mine(tmp_path: Path):
    """A copy of xinjiang-2025 called mine that adds 事业收入 and lists every non-fiscal source it has."""
    folder = tmp_path / "formats" / "mine"
    shutil.copytree(ROOT / "templates" / "xinjiang-2025", folder)
    fmt = folder / "format.yaml"
    fmt.write_text(fmt.read_text(encoding="utf-8").replace("name: xinjiang-2025", "name: mine")
                   .replace("    unit: 单位资金\n", "    unit: 单位资金\n    business: 事业收入\n"), encoding="utf-8")
    (folder / "fields.yaml").write_text(SOURCES, encoding="utf-8")
    overview = folder / "sections" / "01-overview.md.j2"
    overview.write_text(overview.read_text(encoding="utf-8")
                        + "\n{% for s in income if not s.fiscal and s.amount %}{{ s.name }}{{ s.amount|money }}万元"
                          "；{% endfor %}{{ income.business.plan_note }}。\n", encoding="utf-8")
    with templates_added(folder.parent):
        yield folder


def _figures(format_line: str = "format: mine\n") -> str:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "income:\n", "income:\n  business: {amount: 12.50, prior: 0, reason: 新增培训收入, plan_note: 按计划}\n", 1)
    return text.replace("basic: {general: 140.63}", "basic: {general: 140.63, business: 12.50}", 1) + format_line


def test_an_added_source_is_read_and_listed_after_the_core_ones(mine: Path) -> None:
    loaded = load_figures_text(_figures(), "f.yaml")
    assert loaded.model.income.business.amount == 12.5
    assert loaded.model.income.business.plan_note == "按计划"  # income.* reaches the new source too
    keys = [s["key"] for s in fund_sources("mine")]
    assert keys[-2:] == ["carryover_other", "business"] and keys.count("business") == 1
    assert fund_sources("xinjiang-2025")[-1]["key"] == "carryover_other"


def test_rules_and_templates_see_the_added_source(mine: Path, tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(_figures(), encoding="utf-8")
    result = CliRunner().invoke(app, ["render", str(path)])
    assert "单位资金5.00万元；财政拨款结转3.02万元；事业收入12.50万元；按计划。" in result.stdout, result.output
    plain = CliRunner().invoke(app, ["render", "-f", "xinjiang-2025", str(EXAMPLE)]).stdout
    # the totals the text prints grow by the added source: 收入 and 支出 both 12.50 more
    assert "收入预算222.22万元" in plain and "收入预算234.72万元" in result.stdout


def test_a_project_and_a_by_source_mapping_take_the_added_key(mine: Path) -> None:
    text = _figures().replace("    source: general\n", "    source: business\n", 1)
    assert load_figures_text(text, "f.yaml").model.projects[0].source == "business"
    with pytest.raises(FiguresError) as error:
        load_figures_text(text.replace("source: business", "source: busines", 1), "f.yaml")
    assert any(f.location.line and "source" in f.message for f in error.value.findings)


def test_the_added_source_belongs_to_its_format(mine: Path) -> None:
    with pytest.raises(FiguresError) as error:
        load_figures_text(_figures(format_line=""), "f.yaml")
    assert ("income.business：“business” 是格式 mine、shanghai-final-accounts 的字段，本文件按格式 xinjiang-2025 读取；"
            "若本文件是该格式，"
            "请写 format: mine") in [f.message for f in error.value.findings]


@pytest.mark.parametrize(("text", "message"), [
    ("fund_sources:\n  - {key: general, name: 事业收入, kind: business, fiscal: false}\n",
     "fund_sources[1].key “general” 已有（收入来源的键不能重复）"),
    ("fund_sources:\n  - {key: Business, name: 事业收入, kind: business, fiscal: false}\n",
     "fund_sources[1].key “Business” 应由小写字母、数字和下划线组成，以字母开头"),
    ("fund_sources:\n  - {key: a, name: 甲, kind: a, fiscal: false}\n  - {key: a, name: 乙, kind: a, fiscal: false}\n",
     "fund_sources[2].key “a” 已有（收入来源的键不能重复）"),
    ("fund_sources:\n  - {key: business, name: 事业收入, kind: business}\n", "fund_sources[1].fiscal"),
])
def test_a_broken_source_is_located_and_named(mine: Path, text: str, message: str) -> None:
    (mine / "fields.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["formats", "--check", str(mine)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if "bad-fields" in line]
    assert lines and all(line.startswith(f"{mine / 'fields.yaml'}:") for line in lines)
    assert any(message in line for line in lines), lines


def test_shanghai_final_accounts_lists_its_other_income_by_its_own_key() -> None:
    from narrator.text.render import render_file

    example = ROOT / "examples" / "shanghai-putuo-2024-final-accounts.yaml"
    assert "其他收入6.20万元，占0.21%。" in render_file(example, "shanghai-final-accounts").text
    names = {s["key"]: s["name"] for s in fund_sources("shanghai-final-accounts")}
    assert [names[k] for k in ("superior", "business", "operating", "affiliated", "other")] == [
        "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
