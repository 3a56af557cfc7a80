"""Fields as data: a format declares the figures fields it adds in its fields.yaml, and validation,
did-you-mean, the JSON Schema and narrator init follow from it — no Python change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrator.cli import app
from narrator.intake.figures import load_figures_text
from narrator.text.formats import templates_added

from .conftest import EXAMPLE, ROOT

FIELDS = """\
# 自己的格式增加的字段
add:
  - to: [.]
    fields:
      mission: {type: text, required: true, doc: 部门使命（一句话）}
      staff: {ref: staff, doc: 人员编制}
  - to: [income.*]
    fields:
      plan_note: {type: text, doc: 与计划的差异说明}
models:
  staff:
    keys:
      authorized: {type: count, required: true, doc: 编制人数}
      actual: {type: count, doc: 实有人数}
"""


@pytest.fixture
def mine(tmp_path: Path):
    """A copy of xinjiang-2025 called mine, which adds three fields and prints them."""
    root = tmp_path / "formats"
    folder = root / "mine"
    shutil.copytree(ROOT / "templates" / "xinjiang-2025", folder)
    fmt = folder / "format.yaml"
    fmt.write_text(fmt.read_text(encoding="utf-8").replace("name: xinjiang-2025", "name: mine"), encoding="utf-8")
    (folder / "fields.yaml").write_text(FIELDS, encoding="utf-8")
    overview = folder / "sections" / "01-overview.md.j2"
    overview.write_text(overview.read_text(encoding="utf-8") + "\n本部门的使命是{{ mission }}，编制{{ staff.authorized }}人。"
                        "{{ income.general.plan_note }}\n", encoding="utf-8")
    with templates_added(root):
        yield folder


def _figures(extra: str, format_line: str = "format: mine\n") -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("    reason: 本年减少联合接访运转项目经费和业务工作项目经费\n",
                        "    reason: 本年减少联合接访运转项目经费和业务工作项目经费\n    plan_note: 与计划一致。\n", 1)
    return text + format_line + extra


def test_a_format_adds_fields_as_data_and_its_templates_print_them(mine: Path, tmp_path: Path) -> None:
    path = tmp_path / "figures.yaml"
    path.write_text(_figures("mission: 为群众排忧解难\nstaff: {authorized: 12, actual: 10}\n"), encoding="utf-8")
    result = CliRunner().invoke(app, ["render", str(path)])
    assert result.exit_code == 0, result.output
    assert "本部门的使命是为群众排忧解难，编制12人。与计划一致。\n" in result.stdout


def test_the_added_fields_are_validated_like_every_field(mine: Path) -> None:
    from narrator.errors import FiguresError

    with pytest.raises(FiguresError) as error:
        load_figures_text(_figures("staff: {authorised: 12}\n"), "f.yaml")
    assert [(f.rule, f.message) for f in error.value.findings] == [
        ("missing-field", "mission：缺少必填字段"),
        ("missing-field", "staff.authorized：缺少必填字段"),
        ("unknown-key", "staff.authorised：未知字段 “authorised”，是否想写 “authorized”？"),
    ]


def test_a_field_of_another_format_says_which_format_has_it(mine: Path) -> None:
    from narrator.errors import FiguresError

    with pytest.raises(FiguresError) as error:
        load_figures_text(_figures("mission: x\n", format_line=""), "f.yaml")
    messages = [f.message for f in error.value.findings]
    assert "mission：“mission” 是格式 mine 的字段，本文件按格式 xinjiang-2025 读取；若本文件是该格式，请写 format: mine" \
        in messages
    assert any(m.startswith("income.general.plan_note：“plan_note” 是格式 mine 的字段") for m in messages)


def test_schema_and_init_follow_from_the_declaration(mine: Path) -> None:
    runner = CliRunner()
    schema = json.loads(runner.invoke(app, ["schema", "-f", "mine"]).stdout)
    assert schema["properties"]["mission"]["description"] == "部门使命（一句话）"
    assert "mission" in schema["required"]
    assert "plan_note" in json.dumps(schema["$defs"])
    assert "mission" not in json.loads(runner.invoke(app, ["schema"]).stdout)["properties"]
    init = runner.invoke(app, ["init", "-f", "mine"]).stdout
    assert "# mission:                          # 部门使命（一句话）\n" in init
    assert "#   authorized: 0                   # 编制人数\n" in init
    assert "# income.* 下还可写：\n#   plan_note:                      # 与计划的差异说明\n" in init
    assert "增加的字段" not in runner.invoke(app, ["init"]).stdout


@pytest.mark.parametrize(("text", "message"), [
    ("add:\n  - to: [incomes.*]\n    fields:\n      x: {type: text, doc: x}\n",
     "add[1].to 中的 “incomes.*” 找不到：数据文件的这一层没有含字段的 “incomes”"),
    ("add:\n  - to: [.]\n    fields:\n      x: {type: money, doc: x}\n",
     "x 的类型 “money” 不可用；可用：text、amount、count、quantity、int、bool、code，或 list[…]、map[…]"),
    ("add:\n  - to: [.]\n    fields:\n      x: {ref: nobody, doc: x}\n",
     "x 的 ref “nobody” 没有定义（应在 models: 或 _shared/fields.yaml 中）"),
    ("add:\n  - to: [.]\n    field:\n      x: {type: text, doc: x}\n", "未知的键 “add[1].field”，是否想写 “fields”？"),
])
def test_a_broken_fields_file_is_located_and_named(mine: Path, text: str, message: str) -> None:
    (mine / "fields.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["formats", "--check", str(mine)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if "bad-fields" in line]
    assert all(line.startswith(f"{mine / 'fields.yaml'}:") for line in lines)
    assert any(line.endswith(f"字段声明：{message}") for line in lines), lines


def test_the_built_in_formats_declare_their_own_fields() -> None:
    from narrator.text.formatmodels import figures_model
    from narrator.intake.schema import Figures

    assert figures_model("xinjiang-2025") is Figures  # the reference format adds nothing
    hebei, final = figures_model("hebei-2021"), figures_model("final-accounts")
    assert {"profile", "short_name"} <= set(hebei.model_fields) - set(Figures.model_fields)
    assert "performance_evaluation" in set(final.model_fields) - set(Figures.model_fields)
    text = EXAMPLE.read_text(encoding="utf-8").replace("    prior: 254.85\n", "    prior: 254.85\n    budget: 1\n", 1)
    with pytest.raises(Exception, match="是格式 final-accounts(、[a-z0-9-]+)* 的字段"):
        load_figures_text(text, "f.yaml")
    assert load_figures_text(text + "format: final-accounts\n", "f.yaml").model.income.general.budget == 1


def test_a_text_field_may_list_its_values() -> None:
    from narrator.errors import FiguresError

    example = (ROOT / "examples" / "shanghai-putuo-wanli-2024.yaml").read_text(encoding="utf-8")
    assert load_figures_text(example, "f.yaml").model.same_word in ("与", "比")
    with pytest.raises(FiguresError) as error:
        load_figures_text(example.replace("same_word: 比", "same_word: 和", 1), "f.yaml")
    assert [(f.rule, f.message) for f in error.value.findings] == [("bad-value", "same_word：“和” 不是可用的取值，可选：与、比")]
    schema = json.loads(CliRunner().invoke(app, ["schema", "-f", "shanghai-budget"]).stdout)
    assert '"enum": ["与", "比"]' in json.dumps(schema["properties"]["same_word"], ensure_ascii=False)
