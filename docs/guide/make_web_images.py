"""Make the screenshots of the web page for the user guide (docs/guide/images/web-*.png).

Starts ``narrator serve``'s application on a free port, drives the system's headless Chromium
(Debian's ``chromium``) with Playwright at 1366×768, an office screen: the clerk's draft (the
example workbook with two reasons typed, a number's source shown) and the reviewer's page (a PDF
with a few typical mistakes). Not run by the tests; run it from the repository root:

    python docs/guide/make_web_images.py
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pdfmaker  # noqa: E402

from narrator.web import serving  # noqa: E402
from tests.webserver import chromium_browser, free_port  # noqa: E402

IMAGES = Path(__file__).resolve().parent / "images"
FIXTURES = ROOT / "tests" / "fixtures"
VIEWPORT = {"width": 1366, "height": 768}
COLOURS = 128  # a page of text needs few colours; a palette keeps the PNG small
REASONS = {1: "本年减少联合接访运转项目经费和业务工作项目经费", 2: "本年增加事业人员绩效工资项目和社保、职业年金"}
# a published text with the mistakes reviewers meet most (residue, doubled words, a wrong share)
REVIEWED = [
    "一、关于某某局2025年收支预算情况总体说明",
    "按照全口径预算的原则，某某局2025年所有收入和支出均纳入部门预算管理。收支总预算222.22万元。",
    "二、关于某某局2025年收入预算情况说明",
    "部门收入预算222.22万元，其中：一般公共预算214.20万元，占97.39%，比上年预算减少40.65万元，"
    "下降15.95%，主要原因是本年减少联合接访运转项目经费。",
    "单位资金5.00万元，占2.25%，比上年预算增加3.01万元，增长151.26%，主要用于主要用于日常运转。",
    "财政拨款结转3.02万元，占1.36%，比上年预算增加（减少）0.50万元，主要原因是结转增加。",
]


def save(png: bytes, name: str) -> None:
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(COLOURS)
    image.save(IMAGES / name, optimize=True)
    print(f"{IMAGES / name}: {image.size[0]}×{image.size[1]}")


def draft_page(browser: object, site: str) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{site}/draft")
    page.set_input_files("#workbook", str(FIXTURES / "atushi-2025.xlsx"))
    page.set_input_files("#prior", str(FIXTURES / "atushi-2024.yaml"))
    page.click("#import")
    page.wait_for_selector("#preview h3")
    for number, reason in REASONS.items():
        page.locator(f"#field-{number}").fill(reason)
        page.locator(f"#field-{number}").dispatch_event("input")
    page.wait_for_function("text => document.getElementById('preview').innerText.includes(text)", arg=REASONS[2])
    number = page.locator("#preview span.num", has_text="96.39%").first
    number.wait_for()
    number.hover()
    save(page.screenshot(), "web-draft.png")
    page.close()


def review_page(browser: object, site: str, folder: Path) -> None:
    pdf = folder / "某某局2025年部门预算.pdf"
    pdfmaker.make_pdf(pdf, REVIEWED, header="")
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{site}/review")
    page.set_input_files("#files", str(pdf))
    page.click("#start")
    page.wait_for_selector("li.item")
    first = page.locator("li.item").first
    first.locator(".accept-note").fill("已与单位核实，更正后重报")
    first.locator(".accept-note").dispatch_event("change")
    page.wait_for_function("document.querySelector('li.item').dataset.saved === '1'")
    page.locator("li.item").nth(1).hover()
    save(page.screenshot(), "web-review.png")
    page.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as temporary, serving(free_port(), Path(temporary) / "work") as site:
        with chromium_browser("/usr/bin/chromium") as browser:
            draft_page(browser, site)
            review_page(browser, site, Path(temporary))


if __name__ == "__main__":
    main()
