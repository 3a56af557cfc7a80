"""How fast `narrator review` is on PDFs: one 30-page disclosure, and a folder of 100.

    python bench/review_speed.py [--out DIR] [--runs 5] [--jobs 2] [--seed 1]

Generates (deterministically, per seed) a 30-page PDF and a folder of 100 PDFs (2–5 pages each,
every tenth 30 pages) with bench/pdfmaker.py, then times

- ``review_file`` on the 30-page PDF in this process: the median of ``--runs`` after one untimed
  run (rules loaded, fonts decoded) — target under 2 s;
- ``narrator review DIR --jobs N --format json`` on the folder, a fresh process, wall time —
  target under 60 s.

Not a test: it prints the figures and whether the targets are met.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pdfmaker import BOTTOM, LEADING, LEFT, RIGHT, TOP, make_pdf, wrap  # noqa: E402

TARGET_ONE, TARGET_FOLDER = 2.0, 60.0
HEADINGS = ["一、收入预算说明", "二、支出预算说明", "三、财政拨款支出预算说明", "四、“三公”经费预算说明",
            "五、机关运行经费预算说明", "六、政府采购预算说明", "七、国有资产占用情况说明", "八、预算绩效管理情况"]
ITEMS = ["基本支出", "项目支出", "一般公共预算拨款收入", "政府性基金预算拨款收入", "单位资金收入",
         "公务接待费", "公务用车运行维护费", "机关运行经费", "政府采购预算"]
REASONS = ["人员增加", "项目调整", "厉行节约", "新增信息化建设项目", "上年一次性支出本年不再安排"]
SLIPS = ["主要用于主要用于日常运转。", "按照全口径预算的原则,所有收入纳入管理。", "较上年增长0%。"]


def _paragraph(rng: random.Random, index: int) -> str:
    """Paragraph ``index`` of a disclosure: a heading every sixth, else amounts, changes and a
    reason, now and then with a slip a reviewer should catch."""
    if index % 6 == 0:
        return HEADINGS[(index // 6) % len(HEADINGS)]
    item = rng.choice(ITEMS)
    amount = rng.randint(1000, 9_999_999)
    change = rng.randint(1, amount // 3)
    up = rng.random() < 0.5
    share = f"{change * 100 / (amount - change if up else amount + change):.2f}"
    text = (f"2025年{item}{amount / 100:.2f}万元，比2024年预算{'增加' if up else '减少'}{change / 100:.2f}万元，"
            f"{'增长' if up else '下降'}{share}%，主要原因是{rng.choice(REASONS)}。"
            f"其中：人员经费{amount * 6 // 1000 / 100:.2f}万元，公用经费{amount * 4 // 1000 / 100:.2f}万元。")
    if rng.random() < 0.08:
        text += rng.choice(SLIPS)
    return text


def fill(rng: random.Random, pages: int) -> list[str]:
    """Paragraphs that fill exactly ``pages`` A4 pages as pdfmaker lays them out."""
    from reportlab.lib.pagesizes import A4

    per_page = int((A4[1] - TOP - BOTTOM) // LEADING)
    width = A4[0] - LEFT - RIGHT
    chosen: list[str] = []
    used = 0
    while True:
        paragraph = _paragraph(rng, len(chosen))
        lines = len(wrap(paragraph, width))
        if used + lines > pages * per_page:
            return chosen
        chosen.append(paragraph)
        used += lines


def generate(out: Path, seed: int) -> tuple[Path, Path]:
    """The 30-page PDF and the folder of 100 PDFs under ``out`` (made once per seed)."""
    one, folder = out / "30页.pdf", out / "文件夹"
    if one.exists() and folder.is_dir() and len(list(folder.glob("*.pdf"))) == 100:
        return one, folder
    folder.mkdir(parents=True, exist_ok=True)
    assert make_pdf(one, fill(random.Random(seed), 30)).pages == 30
    for index in range(100):
        rng = random.Random(seed * 1000 + index)
        pages = 30 if index % 10 == 9 else rng.randint(2, 5)
        assert make_pdf(folder / f"部门{index:03d}.pdf", fill(rng, pages)).pages == pages
    return one, folder


def time_one(path: Path, runs: int) -> tuple[float, int]:
    """Median seconds of ``review_file`` on ``path`` (after one untimed run), and its findings."""
    from narrator.errors import NarratorError
    from narrator.review import review_file

    try:
        report = review_file(path)
    except NarratorError as error:
        raise SystemExit(f"review_file cannot read the PDF (is the PDF reader in?):\n{error}") from None
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        review_file(path)
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(report.findings)


def time_folder(folder: Path, jobs: int) -> tuple[float, int]:
    """Wall seconds of ``narrator review FOLDER --jobs N`` in a fresh process, and its exit code."""
    command = [sys.executable, "-m", "narrator", "review", str(folder), "--jobs", str(jobs),
               "--format", "json", "--no-progress"]
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - started
    if done.returncode == 2:
        print(done.stderr.decode("utf-8", "replace")[-2000:], file=sys.stderr)
    return seconds, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="where the PDFs are made (kept; default: a temporary folder)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        out = args.out or Path(temporary)
        started = time.perf_counter()
        one, folder = generate(out, args.seed)
        print(f"PDFs ready in {time.perf_counter() - started:.1f} s under {out}")
        seconds, findings = time_one(one, args.runs)
        verdict = "ok" if seconds < TARGET_ONE else "TOO SLOW"
        print(f"review_file, 30-page PDF: median {seconds:.3f} s of {args.runs} ({findings} findings)"
              f" — target < {TARGET_ONE:.0f} s: {verdict}")
        seconds, code = time_folder(folder, args.jobs)
        verdict = "ok" if seconds < TARGET_FOLDER else "TOO SLOW"
        print(f"narrator review, 100 PDFs, --jobs {args.jobs}: {seconds:.1f} s wall (exit {code})"
              f" — target < {TARGET_FOLDER:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
