"""How many published sentences of the Shanghai documents the Shanghai formats reproduce.

    python bench/shanghai.py

For each Shanghai format, renders its example and compares it, sentence by sentence, with the
prose of the published document it was made from, read from ``../shared/real/`` beside the
project (or one folder further up, from a worktree; the documents are not part of the project; a
document that is not there is skipped).
Only the 说明 parts are compared, never the tables: the text pages of the PDF extraction from the
format's first heading on. A PDF line wraps inside a sentence, so a long line that does not end a
sentence is joined to the next before splitting (tests/published.py splits each line at “。”).

Prints, per document, the published sentences (distinct, and with repeats as printed), how many
the render reproduces exactly, and each one it does not with the reason its test lists. Each format
has its own function below, named after it, with its own helpers (prefixed with its name's part).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# ../shared beside the project (a worktree one level deeper looks one folder further up)
REALS = [ROOT.parent / "shared" / "real", ROOT.parent.parent / "shared" / "real"]
sys.path.insert(0, str(ROOT))

from tests.published import missing, sentences  # noqa: E402

from narrator.output import convert  # noqa: E402
from narrator.render import render_file  # noqa: E402

#: A line at least this long that does not end a sentence was wrapped by the PDF: join it.
BUDGET_WRAPPED = 40
_BUDGET_PAGE = re.compile(r"^--- page \d+ \((text|table)\) ---$", re.M)


def real(name: str) -> Path:
    """The published document ``name`` in the first ../shared/real that has it."""
    return next((folder / name for folder in REALS if (folder / name).is_file()), REALS[0] / name)


def budget_pages(document: str) -> list[list[str]]:
    """The lines of each page the extraction marks ``(text)``, in order."""
    parts = _BUDGET_PAGE.split(document)
    return [parts[i + 1].strip("\n").splitlines() for i in range(1, len(parts) - 1, 2) if parts[i] == "text"]


def budget_prose(document: str, first_heading: str) -> str:
    """The prose of the text pages from the page that starts with ``first_heading`` on, unwrapped."""
    pages = budget_pages(document)
    start = next(n for n, page in enumerate(pages) if page and page[0].strip().endswith(first_heading))
    out: list[str] = []
    for page in pages[start:]:
        for line in (line.strip() for line in page):
            if not line:
                continue
            if out and len(out[-1]) >= BUDGET_WRAPPED and not out[-1].endswith("。"):
                out[-1] += line
            else:
                out.append(line)
    return "\n".join(out)


def compare_budget(doc: str, example: str, fmt: str, first_heading: str,
            reasons: dict[str, str]) -> tuple[int, int, dict[str, int]] | None:
    """Print and return (published, reproduced, lost) for one document; None when it is absent.

    ``reasons`` maps a fragment of a published sentence to why it is not reproduced (the
    UNREPRODUCED of the format's test); a lost sentence with no fragment is marked “原因未列出”.
    """
    path = real(doc)
    if not path.is_file():
        print(f"{doc}：不在 {path.parent}，跳过")
        return None
    published = sentences(budget_prose(path.read_text(encoding="utf-8"), first_heading))
    rendered = sentences(convert(render_file(ROOT / "examples" / example, fmt).text, ".txt"))
    lost = missing(published, rendered)
    distinct = len(published)
    lost_distinct = sum(1 for s in lost if rendered[s] == 0)
    total, lost_total = sum(published.values()), sum(lost.values())
    print(f"{doc}（{fmt}，examples/{example}）")
    print(f"  不同的句子 {distinct} 句，重现 {distinct - lost_distinct} 句（{(distinct - lost_distinct) / distinct:.1%}）")
    print(f"  按印出的次数 {total} 句，重现 {total - lost_total} 句（{(total - lost_total) / total:.1%}）")
    for sentence, copies in lost.items():
        why = next((r for fragment, r in reasons.items() if fragment in sentence), "原因未列出")
        print(f"  未重现{'' if copies == 1 else f'（{copies} 次）'}：{sentence}\n    —— {why}")
    return total, total - lost_total, lost


def shanghai_budget() -> None:
    """shanghai-budget: 普陀区财政局 2025 年部门预算；普陀区社会福利院 2024 年单位预算."""
    from tests.test_published_shanghai_budget import UNIT_UNREPRODUCED, UNREPRODUCED

    compare_budget("shanghai-putuo-caizhengju-2025-yusuan.txt", "shanghai-putuo-2025.yaml", "shanghai-budget",
            "预算编制说明", UNREPRODUCED)
    compare_budget("shanghai-putuo-shehuifuliyuan-2024-danwei-yusuan.txt", "shanghai-putuo-fuliyuan-2024.yaml",
            "shanghai-budget", "预算编制说明", UNIT_UNREPRODUCED)


def main() -> None:
    """Run every Shanghai format's comparison."""
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    shanghai_budget()


if __name__ == "__main__":
    main()
