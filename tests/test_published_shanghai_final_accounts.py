"""shanghai-final-accounts against the document its example was transcribed from.

The example (examples/shanghai-putuo-2024-final-accounts.yaml) holds the figures of 上海市普陀区财政局's
2024 部门决算 (its tables and the figures its 说明 gives). Rendering it must give the sentences below;
the published 说明 has 96 prose sentences, of which ``python bench/shanghai.py`` (with the published
documents beside the project) finds all but the six listed in UNREPRODUCED reproduced exactly. Each entry is a
fragment of the published sentence, why narrator does not write it so, and what narrator writes
instead (the test checks both: the fragment is absent, narrator's wording present).
"""

from __future__ import annotations

from pathlib import Path

from narrator.intake.figures import load_figures_text
from narrator.document.output import convert
from narrator.text.render import render_figures, render_file

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "shanghai-putuo-2024-final-accounts.yaml"
FORMAT = "shanghai-final-accounts"

# published fragment → (why it is not reproduced, what narrator writes instead)
UNREPRODUCED = {
    "其他收入6.2万元，占0.21%；":
        ("原文段末用“；”而不是“。”（narrator 的 paragraph-end 措辞检查报告这种写法），金额也少写一位小数",
         "其他收入6.20万元，占0.21%。"),
    "项目支出603.14万元，占20.51%；":
        ("原文段末用“；”而不是“。”", "项目支出603.14万元，占20.51%。"),
    "一般公共服务支出（类）2106.66万元，占71.73%":
        ("原文比重算错：2106.66 ÷ 2940.05 = 71.65%；段末又用“；”", "一般公共服务支出（类）2106.66万元，占71.65%"),
    "财政拨款收入支出总计0.3万元":
        ("原文笔误：财政拨款收入支出决算总表的总计为 2961.68 万元（本年 2940.05 加年初结转和结余 21.63）",
         "财政拨款收入支出总计2961.68万元"),
    "财政拨款收入支出总计持平":
        ("原文与自己的数不符：2023 年一般公共预算财政拨款支出 3003.19（第五节倒推）加年末结转 21.63 为 3024.82，"
         "本年 2961.68，减少 63.14 万元；原文随后的“主要原因”也说的是减少",
         "财政拨款收入支出总计减少63.14万元，下降2.09%"),
    "退休费、个人农业生产补贴；":
        ("原文把 0.31 万元记为个人农业生产补贴，而基本支出决算表中这 0.31 万元在“奖励金”（30309）一行，"
         "个人农业生产补贴没有数", "退休费、奖励金；"),
}

# Sentences of the render, written here from the figures (not copied from the published text).
EXPECTED = [
    "上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入支出总计减少56.95万元，下降1.87%。",
    "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他收入6.20万元，占0.21%。",
    "本年支出合计2940.05万元，其中：基本支出2336.91万元，占79.49%；项目支出603.14万元，占20.51%。",
    "一般公共预算财政拨款支出2940.05万元，占本年支出合计的100.00%。与2023年度相比，一般公共预算财政拨款支出"
    "减少63.14万元，下降2.10%。",
    "一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。决算数小于预算数的主要原因：",
    "2、一般公共服务支出（类）财政事务（款）一般行政管理事务（项）。主要用于：局财政业务指导与宣传等基本支出。"
    "年初预算为10.00万元，支出决算为10.00万元。决算数与预算数基本持平。",
    "一般公共预算财政拨款基本支出2336.91万元。其中：人员经费2152.26万元，主要包括：基本工资、津贴补贴、",
    "；公用经费184.65万元，主要包括：办公费、印刷费、手续费、",
    "其他商品和服务支出、办公设备购置。",
    "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%，其中：",
    "2024年度“三公”经费财政拨款支出决算数与2023年度持平。其中：因公出国（境）费支出决算持平；",
    "### （二）“三公”经费财政拨款支出决算具体情况说明。\n\n上海市普陀区财政局2024年度无“三公”经费财政拨款支出。",
    "上海市普陀区财政局2024年度无政府性基金预算财政拨款收入和支出。",
    "上海市普陀区财政局2024年度无国有资本经营预算财政拨款收入和支出。",
    "编报绩效目标的2024年度项目4个，涉及预算金额598.42万元；",
    "平均得分99.43分（其中，绩效评级为“优”的项目4个；绩效评级为“良”的项目0个；",
    "机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。主要原因是",
    "政府采购金额（以合同签订为准）为251.25万元，其中：货物采购金额4.79万元、工程采购金额0万元、服务采购金额246.47万元。",
    "在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额4.79万元。",
    "共有车辆0辆，其中：部级领导干部用车0辆、",
    "单价100万元（含）以上设备（不含车辆）2台（套）。",
]


def _variant(*replacements: tuple[str, str]):
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return render_figures(load_figures_text(text, "shanghai.yaml"), FORMAT)


def test_the_example_renders_the_published_sentences() -> None:
    rendered = render_file(EXAMPLE, FORMAT)
    assert rendered.warnings == []
    for sentence in EXPECTED:
        assert sentence in rendered.text, sentence
    assert rendered.text.count("决算数小于预算数的主要原因：预算按周全保障测算，实际执行基本贴合预期。") == 3
    assert "," not in rendered.text  # Shanghai texts print amounts without thousands separators


def test_each_unreproduced_sentence_is_written_as_the_figures_say() -> None:
    text = convert(render_file(EXAMPLE, FORMAT).text, ".txt")
    for fragment, (reason, ours) in UNREPRODUCED.items():
        assert reason
        assert fragment not in text, fragment
        assert ours in text, ours


def test_the_template_picks_one_wording_for_each_case() -> None:
    rendered = _variant(("  total: 3052.34", "  total: 2995.39"),
                        ("  general_total: 3003.19", "  general_total: 2900.00"),
                        ("reception: {amount: 0, prior: 0, budget: 0.95}",
                         "reception: {amount: 0.5, prior: 0.8, budget: 0.95, batches: 3, people: 20, reason: 减少接待}"),
                        ("  prior: 182.10\n", "  prior: 184.65\n"))
    text = rendered.text
    assert "收入支出总计2995.39万元。与2023年度相比，收入支出总计持平。\n" in text
    assert "一般公共预算财政拨款支出增加40.05万元，增长1.38%。主要原因：" in text
    assert ("“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.50万元，完成预算的52.63%，其中：因公出国（境）费"
            "决算为0.00万元，完成预算的0%；") in text
    assert ("2024年度“三公”经费财政拨款支出决算数比2023年度减少0.30万元，下降37.50%，其中：因公出国（境）费支出决算持平；"
            "公务用车购置及运行维护费支出决算持平；公务接待费支出决算减少0.30万元，下降37.50%。"
            "公务接待费支出减少的主要原因是减少接待。") in text
    assert "3、公务接待费支出0.50万元。国内公务接待3批次、20人次。" in text
    assert "机关运行经费支出184.65万元，与2023年度持平。\n" in text
    assert rendered.warnings == []


def test_what_the_clerk_has_not_written_is_left_out_with_a_warning() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    start, end = text.index("performance_management:\n"), text.index("procurement:\n")
    text = text[:start] + text[end:]
    text = text.replace("  total: 基本支出中人员进出及退休变化，以及项目支出中合同支付进度条款等原因减少支付\n", "", 1)
    rendered = render_figures(load_figures_text(text, "shanghai.yaml"), FORMAT)
    assert sorted(w.rule for w in rendered.warnings) == ["missing-performance_management", "missing-total"]
    assert "收入支出总计减少56.95万元，下降1.87%。\n" in rendered.text   # the reason is left out, not invented
    assert "## 十、预算绩效管理情况\n\n## 十一、" in rendered.text


def test_the_closing_balance_balances_the_two_totals(tmp_path) -> None:
    """收入支出决算总表: 本年收入 + 年初结转和结余 = 本年支出 + 年末结转和结余 (declared.closing_balance)."""
    import json

    from typer.testing import CliRunner

    from narrator.cli import app

    def errors(text: str) -> list[str]:
        path = tmp_path / "figures.yaml"
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(app, ["check", str(path), "--format", "json"])
        return [f["rule"] for f in json.loads(result.stdout)["findings"] if f["level"] == "error"]

    text = EXAMPLE.read_text(encoding="utf-8")
    assert errors(text) == []
    assert errors(text.replace("  closing_balance: 55.34", "  closing_balance: 55.33", 1)) == ["income-equals-expenditure"]
    without = "\n".join(line for line in text.splitlines() if "closing_balance" not in line)
    assert errors(without) == ["income-equals-expenditure"]
