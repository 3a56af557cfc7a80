"""Timing of narrator import (workbook → figures) and of the .docx / .html output.

Run: python bench/import_and_docx.py [runs]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from layout import pick  # noqa: E402

[convert] = pick("document.output", "convert")
[render_file] = pick("text.render", "render_file")
from narrator.workbook.importer import import_workbook

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = ROOT / "tests" / "fixtures" / "atushi-2025.xlsx"
PRIOR = ROOT / "tests" / "fixtures" / "atushi-2024.yaml"
EXAMPLE = ROOT / "examples" / "atushi-2025.yaml"


def timed(label: str, runs: int, work) -> None:
    work()  # warm caches (classification, layout, templates, imports)
    start = time.perf_counter()
    for _ in range(runs):
        work()
    each = (time.perf_counter() - start) / runs * 1000
    print(f"{label:<40} {each:8.1f} ms per run ({runs} runs)")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    text = render_file(EXAMPLE).text
    timed("import (11 sheets, --prior, --keep)", runs, lambda: import_workbook(WORKBOOK, prior=PRIOR, keep=EXAMPLE))
    timed("import (11 sheets)", runs, lambda: import_workbook(WORKBOOK))
    timed("markdown → .docx", runs, lambda: convert(text, ".docx"))
    timed("markdown → .html", runs, lambda: convert(text, ".html"))


if __name__ == "__main__":
    main()
