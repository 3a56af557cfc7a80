"""How much of a published Shanghai 说明 the Shanghai formats reproduce, sentence by sentence.

    python bench/shanghai.py [--show]

For each Shanghai format this renders the project's example (transcribed from a published
document) and reads the published document itself from ../shared/real/<doc>.txt when it is
there (it is not part of the project; without it the format is skipped). The published text is a
PDF extraction wrapped at the page width: lines are joined back into paragraphs (a heading or a
numbered item starts a new one), the prose of the 说明 part is kept (not the tables), and both
texts are split into sentences by tests/published.py. Printed: how many published sentences the
render reproduces exactly, and (with --show, or always for the missing ones) which not.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the project (a worktree one level deeper looks one folder further up)
REALS = [ROOT.parent / "shared" / "real", ROOT.parent.parent / "shared" / "real"]
sys.path.insert(0, str(ROOT))

from tests.published import missing, sentences  # noqa: E402
from layout import pick  # noqa: E402

[convert] = pick("document.output", "convert")  # noqa: E402
[render_file] = pick("text.render", "render_file")

# A line that opens a heading (一、 （一）) or a numbered item (1、)
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
_OPENS = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+、)")
_PAGE = re.compile(r"^--- page \d+ \((text|table)\) ---$")


def prose_between(text: str, start: str, end: str) -> str:
    """The text pages of ``text`` from the last line starting with ``start`` up to ``end``, re-joined.

    The last: the table of contents names the same headings first.

    A wrapped line continues the paragraph before it; a line that opens a heading or a numbered
    item starts a new one, and a short line without a full stop that opens one is a heading alone.
    """
    lines: list[str] = []
    kind, inside = "text", False
    raws = text.splitlines()
    first = max(n for n, raw in enumerate(raws) if raw.strip().startswith(start))
    kind = next((m.group(1) for raw in reversed(raws[:first]) if (m := _PAGE.match(raw))), "text")
    for raw in raws[first:]:
        page = _PAGE.match(raw)
        if page:
            kind = page.group(1)
            continue
        line = raw.strip()
        if not inside:
            inside = line.startswith(start)
            if not inside:
                continue
        elif line.startswith(end):
            break
        if kind != "text" or not line:
            continue
        heading = _HEADING.match(line) and "。" not in line and "：" not in line and len(line) <= 40
        if not lines or _OPENS.match(line) or lines[-1] == "\0":
            lines.append(line)
        else:
            lines[-1] += line
        if heading:
            lines.append("\0")
    return "\n".join(line for line in lines if line != "\0")


def real(name: str) -> Path:
    """The published document ``name`` in the first ../shared/real that has it."""
    return next((folder / name for folder in REALS if (folder / name).is_file()), REALS[0] / name)


def compare(published: str, example: Path, fmt: str, show: bool) -> tuple[int, int]:
    """Print the reproduction figure of one format; return (reproduced, published) counts."""
    wanted = sentences(published)
    rendered = sentences(convert(render_file(example, fmt).text, ".txt"))
    lost = missing(wanted, rendered)
    total, gone = sum(wanted.values()), sum(lost.values())
    print(f"{fmt}: {total - gone}/{total} published sentences reproduced "
          f"({(total - gone) * 100 / total:.1f}%)")
    for sentence, copies in lost.items():
        print(f"  not reproduced{'' if copies == 1 else f' ×{copies}'}: {sentence}")
    if show:
        for sentence in Counter(wanted):
            print(f"  {'✓' if sentence not in lost else '✗'} {sentence}")
    return total - gone, total


def shanghai_final_accounts(show: bool = False) -> tuple[int, int] | None:
    """shanghai-final-accounts: 上海市普陀区财政局 2024 年度部门决算, 第三部分."""
    source = real("shanghai-putuo-caizhengju-2024-juesuan.txt")
    if not source.is_file():
        print(f"shanghai-final-accounts: skipped ({source} is not there)")
        return None
    published = prose_between(source.read_text(encoding="utf-8"), "一、收入支出决算总体情况说明", "第四部分")
    return compare(published, ROOT / "examples" / "shanghai-putuo-2024-final-accounts.yaml",
                   "shanghai-final-accounts", show)



# -- shanghai-budget ---------------------------------------------------------------------------

#: A line at least this long that does not end a sentence was wrapped by the PDF: join it.
BUDGET_WRAPPED = 40
_BUDGET_PAGE = re.compile(r"^--- page \d+ \((text|table)\) ---$", re.M)


def budget_pages(document: str) -> list[list[str]]:
    """The lines of each page the extraction marks ``(text)``, in order."""
    parts = _BUDGET_PAGE.split(document)
    return [parts[i + 1].strip("\n").splitlines() for i in range(1, len(parts) - 1, 2) if parts[i] == "text"]


def budget_prose(document: str, first_heading: str, last_heading: str | None = None) -> str:
    """The prose of the text pages from the page that starts with ``first_heading`` on, unwrapped.

    With ``last_heading``, up to the first later page that starts with it (a 绩效目标表 that the
    extraction gives as text is a table, not prose).
    """
    pages = budget_pages(document)
    start = next(n for n, page in enumerate(pages) if page and page[0].strip().endswith(first_heading))
    end = next((n for n, page in enumerate(pages) if n > start and last_heading and page
                and page[0].strip().startswith(last_heading)), len(pages))
    out: list[str] = []
    for page in pages[start:end]:
        for line in (line.strip() for line in page):
            if not line:
                continue
            if out and len(out[-1]) >= BUDGET_WRAPPED and not out[-1].endswith("。") and not _OPENS.match(line):
                out[-1] += line
            else:
                out.append(line)
    return "\n".join(out)


def compare_budget(doc: str, example: str, fmt: str, first_heading: str,
            reasons: dict[str, str], last_heading: str | None = None) -> tuple[int, int, dict[str, int]] | None:
    """Print and return (published, reproduced, lost) for one document; None when it is absent.

    ``reasons`` maps a fragment of a published sentence to why it is not reproduced (the
    UNREPRODUCED of the format's test); a lost sentence with no fragment is marked “原因未列出”.
    """
    path = real(doc)
    if not path.is_file():
        print(f"{doc}：不在 {path.parent}，跳过")
        return None
    published = sentences(budget_prose(path.read_text(encoding="utf-8"), first_heading, last_heading))
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
    """shanghai-budget: 普陀区财政局 2025 年部门预算；普陀区社会福利院 2024 年单位预算；万里街道 2024、2023 年部门预算；
    上海市财政局 2025 年单位预算."""
    from tests.test_published_shanghai_budget import (SHI_2025_UNREPRODUCED, UNIT_UNREPRODUCED, UNREPRODUCED,
                                                      WANLI_2023_UNREPRODUCED, WANLI_2024_UNREPRODUCED)

    compare_budget("shanghai-putuo-caizhengju-2025-yusuan.txt", "shanghai-putuo-2025.yaml", "shanghai-budget",
            "预算编制说明", UNREPRODUCED)
    compare_budget("shanghai-putuo-shehuifuliyuan-2024-danwei-yusuan.txt", "shanghai-putuo-fuliyuan-2024.yaml",
            "shanghai-budget", "预算编制说明", UNIT_UNREPRODUCED)
    compare_budget("shanghai-putuo-wanlijiedao-2024-yusuan.txt", "shanghai-putuo-wanli-2024.yaml",
            "shanghai-budget", "预算编制说明", WANLI_2024_UNREPRODUCED)
    compare_budget("shanghai-putuo-wanlijiedao-2023-yusuan.txt", "shanghai-putuo-wanli-2023.yaml",
            "shanghai-budget", "预算编制说明", WANLI_2023_UNREPRODUCED, last_heading="财政项目支出绩效目标填报表")
    compare_budget("shanghai-shi-caizhengju-2025-danwei-yusuan.txt", "shanghai-shi-caizhengju-2025.yaml",
            "shanghai-budget", "预算编制说明", SHI_2025_UNREPRODUCED)


def main() -> None:
    """Run every Shanghai format's comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list every published sentence, ✓ or ✗")
    args = parser.parse_args()
    shanghai_budget()
    shanghai_final_accounts(args.show)


if __name__ == "__main__":
    main()
