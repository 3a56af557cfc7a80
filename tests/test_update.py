"""narrator update and narrator diff, tested as edit scripts.

Each test renders the example, edits the text as a person would, changes the figures, runs
``narrator update`` and asserts the exact resulting text and findings.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrator.cli import app
from narrator.text.render import render_file
from narrator.workflow.sidecar import sidecar_path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "atushi-2025.yaml"

GENERAL = ("一般公共预算214.20万元，占96.39%，比上年预算减少40.65万元，下降15.95%，"
           "主要原因是本年减少联合接访运转项目经费和业务工作项目经费。")
GENERAL_NEW = ("一般公共预算220.00万元，占96.48%，比上年预算减少34.85万元，下降13.67%，"
               "主要原因是本年减少联合接访运转项目经费和业务工作项目经费。")
ITEM_2014004 = "2025年预算数为163.63万元，比上年预算减少10.76万元，下降6.17%，主要原因是此科目经费减少。"
PROCUREMENT = "2025年，阿图什市信访局政府采购预算31.70万元，其中：政府采购货物预算22.20万元"


def replace_once(text: str, old: str, new: str) -> str:
    """Replace exactly one occurrence (an edit script step that cannot silently miss)."""
    assert text.count(old) == 1, f"expected one {old!r}"
    return text.replace(old, new)


class Workspace:
    """A folder with figures.yaml and its rendered 第三部分.md (and sidecar)."""

    def __init__(self, folder: Path, name: str = "第三部分.md") -> None:
        self.folder = folder
        self.figures = folder / "figures.yaml"
        self.document = folder / name
        self.figures.write_bytes(EXAMPLE.read_bytes())
        result = CliRunner().invoke(app, ["render", "--fail-on", "warning", str(self.figures), "-o", str(self.document)])
        assert result.exit_code == 0, result.output

    def edit(self, old: str, new: str) -> None:
        self.document.write_text(replace_once(self.text(), old, new), encoding="utf-8")

    def change_figures(self, old: str, new: str) -> None:
        self.figures.write_text(replace_once(self.figures.read_text(encoding="utf-8"), old, new), encoding="utf-8")

    def text(self) -> str:
        return self.document.read_text(encoding="utf-8")

    def fresh(self) -> str:
        """What a plain render of the current figures gives."""
        return render_file(self.figures).text

    def update(self, *extra: str):
        return CliRunner().invoke(app, ["update", str(self.document), "--figures", str(self.figures), *extra])


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def test_render_writes_a_sidecar_with_what_the_merge_needs(ws: Workspace) -> None:
    data = json.loads(sidecar_path(ws.document).read_text(encoding="utf-8"))
    assert data["narrator_sidecar"] == 1
    assert data["format"] == "xinjiang-2025"
    assert data["figures"] == "figures.yaml"
    assert data["generated"] == ws.text()
    assert data["figures_text"] == EXAMPLE.read_text(encoding="utf-8")
    assert len(data["figures_sha256"]) == 64


def test_unedited_text_becomes_the_new_render(ws: Workspace) -> None:
    ws.change_figures("amount: 214.20", "amount: 220.00")
    result = ws.update()
    assert result.exit_code == 0, result.output
    assert ws.text() == ws.fresh()
    assert "按新数据改写 8 句，保留人工修改 0 句，冲突 0 处" in result.output
    assert json.loads(sidecar_path(ws.document).read_text(encoding="utf-8"))["generated"] == ws.fresh()


def test_edit_in_a_sentence_whose_figures_did_not_change_is_kept(ws: Workspace) -> None:
    ws.edit("主要原因是此科目经费减少。", "主要原因是此科目业务经费压减。")
    ws.edit("本部门无其他需说明事项。", "本部门无其他需要说明的事项。")
    ws.change_figures("amount: 214.20", "amount: 220.00")
    result = ws.update()
    assert result.exit_code == 0, result.output
    expected = replace_once(ws.fresh(), "主要原因是此科目经费减少。", "主要原因是此科目业务经费压减。")
    expected = replace_once(expected, "本部门无其他需说明事项。", "本部门无其他需要说明的事项。")
    assert ws.text() == expected
    assert "保留人工修改 2 句，冲突 0 处" in result.output


def test_edited_sentence_whose_figure_changed_is_a_conflict_with_both_versions(ws: Workspace) -> None:
    edited = GENERAL.replace("本年减少联合接访运转项目经费和业务工作项目经费", "两个项目经费压减")
    ws.edit(GENERAL, edited)
    ws.change_figures("amount: 214.20", "amount: 220.00")
    result = ws.update()
    assert result.exit_code == 1
    assert ws.text() == ws.fresh()  # the new generated sentence is in
    line = ws.text().split("\n").index(GENERAL_NEW) + 1
    assert (f"{ws.document}:{line}:1: 警告 edit-conflict 此句人工改过，但它依据的数据变了"
            f"（income.general.amount 214.20 → 220.00），已换成新生成的句子“{GENERAL_NEW}”；"
            f"人工改过的句子是“{edited}”，请核对后把需要的修改补回") in result.output
    assert "冲突 1 处" in result.output


def test_added_sentences_and_paragraphs_stay_where_people_put_them(ws: Workspace) -> None:
    ws.edit("收支总预算222.22万元。", "收支总预算222.22万元。全部收支均按规定公开。")
    ws.edit("### （二）政府采购情况\n\n", "### （二）政府采购情况\n\n本单位严格执行政府采购制度。\n\n")
    ws.change_figures("goods: 22.20", "goods: 23.20")
    result = ws.update()
    assert result.exit_code == 0, result.output
    expected = replace_once(ws.fresh(), "收支总预算222.22万元。", "收支总预算222.22万元。全部收支均按规定公开。")
    expected = replace_once(expected, "### （二）政府采购情况\n\n", "### （二）政府采购情况\n\n本单位严格执行政府采购制度。\n\n")
    assert ws.text() == expected
    assert "政府采购预算32.70万元" in ws.text()


def test_deleted_sentence_stays_deleted_unless_its_figures_changed(ws: Workspace) -> None:
    ws.edit("政府性基金预算未安排。\n\n", "")
    ws.edit(PROCUREMENT, "XX")  # people dropped the procurement sentence's first clause…
    ws.edit("XX，政府采购工程预算3.05万元，政府采购服务预算6.45万元。\n\n", "")  # …and the whole sentence
    ws.change_figures("goods: 22.20", "goods: 23.20")
    result = ws.update()
    assert result.exit_code == 1
    new_sentence = ("2025年，阿图什市信访局政府采购预算32.70万元，其中：政府采购货物预算23.20万元，"
                    "政府采购工程预算3.05万元，政府采购服务预算6.45万元。")
    assert ws.text() == replace_once(ws.fresh(), "政府性基金预算未安排。\n\n", "")
    assert f"此句曾被人工删去，但它依据的数据变了（procurement.goods 22.20 → 23.20），" \
           f"已放回新生成的句子“{new_sentence}”" in result.output


def test_new_item_is_inserted_after_its_generated_neighbour_and_edits_around_it_are_kept(ws: Workspace) -> None:
    ws.edit("主要原因是本年退休人员增加，退休人员经费增加。", "主要原因是退休人员增加。")
    ws.change_figures('  - code: "2210201"',
                      '  - code: "2080502"\n    basic: {general: 5.80}\n    prior: 0\n'
                      '    reason: 新增事业单位离退休经费\n  - code: "2210201"')
    result = ws.update()
    assert result.exit_code == 0, result.output
    assert ws.text() == replace_once(ws.fresh(), "主要原因是本年退休人员增加，退休人员经费增加。", "主要原因是退休人员增加。")
    assert "4、社会保障和就业支出（类）行政事业单位养老支出（款）事业单位离退休（项）：2025年预算数为5.80万元" in ws.text()


def test_dropped_source_removes_its_sentences_and_reports_an_edited_one(ws: Workspace) -> None:
    edited = "财政拨款结转3.02万元，用于第一书记工作经费。"
    ws.edit("财政拨款结转3.02万元，占1.36%，比上年预算增加0.50万元，增长19.84%，"
            "主要原因是财政拨款结转增加工作队第一书记工作经费。", edited)
    ws.change_figures("  carryover:\n    amount: 3.02\n    prior: 2.52\n"
                      "    reason: 财政拨款结转增加工作队第一书记工作经费\n", "")
    result = ws.update()
    assert result.exit_code == 1
    assert ws.text() == ws.fresh()
    assert edited not in ws.text()
    assert f"人工改过的句子“{edited}”所说的内容在新数据中已没有（income.carryover（删去））" in result.output


def test_reordered_paragraphs_keep_their_new_order(ws: Workspace) -> None:
    first = "1. 房屋0.00平方米，价值0.00万元。\n\n"
    third = "3. 办公家具价值11.73万元。\n\n"
    ws.edit(first, "")
    ws.edit(third, third + first)
    ws.change_figures("goods: 22.20", "goods: 23.20")
    result = ws.update()
    assert result.exit_code == 0, result.output
    assert ws.text() == replace_once(replace_once(ws.fresh(), first, ""), third, third + first)


def test_second_update_with_the_same_figures_changes_nothing(ws: Workspace) -> None:
    ws.edit("主要原因是此科目经费减少。", "主要原因是此科目业务经费压减。")
    ws.change_figures("amount: 214.20", "amount: 220.00")
    assert ws.update().exit_code == 0
    once = ws.text()
    result = ws.update()
    assert result.exit_code == 0, result.output
    assert ws.text() == once
    assert "按新数据改写 0 句，保留人工修改 1 句，冲突 0 处" in result.output


def test_figures_default_to_the_recorded_file_and_output_elsewhere(ws: Workspace) -> None:
    ws.change_figures("goods: 22.20", "goods: 23.20")
    other = ws.folder / "新.md"
    result = CliRunner().invoke(app, ["update", str(ws.document), "-o", str(other)])
    assert result.exit_code == 0, result.output
    assert other.read_text(encoding="utf-8") == ws.fresh()
    assert sidecar_path(other).is_file()


def test_plain_text_documents_update_too(tmp_path: Path) -> None:
    ws = Workspace(tmp_path, "第三部分.txt")
    ws.edit("主要原因是此科目经费减少。", "主要原因是此科目业务经费压减。")
    ws.change_figures("goods: 22.20", "goods: 23.20")
    assert ws.update().exit_code == 0
    from narrator.document.output import markdown_to_text

    assert ws.text() == replace_once(markdown_to_text(ws.fresh()), "主要原因是此科目经费减少。", "主要原因是此科目业务经费压减。")


def test_without_a_sidecar_update_refuses(ws: Workspace) -> None:
    sidecar_path(ws.document).unlink()
    result = ws.update()
    assert result.exit_code == 2
    assert "找不到 第三部分.md.narrator.json" in result.output


def test_bad_new_figures_leave_the_document_untouched(ws: Workspace) -> None:
    before = ws.text()
    ws.change_figures("year: 2025", "year: 二〇二五")
    result = ws.update()
    assert result.exit_code == 2
    assert ws.text() == before


def test_render_no_sidecar(tmp_path: Path) -> None:
    out = tmp_path / "a.md"
    assert CliRunner().invoke(app, ["render", "--fail-on", "warning", str(EXAMPLE), "-o", str(out), "--no-sidecar"]).exit_code == 0
    assert not sidecar_path(out).exists()


def test_diff_shows_each_sentence_change_and_its_figure(tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    new.write_text(replace_once(EXAMPLE.read_text(encoding="utf-8"), "goods: 22.20", "goods: 23.20"), encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(EXAMPLE), str(new)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "## 十二、其他重要事项的情况说明 › （二）政府采购情况\n"
        "[改]（新文第 151 行）\n"
        "- 2025年，阿图什市信访局政府采购预算31.70万元，其中：政府采购货物预算22.20万元，政府采购工程预算3.05万元，政府采购服务预算6.45万元。\n"
        "+ 2025年，阿图什市信访局政府采购预算32.70万元，其中：政府采购货物预算23.20万元，政府采购工程预算3.05万元，政府采购服务预算6.45万元。\n"
        f"  因为：procurement.goods 22.20 → 23.20（{new}:188）\n"
        "\n共 1 句有变化（改 1、增 0、删 0），由 1 项数据变化引起。\n"
    )


def test_diff_of_identical_and_of_textless_changes(tmp_path: Path) -> None:
    same = CliRunner().invoke(app, ["diff", str(EXAMPLE), str(EXAMPLE)])
    assert same.output == "两份数据相同，文字不变。\n"
    new = tmp_path / "new.yaml"
    new.write_text(replace_once(EXAMPLE.read_text(encoding="utf-8"), "    prior: 2.52\n", "    prior: 2.520\n")
                   .replace("target: x", ""), encoding="utf-8")
    assert CliRunner().invoke(app, ["diff", str(EXAMPLE), str(new)]).output == "两份数据相同，文字不变。\n"


def test_diff_of_a_removed_project_shows_changed_and_removed_sentences(tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    new.write_text(replace_once(EXAMPLE.read_text(encoding="utf-8"),
                                "  - name: 2024 年实有资金结余\n    code: \"2014004\"\n    source: unit\n    amount: 5.00\n",
                                ""), encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(EXAMPLE), str(new)])
    cause = f"  因为：projects[2024 年实有资金结余]（删去）（{EXAMPLE}:142）\n"
    assert result.output == (
        "## 十二、其他重要事项的情况说明 › （四）预算绩效情况\n"
        "[改]（新文第 173 行）\n"
        "- 当年预算安排项目共3个，其中：财政拨款项目涉及预算金额23.00万元；\n"
        "+ 当年预算安排项目共2个，其中：财政拨款项目涉及预算金额23.00万元；\n" + cause +
        "[改]（新文第 173 行）\n"
        "- 非财政拨款项目涉及预算金额5.00万元。\n"
        "+ 非财政拨款项目涉及预算金额0.00万元。\n" + cause +
        "[删]（原文第 179 行）\n"
        "- | 3 | 2024 年实有资金结余 | 单位资金 | 5.00 |\n" + cause +
        "\n共 3 句有变化（改 2、增 0、删 1），由 1 项数据变化引起。\n"
    )


def test_diff_of_a_new_item_names_it_as_the_cause_of_each_sentence(tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    new.write_text(replace_once(EXAMPLE.read_text(encoding="utf-8"), '  - code: "2210201"',
                                '  - code: "2080502"\n    basic: {general: 5.80}\n    prior: 0\n'
                                '    reason: 新增事业单位离退休经费\n  - code: "2210201"')
                   .replace("amount: 214.20", "amount: 220.00"), encoding="utf-8")
    output = CliRunner().invoke(app, ["diff", str(EXAMPLE), str(new)]).output
    assert ("[增]（新文第 77 行）\n+ 4、社会保障和就业支出（类）行政事业单位养老支出（款）事业单位离退休（项）："
            "2025年预算数为5.80万元，比上年预算增加5.80万元，主要原因是新增事业单位离退休经费。\n"
            f"  因为：functional[2080502]（新增）（{new}:85）\n") in output
    assert ("+ 一般公共预算220.00万元，占96.48%，比上年预算减少34.85万元，下降13.67%，"
            "主要原因是本年减少联合接访运转项目经费和业务工作项目经费。\n"
            f"  因为：income.general.amount 214.20 → 220.00（{new}:23）\n") in output
    assert output.endswith("共 15 句有变化（改 14、增 1、删 0），由 2 项数据变化引起。\n")
