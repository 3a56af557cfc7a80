"""Make the Word screenshots of the user guide (docs/guide/images/*.png).

Renders the bundled example to .docx with narrator, converts it to PDF with LibreOffice
(headless) and rasterizes chosen pages with pypdfium2. Then it does what a clerk does: edits the
document (a word changed, a phrase made bold, as in Word), changes one figure, runs
``narrator update`` and pictures the updated first page.

Not run by the tests (it needs LibreOffice and a CJK font). Run it from the repository root:

    python docs/guide/make_images.py

The official fonts (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体) are usually missing on a
build machine; a private fontconfig file maps them to Noto CJK (``apt-get install
fonts-noto-cjk``), so the pictures show the layout, not the exact typefaces of a Windows PC.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2
from docx import Document
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "atushi-2025.yaml"
IMAGES = Path(__file__).resolve().parent / "images"
SCALE = 1.4  # 72 dpi × 1.4 ≈ 100 dpi: an A4 page is 833 × 1179 pixels, legible and ~100–150 KB
COLOURS = 64  # a text page needs few colours; a palette keeps the PNG small

# The substitutes LibreOffice should use for the fonts the document names.
FONTS = {
    "仿宋_GB2312": "Noto Serif CJK SC", "仿宋": "Noto Serif CJK SC", "楷体_GB2312": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC", "方正小标宋简体": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC",
}

# The clerk's edit (as in tests/test_docx_update.py) and the figure that changes.
OVERALL = "按照全口径预算的原则，阿图什市信访局2025年所有收入和支出均纳入部门预算管理。收支总预算222.22万元。"
EDITED = ("按照", "全口径预算", "的原则，阿图什市信访局2025年全部收入和支出均纳入部门预算管理。收支总预算222.22万元。")
FIGURE_OLD, FIGURE_NEW = "amount: 214.20", "amount: 220.00"


def fontconfig(folder: Path) -> Path:
    """A fontconfig file: the system's configuration plus aliases for the official fonts."""
    aliases = "".join(
        f"<alias binding='same'><family>{name}</family><prefer><family>{font}</family></prefer></alias>"
        for name, font in FONTS.items())
    path = folder / "fonts.conf"
    path.write_text("<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
                    f"<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>{aliases}</fontconfig>",
                    encoding="utf-8")
    return path


def narrator(*args: str) -> None:
    """Run the narrator command as a user would; stop on bad input (exit 2)."""
    result = subprocess.run([sys.executable, "-m", "narrator", *args], capture_output=True, text=True)
    if result.returncode == 2:
        sys.exit(f"narrator {' '.join(args)} failed:\n{result.stderr}")


def to_pdf(document: Path, work: Path) -> Path:
    """Convert a .docx to PDF with LibreOffice, with its own profile and the font aliases."""
    env = dict(os.environ, HOME=str(work), FONTCONFIG_FILE=str(fontconfig(work)))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/profile",
                    "--convert-to", "pdf", "--outdir", str(work), str(document)],
                   check=True, capture_output=True, env=env, timeout=180)
    return work / (document.stem + ".pdf")


def page_with(pdf: pypdfium2.PdfDocument, text: str) -> int:
    """The index of the first page whose text contains ``text``."""
    for index in range(len(pdf)):
        if text in pdf[index].get_textpage().get_text_range():
            return index
    raise SystemExit(f"no page contains {text!r}")


def save_page(pdf: pypdfium2.PdfDocument, index: int, target: Path) -> None:
    """One page as a small palette PNG, framed by a thin grey line (the page edge)."""
    image = pdf[index].render(scale=SCALE).to_pil().convert("RGB")
    framed = Image.new("RGB", (image.width + 2, image.height + 2), (160, 160, 160))
    framed.paste(image, (1, 1))
    framed.quantize(colors=COLOURS).save(target, optimize=True)
    print(f"{target.relative_to(ROOT)}: page {index + 1}, {target.stat().st_size // 1024} KB")


def edit_in_word(document: Path) -> None:
    """What a person does in Word: “所有” → “全部”, and “全口径预算” made bold."""
    doc = Document(str(document))
    paragraph = next(p for p in doc.paragraphs if p.text == OVERALL)
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    for index, text in enumerate(EDITED):
        paragraph.add_run(text).bold = True if index == 1 else None
    doc.save(str(document))


def main() -> None:
    """Write first-page.png, table-page.png and updated.png under docs/guide/images/."""
    if shutil.which("soffice") is None:
        sys.exit("需要 LibreOffice（soffice）")
    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        figures, document = work / "figures.yaml", work / "第三部分.docx"
        figures.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
        narrator("render", str(figures), "-o", str(document))
        pdf = pypdfium2.PdfDocument(str(to_pdf(document, work)))
        save_page(pdf, 0, IMAGES / "first-page.png")
        save_page(pdf, page_with(pdf, "预算金额（万元）"), IMAGES / "table-page.png")

        edit_in_word(document)
        text = figures.read_text(encoding="utf-8")
        figures.write_text(text.replace(FIGURE_OLD, FIGURE_NEW, 1), encoding="utf-8")
        narrator("update", str(document), "--figures", str(figures))
        updated = work / "updated"
        updated.mkdir()
        pdf = pypdfium2.PdfDocument(str(to_pdf(document, updated)))
        save_page(pdf, 0, IMAGES / "updated.png")


if __name__ == "__main__":
    main()
