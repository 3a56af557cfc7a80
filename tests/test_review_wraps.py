"""A PDF line wrap never causes a finding: the same paragraphs reviewed from a PDF, wrapped at every
place and broken over pages, give exactly the findings of the unwrapped text (placed on the page)."""

from __future__ import annotations

import re
from pathlib import Path

import pdfmaker
import pytest

from narrator.review import review_file, review_text

PAD = "本部门认真落实过紧日子要求，严格控制一般性支出，从严从紧安排会议费、培训费及差旅费"
# correct sentences in several regions' wordings, long enough to wrap, names and amounts inside
CORRECT = [
    "2025年本部门收入预算1,204.56万元，比上年预算增加104.56万元，增长9.51%，主要原因是人员经费增加。",
    "一般公共预算财政拨款支出1,000.00万元，其中：基本支出800.00万元，占80.00%；项目支出200.00万元，占20.00%。",
    "卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）30.40万元，较上年减少2.10万元，下降6.46%。",
    "公务接待费支出2.14万元，与2024年度预算相比，增加0.14万元，增长7.00%，主要原因是接待任务增加。",
    "“三公”经费预算数为40.20万元，其中：因公出国（境）费0万元，公务接待费22.20万元，公务用车购置及运行维护费18.00万元。",
]
# sentences with one error each: the PDF must find the same
WRONG = [
    "公务接待费2.30万元，较上年减少1.50万元（42.86%），主要原因是压缩公务接待。",
    "支出合计1,000.00万元，其中：基本支出300.00万元，占40.00%；项目支出700.00万元，占60.00%。",
    "本部门主要用于主要用于日常运转及履职保障，较上年增加（减少）0万元。",
]


def _findings(report) -> list[tuple[str, str]]:
    # a message that points at another place names its original page and line: not compared
    return sorted((f.rule, re.sub(r"第 \d+ 页第 \d+ 行|第 \d+ 行", "第 N 行", f.message)) for f in report.findings)


@pytest.mark.parametrize("shift", [0, 3, 7, 11, 17, 23])
@pytest.mark.parametrize("lines_per_page", [2, 5])
def test_wraps_and_page_breaks_change_no_finding(tmp_path: Path, shift: int, lines_per_page: int) -> None:
    paragraphs = [PAD[:shift] + p for p in CORRECT + WRONG]
    title = "某某局2025年部门预算情况说明"
    pdf = tmp_path / "说明.pdf"
    layout = pdfmaker.make_pdf(pdf, [title, *paragraphs], lines_per_page=lines_per_page)
    assert layout.pages > 2
    from_pdf = review_file(pdf)
    from_text = review_text("\n".join([title, *paragraphs]), "说明.txt")
    assert _findings(from_pdf) == _findings(from_text)
    assert {f.rule for f in from_text.findings} >= {"change-percent", "share-percent", "doubled-word",
                                                   "template-residue"}
    for finding in from_pdf.findings:
        assert finding.location.page >= 1 and finding.location.line >= 1
